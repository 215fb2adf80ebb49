"""Pkcs11Signer against a SoftHSM2 token the tests initialise themselves."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from egovkit.errors import ConfigurationError, SignatureError
from egovkit.signatures import DigestAlgorithm, SignatureScheme, sign_envelope, verify
from egovkit.testing.pki import FixturePKI
from egovkit.testing.tools import require
from egovkit_pkcs11 import Pkcs11Signer, pin_from_env
from egovkit_pkcs11.softhsm import SoftHsmToken, TokenKey, provision_token, softhsm_module


@pytest.fixture(autouse=True)
def _softhsm() -> None:
    """Skipped without SoftHSM2, failed without it under CI=true."""
    require(softhsm_module(), "SoftHSM2", install="Debian package softhsm2")


NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
ENVELOPE = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:Subject>Thử nghiệm ký bằng USB token</edXML:Subject>
</edXML:MessageHeader></edXML:edXMLHeader><edXML:edXMLBody>
<edXML:edXMLManifest version="1.0"/></edXML:edXMLBody></edXML:edXMLEnvelope></edXML>
""".encode()


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture(scope="module")
def token(pki: FixturePKI) -> SoftHsmToken:
    return provision_token(
        "egovkit-p11-tests",
        [
            TokenKey(
                label="person",
                key_id=b"\x01",
                key=pki.person.key,
                certificate=pki.person.certificate,
            ),
            TokenKey(
                label="agency-ec",
                key_id=b"\x02",
                key=pki.agency_ec.key,
                certificate=pki.agency_ec.certificate,
            ),
        ],
    )


@pytest.fixture
def person(token: SoftHsmToken, pki: FixturePKI) -> Iterator[Pkcs11Signer]:
    with Pkcs11Signer(
        module=token.module,
        token_label=token.label,
        pin=lambda: token.pin,
        key_label="person",
        chain=pki.person.chain,
    ) as signer:
        yield signer


def test_rsa_signature_verifies_with_the_certificate_read_from_the_token(
    person: Pkcs11Signer, pki: FixturePKI
) -> None:
    assert person.certificate == pki.person.certificate
    value = person.sign_raw(b"van ban", DigestAlgorithm.SHA256)
    public = person.certificate.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    public.verify(value, b"van ban", padding.PKCS1v15(), hashes.SHA256())


def test_ecdsa_key_by_id_on_slot_with_pin_from_environment(
    token: SoftHsmToken, pki: FixturePKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVKIT_TEST_PIN", token.pin)
    with Pkcs11Signer(
        module=token.module,
        slot=token.slot_index(),
        pin=pin_from_env("EGOVKIT_TEST_PIN"),
        key_id=b"\x02",
    ) as signer:
        assert signer.scheme is SignatureScheme.ECDSA
        value = signer.sign_raw(b"abc", DigestAlgorithm.SHA384)
        public = pki.agency_ec.certificate.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(value, b"abc", ec.ECDSA(hashes.SHA384()))


def test_rsa_pss(token: SoftHsmToken, pki: FixturePKI) -> None:
    with Pkcs11Signer(
        module=token.module,
        token_label=token.label,
        pin=lambda: token.pin,
        key_id=b"\x01",
        pss=True,
    ) as signer:
        value = signer.sign_raw(b"abc", DigestAlgorithm.SHA256)
    public = pki.person.certificate.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    public.verify(
        value,
        b"abc",
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256(),
    )


def test_xml_dsig_envelope_signed_on_the_token_passes(
    person: Pkcs11Signer, pki: FixturePKI
) -> None:
    signed = sign_envelope(ENVELOPE, person)
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    assert report.signatures[0].signer is not None
    assert "Nguyễn Văn An" in str(report.signatures[0].signer)


def test_tampered_envelope_fails(person: Pkcs11Signer, pki: FixturePKI) -> None:
    signed = sign_envelope(ENVELOPE, person).replace(b"USB token", b"USB t0ken")
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert not report.passed


def test_wrong_pin_is_a_typed_error(token: SoftHsmToken) -> None:
    # Login state is per process and token; make sure no other session holds it.
    with pytest.raises(SignatureError) as caught:
        Pkcs11Signer(
            module=token.module, token_label=token.label, pin=lambda: "000000", key_label="person"
        )
    assert caught.value.code == "pkcs11.pin.refused"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"token_label": "no-such-token", "key_label": "person"}, "pkcs11.token.not_found"),
        ({"slot": 42, "key_label": "person"}, "pkcs11.token.not_found"),
        ({"key_label": "person"}, "pkcs11.token.selector"),
        ({"token_label": "x"}, "pkcs11.key.selector"),
    ],
)
def test_bad_selection(token: SoftHsmToken, kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Pkcs11Signer(module=token.module, pin=lambda: token.pin, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_missing_pin_variable(token: SoftHsmToken, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EGOVKIT_NO_SUCH_PIN", raising=False)
    with pytest.raises(ConfigurationError) as caught:
        pin_from_env("EGOVKIT_NO_SUCH_PIN")()
    assert caught.value.code == "pkcs11.pin.unset"
    assert "EGOVKIT_NO_SUCH_PIN" not in os.environ


def test_missing_module_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Pkcs11Signer(
            module="/nonexistent/libp11.so",
            token_label="t",
            pin=lambda: "1",
            key_label="k",
        )
    assert caught.value.code == "pkcs11.module"
