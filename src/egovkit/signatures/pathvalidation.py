"""Certificate path validation (kiểm tra đường dẫn chứng thư) to RFC 5280, in one call.

:func:`validate_path` answers "was this certificate good at that time, under these trust
anchors?" with a :class:`PathReport` carrying the same indications and sub-indications as a
:class:`~egovkit.signatures.report.ValidationReport`. Signature verification of edXML
(:func:`egovkit.signatures.verify`), the exchange service and the PDF adapter all call it.

How it works:

1. **Building** (egovkit's): candidate paths leaf → … → anchor, from the intermediates given and
   the trust store's, with RFC 5280 §7.1 name matching (after string preparation). Every
   candidate issuer looked at and every signature checked counts against a :class:`WorkBudget`;
   when the budget runs out the answer is INDETERMINATE with the finding
   ``signatures.chain.budget_exhausted``, never a long wait. Candidates are tried in an order
   fixed by the certificates themselves (key identifiers, then fingerprints), so the answer never
   depends on the order of the inputs.
2. **Validation** of each candidate path until one passes: with the ``egovkit[pkix]`` extra,
   pyhanko-certvalidator runs the whole of RFC 5280 §6.1 and §6.3 on it (it passes NIST PKITS);
   without it, egovkit's basic engine checks what it can and refuses (INDETERMINATE) whatever
   needs the full algorithm (policies, name constraints, scoped or delta CRLs). Either way
   egovkit's own policy (weak keys and digests, the signer's key usage) applies on top.
3. **Caching**: an answer is remembered for the same inputs (certificates, CRLs, OCSP answers,
   parameters) and reused for another validation time only inside the interval where no
   certificate validity bound, CRL or OCSP time and revocation date falls; so a cache can never
   turn a revoked answer into a good one. Nothing fetched over the network is cached here.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import threading
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, Final

import attrs
from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import ocsp

from egovkit.errors import ConfigurationError
from egovkit.findings import Finding, Severity
from egovkit.signatures._certs import crl_digest, fingerprint, signature_state
from egovkit.signatures._names import name_key
from egovkit.signatures.policy import DEFAULT_POLICY, ValidationPolicy
from egovkit.signatures.report import (
    CertificateInfo,
    Indication,
    RevocationEvidence,
    RevocationStatus,
    SubIndication,
)
from egovkit.signatures.revocation import RevocationSources, fetch_for_path, supplied_evidence
from egovkit.signatures.trust import (
    Problem,
    TrustStore,
    check_chain,
    leaf_checks,
    problem,
    self_issued,
    validity_problems,
)

ANY_POLICY: Final = "2.5.29.32.0"
_VALIDITY_CODES: Final = {"signatures.certificate.expired", "signatures.certificate.not_yet_valid"}


@attrs.frozen(kw_only=True, cache_hash=True)
class PkixParameters:
    """The user inputs of RFC 5280 §6.1.1 (c), (e), (f), (g); the defaults accept any policy."""

    user_initial_policy_set: frozenset[str] = frozenset({ANY_POLICY})
    initial_explicit_policy: bool = False
    initial_policy_mapping_inhibit: bool = False
    initial_any_policy_inhibit: bool = False

    @property
    def is_default(self) -> bool:
        """True when nothing is asked beyond RFC 5280's defaults."""
        return self == _DEFAULT_PKIX


_DEFAULT_PKIX: Final = PkixParameters()


@attrs.frozen(kw_only=True, cache_hash=True)
class WorkBudget:
    """How much work one path validation may do before it gives up (INDETERMINATE).

    ``max_offered`` caps the intermediates a caller (or a message's KeyInfo) offers: more is a
    finding before any work. ``max_candidates`` counts candidate issuers looked at while
    building, ``max_signature_checks`` the issuer signatures verified, ``max_paths`` the complete
    candidate paths validated, ``max_depth`` the certificates below the anchor.
    """

    max_offered: int = 10
    max_candidates: int = 200
    max_signature_checks: int = 48
    max_paths: int = 6
    max_depth: int = 8


DEFAULT_BUDGET: Final = WorkBudget()


