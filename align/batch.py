"""Many articles in one job: one run directory each, a summary, corpus scores; resumable.

``arabic-align batch`` and ``scripts/translate_batch.py`` call ``run_batch``. Every article
becomes ``OUT/<id>/``, a run directory exactly as ``arabic-align run`` writes it. An article
whose run is complete is skipped, so a job killed at any moment (even ``kill -9``) and
started again ends with the same files as one uninterrupted job: runs are written
atomically with their manifest last, and the summary (``summary.jsonl``, one line per
article in input order) and the corpus scores (``corpus.json``) are rebuilt from the run
directories, never appended to. ``batch.json`` records the settings that decide the output
(model files, decoding, engines, aligner, reference layout) and the ids it started; a
folder of runs made with other settings is refused (``--force`` removes that batch's runs
and starts over); a run made from other article or reference bytes is run again.

A bad article (missing, empty, binary, not UTF-8, a reference that does not fit) is recorded
in the summary with its reason and the others go on; the exit status says whether any
failed. ``engine="ray"`` runs the same work on a Ray cluster (Ray Data ``map_batches`` over
an actor pool, one pipeline and model per actor, the cluster's GPUs shared between the
actors); every worker writes its run directories itself, so the output folder must be
shared by the nodes.
"""

from __future__ import annotations

import glob
import json
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from align.errors import InputError, UserError
from align.records import (
    atomic_write_text,
    check_output_file,
    is_complete,
    read_manifest,
    remove_stale_temps,
)

BATCH_FILE = "batch.json"
SUMMARY = "summary.jsonl"
CORPUS = "corpus.json"
ENGINES = ("local", "ray")


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    reference: str | None = None


@dataclass
class BatchSettings:
    """What decides the output (``fingerprint``) plus how to run (not in the fingerprint)."""

    model: str
    num_beams: int = 4
    max_new_tokens: int | None = None
    mt_engine: str = "auto"
    quantization: str | None = None
    align_method: str = "hybrid"
    ref_layout: str = "lines"
    device: str | None = None
    extra: dict = field(default_factory=dict)

    def pipeline(self, progress: bool | None = None, on_warning=None):
        from align.pipeline import Pipeline
        from align.translate.base import DecodingSettings

        return Pipeline(
            self.model,
            settings=DecodingSettings(num_beams=self.num_beams, max_new_tokens=self.max_new_tokens),
            device=self.device, progress=progress, engine=self.mt_engine,
            quantization=self.quantization, align_method=self.align_method,
            on_warning=on_warning or (lambda m: None),
        )  # fmt: skip


def fingerprint(settings: BatchSettings) -> dict:
    """The settings that change what is written, with the model's file hashes."""
    from align.model.load import load_marian
    from align.translate.engines import resolve_engine

    loaded = load_marian(settings.model, "cpu", weights=False)
    return {
        "model_hash": loaded.model_hash,  # the files, wherever they are
        "num_beams": settings.num_beams,
        "max_new_tokens": settings.max_new_tokens,
        "mt_engine": resolve_engine(settings.mt_engine),
        "quantization": settings.quantization,
        "align_method": settings.align_method,
        "ref_layout": settings.ref_layout,
    }


# -- inputs --------------------------------------------------------------------------------


def _safe_id(raw: str, where: str) -> str:
    bad = (
        not raw or raw.startswith(".") or any(c in raw for c in "/\\\0")
        or raw in (BATCH_FILE, SUMMARY, CORPUS) or len(raw.encode()) > 200
    )  # fmt: skip
    if bad:
        raise InputError(f"{where}: {raw!r} cannot be an article id (ids name run folders).")
    return raw


def read_inputs(spec: str) -> list[Article]:
    """Articles from a directory (its *.txt files), a glob, or a JSONL manifest (paths in
    it relative to the manifest's folder); every path is made absolute."""
    p = Path(spec)
    if p.is_file() and p.suffix == ".jsonl":
        return _read_manifest(p)
    if p.is_dir():
        paths = sorted(
            x for x in p.iterdir() if x.is_file() and x.suffix == ".txt" and x.name[0] != "."
        )
    else:
        paths = sorted(Path(x) for x in glob.glob(spec) if Path(x).is_file())
    if not paths:
        raise InputError(f"No article files found at {spec} (a directory of .txt files, a glob "
                         "or a .jsonl manifest).")  # fmt: skip
    articles = [Article(_safe_id(x.name.split(".")[0], str(x)), str(x.resolve())) for x in paths]
    _check_unique(articles)
    return articles


def _read_manifest(path: Path) -> list[Article]:
    articles = []
    base = path.parent
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"The manifest {path} is not UTF-8 text.") from None
    except OSError as exc:
        raise InputError(f"The manifest {path} cannot be read: {exc.strerror or exc}.") from None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise InputError(f"{path}, line {n}: not valid JSON.") from None
        ref = item.get("reference") if isinstance(item, dict) else None
        if (
            not isinstance(item, dict) or not item.get("id")
            or not isinstance(item.get("path"), str) or not item["path"]
            or not (ref is None or (isinstance(ref, str) and ref))
        ):  # fmt: skip
            raise InputError(
                f'{path}, line {n}: an entry is {{"id": ..., "path": "..."}} with an optional '
                '"reference": "...".'
            )
        articles.append(
            Article(
                _safe_id(str(item["id"]), f"{path}, line {n}"),
                str((base / item["path"]).resolve()),
                str((base / ref).resolve()) if ref else None,
            )
        )
    if not articles:
        raise InputError(f"{path} lists no articles.")
    _check_unique(articles)
    return articles


