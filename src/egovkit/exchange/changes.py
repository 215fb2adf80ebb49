"""Recall, update and replace (thu hồi, cập nhật, thay thế): envelopes of business types 1–3
applied to a document already registered, instead of registering it again.

A sender that recalls (type 1) or updates (type 2) a document sends an envelope whose
``Bussiness/DocumentId`` names it; a replacing document (type 3) is a new document whose
``ReplacementInfoList`` names the documents it replaces. The receiving service:

- records the message (so a crash loses nothing), verifies its signature, and checks that the
  signed sender is the one who sent the registered document and owns its DocumentId;
- applies it: the registered document is marked *recalled*, or its new version is stored and
  becomes the current one (*updated*), or it is marked *replaced* by the new document — the
  register entry, earlier versions and every change stay, as the document's history
  (:meth:`~egovkit.exchange.service.ExchangeService.changes`); nothing is deleted;
- answers the sender: status 15 (đồng ý, applied) or 16 (từ chối, with the reason) about the
  document. A recall or update that cannot be checked — unsigned, forged, for an unknown or a
  refused document — is refused with 16 and changes nothing.

Applying at once is an assumption: no public source says whether a clerk must confirm first;
the answer codes 15/16 are the reference's ("clerk agrees/refuses the update/recall request").
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Final

import attrs

from egovkit.agencies.codes import AgencyCode
from egovkit.edxml.mapping import document_from_envelope
from egovkit.edxml.model import BusinessType, Envelope, StatusCode
from egovkit.errors import ConflictError, ValidationError
from egovkit.exchange._collections import CHANGES, INBOX, INBOX_ARRIVED, drop
from egovkit.ports import Record, UnitOfWork

if TYPE_CHECKING:
    from egovkit.exchange.ports import Delivery
    from egovkit.exchange.service import ExchangeService, IncomingResult

#: Prefix of their rows in the arrivals index (next to DocumentIds).
CHANGE_ARRIVAL: Final = "change|"

#: What each business type makes of the registered document.
STANDING: Final = {
    BusinessType.REVOKE: "recalled",
    BusinessType.UPDATE: "updated",
    BusinessType.REPLACE: "replaced",
}


@attrs.frozen(kw_only=True)
class DocumentChange:
    """One change applied to a registered document: recalled, updated (``document_key`` is
    the new version, ``previous_key`` the one before) or replaced (``replaced_by`` names the
    new document's DocumentId)."""

    kind: BusinessType
    at: datetime.datetime | None
    sender: AgencyCode | None = None
    reason: str = ""
    message_id: str = ""
    document_key: str = ""
    previous_key: str = ""
    replaced_by: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentChange:
        """Read the stored form back."""
        return cls(
            kind=BusinessType(data["kind"]),
            at=datetime.datetime.fromisoformat(data["at"]) if data["at"] else None,
            sender=AgencyCode.parse(data["sender"]) if data["sender"] else None,
            reason=data["reason"],
            message_id=data["message_id"],
            document_key=data.get("document_key", ""),
            previous_key=data.get("previous_key", ""),
            replaced_by=data.get("replaced_by", ""),
        )


def is_change(envelope: Envelope) -> bool:
    """A recall or an update (a replacement is a new document, registered as such)."""
    business = envelope.business
    return business is not None and business.business_type in (
        BusinessType.REVOKE,
        BusinessType.UPDATE,
    )


def target_of(envelope: Envelope) -> str:
    """The DocumentId a recall or update is about."""
    assert envelope.business is not None
    return envelope.business.document_id or envelope.header.document_id


def take(
    service: ExchangeService, delivery: Delivery, data: bytes, envelope: Envelope
) -> IncomingResult:
    """Record a recall or update as it arrived, confirm it, then check and apply it."""
    from egovkit.exchange.service import IncomingResult, arrival_fields

    assert envelope.business is not None
    assert envelope.business.business_type is not None
    kind = envelope.business.business_type
    target = target_of(envelope)
    ref = service.store.blobs.put(data)
    key = f"{target}|{kind.value}|{ref.sha256}"
    arrival = {
        "state": "arrived",
        "kind": kind.value,
        "target": target,
        **arrival_fields(delivery, envelope, ref.sha256),
        "reason": "",
    }
    try:
        with service.store.transaction(actor=service.actor) as uow:
            existing = uow.records.find(CHANGES, key)
            if existing is None:
                record = uow.records.add(Record(collection=CHANGES, key=key, data=arrival))
                service._hold_arrival(uow, CHANGE_ARRIVAL + key)
    except ConflictError:
        existing = service.store.records.find(CHANGES, key)
        if existing is None:
            raise
    service.exchange.confirm(delivery.message_id)
    if existing is not None:
        if existing.data["state"] != "arrived" or not service._claim_arrival(CHANGE_ARRIVAL + key):
            return IncomingResult(
                message_id=delivery.message_id,
                document_id=target,
                outcome="duplicate",
                reason=existing.data["reason"],
            )
        record = existing
    return resume(service, record)


def resume(service: ExchangeService, record: Record) -> IncomingResult:
    """Verify a recorded recall or update, and apply it or refuse it."""
    indication, signed, reason = service._signed_envelope(record.data["sha256"])
    if signed is not None:
        reason = _mismatch(record, signed)
    with service.store.transaction(actor=service.actor) as uow:
        current = uow.records.get(CHANGES, record.key)
        if current.data["state"] != "arrived":
            return _result(current, duplicate=True)
        target = uow.records.find(INBOX, current.data["target"])
        if not reason:
            reason = _target_problem(current, target)
        if not reason and signed is not None and target is not None:
            try:
                change = _apply(service, uow, current, target, signed)
            except ValidationError as exc:
                reason = f"văn bản không hợp lệ (the new version failed checks): {exc.message}"
            else:
                done = _finish(uow, current, "applied", "")
                service._queue_status(
                    uow, _about(current), StatusCode.REQUEST_ACCEPTED, _accepted(change)
                )
                return _result(done, indication)
        done = _finish(uow, current, "refused", reason)
        service._queue_status(uow, _about(current), StatusCode.REQUEST_REFUSED, reason)
        return _result(done, indication)


def apply_replacement(
    service: ExchangeService, uow: UnitOfWork, new: Record, envelope: Envelope
) -> str:
    """Mark the documents a just-registered replacement names as replaced by it (those this
    sender sent us); says which were and which were not."""
    business = envelope.business
    if business is None or business.business_type is not BusinessType.REPLACE:
        return ""
    done, skipped = [], []
    for replacement in business.replacements:
        old = uow.records.find(INBOX, replacement.document_id)
        if old is None or _target_problem(new, old, sender=new.data["sender"]):
            skipped.append(replacement.document_id)
            continue
        entry = _entry(service, BusinessType.REPLACE, new, business.reason, replaced_by=new.key)
        _record(uow, old, "replaced", entry, replaced_by=new.key)
        done.append(replacement.document_id)
    parts = []
    if done:
        parts.append("replaces " + ", ".join(done))
    if skipped:
        parts.append("names unknown or foreign documents " + ", ".join(skipped))
    return "; ".join(parts)


def history(service: ExchangeService, document_id: str) -> tuple[DocumentChange, ...]:
    """The changes applied to a registered document, oldest first."""
    record = service.store.records.find(INBOX, document_id)
    if record is None:
        return ()
    return tuple(DocumentChange.from_dict(d) for d in record.data.get("changes", []))


# -- helpers ------------------------------------------------------------------------------


def _mismatch(record: Record, envelope: Envelope) -> str:
    from egovkit.exchange.service import _names_sender

    if not is_change(envelope) or target_of(envelope) != record.data["target"]:
        return "the signed message is not the recall or update found outside the signature"
    sender = envelope.header.sender.code
    listed = record.data["listed_sender"]
    if str(sender) != record.data["sender"] or (listed and listed != record.data["sender"]):
        return "the sender named by the exchange differs from the signed sender"
    if not _names_sender(record.data["target"], sender):
        return "the DocumentId names another agency than the signed sender"
    return ""


def _target_problem(change: Record, target: Record | None, *, sender: str = "") -> str:
    if target is None:
        return "no document with this DocumentId was received (không tìm thấy văn bản)"
    if target.data["sender"] != (sender or change.data["sender"]):
        return "the document was sent by another agency"
    if target.data["state"] != "registered":
        return f"the document is {target.data['state']}, not registered"
    if target.data.get("standing") in ("recalled", "replaced"):
        return f"the document was already {target.data['standing']}"
    return ""


def _apply(
    service: ExchangeService,
    uow: UnitOfWork,
    change: Record,
    target: Record,
    signed: Envelope,
) -> DocumentChange:
    assert signed.business is not None
    kind = BusinessType(change.data["kind"])
    extra: dict[str, str] = {}
    if kind is BusinessType.UPDATE:
        document, _ = document_from_envelope(signed)
        service._keep_files(signed)
        stored = uow.documents.add(document)
        extra = {"document_key": stored.key, "previous_key": target.data.get("document_key", "")}
    entry = _entry(service, kind, change, signed.business.reason, **extra)
    _record(uow, target, STANDING[kind], entry, **extra)
    return DocumentChange.from_dict(entry)


def _entry(
    service: ExchangeService, kind: BusinessType, message: Record, reason: str, **extra: str
) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "at": service.clock().isoformat(),
        "sender": message.data["sender"],
        "reason": reason,
        "message_id": message.data["message_id"],
        **extra,
    }


