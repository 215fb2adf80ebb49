"""A hostile manifest never crashes the package reader: any value anywhere in manifest.json
replaced by any JSON value gives the package back or an egovkit error, never another
exception."""

from __future__ import annotations

import contextlib
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovkit.errors import EgovkitError
from egovkit.records import read_package, write_package
from egovkit.records.package import MANIFEST
from egovkit.testing.contracts.case_files import case_file, document

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], tuple(rest), new)
    return copy


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and the other members of a valid package of one file of two documents."""
    data = b"abc"
    digest = hashlib.sha256(data).hexdigest()
    case = case_file("01.VP", documents=())
    for key in ("a", "b"):
        doc = document(key, case.start_date)
        pdf = attrs.evolve(doc.attachments[0], size=len(data), sha256=digest)
        case = case.file(attrs.evolve(doc, attachments=[pdf]))
    out = tmp_path_factory.mktemp("pkg") / "p.zip"
    write_package([case.close(end_date=case.start_date)], lambda _digest: [data], out)
    with zipfile.ZipFile(out) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = json.loads(members.pop(MANIFEST))
    return manifest, members


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_edit_of_the_manifest_is_refused_or_read(
    tmp_path: Path, valid: tuple[dict[str, Any], dict[str, bytes]], data: st.DataObject
) -> None:
    manifest, members = valid
    path = data.draw(st.sampled_from(_paths(manifest)))
    edited = _replace(manifest, path, data.draw(_JSON))
    out = tmp_path / "edited.zip"
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        archive.writestr(MANIFEST, json.dumps(edited))
    with contextlib.suppress(EgovkitError):
        read_package(out)
