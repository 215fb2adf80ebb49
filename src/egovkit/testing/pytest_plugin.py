"""Opt-in pytest fixtures for code that embeds egovkit.

Enable in your ``conftest.py``::

    pytest_plugins = ["egovkit.testing.pytest_plugin"]

Fixtures: ``egov_store`` (a fresh SQLite store in a temporary folder, closed afterwards),
``egov_memory_store``, ``egov_calendar`` (the national working-day calendar with default
office hours), ``egov_allocator`` (a fresh in-memory sequence allocator), ``egov_registrar``,
``egov_agency_catalogue`` (a small fictional province), ``egov_outgoing_register`` /
``egov_incoming_register`` of that province, ``egov_document`` (a valid outgoing decision
to vary with ``attrs.evolve``), and ``egov_pki`` (the fixture PKI of :mod:`egovkit.testing.pki`).

Marker: ``@pytest.mark.needs_tool("xmlsec1", install="Debian package xmlsec1")`` (several names:
the first found) skips a test whose command is not on ``PATH`` and fails it under ``CI=true``
(see :mod:`egovkit.testing.tools`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from egovkit.agencies import Agency, AgencyCatalogue, AgencyCode
from egovkit.documents import (
    AgencyRef,
    Competence,
    Direction,
    Document,
    DocumentType,
    Register,
    Registrar,
    Signer,
)
from egovkit.storage import MemorySequenceAllocator

if TYPE_CHECKING:
    from egovkit.calendar import WorkCalendar
    from egovkit.ports import Store
    from egovkit.testing.pki import FixturePKI

FIXTURE_PROVINCE = AgencyCode.province("H99")


@pytest.fixture
def egov_allocator() -> MemorySequenceAllocator:
    """A fresh, empty in-memory sequence allocator."""
    return MemorySequenceAllocator()


@pytest.fixture
def egov_registrar(egov_allocator: MemorySequenceAllocator) -> Registrar:
    """A registrar numbering through ``egov_allocator``."""
    return Registrar(egov_allocator)


@pytest.fixture
def egov_agency_catalogue() -> AgencyCatalogue:
    """A fictional province (H99) with two departments and two communes."""
    start = dt.date(2025, 7, 1)
    return AgencyCatalogue(
        [
            Agency(
                code=FIXTURE_PROVINCE,
                name="Ủy ban nhân dân tỉnh Thử Nghiệm",
                abbreviation="UBND",
                valid_from=start,
            ),
            Agency(
                code=AgencyCode.parse("000.00.02.H99"),
                name="Sở Nội vụ",
                abbreviation="SNV",
                valid_from=start,
            ),
            Agency(
                code=AgencyCode.parse("000.00.03.H99"),
                name="Sở Tài chính",
                abbreviation="STC",
                valid_from=start,
            ),
            Agency(
                code=AgencyCode.parse("000.00.41.H99"),
                name="Ủy ban nhân dân xã An Bình",
                abbreviation="UBND",
                valid_from=start,
            ),
            Agency(
                code=AgencyCode.parse("000.00.42.H99"),
                name="Ủy ban nhân dân phường Đông Hòa",
                abbreviation="UBND",
                valid_from=start,
            ),
        ]
    )


@pytest.fixture
def egov_outgoing_register() -> Register:
    """The outgoing register (sổ văn bản đi) of the fixture province."""
    return Register(agency=FIXTURE_PROVINCE, direction=Direction.OUTGOING)


@pytest.fixture
def egov_incoming_register() -> Register:
    """The incoming register (sổ văn bản đến) of the fixture province."""
    return Register(agency=FIXTURE_PROVINCE, direction=Direction.INCOMING)


@pytest.fixture
def egov_document() -> Document:
    """A complete, valid, not yet numbered outgoing decision of the fixture province."""
    return Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("decision"),
        issuer=AgencyRef(name="Ủy ban nhân dân tỉnh Thử Nghiệm", code=FIXTURE_PROVINCE),
        place="Thử Nghiệm",
        issued_on=dt.date(2026, 3, 2),
        subject="Về việc phê duyệt danh mục dịch vụ công trực tuyến",
        content="Điều 1. Phê duyệt …",
        signer=Signer(
            full_name="Nguyễn Văn An",
            position="Chủ tịch",
            competence=Competence.ON_BEHALF_OF_COLLECTIVE,
            on_behalf_of="Ủy ban nhân dân",
        ),
        recipients=(AgencyRef(name="Sở Nội vụ", code=AgencyCode.parse("000.00.02.H99")),),
    )


@pytest.fixture(scope="session")
def egov_pki() -> FixturePKI:
    """The fixture PKI (root, intermediate, agency and personal signers, revoked and expired
    variants, CRLs and OCSP answers), valid today."""
    from egovkit.testing.pki import FixturePKI

    return FixturePKI.create()


@pytest.fixture
def egov_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store (the embedded default) in a temporary folder, closed afterwards."""
    from egovkit.storage import open_store

    with open_store(f"sqlite:///{tmp_path / 'egov.db'}", actor="pytest") as store:
        yield store


@pytest.fixture
def egov_memory_store() -> Iterator[Store]:
    """A fresh in-memory store: the fastest, for tests that need no durability."""
    from egovkit.storage import open_store

    with open_store("memory://", actor="pytest") as store:
        yield store


@pytest.fixture(scope="session")
def egov_calendar() -> WorkCalendar:
    """The national working-day calendar with the default office hours (shared: it is
    immutable and thread-safe)."""
    from egovkit.calendar import WorkCalendar

    return WorkCalendar()


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``needs_tool`` marker."""
    config.addinivalue_line(
        "markers",
        "needs_tool(*names, install): the test runs a command; skipped when it is missing, "
        "failed when it is missing and CI=true",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Check the commands a ``needs_tool`` test runs before it starts."""
    from egovkit.testing.tools import require_executable

    for mark in item.iter_markers(name="needs_tool"):
        require_executable(*mark.args, **mark.kwargs)
