"""``egovkit exchange`` against the axis test server, with the secret from the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from egovkit.cli import main
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_envelope
from egovkit_vdxp.testing import AxisTestServer


def test_send_and_fetch_through_the_axis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VDXP_SECRET", "cli-secret")
    _, data = sample_envelope()
    envelope = tmp_path / "out.edxml"
    envelope.write_bytes(data)
    with AxisTestServer(credentials=("H99-QLVB", "cli-secret")) as axis:
        endpoint = axis.url.replace("http://", "vdxp+http://")
        auth = ["--system-id", "H99-QLVB", "--secret-env", "VDXP_SECRET", "--timeout", "5"]
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
                    *auth,
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
                    *auth,
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
                    *auth,
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
        "vdxp+https://axis.example.invalid/vxp", agency=SENDER, system_id="s", secret="k"
    ) as exchange:
        assert isinstance(exchange, VdxpExchange)
        assert "k" not in repr(exchange.client)
    with pytest.raises(ConfigurationError) as caught:
        open_exchange("vdxp+https://axis.example.invalid", agency=SENDER)
    assert caught.value.code == "vdxp.auth"
