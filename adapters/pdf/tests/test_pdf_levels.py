"""B-T, B-LT and B-LTA with a local time-stamp authority; a TSA that misbehaves."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from egovkit.errors import ConfigurationError, RemoteError
from egovkit.signatures import DigestAlgorithm
from egovkit.testing.pki import FixturePKI
from egovkit_pdf import HttpTimeStamper, Level, SignOptions, sign_pdf, verify_pdf
from egovkit_pdf.testing import sample_pdf
from egovkit_pdf.tsa import LocalTsa, fixture_tsa


@pytest.fixture(scope="module")
def pki() -> FixturePKI:
    return FixturePKI.create()


@pytest.fixture(scope="module")
def document() -> bytes:
    return sample_pdf()


@pytest.fixture(scope="module")
def tsa(pki: FixturePKI) -> Iterator[LocalTsa]:
    with fixture_tsa(pki.intermediate.certificate, pki.intermediate.key) as server:
        yield server


@pytest.fixture
def healthy_tsa(tsa: LocalTsa) -> Iterator[LocalTsa]:
    tsa.mode = "ok"
    yield tsa
    tsa.mode = "ok"


def test_b_t_is_validated_at_the_time_stamp(
    pki: FixturePKI, document: bytes, healthy_tsa: LocalTsa
) -> None:
    signed = sign_pdf(
        document,
        pki.person.signer(),
        SignOptions(level=Level.B_T, timestamper=HttpTimeStamper(healthy_tsa.url)),
    )
    trust = pki.trust_store()
    report = verify_pdf(signed, trust=trust, revocation=pki.revocation())
    assert report.passed, report.to_text()
    assert any(f.code == "pdf.timestamp.time" for f in report.signatures[0].findings)
    # Years later the certificate has expired, but the time-stamp proves the signing time.
    later = pki.person.certificate.not_valid_after_utc + dt.timedelta(days=30)
    report = verify_pdf(signed, trust=trust, at=later, revocation=pki.revocation())
    assert all(f.code != "signatures.certificate.expired" for f in report.signatures[0].findings)
    # Without the time-stamp, the same moment means an expired certificate.
    plain = sign_pdf(document, pki.person.signer())
    report = verify_pdf(plain, trust=trust, at=later, revocation=pki.revocation())
    assert any(f.code == "signatures.certificate.expired" for f in report.signatures[0].findings)


def test_b_lt_embeds_chain_and_revocation(
    pki: FixturePKI, document: bytes, healthy_tsa: LocalTsa
) -> None:
    signed = sign_pdf(
        document,
        pki.person.signer(),
        SignOptions(
            level=Level.B_LT,
            timestamper=HttpTimeStamper(healthy_tsa.url),
            trust=pki.trust_store(),
            revocation=pki.revocation(),
        ),
    )
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    dss = reader.root["/DSS"]
    assert len(dss["/Certs"]) >= 2
    assert len(dss["/CRLs"]) >= 1
    # No revocation given to the verifier: the embedded CRLs are enough.
    report = verify_pdf(signed, trust=pki.trust_store())
    assert report.passed, report.to_text()
    assert all(r.origin == "supplied CRL" for r in report.signatures[0].revocation)


def test_b_lta_adds_a_document_time_stamp(
    pki: FixturePKI, document: bytes, healthy_tsa: LocalTsa
) -> None:
    signed = sign_pdf(
        document,
        pki.person.signer(),
        SignOptions(
            level=Level.B_LTA,
            timestamper=HttpTimeStamper(healthy_tsa.url),
            trust=pki.trust_store(),
            revocation=pki.revocation(),
        ),
    )
    assert b"/DocTimeStamp" in signed
    report = verify_pdf(signed, trust=pki.trust_store())
    assert report.passed, report.to_text()


def test_levels_need_their_inputs(pki: FixturePKI, document: bytes) -> None:
    with pytest.raises(ConfigurationError):
        sign_pdf(document, pki.person.signer(), SignOptions(level=Level.B_T))
    with pytest.raises(ConfigurationError) as caught:
        sign_pdf(
            document,
            pki.person.signer(),
            SignOptions(level=Level.B_LT, timestamper=HttpTimeStamper("http://127.0.0.1:9/")),
        )
    assert caught.value.code == "pdf.sign.lt_needs_trust"


def test_tsa_500_is_retried_then_fails(healthy_tsa: LocalTsa) -> None:
    healthy_tsa.mode = "error"
    before = healthy_tsa.requests
    stamper = HttpTimeStamper(healthy_tsa.url, attempts=3, backoff=0.01, timeout=5)
    with pytest.raises(RemoteError) as caught:
        stamper.timestamp(bytes(32), DigestAlgorithm.SHA256)
    assert caught.value.code == "pdf.tsa.http_status"
    assert healthy_tsa.requests - before == 3


def test_tsa_dropped_connection_is_retried(healthy_tsa: LocalTsa) -> None:
    healthy_tsa.mode = "drop"
    stamper = HttpTimeStamper(healthy_tsa.url, attempts=2, backoff=0.01, timeout=5)
    with pytest.raises(RemoteError) as caught:
        stamper.timestamp(bytes(32), DigestAlgorithm.SHA256)
    assert caught.value.retryable


def test_slow_tsa_times_out(healthy_tsa: LocalTsa) -> None:
    healthy_tsa.mode = "slow"
    healthy_tsa.delay = 1.0
    stamper = HttpTimeStamper(healthy_tsa.url, attempts=1, timeout=0.2)
    with pytest.raises(RemoteError) as caught:
        stamper.timestamp(bytes(32), DigestAlgorithm.SHA256)
    assert caught.value.code == "pdf.tsa.timeout"


def test_recovering_tsa_succeeds_on_retry(healthy_tsa: LocalTsa) -> None:
    import threading

    healthy_tsa.mode = "error"
    stamper = HttpTimeStamper(healthy_tsa.url, attempts=3, backoff=0.3, timeout=5)
    threading.Timer(0.1, lambda: setattr(healthy_tsa, "mode", "ok")).start()
    token = stamper.timestamp(bytes(32), DigestAlgorithm.SHA256)
    assert len(token) > 500


def test_concurrency_is_capped(healthy_tsa: LocalTsa) -> None:
    from concurrent.futures import ThreadPoolExecutor

    healthy_tsa.mode = "slow"
    healthy_tsa.delay = 0.2
    stamper = HttpTimeStamper(healthy_tsa.url, max_concurrent=2, timeout=10)
    in_flight = 0
    peak = 0
    lock = __import__("threading").Lock()
    original = stamper._post

    def counting(body: bytes) -> bytes:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            return original(body)
        finally:
            with lock:
                in_flight -= 1

    stamper._post = counting  # type: ignore[method-assign]
    with ThreadPoolExecutor(max_workers=5) as pool:
        tokens = list(
            pool.map(lambda _: stamper.timestamp(bytes(32), DigestAlgorithm.SHA256), range(5))
        )
    assert len(tokens) == 5
    assert peak == 2


def test_tsa_url_scheme_is_checked() -> None:
    with pytest.raises(RemoteError):
        HttpTimeStamper("file:///etc/passwd")


def test_b_lta_document_time_stamp_tampering_is_caught(
    pki: FixturePKI, document: bytes, healthy_tsa: LocalTsa
) -> None:
    signed = bytearray(
        sign_pdf(
            document,
            pki.person.signer(),
            SignOptions(
                level=Level.B_LTA,
                timestamper=HttpTimeStamper(healthy_tsa.url),
                trust=pki.trust_store(),
                revocation=pki.revocation(),
            ),
        )
    )
    # Change a byte of the DSS (covered only by the document time-stamp).
    at = signed.index(b"/DSS")
    signed[at + 1] = ord("E")
    report = verify_pdf(bytes(signed), trust=pki.trust_store(), revocation=pki.revocation())
    assert not report.passed
    assert any(f.code == "pdf.document_timestamp.broken" for f in report.findings)


def test_time_stamp_from_a_certificate_without_time_stamping_usage_is_not_used(
    pki: FixturePKI, document: bytes
) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = pki.intermediate
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name.from_rfc4514_string("CN=Not a TSA,C=VN"))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(0x5002)
        .not_valid_before(pki.now - dt.timedelta(days=1))
        .not_valid_after(pki.now + dt.timedelta(days=30))
        .sign(ca.key, hashes.SHA256())
    )
    with LocalTsa(certificate, key, chain=(certificate, ca.certificate)) as server:
        signed = sign_pdf(
            document,
            pki.person.signer(),
            SignOptions(level=Level.B_T, timestamper=HttpTimeStamper(server.url)),
        )
    report = verify_pdf(signed, trust=pki.trust_store(), revocation=pki.revocation())
    codes = {f.code for f in report.signatures[0].findings}
    assert "pdf.timestamp.not_a_tsa" in codes
    assert "pdf.timestamp.time" not in codes


def test_naive_validation_time_is_refused(pki: FixturePKI, document: bytes) -> None:
    signed = sign_pdf(document, pki.person.signer())
    with pytest.raises(ConfigurationError):
        verify_pdf(signed, trust=pki.trust_store(), at=dt.datetime(2026, 1, 1))


def _with_old_crl(signed: bytes, pki: FixturePKI) -> bytes:
    """``signed`` with a /DSS holding the intermediate's CRL of the day before the revocation
    (unexpired, and not listing the revoked signer)."""
    from asn1crypto import crl as asn1_crl  # type: ignore[import-untyped]
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    older = pki.crl("intermediate", revoked=[], this_update=pki.revoked_at - dt.timedelta(days=1))
    stream = io.BytesIO(signed)
    DocumentSecurityStore.add_dss(
        stream,
        None,
        crls=[asn1_crl.CertificateList.load(older.public_bytes(serialization.Encoding.DER))],
        certs=[],
    )
    return stream.getvalue()


def test_a_crl_inside_the_pdf_never_makes_a_revoked_signer_good(
    pki: FixturePKI, document: bytes
) -> None:
    """Issue 14: the file carries an older CRL of the same CA that does not list the signer.

    The caller's CRL lists it; whatever the file adds, and in whichever order the CRLs are read,
    the answer is REVOKED.
    """
    from egovkit.signatures import RevocationSources, SubIndication

    signed = sign_pdf(document, pki.revoked.signer())
    with_file_crl = _with_old_crl(signed, pki)
    listing = RevocationSources(crls=(pki.crl("root"), pki.crl("intermediate")))
    report = verify_pdf(with_file_crl, trust=pki.trust_store(), revocation=listing)
    assert report.sub_indication is SubIndication.REVOKED, report.to_text()


def test_an_old_crl_inside_the_pdf_does_not_stop_the_online_check() -> None:
    """Online, the file's old-but-unexpired CRL (made before the revocation) must not be the
    last word: the responder says REVOKED, and REVOKED wins."""
    import httpx

    from egovkit.signatures import HttpxClient, RevocationSources, SubIndication

    pki = FixturePKI.create(base_url="http://ca.invalid")
    signed = sign_pdf(sample_pdf(), pki.revoked.signer())
    with_file_crl = _with_old_crl(signed, pki)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=pki.http_answer(request.url.path, request.read()))

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        sources = RevocationSources.online(http=HttpxClient(client=client))
        report = verify_pdf(with_file_crl, trust=pki.trust_store(), revocation=sources)
    assert report.sub_indication is SubIndication.REVOKED, report.to_text()


def test_tsa_answers_are_bounded_and_a_429_is_retried() -> None:
    """The shared egovkit.http client: a 429 is retried (the server did not handle it), an
    answer over ``max_bytes`` is refused before it is held."""
    import httpx

    seen: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(len(request.content))
        if len(seen) == 1:
            return httpx.Response(429, headers={"Retry-After": "0"})
        return httpx.Response(200, content=b"\0" * 4096)

    stamper = HttpTimeStamper(
        "http://tsa.test/", attempts=2, backoff=0, max_bytes=1024,
        transport=httpx.MockTransport(answer),
    )  # fmt: skip
    with pytest.raises(RemoteError) as caught:
        stamper.timestamp(bytes(32), DigestAlgorithm.SHA256)
    assert caught.value.code == "pdf.tsa.too_large"
    assert len(seen) == 2
    assert seen[0] == seen[1]  # the same request, resent
