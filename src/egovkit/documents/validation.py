"""Checks of a document against Decree 30/2020: every missing or malformed part, at once."""

from __future__ import annotations

from egovkit.documents.model import Direction, Document
from egovkit.documents.types import TypeKind
from egovkit.errors import ValidationError
from egovkit.findings import Finding, Severity, errors_in


def _missing(where: str, part: str) -> Finding:
    return Finding(code="document.missing", where=where, message=f"{part} is missing")


def validate(document: Document) -> tuple[Finding, ...]:
    """All findings about ``document``: missing required parts (Art. 8) and malformed ones.

    Errors make :func:`check` fail; warnings are advice (e.g. a notation that does not start
    with the type's abbreviation).
    """
    findings: list[Finding] = []
    required = {
        "issuer": ("issuing agency (tên cơ quan ban hành)", document.issuer),
        "number": ("number and notation (số, ký hiệu)", document.number),
        "place": ("place name (địa danh)", document.place),
        "issued_on": ("date (ngày tháng năm)", document.issued_on),
        "subject": ("summary (trích yếu)", document.subject),
        "signer": ("signer (người ký)", document.signer),
    }
    findings.extend(_missing(field, part) for field, (part, value) in required.items() if not value)
    if not document.content and not document.attachments:
        findings.append(_missing("content", "content (nội dung) or an attached file"))
    if not document.recipients and document.direction is Direction.OUTGOING:
        findings.append(_missing("recipients", "recipients (nơi nhận)"))
    if document.signer is not None:
        if not document.signer.full_name:
            findings.append(_missing("signer.full_name", "signer's full name (họ tên)"))
        if not document.signer.position:
            findings.append(_missing("signer.position", "signer's position (chức vụ)"))
    if document.issuer is not None and not document.issuer.name:
        findings.append(_missing("issuer.name", "issuing agency's name"))
    for index, recipient in enumerate(document.recipients):
        if not recipient.name:
            findings.append(_missing(f"recipients[{index}].name", "recipient's name"))

    if document.issued_on and document.due_date and document.due_date < document.issued_on:
        findings.append(
            Finding(
                code="document.due_before_issue",
                where="due_date",
                message=f"due date {document.due_date} is before the document date "
                f"{document.issued_on}",
            )
        )
    number = document.number
    if number and number.year and document.issued_on and number.year != document.issued_on.year:
        findings.append(
            Finding(
                code="document.number_year",
                where="number",
                message=f"year {number.year} in the number differs from the "
                f"document date {document.issued_on}",
            )
        )
    findings.extend(_notation_findings(document))
    names = [a.name for a in document.attachments]
    for name in sorted({n for n in names if names.count(n) > 1}):
        findings.append(
            Finding(
                code="document.duplicate_attachment",
                where="attachments",
                message=f"attachment name {name!r} is used more than once",
            )
        )
    return tuple(findings)


def _notation_findings(document: Document) -> list[Finding]:
    if document.number is None:
        return []
    expected = document.type.abbreviation
    found = document.number.type_abbreviation
    if document.type.kind is TypeKind.COPY or expected == found:
        return []
    if expected is None:
        message = (
            f"a {document.type.name} has no type abbreviation, but the notation "
            f"starts with {found!r}"
        )
    else:
        message = (
            f"the notation of a {document.type.name} should start with {expected!r}, "
            f"not {document.number.notation!r}"
        )
    return [
        Finding(
            code="document.notation_type",
            where="number.notation",
            message=message,
            severity=Severity.WARNING,
        )
    ]


def check(document: Document) -> Document:
    """Return ``document`` unchanged if it has no error-severity findings; otherwise raise one
    :class:`~egovkit.errors.ValidationError` that lists them all."""
    findings = validate(document)
    if errors_in(findings):
        raise ValidationError.from_findings("document", findings)
    return document
