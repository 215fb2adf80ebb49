"""``egovkit exchange`` against the axis test server, with the secret from the environment."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from egovkit.cli import main
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_envelope
from egovkit_vdxp.testing import AxisTestServer, Verifier


def test_send_and_fetch_through_the_axis(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    recipe_verifier: Callable[[dict[str, str]], Verifier],
) -> None:
    monkeypatch.setenv("VDXP_SECRET", "cli-secret")
    _, data = sample_envelope()
    envelope = tmp_path / "out.edxml"
    envelope.write_bytes(data)
    verifier = recipe_verifier({str(SENDER): "cli-secret", str(RECIPIENT): "cli-secret"})
    with AxisTestServer(verifier=verifier) as axis:
        endpoint = axis.url.replace("http://", "vdxp+http://")
        secret = ["--secret-env", "VDXP_SECRET", "--timeout", "5"]
        as_sender = ["--system-id", str(SENDER), *secret]
        as_recipient = ["--system-id", str(RECIPIENT), *secret]
        assert (
            main(
                [
                    "exchange",
                    "send",
                    str(envelope),
                    "--endpoint",
                    endpoint,
                    "--agency",
                    str(SENDER),
                    *as_sender,
                ]
            )
            == 0
        )
        sent = json.loads(capsys.readouterr().out)
        assert sent["message_id"].startswith("VDXP-")
        assert (
            main(
                [
                    "exchange",
                    "fetch",
                    "--endpoint",
                    endpoint,
                    "--agency",
                    str(RECIPIENT),
                    "-o",
                    str(tmp_path / "in"),
                    "--confirm",
                    *as_recipient,
                ]
            )
            == 0
        )
        [item] = json.loads(capsys.readouterr().out)
        assert Path(item["file"]).read_bytes() == data
        assert axis.waiting[str(RECIPIENT)] == []
        monkeypatch.setenv("VDXP_SECRET", "wrong")
        assert (
            main(
                [
                    "exchange",
                    "fetch",
                    "--endpoint",
                    endpoint,
                    "--agency",
                    str(RECIPIENT),
                    "-o",
                    str(tmp_path / "in"),
                    *as_recipient,
                ]
            )
            == 3
        )
        assert "wrong" not in capsys.readouterr().err


def test_open_exchange_from_a_url() -> None:
    from egovkit.errors import ConfigurationError
    from egovkit.exchange.registry import open_exchange
    from egovkit_vdxp import VdxpExchange

    with open_exchange(
        "vdxp+https://axis.example.invalid/vxp",
        agency=SENDER,
        system_id=str(SENDER),
        secret="kept-secret-77",
    ) as exchange:
        assert isinstance(exchange, VdxpExchange)
        assert "kept-secret-77" not in repr(exchange.client)
    with pytest.raises(ConfigurationError) as caught:
        open_exchange("vdxp+https://axis.example.invalid", agency=SENDER)
    assert caught.value.code == "vdxp.auth"
