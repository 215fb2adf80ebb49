"""Back up a store to one archive, restore it elsewhere, and see a tampered archive refused."""

from __future__ import annotations

import io
import tarfile
import tempfile
from pathlib import Path

from egovkit.ports import IntegrityError, Record, SequenceKey
from egovkit.storage import backup, open_store, restore


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        place = Path(folder)
        with open_store(f"sqlite:///{place / 'district.db'}", actor="văn thư") as store:
            store.records.add_many(
                Record(collection="notes", key=f"n{i}", data={"text": f"Tờ trình số {i}"})
                for i in range(1, 6)
            )
            store.sequences.allocate(SequenceKey("dossier", ["000.00.01.H99", "2026-01-05"]))
            store.blobs.put(b"%PDF-1.7 signed decision")
            manifest = backup(store, place / "2026-Q1.tar.gz")
        print(f"backup: {manifest.records} records, {manifest.blobs} blob, head {manifest.head}")

        with open_store("memory://") as restored:
            restore(restored, place / "2026-Q1.tar.gz", expect_head=manifest.head.hash)
            print("restored:", restored.records.get("notes", "n3").data["text"])

        forged = place / "forged.tar.gz"
        with tarfile.open(place / "2026-Q1.tar.gz") as source, tarfile.open(forged, "w:gz") as out:
            for member in source:
                data = source.extractfile(member)
                content = data.read() if data else b""
                if member.name == "records.jsonl":
                    content = content.replace("số 3".encode(), "số 9".encode())
                out.addfile(member, io.BytesIO(content))
        with open_store("memory://") as target:
            try:
                restore(target, forged)
            except IntegrityError as error:
                print(f"tampered archive refused: {error.code}; nothing written:", end=" ")
                print(target.records.collections() == [])


if __name__ == "__main__":
    main()
