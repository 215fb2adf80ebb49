"""Full validation of an enveloped-signed document: form, cryptography, trust, revocation.

Several signatures on one document are checked in document order. Signature *i* covers the
document as it was when it was applied: the later signatures (and the text added with them) are
set aside, then the enveloped transform removes signature *i* itself. So the first signature
(the person who approved the text) covers the content, and each later one (the agency, applied
at issuance) covers the content and every earlier signature.
"""

from __future__ import annotations

import datetime as dt

import attrs
from lxml import etree

from egovkit.errors import ConfigurationError, EgovkitError
from egovkit.findings import Finding
from egovkit.signatures._xml import DSIG_NS, is_element, parse_untrusted
from egovkit.signatures.identity import identity_of
from egovkit.signatures.pathvalidation import PkixParameters, WorkBudget, validate_path
from egovkit.signatures.policy import DEFAULT_POLICY, ValidationPolicy
from egovkit.signatures.profile import SignatureProfile
from egovkit.signatures.report import (
    CertificateInfo,
    Indication,
    RevocationEvidence,
    SignatureReport,
    SubIndication,
    ValidationReport,
)
from egovkit.signatures.revocation import RevocationSources
from egovkit.signatures.trust import Problem, TrustStore
from egovkit.signatures.xmldsig import check_signature, signature_elements

#: Which sub-indication names a signature when several problems share the worst indication.
_PRIORITY = (
    SubIndication.VERIFIER_ERROR,
    SubIndication.FORMAT_FAILURE,
    SubIndication.HASH_FAILURE,
    SubIndication.SIG_CRYPTO_FAILURE,
    SubIndication.REVOKED,
    SubIndication.NOT_YET_VALID,
    SubIndication.EXPIRED,
    SubIndication.CRYPTO_CONSTRAINTS_FAILURE,
    SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
    SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
    SubIndication.CHAIN_CONSTRAINTS_FAILURE,
    SubIndication.SIG_CONSTRAINTS_FAILURE,
    SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
    SubIndication.TRY_LATER,
    SubIndication.SIGNED_DATA_NOT_FOUND,
)


def outcome(
    problems: list[Problem] | tuple[Problem, ...],
) -> tuple[Indication, SubIndication | None]:
    """The indication and sub-indication a list of problems adds up to."""
    if not problems:
        return Indication.TOTAL_PASSED, None
    worst = max(p.indication.rank for p in problems)
    subs = {p.sub_indication for p in problems if p.indication.rank == worst}
    sub = next(s for s in _PRIORITY if s in subs)
    indication = next(i for i in Indication if i.rank == worst)
    return indication, sub


def _utc(value: dt.datetime, what: str) -> dt.datetime:
    if value.tzinfo is None:
        raise ConfigurationError(f"{what} must carry a time zone", code="signatures.naive_time")
    return value.astimezone(dt.UTC)


def _failed(
    sub: SubIndication,
    code: str,
    message: str,
    *,
    at: dt.datetime,
    policy: ValidationPolicy,
    profile: SignatureProfile,
    indication: Indication = Indication.TOTAL_FAILED,
    where: str = "",
) -> ValidationReport:
    return ValidationReport(
        indication=indication,
        sub_indication=sub,
        validation_time=at,
        policy=policy.name,
        profile=profile.name,
        findings=(Finding(code=code, where=where, message=message),),
    )


@attrs.frozen(kw_only=True)
class _PathOptions:
    pkix: PkixParameters | None = None
    budget: WorkBudget | None = None


