"""ZIP wrapping of attachments, as the national exchange axis does, with bomb limits.

The axis sends each file as base64 of a ZIP that holds it (``application/zip``). Wrapping streams
the file into a ZIP; unwrapping refuses entries with ``..`` or absolute paths, links, duplicate
names, too many entries, and output beyond the absolute and ratio limits, counting the bytes
actually inflated (the sizes a ZIP declares are not trusted).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
import zipfile
from pathlib import Path
from typing import IO

from egovkit._zipsafe import Inflation, ZipLimits, checked_entries
from egovkit._zipsafe import safe_name as _safe_name
from egovkit.edxml.attachments import ENCODE_CHUNK, AttachmentContent
from egovkit.edxml.limits import DEFAULT_LIMITS, Limits
from egovkit.errors import ConflictError, StorageError, UnsafeInputError

#: The media type of a wrapped attachment.
ZIP_MEDIA_TYPE = "application/zip"
_PREFIX = "edxml.zip"


def wrap(
    source: str | os.PathLike[str], *, name: str | None = None, directory: str | None = None
) -> AttachmentContent:
    """A ZIP (deflated) holding the file ``source`` as ``name``, written to a temporary file.

    The ZIP is created in ``directory`` (the system temporary directory by default) and is
    removed when the returned content is garbage-collected.
    """
    path = Path(source)
    entry = safe_name(name or path.name)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before use
        prefix="egovkit-zip-", suffix=".zip", dir=directory, delete=False
    )
    try:
        with (
            handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            path.open("rb") as reader,
            archive.open(entry, "w", force_zip64=True) as writer,
        ):
            shutil.copyfileobj(reader, writer, ENCODE_CHUNK)
    except OSError as exc:
        Path(handle.name).unlink(missing_ok=True)
        raise StorageError(
            f"cannot wrap {path} in a ZIP: {exc.strerror}", code="edxml.zip.write", where=str(path)
        ) from exc
    content = AttachmentContent.from_path(handle.name)
    weakref.finalize(content, Path(handle.name).unlink, missing_ok=True)
    return content


def safe_name(name: str) -> str:
    """``name`` if it is a relative path without ``..``, drive or empty parts; else refused."""
    return _safe_name(name, prefix=_PREFIX)


def unwrap(
    content: AttachmentContent | IO[bytes],
    target: str | os.PathLike[str],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Path]:
    """Extract a ZIP attachment into the directory ``target``; returns the files written.

    Raises :class:`~egovkit.errors.UnsafeInputError` for a bomb (absolute or ratio limit), an
    entry that would land outside ``target``, a link, or duplicate names, and removes what it
    wrote before raising.
    """
    root = Path(target).resolve()
    stream = content.open() if isinstance(content, AttachmentContent) else content
    written: list[Path] = []
    try:
        with stream:
            try:
                archive = zipfile.ZipFile(stream)
            except (zipfile.BadZipFile, OSError) as exc:
                raise UnsafeInputError(
                    f"the attachment is not a readable ZIP: {exc}", code="edxml.zip.corrupt"
                ) from exc
            with archive:
                _extract(archive, root, limits, written)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def _zip_limits(limits: Limits) -> ZipLimits:
    return ZipLimits(
        max_entries=limits.zip_max_entries,
        max_entry_bytes=limits.zip_max_entry_bytes,
        max_total_bytes=limits.zip_max_total_bytes,
        max_ratio=limits.zip_max_ratio,
    )


def _extract(archive: zipfile.ZipFile, root: Path, limits: Limits, written: list[Path]) -> None:
    bounds = _zip_limits(limits)
    entries = checked_entries(archive, bounds, prefix=_PREFIX)
    for name, _info in entries:
        destination = (root / name).resolve()
        if not destination.is_relative_to(root):
            raise UnsafeInputError(
                f"ZIP entry {name!r} would escape the target directory",
                code="edxml.zip.path",
                where=name,
            )
    inflation = Inflation(bounds, prefix=_PREFIX)
    for name, info in entries:
        destination = root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            out = destination.open("xb")
        except FileExistsError as exc:
            raise ConflictError(
                f"{destination} exists already", code="edxml.zip.exists", where=str(destination)
            ) from exc
        written.append(destination)
        with out:
            for chunk in inflation.chunks(archive, info, ENCODE_CHUNK):
                out.write(chunk)


__all__ = ["ZIP_MEDIA_TYPE", "safe_name", "unwrap", "wrap"]
