"""The review journal: every edit appended at once, replayed on open, compacted on close.

``review.journal.jsonl`` beside the run holds one JSON object a line, written and fsynced
before the edit is shown, so killing the app at any moment loses nothing that was on the
screen. On a clean exit the state is written atomically to ``review.json`` (snapshot) and
the journal is emptied; on open the snapshot is read and the journal replayed on top. A
line cut off by a crash (no final newline, or not JSON) is reported and skipped; every
complete line before it is replayed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from align.records import atomic_write_text

JOURNAL = "review.journal.jsonl"
SNAPSHOT = "review.json"
REVIEW_SCHEMA = 1


@dataclass(frozen=True)
class Replay:
    entries: list[dict]
    torn: str | None  # a description of the torn or unreadable line, if there was one


def read_journal(run_dir: Path) -> Replay:
    path = run_dir / JOURNAL
    if not path.is_file():
        return Replay([], None)
    data = path.read_bytes()
    entries: list[dict] = []
    torn = None
    lines = data.split(b"\n")
    complete, last = lines[:-1], lines[-1]
    for n, raw in enumerate(complete, 1):
        if not raw.strip():
            continue
        try:
            entries.append(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, ValueError):
            torn = f"line {n} of {JOURNAL} is not a complete entry and was skipped"
    if last.strip():
        torn = (
            f"the last line of {JOURNAL} was cut off ({len(last)} bytes, no line end) "
            "and was skipped"
        )
    return Replay(entries, torn)


class Journal:
    """Appends entries to the journal file, one fsynced line each."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / JOURNAL
        self._fd: int | None = None

    def append(self, entry: dict) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
            self._repair_tail()
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        os.write(self._fd, line.encode("utf-8"))
        os.fsync(self._fd)

    def _repair_tail(self) -> None:
        """A torn last line (no newline) gets one, so the next entry starts a line of its own."""
        size = os.fstat(self._fd).st_size
        if size:
            with open(self.path, "rb") as f:
                f.seek(size - 1)
                if f.read(1) != b"\n":
                    os.write(self._fd, b"\n")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def write_snapshot(run_dir: Path, state: dict) -> None:
    """Write the whole review state atomically, then empty the journal (compaction)."""
    atomic_write_text(run_dir / SNAPSHOT, json.dumps(state, ensure_ascii=False, indent=1) + "\n")
    journal = run_dir / JOURNAL
    if journal.exists():
        tmp = journal.with_name(journal.name + ".tmp")
        tmp.write_bytes(b"")
        os.replace(tmp, journal)


def read_snapshot(run_dir: Path) -> dict | None:
    path = run_dir / SNAPSHOT
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        from align.errors import InputError

        raise InputError(
            f"{path} is not valid JSON: restore it or delete it to start over."
        ) from None
