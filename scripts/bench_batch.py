#!/usr/bin/env python3
"""Batch throughput: one process against Ray local with N workers, side by side in one run.

20 articles of consecutive FLORES-200 devtest Arabic lines (``--articles``, ``--lines``)
with their English lines as document references, translated, aligned and scored by
``arabic-align batch`` with the opus-mt-ar-en-sized fixture (built if missing; its output
is gibberish, so only the speed means anything). Each contender writes to a fresh folder.
The articles are translated one by one (on Ray by the workers), then all their pairs are
aligned together in one statistical model with the background, then each is scored and
written. Ray's figure includes starting the local cluster and loading one model per
worker. Each stage's share is summed from the runs' manifests (``timings``; the joint
alignment's time is shared out by pair count), over the job's wall clock. The translation
cache is emptied before each contender (a contender served from the other's cache would
not translate at all); the model's CTranslate2 conversion is made once, untimed, first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from align.batch import Article, BatchSettings, run_batch
from align.data import data_file
from align.errors import UserError
from align.records import atomic_write_text, check_output_file

ROOT = Path(__file__).resolve().parent.parent
# FLORES-200 devtest as the package ships it (corpus/flores200-devtest links there).
FLORES = data_file("flores200-devtest")
FIXTURE = ROOT / "models" / "local" / "fixture-opus-mt-ar-en"


def flores_lines() -> tuple[list[str], list[str]]:
    ar = (FLORES / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    return ar, en


def make_articles(folder: Path, n: int, lines: int) -> list[Article]:
    ar, en = flores_lines()
    articles = []
    for k in range(n):
        a, r = folder / f"flores{k:02d}.txt", folder / f"flores{k:02d}.en"
        a.write_text("\n".join(ar[k * lines : (k + 1) * lines]) + "\n", encoding="utf-8")
        r.write_text("\n".join(en[k * lines : (k + 1) * lines]) + "\n", encoding="utf-8")
        articles.append(Article(f"flores{k:02d}", str(a), str(r)))
    return articles


def check_args(args) -> None:
    """Refuse counts that make no benchmark and an unwritable --json, before Ray starts."""
    if min(args.articles, args.lines, args.workers) < 1:
        raise UserError("--articles, --lines and --workers must be at least 1")
    available = len(flores_lines()[0])
    if args.articles * args.lines > available:
        raise UserError(
            f"FLORES-200 devtest has {available} lines, fewer than --articles {args.articles} "
            f"× --lines {args.lines}"
        )
    if args.json:
        check_output_file(args.json, "--json", folders=[("model directory", args.model)])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=FIXTURE)
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--lines", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--align-method", default="hybrid")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    try:
        check_args(args)
    except UserError as exc:
        print(f"bench_batch: {exc}", file=sys.stderr)
        return 2
    if not (args.model / "config.json").is_file():
        from align.model.fixture import build_fixture

        print(f"building the opus-mt-ar-en-sized fixture in {args.model}", file=sys.stderr)
        build_fixture(args.model, size="opus-mt-ar-en")
    settings = BatchSettings(model=str(args.model), align_method=args.align_method,
                             ref_layout="document")  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        cache = Path(tmp) / "cache"
        os.environ["ARABIC_ALIGN_CACHE"] = str(cache)  # Ray's workers inherit it
        articles = make_articles(Path(tmp), args.articles, args.lines)
        # Untimed: the CTranslate2 conversion, kept in the cache folder for both contenders.
        run_batch(articles[:1], Path(tmp) / "warm-up", settings, executor="local", quiet=True,
                  log=lambda m: None)  # fmt: skip
        for executor in ("local", "ray"):
            for suffix in ("", "-wal", "-shm"):
                (cache / f"translations.sqlite{suffix}").unlink(missing_ok=True)
            out = Path(tmp) / f"out-{executor}"
            start = time.perf_counter()
            summary, _ = run_batch(articles, out, settings, executor=executor, quiet=True,
                                   workers=args.workers, log=lambda m: None)  # fmt: skip
            seconds = time.perf_counter() - start
            segments = sum(r["translated"] or 0 for r in summary)
            failed = sum(r["status"] != "ok" for r in summary)
            stages: dict[str, float] = {}
            for a in articles:
                manifest = out / a.id / "manifest.json"
                if manifest.is_file():
                    timings = json.loads(manifest.read_text(encoding="utf-8"))["timings"]
                    for key, value in timings.items():
                        stages[key] = stages.get(key, 0.0) + value
            rows.append({
                "contender": "one process" if executor == "local"
                else f"Ray local, {args.workers} workers",
                "seconds": seconds, "articles": len(summary), "failed": failed,
                "segments": segments, "articles_per_minute": 60 * len(summary) / seconds,
                "segments_per_second": segments / seconds,
                "stage_seconds": stages,
            })  # fmt: skip
    base = rows[0]["seconds"]
    print(f"{args.articles} articles of {args.lines} FLORES lines, {args.model.name}, "
          f"{args.align_method} aligner, document references")  # fmt: skip
    stages = ("translate", "align", "score", "write")
    print("| contender | seconds | articles/min | segments/s | × one process | "
          + " | ".join(f"{k} share" for k in stages) + " |")  # fmt: skip
    print("|---|---|---|---|---|" + "---|" * len(stages))
    for r in rows:
        shares = " | ".join(f"{r['stage_seconds'].get(k, 0.0) / r['seconds']:.0%}" for k in stages)
        print(
            f"| {r['contender']} | {r['seconds']:.1f} | {r['articles_per_minute']:.1f} | "
            f"{r['segments_per_second']:.2f} | {base / r['seconds']:.2f} | {shares} |"
        )
    if args.json:
        atomic_write_text(args.json, json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
