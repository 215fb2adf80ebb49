"""``egovkit pdf sign`` and ``egovkit pdf verify`` (also runnable as ``egovkit-pdf``).

Registered for the ``egovkit`` command through the ``egovkit.cli`` entry point; exit codes are
those of ``egovkit verify``: 0 passed, 1 failed a check, 2 usage or unreadable input, 3 other.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from egovkit.cli.signatures import add_trust_options
from egovkit.cli.support import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    CommandParser,
    Subparsers,
    add_command,
    add_json_option,
    add_output_option,
    emit,
    print_json,
    run_parser,
)
from egovkit.errors import ConfigurationError, ParseError

if TYPE_CHECKING:
    from egovkit.signatures import Signer

ORDER = 45


def register(subparsers: Subparsers[argparse.ArgumentParser]) -> None:
    """Add the ``pdf`` command group."""
    group = add_command(
        subparsers,
        "pdf",
        help="sign and verify PDF documents (PAdES)",
        description="Sign PDF documents with PAdES signatures laid out as Decree 30/2020 "
        "asks (a person, the agency's seal, an attachment) and verify them.",
    )
    commands = group.add_subparsers(dest="pdf_command", metavar="COMMAND", required=True)
    p = add_command(
        commands,
        "sign",
        help="sign a PDF as a person, the agency or an attachment",
        description="Sign a PDF as a person (chữ ký cá nhân), the agency (con dấu) or an "
        "attachment (văn bản kèm theo), with a key file or a PKCS#11 token; the input is "
        "never changed in place.",
    )
    p.add_argument("file", type=Path, metavar="IN.pdf")
    add_output_option(p, required=True, metavar="OUT.pdf", help="the signed PDF to write")
    p.add_argument("--key", type=Path, metavar="KEY.pem", help="private key (PEM)")
    p.add_argument("--cert", type=Path, metavar="CERT.pem", help="the signer's certificate (PEM)")
    p.add_argument(
        "--chain",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar="PEM",
        help="intermediate certificates to embed",
    )
    p.add_argument("--pkcs11-module", metavar="SO", help="PKCS#11 module of the token")
    p.add_argument("--token", metavar="LABEL", help="token label")
    p.add_argument("--key-label", metavar="L", help="key label on the token")
    p.add_argument(
        "--pin-env", default="EGOVKIT_PIN", metavar="VAR", help="environment variable with the PIN"
    )
    p.add_argument(
        "--role",
        choices=["personal", "agency", "attachment"],
        default="personal",
        help="who signs: a person (default), the agency (seal) or an attachment",
    )
    p.add_argument(
        "--signature-image",
        type=Path,
        metavar="IMAGE",
        help="PNG (or JPEG, with Pillow) of the handwritten signature",
    )
    p.add_argument(
        "--seal-image", type=Path, metavar="IMAGE", help="PNG (or JPEG, with Pillow) of the seal"
    )
    p.add_argument("--number", help="number and notation (attachments), e.g. 15/QĐ-UBND")
    p.add_argument("--anchor", help="place the image under this text (e.g. the position)")
    p.add_argument("--over", default="ChuKyCaNhan", help="field the agency seal overlaps")
    p.add_argument("--tsa", metavar="URL", help="RFC 3161 time-stamp authority (B-T)")
    p.add_argument(
        "--level",
        choices=["B-B", "B-T", "B-LT", "B-LTA"],
        default=None,
        help="PAdES baseline level (default B-T with --tsa, else B-B)",
    )
    add_trust_options(p, required=False)
    add_json_option(p, help="print the signer, level and output as JSON")
    p.set_defaults(run=_sign)

    p = add_command(
        commands,
        "verify",
        help="verify the signatures of a PDF",
        description="Verify every signature of a PDF against trusted certificates and "
        "revocation data. Exit 0 only if all pass, 1 otherwise.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    add_trust_options(p, required=True)
    p.add_argument("--no-revocation", action="store_true", help="do not require revocation data")
    p.add_argument("--at", metavar="ISO", help="validation time, e.g. 2026-01-31T08:00:00+07:00")
    add_json_option(p, help="print the report as JSON")
    p.set_defaults(run=_verify)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(
            f"cannot read {what} {path}: {exc.strerror}", code="io.read", where=str(path)
        ) from exc


def _signer(args: argparse.Namespace) -> Signer:
    from egovkit.signatures import KeyFileSigner

    chain = [_read(c, "chain") for c in args.chain]
    if args.pkcs11_module:
        if not (args.token and args.key_label):
            raise ConfigurationError(
                "--pkcs11-module needs --token and --key-label", code="pdf.cli.usage"
            )
        from cryptography import x509

        try:
            from egovkit_pkcs11 import Pkcs11Signer, pin_from_env
        except ImportError as exc:
            raise ConfigurationError(
                "PKCS#11 signing needs the egovkit-pkcs11 distribution", code="pdf.cli.pkcs11"
            ) from exc

        return Pkcs11Signer(
            module=args.pkcs11_module,
            token_label=args.token,
            key_label=args.key_label,
            pin=pin_from_env(args.pin_env),
            chain=[c for data in chain for c in x509.load_pem_x509_certificates(data)],
        )
    if args.key is None or args.cert is None:
        raise ConfigurationError(
            "give --key and --cert, or --pkcs11-module/--token/--key-label", code="pdf.cli.usage"
        )
    return KeyFileSigner.from_pem(_read(args.key, "key"), _read(args.cert, "certificate"), chain)


def _sign(args: argparse.Namespace) -> int:
    from egovkit.signatures import RevocationSources, TrustStore
    from egovkit_pdf import HttpTimeStamper, Level, Placement, Role, SignOptions, sign_pdf

    if args.output.resolve() == args.file.resolve():
        raise ConfigurationError(
            "the output must be a new file; the input is never changed in place",
            code="pdf.cli.in_place",
        )
    role = Role(args.role)
    image_path = args.seal_image if role is Role.AGENCY else args.signature_image
    placement = None
    if role is Role.AGENCY and image_path is not None:
        placement = Placement.over_signature(args.over)
    elif args.anchor:
        placement = Placement.below_text(args.anchor)
    level = Level(args.level) if args.level else (Level.B_T if args.tsa else Level.B_B)
    options = SignOptions(
        role=role,
        level=level,
        image=_read(image_path, "image") if image_path is not None else None,
        placement=placement,
        number=args.number,
        timestamper=HttpTimeStamper(args.tsa) if args.tsa else None,
        trust=TrustStore.from_paths(*args.trust) if args.trust else None,
        revocation=RevocationSources.from_files(*args.crl) if args.crl else None,
    )
    signer = _signer(args)
    signed = sign_pdf(_read(args.file, "PDF"), signer, options)
    try:
        args.output.write_bytes(signed)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write {args.output}: {exc.strerror}", code="io.write"
        ) from exc
    subject = signer.certificate.subject.rfc4514_string()
    emit(
        args,
        {
            "file": str(args.file),
            "output": str(args.output),
            "level": level.value,
            "signer": subject,
        },
        lambda _: f"{args.file}: signed ({level.value}) by {subject} → {args.output}",
    )
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    import attrs

    from egovkit.signatures import DEFAULT_POLICY, RevocationSources, TrustStore
    from egovkit_pdf import verify_pdf

    at = None
    if args.at:
        try:
            at = dt.datetime.fromisoformat(args.at)
        except ValueError as exc:
            raise ConfigurationError(
                f"--at {args.at!r} is not an ISO date-time", code="pdf.cli.at"
            ) from exc
        if at.tzinfo is None:
            raise ConfigurationError("--at needs a time zone, e.g. +07:00", code="pdf.cli.at")
    policy = DEFAULT_POLICY
    if args.no_revocation:
        policy = attrs.evolve(policy, name="default-no-revocation", check_revocation=False)
    report = verify_pdf(
        _read(args.file, "PDF"),
        trust=TrustStore.from_paths(*args.trust),
        at=at,
        policy=policy,
        revocation=RevocationSources.from_files(*args.crl),
    )
    if args.json:
        print_json({"file": str(args.file), **report.to_dict()})
    else:
        print(f"{args.file}: {report.to_text()}")
    return EXIT_OK if report.passed else EXIT_CHECK_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """``egovkit-pdf sign|verify …``: the same commands without the ``egovkit`` launcher."""
    parser: argparse.ArgumentParser = CommandParser(prog="egovkit-pdf")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register(subparsers)
    return run_parser(parser, ["pdf", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
