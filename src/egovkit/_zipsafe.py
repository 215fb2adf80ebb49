"""Reading a ZIP that may be hostile: one set of checks for every ZIP egovkit opens.

Used by the edXML attachment unwrapper (:mod:`egovkit.edxml.zipwrap`) and the records transfer
package reader (:mod:`egovkit.records.package`). Entry names with ``..``, absolute paths or drive
letters, links, duplicate names (case-insensitively), too many entries and output beyond the
absolute and ratio limits are refused; inflated bytes are counted as they come (the sizes a ZIP
declares are not trusted). Error codes start with the caller's ``prefix`` (``edxml.zip``,
``records.package``…).
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

import attrs

from egovkit.errors import UnsafeInputError

_MIB = 1024 * 1024


@attrs.frozen(kw_only=True)
class ZipLimits:
    """Entries, bytes per entry and in all, and the expansion ratio (bytes out per compressed
    byte in; checked once an entry has inflated past 1 MiB)."""

    max_entries: int
    max_entry_bytes: int
    max_total_bytes: int
    max_ratio: float


def safe_name(name: str, *, prefix: str = "edxml.zip") -> str:
    """``name`` if it is a relative path without ``..``, drive or empty parts; else refused."""
    text = name.replace("\\", "/")
    parts = PurePosixPath(text).parts
    if (
        not text
        or "\x00" in text
        or text.startswith("/")
        or (len(text) > 1 and text[1] == ":")
        or any(part in ("..", "") for part in parts)
        or not parts
    ):
        raise UnsafeInputError(
            f"file name {name!r} would escape the target directory",
            code=f"{prefix}.path",
            where=name,
        )
    return "/".join(parts)


def checked_entries(
    archive: zipfile.ZipFile, limits: ZipLimits, *, prefix: str
) -> list[tuple[str, zipfile.ZipInfo]]:
    """The file entries of ``archive`` with their safe names, after refusing too many entries,
    unsafe names, links and duplicates — before a byte is inflated."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeInputError(
            f"the ZIP holds more than {limits.max_entries} entries", code=f"{prefix}.entries"
        )
    seen: set[str] = set()
    entries = []
    for info in infos:
        if info.is_dir():
            continue
        name = safe_name(info.filename, prefix=prefix)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeInputError(
                f"ZIP entry {info.filename!r} is a link", code=f"{prefix}.link", where=name
            )
        if name.casefold() in seen:
            raise UnsafeInputError(
                f"ZIP entry {name!r} appears twice", code=f"{prefix}.duplicate", where=name
            )
        seen.add(name.casefold())
        entries.append((name, info))
    return entries


class Inflation:
    """Counts the bytes inflated from one archive, across its entries."""

    def __init__(self, limits: ZipLimits, *, prefix: str) -> None:
        self.limits = limits
        self.prefix = prefix
        self.total = 0

    def chunks(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int = _MIB
    ) -> Iterator[bytes]:
        """The inflated bytes of ``info``, refused the moment they pass a limit."""
        size = 0
        with archive.open(info) as entry:
            while data := entry.read(chunk):
                size += len(data)
                self.total += len(data)
                self.check(info, size)
                yield data

    def check(self, info: zipfile.ZipInfo, size: int) -> None:
        """Raise when ``size`` bytes of ``info`` (and the running total) pass a limit."""
        limits, prefix = self.limits, self.prefix
        if size > limits.max_entry_bytes or self.total > limits.max_total_bytes:
            raise UnsafeInputError(
                f"ZIP entry {info.filename!r} inflates beyond the size limit",
                code=f"{prefix}.bomb",
                where=info.filename,
            )
        if size > _MIB and size > limits.max_ratio * max(info.compress_size, 1):
            raise UnsafeInputError(
                f"ZIP entry {info.filename!r} inflates more than {limits.max_ratio:g} times",
                code=f"{prefix}.ratio",
                where=info.filename,
            )


__all__ = ["Inflation", "ZipLimits", "checked_entries", "safe_name"]
