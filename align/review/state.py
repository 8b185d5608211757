"""The state of a review: what is linked, what is checked, where the reviewer is.

One place holds it (``ReviewState``); the Textual app only shows it and calls its methods.
Every change goes through ``_apply``, which journals it before it takes effect on screen, so
the journal replays to exactly what the reviewer saw.

A run is read through ``align.run.Run.open``, so a damaged or foreign run is refused with
its one sentence before anything is shown. Each translated segment has up to two
alignments to review, its **sides**: ``hyp`` (the source with its translation, which every
translated segment has) and ``ref`` (the source with its reference, when the run aligned
one). Each side has its own links, status and note. Links are between **words**, the words
the run's records hold (``PairAlignment.src_words``/``tgt_words``, the aligner's word
tokens), and the aligner's unit links are merged into word links by
``PairAlignment.word_links``. So a reviewed file is scored against any aligner's Pharaoh
output over the same words (``arabic-align links`` without ``--pretokenized`` on the
exported texts, or any tool on the exported ``.tok.txt`` files, where word ``i`` of a line
is its ``i``-th space-separated token).

Findings: each segment carries the findings of the translation checks that the run's
records hold (``align.run.Segment.findings``; none for a run made before the checks or with
``--no-checks``). The queue puts the segments with findings first, the worst first (an
error before a warning before an info), and a person says of each finding whether it is
right or wrong (``set_verdict``), journaled as a change of the translation side.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from align.checks.base import SEVERITIES, Finding
from align.errors import InputError, UserError
from align.links.base import Link, pharaoh_line
from align.links.spans import span_pairs
from align.records import is_utf8
from align.review.journal import (
    HYP,
    JOURNAL,
    OTHER_WORDS,
    REF,
    REVIEW_SCHEMA,
    SIDES,
    SNAPSHOT,
    SNAPSHOT_SIDES,
    STATUSES,
    VERDICTS,
    Journal,
    change_problem,
    read_journal,
    read_snapshot,
    review_stamps,
    snapshot_problem,
    words_fingerprint,
    write_snapshot,
)
from align.run import SEGMENTS, PairAlignment, Run, RunError, Word
from align.run import Segment as RunSegment

__all__ = ["HYP", "JOURNAL", "REF", "SIDES", "SIDE_NAMES", "SNAPSHOT", "ReviewState", "Segment"]

SIDE_NAMES = {HYP: "translation", REF: "reference"}
# Where each side's review is kept in review.json.
SNAPSHOT_KEYS = {side: key for key, side in SNAPSHOT_SIDES.items()}


@dataclass
class Aligned:
    """One alignment of a segment under review: its source with one target (the translation
    for side ``hyp``, the reference for ``ref``), the words of both, and the review of it."""

    side: str
    source: str
    target: str
    src_words: tuple[Word, ...]
    tgt_words: tuple[Word, ...]
    links: dict[tuple[int, int], dict] = field(default_factory=dict)  # {sure, confidence}
    status: str = "todo"
    note: str = ""
    verdicts: dict[int, str] = field(default_factory=dict)  # finding -> right/wrong (hyp)

    @property
    def confidence(self) -> float:
        """Mean link confidence (0 with no links): how sure the aligner was."""
        if not self.links:
            return 0.0
        return sum(x["confidence"] for x in self.links.values()) / len(self.links)

    def words(self, end: str) -> tuple[Word, ...]:
        """The words of one end of the links: ``src`` or ``tgt``."""
        return self.src_words if end == "src" else self.tgt_words

    def spans(self):
        links = [Link(i, j, x["confidence"], x["sure"]) for (i, j), x in sorted(self.links.items())]
        return span_pairs(links, self.src_words, self.tgt_words)

    def pharaoh(self) -> str:
        return pharaoh_line(
            Link(i, j, x["confidence"], x["sure"]) for (i, j), x in sorted(self.links.items())
        )


@dataclass
class Segment:
    """A translated segment and the review of each of its sides. ``links``, ``status``,
    ``note``, ``src_words``, ``tgt_words``, ``confidence``, ``spans()`` and ``pharaoh()`` are
    those of the translation side, the one every segment has."""

    index: int  # the segment's index in the article
    role: str
    source: str
    hypothesis: str
    reference: str | None
    chrf: float | None
    sides: dict[str, Aligned]
    findings: tuple[Finding, ...] = ()  # the translation checks' findings, worst first

    @property
    def hyp(self) -> Aligned:
        return self.sides[HYP]

    @property
    def verdicts(self) -> dict[int, str]:
        """A person's verdict on each judged finding (by its place in ``findings``)."""
        return self.hyp.verdicts

    @property
    def worst(self) -> int:
        """The severity rank of the segment's worst finding (0 error, 1 warning, 2 info), or
        3 when it has none: the queue's first key."""
        return min((SEVERITIES.index(f.severity) for f in self.findings), default=3)

    @property
    def links(self) -> dict[tuple[int, int], dict]:
        return self.hyp.links

    @property
    def status(self) -> str:
        return self.hyp.status

    @property
    def note(self) -> str:
        return self.hyp.note

    @property
    def src_words(self) -> tuple[Word, ...]:
        return self.hyp.src_words

    @property
    def tgt_words(self) -> tuple[Word, ...]:
        return self.hyp.tgt_words

    @property
    def confidence(self) -> float:
        return self.hyp.confidence

    def spans(self):
        return self.hyp.spans()

    def pharaoh(self) -> str:
        return self.hyp.pharaoh()


