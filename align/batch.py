"""Many articles in one job: one run directory each, a summary, corpus scores; resumable.

``arabic-align batch`` and ``scripts/translate_batch.py`` call ``run_batch``. Every article
becomes ``OUT/<id>/``, a run directory exactly as ``arabic-align run`` writes it. An article
whose run is complete is skipped, so a job killed at any moment (even ``kill -9``) and
started again ends with the same files as one uninterrupted job: runs are written
atomically with their manifest last, and the summary (``summary.jsonl``, one line per
article in input order, with its findings counted by severity) and the corpus scores
(``corpus.json``) are rebuilt from the run directories, never appended to. ``batch.json``
records the settings that decide the output (model files, decoding, engines, aligner,
reference layout, ``--no-checks``) and the ids it started, and
every run's manifest records them too; a folder of runs made with other settings is refused
(``--force`` starts over, removing only what the deletion rule below allows); a run made
from other article, reference or translation bytes is run again.

An article of a manifest may come with its translation (``"hyp"``, in ``"hyp_layout"``
lines or document): it is aligned and scored as ``arabic-align run --hyp`` does, not
translated. When every article comes with one and no model is named, none is loaded.

In a folder of articles, ``NAME.en.txt`` is the reference of the article ``NAME.ar.txt``
(or ``NAME.txt``) beside it (``read_inputs``).

A bad article (missing, empty, binary, not UTF-8, a reference that does not fit) is recorded
in the summary with its reason and the others go on; the exit status says whether any
failed. A problem with the job itself (``JobError``: the model, engine, device,
quantization, aligner libraries, Ray) is found before any article and stops the job with
one sentence, leaving no batch.json.

``executor="ray"`` runs the same work on a Ray cluster (Ray Data ``map_batches`` over an
actor pool, one pipeline and model per actor, the cluster's GPUs shared between the
actors); the workers only translate, and the driver aligns every article's pairs together
and writes every run, so the output folder is the driver's alone.
"""

from __future__ import annotations

import contextlib
import difflib
import glob
import json
import os
import secrets
import socket
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from align.errors import (
    InputError,
    JobError,
    MismatchError,
    OutputError,
    UserError,
    clipped,
    from_command_line,
    not_loaded,
    on_command_line,
    printable,
)
from align.extras import pip_install
from align.links.base import Alignment
from align.records import (
    BATCH_FILES,
    MANIFEST,
    RUN_FILES,
    SWAPPING,
    RunFolderRefused,
    atomic_write_text,
    check_output_dir,
    check_outside_reads,
    is_tool_temp,
    json_line,
    jsonl_rows,
    loads_json,
    lock_folder,
    mark_swapping,
    missing_folders,
    not_a_folder,
    remove_if_empty,
    remove_stale_temps,
    review_work,
    review_work_sentence,
)
from align.run import Run, finding_counts, is_complete, listed_files, scored_by_segment_then
from align.threads import signals_held, wait_until

# links.json: the joint alignment of the articles being run, kept until they are written;
# translations.jsonl: the translations made, kept until then too.
BATCH_FILE, SUMMARY, CORPUS, LINKS, TRANSLATIONS = BATCH_FILES
EXECUTORS = ("local", "ray")


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    reference: str | None = None
    hyp: str | None = None  # a translation made elsewhere: aligned and scored, not translated
    hyp_layout: str = "lines"  # of ``hyp``: "lines" or "document" (``Pipeline.run``)


@dataclass
class BatchSettings:
    """What decides the output (``fingerprint``) plus how to run (not in the fingerprint)."""

    # None: the default model when an article is to be translated, and no model at all when
    # every article comes with its translation (``run_batch``).
    model: str | None
    num_beams: int = 4
    max_new_tokens: int | None = None
    engine: str = "auto"  # the translation engine
    quantization: str | None = None
    align_method: str = "hybrid"
    ref_layout: str = "lines"
    device: str | None = None
    background: bool = True
    priors: str | None = None  # a file saved by links --save-priors
    extra: dict = field(default_factory=dict)
    checks: bool = True  # the translation checks (align.checks); False: --no-checks
    cache: bool = True  # the translation cache; False: --no-cache (the output is the same)

    def pipeline(self, progress: bool | None = None, on_warning=None, align: bool = True):
        """The pipeline of one worker; ``align=False`` for one that only translates."""
        from align.pipeline import Pipeline
        from align.translate.base import DecodingSettings

        priors = None
        if align and self.priors is not None:
            from align.links.priors import read_priors

            priors = read_priors(self.priors, pretokenized=False)
        from align.settings import AlignmentSettings, TranslationSettings

        decoding = DecodingSettings(num_beams=self.num_beams, max_new_tokens=self.max_new_tokens)
        return Pipeline(
            self.model,
            translation=TranslationSettings(
                engine=self.engine, device=self.device, quantization=self.quantization,
                decoding=decoding, cache=self.cache,
            ),
            alignment=AlignmentSettings(
                method=self.align_method, background=self.background and align, priors=priors
            ),
            progress=progress,
            on_warning=on_warning or (lambda m: None),
            checks=self.checks,
            aligner=None if align else _TranslateOnly(self.align_method),
        )  # fmt: skip


class _TranslateOnly:
    """The aligner of a worker that only translates (the driver aligns every article
    together): nothing to build, so the worker loads no PyTorch weights for attention."""

    settings: dict = {}

    def __init__(self, method: str) -> None:
        self.method = method

    def align(self, pairs):
        raise RuntimeError("a worker that only translates does not align")


def fingerprint(settings: BatchSettings, loaded=None, here: bool = True) -> dict:
    """The settings that change what is written, with the model's file hashes (of
    ``loaded``, the model already loaded for the job, when there is one). ``here``: the
    articles are translated on this machine, whose device "auto" stands for."""
    from align.model.load import load_marian, pick_device
    from align.translate.engines import resolve_engine

    if loaded is None and settings.model is not None:
        loaded = load_marian(settings.model, "cpu", weights=False)
    # The device decides the numbers (int8 on the CPU, float16 on CUDA by default): named
    # only when it is not the CPU, so that the batches made on a CPU stay current. On a
    # remote cluster the workers choose it on their own machines: what was asked for then.
    device = settings.device if settings.model is not None else None  # no model: no device
    if settings.model is not None and here:
        device = pick_device(settings.device)
    made = {
        # the files, wherever they are (None: every article's translation was given)
        "model_hash": loaded.model_hash if loaded is not None else None,
        "num_beams": settings.num_beams,
        "max_new_tokens": settings.max_new_tokens,
        "mt_engine": resolve_engine(settings.engine),
        "quantization": settings.quantization,
        "align_method": settings.align_method,
        "ref_layout": settings.ref_layout,
        # The background's files by hash: a reinstalled dictionary makes other runs.
        "background": _background_hashes(settings),
        "priors": _file_hash(settings.priors) if settings.priors else None,
        # Only when off, so that the runs of a batch made before the checks stay current
        # (``arabic-align check`` checks them on demand).
        **({} if settings.checks else {"checks": False}),
        **({} if device in (None, "auto", "cpu") else {"device": device}),
    }
    # A remote cluster's workers choose the device, and so the default: as asked for.
    return as_made(made) if device not in (None, "auto") else made


