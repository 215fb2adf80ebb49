"""Sign and verify a 50 KB Vietnamese edXML envelope (RSA-2048, SHA-256) against signxml.

Also times the raw steps (safe parse, exclusive C14N, SHA-256, RSA) as the floor no XML-DSig
implementation can beat. Aim (issue 5): at least 2× faster than signxml for both.
Both sides verify cryptography only with a pinned/known certificate; egovkit's verify here also
builds the chain and checks a CRL, which signxml does not.
"""

from __future__ import annotations

import hashlib

from _harness import Comparison, best_of
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from egovkit.signatures import sign_envelope, verify
from egovkit.signatures._xml import parse_untrusted
from egovkit.testing.pki import FixturePKI

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"


def envelope(size: int) -> bytes:
    """An envelope of about ``size`` bytes, full of Vietnamese text."""
    item = (
        "<edXML:Reference><edXML:ContentId>cid:{i}</edXML:ContentId>"
        "<edXML:Description>Quyết định số {i}/QĐ-UBND về việc phê duyệt kế hoạch chuyển đổi số "
        "năm 2026 của Ủy ban nhân dân tỉnh Thử Nghiệm</edXML:Description>"
        "<edXML:AttachmentName>quyet-dinh-{i}.pdf</edXML:AttachmentName></edXML:Reference>\n"
    )
    parts: list[str] = []
    total = 0
    i = 0
    while total < size - 1200:
        text = item.format(i=i)
        parts.append(text)
        total += len(text.encode())
        i += 1
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:Subject>V/v kết nối, liên thông phần mềm quản lý văn bản</edXML:Subject>
</edXML:MessageHeader></edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest version="1.0">
{"".join(parts)}</edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope></edXML>
""".encode()


def _rsa_private(key: object) -> rsa.RSAPrivateKey:
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _rsa_public(key: object) -> rsa.RSAPublicKey:
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def run(quick: bool) -> list[Comparison]:
    from signxml.algorithms import SignatureConstructionMethod
    from signxml.signer import XMLSigner
    from signxml.verifier import XMLVerifier

    pki = FixturePKI.create()
    cred = pki.agency
    data = envelope(5_000 if quick else 50_000)
    repeat, number = (2, 3) if quick else (7, 30)
    signer = cred.signer()
    cert_pem = cred.cert_pem().decode()
    chain = [cert_pem, pki.intermediate.cert_pem().decode()]
    trust = pki.trust_store()
    revocation = pki.revocation()

    def ours_sign() -> bytes:
        return sign_envelope(data, signer)

    def peer_sign() -> bytes:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
        header = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader")
        assert header is not None
        etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder")
        out = XMLSigner(
            method=SignatureConstructionMethod.enveloped,
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
        ).sign(root, key=cred.key, cert=chain)
        return etree.tostring(out, encoding="UTF-8")

    signed = ours_sign()
    assert verify(signed, trust=trust, revocation=revocation).passed
    peer_signed = peer_sign()

    def ours_verify() -> object:
        report = verify(signed, trust=trust, revocation=revocation)
        assert report.passed
        return report

    def peer_verify() -> object:
        return XMLVerifier().verify(peer_signed, x509_cert=cert_pem, expect_references=1)

    def floor_sign() -> bytes:
        tree = parse_untrusted(data)
        content = etree.tostring(tree, method="c14n", exclusive=True)
        hashlib.sha256(content).digest()
        return private.sign(content[:600], padding.PKCS1v15(), hashes.SHA256())

    private = _rsa_private(cred.key)
    public = _rsa_public(cred.certificate.public_key())
    signature = floor_sign()

    def floor_verify() -> None:
        tree = parse_untrusted(data)
        content = etree.tostring(tree, method="c14n", exclusive=True)
        hashlib.sha256(content).digest()
        public.verify(signature, content[:600], padding.PKCS1v15(), hashes.SHA256())

    size = f"{len(data) // 1000} KB"
    functions = {
        "ours_sign": ours_sign,
        "peer_sign": peer_sign,
        "ours_verify": ours_verify,
        "peer_verify": peer_verify,
        "floor_sign": floor_sign,
        "floor_verify": floor_verify,
    }
    # Rounds interleave ours, the peer and the floor, so a burst of load on this shared machine
    # hits all of them alike; each keeps its best round.
    t = dict.fromkeys(functions, float("inf"))
    for _ in range(repeat):
        for name, fn in functions.items():
            t[name] = min(t[name], best_of(fn, repeat=1, number=number))
    return [
        Comparison(
            f"XML-DSig sign, {size}, RSA-2048",
            t["ours_sign"],
            "signxml 5 sign",
            t["peer_sign"],
            target="≤ 0.5 (2× faster)",
            met=t["ours_sign"] <= 0.5 * t["peer_sign"],
        ),
        Comparison(
            f"XML-DSig verify, {size}, RSA-2048",
            t["ours_verify"],
            "signxml 5 verify (pinned)",
            t["peer_verify"],
            target="≤ 0.5 (2× faster)",
            met=t["ours_verify"] <= 0.5 * t["peer_verify"],
            notes="ours also builds the chain and checks CRLs",
        ),
        Comparison(
            f"sign vs raw steps, {size}",
            t["ours_sign"],
            "parse+C14N+SHA-256+RSA sign",
            t["floor_sign"],
            target="≤ 2 (within 2× of the floor)",
            met=t["ours_sign"] <= 2 * t["floor_sign"],
            notes="the floor",
        ),
        Comparison(
            f"verify vs raw steps, {size}",
            t["ours_verify"],
            "parse+C14N+SHA-256+RSA verify",
            t["floor_verify"],
            target="≤ 2 (within 2× of the floor)",
            met=t["ours_verify"] <= 2 * t["floor_verify"],
            notes="the floor",
        ),
    ]
