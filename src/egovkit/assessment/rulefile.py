"""Rule-set files: read and write the declarative JSON form of a
:class:`~egovkit.assessment.model.RuleSet`.

JSON because the standard library both reads and writes it (``tomllib`` only reads, so TOML
would need a hand-written emitter or a new dependency for ``read(write(x)) == x``), because the
CLI already prints JSON, and because every language the provinces use can produce it. Numbers
are read as decimals, never floats. Unknown keys are refused (a typo must not silently drop a
rule), and every error names its field, e.g. ``root/awareness.points``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from egovkit._io import TextSource, read_text
from egovkit.assessment.model import (
    Aggregate,
    Band,
    BandScoring,
    CountScoring,
    GradeBand,
    Group,
    Indicator,
    IndicatorSource,
    IndicatorUnit,
    Leaf,
    MinMaxScoring,
    Node,
    NotApplicablePolicy,
    RatioScoring,
    RuleSet,
    Scale,
    Scoring,
    Ties,
    YesNoScoring,
    ZeroDenominator,
    ZScoreMinMaxScoring,
)
from egovkit.assessment.validation import check_ruleset
from egovkit.errors import ParseError, UnsafeInputError, ValidationError
from egovkit.findings import errors_in

#: The ``format`` every rule-set file declares.
FORMAT = "egovkit.ruleset/1"
#: Rule-set files larger than this are refused unread.
MAX_RULESET_BYTES = 4 * 1024 * 1024
_MAX_DEPTH = 32

T = TypeVar("T")
E = TypeVar("E")


# ---------------------------------------------------------------- writing


def ruleset_to_dict(ruleset: RuleSet) -> dict[str, Any]:
    """The JSON-ready mapping of ``ruleset`` (numbers that a float cannot hold become strings)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "id": ruleset.id,
        "version": ruleset.version,
        "title_vi": ruleset.title_vi,
        "title_en": ruleset.title_en,
        "source": ruleset.source,
        "effective_from": ruleset.effective_from.isoformat(),
        "effective_to": ruleset.effective_to.isoformat() if ruleset.effective_to else None,
        "scale": ruleset.scale.value,
        "decimals": ruleset.decimals,
        "ties": ruleset.ties.value,
        "attributes": list(ruleset.attributes),
        "notes": ruleset.notes,
        "indicators": [_indicator_to_dict(i) for i in ruleset.indicators],
        "root": _node_to_dict(ruleset.root),
        "grades": [
            {
                "name": g.name,
                "name_en": g.name_en,
                "minimum": _num(g.minimum),
                "inclusive": g.inclusive,
            }
            for g in ruleset.grades
        ],
    }
    return data


def dumps_ruleset(ruleset: RuleSet) -> str:
    """The rule-set file text (UTF-8 JSON, two-space indent, Vietnamese kept readable)."""
    return json.dumps(ruleset_to_dict(ruleset), ensure_ascii=False, indent=2) + "\n"


def _num(value: Decimal | None) -> int | float | str | None:
    if value is None:
        return None
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return str(value)


def _indicator_to_dict(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "name_vi": indicator.name_vi,
        "name_en": indicator.name_en,
        "unit": indicator.unit.value,
        "source": indicator.source.value,
        "minimum": _num(indicator.minimum),
        "maximum": _num(indicator.maximum),
        "computed_from": indicator.computed_from,
    }


def _scoring_to_dict(scoring: Scoring) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": scoring.kind}
    if isinstance(scoring, RatioScoring):
        out["threshold"] = _num(scoring.threshold)
        if scoring.threshold_by is not None:
            out["threshold_by"] = scoring.threshold_by
        if scoring.thresholds:
            out["thresholds"] = {k: _num(v) for k, v in scoring.thresholds.items()}
    elif isinstance(scoring, BandScoring):
        out["bands"] = [
            {"minimum": _num(b.minimum), "maximum": _num(b.maximum), "points": _num(b.points)}
            for b in scoring.bands
        ]
    elif isinstance(scoring, CountScoring):
        out["target"] = _num(scoring.target)
    elif isinstance(scoring, MinMaxScoring):
        out["low"] = _num(scoring.low)
        out["high"] = _num(scoring.high)
    return out


