"""Case files in the store: the query by year and unit in SQL, and the transfer package check.

N case files (20,000 in a full run, 500 in a quick one) of ten units over five years, each of
three documents, are stored in SQLite. Then:

- the files of one unit and one year: egovkit's SQL over the records' JSON bodies and the
  partial (year, unit) index, against the peer, the plain definition
  (:meth:`~egovkit.records.ports.CaseFileQuery.matches`) applied to every file read from the
  same store — what the memory store does, and what an application without SQL would do;
- a transfer package of 200 files (20 in a quick run), 600 electronic files of 64 KiB: egovkit's
  hostile-input reader (:func:`~egovkit.records.package.read_package`: ZIP checks, every
  SHA-256, every seal and metadata record) against the peer, Python's ``zipfile`` reading every
  member and hashing it with ``hashlib`` with no other check.

Both sides must agree (the same files; every digest the same).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import tempfile
import zipfile
from pathlib import Path

import attrs
from _harness import Comparison, best_of

from egovkit.agencies import AgencyCode
from egovkit.documents import Attachment
from egovkit.ports import Record
from egovkit.records import CaseFileQuery, Retention, case_file_to_dict, read_package
from egovkit.records.package import write_package
from egovkit.storage import open_store
from egovkit.storage.case_file_sql import CASE_FILES
from egovkit.storage.case_files import RecordCaseFiles, case_files
from egovkit.testing.contracts.case_files import case_file, document

AGENCY = AgencyCode.parse("000.00.00.H53")
UNITS = [f"U{n:02d}" for n in range(10)]
YEARS = range(2022, 2027)


def _files(size: int) -> list[Record]:
    records = []
    for n in range(size):
        unit, year = UNITS[n % len(UNITS)], YEARS[(n // len(UNITS)) % len(YEARS)]
        case = case_file(
            f"{n + 1:05d}.{unit}",
            agency=AGENCY,
            year=year,
            unit=unit,
            retention=Retention.of_years(10),
            documents=("a", "b", "c"),
        )
        records.append(
            Record(collection=CASE_FILES, key=str(case.code), data=case_file_to_dict(case))
        )
    return records


def _package(place: Path, files: int) -> Path:
    data = [random.Random(n).randbytes(65_536) for n in range(3)]  # incompressible, like PDFs
    digests = [hashlib.sha256(d).hexdigest() for d in data]
    contents = dict(zip(digests, data, strict=True))
    closed = []
    for n in range(files):
        case = case_file(f"{n + 1:04d}.VP", documents=())
        for k in range(3):
            doc = document(f"{n}-{k}", case.start_date)
            pdf = Attachment(
                name="vb.pdf", media_type="application/pdf", size=len(data[k]), sha256=digests[k]
            )
            case = case.file(attrs.evolve(doc, attachments=[pdf]))
        closed.append(case.close(end_date=dt.date(2026, 12, 31)))
    out = place / "package.zip"
    write_package(closed, lambda digest: [contents[digest]], out)
    return out


def _plain_zip(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            info.filename: hashlib.sha256(archive.read(info)).hexdigest()
            for info in archive.infolist()
            if info.filename.startswith("files/")
        }


def run(quick: bool) -> list[Comparison]:
    size, files, repeat = (500, 20, 3) if quick else (20_000, 200, 5)
    place = Path(tempfile.mkdtemp(prefix="egovkit-bench-records-"))
    try:
        url = f"sqlite:///{place / 'records.db'}?synchronous=normal"
        query = CaseFileQuery(year=2024, unit="U03")
        with open_store(url) as store:
            store.records.add_many(_files(size))
            sql = case_files(store)
            with store.transaction() as uow:
                plain = RecordCaseFiles(uow.records)
                expected = plain.query(query)
            assert sql.query(query) == expected, "SQL and the plain definition disagree"

            def peer_query() -> object:
                with store.transaction() as uow:
                    return RecordCaseFiles(uow.records).query(query)

            ours = best_of(lambda: sql.query(query), repeat=repeat)
            peer = best_of(peer_query, repeat=repeat)
        package = _package(place, files)
        read = read_package(package)
        assert {e.path: e.sha256 for e in read.entries} == _plain_zip(package)
        ours_package = best_of(lambda: read_package(package), repeat=repeat)
        peer_package = best_of(lambda: _plain_zip(package), repeat=repeat)
        megabytes = package.stat().st_size / 1e6
    finally:
        shutil.rmtree(place, ignore_errors=True)
    return [
        Comparison(
            f"case files of one unit and year among {size:,} (SQLite, SQL + partial index)",
            ours,
            "the plain definition over every file of the same store",
            peer,
            notes=f"{len(expected)} files found",
        ),
        Comparison(
            f"verify a transfer package of {files} files, {3 * files} electronic files",
            ours_package,
            "zipfile + hashlib over every member, no other check",
            peer_package,
            notes=f"package {megabytes:.1f} MB; ours adds the ZIP safety checks, seals, metadata",
        ),
    ]
