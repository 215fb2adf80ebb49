"""Document exchange (liên thông văn bản): the port, the in-memory exchange and the flow.

- :class:`~egovkit.exchange.ports.DocumentExchange` — the port every exchange adapter
  implements (``egovkit-vdxp`` for the national axis, ``egovkit-ioffice`` for iOffice-like
  document-management systems, :class:`~egovkit.exchange.memory.MemoryExchange` in process).
- :class:`~egovkit.exchange.service.ExchangeService` — one agency's flow on its store: outbox,
  signing, verification before registration, status messages, duplicates and crash recovery.
- :class:`~egovkit.exchange.retry.RetryPolicy` — backoff with jitter for adapters.
"""

from __future__ import annotations

from egovkit.exchange.memory import MemoryAxis, MemoryExchange
from egovkit.exchange.ports import (
    Capabilities,
    Delivery,
    DocumentExchange,
    MessageKind,
    SendReceipt,
    StatusEntry,
)
from egovkit.exchange.retry import NO_RETRY, RetryPolicy
from egovkit.exchange.service import ExchangeService, IncomingResult, OutboxItem

__all__ = [
    "NO_RETRY",
    "Capabilities",
    "Delivery",
    "DocumentExchange",
    "ExchangeService",
    "IncomingResult",
    "MemoryAxis",
    "MemoryExchange",
    "MessageKind",
    "OutboxItem",
    "RetryPolicy",
    "SendReceipt",
    "StatusEntry",
]
