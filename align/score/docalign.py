"""Aligning a reference document to the hypothesis segments (the Bleualign idea, with chrF).

A human reference is an English article with its own sentence breaks. Before scoring, its
sentences are aligned to the hypothesis segments monotonically, in beads of 1-1, 1-2, 2-1,
2-2 (merges and splits), 1-0 (a segment the reference does not cover) and 0-1 (a reference
sentence with no segment), by dynamic programming that maximizes the summed similarity of
the beads above the level of unrelated sentences.

Similarity is chrF with β = 1 (character 1–6-grams, whitespace removed: recall and precision
weigh the same, so a whole sentence against half of one is not a good match), computed from
n-gram
counts that sacrebleu extracts once per sentence; a bead's counts are the sum of its
sentences' (n-grams across the join are left out). Computing it from cached counts is
hand-written because sacrebleu's ``CHRF.sentence_score`` re-extracts n-grams on every call,
and the dynamic programme asks for thousands of bead pairs.

``unrelated``: the similarity expected between sentences that are not translations of each
other, measured on the document itself (pairs far from the diagonal) so that it adapts to
the language, the system's quality and the sentence lengths. A bead with both sides scores
``similarity - unrelated``; a 1-0 or 0-1 bead scores 0 less its prior cost (below), so a
sentence stays unaligned rather than pair with a clear stranger. Lengths are a second
witness: Gale and Church's length model and bead priors, weighted ``LENGTH_WEIGHT``, so that
merges, splits and skips cost what they cost there relative to a 1-1 bead, and a pairing
whose lengths disagree loses.

``length`` is the Gale–Church (1993) baseline: character lengths only.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sacrebleu.metrics.helpers import extract_all_char_ngrams

from align.errors import InputError
from align.text.read import line_spans
from align.text.segment import blank_marks, split_sentences

BEADS = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1))
CHAR_ORDER = 6
BETA = 1.0
LENGTH_WEIGHT = 0.02  # nats of Gale–Church cost, against chrF in [0, 1]
# Unrelated-sentence similarity used when a document is too short to measure it.
DEFAULT_UNRELATED = 0.2
# How far above the unrelated level the aligned pairs must be, on average, for the two
# documents to be called the same text.
MIN_MARGIN = 0.05
LAYOUTS = ("lines", "document")


@dataclass(frozen=True)
class Bead:
    hyp: tuple[int, ...]  # indices of hypothesis segments
    ref: tuple[int, ...]  # indices of reference sentences
    similarity: float

    @property
    def kind(self) -> str:
        return f"{len(self.hyp)}-{len(self.ref)}"

    def to_json(self) -> dict:
        return {"hyp": list(self.hyp), "ref": list(self.ref), "kind": self.kind,
                "similarity": round(self.similarity, 4)}  # fmt: skip


@dataclass(frozen=True)
class DocAlignment:
    beads: tuple[Bead, ...]
    method: str
    unrelated: float  # similarity level of non-corresponding sentences in this document
    n_hyp: int
    n_ref: int
    notes: tuple[str, ...] = field(default=())

    @property
    def unmatched_hyp(self) -> list[int]:
        return [b.hyp[0] for b in self.beads if not b.ref]

    @property
    def unmatched_ref(self) -> list[int]:
        return [b.ref[0] for b in self.beads if not b.hyp]

    @property
    def mean_similarity(self) -> float:
        paired = [b.similarity for b in self.beads if b.hyp and b.ref]
        return sum(paired) / len(paired) if paired else 0.0

    @property
    def corresponds(self) -> bool:
        """Whether the paired beads are clearly more alike than unrelated sentences."""
        return self.mean_similarity >= self.unrelated + MIN_MARGIN

    def pairs(self, hyps: Sequence[str], refs: Sequence[str]) -> tuple[list[str], list[str]]:
        """Hypothesis and reference text of each bead with both sides, sentences joined."""
        h, r = [], []
        for b in self.beads:
            if b.hyp and b.ref:
                h.append(" ".join(hyps[i] for i in b.hyp if hyps[i]))
                r.append(" ".join(refs[j] for j in b.ref if refs[j]))
        return h, r

    def bead_of_segment(self) -> list[int | None]:
        """For each hypothesis segment, the index of its bead."""
        out: list[int | None] = [None] * self.n_hyp
        for k, b in enumerate(self.beads):
            for i in b.hyp:
                out[i] = k
        return out

    def segment_references(self, refs: Sequence[str]) -> list[str | None]:
        """For each hypothesis segment, its bead's reference text (None: no reference)."""
        out: list[str | None] = [None] * self.n_hyp
        for b in self.beads:
            text = " ".join(refs[j] for j in b.ref) if b.ref else None
            for i in b.hyp:
                out[i] = text
        return out

    def to_json(self) -> dict:
        return {
            "method": self.method,
            "hypothesis_segments": self.n_hyp,
            "reference_sentences": self.n_ref,
            "mean_similarity": round(self.mean_similarity, 4),
            "unrelated_similarity": round(self.unrelated, 4),
            "corresponds": self.corresponds,
            "unmatched_hypothesis": self.unmatched_hyp,
            "unmatched_reference": self.unmatched_ref,
            "beads": [b.to_json() for b in self.beads],
            "notes": list(self.notes),
        }


