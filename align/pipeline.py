"""The backbone: an Arabic article in; segments, translations, links, spans and scores out.

``Pipeline`` is what ``arabic-align run`` calls and what ``from align import Pipeline``
gives: read and segment the article, translate the segments to translate, align each
source segment with its translation (and with its reference when there is one), score
against the reference, check the translation (``align.checks``: each segment's findings go
into its record), and write a run directory whose manifest goes last.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import reprlib
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property, wraps
from importlib import metadata
from pathlib import Path

from align.doc import Document
from align.errors import (
    InputError,
    JobError,
    MismatchError,
    OutputError,
    UserError,
    option,
    unicode_text,
)
from align.links.base import Alignment, alignment_problem
from align.links.methods import LengthLimited, too_long
from align.model.fixture import GIBBERISH, RANDOM_ATTENTION
from align.model.registry import DEFAULT_MODEL
from align.records import (
    SCHEMA_VERSION,
    RunFolderRefused,
    RunKept,
    check_outside_reads,
    check_run_dir,
    dumps_jsonl,
    lines_file,
    lock_folder,
    missing_folders,
    remove_if_empty,
    sha256_file,
    write_run,
)
from align.run import joined, translation_groups
from align.score.docalign import (
    LAYOUTS,
    MAX_DOCUMENT,
    DocAlignment,
    align_by_length,
    align_documents,
    check_document_size,
    reference_sentences,
    translation_paragraphs,
)
from align.score.metrics import (
    CLI_ARGS,
    check_scorable,
    corpus_scores,
    sentence_scores,
    too_long_to_score,
)
from align.settings import AlignmentSettings, TranslationSettings
from align.text import (
    decode_article,
    line_end_note,
    read_article,
    read_lines,
    segment_text,
    swapped,
)

PACKAGES = (
    "arabic-align", "torch", "transformers", "sentencepiece", "sacrebleu", "numpy", "ctranslate2",
    "eflomal", "lemminflect",
)  # fmt: skip


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


# The scored pairs of a run whose reference is in lines, when a pair too long to score is
# left out (hyp.txt and ref.txt keep every segment): translation, reference.
SCORED_FILES = ("scored.hyp.txt", "scored.ref.txt")


def _scorable(hyps: list[str], refs: list[str]) -> list[int]:
    """The pairs the scores take: those neither side of which is too long to score."""
    return [
        k
        for k, (h, r) in enumerate(zip(hyps, refs, strict=True))
        if not (too_long_to_score(h) or too_long_to_score(r))
    ]


def _line_pairs(
    hyps: list[str], refs: list[str], indices: list[int], translator
) -> tuple[list[tuple[int, ...]], list[str], list[str]]:
    """The pairs a line reference is scored on (``translation_groups``): each group of
    translated segments (``indices``: their segment indices), its translation, its
    reference, as ``Run.scored_texts`` gives them back from the run."""
    groups = translation_groups(translator, indices)
    return groups, [joined(hyps, g) for g in groups], [joined(refs, g) for g in groups]


def _lines(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _paragraphs_note(lines: list[str]) -> str:
    """For a translation in lines layout whose count differs: its blank lines, which say it
    may be written in paragraphs, and the layout that reads it so."""
    if all(line.strip() for line in lines):
        return ""
    return (
        " (its blank lines count as lines: a translation in sentences and paragraphs of its "
        f"own is read with {option('--hyp-layout document')})"
    )


def _to_translate(n: int) -> str:
    return f"{n} segment{'' if n == 1 else 's'} to translate (boilerplate excluded)"


def read_reference(path: str | Path, expected: int, article=None) -> list[str]:
    """One reference segment a line, in the order of the segments to translate (``article``:
    the article's file, named when its line ends explain a count that differs)."""
    lines = read_lines(path, "reference file", allow_empty=not expected)
    if len(lines) != expected:
        raise MismatchError(
            f"{path} has {_lines(len(lines), 'reference line')} but the article has "
            f"{_to_translate(expected)}; give one reference line per segment"
            f"{line_end_note(path, article)}"
        )
    return lines


def spread_translation(
    path: str | Path, todo: Sequence
) -> tuple[list[str], list[list[list[int]]], list[str]]:
    """A translation in its own segmentation (sentences, paragraphs), brought to the
    segments to translate: (one translation per segment, the beads, notes).

    Its sentences (``reference_sentences``) are aligned to the source segments by length
    (``align_by_length``: the texts share no words to compare). A bead's sentences, joined,
    are the translation of its longest segment, which holds most of what they say; any other
    segment of the bead, and a segment with no sentence, gets an empty translation and a
    note that names it. A sentence that matches no segment joins the translation of the
    segment before it (the first segment's, at the start), so that none of the text is lost.
    Beads are recorded as [segment indices, sentence indices]."""
    text = read_article(path, "translation file", allow_empty=not todo)
    sentences = reference_sentences(text)
    if not todo:  # boilerplate alone: an empty translation, as in lines layout
        if sentences:
            raise MismatchError(
                f"the translation file {path} has {len(sentences)} sentence(s) but the article "
                f"has {_to_translate(0)}: there is nothing to bring them to"
            )
        return [], [], []
    if not sentences:
        raise UserError(f"the translation file {path} holds no sentences.")
    if max(len(todo), len(sentences)) > MAX_DOCUMENT:
        raise UserError(
            f"a translation in document layout is brought to at most {MAX_DOCUMENT:,} "
            f"segments and from at most {MAX_DOCUMENT:,} sentences, and this has "
            f"{len(todo):,} segments and {len(sentences):,} sentences: give it one line per "
            f"segment ({option('--hyp-layout lines')})"
        )
    beads = _beads_by_paragraph(todo, translation_paragraphs(text))
    if beads is None:
        beads = align_by_length([s.text for s in todo], sentences)
    # The segment of each bead that takes its sentences: the longest (the first of equals).
    owner = [
        max(segs, key=lambda k: (len(todo[k].text), -k)) if segs else None for segs, _ in beads
    ]
    parts: list[list[int]] = [[] for _ in todo]
    in_bead: dict[int, int] = {}  # segment -> the segment that took its bead's sentences
    notes = []
    for b, (segs, sents) in enumerate(beads):
        target = owner[b]
        if target is None:  # sentences that match no segment: the segment before them
            before = [o for o in owner[:b] if o is not None]
            after = [o for o in owner[b + 1 :] if o is not None]
            target = before[-1] if before else after[0]  # (there is a segment: see above)
            notes.append(
                f"sentence(s) {', '.join(str(j + 1) for j in sents)} (counted from 1) of the "
                f"translation match no segment by length: joined to the translation of "
                f"segment {todo[target].index}"
            )
        parts[target].extend(sents)
        if sents:
            in_bead.update((k, target) for k in segs if k != target)
    hyps = [" ".join(sentences[j] for j in sorted(found)) for found in parts]
    for k, found in enumerate(parts):
        if found:
            continue
        where = (
            f"its bead's translation went to segment {todo[in_bead[k]].index}"
            if k in in_bead
            else "no sentence of the translation matches it by length"
        )
        notes.append(f"segment {todo[k].index} has an empty translation: {where}")
    recorded = [[[todo[k].index for k in segs], list(sents)] for segs, sents in beads]
    return hyps, recorded, notes


def _beads_by_paragraph(todo: Sequence, paragraphs: list[list[str]]):
    """Beads (as ``align_by_length`` gives them, indices over the whole document) that
    keep each paragraph of the translation with one line of the article: when the
    translation has as many paragraphs as the article has lines to translate, a sentence
    never crosses a paragraph break, which says more than any length; None otherwise."""
    lines: list[list[int]] = []
    for k, seg in enumerate(todo):
        if k and seg.line == todo[k - 1].line:
            lines[-1].append(k)
        else:
            lines.append([k])
    if len(lines) < 2 or len(lines) != len(paragraphs):
        return None
    beads = []
    first = 0  # the paragraph's first sentence, in the whole translation
    for line, sentences in zip(lines, paragraphs, strict=True):
        mine: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        for segs, sents in align_by_length([todo[k].text for k in line], sentences):
            segs, sents = tuple(line[i] for i in segs), tuple(first + j for j in sents)
            # A sentence no segment takes stays in its paragraph: with the bead before it,
            # or, first in the paragraph, with the next.
            if mine and (not segs or not mine[-1][0]):
                mine[-1] = (mine[-1][0] + segs, mine[-1][1] + sents)
            else:
                mine.append((segs, sents))
        beads += mine
        first += len(sentences)
    return beads


@dataclass
class RunResult:
    """What ``Pipeline.run`` made: the typed run (``segments``, ``scores``, ``warnings``, as
    ``align.Run`` reads them back from a run directory) and the records as written."""

    document: Document
    records: list[dict]  # the rows of segments.jsonl
    scores_json: dict | None  # scores.json
    manifest: dict
    run_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)
    document_alignment: DocAlignment | None = None

    @cached_property
    def run(self):
        from align.run import run_from_records

        docalign = None
        if self.document_alignment is not None:
            docalign = {**self.document_alignment.to_json(), "reference_texts": self._ref_texts}
        return run_from_records(
            self.run_dir, self.manifest, self.records, self.scores_json or NO_REFERENCE, docalign
        )

    _ref_texts: list[str] = field(default_factory=list, repr=False)

    @property
    def segments(self):
        """Every segment of the article (``align.run.Segment``), boilerplate included."""
        return self.run.segments

    @property
    def scores(self):
        """Corpus scores with their signatures (``align.run.Scores``), as ``Run.open``
        reads them: without a reference (or with no pair to score) each score is None and
        ``note`` says why."""
        return self.run.scores

    @property
    def hypotheses(self) -> list[str]:
        return [r["hypothesis"] for r in self.records if r["translated"]]


