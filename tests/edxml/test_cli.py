"""``egovkit edxml check | build | extract``: exit codes, JSON keys, safe extraction."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from egovkit.cli import main

HOSTILE = Path(__file__).resolve().parent / "hostile"
DOCUMENT = {
    "direction": "outgoing",
    "type": "official_letter",
    "issuer": {"name": "Văn phòng Chính phủ", "code": "000.00.00.G22"},
    "number": "7816/VPCP-TTĐT",
    "place": "Hà Nội",
    "issued_on": "2015-09-30",
    "subject": "V/v kết nối, liên thông phần mềm quản lý văn bản",
    "content": "Nội dung",
    "signer": {"full_name": "Nguyễn Văn A", "position": "Bộ trưởng", "competence": "TL."},
    "recipients": [
        {"name": "UBND tỉnh Nghệ An", "code": "000.00.00.H41"},
        {"name": "UBND tỉnh Cao Bằng", "code": "000.00.00.H14"},
    ],
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["edxml", *argv])
    return code, capsys.readouterr().out


def test_check_status_sample_json(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", str(samples / "status_acceptance_03.edxml"), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["kind"] == "status"
    assert data["status_code"] == "03"
    assert data["from"] == "000.00.00.H41"
    assert data["to"] == ["000.00.00.G22"]
    for key in ("document_id", "code", "business_type", "attachments", "findings"):
        assert key in data


def test_check_messy_sample_exits_1(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", str(samples / "edoc_new.edxml"), "--json")
    data = json.loads(out)
    assert code == 1
    assert data["kind"] == "edoc"
    assert data["business_type"] == "new"
    assert data["to"] == ["000.28.22.H17"]
    assert data["code"] == "74fass22/VPCP-TTĐT"
    assert data["attachments"][0]["content_id"] == "cid:209"
    assert data["attachments"][0]["sha256"] is None
    assert "agency_code.legacy_shape" in {f["code"] for f in data["findings"]}


def test_check_strict_lists_errors(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", str(samples / "edoc_three_recipients.edxml"), "--strict")
    assert code == 1
    assert "edxml.document_id.date" in out


@pytest.mark.parametrize("name", ["xxe_external_entity.edxml", "not_xml.edxml"])
def test_check_unreadable_or_unsafe_exits_2(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", str(HOSTILE / name), "--json")
    assert code == 2
    assert json.loads(out)["readable"] is False
    assert main(["edxml", "check", str(HOSTILE / name)]) == 2


def test_build_check_extract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(DOCUMENT, ensure_ascii=False), encoding="utf-8")
    files = [tmp_path / "cong-van.pdf", tmp_path / "phu-luc.docx"]
    for index, path in enumerate(files):
        path.write_bytes(b"%PDF " * (index + 100))
    out = tmp_path / "out.edxml"
    code, _ = run(capsys, "build", str(doc), "--attach", *map(str, files), "--zip", "-o", str(out))
    assert code == 0
    code, text = run(capsys, "check", str(out), "--strict", "--json")
    data = json.loads(text)
    assert code == 0, data["findings"]
    assert data["document_id"] == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert data["to"] == ["000.00.00.H41", "000.00.00.H14"]
    assert [a["name"] for a in data["attachments"]] == ["cong-van.pdf", "phu-luc.docx"]
    target = tmp_path / "extracted"
    code, text = run(capsys, "extract", str(out), "-o", str(target))
    assert code == 0
    assert (target / "cong-van" / "cong-van.pdf").read_bytes() == files[0].read_bytes()
    assert (target / "phu-luc" / "phu-luc.docx").read_bytes() == files[1].read_bytes()
    assert not [p for p in target.iterdir() if p.name.startswith(".egovkit")]
    # Building without --zip keeps the files as they are.
    plain = tmp_path / "plain.edxml"
    assert main(["edxml", "build", str(doc), "--attach", str(files[0]), "-o", str(plain)]) == 0
    code, _ = run(capsys, "extract", str(plain), "-o", str(tmp_path / "plain"), "--keep-zip")
    assert code == 0
    assert (tmp_path / "plain" / "cong-van.pdf").read_bytes() == files[0].read_bytes()


def test_build_refuses_secret_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps({**DOCUMENT, "secrecy": "SECRET"}), encoding="utf-8")
    code = main(["edxml", "build", str(doc), "-o", str(tmp_path / "x.edxml")])
    assert code == 1
    assert not (tmp_path / "x.edxml").exists()
    assert "edxml.policy.secret" in capsys.readouterr().err


def _message_with_attachment(name: str, payload: bytes, content_type: str) -> bytes:
    from egovkit.edxml import AttachmentContent, read, write

    template = read(HOSTILE / "attachment_not_in_manifest.edxml").message
    import attrs

    from egovkit.edxml import Envelope

    assert isinstance(template, Envelope)
    files = [
        attrs.evolve(
            template.attachments[0],
            name=name,
            content_type=content_type,
            content=AttachmentContent.from_bytes(payload),
        )
    ]
    message = attrs.evolve(template, attachments=files, manifest=[files[0].reference()])
    return write(message)


@pytest.mark.parametrize("name", ["../../evil.sh", "/etc/evil", "sub/dir.txt"])
def test_extract_never_writes_outside(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "m.edxml"
    source.write_bytes(_message_with_attachment(name, b"x", "text/plain"))
    target = tmp_path / "out"
    assert main(["edxml", "extract", str(source), "-o", str(target)]) == 2
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [source]


def test_extract_refuses_zip_traversal(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil.sh", b"echo")
    source = tmp_path / "m.edxml"
    source.write_bytes(_message_with_attachment("a.doc", buffer.getvalue(), "application/zip"))
    assert main(["edxml", "extract", str(source), "-o", str(tmp_path / "out")]) == 2
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [source]


def test_build_with_missing_attachment_is_a_usage_error(tmp_path: Path) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    missing = tmp_path / "missing.pdf"
    assert main(["edxml", "build", str(doc), "--attach", str(missing), "-o", "x.edxml"]) == 2