def reference_sentences(text: str) -> list[str]:
    """Sentences of a reference document: every line (a sentence or a paragraph) split by the
    sentence rules; empty lines skipped. Lines end where they end in an article (CRLF, CR or
    LF: ``line_spans``), not also at a form feed or U+2028 inside a line."""
    out = []
    for line_start, line_end in line_spans(text):
        line = text[line_start:line_end]
        for start, end in split_sentences(line):
            sentence = line[start:end].strip()
            if sentence:
                out.append(sentence)
    return out


def translation_paragraphs(text: str) -> list[list[str]]:
    """The sentences (``reference_sentences``) of each paragraph of a document: the blocks
    between its blank lines where it has blank lines between lines of text, else each of
    its lines; paragraphs without a sentence left out. Joined, the sentences of
    ``reference_sentences(text)``."""
    spans = line_spans(text)
    lines = [text[s:e] for s, e in spans]
    filled = [k for k, line in enumerate(lines) if blank_marks(line).strip()]  # (RLM: blank)
    gapped = any(filled[i + 1] > filled[i] + 1 for i in range(len(filled) - 1))
    blocks: list[list[str]] = []
    last = -2
    for k in filled:
        if gapped and k == last + 1:  # the next line of the block
            blocks[-1].append(lines[k])
        else:
            blocks.append([lines[k]])
        last = k
    out = [reference_sentences("\n".join(block)) for block in blocks]
    return [p for p in out if p]


