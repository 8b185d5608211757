"""The backbone: an Arabic article in; segments, translations, links, spans and scores out.

``Pipeline`` is what ``arabic-align run`` calls and what ``from align import Pipeline``
gives: read and segment the article, translate the segments to translate, align each
source segment with its translation (and with its reference when there is one), score
against the reference, and write a run directory whose manifest goes last.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from importlib import metadata
from pathlib import Path

from align.doc import Document
from align.errors import MismatchError, OutputError, UserError
from align.links.base import Alignment
from align.links.methods import too_long
from align.model.fixture import GIBBERISH
from align.model.registry import DEFAULT_MODEL
from align.records import (
    SCHEMA_VERSION,
    atomic_write_text,
    check_run_dir,
    dumps_jsonl,
    finish_run,
    lines_file,
    prepare_run_dir,
    remove_if_empty,
    sha256_file,
)
from align.score.docalign import (
    DocAlignment,
    align_documents,
    check_document_size,
    reference_sentences,
)
from align.score.metrics import (
    CLI_ARGS,
    check_scorable,
    corpus_scores,
    sentence_scores,
    too_long_to_score,
)
from align.text import read_article, read_lines, segment_text
from align.translate.base import DecodingSettings

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


def read_reference(path: str | Path, expected: int) -> list[str]:
    """One reference segment a line, in the order of the segments to translate."""
    lines = read_lines(path, "reference file")
    if len(lines) != expected:
        raise MismatchError(
            f"{path} has {len(lines)} reference lines but the article has {expected} "
            "segments to translate (boilerplate excluded); give one reference line per segment"
        )
    return lines


@dataclass
class RunResult:
    document: Document
    records: list[dict]
    scores: dict | None
    manifest: dict
    run_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)
    document_alignment: DocAlignment | None = None

    @property
    def hypotheses(self) -> list[str]:
        return [r["hypothesis"] for r in self.records if r["translated"]]


def _file_info(path) -> dict:
    return {"path": str(path), "sha256": sha256_file(Path(path))}


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


class Pipeline:
    """Segment, translate, align and score one article at a time with one loaded model."""

    def __init__(
        self,
        model: str | None = DEFAULT_MODEL,
        *,
        settings: DecodingSettings | None = None,
        device: str | None = None,
        progress: bool | None = None,
        align_reference: bool = True,
        aligner_options: dict | None = None,
        on_warning: Callable[[str], None] | None = None,
        engine: str = "auto",
        quantization: str | None = None,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        cache: bool | str | Path = True,
        align_method: str = "hybrid",
        align_extra: Sequence[tuple[str, str]] = (),
        dictionary=None,
        background=True,
        priors=None,
    ) -> None:
        from align.links.methods import METHODS
        from align.translate.engines import resolve_engine

        if align_method not in METHODS:
            raise UserError(
                f"Unknown alignment method {align_method!r}; choose one of: {', '.join(METHODS)}."
            )
        self.align_method = align_method
        self.align_extra = list(align_extra)
        self.dictionary = dictionary
        # The aligners' background knowledge (links.background): True loads the default,
        # False turns it off, or a Background object is used as given. Loaded here, so that
        # a missing resource is reported before any slow work.
        if background is True or background is False:
            from align.links.background import background_for

            background = background_for(align_method, background)
        self.background = background
        self.priors = priors  # links.priors.Priors, or None

        self.engine = resolve_engine(engine)  # an engine that is not installed fails here
        self.quantization = quantization
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self.cache = cache
        self.model_name = model
        self.settings = settings or DecodingSettings()
        self.device = device
        self.progress = progress
        self.align_reference = align_reference
        self.aligner_options = aligner_options or {}
        # Every place that uses a fixture says so: the CLI prints to stderr, the library
        # warns through Python's warnings unless the caller takes the messages itself.
        self.on_warning = on_warning or (lambda m: warnings.warn(m, UserWarning, stacklevel=3))
        self._load_seconds = 0.0
        self.timings: dict[str, float] = {}

    # The model is loaded on first use, so bad input is reported before a slow load.
    @cached_property
    def loaded(self):
        from align.model.load import load_marian

        start = time.perf_counter()
        # CTranslate2 runs its own converted copy: the PyTorch weights are not needed then.
        loaded = load_marian(
            self.model_name, device=self.device, weights=self.engine == "transformers"
        )
        self._load_seconds = time.perf_counter() - start
        for message in self._model_warnings(loaded):  # say it before the slow work
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
    def translator(self):
        """The engine behind the translation cache, unless the cache is off."""
        inner = self.engine_translator
        if self.cache is False:
            return inner
        from align.translate.cache import CachedTranslator, TranslationCache

        path = None if self.cache is True else Path(self.cache)
        # The device is part of the key: the same weights can round differently elsewhere.
        numbers = getattr(inner, "quantization", None) or "native"
        device = getattr(inner, "device", None) or self.loaded.device
        return CachedTranslator(
            inner, TranslationCache(path), self.loaded.model_hash, f"{numbers}@{device}"
        )

    @cached_property
    def aligner(self):
        from align.links.attention import AttentionAligner
        from align.links.methods import make_aligner

        attention = None
        if self.model_name is None and self.align_method == "attention":
            raise UserError("The attention aligner needs a translation model (--model).")
        if self.model_name is not None and self.align_method in ("attention", "hybrid"):
            options = dict(self.aligner_options)
            if self.engine == "ctranslate2":
                options.setdefault("engine", "ctranslate2")
                options.setdefault("ct2_translator", self.engine_translator)
            # The translator keeps the attention of what it translates: those hypotheses
            # need no forced decoding.
            options.setdefault("translator", self.engine_translator)
            attention = AttentionAligner(self.loaded, **options)
        self._attention = attention  # for its share of the alignment time
        return make_aligner(
            self.align_method, extra=self.align_extra, attention=attention,
            dictionary=self.dictionary, background=self.background, priors=self.priors,
        )  # fmt: skip

    def _model_warnings(self, loaded) -> list[str]:
        return [f"{self.model_name} is a {GIBBERISH}"] if loaded.fixture else []

    def segment(self, article: str | Path) -> Document:
        path = Path(article)
        return segment_text(read_article(path), doc_id=path.stem)

    def translate(self, texts: list[str]) -> list[str]:
        return self.translator.translate(texts)

    def align(self, pairs: list[tuple[str, str]]) -> list[Alignment]:
        return self.aligner.align(pairs)

    def run(
        self,
        article: str | Path,
        ref: str | Path | None = None,
        out: str | Path | None = None,
        force: bool = False,
        ref_layout: str = "lines",
        batch_settings: dict | None = None,
        hyp: str | Path | None = None,
    ) -> RunResult:
        """Process one article; with ``out``, write a complete run directory there.

        A run that stops (an error, Ctrl-C) before writing anything leaves no ``out``
        folder behind when it made that folder itself.

        ``ref_layout``: "lines" (one reference line per segment to translate) or "document"
        (any segmentation: its sentences are aligned to the segments before scoring).
        ``batch_settings``: the settings fingerprint of the batch this run belongs to,
        recorded in the manifest so that a batch knows which settings made the run.
        ``hyp``: a translation made elsewhere (a person, another system), one line per
        segment to translate; it is aligned and scored instead of translating. The model is
        loaded only when the aligner needs its attention (a pipeline made with
        ``model=None`` never loads one).
        """
        created = out is not None and not os.path.lexists(out)
        try:
            return self._run(article, ref, out, force, ref_layout, batch_settings, hyp)
        except BaseException:
            if created:
                remove_if_empty(Path(out))
            raise

    def _run(self, article, ref, out, force, ref_layout, batch_settings, hyp) -> RunResult:
        job = self.prepare(article, ref, out, force, ref_layout, batch_settings, hyp)
        self.align_jobs([job])
        return self.finish(job)

    def prepare(
        self, article, ref=None, out=None, force=False, ref_layout="lines", batch_settings=None,
        hyp=None, hyps: Sequence[str] | None = None, made: dict | None = None,
    ) -> ArticleJob:  # fmt: skip
        """Everything before alignment: read, segment and check the inputs, translate (or
        take ``hyp``, a file, or ``hyps``, translations already made for this article),
        pair a document reference with the segments. A batch prepares all its articles,
        aligns them together (``align_jobs``), then finishes each. ``made``: the model and
        translator records of where ``hyps`` were translated (a batch's Ray worker)."""
        self.timings = {}
        start = time.perf_counter()
        document = self.segment(article)
        todo = document.to_translate
        ref_sentences = None
        if ref is not None and ref_layout == "document":
            ref_sentences = reference_sentences(read_article(ref, "reference file"))
            check_scorable(ref_sentences, f"reference file {ref}", unit="sentence")
            check_document_size(len(todo), len(ref_sentences))
        elif ref is not None and ref_layout != "lines":
            raise UserError(f"Unknown reference layout {ref_layout!r}; use lines or document.")
        refs = read_reference(ref, len(todo)) if ref is not None and ref_sentences is None else None
        if refs is not None:
            check_scorable(refs, f"reference file {ref}")
        given = list(hyps) if hyps is not None else None
        if hyp is not None:
            given = read_lines(hyp, "translation file")
            if len(given) != len(todo):
                raise MismatchError(
                    f"{hyp} has {len(given)} translation lines but the article has "
                    f"{len(todo)} segments to translate (boilerplate excluded); give one "
                    "translated line per segment"
                )
        run_dir = Path(out) if out is not None else None
        if run_dir is not None:
            inputs = [("article", article), ("reference file", ref), ("translation file", hyp)]
            check_run_dir(run_dir, force=force, inputs=inputs)
        self.timings["segment"] = time.perf_counter() - start

        notes = []
        if self.model_name is not None and made is None:
            notes = self._model_warnings(self.loaded)  # load once, timed apart
            self.timings["load_model"] = self._load_seconds
        self.aligner  # noqa: B018 (a missing aligner library stops the run before translating)
        start = time.perf_counter()
        translated = given if given is not None else self.translate([s.text for s in todo])
        self.timings["translate"] = time.perf_counter() - start
        if made is None:
            made = {
                "model": self.loaded.info() if self.model_name is not None else None,
                # A translation made elsewhere is recorded as its file and hash.
                "translator": (
                    {"given": _file_info(hyp)} if hyp is not None else self.translator.info()
                ),
            }

        docal = None
        if ref_sentences is not None:
            start = time.perf_counter()
            docal = align_documents(translated, ref_sentences)
            refs = docal.segment_references(ref_sentences)
            for note in docal.notes:
                self.on_warning(f"reference alignment: {note}")
                notes.append(f"reference alignment: {note}")
            self.timings["reference_alignment"] = time.perf_counter() - start
        return ArticleJob(
            article, ref, hyp, run_dir, force, ref_layout, batch_settings, document,
            translated, refs, ref_sentences, docal, notes, dict(self.timings),
            made["model"], made["translator"],
        )  # fmt: skip

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
        skipped = set(getattr(self.aligner, "skipped", ()))
        for n, ((job, kind, k), links) in enumerate(zip(where, found, strict=True)):
            if kind == "hyp":
                job.hyp_links.append(links)
            else:
                job.ref_links[k] = links
            if n in skipped:
                seg = job.document.to_translate[k]
                what = "translation" if kind == "hyp" else "reference"
                reason = too_long(*pairs[n])
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

    def finish(self, job: ArticleJob) -> RunResult:
        """Score an aligned job, build its records and manifest, write its run directory."""
        self.timings = job.timings
        hyps, refs, todo, notes = job.hyps, job.refs, job.document.to_translate, job.notes
        start = time.perf_counter()
        scores = sent_scores = None
        if refs is not None and todo:
            scores, sent_scores = self._scores(
                hyps, refs, job.docal, job.ref_sentences, todo, notes
            )
        self.timings["score"] = time.perf_counter() - start

        records = self._records(
            job.document, hyps, refs, job.hyp_links, job.ref_links, sent_scores, job.docal
        )
        if scores is not None and notes:
            scores["warnings"] = notes
        manifest = self._manifest(job, notes)
        manifest["reference_layout"] = job.ref_layout if job.ref is not None else None
        if job.batch_settings is not None:
            manifest["batch_settings"] = job.batch_settings
        run_dir = job.run_dir
        result = RunResult(job.document, records, scores, manifest, run_dir, notes, job.docal)
        if run_dir is not None:
            try:
                result.manifest = self._write(
                    run_dir, result, hyps, refs, job.force, job.ref_sentences
                )
            except OutputError as exc:
                raise OutputError(
                    f"{exc}; the run in {run_dir} is not marked complete (it has no manifest)"
                    + ("; a new try reuses the cached translations" if self.cache else "")
                ) from exc
        return result

    def _unscored(self, notes: list[str], what: str, reason: str) -> None:
        note = f"{what} is left out of the scores: the pair {reason}"
        self.on_warning(note)
        notes.append(note)

    def _scores(self, hyps, refs, docal, ref_sentences, todo, notes) -> tuple[dict, list]:
        """Corpus and per-segment scores; with a document reference, over the aligned beads
        (each segment of a bead gets the bead's sentence scores). A pair too long to score is
        left out, with a warning that names it."""
        if docal is None:
            rows: list[dict | None] = [None] * len(hyps)
            kept = []
            for k, (h, r) in enumerate(zip(hyps, refs, strict=True)):
                reason = too_long_to_score(h) or too_long_to_score(r)
                if reason:
                    self._unscored(notes, f"segment {todo[k].index}", reason)
                else:
                    kept.append(k)
            found, sigs = sentence_scores([hyps[k] for k in kept], [refs[k] for k in kept])
            for k, row in zip(kept, found, strict=True):
                rows[k] = row
            scores = {
                "corpus": corpus_scores([hyps[k] for k in kept], [refs[k] for k in kept])
                if kept
                else None,
                "sentence_signatures": sigs,
                "segments": len(hyps),
                "sacrebleu_cli": "sacrebleu ref.txt -i hyp.txt " + " ".join(CLI_ARGS),
            }
            return scores, rows
        pair_hyps, pair_refs = docal.pairs(hyps, ref_sentences)
        paired = [b for b in docal.beads if b.hyp and b.ref]
        keep = []
        for n, (h, r) in enumerate(zip(pair_hyps, pair_refs, strict=True)):
            reason = too_long_to_score(h) or too_long_to_score(r)
            if reason:
                segs = ", ".join(str(todo[k].index) for k in paired[n].hyp)
                self._unscored(notes, f"the bead of segments {segs}", reason)
            else:
                keep.append(n)
        pair_hyps = [pair_hyps[n] for n in keep]
        pair_refs = [pair_refs[n] for n in keep]
        paired = [paired[n] for n in keep]
        per_segment: list[dict | None] = [None] * len(hyps)
        scores = {
            "corpus": corpus_scores(pair_hyps, pair_refs) if pair_hyps else None,
            "sentence_signatures": None,
            "segments": len(hyps),
            "reference_layout": "document",
            "document_alignment": {k: v for k, v in docal.to_json().items() if k != "beads"},
            "sacrebleu_cli": "sacrebleu aligned.ref.txt -i aligned.hyp.txt " + " ".join(CLI_ARGS),
        }
        if pair_hyps:
            rows, scores["sentence_signatures"] = sentence_scores(pair_hyps, pair_refs)
            for bead, row in zip(paired, rows, strict=True):
                for k in bead.hyp:
                    per_segment[k] = row
        return scores, per_segment

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
            "article": file_info(article),
            "reference": file_info(ref) if ref is not None else None,
            "document_id": document.id,
            "counts": {
                "segments": len(document.segments),
                "translated": len(document.to_translate),
            },
            "model": job.model_info,
            "translator": job.translator_info,
            "aligner": {"method": self.aligner.method, **self.aligner.settings},
            "packages": package_versions(),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "warnings": notes,
        }

    def _write(
        self, run_dir: Path, result: RunResult, hyps, refs, force: bool, ref_sentences
    ) -> dict:
        start = time.perf_counter()
        prepare_run_dir(run_dir, force=force)
        atomic_write_text(run_dir / "segments.jsonl", dumps_jsonl(result.records))
        atomic_write_text(run_dir / "hyp.txt", lines_file(hyps))
        docal = result.document_alignment
        if docal is not None:
            pair_hyps, pair_refs = docal.pairs(hyps, ref_sentences)
            atomic_write_text(run_dir / "aligned.hyp.txt", lines_file(pair_hyps))
            atomic_write_text(run_dir / "aligned.ref.txt", lines_file(pair_refs))
            atomic_write_text(
                run_dir / "docalign.json",
                json.dumps({**docal.to_json(), "reference_texts": ref_sentences},
                           ensure_ascii=False, indent=1) + "\n",
            )  # fmt: skip
        elif refs is not None:
            atomic_write_text(run_dir / "ref.txt", lines_file(refs))
        scores = result.scores or {"corpus": None, "note": "no reference was given"}
        atomic_write_text(run_dir / "scores.json", json.dumps(scores, indent=2) + "\n")
        result.manifest["timings"]["write"] = round(time.perf_counter() - start, 3)
        return finish_run(run_dir, result.manifest)
