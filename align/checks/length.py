"""A translation far longer or shorter than the article's others, for its source.

The ratio of a segment's translation length to its source length (characters without
spaces) is compared with the article's own (``ArticleInput.length_ratio``, a median; a
typical English/Arabic ratio when the article has fewer than three segments). Outside
[ratio / ``MAX_FACTOR``, ratio * ``MAX_FACTOR``] is a ``length`` warning, for segments with
at least ``MIN_SOURCE_CHARS`` source characters; confidence grows with the distance. An
empty translation of a source with text is an ``empty`` error whatever its length.
"""

from __future__ import annotations

import math

from align.checks.base import ArticleInput, Finding, SegmentInput, _chars

NAME = "length"
# How far a segment's ratio may be from the article's before it is reported (a factor, both
# ways), the shortest source it is judged on, and the ratio used without an article ratio
# (English characters per Arabic character, FLORES-200 devtest median about 1.2). Set on
# FLORES-200 devtest: no clean pair of its 1,012 flagged (scripts/bench_checks.py); the
# benchmark injects no length errors of its own.
MAX_FACTOR = 2.2
MIN_SOURCE_CHARS = 20
DEFAULT_RATIO = 1.2
MIN_CONFIDENCE = 0.5
MAX_CONFIDENCE = 0.95


class LengthCheck:
    name = NAME

    def check(self, segment: SegmentInput, article: ArticleInput) -> list[Finding]:
        src, tgt = _chars(segment.source or ""), _chars(segment.translation or "")
        if src and not tgt:
            return [
                Finding(
                    NAME,
                    "empty",
                    "error",
                    1.0,
                    "The translation is empty.",
                    (0, len(segment.source)),
                    None,
                )  # fmt: skip
            ]
        if src < MIN_SOURCE_CHARS or not tgt:
            return []
        expected = article.length_ratio or DEFAULT_RATIO
        ratio = tgt / src
        distance = abs(math.log(ratio / expected))
        limit = math.log(MAX_FACTOR)
        if distance <= limit:
            return []
        confidence = min(MAX_CONFIDENCE, MIN_CONFIDENCE + (distance - limit) / (2 * limit))
        longer = ratio > expected
        times = ratio / expected if longer else expected / ratio
        return [
            Finding(
                NAME,
                "length",
                "warning",
                confidence,
                f"The translation is {times:.1f} times {'longer' if longer else 'shorter'} "
                "for its source than the article's translations are.",
                (0, len(segment.source)),
                (0, len(segment.translation)),
            )  # fmt: skip
        ]


CHECK = LengthCheck()
