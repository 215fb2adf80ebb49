"""``egovkit pdf sign`` / ``verify`` through the adapter's command module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from egovkit.testing.pki import FixturePKI
from egovkit.testing.tools import require
from egovkit_pdf.cli import main
from egovkit_pdf.testing import sample_pdf, seal_png, signature_png


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture(scope="module")
def document() -> bytes:
    return sample_pdf()


@pytest.fixture
def files(pki: FixturePKI, document: bytes, tmp_path: Path) -> Path:
    (tmp_path / "in.pdf").write_bytes(document)
    for credential in (pki.person, pki.agency):
        (tmp_path / f"{credential.name}.key").write_bytes(credential.key_pem())
        (tmp_path / f"{credential.name}.crt").write_bytes(credential.cert_pem())
    (tmp_path / "chain.pem").write_bytes(pki.person.chain_pem())
    (tmp_path / "root.pem").write_bytes(pki.root.cert_pem())
    (tmp_path / "ca.crl").write_bytes(pki.crl_der("intermediate"))
    (tmp_path / "root.crl").write_bytes(pki.crl_der("root"))
    (tmp_path / "sig.png").write_bytes(signature_png())
    (tmp_path / "seal.png").write_bytes(seal_png())
    return tmp_path


def test_sign_personal_then_agency_and_verify(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--chain", str(files / "chain.pem")]
    assert main(["sign", str(files / "in.pdf"), "-o", str(files / "a.pdf"),
                 "--key", str(files / "person.key"), "--cert", str(files / "person.crt"),
                 "--signature-image", str(files / "sig.png"), "--anchor", "CHU TICH",
                 *common]) == 0  # fmt: skip
    assert main(["sign", str(files / "a.pdf"), "-o", str(files / "b.pdf"), "--role", "agency",
                 "--key", str(files / "agency.key"), "--cert", str(files / "agency.crt"),
                 "--seal-image", str(files / "seal.png"), *common]) == 0  # fmt: skip
    capsys.readouterr()
    code = main(["verify", str(files / "b.pdf"), "--trust", str(files / "root.pem"),
                 "--crl", str(files / "ca.crl"), str(files / "root.crl"), "--json"])  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert len(report["signatures"]) == 2


def test_verify_failures_and_usage_errors(files: Path) -> None:
    assert main(["verify", str(files / "in.pdf"), "--trust", str(files / "root.pem")]) == 1
    assert main(["verify", str(files / "nope.pdf"), "--trust", str(files / "root.pem")]) == 2
    assert main(["sign", str(files / "in.pdf"), "-o", str(files / "x.pdf")]) == 2
    key = ["--key", str(files / "person.key"), "--cert", str(files / "person.crt")]
    assert main(["sign", str(files / "in.pdf"), "-o", str(files / "in.pdf"), *key]) == 2
    assert main(["sign", str(files / "in.pdf"), "-o", str(files / "x.pdf"), "--role",
                 "attachment", "--key", str(files / "agency.key"),
                 "--cert", str(files / "agency.crt")]) == 2  # fmt: skip


def test_sign_with_a_token(files: Path, pki: FixturePKI, monkeypatch: pytest.MonkeyPatch) -> None:
    softhsm = pytest.importorskip("egovkit_pkcs11.softhsm")
    require(softhsm.softhsm_module(), "SoftHSM2", install="Debian package softhsm2")
    token = softhsm.provision_token(
        "egovkit-pdf-cli",
        [
            softhsm.TokenKey(
                label="agency",
                key_id=b"\x21",
                key=pki.agency.key,
                certificate=pki.agency.certificate,
            )
        ],
    )
    monkeypatch.setenv("EGOVKIT_PIN", token.pin)
    args = ["sign", str(files / "in.pdf"), "-o", str(files / "t.pdf"), "--role", "attachment"]
    args += ["--number", "7/UBND-VP", "--pkcs11-module", token.module, "--token", token.label]
    args += ["--key-label", "agency", "--chain", str(files / "chain.pem")]
    assert main(args) == 0
    verify = ["verify", str(files / "t.pdf"), "--trust", str(files / "root.pem")]
    assert main([*verify, "--crl", str(files / "ca.crl"), str(files / "root.crl")]) == 0
