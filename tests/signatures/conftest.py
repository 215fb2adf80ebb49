"""Shared fixtures for the signature tests: the fixture PKI and minimal edXML envelopes."""

from __future__ import annotations

from pathlib import Path

import pytest

from egovkit.signatures import TrustStore
from egovkit.testing.pki import FixturePKI

SAMPLES = Path(__file__).parent / "samples"
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def envelope(
    subject: str = "V/v kết nối, liên thông phần mềm quản lý văn bản", body: str = ""
) -> bytes:
    """A minimal edXML envelope, shaped like the national axis samples."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}">
  <edXML:edXMLEnvelope xmlns:edXML="{NS}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.H99</edXML:OrganId>
          <edXML:OrganName>Ủy ban nhân dân tỉnh Thử Nghiệm</edXML:OrganName>
        </edXML:From>
        <edXML:Subject>{subject}</edXML:Subject>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader>
          <edXML:OrganId>000.00.00.H99</edXML:OrganId>
          <edXML:Timestamp>2026/11/20 08:00:00</edXML:Timestamp>
        </edXML:TraceHeader>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody>
      <edXML:edXMLManifest version="1.0">{body}</edXML:edXMLManifest>
    </edXML:edXMLBody>
  </edXML:edXMLEnvelope>
</edXML>
""".encode()


@pytest.fixture(scope="session")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture(scope="session")
def trust(pki: FixturePKI) -> TrustStore:
    return pki.trust_store()


@pytest.fixture
def plain() -> bytes:
    return envelope()
