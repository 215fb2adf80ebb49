"""Claims with leases: how several worker processes share one queue of records in a store.

A *claim* takes records of a collection for one worker until a lease ends, in one short
transaction; the worker then does the slow work (sending over the network) outside any
transaction, and removes or releases each record when done. A worker that dies keeps its claims
only until the lease ends; then any worker takes them again. A worker restarted under the same
``owner`` name takes its own claims back at once.

The lease lives in the record itself (fields :data:`LEASE_UNTIL`, microseconds since the Unix
epoch, and :data:`LEASE_OWNER`), so no schema is needed; backends differ only in how the claim
transaction keeps two workers from taking the same record:

- SQLite: write transactions are ``BEGIN IMMEDIATE``, one at a time, so a scan-and-update is
  exclusive (:func:`claim_by_scan`, the default :meth:`~egovkit.storage.engine.Session.claim`);
- the memory store: its one lock does the same;
- PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` (egovkit-postgres), so concurrent claimers
  skip each other's rows instead of waiting or colliding.

Keep a claimed collection small — the *pending* work only, as the exchange outbox does — and a
claim costs the same however long the history grows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Final

from egovkit.ports import canonical_json

#: The record field that holds when a lease ends (microseconds since the epoch).
LEASE_UNTIL: Final = "lease_until"
#: The record field that holds the name of the worker holding the lease.
LEASE_OWNER: Final = "lease_owner"

#: A row as backends store it: key, version, canonical JSON body.
_Row = tuple[str, int, str]


def is_free(data: Any, *, owner: str, now: int) -> bool:
    """True when a record with ``data`` may be claimed by ``owner`` at ``now``."""
    if not isinstance(data, dict):
        return False
    until = data.get(LEASE_UNTIL, 0)
    return not isinstance(until, int) or until <= now or data.get(LEASE_OWNER) == owner


def leased(data: dict[str, Any], *, owner: str, until: int) -> str:
    """The canonical body of ``data`` held by ``owner`` until ``until``."""
    return canonical_json({**data, LEASE_UNTIL: until, LEASE_OWNER: owner})


def claim_by_scan(
    scan: Callable[[str, str, str, int], Sequence[_Row]],
    replace: Callable[[str, _Row], None],
    collection: str,
    *,
    after: str,
    limit: int,
    now: int,
    until: int,
    owner: str,
) -> list[tuple[_Row, str]]:
    """Claim by scanning in key order and rewriting free rows: exclusive only inside a write
    transaction that no other writer can interleave with (SQLite, memory). Returns each claimed
    row as now stored, with its body before."""
    taken: list[tuple[_Row, str]] = []
    page = max(limit * 2, 64)
    cursor = after
    while len(taken) < limit:
        rows = scan(collection, "", cursor, page)
        for key, version, body in rows:
            data = json.loads(body)
            if not is_free(data, owner=owner, now=now):
                continue
            row = (key, version + 1, leased(data, owner=owner, until=until))
            replace(collection, row)
            taken.append((row, body))
            if len(taken) >= limit:
                break
        if len(rows) < page:
            break
        cursor = rows[-1][0]
    return taken


__all__ = ["LEASE_OWNER", "LEASE_UNTIL", "claim_by_scan", "is_free", "leased"]
