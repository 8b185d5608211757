"""Several systems on the same segments: scores, significance and where they differ.

Significance is sacrebleu's own (``sacrebleu.significance.PairedTest``): paired bootstrap
resampling (with the 95% confidence interval of each system's score) and paired
approximate randomization, each system against the first (the baseline). A difference is
marked significant when the scores differ and both tests give p < 0.05, over at least
``MIN_PAIRS`` scored pairs (with fewer, every resample ties). sacrebleu seeds
its resampling (12345, ``SACREBLEU_SEED``), so the figures are reproducible.

The analysis follows compare-mt (Neubig et al. 2019): chrF++ by reference length bucket and
by segment role; the segments where the baseline and the first other system differ most;
the n-grams of the reference that one system produces and the other misses; and the
segments with the lowest sentence chrF++.

Every system is paired with the same references. With a run directory as the baseline,
they come from it (``ref.txt``, or the beads of ``docalign.json`` for a document reference,
which then group every system's segments the same way); ``ref`` overrides that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from align.errors import InputError, MismatchError, UserError
from align.records import jsonl_rows, loads_json, read_manifest
from align.score.docalign import align_documents, reference_sentences
from align.text import read_article, read_lines

ALPHA = 0.05
# Below this many scored pairs, resampling has nothing to resample: no difference is marked.
MIN_PAIRS = 10
# sacrebleu draws all resamples at once: an index array of resamples × segments (bootstrap,
# 8 bytes each) and a boolean one for randomization. These limits keep that under about a
# gigabyte for articles of thousands of segments.
MAX_BOOTSTRAP = 10_000
MAX_RANDOMIZATION = 100_000
LENGTH_BUCKETS = ((1, 10), (11, 20), (21, 30), (31, 40), (41, None))
TOP = 10


@dataclass(frozen=True)
class System:
    name: str
    hyps: tuple[str, ...]  # one per segment to translate
    roles: tuple[str, ...] | None = None
    run_dir: Path | None = None


def load_system(path: str | Path, name: str | None = None) -> System:
    """A run directory (its translated segments) or a hypothesis file (one segment a line)."""
    p = Path(path)
    if p.is_dir():
        read_manifest(p)  # an unfinished or foreign run directory is refused here
        rows = [r for r in _json_lines(p / "segments.jsonl") if r.get("translated")]
        return System(
            name or p.name,
            tuple(r["hypothesis"] for r in rows),
            tuple(r["role"] for r in rows),
            p,
        )
    return System(name or p.stem, tuple(read_lines(p, "hypothesis file")))


def _json_lines(path: Path) -> list[dict]:
    try:
        return [loads_json(x) for x in jsonl_rows(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError) as exc:
        raise InputError(f"{path} cannot be read as JSON lines: {exc}.") from None


def _unique_names(systems: list[System]) -> list[System]:
    seen: Counter[str] = Counter()
    out = []
    for s in systems:
        seen[s.name] += 1
        name = s.name if seen[s.name] == 1 else f"{s.name}#{seen[s.name]}"
        out.append(System(name, s.hyps, s.roles, s.run_dir))
    return out


def reference_groups(
    baseline: System, ref: str | Path | None, ref_layout: str
) -> tuple[list[tuple[int, ...]], list[str]]:
    """(segment indices of each scored pair, the pair's reference)."""
    if ref is None:
        if baseline.run_dir is None:
            raise UserError("Give --ref: the first system is a file, not a run directory.")
        docalign = baseline.run_dir / "docalign.json"
        if docalign.is_file():
            try:
                data = loads_json(docalign.read_text(encoding="utf-8"))
                sentences = data["reference_texts"]
                data["beads"]
            except (ValueError, KeyError):
                raise InputError(f"{docalign} is not a document alignment file.") from None
            groups, refs = [], []
            for b in data["beads"]:
                if b["hyp"] and b["ref"]:
                    groups.append(tuple(b["hyp"]))
                    refs.append(" ".join(sentences[j] for j in b["ref"]))
            return groups, refs
        ref_file = baseline.run_dir / "ref.txt"
        if not ref_file.is_file():
            raise UserError(f"The run {baseline.run_dir} has no reference; give --ref.")
        ref, ref_layout = ref_file, "lines"
    if ref_layout == "document":
        sentences = reference_sentences(read_article(ref, "reference file"))
        result = align_documents(list(baseline.hyps), sentences)
        groups = [b.hyp for b in result.beads if b.hyp and b.ref]
        refs = [" ".join(sentences[j] for j in b.ref) for b in result.beads if b.hyp and b.ref]
        return groups, refs
    refs = read_lines(ref, "reference file")
    if len(refs) != len(baseline.hyps):
        raise MismatchError(
            f"{ref} has {len(refs)} lines but {baseline.name} has {len(baseline.hyps)} segments."
        )
    return [(i,) for i in range(len(refs))], refs


def _number(x) -> float | None:
    return None if x is None else float(x)  # numpy scalars are not JSON


def _metrics() -> dict:
    return {"bleu": BLEU(), "chrf": CHRF(word_order=2), "ter": TER()}


def _sentence_chrf(hyps: Sequence[str], refs: Sequence[str]) -> list[float]:
    metric = CHRF(word_order=2)
    return [metric.sentence_score(h, [r]).score for h, r in zip(hyps, refs, strict=True)]


def _bucket_of(n_words: int) -> str:
    for lo, hi in LENGTH_BUCKETS:
        if hi is None or n_words <= hi:
            return f"{lo}+" if hi is None else f"{lo}-{hi}"
    raise AssertionError


def _buckets(keys: list[str], order: list[str], paired: dict[str, list[str]], refs) -> list:
    rows = []
    for key in order:
        idx = [k for k, v in enumerate(keys) if v == key]
        if not idx:
            continue
        chrf = {
            name: CHRF(word_order=2)
            .corpus_score([h[k] for k in idx], [[refs[k] for k in idx]])
            .score
            for name, h in paired.items()
        }
        rows.append({"bucket": key, "count": len(idx), "chrf": chrf})
    return rows


def _ngram_matches(hyps, refs, max_n: int = 4) -> Counter:
    """For each reference n-gram, how many times the hypotheses produced it (clipped)."""
    tok = Tokenizer13a()
    found: Counter = Counter()
    for h, r in zip(hyps, refs, strict=True):
        hw, rw = tok(h).split(), tok(r).split()
        for n in range(1, max_n + 1):
            hc = Counter(tuple(hw[i : i + n]) for i in range(len(hw) - n + 1))
            rc = Counter(tuple(rw[i : i + n]) for i in range(len(rw) - n + 1))
            for g, c in rc.items():
                found[g] += min(c, hc.get(g, 0))
                found.setdefault(g, 0)
    return found


def _ngram_contrast(base_hyps, other_hyps, refs) -> tuple[list, list]:
    a, b = _ngram_matches(base_hyps, refs), _ngram_matches(other_hyps, refs)

    def ratio(g, x, y):  # smoothed, as compare-mt: (matches of x + 1) / (matches of y + 1)
        return (x[g] + 1) / (y[g] + 1)

    grams = set(a) | set(b)
    better = sorted(grams, key=lambda g: (-ratio(g, b, a), -b[g], g))[:TOP]
    worse = sorted(grams, key=lambda g: (-ratio(g, a, b), -a[g], g))[:TOP]
    fmt = lambda g: {"ngram": " ".join(g), "baseline": a[g], "other": b[g]}  # noqa: E731
    return [fmt(g) for g in better if b[g] > a[g]], [fmt(g) for g in worse if a[g] > b[g]]


def compare_systems(
    systems: list[System],
    ref: str | Path | None = None,
    ref_layout: str = "lines",
    bootstrap: int = 1000,
    randomization: int = 10000,
) -> dict:
    """Scores, significance against ``systems[0]`` and the analysis, as plain data."""
    if len(systems) < 1:
        raise UserError("Give at least one system to score (two to compare).")
    if not 1 <= bootstrap <= MAX_BOOTSTRAP or not 1 <= randomization <= MAX_RANDOMIZATION:
        raise UserError(
            f"Significance tests take 1 to {MAX_BOOTSTRAP:,} bootstrap resamples and 1 to "
            f"{MAX_RANDOMIZATION:,} randomization trials."
        )
    systems = _unique_names(systems)
    baseline = systems[0]
    for s in systems[1:]:
        if len(s.hyps) != len(baseline.hyps):
            raise MismatchError(
                f"{s.name} has {len(s.hyps)} segments but {baseline.name} has "
                f"{len(baseline.hyps)}: compare translations of the same article."
            )
    groups, refs = reference_groups(baseline, ref, ref_layout)
    if not groups:
        raise UserError("No segment could be paired with a reference.")
    paired = {s.name: [" ".join(s.hyps[i] for i in g) for g in groups] for s in systems}
    named = list(paired.items())

    table = [{"system": s.name} for s in systems]
    signatures: dict[str, str] = {}
    if len(systems) > 1:
        results = {}
        for kind, n in (("bs", bootstrap), ("ar", randomization)):
            sigs, scores = PairedTest(
                named, _metrics(), [refs], test_type=kind, n_samples=n,
                n_ar_confidence=-1,
            )()  # fmt: skip
            results[kind] = scores
            if kind == "bs":
                signatures = {k: str(v) for k, v in sigs.items()}
        metric_names = [k for k in results["bs"] if k != "System"]
        base_scores = {}
        for key, label in zip(("bleu", "chrf", "ter"), metric_names, strict=True):
            for row, bs, ar in zip(table, results["bs"][label], results["ar"][label], strict=True):
                p_bs, p_ar = _number(bs.p_value), _number(ar.p_value)
                base_scores.setdefault(key, bs.score)
                # sacrebleu (after MultEval) gives a system against an identical one a small
                # p-value on purpose; an equal score is still no difference to mark.
                differs = abs(bs.score - base_scores[key]) > 1e-9 and len(groups) >= MIN_PAIRS
                row[key] = {
                    "score": float(bs.score), "mean": _number(bs.mean), "ci": _number(bs.ci),
                    "p_bs": p_bs, "p_ar": p_ar,
                    "significant": None if p_bs is None else (
                        differs and p_bs < ALPHA and p_ar < ALPHA
                    ),
                }  # fmt: skip
    else:
        for key, metric in _metrics().items():
            result = metric.corpus_score(paired[baseline.name], [refs])
            table[0][key] = {"score": result.score, "mean": None, "ci": None, "p_bs": None,
                             "p_ar": None, "significant": None}  # fmt: skip
            signatures[key] = str(metric.get_signature())

    lengths = [_bucket_of(len(r.split())) for r in refs]
    buckets = {"length": _buckets(lengths, [_bucket_of(lo) for lo, _ in LENGTH_BUCKETS],
                                  paired, refs)}  # fmt: skip
    if baseline.roles is not None:
        roles = [baseline.roles[g[0]] for g in groups]
        buckets["role"] = _buckets(roles, sorted(set(roles)), paired, refs)

    chrf = {name: _sentence_chrf(h, refs) for name, h in paired.items()}
    lowest = sorted(
        (
            {"index": list(groups[k]), "system": name, "chrf": c[k], "hypothesis": paired[name][k],
             "reference": refs[k]}
            for name, c in chrf.items() for k in range(len(refs))
        ),
        key=lambda x: (x["chrf"], x["system"], x["index"]),
    )[:TOP]  # fmt: skip
    out = {
        "baseline": baseline.name,
        "systems": [s.name for s in systems],
        "segments": len(baseline.hyps),
        "pairs": len(groups),
        "signatures": signatures,
        "table": table,
        "buckets": buckets,
        "lowest": lowest,
    }
    if len(systems) > 1:
        other = systems[1].name
        diffs = sorted(
            range(len(refs)),
            key=lambda k: (-abs(chrf[other][k] - chrf[baseline.name][k]), k),
        )[:TOP]
        out["differ_most"] = [
            {"index": list(groups[k]), "reference": refs[k],
             "hyps": {n: paired[n][k] for n in paired}, "chrf": {n: chrf[n][k] for n in chrf},
             "difference": chrf[other][k] - chrf[baseline.name][k]}
            for k in diffs
        ]  # fmt: skip
        better, worse = _ngram_contrast(paired[baseline.name], paired[other], refs)
        out["ngrams"] = {"other": other, "better": better, "worse": worse}
    return out


def format_table(result: dict) -> str:
    """The comparison as a Markdown table: score ± 95% CI, p-values, † when significant."""
    lines = [
        "| system | BLEU | chrF++ | TER | p (bs / ar) BLEU | chrF++ | TER |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["table"]:
        cells, ps = [], []
        for key in ("bleu", "chrf", "ter"):
            m = row[key]
            ci = f" ± {m['ci']:.2f}" if m.get("ci") is not None else ""
            mark = " †" if m.get("significant") else ""
            cells.append(f"{m['score']:.2f}{ci}{mark}")
            ps.append("baseline" if m.get("p_bs") is None else f"{m['p_bs']:.4f} / {m['p_ar']:.4f}")
        lines.append(f"| {row['system']} | {' | '.join(cells)} | {' | '.join(ps)} |")
    lines.append(
        f"† significant against {result['baseline']} (paired bootstrap and approximate "
        f"randomization both p < {ALPHA}); ± is the bootstrap 95% confidence interval."
    )
    return "\n".join(lines)
