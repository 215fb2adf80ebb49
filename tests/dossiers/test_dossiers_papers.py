"""Decree 45/2020 data on papers and results: flags, their checks and their JSON round trip.

The flags are those the national portal receives per submitted paper and per result
(HuanVu201/DichVuCong_KhoaLuan_PASETO ``SyncLocalDataToDVCQGService.cs``: ``DuocSoHoa``,
``DuocTaiSuDung`` 0/1/2 with ``MaKetQuaThayThe``, ``DuocLayTuKhoDMQG``; the 766 formula cards
4.3 and 4.4)."""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given, settings

from egovkit.documents.model import Attachment
from egovkit.dossiers import (
    Result,
    Reuse,
    dossier_from_dict,
    dossier_to_dict,
    paper_of,
)
from egovkit.errors import ParseError, ValidationError
from egovkit.testing.strategies.dossiers import papers

from ._support import at, received

FILE = Attachment(name="cccd.pdf", media_type="application/pdf", size=10, sha256="a" * 64)


def test_a_plain_attachment_is_a_digitised_paper_filed_by_the_applicant() -> None:
    paper = paper_of(FILE)
    assert paper.digitised
    assert not paper.reused
    assert not paper.from_national_database
    assert paper.component_code == ""
    assert paper.replaces_result == ""


def test_reuse_sources() -> None:
    earlier = attrs.evolve(paper_of(FILE), reuse=Reuse.EARLIER_DOSSIER, replaces_result="KQ01")
    national = attrs.evolve(paper_of(FILE), reuse=Reuse.NATIONAL_DATABASE)
    assert earlier.reused
    assert not earlier.from_national_database
    assert national.reused
    assert national.from_national_database
    assert paper_of(national) is national


def test_a_replacing_result_needs_a_reuse_source() -> None:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(paper_of(FILE), replaces_result="KQ01")
    assert info.value.code == "dossier.paper.reuse"


def test_only_an_electronic_result_is_kept_in_the_data_store() -> None:
    with pytest.raises(ValidationError) as info:
        Result(name="GP", issued_at=at(2026, 3, 2, 9), data_store_reference="kho/1")
    assert info.value.code == "dossier.result.data_store"
    kept = Result(
        name="GP", issued_at=at(2026, 3, 2, 9), electronic=True, data_store_reference="kho/1"
    )
    assert kept.records_papers


@settings(max_examples=80)
@given(papers())
def test_papers_round_trip_in_a_dossier(paper: Attachment) -> None:
    dossier = received(at(2026, 3, 2, 9))

    dossier = attrs.evolve(dossier, attachments=(paper,))
    data = json.loads(json.dumps(dossier_to_dict(dossier), ensure_ascii=False))
    back = dossier_from_dict(data)
    assert back == dossier
    assert type(back.attachments[0]) is type(paper)


def test_records_written_before_decree_45_data_still_read() -> None:
    dossier = received(at(2026, 3, 2, 9))
    dossier = dossier.start_processing(at=at(2026, 3, 2, 10), actor="cv")
    dossier = dossier.resolve(
        at=at(2026, 3, 3, 9),
        actor="ld",
        results=[Result(name="GP", issued_at=at(2026, 3, 3, 9), code="KQ1", electronic=True)],
    )
    data = dossier_to_dict(dossier)
    for key in ("code", "electronic", "data_store_reference"):
        del data["results"][0][key]
    old = dossier_from_dict(data)
    assert old.results[0].code == ""
    assert not old.results[0].electronic
    data["results"][0]["electronic"] = "yes"
    with pytest.raises(ParseError) as info:
        dossier_from_dict(data)
    assert info.value.where == "results[0].electronic"


def test_a_bad_reuse_value_names_the_field() -> None:
    dossier = received(at(2026, 3, 2, 9))

    dossier = attrs.evolve(dossier, attachments=(paper_of(FILE),))
    data = dossier_to_dict(dossier)
    data["attachments"][0]["reuse"] = "borrowed"
    with pytest.raises(ParseError) as info:
        dossier_from_dict(data)
    assert info.value.where == "attachments[0].reuse"