def as_made(fp: dict | None) -> dict | None:
    """A settings fingerprint as the runs it makes: the engine's default quantization for
    the device, named (``--quantization int8`` on the CPU), is no quantization named, the
    very runs the default makes. A fingerprint a batch recorded before (the default named
    as typed) is read so too, on this machine (``_same_settings``); the record of a remote
    cluster's batch does not say its workers' device, and is compared as typed."""
    if not isinstance(fp, dict) or fp.get("mt_engine") != "ctranslate2":
        return fp
    device = fp.get("device", "cpu")  # named only when it is not the CPU
    from align.translate.ct2 import default_quantization

    if fp.get("quantization") == default_quantization(device):
        return {**fp, "quantization": None}
    return fp


def _background_hashes(settings: BatchSettings) -> list | None:
    from align.links.background import background_for

    background = background_for(settings.align_method, settings.background)
    return [[r["name"], r["sha256"]] for r in background.records] if background else None


def _file_hash(path: str) -> str:
    from align.records import sha256_file

    try:
        return sha256_file(Path(path))
    except OSError as exc:
        raise InputError(f"cannot read the priors file {path}: {exc.strerror or exc}") from None


# -- inputs --------------------------------------------------------------------------------


# Unicode categories an id may not hold: controls, format characters (bidi overrides such
# as U+202E would show a folder name backwards), surrogates, private use, unassigned, and
# line or paragraph separators.
_BAD_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
MAX_ID_BYTES = 200


def _safe_id(raw: object, where: str, file_name: bool = False) -> str:
    """An article id that can name a run folder inside --out, or InputError. Ids read back
    from an old batch.json pass through the same rule before anything is removed."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise InputError(
            f"{where}: an article id is a string or a whole number, not {json.dumps(raw)[:40]}."
        )
    if file_name and any("\udc80" <= c <= "\udcff" for c in raw):  # bytes, not UTF-8
        raise InputError(
            f"{where}: the name {printable(raw)} is not UTF-8, and ids name run folders and "
            "records in UTF-8; give the file a UTF-8 name."
        )
    if any("\ud800" <= c <= "\udfff" for c in raw):  # an escape of half a character
        raise InputError(
            f"{where}: the id {json.dumps(raw)} holds a lone surrogate, half of a character, "
            "which no folder name can hold; give a whole character."
        )
    bad = (
        not raw.strip() or raw != raw.strip() or raw.startswith((".", "-"))
        or any(c in raw for c in "/\\") or raw in BATCH_FILES
        or any(unicodedata.category(c) in _BAD_CATEGORIES for c in raw)
        or len(raw.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES
    )  # fmt: skip
    if bad:
        raise InputError(
            f"{where}: {clipped(raw)} cannot be an article id (ids name run folders: no path "
            "separators, control or bidi characters, or leading dot, dash or space; at most "
            f"{MAX_ID_BYTES} bytes)."
        )
    return raw


# In a folder of articles, NAME.en.txt is the reference of the article NAME.ar.txt (or
# NAME.txt) beside it, not an article.
REFERENCE_SUFFIX = ".en.txt"
ARTICLE_SUFFIXES = (".ar.txt", ".txt")


def read_inputs(spec: str) -> list[Article]:
    """Articles from a directory, a glob, or a JSONL manifest (paths in it relative to the
    manifest's folder); every path is made absolute. An article's id is its file name up to
    the first dot (a manifest, a file ending in .jsonl or .ndjson, names its ids).

    In a directory, the *.txt files are the articles, except ``NAME.en.txt``: the reference
    of the article ``NAME.ar.txt`` (or ``NAME.txt``) beside it. A ``NAME.en.txt`` without
    its article is refused (a misnamed file would otherwise go unscored unnoticed). A glob
    (``**`` included) takes every file it matches as an article, without references; a path
    that exists is taken as it is, brackets and all."""
    p = Path(spec)
    if p.is_file() and p.suffix.lower() in MANIFEST_SUFFIXES:
        return _read_jsonl_articles(p)
    if p.is_file() and p.suffix.lower() == ".json":  # meant as a manifest, not an article
        raise InputError(
            f"{spec} is a .json file; a manifest is JSON lines (one object a line) in a file "
            "ending in .jsonl or .ndjson."
        )
    if p.is_dir():
        return _read_folder(p)
    if os.path.lexists(p):  # a file named art[1].txt is that file, not a pattern
        paths = [p]
    else:
        # Everything the pattern matches but folders: a file it cannot read (a dangling
        # link) is a failed article with its reason, not one silently left out.
        paths = sorted(Path(x) for x in glob.glob(spec, recursive=True) if not Path(x).is_dir())
    if not paths and not glob.has_magic(spec):
        raise InputError(
            f"There is no folder or file at {spec} (give a directory of .txt files, a glob or "
            "a .jsonl manifest)."
        )
    if not paths:
        raise InputError(f"No article files found at {spec} (a directory of .txt files, a glob "
                         "or a .jsonl manifest).")  # fmt: skip
    articles = [
        Article(_safe_id(x.name.split(".")[0], str(x), file_name=True), _absolute(x)) for x in paths
    ]
    _check_unique(articles)
    return articles


def _absolute(path: Path) -> str:
    """The file's absolute path, links followed; a dangling link as itself, so that what
    is said missing is the file the user has."""
    return str(path.resolve()) if path.exists() else str(path.absolute())


def _read_folder(folder: Path) -> list[Article]:
    """The articles of a folder, each with its ``NAME.en.txt`` reference when it has one."""
    files = sorted(  # a dangling link among them is read, and said, as missing
        x for x in folder.iterdir() if not x.is_dir() and x.suffix == ".txt" and x.name[0] != "."
    )
    references = {x.name: x for x in files if x.name.endswith(REFERENCE_SUFFIX)}
    paths = [x for x in files if x.name not in references]
    if not paths:
        raise InputError(
            f"No article files found in {folder} (its .txt files are the articles, except "
            f"NAME{REFERENCE_SUFFIX}, the reference of NAME.ar.txt)."
        )
    # By the names' composed form: a file copied from a system that stores names decomposed
    # (macOS) keeps that form, its partner another (the ids are compared so too).
    names = {unicodedata.normalize("NFC", x.name): x.name for x in paths}
    owner = {}  # reference file name -> article file name
    for name in references:
        stem = unicodedata.normalize("NFC", name[: -len(REFERENCE_SUFFIX)])
        found = [names[stem + s] for s in ARTICLE_SUFFIXES if stem + s in names]
        if found and found[0] in owner:  # a.en.txt and a.ar.en.txt both name a.ar.txt
            raise InputError(
                f"{references[owner[found[0]]]} and {references[name]} are both references of "
                f"{folder / found[0]}; keep one."
            )
        if found:
            owner[found[0]] = name
    orphans = sorted(set(references) - set(owner.values()))
    if orphans:
        shown = ", ".join(str(references[n]) for n in orphans[:3])
        more = f" and {len(orphans) - 3} more" if len(orphans) > 3 else ""
        one = len(orphans) == 1
        raise InputError(
            f"{shown}{more} {'is a reference' if one else 'are references'} "
            f"(NAME{REFERENCE_SUFFIX} is the reference of the article NAME.ar.txt or NAME.txt "
            f"beside it), but {'its article is' if one else 'their articles are'} not in "
            f"{folder}; rename {'it' if one else 'them'} to match an article, or move "
            f"{'it' if one else 'them'} out of the folder."
        )
    articles = [
        Article(
            _safe_id(x.name.split(".")[0], str(x), file_name=True),
            _absolute(x),
            _absolute(references[owner[x.name]]) if x.name in owner else None,
        )
        for x in paths
    ]
    _check_unique(articles)
    return articles


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose keys are unique: with two "id" keys, which one was meant?"""
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice")
    return dict(pairs)


# The fields of a manifest line.
MANIFEST_KEYS = frozenset(["id", "path", "reference", "hyp", "hyp_layout"])
# A manifest's file name ends so (in any case): any other file is an article.
MANIFEST_SUFFIXES = (".jsonl", ".ndjson")


# Names people give the fields of a manifest line, for the field they mean.
_FIELD_NAMES = {
    "reference": ["ref", "refs", "ref_path", "ref_file", "reference_path", "reference_file"],
    "hyp": ["hyps", "hypothesis", "translation", "hyp_path", "hyp_file"],
    "path": ["article", "article_path", "article_file"],
}
_MEANT = {alias: field for field, aliases in _FIELD_NAMES.items() for alias in aliases}


def _meant_field(key: str) -> str | None:
    """The field of ours a manifest field ``key`` stands for, when it is one spelt another
    way: in other letter case (Reference), by another name (ref, translation), misspelt
    (refrence, a name of six letters or more this alike) or with two letters swapped
    (hpy); else None. Other fields (a title, a url, a uid) are the user's own, and left
    alone; one of ours spelt otherwise would leave the article unscored, or translated when
    it came with its translation."""
    low = key.casefold()
    joined = low.replace("-", "_").replace(".", "_")  # hyp-layout, as the option is spelt
    if joined in MANIFEST_KEYS:
        return joined
    if low in _MEANT:
        return _MEANT[low]
    if len(low) >= 6:
        close = difflib.get_close_matches(joined, sorted(MANIFEST_KEYS), n=1, cutoff=0.8)
        # ... but reference_url or reference_id, one of ours and a word of the user's own
        # after it, is a field of the user's own about ours
        if close and not joined.startswith(close[0] + "_"):
            return close[0]
    return next((k for k in sorted(MANIFEST_KEYS) if sorted(k) == sorted(low)), None)


def _read_jsonl_articles(path: Path) -> list[Article]:
    articles = []
    base = path.parent
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"The manifest {path} is not UTF-8 text.") from None
    except OSError as exc:
        raise InputError(f"The manifest {path} cannot be read: {exc.strerror or exc}.") from None
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            item = loads_json(line, object_pairs_hook=_unique_keys)
        except ValueError as exc:
            reason = str(exc).split(":")[0]
            raise InputError(f"{path}, line {n}: not valid JSON ({reason}).") from None
        ref, hyp = (item.get("reference"), item.get("hyp")) if isinstance(item, dict) else (0, 0)
        for key, value in (("reference", ref), ("hyp", hyp)) if isinstance(item, dict) else ():
            if value is not None and not (isinstance(value, str) and value):
                raise InputError(
                    f'{path}, line {n}: "{key}" is the name of a file, not '
                    f"{json.dumps(value)[:40]}."
                )
        if (
            not isinstance(item, dict) or "id" not in item
            or not isinstance(item.get("path"), str) or not item["path"]
            or not all(v is None or (isinstance(v, str) and v) for v in (ref, hyp))
        ):  # fmt: skip
            raise InputError(
                f'{path}, line {n}: an entry is {{"id": ..., "path": "..."}} with an optional '
                '"reference": "...", "hyp": "..." (a translation) and "hyp_layout".'
            )
        for key in sorted(set(item) - MANIFEST_KEYS):
            meant = _meant_field(key)
            if meant:
                raise InputError(
                    f"{path}, line {n}: an entry has a field {json.dumps(key)[:40]}; did you "
                    f"mean {json.dumps(meant)}?"
                )
        layout = item.get("hyp_layout", "lines")
        if layout not in ("lines", "document"):
            raise InputError(
                f'{path}, line {n}: "hyp_layout" is "lines" or "document", not '
                f"{json.dumps(layout)[:40]}."
            )
        if "hyp_layout" in item and hyp is None:
            raise InputError(f'{path}, line {n}: "hyp_layout" is the layout of a "hyp"; give one.')
        for value in (item["path"], ref, hyp):
            if value is not None and not _usable_path(value):
                raise InputError(f"{path}, line {n}: {value!r} cannot be a file name.")
        articles.append(
            Article(
                _safe_id(item["id"], f"{path}, line {n}"),
                _absolute(base / item["path"]),
                _absolute(base / ref) if ref else None,
                _absolute(base / hyp) if hyp else None,
                layout,
            )
        )
    if not articles:
        raise InputError(f"{path} lists no articles.")
    _check_unique(articles)
    return articles