class _Profiles:
    """Character n-gram counts of each sentence, summed for beads on demand."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.grams = [extract_all_char_ngrams(t, CHAR_ORDER) for t in texts]

    def of(self, indices: Sequence[int]) -> list[Counter]:
        if len(indices) == 1:
            return self.grams[indices[0]]
        total = [Counter() for _ in range(CHAR_ORDER)]
        for i in indices:
            for n in range(CHAR_ORDER):
                total[n].update(self.grams[i][n])
        return total


def chrf(hyp: list[Counter], ref: list[Counter]) -> float:
    """chrF (β = ``BETA``) of two n-gram profiles, in [0, 1]; empty orders are skipped."""
    precisions, recalls = [], []
    for h, r in zip(hyp, ref, strict=True):
        h_total, r_total = sum(h.values()), sum(r.values())
        if not h_total or not r_total:
            continue
        small, large = (h, r) if len(h) <= len(r) else (r, h)
        matches = sum(min(c, large[g]) for g, c in small.items() if g in large)
        precisions.append(matches / h_total)
        recalls.append(matches / r_total)
    if not precisions:
        return 0.0
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if p + r == 0:
        return 0.0
    b2 = BETA * BETA
    return (1 + b2) * p * r / (b2 * p + r)


# At most this many pairs are visited to estimate the unrelated similarity: the estimate is
# a median, and visiting every pair would make long documents quadratic.
UNRELATED_VISITS = 5_000
# The band follows the proportional diagonal (i·m/n), so a path always lies within a few
# cells of it; its width stops growing here: segmentations of one article drift apart
# locally, not by hundreds of sentences, and the dynamic programme is linear in the
# document's length only while the band is bounded.
MAX_BAND = 20


# The longest documents aligned (segments and reference sentences): the alignment costs
# about 30 ms a segment on one core; a news article has well under a hundred.
MAX_DOCUMENT = 1_000


def check_document_size(n_segments: int, n_sentences: int) -> None:
    if n_segments > MAX_DOCUMENT or n_sentences > MAX_DOCUMENT:
        raise InputError(
            f"a document reference is aligned for at most {MAX_DOCUMENT:,} segments and "
            f"{MAX_DOCUMENT:,} reference sentences, and this has {n_segments:,} and "
            f"{n_sentences:,}: score the text in parts, or give a line-by-line reference"
        )


def _unrelated(hp: _Profiles, rp: _Profiles, n: int, m: int) -> float:
    """Median similarity of sentence pairs far from the diagonal (sampled), or the default."""
    samples = []
    step = max(1, (n * m) // UNRELATED_VISITS)
    if step > 1 and step % m == 0:
        step += 1  # a multiple of m would visit a single column
    for k in range(0, n * m, step):
        i, j = divmod(k, m)
        if abs((i + 0.5) / n - (j + 0.5) / m) > 0.3 and (i * 7 + j * 13) % 5 == 0:
            samples.append(chrf(hp.of((i,)), rp.of((j,))))
    if len(samples) < 10:
        return DEFAULT_UNRELATED
    samples.sort()
    return samples[len(samples) // 2]


def _band(n: int, m: int, width: int | None) -> int:
    if width is not None:
        return width
    return max(10, min(int(0.1 * max(n, m)), MAX_BAND))


def align_documents(
    hyps: Sequence[str],
    refs: Sequence[str],
    method: str = "chrf",
    band: int | None = None,
    hyp_names: tuple[str, Sequence[int]] | None = None,
) -> DocAlignment:
    """Beads aligning hypothesis segments to reference sentences, in order.

    ``hyp_names``: what the notes call the hypotheses, a unit and a number for each (a run's
    ("segment", segment indices), a file's ("line", line numbers)); by default "hypothesis
    segment" and its position."""
    if method == "length":
        return _named_by(gale_church(hyps, refs), hyp_names)
    if method != "chrf":
        raise ValueError(f"unknown document alignment method {method!r}")
    n, m = len(hyps), len(refs)
    check_document_size(n, m)
    hp, rp = _Profiles(hyps), _Profiles(refs)
    unrelated = _unrelated(hp, rp, n, m) if n and m else DEFAULT_UNRELATED
    width = _band(n, m, band)
    hl = [len("".join(h.split())) for h in hyps]
    rl = [len("".join(r.split())) for r in refs]
    cache: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}

    def similarity(hi: tuple[int, ...], rj: tuple[int, ...]) -> float:
        key = (hi, rj)
        if key not in cache:
            cache[key] = chrf(hp.of(hi), rp.of(rj))
        return cache[key]

    neg = -math.inf
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        diag = i * m / n if n else 0
        lo, hi = max(0, int(diag) - width), min(m, int(diag) + width + 1)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            for di, dj in BEADS:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or best[pi][pj] == neg:
                    continue
                if di and dj:
                    gain = similarity(tuple(range(pi, i)), tuple(range(pj, j))) - unrelated
                    # Lengths as a second witness (Gale–Church's length model, without its
                    # bead priors): decides when chrF is weak, for short or badly translated
                    # sentences.
                    gain -= LENGTH_WEIGHT * _length_cost(sum(hl[pi:i]), sum(rl[pj:j]))
                else:
                    gain = 0.0
                # Rarer beads cost what Gale and Church's priors say they cost against a 1-1
                # bead, in the same units as the length cost.
                gain -= LENGTH_WEIGHT * math.log(_GC_PRIORS[(1, 1)] / _GC_PRIORS[(di, dj)])
                score = best[pi][pj] + gain
                if score > best[i][j]:
                    best[i][j] = score
                    back[i][j] = (di, dj)
    if best[n][m] == neg:  # the band was too narrow (never with the default): widen it
        return align_documents(hyps, refs, method, band=max(n, m), hyp_names=hyp_names)
    beads = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj = step
        hi_, rj = tuple(range(i - di, i)), tuple(range(j - dj, j))
        beads.append(Bead(hi_, rj, similarity(hi_, rj) if di and dj else 0.0))
        i, j = i - di, j - dj
    beads.reverse()
    return _finish(tuple(beads), "chrf", unrelated, n, m, hyp_names)


def _named_by(result: DocAlignment, hyp_names) -> DocAlignment:
    if hyp_names is None:
        return result
    return _finish(result.beads, result.method, result.unrelated, result.n_hyp, result.n_ref,
                   hyp_names)  # fmt: skip