# scores.json of a run without a reference
NO_REFERENCE = {"corpus": None, "note": "no reference was given"}


class _OutBusy(OutputError):
    """Another process is writing the same run directory."""


def _hold_out(out: Path, held: list[int]) -> None:
    """Hold ``out`` (``lock_folder``) for this run, so that two runs never write one folder
    at once (a mix of both, each file hashed by the last manifest, would pass every
    reader). A file system without locks is written without one."""
    try:
        held.append(lock_folder(out))
    except BlockingIOError:
        raise _OutBusy(
            f"{option('--out')} {out} is held by another run writing it or a review open "
            f"on it; wait for it to end or choose another {option('--out')}"
        ) from None
    except OSError:
        pass


def _file_info(path, what: str = "file") -> dict:
    """A file input's path and SHA-256; one that cannot be read is said as its reader says
    it (missing, a directory, unreadable)."""
    try:
        digest = sha256_file(Path(path))
    except (OSError, ValueError):
        read_article(path, what)  # the one sentence for what is wrong with it
        raise
    return {"path": str(path), "sha256": digest}


def _as_path(value):
    """An ``os.PathLike`` of a text path (not a ``Path`` itself) as a ``Path``; anything else
    as it is, for ``_check_arguments`` to judge."""
    if isinstance(value, os.PathLike) and not isinstance(value, Path):
        found = os.fspath(value)
        return Path(found) if isinstance(found, str) else value
    return value


def _check_arguments(article, ref, out, hyp, force=False, batch_settings=None) -> None:
    """Arguments of a type no run takes, named in one sentence before any work."""
    if not isinstance(article, str | Path | Document):
        raise UserError("article= takes a path, the article's text or a Document.")
    if isinstance(article, str) and not article.strip():
        raise InputError(
            "article= is an empty string: give a path, the article's text or a Document."
        )
    if out is not None and not isinstance(out, str | Path):
        raise UserError("out= takes the path of a folder for the run.")
    if out is not None and "\x00" in os.fspath(out):
        raise OutputError(f"out= {os.fspath(out)!r} holds a NUL character, which no path can.")
    for what, value in (("ref", ref), ("hyp", hyp)):
        if value is not None and not isinstance(value, str | Path | list | tuple):
            raise UserError(f"{what}= takes a path or a list of strings, one a segment.")
        if isinstance(value, str) and ("\n" in value or "\r" in value):
            # A string is a path: the text itself would be named as a file in the error.
            raise UserError(
                f"{what}= is a string with line breaks, which no path has: give the text as a "
                f"list of lines ({what}=text.splitlines()) or the path of its file."
            )
    if not isinstance(force, bool):
        raise UserError(f"force= takes True or False, not {force!r}.")
    if batch_settings is not None:
        if not isinstance(batch_settings, Mapping):
            raise UserError("batch_settings= takes a dict (a batch's settings) or None.")
        _json_dict(batch_settings, "batch_settings=")


def _given_lines(value, what: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(x, str) for x in value):
        raise UserError(f"{what}= takes a path or a list of strings, one a segment.")
    lines = list(value)
    for n, line in enumerate(lines):
        _one_line(line, f"{what}[{n}]")
    return lines


def _one_line(text: str, what: str) -> str:
    """``text`` when it can be one line of hyp.txt or ref.txt (which the tool's own readers
    read back): no line break, no NUL (a file holding one reads as binary), UTF-8."""
    if "\n" in text or "\r" in text:
        raise UserError(f"{what} holds a line break: a segment's text is one line.")
    if "\x00" in text:
        raise UserError(f"{what} holds a NUL character, which no text file of a run can.")
    return unicode_text(text, what)


