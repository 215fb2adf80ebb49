"""One way to write HTML: Jinja2 templates with autoescaping, which an agency can override.

Slips (:mod:`egovkit.dossiers.rendering`), assessment reports
(:mod:`egovkit.assessment.reports`) and the demo's pages (:mod:`egovkit.demo.html`) are
rendered from the templates in ``egovkit/templates/``. Every value is escaped unless it is
:class:`markupsafe.Markup` built by egovkit, so a citizen's name or a catalogue entry cannot
inject markup. An agency adapts a layout without forking egovkit: a folder passed as
``templates=`` is searched first, so ``my-templates/dossiers/slip.html`` replaces the slip's
page (copy the shipped one as a start; it may ``{% extends "egovkit/dossiers/slip.html" %}``
and change one block).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

#: A folder of templates, or several (searched in order before egovkit's own).
TemplateDirs = str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None

_SHIPPED = Path(__file__).with_name("templates")


def _folders(templates: TemplateDirs) -> tuple[str, ...]:
    if templates is None:
        return ()
    if isinstance(templates, str | os.PathLike):
        return (os.fspath(templates),)
    return tuple(os.fspath(t) for t in templates)


@lru_cache(maxsize=32)
def _environment(folders: tuple[str, ...]) -> jinja2.Environment:
    import jinja2

    shipped = jinja2.FileSystemLoader(str(_SHIPPED))
    loader = jinja2.ChoiceLoader(
        [
            *(jinja2.FileSystemLoader(folder) for folder in folders),
            shipped,
            # "egovkit/…" always names the shipped template, for {% extends %} in an override.
            jinja2.PrefixLoader({"egovkit": shipped}),
        ]
    )
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def environment(templates: TemplateDirs = None) -> jinja2.Environment:
    """The Jinja2 environment: autoescaping on, undefined names an error, ``templates``
    searched before egovkit's own (cached per set of folders)."""
    return _environment(_folders(templates))


def render(name: str, context: Mapping[str, Any], *, templates: TemplateDirs = None) -> str:
    """Render the template ``name`` (e.g. ``"dossiers/slip.html"``) with ``context``."""
    return environment(templates).get_template(name).render(**context)


__all__ = ["TemplateDirs", "environment", "render"]
