"""Enveloped XML-DSig: make one signature, and check one signature cryptographically.

Low level (trust, chains and revocation are in :mod:`egovkit.signatures.validation`). The
checks follow the XSW defences: SignedInfo is canonicalised once and parsed back, and only that
parsed copy is read; references must be exactly the profile's; HMAC is refused; the key comes
from the one certificate KeyInfo identifies, and every other KeyInfo hint must agree with it.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Sequence
from typing import Any, cast

import attrs
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from lxml import etree

from egovkit.errors import PolicyError, SignatureError
from egovkit.findings import Finding
from egovkit.signatures._certs import issuer_der, load_der_certificate, subject_der
from egovkit.signatures._xml import (
    DSIG11_NS,
    DSIG_NS,
    EXC_C14N_NS,
    canonicalize,
    detached,
    is_element,
    parse_untrusted,
)
from egovkit.signatures.algorithms import (
    C14N_METHODS,
    DIGEST_URIS,
    ENVELOPED,
    EXC_C14N,
    SIGNATURE_METHODS,
    DigestAlgorithm,
    SignatureScheme,
    is_hmac,
    signature_method,
)
from egovkit.signatures.policy import ValidationPolicy
from egovkit.signatures.profile import SignatureProfile
from egovkit.signatures.report import AlgorithmInfo, Indication, SubIndication, key_text
from egovkit.signatures.signer import Signer, pss_padding
from egovkit.signatures.trust import Problem, key_problems

_STRONG_FOR_SIGNING = {DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512}


def _q(local: str, namespace: str = DSIG_NS) -> str:
    return f"{{{namespace}}}{local}"


def signature_elements(parent: etree._Element) -> list[etree._Element]:
    """The children of ``parent`` named ``Signature`` (in any namespace, to report foreign ones)."""
    return [c for c in parent if is_element(c) and etree.QName(c).localname == "Signature"]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _raw_ecdsa(der: bytes, key: ec.EllipticCurvePublicKey) -> bytes:
    r, s = decode_dss_signature(der)
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def sign_tree(
    tree: etree._ElementTree,
    signer: Signer,
    *,
    profile: SignatureProfile,
    digest: DigestAlgorithm = DigestAlgorithm.SHA256,
    canonicalization: str = EXC_C14N,
) -> etree._Element:
    """Append an enveloped signature to ``tree`` in place (low level); returns the Signature."""
    if digest not in _STRONG_FOR_SIGNING:
        raise PolicyError(
            f"egovkit does not sign with {digest.value} (SHA-256, SHA-384, SHA-512 only)",
            code="signatures.sign.weak_digest",
        )
    if canonicalization not in C14N_METHODS or C14N_METHODS[canonicalization][1]:
        raise SignatureError(
            f"unsupported canonicalisation {canonicalization!r}", code="signatures.sign.c14n"
        )
    exclusive = C14N_METHODS[canonicalization][0]
    root = tree.getroot()
    parent = profile.signature_parent(root)
    if parent is None:
        raise SignatureError(
            f"the document has no {profile.location_text} to hold the signature",
            code="signatures.sign.no_location",
            where=profile.location_text,
        )
    existing = signature_elements(parent)
    if len(existing) >= profile.max_signatures:
        raise SignatureError(
            f"the document already carries {len(existing)} signatures",
            code="signatures.sign.too_many",
        )
    method = signature_method(signer.scheme, digest)
    certificate = signer.certificate
    namespaces: Any = {profile.dsig_prefix: DSIG_NS}
    signature = etree.Element(_q("Signature"), nsmap=namespaces)
    signed_info = etree.SubElement(signature, _q("SignedInfo"))
    etree.SubElement(signed_info, _q("CanonicalizationMethod"), Algorithm=canonicalization)
    etree.SubElement(signed_info, _q("SignatureMethod"), Algorithm=method.uri)
    reference = etree.SubElement(signed_info, _q("Reference"), URI="")
    transforms = etree.SubElement(reference, _q("Transforms"))
    etree.SubElement(transforms, _q("Transform"), Algorithm=ENVELOPED)
    etree.SubElement(transforms, _q("Transform"), Algorithm=canonicalization)
    etree.SubElement(reference, _q("DigestMethod"), Algorithm=digest.uri)
    digest_value = etree.SubElement(reference, _q("DigestValue"))
    signature_value = etree.SubElement(signature, _q("SignatureValue"))
    x509_data = etree.SubElement(etree.SubElement(signature, _q("KeyInfo")), _q("X509Data"))
    for cert in (certificate, *signer.chain):
        etree.SubElement(x509_data, _q("X509Certificate")).text = _b64(
            cert.public_bytes(Encoding.DER)
        )

    children = list(parent)
    # The signature and its tail are the only text added, so removing both restores the bytes
    # an earlier signature covered.
    last_tail = children[-1].tail if children else None
    signature.tail = last_tail if last_tail and not last_tail.strip() else None
    parent.append(signature)
    with detached((), (signature,)):
        content = canonicalize(tree, exclusive=exclusive)
    hasher = digest.hash()
    h = hashes.Hash(hasher)
    h.update(content)
    digest_value.text = _b64(h.finalize())
    signed_bytes = canonicalize(signed_info, exclusive=exclusive)
    try:
        raw = signer.sign_raw(signed_bytes, digest)
    except Exception:
        parent.remove(signature)
        raise
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        raw = _raw_ecdsa(raw, key)
    # A signer port implemented elsewhere (a token, a remote service) is checked, not trusted.
    why = _verify_value(certificate, method.scheme, digest, raw, signed_bytes)
    if why is not None:
        parent.remove(signature)
        raise SignatureError(
            f"the signer returned a signature that does not verify: {why}",
            code="signatures.sign.bad_signature",
        )
    signature_value.text = _b64(raw)
    return signature


def sign_document(
    data: bytes,
    signer: Signer,
    *,
    profile: SignatureProfile,
    digest: DigestAlgorithm = DigestAlgorithm.SHA256,
    canonicalization: str = EXC_C14N,
) -> bytes:
    """Parse ``data`` safely, append a signature per ``profile``, serialise as UTF-8."""
    tree = parse_untrusted(data)
    sign_tree(tree, signer, profile=profile, digest=digest, canonicalization=canonicalization)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


@attrs.frozen(kw_only=True)
class CoreCheck:
    """What the XML-DSig layer found about one signature (no trust decisions yet)."""

    algorithms: AlgorithmInfo | None = None
    certificates: tuple[x509.Certificate, ...] = ()
    signing_certificate: x509.Certificate | None = None
    problems: tuple[Problem, ...] = ()
    notes: tuple[Finding, ...] = ()
    signed_content: bytes | None = None

    @property
    def fatal(self) -> bool:
        """True when no signed content was established."""
        return self.signed_content is None


class _StopError(Exception):
    """Internal: a fatal problem ends the check of one signature."""


class _Checker:
    def __init__(self, policy: ValidationPolicy, where: str) -> None:
        self.policy = policy
        self.where = where
        self.problems: list[Problem] = []
        self.notes: list[Finding] = []

    def add(
        self, indication: Indication, sub: SubIndication, code: str, message: str, where: str = ""
    ) -> None:
        self.problems.append(
            Problem(
                indication=indication,
                sub_indication=sub,
                finding=Finding(
                    code=f"signatures.{code}", where=where or self.where, message=message
                ),
            )
        )

    def stop(
        self,
        sub: SubIndication,
        code: str,
        message: str,
        *,
        indication: Indication = Indication.TOTAL_FAILED,
    ) -> _StopError:
        self.add(indication, sub, code, message)
        return _StopError()

    def fmt(self, code: str, message: str) -> _StopError:
        return self.stop(SubIndication.FORMAT_FAILURE, f"format.{code}", message)

    def weak(self, code: str, message: str) -> None:
        self.add(
            self.policy.weak_indication, self.policy.weak_sub_indication, f"weak.{code}", message
        )


def _elements(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if is_element(c)]


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def _decode(text: str | None, checker: _Checker, what: str) -> bytes:
    compact = "".join((text or "").split())
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise checker.fmt("base64", f"{what} is not valid base64") from None


def _algorithm(node: etree._Element, checker: _Checker, what: str) -> str:
    uri = node.get("Algorithm")
    if not uri:
        raise checker.fmt("algorithm_missing", f"{what} has no Algorithm")
    return uri


def _names_match(text: str, certificate: x509.Certificate) -> bool:
    try:
        return x509.Name.from_rfc4514_string(text.strip()) == certificate.subject
    except ValueError:
        normal = "".join(text.split()).casefold()
        return normal == "".join(certificate.subject.rfc4514_string().split()).casefold()


def _key_info(
    signature: etree._Element, ns: str, checker: _Checker
) -> tuple[tuple[x509.Certificate, ...], x509.Certificate]:
    key_infos = [c for c in _elements(signature) if c.tag == f"{{{ns}}}KeyInfo"]
    if not key_infos:
        raise checker.stop(
            SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
            "key_info.missing",
            "the signature has no KeyInfo with the signing certificate",
            indication=Indication.INDETERMINATE,
        )
    certificates: list[x509.Certificate] = []
    hints: list[etree._Element] = []
    key_values: list[etree._Element] = []
    for child in _elements(key_infos[0]):
        name = _local(child)
        if child.tag == f"{{{ns}}}X509Data":
            for item in _elements(child):
                item_name = _local(item)
                if item.tag == f"{{{ns}}}X509Certificate":
                    der = _decode(item.text, checker, "X509Certificate")
                    try:
                        certificates.append(load_der_certificate(der))
                    except ValueError:
                        raise checker.fmt(
                            "bad_certificate", "an X509Certificate cannot be read"
                        ) from None
                elif item.tag in {
                    f"{{{ns}}}X509SubjectName",
                    f"{{{ns}}}X509IssuerSerial",
                    f"{{{ns}}}X509SKI",
                }:
                    hints.append(item)
                elif item.tag == f"{{{ns}}}X509CRL":
                    continue
                else:
                    raise checker.fmt("key_info", f"X509Data holds an unexpected {item_name}")
        elif child.tag == f"{{{ns}}}KeyValue":
            key_values.append(child)
        elif child.tag == f"{{{ns}}}KeyName":
            continue
        elif name == "RetrievalMethod":
            raise checker.fmt(
                "retrieval_method", "KeyInfo/RetrievalMethod is refused (nothing is fetched)"
            )
        else:
            raise checker.fmt("key_info", f"KeyInfo holds an unexpected {name}")
    unique: list[x509.Certificate] = []
    for certificate in certificates:
        if not any(certificate == u for u in unique):
            unique.append(certificate)
    ends = [
        c for c in unique if not any(o is not c and issuer_der(o) == subject_der(c) for o in unique)
    ]
    if len(ends) != 1:
        raise checker.stop(
            SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
            "key_info.signing_certificate",
            "KeyInfo does not identify exactly one signing certificate "
            f"({len(unique)} certificate(s), {len(ends)} candidate(s))",
            indication=Indication.INDETERMINATE,
        )
    signing = ends[0]
    for hint in hints:
        if not _hint_matches(hint, ns, unique):
            raise checker.stop(
                SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
                "key_info.mismatch",
                f"KeyInfo/{_local(hint)} names a certificate that is not in KeyInfo",
                indication=Indication.INDETERMINATE,
            )
    for key_value in key_values:
        if not _key_value_matches(key_value, ns, signing, checker):
            raise checker.stop(
                SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
                "key_info.key_value_mismatch",
                "KeyInfo/KeyValue is not the signing certificate's public key",
                indication=Indication.INDETERMINATE,
            )
    return tuple(unique), signing


def _hint_matches(hint: etree._Element, ns: str, certificates: Sequence[x509.Certificate]) -> bool:
    name = _local(hint)
    if name == "X509SubjectName":
        return any(_names_match(hint.text or "", c) for c in certificates)
    if name == "X509SKI":
        wanted = "".join((hint.text or "").split())
        for c in certificates:
            try:
                ski = c.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
            except x509.ExtensionNotFound:
                continue
            if _b64(ski) == wanted:
                return True
        return False
    issuer = hint.find(f"{{{ns}}}X509IssuerName")
    serial = hint.find(f"{{{ns}}}X509SerialNumber")
    if issuer is None or serial is None:
        return False
    try:
        number = int((serial.text or "").strip())
    except ValueError:
        return False
    return any(
        c.serial_number == number and _issuer_match(issuer.text or "", c) for c in certificates
    )


def _issuer_match(text: str, certificate: x509.Certificate) -> bool:
    try:
        return x509.Name.from_rfc4514_string(text.strip()) == certificate.issuer
    except ValueError:
        return (
            "".join(text.split()).casefold()
            == "".join(certificate.issuer.rfc4514_string().split()).casefold()
        )


def _key_value_matches(
    node: etree._Element, ns: str, certificate: x509.Certificate, checker: _Checker
) -> bool:
    key = certificate.public_key()
    children = _elements(node)
    if len(children) != 1:
        return False
    value = children[0]
    if value.tag == f"{{{ns}}}RSAKeyValue" and isinstance(key, rsa.RSAPublicKey):
        modulus = value.find(f"{{{ns}}}Modulus")
        exponent = value.find(f"{{{ns}}}Exponent")
        if modulus is None or exponent is None:
            return False
        numbers = key.public_numbers()
        n = int.from_bytes(_decode(modulus.text, checker, "Modulus"), "big")
        e = int.from_bytes(_decode(exponent.text, checker, "Exponent"), "big")
        return (n, e) == (numbers.n, numbers.e)
    if value.tag == f"{{{DSIG11_NS}}}ECKeyValue" and isinstance(key, ec.EllipticCurvePublicKey):
        point = value.find(f"{{{DSIG11_NS}}}PublicKey")
        if point is None:
            return False
        expected = key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return _decode(point.text, checker, "PublicKey") == expected
    return False


def _verify_value(
    certificate: x509.Certificate,
    scheme: SignatureScheme,
    digest: DigestAlgorithm,
    value: bytes,
    data: bytes,
) -> str | None:
    """``None`` when the signature verifies, else why not."""
    key = certificate.public_key()
    try:
        if scheme in {SignatureScheme.RSA_PKCS1V15, SignatureScheme.RSA_PSS}:
            if not isinstance(key, rsa.RSAPublicKey):
                return "an RSA signature method with a non-RSA certificate"
            pad: padding.AsymmetricPadding = (
                padding.PKCS1v15()
                if scheme is SignatureScheme.RSA_PKCS1V15
                else pss_padding(digest)
            )
            key.verify(value, data, pad, digest.hash())
            return None
        if not isinstance(key, ec.EllipticCurvePublicKey):
            return "an ECDSA signature method with a non-EC certificate"
        size = (key.curve.key_size + 7) // 8
        if len(value) != 2 * size:
            return f"ECDSA value of {len(value)} bytes, expected {2 * size}"
        der = encode_dss_signature(
            int.from_bytes(value[:size], "big"), int.from_bytes(value[size:], "big")
        )
        key.verify(der, data, ec.ECDSA(digest.hash()))
        return None
    except InvalidSignature:
        return "the signature value does not verify with the certificate's key"
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        return f"the signature value cannot be checked: {exc}"


def check_signature(
    tree: etree._ElementTree,
    signature: etree._Element,
    *,
    later: Sequence[etree._Element],
    profile: SignatureProfile,
    policy: ValidationPolicy,
    where: str,
) -> CoreCheck:
    """Check one signature's form, digest and value; ``later`` signatures are set aside first."""
    checker = _Checker(policy, where)
    info: dict[str, object] = {}
    try:
        signed_content, certificates, signing = _check(
            tree, signature, later, profile, checker, info
        )
    except _StopError:
        return CoreCheck(
            algorithms=_info(info),
            certificates=info.get("certificates", ()),  # type: ignore[arg-type]
            signing_certificate=info.get("signing"),  # type: ignore[arg-type]
            problems=tuple(checker.problems),
            notes=tuple(checker.notes),
        )
    return CoreCheck(
        algorithms=_info(info),
        certificates=certificates,
        signing_certificate=signing,
        problems=tuple(checker.problems),
        notes=tuple(checker.notes),
        signed_content=signed_content,
    )


