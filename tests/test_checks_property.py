"""Every check on arbitrary segments: texts of Arabic and English words, digits, names and
punctuation, alignments with links anywhere (past the words too) and any confidence (NaN
and infinities too), articles of one to four segments, or none (a segment checked alone).
A check gives a list of findings, each with a known severity, a confidence in [0, 1] and
spans inside its texts; it never raises."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align import Alignment, Link
from align.checks import ArticleInput, SegmentInput, all_checks
from align.checks.base import SEVERITIES, Finding
from align.links.words import word_tokens
from align.run import PairAlignment

ARABIC = ["الرئيس", "وبفرنسا", "موسكو", "الثلاثاء", "ثلاثة", "٢٠١٦", "في", "و", "السابع"]
ARABIC += ["المدينة", "بيت", "لحم", "٣٫٥", "مارس", "عيد", "الفصح", "نيويورك", "١٬٠٠٠"]
ENGLISH = ["The", "president", "Moscow", "Spain", "Olympic", "three", "2016", "in", "March"]
ENGLISH += ["seventh", "3.5", "1,000", "New", "York", "Easter", "the", "the", "Baba", "«"]
PUNCT = [".", ",", "،", "-", "(", ")", '"', "؟", "!", "…", "—"]

arabic_text = st.lists(st.sampled_from(ARABIC + PUNCT), max_size=14).map(" ".join)
english_text = st.lists(st.sampled_from(ENGLISH + PUNCT), max_size=14).map(" ".join)
confidence = st.one_of(
    st.floats(min_value=0, max_value=1),
    st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 2.0]),
)


@st.composite
def segments(draw, index: int) -> SegmentInput:
    source, translation = draw(arabic_text), draw(english_text)
    if not draw(st.booleans()):
        return SegmentInput(index, source, translation, None)
    src, tgt = word_tokens(source), word_tokens(translation)
    links = draw(
        st.lists(
            st.builds(
                Link,
                st.integers(-2, len(src) + 2),
                st.integers(-2, len(tgt) + 2),
                confidence,
            ),
            max_size=12,
        )
    )
    alignment = Alignment(src, tgt, tuple(links), (), "fixed")
    return SegmentInput(index, source, translation, PairAlignment(source, translation, alignment))


@st.composite
def articles(draw) -> ArticleInput:
    n = draw(st.integers(1, 4))
    return ArticleInput(tuple(draw(segments(k)) for k in range(n)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_every_check_gives_well_formed_findings_on_any_segment(article):
    for check in all_checks():
        for segment, around in [(s, a) for s in article.segments for a in (article, None)]:
            found = check.check(segment, around)  # None: the segment checked alone
            assert isinstance(found, list), check.name
            for f in found:
                assert isinstance(f, Finding) and f.check == check.name
                assert f.severity in SEVERITIES and 0 <= f.confidence <= 1, f
                for span, text in ((f.src, segment.source), (f.tgt, segment.translation)):
                    if span is not None:
                        assert 0 <= span[0] <= span[1] <= len(text), (check.name, f, text)
                assert f.message.strip(), f