def _text_info(text: str) -> dict:
    """The record of an input given as text rather than as a file."""
    return {"path": None, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


# A file name, not text: one word ending in an extension (مقال.txt, news.ar.txt; not
# الساعة:10.30), or one line ending in .txt (مقال جديد.txt)
_FILE_NAME = re.compile(r"\S+\.[A-Za-z][A-Za-z0-9]{0,4}|[^\n]*\.txt", re.IGNORECASE)


def is_text(value) -> bool:
    """Whether a string given as an article is its text rather than a file name: it is a
    file name when such a file exists, or when it reads as one (``_FILE_NAME``: a missing
    مقال.txt is reported as missing, not translated as a word); otherwise text when it has
    a line break or Arabic letters. A ``Path`` is always a file name."""
    if not isinstance(value, str):
        return False
    try:
        if os.path.exists(value):
            return False
    except ValueError:  # a NUL byte: no file has that name
        return True
    if _FILE_NAME.fullmatch(value.strip()):
        return False
    return "\n" in value or _ARABIC.search(value) is not None


@dataclass
class ArticleJob:
    """One article between its preparation (inputs read, translated) and its run directory."""

    article: str | Path
    ref: str | Path | None
    hyp: str | Path | None
    run_dir: Path | None
    force: bool
    ref_layout: str
    batch_settings: dict | None
    document: Document
    hyps: list[str]
    refs: list[str | None] | None
    ref_sentences: list[str] | None
    docal: DocAlignment | None
    notes: list[str]
    timings: dict[str, float]
    model_info: dict | None
    translator_info: dict
    hyp_links: list[Alignment] = field(default_factory=list)
    ref_links: dict[int, Alignment] | None = None
    article_info: dict | None = None  # path (None for text) and SHA-256 of the inputs
    ref_info: dict | None = None


def _mapping(value) -> dict:
    """A given aligner's ``settings`` for the manifest: a dict, or nothing; one that JSON
    cannot hold is said in one sentence (the manifest is written last)."""
    if not isinstance(value, Mapping):
        return {}
    return _json_dict(value, "The aligner's settings")


def _json_dict(value: Mapping, what: str) -> dict:
    """``value`` as the manifest will hold it, or one sentence when JSON cannot hold it."""
    try:
        return json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError):
        raise UserError(
            f"{what} must be a dict that JSON can hold (strings, numbers, lists, dicts), "
            f"not {reprlib.repr(value)}."
        ) from None


def _one_each(value, count: int, kind: type, who: str, of: str, call: str) -> list:
    """``value`` as a list when it holds ``count`` items of ``kind`` (what a translator or
    an aligner must return); else one sentence saying what it returned."""
    if isinstance(value, list | tuple):
        odd = [x for x in value if not isinstance(x, kind)]
        if len(value) == count and not odd:
            return list(value)
        what = f"{len(value)} item(s)"
        if odd:
            what += f", one of them a {type(odd[0]).__name__}"
    else:
        what = f"a {type(value).__name__}"
    name = "string" if kind is str else f"{kind.__module__}.{kind.__name__}"
    raise UserError(
        f"The {who} returned {what} for {count} {of}: {call} must return one {name} each."
    )


def _one_at_a_time(method):
    """Runs ``method`` under the pipeline's lock. One pipeline holds one model, whose
    attention is switched on for a pass and off after it, an aligner that keeps what it
    skipped, and the timings of the article under way: threads sharing a pipeline take
    turns (on the CPU a model already uses every core), so each run's files and manifest
    are its own."""

    @wraps(method)
    def in_turn(self, *args, **kwargs):
        with self._turn:
            return method(self, *args, **kwargs)

    return in_turn


