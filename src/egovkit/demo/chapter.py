"""What one chapter of the demo hands to the report writer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from egovkit.agencies import AgencyCatalogue
from egovkit.demo.html import Html
from egovkit.ports import Store


@attrs.frozen(kw_only=True)
class Chapter:
    """One chapter's outcome: a page (``slug``.html), its data (``slug``.json), a line for the
    index, and any extra files (name → content) such as a printable slip.

    A skipped chapter (``skipped`` set to the reason) still gets a page that says why.
    """

    slug: str
    title: str
    summary: str
    body: Html
    data: Mapping[str, Any] = attrs.field(factory=dict)
    extra: Mapping[str, str] = attrs.field(factory=dict)
    skipped: str = ""


Progress = Callable[[str], None]


@attrs.frozen(kw_only=True)
class Context:
    """What every chapter works with: the store, the province's agencies, where progress goes,
    the folder the reports go to and whether to play the short version (``quick``)."""

    store: Store
    agencies: AgencyCatalogue
    out: Path
    progress: Progress
    quick: bool = False
