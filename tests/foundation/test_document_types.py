from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from egovkit.documents import DocumentType, TypeKind
from egovkit.errors import NotFoundError
from egovkit.text import nfc

REFERENCE = Path(__file__).parent / "data" / "phuluc3_abbreviations.csv"


def test_twenty_nine_types_and_three_copy_kinds() -> None:
    kinds = [t.kind for t in DocumentType.all()]
    assert kinds.count(TypeKind.ADMINISTRATIVE) == 29
    assert kinds.count(TypeKind.COPY) == 3
    assert len({t.key for t in DocumentType.all()}) == 32


def test_abbreviations_match_the_decree_appendix_exactly() -> None:
    with REFERENCE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ours = {t.abbreviation: t for t in DocumentType.all() if t.abbreviation}
    assert set(ours) == {nfc(r["chu_viet_tat"]) for r in rows}
    for row in rows:
        assert ours[nfc(row["chu_viet_tat"])].kind is (
            TypeKind.COPY if row["group"] == "ban_sao" else TypeKind.ADMINISTRATIVE
        )


@pytest.mark.parametrize(
    ("abbreviation", "name"),
    [
        ("QĐ", "Quyết định (cá biệt)"),
        ("QyĐ", "Quy định"),
        ("CT", "Chỉ thị"),
        ("CTr", "Chương trình"),
        ("ĐA", "Đề án"),
        ("DA", "Dự án"),
        ("SY", "Bản sao y"),
    ],
)
def test_abbreviations_are_case_sensitive(abbreviation: str, name: str) -> None:
    assert DocumentType.from_abbreviation(abbreviation).name == name


def test_wrong_case_is_refused_with_a_hint() -> None:
    with pytest.raises(NotFoundError) as caught:
        DocumentType.from_abbreviation("QYĐ")
    assert "'QyĐ'" in caught.value.message


def test_cong_van_and_thu_cong_have_no_abbreviation() -> None:
    assert DocumentType.get("official_letter").name == "Công văn"
    assert DocumentType.get("official_letter").abbreviation is None
    assert DocumentType.get("public_letter").abbreviation is None
    with pytest.raises(NotFoundError):
        DocumentType.from_abbreviation("")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Công văn", "official_letter"),
        ("Cong van", "official_letter"),
        ("Quyết định", "decision"),
        ("QUYẾT ĐỊNH (CÁ BIỆT)", "decision"),
        ("Giấy uỷ quyền", "power_of_attorney"),
        ("Giấy ủy quyền", "power_of_attorney"),
        ("Đề án", "proposal"),
        ("Dự án", "project"),
    ],
)
def test_names_are_found_with_or_without_diacritics(name: str, key: str) -> None:
    assert DocumentType.from_name(name).key == key


def test_unknown_names_and_keys_are_not_found() -> None:
    with pytest.raises(NotFoundError):
        DocumentType.from_name("Luật")
    with pytest.raises(NotFoundError):
        DocumentType.get("law")


def test_types_are_versioned_by_effective_date() -> None:
    decision = DocumentType.get("decision")
    assert decision.effective_from == dt.date(2020, 3, 5)
    assert decision.is_in_force(dt.date(2026, 1, 1))
    assert not decision.is_in_force(dt.date(2019, 1, 1))
    assert DocumentType.all(on=dt.date(2019, 1, 1)) == ()
    with pytest.raises(NotFoundError):
        DocumentType.from_abbreviation("QĐ", on=dt.date(2019, 1, 1))
