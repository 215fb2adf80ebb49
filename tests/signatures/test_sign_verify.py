"""Signing and verifying edXML envelopes: the happy paths, tampering, the report."""

from __future__ import annotations

import json

import pytest
from cryptography import x509
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from egovkit.errors import PolicyError, SignatureError
from egovkit.signatures import (
    DigestAlgorithm,
    Indication,
    KeyFileSigner,
    SignatureScheme,
    Signer,
    SignerKind,
    SubIndication,
    TrustStore,
    sign_envelope,
    verify,
)
from egovkit.testing.pki import FixturePKI

from .conftest import NS, envelope

DSIG = "http://www.w3.org/2000/09/xmldsig#"


def _check(data: bytes, pki: FixturePKI, **kw: object):  # type: ignore[no-untyped-def]
    return verify(data, trust=pki.trust_store(), revocation=pki.revocation(), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "pss", "method"),
    [
        ("agency", False, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
        ("agency_pss", True, "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"),
        ("agency_ec", False, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"),
        ("person_ec", False, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"),
    ],
)
def test_round_trip_passes(
    pki: FixturePKI, plain: bytes, name: str, pss: bool, method: str
) -> None:
    credential = getattr(pki, name)
    signed = sign_envelope(plain, credential.signer(pss=pss))
    report = _check(signed, pki)
    assert report.indication is Indication.TOTAL_PASSED, report.to_text()
    assert report.sub_indication is None
    (one,) = report.signatures
    assert one.algorithms is not None
    assert one.algorithms.signature_method == method
    assert [c.source for c in one.chain] == ["message", "message", "anchor"]


@pytest.mark.parametrize("digest", [DigestAlgorithm.SHA384, DigestAlgorithm.SHA512])
def test_stronger_digests(pki: FixturePKI, plain: bytes, digest: DigestAlgorithm) -> None:
    signed = sign_envelope(plain, pki.agency.signer(), digest=digest)
    assert digest.uri.encode() in signed
    assert _check(signed, pki).passed


@pytest.mark.parametrize("digest", [DigestAlgorithm.SHA1, DigestAlgorithm.MD5])
def test_never_signs_weak(pki: FixturePKI, plain: bytes, digest: DigestAlgorithm) -> None:
    with pytest.raises(PolicyError) as caught:
        sign_envelope(plain, pki.agency.signer(), digest=digest)
    assert caught.value.code == "signatures.sign.weak_digest"


def test_signature_sits_where_the_profile_says(pki: FixturePKI, plain: bytes) -> None:
    signed = sign_envelope(plain, pki.agency.signer())
    root = etree.fromstring(signed)
    header = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader")
    assert header is not None
    last = header[-1]
    assert last.tag == f"{{{DSIG}}}Signature"
    assert b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">' in signed  # unprefixed
    reference = last.find(f"{{{DSIG}}}SignedInfo/{{{DSIG}}}Reference")
    assert reference is not None
    assert reference.get("URI") == ""


def test_signed_content_is_what_was_signed(pki: FixturePKI, plain: bytes) -> None:
    signed = sign_envelope(plain, pki.agency.signer())
    report = _check(signed, pki)
    tree = report.signed_tree()
    assert tree.find(f".//{{{DSIG}}}Signature") is None
    subject = tree.find(f".//{{{NS}}}Subject")
    assert subject is not None
    assert subject.text == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert report.signed_content == report.signatures[0].signed_content


def test_tampering_breaks_the_digest(pki: FixturePKI, plain: bytes) -> None:
    signed = sign_envelope(plain, pki.agency.signer())
    forged = signed.replace("liên thông".encode(), "liên  thông".encode())
    report = _check(forged, pki)
    assert report.indication is Indication.TOTAL_FAILED
    assert report.sub_indication is SubIndication.HASH_FAILURE
    assert report.signed_content is None
    with pytest.raises(SignatureError):
        report.signed_tree()


def test_tampering_the_signature_value(pki: FixturePKI, plain: bytes) -> None:
    signed = sign_envelope(plain, pki.agency.signer())
    start = signed.index(b"<SignatureValue>") + len(b"<SignatureValue>")
    flipped = b"A" if signed[start : start + 1] != b"A" else b"B"
    forged = signed[:start] + flipped + signed[start + 1 :]
    report = _check(forged, pki)
    assert report.sub_indication is SubIndication.SIG_CRYPTO_FAILURE


def test_signer_identity_from_uid(pki: FixturePKI, plain: bytes) -> None:
    agency = _check(sign_envelope(plain, pki.agency.signer()), pki).signatures[0].signer
    person = _check(sign_envelope(plain, pki.person.signer()), pki).signatures[0].signer
    assert agency is not None
    assert person is not None
    assert agency.budget_unit_code == "1234567"
    assert agency.kind is SignerKind.ORGANISATION
    assert person.citizen_id == "001099000123"
    assert person.common_name == "Nguyễn Văn An"
    assert person.kind is SignerKind.PERSON


def test_report_json_and_text(pki: FixturePKI, plain: bytes) -> None:
    report = _check(sign_envelope(plain, pki.person.signer()), pki)
    data = json.loads(report.to_json())
    assert data["indication"] == "TOTAL_PASSED"
    assert data["sub_indication"] is None
    assert data["signatures"][0]["signer"]["citizen_id"] == "001099000123"
    assert data["signatures"][0]["signer_kind"] == "person"
    assert {r["status"] for r in data["signatures"][0]["revocation"]} == {"good"}
    assert data["signed_content"]["length"] == len(report.signed_content or b"")
    text = report.to_text()
    assert text.startswith("TOTAL_PASSED")
    assert "Nguyễn Văn An" in text


def test_key_file_signer_from_pem_and_pkcs12(pki: FixturePKI, plain: bytes) -> None:
    cred = pki.agency
    from_pem = KeyFileSigner.from_pem(
        cred.key_pem(b"mat-khau"), cred.cert_pem(), [cred.chain_pem()], password=b"mat-khau"
    )
    from_p12 = KeyFileSigner.from_pkcs12(cred.pkcs12(b"mat-khau"), b"mat-khau")
    for signer in (from_pem, from_p12):
        assert signer.chain == cred.chain
        assert _check(sign_envelope(plain, signer), pki).passed
    with pytest.raises(SignatureError) as caught:
        KeyFileSigner.from_pkcs12(cred.pkcs12(b"mat-khau"), b"sai")
    assert caught.value.code == "signatures.signer.bad_pkcs12"


def test_key_must_match_certificate(pki: FixturePKI) -> None:
    with pytest.raises(SignatureError) as caught:
        KeyFileSigner.from_pem(pki.person.key_pem(), pki.agency.cert_pem())
    assert caught.value.code == "signatures.signer.key_mismatch"


class RemoteSigner(Signer):
    """A 'remote signing service': only the one hole is implemented."""

    def __init__(self, inner: KeyFileSigner) -> None:
        self.inner = inner
        self.calls: list[tuple[int, DigestAlgorithm]] = []

    @property
    def certificate(self) -> x509.Certificate:
        return self.inner.certificate

    def sign_raw(self, data: bytes, digest: DigestAlgorithm) -> bytes:
        self.calls.append((len(data), digest))
        return self.inner.sign_raw(data, digest)


def test_signer_port_has_one_hole(pki: FixturePKI, plain: bytes) -> None:
    remote = RemoteSigner(pki.agency.signer())
    assert remote.scheme is SignatureScheme.RSA_PKCS1V15
    assert remote.chain == ()
    signed = sign_envelope(plain, remote)
    assert remote.calls
    assert remote.calls[0][1] is DigestAlgorithm.SHA256
    # No chain in the message: the intermediate must come from the store.
    bare = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert bare.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    store = pki.trust_store().with_intermediates(pki.intermediate.certificate)
    report = verify(signed, trust=store, revocation=pki.revocation())
    assert report.passed, report.to_text()
    assert [c.source for c in report.signatures[0].chain] == ["message", "store", "anchor"]


def test_no_header_to_hold_the_signature(pki: FixturePKI) -> None:
    with pytest.raises(SignatureError) as caught:
        sign_envelope(f'<edXML xmlns="{NS}"/>'.encode(), pki.agency.signer())
    assert caught.value.code == "signatures.sign.no_location"


def test_unsigned_envelope(pki: FixturePKI, plain: bytes) -> None:
    report = _check(plain, pki)
    assert report.indication is Indication.TOTAL_FAILED
    assert report.findings[0].code == "signatures.no_signature"


def test_at_must_be_aware(pki: FixturePKI, plain: bytes) -> None:
    import datetime as dt

    from egovkit.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        _check(plain, pki, at=dt.datetime(2026, 1, 1))
    with pytest.raises(TypeError):
        verify(plain, trust="root.pem")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verify(plain.decode(), trust=pki.trust_store())  # type: ignore[arg-type]


_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="<&>\r"
    ),
    max_size=40,
)


