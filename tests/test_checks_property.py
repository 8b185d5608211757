"""Every check on arbitrary segments: texts of Arabic and English words, digits, names and
punctuation, or None for a side never translated, alignments with links anywhere (past the
words too) and any confidence (NaN and infinities too), articles of one to four segments,
or none (a segment checked alone).
A check gives a list of findings, each with a known severity, a confidence in [0, 1] and
spans inside its texts; it never raises."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align import Alignment, Link
from align.checks import ArticleInput, SegmentInput, all_checks
from align.checks.base import SEVERITIES, Finding
from align.checks.name import phrase_sources
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
        # a driver of its own may leave a side None (a segment never translated)
        source = draw(st.sampled_from([source, source, None]))
        translation = draw(st.sampled_from([translation, translation, None]))
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


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
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
                        assert 0 <= span[0] <= span[1] <= len(text or ""), (check.name, f, text)
                assert f.message.strip(), f


def _every_pair_greedy(src, tgt, n_src, n_tgt):
    """The number check's pairing as a definition: every pair of equal values, nearest
    relative position first (what ``_match`` computes on candidates only)."""
    pairs = sorted(
        (abs(a.start / max(n_src, 1) - b.start / max(n_tgt, 1)), i, j)
        for i, a in enumerate(src)
        for j, b in enumerate(tgt)
        if a.key == b.key
    )
    used_s, used_t = set(), set()
    for _, i, j in pairs:
        if i not in used_s and j not in used_t:
            used_s.add(i)
            used_t.add(j)
    return (
        [v for i, v in enumerate(src) if i not in used_s],
        [v for j, v in enumerate(tgt) if j not in used_t],
    )


values = st.lists(st.tuples(st.sampled_from("123"), st.integers(0, 200)), max_size=30)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(values, values)
def test_numbers_are_paired_as_every_pair_would_pair_them(src, tgt):
    from decimal import Decimal

    from align.checks.number.matching import _match
    from align.checks.number.values import Value

    make = lambda xs: [  # noqa: E731
        Value(("num", Decimal(d)), start, start + 1)
        for d, start in sorted(set(xs), key=lambda x: x[1])
    ]
    a, b = make(src), make(tgt)
    got, expected = _match(a, b, 201, 201), _every_pair_greedy(a, b, 201, 201)
    if (
        max((sum(v.key == w.key for w in a) for v in a), default=0) <= 8
        and max((sum(v.key == w.key for w in b) for v in b), default=0) <= 8
    ):  # as many equal values as candidates: the same values left over
        assert got == expected
    else:  # more: as many left over, each side
        assert (len(got[0]), len(got[1])) == (len(expected[0]), len(expected[1]))


def test_links_past_the_translation_from_two_source_words_are_no_phrase():
    """Two source words linked past the translation's last word looked like a phrase that
    word renders, and reading its capital went past the words."""
    source, translation = "الرئيس الرئيس", "The"
    alignment = Alignment(
        word_tokens(source), word_tokens(translation),
        (Link(0, 1, math.inf), Link(1, 1, 1.0)), (), "fixed",
    )  # fmt: skip
    pair = PairAlignment(source, translation, alignment)
    segment = SegmentInput(0, source, translation, pair)
    for check in all_checks():
        for around in (ArticleInput((segment,)), None):
            assert isinstance(check.check(segment, around), list), check.name
    # nor does it keep the omission check from counting the two words as lost
    assert phrase_sources(pair) == set()
    within = Alignment(pair.alignment.src_tokens, pair.alignment.tgt_tokens,
                       (Link(0, 0, 1.0), Link(1, 0, 1.0)), (), "fixed")  # fmt: skip
    assert phrase_sources(PairAlignment(source, translation, within)) == {(0, 6), (7, 13)}


def test_a_side_never_translated_is_no_length_of_the_article():
    """A segment whose source or translation is None (a driver of its own may pass one)
    counts for no ratio of its article, and the others are checked as ever."""
    pairs = [("قال الرئيس إن خمسة أشخاص قتلوا.", "The president said five people were killed.")]
    pairs *= 3
    segments = [SegmentInput(k, s, t) for k, (s, t) in enumerate(pairs)]
    segments += [SegmentInput(3, None, "Text."), SegmentInput(4, "نص", None)]
    article = ArticleInput(tuple(segments))
    assert article.length_ratio == ArticleInput(tuple(segments[:3])).length_ratio
    for check in all_checks():
        for segment in segments:
            assert isinstance(check.check(segment, article), list), check.name