def _check_words(path: Path, seg: RunSegment, side: str, end: str, words) -> None:
    """Word ``i`` of a line is its ``i``-th space-separated token in the exports, so a word
    is never empty and never holds whitespace (the word tokenizer splits there; only a
    record written by hand can break this)."""
    for n, w in enumerate(words):
        if not w.text or any(ch.isspace() for ch in w.text):
            raise RunError(
                f"{path}: segment {seg.index}'s {SIDE_NAMES[side]} alignment has {end} word "
                f"{n} {w.text!r}, which is empty or holds whitespace, so it cannot be one "
                "word of a review"
            )


def _aligned(path: Path, seg: RunSegment, side: str, pair: PairAlignment) -> Aligned:
    src_words, tgt_words = pair.src_words, pair.tgt_words
    _check_words(path, seg, side, "source", src_words)
    _check_words(path, seg, side, "target", tgt_words)
    links = {
        key: {"sure": x.sure, "confidence": x.confidence} for key, x in pair.word_links().items()
    }
    return Aligned(side, pair.source, pair.target, src_words, tgt_words, links)


def _segments(run: Run) -> list[Segment]:
    path = run.dir / SEGMENTS
    out = []
    for s in run.translated:
        if s.alignment is None:
            raise RunError(
                f"{path}: segment {s.index} is translated but has no alignment, so there is "
                "nothing of it to review"
            )
        sides = {HYP: _aligned(path, s, HYP, s.alignment)}
        if s.reference_alignment is not None:
            sides[REF] = _aligned(path, s, REF, s.reference_alignment)
        chrf = (s.scores or {}).get("chrf")
        out.append(
            Segment(
                s.index,
                s.role,
                s.source,
                s.hypothesis or "",
                s.reference,
                chrf,
                sides,
                s.findings,
            )  # fmt: skip
        )
    return out


def _read_review(run_dir: Path):
    """review.json and the journal, read as one, and their stamps (``review_stamps``) from
    before the read: a session open beside this reader (an export) may compact between the
    two reads (a new review.json, then an empty journal), which would leave the old snapshot
    with nothing on top; the pair is read again then."""
    for _ in range(5):
        before = review_stamps(run_dir)
        snapshot = read_snapshot(run_dir)
        replay = read_journal(run_dir)
        if review_stamps(run_dir)[0] == before[0]:
            break
    return snapshot, replay, before


