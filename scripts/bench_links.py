#!/usr/bin/env python3
"""Word alignment benchmark: our methods against a diagonal and plain eflomal, in one run.

On ``../shared/data/word-align`` (its README: 200 gold pairs, already tokenized, all links
sure; 25,739 training pairs of the same domain, which include the gold sentences). Every
statistical contender learns from the gold pairs plus the training text, as in that
README's baselines, and is scored on the gold pairs (corpus-level AER, precision, recall,
F1; Pharaoh indices over the given tokens).

Contenders:
- diagonal: Arabic token i linked to English token round(i·m/n);
- eflomal: plain eflomal (its Python API, default settings: HMM+fertility, three samplers)
  on the raw tokens, grow-diag-final-and;
- ours: lexical, statistical, hybrid (and attention, only with ``--model``: a fixture
  model's attention is random and says nothing about quality).

eflomal samples at random, so each stochastic contender runs ``--repeats`` times and the
table gives the mean and standard deviation. Speed is pairs read per second (aligned plus
training pairs, the same for every statistical contender), wall clock, this machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from align.links.evaluate import GoldLinks, link_scores, parse_pharaoh
from align.links.methods import HybridAligner, LexicalAligner, StatisticalAligner
from align.links.symmetrize import grow_diag_final_and
from align.text import read_lines

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "word-align"


def diagonal(pairs):
    out = []
    for ar, en in pairs:
        n, m = len(ar.split()), len(en.split())
        links = {(i, min(m - 1, round(i * m / n))) for i in range(n)} if n and m else set()
        out.append(frozenset(links))
    return out


def plain_eflomal(pairs, extra):
    """What a user of eflomal does by hand: its Aligner on the text as given, then gdfa."""
    import eflomal

    src = [a + "\n" for a, _ in pairs + extra]
    tgt = [e + "\n" for _, e in pairs + extra]
    with tempfile.TemporaryDirectory() as tmp:
        fwd, rev = Path(tmp, "fwd"), Path(tmp, "rev")
        eflomal.Aligner().align(
            iter(src), iter(tgt), links_filename_fwd=str(fwd), links_filename_rev=str(rev)
        )
        f_lines = fwd.read_text(encoding="utf-8").splitlines()
        r_lines = rev.read_text(encoding="utf-8").splitlines()

    def parse(line):
        return {tuple(map(int, x.split("-"))) for x in line.split()}

    return [grow_diag_final_and(parse(f_lines[k]), parse(r_lines[k])) for k in range(len(pairs))]


def ours(aligner):
    def run(pairs, _extra):
        return [frozenset(a.word_links()) for a in aligner.align(pairs)]

    return run


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeats", type=int, default=3, help="runs of each random contender")
    ap.add_argument("--model", help="translation model for the attention contender")
    ap.add_argument("--only", nargs="*", help="contenders to run (default: all)")
    ap.add_argument("--json", type=Path, help="write the results here as JSON")
    args = ap.parse_args(argv)

    if not (args.data / "public" / "gold.ar").is_file():
        print(f"bench_links: no word-align data under {args.data}", file=sys.stderr)
        return 2
    gold_ar = read_lines(args.data / "public" / "gold.ar", "gold Arabic")
    gold_en = read_lines(args.data / "public" / "gold.en", "gold English")
    gold = [parse_pharaoh(x) for x in read_lines(args.data / "public" / "gold.pharaoh", "gold")]
    train = list(
        zip(
            read_lines(args.data / "train" / "train.ar", "training Arabic"),
            read_lines(args.data / "train" / "train.en", "training English"),
            strict=True,
        )
    )
    pairs = list(zip(gold_ar, gold_en, strict=True))

    contenders = {
        "diagonal": (lambda p, _e: diagonal(p), 1, False),
        "eflomal (plain, gdfa)": (plain_eflomal, args.repeats, True),
        "ours: lexical": (ours(LexicalAligner(pretokenized=True)), 1, False),
        "ours: statistical": (
            ours(StatisticalAligner(train, pretokenized=True)), args.repeats, True,
        ),
        "ours: hybrid": (ours(HybridAligner(train, pretokenized=True)), args.repeats, True),
    }  # fmt: skip
    if args.model:
        from align.links.attention import AttentionAligner
        from align.model.load import load_marian

        attention = AttentionAligner(load_marian(args.model, "auto"))
        contenders["ours: attention"] = (ours_attention(attention), 1, False)
        contenders["ours: hybrid + attention"] = (
            ours(HybridAligner(train, attention=attention, pretokenized=True)), args.repeats,
            True,
        )  # fmt: skip
    if args.only:
        contenders = {k: v for k, v in contenders.items() if any(o in k for o in args.only)}

    rows = []
    for name, (fn, repeats, trains) in contenders.items():
        results = []
        for _ in range(repeats):
            start = time.perf_counter()
            predicted = fn(pairs, train)
            seconds = time.perf_counter() - start
            scores = link_scores(gold, [GoldLinks(frozenset(x), frozenset(x)) for x in predicted])
            results.append((scores, seconds))
            print(f"  {name}: AER {scores.aer:.4f} in {seconds:.1f}s", file=sys.stderr)
        read = len(pairs) + (len(train) if trains else 0)
        row = {"contender": name, "repeats": repeats, "pairs_read": read}
        for key in ("aer", "precision", "recall", "f1"):
            values = [getattr(s, key) for s, _ in results]
            row[key] = statistics.mean(values)
            row[key + "_sd"] = statistics.stdev(values) if len(values) > 1 else 0.0
        row["seconds"] = statistics.mean(t for _, t in results)
        row["pairs_per_second"] = read / row["seconds"]
        rows.append(row)

    base = next((r for r in rows if r["contender"].startswith("eflomal")), None)
    print("| contender | AER | precision | recall | F1 | seconds | pairs/s | speed × eflomal |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = r["pairs_per_second"] / base["pairs_per_second"] if base else float("nan")
        sd = f" ± {r['aer_sd']:.4f}" if r["repeats"] > 1 else ""
        print(
            f"| {r['contender']} | {r['aer']:.4f}{sd} | {r['precision']:.3f} | {r['recall']:.3f} "
            f"| {r['f1']:.3f} | {r['seconds']:.1f} | {r['pairs_per_second']:.0f} | {ratio:.2f} |"
        )
        r["speed_vs_eflomal"] = ratio
    hybrid = next((r for r in rows if r["contender"] == "ours: hybrid"), None)
    if hybrid and base:
        print(
            f"targets: hybrid AER {hybrid['aer']:.4f} ≤ 0.13: "
            f"{'PASS' if hybrid['aer'] <= 0.13 else 'FAIL'}; throughput "
            f"{hybrid['speed_vs_eflomal']:.2f} × eflomal ≥ 1: "
            f"{'PASS' if hybrid['speed_vs_eflomal'] >= 1 else 'FAIL'}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


def ours_attention(attention):
    def run(pairs, _extra):
        from align.links.units import given_tokens

        tokens = [(given_tokens(a), given_tokens(e)) for a, e in pairs]
        out = []
        for matrix in attention.word_attentions(pairs, tokens):
            links = set()
            if matrix.size:
                for j, i in enumerate(matrix.argmax(axis=1)):
                    if matrix[j, i] >= attention.threshold:
                        links.add((int(i), j))
            out.append(frozenset(links))
        return out

    return run


if __name__ == "__main__":
    sys.exit(main())
