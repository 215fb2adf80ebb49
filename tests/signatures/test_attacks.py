"""The attack corpus: none passes, none crashes, each gets a precise sub-indication."""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from egovkit.signatures import (
    LEGACY_POLICY,
    Indication,
    SubIndication,
    ValidationReport,
    sign_envelope,
    verify,
)
from egovkit.testing.pki import FixturePKI

from . import _forge as f
from .conftest import NS, envelope

Make = Callable[[FixturePKI], bytes]
F, IND = Indication.TOTAL_FAILED, Indication.INDETERMINATE
S = SubIndication
HEADER = f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader"


def _signed(pki: FixturePKI) -> bytes:
    return sign_envelope(envelope(), pki.agency.signer())


def _edit(data: bytes, change: Callable[[etree._Element], None]) -> bytes:
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def _sig(root: etree._Element) -> etree._Element:
    found = f.one(root, f".//{f.q('Signature')}")
    assert found is not None
    return found


def _agency(pki: FixturePKI, **kw: Any) -> bytes:
    return f.forge(
        envelope(),
        key=pki.agency.key,
        certificates=[pki.agency.certificate, pki.intermediate.certificate],
        **kw,
    )


# --- signature wrapping ---------------------------------------------------------------------
def xsw_signature_moved_to_root(pki: FixturePKI) -> bytes:
    def move(root: etree._Element) -> None:
        root.append(_sig(root))

    return _edit(_signed(pki), move)


def xsw_second_envelope(pki: FixturePKI) -> bytes:
    def wrap(root: etree._Element) -> None:
        evil = copy.deepcopy(root[0])
        f.one(evil, f".//{{{NS}}}Subject").text = "Lệnh chuyển tiền khẩn"
        root.insert(0, evil)

    return _edit(_signed(pki), wrap)


def xsw_original_in_object(pki: FixturePKI) -> bytes:
    def wrap(root: etree._Element) -> None:
        sig = _sig(root)
        original = copy.deepcopy(root[0])
        obj = etree.SubElement(sig, f.q("Object"))
        obj.append(original)
        f.one(root, f".//{{{NS}}}Subject").text = "Nội dung giả mạo"

    return _edit(_signed(pki), wrap)


def xsw_content_changed(pki: FixturePKI) -> bytes:
    def change(root: etree._Element) -> None:
        f.one(root, f".//{{{NS}}}Subject").text = "Nội dung giả mạo"

    return _edit(_signed(pki), change)


def xsw_signature_transplanted(pki: FixturePKI) -> bytes:
    donor = etree.fromstring(_signed(pki))
    target = etree.fromstring(envelope(subject="Văn bản khác"))
    f.one(target, HEADER).append(copy.deepcopy(_sig(donor)))
    return etree.tostring(target)


def xsw_extra_unsigned_element_after_signature(pki: FixturePKI) -> bytes:
    def add(root: etree._Element) -> None:
        etree.SubElement(f.one(root, HEADER), f"{{{NS}}}Extra").text = "x"

    return _edit(_signed(pki), add)