def _check_unique(articles: Sequence[Article]) -> None:
    seen: dict[str, str] = {}
    for a in articles:
        if a.id in seen:
            raise InputError(
                f"Two articles have the id {a.id!r} ({seen[a.id]} and {a.path}): ids name the "
                "run folders and must be unique."
            )
        seen[a.id] = a.path


# -- one article ------------------------------------------------------------------------------


def process(article: Article, out: Path, pipeline, ref_layout: str) -> dict:
    """Run one article into ``out/<id>``; a user error becomes a failed summary row."""
    run_dir = out / article.id
    try:
        ref = article.reference
        pipeline.run(
            article.path, ref=ref, out=run_dir, force=run_dir.exists(), ref_layout=ref_layout
        )
    except UserError as exc:
        return failed_row(article, str(exc))
    return summary_row(article, run_dir)


def failed_row(article: Article, reason: str) -> dict:
    return {"id": article.id, "path": article.path, "status": "failed", "error": reason,
            "segments": None, "translated": None, "scores": None}  # fmt: skip


def summary_row(article: Article, run_dir: Path) -> dict:
    manifest = read_manifest(run_dir)
    scores = json.loads((run_dir / "scores.json").read_text(encoding="utf-8"))
    corpus = scores.get("corpus") or {}
    return {
        "id": article.id,
        "path": article.path,
        "status": "ok",
        "error": None,
        "segments": manifest["counts"]["segments"],
        "translated": manifest["counts"]["translated"],
        "scores": {k: round(v["score"], 4) for k, v in corpus.items()} or None,
    }


# -- the job ------------------------------------------------------------------------------------


def prepare_output(out: Path, print_fp: dict, ids: Sequence[str], force: bool) -> None:
    """Refuse to mix runs made with other settings; ``force`` clears the old batch (only the
    run folders it recorded, and its own files). ``batch.json`` lists every id the batch
    has started, written before any of them, so a cleared batch leaves nothing behind."""
    check_output_file(out / BATCH_FILE, "--out")
    path = out / BATCH_FILE
    recorded: list[str] = []
    if path.is_file():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            old_settings, recorded = old["settings"], list(old["articles"])
        except (ValueError, KeyError, TypeError):
            old_settings = None
        if old_settings != print_fp:
            if not force:
                raise UserError(
                    f"{out} holds runs made with other settings "
                    f"({_difference(old_settings, print_fp)}); choose another --out or pass "
                    "--force to start over"
                )
            _clear(out, recorded)
            recorded = []
    elif any(p for p in out.iterdir() if not p.name.startswith(".")):
        raise UserError(
            f"{out} is not empty and holds no {BATCH_FILE}: it is not a batch folder, so it is "
            "left alone; choose an empty or new --out"
        )
    articles = recorded + [i for i in ids if i not in set(recorded)]
    state = {"settings": print_fp, "articles": articles}
    atomic_write_text(path, json.dumps(state, indent=2) + "\n")


def _difference(old: dict | None, new: dict) -> str:
    if not isinstance(old, dict):
        return f"its {BATCH_FILE} is unreadable"
    keys = [k for k in new if old.get(k) != new.get(k)]
    return ", ".join(f"{k}: {old.get(k)!r} there, {new.get(k)!r} now" for k in keys[:3])


def _clear(out: Path, ids: Sequence[str]) -> None:
    """Remove the old batch: its recorded run folders, summary and corpus files, then (last,
    so an interrupted clear can be repeated) its batch.json."""
    for aid in ids:
        run = out / aid
        if run.is_dir():
            shutil.rmtree(run)
    for name in (SUMMARY, CORPUS):
        if (out / name).is_file():
            (out / name).unlink()
    (out / BATCH_FILE).unlink()


def write_summary(out: Path, articles: Sequence[Article], rows: dict[str, dict]) -> None:
    """summary.jsonl, one line per article done so far in input order, rebuilt atomically."""
    lines = [json.dumps(rows[a.id], ensure_ascii=False) for a in articles if a.id in rows]
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
    from align.score.metrics import corpus_scores
    from align.text import read_lines

    hyps: list[str] = []
    refs: list[str] = []
    scored = []
    for a in articles:
        run = out / a.id
        for h, r in (("aligned.hyp.txt", "aligned.ref.txt"), ("hyp.txt", "ref.txt")):
            if (run / r).is_file():
                if (run / r).stat().st_size:
                    hyps += read_lines(run / h, "hypothesis file")
                    refs += read_lines(run / r, "reference file")
                scored.append(a.id)
                break
    return {
        "articles": len(articles),
        "articles_scored": len(scored),
        "pairs": len(hyps),
        "corpus": corpus_scores(hyps, refs) if hyps else None,
    }