def _record(
    uow: UnitOfWork, target: Record, standing: str, entry: dict[str, Any], **extra: str
) -> None:
    data = {
        **target.data,
        "standing": standing,
        "changes": [*target.data.get("changes", []), entry],
    }
    if "document_key" in extra:
        data["document_key"] = extra["document_key"]
    if "replaced_by" in extra:
        data["replaced_by"] = extra["replaced_by"]
    uow.records.update(attrs.evolve(target, data=data))


def _finish(uow: UnitOfWork, change: Record, state: str, reason: str) -> Record:
    drop(uow, INBOX_ARRIVED, CHANGE_ARRIVAL + change.key)
    return uow.records.update(
        attrs.evolve(change, data={**change.data, "state": state, "reason": reason})
    )


def _about(change: Record) -> Record:
    """The record the answer is about: the target document, as the sender knows it."""
    return Record(collection=CHANGES, key=change.data["target"], data=change.data)


def _accepted(change: DocumentChange) -> str:
    text = f"đồng ý: {STANDING[change.kind]} ({change.kind.label})"
    return f"{text}: {change.reason}" if change.reason else text


def _result(change: Record, indication: str = "", *, duplicate: bool = False) -> IncomingResult:
    from egovkit.exchange.service import IncomingResult

    state = change.data["state"]
    kind = BusinessType(change.data["kind"])
    outcome = STANDING[kind] if state == "applied" else state
    return IncomingResult(
        message_id=change.data["message_id"],
        document_id=change.data["target"],
        outcome="duplicate" if duplicate else outcome,
        indication=indication,
        reason=change.data["reason"],
    )


__all__ = ["CHANGES", "DocumentChange", "history", "is_change", "resume", "take"]
