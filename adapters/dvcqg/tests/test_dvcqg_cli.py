from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import egovkit
from egovkit.dossiers import dossier_to_dict
from egovkit.ports import Record
from egovkit.services.contract import sample_dossier
from egovkit_dvcqg.cli import DOSSIERS_COLLECTION, main
from egovkit_dvcqg.testing import FakePortal, running_portal


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with running_portal() as fake:
        yield fake


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'egov.db'}"
    with egovkit.open(url) as store:
        for number in (1, 2, 3):
            dossier = sample_dossier(number)
            store.records.add(
                Record(
                    collection=DOSSIERS_COLLECTION,
                    key=str(dossier.code),
                    data=dossier_to_dict(dossier),
                )
            )
    return url


def test_export(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code = main(
        [
            "portal",
            "export",
            "--store",
            store_url,
            "--from",
            "2026-02-01",
            "--to",
            "2026-02-28",
            "-o",
            str(out),
        ]
    )
    items = json.loads(out.read_text("utf-8"))
    assert code == 0
    assert [i["MaHoSo"] for i in items] == [f"000.00.01.H99-260213-000{n}" for n in (1, 2, 3)]
    empty = tmp_path / "empty.json"
    main(
        [
            "portal",
            "export",
            "--store",
            store_url,
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "-o",
            str(empty),
        ]
    )
    assert json.loads(empty.read_text("utf-8")) == []


def test_sync_dry_run_then_real(
    store_url: str,
    portal: FakePortal,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DVCQG_TOKEN", "secret-token")
    base = ["portal", "sync", "--store", store_url, "--endpoint", portal.url, "--json"]
    assert main([*base, "--dry-run"]) == 0
    assert len(json.loads(capsys.readouterr().out)["would_push"]) == 3
    assert portal.requests == []
    assert main([*base, "--token-env", "DVCQG_TOKEN"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 3
    assert portal.headers[0]["Authorization"] == "Bearer secret-token"
    assert main([*base, "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["would_push"] == []


def test_sync_with_rejections_exits_1(
    store_url: str, portal: FakePortal, capsys: pytest.CaptureFixture[str]
) -> None:
    portal.reject["000.00.01.H99-260213-0002"] = "Sai mã đơn vị"
    code = main(["portal", "sync", "--store", store_url, "--endpoint", portal.url, "--quiet"])
    out = capsys.readouterr().out
    assert code == 1
    assert "rejected 000.00.01.H99-260213-0002: Sai mã đơn vị" in out


def test_portal_down_exits_3(store_url: str, portal: FakePortal) -> None:
    portal.down = True
    code = main(
        [
            "portal",
            "sync",
            "--store",
            store_url,
            "--endpoint",
            portal.url,
            "--quiet",
            "--attempts",
            "1",
        ]
    )
    assert code == 3


def test_bad_rules_file_exits_2(store_url: str, tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text('{"rules": {"nap": {"target": 4, "reason": "x"}}}', "utf-8")
    code = main(
        [
            "portal",
            "export",
            "--store",
            store_url,
            "--from",
            "2026-02-01",
            "--to",
            "2026-02-28",
            "-o",
            str(tmp_path / "x.json"),
            "--rules",
            str(rules),
        ]
    )
    assert code == 2


def test_sync_through_the_gateway_dialect_by_configuration(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--config`` names the dialect; the gateway test server checks the bare arrays."""
    with running_portal("gateway") as gateway:
        config = tmp_path / "portal.json"
        config.write_text(
            json.dumps(
                {
                    "dialect": "gateway",
                    "endpoint": gateway.base,
                    "create": "/ThemMoi",
                    "update": "/CapNhat",
                    "progress": "/DongBoTienTrinh",
                }
            ),
            "utf-8",
        )
        base = ["portal", "sync", "--store", store_url, "--config", str(config), "--json"]
        assert main(base) == 0
        assert json.loads(capsys.readouterr().out)["created"] == 3
        assert gateway.refused == []
        assert all(isinstance(r, list) for r in gateway.requests)
    broken = tmp_path / "broken.json"
    broken.write_text('{"dialect": "lgsp"}', "utf-8")
    assert main(["portal", "sync", "--store", store_url, "--config", str(broken)]) == 2
