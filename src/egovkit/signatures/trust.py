"""Trust: which certificates are anchors, and building and checking a chain up to one.

Trust is explicit: a certificate is trusted because it is in the store, never because its name
contains a keyword. Intermediates come from the message or the store; they are never trusted by
themselves.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtensionOID

from egovkit.errors import ConfigurationError
from egovkit.findings import Finding, Severity
from egovkit.signatures._certs import subject_text
from egovkit.signatures.algorithms import DigestAlgorithm
from egovkit.signatures.policy import ValidationPolicy
from egovkit.signatures.report import Indication, SubIndication

_CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
_HANDLED_EXTENSIONS = {
    ExtensionOID.BASIC_CONSTRAINTS,
    ExtensionOID.KEY_USAGE,
    ExtensionOID.EXTENDED_KEY_USAGE,
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
    ExtensionOID.SUBJECT_KEY_IDENTIFIER,
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
    ExtensionOID.CRL_DISTRIBUTION_POINTS,
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS,
    ExtensionOID.CERTIFICATE_POLICIES,
}


def load_certificates(data: bytes, *, where: str = "") -> tuple[x509.Certificate, ...]:
    """Every certificate in PEM bytes (one or more) or one DER certificate."""
    try:
        if b"-----BEGIN" in data:
            return tuple(x509.load_pem_x509_certificates(data))
        return (x509.load_der_x509_certificate(data),)
    except ValueError as exc:
        raise ConfigurationError(
            f"cannot read certificates: {exc}", code="signatures.trust.bad_certificate", where=where
        ) from exc


@attrs.frozen(kw_only=True)
class TrustStore:
    """Trust anchors (chứng thư gốc tin cậy) and optional intermediate certificates."""

    anchors: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...] = ()

    @classmethod
    def from_pem(cls, *pem: bytes, intermediates: Iterable[bytes] = ()) -> TrustStore:
        """Anchors from PEM bytes (one or more certificates per argument)."""
        anchors = tuple(c for data in pem for c in load_certificates(data))
        extra = tuple(c for data in intermediates for c in load_certificates(data))
        if not anchors:
            raise ConfigurationError(
                "a trust store needs at least one anchor", code="signatures.trust.empty"
            )
        return cls(anchors=anchors, intermediates=extra)

    @classmethod
    def from_paths(
        cls,
        *paths: str | os.PathLike[str],
        intermediates: Iterable[str | os.PathLike[str]] = (),
    ) -> TrustStore:
        """Anchors from PEM or DER files, or folders of ``.pem``, ``.crt``, ``.cer``, ``.der``."""
        anchors = _read_paths(paths)
        if not anchors:
            raise ConfigurationError(
                "no certificates found in the given trust paths", code="signatures.trust.empty"
            )
        return cls(anchors=anchors, intermediates=_read_paths(intermediates))

    @classmethod
    def from_trust_list(cls, folder: str | os.PathLike[str]) -> TrustStore:
        """A national trust list kept as files: ``folder/anchors/`` holds the roots (for
        example the national root CA and the Government root CA), the optional
        ``folder/intermediates/`` the CA certificates below them.

        >>> # store = TrustStore.from_trust_list("/etc/egovkit/trust-vn")

        Only ``anchors/`` is trusted; intermediates help build chains and are validated like
        any certificate a message brings.
        """
        base = Path(folder)
        if not (base / "anchors").is_dir():
            raise ConfigurationError(
                f"{base} has no anchors/ folder (the trusted roots)",
                code="signatures.trust.layout",
                where=str(base),
            )
        extra = [base / "intermediates"] if (base / "intermediates").is_dir() else []
        return cls.from_paths(base / "anchors", intermediates=extra)

    def with_intermediates(self, *certificates: x509.Certificate) -> TrustStore:
        """A store that also offers ``certificates`` for chain building (not as anchors)."""
        return attrs.evolve(self, intermediates=(*self.intermediates, *certificates))

    def is_anchor(self, certificate: x509.Certificate) -> bool:
        """True when ``certificate`` is one of the anchors (byte for byte)."""
        return any(certificate == anchor for anchor in self.anchors)


def _read_paths(paths: Iterable[str | os.PathLike[str]]) -> tuple[x509.Certificate, ...]:
    found: list[x509.Certificate] = []
    for raw in paths:
        path = Path(raw)
        files = (
            sorted(p for p in path.iterdir() if p.suffix.lower() in _CERT_SUFFIXES and p.is_file())
            if path.is_dir()
            else [path]
        )
        for file in files:
            try:
                data = file.read_bytes()
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot read {file}: {exc.strerror}",
                    code="signatures.trust.io",
                    where=str(file),
                ) from exc
            found.extend(load_certificates(data, where=str(file)))
    return tuple(found)


def build_chain(
    leaf: x509.Certificate, *, candidates: Sequence[x509.Certificate], store: TrustStore
) -> tuple[x509.Certificate, ...] | None:
    """The first chain leaf → … → anchor :func:`~egovkit.signatures.validate_path` would try,
    or ``None`` (no anchor reachable, or the work budget ran out). Nothing is validated: call
    :func:`~egovkit.signatures.validate_path` to decide anything."""
    from egovkit.signatures.pathvalidation import first_candidate_path

    return first_candidate_path(leaf, candidates=candidates, store=store)


@attrs.frozen(kw_only=True)
class Problem:
    """One reason a chain is not good enough, with the indication it leads to."""

    indication: Indication
    sub_indication: SubIndication
    finding: Finding

    def graded(self) -> Finding:
        """The finding, an error when the problem fails the signature and a warning otherwise."""
        failed = self.indication is Indication.TOTAL_FAILED
        return attrs.evolve(self.finding, severity=Severity.ERROR if failed else Severity.WARNING)


def problem(
    indication: Indication, sub: SubIndication, code: str, where: str, message: str
) -> Problem:
    """A :class:`Problem` with the finding ``signatures.<code>``."""
    return Problem(
        indication=indication,
        sub_indication=sub,
        finding=Finding(code=f"signatures.{code}", where=where, message=message),
    )


def _label(certificate: x509.Certificate) -> str:
    return subject_text(certificate) or f"serial {certificate.serial_number:x}"


def key_problems(
    certificate: x509.Certificate, policy: ValidationPolicy, *, where: str
) -> list[Problem]:
    """Weak keys by the policy (RSA or EC size)."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < policy.min_rsa_bits:
        return [
            problem(
                policy.weak_indication,
                policy.weak_sub_indication,
                "weak.rsa_key",
                where,
                f"RSA key of {key.key_size} bits (policy minimum {policy.min_rsa_bits}) in "
                f"{_label(certificate)}",
            )
        ]
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.key_size < policy.min_ec_bits:
        return [
            problem(
                policy.weak_indication,
                policy.weak_sub_indication,
                "weak.ec_key",
                where,
                f"EC key of {key.curve.key_size} bits in {_label(certificate)}",
            )
        ]
    return []


