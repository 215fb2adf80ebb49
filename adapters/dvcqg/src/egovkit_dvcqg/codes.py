"""The code lists of the portal's dossier object, as data (``data/code_lists.json``): which
values are codes, the code egovkit sends for each domain value, and where each list comes from.

The lists no public source explains (``NoiNopHoSo``, ``HinhThucThu``, ``MaPhiLePhi``,
``LoaiPhiLePhi``) carry ``"verified": false`` in the data; a province that knows its portal's
lists passes its own file (:meth:`CodeLists.from_file`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import attrs

from egovkit.dossiers import FeeCollection, ResultDelivery
from egovkit.errors import ParseError


@attrs.frozen(kw_only=True)
class CodeLists:
    """The codes one portal takes (see the module docstring)."""

    submission_place: str
    collection: Mapping[FeeCollection, str] = attrs.field(hash=False, repr=False)
    fee_code: str
    fee_kind: str
    delivery: Mapping[ResultDelivery | None, str] = attrs.field(hash=False, repr=False)
    placeholder_kind: str
    placeholder_number: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CodeLists:
        """Read the form of ``data/code_lists.json``; a missing list is a ParseError."""
        try:
            collection = data["HinhThucThu"]["values"]
            delivery = data["HinhThuc"]["values"]
            placeholder = data["DinhDanhCHS"]["placeholder"]
            return cls(
                submission_place=str(data["NoiNopHoSo"]["default"]),
                collection={f: str(collection[f.value]) for f in FeeCollection},
                fee_code=str(data["MaPhiLePhi"]["default"]),
                fee_kind=str(data["LoaiPhiLePhi"]["default"]),
                delivery={
                    **{d: str(delivery[d.value]) for d in ResultDelivery},
                    None: str(delivery["unknown"]),
                },
                placeholder_kind=str(placeholder["LoaiDinhDanh"]),
                placeholder_number=str(placeholder["SoDinhDanh"]),
            )
        except (KeyError, TypeError) as exc:
            raise ParseError(
                f"code lists: {exc} is missing", code="dvcqg.codes", where=str(exc)
            ) from exc

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> CodeLists:
        """Read a province's own code lists (the same JSON form)."""
        try:
            data = json.loads(open(path, encoding="utf-8").read())  # noqa: PTH123, SIM115
        except (OSError, ValueError) as exc:
            raise ParseError(
                f"cannot read code lists {path}: {exc}", code="dvcqg.codes", where=str(path)
            ) from exc
        if not isinstance(data, Mapping):
            raise ParseError("code lists must be an object", code="dvcqg.codes", where="")
        return cls.from_dict(data)


@cache
def default_codes() -> CodeLists:
    """The built-in lists (``data/code_lists.json``)."""
    text = resources.files("egovkit_dvcqg").joinpath("data/code_lists.json").read_text("utf-8")
    return CodeLists.from_dict(json.loads(text))


__all__ = ["CodeLists", "default_codes"]
