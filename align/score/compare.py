"""Several systems on the same segments: scores, significance and where they differ.

A system is a run directory, a hypothesis file (one segment a line) or a batch folder (one
run folder an article, as ``arabic-align batch`` writes it). Run directories are read only
through ``Run.open``, so an unfinished, damaged or foreign run, or one whose files no longer
match its manifest's hashes, is refused with one sentence instead of scored.

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
they come from it (``ref.txt``, or the sentences of ``docalign.json`` for a document
reference); ``ref`` overrides that. A reference in its own segmentation is paired with the
segments through the translation of the system that matches it best, whichever is listed
first, and those pairs group every system's segments the same way (a note names that
system when it is not the first).

Batch folders are compared article by article (the articles every folder holds a run of,
matched by id) and in total (every such article's scored pairs, in the first folder's
article order, as one corpus): each article's references come from its run in the first
folder, as for run directories, and both the articles and the total get the same scores
and tests.
"""

from __future__ import annotations

import functools
import numbers
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from align.errors import InputError, MismatchError, UserError
from align.records import BATCH_FILES, MANIFEST, loads_json
from align.run import Run, joined, merged_groups
from align.score.docalign import (
    LAYOUTS,
    DocAlignment,
    align_documents,
    named_list,
    reference_sentences,
)
from align.score.metrics import check_scorable, too_long_to_score
from align.text import line_end_note, read_article, read_lines

ALPHA = 0.05
# Below this many scored pairs, resampling has nothing to resample: no difference is marked.
MIN_PAIRS = 10
# Limits on the counts alone (a beam of thousands, millions of resamples).
MAX_BOOTSTRAP = 10_000
MAX_RANDOMIZATION = 100_000
# sacrebleu draws all resamples at once and keeps each resample's statistics of every pair
# (chrF++ has 24 a pair): memory grows with resamples × pairs. Measured (peak resident
# memory less the process's own, 3,000 pairs of two systems): about 97 bytes a bootstrap
# resample and pair (2,000 resamples: 732 MB in all), about 11 a randomization trial and
# pair (20,000 trials: 788 MB). A comparison that would draw more than MEMORY_BUDGET is
# refused before any test runs, with the counts that fit.
BOOTSTRAP_BYTES = 100
RANDOMIZATION_BYTES = 11
MEMORY_BUDGET = 2 * 2**30
LENGTH_BUCKETS = ((1, 10), (11, 20), (21, 30), (31, 40), (41, None))
TOP = 10
BATCH_FILE = BATCH_FILES[0]


@dataclass(frozen=True)
class System:
    name: str
    hyps: tuple[str, ...]  # one per segment to translate
    roles: tuple[str, ...] | None = None
    run: Run | None = None
    named: bool = False  # the name was given (NAME=PATH), not taken from the path
    file: Path | None = None  # a hypothesis file's path (its line ends explain its count)

    @property
    def run_dir(self) -> Path | None:
        return None if self.run is None else self.run.dir

    @functools.cached_property
    def indices(self) -> tuple[int, ...] | None:
        """The run's segment index of each hypothesis; None for a file. (Once: a run's
        ``translated`` is made anew at each call, and a pair per segment asks.)"""
        run = self.run
        if run is None:
            return None
        translated = run.translated
        return tuple(s.index for s in translated) if len(translated) == len(self.hyps) else None


@dataclass(frozen=True)
class Batch:
    """A batch folder: the complete run of each article, in the order batch.json lists them."""

    name: str
    folder: Path
    runs: dict[str, Run]
    order: tuple[str, ...]  # every id batch.json lists, run or not
    named: bool = False  # the name was given (NAME=PATH), not taken from the path


def split_name(argument: str) -> tuple[str | None, str]:
    """(NAME, PATH) of a ``NAME=PATH`` argument, else (None, the argument).

    An argument that exists as a path is that path, even when it holds '=' (a file named
    ``a=b.txt``); otherwise it splits at its first '=' when the part before it holds no
    path separator."""
    if "=" not in argument or os.path.lexists(argument):
        return None, argument
    name, path = argument.split("=", 1)
    if "/" in name or os.sep in name:
        return None, argument
    if not name.strip():
        raise UserError(f"{argument!r} gives a system an empty name; write NAME=PATH or PATH.")
    if not name.isprintable():
        raise UserError(f"{argument!r} gives a system a name with control characters.")
    if not path:
        raise UserError(f"{argument!r} names a system but gives no path after '='.")
    return name, path


