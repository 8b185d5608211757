"""The review journal: every edit appended at once, replayed on open, compacted on close.

``review.journal.jsonl`` beside the run holds one JSON object a line, written and fsynced
before the edit is shown, so killing the app at any moment loses nothing that was on the
screen. On a clean exit the state is written atomically to ``review.json`` (snapshot) and
the journal is emptied; on open the snapshot is read and the journal replayed on top. A
line cut off by a crash (no final newline, or not JSON) is reported and skipped; every
complete line is replayed. A journal begins with ``{"t": "run", "words": SHA}`` and
review.json holds ``"words": SHA`` (``words_fingerprint``): the words the review's indices
point at, so that a review moved beside a run of other words is refused; journals and
snapshots written before they named their words are read as they are.

A change names the side of the segment it edits: ``"side": "hyp"`` (the source aligned
with the translation) or ``"ref"`` (aligned with the reference); a change without one is of
``hyp``, so journals written before there were two sides replay as they were. review.json
(schema 2) keeps the translation side's review under ``segments`` and the reference side's
under ``reference_segments``; a schema 1 review.json (``segments`` only) is read too.

A person's verdict on a finding of the translation checks (``align.checks``) is a change
too, of the translation side: ``{"what": "finding", "finding": N, "check": NAME, "before":
V, "after": V}``, where N is the finding's place among the segment's findings (as the run's
records hold them) and V is ``"right"``, ``"wrong"`` or null (not judged); it is undone and
redone like any edit. review.json keeps the verdicts of a segment under ``"verdicts"``
(``{"N": "right"}``), written only when there are some, so a review without verdicts is
written as before; journals and snapshots written before there were verdicts replay as
they were. A verdict also names its finding (``"id"`` in the journal, ``"verdict_findings"``
in review.json: check, kind and spans): replayed on a run whose finding N is another one
(the statistical aligner draws links anew on every run), it is left out and counted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import weakref
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError, OutputError, UserError
from align.records import (
    REVIEW_JOURNAL,
    REVIEW_SNAPSHOT,
    atomic_write_text,
    is_utf8,
    json_line,
    loads_json,
    lock_folder,
)

JOURNAL = REVIEW_JOURNAL
SNAPSHOT = REVIEW_SNAPSHOT
REVIEW_SCHEMA = 2
READABLE_REVIEW_SCHEMAS = (1, 2)
HYP, REF = "hyp", "ref"
SIDES = (HYP, REF)
SNAPSHOT_SIDES = {"segments": HYP, "reference_segments": REF}
_SIDE_NAMES = {HYP: "translation", REF: "reference"}
OTHER_WORDS = "it was made on other words: a segment's source, translation or reference differs"


def is_place(x: object) -> bool:
    """{"place": N} or {"place": N, "check": NAME}: a verdict recorded without its
    finding's identity, by its place among the segment's findings (and its check's name
    where the journal line named one), set aside in review.json."""
    return (
        isinstance(x, dict)
        and set(x) <= {"place", "check"}
        and _is_int(x.get("place"))
        and x["place"] >= 0
        and isinstance(x.get("check", ""), str)
    )


def is_finding_id(x: object) -> bool:
    """[check, kind, source span or null, translation span or null] (``finding_id``)."""
    return (
        isinstance(x, list)
        and len(x) == 4
        and isinstance(x[0], str)
        and isinstance(x[1], str)
        and all(
            span is None
            or (isinstance(span, list) and len(span) == 2 and all(_is_int(i) for i in span))
            for span in x[2:]
        )
    )


def words_fingerprint(sides: list[tuple[int, str, list[str], list[str]]]) -> str:
    """The SHA-256 of the words under review: (segment, side, source words, target words)
    each. A review names it, so that one moved onto a run of other texts (a run made again
    with another translation), whose word indices would point at other words, is refused."""
    data = json.dumps(sorted(sides), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Replay:
    entries: list[dict]
    torn: str | None  # a description of the torn or unreadable line, if there was one
    lines: tuple[int, ...] = ()  # the journal line of each entry


def _regular_or_absent(path: Path) -> bool:
    """True when ``path`` is a regular file; False when nothing is there; InputError for a
    folder or anything else in its place."""
    if not os.path.lexists(path):
        return False
    if path.is_symlink() or not path.is_file():
        raise InputError(
            f"{path} is not a regular file; move it away so that the review can be kept there."
        )
    return True


def read_journal(run_dir: Path) -> Replay:
    path = run_dir / JOURNAL
    if not _regular_or_absent(path):
        return Replay([], None)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    entries: list[dict] = []
    numbers: list[int] = []
    skipped: list[int] = []
    lines = data.split(b"\n")
    complete, last = lines[:-1], lines[-1]
    for n, raw in enumerate(complete, 1):
        if not raw.strip():
            continue
        try:
            entries.append(loads_json(raw.decode("utf-8")))
            numbers.append(n)
        except (UnicodeDecodeError, ValueError):
            skipped.append(n)
    said = []  # every line skipped is named: each may have held a correction
    if skipped:
        one = len(skipped) == 1
        said.append(
            f"{_line_numbers(skipped)} of {JOURNAL} "
            + ("is not a complete entry and was" if one else "are not complete entries and were")
            + " skipped"
        )
    if last.strip():
        said.append(
            f"the last line of {JOURNAL} was cut off ({len(last)} bytes, no line end) "
            "and was skipped"
        )
    return Replay(entries, "; ".join(said) or None, tuple(numbers))


def _line_numbers(numbers: list[int], shown: int = 10) -> str:
    """ "line 2", "lines 2 and 5", "lines 2, 5, … and 9 more"."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    if len(numbers) > shown:
        return f"lines {', '.join(map(str, numbers[:shown]))} and {len(numbers) - shown} more"
    return f"lines {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


