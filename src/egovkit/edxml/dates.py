"""Dates and timestamps as edXML writes them, and the layouts real senders use.

QCVN 102 practice writes dates ``yyyy/MM/dd`` and timestamps ``yyyy/MM/dd HH:mm:ss`` in Vietnam
time. One vendor (Bkav) writes ``dd/MM/yyyy``; both are read, only the first is written.

>>> from egovkit.edxml.dates import read_date
>>> read_date("2015/09/30").value
datetime.date(2015, 9, 30)
>>> read_date("30/09/2015").layout
'dd/MM/yyyy'
>>> read_date("2014/02/30").problem
'2014/02/30 is not a calendar date'
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from egovkit.edxml.model import VIETNAM_TIME

_YMD = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

#: The layouts the writer uses.
DATE_LAYOUT = "yyyy/MM/dd"
TIMESTAMP_LAYOUT = "yyyy/MM/dd HH:mm:ss"


@attrs.frozen(kw_only=True)
class DateReading:
    """What a date or timestamp text turned out to be: a value, or a problem; and its layout."""

    value: dt.date | None = None
    layout: str = ""
    problem: str = ""


def _date_parts(text: str) -> tuple[tuple[int, int, int], str] | None:
    if match := _YMD.fullmatch(text):
        layout = DATE_LAYOUT if "/" in text else "yyyy-MM-dd"
        return (int(match[1]), int(match[2]), int(match[3])), layout
    if match := _DMY.fullmatch(text):
        return (int(match[3]), int(match[2]), int(match[1])), "dd/MM/yyyy"
    return None


def read_date(text: str) -> DateReading:
    """Read ``yyyy/MM/dd`` or ``dd/MM/yyyy`` (also ``yyyy-MM-dd``); never raises."""
    value = text.strip()
    parts = _date_parts(value)
    if parts is None:
        return DateReading(problem=f"{value!r} is not a date (yyyy/MM/dd)")
    (year, month, day), layout = parts
    try:
        return DateReading(value=dt.date(year, month, day), layout=layout)
    except ValueError:
        return DateReading(layout=layout, problem=f"{value} is not a calendar date")


def read_timestamp(text: str) -> DateReading:
    """Read ``yyyy/MM/dd HH:mm:ss`` or ``dd/MM/yyyy HH:mm:ss`` as Vietnam time; never raises."""
    value = text.strip()
    date_text, _, time_text = value.replace("T", " ").partition(" ")
    parts = _date_parts(date_text)
    clock = _TIME.fullmatch(time_text.strip()) if time_text else None
    if parts is None or (time_text and clock is None):
        return DateReading(problem=f"{value!r} is not a timestamp (yyyy/MM/dd HH:mm:ss)")
    (year, month, day), layout = parts
    hour, minute, second = (
        (int(clock[1]), int(clock[2]), int(clock[3] or 0)) if clock else (0, 0, 0)
    )
    try:
        stamp = dt.datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM_TIME)
    except ValueError:
        return DateReading(layout=layout, problem=f"{value} is not a calendar date and time")
    return DateReading(value=stamp, layout=f"{layout} HH:mm:ss")


def format_date(value: dt.date) -> str:
    """``yyyy/MM/dd``."""
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def format_timestamp(value: dt.datetime) -> str:
    """``yyyy/MM/dd HH:mm:ss`` in Vietnam time (naive values are taken as Vietnam time)."""
    local = value.replace(tzinfo=VIETNAM_TIME) if value.tzinfo is None else value
    local = local.astimezone(VIETNAM_TIME)
    return f"{format_date(local.date())} {local.hour:02d}:{local.minute:02d}:{local.second:02d}"


__all__ = [
    "DATE_LAYOUT",
    "TIMESTAMP_LAYOUT",
    "DateReading",
    "format_date",
    "format_timestamp",
    "read_date",
    "read_timestamp",
]
