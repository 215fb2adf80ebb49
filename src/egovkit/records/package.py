"""The transfer package (gói nộp lưu): closed case files, their electronic files byte for byte
and their metadata, in one ZIP — verified when written and treated as hostile when read.

Layout: ``files/<FileCode>/<DocOrdinal, 3 digits>/<file name>`` for every electronic file, as
stored (a signed PDF or XML keeps its signatures because its bytes are never touched),
``metadata/<FileCode>.xml`` (the file's and its documents' metadata as XML), and last
``manifest.json``: the package format, the metadata standard used (field lists with their legal
source), and for each case file its Appendix VI / Circular 02/2019 metadata, the egovkit record
it was made from, its seal, and each document's metadata with the path, size and SHA-256 of each
of its files. The manifest's own SHA-256 is the package's reference: keep it (the source store
records it in the audit log) to detect a package rebuilt from scratch.

Reading refuses unsafe ZIPs with the checks shared with edXML (:mod:`egovkit._zipsafe`), then
names what is wrong: a changed byte (``records.package.digest``), a missing document or file
(``records.package.missing``), an entry the manifest does not list (``records.package.extra``),
edited metadata (``records.package.metadata``) or a broken seal (``records.package.seal``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from egovkit._zipsafe import Inflation, ZipLimits, checked_entries
from egovkit.documents.model import Attachment
from egovkit.errors import PolicyError, StorageError, UnsafeInputError, ValidationError
from egovkit.ports import IntegrityError
from egovkit.records.casefile import CaseFile, FiledDocument, FileState, contents_digest
from egovkit.records.metadata import (
    MetadataStandard,
    default_standard,
    document_metadata,
    file_metadata,
    metadata_xml,
)
from egovkit.records.serialization import case_file_from_dict, case_file_to_dict

FORMAT: Final = "egovkit-records-transfer"
FORMAT_VERSION: Final = 1
MANIFEST: Final = "manifest.json"
_PREFIX = "records.package"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

#: Reads a stored blob by SHA-256, in chunks (a BlobStore's ``open``).
ContentSource = Callable[[str], Iterable[bytes]]


@attrs.frozen(kw_only=True)
class PackageLimits:
    """Caps applied while reading a package (a hostile one must not exhaust the machine)."""

    max_entries: int = 100_000
    max_entry_bytes: int = 4 * 1024**3
    max_total_bytes: int = 64 * 1024**3
    max_ratio: float = 200.0
    max_manifest_bytes: int = 64 * 1024**2

    def zip_limits(self) -> ZipLimits:
        """The limits of :mod:`egovkit._zipsafe`."""
        return ZipLimits(
            max_entries=self.max_entries,
            max_entry_bytes=self.max_entry_bytes,
            max_total_bytes=self.max_total_bytes,
            max_ratio=self.max_ratio,
        )


@attrs.frozen(kw_only=True)
class PackedFile:
    """One electronic file in the package: where, how big, its SHA-256 and what it belongs to."""

    path: str
    sha256: str
    size: int
    file_code: str
    ordinal: int


@attrs.frozen(kw_only=True)
class TransferPackage:
    """What a package holds once read and checked."""

    digest: str
    created_at: str
    agency: str
    files: tuple[CaseFile, ...]
    entries: tuple[PackedFile, ...]
    contents: Mapping[str, bytes] = attrs.field(factory=dict, hash=False, repr=False)

    def summary(self) -> dict[str, Any]:
        """JSON keys of ``egovkit records verify-export --json``."""
        return {
            "valid": True,
            "digest": self.digest,
            "created_at": self.created_at,
            "agency": self.agency,
            "files": [str(f.code) for f in self.files],
            "documents": sum(f.doc_total for f in self.files),
            "electronic_files": len(self.entries),
            "bytes": sum(e.size for e in self.entries),
        }


# --------------------------------------------------------------------------- metadata


def _path(case: CaseFile, doc: FiledDocument, name: str) -> str:
    return f"files/{case.code}/{doc.ordinal:03d}/{name}"


def _xml_path(case: CaseFile) -> str:
    return f"metadata/{case.code}.xml"


def _listed_files(case: CaseFile, doc: FiledDocument) -> list[dict[str, Any]]:
    """How the manifest lists the electronic files of ``doc``."""
    return [
        {
            "path": _path(case, doc, a.name),
            "name": a.name,
            "media_type": a.media_type,
            "size": a.size,
            "sha256": a.sha256,
        }
        for a in doc.attachments
    ]


def _manifest(
    files: Sequence[CaseFile], standard: MetadataStandard, *, created_at: str, agency: str
) -> dict[str, Any]:
    listed = []
    for case in files:
        documents = [
            {
                "metadata": document_metadata(case, doc, standard),
                "files": _listed_files(case, doc),
            }
            for doc in case.documents
        ]
        listed.append(
            {
                "code": str(case.code),
                "seal": case.seal,
                "metadata": file_metadata(case, standard),
                "metadata_xml": {
                    "path": _xml_path(case),
                    "sha256": hashlib.sha256(metadata_xml(case, standard)).hexdigest(),
                },
                "documents": documents,
                "record": case_file_to_dict(case),
            }
        )
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": created_at,
        "agency": agency,
        "standard": standard.to_dict(),
        "files": listed,
    }


# --------------------------------------------------------------------------- writing


def check_exportable(files: Iterable[CaseFile], *, include_secret: bool = False) -> None:
    """Refuse files that may not go into a package: not closed, seal broken, or holding secret
    documents (Circular 02/2019: no archive data with state secrets on connected devices; pass
    ``include_secret`` only for a package written to offline media)."""
    for case in files:
        where = str(case.code)
        if case.state is not FileState.CLOSED:
            raise ValidationError(
                f"file {where} is {case.state.value}; only closed files are transferred",
                code="records.not_closed",
                where=where,
            )
        if not case.verify_seal():
            raise IntegrityError(
                f"file {where} no longer matches the seal made when it was closed",
                code="records.seal",
                where=where,
            )
        if case.is_secret and not include_secret:
            raise PolicyError(
                f"file {where} holds secret documents (tài liệu mật): they are transferred on "
                "offline media only (include_secret=True)",
                code="records.secret_export",
                where=where,
            )


def write_package(
    files: Sequence[CaseFile],
    content: ContentSource,
    out: str | os.PathLike[str],
    *,
    agency: str = "",
    created_at: dt.datetime | None = None,
    include_secret: bool = False,
    standard: MetadataStandard | None = None,
    limits: PackageLimits | None = None,
) -> TransferPackage:
    """Write the package of ``files`` to ``out`` (replaced atomically), reading each electronic
    file through ``content`` and checking its SHA-256 as it is copied (verification before);
    then read the written package back and compare it with ``files`` (verification after).
    Returns the package as read back (within ``limits``: raise them for very large files)."""
    check_exportable(files, include_secret=include_secret)
    codes = [str(f.code) for f in files]
    if len(codes) != len(set(codes)):
        raise ValidationError("a file is listed twice", code="records.duplicate_file")
    standard = standard or default_standard()
    stamp = (created_at or dt.datetime.now(dt.UTC)).isoformat()
    target = Path(out).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for case in files:
                    for doc in case.documents:
                        for attachment in doc.attachments:
                            _copy(archive, _path(case, doc, attachment.name), attachment, content)
                    archive.writestr(_info(_xml_path(case)), metadata_xml(case, standard))
                manifest = _manifest(files, standard, created_at=stamp, agency=agency)
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                archive.writestr(_info(MANIFEST), data)
            raw.flush()
            os.fsync(raw.fileno())
        package = read_package(tmp, limits=limits)
        _same_files(package.files, files)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(
            f"cannot write the package {target}: {exc.strerror or exc}",
            code="records.package_write",
            where=str(target),
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return package


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _copy(
    archive: zipfile.ZipFile, name: str, attachment: Attachment, content: ContentSource
) -> None:
    hasher = hashlib.sha256()
    size = 0
    with archive.open(_info(name), "w", force_zip64=True) as writer:
        for chunk in content(attachment.sha256):
            hasher.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    if hasher.hexdigest() != attachment.sha256 or size != attachment.size:
        raise IntegrityError(
            f"the stored content of {name} does not match its SHA-256 or size",
            code="records.content_digest",
            where=name,
        )


def _same_files(read: Sequence[CaseFile], written: Sequence[CaseFile]) -> None:
    if list(read) != list(written):
        raise IntegrityError(
            "the package read back differs from the files written",
            code=f"{_PREFIX}.readback",
        )


# --------------------------------------------------------------------------- reading


def _tampered(message: str, code: str, where: str = "") -> IntegrityError:
    return IntegrityError(message, code=f"{_PREFIX}.{code}", where=where)


def read_package(
    path: str | os.PathLike[str],
    *,
    limits: PackageLimits | None = None,
    keep_content: bool = False,
    expect_digest: str | None = None,
) -> TransferPackage:
    """Read and check the package at ``path`` completely; returns what it holds.

    Hostile shapes raise :class:`~egovkit.errors.UnsafeInputError`; a package that does not
    match its manifest raises :class:`~egovkit.ports.IntegrityError` naming the file and
    document at fault. ``keep_content`` keeps the electronic files' bytes (to import them);
    ``expect_digest`` is the manifest SHA-256 recorded at export.
    """
    limits = limits or PackageLimits()
    try:
        with zipfile.ZipFile(path) as archive:
            return _read(archive, limits, keep_content, expect_digest)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise UnsafeInputError(
            f"the package is not a readable ZIP: {exc}", code=f"{_PREFIX}.corrupt", where=str(path)
        ) from exc


def _read(
    archive: zipfile.ZipFile, limits: PackageLimits, keep: bool, expect: str | None
) -> TransferPackage:
    bounds = limits.zip_limits()
    entries = dict(checked_entries(archive, bounds, prefix=_PREFIX))
    inflation = Inflation(bounds, prefix=_PREFIX)
    info = entries.pop(MANIFEST, None)
    if info is None:
        raise _tampered("the package has no manifest.json", "no_manifest", MANIFEST)
    if info.file_size > limits.max_manifest_bytes:
        raise UnsafeInputError(
            "manifest.json is too large", code=f"{_PREFIX}.manifest_size", where=MANIFEST
        )
    raw = b"".join(_bounded(inflation.chunks(archive, info), limits.max_manifest_bytes))
    digest = hashlib.sha256(raw).hexdigest()
    if expect is not None and digest != expect:
        raise _tampered(
            f"the manifest's SHA-256 is {digest}, not the {expect} recorded at export",
            "unexpected_digest",
            MANIFEST,
        )
    try:
        manifest = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise _tampered("manifest.json is not JSON", "manifest", MANIFEST) from exc
    files, packed, standard = _listed(manifest)
    created_at = manifest.get("created_at")
    try:
        dt.datetime.fromisoformat(created_at)
    except (TypeError, ValueError) as exc:
        raise _tampered(
            f"created_at is not an instant: {created_at!r}", "manifest", MANIFEST
        ) from exc
    for case in files:
        _check_xml(archive, entries, inflation, case, standard)
    contents: dict[str, bytes] = {}
    for item in packed:
        entry = entries.pop(item.path, None)
        if entry is None:
            raise _tampered(
                f"document {item.ordinal} of file {item.file_code} is missing its electronic "
                f"file {item.path}",
                "missing",
                item.path,
            )
        hasher, size, kept = hashlib.sha256(), 0, []
        for chunk in inflation.chunks(archive, entry):
            hasher.update(chunk)
            size += len(chunk)
            if keep:
                kept.append(chunk)
        if hasher.hexdigest() != item.sha256 or size != item.size:
            raise _tampered(
                f"{item.path} (document {item.ordinal} of file {item.file_code}) does not match "
                "its SHA-256: a byte was changed",
                "digest",
                item.path,
            )
        if keep:
            contents[item.sha256] = b"".join(kept)
    if entries:
        extra = sorted(entries)[0]
        raise _tampered(f"{extra} is not listed in the manifest", "extra", extra)
    return TransferPackage(
        digest=digest,
        created_at=str(created_at),
        agency=str(manifest.get("agency", "")),
        files=tuple(files),
        entries=tuple(packed),
        contents=contents,
    )


def package_contents(
    path: str | os.PathLike[str],
    package: TransferPackage,
    *,
    limits: PackageLimits | None = None,
) -> Iterator[tuple[PackedFile, Iterator[bytes]]]:
    """The electronic files of a package already read by :func:`read_package`, each with an
    iterator over its bytes (consume it before the next one), read again under the same ZIP
    checks — to stream them into a blob store, which checks each SHA-256 once more."""
    bounds = (limits or PackageLimits()).zip_limits()
    with zipfile.ZipFile(path) as archive:
        entries = dict(checked_entries(archive, bounds, prefix=_PREFIX))
        inflation = Inflation(bounds, prefix=_PREFIX)
        for item in package.entries:
            entry = entries.get(item.path)
            if entry is None:
                raise _tampered(f"{item.path} vanished from the package", "missing", item.path)
            yield item, inflation.chunks(archive, entry)


def _bounded(chunks: Iterator[bytes], limit: int, name: str = MANIFEST) -> Iterator[bytes]:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise UnsafeInputError(
                f"{name} is too large", code=f"{_PREFIX}.manifest_size", where=name
            )
        yield chunk


def _check_xml(
    archive: zipfile.ZipFile,
    entries: dict[str, zipfile.ZipInfo],
    inflation: Inflation,
    case: CaseFile,
    standard: MetadataStandard,
) -> None:
    """The XML metadata of ``case`` must be exactly what its (checked) record gives: it is
    compared byte for byte, never parsed."""
    path = _xml_path(case)
    entry = entries.pop(path, None)
    if entry is None:
        raise _tampered(f"the XML metadata of file {case.code} is missing", "missing", path)
    expected = metadata_xml(case, standard)
    found = b"".join(_bounded(inflation.chunks(archive, entry), len(expected) + 1, path))
    if found != expected:
        raise _tampered(f"the XML metadata of file {case.code} was edited", "metadata", path)


def _listed(manifest: Any) -> tuple[list[CaseFile], list[PackedFile], MetadataStandard]:
    """The case files and electronic files the manifest lists, each checked against its seal
    and its metadata."""
    try:
        if manifest["format"] != FORMAT or manifest["version"] != FORMAT_VERSION:
            raise ValueError(f"unsupported format {manifest['format']!r} {manifest['version']!r}")
        standard = MetadataStandard.from_dict(manifest["standard"])
        listed = manifest["files"]
        if not isinstance(listed, list):
            raise TypeError("files is not a list")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _tampered(f"manifest.json is malformed: {exc}", "manifest", MANIFEST) from exc
    files: list[CaseFile] = []
    packed: list[PackedFile] = []
    for number, entry in enumerate(listed, 1):
        where = f"{MANIFEST}:files[{number}]"
        try:
            case = case_file_from_dict(entry["record"])
            code = str(entry["code"])
            documents = entry["documents"]
            metadata = entry["metadata"]
        except (KeyError, TypeError, ValidationError) as exc:
            raise _tampered(f"{where} is not a case file: {exc}", "manifest", where) from exc
        if code != str(case.code):
            raise _tampered(f"{where} names {code} but holds {case.code}", "manifest", code)
        if (
            case.seal is None
            or case.seal != contents_digest(case)
            or entry.get("seal") != case.seal
        ):
            raise _tampered(f"file {code} does not match its seal", "seal", code)
        if metadata != file_metadata(case, standard):
            raise _tampered(f"the metadata of file {code} was edited", "metadata", code)
        if not isinstance(documents, list) or len(documents) != case.doc_total:
            raise _tampered(
                f"file {code} lists {len(documents) if isinstance(documents, list) else '?'} "
                f"documents, its record {case.doc_total}",
                "missing",
                code,
            )
        for doc, listed_doc in zip(case.documents, documents, strict=True):
            packed += _document_files(case, doc, listed_doc, standard)
        files.append(case)
    return files, packed, standard


def _document_files(
    case: CaseFile, doc: FiledDocument, listed: Any, standard: MetadataStandard
) -> list[PackedFile]:
    at = f"{case.code}#{doc.ordinal}"
    try:
        metadata, files = listed["metadata"], listed["files"]
    except (KeyError, TypeError) as exc:
        raise _tampered(f"document {at} is malformed: {exc}", "manifest", at) from exc
    if metadata != document_metadata(case, doc, standard):
        raise _tampered(f"the metadata of document {at} was edited", "metadata", at)
    if files != _listed_files(case, doc):
        raise _tampered(f"the file list of document {at} was edited", "missing", at)
    return [
        PackedFile(
            path=_path(case, doc, a.name),
            sha256=a.sha256,
            size=a.size,
            file_code=str(case.code),
            ordinal=doc.ordinal,
        )
        for a in doc.attachments
    ]


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "ContentSource",
    "PackageLimits",
    "PackedFile",
    "TransferPackage",
    "check_exportable",
    "package_contents",
    "read_package",
    "write_package",
]