# -- shapes --------------------------------------------------------------------------------
# The journal and the snapshot are ours, but they sit in a folder a person can edit. Each is
# checked against the run before anything is applied, so a damaged one is one sentence, not
# a crash half-way through a replay.

STATUSES = ("todo", "accepted", "flagged")
VERDICTS = ("right", "wrong")  # a person's verdict on a finding
KINDS = ("edit", "undo", "redo")


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_text(x: object) -> bool:
    """A string that UTF-8 can write (a JSON escape can spell a lone surrogate, which no
    export could write back)."""
    return isinstance(x, str) and is_utf8(x)


def _is_confidence(x: object) -> bool:
    """A number from 0 to 1 (NaN compares false; an integer of 400 digits is compared, not
    converted)."""
    return isinstance(x, int | float) and not isinstance(x, bool) and 0 <= x <= 1


def _link_value(x: object) -> bool:
    return x is None or (
        isinstance(x, dict)
        and isinstance(x.get("sure"), bool)
        and _is_confidence(x.get("confidence"))
    )


def link_problem(i: object, j: object, n_src: int, n_tgt: int) -> str | None:
    if not (_is_int(i) and _is_int(j)):
        return "a link needs whole-number src and tgt word indices"
    if not (0 <= i < n_src and 0 <= j < n_tgt):
        return f"the link {i}-{j} is outside the segment's {n_src} and {n_tgt} words"
    return None


Sizes = dict[tuple[int, str], tuple[int, int]]  # (segment, side) -> (source, target words)


def position_problem(entry: dict) -> str | None:
    seg, cursor = entry.get("segment"), entry.get("cursor")
    if "segment" not in entry or (seg is not None and not _is_int(seg)):
        return "a position names its segment by number"
    if cursor is not None and not (
        isinstance(cursor, list) and len(cursor) == 2 and cursor[0] in ("src", "tgt")
        and _is_int(cursor[1])
    ):  # fmt: skip
        return "a cursor is [side, word]"
    if entry.get("side", HYP) not in SIDES:
        return f"a side is one of {', '.join(SIDES)}"
    return None


