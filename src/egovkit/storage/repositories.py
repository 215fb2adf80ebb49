"""Typed repositories built on any :class:`~egovkit.ports.RecordRepository`.

A backend implements the generic record operations once; documents, register entries (and,
later, dossiers) are thin translations to and from JSON records, so every backend gets them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from egovkit.documents.model import Document
from egovkit.documents.registers import Register, RegisterEntry
from egovkit.documents.serialization import document_from_dict, document_to_dict
from egovkit.ports import (
    DocumentRepository,
    Record,
    RecordRepository,
    RegisterEntryRepository,
    StoredDocument,
    check_key,
)
from egovkit.storage.codecs import entry_from_dict, entry_key, entry_prefix, entry_to_dict

#: Collection names used by the typed repositories.
DOCUMENTS = "documents"
REGISTER_ENTRIES = "register_entries"


class RecordDocuments(DocumentRepository):
    """Documents as records of the ``documents`` collection."""

    def __init__(self, records: RecordRepository) -> None:
        self._records = records

    def add(self, document: Document, *, key: str | None = None) -> StoredDocument:
        key = check_key(key) if key is not None else str(uuid.uuid4())
        stored = self._records.add(
            Record(collection=DOCUMENTS, key=key, data=document_to_dict(document))
        )
        return StoredDocument(key=key, version=stored.version, document=document)

    def get(self, key: str) -> StoredDocument:
        return _stored(self._records.get(DOCUMENTS, key))

    def update(self, stored: StoredDocument, document: Document) -> StoredDocument:
        record = Record(
            collection=DOCUMENTS,
            key=stored.key,
            version=stored.version,
            data=document_to_dict(document),
        )
        new = self._records.update(record)
        return StoredDocument(key=stored.key, version=new.version, document=document)

    def all(self) -> Iterator[StoredDocument]:
        for record in self._records.scan(DOCUMENTS):
            yield _stored(record)


def _stored(record: Record) -> StoredDocument:
    return StoredDocument(
        key=record.key, version=record.version, document=document_from_dict(record.data)
    )


class RecordRegisterEntries(RegisterEntryRepository):
    """Register entries as records of the ``register_entries`` collection."""

    def __init__(self, records: RecordRepository) -> None:
        self._records = records

    def record(self, entry: RegisterEntry) -> RegisterEntry:
        key = entry_key(entry.register, entry.year, entry.number, secret=entry.secret)
        self._records.add(Record(collection=REGISTER_ENTRIES, key=key, data=entry_to_dict(entry)))
        return entry

    def get(self, register: Register, year: int, number: int, *, secret: bool) -> RegisterEntry:
        key = entry_key(register, year, number, secret=secret)
        return entry_from_dict(self._records.get(REGISTER_ENTRIES, key).data)

    def entries(self, register: Register, year: int, *, secret: bool) -> Iterator[RegisterEntry]:
        prefix = entry_prefix(register, year, secret=secret)
        for record in self._records.scan(REGISTER_ENTRIES, prefix=prefix):
            yield entry_from_dict(record.data)


__all__ = ["DOCUMENTS", "REGISTER_ENTRIES", "RecordDocuments", "RecordRegisterEntries"]