def _info(info: dict[str, object]) -> AlgorithmInfo | None:
    if "signature_method" not in info:
        return None
    return AlgorithmInfo(
        signature_method=str(info["signature_method"]),
        digest_methods=tuple(cast("list[str]", info.get("digest_methods", []))),
        canonicalization=str(info.get("canonicalization", "")),
        transforms=tuple(cast("list[tuple[str, ...]]", info.get("transforms", []))),
        key=cast("str | None", info.get("key")),
    )


def _read_algorithms_leniently(signature: etree._Element, ns: str, info: dict[str, object]) -> None:
    """Note the algorithms of a signature that will fail on form, so the report still shows them."""
    signed_info = signature.find(f"{{{ns}}}SignedInfo")
    if signed_info is None:
        return
    c14n = signed_info.find(f"{{{ns}}}CanonicalizationMethod")
    method = signed_info.find(f"{{{ns}}}SignatureMethod")
    info["canonicalization"] = c14n.get("Algorithm", "") if c14n is not None else ""
    info["signature_method"] = method.get("Algorithm", "") if method is not None else ""
    info["digest_methods"] = [
        d.get("Algorithm", "")
        for d in signed_info.iterfind(f"{{{ns}}}Reference/{{{ns}}}DigestMethod")
    ]
    info["transforms"] = [
        tuple(t.get("Algorithm", "") for t in r.iterfind(f"{{{ns}}}Transforms/{{{ns}}}Transform"))
        for r in signed_info.iterfind(f"{{{ns}}}Reference")
    ]


