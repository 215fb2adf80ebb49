"""validate_path: the work budget, Vietnamese names, trust lists, the cache and the engines.

Name matching follows RFC 5280 §7.1 (RFC 4518 string preparation: case folding, whitespace,
any DirectoryString type); the names are those of the Government Cipher Committee's chain
(``shared/reference/signatures.md``: "CA phục vụ các cơ quan Nhà nước G2" under "RootCA
chuyên dùng Chính phủ G2", O=Ban Cơ yếu Chính phủ) and of the national root.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from egovkit.signatures import (
    Indication,
    KeyFileSigner,
    RevocationSources,
    SubIndication,
    TrustStore,
    WorkBudget,
    sign_envelope,
    validate_path,
    verify,
)
from egovkit.signatures.pathvalidation import PathReport, clear_cache
from egovkit.testing.pki import (
    Credential,
    FixturePKI,
    cross_signed_pool,
    derived_key,
    issue_certificate,
    issue_crl,
)

from .conftest import envelope

NOW = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
YEAR = 365 * DAY


def _name(*parts: tuple[x509.ObjectIdentifier, str, _ASN1Type | None]) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(oid, value, _type=kind) if kind else x509.NameAttribute(oid, value)
            for oid, value, kind in parts
        ]
    )


def _gov_name(
    cn: str, org: str = "Ban Cơ yếu Chính phủ", country: _ASN1Type | None = None
) -> x509.Name:
    return _name(
        (NameOID.COUNTRY_NAME, "VN", country),
        (NameOID.ORGANIZATION_NAME, org, None),
        (NameOID.COMMON_NAME, cn, None),
    )


def _ca(
    subject: x509.Name,
    number: int,
    issuer: Credential | None = None,
    issuer_name: x509.Name | None = None,
    *,
    ca: bool = True,
) -> Credential:
    return issue_certificate(
        subject,
        key=derived_key(number),
        issuer=issuer,
        issuer_name=issuer_name,
        serial=(1000 if ca else 5000) + number,
        not_before=NOW - (5 * YEAR if ca else 30 * DAY),
        not_after=NOW + (10 * YEAR if ca else 2 * YEAR),
        ca=ca,
    )


def _leaf(issuer: Credential, number: int) -> Credential:
    subject = _name(
        (NameOID.COUNTRY_NAME, "VN", None),
        (NameOID.COMMON_NAME, "Ủy ban nhân dân tỉnh Thử Nghiệm", None),
        (NameOID.USER_ID, "MNS:1234567", None),
    )
    return _ca(subject, number, issuer, ca=False)


def _crls(*issuers: Credential) -> RevocationSources:
    return RevocationSources(
        crls=tuple(issue_crl(i, this_update=NOW - DAY, next_update=NOW + 7 * DAY) for i in issuers)
    )


# -- names that differ only in encoding, case or spacing ----------------------------------------


ROOT_NAME = _gov_name("RootCA chuyên dùng Chính phủ G2")
CA_NAME = _gov_name("CA phục vụ các cơ quan Nhà nước G2")
SPELLINGS = {
    "upper case": _gov_name("ROOTCA CHUYÊN DÙNG CHÍNH PHỦ G2", org="BAN CƠ YẾU CHÍNH PHỦ"),
    "UTF8String country": _gov_name(
        "RootCA chuyên dùng Chính phủ G2", country=_ASN1Type.UTF8String
    ),
    "extra spaces": _gov_name("  RootCA  chuyên dùng Chính   phủ G2 "),
}


@pytest.mark.parametrize("engine", ["auto", "basic"])
@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_names_that_differ_only_in_encoding_or_case_chain(spelling: str, engine: str) -> None:
    root = _ca(ROOT_NAME, 1)
    ca = _ca(CA_NAME, 2, issuer=root, issuer_name=SPELLINGS[spelling])
    assert ca.certificate.issuer.public_bytes() != root.certificate.subject.public_bytes()
    leaf = _leaf(ca, 3)
    report = validate_path(
        leaf.certificate,
        trust=TrustStore(anchors=(root.certificate,)),
        intermediates=[ca.certificate],
        revocation=_crls(root, ca),
        at=NOW,
        engine=engine,
    )
    assert report.passed, "\n".join(map(str, report.findings))
    assert report.chain == (leaf.certificate, ca.certificate, root.certificate)


def test_a_different_name_does_not_chain() -> None:
    root = _ca(ROOT_NAME, 1)
    other = _gov_name("RootCA chuyên dùng Chính phủ G3")
    ca = _ca(CA_NAME, 2, issuer=root, issuer_name=other)
    report = validate_path(
        _leaf(ca, 3).certificate,
        trust=TrustStore(anchors=(root.certificate,)),
        intermediates=[ca.certificate],
        revocation=_crls(root, ca),
        at=NOW,
    )
    assert report.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND


def test_national_trust_list_from_files(tmp_path: Path) -> None:
    """The one-liner of the how-to: roots in anchors/, CA certificates in intermediates/."""
    national = _ca(_gov_name("Vietnam National Root CA", org="Bộ Thông tin và Truyền thông"), 11)
    government = _ca(ROOT_NAME, 12)
    public_ca = _ca(
        _gov_name("VNPT Certification Authority", org="VNPT Group"), 13, issuer=national
    )
    gov_ca = _ca(CA_NAME, 14, issuer=government)
    (tmp_path / "anchors").mkdir()
    (tmp_path / "intermediates").mkdir()
    for folder, credential in (
        ("anchors", national),
        ("anchors", government),
        ("intermediates", public_ca),
        ("intermediates", gov_ca),
    ):
        path = tmp_path / folder / f"{credential.certificate.serial_number}.crt"
        path.write_bytes(credential.certificate.public_bytes(serialization.Encoding.DER))

    store = TrustStore.from_trust_list(tmp_path)

    assert (len(store.anchors), len(store.intermediates)) == (2, 2)
    revocation = _crls(national, government, public_ca, gov_ca)
    for issuer, number in ((public_ca, 21), (gov_ca, 22)):
        report = validate_path(
            _leaf(issuer, number).certificate, trust=store, revocation=revocation, at=NOW
        )
        assert report.passed, "\n".join(map(str, report.findings))
        assert report.chain_info()[1].source == "store"


def test_trust_list_without_anchors_is_refused(tmp_path: Path) -> None:
    from egovkit.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as caught:
        TrustStore.from_trust_list(tmp_path)
    assert caught.value.code == "signatures.trust.layout"


# -- the work budget ----------------------------------------------------------------------------


def _cross_signed_pool(count: int = 30, per_ca: int = 3) -> tuple[Credential, list[Credential]]:
    issuer, pool = cross_signed_pool(count=count, per_ca=per_ca, now=NOW)
    return issuer, [Credential(name="pool", key=issuer.key, certificate=c) for c in pool]


def test_a_cross_signed_pool_in_keyinfo_is_refused_before_any_work() -> None:
    pki = FixturePKI.create(now=NOW)
    issuer, pool = _cross_signed_pool()
    leaf = _leaf(issuer, 40)
    signer = KeyFileSigner(leaf.key, leaf.certificate, tuple(c.certificate for c in pool))
    report = verify(
        sign_envelope(envelope(), signer), trust=pki.trust_store(), revocation=pki.revocation()
    )
    assert report.indication is Indication.INDETERMINATE
    codes = [f.code for f in report.signatures[0].findings]
    assert "signatures.chain.too_many_certificates" in codes


def test_a_cross_signed_pool_exhausts_the_budget_not_the_machine() -> None:
    """The issue's 30-CA pool: refused after a bounded number of work units (the benchmark
    ``bench_signatures`` times it: well under 100 ms)."""
    pki = FixturePKI.create(now=NOW)
    issuer, pool = _cross_signed_pool()
    budget = WorkBudget(max_offered=len(pool))
    clear_cache()
    report = validate_path(
        _leaf(issuer, 40).certificate,
        trust=pki.trust_store(),
        intermediates=[c.certificate for c in pool],
        revocation=pki.revocation(),
        at=NOW,
        budget=budget,
    )
    assert report.indication is Indication.INDETERMINATE
    assert report.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    assert [f.code for f in report.findings] == ["signatures.chain.budget_exhausted"]
    assert report.work.candidates <= budget.max_candidates + 1
    assert report.work.signature_checks <= budget.max_signature_checks + 1
    assert report.work.paths == 0


def test_a_path_inside_a_pool_is_found_within_the_budget() -> None:
    root = _ca(ROOT_NAME, 1)
    issuer, pool = _cross_signed_pool(count=6, per_ca=2)
    bridge = _ca(issuer.certificate.subject, 100, issuer=root)  # CA 0 certified by the root
    leaf = _leaf(issuer, 41)
    report = validate_path(
        leaf.certificate,
        trust=TrustStore(anchors=(root.certificate,)),
        intermediates=[bridge.certificate, *(c.certificate for c in pool)],
        revocation=_crls(root, issuer),
        at=NOW,
        budget=WorkBudget(max_offered=20),
    )
    assert report.passed, "\n".join(map(str, report.findings))
    assert report.chain == (leaf.certificate, bridge.certificate, root.certificate)


def test_a_tiny_budget_is_indeterminate_with_a_finding() -> None:
    pki = FixturePKI.create(now=NOW)
    report = validate_path(
        pki.agency.certificate,
        trust=pki.trust_store(),
        intermediates=[pki.intermediate.certificate],
        revocation=pki.revocation(),
        at=NOW,
        budget=WorkBudget(max_signature_checks=1),
    )
    assert report.indication is Indication.INDETERMINATE
    assert "signatures.chain.budget_exhausted" in [f.code for f in report.findings]


# -- revocation, the cache and the engines --------------------------------------------------


@pytest.mark.parametrize("engine", ["auto", "basic"])
def test_revoked_stays_revoked_whatever_the_order_of_the_crls(engine: str) -> None:
    """A narrower or empty CRL listed first must never make a revoked certificate good."""
    pki = FixturePKI.create(now=NOW)
    empty = pki.crl("intermediate", revoked=[])  # an older CRL that does not list it
    listing = pki.crl("intermediate")
    for crls in ((empty, listing, pki.crl("root")), (pki.crl("root"), listing, empty)):
        report = validate_path(
            pki.revoked.certificate,
            trust=pki.trust_store(),
            intermediates=[pki.intermediate.certificate],
            revocation=RevocationSources(crls=crls),
            at=NOW,
            engine=engine,
        )
        assert report.sub_indication is SubIndication.REVOKED, engine


def test_the_cache_never_reuses_an_answer_across_a_revocation() -> None:
    pki = FixturePKI.create(now=NOW)
    clear_cache()

    def at(when: dt.datetime) -> SubIndication | None:
        return validate_path(
            pki.revoked.certificate,
            trust=pki.trust_store(),
            intermediates=[pki.intermediate.certificate],
            revocation=pki.revocation(),
            at=when,
        ).sub_indication

    before = pki.revoked_at - DAY
    assert at(before) is None  # good before its revocation …
    assert at(pki.revoked_at + dt.timedelta(minutes=10)) is SubIndication.REVOKED  # … not after
    assert at(before + dt.timedelta(seconds=1)) is None  # the cached window still holds
    assert at(NOW) is SubIndication.REVOKED


def test_cached_answers_repeat_the_same_report() -> None:
    pki = FixturePKI.create(now=NOW)
    clear_cache()
    kwargs = {
        "trust": pki.trust_store(),
        "intermediates": [pki.intermediate.certificate],
        "revocation": pki.revocation(),
    }
    first = validate_path(pki.agency.certificate, at=NOW, **kwargs)  # type: ignore[arg-type]
    again = validate_path(pki.agency.certificate, at=NOW + DAY, **kwargs)  # type: ignore[arg-type]
    assert first.passed
    assert again.passed
    assert attrs.evolve(again, validation_time=NOW) == first


def test_unknown_engine_is_a_configuration_error() -> None:
    from egovkit.errors import ConfigurationError

    pki = FixturePKI.create(now=NOW)
    with pytest.raises(ConfigurationError):
        validate_path(pki.agency.certificate, trust=pki.trust_store(), engine="magic")


def test_naive_time_is_refused() -> None:
    from egovkit.errors import ConfigurationError

    pki = FixturePKI.create(now=NOW)
    with pytest.raises(ConfigurationError):
        validate_path(pki.agency.certificate, trust=pki.trust_store(), at=dt.datetime(2026, 1, 1))


def test_report_to_dict_is_json_ready() -> None:
    import json

    pki = FixturePKI.create(now=NOW)
    report = validate_path(
        pki.agency.certificate,
        trust=pki.trust_store(),
        intermediates=[pki.intermediate.certificate],
        revocation=pki.revocation(),
        at=NOW,
    )
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["indication"] == "TOTAL_PASSED"
    assert [c["source"] for c in data["chain"]] == ["message", "store", "anchor"]
    assert data["engine"].startswith("pyhanko-certvalidator")


@pytest.mark.parametrize("engine", ["auto", "basic"])
def test_an_old_supplied_crl_does_not_stop_the_online_check(engine: str) -> None:
    import httpx

    from egovkit.signatures import HttpxClient

    pki = FixturePKI.create(base_url="http://ca.invalid")
    older = pki.crl("intermediate", revoked=[], this_update=pki.revoked_at - DAY)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=pki.http_answer(request.url.path, request.read()))

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        sources = RevocationSources.online(http=HttpxClient(client=client), crls=[older])
        report = validate_path(
            pki.revoked.certificate,
            trust=pki.trust_store(),
            intermediates=[pki.intermediate.certificate],
            revocation=sources,
            engine=engine,
        )
    assert report.sub_indication is SubIndication.REVOKED


# -- RFC 5280 name matching, as properties ---------------------------------------------------

_VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)


@given(st.lists(st.text(alphabet=_VIETNAMESE, min_size=1, max_size=4), min_size=1, max_size=2))
def test_names_match_across_case_spacing_and_normal_form(words: list[str]) -> None:
    import unicodedata

    from egovkit.signatures._names import names_match, prepare

    text = " ".join(words)
    variants = [
        text.upper(),
        "  " + "   ".join(words) + " ",
        unicodedata.normalize("NFD", text),
    ]
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])
    for variant in variants:
        assert prepare(prepare(variant)) == prepare(variant)
        other = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, variant)])
        assert names_match(name, other)
        assert names_match(other, name)
    different = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text + "x")])
    assert not names_match(name, different)
    reordered = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, text),
        ]
    )
    assert not names_match(reordered, x509.Name([*reordered][::-1]))


_EVENTS_PKI = FixturePKI.create(now=NOW)


@settings(max_examples=40, deadline=None)
@given(
    times=st.lists(
        st.one_of(
            st.integers(min_value=-4000 * 86400, max_value=8000 * 86400),  # anywhere, seconds
            st.sampled_from([0, -1, 1, -300, 300, -301, 301, 3600]).map(  # near an event
                lambda d: d + int((_EVENTS_PKI.revoked_at - NOW).total_seconds())
            ),
        ),
        min_size=1,
        max_size=6,
    ),
    who=st.sampled_from(["revoked", "agency", "expired", "not_yet_valid"]),
)
def test_a_cached_answer_is_always_the_answer_recomputed(times: list[int], who: str) -> None:
    """The cache's one promise: whatever was asked before, the answer for a time is the answer
    a fresh validation gives for that time."""
    pki = _EVENTS_PKI
    certificate = getattr(pki, who).certificate
    kwargs = {
        "trust": pki.trust_store(),
        "intermediates": [pki.intermediate.certificate],
        "revocation": pki.revocation(),
    }
    times = [t + nudge for t in times for nudge in (0, 7)]  # neighbours hit the cache
    clear_cache()
    cached = [
        validate_path(certificate, at=NOW + dt.timedelta(seconds=t), **kwargs)  # type: ignore[arg-type]
        for t in times
    ]
    for t, answer in zip(times, cached, strict=True):
        clear_cache()
        fresh = validate_path(certificate, at=NOW + dt.timedelta(seconds=t), **kwargs)  # type: ignore[arg-type]
        assert (answer.indication, answer.sub_indication) == (
            fresh.indication,
            fresh.sub_indication,
        )


def test_validate_path_works_inside_a_running_event_loop() -> None:
    """An async application calling verify from a coroutine still gets a real answer."""
    import asyncio

    pki = FixturePKI.create(now=NOW)

    async def handler() -> PathReport:
        return validate_path(
            pki.revoked.certificate,
            trust=pki.trust_store(),
            intermediates=[pki.intermediate.certificate],
            revocation=pki.revocation(),
            at=NOW + DAY,
        )

    clear_cache()
    assert asyncio.run(handler()).sub_indication is SubIndication.REVOKED


def test_without_the_pkix_extra_the_basic_engine_runs_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from egovkit.errors import ConfigurationError
    from egovkit.signatures import _pkix, pathvalidation

    monkeypatch.setattr(_pkix, "available", lambda: False)
    pathvalidation._engine.cache_clear()
    try:
        pki = FixturePKI.create(now=NOW)
        report = validate_path(
            pki.agency.certificate,
            trust=pki.trust_store(),
            intermediates=[pki.intermediate.certificate],
            revocation=pki.revocation(),
            at=NOW,
        )
        assert report.passed
        assert report.engine == pathvalidation.BASIC_ENGINE
        with pytest.raises(ConfigurationError) as caught:
            validate_path(pki.agency.certificate, trust=pki.trust_store(), engine="pkix")
        assert caught.value.code == "signatures.path.engine_missing"
    finally:
        pathvalidation._engine.cache_clear()
