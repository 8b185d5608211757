"""sacrebleu scores, corpus-level and per segment, each number beside its signature.

Scoring is sacrebleu's own: we only choose the metrics (BLEU, chrF++, TER with sacrebleu's
defaults) and keep the signature next to every number, so that ``sacrebleu ref.txt -i
hyp.txt -m bleu chrf ter --chrf-word-order 2`` on a run's written files gives the same
corpus figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric

from align.errors import InputError, MismatchError
from align.limits import over_limit

# name -> (corpus metric, sentence metric). Sentence BLEU uses effective order, as
# sacrebleu's sentence_bleu does, so short segments do not all score zero.
METRICS: dict[str, tuple[Callable[[], Metric], Callable[[], Metric]]] = {
    "bleu": (BLEU, lambda: BLEU(effective_order=True)),
    "chrf": (lambda: CHRF(word_order=2), lambda: CHRF(word_order=2)),
    "ter": (TER, TER),
}
# The sacrebleu command line that reproduces the corpus figures from hyp.txt and ref.txt.
CLI_ARGS = ["-m", "bleu", "chrf", "ter", "--chrf-word-order", "2"]


def too_long_to_score(text: str) -> str | None:
    """Why ``text`` is longer than a segment that is scored (None when it is not): see
    ``align.limits``."""
    return over_limit(text, "scored")


def check_scorable(
    lines: Sequence[str], what: str, unit: str = "line", advice: str = "split it into sentences"
) -> None:
    """Refuse, with one sentence, the first ``unit`` of ``what`` too long to score
    (``advice``: what to do about it)."""
    for n, line in enumerate(lines, 1):
        reason = too_long_to_score(line)
        if reason:
            raise InputError(f"{unit} {n} of the {what} {reason}; {advice}")


def _check(hyps: Sequence[str], refs: Sequence[str]) -> None:
    if len(hyps) != len(refs):
        raise MismatchError(
            f"there are {len(hyps):,} hypotheses but {len(refs):,} references: give one "
            "reference a hypothesis"
        )
    check_scorable(hyps, "hypotheses")
    check_scorable(refs, "references")


def corpus_scores(hyps: Sequence[str], refs: Sequence[str]) -> dict[str, dict]:
    """Corpus BLEU, chrF++ and TER: score, sacrebleu's formatted string and signature."""
    _check(hyps, refs)
    if not hyps:
        raise InputError("There is nothing to score: give at least one hypothesis and reference.")
    out = {}
    for name, (make, _) in METRICS.items():
        metric = make()
        result = metric.corpus_score(list(hyps), [list(refs)])
        out[name] = {
            "score": result.score,
            "text": str(result),
            "signature": str(metric.get_signature()),
        }
    return out


def sentence_scores(
    hyps: Sequence[str], refs: Sequence[str]
) -> tuple[list[dict[str, float]], dict[str, str]]:
    """Per-segment scores (metric name -> score) and the sentence metrics' signatures."""
    _check(hyps, refs)
    scorers = {name: make() for name, (_, make) in METRICS.items()}
    rows = [
        {name: m.sentence_score(h, [r]).score for name, m in scorers.items()}
        for h, r in zip(hyps, refs, strict=True)
    ]
    if not rows:  # sacrebleu builds a signature only once it has seen references
        return rows, {}
    return rows, {name: str(m.get_signature()) for name, m in scorers.items()}