def is_batch_folder(path: str | Path) -> bool:
    """A folder ``arabic-align batch`` wrote: its batch.json, and no run manifest of its own."""
    p = Path(path)
    # (os.path's tests: a folder this user may not open is no batch folder, and the run
    # reader then says it cannot be read)
    return os.path.isdir(p) and os.path.isfile(p / BATCH_FILE) and not os.path.lexists(p / MANIFEST)


def _folder_name(folder: Path) -> str:
    """A folder's own name, also when it is given as ``.`` or ``runs/human/..``."""
    return Path(os.path.abspath(folder)).name or str(folder)


def load_system(path: str | Path, name: str | None = None) -> System:
    """A run directory (its translated segments) or a hypothesis file (one segment a line)."""
    p = Path(path)
    if p.is_dir():
        if is_batch_folder(p):
            raise UserError(f"{p} is a batch folder; compare it with other batch folders.")
        run = Run.open(p)  # an unfinished, damaged or foreign run directory is refused here
        rows = run.translated
        return System(
            name or _folder_name(p), tuple(run.hypotheses), tuple(r.role for r in rows), run,
            named=name is not None,
        )  # fmt: skip
    hyps = tuple(read_lines(p, "hypothesis file"))
    return System(name or p.stem, hyps, named=name is not None, file=p)