def _usable_path(value: str) -> bool:
    """Whether the operating system can take ``value`` as a path (no NUL, encodable)."""
    if "\0" in value:
        return False
    try:
        os.fsencode(value)
    except UnicodeError:
        return False
    return True


def _check_unique(articles: Sequence[Article]) -> None:
    """Ids are unique even where the file system folds case or Unicode forms (macOS,
    Windows): two ids that name one folder there are refused everywhere."""
    seen: dict[str, Article] = {}
    for a in articles:
        key = unicodedata.normalize("NFC", a.id).casefold()
        if key in seen:
            raise InputError(
                f"Two articles have the id {a.id!r} ({seen[key].path} and {a.path}"
                + (f", as {seen[key].id!r}" if seen[key].id != a.id else "")
                + "): ids name the run folders and must be unique, whatever their case."
            )
        seen[key] = a


# -- one article ------------------------------------------------------------------------------


def _path(name: str | None) -> Path | None:
    """A file's name as a ``Path``: to ``Pipeline.prepare`` a string may be the text itself
    (one with Arabic letters or a line break that names no file), a ``Path`` is a file."""
    return Path(name) if name is not None else None


def prepare(article: Article, out: Path | None, pipeline, ref_layout: str, print_fp: dict):
    """Read and translate one article, or take its given translation (``Pipeline.prepare``):
    its job, or a failed summary row when the article is at fault. A problem of the job
    itself (``JobError``) or of the output folder (``OutputError``) stops the batch.
    ``out`` None: the run folder is neither checked nor made here (a Ray worker, which only
    translates; the driver checks and writes it)."""
    run_dir = out / article.id if out is not None else None
    try:
        return pipeline.prepare(
            Path(article.path), ref=_path(article.reference), out=run_dir,
            force=run_dir is not None and run_dir.exists(),
            ref_layout=ref_layout, batch_settings=print_fp, hyp=_path(article.hyp),
            hyp_layout=article.hyp_layout,
        )  # fmt: skip
    except RunFolderRefused as exc:  # this article's folder, not the output folder
        return failed_row(article, str(exc))
    except (JobError, OutputError):  # the job's settings, or the output folder (a full disk)
        raise
    except UserError as exc:
        return failed_row(article, str(exc))


