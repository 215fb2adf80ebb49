"""Requests checked against the shipped OpenAPI contract (``openapi.yaml``), as a server must.

:class:`~egovkit_ioffice.testing.IofficeTestServer` answers 400 to a request the contract does
not allow (a missing ``X-Agency``, an unknown ``kind``, a body of the wrong shape), so that what
it accepts is exactly what the contract documents. A vendor can use :class:`Contract` the same
way in their own server's tests. OpenAPI 3.0 schemas become JSON Schema (draft 7) here:
``nullable`` turns into a ``null`` alternative, ``format: byte`` is checked as base64 and
``date``/``date-time`` as ISO 8601 (a date-time with its zone).

Needs PyYAML and jsonschema: ``pip install "egovkit-ioffice[testing]"``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_METHODS = ("get", "post", "put", "delete", "patch")


def _openapi_to_json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema object as JSON Schema: ``nullable`` becomes ``anyOf [.., null]``."""
    if isinstance(node, list):
        return [_openapi_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {
        k: _openapi_to_json_schema(v)
        for k, v in node.items()
        if k not in ("nullable", "example", "description")
    }
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _is_base64(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None and "T" in value.upper()


class Contract:
    """The operations of an OpenAPI 3.0 document, and a check of one request against them."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        import jsonschema

        self._document = document
        components = _openapi_to_json_schema(dict(document.get("components", {})))
        self._components = components
        checker = jsonschema.FormatChecker(formats=())
        checker.checks("byte")(_is_base64)
        checker.checks("date")(_is_date)
        checker.checks("date-time")(_is_date_time)
        self._checker = checker
        self._jsonschema = jsonschema
        self._routes = [
            (re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))), path, item)
            for path, item in document.get("paths", {}).items()
        ]

    @classmethod
    def from_path(cls, path: Path | Traversable) -> Contract:
        """Read the contract from a YAML (or JSON) file."""
        import yaml

        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def _resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return node
        target: Any = self._document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return dict(target)

    def operation(self, method: str, path: str) -> tuple[str, Mapping[str, Any]] | None:
        """The path template and operation object a request goes to, if the contract has one."""
        for pattern, template, item in self._routes:
            if pattern.fullmatch(path) and method.lower() in item:
                return template, item
        return None

    def problems(
        self,
        *,
        method: str,
        path: str,
        query: Mapping[str, Sequence[str]],
        headers: Mapping[str, str],
        body: object,
        has_body: bool,
    ) -> list[str]:
        """What in the request the contract does not allow (empty when it is a valid request).
        ``headers`` have lower-case names; ``body`` is the parsed JSON."""
        found = self.operation(method, path)
        if found is None:
            return [f"no operation {method} {path}"]
        _template, item = found
        operation = item[method.lower()]
        parameters = [
            self._resolve(p)
            for p in (*item.get("parameters", ()), *operation.get("parameters", ()))
        ]
        out: list[str] = []
        declared = {p["name"] for p in parameters if p["in"] == "query"}
        out += [f"unknown query parameter {name!r}" for name in query if name not in declared]
        for parameter in parameters:
            name, place = parameter["name"], parameter["in"]
            if place == "header":
                values = [headers[name.lower()]] if name.lower() in headers else []
            elif place == "query":
                values = list(query.get(name, []))
            else:
                continue
            if parameter.get("required") and not values:
                out.append(f"the {place} parameter {name} is required")
                continue
            schema = _openapi_to_json_schema(dict(parameter.get("schema", {})))
            for value in values:
                out += self._schema_problems(schema, value, f"{place} {name}")
        request = operation.get("requestBody")
        if request is not None:
            request = self._resolve(request)
            if not has_body:
                if request.get("required"):
                    out.append("a request body is required")
            else:
                media = request.get("content", {}).get("application/json", {})
                schema = _openapi_to_json_schema(dict(media.get("schema", {})))
                out += self._schema_problems(schema, body, "body")
        return out

    def _schema_problems(self, schema: Mapping[str, Any], value: object, where: str) -> list[str]:
        root = {**schema, "components": self._components}
        validator = self._jsonschema.Draft7Validator(root, format_checker=self._checker)
        return [f"{where}: {e.message}" for e in validator.iter_errors(value)][:5]


@cache
def shipped_contract() -> Contract:
    """The contract of ``openapi.yaml`` shipped with this package (read once)."""
    from egovkit_ioffice import OPENAPI

    return Contract.from_path(OPENAPI)


__all__ = ["Contract", "shipped_contract"]