def finding_id(f: Finding) -> list:
    """What names a finding across runs of the same words: its check, kind and spans (its
    place among the segment's findings moves when another run finds more or fewer)."""
    return [f.check, f.kind, list(f.src) if f.src else None, list(f.tgt) if f.tgt else None]


class ReviewState:
    """Segments, the review of each side, the cursor, undo/redo; every change journaled at
    once."""

    def __init__(self, run_dir: Path, segments: list[Segment], run: Run | None = None) -> None:
        self.run_dir = run_dir
        self.run = run
        self.segments = segments
        self.by_index = {s.index: s for s in segments}
        self.position: dict = {
            "segment": segments[0].index if segments else None, "cursor": None, "side": HYP,
        }  # fmt: skip
        self.undo_stack: list[dict] = []
        self.redo_stack: list[dict] = []
        self.torn: str | None = None
        self.left_out = 0  # verdicts whose finding this run does not have (see ``notes``)
        # While the review is read: each verdict left out, by (segment, its finding), with
        # the last value given to it (one taken back, or undone, is no verdict lost).
        self._lost: dict | None = None
        # Verdicts left out, by segment: [finding identity, verdict] each, written back to
        # review.json untouched (a later run may have their findings again).
        self.aside: dict[int, list[list]] = {}
        self._journal = Journal(run_dir)

    # -- open / close -------------------------------------------------------------------

    @classmethod
    def open(cls, run: str | Path | Run, hold: bool = False) -> ReviewState:
        """The review of a run (a run directory, or a ``Run`` already open): the run is
        checked by ``Run.open``, then review.json and the journal are checked against it and
        replayed. Anything wrong is one sentence. ``hold``: this is the session that edits
        the review, and no other may open the run so until ``close`` or ``release``."""
        if not isinstance(run, Run):
            run = Run.open(run)
        if run.dir is None:
            raise UserError("A run is reviewed in its folder: run it with out= first.")
        run_dir = run.dir
        state = cls(run_dir, _segments(run), run)
        if hold:
            state._journal.hold()
        try:
            sizes = state.sizes()
            words = state.words()
            state._journal.words = words
            state._lost = {}
            snapshot, replay, seen = _read_review(run_dir)
            if snapshot is not None:
                problem = snapshot_problem(snapshot, sizes, words)
                if problem:
                    what = (  # a review of another run goes back to its run
                        "move it back beside its run"
                        if problem == OTHER_WORDS
                        else "restore it from a copy"
                    )
                    raise InputError(
                        f"{run_dir / SNAPSHOT} is not a review of this run ({problem}): {what}, "
                        "or delete it to start the review over."
                    )
                state._restore(snapshot)
            for n, entry in zip(replay.lines, replay.entries, strict=True):
                problem = change_problem(entry, sizes, words)
                if problem == OTHER_WORDS:
                    raise InputError(
                        f"{run_dir / JOURNAL} is the journal of another run's review ({problem}): "
                        "move it back beside its run, or delete it to drop its edits."
                    )
                if problem:
                    raise InputError(
                        f"line {n} of {run_dir / JOURNAL} is not a review entry ({problem}): fix "
                        "or delete that line; the lines before it hold the review so far."
                    )
            for entry in replay.entries:
                state._replay(entry)
            state.torn = replay.torn
            state.left_out = sum(v is not None for v in state._lost.values())
            for (index, finding), verdict in state._lost.items():
                if verdict is not None:
                    state.aside.setdefault(index, []).append([json.loads(finding), verdict])
            state._lost = None
            if not hold:  # read without holding: its first write checks nothing changed
                state._journal.seen = seen
        except BaseException:
            state.release()  # a review that cannot be opened holds nothing
            raise
        return state

    def sizes(self) -> dict[tuple[int, str], tuple[int, int]]:
        """(source words, target words) of each (segment, side) under review."""
        return {
            (s.index, side): (len(a.src_words), len(a.tgt_words))
            for s in self.segments
            for side, a in s.sides.items()
        }

    def words(self) -> str:
        """The ``words_fingerprint`` of the words under review, which review.json and the
        journal name."""
        return words_fingerprint([
            (s.index, side, [w.text for w in a.src_words], [w.text for w in a.tgt_words])
            for s in self.segments
            for side, a in s.sides.items()
        ])  # fmt: skip

    def close(self) -> None:
        """Compact: the whole state to review.json atomically, then an empty journal; then
        let go of the run."""
        try:
            self._journal.take_hold()
            write_snapshot(self.run_dir, self.snapshot())
        finally:
            self._journal.close()

    def release(self) -> None:
        """Let go of the journal without writing anything (a read-only use, such as an
        export, leaves the run directory as it found it)."""
        self._journal.close()

    def snapshot(self) -> dict:
        out: dict = {"schema": REVIEW_SCHEMA, "words": self.words(), "position": self.position}
        for side, key in SNAPSHOT_KEYS.items():
            out[key] = {
                str(s.index): {
                    "status": a.status,
                    "note": a.note,
                    "links": [
                        [i, j, x["sure"], x["confidence"]] for (i, j), x in sorted(a.links.items())
                    ],
                    **(
                        {
                            "verdicts": {str(n): v for n, v in sorted(a.verdicts.items())},
                            "verdict_findings": {
                                str(n): finding_id(s.findings[n]) for n in sorted(a.verdicts)
                            },
                        }
                        if a.verdicts
                        else {}
                    ),  # fmt: skip
                    **(
                        {"verdicts_aside": self.aside[s.index]}
                        if side == HYP and self.aside.get(s.index)
                        else {}
                    ),  # fmt: skip
                }
                for s in self.segments
                if (a := s.sides.get(side)) is not None
            }
        return out

    def _restore(self, snapshot: dict) -> None:
        """Take a snapshot that ``snapshot_problem`` has passed."""
        for side, key in SNAPSHOT_KEYS.items():
            for index, data in snapshot.get(key, {}).items():
                seg = self.by_index.get(int(index))
                a = seg.sides.get(side) if seg is not None else None
                if a is None:
                    continue
                a.status, a.note = data["status"], data["note"]
                a.links = {
                    (i, j): {"sure": sure, "confidence": c} for i, j, sure, c in data["links"]
                }
                if side == HYP:  # a verdict on a finding the run does not have is left out
                    named = data.get("verdict_findings")
                    named = named if isinstance(named, dict) else {}
                    a.verdicts = {}
                    for n, v in data.get("verdicts", {}).items():
                        at = self._finding_at(seg, int(n), named.get(n))
                        if at is not None:
                            a.verdicts[at] = v
                        else:
                            self._left_out(seg.index, named.get(n) or {"place": int(n)}, v)
                    for named_aside, v in data.get("verdicts_aside", []):
                        at = (
                            self._finding_at(seg, -1, named_aside)
                            if isinstance(named_aside, list)
                            else self._finding_at(
                                seg, named_aside["place"], None, named_aside.get("check")
                            )
                        )
                        if at is not None and at not in a.verdicts:
                            a.verdicts[at] = v  # its finding is back
                        else:
                            self._left_out(seg.index, named_aside, v)
        position = snapshot.get("position")
        if position is not None:
            self.position = {**position, "side": position.get("side", HYP)}

    # -- lookup -------------------------------------------------------------------------

    def has(self, seg_index: int, side: str) -> bool:
        seg = self.by_index.get(seg_index)
        return seg is not None and side in seg.sides

    def aligned(self, seg_index: int, side: str = HYP) -> Aligned:
        """One side of one segment; a ``KeyError`` when the segment has no such side."""
        seg = self.by_index[seg_index]
        if side not in seg.sides:
            raise KeyError(f"segment {seg_index} has no {SIDE_NAMES.get(side, side)} alignment")
        return seg.sides[side]

    # -- queue --------------------------------------------------------------------------

    def queue(
        self, role: str | None = None, status: str | None = None, side: str = HYP
    ) -> list[int]:
        """Indices of the segments that have ``side``, worst first: the segments with
        findings first (by their worst finding: errors, then warnings, then info), then
        lowest alignment confidence, then lowest chrF++. The findings are the translation's:
        the reference side's queue is by its own alignment's confidence, then chrF++."""
        chosen = [
            s for s in self.segments
            if side in s.sides and (role is None or s.role == role)
            and (status is None or s.sides[side].status == status)
        ]  # fmt: skip
        chosen.sort(
            key=lambda s: (
                s.worst if side == HYP else 0,
                s.sides[side].confidence,
                s.chrf if s.chrf is not None else 1e9,
                s.index,
            )
        )  # fmt: skip
        return [s.index for s in chosen]

    def count(self, side: str = HYP) -> int:
        """How many segments have ``side`` to review."""
        return sum(side in s.sides for s in self.segments)

    def remaining(self, side: str = HYP) -> int:
        return sum(side in s.sides and s.sides[side].status == "todo" for s in self.segments)

    # -- edits (each one journaled before it takes effect) ---------------------------------

    def _do(self, entry: dict) -> None:
        """Apply a change of one side's links/status/note; ``entry`` has before/after."""
        a = self.by_index[entry["seg"]].sides[entry.get("side", HYP)]
        for change in entry["changes"]:
            if change["what"] == "link":
                key = (change["src"], change["tgt"])
                if change["after"] is None:
                    a.links.pop(key, None)
                else:
                    a.links[key] = dict(change["after"])
            elif change["what"] == "status":
                a.status = change["after"]
            elif change["what"] == "note":
                a.note = change["after"]
            elif change["what"] == "finding":
                seg = self.by_index[entry["seg"]]
                named, place = change.get("id"), change["finding"]
                check = change.get("check")
                n = self._finding_at(seg, place, named, check)
                if n is None:
                    by_place = {"place": place, **({"check": check} if check else {})}
                    self._left_out(seg.index, named or by_place, change["after"])
                    continue
                if change["after"] is None:
                    a.verdicts.pop(n, None)
                else:
                    a.verdicts[n] = change["after"]

    def _apply(self, seg_index: int, side: str, changes: list[dict], kind: str = "edit") -> None:
        changes = [c for c in changes if c["before"] != c["after"]]
        if not changes:
            return
        entry = {"t": "change", "kind": kind, "seg": seg_index, "side": side, "changes": changes}
        self._journal.append(entry)  # on disk first
        self._replay(entry)

    def _replay(self, entry: dict) -> None:
        if entry.get("t") == "position":
            self.position = {
                "segment": entry["segment"], "cursor": entry.get("cursor"),
                "side": entry.get("side", HYP),
            }  # fmt: skip
            return
        # A change of a segment or side this run does not have is left out (as on open).
        if entry.get("t") != "change" or not self.has(entry.get("seg"), entry.get("side", HYP)):
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

    @staticmethod
    def side_of(entry: dict) -> str:
        """The side a journal entry changes (entries written without one are of ``hyp``)."""
        return entry.get("side", HYP)

    def undo(self) -> int | None:
        """Undo the last edit (of whichever side); returns the segment it touched."""
        if not self.undo_stack:
            return None
        entry = self.undo_stack[-1]
        self._apply(entry["seg"], self.side_of(entry), self._inverse(entry), kind="undo")
        return entry["seg"]

    def redo(self) -> int | None:
        if not self.redo_stack:
            return None
        entry = self.redo_stack[-1]
        self._apply(
            entry["seg"], self.side_of(entry), [dict(c) for c in entry["changes"]], kind="redo"
        )
        return entry["seg"]

    @staticmethod
    def _link_change(a: Aligned, i: int, j: int, after: dict | None) -> dict:
        before = a.links.get((i, j))
        return {"what": "link", "src": i, "tgt": j, "before": before, "after": after}

    def add_link(self, seg_index: int, i: int, j: int, sure: bool = True, side: str = HYP) -> None:
        a = self.aligned(seg_index, side)
        if not (0 <= i < len(a.src_words) and 0 <= j < len(a.tgt_words)):
            raise IndexError(f"no word pair {i}-{j} in segment {seg_index}")
        change = self._link_change(a, i, j, {"sure": sure, "confidence": 1.0})
        self._apply(seg_index, side, [change])

    def remove_link(self, seg_index: int, i: int, j: int, side: str = HYP) -> None:
        a = self.aligned(seg_index, side)
        self._apply(seg_index, side, [self._link_change(a, i, j, None)])

    def toggle_link(self, seg_index: int, i: int, j: int, side: str = HYP) -> None:
        if (i, j) in self.aligned(seg_index, side).links:
            self.remove_link(seg_index, i, j, side=side)
        else:
            self.add_link(seg_index, i, j, side=side)

    def set_sure(self, seg_index: int, i: int, j: int, sure: bool, side: str = HYP) -> None:
        a = self.aligned(seg_index, side)
        old = a.links.get((i, j))
        if old is not None:
            self._apply(seg_index, side, [self._link_change(a, i, j, {**old, "sure": sure})])

    def toggle_sure(self, seg_index: int, i: int, j: int, side: str = HYP) -> None:
        old = self.aligned(seg_index, side).links.get((i, j))
        if old is not None:
            self.set_sure(seg_index, i, j, not old["sure"], side=side)

    def set_status(self, seg_index: int, status: str, side: str = HYP) -> None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        a = self.aligned(seg_index, side)
        self._apply(seg_index, side, [{"what": "status", "before": a.status, "after": status}])

    def set_note(self, seg_index: int, note: str, side: str = HYP) -> None:
        if not (isinstance(note, str) and is_utf8(note)):
            raise UserError("a note is text that UTF-8 can write (no lone surrogate)")
        a = self.aligned(seg_index, side)
        self._apply(seg_index, side, [{"what": "note", "before": a.note, "after": note}])

    def _left_out(self, seg_index: int, finding, verdict) -> None:
        """A verdict on a finding this run does not have, while the review is read."""
        if self._lost is not None:
            self._lost[(seg_index, json.dumps(finding, sort_keys=True))] = verdict

    @staticmethod
    def _finding_at(seg: Segment, n: int, named=None, check=None) -> int | None:
        """The place, among the segment's findings, of the one a verdict was given on (None:
        the run does not have it): found by its identity (``finding_id``) when the review
        recorded one, wherever it now stands; else at place ``n``, if its check's name is
        the one recorded (verdicts written without either are taken by place)."""
        ids = [finding_id(f) for f in seg.findings]
        if named is not None:
            if 0 <= n < len(ids) and ids[n] == named:
                return n
            return ids.index(named) if named in ids else None
        if not 0 <= n < len(seg.findings):
            return None
        return n if check is None or check == seg.findings[n].check else None

    @property
    def notes(self) -> list[str]:
        """What the person should know about the review as opened (besides ``torn``)."""
        if not self.left_out:
            return []
        why = (
            "this run was made without the checks (--no-checks)"
            if not self.run.checked
            else "a run made again can have other findings: those drawn from the links "
            "change with them, and the statistical aligner draws its links anew on every run"
        )
        return [
            f"{self.left_out} verdict(s) on findings this run does not have were left out "
            f"({why}); review.json keeps them, for a run that has their findings"
        ]

    def set_verdict(self, seg_index: int, finding: int, verdict: str | None) -> None:
        """A person's verdict on finding ``finding`` of a segment: ``right``, ``wrong``, or
        None (not judged); journaled like any edit, and undoable."""
        if verdict is not None and verdict not in VERDICTS:
            raise ValueError(f"a verdict is one of {VERDICTS} or None")
        seg = self.by_index[seg_index]
        if not 0 <= finding < len(seg.findings):
            raise IndexError(f"segment {seg_index} has no finding {finding}")
        change = {
            "what": "finding", "finding": finding, "check": seg.findings[finding].check,
            "id": finding_id(seg.findings[finding]),
            "before": seg.hyp.verdicts.get(finding), "after": verdict,
        }  # fmt: skip
        self._apply(seg_index, HYP, [change])

    def with_findings(self) -> list[int]:
        """The segments that have findings, in the order of the queue (worst first)."""
        return [i for i in self.queue() if self.by_index[i].findings]

    def span_of(self, seg_index: int, end: str, word: int, side: str = HYP) -> int | None:
        """The index (in ``spans()``) of the span holding word ``word`` of ``end`` (``src``
        or ``tgt``), if any."""
        a = self.aligned(seg_index, side)
        pos = a.words(end)[word].start
        for k, sp in enumerate(a.spans()):
            lo, hi = sp.src if end == "src" else sp.tgt
            if lo <= pos < hi:
                return k
        return None

    @staticmethod
    def _span_words(a: Aligned, k: int) -> tuple[list[int], list[int]]:
        sp = a.spans()[k]
        src = [n for n, w in enumerate(a.src_words) if sp.src[0] <= w.start < sp.src[1]]
        tgt = [n for n, w in enumerate(a.tgt_words) if sp.tgt[0] <= w.start < sp.tgt[1]]
        return src, tgt

    def merge_spans(self, seg_index: int, k: int, side: str = HYP) -> None:
        """Merge span ``k`` with the next one (by source order) into one span pair: a link
        from the first span's first source word to the second span's first target word
        joins them (span pairs are the connected, consistent boxes of the links)."""
        a = self.aligned(seg_index, side)
        spans = a.spans()
        if not 0 <= k < len(spans) - 1:
            return
        src_a, _ = self._span_words(a, k)
        _, tgt_b = self._span_words(a, k + 1)
        if src_a and tgt_b:
            i, j = src_a[0], tgt_b[0]
            change = self._link_change(a, i, j, {"sure": True, "confidence": 1.0})
            self._apply(seg_index, side, [change])

    def split_span(self, seg_index: int, word: int, side: str = HYP) -> None:
        """Split the span holding source word ``word`` after it into two span pairs.

        The source side is cut after ``word``; the target side is cut where removing the
        fewest (least confident) links separates the halves, pairing the halves either in
        order or crossed (Arabic and English order often differ). Both halves must keep a
        link; if no cut allows that, nothing changes.
        """
        a = self.aligned(seg_index, side)
        k = self.span_of(seg_index, "src", word, side=side)
        if k is None:
            return
        src, tgt = self._span_words(a, k)
        left = {i for i in src if i <= word}
        inside = [(i, j) for (i, j) in a.links if i in src and j in tgt]
        best = None
        for cut in range(1, len(tgt)):
            first = set(tgt[:cut])
            for crossed in (False, True):
                keep = {(i, j) for i, j in inside if (i in left) == ((j in first) != crossed)}
                kept = [x for x in inside if x in keep]
                if not any(i in left for i, _ in kept) or all(i in left for i, _ in kept):
                    continue
                removed = [x for x in inside if x not in keep]
                cost = sum(a.links[x]["confidence"] for x in removed)
                if best is None or cost < best[0]:
                    best = (cost, removed)
        if best is not None:
            changes = [self._link_change(a, i, j, None) for i, j in sorted(best[1])]
            self._apply(seg_index, side, changes)

    def move(self, seg_index: int, cursor: Iterable | None = None, side: str = HYP) -> None:
        """Remember where the reviewer is (journaled, not undoable)."""
        position = {
            "segment": seg_index, "cursor": list(cursor) if cursor is not None else None,
            "side": side,
        }  # fmt: skip
        if position != self.position:
            # (the app has moved: only where the reviewer is goes unsaved)
            self._journal.append(
                {"t": "position", **position}, not_made="where you are was not saved"
            )
            self.position = position