def align_and_write(
    prepared: Sequence[tuple[Article, object]], out: Path, pipeline, print_fp: dict, rows, log
) -> None:
    """Align every prepared article's pairs together (one statistical model learns from all
    of them, with the background), then write each run. The joint links are kept in
    ``links.json`` until every run is written, so that a job stopped while writing resumes
    with the same links."""
    if not prepared:
        return
    pipeline.translations_kept = out / TRANSLATIONS  # (for what a failure says)
    jobs = [job for _, job in prepared]
    keys = [_links_key(article, job, print_fp) for article, job in prepared]
    saved = _read_links(out)
    if all(k in saved for k in keys):  # a stopped job aligned these very articles: reuse
        for job, k in zip(jobs, keys, strict=True):
            job.hyp_links, job.ref_links, job.notes, job.timings["align"] = saved[k]
        log(f"links of {len(jobs)} article(s) taken from the stopped job's {LINKS}")
    else:
        log(f"aligning {sum(len(j.hyps) for j in jobs)} segment(s) of {len(jobs)} article(s)")
        pipeline.align_jobs(jobs)
        links = {
            k: (j.hyp_links, j.ref_links, j.notes, j.timings["align"])
            for k, j in zip(keys, jobs, strict=True)
        }
        try:
            _write_links(out, links)
        except OutputError as exc:
            raise OutputError(f"{exc}; {pipeline.retry_hint}") from exc
    for article, job in prepared:
        try:
            pipeline.finish(job)
        except RunFolderRefused as exc:
            rows[article.id] = failed_row(article, str(exc))
        except (JobError, OutputError):
            raise
        except UserError as exc:
            rows[article.id] = failed_row(article, str(exc))
        else:
            rows[article.id] = summary_row(article, out / article.id)
    (out / LINKS).unlink(missing_ok=True)


def _prepare_translated(
    a: Article, out: Path, pipeline, settings, print_fp: dict, row: dict, kept: bool = False
):
    """``prepare`` for an article translated already (by a Ray worker, or by a job that
    stopped before writing its run, ``kept``: ``row`` holds its translation, notes, timings
    and what made it); the run folder is checked here as ``prepare`` checks it. None for a
    kept translation that does not fit the article's segments (kept by a version of the
    tool that segments otherwise): it is translated again."""
    try:
        job = pipeline.prepare(
            Path(a.path), ref=_path(a.reference), out=out / a.id, force=(out / a.id).exists(),
            ref_layout=settings.ref_layout, batch_settings=print_fp, hyps=row["hyps"],
            made=row["info"],
        )  # fmt: skip
    except RunFolderRefused as exc:
        return failed_row(a, str(exc))
    except (JobError, OutputError):
        raise
    except MismatchError as exc:
        return None if kept else failed_row(a, str(exc))
    except UserError as exc:
        return failed_row(a, str(exc))
    job.notes, job.timings = list(row["notes"]), {**row["timings"], **job.timings}
    job.timings["translate"] = row["timings"].get("translate", 0.0)
    return job


def _translation_key(article: Article, print_fp: dict) -> str | None:
    """What decides an article's translation: the settings, its id and its bytes (None
    for an article that comes with its translation, or that cannot be read)."""

    from align.records import sha256_file

    if article.hyp is not None:
        return None
    try:
        digest = sha256_file(Path(article.path))
    except (OSError, ValueError):
        return None
    return _digest([print_fp, article.id, digest])


def _keep_translation(out: Path, key: str, row: dict, log) -> None:
    """Add an article's translation to ``translations.jsonl``, one JSON line appended and
    synced (a line cut off by a kill is skipped when read), so that a job stopped before its
    runs are written does not translate it again, cache or no cache. A file system that
    refuses is said and costs nothing else: the translation is in memory."""
    line = (json_line({"key": key, **row}) + "\n").encode("utf-8")
    try:
        with open(out / TRANSLATIONS, "a+b") as f:
            end = f.seek(0, os.SEEK_END)
            if end:  # a line cut off (a full disk, a kill) must not swallow this one
                f.seek(end - 1)
                if f.read(1) != b"\n":
                    line = b"\n" + line
            f.write(line)  # (appended at the end, wherever the reading left off)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        log(f"the translation could not be kept in {out / TRANSLATIONS}: {exc.strerror or exc}")