def xsw_signature_in_body(pki: FixturePKI) -> bytes:
    def add(root: etree._Element) -> None:
        body = f.one(root, f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLBody")
        body.append(copy.deepcopy(_sig(root)))

    return _edit(_signed(pki), add)


def xsw_duplicate_header(pki: FixturePKI) -> bytes:
    def dup(root: etree._Element) -> None:
        header = f.one(root, HEADER)
        root[0].insert(0, copy.deepcopy(header))

    return _edit(_signed(pki), dup)


def xsw_other_root(pki: FixturePKI) -> bytes:
    return (
        _signed(pki).replace(b"<edXML xmlns=", b"<edXMLx xmlns=").replace(b"</edXML>", b"</edXMLx>")
    )


def reference_to_element(pki: FixturePKI) -> bytes:
    def add_id(sig: etree._Element) -> None:
        header = sig.getparent()
        assert header is not None
        header.set("Id", "hdr")

    return _agency(pki, uri="#hdr", before_digest=add_id)


def duplicate_ids(pki: FixturePKI) -> bytes:
    def ids(sig: etree._Element) -> None:
        root = sig.getroottree().getroot()
        for node in root.iter(f"{{{NS}}}Subject", f"{{{NS}}}OrganName"):
            node.set("Id", "x")

    return _agency(pki, uri="#x", before_digest=ids)


def missing_reference_uri(pki: FixturePKI) -> bytes:
    return _agency(pki, uri=None)


def two_references(pki: FixturePKI) -> bytes:
    def extra(sig: etree._Element) -> None:
        signed_info = f.one(sig, f.q("SignedInfo"))
        signed_info.append(copy.deepcopy(f.one(signed_info, f.q("Reference"))))

    return _agency(pki, before_signing=extra)


def several_signed_info(pki: FixturePKI) -> bytes:
    def add(root: etree._Element) -> None:
        sig = _sig(root)
        sig.insert(1, copy.deepcopy(f.one(sig, f.q("SignedInfo"))))

    return _edit(_signed(pki), add)


def xpath_transform(pki: FixturePKI) -> bytes:
    def xpath(sig: etree._Element) -> None:
        chain = f.one(sig, f".//{f.q('Transforms')}")
        t = etree.SubElement(
            chain, f.q("Transform"), Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"
        )
        etree.SubElement(t, f.q("XPath")).text = "not(ancestor-or-self::*)"

    return _agency(pki, before_signing=xpath)


def no_enveloped_transform(pki: FixturePKI) -> bytes:
    return _agency(pki, transforms=(f.EXC,))


def object_in_signature(pki: FixturePKI) -> bytes:
    def obj(sig: etree._Element) -> None:
        etree.SubElement(sig, f.q("Object")).text = "payload"

    return _agency(pki, after_signing=obj)


def foreign_namespace_signature(pki: FixturePKI) -> bytes:
    return _signed(pki).replace(
        b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">', b"<Signature>"
    )


# --- markup tricks ---------------------------------------------------------------------------
def comment_injection(pki: FixturePKI) -> bytes:
    return _signed(pki).replace("liên thông".encode(), "liên<!-- -->thông".encode(), 1)


def processing_instruction(pki: FixturePKI) -> bytes:
    return _signed(pki).replace(b"<edXML:Subject>", b"<?php evil?><edXML:Subject>", 1)


def whitespace_change(pki: FixturePKI) -> bytes:
    return _signed(pki).replace(b"<edXML:Subject>", b"<edXML:Subject> ", 1)


# --- algorithms ------------------------------------------------------------------------------
def hmac_with_public_key(pki: FixturePKI) -> bytes:
    public = pki.agency.certificate.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return f.forge(
        envelope(), key=public, certificates=[pki.agency.certificate], method=f.HMAC_SHA256
    )


def hmac_output_length(pki: FixturePKI) -> bytes:
    def truncate(sig: etree._Element) -> None:
        method = f.one(sig, f".//{f.q('SignatureMethod')}")
        etree.SubElement(method, f.q("HMACOutputLength")).text = "8"

    return f.forge(
        envelope(),
        key=b"",
        certificates=[pki.agency.certificate],
        method="http://www.w3.org/2000/09/xmldsig#hmac-sha1",
        before_signing=truncate,
    )


def sha1_downgrade(pki: FixturePKI) -> bytes:
    return _agency(pki, method=f.RSA_SHA1, digest=f.SHA1)


def md5_digest(pki: FixturePKI) -> bytes:
    return _agency(pki, method=f.RSA_MD5, digest=f.MD5)


def unknown_signature_method(pki: FixturePKI) -> bytes:
    return _agency(pki, method="http://example.invalid/rot13")


def ecdsa_method_with_rsa_key(pki: FixturePKI) -> bytes:
    def swap(sig: etree._Element) -> None:
        f.one(sig, f".//{f.q('SignatureMethod')}").set("Algorithm", f.ECDSA_SHA256)

    return _agency(pki, before_signing=swap)


def weak_rsa_key(pki: FixturePKI) -> bytes:
    return sign_envelope(envelope(), pki.weak_rsa.signer())


def unknown_c14n(pki: FixturePKI) -> bytes:
    return _signed(pki).replace(
        b'<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
        b'<CanonicalizationMethod Algorithm="http://www.w3.org/2006/12/xml-c14n11"/>',
    )


# --- keys and certificates -------------------------------------------------------------------
def key_info_substitution(pki: FixturePKI) -> bytes:
    return f.forge(
        envelope(),
        key=pki.stranger_root.key,
        certificates=[pki.stranger_root.certificate],
        method=f.ECDSA_SHA256,
    )


def key_info_subject_name_of_victim(pki: FixturePKI) -> bytes:
    def name(sig: etree._Element) -> None:
        data = f.one(sig, f".//{f.q('X509Data')}")
        etree.SubElement(
            data, f.q("X509SubjectName")
        ).text = pki.agency.certificate.subject.rfc4514_string()

    return f.forge(
        envelope(),
        key=pki.stranger_root.key,
        certificates=[pki.stranger_root.certificate],
        method=f.ECDSA_SHA256,
        after_signing=name,
    )


def key_value_of_other_key(pki: FixturePKI) -> bytes:
    def value(sig: etree._Element) -> None:
        key = pki.person.certificate.public_key()
        assert isinstance(key, rsa.RSAPublicKey)
        numbers = key.public_numbers()
        kv = etree.SubElement(f.one(sig, f.q("KeyInfo")), f.q("KeyValue"))
        rsa_kv = etree.SubElement(kv, f.q("RSAKeyValue"))
        etree.SubElement(rsa_kv, f.q("Modulus")).text = base64.b64encode(
            numbers.n.to_bytes(256, "big")
        ).decode()
        etree.SubElement(rsa_kv, f.q("Exponent")).text = "AQAB"

    return _agency(pki, after_signing=value)


def no_key_info(pki: FixturePKI) -> bytes:
    def drop(sig: etree._Element) -> None:
        sig.remove(f.one(sig, f.q("KeyInfo")))

    return _agency(pki, after_signing=drop)


def two_unrelated_certificates(pki: FixturePKI) -> bytes:
    return f.forge(
        envelope(),
        key=pki.agency.key,
        certificates=[pki.agency.certificate, pki.person.certificate],
    )


def retrieval_method(pki: FixturePKI) -> bytes:
    def fetch(sig: etree._Element) -> None:
        etree.SubElement(
            f.one(sig, f.q("KeyInfo")),
            f.q("RetrievalMethod"),
            URI="http://attacker.invalid/key",
        )

    return _agency(pki, after_signing=fetch)


def garbage_certificate(pki: FixturePKI) -> bytes:
    def junk(sig: etree._Element) -> None:
        f.one(sig, f".//{f.q('X509Certificate')}").text = "MIIFqTCCBJG"

    return _agency(pki, after_signing=junk)


def no_signing_key_usage(pki: FixturePKI) -> bytes:
    return sign_envelope(envelope(), pki.no_signing_usage.signer())


def untrusted_self_signed(pki: FixturePKI) -> bytes:
    return f.forge(
        envelope(subject="Tự ký"),
        key=pki.stranger_root.key,
        certificates=[pki.stranger_root.certificate],
        method=f.ECDSA_SHA256,
    )


# --- truncation and encoding -----------------------------------------------------------------
def truncated_signature_value(pki: FixturePKI) -> bytes:
    def cut(root: etree._Element) -> None:
        value = f.one(_sig(root), f.q("SignatureValue"))
        raw = base64.b64decode(value.text or "")
        value.text = base64.b64encode(raw[:128]).decode()

    return _edit(_signed(pki), cut)


def truncated_digest_value(pki: FixturePKI) -> bytes:
    def cut(root: etree._Element) -> None:
        value = f.one(_sig(root), f".//{f.q('DigestValue')}")
        value.text = base64.b64encode(b"\x00" * 20).decode()

    return _edit(_signed(pki), cut)


def bad_base64(pki: FixturePKI) -> bytes:
    def junk(root: etree._Element) -> None:
        f.one(_sig(root), f.q("SignatureValue")).text = "[BASE64 ELIDED: 344 chars]"

    return _edit(_signed(pki), junk)


def empty_input(pki: FixturePKI) -> bytes:
    return b""


def not_xml(pki: FixturePKI) -> bytes:
    return b"%PDF-1.7 this is not an envelope"


# --- parser attacks ----------------------------------------------------------------------------
def entity_in_signature(pki: FixturePKI) -> bytes:
    signed = _signed(pki)
    start = signed.index(b"<DigestValue>") + len(b"<DigestValue>")
    end = signed.index(b"</DigestValue>")
    doctype = b'<!DOCTYPE edXML [<!ENTITY d "' + signed[start:end] + b'">]>\n'
    body = signed[:start] + b"&d;" + signed[end:]
    return body.replace(b"?>\n", b"?>\n" + doctype, 1)


def billion_laughs(pki: FixturePKI) -> bytes:
    entities = "".join(
        f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" if i else "lol"}'
        + f'{("&l" + str(i - 1) + ";") * 9 if i else ""}">'
        for i in range(10)
    )
    return f"<!DOCTYPE edXML [{entities}]><edXML>&l9;</edXML>".encode()


def external_entity(pki: FixturePKI) -> bytes:
    return (
        _signed(pki)
        .replace(b"?>\n", b'?>\n<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', 1)
        .replace(
            b"<edXML:OrganId>000.00.00.H99</edXML:OrganId>",
            b"<edXML:OrganId>&x;</edXML:OrganId>",
            1,
        )
    )


def deep_nesting(pki: FixturePKI) -> bytes:
    return b"<a>" * 100_000 + b"</a>" * 100_000


def huge_input(pki: FixturePKI) -> bytes:
    return b"<edXML>" + b" " * (64 * 1024 * 1024) + b"</edXML>"


def namespace_bomb(pki: FixturePKI) -> bytes:
    decls = " ".join(f'xmlns:p{i}="urn:x:{i}"' for i in range(2000))
    signed = _signed(pki)
    return signed.replace(b"<edXML:MessageHeader>", f"<edXML:MessageHeader {decls}>".encode(), 1)


CASES: list[tuple[Make, Indication, SubIndication, str]] = [
    (xsw_signature_moved_to_root, F, S.FORMAT_FAILURE, "signatures.no_signature"),
    (xsw_second_envelope, F, S.FORMAT_FAILURE, "signatures.format.location"),
    (xsw_original_in_object, F, S.FORMAT_FAILURE, ""),
    (xsw_content_changed, F, S.HASH_FAILURE, "signatures.digest_mismatch"),
    (xsw_signature_transplanted, F, S.HASH_FAILURE, "signatures.digest_mismatch"),
    (xsw_extra_unsigned_element_after_signature, F, S.FORMAT_FAILURE, "signatures.format.not_last"),
    (xsw_signature_in_body, F, S.FORMAT_FAILURE, "signatures.format.misplaced"),
    (xsw_duplicate_header, F, S.FORMAT_FAILURE, "signatures.format.location"),
    (xsw_other_root, F, S.FORMAT_FAILURE, "signatures.format.location"),
    (reference_to_element, F, S.FORMAT_FAILURE, "signatures.format.reference_uri"),
    (duplicate_ids, F, S.FORMAT_FAILURE, "signatures.format.reference_uri"),
    (missing_reference_uri, F, S.FORMAT_FAILURE, "signatures.format.reference_uri"),
    (two_references, F, S.FORMAT_FAILURE, "signatures.format.reference_count"),
    (several_signed_info, F, S.FORMAT_FAILURE, "signatures.format.signed_info_count"),
    (xpath_transform, F, S.FORMAT_FAILURE, "signatures.format.transforms"),
    (no_enveloped_transform, F, S.FORMAT_FAILURE, "signatures.format.transforms"),
    (object_in_signature, F, S.FORMAT_FAILURE, "signatures.format.structure"),
    (foreign_namespace_signature, F, S.FORMAT_FAILURE, "signatures.format.namespace"),
    (comment_injection, F, S.FORMAT_FAILURE, "signatures.format.unsigned_markup"),
    (processing_instruction, F, S.FORMAT_FAILURE, "signatures.format.unsigned_markup"),
    (whitespace_change, F, S.HASH_FAILURE, "signatures.digest_mismatch"),
    (hmac_with_public_key, F, S.SIG_CRYPTO_FAILURE, "signatures.hmac_refused"),
    (hmac_output_length, F, S.SIG_CRYPTO_FAILURE, "signatures.hmac_refused"),
    (sha1_downgrade, F, S.CRYPTO_CONSTRAINTS_FAILURE, "signatures.weak.signature_method"),
    (md5_digest, F, S.CRYPTO_CONSTRAINTS_FAILURE, "signatures.weak.digest_method"),
    (unknown_signature_method, F, S.FORMAT_FAILURE, "signatures.format.signature_method"),
    (ecdsa_method_with_rsa_key, F, S.SIG_CRYPTO_FAILURE, "signatures.signature_value"),
    (weak_rsa_key, F, S.CRYPTO_CONSTRAINTS_FAILURE, "signatures.weak.rsa_key"),
    (unknown_c14n, F, S.FORMAT_FAILURE, "signatures.format.c14n"),
    (key_info_substitution, IND, S.NO_CERTIFICATE_CHAIN_FOUND, "signatures.chain.not_found"),
    (
        key_info_subject_name_of_victim,
        IND,
        S.NO_SIGNING_CERTIFICATE_FOUND,
        "signatures.key_info.mismatch",
    ),
    (
        key_value_of_other_key,
        IND,
        S.NO_SIGNING_CERTIFICATE_FOUND,
        "signatures.key_info.key_value_mismatch",
    ),
    (no_key_info, IND, S.NO_SIGNING_CERTIFICATE_FOUND, "signatures.key_info.missing"),
    (
        two_unrelated_certificates,
        IND,
        S.NO_SIGNING_CERTIFICATE_FOUND,
        "signatures.key_info.signing_certificate",
    ),
    (retrieval_method, F, S.FORMAT_FAILURE, "signatures.format.retrieval_method"),
    (garbage_certificate, F, S.FORMAT_FAILURE, "signatures.format.base64"),
    (no_signing_key_usage, IND, S.CHAIN_CONSTRAINTS_FAILURE, "signatures.certificate.key_usage"),
    (untrusted_self_signed, IND, S.NO_CERTIFICATE_CHAIN_FOUND, "signatures.chain.not_found"),
    (truncated_signature_value, F, S.SIG_CRYPTO_FAILURE, "signatures.signature_value"),
    (truncated_digest_value, F, S.FORMAT_FAILURE, "signatures.format.digest_length"),
    (bad_base64, F, S.FORMAT_FAILURE, "signatures.format.base64"),
    (empty_input, F, S.FORMAT_FAILURE, "signatures.xml.syntax"),
    (not_xml, F, S.FORMAT_FAILURE, "signatures.xml.syntax"),
    (entity_in_signature, F, S.FORMAT_FAILURE, "signatures.xml.doctype"),
    (billion_laughs, F, S.FORMAT_FAILURE, ""),
    (external_entity, F, S.FORMAT_FAILURE, "signatures.xml.doctype"),
    (deep_nesting, F, S.FORMAT_FAILURE, "signatures.xml.syntax"),
    (huge_input, F, S.FORMAT_FAILURE, "signatures.xml.too_large"),
    (namespace_bomb, F, S.FORMAT_FAILURE, "signatures.xml.namespaces"),
]


def _codes(report: ValidationReport) -> set[str]:
    codes = {x.code for x in report.findings}
    for s in report.signatures:
        codes |= {x.code for x in s.findings}
    return codes


@pytest.mark.parametrize(
    ("make", "indication", "sub", "code"), CASES, ids=[c[0].__name__ for c in CASES]
)
def test_attack(
    pki: FixturePKI, make: Make, indication: Indication, sub: SubIndication, code: str
) -> None:
    data = make(pki)
    report = verify(data, trust=pki.trust_store(), revocation=pki.revocation())
    assert not report.passed
    assert report.signed_content is None
    assert (report.indication, report.sub_indication) == (indication, sub), report.to_text()
    if code:
        assert code in _codes(report), report.to_text()
    report.to_json()  # every report serialises


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


def test_sha1_under_legacy_policy_is_indeterminate(pki: FixturePKI) -> None:
    report = verify(
        sha1_downgrade(pki),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        policy=LEGACY_POLICY,
    )
    assert report.indication is Indication.INDETERMINATE
    assert report.sub_indication is SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE


def test_hmac_refused_even_under_legacy_policy(pki: FixturePKI) -> None:
    report = verify(
        hmac_with_public_key(pki),
        trust=pki.trust_store(),
        revocation=pki.revocation(),
        policy=LEGACY_POLICY,
    )
    assert report.indication is Indication.TOTAL_FAILED
    assert report.sub_indication is SubIndication.SIG_CRYPTO_FAILURE


def test_forge_helper_makes_valid_signatures(pki: FixturePKI) -> None:
    # The corpus is meaningful only if an unmodified forged signature passes.
    report = verify(_agency(pki), trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