def change_problem(entry: object, sizes: Sizes, words: str | None = None) -> str | None:
    """What is wrong with a journal entry (None when nothing is); ``sizes`` gives each
    (segment, side)'s (source words, target words): a change of a segment or side the run
    has not belongs to another run (a verdict on a finding it has not is left out when
    replayed, as findings come from links that a statistical aligner draws anew);
    ``words``, the run's ``words_fingerprint``, which a ``"t": "run"`` entry must name."""
    if not isinstance(entry, dict):
        return "an entry is a JSON object"
    if entry.get("t") == "position":
        return position_problem(entry)
    if entry.get("t") == "run":
        if not isinstance(entry.get("words"), str):
            return 'a "run" entry names the words reviewed'
        if words is not None and entry["words"] != words:
            return OTHER_WORDS
        return None
    if entry.get("t") != "change":
        return 'an entry has "t": "change", "position" or "run"'
    if entry.get("kind", "edit") not in KINDS or not _is_int(entry.get("seg")):
        return "a change has a kind (edit, undo, redo) and a segment number"
    side = entry.get("side", HYP)
    if side not in SIDES:
        return f"a change's side is one of {', '.join(SIDES)}"
    changes = entry.get("changes")
    if not isinstance(changes, list) or not changes:
        return "a change lists its changes"
    key = (entry["seg"], side)
    if key not in sizes:
        return f"segment {entry['seg']} has no {_SIDE_NAMES[side]} under review in this run"
    n_src, n_tgt = sizes[key]
    for c in changes:
        if not isinstance(c, dict) or "before" not in c or "after" not in c:
            return "each change has what, before and after"
        what = c.get("what")
        if what == "link":
            problem = link_problem(c.get("src"), c.get("tgt"), n_src, n_tgt)
            if problem:
                return problem
            if not (_link_value(c["before"]) and _link_value(c["after"])):
                return "a link's before and after are null or {sure, confidence}"
        elif what == "status":
            if c["before"] not in STATUSES or c["after"] not in STATUSES:
                return f"a status is one of {', '.join(STATUSES)}"
        elif what == "note":
            if not (_is_text(c["before"]) and _is_text(c["after"])):
                return "a note is text"
        elif what == "finding":
            if side != HYP or not _is_int(c.get("finding")) or c["finding"] < 0:
                return "a verdict names a finding of the translation side by number"
            if c["before"] not in (None, *VERDICTS) or c["after"] not in (None, *VERDICTS):
                return f"a verdict is one of {', '.join(VERDICTS)} or null"
            if "id" in c and not is_finding_id(c["id"]):
                return "a verdict's id is not [check, kind, source span, translation span]"
            if "check" in c and not isinstance(c["check"], str | None):
                return "a verdict's check is the name of a check"
        else:
            return "a change is of a link, a status, a note or a finding"
    return None


def _side_problem(segments: object, side: str, sizes: Sizes) -> str | None:
    if not isinstance(segments, dict):
        return "its segments are not an object of segment numbers"
    for key, seg in segments.items():
        if not re.fullmatch(r"-?[0-9]{1,9}", key):  # (int() refuses 4,300 digits and more)
            shown = key if len(key) <= 24 else key[:24] + "…"
            return f"{shown!r} is not a segment number"
        if not isinstance(seg, dict):
            return f"segment {key} is not an object"
        if seg.get("status") not in STATUSES:
            return f"segment {key} has no status among {', '.join(STATUSES)}"
        if not _is_text(seg.get("note")):
            return f"segment {key} has no note text"
        links = seg.get("links")
        if not isinstance(links, list):
            return f"segment {key} has no list of links"
        verdicts = seg.get("verdicts", {})
        if not isinstance(verdicts, dict) or not all(
            re.fullmatch(r"[0-9]{1,9}", n) and v in VERDICTS for n, v in verdicts.items()
        ):
            return f"segment {key} has verdicts that are not {{finding: right or wrong}}"
        named = seg.get("verdict_findings", {})
        if not isinstance(named, dict) or not all(is_finding_id(x) for x in named.values()):
            return (
                f"segment {key} has verdict_findings that are not "
                "[check, kind, source span, translation span]"
            )
        aside = seg.get("verdicts_aside", [])
        if not isinstance(aside, list) or not all(
            isinstance(x, list)
            and len(x) == 2
            and (is_finding_id(x[0]) or is_place(x[0]))
            and x[1] in VERDICTS
            for x in aside
        ):
            return f"segment {key} has verdicts_aside that are not [finding, verdict] pairs"
        if (int(key), side) not in sizes:  # another run's review
            return f"segment {key} has no {_SIDE_NAMES[side]} under review in this run"
        n_src, n_tgt = sizes[(int(key), side)]
        for link in links:
            if not (isinstance(link, list) and len(link) == 4):
                return f"segment {key} has a link that is not [src, tgt, sure, confidence]"
            i, j, sure, confidence = link
            if not (isinstance(sure, bool) and _is_confidence(confidence)):
                return f"segment {key} has a link that is not [src, tgt, sure, confidence]"
            problem = link_problem(i, j, n_src, n_tgt)
            if problem:
                return f"segment {key}: {problem}"
    return None