def named_list(items, limit: int = 20) -> str:
    """The first ``limit`` of ``items``, comma-separated, and how many more."""
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _finish(beads, method, unrelated, n, m, hyp_names=None) -> DocAlignment:
    result = DocAlignment(beads, method, unrelated, n, m)
    unit, numbers = hyp_names or ("hypothesis segment", range(n))
    notes = []
    if not result.corresponds:
        notes.append(
            f"the hypothesis and the reference do not look like the same text: aligned pairs "
            f"have a mean chrF of {result.mean_similarity:.3f}, no better than unrelated "
            f"sentences ({unrelated:.3f})"
        )
    if result.unmatched_hyp:
        notes.append(
            f"{len(result.unmatched_hyp)} {unit}(s) have no reference: "
            f"{named_list([numbers[k] for k in result.unmatched_hyp])}"
        )
    if result.unmatched_ref:
        notes.append(
            f"{len(result.unmatched_ref)} reference sentence(s) match no segment: "
            f"{named_list([k + 1 for k in result.unmatched_ref])} (counted from 1)"
        )
    return DocAlignment(beads, method, unrelated, n, m, tuple(notes))


# Gale & Church (1993): bead priors and the length model (c = 1, s² = 6.8).
_GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
              (1, 2): 0.089 / 2, (2, 2): 0.011}  # fmt: skip
_GC_VARIANCE = 6.8


def _length_cost(l1: int, l2: int) -> float:
    """-log P(length difference) under Gale and Church's normal model (c = 1)."""
    mean = (l1 + l2) / 2
    z = (l2 - l1) / math.sqrt(_GC_VARIANCE * mean) if mean else 0.0
    p_delta = 2 * (1 - 0.5 * (1 + math.erf(abs(z) / math.sqrt(2))))
    return -math.log(max(p_delta, 1e-300))


def _gc_cost(l1: int, l2: int, prior: float) -> float:
    return _length_cost(l1, l2) - math.log(prior)


def gale_church(hyps: Sequence[str], refs: Sequence[str]) -> DocAlignment:
    """The length-only baseline: minimum total cost of Gale–Church beads."""
    n, m = len(hyps), len(refs)
    hl = [len("".join(h.split())) for h in hyps]
    rl = [len("".join(r.split())) for r in refs]
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for (di, dj), prior in _GC_PRIORS.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or cost[pi][pj] == inf:
                    continue
                c = cost[pi][pj] + _gc_cost(sum(hl[pi:i]), sum(rl[pj:j]), prior)
                if c < cost[i][j]:
                    cost[i][j] = c
                    back[i][j] = (di, dj)
    beads = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj = step
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), 0.0))
        i, j = i - di, j - dj
    beads.reverse()
    return DocAlignment(tuple(beads), "length", 0.0, n, m)


# A translation brought to the source segments (``run --hyp-layout document``): Gale and
# Church's beads, and a segment translated as three sentences, as long Arabic sentences
# often are.
_SPREAD_PRIORS = {**_GC_PRIORS, (1, 3): 0.005}


def align_by_length(
    sources: Sequence[str], targets: Sequence[str], band: int | None = None
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads (source indices, target indices) of source segments and the sentences of their
    translation, in order, by character lengths alone: the two texts share no words to
    compare. The target's lengths are taken at the document's own ratio of target to source
    characters (English runs longer than Arabic), so a bead's cost is Gale and Church's for
    the lengths that ratio predicts."""
    n, m = len(sources), len(targets)
    check_document_size(n, m)
    sl = [len("".join(s.split())) for s in sources]
    tl = [len("".join(t.split())) for t in targets]
    ratio = sum(tl) / sum(sl) if sum(sl) and sum(tl) else 1.0
    width = _band(n, m, band)
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        diag = i * m / n if n else 0
        lo, hi = max(0, int(diag) - width), min(m, int(diag) + width + 1)
        for j in range(lo, hi + 1):
            for (di, dj), prior in _SPREAD_PRIORS.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or cost[pi][pj] == inf:
                    continue
                expected = ratio * sum(sl[pi:i])
                c = cost[pi][pj] + _length_cost(expected, sum(tl[pj:j])) - math.log(prior)
                if c < cost[i][j]:
                    cost[i][j] = c
                    back[i][j] = (di, dj)
    if cost[n][m] == inf:  # the band was too narrow: widen it
        return align_by_length(sources, targets, band=max(n, m))
    beads = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj = step
        beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
