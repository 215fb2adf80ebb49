from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

import egovkit
from egovkit.calendar import VIETNAM_TZ
from egovkit.dossiers import Dossier
from egovkit.errors import ConflictError, ParseError, RemoteError
from egovkit.services import MemoryPortalGateway, PortalGateway
from egovkit.services.contract import PortalGatewayContract, sample_dossier
from egovkit_dvcqg import (
    DvcqgGateway,
    FileCheckpoint,
    MemoryCheckpoint,
    PortalClient,
    RetryPolicy,
    StatusRules,
    StoreCheckpoint,
    dossier_to_portal,
    sync_dossiers,
    text_progress_bar,
)
from egovkit_dvcqg.sync import CheckpointState
from egovkit_dvcqg.testing import FakePortal, running_portal


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with running_portal() as fake:
        yield fake


FAST = RetryPolicy(attempts=2, base=0.0, cap=0.0)


def gateway(portal: FakePortal, rules: StatusRules | None = None) -> DvcqgGateway:
    client = PortalClient(portal.url, retry=FAST, timeout=2.0, sleep=lambda _s: None)
    return DvcqgGateway(client, rules=rules)


def payload(dossier: Dossier) -> object:
    return dossier_to_portal(dossier)


def batch(n: int) -> list[Dossier]:
    at = datetime(2026, 2, 13, 10, tzinfo=VIETNAM_TZ)
    return [
        sample_dossier(i).start_processing(at=at, actor="Chuyên viên", step="Thẩm định")
        for i in range(1, n + 1)
    ]


class TestDvcqgGatewayContract(PortalGatewayContract):
    @pytest.fixture(autouse=True)
    def _portal(self, portal: FakePortal) -> None:
        self.portal = portal

    def make_gateway(self) -> PortalGateway:
        return gateway(self.portal)


@pytest.fixture
def gw(portal: FakePortal) -> Iterator[DvcqgGateway]:
    made = gateway(portal)
    yield made
    made.close()


def test_a_batch_pushes_dossiers_and_steps_and_reports_progress(
    portal: FakePortal, gw: DvcqgGateway
) -> None:
    seen: list[tuple[int, int]] = []
    report = sync_dossiers(
        gw,
        batch(5),
        checkpoint=MemoryCheckpoint(),
        payload=payload,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (report.created, report.updated, report.rejected) == (5, 0, 0)
    assert report.progress_steps == 5
    assert len(portal.dossiers) == 5
    assert all(len(s) == 1 for s in portal.steps.values())
    assert seen == [(i, 5) for i in range(1, 6)]


def test_unchanged_dossiers_are_not_sent_again_and_changed_ones_update(
    portal: FakePortal, gw: DvcqgGateway
) -> None:
    checkpoint = MemoryCheckpoint()
    dossiers = batch(3)
    sync_dossiers(gw, dossiers, checkpoint=checkpoint, payload=payload)
    sent = len(portal.requests)
    again = sync_dossiers(gw, dossiers, checkpoint=checkpoint, payload=payload)
    assert again.unchanged == 3
    assert len(portal.requests) == sent
    later = datetime(2026, 2, 16, 9, tzinfo=VIETNAM_TZ)
    dossiers[0] = dossiers[0].resolve(at=later, actor="Lãnh đạo")
    third = sync_dossiers(gw, dossiers, checkpoint=checkpoint, payload=payload)
    assert (third.updated, third.unchanged) == (1, 2)
    assert portal.dossiers[str(dossiers[0].code)]["TrangThaiHoSo"] == "9"


def test_refusals_become_dead_letters_and_the_batch_goes_on(
    portal: FakePortal, gw: DvcqgGateway
) -> None:
    dossiers = batch(4)
    bad = str(dossiers[1].code)
    portal.reject[bad] = "Mã TTHC không tồn tại trên Cổng DVCQG"
    checkpoint = MemoryCheckpoint()
    report = sync_dossiers(gw, dossiers, checkpoint=checkpoint, payload=payload)
    assert report.created == 3
    assert [d.to_dict() for d in report.dead_letters] == [
        {"dossier": bad, "portal_code": "1", "message": "Mã TTHC không tồn tại trên Cổng DVCQG"}
    ]
    assert bad in checkpoint.state.dead
    del portal.reject[bad]
    retry = sync_dossiers(gw, dossiers, checkpoint=checkpoint, payload=payload)
    assert (retry.created, retry.unchanged) == (1, 3)
    assert checkpoint.state.dead == {}


def test_a_crash_half_way_resumes_from_the_checkpoint(
    portal: FakePortal, gw: DvcqgGateway, tmp_path: Path
) -> None:
    dossiers = batch(6)
    checkpoint = FileCheckpoint(tmp_path / "sync.json")

    def outage(done: int, _total: int) -> None:
        if done == 3:
            portal.down = True

    with pytest.raises(RemoteError) as caught:
        sync_dossiers(gw, dossiers, checkpoint=checkpoint, payload=payload, progress=outage)
    assert caught.value.retryable
    assert len(checkpoint.load().synced) == 3
    portal.down = False
    before = len(portal.requests)
    report = sync_dossiers(gw, dossiers, checkpoint=checkpoint, payload=payload)
    assert (report.created, report.unchanged) == (3, 3)
    pushes = [r for r in portal.requests[before:] if r["service"] == "DongBoHoSoMC"]
    assert [r["data"][0]["MaHoSo"] for r in pushes] == [str(d.code) for d in dossiers[3:]]


def test_the_checkpoint_can_live_in_an_egovkit_store() -> None:
    store = egovkit.open("memory://")
    portal = MemoryPortalGateway()
    first = StoreCheckpoint(store, "province")
    sync_dossiers(portal, batch(2), checkpoint=first, payload=payload)
    second = StoreCheckpoint(store, "province")
    report = sync_dossiers(portal, batch(2), checkpoint=second, payload=payload)
    assert report.unchanged == 2
    stale = StoreCheckpoint(store, "province")
    stale.load()
    second.save(CheckpointState())
    with pytest.raises(ConflictError):
        stale.save(CheckpointState())
    store.close()


def test_a_corrupt_checkpoint_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sync.json"
    path.write_text('{"format": "other"}', "utf-8")
    with pytest.raises(ParseError):
        FileCheckpoint(path).load()
    path.write_text("[", "utf-8")
    with pytest.raises(ParseError):
        FileCheckpoint(path).load()


def test_progress_bar() -> None:
    out: list[str] = []
    draw = text_progress_bar(out.append, width=10)
    draw(5, 10)
    draw(10, 10)
    assert out == ["\r[#####.....] 5/10", "\r[##########] 10/10\n"]
