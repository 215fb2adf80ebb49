"""Write and read an envelope with a large attachment, streamed: memory stays flat.

Run: python examples/edxml_large_attachment.py [MEGABYTES]   (default 32)
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from egovkit.agencies import AgencyCode
from egovkit.edxml import (
    Attachment,
    AttachmentContent,
    Envelope,
    MessageHeader,
    Organization,
    Promulgation,
    read,
    write,
)


def main(megabytes: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "scan.pdf"
        with source.open("wb") as stream:
            for _ in range(megabytes):
                stream.write(os.urandom(1024 * 1024))
        attachment = Attachment(
            content_id="cid:scan",
            name="scan.pdf",
            content_type="application/pdf",
            content=AttachmentContent.from_path(source),
        )
        envelope = Envelope(
            header=MessageHeader(
                sender=Organization(code=AgencyCode.parse("000.00.01.H53"), name="Văn phòng UBND"),
                recipients=[Organization(code=AgencyCode.parse("000.00.00.H53"), name="UBND tỉnh")],
                document_id="000.00.01.H53,2025/10/01,12/VP-TH",
                subject="Hồ sơ scan",
                promulgation=Promulgation(place="Tây Ninh", date=dt.date(2025, 10, 1)),
            ),
            manifest=[attachment.reference()],
            attachments=[attachment],
        )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        write(envelope, work / "big.edxml")
        written = time.perf_counter() - start
        start = time.perf_counter()
        result = read(work / "big.edxml", attachments_to=work / "received")
        elapsed = time.perf_counter() - start
        growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        content = result.message.attachments[0].content  # type: ignore[union-attr]
        assert content is not None
        assert content.sha256 == attachment.content.sha256  # type: ignore[union-attr]
        print(
            f"{megabytes} MB attachment: write {megabytes / written:.0f} MB/s, "
            f"read {megabytes / elapsed:.0f} MB/s, peak RSS growth {growth:.1f} MB, "
            f"sha256 {content.sha256[:16]}…"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 32)
