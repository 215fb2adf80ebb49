from __future__ import annotations

import datetime as dt
import unicodedata

import attrs
import pytest
from hypothesis import given

from egovkit.documents import (
    Attachment,
    Competence,
    Direction,
    Document,
    DocumentNumber,
    DocumentType,
    Secrecy,
    Signer,
    Urgency,
    check,
    document_from_dict,
    document_to_dict,
    validate,
)
from egovkit.errors import NotFoundError, ParseError, ValidationError
from egovkit.findings import Severity, errors_in
from egovkit.testing import strategies as egst


def test_an_empty_document_lists_every_missing_part() -> None:
    findings = validate(Document(direction=Direction.OUTGOING, type=DocumentType.get("decision")))
    assert [f.where for f in findings] == [
        "issuer",
        "number",
        "place",
        "issued_on",
        "subject",
        "signer",
        "content",
        "recipients",
    ]
    assert all(f.code == "document.missing" and f.severity is Severity.ERROR for f in findings)


def test_check_raises_one_error_with_all_findings(egov_document: Document) -> None:
    broken = attrs.evolve(egov_document, subject=None, signer=None, due_date=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        check(broken)
    assert {f.where for f in caught.value.findings} == {"number", "subject", "signer", "due_date"}


def test_a_complete_document_passes(egov_document: Document) -> None:
    numbered = attrs.evolve(egov_document, number=DocumentNumber.parse("15/QĐ-UBND"))
    assert check(numbered) is numbered
    assert validate(numbered) == ()


def test_notation_not_matching_the_type_is_a_warning(egov_document: Document) -> None:
    numbered = attrs.evolve(egov_document, number=DocumentNumber.parse("15/TB-UBND"))
    findings = validate(numbered)
    assert [(f.code, f.severity) for f in findings] == [
        ("document.notation_type", Severity.WARNING)
    ]
    letter = attrs.evolve(numbered, type=DocumentType.get("official_letter"))
    assert validate(letter)[0].code == "document.notation_type"
    check(letter)  # warnings do not fail


def test_year_in_number_must_match_the_date(egov_document: Document) -> None:
    numbered = attrs.evolve(egov_document, number=DocumentNumber.parse("15/2025/QĐ-UBND"))
    assert [f.code for f in errors_in(validate(numbered))] == ["document.number_year"]


def test_duplicate_attachment_names_are_errors(egov_document: Document) -> None:
    attachment = Attachment(name="a.pdf", media_type="application/pdf", size=3, sha256="0" * 64)
    doc = attrs.evolve(
        egov_document,
        number=DocumentNumber.parse("1/QĐ-UBND"),
        attachments=(attachment, attachment),
    )
    assert [f.code for f in validate(doc)] == ["document.duplicate_attachment"]


def test_incoming_documents_may_omit_recipients(egov_document: Document) -> None:
    incoming = attrs.evolve(
        egov_document,
        direction=Direction.INCOMING,
        recipients=(),
        number=DocumentNumber.parse("1/QĐ-UBND"),
    )
    assert validate(incoming) == ()


def test_text_is_normalised_to_nfc_at_the_boundary() -> None:
    decomposed = unicodedata.normalize("NFD", "Về việc triển khai  dịch vụ công ")
    doc = Document(
        direction=Direction.OUTGOING,
        type=DocumentType.get("plan"),
        subject=decomposed,
        content=unicodedata.normalize("NFD", "Điều 1."),
        signer=Signer(full_name=unicodedata.normalize("NFD", "Lê Thị Hà"), position="Giám đốc"),
    )
    assert doc.subject == "Về việc triển khai dịch vụ công"
    assert doc.content == "Điều 1."
    assert doc.signer is not None
    assert doc.signer.full_name == "Lê Thị Hà"
    assert doc == attrs.evolve(doc, subject="Về việc triển khai dịch vụ công")


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"name": "../etc/passwd"}, "attachment.name"),
        ({"media_type": "pdf"}, "attachment.media_type"),
        ({"size": -1}, "attachment.size"),
        ({"sha256": "xyz"}, "attachment.sha256"),
    ],
)
def test_attachments_refuse_malformed_parts(kwargs: dict[str, object], where: str) -> None:
    values: dict[str, object] = {
        "name": "a.pdf",
        "media_type": "application/pdf",
        "size": 1,
        "sha256": "a" * 64,
    }
    values.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        Attachment(**values)  # type: ignore[arg-type]
    assert caught.value.where == where


def test_signature_block_and_competence() -> None:
    signer = Signer(
        full_name="Trần B",
        position="Phó Giám đốc",
        competence=Competence.DEPUTY,
        on_behalf_of="Giám đốc",
    )
    assert signer.signature_block() == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert Competence.from_text("tuq") is Competence.AUTHORISED
    assert Signer(full_name="A", position="Chủ tịch").signature_block() == "CHỦ TỊCH"


def test_marks_read_labels_and_order() -> None:
    assert Urgency.from_label("Hỏa tốc") is Urgency.FLASH
    assert Urgency.from_label("THUONG KHAN") is Urgency.VERY_URGENT
    assert Secrecy.from_label("tối mật") is Secrecy.SECRET
    assert Urgency.URGENT < Urgency.FLASH
    assert sorted(Secrecy, reverse=True)[0] is Secrecy.TOP_SECRET
    with pytest.raises(NotFoundError):
        Secrecy.from_label("bí mật")


def test_secret_documents_know_it(egov_document: Document) -> None:
    assert not egov_document.is_secret
    assert attrs.evolve(egov_document, secrecy=Secrecy.CONFIDENTIAL).is_secret


@given(egst.documents())
def test_generated_documents_are_valid(document: Document) -> None:
    assert errors_in(validate(document)) == ()


@given(egst.invalid_documents())
def test_generated_invalid_documents_fail(document: Document) -> None:
    with pytest.raises(ValidationError):
        check(document)


@given(egst.documents())
def test_json_form_round_trips(document: Document) -> None:
    assert document_from_dict(document_to_dict(document)) == document


def test_json_form_errors_name_the_field(egov_document: Document) -> None:
    data = document_to_dict(egov_document)
    cases = {
        "direction": ("sideways", "direction"),
        "issued_on": ("2026-02-30", "issued_on"),
        "number": ("74fass22", "number"),
        "urgency": ("VERY", "urgency"),
        "recipients": ([{"name": 5}], "recipients"),
    }
    for key, (value, where) in cases.items():
        broken = {**data, key: value}
        with pytest.raises(ParseError) as caught:
            document_from_dict(broken)
        assert caught.value.where.startswith(where), (key, caught.value.where)
    with pytest.raises(ParseError):
        document_from_dict([1, 2])
    with pytest.raises(ParseError) as missing:
        document_from_dict({"type": "decision"})
    assert missing.value.where == "direction"
    bad_issuer = {**data, "issuer": {"name": "X", "code": "28.22.H17"}}
    with pytest.raises(ParseError) as caught_code:
        document_from_dict(bad_issuer)
    assert caught_code.value.where.startswith("issuer")
