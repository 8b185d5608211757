"""A run directory read back into objects: the one reader of what ``run`` and ``batch`` write.

``Run.open(dir)`` checks a run once (the manifest's schema version, that every file it
lists is there with its SHA-256, every field's type, every index and offset) and gives typed
objects: segments with their source text, translation and reference, both alignments
(words and units with their text and offsets), the findings of the translation checks
(``align.checks``; schema 3), the document alignment, the scores with their signatures,
the warnings, and the review when there is one. The report, the review,
``compare`` and ``batch`` read runs only through it. Anything wrong is one ``RunError``
sentence naming the file and what is wrong.

Offsets: a segment's ``start``/``end`` point into the article; inside a segment every
offset (tokens, words, span pairs) points into that segment's own strings (``source``,
``hypothesis``, ``reference``), so ``segment.source[w.start:w.end]`` is a source word.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from align.checks.base import SEVERITIES, Finding
from align.errors import InputError
from align.links.base import Alignment, Link, SpanPair, Token
from align.records import (
    BATCH_FILES,
    MANIFEST,
    READABLE_SCHEMAS,
    RUN_FILES,
    SCHEMA_VERSION,
    is_utf8,
    jsonl_rows,
    loads_json,
    sha256_file,
)

SEGMENTS = "segments.jsonl"
SCORES = "scores.json"
DOCALIGN = "docalign.json"
METRICS = ("bleu", "chrf", "ter")


class RunError(InputError):
    """A run directory that cannot be read: unfinished, damaged, foreign or too old."""


@dataclass(frozen=True)
class Word:
    """A word or unit of one side of a pair: ``text`` is ``side[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class PairAlignment:
    """One stored alignment of a segment (source↔translation or source↔reference), with the
    two texts it points into. ``alignment`` keeps the aligner's own objects (units, links,
    span pairs, unit→word maps); the properties give them with their text."""

    source: str
    target: str
    alignment: Alignment

    @property
    def method(self) -> str:
        return self.alignment.method

    @property
    def links(self) -> tuple[Link, ...]:
        """Links between units (``src_units``/``tgt_units`` indices)."""
        return self.alignment.links

    @property
    def spans(self) -> tuple[SpanPair, ...]:
        return self.alignment.spans

    @property
    def src_units(self) -> tuple[Word, ...]:
        return _words(self.source, self.alignment.src_tokens)

    @property
    def tgt_units(self) -> tuple[Word, ...]:
        return _words(self.target, self.alignment.tgt_tokens)

    @property
    def src_words(self) -> tuple[Word, ...]:
        return _words(self.source, self.alignment.src_words or self.alignment.src_tokens)

    @property
    def tgt_words(self) -> tuple[Word, ...]:
        return _words(self.target, self.alignment.tgt_words or self.alignment.tgt_tokens)

    @property
    def src_unit_word(self) -> tuple[int, ...]:
        return self.alignment.src_word or tuple(range(len(self.alignment.src_tokens)))

    @property
    def tgt_unit_word(self) -> tuple[int, ...]:
        return self.alignment.tgt_word or tuple(range(len(self.alignment.tgt_tokens)))

    def word_links(self) -> dict[tuple[int, int], Link]:
        """Links between words, by ``Alignment.word_links``'s rule."""
        return self.alignment.word_links()


def _words(text: str, tokens: tuple[Token, ...]) -> tuple[Word, ...]:
    return tuple(Word(text[t.start : t.end], t.start, t.end) for t in tokens)


@dataclass(frozen=True)
class Segment:
    """One segment of the article as the run recorded it."""

    index: int
    line: int
    role: str
    start: int  # offsets of the segment in the article
    end: int
    translated: bool
    source: str
    hypothesis: str | None
    reference: str | None
    alignment: PairAlignment | None
    reference_alignment: PairAlignment | None
    scores: dict[str, float | None] | None  # sentence bleu, chrf, ter
    bead: int | None = None
    # The translation checks' findings, worst first (offsets into ``source`` and
    # ``hypothesis``); empty when none were found or the run was not checked (``checked``).
    findings: tuple[Finding, ...] = ()
    checked: bool = False  # whether the run's records hold this segment's findings


@dataclass(frozen=True)
class Score:
    """A corpus score with sacrebleu's own string and signature."""

    name: str
    score: float
    text: str
    signature: str


@dataclass(frozen=True)
class Scores:
    bleu: Score | None
    chrf: Score | None
    ter: Score | None
    sentence_signatures: dict[str, str]
    sacrebleu_cli: str | None
    segments: int | None
    note: str | None = None

    def __iter__(self) -> Iterator[Score]:
        return iter(s for s in (self.bleu, self.chrf, self.ter) if s is not None)

    def as_dict(self) -> dict[str, float]:
        return {s.name: s.score for s in self}


@dataclass(frozen=True)
class Bead:
    """A group of translated segments (indices into the translated segments) and the
    reference sentences they correspond to."""

    hyp: tuple[int, ...]
    ref: tuple[int, ...]
    kind: str
    similarity: float


@dataclass(frozen=True)
class DocumentAlignment:
    """How a reference in its own segmentation was matched to the translated segments."""

    method: str
    beads: tuple[Bead, ...]
    reference_texts: tuple[str, ...]
    summary: dict[str, Any]  # similarity levels, unmatched lists, notes

    def pairs(self, hyps: list[str]) -> list[tuple[tuple[int, ...], str]]:
        """(translated segment indices, joined reference sentences) of each paired bead."""
        return [
            (b.hyp, " ".join(self.reference_texts[j] for j in b.ref if self.reference_texts[j]))
            for b in self.beads
            if b.hyp and b.ref
        ]


@dataclass(frozen=True)
class Run:
    """A run directory read back and checked (``Run.open``): its manifest, every segment
    (``align.run.Segment``, boilerplate included), the corpus scores, the document
    alignment when the reference was in its own segmentation, and the warnings. ``dir``
    is None for a run that was never written (``Pipeline.run`` without ``out``)."""

    dir: Path | None
    schema_version: int
    manifest: dict[str, Any]
    segments: tuple[Segment, ...]
    scores: Scores | None
    document_alignment: DocumentAlignment | None
    warnings: tuple[str, ...]
    complete: bool = True
    _review: Any = field(default=None, compare=False, repr=False)

    # -- reading -----------------------------------------------------------------------

    @classmethod
    def open(cls, run_dir: str | Path) -> Run:
        """The run in ``run_dir``, checked; a ``RunError`` sentence for anything wrong."""
        if isinstance(run_dir, os.PathLike) and isinstance(os.fspath(run_dir), str):
            run_dir = Path(os.fspath(run_dir))
        if not isinstance(run_dir, str | Path):
            raise RunError(f"Run.open takes the path of a run directory, not {run_dir!r}")
        return _read(Path(run_dir))

    # -- views -------------------------------------------------------------------------

    @property
    def translated(self) -> tuple[Segment, ...]:
        """The segments that were translated, in order (what hyp.txt holds)."""
        return tuple(s for s in self.segments if s.translated)

    @property
    def hypotheses(self) -> list[str]:
        return [s.hypothesis or "" for s in self.translated]

    @property
    def references(self) -> list[str] | None:
        """One reference a translated segment (a line reference), else None."""
        rows = self.translated
        if not rows or any(s.reference is None for s in rows):
            return None
        return [s.reference or "" for s in rows]

    @property
    def checked(self) -> bool:
        """Whether the records hold the findings of the translation checks: a run of schema
        3 made with the checks (not ``--no-checks``). Otherwise ``align.checks`` can check
        it on demand (``arabic-align check``)."""
        return self.schema_version >= 3 and isinstance(self.manifest.get("checks"), list)

    @property
    def checks(self) -> tuple[str, ...]:
        """The names of the checks whose findings the records hold (empty when unchecked)."""
        return tuple(self.manifest["checks"]) if self.checked else ()

    @property
    def has_reference(self) -> bool:
        return self.manifest.get("reference") is not None

    @property
    def reference_layout(self) -> str | None:
        return self.manifest.get("reference_layout")

    @property
    def document_id(self) -> str | None:
        return self.manifest.get("document_id")

    @property
    def is_fixture(self) -> bool:
        model = self.manifest.get("model")
        return isinstance(model, dict) and model.get("fixture") is True

    @property
    def translation_groups(self) -> list[tuple[int, ...]]:
        """The translated segments (positions in ``translated``) scored as one pair against
        a line reference: see ``translation_groups`` (a run of schema 3 or before was scored
        segment by segment: each on its own)."""
        translator = self.manifest.get("translator") if self.schema_version >= 4 else None
        return translation_groups(translator, [s.index for s in self.translated])

    def scored_pairs(self) -> list[tuple[tuple[int, ...], str]]:
        """(translated segment indices, reference) of every pair with a reference: each
        group of ``translation_groups`` with its reference lines, joined, or each bead of a
        document reference (a pair too long to score is among them; the run's own scores
        leave it out)."""
        if self.document_alignment is not None:
            return self.document_alignment.pairs(self.hypotheses)
        refs = self.references
        if refs is None:
            return []
        return [(g, joined(refs, g)) for g in self.translation_groups]

    def scored_texts(self) -> list[tuple[str, str]]:
        """(translation, reference) of every pair of ``scored_pairs``, the sentences of a
        bead joined as the run's own scores join them (``aligned.hyp.txt`` and
        ``aligned.ref.txt`` hold those the scores took)."""
        hyps = self.hypotheses
        return [
            (" ".join(hyps[k] for k in indices if hyps[k]), ref)
            for indices, ref in self.scored_pairs()
        ]

    def findings(self, checks=None) -> dict[int, tuple[Finding, ...]]:
        """Each translated segment's findings, worst first, by segment index: the ones the
        records hold, or, for a run whose records hold none (schema 1 or 2, or made with
        ``--no-checks``), the checks' findings now, from its records (nothing is written).
        ``checks``: the checks to run on demand, as check objects or by name (default:
        every check of ``align.checks``)."""
        if self.checked and checks is None:
            return {s.index: s.findings for s in self.translated}
        from align.checks import check_article, inputs_of_run, resolve_checks

        chosen = resolve_checks(checks) if checks is not None else None
        found = check_article(inputs_of_run(self), chosen)
        return {s.index: tuple(f) for s, f in zip(self.translated, found, strict=True)}

    @property
    def review(self):
        """The review state when a review was saved beside the run, else None."""
        from align.review.state import JOURNAL, SNAPSHOT, ReviewState

        if self.dir is None:  # a run in memory, never written
            return None
        if not ((self.dir / SNAPSHOT).is_file() or (self.dir / JOURNAL).is_file()):
            return None
        return ReviewState.open(self)


def translation_groups(translator: Any, indices: list[int]) -> list[tuple[int, ...]]:
    """The translated segments (positions in ``indices``, their segment indices) that are
    scored as one pair against a line reference, in order: the segments of each bead of a
    translation given in document layout (``translator["given"]["beads"]``) whose sentences
    went to one of them, which holds the bead's whole translation while the others are
    empty; every other segment on its own. Scored one by one, such a bead would set its
    translation against one segment's reference line and count the others' lines as not
    translated at all. A bead of a manifest edited by hand that names no segment of the
    run is passed over."""
    given = translator.get("given") if isinstance(translator, dict) else None
    beads = given.get("beads") if isinstance(given, dict) else None
    if not (isinstance(given, dict) and given.get("hyp_layout") == "document"):
        beads = None
    at = {index: k for k, index in enumerate(indices)}
    together = []
    for bead in beads if isinstance(beads, list) else ():
        if not (isinstance(bead, list) and len(bead) == 2 and bead[1]):
            continue  # (a bead with no sentence takes nothing from the others)
        segs = bead[0] if isinstance(bead[0], list) else []
        together.append([at[k] for k in segs if isinstance(k, int) and k in at])
    return merged_groups(len(indices), together)


def scored_by_segment_then(run: Run) -> bool:
    """Whether a run of schema 3 or before was scored segment by segment where schema 4
    joins a bead's segments (``translation_groups``): its scores are of another rule."""
    if run.schema_version >= 4 or run.references is None:
        return False
    groups = translation_groups(run.manifest.get("translator"), [s.index for s in run.translated])
    return len(groups) < len(run.translated)


def merged_groups(n: int, together: Iterable[Iterable[int]]) -> list[tuple[int, ...]]:
    """Positions 0 … n-1 in groups, in order: those of each list of ``together`` in one
    group, with any group that shares a position with it."""
    first = list(range(n))  # union-find: each position's way to its group's first

    def group(k: int) -> int:
        while first[k] != k:
            first[k] = first[first[k]]
            k = first[k]
        return k

    for members in together:
        members = list(members)
        for k in members[1:]:
            a, b = group(members[0]), group(k)
            first[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for k in range(n):
        groups.setdefault(group(k), []).append(k)
    return [tuple(g) for g in groups.values()]


def joined(texts: list[str], group: tuple[int, ...]) -> str:
    """The texts of a group of segments as one (a segment's own text when it is alone)."""
    return " ".join(texts[k] for k in group if texts[k]) if len(group) > 1 else texts[group[0]]


def finding_counts(findings: Iterable[Finding]) -> dict[str, Any]:
    """How many findings of each severity (``error``, ``warning``, ``info``, ``total``) and,
    under ``checks``, of each check by severity."""
    counts: dict[str, Any] = {s: 0 for s in SEVERITIES}
    by_check: dict[str, dict[str, int]] = {}
    for f in findings:
        counts[f.severity] += 1
        row = by_check.setdefault(f.check, {s: 0 for s in SEVERITIES})
        row[f.severity] += 1
    counts["total"] = sum(counts[s] for s in SEVERITIES)
    counts["checks"] = dict(sorted(by_check.items()))
    return counts


def worst_first(findings: dict[int, tuple[Finding, ...]]) -> list[tuple[int, tuple[Finding, ...]]]:
    """The segments that have findings, ordered by their worst finding (severity, then
    confidence), then by index; each with its findings, worst first."""
    ordered = [(k, tuple(sorted(fs, key=lambda f: f.rank))) for k, fs in findings.items() if fs]
    return sorted(ordered, key=lambda x: (x[1][0].rank, x[0]))


def is_complete(run_dir: str | Path) -> bool:
    """Whether ``run_dir`` holds a whole, readable run (what ``Run.open`` accepts)."""
    try:
        Run.open(run_dir)
    except InputError:
        return False
    return True


def listed_files(run_dir: str | Path) -> list[str]:
    """The run files a run's manifest lists (not the manifest itself): what a run wrote, to
    remove it. Its hashes are not checked (a run changed since is still ours to remove); an
    unreadable or foreign manifest lists nothing."""
    try:
        manifest = read_manifest(Path(run_dir))
    except InputError:
        return []
    return [n for n in manifest["files"] if n != MANIFEST]


# -- the reader ------------------------------------------------------------------------


def _fail(path: Path, what: str) -> RunError:
    return RunError(f"{path}: {what}")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _fail(path, "not UTF-8 text") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None


def _read_json(path: Path) -> Any:
    try:
        return loads_json(_read_text(path))
    except ValueError:
        raise _fail(path, "not valid JSON") from None


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_num(x) -> bool:
    """A number that a float holds (JSON's integers have no bound: 10**400 is none)."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return False
    try:
        float(x)
    except OverflowError:
        return False
    return True


def read_manifest(run_dir: Path) -> dict:
    """The manifest of a run, its fields checked (not yet the hashes of its files)."""
    # (os.path's tests: a name too long or holding a NUL is no folder, not an OSError)
    if not os.path.isdir(run_dir):
        raise RunError(f"{run_dir} is not a run directory (it does not exist or is not a folder)")
    path = run_dir / MANIFEST
    try:
        found = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if any(os.path.isfile(run_dir / name) for name in BATCH_FILES):
            raise RunError(
                f"{run_dir} is a batch's folder, not a run directory: give the run folder of "
                f"one of its articles ({run_dir / 'ID'})"
            ) from None
        raise RunError(f"{run_dir} is not a complete run directory (no {MANIFEST})") from None
    except OSError as exc:  # a folder this user may not open: the manifest may be there
        raise RunError(f"{run_dir} cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(found.st_mode):
        raise _fail(path, "not a regular file")
    manifest = _read_json(path)
    if not isinstance(manifest, dict):
        raise _fail(path, "not a run manifest (a JSON object)")
    version = manifest.get("schema_version")
    if type(version) is not int or version not in READABLE_SCHEMAS:  # (true == 1, 3.0 == 3)
        raise _fail(
            path,
            f"run schema version {version!r}, which this arabic-align (schema "
            f"{SCHEMA_VERSION}) cannot read; make the run again with `arabic-align run`",
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise _fail(path, "its 'files' is not a table of file names and SHA-256 hashes")
    foreign = [n for n in files if n not in RUN_FILES or n == MANIFEST]
    if foreign:
        raise _fail(path, f"it lists {foreign[0]!r}, which is not a file of a run")
    for key, kind in (("counts", dict), ("aligner", dict), ("timings", dict)):
        if key in manifest and not isinstance(manifest[key], kind):
            raise _fail(path, f"its {key!r} is not a JSON object")
    for key in ("model", "translator", "reference", "article"):
        if manifest.get(key) is not None and not isinstance(manifest[key], dict):
            raise _fail(path, f"its {key!r} is not a JSON object")
    warnings = manifest.get("warnings", [])
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        raise _fail(path, "its 'warnings' is not a list of sentences")
    counts = manifest.get("counts") or {}
    if not all(_is_int(v) and v >= 0 for v in counts.values()):
        raise _fail(path, "its 'counts' are not whole numbers")
    checks = manifest.get("checks")
    if checks is not None and (
        not isinstance(checks, list) or not all(isinstance(c, str) for c in checks)
    ):
        raise _fail(path, "its 'checks' is not a list of check names")
    layout = manifest.get("reference_layout")
    if layout not in (None, "lines", "document"):
        raise _fail(path, f"its reference layout {layout!r} is neither lines nor document")
    return manifest


def _verify(run_dir: Path, manifest: dict) -> None:
    for name, digest in manifest["files"].items():
        path = run_dir / name
        if not path.is_file():
            if os.path.lexists(path):
                raise _fail(path, f"not a regular file, although {MANIFEST} lists it as one")
            raise _fail(path, f"missing, although {MANIFEST} lists it")
        try:
            found = sha256_file(path)
        except OSError as exc:
            raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
        if found != digest:
            raise _fail(
                path,
                f"changed since the run was written (its SHA-256 differs from {MANIFEST}); "
                "make the run again",
            )
    for name in (SEGMENTS, SCORES):
        if name not in manifest["files"]:
            raise _fail(run_dir / MANIFEST, f"it does not list {name}, so the run is not whole")


def _pair(row: dict, key: str, source: str, target: str | None) -> PairAlignment | None:
    data = row.get(key)
    if data is None:
        return None
    if target is None:
        raise ValueError(f"{key} is given but the text it aligns is missing")
    try:
        alignment = Alignment.from_json(data)
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None
    # Source offsets are stored in the article; bring them into the segment.
    start = row["start"]
    local = alignment.shifted(src=-start)
    for side, text, tokens in (
        ("source", source, (*local.src_tokens, *local.src_words)),
        ("target", target, (*local.tgt_tokens, *local.tgt_words)),
    ):
        if any(t.start < 0 or t.end > len(text) for t in tokens):
            raise ValueError(f"{key} has {side} offsets outside its text")
    for p in local.spans:
        if not (
            0 <= p.src[0] <= p.src[1] <= len(source) and 0 <= p.tgt[0] <= p.tgt[1] <= len(target)
        ):
            raise ValueError(f"{key} has a span pair outside its texts")
    return PairAlignment(source, target, local)


def _findings(row: dict, source: str, hyp: str | None, checked: bool) -> tuple[Finding, ...]:
    """A translated segment's findings: a list when the run was checked, null when not."""
    data = row.get("findings")
    if not checked:
        if data is not None:
            raise ValueError("it has findings, but the manifest names no checks that made them")
        return ()
    if "findings" not in row:
        raise ValueError("it has no 'findings' (the manifest names the checks run)")
    if not isinstance(data, list):
        raise ValueError("its 'findings' is not a list (the manifest names the checks run)")
    found = []
    for n, item in enumerate(data):
        try:
            f = Finding.from_json(item)
        except ValueError as exc:
            raise ValueError(f"finding {n}: {exc}") from None
        if not all(is_utf8(x) for x in (f.check, f.kind, f.message)):
            raise ValueError(f"finding {n} holds a lone surrogate, which no text can")
        for side, span, text in (("src", f.src, source), ("tgt", f.tgt, hyp or "")):
            if span is not None and span[1] > len(text):
                what = "source" if side == "src" else "translation"
                raise ValueError(f"finding {n}'s {side} span {list(span)} is outside its {what}")
        found.append(f)
    return tuple(found)


def _segment(row: Any, number: int, path: Path, version: int = SCHEMA_VERSION,
             checked: bool = False) -> Segment:  # fmt: skip
    where = f"line {number}"
    if not isinstance(row, dict):
        raise _fail(path, f"{where} is not a segment record (a JSON object)")
    try:
        for key in ("index", "line", "start", "end"):
            if not _is_int(row.get(key)) or row[key] < 0:
                raise ValueError(f"its {key!r} is not a whole number")
        if row["end"] < row["start"]:
            raise ValueError("it ends before it starts")
        if not isinstance(row.get("role", "body"), str):
            raise ValueError("its role is not a string")
        if not isinstance(row.get("translated"), bool):
            raise ValueError("its 'translated' is not true or false")
        source = row.get("source")
        if not isinstance(source, str):
            raise ValueError("it has no source text")
        if len(source) != row["end"] - row["start"]:
            raise ValueError("its source text does not fill its offsets")
        hyp, ref = row.get("hypothesis"), row.get("reference")
        if hyp is not None and not isinstance(hyp, str):
            raise ValueError("its hypothesis is not a string")
        if row["translated"] and hyp is None:
            raise ValueError("it is translated but has no hypothesis")
        if ref is not None and not isinstance(ref, str):
            raise ValueError("its reference is not a string")
        for name, text in (("source", source), ("hypothesis", hyp), ("reference", ref)):
            if text is not None and not is_utf8(text):  # (an escape of half a character)
                raise ValueError(f"its {name} holds a lone surrogate, which no text can")
        scores = row.get("scores")
        if scores is not None and (
            not isinstance(scores, dict)
            or not all(v is None or _is_num(v) for v in scores.values())
        ):
            raise ValueError("its scores are not numbers")
        bead = row.get("bead")
        if bead is not None and (not _is_int(bead) or bead < 0):
            raise ValueError("its bead is not a whole number")
        alignment = _pair(row, "alignment", source, hyp) if row["translated"] else None
        ref_alignment = (
            _pair(row, "reference_alignment", source, ref) if row["translated"] else None
        )
        findings: tuple[Finding, ...] = ()
        if version >= 3:  # older runs are read without findings, whatever their rows hold
            if row["translated"]:
                findings = _findings(row, source, hyp, checked)
            elif row.get("findings") is not None:
                raise ValueError("it is not translated but has findings")
    except ValueError as exc:
        raise _fail(path, f"segment record on {where}: {exc}") from None
    return Segment(
        row["index"], row["line"], row.get("role", "body"), row["start"], row["end"],
        row["translated"], source, hyp, ref, alignment, ref_alignment,
        dict(scores) if scores is not None else None, bead, findings,  # not the record's own
        row["translated"] and checked and version >= 3,
    )  # fmt: skip


def _rows(run_dir: Path) -> list[Any]:
    path = run_dir / SEGMENTS
    rows = []
    for number, line in enumerate(jsonl_rows(_read_text(path)), 1):
        try:
            rows.append(loads_json(line))
        except ValueError:
            raise _fail(path, f"line {number} is not valid JSON") from None
    return rows


def _segments(run_dir: Path, manifest: dict, rows: list[Any]) -> tuple[Segment, ...]:
    path = run_dir / SEGMENTS
    version = manifest.get("schema_version", SCHEMA_VERSION)
    checked = isinstance(manifest.get("checks"), list)
    out = [_segment(row, number, path, version, checked) for number, row in enumerate(rows, 1)]
    indices = [s.index for s in out]
    if indices != list(range(len(out))):
        raise _fail(path, "its segments are not numbered 0, 1, 2, … in order")
    counts = manifest.get("counts") or {}
    if counts.get("segments", len(out)) != len(out):
        raise _fail(path, f"it holds {len(out)} segments; {MANIFEST} counts {counts['segments']}")
    translated = sum(s.translated for s in out)
    if counts.get("translated", translated) != translated:
        raise _fail(path, f"{translated} segments are translated; {MANIFEST} counts "
                    f"{counts['translated']}")  # fmt: skip
    return tuple(out)


def _scores(run_dir: Path, data: Any) -> Scores | None:
    path = run_dir / SCORES
    if not isinstance(data, dict):
        raise _fail(path, "not a scores file (a JSON object)")
    corpus = data.get("corpus")
    if corpus is None:
        note = data.get("note")
        return Scores(None, None, None, {}, None, None, note if isinstance(note, str) else None)
    if not isinstance(corpus, dict):
        raise _fail(path, "its 'corpus' is not a JSON object")
    found: dict[str, Score | None] = {}
    for name in METRICS:
        x = corpus.get(name)
        if x is None:
            found[name] = None
            continue
        if not (
            isinstance(x, dict)
            and _is_num(x.get("score"))
            and isinstance(x.get("text", ""), str)
            and isinstance(x.get("signature", ""), str)
        ):
            raise _fail(path, f"its corpus {name} is not a score with its signature")
        found[name] = Score(name, float(x["score"]), x.get("text", ""), x.get("signature", ""))
    sigs = data.get("sentence_signatures") or {}
    if not isinstance(sigs, dict) or not all(isinstance(v, str) for v in sigs.values()):
        raise _fail(path, "its sentence signatures are not strings")
    cli = data.get("sacrebleu_cli")
    segments = data.get("segments")
    return Scores(
        found["bleu"], found["chrf"], found["ter"], dict(sigs),
        cli if isinstance(cli, str) else None, segments if _is_int(segments) else None,
    )  # fmt: skip


def _docalign(run_dir: Path, data: Any, n_hyp: int) -> DocumentAlignment | None:
    path = run_dir / DOCALIGN
    if data is None:
        return None
    if not isinstance(data, dict):
        raise _fail(path, "not a document alignment (a JSON object)")
    texts = data.get("reference_texts")
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise _fail(path, "its 'reference_texts' is not a list of sentences")
    beads = data.get("beads")
    if not isinstance(beads, list):
        raise _fail(path, "its 'beads' is not a list")
    out = []
    for n, b in enumerate(beads):
        if not isinstance(b, dict):
            raise _fail(path, f"bead {n} is not a JSON object")
        hyp, ref = b.get("hyp"), b.get("ref")
        for side, ids, bound in (("hyp", hyp, n_hyp), ("ref", ref, len(texts))):
            if not isinstance(ids, list) or not all(_is_int(i) and 0 <= i < bound for i in ids):
                raise _fail(path, f"bead {n}'s {side} is not a list of indices below {bound}")
        similarity = b.get("similarity", 0.0)
        if not _is_num(similarity):
            raise _fail(path, f"bead {n}'s similarity is not a number")
        out.append(Bead(tuple(hyp), tuple(ref), str(b.get("kind", "")), float(similarity)))
    method = data.get("method")
    summary = {k: v for k, v in data.items() if k not in ("beads", "reference_texts")}
    return DocumentAlignment(str(method), tuple(out), tuple(texts), summary)


def _read(run_dir: Path) -> Run:
    manifest = read_manifest(run_dir)
    _verify(run_dir, manifest)
    # Only what the manifest lists is the run's (a docalign.json copied in beside it would
    # change which pairs are scored).
    docalign = _read_json(run_dir / DOCALIGN) if DOCALIGN in manifest["files"] else None
    return _build(run_dir, manifest, _rows(run_dir), _read_json(run_dir / SCORES), docalign)


def _build(run_dir: Path, manifest: dict, rows: list, scores: Any, docalign: Any) -> Run:
    segments = _segments(run_dir, manifest, rows)
    n_hyp = sum(s.translated for s in segments)
    document = _docalign(run_dir, docalign, n_hyp)
    warnings = list(manifest.get("warnings") or [])
    if manifest.get("schema_version") == 1 and isinstance(scores, dict):
        # Runs of schema 1 kept the warnings in scores.json too.
        more = scores.get("warnings")
        if isinstance(more, list):
            warnings += [w for w in more if isinstance(w, str) and w not in warnings]
    for s in segments:
        if s.bead is not None and (document is None or s.bead >= len(document.beads)):
            raise _fail(run_dir / SEGMENTS, f"segment {s.index} names a bead that does not exist")
    return Run(
        run_dir,
        manifest.get("schema_version", SCHEMA_VERSION),
        manifest,
        segments,
        _scores(run_dir, scores),
        document,
        tuple(warnings),
    )


def run_from_records(
    run_dir: Path | None, manifest: dict, rows: list[dict], scores: dict | None, docalign
) -> Run:
    """The objects of a run still in memory (what ``Pipeline.run`` returns), built by the
    same checks as a run read from disk."""
    data = scores if scores is not None else {"corpus": None}
    run = _build(Path(run_dir or "."), manifest, rows, data, docalign)
    # (a run never written has no folder: its messages above name the files it would have)
    return run if run_dir is not None else replace(run, dir=None)