def _hash_name(certificate: x509.Certificate) -> str | None:
    algorithm = certificate.signature_hash_algorithm
    return algorithm.name if algorithm is not None else None


def check_chain(
    chain: Sequence[x509.Certificate], *, at: dt.datetime, policy: ValidationPolicy
) -> list[Problem]:
    """Validity at ``at``, CA constraints, key usage, unknown critical extensions, weak crypto.

    With no time-stamp, the validation time stands for the signing time: a certificate that
    had expired (or was not yet valid) then makes the signature fail.
    """
    problems: list[Problem] = []
    for depth, certificate in enumerate(chain):
        where = f"chain[{depth}]"
        is_anchor = depth == len(chain) - 1
        problems += _validity(certificate, at, policy, where)
        problems += _unknown_critical(certificate, where)
        if depth > 0:  # the signing certificate's key is checked with the signature
            problems += key_problems(certificate, policy, where=where)
        if not is_anchor:
            problems += _weak_signature(certificate, policy, where)
        if depth == 0:
            problems += _leaf_usage(certificate, where)
        else:
            below = sum(1 for c in chain[1:depth] if not self_issued(c))
            problems += _ca_constraints(certificate, below, where)
    return problems


def self_issued(certificate: x509.Certificate) -> bool:
    """Subject and issuer are the same name (RFC 5280 §6.1: these do not count for pathLen)."""
    from egovkit.signatures._names import names_match

    return names_match(certificate.subject, certificate.issuer)


def _weak_signature(
    certificate: x509.Certificate, policy: ValidationPolicy, where: str
) -> list[Problem]:
    """The certificate is signed with a digest the policy calls weak."""
    name = _hash_name(certificate)
    if name not in {d.value for d in policy.weak_digests}:
        return []
    return [
        problem(
            policy.weak_indication,
            policy.weak_sub_indication,
            "weak.certificate_signature",
            where,
            f"{_label(certificate)} is signed with {name}",
        )
    ]


