"""Interoperability with tools nobody here wrote: xmlsec1 (Debian) and signxml."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from egovkit.signatures import Indication, SubIndication, sign_envelope, verify
from egovkit.testing.pki import FixturePKI

from .conftest import NS, envelope

XMLSEC1 = shutil.which("xmlsec1")
#: Skipped without xmlsec1, failed without it under CI=true (egovkit.testing.tools).
needs_xmlsec1 = pytest.mark.needs_tool("xmlsec1", install="Debian package xmlsec1")
signxml = pytest.importorskip(
    "signxml", reason="signxml is a test dependency (pip install signxml)"
)

DS = "http://www.w3.org/2000/09/xmldsig#"
TEMPLATE = f"""<Signature xmlns="{DS}"><SignedInfo>
<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
<Reference URI=""><Transforms>
<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>
<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>
</SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>"""


def _xmlsec_verify(path: Path, root_pem: Path, *extra: str) -> bool:
    assert XMLSEC1 is not None
    done = subprocess.run(
        [XMLSEC1, "--verify", "--trusted-pem", str(root_pem), *extra, str(path)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def files(pki: FixturePKI, tmp_path: Path) -> Path:
    (tmp_path / "root.pem").write_bytes(pki.root.cert_pem())
    return tmp_path


def _tamper(data: bytes) -> bytes:
    return data.replace("liên thông".encode(), "liên thông!".encode(), 1)


@needs_xmlsec1
@pytest.mark.parametrize("name", ["agency", "agency_ec", "person_ec"])
def test_xmlsec1_verifies_egovkit(pki: FixturePKI, files: Path, name: str) -> None:
    signed = sign_envelope(envelope(), getattr(pki, name).signer())
    good, bad = files / "good.xml", files / "bad.xml"
    good.write_bytes(signed)
    bad.write_bytes(_tamper(signed))
    assert _xmlsec_verify(good, files / "root.pem")
    assert not _xmlsec_verify(bad, files / "root.pem")


@needs_xmlsec1
def test_xmlsec1_and_multiple_signatures(pki: FixturePKI, files: Path) -> None:
    two = sign_envelope(sign_envelope(envelope(), pki.person.signer()), pki.agency.signer())
    path = files / "two.xml"
    path.write_bytes(two)
    # The agency (last) signature verifies as it stands ...
    assert _xmlsec_verify(
        path, files / "root.pem", "--node-xpath", "(//*[local-name()='Signature'])[2]"
    )
    # ... and the personal one on the envelope as it was before the agency signed.
    root = etree.fromstring(two)
    header = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader")
    assert header is not None
    header.remove(header[-1])  # lxml removes the tail with the element, as egovkit's rule says
    path.write_bytes(etree.tostring(root))
    assert _xmlsec_verify(path, files / "root.pem")


@needs_xmlsec1
def test_egovkit_verifies_xmlsec1(pki: FixturePKI, files: Path) -> None:
    assert XMLSEC1 is not None
    root = etree.fromstring(envelope())
    header = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader")
    assert header is not None
    header.append(etree.fromstring(TEMPLATE))
    template = files / "template.xml"
    template.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    (files / "key.pem").write_bytes(pki.agency.key_pem())
    (files / "cert.pem").write_bytes(pki.agency.cert_pem())
    (files / "inter.pem").write_bytes(pki.intermediate.cert_pem())
    out = files / "out.xml"
    subprocess.run(
        [
            XMLSEC1,
            "--sign",
            "--privkey-pem",
            f"{files / 'key.pem'},{files / 'cert.pem'},{files / 'inter.pem'}",
            "--output",
            str(out),
            str(template),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    signed = out.read_bytes()
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    tampered = verify(_tamper(signed), trust=pki.trust_store(), revocation=pki.revocation())
    assert tampered.sub_indication is SubIndication.HASH_FAILURE


def test_signxml_verifies_egovkit(pki: FixturePKI) -> None:
    signed = sign_envelope(envelope(), pki.agency.signer())
    result = signxml.XMLVerifier().verify(
        signed, x509_cert=pki.agency.cert_pem().decode(), expect_references=1
    )
    assert result.signed_xml is not None
    with pytest.raises(signxml.exceptions.InvalidSignature):
        signxml.XMLVerifier().verify(
            _tamper(signed), x509_cert=pki.agency.cert_pem().decode(), expect_references=1
        )


@pytest.mark.parametrize(
    ("name", "algorithm"), [("agency", "rsa-sha256"), ("agency_ec", "ecdsa-sha256")]
)
def test_egovkit_verifies_signxml(pki: FixturePKI, name: str, algorithm: str) -> None:
    credential = getattr(pki, name)
    root = etree.fromstring(envelope())
    header = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader")
    assert header is not None
    etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder")
    signer = signxml.XMLSigner(
        method=signxml.methods.enveloped,
        signature_algorithm=algorithm,
        digest_algorithm="sha256",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    )
    signed = etree.tostring(
        signer.sign(
            root,
            key=credential.key_pem(),
            cert=[credential.cert_pem().decode(), pki.intermediate.cert_pem().decode()],
        ),
        encoding="UTF-8",
    )
    assert "liên thông".encode() in signed
    report = verify(signed, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.passed, report.to_text()
    tampered = verify(_tamper(signed), trust=pki.trust_store(), revocation=pki.revocation())
    assert tampered.indication is Indication.TOTAL_FAILED


_SIGNED_TEXT = "V/v kết nối, liên thông phần mềm quản lý văn bản"


@settings(max_examples=12, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=len(_SIGNED_TEXT) - 1),
    new=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="<&>"),
)
def test_changing_any_signed_character_fails_everywhere(position: int, new: str) -> None:
    pki = FixturePKI.create()
    if _SIGNED_TEXT[position] == new:
        return
    signed = sign_envelope(envelope(), pki.agency.signer())
    changed = _SIGNED_TEXT[:position] + new + _SIGNED_TEXT[position + 1 :]
    forged = signed.replace(_SIGNED_TEXT.encode(), changed.encode(), 1)
    assert forged != signed
    report = verify(forged, trust=pki.trust_store(), revocation=pki.revocation())
    assert report.sub_indication is SubIndication.HASH_FAILURE
    with pytest.raises(signxml.exceptions.InvalidSignature):
        signxml.XMLVerifier().verify(
            forged, x509_cert=pki.agency.cert_pem().decode(), expect_references=1
        )
    if XMLSEC1 is not None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "forged.xml"
            path.write_bytes(forged)
            (Path(folder) / "root.pem").write_bytes(pki.root.cert_pem())
            assert not _xmlsec_verify(path, Path(folder) / "root.pem")