def _node_to_dict(node: Node) -> dict[str, Any]:
    if isinstance(node, Leaf):
        return {
            "id": node.id,
            "name_vi": node.name_vi,
            "name_en": node.name_en,
            "indicator": node.indicator,
            "points": _num(node.points),
            "scoring": _scoring_to_dict(node.scoring),
            "times": list(node.times),
            "on_zero_denominator": node.on_zero_denominator.value,
            "rate_decimals": node.rate_decimals,
        }
    return {
        "id": node.id,
        "name_vi": node.name_vi,
        "name_en": node.name_en,
        "aggregate": node.aggregate.value,
        "points": _num(node.points),
        "on_na": node.on_na.value,
        "children": [_node_to_dict(c) for c in node.children],
    }


# ---------------------------------------------------------------- reading


def loads_ruleset(text: str | bytes, *, check: bool = True) -> RuleSet:
    """Read a rule-set file's text; with ``check``, also refuse a rule set that breaks a rule
    (:func:`~egovkit.assessment.validation.check_ruleset`) with a
    :class:`~egovkit.errors.ValidationError` listing every finding."""
    if len(text) > MAX_RULESET_BYTES:
        raise UnsafeInputError(
            f"rule-set file larger than {MAX_RULESET_BYTES} bytes", code="assessment.ruleset.size"
        )
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except RecursionError as exc:
        raise UnsafeInputError(
            "rule-set file nested too deeply", code="assessment.ruleset.depth"
        ) from exc
    except ValueError as exc:
        position = getattr(exc, "pos", None)
        raise ParseError(
            f"rule-set file is not JSON: {exc}", code="assessment.ruleset.syntax", position=position
        ) from exc
    ruleset = ruleset_from_dict(data)
    if check:
        findings = check_ruleset(ruleset)
        if errors_in(findings):
            error = ValidationError.from_findings(f"rule set {ruleset.name}", findings)
            error.code = "assessment.ruleset.invalid"
            raise error
    return ruleset


def read_ruleset(source: TextSource, *, check: bool = True) -> RuleSet:
    """Read a rule-set file from a path or an open text file (see :func:`loads_ruleset`)."""
    return loads_ruleset(read_text(source, what="rule-set file"), check=check)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a rule set may hold")


def ruleset_from_dict(data: object) -> RuleSet:
    """Read the mapping :func:`ruleset_to_dict` writes; every error names its field."""
    r = _Obj(data, "")
    fmt = r.req("format", _str)
    if fmt != FORMAT:
        raise ParseError(
            f"unknown rule-set format {fmt!r}; expected {FORMAT!r}",
            code="assessment.ruleset.format",
            where="format",
        )
    ruleset = RuleSet(
        id=r.req("id", _ident),
        version=r.req("version", _str),
        title_vi=r.req("title_vi", _str),
        title_en=r.opt("title_en", _str, ""),
        source=r.opt("source", _str, ""),
        effective_from=r.req("effective_from", _date),
        effective_to=r.opt("effective_to", _date, None),
        scale=r.opt("scale", _enum(Scale), Scale.POINTS),
        decimals=r.opt("decimals", _decimals, 2),
        ties=r.opt("ties", _enum(Ties), Ties.COMPETITION),
        attributes=tuple(r.opt("attributes", _list_of(_ident), [])),
        notes=r.opt("notes", _str, ""),
        indicators=tuple(
            _indicator(item, f"indicators[{i}]")
            for i, item in enumerate(r.req("indicators", _list))
        ),
        root=_group(r.req("root", _any), "root", 0),
        grades=tuple(
            _grade(item, f"grades[{i}]") for i, item in enumerate(r.opt("grades", _list, []))
        ),
    )
    r.done()
    return ruleset


def _indicator(data: object, where: str) -> Indicator:
    r = _Obj(data, where)
    indicator = Indicator(
        id=r.req("id", _ident),
        name_vi=r.req("name_vi", _str),
        name_en=r.opt("name_en", _str, ""),
        unit=r.opt("unit", _enum(IndicatorUnit), IndicatorUnit.RATIO),
        source=r.opt("source", _enum(IndicatorSource), IndicatorSource.SUPPLIED),
        minimum=r.opt("minimum", _decimal, None),
        maximum=r.opt("maximum", _decimal, None),
        computed_from=r.opt("computed_from", _str, ""),
    )
    r.done()
    return indicator


