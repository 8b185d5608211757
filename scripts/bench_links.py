#!/usr/bin/env python3
"""Word alignment benchmark: our methods against a diagonal and plain eflomal, in one run.

Two gold sets, each scored with corpus-level AER, precision, recall and F1:
- **public** (conversational): ``../shared/data/word-align`` (its README: 200 gold pairs,
  already tokenized, all links sure; 25,739 training pairs of the same domain, which
  include the gold sentences);
- **news**: ``corpus/news-gold`` (26 FLORES-200 devtest pairs with sure and possible links,
  made in ``arabic-align review``; its README). Its text is tokenized into the toolkit's
  words first, so that every contender reads the same tokens as the gold indexes.

``--rules`` instead adds the hybrid aligner's function-word rules one by one on the same
eflomal votes (background condition, ``--repeats`` runs).

Each gold is aligned under three conditions, with plain eflomal given the same input:
- **no training text**: only the gold pairs (ours without the background, too);
- **background** (what ``arabic-align links`` does with no ``--train``): ours with its
  default background (FreeDict dictionary + FLORES-200 devtest, minus the pairs being
  aligned); plain eflomal with the same parallel text;
- **background + training text**: the word-align training pairs added for both.

Contenders: diagonal (Arabic token i to English token round(i·m/n)); plain eflomal (its
Python API, default settings: HMM+fertility, three samplers, grow-diag-final-and) on the
tokens as given; ours: lexical, statistical, hybrid (and attention, only with ``--model``: a
fixture model's attention is random and says nothing about quality).

eflomal samples at random, so each stochastic contender runs ``--repeats`` times and the
table gives the mean and standard deviation. Speed is pairs read per second (aligned plus
training pairs), wall clock, this machine. "errors × eflomal" is the contender's AER over
plain eflomal's under the same condition (0.6 = 40% fewer errors).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from align.errors import MismatchError, UserError
from align.links.background import Background
from align.links.evaluate import GoldLinks, link_scores, read_pharaoh
from align.links.methods import HybridAligner, LexicalAligner, StatisticalAligner
from align.links.symmetrize import grow_diag_final_and
from align.records import atomic_write_text, check_output_file
from align.text import read_lines

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "word-align"
# The contenders' names, which --only picks from (the attention ones need --model).
CONTENDERS = (
    "diagonal", "eflomal (plain, gdfa)", "ours: statistical", "ours: hybrid", "ours: lexical",
    "ours: lexical (background names rule)",
)  # fmt: skip
ATTENTION_CONTENDERS = ("ours: attention", "ours: hybrid + attention")


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


def _tokenized(text: str) -> str:
    from align.links.words import word_tokens

    return " ".join(text[w.start : w.end] for w in word_tokens(text))


def _same_length(files: dict[Path, list]) -> None:
    """Line-parallel files (Arabic, English, links) hold one line a pair each."""
    if len({len(lines) for lines in files.values()}) > 1:
        counts = ", ".join(f"{path}: {len(lines)}" for path, lines in files.items())
        raise MismatchError(f"the line counts differ ({counts}): the files must hold one line a "
                            "pair each")  # fmt: skip


def read_golds(data: Path, news: Path) -> dict:
    """{name: (pairs, gold links)} for the gold sets found."""
    golds = {}
    public = data / "public"
    if (public / "gold.ar").is_file():
        ar = read_lines(public / "gold.ar", "gold Arabic")
        en = read_lines(public / "gold.en", "gold English")
        gold = read_pharaoh(public / "gold.pharaoh", "gold")
        _same_length({public / "gold.ar": ar, public / "gold.en": en,
                      public / "gold.pharaoh": gold})  # fmt: skip
        golds["public"] = (list(zip(ar, en, strict=True)), gold)
    if (news / "review.pharaoh").is_file():
        ar = [_tokenized(x) for x in read_lines(news / "review.src.txt", "news Arabic")]
        en = [_tokenized(x) for x in read_lines(news / "review.hyp.txt", "news English")]
        gold = read_pharaoh(news / "review.pharaoh", "news gold")
        _same_length({news / "review.src.txt": ar, news / "review.hyp.txt": en,
                      news / "review.pharaoh": gold})  # fmt: skip
        golds["news"] = (list(zip(ar, en, strict=True)), gold)
    return golds


def gold_files(data: Path, news: Path) -> list[tuple[str, Path]]:
    """The files read_golds reads, as (label, path) inputs that an output must not be."""
    names = [("gold Arabic", data / "public" / "gold.ar"),
             ("gold English", data / "public" / "gold.en"),
             ("gold", data / "public" / "gold.pharaoh"),
             ("news Arabic", news / "review.src.txt"), ("news English", news / "review.hyp.txt"),
             ("news gold", news / "review.pharaoh")]  # fmt: skip
    return [(f"{label} file", path) for label, path in names]


def _timed_background():
    """The default background, loaded cold (a fresh cache folder) and then warm (from the
    cache); both times are printed."""
    import os

    from align.links.background import load_background

    with tempfile.TemporaryDirectory(prefix="bench-links-cache-") as cache:
        before = os.environ.get("ARABIC_ALIGN_CACHE")
        os.environ["ARABIC_ALIGN_CACHE"] = cache
        try:
            times = []
            for _ in range(2):
                start = time.perf_counter()
                background = load_background()
                times.append(time.perf_counter() - start)
        finally:
            if before is None:
                del os.environ["ARABIC_ALIGN_CACHE"]
            else:
                os.environ["ARABIC_ALIGN_CACHE"] = before
    print(f"background load: {times[0]:.2f} s cold (parse + cache), {times[1]:.3f} s from the "
          "cache", file=sys.stderr)  # fmt: skip
    return background


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--news", type=Path, default=ROOT / "corpus" / "news-gold")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each random contender")
    ap.add_argument("--model", help="translation model for the attention contender")
    ap.add_argument("--only", nargs="*", help="contenders to run (default: all)")
    ap.add_argument("--json", type=Path, help="write the results here as JSON")
    ap.add_argument(
        "--rules", action="store_true",
        help="instead: the hybrid's function-word rules added one by one on the same eflomal "
        "votes (background condition)",
    )  # fmt: skip
    args = ap.parse_args(argv)
    try:
        golds, train = prepare(args)
    except UserError as exc:
        print(f"bench_links: {exc}", file=sys.stderr)
        return 2
    background = _timed_background()
    attention = None
    if args.model:
        from align.links.attention import AttentionAligner
        from align.model.load import load_marian

        attention = AttentionAligner(load_marian(args.model, "auto"))

    if args.rules:
        return rules_ablation(golds, background, args.repeats, args.json)
    rows = []
    for gold_name, (pairs, gold) in golds.items():
        aligned = {" ".join(a.split()) for a, _ in pairs}
        flores = [p for p in background.pairs if _tokenized(p[0]) not in aligned]
        # The gold's own sentences (the news gold is FLORES text) stay out of the background
        # and so out of its priors.
        held_out = Background(background.lexicon, flores, background.records)
        conditions = {
            "no training text": (None, []),
            "background": (held_out, flores),
            "background + training text": (held_out, flores + train),
        }
        if not train:
            del conditions["background + training text"]
        for condition, (bg, eflomal_extra) in conditions.items():
            extra = train if condition.endswith("training text") and train else []
            if condition == "no training text":
                extra = []
            contenders = {
                "eflomal (plain, gdfa)": (
                    lambda p, _e, x=eflomal_extra: plain_eflomal(p, x), args.repeats,
                    len(eflomal_extra),
                ),
                "ours: statistical": (
                    ours(StatisticalAligner(extra, pretokenized=True, background=bg)),
                    args.repeats, len(eflomal_extra),
                ),
                "ours: hybrid": (
                    ours(HybridAligner(extra, pretokenized=True, background=bg)), args.repeats,
                    len(eflomal_extra),
                ),
            }  # fmt: skip
            if condition == "no training text":
                contenders = {
                    "diagonal": (lambda p, _e: diagonal(p), 1, 0),
                    **contenders,
                    "ours: lexical": (ours(LexicalAligner(pretokenized=True)), 1, 0),
                    "ours: lexical (background names rule)": (
                        ours(LexicalAligner(pretokenized=True, background=background)), 1, 0,
                    ),
                }  # fmt: skip
            if attention is not None:
                contenders["ours: attention"] = (ours_attention(attention), 1, 0)
                contenders["ours: hybrid + attention"] = (
                    ours(HybridAligner(extra, attention=attention, pretokenized=True,
                                       background=bg)),
                    args.repeats, len(eflomal_extra),
                )  # fmt: skip
            if args.only:
                contenders = {k: v for k, v in contenders.items() if any(o in k for o in args.only)}
            for name, (fn, repeats, extra_read) in contenders.items():
                results = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    predicted = fn(pairs, None)
                    seconds = time.perf_counter() - start
                    scores = link_scores(
                        gold, [GoldLinks(frozenset(x), frozenset(x)) for x in predicted]
                    )
                    results.append((scores, seconds))
                    print(f"  {gold_name} / {condition} / {name}: AER {scores.aer:.4f} "
                          f"in {seconds:.1f}s", file=sys.stderr)  # fmt: skip
                read = len(pairs) + extra_read
                row = {"gold": gold_name, "condition": condition, "contender": name,
                       "repeats": repeats, "pairs_read": read,
                       "links": results[0][0].predicted}  # fmt: skip
                for key in ("aer", "precision", "recall", "f1"):
                    values = [getattr(sc, key) for sc, _ in results]
                    row[key] = statistics.mean(values)
                    row[key + "_sd"] = statistics.stdev(values) if len(values) > 1 else 0.0
                row["seconds"] = statistics.mean(t for _, t in results)
                row["pairs_per_second"] = read / row["seconds"] if row["seconds"] else 0.0
                rows.append(row)

    print("| gold | condition | contender | AER | precision | recall | F1 | links | seconds "
          "| errors × eflomal |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        base = next(
            (b for b in rows if b["gold"] == r["gold"] and b["condition"] == r["condition"]
             and b["contender"].startswith("eflomal")), None,
        )  # fmt: skip
        ratio = r["aer"] / base["aer"] if base and base["aer"] else float("nan")
        r["errors_vs_eflomal"] = ratio
        sd = f" ± {r['aer_sd']:.3f}" if r["repeats"] > 1 else ""
        print(
            f"| {r['gold']} | {r['condition']} | {r['contender']} | {r['aer']:.3f}{sd} "
            f"| {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['links']} "
            f"| {r['seconds']:.1f} | {ratio:.2f} |"
        )
    if args.json:
        atomic_write_text(args.json, json.dumps(rows, indent=2) + "\n")
    return 0


def prepare(args) -> tuple[dict, list]:
    """The gold sets and the training pairs, once the arguments and the --json output are
    checked: a mistake is one sentence before anything is aligned."""
    if args.repeats < 1:
        raise UserError(f"--repeats must be at least 1, not {args.repeats}")
    known = CONTENDERS + (ATTENTION_CONTENDERS if args.model else ())
    for name in args.only or ():
        if not any(name in k for k in known):
            hint = " (the attention ones need --model)" if not args.model else ""
            raise UserError(
                f"--only {name!r} names no contender; they are: {', '.join(known)}{hint}"
            )
    golds = read_golds(args.data, args.news)
    if not golds:
        raise UserError(f"no gold under {args.data} or {args.news}")
    train = []
    train_files = (args.data / "train" / "train.ar", args.data / "train" / "train.en")
    if train_files[0].is_file():
        train_ar = read_lines(train_files[0], "training Arabic")
        train_en = read_lines(train_files[1], "training English")
        _same_length(dict(zip(train_files, (train_ar, train_en), strict=True)))
        train = list(zip(train_ar, train_en, strict=True))
    if args.json:
        inputs = [*gold_files(args.data, args.news), ("training Arabic file", train_files[0]),
                  ("training English file", train_files[1])]  # fmt: skip
        check_output_file(args.json, "--json", inputs)
    return golds, train


def rules_ablation(golds: dict, background, repeats: int, json_path: Path | None) -> int:
    """AER of the hybrid aligner with none, the first, the first two... of its function-word
    rules (``align.links.methods.RULES``), all from the same eflomal votes in each run, so
    that eflomal's run-to-run spread does not hide a rule's effect."""
    from align.links.methods import RULES, build_alignment

    class Ablation(HybridAligner):
        def _combine(self, src, tgt, votes, attention, lexical, found=None):
            for n in range(len(RULES) + 1):
                self.rules = RULES[:n]
                links = super()._combine(src, tgt, votes, attention, lexical, found)
                self.seen[n].append(build_alignment(src, tgt, links, self.method).word_links())
            return links

    rows = []
    for gold_name, (pairs, gold) in golds.items():
        aligned = {" ".join(a.split()) for a, _ in pairs}
        flores = [p for p in background.pairs if _tokenized(p[0]) not in aligned]
        held_out = Background(background.lexicon, flores, background.records)
        runs: list[list[float]] = [[] for _ in range(len(RULES) + 1)]
        for _ in range(repeats):
            aligner = Ablation(pretokenized=True, background=held_out)
            aligner.seen = [[] for _ in range(len(RULES) + 1)]
            aligner.align(pairs)
            for n, predicted in enumerate(aligner.seen):
                links = [GoldLinks(frozenset(x), frozenset(x)) for x in predicted]
                runs[n].append(link_scores(gold, links).aer)
        for n, values in enumerate(runs):
            rows.append({"gold": gold_name, "rules": list(RULES[:n]), "aer": values})
    print("| gold | rules applied | AER per run | mean |")
    print("|---|---|---|---|")
    for r in rows:
        runs_text = " ".join(f"{x:.4f}" for x in r["aer"])
        print(f"| {r['gold']} | {' + '.join(r['rules']) or 'none'} | {runs_text} "
              f"| {statistics.mean(r['aer']):.4f} |")  # fmt: skip
    if json_path:
        atomic_write_text(json_path, json.dumps(rows, indent=2) + "\n")
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
