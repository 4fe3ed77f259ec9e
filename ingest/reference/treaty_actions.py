"""The depositary's treaty actions (data/treaty-actions/, with their sources) as records of
the interchange format: `sherloc setup` ingests them like any other content, so they are
validated, written once (the content hash), and searchable."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from ingest.reference.load import DATA_DIR

FILES = ("UNTOC.csv", "TIP.csv", "SOM.csv", "FIREARMS.csv")


def treaty_action_lines(data_dir: Path = DATA_DIR) -> Iterator[str]:
    """One JSON line (`kind: treaty_action`) per row of the files, in file order."""
    for name in FILES:
        with (data_dir / "treaty-actions" / name).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                record = {
                    "kind": "treaty_action",
                    "id": row["id"],
                    "party": row["party"],
                    "instrument": row["instrument"],
                    "article": f"{row['instrument']}:{row['article']}" if row["article"] else None,
                    "paragraph": row["paragraph"] or None,
                    "action": row["action"],
                    "made_on": row["made_on"] or None,
                    "original_language": "en",
                    "text": {"en": row["text_en"]},
                    "source": row["source"] or None,
                }
                yield json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)
