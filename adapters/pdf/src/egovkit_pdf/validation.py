"""Validate the signatures of a PDF into egovkit's :class:`~egovkit.signatures.ValidationReport`.

pyHanko reads the PDF and checks each signature's integrity (byte ranges, digest, signature
value) and what changed in later revisions; egovkit's own trust, chain, algorithm and
revocation checks (the same as for edXML: :func:`egovkit.signatures.validate_path`) judge the
certificates — at the time a valid signature time-stamp proves, or at the validation time
without one. Revocation answers and certificates embedded in the document (``/DSS``, B-LT) are
used alongside the caller's; a revocation found in either always wins.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import attrs
from asn1crypto import cms  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from egovkit.errors import ConfigurationError
from egovkit.findings import Finding, Severity
from egovkit.signatures.identity import SignerIdentity
from egovkit.signatures.pathvalidation import WorkBudget, validate_path
from egovkit.signatures.policy import DEFAULT_POLICY, ValidationPolicy
from egovkit.signatures.report import (
    AlgorithmInfo,
    CertificateInfo,
    Indication,
    RevocationEvidence,
    SignatureReport,
    SubIndication,
    ValidationReport,
    key_text,
)
from egovkit.signatures.revocation import RevocationSources, load_crl
from egovkit.signatures.trust import Problem, TrustStore
from egovkit.signatures.validation import outcome

PROFILE = "PAdES"
#: Larger inputs are refused (the same bound as signing).
MAX_INPUT = 200 * 1024 * 1024
#: A B-LT/B-LTA file's /DSS holds the chains of the signer, time-stamp authorities and OCSP
#: responders: more certificates than an edXML KeyInfo, still under a chain-building budget.
PDF_BUDGET = WorkBudget(max_offered=64)
_NO_REVOCATION = attrs.evolve(DEFAULT_POLICY, name="document-timestamp", check_revocation=False)


def _problem(
    indication: Indication, sub: SubIndication, code: str, where: str, message: str
) -> Problem:
    return Problem(
        indication=indication,
        sub_indication=sub,
        finding=Finding(code=code, where=where, message=message),
    )


def _crypto(certificate: object) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())  # type: ignore[attr-defined]


def _dss(reader: PdfFileReader) -> tuple[list[x509.Certificate], RevocationSources]:
    """Certificates, CRLs and OCSP responses of the document security store."""
    if "/DSS" not in reader.root:
        return [], RevocationSources()
    dss = reader.root["/DSS"]
    certificates = [
        x509.load_der_x509_certificate(s.get_object().data) for s in dss.get("/Certs", [])
    ]
    crls = []
    for stream in dss.get("/CRLs", []):
        try:
            crls.append(load_crl(stream.get_object().data))
        except Exception:  # noqa: S112 - an unreadable CRL is just not evidence
            continue
    ocsps = tuple(s.get_object().data for s in dss.get("/OCSPs", []))
    return certificates, RevocationSources(crls=tuple(crls), ocsp_responses=ocsps)


def _timestamp_time(
    signer_info: cms.SignerInfo,
    trust: TrustStore,
    where: str,
    policy: ValidationPolicy,
    sources: RevocationSources,
) -> tuple[dt.datetime | None, list[Problem]]:
    """The time a valid signature time-stamp proves (``None`` without one)."""
    unsigned = signer_info["unsigned_attrs"]
    if unsigned.native is None:
        return None, []
    tokens = [a["values"][0] for a in unsigned if a["type"].native == "signature_time_stamp_token"]
    if not tokens:
        return None, []
    token = tokens[0]
    problems: list[Problem] = []
    signed = token["content"]
    tst_info = signed["encap_content_info"]["content"].parsed
    algorithm = tst_info["message_imprint"]["hash_algorithm"]["algorithm"].native
    expected = hashlib.new(algorithm, signer_info["signature"].native).digest()
    if tst_info["message_imprint"]["hashed_message"].native != expected:
        problems.append(
            _problem(
                Indication.TOTAL_FAILED,
                SubIndication.HASH_FAILURE,
                "pdf.timestamp.imprint",
                where,
                "the time-stamp does not cover this signature value",
            )
        )
        return None, problems
    tsa_info = signed["signer_infos"][0]
    sid = tsa_info["sid"]
    certificates = [c.chosen for c in signed["certificates"] or []]
    tsa = next((c for c in certificates if _identifies(sid, c)), None)
    if tsa is None:
        problems.append(
            _problem(
                Indication.INDETERMINATE,
                SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
                "pdf.timestamp.no_certificate",
                where,
                "the time-stamp does not carry the authority's certificate",
            )
        )
        return None, problems
    content = signed["encap_content_info"]["content"].contents
    digest_name = tsa_info["digest_algorithm"]["algorithm"].native
    intact, valid = validate_sig_integrity(
        tsa_info, tsa, "tst_info", hashlib.new(digest_name, content).digest()
    )
    if not (intact and valid):
        problems.append(
            _problem(
                Indication.TOTAL_FAILED,
                SubIndication.SIG_CRYPTO_FAILURE,
                "pdf.timestamp.signature",
                where,
                "the time-stamp's signature does not verify",
            )
        )
        return None, problems
    tsa_cert = _crypto(tsa)
    gen_time: dt.datetime = tst_info["gen_time"].native.astimezone(dt.UTC)
    tsa_path = validate_path(
        tsa_cert,
        trust=trust,
        intermediates=[_crypto(c) for c in certificates],
        revocation=sources,
        at=gen_time,
        policy=attrs.evolve(policy, check_revocation=False),
        budget=PDF_BUDGET,
    )
    if not tsa_path.chain:
        problems.append(
            _problem(
                Indication.INDETERMINATE,
                SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
                "pdf.timestamp.untrusted",
                where,
                f"the time-stamp authority {tsa_cert.subject.rfc4514_string()} is not trusted",
            )
        )
        return None, problems
    usage = _eku(tsa_cert)
    if usage is None or ExtendedKeyUsageOID.TIME_STAMPING not in usage:
        problems.append(
            _problem(
                Indication.INDETERMINATE,
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                "pdf.timestamp.not_a_tsa",
                where,
                f"{tsa_cert.subject.rfc4514_string()} may not issue time-stamps (no timeStamping "
                "extended key usage)",
            )
        )
        return None, problems
    if tsa_path.problems:
        return None, problems + list(tsa_path.problems)
    return gen_time, problems


def _identifies(sid: Any, certificate: Any) -> bool:
    """True when a CMS ``SignerIdentifier`` names ``certificate``."""
    if sid.name == "issuer_and_serial_number":
        chosen = sid.chosen
        return bool(
            chosen["serial_number"].native == certificate.serial_number
            and chosen["issuer"] == certificate.issuer
        )
    return bool(sid.chosen.native == certificate.key_identifier)


def _eku(certificate: x509.Certificate) -> x509.ExtendedKeyUsage | None:
    try:
        return certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return None


def _one(
    embedded: EmbeddedPdfSignature,
    index: int,
    count: int,
    data: bytes,
    trust: TrustStore,
    dss_certs: list[x509.Certificate],
    sources: RevocationSources,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
) -> SignatureReport:
    where = f"/AcroForm/{embedded.field_name}"
    problems: list[Problem] = []
    notes: list[Finding] = []
    signer_info = embedded.signer_info
    certificate = _crypto(embedded.signer_cert)
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    mechanism = signer_info["signature_algorithm"].signature_algo
    intact, valid = validate_sig_integrity(
        signer_info, embedded.signer_cert, "data", embedded.compute_digest()
    )
    if not intact:
        problems.append(
            _problem(
                Indication.TOTAL_FAILED,
                SubIndication.HASH_FAILURE,
                "pdf.signature.digest",
                where,
                "the signed bytes were changed (digest mismatch)",
            )
        )
    elif not valid:
        problems.append(
            _problem(
                Indication.TOTAL_FAILED,
                SubIndication.SIG_CRYPTO_FAILURE,
                "pdf.signature.value",
                where,
                "the signature value does not verify with the certificate",
            )
        )
    if digest_name in {d.value for d in policy.weak_digests}:
        problems.append(
            _problem(
                policy.weak_indication,
                policy.weak_sub_indication,
                "pdf.signature.weak_digest",
                where,
                f"digest {digest_name} is weak",
            )
        )
    try:
        embedded.compute_integrity_info(  # type: ignore[no-untyped-call]
            diff_policy=DEFAULT_DIFF_POLICY
        )
        diff: Any = embedded.diff_result
        level = getattr(diff, "modification_level", ModificationLevel.OTHER)
        if isinstance(diff, Exception):
            notes.append(
                Finding(
                    severity=Severity.INFO,
                    code="pdf.modifications.detail",
                    where=where,
                    message=str(diff),
                )
            )
    except (SignatureValidationError, SuspiciousModification) as exc:
        level = ModificationLevel.OTHER
        notes.append(
            Finding(
                severity=Severity.INFO,
                code="pdf.modifications.detail",
                where=where,
                message=str(exc),
            )
        )
    coverage: Any = embedded.coverage
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append(
            _problem(
                Indication.TOTAL_FAILED,
                SubIndication.FORMAT_FAILURE,
                "pdf.signature.coverage",
                where,
                "the signature does not cover a whole revision of the file",
            )
        )
    if level is ModificationLevel.OTHER:
        problems.append(
            _problem(
                Indication.TOTAL_FAILED,
                SubIndication.FORMAT_FAILURE,
                "pdf.modified_after_signing",
                where,
                "the document was changed after this signature in a way a "
                "signature does not allow (nội dung bị sửa sau khi ký)",
            )
        )
    elif level is not ModificationLevel.NONE:
        notes.append(
            Finding(
                severity=Severity.INFO,
                code="pdf.later_updates",
                where=where,
                message=f"later revisions only add {level.name.lower()} "
                "(signatures, validation data, time-stamps): allowed",
            )
        )
    stamp_time, stamp_problems = _timestamp_time(signer_info, trust, where, policy, sources)
    problems += stamp_problems
    when = stamp_time or at
    if stamp_time is not None:
        notes.append(
            Finding(
                severity=Severity.INFO,
                code="pdf.timestamp.time",
                where=where,
                message=f"validated at the time-stamp's time {stamp_time.isoformat()}",
            )
        )
    chain_info: tuple[CertificateInfo, ...] = ()
    evidence: tuple[RevocationEvidence, ...] = ()
    if intact and valid:
        candidates = [_crypto(c) for c in embedded.other_embedded_certs] + dss_certs
        # One RFC 5280 path validation; the document's own CRLs and OCSP answers are read
        # with the caller's, and their order cannot matter: a narrower-scoped or older CRL in
        # the file never makes a revoked signer good.
        path = validate_path(
            certificate,
            trust=trust,
            intermediates=candidates,
            revocation=sources,
            at=when,
            now=now,
            policy=policy,
            budget=PDF_BUDGET,
        )
        chain_info = path.chain_info(offered=candidates)
        evidence = path.revocation
        problems += path.problems
        notes += path.notes
    indication, sub = outcome(problems)
    _start, _length_a, start_b, length_b = (int(v) for v in embedded.sig_object["/ByteRange"])
    end = start_b + length_b
    covers = f"the file as signature {index + 1} of {count} left it: bytes 0–{end} of {len(data)}"
    return SignatureReport(
        index=index + 1,
        where=where,
        indication=indication,
        sub_indication=sub,
        signer=SignerIdentity.from_certificate(certificate),
        certificate=CertificateInfo.from_certificate(certificate, source="message"),
        chain=chain_info,
        algorithms=AlgorithmInfo(
            signature_method=mechanism,
            digest_methods=(digest_name,),
            canonicalization="",
            key=key_text(certificate.public_key()),
        ),
        revocation=evidence,
        findings=(*(p.graded() for p in problems), *notes),
        covers=covers,
        signed_content=data[:end] if indication is Indication.TOTAL_PASSED else None,
    )


def _document_timestamps(reader: PdfFileReader, trust: TrustStore) -> list[Problem]:
    """Check each document time-stamp (B-LTA): it covers its revision and verifies."""
    problems: list[Problem] = []
    for stamp in reader.embedded_timestamp_signatures:
        where = f"/AcroForm/{stamp.field_name}"
        signer_info = stamp.signer_info
        content = stamp.signed_data["encap_content_info"]["content"]
        tst_info = content.parsed
        imprint = tst_info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        covered = imprint["hashed_message"].native == stamp.compute_digest(algorithm)
        digest = hashlib.new(signer_info["digest_algorithm"]["algorithm"].native, content.contents)
        intact, valid = validate_sig_integrity(
            signer_info, stamp.signer_cert, "tst_info", digest.digest()
        )
        if not (covered and intact and valid):
            problems.append(
                _problem(
                    Indication.TOTAL_FAILED,
                    SubIndication.HASH_FAILURE,
                    "pdf.document_timestamp.broken",
                    where,
                    "a document time-stamp does not match the bytes it covers",
                )
            )
            continue
        tsa = _crypto(stamp.signer_cert)
        others = [_crypto(c) for c in stamp.other_embedded_certs]
        gen_time: dt.datetime = tst_info["gen_time"].native.astimezone(dt.UTC)
        chained = validate_path(
            tsa,
            trust=trust,
            intermediates=others,
            at=gen_time,
            policy=_NO_REVOCATION,
            budget=PDF_BUDGET,
        ).chain
        if not chained:
            problems.append(
                _problem(
                    Indication.INDETERMINATE,
                    SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
                    "pdf.document_timestamp.untrusted",
                    where,
                    f"the archive time-stamp authority {tsa.subject.rfc4514_string()} is not "
                    "trusted",
                )
            )
    return problems


def verify_pdf(
    data: bytes,
    *,
    trust: TrustStore,
    at: dt.datetime | None = None,
    policy: ValidationPolicy | None = None,
    revocation: RevocationSources | None = None,
) -> ValidationReport:
    """Validate every signature of a PDF; never raises for bad input (a naive ``at`` is a
    :class:`~egovkit.errors.ConfigurationError`, as for edXML).

    ``signed_content`` of a passed report is the revision the first signature covers.
    """
    policy = policy or DEFAULT_POLICY
    if at is not None and at.tzinfo is None:
        raise ConfigurationError("at must carry a time zone", code="signatures.naive_time")
    now = dt.datetime.now(dt.UTC)
    at_utc = at.astimezone(dt.UTC) if at is not None else now

    def failed(
        sub: SubIndication,
        code: str,
        message: str,
        indication: Indication = Indication.TOTAL_FAILED,
    ) -> ValidationReport:
        return ValidationReport(
            indication=indication,
            sub_indication=sub,
            validation_time=at_utc,
            policy=policy.name,
            profile=PROFILE,
            findings=(Finding(code=code, where="", message=message),),
        )

    if len(data) > MAX_INPUT:
        return failed(
            SubIndication.FORMAT_FAILURE,
            "pdf.too_large",
            f"the PDF is {len(data)} bytes, over the {MAX_INPUT}-byte limit",
        )
    try:
        reader = PdfFileReader(io.BytesIO(bytes(data)), strict=False)
        if reader.encrypted:
            return failed(SubIndication.FORMAT_FAILURE, "pdf.encrypted", "the PDF is encrypted")
        signatures = list(reader.embedded_regular_signatures)
    except Exception as exc:
        return failed(SubIndication.FORMAT_FAILURE, "pdf.corrupt", f"cannot read the PDF: {exc}")
    if not signatures:
        return failed(
            SubIndication.FORMAT_FAILURE,
            "signatures.no_signature",
            "the PDF has no signature (văn bản chưa ký)",
        )
    try:
        dss_certs, dss_sources = _dss(reader)
        given = revocation or RevocationSources()
        sources = RevocationSources(
            crls=(*given.crls, *dss_sources.crls),
            ocsp_responses=(*given.ocsp_responses, *dss_sources.ocsp_responses),
            http=given.http,
        )
        reports = tuple(
            _one(s, i, len(signatures), bytes(data), trust, dss_certs, sources, at_utc, now, policy)
            for i, s in enumerate(signatures)
        )
    except Exception as exc:  # a crash must never read as a valid signature
        return failed(
            SubIndication.VERIFIER_ERROR,
            "signatures.verifier_error",
            f"the verifier failed ({type(exc).__name__}: {exc}); NOT checked",
            Indication.INDETERMINATE,
        )
    try:
        document_problems = _document_timestamps(reader, trust)
    except Exception as exc:  # a crash must never read as a valid signature
        return failed(
            SubIndication.VERIFIER_ERROR,
            "signatures.verifier_error",
            f"the verifier failed on a document time-stamp ({type(exc).__name__}: {exc})",
            Indication.INDETERMINATE,
        )
    indication, sub = outcome(document_problems)
    for report in reports:
        if report.indication.rank > indication.rank:
            indication, sub = report.indication, report.sub_indication
    return ValidationReport(
        indication=indication,
        sub_indication=sub,
        validation_time=at_utc,
        policy=policy.name,
        profile=PROFILE,
        signatures=reports,
        findings=tuple(p.graded() for p in document_problems),
        signed_content=reports[0].signed_content if indication is Indication.TOTAL_PASSED else None,
    )
