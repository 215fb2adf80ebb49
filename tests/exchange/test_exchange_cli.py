"""``egovkit exchange send|fetch|ack`` against an in-process endpoint (``memory://``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from egovkit.cli import main
from egovkit.exchange import MessageKind
from egovkit.exchange.registry import memory_axis, open_exchange
from egovkit.testing.contracts.exchange import RECIPIENT, SENDER, sample_envelope


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_send_fetch_ack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = f"memory://cli-{tmp_path.name}"
    document_id, data = sample_envelope()
    envelope = tmp_path / "out.edxml"
    envelope.write_bytes(data)
    code, sent = run(
        capsys, "exchange", "send", str(envelope), "--endpoint", endpoint, "--agency", str(SENDER)
    )
    assert code == 0
    assert isinstance(sent, dict)
    assert sent["document_id"] == document_id
    assert sent["to"] == [str(RECIPIENT)]

    inbox = tmp_path / "inbox"
    code, fetched = run(
        capsys,
        "exchange",
        "fetch",
        "--endpoint",
        endpoint,
        "--agency",
        str(RECIPIENT),
        "-o",
        str(inbox),
        "--confirm",
    )
    assert code == 0
    assert isinstance(fetched, list)
    [item] = fetched
    assert Path(item["file"]).read_bytes() == data
    assert open_exchange(endpoint, agency=RECIPIENT).received() == ()

    code, acked = run(
        capsys,
        "exchange",
        "ack",
        item["file"],
        "--status",
        "03",
        "--endpoint",
        endpoint,
        "--agency",
        str(RECIPIENT),
    )
    assert code == 0
    assert isinstance(acked, dict)
    assert acked["to"] == str(SENDER)
    waiting = memory_axis(f"cli-{tmp_path.name}").connect(SENDER).received(kind=MessageKind.STATUS)
    assert len(waiting) == 1


def test_errors_have_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = sample_envelope()
    envelope = tmp_path / "out.edxml"
    envelope.write_bytes(data)
    base = ["exchange", "send", str(envelope), "--agency", str(SENDER)]
    assert main([*base, "--endpoint", "nowhere"]) == 2
    assert main([*base, "--endpoint", "smoke+https://x"]) == 2
    assert "no exchange adapter" in capsys.readouterr().err
    assert main([*base, "--endpoint", "memory://x", "--secret-env", "EGOVKIT_NO_SUCH_VAR"]) == 2
    assert (
        main(
            [
                "exchange",
                "send",
                str(tmp_path / "missing.edxml"),
                "--agency",
                str(SENDER),
                "--endpoint",
                "memory://x",
            ]
        )
        == 2
    )