@settings(max_examples=15, deadline=None)
@given(subject=_TEXT, extra=_TEXT)
def test_property_signed_content_round_trips(subject: str, extra: str) -> None:
    pki = FixturePKI.create()
    plain = envelope(subject=subject, body=f"<edXML:Reference>{extra}</edXML:Reference>")
    signed = sign_envelope(plain, pki.agency_ec.signer())
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    node = report.signed_tree().find(f".//{{{NS}}}Subject")
    assert node is not None
    original = etree.fromstring(plain).find(f".//{{{NS}}}Subject")
    assert original is not None
    assert (node.text or "") == (original.text or "")
    # Changing the signed text always fails.
    tree = etree.fromstring(signed)
    target = tree.find(f".//{{{NS}}}Subject")
    assert target is not None
    target.text = (target.text or "") + "X"
    forged = etree.tostring(tree)
    assert verify(forged, trust=pki.trust_store(), revocation=pki.revocation()).sub_indication is (
        SubIndication.HASH_FAILURE
    )


def test_trust_store_rejects_empty() -> None:
    from egovkit.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        TrustStore.from_pem()


def test_generic_layer_with_another_profile(pki: FixturePKI) -> None:
    from egovkit.signatures import SignatureProfile

    profile = SignatureProfile(
        name="test-doc",
        root="{urn:egov:test}Doc",
        location=("{urn:egov:test}Head",),
        dsig_prefix="ds",
    )
    data = (
        b'<Doc xmlns="urn:egov:test"><Head><Id>1</Id></Head><Body>n\xe1\xbb\x99i dung</Body></Doc>'
    )
    signed = sign_envelope(data, pki.agency.signer(), profile=profile)
    assert b"<ds:Signature" in signed
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation(), profile=profile)
    assert report.passed, report.to_text()
    # The edXML profile does not accept it: the signature is not where edXML puts it.
    other = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert other.findings[0].code == "signatures.format.location"
    with pytest.raises(ValueError, match="namespace"):
        SignatureProfile(name="bad", root="Doc", location=())


