"""Sphinx configuration for the egovkit documentation.

The build runs with ``-W -n`` (warnings are errors, every cross-reference must resolve). The
build must work offline, and no inventory of the standard library or of a dependency is on the
machine (intersphinx downloads them), so intersphinx is off; references to the standard library
and to third-party types are the only ones ignored (see ``nitpick_ignore_regex``), never
egovkit's own. ``CHANGELOG.md`` is included as a page through myst-parser; the command-line
reference is generated from the parser by the ``egovkit-cli`` directive (``_ext/``).
"""

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

import egovkit

project = "egovkit"
author = "The egovkit developers"
copyright = f"{dt.date.today().year}, {author}"
release = egovkit.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "myst_parser",
    "egovkit_cli",
]
source_suffix = {".rst": "restructuredtext"}  # Markdown only where a page includes it
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # CHANGELOG.md's sections start at "##" inside the page
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}

nitpicky = True
_stdlib = "|".join(sorted(sys.stdlib_module_names))
nitpick_ignore_regex = [
    # Standard library and third-party names: no inventories offline.
    (r"py:.*", rf"({_stdlib})\..*"),
    (r"py:.*", r"(attrs|attr|lxml|httpx|hypothesis|pytest|_pytest|cryptography|holidays)\..*"),
    (r"py:.*", r"(psycopg|psycopg_pool|pyhanko|pkcs11|asn1crypto)\..*"),
    (r"py:.*", r"(markupsafe|jinja2|t|te)\..*"),  # markupsafe's own annotations: t.Any, te.Self
    (r"py:class", r"ConnectionPool"),
    (r"py:class", r"(str|int|float|bool|bytes|object|dict|list|tuple|set|frozenset|None)"),
    (r"py:class", r"(Path|IO|Iterable|Iterator|Mapping|Sequence|Callable|Any|Self|TypeVar|T)"),
    (r"py:class", r"(Exception|ValueError|LookupError|TypeError|KeyError|Enum)"),
    (r"py:class", r"egovkit\..*\.T"),
    (r"py:class", r"SearchStrategy|Key"),
]

templates_path: list[str] = []
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = f"egovkit {release}"
html_static_path = ["_static"]
html_css_files = ["egovkit.css"]
html_theme_options = {
    # The same stack as _static/egovkit.css, for the places the theme sets the font itself.
    "code_font_family": '"Noto Sans Mono", "DejaVu Sans Mono", "Cascadia Mono", Consolas, '
    'Menlo, "Liberation Mono", monospace',
}
language = "en"

# Docstring examples run here without their module's globals: give them the public API.
doctest_global_setup = """
import datetime as dt
from egovkit.agencies import *
from egovkit.documents import *
"""
