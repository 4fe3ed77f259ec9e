"""`sherloc verify-draw FILE`: checks a draw's exported record (`sherloc export-draw ID`)
on any machine, with no server: the standard library and mechanism/ only (an import-linter
contract in pyproject.toml holds it to that). Exit status 0 only when every check holds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from mechanism.draw_verification import verify

CHECKS = (
    ("reproduced", "the result is what the algorithm gives from the recorded inputs and seed"),
    ("commitmentHonoured", "the secret, the contributions and the seed match what was committed"),
    ("meetsTheRules", "the result meets ¶17 (States under review) or ¶28-¶29 (reviewers)"),
)


def verify_file(path: Path, out: TextIO = sys.stdout) -> int:
    """Print each check and every problem; 0 when all hold, 1 when one fails, 2 when the
    file cannot be read as a record."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"{path}: not a readable JSON record ({error})", file=out)
        return 2
    if not isinstance(record, dict):
        print(f"{path}: not a draw record (a JSON object)", file=out)
        return 2
    checked = verify(record)
    found = record.get("draw")
    draw: dict[str, object] = found if isinstance(found, dict) else {}
    print(f"draw {draw.get('id')} ({draw.get('kind')}), seed origin {draw.get('seedOrigin')}", file=out)
    announcement = record.get("announcement")
    if isinstance(announcement, dict):
        contributions = announcement.get("contributions") or []
        withheld = [c.get("party") for c in contributions if not c.get("revealed")]
        print(
            f"announced as {announcement.get('id')}: {len(contributions)} contribution(s), "
            f"{len(contributions) - len(withheld)} revealed"
            + (f"; not revealed: {', '.join(map(str, withheld))}" if withheld else ""),
            file=out,
        )
    values = {
        "reproduced": checked.reproduced,
        "commitmentHonoured": checked.commitment_honoured,
        "meetsTheRules": checked.meets_the_rules,
    }
    for name, meaning in CHECKS:
        print(f"{'ok  ' if values[name] else 'FAIL'} {name}: {meaning}", file=out)
    for problem in checked.problems:
        print(f"  - {problem}", file=out)
    return 0 if checked.holds else 1
