"""Hand-made XML-DSig signatures for the attack corpus, built without egovkit's signer.

Everything an attacker controls is a parameter, so a case changes exactly one thing and the
rest (digest, signature value) is computed correctly.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac as hmac_module
from collections.abc import Callable, Sequence
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
ENVELOPED = DS + "enveloped-signature"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = DS + "rsa-sha1"
RSA_MD5 = "http://www.w3.org/2001/04/xmldsig-more#rsa-md5"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
HMAC_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA1 = DS + "sha1"
MD5 = "http://www.w3.org/2001/04/xmldsig-more#md5"

_HASH = {SHA256: hashlib.sha256, SHA1: hashlib.sha1, MD5: hashlib.md5}
_SIG_HASH: dict[str, hashes.HashAlgorithm] = {
    RSA_SHA256: hashes.SHA256(),
    RSA_SHA1: hashes.SHA1(),
    RSA_MD5: hashes.MD5(),
    ECDSA_SHA256: hashes.SHA256(),
}


def one(node: etree._Element, path: str) -> etree._Element:
    """The element at ``path`` below ``node`` (the test fails if it is missing)."""
    found = node.find(path)
    assert found is not None, path
    return found


def q(local: str) -> str:
    return f"{{{DS}}}{local}"


def forge(
    data: bytes,
    *,
    key: object,
    certificates: Sequence[x509.Certificate],
    method: str = RSA_SHA256,
    digest: str = SHA256,
    uri: str | None = "",
    transforms: Sequence[str] = (ENVELOPED, EXC),
    parent_path: str = f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader",
    before_digest: Callable[[etree._Element], None] | None = None,
    before_signing: Callable[[etree._Element], None] | None = None,
    after_signing: Callable[[etree._Element], None] | None = None,
) -> bytes:
    """Sign ``data`` by hand; the hooks change the Signature at each stage."""
    root = etree.fromstring(data)
    parent = root if parent_path == "." else root.find(parent_path)
    assert parent is not None
    namespaces: Any = {None: DS}
    signature = etree.SubElement(parent, q("Signature"), nsmap=namespaces)
    signed_info = etree.SubElement(signature, q("SignedInfo"))
    etree.SubElement(signed_info, q("CanonicalizationMethod"), Algorithm=EXC)
    etree.SubElement(signed_info, q("SignatureMethod"), Algorithm=method)
    reference = etree.SubElement(signed_info, q("Reference"))
    if uri is not None:
        reference.set("URI", uri)
    chain = etree.SubElement(reference, q("Transforms"))
    for t in transforms:
        etree.SubElement(chain, q("Transform"), Algorithm=t)
    etree.SubElement(reference, q("DigestMethod"), Algorithm=digest)
    digest_value = etree.SubElement(reference, q("DigestValue"))
    value = etree.SubElement(signature, q("SignatureValue"))
    key_info = etree.SubElement(signature, q("KeyInfo"))
    x509_data = etree.SubElement(key_info, q("X509Data"))
    for c in certificates:
        etree.SubElement(x509_data, q("X509Certificate")).text = base64.b64encode(
            c.public_bytes(serialization.Encoding.DER)
        ).decode()
    if before_digest:
        before_digest(signature)
    # Enveloped transform on a copy: drop the Signature (it has no tail here).
    doc = copy.deepcopy(root)
    for s in doc.iter(q("Signature")):
        holder = s.getparent()
        if holder is not None and s.find(q("SignedInfo")) is not None:
            holder.remove(s)
            break
    content = etree.tostring(doc.getroottree(), method="c14n", exclusive=True, with_comments=False)
    digest_value.text = base64.b64encode(
        _HASH.get(digest, hashlib.sha256)(content).digest()
    ).decode()
    if before_signing:
        before_signing(signature)
    signed = etree.tostring(signed_info, method="c14n", exclusive=True)
    value.text = base64.b64encode(_sign(key, method, signed)).decode()
    if after_signing:
        after_signing(signature)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def _sign(key: object, method: str, data: bytes) -> bytes:
    if "hmac" in method:
        assert isinstance(key, bytes)
        return hmac_module.new(key, data, hashlib.sha256).digest()
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), _SIG_HASH.get(method, hashes.SHA256()))
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")