def _weak_checks(info: dict[str, object], checker: _Checker) -> None:
    method = SIGNATURE_METHODS.get(str(info.get("signature_method", "")))
    if method is not None and method.digest in checker.policy.weak_digests:
        checker.weak("signature_method", f"signature method uses {method.digest.value.upper()}")
    for uri in info.get("digest_methods", ()):  # type: ignore[attr-defined]
        digest = DIGEST_URIS.get(uri)
        if digest is not None and digest in checker.policy.weak_digests:
            checker.weak("digest_method", f"reference digest uses {digest.value.upper()}")


def _check(
    tree: etree._ElementTree,
    signature: etree._Element,
    later: Sequence[etree._Element],
    profile: SignatureProfile,
    checker: _Checker,
    info: dict[str, object],
) -> tuple[bytes, tuple[x509.Certificate, ...], x509.Certificate]:
    ns = etree.QName(signature).namespace or ""
    _read_algorithms_leniently(signature, ns, info)
    _weak_checks(info, checker)
    if ns != DSIG_NS:
        raise checker.fmt(
            "namespace",
            profile.explain(signature.getparent())
            or f"Signature is in namespace {ns or '(none)'!r}, not XML-DSig ({DSIG_NS}); "
            "no XML-DSig tool can verify it",
        )
    children = _elements(signature)
    names = [c.tag for c in children]
    if names.count(_q("SignedInfo")) != 1:
        raise checker.fmt(
            "signed_info_count", f"{names.count(_q('SignedInfo'))} SignedInfo elements, expected 1"
        )
    allowed = [_q("SignedInfo"), _q("SignatureValue"), _q("KeyInfo")]
    if names.count(_q("SignatureValue")) != 1 or names.count(_q("KeyInfo")) > 1:
        raise checker.fmt("structure", "expected one SignatureValue and at most one KeyInfo")
    for name in names:
        if name not in allowed:
            raise checker.fmt("structure", f"unexpected {etree.QName(name).localname} in Signature")
    if names != sorted(names, key=allowed.index):
        raise checker.fmt("structure", "Signature children are out of order")
    original_signed_info = children[0]
    c14n_nodes = _elements(original_signed_info)
    if not c14n_nodes or c14n_nodes[0].tag != _q("CanonicalizationMethod"):
        raise checker.fmt("structure", "SignedInfo must start with CanonicalizationMethod")
    c14n_uri = _algorithm(c14n_nodes[0], checker, "CanonicalizationMethod")
    if c14n_uri not in C14N_METHODS:
        raise checker.fmt("c14n", f"unsupported canonicalisation {c14n_uri}")
    exclusive, comments = C14N_METHODS[c14n_uri]
    signed_bytes = canonicalize(
        original_signed_info,
        exclusive=exclusive,
        with_comments=comments,
        inclusive_prefixes=_prefixes(c14n_nodes[0]) if exclusive else (),
    )
    # From here on only the canonical form that the signature value covers is read.
    signed_info = parse_untrusted(signed_bytes).getroot()
    parts = _elements(signed_info)
    if len(parts) < 3 or [p.tag for p in parts[:2]] != [
        _q("CanonicalizationMethod"),
        _q("SignatureMethod"),
    ]:
        raise checker.fmt(
            "structure", "SignedInfo must hold CanonicalizationMethod, SignatureMethod, Reference"
        )
    method_uri = _algorithm(parts[1], checker, "SignatureMethod")
    info["signature_method"] = method_uri
    if is_hmac(method_uri):
        raise checker.stop(
            SubIndication.SIG_CRYPTO_FAILURE,
            "hmac_refused",
            f"HMAC signature method {method_uri} is never accepted with a certificate",
        )
    if _elements(parts[1]):
        raise checker.fmt(
            "method_parameters", "SignatureMethod parameters (HMACOutputLength…) are refused"
        )
    method = SIGNATURE_METHODS.get(method_uri)
    if method is None:
        raise checker.fmt("signature_method", f"unsupported signature method {method_uri}")
    references = parts[2:]
    if any(r.tag != _q("Reference") for r in references):
        raise checker.fmt("structure", "SignedInfo holds something other than References")
    if len(references) != len(profile.reference_uris):
        raise checker.fmt(
            "reference_count",
            f"{len(references)} Reference(s), the profile expects {len(profile.reference_uris)}",
        )
    digests: list[tuple[DigestAlgorithm, bytes, tuple[str, ...], tuple[str, ...]]] = []
    for reference, expected_uri in zip(references, profile.reference_uris, strict=True):
        uri = reference.get("URI")
        if uri != expected_uri:
            raise checker.fmt(
                "reference_uri",
                f"Reference URI {uri!r} is not the expected {expected_uri!r} (a signature over "
                "another element is refused)",
            )
        digests.append(_reference(reference, profile, checker))
    certificates, signing = _key_info(signature, DSIG_NS, checker)
    info["certificates"] = certificates
    info["signing"] = signing
    info["key"] = key_text(signing.public_key())
    checker.problems += key_problems(signing, checker.policy, where=checker.where + "/KeyInfo")
    value = _decode(children[names.index(_q("SignatureValue"))].text, checker, "SignatureValue")

    content = b""
    for digest, expected, chain, prefixes in digests:
        exclusive_ref = chain[-1] in C14N_METHODS and C14N_METHODS[chain[-1]][0]
        with detached(later, (signature,)):
            content = canonicalize(tree, exclusive=exclusive_ref, inclusive_prefixes=prefixes)
            h = hashes.Hash(digest.hash())
        h.update(content)
        if not hmac.compare_digest(h.finalize(), expected):
            raise checker.stop(
                SubIndication.HASH_FAILURE,
                "digest_mismatch",
                "the signed content was changed (DigestValue does not match)",
            )
    why = _verify_value(signing, method.scheme, method.digest, value, signed_bytes)
    if why is not None:
        raise checker.stop(SubIndication.SIG_CRYPTO_FAILURE, "signature_value", why)
    return content, certificates, signing


