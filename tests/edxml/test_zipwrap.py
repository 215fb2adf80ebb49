"""ZIP wrapping as the national axis does it: round trip, and refusals that leave nothing behind."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from egovkit.edxml import AttachmentContent, Limits
from egovkit.edxml.zipwrap import safe_name, unwrap, wrap
from egovkit.errors import ConflictError, UnsafeInputError


def test_wrap_then_unwrap_gives_the_file_back(tmp_path: Path) -> None:
    source = tmp_path / "công văn.doc"
    source.write_bytes(b"Noi dung " * 1000)
    content = wrap(source)
    with content.open() as stream, zipfile.ZipFile(stream) as archive:
        assert archive.namelist() == ["công văn.doc"]
    out = tmp_path / "out"
    written = unwrap(content, out)
    assert written == [out.resolve() / "công văn.doc"]
    assert written[0].read_bytes() == source.read_bytes()


def test_unwrap_refuses_to_overwrite(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"x")
    content = wrap(source)
    unwrap(content, tmp_path / "out")
    with pytest.raises(ConflictError):
        unwrap(content, tmp_path / "out")


def test_nested_directories_inside_the_target_are_allowed(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("phu-luc/1.pdf", b"%PDF")
    written = unwrap(AttachmentContent.from_bytes(buffer.getvalue()), tmp_path)
    assert written == [tmp_path.resolve() / "phu-luc" / "1.pdf"]


def test_ratio_limit_is_configurable(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 2_000_000)
    data = AttachmentContent.from_bytes(buffer.getvalue())
    with pytest.raises(UnsafeInputError) as caught:
        unwrap(data, tmp_path / "a")
    assert caught.value.code == "edxml.zip.ratio"
    written = unwrap(data, tmp_path / "b", limits=Limits(zip_max_ratio=10_000))
    assert written[0].stat().st_size == 2_000_000


@pytest.mark.parametrize(
    "name", ["../x", "/etc/passwd", "a/../../x", "C:\\x", "", "a\x00b", "..\\x"]
)
def test_safe_name_refuses_escapes(name: str) -> None:
    with pytest.raises(UnsafeInputError):
        safe_name(name)


@pytest.mark.parametrize("name", ["a.doc", "phu-luc/1.pdf", "công văn.docx"])
def test_safe_name_keeps_plain_names(name: str) -> None:
    assert safe_name(name) == name
