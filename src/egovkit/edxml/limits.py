"""Limits that keep a hostile or broken message from exhausting memory, disk or time.

Every limit has a safe default; raise one for a trusted partner with
``attrs.evolve(Limits(), max_attachment_bytes=...)``.
"""

from __future__ import annotations

import attrs

_MIB = 1024 * 1024
_GIB = 1024 * _MIB


@attrs.frozen(kw_only=True)
class Limits:
    """Bounds applied while reading edXML and unpacking attachments.

    ``max_markup_bytes`` counts everything except base64 payloads (headers, manifest, tags);
    ``max_elements`` counts opening tags (and comments) in it, before a tree is built;
    payloads are bounded by ``max_attachment_bytes`` each and ``max_total_attachment_bytes``.
    ZIP limits apply when an attachment is unwrapped: number of entries, bytes per entry and in
    all, and the expansion ratio (bytes out per compressed byte in).
    """

    max_message_bytes: int = 4 * _GIB
    max_markup_bytes: int = 8 * _MIB
    max_depth: int = 24
    max_elements: int = 20_000
    max_attachments: int = 500
    max_attachment_bytes: int = 2 * _GIB
    max_total_attachment_bytes: int = 3 * _GIB
    memory_payload_bytes: int = 8 * _MIB
    zip_max_entries: int = 1_000
    zip_max_entry_bytes: int = 2 * _GIB
    zip_max_total_bytes: int = 3 * _GIB
    zip_max_ratio: float = 200.0
    chunk_bytes: int = _MIB


#: The defaults, for callers that want to name them.
DEFAULT_LIMITS = Limits()

__all__ = ["DEFAULT_LIMITS", "Limits"]
