"""Printable A4 HTML for slips, in Vietnamese, with the standard library only.

Every value taken from a slip goes through :func:`html.escape` before it reaches the page (names,
reasons and documents are typed by citizens and officers); the page itself is a fixed
:class:`string.Template`. The layout follows Decree 30/2020 for the heading: issuing body on the
left, the national motto on the right, place and date under it.
"""

from __future__ import annotations

import html
from string import Template
from typing import Final

from egovkit.dossiers.slips import Slip, vietnamese_date

_PAGE: Final = Template(
    """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>$title – $code</title>
<style>
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Times New Roman", Times, serif; font-size: 13pt; line-height: 1.35;
       margin: 0; color: #000; }
.page { max-width: 165mm; margin: 0 auto; }
.form { text-align: right; font-style: italic; margin: 0 0 4mm; }
.heading { width: 100%; border-collapse: collapse; text-align: center; }
.heading td { vertical-align: top; width: 40%; padding: 0; }
.heading td + td { width: 60%; }
.motto { font-weight: bold; font-size: 12pt; }
.motto span { text-decoration: underline; }
.date { font-style: italic; }
h1 { font-size: 14pt; text-align: center; margin: 8mm 0 1mm; }
.basis { text-align: center; font-style: italic; margin: 0 0 5mm; }
.lines { width: 100%; border-collapse: collapse; }
.lines th { text-align: left; font-weight: normal; width: 38%; vertical-align: top;
            padding: 1mm 2mm 1mm 0; }
.lines td { padding: 1mm 0; }
.grid { width: 100%; border-collapse: collapse; font-size: 11pt; margin-top: 3mm; }
.grid th, .grid td { border: 1px solid #000; padding: 1mm 1.5mm; vertical-align: top; }
.sign { width: 50%; margin: 8mm 0 0 auto; text-align: center; font-weight: bold; }
.sign i { font-weight: normal; }
</style>
</head>
<body>
<div class="page">
<p class="form">$form_label</p>
<table class="heading">
<tr><td><b>$issuer</b><br>———</td>
<td class="motto">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>
<span>Độc lập - Tự do - Hạnh phúc</span></td></tr>
<tr><td>Mã hồ sơ: $code</td><td class="date">$place_date</td></tr>
</table>
<h1>$title_upper</h1>
<p class="basis">$legal_basis</p>
<p>Kính gửi: $addressee</p>
$lines
$items
$table
<p>$closing</p>
<div class="sign">$signer_title<br><i>(Ký, ghi rõ họ tên)</i></div>
</div>
</body>
</html>
"""
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(slip: Slip) -> str:
    """The slip as a complete HTML page sized for A4, ready to print.

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
    lines = ""
    if slip.lines:
        rows = "\n".join(
            f"<tr><th>{_e(line.label)}:</th><td>{_e(line.value)}</td></tr>" for line in slip.lines
        )
        lines = f'<table class="lines">\n{rows}\n</table>'
    items = ""
    if slip.items:
        entries = "\n".join(f"<li>{_e(item)}</li>" for item in slip.items)
        items = f"<p>{_e(slip.items_title)}:</p>\n<ol>\n{entries}\n</ol>"
    table = ""
    if slip.table:
        head = "".join(f"<th>{_e(cell)}</th>" for cell in slip.table_header)
        body = "\n".join(
            "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in slip.table
        )
        table = (
            f'<table class="grid">\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>"
        )
    return _PAGE.substitute(
        title=_e(slip.title),
        title_upper=_e(slip.title.upper()),
        code=_e(slip.dossier_code),
        form_label=_e(slip.form_label),
        issuer=_e(slip.issuer.upper()),
        place_date=_e(place_date),
        legal_basis=_e(slip.legal_basis),
        addressee=_e(slip.addressee),
        lines=lines,
        items=items,
        table=table,
        closing=_e(slip.closing),
        signer_title=_e(slip.signer_title),
    )


__all__ = ["render_html"]