def verify_document(
    data: bytes,
    *,
    profile: SignatureProfile,
    trust: TrustStore,
    at: dt.datetime | None = None,
    policy: ValidationPolicy | None = None,
    revocation: RevocationSources | None = None,
    now: dt.datetime | None = None,
    pkix: PkixParameters | None = None,
    budget: WorkBudget | None = None,
) -> ValidationReport:
    """Validate every signature of ``data`` under ``profile``.

    See :func:`egovkit.signatures.verify`.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, not {type(data).__name__}")
    if not isinstance(trust, TrustStore):
        raise TypeError(f"trust must be a TrustStore, not {type(trust).__name__}")
    policy = policy or DEFAULT_POLICY
    now_utc = _utc(now, "now") if now is not None else dt.datetime.now(dt.UTC)
    at_utc = _utc(at, "at") if at is not None else now_utc
    sources = revocation or RevocationSources()
    options = _PathOptions(pkix=pkix, budget=budget)
    try:
        return _verify(data, profile, trust, at_utc, now_utc, policy, sources, options)
    except Exception as exc:  # a crash must never read as a valid signature
        return _failed(
            SubIndication.VERIFIER_ERROR,
            "signatures.verifier_error",
            f"the verifier failed ({type(exc).__name__}: {exc}); the signature was NOT checked",
            at=at_utc,
            policy=policy,
            profile=profile,
            indication=Indication.INDETERMINATE,
        )


def _verify(
    data: bytes,
    profile: SignatureProfile,
    trust: TrustStore,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
    sources: RevocationSources,
    options: _PathOptions,
) -> ValidationReport:
    try:
        tree = parse_untrusted(data)
    except EgovkitError as exc:
        return _failed(
            SubIndication.FORMAT_FAILURE,
            exc.code,
            exc.message,
            where=exc.where,
            at=at,
            policy=policy,
            profile=profile,
        )
    root = tree.getroot()
    parent = profile.signature_parent(root)
    if parent is None:
        return _failed(
            SubIndication.FORMAT_FAILURE,
            "signatures.format.location",
            f"the document has no single {profile.location_text} (not a {profile.name} document)",
            at=at,
            policy=policy,
            profile=profile,
        )
    signatures = signature_elements(parent)
    document_problems = _document_problems(root, parent, signatures, profile)
    if not signatures:
        return _failed(
            SubIndication.FORMAT_FAILURE,
            "signatures.no_signature",
            profile.explain(parent) or f"no Signature in {profile.location_text} (văn bản chưa ký)",
            at=at,
            policy=policy,
            profile=profile,
        )
    reports = tuple(
        _one(tree, signatures, i, profile, trust, at, now, policy, sources, options)
        for i in range(len(signatures))
    )
    problems = list(document_problems)
    indication, sub = outcome(problems)
    for report in reports:
        if report.indication.rank > indication.rank:
            indication, sub = report.indication, report.sub_indication
    content = reports[0].signed_content if indication is Indication.TOTAL_PASSED else None
    return ValidationReport(
        indication=indication,
        sub_indication=sub,
        validation_time=at,
        policy=policy.name,
        profile=profile.name,
        signatures=reports,
        findings=tuple(p.graded() for p in problems),
        signed_content=content,
    )


def _document_problems(
    root: etree._Element,
    parent: etree._Element,
    signatures: list[etree._Element],
    profile: SignatureProfile,
) -> list[Problem]:
    problems: list[Problem] = []

    def add(code: str, message: str) -> None:
        problems.append(
            Problem(
                indication=Indication.TOTAL_FAILED,
                sub_indication=SubIndication.FORMAT_FAILURE,
                finding=Finding(
                    code=f"signatures.format.{code}", where=profile.location_text, message=message
                ),
            )
        )

    if len(signatures) > profile.max_signatures:
        add(
            "too_many", f"{len(signatures)} signatures, the profile allows {profile.max_signatures}"
        )
    if signatures:
        children = [c for c in parent if is_element(c)]
        first = children.index(signatures[0])
        if any(c not in signatures for c in children[first:]):
            add("not_last", "signatures must be the last children of the signature location")
    placed = {id(s) for s in signatures}
    for element in root.iter(f"{{{DSIG_NS}}}Signature"):
        if id(element) not in placed:
            add("misplaced", f"an XML-DSig Signature outside {profile.location_text} is refused")
            break
    for node in root.iter(etree.Comment, etree.PI):
        add(
            "unsigned_markup",
            f"a {'comment' if isinstance(node, etree._Comment) else 'processing instruction'} "
            "inside the document is not covered by any signature (comment injection is refused)",
        )
        break
    return problems


def _signatures_text(first: int, last: int) -> str:
    return f"signature {first}" if first == last else f"signatures {first}–{last}"


def _covers(index: int, count: int) -> str:
    """What signature ``index`` (0-based) of ``count`` covers, in words."""
    if index == 0:
        text = "the whole document without any signature"
    else:
        text = f"the whole document with {_signatures_text(1, index)}"
    if index < count - 1:
        text += f" ({_signatures_text(index + 2, count)} set aside: added later)"
    return text


def _one(
    tree: etree._ElementTree,
    signatures: list[etree._Element],
    index: int,
    profile: SignatureProfile,
    trust: TrustStore,
    at: dt.datetime,
    now: dt.datetime,
    policy: ValidationPolicy,
    sources: RevocationSources,
    options: _PathOptions,
) -> SignatureReport:
    where = f"{profile.location_text}/Signature[{index + 1}]"
    core = check_signature(
        tree,
        signatures[index],
        later=signatures[index + 1 :],
        profile=profile,
        policy=policy,
        where=where,
    )
    problems = list(core.problems)
    chain_info: tuple[CertificateInfo, ...] = ()
    evidence: list[RevocationEvidence] = []
    signing = core.signing_certificate
    notes: tuple[Finding, ...] = ()
    if not core.fatal and signing is not None:
        path = validate_path(
            signing,
            trust=trust,
            intermediates=core.certificates,
            revocation=sources,
            at=at,
            now=now,
            policy=policy,
            pkix=options.pkix,
            budget=options.budget,
        )
        chain_info = path.chain_info(offered=core.certificates)
        evidence += path.revocation
        problems += path.problems
        notes = path.notes
    indication, sub = outcome(problems)
    return SignatureReport(
        index=index + 1,
        where=where,
        indication=indication,
        sub_indication=sub,
        signer=identity_of(signing) if signing is not None else None,
        certificate=CertificateInfo.from_certificate(signing, source="message")
        if signing is not None
        else None,
        chain=chain_info,
        algorithms=core.algorithms,
        revocation=tuple(evidence),
        findings=(*(p.graded() for p in problems), *core.notes, *notes),
        covers=_covers(index, len(signatures)),
        signed_content=core.signed_content if indication is Indication.TOTAL_PASSED else None,
    )
