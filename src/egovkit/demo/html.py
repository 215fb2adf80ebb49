"""Small HTML builders for the demo's reports: every value is escaped unless it is already
:class:`Html` built here, so names from a catalogue or a document can never inject markup.
Pages are rendered from the template ``demo/page.html`` (:mod:`egovkit.templating`), and
:class:`Html` is :class:`markupsafe.Markup`, so fragments and templates share one escaping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from egovkit.templating import TemplateDirs, render

STYLE = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #bbb;padding:.25rem .5rem}
th{background:#eef}td.n{text-align:right}.ok{color:#060}.bad{color:#a00}.note{color:#555}
pre{background:#f6f6f6;padding:.5rem;overflow:auto}
"""


class Html(Markup):
    """A fragment of markup that is already safe to insert."""

    __slots__ = ()


def esc(value: object) -> Html:
    """``value`` as safe HTML: an :class:`Html` fragment as is, anything else as escaped text."""
    if isinstance(value, Html):
        return value
    return Html(escape("" if value is None else str(value)))


def tag(name: str, *content: object, cls: str = "", href: str = "") -> Html:
    """``<name>content</name>`` with an optional class and link target (both escaped)."""
    attributes = ""
    if cls:
        attributes += f' class="{esc(cls)}"'
    if href:
        attributes += f' href="{esc(href)}"'
    return Html(f"<{name}{attributes}>{''.join(esc(c) for c in content)}</{name}>")


def join(parts: Iterable[object]) -> Html:
    """The fragments one after another."""
    return Html("".join(esc(p) for p in parts))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Html:
    """A table; numbers are right-aligned."""
    head = tag("tr", *(tag("th", h) for h in headers))
    body = [
        tag(
            "tr",
            *(tag("td", c, cls="n" if isinstance(c, int | float) else "") for c in row),
        )
        for row in rows
    ]
    return tag("table", head, *body)


def items(entries: Iterable[object]) -> Html:
    """A bulleted list."""
    return tag("ul", *(tag("li", e) for e in entries))


def page(title: str, body: Html, *, back: bool = True, templates: TemplateDirs = None) -> str:
    """A complete page (UTF-8, the shared style, a link back to the index)."""
    return render(
        "demo/page.html",
        {"title": title, "body": body, "back": back, "style": Markup(STYLE)},  # noqa: S704 - our CSS
        templates=templates,
    )