def _grade(data: object, where: str) -> GradeBand:
    r = _Obj(data, where)
    grade = GradeBand(
        name=r.req("name", _str),
        name_en=r.opt("name_en", _str, ""),
        minimum=r.req_nullable("minimum", _decimal),
        inclusive=r.opt("inclusive", _bool, True),
    )
    r.done()
    return grade


def _node(data: object, where: str, depth: int) -> Node:
    if isinstance(data, Mapping) and "children" in data:
        return _group(data, where, depth)
    return _leaf(data, where)


def _group(data: object, where: str, depth: int) -> Group:
    if depth > _MAX_DEPTH:
        raise UnsafeInputError(
            f"rule tree deeper than {_MAX_DEPTH} levels",
            code="assessment.ruleset.depth",
            where=where,
        )
    r = _Obj(data, where)
    node_id = r.req("id", _ident)
    here = f"{where}/{node_id}" if where != "root" else node_id
    group = Group(
        id=node_id,
        name_vi=r.opt("name_vi", _str, ""),
        name_en=r.opt("name_en", _str, ""),
        aggregate=r.opt("aggregate", _enum(Aggregate), Aggregate.SUM),
        points=r.opt("points", _decimal, None),
        on_na=r.opt("on_na", _enum(NotApplicablePolicy), NotApplicablePolicy.PROPAGATE),
        children=tuple(
            _node(item, f"{here}/children[{i}]", depth + 1)
            for i, item in enumerate(r.req("children", _list))
        ),
    )
    r.done()
    return group


def _leaf(data: object, where: str) -> Leaf:
    r = _Obj(data, where)
    leaf = Leaf(
        id=r.req("id", _ident),
        name_vi=r.opt("name_vi", _str, ""),
        name_en=r.opt("name_en", _str, ""),
        indicator=r.req("indicator", _ident),
        points=r.req("points", _decimal),
        scoring=_scoring(r.req("scoring", _any), f"{where}.scoring"),
        times=tuple(r.opt("times", _list_of(_ident), [])),
        on_zero_denominator=r.opt(
            "on_zero_denominator", _enum(ZeroDenominator), ZeroDenominator.NOT_APPLICABLE
        ),
        rate_decimals=r.opt("rate_decimals", _decimals, None),
    )
    r.done()
    return leaf


def _scoring(data: object, where: str) -> Scoring:
    r = _Obj(data, where)
    kind = r.req("kind", _str)
    scoring: Scoring
    if kind == "ratio":
        thresholds = r.opt("thresholds", _map_of(_decimal), {})
        scoring = RatioScoring(
            threshold=r.opt("threshold", _decimal, Decimal(1)),
            threshold_by=r.opt("threshold_by", _ident, None),
            thresholds=thresholds,
        )
    elif kind == "bands":
        scoring = BandScoring(
            bands=tuple(
                _band(item, f"{where}.bands[{i}]") for i, item in enumerate(r.req("bands", _list))
            )
        )
    elif kind == "yes_no":
        scoring = YesNoScoring()
    elif kind == "count":
        scoring = CountScoring(target=r.opt("target", _decimal, None))
    elif kind == "minmax":
        scoring = MinMaxScoring(
            low=r.opt("low", _decimal, None), high=r.opt("high", _decimal, None)
        )
    elif kind == "zscore_minmax":
        scoring = ZScoreMinMaxScoring()
    else:
        raise ParseError(
            f"unknown scoring kind {kind!r} (ratio, bands, yes_no, count, minmax, zscore_minmax)",
            code="assessment.ruleset.scoring_kind",
            where=f"{where}.kind",
        )
    r.done()
    return scoring


def _band(data: object, where: str) -> Band:
    r = _Obj(data, where)
    band = Band(
        minimum=r.opt("minimum", _decimal, None),
        maximum=r.opt("maximum", _decimal, None),
        points=r.req("points", _decimal),
    )
    r.done()
    return band