def _prefixes(node: etree._Element) -> tuple[str, ...]:
    inclusive = node.find(f"{{{EXC_C14N_NS}}}InclusiveNamespaces")
    if inclusive is None:
        return ()
    return tuple(p for p in (inclusive.get("PrefixList") or "").split() if p != "#default")


def _reference(
    reference: etree._Element, profile: SignatureProfile, checker: _Checker
) -> tuple[DigestAlgorithm, bytes, tuple[str, ...], tuple[str, ...]]:
    parts = _elements(reference)
    tags = [p.tag for p in parts]
    if tags != [_q("Transforms"), _q("DigestMethod"), _q("DigestValue")]:
        raise checker.fmt("reference", "Reference must hold Transforms, DigestMethod, DigestValue")
    transforms = _elements(parts[0])
    chain = tuple(_algorithm(t, checker, "Transform") for t in transforms)
    if chain not in profile.transform_chains:
        raise checker.fmt(
            "transforms", f"transform chain {list(chain)} is not one the profile accepts"
        )
    prefixes: tuple[str, ...] = ()
    for transform in transforms:
        inner = _elements(transform)
        if transform.get("Algorithm") == EXC_C14N or transform.get("Algorithm", "").startswith(
            EXC_C14N
        ):
            if any(i.tag != f"{{{EXC_C14N_NS}}}InclusiveNamespaces" for i in inner):
                raise checker.fmt("transform_parameters", "unexpected exclusive C14N parameters")
            prefixes = _prefixes(transform)
        elif inner:
            raise checker.fmt("transform_parameters", "transform parameters (XPath…) are refused")
    digest_uri = _algorithm(parts[1], checker, "DigestMethod")
    digest = DIGEST_URIS.get(digest_uri)
    if digest is None:
        raise checker.fmt("digest_method", f"unsupported digest method {digest_uri}")
    value = _decode(parts[2].text, checker, "DigestValue")
    if len(value) != digest.size:
        raise checker.fmt(
            "digest_length",
            f"DigestValue has {len(value)} bytes, {digest.value} gives {digest.size}",
        )
    if len(chain) == 1:
        chain = (*chain, "http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
    return digest, value, chain, prefixes


__all__ = ["CoreCheck", "check_signature", "sign_document", "sign_tree", "signature_elements"]