def _validity(
    certificate: x509.Certificate, at: dt.datetime, policy: ValidationPolicy, where: str
) -> list[Problem]:
    label = _label(certificate)
    problems: list[Problem] = []
    if at < certificate.not_valid_before_utc - policy.clock_skew:
        problems.append(
            problem(
                Indication.TOTAL_FAILED,
                SubIndication.NOT_YET_VALID,
                "certificate.not_yet_valid",
                where,
                f"{label} is valid only from {certificate.not_valid_before_utc.isoformat()} "
                "(chưa có hiệu lực)",
            )
        )
    if at > certificate.not_valid_after_utc + policy.clock_skew:
        problems.append(
            problem(
                Indication.TOTAL_FAILED,
                SubIndication.EXPIRED,
                "certificate.expired",
                where,
                f"{label} expired on {certificate.not_valid_after_utc.isoformat()} (hết hạn)",
            )
        )
    return problems


def validity_problems(
    chain: Sequence[x509.Certificate], *, at: dt.datetime, policy: ValidationPolicy
) -> list[Problem]:
    """Each certificate of ``chain`` expired or not yet valid at ``at`` (with the clock skew)."""
    return [p for depth, c in enumerate(chain) for p in _validity(c, at, policy, f"chain[{depth}]")]


def leaf_checks(
    chain: Sequence[x509.Certificate], *, at: dt.datetime, policy: ValidationPolicy
) -> list[Problem]:
    """egovkit's own rules on top of an RFC 5280 engine's answer for ``chain``.

    The policy's weak keys and certificate-signature digests, the signer's key usage, and
    unknown critical extensions of the end-entity certificate (RFC 5280 leaves those to the
    application).
    """
    problems: list[Problem] = []
    last = len(chain) - 1
    for depth, certificate in enumerate(chain):
        where = f"chain[{depth}]"
        if depth > 0:  # the signing certificate's key is checked with the signature
            problems += key_problems(certificate, policy, where=where)
        if depth < last:
            problems += _weak_signature(certificate, policy, where)
    if chain:
        problems += _leaf_usage(chain[0], "chain[0]")
        problems += _unknown_critical(chain[0], "chain[0]")
    return problems


def _unknown_critical(certificate: x509.Certificate, where: str) -> list[Problem]:
    return [
        problem(
            Indication.INDETERMINATE,
            SubIndication.CHAIN_CONSTRAINTS_FAILURE,
            "certificate.unknown_critical_extension",
            where,
            f"{_label(certificate)} has a critical extension egovkit does not enforce "
            f"({extension.oid.dotted_string})",
        )
        for extension in certificate.extensions
        if extension.critical and extension.oid not in _HANDLED_EXTENSIONS
    ]


def _extension(certificate: x509.Certificate, kind: type[x509.ExtensionType]) -> object | None:
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _leaf_usage(certificate: x509.Certificate, where: str) -> list[Problem]:
    usage = _extension(certificate, x509.KeyUsage)
    if isinstance(usage, x509.KeyUsage) and not (
        usage.digital_signature or usage.content_commitment
    ):
        return [
            problem(
                Indication.INDETERMINATE,
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                "certificate.key_usage",
                where,
                f"{_label(certificate)} may not sign (key usage lacks digitalSignature and "
                "nonRepudiation)",
            )
        ]
    return []


def _ca_constraints(certificate: x509.Certificate, below: int, where: str) -> list[Problem]:
    problems: list[Problem] = []
    label = _label(certificate)
    basic = _extension(certificate, x509.BasicConstraints)
    if not (isinstance(basic, x509.BasicConstraints) and basic.ca):
        problems.append(
            problem(
                Indication.INDETERMINATE,
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                "certificate.not_a_ca",
                where,
                f"{label} issued a certificate but is not a CA (basicConstraints)",
            )
        )
    elif basic.path_length is not None and below > basic.path_length:
        problems.append(
            problem(
                Indication.INDETERMINATE,
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                "certificate.path_length",
                where,
                f"{label} allows {basic.path_length} intermediate(s) below it, found {below}",
            )
        )
    usage = _extension(certificate, x509.KeyUsage)
    if isinstance(usage, x509.KeyUsage) and not usage.key_cert_sign:
        problems.append(
            problem(
                Indication.INDETERMINATE,
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                "certificate.ca_key_usage",
                where,
                f"{label} may not sign certificates (key usage lacks keyCertSign)",
            )
        )
    return problems


def weak_digest(digest: DigestAlgorithm, policy: ValidationPolicy) -> bool:
    """True when the policy calls ``digest`` weak."""
    return digest in policy.weak_digests
