"""``egovkit sign`` and ``egovkit verify``: XML-DSig on edXML envelopes from the command line.

``verify`` exits 0 only for TOTAL_PASSED, 1 for any other indication, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from egovkit.cli.support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    Subparsers,
    add_command,
    add_json_option,
    add_output_option,
    emit,
    print_json,
)
from egovkit.errors import ConfigurationError, ParseError, SignatureError

#: Place in ``egovkit --help``.
ORDER = 40


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``sign`` and ``verify``."""
    p = add_command(
        subparsers,
        "sign",
        help="sign an edXML envelope (ký số thông điệp edXML)",
        description="Sign an edXML envelope with XML-DSig (ký số thông điệp edXML), with a "
        "key and certificate in PEM or PKCS#12; the input is never changed in place.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--key", type=Path, metavar="KEY.pem", help="private key (PEM)")
    p.add_argument("--cert", type=Path, metavar="CERT.pem", help="the signer's certificate (PEM)")
    p.add_argument(
        "--chain",
        type=Path,
        action="append",
        default=[],
        metavar="PEM",
        help="intermediate certificates to embed (repeatable)",
    )
    p.add_argument("--pkcs12", type=Path, metavar="FILE", help="key and certificates in PKCS#12")
    p.add_argument(
        "--password-env",
        metavar="VAR",
        help="environment variable holding the PKCS#12 or key password",
    )
    p.add_argument("--pss", action="store_true", help="sign RSA keys with RSA-PSS")
    add_output_option(p, required=True, metavar="OUT", help="the signed envelope to write")
    add_json_option(p, help="print the signer and output as JSON")
    p.set_defaults(run=_sign)

    p = add_command(
        subparsers,
        "verify",
        help="verify the signatures of an edXML envelope",
        description="Verify the XML-DSig signatures of an edXML envelope against trusted "
        "certificates and revocation data. Exit 0 only for TOTAL_PASSED, 1 otherwise.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    add_trust_options(p, required=True)
    p.add_argument(
        "--online",
        action="store_true",
        help="also fetch OCSP answers and CRLs from the certificates' URLs",
    )
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per fetch (--online)")
    p.add_argument(
        "--no-revocation", action="store_true", help="do not require revocation status (weaker)"
    )
    p.add_argument("--at", metavar="ISO", help="validation time, e.g. 2026-01-31T08:00:00+07:00")
    p.add_argument(
        "--policy",
        choices=["default", "legacy"],
        default="default",
        help="default: SHA-1, MD5 and short RSA keys fail; legacy: they read as INDETERMINATE "
        "(old messages of the national axis), never as passed",
    )
    add_json_option(p, help="print the report as JSON")
    p.set_defaults(run=_verify)


def add_trust_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """``--trust PEM…`` and ``--crl FILE…``, as every verifying command (edXML, PDF) takes them."""
    parser.add_argument(
        "--trust",
        type=Path,
        nargs="+",
        required=required,
        action="extend",
        default=[],
        metavar="PEM",
        help="trusted certificates: PEM/DER files or folders",
    )
    parser.add_argument(
        "--crl",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar="FILE",
        help="CRL files (DER or PEM)",
    )


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(
            f"cannot read {what} {path}: {exc.strerror}", code="io.read", where=str(path)
        ) from exc


def _password(variable: str | None) -> bytes | None:
    if variable is None:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise ConfigurationError(
            f"environment variable {variable} is not set", code="signatures.cli.password_env"
        )
    return value.encode()


def _sign(args: argparse.Namespace) -> int:
    from egovkit.signatures import KeyFileSigner, sign_envelope

    password = _password(args.password_env)
    try:
        if args.pkcs12 is not None:
            if args.key or args.cert:
                raise ConfigurationError(
                    "give either --pkcs12 or --key/--cert, not both", code="signatures.cli.usage"
                )
            signer = KeyFileSigner.from_pkcs12(
                _read(args.pkcs12, "PKCS#12 file"), password, pss=args.pss
            )
        elif args.key is not None and args.cert is not None:
            signer = KeyFileSigner.from_pem(
                _read(args.key, "key"),
                _read(args.cert, "certificate"),
                [_read(c, "chain") for c in args.chain],
                password=password,
                pss=args.pss,
            )
        else:
            raise ConfigurationError(
                "give --key and --cert, or --pkcs12", code="signatures.cli.usage"
            )
    except SignatureError as exc:
        raise ConfigurationError(exc.message, code=exc.code, where=exc.where) from exc
    signed = sign_envelope(_read(args.file, "envelope"), signer)
    try:
        args.output.write_bytes(signed)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write {args.output}: {exc.strerror}", code="io.write"
        ) from exc
    subject = signer.certificate.subject.rfc4514_string()
    emit(
        args,
        {"file": str(args.file), "output": str(args.output), "signer": subject},
        lambda _: f"{args.file}: signed by {subject} → {args.output}",
    )
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from egovkit.signatures import (
        RevocationSources,
        TrustStore,
        ValidationPolicy,
        verify,
    )
    from egovkit.signatures.revocation import HttpxClient

    at = None
    if args.at:
        try:
            at = dt.datetime.fromisoformat(args.at)
        except ValueError as exc:
            raise ConfigurationError(
                f"--at {args.at!r} is not an ISO date-time", code="signatures.cli.at"
            ) from exc
        if at.tzinfo is None:
            raise ConfigurationError(
                "--at needs a time zone, e.g. +07:00", code="signatures.cli.at"
            )
    trust = TrustStore.from_paths(*args.trust)
    sources = RevocationSources.from_files(*args.crl)
    if args.online:
        sources = RevocationSources(crls=sources.crls, http=HttpxClient(timeout=args.timeout))
    policy = ValidationPolicy.named(args.policy)
    if args.no_revocation:
        import attrs

        policy = attrs.evolve(policy, name=f"{policy.name}-no-revocation", check_revocation=False)
    report = verify(
        _read(args.file, "envelope"), trust=trust, at=at, policy=policy, revocation=sources
    )
    if args.json:
        print_json({"file": str(args.file), **report.to_dict()})
    else:
        print(f"{args.file}: {report.to_text()}")
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


__all__ = ["ORDER", "add_trust_options", "register"]
