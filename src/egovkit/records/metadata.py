"""The metadata of a transfer: the fields as data with their source (``data/metadata_fields.json``)
— file-level and document-level fields of Decree 30/2020 Appendix VI Part II, plus those of
Circular 02/2019/TT-BNV as public archive software names them (marked unverified there) — and
their values for a case file, as JSON (in the manifest) and XML (Appendix VI §III.4(g))."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any
from xml.etree import ElementTree

import attrs

from egovkit.records.casefile import CaseFile, FiledDocument


@attrs.frozen(kw_only=True)
class MetadataField:
    """One field: its English name (as written in the package), Vietnamese name, type, maximum
    length, and where it comes from (``nd30`` or ``tt02``, with the paragraph)."""

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    vi: str = attrs.field(validator=attrs.validators.instance_of(str))
    type: str = attrs.field(validator=attrs.validators.instance_of(str))
    length: int = attrs.field(validator=attrs.validators.instance_of(int))
    source: str = attrs.field(validator=attrs.validators.instance_of(str))
    ref: str = attrs.field(validator=attrs.validators.instance_of(str))


@attrs.frozen(kw_only=True)
class MetadataStandard:
    """The file-level and document-level field lists, and what each source is."""

    name: str
    version: int
    sources: Mapping[str, str] = attrs.field(hash=False)
    file: tuple[MetadataField, ...]
    document: tuple[MetadataField, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MetadataStandard:
        """Read the JSON form of ``data/metadata_fields.json``."""
        return cls(
            name=str(data["name"]),
            version=int(data["version"]),
            sources=dict(data["sources"]),
            file=tuple(MetadataField(**f) for f in data["file"]),
            document=tuple(MetadataField(**f) for f in data["document"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (also written into every transfer package)."""
        return {
            "name": self.name,
            "version": self.version,
            "sources": dict(self.sources),
            "file": [attrs.asdict(f) for f in self.file],
            "document": [attrs.asdict(f) for f in self.document],
        }


def _day(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def file_metadata(case: CaseFile, standard: MetadataStandard) -> dict[str, Any]:
    """The file-level fields of ``standard`` for ``case`` (a field egovkit has no value for is
    written empty)."""
    values: dict[str, Any] = {
        "FileCode": str(case.code),
        "ArcFileCode": str(case.code),
        "OrganId": str(case.code.agency),
        "FileCatalog": case.code.year,
        "FileNotation": case.code.notation,
        "Title": case.title,
        "Maintenance": case.retention.label(),
        "Rights": case.rights,
        "Creator": case.creator,
        "Language": case.language,
        "StartDate": _day(case.start_date),
        "EndDate": _day(case.end_date),
        "DocTotal": case.doc_total,
        "PageTotal": case.page_total,
        "Description": case.description,
        "Format": "Tài liệu điện tử",
    }
    return {f.name: values.get(f.name, "") for f in standard.file}


def document_metadata(
    case: CaseFile, doc: FiledDocument, standard: MetadataStandard
) -> dict[str, Any]:
    """The document-level fields of ``standard`` for ``doc`` of ``case``."""
    values: dict[str, Any] = {
        "FileCode": str(case.code),
        "ArcDocCode": f"{case.code}.{doc.ordinal:03d}",
        "DocOrdinal": doc.ordinal,
        "TypeName": doc.type_name,
        "CodeNumber": doc.code_number,
        "CodeNotation": doc.code_notation,
        "IssuedDate": _day(doc.issued_on),
        "OrganName": doc.organ_name,
        "Subject": doc.subject,
        "Language": doc.language,
        "PageAmount": doc.page_amount,
        "Description": doc.description,
        "ArrivalDate": _day(doc.arrival_date),
        "ArrivalNumber": "" if doc.arrival_number is None else doc.arrival_number,
        "Position": doc.signer_position,
        "FullName": doc.signer_name,
        "Priority": 1 if doc.secret else 0,
        "Mode": case.rights,
        "Format": "Tài liệu điện tử",
    }
    return {f.name: values.get(f.name, "") for f in standard.document}


def metadata_xml(case: CaseFile, standard: MetadataStandard) -> bytes:
    """The metadata of ``case`` and its documents as XML, one element per field named as the
    field list names it (no official schema was found: the shape is egovkit's, see
    :doc:`/explanation/records`). Written the same way every time, so a reader compares bytes."""
    root = ElementTree.Element("HoSo")
    _fields(root, file_metadata(case, standard))
    documents = ElementTree.SubElement(root, "VanBan")
    for doc in case.documents:
        item = ElementTree.SubElement(documents, "Document")
        _fields(item, document_metadata(case, doc, standard))
        for attachment in doc.attachments:
            ElementTree.SubElement(
                item,
                "ElectronicFile",
                {
                    "name": attachment.name,
                    "mediaType": attachment.media_type,
                    "size": str(attachment.size),
                    "sha256": attachment.sha256,
                },
            )
    text: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def _fields(parent: ElementTree.Element, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        ElementTree.SubElement(parent, name).text = str(value)


@cache
def default_standard() -> MetadataStandard:
    """The field lists egovkit ships."""
    text = resources.files("egovkit.records").joinpath("data/metadata_fields.json")
    return MetadataStandard.from_dict(json.loads(text.read_text(encoding="utf-8")))


__all__ = [
    "MetadataField",
    "MetadataStandard",
    "default_standard",
    "document_metadata",
    "file_metadata",
    "metadata_xml",
]
