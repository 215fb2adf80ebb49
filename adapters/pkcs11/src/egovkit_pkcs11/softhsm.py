"""A throw-away SoftHSM2 token for tests, examples and demonstrations — never for real keys.

SoftHSM2 (Debian ``softhsm2``) is a software PKCS#11 module. :func:`provision_token` makes a
private configuration in a temporary folder (``SOFTHSM2_CONF``), initialises a token, imports
keys with ``softhsm2-util`` and their certificates through PKCS#11. The module reads its
configuration once per process, so a process gets one SoftHSM folder; later calls add tokens
to it before the module is first loaded, or reuse what is there.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import attrs
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from egovkit.errors import ConfigurationError

#: Where Debian installs the module.
MODULE_CANDIDATES: Final = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)


def softhsm_module() -> str | None:
    """The SoftHSM2 module path, or ``None`` when SoftHSM2 is not installed."""
    if shutil.which("softhsm2-util") is None:
        return None
    return next((p for p in MODULE_CANDIDATES if Path(p).exists()), None)


@attrs.frozen(kw_only=True)
class TokenKey:
    """A key (and its certificate) to put on the token under ``label`` and ``key_id``."""

    label: str
    key_id: bytes
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = attrs.field(eq=False, repr=False)
    certificate: x509.Certificate


@attrs.frozen(kw_only=True)
class SoftHsmToken:
    """A provisioned token: where the module is, its label and user PIN."""

    module: str
    label: str
    pin: str
    directory: Path

    def slot_index(self) -> int:
        """The token's position among the module's slots with a token (for ``slot=``)."""
        from egovkit_pkcs11.signer import _library

        slots = _library(self.module).get_slots(token_present=True)
        labels = [slot.get_token().label for slot in slots]
        return labels.index(self.label)


_STATE: dict[str, object] = {}


def _directory() -> Path:
    found = _STATE.get("dir")
    if isinstance(found, Path):
        return found
    directory = Path(tempfile.mkdtemp(prefix="egovkit-softhsm-"))
    atexit.register(shutil.rmtree, directory, True)  # the token dies with the process
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\nslots.removable = false\n",
        encoding="utf-8",
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _STATE["dir"] = directory
    return directory


def _run(arguments: Sequence[str]) -> None:
    result = subprocess.run(
        ["softhsm2-util", *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
        timeout=60,
    )
    if result.returncode != 0:
        raise ConfigurationError(
            f"softhsm2-util {arguments[0]} failed: {result.stderr.strip() or result.stdout}",
            code="pkcs11.softhsm",
        )


def provision_token(
    label: str, keys: Sequence[TokenKey], *, pin: str = "123456", so_pin: str = "12345678"
) -> SoftHsmToken:
    """Initialise token ``label`` holding ``keys`` (once per process and label)."""
    module = softhsm_module()
    if module is None:
        raise ConfigurationError(
            "SoftHSM2 is not installed (Debian package softhsm2)", code="pkcs11.softhsm.missing"
        )
    existing = _STATE.get(f"token:{label}")
    if isinstance(existing, SoftHsmToken):
        return existing
    directory = _directory()
    _run(["--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin])
    for item in keys:
        pem = directory / f"{label}-{item.key_id.hex()}.pem"
        pem.write_bytes(
            item.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        try:
            _run(
                [
                    "--import",
                    str(pem),
                    "--token",
                    label,
                    "--label",
                    item.label,
                    "--id",
                    item.key_id.hex(),
                    "--pin",
                    pin,
                ]
            )
        finally:
            pem.unlink()
    _store_certificates(module, label, pin, keys)
    token = SoftHsmToken(module=module, label=label, pin=pin, directory=directory)
    _STATE[f"token:{label}"] = token
    return token


def _store_certificates(module: str, label: str, pin: str, keys: Sequence[TokenKey]) -> None:
    from pkcs11 import Attribute, CertificateType, ObjectClass

    from egovkit_pkcs11.signer import _library

    library = _library(module)
    library.reinitialize()  # see the token initialised after the module was loaded
    token = library.get_token(token_label=label)
    with token.open(rw=True, user_pin=pin) as session:
        for item in keys:
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: item.label,
                    Attribute.ID: item.key_id,
                    Attribute.SUBJECT: item.certificate.subject.public_bytes(),
                    Attribute.VALUE: item.certificate.public_bytes(serialization.Encoding.DER),
                }
            )
