"""A translation far longer or shorter than the article's others, for its source.

The ratio of a segment's translation length to its source length (characters without
spaces) is compared with the article's own (``ArticleInput.length_ratio``, a median; a
typical English/Arabic ratio when the article has fewer than three segments). Outside
[ratio / ``MAX_FACTOR``, ratio * ``MAX_FACTOR``] is a ``length`` warning, for segments with
at least ``MIN_SOURCE_CHARS`` source characters; confidence grows with the distance. An
empty translation of a source with text is an ``empty`` error whatever its length. A
translation that one segment took for a bead of several (``SegmentInput.own``) and that is
short for all their sources (``MIN_BEAD_RELATIVE``) is a ``short-bead`` warning: a sentence
of the bead may be missing.
"""

from __future__ import annotations

import math

from align.checks.base import ArticleInput, Finding, SegmentInput, _chars, has_words

NAME = "length"
# How far a segment's ratio may be from the article's before it is reported (a factor, both
# ways), the shortest source it is judged on, and the ratio used without an article ratio
# (English characters per Arabic character, FLORES-200 devtest median about 1.2). Set on
# FLORES-200 devtest: no clean pair of its 1,012 flagged (scripts/bench_checks.py); the
# benchmark injects no length errors of its own.
MAX_FACTOR = 2.2
MIN_SOURCE_CHARS = 20
# A translation given in document layout that one segment took for a bead of several
# (``SegmentInput.own``): the bead joins two sentences or more, whose lengths vary less
# than one's, and a sentence left out of it halves it. On FLORES-200 devtest, consecutive
# lines joined in pairs as beads: 4 of the 506 whole translations (0.8%) are below 0.75 of
# the article's ratio, and 98% of those with one of the two sentences' translations left
# out are (0.7: none and 94%; 0.6: none and 80%).
MIN_BEAD_RELATIVE = 0.75
DEFAULT_RATIO = 1.2
MIN_CONFIDENCE = 0.5
MAX_CONFIDENCE = 0.95


def relative_length(segment: SegmentInput, article: ArticleInput | None) -> float | None:
    """The segment's translation/source length ratio (characters without spaces) over the
    article's own, or over ``DEFAULT_RATIO`` where the article has none (fewer than three
    segments); None where a side has no characters. The length check and the omission and
    addition checks' length witness read it."""
    source, translation = _chars(segment.source or ""), _chars(segment.translation or "")
    if not source or not translation:
        return None
    return translation / source / expected_ratio(article)


def missing_chars(segment: SegmentInput, article: ArticleInput | None) -> float | None:
    """How many characters (without spaces) the translation falls short of what the
    article's ratio (``relative_length``'s) gives for its source; negative for a longer
    one, None where a side has no characters. A ratio says little of a short segment (a
    five-word line one word shorter is at 0.8); this says how much is missing."""
    source, translation = _chars(segment.source or ""), _chars(segment.translation or "")
    if not source or not translation:
        return None
    return source * expected_ratio(article) - translation


def expected_ratio(article: ArticleInput | None) -> float:
    """The article's translation/source ratio, or ``DEFAULT_RATIO`` where it has none."""
    return (article.length_ratio if article is not None else None) or DEFAULT_RATIO


class LengthCheck:
    name = NAME

    def check(self, segment: SegmentInput, article: ArticleInput | None) -> list[Finding]:
        src, tgt = _chars(segment.source or ""), _chars(segment.translation or "")
        if src and not has_words(segment.translation or ""):
            # Punctuation alone ("...", "—") is no translation either, as the omission
            # check says; its length would be a ratio of nothing.
            return [
                Finding(
                    NAME,
                    "empty",
                    "error",
                    1.0,
                    "The translation has no words." if tgt else "The translation is empty.",
                    (0, len(segment.source)),
                    None,
                )  # fmt: skip
            ]
        if src < MIN_SOURCE_CHARS or not tgt:
            return []
        relative = relative_length(segment, article)
        if segment.own is not None and relative < MIN_BEAD_RELATIVE:
            return [
                Finding(
                    NAME,
                    "short-bead",
                    "warning",
                    min(MAX_CONFIDENCE, MIN_CONFIDENCE + (MIN_BEAD_RELATIVE - relative)),
                    f"This segment's translation stands for its neighbours' too (a bead of "
                    f"the translation's own sentences), and is {relative:.1f} times as long "
                    "as the article's translations are for their sources: a sentence of the "
                    "bead may be missing.",
                    segment.own,
                    (0, len(segment.translation)),
                )  # fmt: skip
            ]
        distance = abs(math.log(relative))
        limit = math.log(MAX_FACTOR)
        if distance <= limit:
            return []
        confidence = min(MAX_CONFIDENCE, MIN_CONFIDENCE + (distance - limit) / (2 * limit))
        longer = relative > 1
        times = relative if longer else 1 / relative
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
