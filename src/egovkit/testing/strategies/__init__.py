"""Hypothesis strategies for egovkit values, valid ones and invalid ones for negative tests.

>>> from hypothesis import given, settings
>>> from egovkit.agencies import AgencyCode
>>> from egovkit.testing import strategies as egst
>>> @settings(max_examples=20)
... @given(egst.agency_codes())
... def test_round_trip(code):
...     assert AgencyCode.parse(str(code)) == code
>>> test_round_trip()
"""

from egovkit.testing.strategies.agencies import (
    agency_code_texts,
    agency_codes,
    invalid_agency_code_texts,
    legacy_agency_code_texts,
)
from egovkit.testing.strategies.documents import (
    agency_refs,
    attachments,
    document_numbers,
    document_types,
    documents,
    invalid_document_number_texts,
    invalid_documents,
    notations,
    signers,
    vietnamese_text,
)
from egovkit.testing.strategies.dossiers import (
    applicants,
    dossier_code_texts,
    dossier_codes,
    dossiers,
    durations,
    invalid_dossier_code_texts,
    procedures,
    vietnam_instants,
)

__all__ = [
    "agency_code_texts",
    "agency_codes",
    "agency_refs",
    "applicants",
    "attachments",
    "document_numbers",
    "document_types",
    "documents",
    "dossier_code_texts",
    "dossier_codes",
    "dossiers",
    "durations",
    "invalid_agency_code_texts",
    "invalid_document_number_texts",
    "invalid_documents",
    "invalid_dossier_code_texts",
    "legacy_agency_code_texts",
    "notations",
    "procedures",
    "signers",
    "vietnam_instants",
    "vietnamese_text",
]
