"""The state of a review: what is linked, what is checked, where the reviewer is.

One place holds it (``ReviewState``); the Textual app only shows it and calls its methods.
Every change goes through ``_apply``, which journals it before it takes effect on screen, so
the journal replays to exactly what the reviewer saw. Links are between **words** (our word
tokens of the segment's source and of its hypothesis), so a reviewed file is scored against
any aligner's Pharaoh output over the same words (``arabic-align links`` without
``--pretokenized``, on the exported source and hypothesis files).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from align.errors import InputError
from align.links.base import Link, Token
from align.links.spans import span_pairs
from align.links.words import word_tokens
from align.records import MANIFEST, jsonl_rows, loads_json, read_manifest
from align.review.journal import (
    JOURNAL,
    REVIEW_SCHEMA,
    SNAPSHOT,
    STATUSES,
    Journal,
    change_problem,
    read_journal,
    read_snapshot,
    snapshot_problem,
    write_snapshot,
)

REQUIRED = ("segments.jsonl", MANIFEST)


@dataclass
class Segment:
    index: int  # the segment's index in the article
    role: str
    source: str
    hypothesis: str
    reference: str | None
    src_words: tuple[Token, ...]
    tgt_words: tuple[Token, ...]
    chrf: float | None
    links: dict[tuple[int, int], dict] = field(default_factory=dict)  # {sure, confidence}
    status: str = "todo"
    note: str = ""

    @property
    def confidence(self) -> float:
        """Mean link confidence (0 with no links): how sure the aligner was."""
        if not self.links:
            return 0.0
        return sum(x["confidence"] for x in self.links.values()) / len(self.links)

    def spans(self):
        links = [Link(i, j, x["confidence"], x["sure"]) for (i, j), x in sorted(self.links.items())]
        return span_pairs(links, self.src_words, self.tgt_words)

    def pharaoh(self) -> str:
        return " ".join(
            f"{i}{'-' if x['sure'] else '?'}{j}" for (i, j), x in sorted(self.links.items())
        )


def _words_of_units(units: list, words: tuple[Token, ...], offset: int) -> list[int]:
    """The word each alignment unit falls in (by character offsets)."""
    out = []
    for start, _end in units:
        s = start - offset
        k = next((n for n, w in enumerate(words) if w.start <= s < w.end), None)
        out.append(k if k is not None else -1)
    return out


def _load_segments(run_dir: Path) -> list[Segment]:
    path = run_dir / "segments.jsonl"
    segments = []
    try:
        rows = [loads_json(x) for x in jsonl_rows(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError) as exc:
        raise InputError(f"{path} cannot be read as JSON lines: {exc}.") from None
    for row in rows:
        if not row.get("translated"):
            continue
        try:
            source, hyp = row["source"], row["hypothesis"]
            src_words, tgt_words = word_tokens(source), word_tokens(hyp)
            seg = Segment(
                row["index"], row.get("role", "body"), source, hyp, row.get("reference"),
                src_words, tgt_words, (row.get("scores") or {}).get("chrf"),
            )  # fmt: skip
            alignment = row.get("alignment") or {}
            src_map = _words_of_units(alignment.get("src_tokens", []), src_words, row["start"])
            tgt_map = _words_of_units(alignment.get("tgt_tokens", []), tgt_words, 0)
            for link in alignment.get("links", []):
                i, j = src_map[link["src"]], tgt_map[link["tgt"]]
                if i < 0 or j < 0:
                    continue
                old = seg.links.get((i, j))
                conf = float(link.get("confidence", 1.0))
                if old is None or conf > old["confidence"]:
                    seg.links[(i, j)] = {"sure": bool(link.get("sure", True)), "confidence": conf}
        except (KeyError, TypeError, IndexError) as exc:
            raise InputError(
                f"{path}: segment row {row.get('index', '?')} lacks what a review needs ({exc})."
            ) from None
        segments.append(seg)
    return segments


class ReviewState:
    """Segments, their review, the cursor, undo/redo; every change journaled at once."""

    def __init__(self, run_dir: Path, segments: list[Segment]) -> None:
        self.run_dir = run_dir
        self.segments = segments
        self.by_index = {s.index: s for s in segments}
        self.position: dict = {"segment": segments[0].index if segments else None, "cursor": None}
        self.undo_stack: list[dict] = []
        self.redo_stack: list[dict] = []
        self.torn: str | None = None
        self._journal = Journal(run_dir)

    # -- open / close -------------------------------------------------------------------

    @classmethod
    def open(cls, run_dir: str | Path) -> ReviewState:
        run_dir = Path(run_dir)
        if not run_dir.is_dir():
            raise InputError(f"{run_dir} is not a directory: give a run directory to review.")
        missing = [name for name in REQUIRED if not (run_dir / name).is_file()]
        if missing:
            raise InputError(f"{run_dir} is not a complete run: {', '.join(missing)} missing.")
        read_manifest(run_dir)  # refuses another schema version with one sentence
        state = cls(run_dir, _load_segments(run_dir))
        sizes = {s.index: (len(s.src_words), len(s.tgt_words)) for s in state.segments}
        snapshot = read_snapshot(run_dir)
        if snapshot is not None:
            problem = snapshot_problem(snapshot, sizes)
            if problem:
                raise InputError(
                    f"{run_dir / SNAPSHOT} is not a review of this run ({problem}): restore it "
                    "from a copy, or delete it to start the review over."
                )
            state._restore(snapshot)
        replay = read_journal(run_dir)
        for n, entry in zip(replay.lines, replay.entries, strict=True):
            problem = change_problem(entry, sizes)
            if problem:
                raise InputError(
                    f"line {n} of {run_dir / JOURNAL} is not a review entry ({problem}): fix "
                    "or delete that line; the lines before it hold the review so far."
                )
        for entry in replay.entries:
            state._replay(entry)
        state.torn = replay.torn
        return state

    def close(self) -> None:
        """Compact: the whole state to review.json atomically, then an empty journal."""
        self._journal.close()
        write_snapshot(self.run_dir, self.snapshot())

    def release(self) -> None:
        """Let go of the journal without writing anything (a read-only use, such as an
        export, leaves the run directory as it found it)."""
        self._journal.close()

    def snapshot(self) -> dict:
        return {
            "schema": REVIEW_SCHEMA,
            "position": self.position,
            "segments": {
                str(s.index): {
                    "status": s.status,
                    "note": s.note,
                    "links": [
                        [i, j, x["sure"], x["confidence"]] for (i, j), x in sorted(s.links.items())
                    ],
                }
                for s in self.segments
            },
        }

    def _restore(self, snapshot: dict) -> None:
        """Take a snapshot that ``snapshot_problem`` has passed."""
        for key, data in snapshot.get("segments", {}).items():
            seg = self.by_index.get(int(key))
            if seg is None:
                continue
            seg.status, seg.note = data["status"], data["note"]
            seg.links = {(i, j): {"sure": sure, "confidence": c} for i, j, sure, c in data["links"]}
        self.position = snapshot.get("position", self.position)

    # -- queue --------------------------------------------------------------------------

    def queue(self, role: str | None = None, status: str | None = None) -> list[int]:
        """Segment indices, worst first: lowest alignment confidence, then lowest chrF++."""
        chosen = [
            s for s in self.segments
            if (role is None or s.role == role) and (status is None or s.status == status)
        ]  # fmt: skip
        chosen.sort(key=lambda s: (s.confidence, s.chrf if s.chrf is not None else 1e9, s.index))
        return [s.index for s in chosen]

    def remaining(self) -> int:
        return sum(s.status == "todo" for s in self.segments)

    # -- edits (each one journaled before it takes effect) ---------------------------------

    def _set_link(self, seg: Segment, i: int, j: int, value: dict | None) -> None:
        if value is None:
            seg.links.pop((i, j), None)
        else:
            seg.links[(i, j)] = dict(value)

    def _do(self, entry: dict) -> None:
        """Apply a change of one segment's links/status/note; ``entry`` has before/after."""
        seg = self.by_index[entry["seg"]]
        for change in entry["changes"]:
            if change["what"] == "link":
                self._set_link(seg, change["src"], change["tgt"], change["after"])
            elif change["what"] == "status":
                seg.status = change["after"]
            elif change["what"] == "note":
                seg.note = change["after"]

    def _apply(self, seg_index: int, changes: list[dict], kind: str = "edit") -> None:
        changes = [c for c in changes if c["before"] != c["after"]]
        if not changes:
            return
        entry = {"t": "change", "kind": kind, "seg": seg_index, "changes": changes}
        self._journal.append(entry)  # on disk first
        self._replay(entry)

    def _replay(self, entry: dict) -> None:
        if entry.get("t") == "position":
            self.position = {"segment": entry["segment"], "cursor": entry.get("cursor")}
            return
        if entry.get("t") != "change" or entry.get("seg") not in self.by_index:
            return
        self._do(entry)
        kind = entry.get("kind", "edit")
        if kind == "edit":
            self.undo_stack.append(entry)
            self.redo_stack.clear()
        elif kind == "undo" and self.undo_stack:
            self.redo_stack.append(self.undo_stack.pop())
        elif kind == "redo" and self.redo_stack:
            self.undo_stack.append(self.redo_stack.pop())

    @staticmethod
    def _inverse(entry: dict) -> list[dict]:
        return [
            {**c, "before": c["after"], "after": c["before"]} for c in reversed(entry["changes"])
        ]

    def undo(self) -> int | None:
        """Undo the last edit; returns the segment it touched."""
        if not self.undo_stack:
            return None
        entry = self.undo_stack[-1]
        self._apply(entry["seg"], self._inverse(entry), kind="undo")
        return entry["seg"]

    def redo(self) -> int | None:
        if not self.redo_stack:
            return None
        entry = self.redo_stack[-1]
        self._apply(entry["seg"], [dict(c) for c in entry["changes"]], kind="redo")
        return entry["seg"]

    def _link_change(self, seg: Segment, i: int, j: int, after: dict | None) -> dict:
        before = seg.links.get((i, j))
        return {"what": "link", "src": i, "tgt": j, "before": before, "after": after}

    def add_link(self, seg_index: int, i: int, j: int, sure: bool = True) -> None:
        seg = self.by_index[seg_index]
        if not (0 <= i < len(seg.src_words) and 0 <= j < len(seg.tgt_words)):
            raise IndexError(f"no word pair {i}-{j} in segment {seg_index}")
        self._apply(seg_index, [self._link_change(seg, i, j, {"sure": sure, "confidence": 1.0})])

    def remove_link(self, seg_index: int, i: int, j: int) -> None:
        seg = self.by_index[seg_index]
        self._apply(seg_index, [self._link_change(seg, i, j, None)])

    def toggle_link(self, seg_index: int, i: int, j: int) -> None:
        seg = self.by_index[seg_index]
        if (i, j) in seg.links:
            self.remove_link(seg_index, i, j)
        else:
            self.add_link(seg_index, i, j)

    def set_sure(self, seg_index: int, i: int, j: int, sure: bool) -> None:
        seg = self.by_index[seg_index]
        old = seg.links.get((i, j))
        if old is not None:
            self._apply(seg_index, [self._link_change(seg, i, j, {**old, "sure": sure})])

    def toggle_sure(self, seg_index: int, i: int, j: int) -> None:
        old = self.by_index[seg_index].links.get((i, j))
        if old is not None:
            self.set_sure(seg_index, i, j, not old["sure"])

    def set_status(self, seg_index: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        seg = self.by_index[seg_index]
        self._apply(seg_index, [{"what": "status", "before": seg.status, "after": status}])

    def set_note(self, seg_index: int, note: str) -> None:
        seg = self.by_index[seg_index]
        self._apply(seg_index, [{"what": "note", "before": seg.note, "after": note}])

    def span_of(self, seg_index: int, side: str, word: int) -> int | None:
        """The index (in ``Segment.spans()``) of the span holding a word, if any."""
        seg = self.by_index[seg_index]
        words = seg.src_words if side == "src" else seg.tgt_words
        pos = words[word].start
        for k, sp in enumerate(seg.spans()):
            lo, hi = sp.src if side == "src" else sp.tgt
            if lo <= pos < hi:
                return k
        return None

    def _span_words(self, seg: Segment, k: int) -> tuple[list[int], list[int]]:
        sp = seg.spans()[k]
        src = [n for n, w in enumerate(seg.src_words) if sp.src[0] <= w.start < sp.src[1]]
        tgt = [n for n, w in enumerate(seg.tgt_words) if sp.tgt[0] <= w.start < sp.tgt[1]]
        return src, tgt

    def merge_spans(self, seg_index: int, k: int) -> None:
        """Merge span ``k`` with the next one (by source order) into one span pair: a link
        from the first span's first source word to the second span's first target word
        joins them (span pairs are the connected, consistent boxes of the links)."""
        seg = self.by_index[seg_index]
        spans = seg.spans()
        if not 0 <= k < len(spans) - 1:
            return
        src_a, _ = self._span_words(seg, k)
        _, tgt_b = self._span_words(seg, k + 1)
        if src_a and tgt_b:
            i, j = src_a[0], tgt_b[0]
            self._apply(
                seg_index, [self._link_change(seg, i, j, {"sure": True, "confidence": 1.0})]
            )

    def split_span(self, seg_index: int, word: int) -> None:
        """Split the span holding source word ``word`` after it into two span pairs.

        The source side is cut after ``word``; the target side is cut where removing the
        fewest (least confident) links separates the halves, pairing the halves either in
        order or crossed (Arabic and English order often differ). Both halves must keep a
        link; if no cut allows that, nothing changes.
        """
        seg = self.by_index[seg_index]
        k = self.span_of(seg_index, "src", word)
        if k is None:
            return
        src, tgt = self._span_words(seg, k)
        left = {i for i in src if i <= word}
        inside = [(i, j) for (i, j) in seg.links if i in src and j in tgt]
        best = None
        for cut in range(1, len(tgt)):
            first = set(tgt[:cut])
            for crossed in (False, True):
                keep = {(i, j) for i, j in inside if (i in left) == ((j in first) != crossed)}
                kept = [x for x in inside if x in keep]
                if not any(i in left for i, _ in kept) or all(i in left for i, _ in kept):
                    continue
                removed = [x for x in inside if x not in keep]
                cost = sum(seg.links[x]["confidence"] for x in removed)
                if best is None or cost < best[0]:
                    best = (cost, removed)
        if best is not None:
            self._apply(seg_index, [self._link_change(seg, i, j, None) for i, j in sorted(best[1])])

    def move(self, seg_index: int, cursor: Iterable | None = None) -> None:
        """Remember where the reviewer is (journaled, not undoable)."""
        position = {"segment": seg_index, "cursor": list(cursor) if cursor is not None else None}
        if position != self.position:
            self._journal.append({"t": "position", **position})
            self.position = position