@pytest.mark.parametrize(
    ("uids", "kind", "field", "value"),
    [
        (["MST:0100109106"], SignerKind.ORGANISATION, "tax_code", "0100109106"),
        (["MNS:1234567"], SignerKind.ORGANISATION, "budget_unit_code", "1234567"),
        (["CMND:012345678"], SignerKind.PERSON, "old_id_card", "012345678"),
        (["mst: 0100109106", "CCCD:001099000123"], SignerKind.PERSON, "citizen_id", "001099000123"),
        (["other"], SignerKind.UNKNOWN, "uid_values", ("other",)),
    ],
)
def test_signer_identity_profiles(
    uids: list[str], kind: SignerKind, field: str, value: object
) -> None:
    import datetime as dt

    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    from egovkit.signatures import SignerIdentity
    from egovkit.testing.pki import test_key

    key = test_key("agency_ec")
    name = x509.Name(
        [x509.NameAttribute(NameOID.USER_ID, u) for u in uids]
        + [x509.NameAttribute(NameOID.COMMON_NAME, "Trần Thị Bình")]
    )
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    identity = SignerIdentity.from_certificate(cert)
    assert identity.kind is kind
    assert getattr(identity, field) == value
    assert identity.common_name == "Trần Thị Bình"
    assert identity.to_dict()["kind"] == kind.value


class WrongKeySigner(RemoteSigner):
    """A broken port: signs with another key than its certificate's."""

    def __init__(self, inner: KeyFileSigner, wrong: KeyFileSigner) -> None:
        super().__init__(inner)
        self.wrong = wrong

    def sign_raw(self, data: bytes, digest: DigestAlgorithm) -> bytes:
        return self.wrong.sign_raw(data, digest)


def test_a_broken_signer_is_caught(pki: FixturePKI, plain: bytes) -> None:
    broken = WrongKeySigner(pki.agency.signer(), pki.person.signer())
    with pytest.raises(SignatureError) as caught:
        sign_envelope(plain, broken)
    assert caught.value.code == "signatures.sign.bad_signature"