def snapshot_problem(data: object, sizes: Sizes, words: str | None = None) -> str | None:
    """What is wrong with a review.json (None when nothing is); ``sizes`` and ``words`` as
    for ``change_problem`` (a review.json written before it named its words has none)."""
    if not isinstance(data, dict):
        return "it is not a JSON object"
    if "words" in data and not isinstance(data["words"], str):
        return 'its "words" is not the text of a SHA-256'
    if "words" in data and words is not None and data["words"] != words:
        return OTHER_WORDS
    if data.get("schema") not in READABLE_REVIEW_SCHEMAS:
        return (
            f"it has review schema {data.get('schema')!r}, and this arabic-align reads "
            f"{' and '.join(map(str, READABLE_REVIEW_SCHEMAS))}"
        )
    position = data.get("position")
    if position is not None and (not isinstance(position, dict) or position_problem(position)):
        return "its position is not {segment, cursor, side}"
    for key, side in SNAPSHOT_SIDES.items():
        problem = _side_problem(data.get(key, {}), side, sizes)
        if problem:
            return problem if side == HYP else f"{key}: {problem}"
    return None


class Journal:
    """Appends entries to the journal file, one fsynced line each; ``hold`` keeps other
    review sessions off the run while this one is open."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.path = run_dir / JOURNAL
        self._fd: int | None = None
        self._lock: int | None = None
        self._torn = True  # the file's last line is checked before the first entry
        self._held = False  # ``hold`` was called (a file system without locks holds none)
        # The review files as this session read them (``review_stamps``), when it read
        # them without holding the run: its first write holds it and checks they are so.
        self.seen: tuple | None = None
        self.words: str | None = None  # the run's words_fingerprint, named atop a new journal
        # The descriptors open now, closed when this object goes if ``close`` never came
        # (a review used from Python and dropped must not keep the run held).
        self._open: list[int] = []
        weakref.finalize(self, _close_all, self._open)

    def hold(self) -> None:
        """Hold the run's review: a lock on the run folder (``lock_folder``). A second
        session would write its edits into a journal the first one compacts away, so it is
        refused in one sentence. A file system without locks is used without one."""
        if self._lock is not None:
            return
        try:
            self._lock = lock_folder(self.run_dir)
            self._open.append(self._lock)
        except BlockingIOError:
            raise UserError(
                f"{self.run_dir} is open in another review; close that one first (one review "
                "of a run at a time, so that no edit is lost)"
            ) from None
        except OSError:
            pass  # a file system without locks (the run's readers report an unreadable one)
        self._held = True

    def take_hold(self) -> None:
        """Before this session's first write: hold the run, and make sure no other session
        changed its review since this one read it, or this one's writes would bury those
        changes (a compaction by another session also replaces the journal this one would
        append to)."""
        if self._held:
            return
        self.hold()
        if self.seen is not None and review_stamps(self.run_dir) != self.seen:
            self._let_go()
            raise UserError(
                f"the review of {self.run_dir} was changed by another session since this one "
                "opened it; open it again to go on from those changes (this change was not "
                "made)"
            )

    def append(self, entry: dict, not_made: str = "the last change was not made") -> None:
        """Append and sync one entry; a file system that refuses raises ``OutputError`` (and
        the edit, not yet applied, is not shown), its sentence ending with ``not_made``. A
        line written in part (a full disk) is taken back, or at worst ended before the next
        entry, so no later entry is glued to it."""
        self.take_hold()
        data = (json_line(entry, separators=(",", ":")) + "\n").encode("utf-8")
        size = None
        if self._fd is not None and not self._still_named():
            raise OutputError(
                f"the review journal {self.path} was removed or replaced while this review "
                f"was open, and {not_made}; quit (q), which writes the whole "
                "review as shown to review.json, then open it again"
            )
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
                self._open.append(self._fd)
            if self._torn:
                self._repair_tail()
            size = os.fstat(self._fd).st_size
            if size == 0 and self.words is not None:  # which run's words the lines point at
                data = json_line({"t": "run", "words": self.words}).encode("utf-8") + b"\n" + data
            written = 0
            while written < len(data):  # os.write may write less than asked (a full disk)
                written += os.write(self._fd, data[written:])
            os.fsync(self._fd)
        except OSError as exc:
            self._take_back(size)
            raise OutputError(
                f"cannot save the review in {self.path}: {exc.strerror or exc}; {not_made}"
            ) from exc

    def _still_named(self) -> bool:
        """Whether the journal's path still names the file this session appends to: one
        removed (git clean) or replaced (an editor saving by rename) takes every later
        entry into a file no one can open, where a kill would lose them."""
        try:
            open_now, named = os.fstat(self._fd), os.stat(self.path)
        except OSError:
            return False
        return (open_now.st_dev, open_now.st_ino) == (named.st_dev, named.st_ino)

    def _take_back(self, size: int | None) -> None:
        """Cut the journal back to ``size`` after a failed append; if even that fails, the
        next append ends the torn line first."""
        self._torn = True
        if self._fd is None or size is None:
            return
        try:
            os.ftruncate(self._fd, size)
            os.fsync(self._fd)
            self._torn = False
        except OSError:
            pass

    def _repair_tail(self) -> None:
        """A torn last line (no newline) gets one, so the next entry starts a line of its own."""
        size = os.fstat(self._fd).st_size
        if size:
            with open(self.path, "rb") as f:
                f.seek(size - 1)
                if f.read(1) != b"\n":
                    os.write(self._fd, b"\n")
        self._torn = False

    def close(self) -> None:
        """Close the journal and let go of the run. When this session held it, the review
        files as it leaves them are its ``seen``: a later write by the same object holds the
        run again only when no other session has changed them meanwhile. (A session refused
        keeps what it saw, so a second try is refused too.)"""
        held = self._held
        self._let_go()
        if held:
            self.seen = review_stamps(self.run_dir)

    def _let_go(self) -> None:
        self._fd = self._lock = None
        _close_all(self._open)
        self._torn = True
        self._held = False


def _close_all(descriptors: list[int]) -> None:
    while descriptors:
        with contextlib.suppress(OSError):
            os.close(descriptors.pop())


def _stamp(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def review_stamps(run_dir: Path) -> tuple:
    """What tells whether review.json or the journal changed: inode, time and size of each."""
    return _stamp(run_dir / SNAPSHOT), _stamp(run_dir / JOURNAL)


def write_snapshot(run_dir: Path, state: dict) -> None:
    """Write the whole review state atomically, then empty the journal (compaction)."""
    atomic_write_text(run_dir / SNAPSHOT, json_line(state, indent=1) + "\n")
    journal = run_dir / JOURNAL
    if journal.exists():
        # The snapshot holds every entry now; if emptying the journal fails, replaying it on
        # top of the snapshot gives the same state, so nothing is lost either way.
        atomic_write_text(journal, "")


def read_snapshot(run_dir: Path) -> dict | None:
    path = run_dir / SNAPSHOT
    if not _regular_or_absent(path):
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:  # the file may be whole: never advise deleting a review unread
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    except ValueError:  # not UTF-8
        text = None
    try:
        data = loads_json(text) if text is not None else None
    except ValueError:
        text = None
    if text is None:
        raise InputError(f"{path} is not valid JSON: restore it or delete it to start over.")
    if not isinstance(data, dict):
        raise InputError(
            f"{path} is not a review (not a JSON object): restore it or delete it to start over."
        )
    return data