def _batch_ids(folder: Path) -> list[str]:
    path = folder / BATCH_FILE
    try:
        data = loads_json(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text.") from None
    except ValueError:
        raise InputError(f"{path}: not valid JSON.") from None
    ids = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(ids, list):
        raise InputError(f"{path}: not a batch record (a JSON object with its 'articles').")
    for aid in ids:
        if (
            not isinstance(aid, str) or aid in ("", ".", "..") or "/" in aid or os.sep in aid
            or not aid.isprintable()
        ):  # fmt: skip
            raise InputError(f"{path}: its 'articles' holds {aid!r}, which is not an article id.")
    return list(dict.fromkeys(ids))


def load_batch(path: str | Path, name: str | None = None) -> Batch:
    """The complete runs of a batch folder; an article without one (failed, not yet run) is
    left out, and a run that is there but damaged is refused with one sentence."""
    folder = Path(path)
    if not is_batch_folder(folder):
        raise InputError(f"{folder} is not a batch folder (no {BATCH_FILE}).")
    order = _batch_ids(folder)
    runs = {aid: Run.open(folder / aid) for aid in order if (folder / aid / MANIFEST).is_file()}
    return Batch(name or _folder_name(folder), folder, runs, tuple(order), named=name is not None)


def load_inputs(arguments: Sequence[str]) -> list[System] | list[Batch]:
    """The systems the command line names: ``[NAME=]PATH`` each, all batch folders or all
    run directories and hypothesis files."""
    named = [split_name(a) for a in arguments]
    names = Counter(n for n, _ in named if n is not None)
    twice = [n for n, c in names.items() if c > 1]
    if twice:
        raise UserError(f"The name {twice[0]!r} is given to two systems; give each its own.")
    batches = [is_batch_folder(p) for _, p in named]
    if any(batches):
        if not all(batches):
            b = next(p for (_, p), x in zip(named, batches, strict=True) if x)
            o = next(p for (_, p), x in zip(named, batches, strict=True) if not x)
            raise UserError(
                f"{b} is a batch folder and {o} is not: compare batch folders with batch "
                "folders, and runs or hypothesis files with each other."
            )
        return [load_batch(p, n) for n, p in named]
    return [load_system(p, n) for n, p in named]


def _unique_names(systems: list) -> list:
    """Each system under its own name: a name given (NAME=PATH) is kept; a name taken from
    a path and met again gets ``#2``, ``#3``… the first of them no other system is called
    (scores are kept by name, so two systems of one name would be one)."""
    given = Counter(s.name for s in systems if s.named)
    twice = [n for n, c in given.items() if c > 1]
    if twice:  # (load_inputs says it for the command line before anything is read)
        raise UserError(f"The name {twice[0]!r} is given to two systems; give each its own.")
    taken = {s.name for s in systems}
    used = set(given)
    out = []
    for s in systems:
        name, k = s.name, 1
        while not s.named and (name in used or (k > 1 and name in taken)):
            k += 1
            name = f"{s.name}#{k}"
        used.add(name)
        out.append(replace(s, name=name))
    return out


def _run_pairs(run: Run) -> tuple[list[tuple[int, ...]], list[str]]:
    pairs = run.scored_pairs()
    return [g for g, _ in pairs], [r for _, r in pairs]


def _pairs_of_run(
    systems: Sequence[System],
) -> tuple[list[tuple[int, ...]], list[str], list[str]]:
    """The pairs of the first system's run: its reference lines, or, for a reference in its
    own segmentation, its document alignment's sentences paired through the system whose
    translation matches them best (the run's own beads when that is the run)."""
    run = systems[0].run
    document = run.document_alignment
    if document is None:
        refs = run.references
        return _line_groups(systems, refs) if refs is not None else ([], [], [])
    if len(systems) == 1:
        return (*_run_pairs(run), [])
    sentences = list(document.reference_texts)
    result, through = _best_pairing(systems, sentences, document.method)
    if through is systems[0]:
        return (*_run_pairs(run), [])  # the beads the run recorded (and scored)
    pairs = [
        (b.hyp, " ".join(sentences[j] for j in b.ref if sentences[j]))
        for b in result.beads
        if b.hyp and b.ref
    ]
    return [g for g, _ in pairs], [r for _, r in pairs], _through(systems, through)


def _hyp_names(system: System) -> tuple[str, list[int]]:
    named = [_numbers(system, (k,)) for k in range(len(system.hyps))]
    unit = "line" if named and "lines" in named[0] else "segment"
    return unit, [x["lines" if unit == "line" else "index"][0] for x in named]


def _best_pairing(
    systems: Sequence[System], sentences: Sequence[str], method: str
) -> tuple[DocAlignment, System]:
    """The document alignment of ``sentences`` with the segments through each system's
    translation, and the best of them: the one whose paired beads are most alike, weighted
    by the reference characters they hold (a bead's chrF; ties go to the system listed
    first). The systems translate the same segments, so any one's beads group every
    system's segments alike; the one closest to the reference pairs them most surely."""
    best: tuple[float, DocAlignment, System] | None = None
    weights = [len("".join(x.split())) for x in sentences]
    names = _hyp_names(systems[0])
    for system in systems:
        result = align_documents(list(system.hyps), sentences, method=method, hyp_names=names)
        held = sum(weights[j] for b in result.beads if b.hyp and b.ref for j in b.ref)
        alike = sum(
            b.similarity * sum(weights[j] for j in b.ref) for b in result.beads if b.hyp and b.ref
        ) / max(1, sum(weights))
        score = alike if held else -1.0
        if best is None or score > best[0]:
            best = (score, result, system)
    return best[1], best[2]


def _through(systems: Sequence[System], through: System) -> list[str]:
    """A note saying which system's translation paired the reference, when it is not the
    first of several."""
    if through is systems[0]:
        return []
    return [
        f"reference alignment: the reference sentences are paired with the segments through "
        f"{through.name}'s translation, which matches them best (better than "
        f"{systems[0].name}'s); every system is scored on those pairs"
    ]


def reference_groups(
    systems: Sequence[System], ref: str | Path | None, ref_layout: str
) -> tuple[list[tuple[int, ...]], list[str], list[str]]:
    """(segment indices of each scored pair, the pair's reference, notes on the pairing:
    what the document alignment of a ``document`` reference says, as ``score`` says it).

    A reference in its own segmentation is paired with the segments through one system's
    translation, and every system is scored on those pairs: through the system whose
    translation matches it best (``_best_pairing``), whichever is listed first, so that a
    poor baseline does not pair a good system's segments with the wrong sentences."""
    baseline = systems[0]
    if ref is None:
        run = baseline.run
        if run is None:
            raise UserError("Give --ref: the first system is a file, not a run directory.")
        if run.document_alignment is None and run.references is None:
            raise UserError(f"The run {run.dir} has no reference; give --ref.")
        return _pairs_of_run(systems)
    if ref_layout == "document":
        sentences = reference_sentences(read_article(ref, "reference file"))
        check_scorable(sentences, f"reference file {ref}", unit="sentence")
        result, through = _best_pairing(systems, sentences, "chrf")
        groups = [b.hyp for b in result.beads if b.hyp and b.ref]
        refs = [" ".join(sentences[j] for j in b.ref) for b in result.beads if b.hyp and b.ref]
        notes = [f"reference alignment: {n}" for n in result.notes] + _through(systems, through)
        return groups, refs, notes
    refs = read_lines(ref, "reference file")
    if len(refs) != len(baseline.hyps):
        n = len(baseline.hyps)
        raise MismatchError(
            f"{ref} has {len(refs)} line{'' if len(refs) == 1 else 's'} but {baseline.name} "
            f"has {n} segment{'' if n == 1 else 's'}{line_end_note(ref, baseline.file)}."
        )
    return _line_groups(systems, refs)


def _line_groups(
    systems: Sequence[System], refs: list[str]
) -> tuple[list[tuple[int, ...]], list[str], list[str]]:
    """The pairs of a line reference (as ``reference_groups`` gives them): each segment on
    its own, but for the segments that any system's run scores as one pair (a bead of a
    translation given in document layout: ``Run.translation_groups``), kept together for
    every system, so that all are scored on the same pairs."""
    together = [
        g
        for s in systems
        if s.run is not None and s.indices is not None
        for g in s.run.translation_groups
        if len(g) > 1
    ]
    groups = merged_groups(len(refs), together)
    notes = []
    if together:
        several = [g for g in groups if len(g) > 1]
        unit, key = ("lines", "lines") if systems[0].indices is None else ("segments", "index")
        named = ["+".join(str(x) for x in _numbers(systems[0], g)[key]) for g in several]
        notes.append(
            f"{len(several)} pair(s) hold several {unit}, scored together for every system "
            f"because a translation given in document layout has one translation for them: "
            f"{', '.join(named[:10])}{' and others' if len(named) > 10 else ''}"
        )
    return groups, [joined(refs, g) for g in groups], notes


def _scorable(
    systems: Sequence[System], groups: list[tuple[int, ...]], refs: list[str]
) -> tuple[list[tuple[int, ...]], list[str], list[str]]:
    """The pairs every system's text and the reference of which the metrics score in bounded
    time, their references, and a note naming those left out, as ``run`` leaves them out of
    its scores (a decoder's loop makes such a line; refusing the whole comparison for it
    would refuse runs that ``run`` wrote)."""
    kept, kept_refs, out = [], [], []
    for group, ref in zip(groups, refs, strict=True):
        texts = [(s.name, " ".join(s.hyps[i] for i in group)) for s in systems]
        reasons = [
            (name, too_long_to_score(text)) for name, text in [*texts, ("the reference", ref)]
        ]
        why = next((f"{name} {reason}" for name, reason in reasons if reason), None)
        if why is None:
            kept.append(group)
            kept_refs.append(ref)
        else:
            out.append(f"{_where(_numbers(systems[0], group))} ({why})")
    notes = []
    if out:
        shown = "; ".join(out[:5]) + (f"; and {len(out) - 5} more" if len(out) > 5 else "")
        notes.append(f"{len(out)} pair(s) too long to score are left out: {shown}")
    return kept, kept_refs, notes


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


def _check_samples(bootstrap: int, randomization: int) -> None:
    whole = all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool)
        for n in (bootstrap, randomization)
    )
    if not whole or not (
        1 <= bootstrap <= MAX_BOOTSTRAP and 1 <= randomization <= MAX_RANDOMIZATION
    ):
        raise UserError(
            f"Significance tests take a whole number of bootstrap resamples, 1 to "
            f"{MAX_BOOTSTRAP:,}, and of randomization trials, 1 to {MAX_RANDOMIZATION:,}."
        )


