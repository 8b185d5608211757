"""Batches by token budget: what every engine sends to the model at once.

Segments are grouped by their cap on new tokens (a segment's output must not depend on its
batch-mates, and the cap is a per-call setting in both transformers and CTranslate2),
sorted longest first inside a group, and cut into batches whose padded size
(sentences × longest source) stays within the token budget. A segment longer than the
budget on its own goes alone. Sorting by length keeps padding, and so wasted work, small.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby


def plan_batches(
    lengths: Sequence[int],
    caps: Sequence[int],
    max_tokens: int,
    max_sentences: int | None = None,
) -> list[list[int]]:
    """Indices into ``lengths`` in batches: equal caps together, longest first, each batch's
    ``len(batch) * max(length)`` at most ``max_tokens`` and ``len(batch)`` at most
    ``max_sentences``."""
    if max_tokens < 1 or (max_sentences is not None and max_sentences < 1):
        raise ValueError("a batch must hold at least one token and one sentence")
    order = sorted(range(len(lengths)), key=lambda i: (-caps[i], -lengths[i], i))
    batches: list[list[int]] = []
    for _, group in groupby(order, key=lambda i: caps[i]):
        batch: list[int] = []
        for i in group:
            # Longest first, so the batch's padded width is its first member's length.
            width = lengths[batch[0]] if batch else lengths[i]
            full = max_sentences is not None and len(batch) >= max_sentences
            if batch and ((len(batch) + 1) * width > max_tokens or full):
                batches.append(batch)
                batch = []
            batch.append(i)
        if batch:
            batches.append(batch)
    return batches


def split_batches(batches: Sequence[list[int]], at_least: int) -> list[list[int]]:
    """``batches`` with the largest halved (its longer half first, in place) until there
    are ``at_least`` of them or none holds two sentences: a few sentences spread over the
    batches an engine runs at once. A segment's output does not depend on its batch-mates,
    so this changes the speed only."""
    out = [list(b) for b in batches]
    while len(out) < at_least:
        k = max(range(len(out)), key=lambda n: len(out[n]), default=None)
        if k is None or len(out[k]) < 2:
            break
        half = (len(out[k]) + 1) // 2
        out[k : k + 1] = [out[k][:half], out[k][half:]]
    return out
