"""``egovkit sign`` and ``egovkit verify``: exit codes and the JSON keys are a contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from egovkit.cli import main
from egovkit.testing.pki import FixturePKI

from .conftest import SAMPLES, envelope


@pytest.fixture
def setup(pki: FixturePKI, tmp_path: Path) -> Path:
    files = {
        "env.xml": envelope(),
        "key.pem": pki.agency.key_pem(),
        "cert.pem": pki.agency.cert_pem(),
        "chain.pem": pki.agency.chain_pem(),
        "root.pem": pki.root.cert_pem(),
        "inter.crl": pki.crl_der(),
        "root.crl": pki.crl("root").public_bytes(serialization.Encoding.PEM),
        "person.p12": pki.person.pkcs12(b"bi-mat"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def _verify(
    d: Path, capsys: pytest.CaptureFixture[str], file: str, *extra: str
) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(
        [
            "verify",
            str(d / file),
            "--trust",
            str(d / "root.pem"),
            "--crl",
            str(d / "inter.crl"),
            str(d / "root.crl"),
            "--json",
            *extra,
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def test_sign_then_verify(setup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = setup
    code = main(
        [
            "sign",
            str(d / "env.xml"),
            "--key",
            str(d / "key.pem"),
            "--cert",
            str(d / "cert.pem"),
            "--chain",
            str(d / "chain.pem"),
            "-o",
            str(d / "signed.xml"),
        ]
    )
    assert code == 0
    capsys.readouterr()
    code, data = _verify(d, capsys, "signed.xml")
    assert code == 0
    assert data["indication"] == "TOTAL_PASSED"
    assert data["sub_indication"] is None
    assert data["signatures"][0]["signer"]["budget_unit_code"] == "1234567"


def test_pkcs12_and_multiple_signatures(
    setup: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = setup
    monkeypatch.setenv("EGOV_P12_PASSWORD", "bi-mat")
    assert (
        main(
            [
                "sign",
                str(d / "env.xml"),
                "--pkcs12",
                str(d / "person.p12"),
                "--password-env",
                "EGOV_P12_PASSWORD",
                "-o",
                str(d / "one.xml"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "sign",
                str(d / "one.xml"),
                "--key",
                str(d / "key.pem"),
                "--cert",
                str(d / "cert.pem"),
                "--chain",
                str(d / "chain.pem"),
                "-o",
                str(d / "two.xml"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    code, data = _verify(d, capsys, "two.xml")
    assert code == 0
    assert [s["signer_kind"] for s in data["signatures"]] == ["person", "organisation"]


def test_verify_failures_exit_1(setup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = setup
    (d / "sample.xml").write_bytes((SAMPLES / "edoc_new.edxml").read_bytes())
    code, data = _verify(d, capsys, "sample.xml", "--policy", "legacy")
    assert code == 1
    assert data["indication"] == "TOTAL_FAILED"
    assert data["sub_indication"] == "FORMAT_FAILURE"
    code, data = _verify(d, capsys, "env.xml")
    assert code == 1
    # Without revocation data the best answer is INDETERMINATE, which also exits 1.
    assert (
        main(
            [
                "sign",
                str(d / "env.xml"),
                "--key",
                str(d / "key.pem"),
                "--cert",
                str(d / "cert.pem"),
                "--chain",
                str(d / "chain.pem"),
                "-o",
                str(d / "s.xml"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    code = main(["verify", str(d / "s.xml"), "--trust", str(d / "root.pem"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert (code, data["indication"], data["sub_indication"]) == (1, "INDETERMINATE", "TRY_LATER")
    code = main(["verify", str(d / "s.xml"), "--trust", str(d / "root.pem"), "--no-revocation"])
    assert code == 0
    assert "TOTAL_PASSED" in capsys.readouterr().out


def test_usage_errors_exit_2(setup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = setup
    assert main(["verify", str(d / "missing.xml"), "--trust", str(d / "root.pem")]) == 2
    assert main(["verify", str(d / "env.xml"), "--trust", str(d / "nope.pem")]) == 2
    assert (
        main(["verify", str(d / "env.xml"), "--trust", str(d / "root.pem"), "--at", "yesterday"])
        == 2
    )
    assert (
        main(
            [
                "verify",
                str(d / "env.xml"),
                "--trust",
                str(d / "root.pem"),
                "--at",
                "2026-01-01T00:00:00",
            ]
        )
        == 2
    )
    assert (
        main(["sign", str(d / "env.xml"), "--key", str(d / "key.pem"), "-o", str(d / "x.xml")]) == 2
    )
    assert (
        main(
            [
                "sign",
                str(d / "env.xml"),
                "--pkcs12",
                str(d / "person.p12"),
                "--password-env",
                "EGOV_UNSET_VARIABLE_XYZ",
                "-o",
                str(d / "x.xml"),
            ]
        )
        == 2
    )
    with pytest.raises(SystemExit) as caught:
        main(["verify", str(d / "env.xml")])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["verify", str(d / "env.xml"), "--trust", str(d / "root.pem"), "--policy", "lax"])
    assert caught.value.code == 2
