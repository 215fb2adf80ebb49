"""Administrative documents of Decree 30/2020/NĐ-CP: types, numbers, marks, the document
model, its validation, and registers.

>>> from egovkit.documents import DocumentNumber
>>> str(DocumentNumber.parse("5/BNV-VP"))
'05/BNV-VP'
"""

from egovkit.documents.marks import Secrecy, Urgency
from egovkit.documents.model import (
    AgencyRef,
    Attachment,
    Competence,
    Direction,
    Document,
    Signer,
)
from egovkit.documents.numbers import MAX_NOTATION_LENGTH, DocumentNumber, notation_for
from egovkit.documents.registers import Register, RegisterEntry, Registrar
from egovkit.documents.serialization import document_from_dict, document_to_dict
from egovkit.documents.types import DocumentType, TypeKind
from egovkit.documents.validation import check, validate

__all__ = [
    "MAX_NOTATION_LENGTH",
    "AgencyRef",
    "Attachment",
    "Competence",
    "Direction",
    "Document",
    "DocumentNumber",
    "DocumentType",
    "Register",
    "RegisterEntry",
    "Registrar",
    "Secrecy",
    "Signer",
    "TypeKind",
    "Urgency",
    "check",
    "document_from_dict",
    "document_to_dict",
    "notation_for",
    "validate",
]
