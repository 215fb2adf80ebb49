"""PAdES signatures on PDF documents, with the Decree 30/2020 appearance (egovkit-pdf).

>>> from egovkit.testing.pki import FixturePKI
>>> from egovkit_pdf import Role, SignOptions, sign_pdf, verify_pdf
>>> from egovkit_pdf.testing import sample_pdf
>>> pki = FixturePKI.create()
>>> signed = sign_pdf(sample_pdf(), pki.agency.signer(),
...                   SignOptions(role=Role.ATTACHMENT, number="15/QĐ-UBND"))
>>> verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation()).passed
True

- :func:`sign_pdf` signs as a person, as the agency or on an attachment, at PAdES B-B, B-T,
  B-LT or B-LTA; :class:`Placement` says where the visible signature goes.
- :func:`verify_pdf` returns the same :class:`~egovkit.signatures.report.ValidationReport` as edXML
  verification.
- :class:`HttpTimeStamper` implements the core
  :class:`~egovkit.signatures.timestamps.TimeStamper` port: RFC 3161 over HTTP with timeout,
  retries and a concurrency cap. ``TimeStamper`` is re-exported here for convenience.
"""

from __future__ import annotations

from egovkit.signatures.timestamps import TimeStamper
from egovkit_pdf.placement import Placement
from egovkit_pdf.signing import VIETNAM, Level, Role, SignOptions, sign_many, sign_pdf
from egovkit_pdf.timestamp import HttpTimeStamper
from egovkit_pdf.validation import verify_pdf

__all__ = [
    "VIETNAM",
    "HttpTimeStamper",
    "Level",
    "Placement",
    "Role",
    "SignOptions",
    "TimeStamper",
    "sign_many",
    "sign_pdf",
    "verify_pdf",
]
