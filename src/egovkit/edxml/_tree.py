"""Part of the edXML reader: builds the model from a parsed tree, with findings and XPaths.

Every wire name the reader knows appears here or in :mod:`egovkit.edxml._wire`; values that
cannot be understood become findings and their text is kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final

import attrs
from lxml import etree

from egovkit.agencies.codes import AgencyCode
from egovkit.edxml import _wire as w
from egovkit.edxml._scanner import Payload, Scanner
from egovkit.edxml.attachments import (
    AttachmentContent,
    Base64Decoder,
    MalformedPayloadError,
    PayloadSink,
)
from egovkit.edxml.dates import DATE_LAYOUT, read_date, read_timestamp
from egovkit.edxml.limits import Limits
from egovkit.edxml.model import (
    Attachment,
    Business,
    BusinessType,
    DocumentCode,
    DocumentTypeInfo,
    Envelope,
    ManifestReference,
    Message,
    MessageHeader,
    Organization,
    OtherInfo,
    Promulgation,
    Receiver,
    Replacement,
    ResponseFor,
    SignatureBlock,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
    UpdateInfo,
    _new_organization,
    _text,
)
from egovkit.errors import EgovkitError, ParseError, UnsafeInputError
from egovkit.findings import Finding, Severity

_Element = Any  # lxml's _Element; kept loose because lxml-stubs and iterparse disagree
_NS_PREFIX: Final = "{" + w.NS + "}"
_NS_PREFIX_LENGTH: Final = len(_NS_PREFIX)
_DSIG_SIGNATURE: Final = "{" + w.DSIG_NS + "}Signature"
_CODE_NUMBER = re.compile(r"[0-9]{1,11}")
_ANY_IN_NS: Final = _NS_PREFIX + "*"
# The names the walker asks for. Only a speed-up (see _KNOWN_LOCAL): a name missing here is
# still read, through string slicing.
_WIRE_NAMES: Final = (
    *(
        name
        for table in (w.ORGANIZATION, w.CODE, w.DOCUMENT_TYPE, w.SIGNER, w.STAFF)
        for name, _ in table
    ),
    *(name for table in (w.MANIFEST_REFERENCE, w.ATTACHMENT) for name, _ in table),
    w.PAYLOAD,
    "edXMLEnvelope",
    "AttachmentEncoded",
    "edXMLHeader",
    "edXMLBody",
    "MessageHeader",
    "TraceHeaderList",
    "Signature",
    "OrganId",
    "Code",
    "PromulgationDate",
    "DocumentId",
    "From",
    "ResponseFor",
    "StaffInfo",
    "StatusCode",
    "Description",
    "Timestamp",
    "To",
    "PromulgationInfo",
    "DocumentType",
    "Subject",
    "Content",
    "SignerInfo",
    "DueDate",
    "ToPlaces",
    "OtherInfo",
    "SteeringType",
    "Place",
    "Priority",
    "SphereOfPromulgation",
    "TyperNotation",
    "PromulgationAmount",
    "PageAmount",
    "Direction",
    "Appendixes",
    "Appendix",
    "TraceHeader",
    "Bussiness",
    "BussinessDocType",
    "BussinessDocReason",
    "Paper",
    "BussinessDocumentInfo",
    "ReplacementInfoList",
    "ReplacementInfo",
    "DocumentInfo",
    "DocumentReceiver",
    "ReceiverList",
    "Receiver",
    "ReceiverType",
    "OrganIdList",
    "edXMLManifest",
    "Reference",
    "Attachment",
)
#: Local names of the tags the walker knows, by qualified tag (a dictionary look-up instead of
#: string slicing per element); other tags take the general path.
_KNOWN_LOCAL: Final = {_NS_PREFIX + name: name for name in _WIRE_NAMES} | {
    _DSIG_SIGNATURE: "Signature"
}
_STATUS_CODE: Final = _NS_PREFIX + "StatusCode"
_MARKER = re.compile(r"#egovkit-([0-9a-f]+)-([0-9]+)#")


def _unprefixed(envelope: _Element) -> _Element | None:
    """The first edXML element at or under ``envelope`` written without the ``edXML:`` prefix,
    outside any ``Signature`` (one pass in document order; libxml2's XPath took longer)."""
    for node in envelope.iter(_ANY_IN_NS):
        if node.prefix != w.PREFIX and not any(
            isinstance(a.tag, str) and etree.QName(a).localname == "Signature"
            for a in (node, *node.iterancestors())
        ):
            return node
    return None


class _Children:
    """Child elements by local name, with their XPaths built on first use (most are never
    needed: an XPath is only written into a finding)."""

    __slots__ = ("_elements", "_items", "_path")

    def __init__(self, path: str, elements: dict[str, list[_Element]]) -> None:
        self._path = path
        self._elements = elements
        self._items: dict[str, list[tuple[_Element, str]]] = {}

    def elements(self, local: str) -> list[_Element]:
        """The children named ``local``, in document order."""
        return self._elements.get(local, [])

    def items(self, local: str) -> list[tuple[_Element, str]]:
        """The children named ``local`` with their XPaths (``[n]`` when there are several)."""
        items = self._items.get(local)
        if items is None:
            elements = self._elements.get(local, [])
            if len(elements) == 1:
                child = elements[0]
                items = [(child, f"{self._path}/{_qname(child, local)}")]
            else:
                items = [
                    (child, f"{self._path}/{_qname(child, local)}[{i}]")
                    for i, child in enumerate(elements, start=1)
                ]
            self._items[local] = items
        return items

    def get(self, local: str) -> list[tuple[_Element, str]] | None:
        """The items, or None when there is no such child (like :meth:`dict.get`)."""
        return self.items(local) if local in self._elements else None


#: Children by local name: from :meth:`Walker.children`, or the extras of :meth:`Walker.fields`.
_Kids = _Children | dict[str, list[tuple[_Element, str]]]


class Walker:
    """Builds the model from the tree, collecting findings with XPaths."""

    def __init__(self, *, scanner: Scanner, sink: PayloadSink, limits: Limits) -> None:
        self.findings: list[Finding] = []
        self._scanner = scanner
        self._sink = sink
        self._limits = limits
        self._nonce = scanner.nonce
        self._alive: list[_Element] = []

    # -- findings ------------------------------------------------------------------------------

    def add(self, code: str, where: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.findings.append(Finding(code=code, where=where, message=message, severity=severity))

    # -- structure -----------------------------------------------------------------------------

    def children(self, element: _Element, path: str, known: tuple[str, ...]) -> _Children:
        """Child elements by local name, with their XPaths; unknown ones become findings."""
        found: dict[str, list[_Element]] = {}
        for child in element:
            tag = child.tag
            local = _KNOWN_LOCAL.get(tag)
            if local is None:
                if not isinstance(tag, str):
                    continue
                local = tag[_NS_PREFIX_LENGTH:] if tag.startswith(_NS_PREFIX) else ""
                if not local:
                    self._foreign(child, path)
                    continue
            items = found.get(local)
            if items is None:
                found[local] = [child]
            else:
                items.append(child)
        result = _Children(path, found)
        for local in found:
            if local not in known:
                self.add(
                    "edxml.unknown_element",
                    result.items(local)[0][1],
                    f"element {local!r} is not part of QCVN 102 here; ignored",
                    Severity.WARNING,
                )
        return result

    def _foreign(self, child: _Element, path: str) -> None:
        namespace = etree.QName(child).namespace or ""
        where = f"{path}/{etree.QName(child).localname}"
        if namespace in w.XINCLUDE_NS:
            raise UnsafeInputError(
                "XInclude elements are refused in edXML", code="edxml.unsafe.xinclude", where=where
            )
        self.add(
            "edxml.foreign_element",
            where,
            f"element from namespace {namespace or '(none)'!r} ignored",
            Severity.WARNING,
        )

    def one(
        self,
        kids: _Kids,
        name: str,
        parent: str,
        *,
        required: bool = False,
    ) -> tuple[_Element, str] | None:
        items = kids.get(name)
        if not items:
            if required:
                self.add("edxml.missing", f"{parent}/edXML:{name}", f"{name} is missing")
            return None
        if len(items) > 1:
            self.add(
                "edxml.duplicate_element",
                items[1][1],
                f"{name} appears {len(items)} times; the first is used",
                Severity.WARNING,
            )
        return items[0]

    def text(
        self,
        kids: _Kids,
        name: str,
        parent: str,
        *,
        required: bool = False,
    ) -> tuple[str, str]:
        """The text of child ``name`` and its XPath ("" when absent)."""
        item = self.one(kids, name, parent, required=required)
        if item is None:
            return "", f"{parent}/edXML:{name}"
        element, path = item
        if len(element):
            self.add(
                "edxml.unexpected_children",
                path,
                f"{name} should hold text only; its child elements are ignored",
                Severity.WARNING,
            )
        value = element.text or ""
        if required and not value.strip():
            self.add("edxml.empty", path, f"{name} is empty")
        return value, path

    def fields(
        self,
        element: _Element,
        path: str,
        table: tuple[tuple[str, str], ...],
        extra: tuple[str, ...] = (),
    ) -> tuple[dict[str, str], dict[str, list[tuple[_Element, str]]]]:
        """Leaf fields of a record in one pass (the hot path: 8 per agency, 30 agencies a letter).

        Returns the texts by attribute and, for the ``extra`` names, the elements with paths.
        """
        names, empty = _table_index(table)
        values = empty.copy()
        seen: set[str] = set()
        extras: dict[str, list[tuple[_Element, str]]] = {}
        for child in element:
            tag = child.tag
            hit = names.get(tag)
            if hit is not None:
                local, attribute = hit
                if local in seen:
                    self.add(
                        "edxml.duplicate_element",
                        f"{path}/{_qname(child, local)}",
                        f"{local} appears more than once; the first is used",
                        Severity.WARNING,
                    )
                    continue
                seen.add(local)
                values[attribute] = child.text or ""
                if len(child):
                    self.add(
                        "edxml.unexpected_children",
                        f"{path}/{_qname(child, local)}",
                        f"{local} should hold text only; its child elements are ignored",
                        Severity.WARNING,
                    )
                continue
            if not isinstance(tag, str):
                continue
            if not tag.startswith(_NS_PREFIX):
                self._foreign(child, path)
                continue
            local = tag[_NS_PREFIX_LENGTH:]
            if local in extra:
                extras.setdefault(local, []).append((child, f"{path}/{_qname(child, local)}"))
            else:
                self.add(
                    "edxml.unknown_element",
                    f"{path}/{_qname(child, local)}",
                    f"element {local!r} is not part of QCVN 102 here; ignored",
                    Severity.WARNING,
                )
        return values, extras

    # -- values --------------------------------------------------------------------------------

    def agency(self, text: str, where: str, *, required: bool = True) -> AgencyCode | None:
        if not text.strip():
            if required:
                self.add("edxml.missing", where, "agency code (OrganId) is missing")
            return None
        try:
            code = _parse_agency_code(text)
        except EgovkitError as exc:
            self.add(
                exc.code if exc.code.startswith("agency_code") else "edxml.agency_code",
                where,
                exc.message,
            )
            return None
        for finding in code.findings:
            self.findings.append(attrs.evolve(finding, where=where))
        return code

    def date(self, text: str, where: str, *, timestamp: bool = False) -> Any:
        if not text.strip():
            return None
        reading = read_timestamp(text) if timestamp else read_date(text)
        if reading.problem:
            self.add("edxml.date.invalid", where, reading.problem)
        elif not reading.layout.startswith(DATE_LAYOUT):
            self.add(
                "edxml.date.layout",
                where,
                f"date written as {reading.layout}; QCVN 102 practice is {DATE_LAYOUT}",
                Severity.INFO if reading.layout.startswith("dd/MM/yyyy") else Severity.WARNING,
            )
        return reading.value

    def integer(self, text: str, where: str) -> int | None:
        value = text.strip()
        if not value:
            return None
        if value.isascii() and value.isdigit() and len(value) < 10:
            return int(value)
        self.add("edxml.integer", where, f"{value!r} is not a whole number")
        return None

    def boolean(self, text: str, where: str) -> bool | None:
        value = text.strip().lower()
        if not value:
            return None
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        self.add("edxml.boolean", where, f"{text.strip()!r} is not true or false")
        return None

    def document_id(self, text: str, where: str) -> str:
        """Check ``<OrganId>,<yyyy/MM/dd>,<number>/<notation>``; the text is kept as it is."""
        value = text.strip()
        if not value:
            return value
        parts = value.split(",")
        if len(parts) != 3:
            self.add(
                "edxml.document_id.shape",
                where,
                f"{value!r} is not '<OrganId>,<yyyy/MM/dd>,<number>/<notation>'",
                Severity.WARNING,
            )
            return value
        code, date, _number = parts
        try:
            _parse_agency_code(code)
        except EgovkitError as exc:
            self.add("edxml.document_id.agency_code", where, exc.message, Severity.WARNING)
        reading = read_date(date)
        if reading.problem:
            self.add("edxml.document_id.date", where, f"document id date: {reading.problem}")
        return value

    # -- parts ---------------------------------------------------------------------------------

    def organization(self, element: _Element, path: str) -> Organization:
        quick = _plain_organization(element)
        if quick is not None:
            return quick
        return self.any_organization(element, path)

    def any_organization(self, element: _Element, path: str) -> Organization:
        """The general path for an agency block, with a finding for everything unusual."""
        values, kids = self.fields(element, path, w.ORGANIZATION, ("OrganId",))
        code_text, code_path = self.text(kids, "OrganId", path, required=True)
        return Organization(
            code=self.agency(code_text, code_path, required=False),
            code_text=code_text,
            **values,
        )

    def staff(self, item: tuple[_Element, str] | None) -> StaffInfo | None:
        if item is None:
            return None
        values, _ = self.fields(item[0], item[1], w.STAFF)
        return StaffInfo(**values)

    def response_for(self, element: _Element, path: str) -> ResponseFor:
        kids = self.children(element, path, ("OrganId", "Code", "PromulgationDate", "DocumentId"))
        code_text, code_path = self.text(kids, "OrganId", path, required=True)
        date_text, date_path = self.text(kids, "PromulgationDate", path)
        document_id, id_path = self.text(kids, "DocumentId", path)
        return ResponseFor(
            code=self.agency(code_text, code_path, required=False),
            code_text=code_text,
            document_code=self.text(kids, "Code", path)[0],
            promulgation_date=self.date(date_text, date_path),
            promulgation_date_text=date_text,
            document_id=self.document_id(document_id, id_path),
        )

    # -- messages ------------------------------------------------------------------------------

    def message(self, root: _Element) -> Message:
        # A Python proxy for every element, held while the walk runs: lxml then reuses it on each
        # later visit instead of building a new one (most elements are visited more than once).
        self._alive = list(root.iter())
        top = self.children(root, "/edXML", ("edXMLEnvelope", "AttachmentEncoded"))
        envelope_item = self.one(top, "edXMLEnvelope", "/edXML")
        if envelope_item is None:
            raise ParseError(
                "edXMLEnvelope is missing: not an edXML message",
                code="edxml.missing_envelope",
                where="/edXML",
            )
        envelope, envelope_path = envelope_item
        self._prefix(envelope, envelope_path)
        parts = self.children(envelope, envelope_path, ("edXMLHeader", "edXMLBody"))
        header_item = self.one(parts, "edXMLHeader", envelope_path)
        if header_item is None:
            raise ParseError(
                "edXMLHeader is missing", code="edxml.missing_header", where=envelope_path
            )
        header, header_path = header_item
        head = self.children(header, header_path, ("MessageHeader", "TraceHeaderList", "Signature"))
        message_item = self.one(head, "MessageHeader", header_path)
        if message_item is None:
            raise ParseError(
                "MessageHeader is missing", code="edxml.missing_header", where=header_path
            )
        if message_item[0].find(_STATUS_CODE) is not None:
            status = self.status(*message_item)
            self._status_extras(top, parts, head)
            self.discard_unclaimed()
            return status
        return self.envelope(top, parts, head, message_item)

    def _prefix(self, envelope: _Element, path: str) -> None:
        """The national validator rejects envelope children without the ``edXML:`` prefix."""
        found = _unprefixed(envelope)
        if found is not None:
            self.add(
                "edxml.prefix",
                path,
                f"envelope element {etree.QName(found).localname!r} is written without the "
                "'edXML:' prefix; the national axis rejects such messages",
                Severity.WARNING,
            )

    def status(self, element: _Element, path: str) -> StatusMessage:
        kids = self.children(
            element,
            path,
            ("From", "ResponseFor", "StaffInfo", "StatusCode", "Description", "Timestamp"),
        )
        sender_item = self.one(kids, "From", path, required=True)
        sender = self.organization(*sender_item) if sender_item else Organization()
        response_item = self.one(kids, "ResponseFor", path, required=True)
        response = self.response_for(*response_item) if response_item else ResponseFor()
        status_text, status_path = self.text(kids, "StatusCode", path, required=True)
        code = status_text.strip()
        if code and StatusCode.from_wire(code) is None:
            if code.isascii() and code.isdigit():
                self.add(
                    "edxml.status.unknown_code",
                    status_path,
                    f"status code {code!r} is not one of 01-06, 13, 15, 16; kept as written",
                    Severity.WARNING,
                )
            else:
                self.add("edxml.status.code", status_path, f"status code {code!r} is not a number")
        stamp_text, stamp_path = self.text(kids, "Timestamp", path, required=True)
        return StatusMessage(
            sender=sender,
            response_for=response,
            status=status_text,
            staff=self.staff(self.one(kids, "StaffInfo", path)),
            description=self.text(kids, "Description", path)[0],
            timestamp=self.date(stamp_text, stamp_path, timestamp=True),
            timestamp_text=stamp_text,
        )

    def _status_extras(self, top: _Children, parts: _Children, head: _Children) -> None:
        for name, kids in (("AttachmentEncoded", top), ("edXMLBody", parts)):
            for _element, path in kids.items(name):
                self.add(
                    "edxml.status.extra",
                    path,
                    f"a status message carries no {name}; ignored",
                    Severity.WARNING,
                )
        for _element, path in head.items("TraceHeaderList"):
            self.add(
                "edxml.status.extra",
                path,
                "a status message carries no trace headers; ignored",
                Severity.WARNING,
            )

    def envelope(
        self, top: _Children, parts: _Children, head: _Children, message_item: tuple[_Element, str]
    ) -> Envelope:
        header = self.message_header(*message_item)
        traces: list[TraceHeader] = []
        business: Business | None = None
        trace_item = self.one(head, "TraceHeaderList", message_item[1].rsplit("/", 1)[0])
        if trace_item is not None:
            kids = self.children(trace_item[0], trace_item[1], ("TraceHeader", "Bussiness"))
            traces = [self.trace(*item) for item in kids.items("TraceHeader")]
            business_item = self.one(kids, "Bussiness", trace_item[1])
            if business_item is not None:
                business = self.business(*business_item)
        signature_item = self.one(head, "Signature", message_item[1].rsplit("/", 1)[0])
        signature = self.signature(*signature_item) if signature_item else None
        manifest: list[ManifestReference] = []
        body_item = self.one(parts, "edXMLBody", "/edXML/edXML:edXMLEnvelope")
        if body_item is not None:
            body = self.children(body_item[0], body_item[1], ("edXMLManifest",))
            manifest_item = self.one(body, "edXMLManifest", body_item[1])
            if manifest_item is not None:
                manifest = self.manifest(*manifest_item)
        attachments: list[Attachment] = []
        encoded_item = self.one(top, "AttachmentEncoded", "/edXML")
        if encoded_item is not None:
            kids = self.children(encoded_item[0], encoded_item[1], ("Attachment",))
            attachments = [self.attachment(*item) for item in kids.items("Attachment")]
        self.discard_unclaimed()
        self.agreement(manifest, attachments)
        return Envelope(
            header=header,
            traces=traces,
            business=business,
            signature=signature,
            manifest=manifest,
            attachments=attachments,
        )

    def message_header(self, element: _Element, path: str) -> MessageHeader:
        kids = self.children(
            element,
            path,
            (
                "From",
                "To",
                "DocumentId",
                "Code",
                "PromulgationInfo",
                "DocumentType",
                "Subject",
                "Content",
                "SignerInfo",
                "DueDate",
                "ToPlaces",
                "OtherInfo",
                "SteeringType",
                "ResponseFor",
            ),
        )
        sender_item = self.one(kids, "From", path, required=True)
        recipients: list[Organization] = []
        for index, child in enumerate(kids.elements("To")):
            # The XPath of each recipient is built only when something is to be reported.
            recipient = _plain_organization(child)
            if recipient is None:
                recipient = self.any_organization(*kids.items("To")[index])
            recipients.append(recipient)
        if not recipients:
            self.add("edxml.missing", f"{path}/edXML:To", "no recipient (To) is named")
        document_id, id_path = self.text(kids, "DocumentId", path, required=True)
        code = DocumentCode()
        code_item = self.one(kids, "Code", path, required=True)
        if code_item is not None:
            values, _ = self.fields(*code_item, w.CODE)
            code = DocumentCode(**values)
            number = code.number
            if number and not _CODE_NUMBER.fullmatch(number):
                self.add(
                    "edxml.code_number",
                    f"{code_item[1]}/edXML:CodeNumber",
                    f"document number {number!r} is not 1-11 digits",
                    Severity.WARNING,
                )
        promulgation = Promulgation()
        promulgation_item = self.one(kids, "PromulgationInfo", path, required=True)
        if promulgation_item is not None:
            pkids = self.children(*promulgation_item, ("Place", "PromulgationDate"))
            date_text, date_path = self.text(
                pkids, "PromulgationDate", promulgation_item[1], required=True
            )
            promulgation = Promulgation(
                place=self.text(pkids, "Place", promulgation_item[1])[0],
                date=self.date(date_text, date_path),
                date_text=date_text,
            )
        type_info = DocumentTypeInfo()
        type_item = self.one(kids, "DocumentType", path, required=True)
        if type_item is not None:
            type_info = DocumentTypeInfo(**self.fields(*type_item, w.DOCUMENT_TYPE)[0])
        signer_item = self.one(kids, "SignerInfo", path)
        due_text, due_path = self.text(kids, "DueDate", path)
        places_item = self.one(kids, "ToPlaces", path)
        places: list[str] = []
        if places_item is not None:
            place_kids = self.children(*places_item, ("Place",))
            places = [element.text or "" for element, _ in place_kids.items("Place")]
        other_item = self.one(kids, "OtherInfo", path)
        response_item = self.one(kids, "ResponseFor", path)
        return MessageHeader(
            sender=self.organization(*sender_item) if sender_item else Organization(),
            recipients=recipients,
            document_id=self.document_id(document_id, id_path),
            code=code,
            promulgation=promulgation,
            document_type=type_info,
            subject=self.text(kids, "Subject", path, required=True)[0],
            content=self.text(kids, "Content", path)[0],
            signer=SignerInfo(**self.fields(*signer_item, w.SIGNER)[0]) if signer_item else None,
            due_date=self.date(due_text, due_path),
            due_date_text=due_text,
            to_places=places,
            other_info=self.other_info(*other_item) if other_item else None,
            steering_type=self.text(kids, "SteeringType", path)[0],
            response_for=self.response_for(*response_item) if response_item else None,
        )

    def other_info(self, element: _Element, path: str) -> OtherInfo:
        kids = self.children(
            element,
            path,
            (
                "Priority",
                "SphereOfPromulgation",
                "TyperNotation",
                "PromulgationAmount",
                "PageAmount",
                "Direction",
                "Appendixes",
            ),
        )
        appendixes: list[str] = []
        appendix_item = self.one(kids, "Appendixes", path)
        if appendix_item is not None:
            akids = self.children(*appendix_item, ("Appendix",))
            appendixes = [element.text or "" for element, _ in akids.items("Appendix")]
        return OtherInfo(
            priority=self.integer(*self.text(kids, "Priority", path)),
            sphere_of_promulgation=self.text(kids, "SphereOfPromulgation", path)[0],
            typer_notation=self.text(kids, "TyperNotation", path)[0],
            promulgation_amount=self.integer(*self.text(kids, "PromulgationAmount", path)),
            page_amount=self.integer(*self.text(kids, "PageAmount", path)),
            direction=self.boolean(*self.text(kids, "Direction", path)),
            appendixes=appendixes,
        )

    def trace(self, element: _Element, path: str) -> TraceHeader:
        kids = self.children(element, path, ("OrganId", "Timestamp"))
        code_text, code_path = self.text(kids, "OrganId", path, required=True)
        stamp_text, stamp_path = self.text(kids, "Timestamp", path)
        return TraceHeader(
            code=self.agency(code_text, code_path, required=False),
            code_text=code_text,
            timestamp=self.date(stamp_text, stamp_path, timestamp=True),
            timestamp_text=stamp_text,
        )

    def business(self, element: _Element, path: str) -> Business:
        kids = self.children(
            element,
            path,
            (
                "DocumentId",
                "BussinessDocType",
                "BussinessDocReason",
                "Paper",
                "StaffInfo",
                "BussinessDocumentInfo",
                "ReplacementInfoList",
            ),
        )
        type_text, type_path = self.text(kids, "BussinessDocType", path, required=True)
        business_type: BusinessType | None = None
        value = type_text.strip()
        if value:
            try:
                business_type = BusinessType(int(value))
            except ValueError:
                self.add(
                    "edxml.business.type",
                    type_path,
                    f"business type {value!r} is not 0 (new), 1 (revoke), 2 (update) "
                    "or 3 (replace)",
                )
        document_id, id_path = self.text(kids, "DocumentId", path)
        update: UpdateInfo | None = None
        info_item = self.one(kids, "BussinessDocumentInfo", path)
        if info_item is not None:
            update = self.update_info(*info_item)
        replacements: list[Replacement] = []
        list_item = self.one(kids, "ReplacementInfoList", path)
        if list_item is not None:
            rkids = self.children(*list_item, ("ReplacementInfo",))
            replacements = [self.replacement(*item) for item in rkids.items("ReplacementInfo")]
        if business_type is BusinessType.UPDATE and update is None:
            self.add(
                "edxml.business.update_info",
                path,
                "an update (type 2) should carry BussinessDocumentInfo",
                Severity.WARNING,
            )
        if business_type is BusinessType.REPLACE and not replacements:
            self.add(
                "edxml.business.replacements",
                path,
                "a replacement (type 3) should list the replaced documents",
                Severity.WARNING,
            )
        return Business(
            document_id=self.document_id(document_id, id_path),
            business_type=business_type,
            type_text=type_text,
            reason=self.text(kids, "BussinessDocReason", path)[0],
            paper=self.text(kids, "Paper", path)[0],
            staff=self.staff(self.one(kids, "StaffInfo", path)),
            update=update,
            replacements=replacements,
        )

    def update_info(self, element: _Element, path: str) -> UpdateInfo:
        kids = self.children(element, path, ("DocumentInfo", "DocumentReceiver", "ReceiverList"))
        receivers: list[Receiver] = []
        list_item = self.one(kids, "ReceiverList", path)
        if list_item is not None:
            rkids = self.children(*list_item, ("Receiver",))
            for receiver, receiver_path in rkids.items("Receiver"):
                fields = self.children(receiver, receiver_path, ("OrganId", "ReceiverType"))
                code_text, code_path = self.text(fields, "OrganId", receiver_path, required=True)
                receivers.append(
                    Receiver(
                        code=self.agency(code_text, code_path, required=False),
                        code_text=code_text,
                        receiver_type=self.text(fields, "ReceiverType", receiver_path)[0],
                    )
                )
        return UpdateInfo(
            document_info=self.text(kids, "DocumentInfo", path)[0],
            document_receiver=self.text(kids, "DocumentReceiver", path)[0],
            receivers=receivers,
        )

    def replacement(self, element: _Element, path: str) -> Replacement:
        kids = self.children(element, path, ("DocumentId", "OrganIdList"))
        document_id, id_path = self.text(kids, "DocumentId", path, required=True)
        codes: list[AgencyCode] = []
        list_item = self.one(kids, "OrganIdList", path)
        if list_item is not None:
            okids = self.children(*list_item, ("OrganId",))
            for organ, organ_path in okids.items("OrganId"):
                code = self.agency(organ.text or "", organ_path)
                if code is not None:
                    codes.append(code)
        return Replacement(document_id=self.document_id(document_id, id_path), codes=codes)

    def signature(self, element: _Element, path: str) -> SignatureBlock:
        namespace = etree.QName(element).namespace
        if namespace != w.DSIG_NS:
            self.add(
                "edxml.signature.namespace",
                path,
                f"Signature is in namespace {namespace!r}, not XML-DSig ({w.DSIG_NS}); "
                "it cannot be verified as written",
                Severity.WARNING,
            )
        method = ""
        digests: list[str] = []
        for node in element.iter():
            if not isinstance(node.tag, str):
                continue
            local = etree.QName(node).localname
            if local == "SignatureMethod":
                method = node.get("Algorithm", "")
            elif local == "DigestMethod":
                digests.append(node.get("Algorithm", ""))
        try:
            xml = etree.tostring(element, method="c14n", exclusive=True).decode("utf-8")
        except (etree.C14NError, ValueError) as exc:
            self.add(
                "edxml.signature.c14n",
                path,
                f"the signature cannot be canonicalised ({exc}); kept as written",
                Severity.WARNING,
            )
            xml = etree.tostring(element, encoding="unicode", with_tail=False)
        block = SignatureBlock(
            xml=xml,
            signature_method=method,
            digest_methods=digests,
        )
        if block.uses_sha1:
            self.add(
                "edxml.signature.sha1",
                path,
                "the signature uses SHA-1, which is weak; egovkit never emits it",
                Severity.WARNING,
            )
        return block

    def manifest(self, element: _Element, path: str) -> list[ManifestReference]:
        version = element.get("version")
        if version != "1.0":
            self.add(
                "edxml.manifest.version",
                path,
                f"manifest version {version!r}, expected '1.0'",
                Severity.WARNING,
            )
        kids = self.children(element, path, ("Reference",))
        references: list[ManifestReference] = []
        seen: set[str] = set()
        for reference, reference_path in kids.items("Reference"):
            values, _ = self.fields(reference, reference_path, w.MANIFEST_REFERENCE)
            key = _content_key(values["content_id"])
            if not key:
                self.add(
                    "edxml.manifest.content_id",
                    reference_path,
                    "manifest reference without a ContentId",
                )
            elif key in seen:
                raise UnsafeInputError(
                    f"ContentId {values['content_id']!r} appears twice in the manifest",
                    code="edxml.manifest.duplicate_content_id",
                    where=reference_path,
                )
            seen.add(key)
            references.append(ManifestReference(**values))
        return references

    def attachment(self, element: _Element, path: str) -> Attachment:
        values, kids = self.fields(element, path, w.ATTACHMENT, (w.PAYLOAD,))
        if not _content_key(values["content_id"]):
            self.add("edxml.attachment.content_id", path, "attachment without a ContentId")
        payload_item = self.one(kids, w.PAYLOAD, path, required=True)
        content = self.payload(*payload_item) if payload_item else None
        return Attachment(content=content, **values)

    def payload(self, element: _Element, path: str) -> AttachmentContent | None:
        text = element.text or ""
        match = _MARKER.match(text)
        payload: Payload
        if (
            match is not None
            and match[1] == self._nonce
            and int(match[2]) < len(self._scanner.payloads)
        ):
            payload = self._scanner.payloads[int(match[2])]
            remainder = text[match.end() :]
        else:
            index = len(self._scanner.payloads)
            if index >= self._limits.max_attachments:
                raise UnsafeInputError(
                    f"more than {self._limits.max_attachments} attachments",
                    code="edxml.limits.attachments",
                )
            stream = self._sink.begin(index)
            payload = Payload(
                index=index,
                decoder=Base64Decoder(stream, max_bytes=self._limits.max_attachment_bytes),
                stream=stream,
            )
            self._scanner.payloads.append(payload)
            remainder = text
        if payload.claimed:
            raise UnsafeInputError(
                "one payload is claimed twice", code="edxml.unsafe.payload", where=path
            )
        payload.claimed = True
        if len(element):
            payload.problem = payload.problem or "the payload holds child elements"
        try:
            if not payload.problem and remainder.strip():
                payload.decoder.feed_text(remainder)
            digest = "" if payload.problem else payload.decoder.finish()
        except MalformedPayloadError as exc:
            payload.problem = str(exc)
        if payload.problem:
            self._sink.discard(payload.index, payload.stream)
            self.add(
                "edxml.attachment.base64",
                path,
                f"attachment payload is not valid base64 ({payload.problem}); content dropped",
            )
            return None
        return self._sink.finish(payload.index, payload.stream, payload.decoder.size, digest)

    def discard_unclaimed(self) -> None:
        for payload in self._scanner.payloads:
            if not payload.claimed:
                payload.claimed = True
                self._sink.discard(payload.index, payload.stream)
                self.add(
                    "edxml.attachment.orphan_payload",
                    "/edXML",
                    "a ContentTransferEncoded payload outside any Attachment was dropped",
                )

    def agreement(self, manifest: list[ManifestReference], attachments: list[Attachment]) -> None:
        """Manifest and attachments must name the same ContentIds, once each."""
        announced = {_content_key(r.content_id): r for r in manifest}
        present: dict[str, Attachment] = {}
        for index, attachment in enumerate(attachments, start=1):
            key = _content_key(attachment.content_id)
            if key in present:
                raise UnsafeInputError(
                    f"ContentId {attachment.content_id!r} is used by two attachments",
                    code="edxml.attachment.duplicate_content_id",
                    where=f"/edXML/AttachmentEncoded/Attachment[{index}]",
                )
            present[key] = attachment
        for key, reference in announced.items():
            if key and key not in present:
                self.add(
                    "edxml.manifest.missing_content",
                    "/edXML/edXML:edXMLEnvelope/edXML:edXMLBody/edXML:edXMLManifest",
                    f"the manifest announces {reference.content_id!r} but no attachment has it",
                )
        for key, attachment in present.items():
            if key and key not in announced:
                self.add(
                    "edxml.manifest.extra_content",
                    "/edXML/AttachmentEncoded",
                    f"attachment {attachment.content_id!r} is not announced in the manifest",
                )
            elif key:
                reference = announced[key]
                if (reference.attachment_name, reference.content_type) != (
                    attachment.name,
                    attachment.content_type,
                ):
                    self.add(
                        "edxml.manifest.mismatch",
                        "/edXML/AttachmentEncoded",
                        f"attachment {attachment.content_id!r}: name or type differs from "
                        "the manifest",
                        Severity.WARNING,
                    )


# OrganId, then the fields of w.ORGANIZATION in its order, as _plain_organization unpacks them
# (tests/edxml/test_fast_paths.py compares it with the general path).
_ORGANIZATION_SLOTS: Final = {
    _NS_PREFIX + name: slot
    for slot, name in enumerate(("OrganId", *(n for n, _ in w.ORGANIZATION)))
}


#: Plain agency blocks already built, by their texts: the same agencies, written the same way,
#: come in message after message. Room for every block a message can hold under the default
#: element limit (20,000 elements, two or more a block), so that one message's agencies never
#: push each other out; emptied when full (no eviction order to keep), a few MB at most.
_PLAIN_BLOCKS: dict[tuple[str | None, ...], Organization] = {}
_PLAIN_BLOCKS_SIZE: Final = 16_384


def _plain_organization(element: _Element) -> Organization | None:
    """An agency block with nothing to report (the usual case, up to hundreds per letter), in
    one pass; None sends anything unusual (unknown, repeated or nested children, a missing,
    unreadable or repaired code) to :meth:`Walker.any_organization`, which says what it is."""
    texts: list[str | None] = [None] * len(_ORGANIZATION_SLOTS)
    slots = _ORGANIZATION_SLOTS
    for child in element:
        slot = slots.get(child.tag)
        if slot is None or texts[slot] is not None or len(child):
            return None
        texts[slot] = child.text or ""
    key = tuple(texts)
    known = _PLAIN_BLOCKS.get(key)
    if known is not None:
        return known
    made = _build_plain_organization(texts)
    if made is not None:
        if len(_PLAIN_BLOCKS) >= _PLAIN_BLOCKS_SIZE:
            _PLAIN_BLOCKS.clear()
        _PLAIN_BLOCKS[key] = made
    return made


def _build_plain_organization(texts: list[str | None]) -> Organization | None:
    code_text, in_charge, name, address, email, telephone, fax, website = texts
    if not code_text or code_text.isspace():
        return None
    try:
        code = _parse_agency_code(code_text)
    except EgovkitError:
        return None
    if code.findings:
        return None
    return _new_organization(
        code=code,
        code_text=_text(code_text),
        in_charge=_text(in_charge) if in_charge else "",
        name=_text(name) if name else "",
        address=_text(address) if address else "",
        email=_text(email) if email else "",
        telephone=_text(telephone) if telephone else "",
        fax=_text(fax) if fax else "",
        website=_text(website) if website else "",
    )


@lru_cache(maxsize=64)
def _table_index(
    table: tuple[tuple[str, str], ...],
) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Qualified tag -> (wire name, attribute), and every attribute set to ""."""
    names = {_NS_PREFIX + local: (local, attribute) for local, attribute in table}
    return names, dict.fromkeys((attribute for _, attribute in table), "")


_CANONICAL_CODE = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}")


def _new_agency_code(text: str) -> AgencyCode:
    """``AgencyCode.parse(text)`` for text already matched by ``_CANONICAL_CODE`` (ASCII, so
    NFC already; nothing to repair), without checking it a second time."""
    code = object.__new__(AgencyCode)
    _set = object.__setattr__
    _set(code, "level4", text[:3])
    _set(code, "level3", text[4:6])
    _set(code, "level2", text[7:9])
    _set(code, "level1", text[10:])
    _set(code, "findings", ())
    return code


@lru_cache(maxsize=_PLAIN_BLOCKS_SIZE)
def _parse_agency_code(text: str) -> AgencyCode:
    """Lenient parse, cached: the same few agencies appear in message after message; a
    canonical code (the usual case) is read directly, so a miss costs little."""
    if _CANONICAL_CODE.fullmatch(text):
        return _new_agency_code(text)
    return AgencyCode.parse(text, strict=False)


def _qname(element: _Element, local: str) -> str:
    return f"{element.prefix}:{local}" if element.prefix else local


def _content_key(content_id: str) -> str:
    """``cid:209``, ``<209>`` and ``209`` name the same attachment."""
    key = content_id.strip()
    key = key.removeprefix("cid:").strip()
    return key.removeprefix("<").removesuffix(">")


__all__ = ["Walker"]
