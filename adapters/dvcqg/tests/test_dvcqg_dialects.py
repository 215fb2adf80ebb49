"""The two routes real one-stop systems take to the national portal, each against a local
server that checks what that route's real server needs.

Sources: OpenCPS v2 ``DVCQGIntegrationActionImpl.java`` (``getSharingData``/``syncData``:
``session`` and ``madonvi`` merged into every body, a ``dstcode`` header; ``searchDossier``:
``{"service": "TraCuuHoSo", "mahoso": …}``, ``hasSyncDossier``: a non-empty ``result``;
``error_code`` compared as an integer) and HuanVu201 ``SyncLocalDataToDVCQGService.cs``
(``PushData``: the bare list posted to ``URLThemMoi``, "đã tồn tại" with ``error_code`` "0",
"3" or "-3" sent again to ``URLCapNhat``; progress in ``Take(10)`` chunks to
``URLDongBoTienTrinh``, its plain-text answer read for "thành công")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from egovkit.errors import ConfigurationError, RemoteError
from egovkit.services import PortalRejectedError, PushAction
from egovkit.services.contract import sample_dossier
from egovkit_dvcqg import DvcqgGateway, PortalClient, RetryPolicy
from egovkit_dvcqg.dialects import (
    GatewayDialect,
    OpenCpsDialect,
    dialect_from_config,
)
from egovkit_dvcqg.mapping import dossier_to_portal, read_reply
from egovkit_dvcqg.testing import FakePortal, running_portal

ONCE = RetryPolicy(attempts=1)


@pytest.fixture
def opencps() -> Iterator[FakePortal]:
    with running_portal("opencps") as fake:
        yield fake


@pytest.fixture
def gateway() -> Iterator[FakePortal]:
    with running_portal("gateway") as fake:
        yield fake


def _opencps_client(fake: FakePortal, **change: str) -> PortalClient:
    settings = {
        "endpoint": fake.url,
        "auth_endpoint": fake.auth_url,
        "username": fake.username,
        "password": fake.password,
        "unit": fake.unit,
        "dstcode": fake.dstcode,
        **change,
    }
    return PortalClient(dialect=OpenCpsDialect(**settings), retry=ONCE, timeout=2.0)


def _gateway_client(fake: FakePortal) -> PortalClient:
    dialect = dialect_from_config(
        {
            "dialect": "gateway",
            "endpoint": fake.base,
            "create": "/ThemMoi",
            "update": "CapNhat",
            "progress": "/DongBoTienTrinh",
        }
    )
    return PortalClient(dialect=dialect, retry=ONCE, timeout=2.0)


def _steps(count: int) -> list[dict[str, str]]:
    code = str(sample_dossier().code)
    return [{"MaHoSo": code, "NoiDungXuLy": f"Bước {n}", "TrangThai": "4"} for n in range(count)]


@pytest.mark.parametrize(("code", "ok"), [("0", True), ("00", True), (0, True), ("1", False)])
def test_success_is_any_error_code_whose_integer_value_is_0(code: object, ok: bool) -> None:
    assert read_reply({"error_code": code, "message": "Thành công"}).ok is ok


@pytest.mark.parametrize("code", ["3", "-3", -3, "0"])
def test_already_exists_is_3_or_minus_3_with_da_ton_tai(code: object) -> None:
    reply = read_reply({"error_code": code, "message": "Hồ sơ H99 đã tồn tại"})
    assert reply.already_exists
    assert not reply.ok
    assert not read_reply({"error_code": "-3", "message": "Lỗi khác"}).already_exists


def test_opencps_logs_in_and_sends_session_madonvi_and_dstcode(opencps: FakePortal) -> None:
    dossier = sample_dossier()
    with _opencps_client(opencps) as client:
        gateway = DvcqgGateway(client)
        assert gateway.push_dossier(dossier).action is PushAction.CREATED
        assert gateway.push_dossier(dossier).action is PushAction.UPDATED
        assert gateway.is_synced(str(dossier.code))
        assert not gateway.is_synced("000.00.01.H99-260213-9999")
    assert opencps.logins == 1  # one session for the client's life
    assert opencps.refused == []
    login, first = opencps.requests[0], opencps.requests[1]
    assert login == {"username": opencps.username, "password": opencps.password}
    assert first["session"] == opencps.session
    assert first["madonvi"] == opencps.unit
    assert (first["service"], first["isUpdating"]) == ("DongBoHoSoMC", "False")
    assert opencps.headers[1]["dstcode"] == opencps.dstcode
    look_up = opencps.requests[-1]
    assert (look_up["service"], look_up["mahoso"]) == ("TraCuuHoSo", "000.00.01.H99-260213-9999")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"dstcode": "VN:GOV:KHAC"}, "missing or wrong dstcode header"),
        ({"unit": "000.00.00.H98"}, "missing or wrong madonvi"),
    ],
)
def test_opencps_refuses_a_body_or_header_missing_what_it_needs(
    opencps: FakePortal, change: dict[str, str], why: str
) -> None:
    with _opencps_client(opencps, **change) as client, pytest.raises(PortalRejectedError):
        client.push("DongBoHoSoMC", dossier_to_portal(sample_dossier()))
    assert opencps.refused == [why]
    assert opencps.dossiers == {}


def test_opencps_refuses_a_call_without_the_session(opencps: FakePortal) -> None:
    plain = PortalClient(opencps.url, retry=ONCE, timeout=2.0)  # the envelope dialect
    with plain, pytest.raises(PortalRejectedError):
        plain.push("DongBoHoSoMC", dossier_to_portal(sample_dossier()))
    assert opencps.refused == ["missing or wrong dstcode header"]


def test_opencps_wrong_password_is_a_login_error(opencps: FakePortal) -> None:
    with _opencps_client(opencps, password="sai") as client, pytest.raises(RemoteError) as info:
        client.call("CapNhatTienDoHoSoMC", [])
    assert info.value.code == "dvcqg.login"


def test_gateway_posts_bare_arrays_to_its_urls(gateway: FakePortal) -> None:
    dossier = sample_dossier()
    with _gateway_client(gateway) as client:
        portal = DvcqgGateway(client)
        assert portal.push_dossier(dossier).action is PushAction.CREATED
        # the gateway answers -3 "đã tồn tại": sent again to the update URL
        assert portal.push_dossier(dossier).action is PushAction.UPDATED
        assert client.push_progress(_steps(23), where=str(dossier.code)) == 23
    assert gateway.refused == []
    assert isinstance(gateway.requests[0], list)
    assert gateway.requests[0][0]["MaHoSo"] == str(dossier.code)
    assert [len(r) for r in gateway.requests[3:]] == [10, 10, 3]  # chunks of at most 10
    assert len(gateway.steps[str(dossier.code)]) == 23


def test_gateway_refuses_what_it_cannot_take(gateway: FakePortal) -> None:
    with _gateway_client(gateway) as client:
        with pytest.raises(PortalRejectedError):  # steps of a dossier it never received
            client.push_progress(_steps(2), where="x")
        item = dossier_to_portal(sample_dossier())
        with pytest.raises(PortalRejectedError):  # an owner without DinhDanhCHS
            client.push("DongBoHoSoMC", {**item, "DinhDanhCHS": []})
        with pytest.raises(ConfigurationError) as info:
            client.call("LayThuTuc", [])
        assert info.value.code == "dvcqg.dialect.unsupported"
    assert gateway.refused == [f"/ThemMoi: {item['MaHoSo']} without DinhDanhCHS"]


def test_gateway_server_refuses_a_wrapped_body_and_long_chunks(gateway: FakePortal) -> None:
    wrapped = PortalClient(
        dialect=GatewayDialect(
            create_url=gateway.base + "/ThemMoi",
            update_url=gateway.base + "/CapNhat",
            progress_url=gateway.base + "/DongBoTienTrinh",
        ),
        retry=ONCE,
        timeout=2.0,
    )
    with wrapped, pytest.raises(RemoteError) as info:
        wrapped._post(  # an envelope where the gateway wants a bare array
            gateway.base + "/ThemMoi", {"service": "DongBoHoSoMC", "data": []}, {}, "x"
        )
    assert "http" in info.value.code
    assert gateway.refused == ["/ThemMoi: not a bare array of objects with MaHoSo"]


def test_configuration_names_the_dialect() -> None:
    config = {
        "dialect": "opencps",
        "endpoint": "https://dvc.example/api",
        "auth_endpoint": "/auth",
        "username": "u",
        "password_env": "PORTAL_PW",
        "madonvi": "000.00.00.H99",
        "dstcode": "VN:GOV",
    }
    dialect = dialect_from_config(config, environ={"PORTAL_PW": "secret"})
    assert isinstance(dialect, OpenCpsDialect)
    assert dialect.auth_endpoint == "https://dvc.example/api/auth"
    assert "secret" not in repr(dialect)
    with pytest.raises(ConfigurationError) as info:
        dialect_from_config(config, environ={})
    assert info.value.code == "dvcqg.dialect.password"
    with pytest.raises(ConfigurationError) as info:
        dialect_from_config({"dialect": "lgsp"})
    assert info.value.code == "dvcqg.dialect.unknown"
