#!/usr/bin/env python3
"""Reference-document alignment benchmark: ours (chrF) against Gale–Church (length only).

Documents are runs of consecutive FLORES-200 devtest English lines (``--doc-size``). The
reference side of each has sentences merged (two into one line) and split (one into two,
at a comma or the middle word) at random; the hypothesis side is every original sentence
perturbed as a weak system would write it: words dropped, adjacent words swapped, words
replaced by others from the corpus. The gold beads follow from the merges and splits. We
report strict precision / recall / F1 (a bead counts only if it equals a gold bead) and lax
(a predicted bead counts if it overlaps a gold bead on both sides; a 1-0 or 0-1 bead only
if it equals one), for both methods, in one run, with a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

from align.data import data_file
from align.errors import UserError
from align.records import atomic_write_text, check_output_file
from align.score.docalign import Bead, align_documents
from align.text import read_lines

# FLORES-200 devtest as the package ships it (corpus/flores200-devtest links there).
DEFAULT_FLORES = Path(str(data_file("flores200-devtest", "eng_Latn.devtest")))


def perturb(sentence: str, vocab: list[str], rng: random.Random, rate: float) -> str:
    words = sentence.split()
    out = []
    for w in words:
        r = rng.random()
        if r < rate:
            continue  # dropped
        if r < 2 * rate:
            out.append(rng.choice(vocab))  # substituted
        else:
            out.append(w)
    for k in range(len(out) - 1):
        if rng.random() < rate:
            out[k], out[k + 1] = out[k + 1], out[k]  # swapped
    return " ".join(out) if out else rng.choice(vocab)


def split_sentence(sentence: str) -> tuple[str, str] | None:
    words = sentence.split()
    if len(words) < 8:
        return None
    commas = [k for k, w in enumerate(words[2:-2], 2) if w.endswith(",")]
    middle = len(words) // 2
    cut = min(commas, key=lambda k: abs(k - middle)) + 1 if commas else middle
    return " ".join(words[:cut]), " ".join(words[cut:])


def make_document(lines, vocab, rng, merge, split, noise):
    """(hypotheses, reference sentences, gold beads)."""
    hyps = [perturb(s, vocab, rng, noise) for s in lines]
    refs: list[str] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i = 0
    while i < len(lines):
        r = rng.random()
        if r < merge and i + 1 < len(lines):
            gold.append(((i, i + 1), (len(refs),)))
            refs.append(lines[i] + " " + lines[i + 1])
            i += 2
            continue
        halves = split_sentence(lines[i]) if r < merge + split else None
        if halves:
            gold.append(((i,), (len(refs), len(refs) + 1)))
            refs.extend(halves)
        else:
            gold.append(((i,), (len(refs),)))
            refs.append(lines[i])
        i += 1
    return hyps, refs, gold


def _overlaps(a, b) -> bool:
    if not a[0] or not a[1] or not b[0] or not b[1]:
        return a == b
    return bool(set(a[0]) & set(b[0])) and bool(set(a[1]) & set(b[1]))


def prf(predicted, gold, lax: bool) -> tuple[int, int, int]:
    """(correct predicted, predicted, gold found) counts for one document."""
    if lax:
        correct = sum(any(_overlaps(p, g) for g in gold) for p in predicted)
        found = sum(any(_overlaps(p, g) for p in predicted) for g in gold)
    else:
        correct = found = len(set(predicted) & set(gold))
    return correct, len(predicted), found


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--flores", type=Path, default=DEFAULT_FLORES,
        help="English lines, one sentence a line (default: the FLORES-200 devtest shipped)",
    )  # fmt: skip
    ap.add_argument("--doc-size", type=int, default=20, help="lines a document")
    ap.add_argument("--merge", type=float, default=0.1, help="chance a sentence is merged")
    ap.add_argument("--split", type=float, default=0.1, help="chance a sentence is split")
    ap.add_argument("--noise", type=float, default=0.1, help="word drop/substitute/swap rate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    try:
        lines = prepare(args)
    except UserError as exc:
        print(f"bench_docalign: {exc}", file=sys.stderr)
        return 2
    vocab = sorted({w for line in lines for w in line.split()})
    rng = random.Random(args.seed)
    docs = [
        make_document(lines[k : k + args.doc_size], vocab, rng, args.merge, args.split, args.noise)
        for k in range(0, len(lines), args.doc_size)
    ]
    rows = []
    for method in ("chrf", "length"):
        totals = {"strict": [0, 0, 0], "lax": [0, 0, 0]}
        start = time.perf_counter()
        for hyps, refs, gold in docs:
            result = align_documents(hyps, refs, method=method)
            predicted = [(b.hyp, b.ref) for b in result.beads]
            for mode in totals:
                for k, v in enumerate(prf(predicted, gold, mode == "lax")):
                    totals[mode][k] += v
        seconds = time.perf_counter() - start
        row = {"method": "ours (chrF DP)" if method == "chrf" else "Gale–Church (length)"}
        for mode, (correct, n_pred, found) in totals.items():
            p = correct / n_pred if n_pred else 0.0
            r = found / sum(len(g) for _, _, g in docs)
            row[mode] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
        row["seconds"] = seconds
        rows.append(row)
    n_beads = sum(len(g) for _, _, g in docs)
    kinds = {}
    for _, _, g in docs:
        for h, r in g:
            kinds[Bead(h, r, 0).kind] = kinds.get(Bead(h, r, 0).kind, 0) + 1
    print(
        f"{len(docs)} documents of {args.doc_size} lines, {n_beads} gold beads {kinds}; "
        f"merge {args.merge}, split {args.split}, noise {args.noise}, seed {args.seed}"
    )
    print("| method | strict P | strict R | strict F1 | lax P | lax R | lax F1 | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        s, x = row["strict"], row["lax"]
        print(
            f"| {row['method']} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} "
            f"| {x['precision']:.4f} | {x['recall']:.4f} | {x['f1']:.4f} | {row['seconds']:.1f} |"
        )
    ours = rows[0]["strict"]["f1"]
    print(f"target: strict F1 {ours:.4f} ≥ 0.98: {'PASS' if ours >= 0.98 else 'FAIL'}")
    if args.json:
        atomic_write_text(args.json, json.dumps(rows, indent=2) + "\n")
    return 0


def prepare(args) -> list[str]:
    """The FLORES lines, once the arguments and the --json output are checked: a mistake
    is one sentence before the benchmark runs, and --json never replaces the input."""
    if args.doc_size < 1:
        raise UserError(f"--doc-size must be at least 1, not {args.doc_size}")
    for option in ("merge", "split", "noise"):
        share = getattr(args, option)
        if not (math.isfinite(share) and 0 <= share <= 1):
            raise UserError(f"--{option} is a share: a number from 0 to 1, not {share}")
    lines = [x.strip() for x in read_lines(args.flores, "FLORES file") if x.strip()]
    if not lines:
        raise UserError(f"the FLORES file {args.flores} holds no text lines")
    if args.json:
        check_output_file(args.json, "--json", [("FLORES file", args.flores)])
    return lines


if __name__ == "__main__":
    sys.exit(main())
