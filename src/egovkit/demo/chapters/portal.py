"""Chapter 5 — the national-portal export (Cổng Dịch vụ công quốc gia, DVCQG).

The portal's wire format lives in an adapter, never in the core, so the demo finds a portal through
the ``egovkit.portals`` entry-point group (``egovkit-dvcqg`` declares ``dvcqg``). It is a
:class:`~egovkit.services.portal.PortalGateway` class built around a client; the demo hands it a
client that records each push instead of calling the portal, and writes what would have been sent to
``portal-dossiers.json``. Without the adapter the chapter is skipped and says so.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import EntryPoint, entry_points
from typing import Any, cast

from egovkit.demo.chapter import Chapter, Context
from egovkit.demo.html import Html, join, table, tag
from egovkit.dossiers import Dossier
from egovkit.services import PortalGateway, PushAction

GROUP = "egovkit.portals"
NAME = "dvcqg"
EXPORT = "portal-dossiers.json"
#: How many dossiers the page shows (the JSON file has them all).
SHOWN = 10


class RecordingClient:
    """Stands in for a portal client: every pushed item is kept, and the portal "creates" it."""

    def __init__(self) -> None:
        self.pushed: list[tuple[str, Mapping[str, Any]]] = []

    def push(self, service: str, item: Mapping[str, Any], *, where: str = "") -> PushAction:
        """Keep ``item`` (sent to ``service``) and answer that the portal created it."""
        self.pushed.append((service, item))
        return PushAction.CREATED

    def close(self) -> None:
        """Nothing to close."""


def find_portal(name: str = NAME) -> EntryPoint | None:
    """The entry point of the portal adapter ``name``, if one is installed."""
    for point in entry_points(group=GROUP):
        if point.name == name:
            return point
    return None


def skipped(reason: str) -> Chapter:
    """The chapter's page when there is nothing to export with."""
    return Chapter(
        slug="portal",
        title="National-portal export",
        summary=reason,
        body=tag("p", "Install the adapter with: pip install egovkit-dvcqg (adapters/dvcqg)."),
        data={"exported": 0},
        skipped=reason,
    )


def run(ctx: Context, dossiers: Sequence[Dossier]) -> Chapter:
    """Export every dossier through the installed portal adapter's gateway."""
    point = find_portal()
    if point is None:
        reason = (
            f"no portal adapter: nothing in the entry-point group {GROUP!r} is called {NAME!r} "
            "(the egovkit-dvcqg adapter is not installed)"
        )
        ctx.progress(f"portal export: skipped — {reason}")
        return skipped(reason)
    gateway_class = point.load()
    if not (isinstance(gateway_class, type) and issubclass(gateway_class, PortalGateway)):
        reason = f"{point.value} is not a PortalGateway class"
        ctx.progress(f"portal export: skipped — {reason}")
        return skipped(reason)
    client = RecordingClient()
    build = cast(Callable[[RecordingClient], PortalGateway], gateway_class)
    gateway = build(client)
    outcomes = [gateway.push_dossier(d) for d in dossiers]
    agency_of = {str(d.code): str(d.receiving_agency) for d in dossiers}
    by_agency = Counter(agency_of[o.dossier] for o in outcomes)
    items = [item for _, item in client.pushed]
    services = sorted({service for service, _ in client.pushed})
    ctx.progress(f"portal export: {len(items)} dossiers mapped by {point.value}")
    return Chapter(
        slug="portal",
        title="National-portal export",
        summary=f"{len(items)} dossiers exported in the portal's format by {point.value}",
        body=_body(point, items, services),
        data={
            "adapter": point.value,
            "exported": len(items),
            "created": sum(1 for o in outcomes if o.action is PushAction.CREATED),
            "services": services,
            "exported_by_agency": dict(sorted(by_agency.items())),
            "file": EXPORT,
        },
        extra={EXPORT: json.dumps(items, ensure_ascii=False, indent=2, default=str) + "\n"},
    )


def _body(point: EntryPoint, items: Sequence[Mapping[str, Any]], services: list[str]) -> Html:
    first = items[0] if items else {}
    keys = [key for key, value in first.items() if isinstance(value, str | int) and value != ""]
    keys = keys[:6]
    return join(
        [
            tag(
                "p",
                f"The adapter {point.value} (entry point {point.name!r} in {GROUP!r}) mapped "
                f"{len(items)} dossiers for the portal service(s) {', '.join(services) or '—'}. "
                "Nothing was sent: the demo's client records the pushes.",
            ),
            tag(
                "p", tag("a", f"All {len(items)} dossiers as the portal receives them", href=EXPORT)
            ),
            tag("h2", f"The first {min(SHOWN, len(items))}, a few fields"),
            table(keys, [[item.get(k, "") for k in keys] for item in items[:SHOWN]]),
        ]
    )