# ---------------------------------------------------------------- field helpers


class _Obj:
    """A JSON object being read: remembers which keys were used so leftovers can be refused."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise ParseError(
                f"expected a JSON object, got {type(data).__name__}",
                code="assessment.ruleset.type",
                where=where,
            )
        self.data: Mapping[Any, Any] = data
        self.where = where
        self.used: set[str] = set()

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _convert(self, key: str, convert: Callable[[object], T]) -> T:
        try:
            return convert(self.data[key])
        except _FieldError as exc:
            raise ParseError(
                f"{key}: {exc}", code="assessment.ruleset.field", where=self._at(key)
            ) from None
        except ParseError as exc:
            if not exc.where:
                exc.where = self._at(key)
            raise

    def req(self, key: str, convert: Callable[[object], T]) -> T:
        self.used.add(key)
        if key not in self.data or self.data[key] is None:
            raise ParseError(
                f"missing required field {key!r}",
                code="assessment.ruleset.missing",
                where=self._at(key),
            )
        return self._convert(key, convert)

    def req_nullable(self, key: str, convert: Callable[[object], T]) -> T | None:
        self.used.add(key)
        if key not in self.data:
            raise ParseError(
                f"missing required field {key!r}",
                code="assessment.ruleset.missing",
                where=self._at(key),
            )
        return None if self.data[key] is None else self._convert(key, convert)

    def opt(self, key: str, convert: Callable[[object], T], default: E) -> T | E:
        self.used.add(key)
        if key not in self.data or self.data[key] is None:
            return default
        return self._convert(key, convert)

    def done(self) -> None:
        extra = sorted(str(k) for k in self.data if k not in self.used)
        if extra:
            raise ParseError(
                f"unknown field(s) {', '.join(extra)}",
                code="assessment.ruleset.unknown_field",
                where=self._at(extra[0]),
            )


class _FieldError(Exception):
    """A value of the wrong shape; turned into a ParseError naming the field."""


def _any(value: object) -> object:
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise _FieldError(f"expected text, got {type(value).__name__}")
    return value


def _ident(value: object) -> str:
    text = _str(value)
    if not text or len(text) > 64 or any(c.isspace() or c in "/,=" for c in text):
        raise _FieldError(f"{text!r} is not an identifier (1–64 characters, no spaces, / , =)")
    return text


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _FieldError(f"expected true or false, got {value!r}")
    return value


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise _FieldError(f"expected a number, got {value!r}")
    if isinstance(value, float):
        value = repr(value)  # the shortest text that reads back as this float
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _FieldError(f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise _FieldError(f"expected a finite number, got {value!r}")
    return number


def _decimals(value: object) -> int:
    number = _decimal(value)
    if number != number.to_integral_value() or not 0 <= number <= 12:
        raise _FieldError(f"expected a whole number of decimal places 0..12, got {value!r}")
    return int(number)


def _date(value: object) -> date:
    try:
        return date.fromisoformat(_str(value))
    except ValueError:
        raise _FieldError(f"expected an ISO date YYYY-MM-DD, got {value!r}") from None


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise _FieldError(f"expected a list, got {type(value).__name__}")
    return value


def _list_of(item: Callable[[object], T]) -> Callable[[object], list[T]]:
    return lambda value: [item(v) for v in _list(value)]


def _map_of(item: Callable[[object], T]) -> Callable[[object], dict[str, T]]:
    def convert(value: object) -> dict[str, T]:
        if not isinstance(value, Mapping):
            raise _FieldError(f"expected an object, got {type(value).__name__}")
        return {_str(k): item(v) for k, v in value.items()}

    return convert


def _enum(kind: type[Any]) -> Callable[[object], Any]:
    def convert(value: object) -> Any:
        try:
            return kind(_str(value))
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            raise _FieldError(f"{value!r} is not one of {allowed}") from None

    return convert


__all__ = [
    "FORMAT",
    "MAX_RULESET_BYTES",
    "dumps_ruleset",
    "loads_ruleset",
    "read_ruleset",
    "ruleset_from_dict",
    "ruleset_to_dict",
]