class Pipeline:
    """Segment, translate, align and score one article at a time with one loaded model.
    Threads may share one: their articles are run one after another."""

    def __init__(
        self,
        model: str | None = DEFAULT_MODEL,
        *,
        translation: TranslationSettings | None = None,
        alignment: AlignmentSettings | None = None,
        translator=None,
        aligner=None,
        progress: bool | None = None,
        on_warning: Callable[[str], None] | None = None,
        checks: bool | Sequence = True,
    ) -> None:
        """``model``: a hub id or a local folder of a Marian model, or None (then only
        translations given to ``run`` are aligned and scored, or ``translator`` translates).
        ``translation`` and ``alignment``: the settings of each part (``align.settings``).
        ``translator``: a ready-made object with ``translate(texts) -> texts`` (and, if it
        has one, ``info() -> dict`` for the manifest) used instead of the model.
        ``aligner``: a ready-made aligner: ``align(pairs)`` returns one ``align.Alignment``
        per pair; an optional ``method`` attribute names it in the manifest (else its class
        name does).
        ``progress``: progress bars (None: when the output is a terminal).
        ``on_warning``: where warnings go (default: Python's ``warnings``).
        ``checks``: the translation checks run on every aligned article (``align.checks``):
        True, every check of the package; False, none (``--no-checks``: every translated
        record then holds ``findings: null``, and the typed segments, ``result.segments``
        as ``Run.open`` reads them, hold ``findings == ()`` and ``checked == False``); or a
        list of check objects (``align.checks.Check``), those only."""
        from align.links.methods import METHODS
        from align.translate.engines import check_engine_options, resolve_engine

        model = _as_path(model)
        if model is not None and not isinstance(model, str | Path):
            raise UserError(f"model= takes a hub id, a model folder or None, not {model!r}.")
        if isinstance(model, str) and not model.strip():
            raise UserError("model= is an empty string: give a hub id, a model folder or None.")
        if progress is not None and not isinstance(progress, bool):
            raise UserError(f"progress= takes True, False or None, not {progress!r}.")
        if on_warning is not None and not callable(on_warning):
            raise UserError("on_warning= takes a function of one message, or None.")
        translation = translation or TranslationSettings()
        alignment = alignment or AlignmentSettings()
        if not isinstance(translation, TranslationSettings):
            raise UserError("translation= takes an align.TranslationSettings.")
        if not isinstance(alignment, AlignmentSettings):
            raise UserError("alignment= takes an align.AlignmentSettings.")
        align_method = alignment.method
        if aligner is None and align_method not in METHODS:
            raise UserError(
                f"Unknown alignment method {align_method!r}; choose one of: {', '.join(METHODS)}."
            )
        self.translation = translation
        self.alignment = alignment
        self.align_method = align_method
        if aligner is not None:  # named by its ``method`` when it has one, else its class
            method = getattr(aligner, "method", None)
            self.align_method = method if isinstance(method, str) and method else (
                type(aligner).__name__)  # fmt: skip
        self.align_extra = list(alignment.train)
        self.dictionary = alignment.dictionary
        if isinstance(self.dictionary, str | Path):  # a file, read once (and checked) here
            from align.links.lexical import Dictionary

            self.dictionary = Dictionary.read(self.dictionary)
        # The aligners' background knowledge (links.background): True loads the default,
        # False turns it off, or a Background object is used as given. Loaded here, so that
        # a missing resource is reported before any slow work.
        background = alignment.background
        if aligner is not None:
            background = None
        elif background is True or background is False:
            from align.links.background import background_for

            background = background_for(align_method, background)
        self.background = background
        self.priors = alignment.priors  # links.priors.Priors, or None

        # An engine that is not installed fails here (unless a translator is given).
        self.engine = resolve_engine(translation.engine) if translator is None else "given"
        if translator is None and model is not None:  # said before the model loads
            check_engine_options(
                self.engine,
                translation.quantization,
                translation.inter_threads,
                translation.intra_threads,
            )
        self.quantization = translation.quantization
        self.inter_threads = translation.inter_threads
        self.intra_threads = translation.intra_threads
        self.cache = translation.cache
        self.model_name = os.fspath(model) if model is not None else None
        self.settings = translation.decoding
        self.device = translation.device
        self.progress = progress
        self.align_reference = alignment.reference
        self.aligner_options = dict(alignment.attention)
        self._given_translator = translator is not None
        # Whether the aligner reads the model's attention (the model is loaded for that,
        # or to translate, and not otherwise).
        self._attention_wanted = aligner is None and align_method in ("attention", "hybrid")
        if translator is not None:
            if not callable(getattr(translator, "translate", None)):
                raise UserError("translator= takes an object with a translate(texts) method.")
            self.__dict__["translator"] = translator  # replaces the cached property
        if aligner is not None:
            if not callable(getattr(aligner, "align", None)):
                raise UserError("aligner= takes an object with an align(pairs) method.")
            self.__dict__["aligner"] = aligner
            self._attention = None
        self.on_warning = on_warning or (lambda m: warnings.warn(m, UserWarning, stacklevel=3))
        self._load_seconds = 0.0
        self.timings: dict[str, float] = {}
        self._turn = threading.RLock()
        self._cache_notes: list[str] = []  # what the translation cache could not store
        if checks is True or checks is False:
            self.checks = checks
        elif isinstance(checks, Iterable) and not isinstance(checks, str | bytes):
            from align.checks import resolve_checks

            self.checks = resolve_checks(checks)  # objects, or names of the package's checks
        else:
            raise UserError("checks= takes True, False or a list of checks (align.checks).")

    # The model is loaded on first use, so bad input is reported before a slow load.
    @cached_property
    def loaded(self):
        from align.model.load import load_marian

        start = time.perf_counter()
        # CTranslate2 runs its own converted copy: the PyTorch weights are needed then only
        # for the attention aligner's forced decoding (one PyTorch pass per batch).
        weights = self.engine == "transformers" or self._attention_wanted
        loaded = load_marian(self.model_name, device=self.device, weights=weights)
        self._load_seconds = time.perf_counter() - start
        translates = getattr(self, "_translates", True)  # (set by a run before the load)
        for message in self._model_warnings(loaded, translates):  # before the slow work
            self.on_warning(message)
        return loaded

    @cached_property
    def engine_translator(self):
        """The engine itself, uncached (the aligner shares a CTranslate2 engine with it)."""
        from align.translate.engines import make_translator

        return make_translator(
            self.loaded,
            self.engine,
            self.settings,
            quantization=self.quantization,
            inter_threads=self.inter_threads,
            intra_threads=self.intra_threads,
            device=self.device,
            progress=self.progress,
        )

    @cached_property
    def translation_cache(self):
        """The translation cache, opened (and so checked) before the model loads: a bad
        cache file is said in a second, not after a load and a conversion."""
        from align.translate.cache import TranslationCache

        return TranslationCache(None if self.cache is True else Path(self.cache))

    @cached_property
    def translator(self):
        """The engine behind the translation cache, unless the cache is off."""
        if self.cache is False:
            return self.engine_translator
        from align.translate.cache import CachedTranslator

        cache = self.translation_cache
        inner = self.engine_translator
        # The device is part of the key: the same weights can round differently elsewhere.
        numbers = getattr(inner, "quantization", None) or "native"
        device = getattr(inner, "device", None) or self.loaded.device
        return CachedTranslator(inner, cache, self.loaded.model_hash, f"{numbers}@{device}")

    @cached_property
    def aligner(self):
        from align.links.attention import AttentionAligner
        from align.links.methods import make_aligner

        attention = None
        if self.model_name is None and self.align_method == "attention":
            raise UserError(
                f"The attention aligner needs a translation model ({option('--model')})."
            )
        if self.model_name is not None and self.align_method in ("attention", "hybrid"):
            options = dict(self.aligner_options)  # the user's (``AlignmentSettings``)
            # A translator of the caller's translates: the model only gives the attention,
            # force-decoded with PyTorch (its weights are loaded for that).
            if not self._given_translator:
                if self.engine == "ctranslate2":
                    options.update(backend="ctranslate2", ct2_translator=self.engine_translator)
                # The translator keeps the attention of what it translates: those
                # hypotheses need no forced decoding.
                options["translator"] = self.engine_translator
            try:
                attention = AttentionAligner(self.loaded, **options)
            except ValueError as exc:  # a layer or head this model does not have
                raise JobError(f"The setting attention= does not fit the model: {exc}.") from None
        self._attention = attention  # for its share of the alignment time
        return make_aligner(
            self.align_method, extra=self.align_extra, attention=attention,
            dictionary=self.dictionary, background=self.background, priors=self.priors,
        )  # fmt: skip

    def _check_out(self, out: Path) -> None:
        """A run's folder is never one the run reads or fills otherwise: the model's, the
        tool's cache, or one holding the translation cache file given as ``cache=``."""
        check_outside_reads(out, "out=", [("model directory", self.model_name)])
        if isinstance(self.cache, str | Path):
            cache = Path(os.path.realpath(Path(self.cache)))  # as the cache reads it
            where = Path(os.path.realpath(out))  # as the run writes it: no ~ expanded
            if where == cache or where in cache.parents:
                raise OutputError(
                    f"the translation cache {self.cache} is inside out= {out}, where the run "
                    "writes its own files only; keep the cache outside the run's folder"
                )

    def _model_warnings(self, loaded, translates: bool = True) -> list[str]:
        """What to say of the model: a fixture's output is gibberish, or, where it only
        lends its attention (a translation given), its attention means nothing."""
        said = GIBBERISH if translates else RANDOM_ATTENTION
        fixture = [f"{self.model_name} is a {said}"] if loaded.fixture else []
        return fixture + list(getattr(loaded, "warnings", ()))

    def segment(self, article: str | Path | Document) -> Document:
        """The article's segments. ``article``: a path, the article's text (a string with a
        line break or Arabic letters that is no file name: ``is_text``), or a ``Document``."""
        article = _as_path(article)
        _check_arguments(article, None, None, None)
        if isinstance(article, Document):
            return article
        if is_text(article):
            text = unicode_text(article, "The article's text")
            decoded = decode_article(text.encode("utf-8"), "text")
            document = segment_text(decoded, doc_id="text")
            if decoded == text:
                return document
            # A leading BOM (a file read with encoding="utf-8") is not the article's, as in a
            # file, but the offsets point into the string the caller holds.
            shift = len(text) - len(decoded)
            return Document(
                document.id,
                text,
                tuple(
                    replace(s, start=s.start + shift, end=s.end + shift) for s in document.segments
                ),
            )
        path = Path(article)
        return segment_text(read_article(path), doc_id=path.stem)

    def _translator_info(self) -> dict:
        info = getattr(self.translator, "info", None)
        if not callable(info):
            return {"engine": "given", "object": type(self.translator).__name__}
        found = info()
        if not isinstance(found, Mapping):
            raise UserError(
                f"The translator's info() must return a dict, not {reprlib.repr(found)}."
            )
        return _json_dict(found, "The translator's info()")

    @_one_at_a_time
    def translate(self, texts: list[str]) -> list[str]:
        """The translator's translations, one string a text (a translator given to the
        pipeline that returns anything else is named in one sentence)."""
        if (
            isinstance(texts, str | bytes)
            or not isinstance(texts, Sequence)
            or not all(isinstance(t, str) for t in texts)
        ):
            raise UserError("translate() takes a list of strings.")
        if self.model_name is None and not self._given_translator:
            raise UserError("Nothing translates: this pipeline has no model and no translator.")
        out = self.translator.translate(list(texts))
        # What the translation cache could not take (ours; a translator of the caller's has
        # no say in the run's warnings).
        unsaved = None if self._given_translator else getattr(self.translator, "unsaved", None)
        if isinstance(unsaved, list) and unsaved:
            for message in unsaved:
                self.on_warning(message)
            self._cache_notes += unsaved
            unsaved.clear()
        found = _one_each(out, len(texts), str, "translator", "text(s)", "translate(texts)")
        for n, text in enumerate(found):
            _one_line(text, f"The translator's translation of texts[{n}]")
        return found

    @_one_at_a_time
    def align(self, pairs: list[tuple[str, str]]) -> list[Alignment]:
        """The aligner's alignments, one ``Alignment`` a pair (an aligner given to the
        pipeline that returns anything else is named in one sentence)."""
        if (
            isinstance(pairs, str | bytes)
            or not isinstance(pairs, Sequence)
            or not all(
                isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(x, str) for x in p)
                for p in pairs
            )
        ):
            raise UserError("align() takes a list of (Arabic, English) pairs of strings.")
        pairs = [(p[0], p[1]) for p in pairs]
        out = self.aligner.align(pairs)
        found = _one_each(out, len(pairs), Alignment, "aligner", "pair(s)", "align(pairs)")
        for n, (alignment, (src, tgt)) in enumerate(zip(found, pairs, strict=True)):
            problem = alignment_problem(alignment, src, tgt)
            if problem:
                raise UserError(
                    f"The aligner returned for pairs[{n}] an align.Alignment {problem}."
                )
        return found

    @_one_at_a_time
    def run(
        self,
        article: str | Path | Document,
        ref: str | Path | Sequence[str] | None = None,
        out: str | Path | None = None,
        force: bool = False,
        ref_layout: str = "lines",
        batch_settings: dict | None = None,
        hyp: str | Path | Sequence[str] | None = None,
        hyp_layout: str = "lines",
    ) -> RunResult:
        """Process one article; with ``out``, write a complete run directory there.

        A run that stops (an error, Ctrl-C) before writing anything leaves no ``out``
        folder behind when it made that folder itself, nor the parents it made for it.

        ``ref_layout``: "lines" (one reference line per segment to translate) or "document"
        (any segmentation: its sentences are aligned to the segments before scoring).
        ``batch_settings``: the settings fingerprint of the batch this run belongs to,
        recorded in the manifest so that a batch knows which settings made the run.
        ``hyp``: a translation made elsewhere (a person, another system); it is aligned and
        scored instead of translating. The model is loaded only when the aligner needs its
        attention (a pipeline made with ``model=None`` never loads one).
        ``hyp_layout``: "lines" (one translated line per segment to translate) or
        "document" (the translation in its own sentences and paragraphs: its sentences are
        brought to the segments by length, ``spread_translation``).
        """
        article, ref, out, hyp = map(_as_path, (article, ref, out, hyp))
        _check_arguments(article, ref, out, hyp, force, batch_settings)
        made = missing_folders(Path(out)) if out is not None else []
        held: list[int] = []  # the lock on ``out`` while this run checks and writes it
        try:
            if out is not None and os.path.isdir(out):
                _hold_out(Path(out), held)
            return self._run(
                article, ref, out, force, ref_layout, batch_settings, hyp, hyp_layout, held
            )
        except _OutBusy:
            raise  # the folder is the other run's now: left to it
        except BaseException:
            while held:  # this run's own hold first, or the folder would look busy
                os.close(held.pop())
            for folder in made:  # the run's folder, then the folders made to hold it
                remove_if_empty(folder)
            raise
        finally:
            for fd in held:
                os.close(fd)

    def _run(
        self, article, ref, out, force, ref_layout, batch_settings, hyp, hyp_layout, held
    ) -> RunResult:
        job = self.prepare(
            article, ref, out, force, ref_layout, batch_settings, hyp, hyp_layout=hyp_layout
        )
        if out is not None and not held:  # made by this run's check: held from here on
            _hold_out(Path(out), held)
        self.align_jobs([job])
        return self.finish(job)

    @_one_at_a_time
    def prepare(
        self, article, ref=None, out=None, force=False, ref_layout="lines", batch_settings=None,
        hyp=None, hyps: Sequence[str] | None = None, made: dict | None = None,
        hyp_layout: str = "lines",
    ) -> ArticleJob:  # fmt: skip
        """Everything before alignment: read, segment and check the inputs, translate (or
        take ``hyp``, a file in ``hyp_layout``, or ``hyps``, translations already made for
        this article), pair a document reference with the segments. A batch prepares all its
        articles, aligns them together (``align_jobs``), then finishes each. ``made``: the
        model and translator records of where ``hyps`` were translated (a batch's Ray
        worker)."""
        article, ref, out, hyp = map(_as_path, (article, ref, out, hyp))
        _check_arguments(article, ref, out, hyp, force, batch_settings)
        if out is not None:
            self._check_out(Path(out))
        if hyp is not None and hyp_layout not in LAYOUTS:
            raise UserError(f"Unknown translation layout {hyp_layout!r}; use lines or document.")
        self.timings = {}
        start = time.perf_counter()
        document = self.segment(article)
        if isinstance(article, Document) or is_text(article):
            article_info = _text_info(document.text)
            article = None
        else:
            article_info = _file_info(article)
        todo = document.to_translate
        ref_lines = None
        if ref is not None and not isinstance(ref, str | Path):
            ref_lines = _given_lines(ref, "ref")
            ref_info = _text_info("\n".join(ref_lines))
            ref = None
        else:
            ref_info = _file_info(ref, "reference file") if ref is not None else None
        given_lines = None
        if hyp is not None and not isinstance(hyp, str | Path):
            if hyp_layout != "lines":
                raise UserError("A translation in document layout is given as a file.")
            given_lines, hyp = _given_lines(hyp, "hyp"), None
        ref_sentences = None
        if ref_lines is not None and ref_layout == "document":
            if not any(line.strip() for line in ref_lines):  # as an empty reference file is
                raise InputError("The given reference is empty: it has no sentence to score.")
            # The lines split into sentences as a reference file's are.
            ref_sentences = reference_sentences("\n".join(ref_lines))
            check_scorable(ref_sentences, "given reference", unit="sentence")
            check_document_size(len(todo), len(ref_sentences))
        elif ref is not None and ref_layout == "document":
            ref_sentences = reference_sentences(read_article(ref, "reference file"))
            check_scorable(ref_sentences, f"reference file {ref}", unit="sentence")
            check_document_size(len(todo), len(ref_sentences))
        elif (
            ref is not None
            and ref_layout != "lines"
            or ref_lines is not None
            and ref_layout != "lines"
        ):
            raise UserError(f"Unknown reference layout {ref_layout!r}; use lines or document.")
        refs = (
            read_reference(ref, len(todo), article)
            if ref is not None and ref_sentences is None
            else None
        )
        if ref_lines is not None and ref_sentences is None:
            refs = ref_lines
            if len(refs) != len(todo):
                raise MismatchError(
                    f"The reference has {_lines(len(refs), 'line')} but the article has "
                    f"{_to_translate(len(todo))}; give one line per segment"
                )
        if refs is not None:  # one line a segment: split, it would no longer be one
            check_scorable(
                refs,
                f"reference file {ref}" if ref is not None else "given reference",
                advice="a reference line is one segment's: give the reference in sentences of "
                f"its own ({option('--ref-layout document')}), or split the article's line and "
                "the reference line with it",
            )
        given = list(hyps) if hyps is not None else given_lines
        if hyps is not None and len(given) != len(todo):
            raise MismatchError(
                f"{_lines(len(given), 'translation')} were made for the article, which has "
                f"{_to_translate(len(todo))}"
            )
        if given_lines is not None and len(given_lines) != len(todo):
            raise MismatchError(
                f"The translation has {_lines(len(given_lines), 'line')} but the article has "
                f"{_to_translate(len(todo))}; give one translated line per segment"
            )
        if (
            given is None
            and hyp is None
            and self.model_name is None
            and ("translator" not in self.__dict__)
        ):
            raise UserError(
                "Nothing translates this article: give a model, a translator or a translation."
            )
        given_info: dict = {}
        hyp_notes: list[str] = []
        if hyp is not None and hyp_layout == "document":
            given, beads, hyp_notes = spread_translation(hyp, todo)
            given_info = {"sentences": sum(len(t) for _, t in beads), "beads": beads}
        elif hyp is not None:
            # (an article of boilerplate alone has no segment: its translation is empty)
            given = read_lines(hyp, "translation file", allow_empty=not todo)
            if len(given) != len(todo):
                raise MismatchError(
                    f"{hyp} has {_lines(len(given), 'translation line')} but the article has "
                    f"{_to_translate(len(todo))}; give one translated line per segment"
                    f"{line_end_note(hyp, article)}{_paragraphs_note(given)}"
                )
        # (a translation given, not one a batch's worker made with the model)
        if given and made is None and swapped([s.text for s in todo], given):
            raise MismatchError(
                "The article has no Arabic letter and the translation has some: the two look "
                f"swapped; give the Arabic article first and its English as {option('--hyp')}."
            )
        run_dir = Path(out) if out is not None else None
        if run_dir is not None:
            inputs = [("article", article), ("reference file", ref), ("translation file", hyp)]
            check_run_dir(
                run_dir,
                force=force,
                inputs=[(w, p) for w, p in inputs if p],
                folders=[("model directory", self.model_name)],
            )
        self.timings["segment"] = time.perf_counter() - start

        if not todo:  # a run all the same (its records, its manifest), with nothing in it
            hyp_notes.append(
                f"the article has no segment to translate: its {len(document.segments)} "
                "segment(s) are boilerplate"
                if document.segments
                else "the article has no segment to translate"
            )
        for note in hyp_notes:
            self.on_warning(note)
        notes = list(hyp_notes)
        translating = given is None and hyp is None
        uses_model = self.model_name is not None and (
            (translating and not self._given_translator) or self._attention_wanted
        )
        if translating and not self._given_translator and self.cache is not False:
            self.translation_cache  # noqa: B018 (a bad cache file is said before the load)
        if uses_model and made is None:
            self._translates = translating and not self._given_translator
            notes += self._model_warnings(self.loaded, self._translates)  # load once, timed apart
            self.timings["load_model"] = self._load_seconds
        start = time.perf_counter()
        self.aligner  # noqa: B018 (a missing aligner library stops the run before translating)
        # Loading the background, its cached priors and the forced-decoding model.
        self.timings["prepare_aligner"] = time.perf_counter() - start
        # What the manifest takes from a caller's objects is said before their work (a
        # translator's calls may be paid for): read again for the manifest, after it.
        _mapping(getattr(self.aligner, "settings", {}))
        if made is None and translating and self._given_translator:
            self._translator_info()
        start = time.perf_counter()
        self._cache_notes = []
        translated = given if given is not None else self.translate([s.text for s in todo])
        notes += self._cache_notes
        self.timings["translate"] = time.perf_counter() - start
        if made is None:
            made = {
                # The model that translated the article or gave the aligner its attention.
                "model": self.loaded.info() if uses_model else None,
                # A translation made elsewhere is recorded as its file and hash.
                "translator": (
                    {
                        "given": {
                            **_file_info(hyp, "translation file"),
                            "hyp_layout": hyp_layout,
                            **given_info,
                        }
                    }
                    if hyp is not None
                    else {"given": {**_text_info("\n".join(given_lines)), "hyp_layout": "lines"}}
                    if given_lines is not None
                    else self._translator_info()
                ),
            }

        docal = None
        if ref_sentences is not None:
            start = time.perf_counter()
            docal = align_documents(
                translated, ref_sentences, hyp_names=("segment", [s.index for s in todo])
            )
            refs = docal.segment_references(ref_sentences)
            for note in docal.notes:
                self.on_warning(f"reference alignment: {note}")
                notes.append(f"reference alignment: {note}")
            self.timings["reference_alignment"] = time.perf_counter() - start
        return ArticleJob(
            article, ref, hyp, run_dir, force, ref_layout, batch_settings, document,
            translated, refs, ref_sentences, docal, notes, dict(self.timings),
            made["model"], made["translator"], article_info=article_info, ref_info=ref_info,
        )  # fmt: skip

    @_one_at_a_time
    def align_jobs(self, jobs: Sequence[ArticleJob]) -> None:
        """Align every job's pairs (source–translation and source–reference) in one call,
        so that a statistical model learns from all of them at once, and give each job its
        links. The time is shared out by pair count."""
        start = time.perf_counter()
        pairs: list[tuple[str, str]] = []
        where: list[tuple[ArticleJob, str, int]] = []
        for job in jobs:
            todo = job.document.to_translate
            for k, (seg, h) in enumerate(zip(todo, job.hyps, strict=True)):
                pairs.append((seg.text, h))
                where.append((job, "hyp", k))
            if job.refs is not None and self.align_reference:
                job.ref_links = {}
                for k, r in enumerate(job.refs):
                    if r is not None:
                        pairs.append((todo[k].text, r))
                        where.append((job, "ref", k))
        found = self.align(pairs) if pairs else []
        # The pairs our aligners leave unaligned for their length, and why (an aligner of
        # the caller's is not asked: it aligns every pair it is given).
        ours = isinstance(self.aligner, LengthLimited)
        skipped = set(self.aligner.skipped) if ours else set()
        reasons = self.aligner.reasons if ours else {}
        for n, ((job, kind, k), links) in enumerate(zip(where, found, strict=True)):
            if kind == "hyp":
                job.hyp_links.append(links)
            else:
                job.ref_links[k] = links
            if n in skipped:
                seg = job.document.to_translate[k]
                what = "translation" if kind == "hyp" else "reference"
                reason = reasons.get(n) or too_long(*pairs[n])
                note = f"segment {seg.index} and its {what} are not aligned: {reason}"
                self.on_warning(note)
                job.notes.append(note)
        seconds = time.perf_counter() - start
        attention = getattr(self, "_attention", None)
        parts = attention.take_timings() if attention is not None else {}
        for job in jobs:
            share = sum(1 for j, _, _ in where if j is job) / max(len(where), 1)
            job.timings["align"] = seconds * share
            job.timings.update({k: v * share for k, v in parts.items()})

    @_one_at_a_time
    def finish(self, job: ArticleJob) -> RunResult:
        """Score an aligned job, build its records and manifest, write its run directory."""
        self.timings = job.timings
        hyps, refs, todo, notes = job.hyps, job.refs, job.document.to_translate, job.notes
        start = time.perf_counter()
        scores = sent_scores = None
        if refs is not None and todo:
            scores, sent_scores = self._scores(
                hyps, refs, job.docal, job.ref_sentences, todo, notes, job.translator_info
            )
        elif refs is not None:
            scores = {"corpus": None, "note": "the article has no segment to translate or score"}
        self.timings["score"] = time.perf_counter() - start

        records = self._records(
            job.document, hyps, refs, job.hyp_links, job.ref_links, sent_scores, job.docal
        )
        start = time.perf_counter()
        checked = self._check_records(records, job.translator_info)
        self.timings["checks"] = time.perf_counter() - start
        if checked is not None:
            from align.checks.dictionary import without_dictionary

            if (note := without_dictionary()) is not None:
                self.on_warning(note)
                notes.append(note)
        manifest = self._manifest(job, notes)
        manifest["checks"] = checked
        manifest["reference_layout"] = job.ref_layout if job.ref is not None else None
        if job.batch_settings is not None:
            manifest["batch_settings"] = job.batch_settings
        run_dir = job.run_dir
        result = RunResult(
            job.document, records, scores, manifest, run_dir, notes, job.docal,
            _ref_texts=list(job.ref_sentences or []),
        )  # fmt: skip
        if run_dir is not None:
            try:
                result.manifest = self._write(
                    run_dir, result, hyps, refs, job.force, job.ref_sentences
                )
            except RunFolderRefused:
                raise  # refused before anything was written: said as it is, this run's alone
            except OutputError as exc:
                where = (
                    f"nothing of this run was written, and {run_dir} is as it was"
                    if isinstance(exc, RunKept)
                    else f"the run in {run_dir} is not marked complete (it has no manifest)"
                )
                given = "given" in (job.translator_info or {})  # nothing was translated
                hint = "" if given else f"; {self.retry_hint}"
                raise OutputError(f"{exc}; {where}{hint}") from exc
        return result

    # Where a batch keeps the translations it made until its runs are written (set by the
    # batch), which a new try takes up whatever the cache.
    translations_kept: Path | None = None

    @property
    def retry_hint(self) -> str:
        """What a new try after a failure keeps of this one's translations."""
        kept = self.translations_kept
        if kept is not None and kept.is_file():
            return f"the translations made are kept in {kept}: a new try takes them up"
        if self._given_translator:  # the caller's translator is not cached
            return "a new try asks the translator again"
        if self._cache_notes:  # the cache could not store them (a full disk, say)
            return "the cache could not store the translations: a new try translates again"
        if self.cache is False:
            return "the translations were not cached (--no-cache): a new try translates again"
        return "a new try reuses the cached translations"

    def _unscored(self, notes: list[str], what: str, reason: str, are: bool = False) -> None:
        note = f"{what} {'are' if are else 'is'} left out of the scores: the pair {reason}"
        self.on_warning(note)
        notes.append(note)

    def _scores(
        self, hyps, refs, docal, ref_sentences, todo, notes, translator
    ) -> tuple[dict, list]:
        """Corpus and per-segment scores; with a document reference, over the aligned beads,
        and with a line reference, over ``translation_groups`` (each segment of a bead or
        group gets its sentence scores). A pair too long to score is left out, with a
        warning that names it."""
        if docal is None:
            indices = [seg.index for seg in todo]
            groups, pair_hyps, pair_refs = _line_pairs(hyps, refs, indices, translator)

            def named(g: tuple[int, ...]) -> str:
                return ", ".join(str(todo[k].index) for k in g)

            empty = [named(g) for g, r in zip(groups, pair_refs, strict=True) if not r.strip()]
            if empty:  # scored all the same, as sacrebleu scores them: said, not hidden
                note = (
                    f"the reference of segment(s) {', '.join(empty[:10])}"
                    f"{' and others' if len(empty) > 10 else ''} is empty: scored as a "
                    "reference with no words, it counts against the translation"
                )
                self.on_warning(note)
                notes.append(note)
            rows: list[dict | None] = [None] * len(hyps)
            kept = _scorable(pair_hyps, pair_refs)
            for n in sorted(set(range(len(groups))) - set(kept)):
                reason = too_long_to_score(pair_hyps[n]) or too_long_to_score(pair_refs[n])
                which = "segment" if len(groups[n]) == 1 else "segments"
                self._unscored(notes, f"{which} {named(groups[n])}", reason, are=len(groups[n]) > 1)
            found, sigs = sentence_scores(
                [pair_hyps[n] for n in kept], [pair_refs[n] for n in kept]
            )
            for n, row in zip(kept, found, strict=True):
                for k in groups[n]:
                    rows[k] = row
            # hyp.txt and ref.txt hold every segment; with some left out or scored together,
            # the command that gives these figures reads the scored pairs (SCORED_FILES,
            # written by _write).
            files = ("ref.txt", "hyp.txt") if len(kept) == len(hyps) else SCORED_FILES[::-1]
            scores = {
                "corpus": corpus_scores([pair_hyps[n] for n in kept], [pair_refs[n] for n in kept])
                if kept
                else None,
                "sentence_signatures": sigs,
                "segments": len(hyps),
                "sacrebleu_cli": f"sacrebleu {files[0]} -i {files[1]} " + " ".join(CLI_ARGS),
            }
            if len(kept) < len(hyps):  # (pairs joined or left out: what SCORED_FILES hold)
                scores["pairs"] = len(kept)
            return scores, rows
        pair_hyps, pair_refs = docal.pairs(hyps, ref_sentences)
        paired = [b for b in docal.beads if b.hyp and b.ref]
        keep = _scorable(pair_hyps, pair_refs)
        for n in sorted(set(range(len(pair_hyps))) - set(keep)):
            reason = too_long_to_score(pair_hyps[n]) or too_long_to_score(pair_refs[n])
            segs = ", ".join(str(todo[k].index) for k in paired[n].hyp)
            which = "segment" if len(paired[n].hyp) == 1 else "segments"
            self._unscored(notes, f"the bead of {which} {segs}", reason)
        pair_hyps = [pair_hyps[n] for n in keep]
        pair_refs = [pair_refs[n] for n in keep]
        paired = [paired[n] for n in keep]
        per_segment: list[dict | None] = [None] * len(hyps)
        scores = {
            "corpus": corpus_scores(pair_hyps, pair_refs) if pair_hyps else None,
            "sentence_signatures": None,
            "segments": len(hyps),
            "reference_layout": "document",
            "sacrebleu_cli": "sacrebleu aligned.ref.txt -i aligned.hyp.txt " + " ".join(CLI_ARGS),
        }
        if pair_hyps:
            rows, scores["sentence_signatures"] = sentence_scores(pair_hyps, pair_refs)
            for bead, row in zip(paired, rows, strict=True):
                for k in bead.hyp:
                    per_segment[k] = row
        return scores, per_segment

    def check_list(self) -> list | None:
        """The checks this pipeline runs (None: none, ``checks=False``)."""
        if self.checks is False:
            return None
        if self.checks is True:
            from align.checks import all_checks

            return all_checks()
        return list(self.checks)

    def _check_records(self, records: list[dict], translator: dict | None) -> list[str] | None:
        """Give every translated record its findings (``findings``: a list, worst first, in
        the segment's own offsets), from the records as ``align.run`` reads them, so that a
        run checked later (``arabic-align check``) finds the same; the names of the checks
        run, or None (and ``findings: null``) when the pipeline runs none."""
        checks = self.check_list()
        translated = [r for r in records if r["translated"]]
        if checks is None:
            for row in translated:
                row["findings"] = None
            return None
        from align.checks import check_article, inputs_of_run
        from align.run import run_from_records

        # The beads point into the document alignment, which the checks do not read.
        rows = [{k: v for k, v in r.items() if k != "bead"} for r in records]
        # (with the translator: a translation given in document layout has its beads there)
        manifest = {"schema_version": SCHEMA_VERSION, "translator": translator or {}}
        run = run_from_records(None, manifest, rows, None, None)
        found = check_article(inputs_of_run(run), checks)
        for row, findings in zip(translated, found, strict=True):  # (checked by check_article)
            row["findings"] = [f.to_json() for f in findings]
        return [c.name for c in checks]

    def _records(
        self, document, hyps, refs, hyp_links, ref_links, sent_scores, docal=None
    ) -> list[dict]:
        bead_of = docal.bead_of_segment() if docal is not None else None
        records = []
        k = 0
        for seg in document.segments:
            row = {"index": seg.index, **seg.to_json(), "translated": seg.translated}
            row["source"] = row.pop("text")
            if seg.translated:
                row["hypothesis"] = hyps[k]
                row["reference"] = refs[k] if refs is not None else None
                # Source offsets point into the article, target offsets into the string
                # they align (the hypothesis or the reference).
                row["alignment"] = hyp_links[k].shifted(src=seg.start).to_json()
                ref_link = ref_links.get(k) if ref_links else None
                row["reference_alignment"] = (
                    ref_link.shifted(src=seg.start).to_json() if ref_link else None
                )
                row["scores"] = sent_scores[k] if sent_scores is not None else None
                if bead_of is not None:
                    row["bead"] = bead_of[k]
                k += 1
            else:
                row.update(hypothesis=None, reference=None, alignment=None)
                row.update(reference_alignment=None, scores=None)
            records.append(row)
        return records

    def _manifest(self, job: ArticleJob, notes: list[str]) -> dict:
        article, ref, document = job.article, job.ref, job.document
        file_info = _file_info
        return {
            "schema_version": SCHEMA_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": sys.argv,
            "article": job.article_info or file_info(article),
            "reference": job.ref_info or (file_info(ref) if ref is not None else None),
            "document_id": document.id,
            "counts": {
                "segments": len(document.segments),
                "translated": len(document.to_translate),
            },
            "model": job.model_info,
            "translator": job.translator_info,
            "aligner": {
                **_mapping(getattr(self.aligner, "settings", {})),
                "method": self.align_method,  # the run's name for it, whatever settings says
            },
            "packages": package_versions(),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "warnings": list(notes),  # a list of its own: result.warnings is another
        }

    def _write(
        self, run_dir: Path, result: RunResult, hyps, refs, force: bool, ref_sentences
    ) -> dict:
        start = time.perf_counter()
        # Every file's text is made first, so that nothing a run holds can fail to be
        # written once the folder (with --force, an old run) is cleared for it.
        files = {"segments.jsonl": dumps_jsonl(result.records), "hyp.txt": lines_file(hyps)}
        docal = result.document_alignment
        if docal is not None:
            pair_hyps, pair_refs = docal.pairs(hyps, ref_sentences)
            kept = _scorable(pair_hyps, pair_refs)  # the scored pairs: what the scores read
            files["aligned.hyp.txt"] = lines_file([pair_hyps[n] for n in kept])
            files["aligned.ref.txt"] = lines_file([pair_refs[n] for n in kept])
            files["docalign.json"] = json.dumps(
                {**docal.to_json(), "reference_texts": ref_sentences}, ensure_ascii=False, indent=1
            ) + "\n"  # fmt: skip
        elif refs is not None:
            files["ref.txt"] = lines_file(refs)
            indices = [r["index"] for r in result.records if r["translated"]]
            translator = result.manifest.get("translator")
            _, pair_hyps, pair_refs = _line_pairs(hyps, refs, indices, translator)
            kept = _scorable(pair_hyps, pair_refs)
            if len(kept) < len(hyps):
                files[SCORED_FILES[0]] = lines_file([pair_hyps[n] for n in kept])
                files[SCORED_FILES[1]] = lines_file([pair_refs[n] for n in kept])
        scores = result.scores_json or NO_REFERENCE
        files["scores.json"] = json.dumps(scores, indent=2) + "\n"
        result.manifest["timings"]["write"] = round(time.perf_counter() - start, 3)
        return write_run(run_dir, files, result.manifest, force=force)