def _read_translations(out: Path) -> dict[str, dict]:
    """The translations a stopped job kept, by key; a line that is not what
    ``_keep_translation`` writes (cut off, changed by hand) is left out."""
    try:
        # (a line cut inside a character is one bad line, not an unreadable file)
        lines = jsonl_rows((out / TRANSLATIONS).read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return {}
    found = {}
    for line in lines:
        try:
            row = loads_json(line)
        except ValueError:
            continue
        if (
            isinstance(row, dict)
            and isinstance(row.get("key"), str)
            and isinstance(row.get("hyps"), list)
            and all(isinstance(h, str) for h in row["hyps"])
            and isinstance(row.get("notes"), list)
            and all(isinstance(n, str) for n in row["notes"])
            and isinstance(row.get("timings"), dict)
            and all(isinstance(t, int | float) for t in row["timings"].values())
            and isinstance(row.get("info"), dict)
            and isinstance(row["info"].get("translator"), dict)
            and isinstance(row["info"].get("model"), dict | None)
        ):
            found[row["key"]] = row
    return found


def _links_key(article: Article, job, print_fp: dict) -> str:
    """What decides an article's links besides the other articles: the settings, its id,
    its segments, translation and reference."""

    sources = [s.text for s in job.document.to_translate]
    return _digest([print_fp, article.id, sources, job.hyps, job.refs])


def _digest(parts: list) -> str:
    """The SHA-256 of what decides a kept result (``links.json``, ``translations.jsonl``)."""
    import hashlib

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _write_links(out: Path, links: dict) -> None:
    """The joint links as JSON (data: a file in the output folder is never read as code),
    each alignment in the records' own form (``Alignment.to_json``: the confidences are
    rounded as a run's records round them, so a resumed job writes the same runs)."""
    data = {
        key: {
            "hyp": [a.to_json() for a in hyp],
            "ref": None if ref is None else [[k, a.to_json()] for k, a in sorted(ref.items())],
            "notes": list(notes),
            "align": seconds,
        }
        for key, (hyp, ref, notes, seconds) in links.items()
    }
    atomic_write_text(out / LINKS, json_line(data) + "\n")


def _read_links(out: Path) -> dict:
    """The joint links a stopped job saved, by article key (empty when there are none or
    the file is not what ``_write_links`` writes: the articles are then aligned again)."""
    try:
        data = loads_json((out / LINKS).read_text(encoding="utf-8"))
        found = {}
        for key, entry in data.items():
            ref = entry["ref"]
            if not all(isinstance(n, str) for n in entry["notes"]):
                raise ValueError("a note is not a string")
            found[key] = (
                [Alignment.from_json(a) for a in entry["hyp"]],
                None if ref is None else {int(k): Alignment.from_json(a) for k, a in ref},
                list(entry["notes"]),
                float(entry["align"]),
            )
        return found
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def failed_row(article: Article, reason: str) -> dict:
    return {"id": article.id, "path": article.path, "status": "failed", "error": reason,
            "segments": None, "translated": None, "scores": None, "findings": None}  # fmt: skip


def summary_row(article: Article, run_dir: Path) -> dict:
    run = Run.open(run_dir)
    scores = run.scores.as_dict() if run.scores is not None else {}
    return {
        "id": article.id,
        "path": article.path,
        "status": "ok",
        "error": None,
        "segments": len(run.segments),
        "translated": len(run.translated),
        "scores": {k: round(v, 4) for k, v in scores.items()} or None,
        # Findings by severity; None for a run whose records hold none (--no-checks, older).
        "findings": _severity_counts(run) if run.checked else None,
    }


def _severity_counts(run: Run) -> dict:
    counts = finding_counts(f for s in run.translated for f in s.findings)
    return {k: counts[k] for k in ("error", "warning", "info", "total")}


def _open_run(run_dir: Path) -> Run | None:
    """The complete run in ``run_dir``, or None when there is none (missing, unfinished,
    changed since written, or unreadable)."""
    try:
        return Run.open(run_dir)
    except UserError:
        return None


# -- the output folder -----------------------------------------------------------------------
#
# The deletion rule: ``--force`` removes only what the tool wrote and can prove it wrote.
# A run folder of an old batch is touched only when its id, read back from batch.json, passes
# the rule new ids pass, and the folder is a real directory directly inside --out (not a
# symlink); inside it, only the files its own manifest lists that are run files by name, then
# the manifest, then the folder if it is left empty. Review work (review.json and its
# journal) is never removed: a batch that would need to is refused before anything goes.


def _inside(out: Path, aid: object) -> Path | None:
    """The run folder of a recorded id, when the id is valid and the folder is provably a
    real directory directly inside ``out``; else None (then it is left alone)."""
    try:
        aid = _safe_id(aid, "batch.json")
    except InputError:
        return None
    run = out / aid
    if run.is_symlink() or not run.is_dir():
        return None
    if Path(os.path.realpath(run)).parent != Path(os.path.realpath(out)):
        return None
    return run


def _owned_files(run: Path) -> list[str]:
    """The files of a complete run that its manifest lists and that are run files by name;
    of a run whose writing or clearing was stopped midway, those its ``SWAPPING`` mark
    names. Unfinished otherwise, or foreign: nothing is provably ours."""
    from align.records import run_files_listed

    found = listed_files(run)
    if not found and (run / SWAPPING).is_file():
        found = sorted((run_files_listed(run) or set()) - {MANIFEST})
    return found


def check_output_folder(out: Path) -> list[Path]:
    """Refuse an --out that cannot hold the batch, before any work. Returns the folders
    created here, innermost first (so that a job stopped before writing can remove them
    again: ``missing_folders``)."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is {not_a_folder(out)}; give a folder for the batch")
    created = missing_folders(out)
    check_output_dir(out, "--out")
    if (out / BATCH_FILE).exists() and not (out / BATCH_FILE).is_file():
        raise OutputError(f"{out / BATCH_FILE} is not a file; choose another --out")
    if not (out / BATCH_FILE).exists():
        _refuse_foreign(out)  # before the model loads
    return created


def _refuse_foreign(out: Path) -> None:
    """A non-empty folder without a batch.json is someone else's: never a batch's --out."""
    if any(p for p in out.iterdir() if not is_tool_temp(p.name)):
        raise UserError(
            f"{out} is not empty and holds no {BATCH_FILE}: it is not a batch folder, so it is "
            "left alone; choose an empty or new --out"
        )


def _read_batch_file(path: Path) -> tuple[dict | None, list]:
    """(settings, recorded ids) of an existing batch.json; (None, []) when unreadable."""
    try:
        old = loads_json(path.read_text(encoding="utf-8"))
        settings, recorded = old["settings"], old["articles"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, []
    if not isinstance(settings, dict) or not isinstance(recorded, list):
        return None, []
    return settings, recorded


def prepare_output(
    out: Path, print_fp: dict, ids: Sequence[str], force: bool, log, here: bool = True
) -> bool:
    """Refuse to mix runs made with other settings; ``force`` clears the old batch by the
    deletion rule (then True is returned). ``batch.json`` lists every id the batch has
    started, written before any of them. A batch.json whose runs are none of them complete
    (a job stopped before its first article) holds nothing to protect and is simply
    replaced."""
    path = out / BATCH_FILE
    recorded: list = []
    cleared = False
    if path.is_file():
        old_settings, recorded = _read_batch_file(path)
        if not _same_settings(old_settings, print_fp, here):
            complete = [r for r in (_inside(out, a) for a in recorded) if r and is_complete(r)]
            if complete or old_settings is None:
                if not force and old_settings is None:
                    raise UserError(
                        f"{path} is unreadable, so which batch made the runs in {out} is not "
                        "known; choose another --out, or pass --force to write it anew (runs "
                        "whose own records show this job's settings are kept)"
                    )
                if not force:
                    raise UserError(
                        f"{out} holds runs made with other settings "
                        f"({_difference(old_settings, print_fp)}); choose another --out or "
                        "pass --force to start over"
                    )
                _clear(out, recorded, log)
                cleared = True
            recorded = []
    else:
        _refuse_foreign(out)
    kept = [a for a in recorded if isinstance(a, str) and _inside(out, a) is not None]
    articles = list(dict.fromkeys([*ids, *kept]))  # this job's order, then older runs
    state = {"settings": print_fp, "articles": articles}
    atomic_write_text(path, json.dumps(state, indent=2) + "\n")
    return cleared


def _same_settings(old: dict | None, new: dict, here: bool = True) -> bool:
    """Whether runs made with ``old`` are runs ``new`` makes: a record made before, with the
    default quantization named, is read as made (``as_made``), but only where the device is
    this machine's: a remote cluster's record does not say which default its workers had."""
    return old == new or (here and as_made(old) == new)


def _difference(old: dict | None, new: dict) -> str:
    if not isinstance(old, dict):
        return f"its {BATCH_FILE} is unreadable"
    # (a setting named only when it is not the default, as the device, may be in one only)
    keys = [k for k in dict.fromkeys([*new, *old]) if old.get(k) != new.get(k)]
    return ", ".join(f"{k}: {_setting(old, k)} there, {_setting(new, k)} now" for k in keys[:3])


# The settings a fingerprint names only when they are not the default, said when unnamed.
_UNNAMED_DEFAULTS = {"checks": "True", "device": "none named (auto)"}


def _setting(fp: dict, key: str) -> str:
    if key not in fp and key in _UNNAMED_DEFAULTS:
        return _UNNAMED_DEFAULTS[key]
    return repr(fp.get(key))


def _clear(out: Path, ids: Sequence, log) -> None:
    """Remove the old batch by the deletion rule (above): first every check, then the
    removals, then summary and corpus files. batch.json stays, for the new one to replace
    in one step: a clear stopped half-way leaves a batch folder with the old record, which
    ``--force`` clears again (without it, a folder holding the user's own files or a run
    left whole would no longer be a batch folder at all)."""
    runs = [r for r in (_inside(out, a) for a in ids) if r is not None]
    for run in runs:
        found = review_work(run)
        if found:
            raise UserError(review_work_sentence(run, found))
    removed = 0
    try:
        for run in runs:
            owned = _owned_files(run)
            others = [
                p for p in run.iterdir()
                if p.name not in (*owned, MANIFEST, SWAPPING) and not is_tool_temp(p.name)
            ]  # fmt: skip
            if not owned or others:
                continue  # not provably only ours: left whole (rewritten if its article runs)
            # Marked first (a stop from here leaves a folder --force clears again), then the
            # manifest: the folder never looks complete half-removed.
            mark_swapping(run, owned)
            (run / MANIFEST).unlink(missing_ok=True)
            for name in owned:
                (run / name).unlink(missing_ok=True)
            remove_stale_temps(run)
            (run / SWAPPING).unlink(missing_ok=True)
            if not any(run.iterdir()):
                run.rmdir()
            removed += 1
        for name in (SUMMARY, CORPUS, LINKS, TRANSLATIONS):
            if (out / name).is_file():
                (out / name).unlink()
    except OSError as exc:
        raise OutputError(f"cannot clear the old batch in {out}: {exc.strerror or exc}") from exc
    left = sum(
        1 for a in ids
        if isinstance(a, str) and a and os.path.lexists(out / a)
        and (out / a).is_dir() and any((out / a).iterdir())
    )  # fmt: skip
    log(
        f"--force: removed {removed} run(s) of the old batch in {out}"
        + (f"; left {left} recorded folder(s) that are not provably its runs" if left else "")
    )


def _check_paths(articles: Sequence[Article], out: Path, sources: Sequence[str]) -> None:
    """Before any work: no input (an article, a reference, the manifest itself) may be a
    file the batch writes, and every run folder already in --out must be a real folder
    directly inside it (a symlink there would make the batch write somewhere else)."""
    real_out = Path(os.path.realpath(out))
    named = [(f"the {label} of {a.id!r}", path) for a in articles
             for label, path in (("article", a.path), ("reference", a.reference),
                                 ("translation", a.hyp))]  # fmt: skip
    named += [("the input", source) for source in sources]
    for what, path in named:
        if path is None:
            continue
        real = Path(os.path.realpath(path))
        ours = (real.parent == real_out and real.name in BATCH_FILES) or (
            real.parent.parent == real_out and real.name in RUN_FILES
        )
        if ours:
            raise InputError(
                f"{what} ({path}) is a file the batch writes in --out {out}; move it out of "
                "that folder"
            )
    for a in articles:
        run = out / a.id
        if os.path.lexists(run) and (run.is_symlink() or not run.is_dir()):
            raise OutputError(
                f"{run} is a symlink or a file, not a run folder inside --out; move it away "
                "or choose another --out"
            )


def write_summary(out: Path, articles: Sequence[Article], rows: dict[str, dict]) -> None:
    """summary.jsonl, one line per article done so far in input order, rebuilt atomically."""
    lines = [json_line(rows[a.id]) for a in articles if a.id in rows]
    atomic_write_text(out / SUMMARY, "".join(x + "\n" for x in lines))


def write_outputs(out: Path, articles: Sequence[Article], rows: dict[str, dict]) -> dict:
    """summary.jsonl and corpus.json, rebuilt from scratch, atomically."""
    write_summary(out, articles, rows)
    corpus = corpus_scores_of(
        out, [a for a in articles if rows.get(a.id, {}).get("status") == "ok"]
    )
    atomic_write_text(out / CORPUS, json.dumps(corpus, indent=2) + "\n")
    return corpus


def corpus_scores_of(out: Path, articles: Sequence[Article]) -> dict:
    """BLEU, chrF++ and TER over every scored pair of every article, with signatures."""
    from align.score.metrics import corpus_scores, too_long_to_score

    hyps: list[str] = []
    refs: list[str] = []
    scored = []
    for a in articles:
        run = Run.open(out / a.id)
        if not run.has_reference:
            continue
        pairs = [
            (hyp, ref)
            for hyp, ref in run.scored_texts()
            # As in each run's own scores: a pair too long to score is left out.
            if not (too_long_to_score(hyp) or too_long_to_score(ref))
        ]
        if pairs:  # (boilerplate alone, or every pair too long: nothing of it is scored)
            hyps += [hyp for hyp, _ in pairs]
            refs += [ref for _, ref in pairs]
            scored.append(a.id)
    return {
        "articles": len(articles),
        "articles_scored": len(scored),
        "pairs": len(hyps),
        "corpus": corpus_scores(hyps, refs) if hyps else None,
    }


# -- the job ------------------------------------------------------------------------------------


def run_batch(
    articles: Sequence[Article],
    out: str | Path,
    settings: BatchSettings,
    *,
    executor: str = "local",
    force: bool = False,
    quiet: bool = False,
    ray_address: str | None = None,
    ray_timeout: float = 60.0,
    workers: int = 2,
    log: Callable[[str], None] | None = None,
    sources: Sequence[str] = (),
    warn: Callable[[str], None] | None = None,
) -> tuple[list[dict], dict]:
    """Process every article not already complete; returns (summary rows, corpus scores).

    ``log`` takes the informational lines (what was skipped, done, removed); ``warn`` the
    warnings (a fixture model's gibberish, said once at the start, as ``run`` does). Both
    print to stderr by default. An article's own warnings are in its manifest (the Ray
    executor says them too, as they come).

    Everything about the job itself (the output folder, the model, the engine, the device,
    the quantization, the aligner, the Ray cluster) is checked before any article, and a
    problem there stops the job with one sentence before batch.json is written.
    ``sources``: the input files that list the articles (a manifest), never written over."""
    if executor not in EXECUTORS:
        raise UserError(f"Unknown batch executor {executor!r}; use local or ray.")
    settings = _with_model(settings, articles)
    out = Path(out)
    log = log or (lambda m: print(m, file=sys.stderr))
    warn = warn or (lambda m: print(f"warning: {m}", file=sys.stderr))
    _check_paths(articles, out, sources)
    check_outside_reads(out, "--out", [("model directory", settings.model)])
    created = check_output_folder(out)
    try:
        if executor == "ray":
            _connect_ray(ray_address, ray_timeout)
            # A local cluster runs on this machine: check everything here, then let the
            # workers load their own copies.
            checked = _check_job_here(settings, load=ray_address is None)
            pipeline = None
        else:
            checked = pipeline = _check_job_here(settings, load=True, quiet=quiet)
        loaded = None
        if settings.model is not None:
            from align.model.load import load_marian

            # Loaded here for the job, or (a remote Ray cluster) only its files, for the hashes.
            loaded = (checked.loaded if checked is not None
                      else load_marian(settings.model, "cpu", weights=False))  # fmt: skip
        here = executor == "local" or ray_address is None
        print_fp = fingerprint(settings, loaded, here=here)
    except BaseException:  # a job error, Ctrl-C: nothing is written yet
        for folder in created:
            remove_if_empty(folder)
        raise
    if loaded is not None and loaded.fixture:
        from align.model.fixture import GIBBERISH

        warn(f"{settings.model} is a {GIBBERISH}")
    lock = _lock(out)
    try:
        return _run_locked(
            articles, out, settings, print_fp, executor, force, quiet, workers, log, pipeline,
            warn, here,
        )  # fmt: skip
    finally:
        os.close(lock)


def _after_start(warn: Callable[[str], None]) -> Callable[[str], None]:
    """``warn`` for a pipeline that loads the model again (the Ray driver's): the fixture
    warning was said at the start, and is not said again."""
    from align.model.fixture import GIBBERISH, RANDOM_ATTENTION

    return lambda message: (
        None if message.endswith((GIBBERISH, RANDOM_ATTENTION)) else warn(message)
    )


def _with_model(settings: BatchSettings, articles: Sequence[Article]) -> BatchSettings:
    """The settings with their model: the default one when ``model`` is None and an article
    is to be translated; none when every article comes with its translation (as ``run
    --hyp``: the aligner then works without the model's attention)."""
    if settings.model is not None:
        return settings
    if any(a.hyp is None for a in articles):
        from align.model.registry import DEFAULT_MODEL

        return replace(settings, model=DEFAULT_MODEL)
    if settings.align_method == "attention":
        raise JobError(
            "the attention aligner needs a translation model, and every article comes with "
            "its translation: give --model"
        )
    return settings


def _lock(out: Path) -> int:
    """One job at a time in a folder (``lock_folder``), released when the job ends, however
    it ends."""
    try:
        return lock_folder(out)
    except BlockingIOError:
        raise OutputError(
            f"another batch job is writing to {out}; wait for it to end or choose another --out"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot lock --out {out}: {exc.strerror or exc}") from None


def _run_locked(
    articles,
    out,
    settings,
    print_fp,
    executor,
    force,
    quiet,
    workers,
    log,
    pipeline,
    warn,
    here=True,
):
    states = {
        a.id: _run_state(a, out / a.id, settings.ref_layout, print_fp, here) for a in articles
    }
    other = [a.id for a in articles if states[a.id] == "other settings"]
    if other and not force:  # refused before batch.json changes
        made_with = Run.open(out / other[0]).manifest.get("batch_settings")
        raise UserError(
            f"{out} holds runs made with other settings ({other[0]}: "
            f"{_difference(made_with if isinstance(made_with, dict) else {}, print_fp)}); "
            "choose another --out or pass --force to start over"
        )
    if prepare_output(out, print_fp, [a.id for a in articles], force, log, here):  # runs removed
        states = {
            a.id: _run_state(a, out / a.id, settings.ref_layout, print_fp, here) for a in articles
        }
    remove_stale_temps(out)  # a job killed while writing the summary left these

    rows: dict[str, dict] = {}
    todo = []
    for a in articles:
        if states[a.id] == "current":
            rows[a.id] = summary_row(a, out / a.id)
            # A run stopped after its manifest was in place and before its mark went.
            with contextlib.suppress(OSError):
                (out / a.id / SWAPPING).unlink(missing_ok=True)
        else:
            todo.append(a)
    if rows:
        log(f"{len(rows)} article(s) already complete in {out}: skipped")
    start = time.perf_counter()
    if executor == "local":
        _run_local(todo, out, settings, rows, articles, quiet, log, pipeline, print_fp)
    else:
        _run_ray(todo, out, settings, rows, articles, workers, log, print_fp, warn)
    corpus = write_outputs(out, articles, rows)
    # every run is written: the joint links of a job stopped while writing them are done
    # with (also when that job was stopped in the moment between its last run and this)
    with contextlib.suppress(OSError):  # a file left behind is harmless: it is checked
        (out / LINKS).unlink(missing_ok=True)
        (out / TRANSLATIONS).unlink(missing_ok=True)
    ordered = [rows[a.id] for a in articles]
    log(f"{len(todo)} article(s) processed in {time.perf_counter() - start:.1f}s")
    return ordered, corpus


def _check_job_here(settings: BatchSettings, load: bool, quiet: bool = False):
    """Build what every article needs, so that a wrong model, engine, device, quantization or
    aligner is one sentence now instead of one failure per article. With ``load`` the model
    is loaded (and converted) and the pipeline that will run the articles is returned;
    without, only what needs no model here is checked (a remote Ray cluster's workers check
    the device and the quantization on their own machines)."""
    from align.translate.engines import resolve_engine

    resolve_engine(settings.engine)
    if settings.align_method in ("statistical", "hybrid"):
        from align.links.statistical import require_eflomal

        require_eflomal()
    if not load:
        return None
    pipeline = settings.pipeline(progress=False if quiet else None)
    if settings.model is not None:
        pipeline.translator  # noqa: B018 (loads the model, converts it, checks the quantization)
    pipeline.aligner  # noqa: B018
    return pipeline


def _run_state(
    article: Article, run_dir: Path, ref_layout: str, print_fp: dict, here: bool = True
) -> str:
    """ "current" (a complete run of this article, reference and given translation, made with
    these settings: skipped), "other settings" (complete, made otherwise) or "missing" (to run)."""
    run = _open_run(run_dir)
    if run is None:
        return "missing"
    from align.records import sha256_file

    manifest = run.manifest
    try:
        if manifest["article"]["sha256"] != sha256_file(Path(article.path)):
            return "missing"  # the article changed: run it again
        ref = manifest.get("reference")
        if (ref is None) != (article.reference is None):
            return "missing"
        if ref is not None and ref["sha256"] != sha256_file(Path(article.reference)):
            return "missing"
        given = manifest["translator"].get("given")
        if (given is None) != (article.hyp is None):
            return "missing"  # translated then, given now, or the other way round
        if given is not None and (
            given["sha256"] != sha256_file(Path(article.hyp))
            or given.get("hyp_layout", "lines") != article.hyp_layout
        ):
            return "missing"  # another translation, or read another way: run it again
    except (OSError, KeyError, TypeError, AttributeError):
        return "missing"  # changed or unreadable now: run it again (and report why if it fails)
    if article.reference is not None and manifest.get("reference_layout") != ref_layout:
        return "missing"
    if scored_by_segment_then(run):
        return "missing"  # its scores are of the earlier rule: the batch's total takes one
    if not _same_settings(manifest.get("batch_settings"), print_fp, here):
        return "other settings"
    return "current"


def _check_ray() -> None:
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError as exc:
        needs = f"--executor ray needs Ray Data: {pip_install('ray')}."
        raise JobError(not_loaded("ray", exc, needs)) from None


def _host_port(address: str) -> tuple[str, int] | None:
    """host and port of a cluster address such as ``10.0.0.5:6379`` or
    ``ray://head:10001`` (None for ``auto``, ``local`` and other forms)."""
    rest = address.split("://", 1)[1] if "://" in address else address
    host, sep, port = rest.rpartition(":")
    if not sep or not host or not port.isdigit():
        return None
    return host.strip("[]"), int(port)


def _connect_ray(address: str | None, timeout: float) -> None:
    """Start or reach Ray within ``timeout`` seconds, or stop with one sentence. Ray's own
    client retries an unreachable cluster for minutes, so a closed port is found first with a
    plain TCP connection, and ray.init itself runs under a deadline."""
    _check_ray()
    import ray

    if ray.is_initialized():
        return
    where = address or "a local cluster"
    target = _host_port(address) if address else None
    if target is not None:
        try:
            socket.create_connection(target, timeout=timeout).close()
        except OSError as exc:
            raise JobError(
                f"Cannot reach Ray at {address} ({exc.strerror or exc}) within --ray-timeout "
                f"{timeout:g} s; check the address and that the cluster is up"
            ) from None
    if address is None:
        _session_token()
    failure: list[BaseException] = []
    done = threading.Event()

    def connect() -> None:
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     logging_level="ERROR", ignore_reinit_error=True)  # fmt: skip
        except BaseException as exc:  # reported by the caller, in the main thread
            failure.append(exc)
        done.set()
        # Ray's processes ask to die with the thread that started them (PR_SET_PDEATHSIG),
        # so this thread lives as long as the process does.
        threading.Event().wait()

    with signals_held():  # (a Ctrl-C raised inside a thread's start: align.threads)
        threading.Thread(target=connect, name="ray-connect", daemon=True).start()
    if not wait_until(done.is_set, timeout):
        raise JobError(
            f"Ray at {where} did not answer within --ray-timeout {timeout:g} s; check the "
            "address, or give more time with --ray-timeout"
        )
    if failure:
        first = str(failure[0]).strip().split("\n")[0][:200]
        raise JobError(f"Cannot start or reach Ray at {where}: {first}")


# Ray's token authentication, which a local cluster has on by default, looks for its token
# in these (and in ~/.ray/auth_token, where it saves a new one: a file in the home folder).
RAY_TOKEN_SOURCES = ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH")


def _session_token() -> None:
    """A token for the local cluster this process starts, in the environment its processes
    inherit, so that Ray keeps authentication on and writes no ~/.ray/auth_token. A token the
    user has (the environment, or the file) is left to Ray."""
    if any(os.environ.get(name) for name in RAY_TOKEN_SOURCES):
        return
    if (Path.home() / ".ray" / "auth_token").exists():
        return
    # One token a process: Ray's client keeps the first it read.
    os.environ["RAY_AUTH_TOKEN"] = _SESSION_TOKEN


_SESSION_TOKEN = secrets.token_hex(32)


def _run_local(todo, out, settings, rows, articles, quiet, log, pipeline, print_fp) -> None:
    from tqdm import tqdm

    if pipeline is None:
        pipeline = settings.pipeline(progress=False if quiet else None)
    bar = tqdm(todo, desc="translating", unit="article", disable=quiet or not todo)
    prepared = []
    saved = _read_translations(out)
    for k, a in enumerate(bar, 1):
        key = _translation_key(a, print_fp)
        job = None
        if key in saved:  # translated by a job that stopped before writing its run
            job = _prepare_translated(a, out, pipeline, settings, print_fp, saved[key], True)
        if job is None:
            job = prepare(a, out, pipeline, settings.ref_layout, print_fp)
            if key is not None and not isinstance(job, dict):
                info = {"model": job.model_info, "translator": job.translator_info}
                row = {"hyps": job.hyps, "notes": job.notes, "timings": job.timings, "info": info}
                _keep_translation(out, key, row, log)
        if isinstance(job, dict):  # the article failed
            rows[a.id] = job
            write_summary(out, articles, rows)  # the summary so far, in case we are stopped
        else:
            prepared.append((a, job))
        if quiet:
            done = "given" if a.hyp is not None else "translated"
            status = done if not isinstance(job, dict) else f"failed ({job['error']})"
            log(f"[{k}/{len(todo)}] {a.id}: {status}")
    align_and_write(prepared, out, pipeline, print_fp, rows, log)


class _RayWorker:
    """One pipeline (one model) per actor; each call runs one or more articles."""

    def __init__(self, settings: dict, print_fp: dict, command_line: bool = False) -> None:
        self.settings = BatchSettings(**settings)
        self.print_fp = print_fp
        self.pipeline = self.settings.pipeline(progress=False, align=False)
        # what it says names the options as the driver's caller gave them (another process)
        self.speaking = on_command_line if command_line else contextlib.nullcontext

    def __call__(self, batch: dict) -> dict:
        with self.speaking():
            return self._articles(batch)

    def _articles(self, batch: dict) -> dict:
        rows = []
        for aid, path, ref in zip(batch["id"], batch["path"], batch["reference"], strict=True):
            article = Article(str(aid), str(path), str(ref) if ref else None)
            try:
                # (the run folder is the driver's: this node may not even see --out)
                job = prepare(article, None, self.pipeline, self.settings.ref_layout,
                              self.print_fp)  # fmt: skip
                if isinstance(job, dict):
                    row = job
                else:  # translated here; aligned with all the others and written by the driver
                    info = {"model": job.model_info, "translator": job.translator_info}
                    row = {"id": article.id, "hyps": job.hyps, "notes": job.notes,
                           "timings": job.timings, "info": info}  # fmt: skip
            except (JobError, OutputError) as exc:  # back as data: Ray wraps exceptions
                row = {"id": article.id, "job_error": str(exc)}
            rows.append(row)
        return {"row": [json.dumps(r, ensure_ascii=False) for r in rows]}


def _run_ray(todo, out, settings, rows, articles, workers, log, print_fp, warn) -> None:
    if not todo:
        return
    # Articles that come with their translation need no worker: the driver takes them.
    saved = _read_translations(out)
    keys = {a.id: _translation_key(a, print_fp) for a in todo}
    kept = {a.id: saved[keys[a.id]] for a in todo if keys[a.id] in saved}
    to_translate = [a for a in todo if a.hyp is None and a.id not in kept]

    def keep(row: dict) -> None:
        if keys.get(row["id"]) is not None:
            _keep_translation(out, keys[row["id"]], row, log)

    translated = _translate_on_ray(to_translate, out, settings, rows, articles, workers, log,
                                   print_fp, keep) if to_translate else {}  # fmt: skip
    translated.update(kept)
    # Gather, align, write: the driver aligns every article's pairs together.
    pipeline = settings.pipeline(progress=False, on_warning=_after_start(warn))
    prepared = []
    for a in todo:
        if a.hyp is not None:
            job = prepare(a, out, pipeline, settings.ref_layout, print_fp)
            if isinstance(job, dict):  # the article failed
                rows[a.id] = job
            else:
                prepared.append((a, job))
            continue
        if a.id not in translated:
            continue
        job = _prepare_translated(a, out, pipeline, settings, print_fp, translated[a.id])
        if isinstance(job, dict):  # (review work in the folder, say): this article fails
            rows[a.id] = job
            continue
        prepared.append((a, job))
    try:
        align_and_write(prepared, out, pipeline, print_fp, rows, log)
    finally:
        write_outputs(out, articles, rows)


def _translate_on_ray(
    todo, out, settings, rows, articles, workers, log, print_fp, keep=None
) -> dict:
    """Translate ``todo`` on the Ray cluster's actors: each article's translation, by id (an
    article at fault is a failed row in ``rows`` instead)."""
    import logging

    import ray

    # Ray Data's own progress lines would drown ours (one line per article, below), and its
    # warning that they are off says nothing to the user.
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    ray.data.DataContext.get_current().enable_progress_bars = False
    gpus = ray.cluster_resources().get("GPU", 0)
    items = [{"id": a.id, "path": a.path, "reference": a.reference or ""} for a in todo]
    # No more actors than articles: each loads the model, and Ray Data warns of idle ones.
    actors = max(1, min(workers, len(items)))
    dataset = ray.data.from_items(items).map_batches(
        _RayWorker,
        fn_constructor_kwargs={
            "settings": asdict(settings), "print_fp": print_fp,
            "command_line": from_command_line(),
        },
        batch_size=1,
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_gpus=min(1.0, gpus / actors) if gpus else 0,  # share GPUs between actors
        num_cpus=1,
    )  # fmt: skip
    translated: dict[str, dict] = {}
    try:
        for done, result in enumerate(dataset.iter_rows(), 1):
            row = loads_json(result["row"])
            if "job_error" in row:
                raise JobError(row["job_error"])
            if "hyps" in row:
                translated[row["id"]] = row
                if keep is not None:  # kept as it comes, as the local executor keeps it
                    keep(row)
            else:
                rows[row["id"]] = row
            status = row.get("status", "translated")
            if row.get("error"):  # as the local executor says it
                status = f"{status} ({row['error']})"
            log(f"[{done}/{len(todo)}] {row['id']}: {status}")
    except ray.exceptions.RayError as exc:  # a worker or node lost: the cluster, not an article
        first = str(exc).strip().split("\n")[0][:200]
        raise JobError(f"the Ray cluster failed while running the batch: {first}") from exc
    finally:
        write_outputs(out, articles, rows)  # what finished is summed up either way
    return translated