def _check_memory(pairs: int, bootstrap: int, randomization: int) -> None:
    """Refuse, in one sentence, tests that would draw more than ``MEMORY_BUDGET``."""
    for option, count, size in (
        ("--bootstrap", bootstrap, BOOTSTRAP_BYTES),
        ("--randomization", randomization, RANDOMIZATION_BYTES),
    ):
        if count * pairs * size > MEMORY_BUDGET:
            fits = max(1, MEMORY_BUDGET // (pairs * size))
            raise UserError(
                f"{option} {count:,} over {pairs:,} scored pairs would take about "
                f"{count * pairs * size / 2**30:.1f} GiB of memory (sacrebleu draws every "
                f"resample at once); give {option} {fits} or fewer for these pairs."
            )


def _score(
    paired: dict[str, list[str]], refs: list[str], bootstrap: int, randomization: int
) -> tuple[list[dict], dict[str, str]]:
    """(one row a system: each metric's score, CI, p-values and mark; the signatures)."""
    names = list(paired)
    table: list[dict] = [{"system": n} for n in names]
    signatures: dict[str, str] = {}
    if len(names) > 1:
        _check_memory(len(refs), bootstrap, randomization)
        results = {}
        for kind, n in (("bs", bootstrap), ("ar", randomization)):
            sigs, scores = PairedTest(
                list(paired.items()), _metrics(), [refs], test_type=kind, n_samples=n,
                n_ar_confidence=-1,
            )()  # fmt: skip
            results[kind] = scores
            if kind == "bs":
                labels = list(sigs)  # sacrebleu's names (BLEU, chrF2++, TER), in our order
                signatures = {
                    key: str(sigs[label])
                    for key, label in zip(("bleu", "chrf", "ter"), labels, strict=True)
                }
        metric_names = [k for k in results["bs"] if k != "System"]
        base_scores = {}
        for key, label in zip(("bleu", "chrf", "ter"), metric_names, strict=True):
            for row, bs, ar in zip(table, results["bs"][label], results["ar"][label], strict=True):
                p_bs, p_ar = _number(bs.p_value), _number(ar.p_value)
                base_scores.setdefault(key, bs.score)
                # sacrebleu (after MultEval) gives a system against an identical one a small
                # p-value on purpose; an equal score is still no difference to mark.
                differs = abs(bs.score - base_scores[key]) > 1e-9 and len(refs) >= MIN_PAIRS
                row[key] = {
                    "score": float(bs.score), "mean": _number(bs.mean), "ci": _number(bs.ci),
                    "p_bs": p_bs, "p_ar": p_ar,
                    "significant": None if p_bs is None else (
                        differs and p_bs < ALPHA and p_ar < ALPHA
                    ),
                }  # fmt: skip
    else:
        for key, metric in _metrics().items():
            result = metric.corpus_score(paired[names[0]], [refs])
            table[0][key] = {"score": result.score, "mean": None, "ci": None, "p_bs": None,
                             "p_ar": None, "significant": None}  # fmt: skip
            signatures[key] = str(metric.get_signature())
    return table, signatures


def _analyse(
    paired: dict[str, list[str]],
    refs: list[str],
    where: list[dict],
    roles: list[str] | None,
    segments: int,
    bootstrap: int,
    randomization: int,
) -> dict:
    """Scores, significance and the analysis of scored pairs: ``paired`` holds each
    system's text of every pair (the baseline first), ``where`` says where each pair is
    (its segment indices, and its article in a batch)."""
    names = list(paired)
    baseline = names[0]
    table, signatures = _score(paired, refs, bootstrap, randomization)
    lengths = [_bucket_of(len(r.split())) for r in refs]
    buckets = {"length": _buckets(lengths, [_bucket_of(lo) for lo, _ in LENGTH_BUCKETS],
                                  paired, refs)}  # fmt: skip
    if roles is not None:
        buckets["role"] = _buckets(roles, sorted(set(roles)), paired, refs)

    chrf = {name: _sentence_chrf(h, refs) for name, h in paired.items()}
    lowest = sorted(
        (
            (c[k], name, k, {**where[k], "system": name, "chrf": c[k],
                             "hypothesis": paired[name][k], "reference": refs[k]})
            for name, c in chrf.items() for k in range(len(refs))
        ),
        key=lambda x: x[:3],
    )[:TOP]  # fmt: skip
    out = {
        "baseline": baseline,
        "systems": names,
        "segments": segments,
        "pairs": len(refs),
        "signatures": signatures,
        "table": table,
        "buckets": buckets,
        "lowest": [x[3] for x in lowest],
    }
    if len(names) > 1:
        other = names[1]
        diffs = sorted(
            range(len(refs)),
            key=lambda k: (-abs(chrf[other][k] - chrf[baseline][k]), k),
        )[:TOP]
        out["differ_most"] = [
            {**where[k], "reference": refs[k],
             "hyps": {n: paired[n][k] for n in paired}, "chrf": {n: chrf[n][k] for n in chrf},
             "difference": chrf[other][k] - chrf[baseline][k]}
            for k in diffs
        ]  # fmt: skip
        better, worse = _ngram_contrast(paired[baseline], paired[other], refs)
        out["ngrams"] = {"other": other, "better": better, "worse": worse}
    return out


def _paired(systems: Sequence[System], groups: list[tuple[int, ...]]) -> dict[str, list[str]]:
    return {s.name: [" ".join(s.hyps[i] for i in g) for g in groups] for s in systems}


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
    _check_samples(bootstrap, randomization)
    if ref_layout not in LAYOUTS:
        raise UserError(f"ref_layout is one of {', '.join(LAYOUTS)}, not {ref_layout!r}.")
    if ref is None and ref_layout != "lines":
        raise UserError(
            "--ref-layout is the layout of --ref: give --ref with it (a run's own reference "
            "keeps the layout it was made with)."
        )
    systems = _unique_names(systems)
    baseline = systems[0]
    for s in systems[1:]:
        if len(s.hyps) != len(baseline.hyps):
            raise MismatchError(
                f"{s.name} has {len(s.hyps)} segments but {baseline.name} has "
                f"{len(baseline.hyps)}: compare translations of the same article"
                f"{line_end_note(s.file, baseline.file)}."
            )
        _same_text(baseline, s)
    groups, refs, notes = reference_groups(systems, ref, ref_layout)
    if not groups:
        raise UserError("No segment could be paired with a reference.")
    groups, refs, left_out = _scorable(systems, groups, refs)
    notes += left_out
    if not groups:
        raise UserError(f"No pair can be scored: {left_out[0]}.")
    roles = None if baseline.roles is None else [baseline.roles[g[0]] for g in groups]
    paired = _paired(systems, groups)
    out = _analyse(
        paired, refs, [_numbers(baseline, g) for g in groups], roles,
        len(baseline.hyps), bootstrap, randomization,
    )  # fmt: skip
    if notes:
        out["notes"] = notes
    return out


def _numbers(system: System, group: tuple[int, ...]) -> dict:
    """What the user knows the hypotheses of a pair by: a run's segment indices (as its
    report, ``check`` and the review number them); a file's positions, with its line numbers
    counted from 1 as an editor shows them."""
    indices = system.indices
    if indices is not None:
        return {"index": [indices[k] for k in group]}
    return {"index": list(group), "lines": [k + 1 for k in group]}


def _same_text(base: System, other: System, article: str | None = None) -> None:
    """Runs translate the same source text, segment by segment (a hypothesis file says
    nothing of its source, so it is taken as given)."""
    if base.run is None or other.run is None:
        return
    if [x.source for x in other.run.translated] != [x.source for x in base.run.translated]:
        what, same = (
            (f"Article {article} of {other.name}", "compare batches of the same articles")
            if article is not None
            else (f"The run {other.name}", "compare translations of the same article")
        )
        raise MismatchError(
            f"{what} ({other.run.dir}) translates other text than that of {base.name} "
            f"({base.run.dir}): {same}."
        )


def _article_systems(batches: list[Batch], aid: str) -> list[System]:
    systems = [
        System(b.name, tuple(b.runs[aid].hypotheses),
               tuple(s.role for s in b.runs[aid].translated), b.runs[aid])
        for b in batches
    ]  # fmt: skip
    for s in systems[1:]:
        _same_text(systems[0], s, aid)
    return systems


def compare_batches(
    batches: list[Batch], bootstrap: int = 1000, randomization: int = 10000
) -> dict:
    """Batch folders article by article and in total, against ``batches[0]``, as plain data:
    the total as ``compare_systems`` gives it, plus ``articles`` (each article's pairs and
    table) and ``notes`` (the articles left out, and why)."""
    if len(batches) < 1:
        raise UserError("Give at least one batch folder to score (two to compare).")
    _check_samples(bootstrap, randomization)
    batches = _unique_names(batches)
    order = list(dict.fromkeys(a for b in batches for a in b.order))
    common = [a for a in order if all(a in b.runs for b in batches)]
    whole: list[str] = []  # why whole articles are left out
    notes: list[str] = []  # which pairs are
    absent = [a for a in order if a not in common]
    if absent:
        named = named_list(
            [f"{a} (none in {', '.join(b.name for b in batches if a not in b.runs)})"
             for a in absent]
        )  # fmt: skip
        whole.append(f"{len(absent)} article(s) without a complete run in every batch "
                     f"folder are left out: {named}")  # fmt: skip
    paired: dict[str, list[str]] = {b.name: [] for b in batches}
    refs: list[str] = []
    where: list[dict] = []
    roles: list[str] = []
    articles = []
    unscored: list[str] = []
    too_long: list[str] = []  # every pair of the article too long to score
    segments = 0
    for aid in common:
        systems = _article_systems(batches, aid)
        groups, article_refs, pairing = _pairs_of_run(systems)
        notes += [f"{aid}: {n}" for n in pairing]
        paired_any = bool(groups)
        groups, article_refs, left_out = _scorable(systems, groups, article_refs)
        notes += [f"{aid}: {n}" for n in left_out]
        if not groups:
            (too_long if paired_any else unscored).append(aid)
            continue
        article_paired = _paired(systems, groups)
        # scored once the total's size is known (tests too large for memory are refused
        # before any runs)
        pending = (article_paired, article_refs)
        articles.append({"article": aid, "segments": len(systems[0].hyps),
                         "pairs": len(groups), "table": pending})  # fmt: skip
        for name, texts in article_paired.items():
            paired[name] += texts
        refs += article_refs
        where += [{"article": aid, **_numbers(systems[0], g)} for g in groups]
        roles += [systems[0].roles[g[0]] for g in groups]
        segments += len(systems[0].hyps)
    if unscored:
        whole.append(
            f"{len(unscored)} article(s) with no segment paired with a reference in "
            f"{batches[0].name} are left out: {named_list(unscored)}"
        )
    if too_long:
        whole.append(
            f"{len(too_long)} article(s) whose every pair is too long to score are left out: "
            f"{named_list(too_long)}"
        )
    notes = whole + notes
    if not refs:
        # why whole articles were left out, then the first pairs
        shown = notes[:3] + ([f"and {len(notes) - 3} more"] if len(notes) > 3 else [])
        why = f" ({'; '.join(shown)})" if notes else ""
        raise UserError(
            f"No article of {batches[0].folder} has a segment paired with a reference that "
            f"can be scored (in every batch folder), so there is nothing to score{why}."
        )
    if len(batches) > 1:
        _check_memory(len(refs), bootstrap, randomization)
    for article in articles:
        article["table"], _ = _score(*article["table"], bootstrap, randomization)
    out = _analyse(paired, refs, where, roles, segments, bootstrap, randomization)
    out["articles"] = articles
    out["notes"] = notes
    return out


def compare_inputs(
    inputs: list[System] | list[Batch],
    ref: str | Path | None = None,
    ref_layout: str = "lines",
    bootstrap: int = 1000,
    randomization: int = 10000,
) -> dict:
    """``compare_systems`` for runs and hypothesis files, ``compare_batches`` for batch folders."""
    if inputs and isinstance(inputs[0], Batch):
        if ref is not None or ref_layout != "lines":
            raise UserError(
                "--ref and --ref-layout are for runs and hypothesis files; each article of a "
                "batch is scored against the reference of its run in the first batch folder."
            )
        return compare_batches(list(inputs), bootstrap, randomization)
    return compare_systems(list(inputs), ref, ref_layout, bootstrap, randomization)


def _cell(m: dict, ci: bool = True) -> str:
    interval = f" ± {m['ci']:.2f}" if ci and m.get("ci") is not None else ""
    return f"{m['score']:.2f}{interval}{' †' if m.get('significant') else ''}"


def _footnote(result: dict) -> str:
    return (
        f"† significant against {result['baseline']} (paired bootstrap and approximate "
        f"randomization both p < {ALPHA}, over at least {MIN_PAIRS} scored pairs)"
    )


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
            cells.append(_cell(m))
            ps.append("baseline" if m.get("p_bs") is None else f"{m['p_bs']:.4f} / {m['p_ar']:.4f}")
        lines.append(f"| {_cell_text(row['system'])} | {' | '.join(cells)} | {' | '.join(ps)} |")
    if len(result["systems"]) > 1:  # one system has no test and no interval
        lines.append(f"{_footnote(result)}; ± is the bootstrap 95% confidence interval.")
    return "\n".join(lines)


def _cell_text(text: str) -> str:
    """A name in a Markdown table's cell: a ``|`` in it (a file named ``a|b.txt``) would
    split the cell."""
    return text.replace("|", "\\|")


def format_articles(result: dict) -> str:
    """The per-article comparison of batch folders as a Markdown table: each system's BLEU
    and chrF++, † when significant against the baseline."""
    names = result["systems"]
    head = (
        "| article | pairs | "
        + " | ".join(f"{_cell_text(n)} BLEU | {_cell_text(n)} chrF++" for n in names)
        + " |"
    )
    lines = [head, "|---|---|" + "---|---|" * len(names)]
    for article in result["articles"]:
        cells = [f"{_cell(r['bleu'], False)} | {_cell(r['chrf'], False)}" for r in article["table"]]
        lines.append(
            f"| {_cell_text(article['article'])} | {article['pairs']} | {' | '.join(cells)} |"
        )
    if len(names) > 1:
        lines.append(f"{_footnote(result)}.")
    return "\n".join(lines)


def _where(row: dict) -> str:
    article = f"{row['article']} " if "article" in row else ""
    unit, numbers = ("line", row["lines"]) if "lines" in row else ("segment", row["index"])
    plural = "s" if len(numbers) > 1 else ""
    return f"{article}{unit}{plural} {', '.join(str(n) for n in numbers)}"


def format_text(result: dict) -> str:
    """What ``arabic-align compare`` prints: the tables, the signatures and the analysis."""
    out = [format_table(result)]
    out += [f"  {name}: {sig}" for name, sig in result["signatures"].items()]
    if "articles" in result:
        out += ["", f"by article ({len(result['articles'])}):", format_articles(result)]
    out += [f"note: {n}" for n in result.get("notes", [])]
    for kind, rows in result["buckets"].items():
        out.append(f"\nchrF++ by {kind}:")
        for row in rows:
            scores = "  ".join(f"{n} {v:.2f}" for n, v in row["chrf"].items())
            out.append(f"  {row['bucket']:>12} ({row['count']:>3}): {scores}")
    if "differ_most" in result:
        out.append(
            f"\nsegments where {result['baseline']} and {result['ngrams']['other']} differ most:"
        )
        for row in result["differ_most"][:5]:
            out.append(f"  {_where(row)}: chrF++ difference {row['difference']:+.1f}")
        for label in ("better", "worse"):
            grams = ", ".join(f"'{g['ngram']}'" for g in result["ngrams"][label][:8]) or "none"
            who = result["ngrams"]["other"] if label == "better" else result["baseline"]
            out.append(f"n-grams {who} gets right and the other misses: {grams}")
    out.append("\nlowest sentence chrF++:")
    for row in result["lowest"][:5]:
        out.append(f"  {row['system']} {_where(row)}: {row['chrf']:.1f}")
    return "\n".join(out)