@attrs.frozen(kw_only=True)
class WorkDone:
    """What one validation spent (compare with its :class:`WorkBudget`)."""

    candidates: int = 0
    signature_checks: int = 0
    paths: int = 0


@attrs.frozen(kw_only=True)
class PathReport:
    """The answer of :func:`validate_path` for one certificate.

    ``chain`` runs from the certificate to the anchor (empty when no path was found);
    ``problems`` carry each finding with the indication it leads to; ``engine`` names what ran
    RFC 5280 (``pyhanko-certvalidator …`` or ``egovkit-basic``).
    """

    indication: Indication
    sub_indication: SubIndication | None = None
    validation_time: dt.datetime
    chain: tuple[x509.Certificate, ...] = attrs.field(default=(), repr=False)
    revocation: tuple[RevocationEvidence, ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: tuple[Finding, ...] = ()
    engine: str = ""
    work: WorkDone = WorkDone()

    @property
    def passed(self) -> bool:
        """True only for TOTAL_PASSED."""
        return self.indication is Indication.TOTAL_PASSED

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The problems as findings (errors when they fail the path), then the notes."""
        return (*(p.graded() for p in self.problems), *self.notes)

    def chain_info(
        self, *, offered: Sequence[x509.Certificate] = ()
    ) -> tuple[CertificateInfo, ...]:
        """The chain as the report shows it (``source``: ``message`` for the certificate
        validated and those in ``offered``, ``store`` for the trust store's, ``anchor``)."""
        offered_prints = {fingerprint(c) for c in offered}
        last = len(self.chain) - 1
        return tuple(
            CertificateInfo.from_certificate(
                c,
                source="anchor"
                if i == last
                else "message"
                if i == 0 or fingerprint(c) in offered_prints
                else "store",
            )
            for i, c in enumerate(self.chain)
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "indication": self.indication.value,
            "sub_indication": self.sub_indication.value if self.sub_indication else None,
            "validation_time": self.validation_time.isoformat(),
            "chain": [c.to_dict() for c in self.chain_info()],
            "revocation": [r.to_dict() for r in self.revocation],
            "findings": [f.to_dict() for f in self.findings],
            "engine": self.engine,
            "work": attrs.asdict(self.work),
        }


# -- the public call --------------------------------------------------------------------------


def validate_path(
    certificate: x509.Certificate,
    *,
    trust: TrustStore,
    intermediates: Sequence[x509.Certificate] = (),
    revocation: RevocationSources | None = None,
    at: dt.datetime | None = None,
    pkix: PkixParameters | None = None,
    policy: ValidationPolicy | None = None,
    budget: WorkBudget | None = None,
    engine: str = "auto",
    now: dt.datetime | None = None,
) -> PathReport:
    """Validate the path from ``certificate`` to an anchor of ``trust`` as of ``at``.

    ``intermediates`` are untrusted helpers (a message's KeyInfo, a PDF's DSS); ``revocation``
    gives CRLs and OCSP answers (and, with ``http``, fetches them); ``at`` (time-zone aware,
    default now) is the time the certificate must have been good at; ``pkix`` the RFC 5280 user
    inputs; ``policy`` egovkit's algorithm and revocation policy (``check_revocation`` requires
    an answer for every certificate below the anchor); ``engine`` is ``"auto"`` (RFC 5280 with
    the ``pkix`` extra, else the basic engine), ``"pkix"`` or ``"basic"``.

    Never raises for bad input: a crash inside becomes INDETERMINATE / VERIFIER_ERROR.
    """
    if not isinstance(certificate, x509.Certificate):
        raise TypeError(
            f"certificate must be an x509.Certificate, not {type(certificate).__name__}"
        )
    if not isinstance(trust, TrustStore):
        raise TypeError(f"trust must be a TrustStore, not {type(trust).__name__}")
    now_utc = _utc(now, "now") if now is not None else dt.datetime.now(dt.UTC)
    at_utc = _utc(at, "at") if at is not None else now_utc
    settings = _Settings(
        policy=policy or DEFAULT_POLICY,
        pkix=pkix or _DEFAULT_PKIX,
        budget=budget or DEFAULT_BUDGET,
        engine=_engine(engine),
    )
    sources = revocation or RevocationSources()
    try:
        with warnings.catch_warnings():
            # Certificates in the wild (and PKITS) carry negative serial numbers; reading one
            # warns, and a warning turned into an error must not become a verifier crash.
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            return _validate(
                certificate, trust, tuple(intermediates), sources, at_utc, now_utc, settings
            )
    except Exception as exc:  # a crash must never read as a good certificate
        return PathReport(
            indication=Indication.INDETERMINATE,
            sub_indication=SubIndication.VERIFIER_ERROR,
            validation_time=at_utc,
            problems=(
                problem(
                    Indication.INDETERMINATE,
                    SubIndication.VERIFIER_ERROR,
                    "path.verifier_error",
                    "chain",
                    f"path validation failed ({type(exc).__name__}: {exc}); the certificate "
                    "was NOT checked",
                ),
            ),
            engine=settings.engine,
        )


@attrs.frozen(kw_only=True, cache_hash=True)
class _Settings:
    policy: ValidationPolicy
    pkix: PkixParameters
    budget: WorkBudget
    engine: str


@functools.cache
def _engine(requested: str) -> str:
    from egovkit.signatures import _pkix

    if requested == "basic":
        return BASIC_ENGINE
    if requested not in {"auto", "pkix"}:
        raise ConfigurationError(
            f"unknown path validation engine {requested!r} (auto, pkix or basic)",
            code="signatures.path.engine",
        )
    if _pkix.available():
        return _pkix.engine_version()
    if requested == "pkix":
        raise ConfigurationError(
            "the RFC 5280 engine needs pyhanko-certvalidator: pip install 'egovkit[pkix]'",
            code="signatures.path.engine_missing",
        )
    return BASIC_ENGINE


BASIC_ENGINE: Final = "egovkit-basic"


def _utc(value: dt.datetime, what: str) -> dt.datetime:
    if value.tzinfo is None:
        raise ConfigurationError(f"{what} must carry a time zone", code="signatures.naive_time")
    return value.astimezone(dt.UTC)


def outcome(problems: Sequence[Problem]) -> tuple[Indication, SubIndication | None]:
    """The indication a list of problems adds up to (see :mod:`egovkit.signatures.validation`)."""
    from egovkit.signatures.validation import outcome as combine

    return combine(list(problems))


def _unique(certificates: Sequence[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """The certificates once each, sorted by fingerprint: the order given never matters."""
    return tuple(sorted({fingerprint(c): c for c in certificates}.values(), key=fingerprint))


@attrs.frozen(kw_only=True)
class _Inputs:
    """Everything one validation looks at, de-duplicated and in a canonical order."""

    leaf: x509.Certificate
    anchors: tuple[x509.Certificate, ...]
    pool: tuple[x509.Certificate, ...]
    crls: tuple[x509.CertificateRevocationList, ...]
    ocsps: tuple[bytes, ...]
    sources: RevocationSources
    at: dt.datetime
    now: dt.datetime
    settings: _Settings


def _validate(
    leaf: x509.Certificate,
    trust: TrustStore,
    offered: tuple[x509.Certificate, ...],
    sources: RevocationSources,
    at: dt.datetime,
    now: dt.datetime,
    settings: _Settings,
) -> PathReport:
    if len(offered) > settings.budget.max_offered:
        return _refused(
            at,
            settings,
            "chain.too_many_certificates",
            f"{len(offered)} certificates offered to build the chain; at most "
            f"{settings.budget.max_offered} are looked at (a pool this large is a denial-of-"
            "service shape)",
        )
    key = None
    if sources.http is None and settings.engine != BASIC_ENGINE:
        key = _cache_key(leaf, trust, offered, sources, settings)
        cached = _CACHE.get(key, at)
        if cached is not None:
            return attrs.evolve(cached, validation_time=at)
    inputs = _Inputs(
        leaf=leaf,
        anchors=_unique(trust.anchors),
        pool=_unique((*offered, *trust.intermediates)),
        crls=tuple(sorted(sources.crls, key=crl_digest)),
        ocsps=tuple(sorted(set(sources.ocsp_responses))),
        sources=sources,
        at=at,
        now=now,
        settings=settings,
    )
    report = _search(inputs)
    if key is not None:
        _CACHE.put(key, at, report, _critical_times(inputs))
    return report


def _refused(at: dt.datetime, settings: _Settings, code: str, message: str) -> PathReport:
    refusal = problem(
        Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND, code, "chain", message
    )
    return PathReport(
        indication=Indication.INDETERMINATE,
        sub_indication=SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
        validation_time=at,
        problems=(refusal,),
        engine=settings.engine,
    )


class _BudgetExhaustedError(Exception):
    """The work budget ran out while building."""


@attrs.define
class _Counter:
    budget: WorkBudget
    candidates: int = 0
    signature_checks: int = 0
    paths: int = 0

    def done(self) -> WorkDone:
        return WorkDone(
            candidates=self.candidates, signature_checks=self.signature_checks, paths=self.paths
        )


def _search(inputs: _Inputs) -> PathReport:
    settings, at = inputs.settings, inputs.at
    counter = _Counter(settings.budget)
    first: PathReport | None = None
    exhausted = False
    try:
        for path in _candidate_paths(inputs.leaf, inputs.anchors, inputs.pool, counter):
            counter.paths += 1
            report = _check(path, inputs)
            if report.passed:
                return attrs.evolve(report, work=counter.done())
            first = first or report
            if counter.paths >= settings.budget.max_paths:
                break
    except _BudgetExhaustedError:
        exhausted = True
    budget_note = Finding(
        code="signatures.chain.budget_exhausted",
        where="chain",
        message=f"the chain-building budget ran out ({counter.candidates} candidates, "
        f"{counter.signature_checks} signature checks, {counter.paths} paths tried)",
        severity=Severity.WARNING,
    )
    if first is not None:
        notes = (*first.notes, budget_note) if exhausted else first.notes
        return attrs.evolve(first, notes=notes, work=counter.done())
    if exhausted:
        report = _refused(at, settings, "chain.budget_exhausted", budget_note.message)
        return attrs.evolve(report, work=counter.done())
    report = _refused(
        at,
        settings,
        "chain.not_found",
        f"no chain from {inputs.leaf.subject.rfc4514_string()} to a trusted certificate",
    )
    return attrs.evolve(report, work=counter.done())


# -- building ---------------------------------------------------------------------------------


def _key_id(certificate: x509.Certificate, kind: type[x509.ExtensionType]) -> bytes | None:
    try:
        value: Any = certificate.extensions.get_extension_for_class(kind).value
    except (x509.ExtensionNotFound, ValueError):
        return None
    if isinstance(value, x509.SubjectKeyIdentifier):
        return value.digest
    if isinstance(value, x509.AuthorityKeyIdentifier):
        return value.key_identifier
    return None


def _candidate_paths(
    leaf: x509.Certificate,
    anchors: tuple[x509.Certificate, ...],
    pool: tuple[x509.Certificate, ...],
    counter: _Counter,
) -> Iterator[tuple[x509.Certificate, ...]]:
    """Paths leaf → … → anchor, best first, in an order that depends only on the certificates."""
    anchor_prints = {fingerprint(a) for a in anchors}
    anchor_names = {name_key(a.subject) for a in anchors}
    by_subject: dict[object, list[x509.Certificate]] = collections.defaultdict(list)
    for candidate in (*anchors, *pool):
        by_subject[name_key(candidate.subject)].append(candidate)
    budget = counter.budget

    def issuers(current: x509.Certificate) -> list[tuple[x509.Certificate, bool]]:
        wanted = _key_id(current, x509.AuthorityKeyIdentifier)
        found: list[tuple[tuple[int, int, int, bytes], x509.Certificate, bool]] = []
        for candidate in by_subject.get(name_key(current.issuer), ()):
            if fingerprint(candidate) == fingerprint(current):
                continue
            counter.candidates += 1
            if counter.candidates > budget.max_candidates:
                raise _BudgetExhaustedError
            counter.signature_checks += 1
            if counter.signature_checks > budget.max_signature_checks:
                raise _BudgetExhaustedError
            state = signature_state(current, candidate)
            if state is False:
                continue
            own = _key_id(candidate, x509.SubjectKeyIdentifier)
            key_rank = 0 if wanted is None or own is None or own == wanted else 1
            is_anchor = fingerprint(candidate) in anchor_prints
            # Shortest first: an anchor, then a certificate an anchor issued, then the rest.
            distance = 0 if is_anchor else 1 if name_key(candidate.issuer) in anchor_names else 2
            rank = (distance, key_rank, 0 if state else 1, fingerprint(candidate))
            found.append((rank, candidate, is_anchor))
        found.sort(key=lambda item: item[0])
        return [(c, a) for _, c, a in found]

    def walk(path: tuple[x509.Certificate, ...]) -> Iterator[tuple[x509.Certificate, ...]]:
        seen = {fingerprint(c) for c in path}
        for issuer, is_anchor in issuers(path[-1]):
            if fingerprint(issuer) in seen:
                continue
            if is_anchor:
                yield (*path, issuer)
            elif len(path) < budget.max_depth:
                yield from walk((*path, issuer))

    if fingerprint(leaf) in anchor_prints:
        yield (leaf,)
        return
    yield from walk((leaf,))


def first_candidate_path(
    leaf: x509.Certificate, *, candidates: Sequence[x509.Certificate], store: TrustStore
) -> tuple[x509.Certificate, ...] | None:
    """The best candidate path under the default budget (see :func:`validate_path`)."""
    counter = _Counter(DEFAULT_BUDGET)
    try:
        return next(
            _candidate_paths(
                leaf, _unique(store.anchors), _unique((*candidates, *store.intermediates)), counter
            ),
            None,
        )
    except _BudgetExhaustedError:
        return None


# -- checking one candidate path --------------------------------------------------------------


def _check(path: tuple[x509.Certificate, ...], inputs: _Inputs) -> PathReport:
    settings, sources, at, now = inputs.settings, inputs.sources, inputs.at, inputs.now
    policy = settings.policy
    notes: list[Finding] = []
    evidence: list[RevocationEvidence] = []
    if len(path) == 1:  # the certificate is itself an anchor: trusted as configured
        problems = check_chain(path, at=at, policy=policy)
    elif settings.engine == BASIC_ENGINE or not self_issued(path[-1]):
        # A pinned anchor that is not a root (an intermediate trusted directly) is outside
        # what the RFC 5280 engine handles for CRL signers: the basic engine, strict as it is,
        # checks such a path, and says so.
        if settings.engine != BASIC_ENGINE:
            notes.append(
                Finding(
                    code="signatures.path.pinned_intermediate",
                    where=f"chain[{len(path) - 1}]",
                    message="the anchor is not a root certificate: the path was checked by "
                    "the basic engine",
                    severity=Severity.INFO,
                )
            )
        from egovkit.signatures import _basic

        problems, evidence = _basic.check_path(
            path, sources=sources, at=at, now=now, policy=policy, pkix=settings.pkix
        )
    else:
        from egovkit.signatures import _pkix

        all_crls, all_ocsps = list(inputs.crls), list(inputs.ocsps)
        fetched = sources.http is not None and policy.check_revocation
        if fetched:
            fetched_crls, fetched_ocsps, fetch_notes = fetch_for_path(
                path, sources, at=at, now=now, policy=policy
            )
            all_crls += fetched_crls
            all_ocsps += fetched_ocsps
            evidence += fetch_notes
        problems, found = _pkix.check_path(
            path,
            anchors=inputs.anchors,
            pool=inputs.pool,
            crls=all_crls,
            ocsp_responses=all_ocsps,
            at=at,
            policy=policy,
            pkix=settings.pkix,
        )
        # With fetched answers their own evidence says what was asked; the engine adds only
        # what contradicts a good answer.
        if not fetched:
            evidence += supplied_evidence(path, sources, at=at, now=now, policy=policy)
        evidence += [e for e in found if e.status is not RevocationStatus.GOOD]
        # Expiry is named per certificate even when the engine stopped earlier (at a stale
        # CRL, say): an expired certificate is the clearer and the graver answer.
        validity = validity_problems(path, at=at, policy=policy)
        if validity:
            problems = [p for p in problems if p.finding.code not in _VALIDITY_CODES]
        problems += validity
        problems += leaf_checks(path, at=at, policy=policy)
    indication, sub = outcome(problems)
    return PathReport(
        indication=indication,
        sub_indication=sub,
        validation_time=at,
        chain=path,
        revocation=tuple(evidence),
        problems=tuple(problems),
        notes=tuple(notes),
        engine=settings.engine,
    )


# -- the cache --------------------------------------------------------------------------------


def _cache_key(
    leaf: x509.Certificate,
    trust: TrustStore,
    offered: tuple[x509.Certificate, ...],
    sources: RevocationSources,
    settings: _Settings,
) -> tuple[object, ...]:
    """The inputs as sets of digests: equal keys, equal answers, whatever the order given."""
    return (
        fingerprint(leaf),
        frozenset(fingerprint(c) for c in trust.anchors),
        frozenset(fingerprint(c) for c in (*offered, *trust.intermediates)),
        frozenset(crl_digest(c) for c in sources.crls),
        frozenset(sources.ocsp_responses),
        settings,
    )


def _critical_times(inputs: _Inputs) -> list[dt.datetime]:
    """Every time an answer may change at: each input's time, give or take the clock skew."""
    settings = inputs.settings
    times: list[dt.datetime] = []
    for certificate in (inputs.leaf, *inputs.anchors, *inputs.pool):
        times += (certificate.not_valid_before_utc, certificate.not_valid_after_utc)
    for crl in inputs.crls:
        times.append(crl.last_update_utc)
        if crl.next_update_utc is not None:
            times.append(crl.next_update_utc)
        times += (entry.revocation_date_utc for entry in crl)
        times += _no_next_update_bounds(crl.last_update_utc, settings)
    for data in inputs.ocsps:
        try:
            response = ocsp.load_der_ocsp_response(data)
        except ValueError:
            continue
        if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
            continue
        times.append(response.produced_at_utc)
        for single in response.responses:
            times.append(single.this_update_utc)
            times += _no_next_update_bounds(single.this_update_utc, settings)
            if single.next_update_utc is not None:
                times.append(single.next_update_utc)
            if single.revocation_time_utc is not None:
                times.append(single.revocation_time_utc)
    skew = settings.policy.clock_skew
    one = dt.timedelta(seconds=1)
    return [t + d for t in times for d in (-skew - one, -skew, dt.timedelta(0), skew, skew + one)]


#: How long the RFC 5280 engine takes an answer without nextUpdate to last (pyhanko-certvalidator's
#: FRESHNESS_FALLBACK_VALIDITY_DEFAULT); a time the answer may change at.
_ENGINE_FALLBACK_VALIDITY: Final = dt.timedelta(minutes=30)


def _no_next_update_bounds(this_update: dt.datetime, settings: _Settings) -> list[dt.datetime]:
    """Where an answer without nextUpdate stops counting, for either engine."""
    return [
        this_update + settings.policy.max_revocation_age,
        this_update + _ENGINE_FALLBACK_VALIDITY,
    ]


class _PathCache:
    """Answers per input set, each good for an open interval of validation times."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._entries: collections.OrderedDict[
            tuple[object, ...], list[tuple[dt.datetime, dt.datetime, PathReport]]
        ] = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...], at: dt.datetime) -> PathReport | None:
        with self._lock:
            windows = self._entries.get(key)
            if windows is None:
                return None
            self._entries.move_to_end(key)
            for low, high, report in windows:
                if low < at < high:
                    return report
            return None

    def put(
        self,
        key: tuple[object, ...],
        at: dt.datetime,
        report: PathReport,
        critical: list[dt.datetime],
    ) -> None:
        if any(t == at for t in critical):
            return  # exactly on a boundary: no interval around it is known to agree
        low = max((t for t in critical if t < at), default=dt.datetime.min.replace(tzinfo=dt.UTC))
        high = min((t for t in critical if t > at), default=dt.datetime.max.replace(tzinfo=dt.UTC))
        with self._lock:
            windows = self._entries.setdefault(key, [])
            self._entries.move_to_end(key)
            windows.append((low, high, report))
            del windows[:-4]
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every answer (tests; a trust store change needs nothing: it is in the key)."""
        with self._lock:
            self._entries.clear()


_CACHE: Final = _PathCache()


def clear_cache() -> None:
    """Forget every remembered path answer."""
    _CACHE.clear()
