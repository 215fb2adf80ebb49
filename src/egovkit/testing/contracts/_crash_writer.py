"""The writer the crash contract kills: ``python -m egovkit.testing.contracts._crash_writer URL``.

It commits a record and a counter together and prints ``rec KEY NUMBER``, then streams a large
blob and prints ``blob SHA256 SIZE`` — forever, until it is killed. A line is printed only after
the write it acknowledges has returned.
"""

from __future__ import annotations

import os
import sys

from egovkit.ports import Record, SequenceKey
from egovkit.storage import open_store

#: The counter the writer takes a number from with every record.
COUNTER = SequenceKey("crash", ["n"])


def padding(index: int) -> str:
    """The variable-length filler of record ``index`` (so records differ in size)."""
    return "x" * (index % 300)


def main(url: str) -> None:
    with open_store(url) as store:
        index = 0
        while True:
            with store.transaction(actor="writer") as uow:
                uow.records.add(
                    Record(
                        collection="crash",
                        key=f"k{index:06d}",
                        data={"i": index, "pad": padding(index)},
                    )
                )
                number = uow.sequences.allocate(COUNTER)
            print(f"rec k{index:06d} {number}", flush=True)
            ref = store.blobs.put(os.urandom(300_000 + (index % 5) * 200_000))
            print(f"blob {ref.sha256} {ref.size}", flush=True)
            index += 1


if __name__ == "__main__":
    main(sys.argv[1])
