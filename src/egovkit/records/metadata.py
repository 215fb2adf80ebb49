"""The metadata fields of a transfer, as data with their source (``data/metadata_fields.json``):
file-level and document-level fields of Decree 30/2020 Appendix VI Part II, plus those of
Circular 02/2019/TT-BNV as public archive software names them (marked unverified there)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class MetadataField:
    """One field: its English name (as written in the package), Vietnamese name, type, maximum
    length, and where it comes from (``nd30`` or ``tt02``, with the paragraph)."""

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    vi: str = attrs.field(validator=attrs.validators.instance_of(str))
    type: str = attrs.field(validator=attrs.validators.instance_of(str))
    length: int = attrs.field(validator=attrs.validators.instance_of(int))
    source: str = attrs.field(validator=attrs.validators.instance_of(str))
    ref: str = attrs.field(validator=attrs.validators.instance_of(str))


@attrs.frozen(kw_only=True)
class MetadataStandard:
    """The file-level and document-level field lists, and what each source is."""

    name: str
    version: int
    sources: Mapping[str, str] = attrs.field(hash=False)
    file: tuple[MetadataField, ...]
    document: tuple[MetadataField, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MetadataStandard:
        """Read the JSON form of ``data/metadata_fields.json``."""
        return cls(
            name=str(data["name"]),
            version=int(data["version"]),
            sources=dict(data["sources"]),
            file=tuple(MetadataField(**f) for f in data["file"]),
            document=tuple(MetadataField(**f) for f in data["document"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (also written into every transfer package)."""
        return {
            "name": self.name,
            "version": self.version,
            "sources": dict(self.sources),
            "file": [attrs.asdict(f) for f in self.file],
            "document": [attrs.asdict(f) for f in self.document],
        }


@cache
def default_standard() -> MetadataStandard:
    """The field lists egovkit ships."""
    text = resources.files("egovkit.records").joinpath("data/metadata_fields.json")
    return MetadataStandard.from_dict(json.loads(text.read_text(encoding="utf-8")))


__all__ = ["MetadataField", "MetadataStandard", "default_standard"]
