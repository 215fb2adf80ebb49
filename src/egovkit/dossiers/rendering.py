"""Printable A4 HTML for slips, in Vietnamese, from the template ``dossiers/slip.html``.

Every value taken from a slip is escaped by the template engine before it reaches the page
(names, reasons and documents are typed by citizens and officers); an agency may replace the
template with its own (:mod:`egovkit.templating`). The layout follows Decree 30/2020 for the
heading: issuing body on the left, the national motto on the right, place and date under it.
"""

from __future__ import annotations

from egovkit.dossiers.slips import Slip, vietnamese_date
from egovkit.templating import TemplateDirs, render


def render_html(slip: Slip, *, templates: TemplateDirs = None) -> str:
    """The slip as a complete HTML page sized for A4, ready to print.

    ``templates`` is an agency's folder (or folders) searched first for
    ``dossiers/slip.html``: see :mod:`egovkit.templating`.

    >>> from egovkit.dossiers.rendering import render_html
    >>> from egovkit.dossiers.regimes import FormKind
    >>> from egovkit.dossiers.slips import Slip
    >>> from egovkit.calendar import VIETNAM_TZ
    >>> import datetime as dt
    >>> slip = Slip(kind=FormKind.RECEIPT, form_label="Mẫu số 01", title="Giấy tiếp nhận",
    ...             legal_basis="", issuer="UBND xã", issued_at=dt.datetime(2026, 3, 2, 9,
    ...             tzinfo=VIETNAM_TZ), dossier_code="X", addressee="<script>alert(1)</script>")
    >>> "<script>" in render_html(slip), "&lt;script&gt;" in render_html(slip)
    (False, True)
    """
    place_date = vietnamese_date(slip.issued_at)
    place_date = f"{slip.place}, {place_date}" if slip.place else place_date.capitalize()
    return render(
        "dossiers/slip.html", {"slip": slip, "place_date": place_date}, templates=templates
    )


__all__ = ["render_html"]