def run_batch(
    articles: Sequence[Article],
    out: str | Path,
    settings: BatchSettings,
    *,
    engine: str = "local",
    force: bool = False,
    quiet: bool = False,
    ray_address: str | None = None,
    workers: int = 2,
    log: Callable[[str], None] | None = None,
) -> tuple[list[dict], dict]:
    """Process every article not already complete; returns (summary rows, corpus scores)."""
    if engine not in ENGINES:
        raise UserError(f"Unknown batch engine {engine!r}; use local or ray.")
    out = Path(out)
    log = log or (lambda m: print(m, file=sys.stderr))
    if engine == "ray":
        _check_ray()  # before anything is written
    print_fp = fingerprint(settings)
    out.mkdir(parents=True, exist_ok=True)
    prepare_output(out, print_fp, [a.id for a in articles], force)
    remove_stale_temps(out)  # a job killed while writing the summary left these

    rows: dict[str, dict] = {}
    todo = []
    for a in articles:
        if _up_to_date(a, out / a.id, settings.ref_layout):
            rows[a.id] = summary_row(a, out / a.id)
        else:
            todo.append(a)
    if rows:
        log(f"{len(rows)} article(s) already complete in {out}: skipped")
    start = time.perf_counter()
    if engine == "local":
        _run_local(todo, out, settings, rows, articles, quiet, log)
    else:
        _run_ray(todo, out, settings, rows, articles, ray_address, workers, log)
    corpus = write_outputs(out, articles, rows)
    ordered = [rows[a.id] for a in articles]
    log(f"{len(todo)} article(s) processed in {time.perf_counter() - start:.1f}s")
    return ordered, corpus


def _up_to_date(article: Article, run_dir: Path, ref_layout: str) -> bool:
    """A complete run of this very article and reference (same bytes), to be skipped."""
    if not is_complete(run_dir):
        return False
    from align.records import sha256_file

    manifest = read_manifest(run_dir)
    try:
        if manifest["article"]["sha256"] != sha256_file(Path(article.path)):
            return False
        ref = manifest.get("reference")
        if (ref is None) != (article.reference is None):
            return False
        if ref is not None and ref["sha256"] != sha256_file(Path(article.reference)):
            return False
    except (OSError, KeyError, TypeError):
        return False  # changed or unreadable now: run it again (and report why if it fails)
    return article.reference is None or manifest.get("reference_layout") == ref_layout


def _check_ray() -> None:
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        raise UserError("--engine ray needs Ray Data: pip install 'arabic-align[ray]'.") from None


def _run_local(todo, out, settings, rows, articles, quiet, log) -> None:
    from tqdm import tqdm

    pipeline = settings.pipeline(progress=False if quiet else None)
    bar = tqdm(todo, desc="articles", unit="article", disable=quiet or not todo)
    for k, a in enumerate(bar, 1):
        row = process(a, out, pipeline, settings.ref_layout)
        rows[a.id] = row
        write_summary(out, articles, rows)  # the summary so far, in case we are stopped
        if quiet:
            log(f"[{k}/{len(todo)}] {a.id}: {row['status']}"
                + (f" ({row['error']})" if row["error"] else ""))  # fmt: skip


class _RayWorker:
    """One pipeline (one model) per actor; each call runs one or more articles."""

    def __init__(self, settings: dict, out: str) -> None:
        self.settings = BatchSettings(**settings)
        self.out = Path(out)
        self.pipeline = self.settings.pipeline(progress=False)

    def __call__(self, batch: dict) -> dict:
        rows = []
        for aid, path, ref in zip(batch["id"], batch["path"], batch["reference"], strict=True):
            article = Article(str(aid), str(path), str(ref) if ref else None)
            rows.append(process(article, self.out, self.pipeline, self.settings.ref_layout))
        return {"row": [json.dumps(r, ensure_ascii=False) for r in rows]}


def _run_ray(todo, out, settings, rows, articles, address, workers, log) -> None:
    import ray

    if not todo:
        return
    if not ray.is_initialized():
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     logging_level="ERROR", ignore_reinit_error=True)  # fmt: skip
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = address or "a local cluster"
            raise UserError(f"Cannot start or reach Ray at {where}: {exc}") from None
    import logging

    # Ray Data's own progress lines would drown ours (one line per article, below).
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    ray.data.DataContext.get_current().enable_progress_bars = False
    gpus = ray.cluster_resources().get("GPU", 0)
    items = [{"id": a.id, "path": a.path, "reference": a.reference or ""} for a in todo]
    dataset = ray.data.from_items(items).map_batches(
        _RayWorker,
        fn_constructor_kwargs={"settings": asdict(settings), "out": str(out.resolve())},
        batch_size=1,
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_gpus=min(1.0, gpus / workers) if gpus else 0,  # share GPUs between actors
        num_cpus=1,
    )
    for done, result in enumerate(dataset.iter_rows(), 1):
        row = json.loads(result["row"])
        rows[row["id"]] = row
        log(f"[{done}/{len(todo)}] {row['id']}: {row['status']}")
    write_outputs(out, articles, rows)
