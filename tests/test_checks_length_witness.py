"""Omission and addition take the segment's length as a second witness: a run of unlinked
words is a finding only when the translation is shorter (omission) or longer (addition) for
its source than the article's other translations, and a shorter run is enough when it is
much shorter or longer. Hand alignments, so that only the length changes between cases."""

from __future__ import annotations

import pytest

from align import Alignment, Link
from align.checks import ArticleInput, SegmentInput
from align.checks import addition as A
from align.checks import omission as O
from align.checks.base import _chars, has_words
from align.checks.length import DEFAULT_RATIO, missing_chars, relative_length
from align.links.spans import span_pairs
from align.links.words import word_tokens
from align.run import PairAlignment

ARABIC = "الرئيس الوزير المدينة المستشفى الأطفال الاقتصاد الصناعة التجارة المدرسة الجامعة"
ARABIC = ARABIC.split()
ENGLISH = "president minister city hospital children economy industry trade school college"
ENGLISH = ENGLISH.split()


# These hand lines are a few words long, too short for the characters' witness
# (``omission.MIN_MISSING_CHARS``): the omission rules are checked here with it off, and
# the witness on its own below; and without the dictionary's witness
# (``omission.UNRENDERED_GATE``), which has its own test, so that the length gates are
# checked alone.
OMISSION = O.OmissionCheck(min_missing=0, unrendered_gate=None)


def segment(n_src: int, n_tgt: int, n_linked: int, pairs=None) -> SegmentInput:
    """A pair whose first ``n_linked`` words are linked one to one (or the word ``pairs``
    given); the rest of each side is linked to nothing."""
    source, translation = " ".join(ARABIC[:n_src]), " ".join(ENGLISH[:n_tgt])
    src, tgt = word_tokens(source), word_tokens(translation)
    pairs = pairs if pairs is not None else [(k, k) for k in range(n_linked)]
    links = tuple(Link(i, j, 1.0) for i, j in pairs)
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    return SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))


def article_at(seg: SegmentInput, relative: float) -> ArticleInput:
    """An article in which ``seg``'s relative length is ``relative``: three more segments
    whose translation/source ratio is the segment's own over ``relative``."""
    own = _chars(seg.translation) / _chars(seg.source)
    others = []
    for k in range(1, 4):
        source = "س" * 100
        others.append(SegmentInput(k, source, "x" * round(100 * own / relative)))
    article = ArticleInput((seg, *others))
    assert relative_length(seg, article) == pytest.approx(relative, rel=0.02)
    return article


def spans(check, seg, article) -> list[tuple[int, int]]:
    return [f.src if check.side == "src" else f.tgt for f in check.check(seg, article)]


def test_relative_length_is_the_segments_ratio_over_the_articles():
    seg = segment(4, 4, 4)
    own = _chars(seg.translation) / _chars(seg.source)
    # Fewer than three segments: the typical English/Arabic ratio stands for the article's.
    assert relative_length(seg, ArticleInput((seg,))) == pytest.approx(own / DEFAULT_RATIO)
    assert relative_length(seg, None) == pytest.approx(own / DEFAULT_RATIO)
    assert relative_length(SegmentInput(0, "كتاب", ""), None) is None
    assert article_at(seg, 0.5).length_ratio == pytest.approx(own / 0.5, rel=0.02)


@pytest.mark.parametrize("unlinked", [1, 2])
def test_a_word_or_two_unlinked_are_an_omission_only_in_a_much_shorter_translation(unlinked):
    seg = segment(6 + unlinked, 6, 6)  # المدرسة (الجامعة): linked to nothing
    run = (seg.source.index(ARABIC[6]), len(seg.source))
    assert spans(OMISSION, seg, article_at(seg, 0.6)) == [run]
    # One or two words are too few to be sure of when the translation is not much shorter.
    assert spans(OMISSION, seg, article_at(seg, 0.75)) == []
    assert spans(OMISSION, seg, article_at(seg, 1.0)) == []


def test_a_run_of_three_is_an_omission_unless_the_translation_is_as_long_as_usual():
    seg = segment(9, 6, 6)
    run = (seg.source.index(ARABIC[6]), len(seg.source))
    assert spans(OMISSION, seg, article_at(seg, 0.75)) == [run]
    assert spans(OMISSION, seg, article_at(seg, 0.88)) == []
    assert spans(OMISSION, seg, article_at(seg, 0.9)) == []
    assert spans(OMISSION, seg, article_at(seg, 1.0)) == []
    assert spans(OMISSION, seg, article_at(seg, 1.3)) == []
    # Without the length witness the run is a finding whatever the length.
    free = O.OmissionCheck(gate=None, wide_ratio=None)
    assert spans(free, seg, article_at(seg, 1.3)) == [run]


def test_a_run_counts_a_little_short_of_the_gate_when_the_translation_is_all_linked():
    # Every word of the translation stands for a source word: the run is no paraphrase the
    # aligner failed to match, so it counts up to NEAR_GATE, past the run gate.
    assert O.RUN_LENGTH_GATE < 0.82 < O.NEAR_GATE
    seg = segment(9, 6, 6)
    run = (seg.source.index(ARABIC[6]), len(seg.source))
    assert spans(OMISSION, seg, article_at(seg, 0.82)) == [run]
    assert spans(OMISSION, seg, article_at(seg, 0.88)) == []
    # Two translation words linked to nothing: the rule of the run gate alone.
    loose = segment(9, 8, 6)
    assert spans(OMISSION, loose, article_at(loose, 0.82)) == []
    # and without the rule, the run gate alone
    gate_only = O.OmissionCheck(min_missing=0, near_gate=None, unrendered_gate=None)
    assert spans(gate_only, seg, article_at(seg, 0.82)) == []


def test_two_unlinked_translation_words_are_an_addition_only_in_a_long_translation():
    seg = segment(6, 8, 6)
    run = (seg.translation.index(ENGLISH[6]), len(seg.translation))
    assert spans(A.CHECK, seg, article_at(seg, 1.5)) == [run]
    # (past FULL_SOURCE_GATE, 1.25, two words of a fully linked source count already)
    assert spans(A.CHECK, seg, article_at(seg, 1.15)) == []
    assert spans(A.CHECK, seg, article_at(seg, 0.8)) == []
    # one word is not enough on this side, however long the translation
    one = segment(6, 7, 6)
    assert spans(A.CHECK, one, article_at(one, 1.6)) == []


def test_a_run_of_three_is_an_addition_unless_the_translation_is_no_longer_than_usual():
    seg = segment(6, 9, 6)
    run = (seg.translation.index(ENGLISH[6]), len(seg.translation))
    assert spans(A.CHECK, seg, article_at(seg, 1.15)) == [run]
    assert spans(A.CHECK, seg, article_at(seg, 1.0)) == []
    assert spans(A.CHECK, seg, article_at(seg, 0.7)) == []


def test_the_other_sides_check_does_not_fire_on_the_same_segment():
    short = segment(8, 6, 6)
    assert spans(A.CHECK, short, article_at(short, 0.6)) == []
    long = segment(6, 8, 6)
    assert spans(OMISSION, long, article_at(long, 1.5)) == []


def test_more_unlinked_words_never_take_a_finding_away():
    # الأطفال (word 4) alone, then the run التجارة المدرسة الجامعة (7-9), in a much shorter
    # translation: both are findings, the single word by the rule for much shorter ones.
    pairs = [(0, 0), (1, 1), (2, 2), (3, 3), (5, 4), (6, 5)]
    seg = segment(10, 6, 0, pairs)
    words = seg.alignment.src_words
    alone = (words[4].start, words[4].end)
    run = (words[7].start, words[9].end)
    assert spans(OMISSION, seg, article_at(seg, 0.5)) == [alone, run]
    # at a length only the run rule accepts, the run alone
    assert spans(OMISSION, seg, article_at(seg, 0.75)) == [run]


def test_unlinked_words_on_the_other_side_are_an_alignment_gap():
    # Three source words unlinked; with two translation words unlinked too, the run rule
    # takes it for a gap the aligner left (BALANCE 0.5: fewer than 1.5 wanted) ...
    gap = segment(9, 8, 6)
    assert spans(OMISSION, gap, article_at(gap, 0.75)) == []
    one = segment(9, 7, 6)
    assert len(spans(OMISSION, one, article_at(one, 0.75))) == 1
    # ... while a much shorter translation is judged with SHORT_BALANCE (2.0: fewer than 6).
    assert len(spans(OMISSION, gap, article_at(gap, 0.6))) == 1
    # The same on the other side: three translation words unlinked, and three source ones
    # (addition's BALANCE 1.0) against one.
    gap = segment(9, 9, 6)
    assert spans(A.CHECK, gap, article_at(gap, 1.15)) == []
    one = segment(7, 9, 6)
    assert len(spans(A.CHECK, one, article_at(one, 1.15))) == 1


@pytest.fixture
def no_fertile(monkeypatch):
    """The dictionary rules' lines park their words on one source word that has its own
    rendering, which ``addition.fertile_links`` (tested on its own) would take apart."""
    monkeypatch.setattr(A, "FERTILE_WORDS", 10**6)


def _weakly_linked(extra: list[str]) -> SegmentInput:
    """Four words linked one to one, then ``extra`` translation words each given a chance
    link (0.7: enough to count as linked for the run rule, short of a sure one) to the last
    source word (where the diagonal runs: ``omission.chance_links`` leaves it)."""
    source = " ".join(ARABIC[:4])
    translation = " ".join(ENGLISH[:4] + extra)
    src, tgt = word_tokens(source), word_tokens(translation)
    links = tuple(Link(k, k, 1.0) for k in range(4))
    links += tuple(Link(3, 4 + k, 0.7) for k in range(len(extra)))
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    return SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))


def test_a_long_run_that_glosses_no_source_word_is_an_addition_in_a_longer_translation(no_fertile):
    # Six words no source word means, tied to the source by chance links only: the
    # dictionary witness finds them where the run rule (links of 0.3 and more) does not.
    extra = ["purple", "elephants", "danced", "wildly", "beneath", "glaciers"]
    seg = _weakly_linked(extra)
    run = (seg.translation.index("purple"), len(seg.translation))
    assert A.AdditionCheck(gate=None, wide_ratio=None).spans(seg.alignment) == []
    assert spans(A.CHECK, seg, article_at(seg, 1.3)) == [run]
    (f,) = A.CHECK.check(seg, article_at(seg, 1.3))
    assert "render no word of the source by the dictionary" in f.message
    assert "linked to nothing" not in f.message  # each word has a (weak) link
    # not in a translation of about the usual length (UNGLOSSED_GATE: 1.1)
    assert spans(A.CHECK, seg, article_at(seg, 1.15)) == [run]
    assert spans(A.CHECK, seg, article_at(seg, 1.05)) == []
    assert spans(A.CHECK, seg, article_at(seg, 1.0)) == []
    # five words are too few (up to LONG_RATIO)
    short = _weakly_linked(extra[:5])
    assert spans(A.CHECK, short, article_at(short, 1.25)) == []
    # a gloss of a source word in the middle (hospital: المستشفى) breaks the run
    broken = _weakly_linked(extra[:3] + ["hospital"] + extra[3:])
    assert spans(A.CHECK, broken, article_at(broken, 1.25)) == []
    # and so does a sure link
    sure = _weakly_linked(extra)
    links = tuple(
        Link(x.src, x.tgt, 1.0 if x.tgt == 6 else x.confidence) for x in sure.alignment.links
    )
    src, tgt = sure.alignment.src_words, sure.alignment.tgt_words
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    sure = SegmentInput(
        0, sure.source, sure.translation, PairAlignment(sure.source, sure.translation, alignment)
    )
    assert spans(A.CHECK, sure, article_at(sure, 1.25)) == []


def test_three_unglossed_words_are_an_addition_in_a_much_longer_translation_of_a_linked_source(
    no_fertile,
):
    # Every source word is linked: three translation words that render none of them and
    # have no sure link count past LONG_RATIO.
    assert A.UNGLOSSED_GATE < 1.25 < A.LONG_RATIO < 1.4
    seg = _weakly_linked(["purple", "elephants", "danced"])
    run = (seg.translation.index("purple"), len(seg.translation))
    assert spans(A.CHECK, seg, article_at(seg, 1.4)) == [run]
    assert "render no word of the source" in A.CHECK.check(seg, article_at(seg, 1.4))[0].message
    assert spans(A.CHECK, seg, article_at(seg, 1.25)) == []
    # two words are too few
    two = _weakly_linked(["purple", "elephants"])
    assert spans(A.CHECK, two, article_at(two, 1.6)) == []
    # Two source words linked to nothing: the translation may render them freely.
    source = " ".join(ARABIC[:6])
    translation = " ".join(ENGLISH[:4] + ["purple", "elephants", "danced"])
    src, tgt = word_tokens(source), word_tokens(translation)
    links = tuple(Link(k, k, 1.0) for k in range(4))
    links += tuple(Link(3, 4 + k, 0.7) for k in range(3))
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    loose = SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))
    assert spans(A.CHECK, loose, article_at(loose, 1.4)) == []


def test_numbers_and_latin_words_the_source_has_render_it():
    # Numbers in Arabic-Indic digits and a name in Latin script are in the source as they
    # are: the dictionary knows neither, and a run of them is no addition.
    extra = ["12", "15", "18", "20", "22", "Guaycuru", "25"]
    source = " ".join(ARABIC[:4]) + " ١٢ ١٥ ١٨ ٢٠ ٢٢ Guaycuru ٢٥"
    translation = " ".join(ENGLISH[:4] + extra)
    src, tgt = word_tokens(source), word_tokens(translation)
    links = tuple(Link(k, k, 1.0) for k in range(4))
    links += tuple(Link(4 + k, 4 + k, 0.7) for k in range(len(extra)))
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    seg = SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))
    assert spans(A.CHECK, seg, article_at(seg, 1.5)) == []
    # The same words that the source does not have are a run.
    other = " ".join(ARABIC[:4]) + " ٣ ٤ ٥ ٦ ٧ Payagua ٨"
    alignment = Alignment(word_tokens(other), tgt, links, (), "test")
    seg = SegmentInput(0, other, translation, PairAlignment(other, translation, alignment))
    assert len(spans(A.CHECK, seg, article_at(seg, 1.5))) == 1


def test_two_unglossed_words_are_an_addition_past_the_gate_when_the_source_is_all_linked():
    # Every source word linked, two translation words linked to nothing that gloss none of
    # them: past FULL_SOURCE_GATE (1.25), short of LONG_RATIO (1.3).
    assert A.FULL_SOURCE_GATE < 1.28 < A.LONG_RATIO
    seg = _with_unlinked([], ["purple", "elephants"])
    run = (seg.translation.index("purple"), len(seg.translation))
    assert spans(A.CHECK, seg, article_at(seg, 1.28)) == [run]
    assert spans(A.CHECK, seg, article_at(seg, 1.2)) == []
    # Near misses: one source word linked to nothing, which the two may render freely;
    # a word that glosses a source word (president: الرئيس).
    loose = _with_unlinked(["قط"], ["purple", "elephants"])
    assert spans(A.CHECK, loose, article_at(loose, 1.28)) == []
    glossing = _with_unlinked([], ["president", "elephants"])
    assert spans(A.CHECK, glossing, article_at(glossing, 1.28)) == []


def _with_unlinked(src_extra: list[str], tgt_extra: list[str]) -> SegmentInput:
    """Six words linked one to one, then ``src_extra`` and ``tgt_extra`` linked to nothing."""
    return _six_linked(ARABIC[:6] + src_extra, ENGLISH[:6] + tgt_extra)


def _six_linked(arabic: list[str], english: list[str]) -> SegmentInput:
    """The words given, the first six of each side linked one to one, the rest to nothing."""
    source, translation = " ".join(arabic), " ".join(english)
    src, tgt = word_tokens(source), word_tokens(translation)
    links = tuple(Link(k, k, 1.0) for k in range(6))
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    return SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))


def test_one_unlinked_name_the_translation_lacks_is_an_omission_below_the_run_gate():
    # روسيا (the dictionary: russia) linked to nothing, and no "Russia" in the translation:
    # one word is enough below the run gate (0.8), where a common word is not.
    seg = _with_unlinked(["روسيا"], [])
    run = (seg.source.index("روسيا"), len(seg.source))
    (f,) = OMISSION.check(seg, article_at(seg, 0.75))
    assert f.src == run and "روسيا" in f.message
    assert spans(OMISSION, seg, article_at(seg, 0.85)) == []  # not past the gate
    common = _with_unlinked(["المدرسة"], [])
    assert spans(OMISSION, common, article_at(common, 0.75)) == []
    # The translation has the name (unlinked: the aligner missed it): nothing left out.
    rendered = _with_unlinked(["روسيا"], ["Russia"])
    assert spans(OMISSION, rendered, article_at(rendered, 0.75)) == []


def test_a_word_the_dictionary_lacks_is_a_name_when_the_article_pairs_it_with_one():
    seg = _with_unlinked(["بايدن"], [])
    run = (seg.source.index("بايدن"), len(seg.source))
    plain = article_at(seg, 0.75)
    assert spans(OMISSION, seg, plain) == []  # an unknown word: could be anything
    # Another pair of the article has بايدن in its source and "Biden" in its translation.
    first = plain.segments[1]
    named = SegmentInput(1, "بايدن " + first.source[6:], "Biden " + first.translation[6:])
    article = ArticleInput((seg, named, *plain.segments[2:]))
    assert relative_length(seg, article) == pytest.approx(0.75, rel=0.02)
    (f,) = OMISSION.check(seg, article)
    assert f.src == run and "بايدن" in f.message
    # "Biden" beside other words only says nothing of بايدن.
    other = SegmentInput(1, "ترامب " + first.source[6:], "Biden " + first.translation[6:])
    assert spans(OMISSION, seg, ArticleInput((seg, other, *plain.segments[2:]))) == []


def test_one_unlinked_number_the_translation_lacks_is_an_omission_below_the_run_gate():
    seg = _with_unlinked(["ثلاثة"], [])
    (f,) = OMISSION.check(seg, article_at(seg, 0.75))
    assert f.src == (seg.source.index("ثلاثة"), len(seg.source)) and "ثلاثة" in f.message
    assert spans(OMISSION, seg, article_at(seg, 0.85)) == []
    rendered = _with_unlinked(["ثلاثة"], ["three"])
    assert spans(OMISSION, rendered, article_at(rendered, 0.75)) == []
    # A number written onto a word is the word's number too.
    glued = _with_unlinked(["عام2020"], [])
    (f,) = OMISSION.check(glued, article_at(glued, 0.75))
    assert "عام2020" in f.message and "is linked to nothing" in f.message


def test_a_run_names_what_the_translation_lacks_whichever_rule_found_it():
    # Three unlinked words are a run by the run rule alone; its message still names روسيا,
    # and the same with the witness's one word.
    seg = _with_unlinked(["المدرسة", "روسيا", "الجامعة"], [])
    (f,) = OMISSION.check(seg, article_at(seg, 0.75))
    assert "(3 content words)" in f.message and "'روسيا'" in f.message
    plain = _with_unlinked(["المدرسة", "المستشفى", "الجامعة"], [])
    (f,) = OMISSION.check(plain, article_at(plain, 0.75))
    assert "which has no match for" not in f.message


def test_one_unlinked_name_the_source_lacks_is_an_addition_past_the_run_gate():
    # "Reykjavik": no source word glosses it or is even loosely alike; one word is enough past the
    # run gate (1.05), where a common word is not.
    seg = _with_unlinked([], ["Reykjavik"])
    run = (seg.translation.index("Reykjavik"), len(seg.translation))
    (f,) = A.CHECK.check(seg, article_at(seg, 1.15))
    assert f.tgt == run and "Reykjavik" in f.message
    assert spans(A.CHECK, seg, article_at(seg, 1.0)) == []  # not past the gate
    common = _with_unlinked([], ["college"])
    assert spans(A.CHECK, common, article_at(common, 1.15)) == []
    # The source has the name (unlinked: the aligner missed it): nothing added.
    explained = _with_unlinked(["ريكيافيك"], ["Reykjavik"])
    assert spans(A.CHECK, explained, article_at(explained, 1.15)) == []
    number = _with_unlinked([], ["twelve"])
    (f,) = A.CHECK.check(number, article_at(number, 1.15))
    assert "twelve" in f.message


def test_a_short_line_is_no_omission_unless_enough_characters_are_missing():
    # Two linked words and one unlinked: at 0.6 of the article's ratio the translation
    # falls short by fewer characters than a clause has (MIN_MISSING_CHARS).
    seg = segment(3, 2, 2)
    article = article_at(seg, 0.6)
    missing = missing_chars(seg, article)
    assert 0 < missing < O.MIN_MISSING_CHARS
    assert spans(OMISSION, seg, article) != []
    assert spans(O.CHECK, seg, article) == []
    # The same unlinked word in a line with twice the linked words falls short by more.
    source = " ".join(ARABIC[:2] * 3 + ARABIC[2:3])
    translation = " ".join(ENGLISH[:2] * 3)
    src, tgt = word_tokens(source), word_tokens(translation)
    links = tuple(Link(k, k, 1.0) for k in range(6))
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    long = SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))
    article = article_at(long, 0.6)
    assert missing_chars(long, article) >= O.MIN_MISSING_CHARS
    assert spans(O.CHECK, long, article) == [(source.index(ARABIC[2]), len(source))]


def test_a_dictionary_phrase_the_translation_renders_in_one_word_is_no_omission():
    # القارة القطبية الجنوبية is one headword of the dictionary ("Antarctica"); none of its
    # words is: the aligner links none of them, and the run rule would call all three left
    # out. The translation's one word that glosses the phrase renders them all.
    free = O.OmissionCheck(gate=None, wide_ratio=None)
    antarctic = "القارة القطبية الجنوبية"
    rendered = _with_unlinked(antarctic.split(), ["Antarctica"])
    assert spans(free, rendered, None) == []
    # The same words rendered by nothing, or only two of the phrase's words: a run.
    run = (rendered.source.index("القارة"), len(rendered.source))
    assert spans(free, _with_unlinked(antarctic.split(), ["purple"]), None) == [run]
    partial = _with_unlinked(["القارة", "الجنوبية", "البعيدة"], ["Antarctica"])
    assert spans(free, partial, None) == [(partial.source.index("القارة"), len(partial.source))]


def test_a_gloss_of_a_source_phrase_breaks_an_unglossed_run():
    extra = ["purple", "elephants", "danced", "Antarctica", "wildly", "beneath", "glaciers"]
    rendered = _with_unlinked(["القارة", "القطبية", "الجنوبية"], extra)
    assert A.unglossed_spans(rendered.alignment, 4) == []
    # a source without the phrase (two of its words only) leaves the seven words one run
    other = _with_unlinked(["القارة", "الجنوبية"], extra)
    runs = A.unglossed_spans(other.alignment, 4)
    assert [other.translation[x.start : x.end] for x in runs] == [" ".join(extra)]


def test_a_phrase_twice_in_the_source_is_rendered_once_by_one_translation_word():
    from align.checks.dictionary import rendered_phrases

    phrase = ["القارة", "القطبية", "الجنوبية"]
    twice = [*phrase, "و", *phrase]
    # one "Antarctica" renders the first phrase only; the second is left unrendered
    assert rendered_phrases(twice, ["Antarctica", "is", "cold"]) == ({0, 1, 2}, {0})
    both = rendered_phrases(twice, ["Antarctica", "and", "Antarctica"])
    assert both == ({0, 1, 2, 4, 5, 6}, {0, 2})
    # two "Antarctica" for one phrase: the second renders nothing
    assert rendered_phrases(phrase, ["Antarctica", "Antarctica"]) == ({0, 1, 2}, {0})
    # a function word that a phrase glosses renders nothing
    assert rendered_phrases(phrase, ["the", "cold"]) == (set(), set())


def test_a_run_the_dictionary_finds_unrendered_is_an_omission_nearly_as_long_as_usual():
    # Three words the dictionary knows (industry, trade, school) linked to nothing, in a
    # translation whose every word is linked: no gloss of theirs in the translation is the
    # witness, up to UNRENDERED_GATE (0.95), however few characters are missing.
    seg = _with_unlinked(ARABIC[6:9], [])
    run = (seg.source.index(ARABIC[6]), len(seg.source))
    assert spans(O.CHECK, seg, article_at(seg, 0.9)) == [run]
    assert spans(O.CHECK, seg, article_at(seg, 0.97)) == []
    # an unlinked word of the translation: it may say what they mean
    other = _with_unlinked(ARABIC[6:9], ["college"])
    assert spans(O.CHECK, other, article_at(other, 0.9)) == []
    # a translation word that renders one of them (school: المدرسة), though linked to
    # another source word, leaves two words in a row: too few
    rendered = _six_linked(ARABIC[:9], [*ENGLISH[:5], "school"])
    assert spans(O.CHECK, rendered, article_at(rendered, 0.9)) == []


def test_a_word_only_an_analysis_glosses_is_a_known_word_of_an_unrendered_run(monkeypatch):
    # وتتعاون ("and cooperates") is no headword of FreeDict's; Buckwalter's lexicon analyses
    # it (و + تتعاون: cooperate). Between industry and school, linked to nothing, it makes
    # the third word the dictionary knows and the translation renders nowhere.
    words = [ARABIC[6], "وتتعاون", ARABIC[8]]
    seg = _with_unlinked(words, [])
    run = (seg.source.index(ARABIC[6]), len(seg.source))
    assert spans(O.CHECK, seg, article_at(seg, 0.9)) == [run]
    # a translation word that renders it by that gloss, though linked to another source
    # word, leaves one known word either side of it: no run
    said = _six_linked(ARABIC[:6] + words, [*ENGLISH[:5], "cooperate"])
    assert spans(O.CHECK, said, article_at(said, 0.9)) == []
    # read by FreeDict's headwords alone, the unknown word ends the run: nothing found
    monkeypatch.setattr(O, "analysed_glosses", lambda word: frozenset())
    assert spans(O.CHECK, seg, article_at(seg, 0.9)) == []


def test_a_run_an_acronym_of_the_translation_holds_is_no_omission():
    # industry, trade, school linked to nothing: an acronym with two of their initials in a
    # row (IT) renders them, as WHO renders منظمة الصحة العالمية; one with their letters
    # apart (IQT) does not
    def left_out(acronym: str) -> list:
        seg = _six_linked(ARABIC[:9], [*ENGLISH[:5], acronym])
        return spans(O.CHECK, seg, article_at(seg, 0.9))

    assert left_out("ITS") == []
    assert len(left_out("IQT")) == 1
    # one word for one letter: an M twice asks for two words that give it (as BBC, CNN;
    # only الصناعة gives one: manufacture)
    assert len(left_out("MMI")) == 1
    # a word of capitals past ACRONYM_MAX_LETTERS is no acronym
    assert len(left_out("ITS" * 3)) == 1


def test_a_nisba_spells_an_acronym_by_its_nouns_glosses():
    from align.checks.dictionary import base_glosses

    # العالمية is glossed "universality" only; its noun عالم is "world": the W of WHO
    assert "world" in base_glosses("العالمية") and "world" in base_glosses("والعالمية")
    assert base_glosses("المدرسة") == frozenset()  # no nisba

    def left_out(acronym: str) -> list:
        who = ["منظمة", "الصحة", "العالمية"]
        source = " ".join([*ARABIC[:6], *who])
        translation = " ".join([*ENGLISH[:5], acronym])
        src, tgt = word_tokens(source), word_tokens(translation)
        links = tuple(Link(k, k, 1.0) for k in range(6))
        alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
        seg = SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))
        return spans(O.CHECK, seg, article_at(seg, 0.9))

    assert left_out("WHO") == []
    # the same letters but one no word of the run gives: the run is left out
    assert len(left_out("WHX")) == 1


def _between(src_between: list[str], rendering: int | None) -> SegmentInput:
    """The pair of "president minister city" and "hospital children economy", linked one to
    one to their source words, with four words no source word means between them in the translation,
    each tied by a link of 0.7 (linked for the run rule, not surely) to ``rendering`` (a
    source word's index; None: to "city"'s, the word before them). ``src_between``: source
    words between المدينة and المستشفى, linked to nothing else."""
    more = tuple(Link(2 if rendering is None else rendering, 3 + i, 0.7) for i in range(4))
    return _framed(["purple", "elephants", "danced", "wildly"], src_between, more)


def _framed(
    extra: list[str], src_between: list[str], more: tuple = (), after: list[str] | None = None
) -> SegmentInput:
    """ "president minister city" and "hospital children economy" (or ``after``: three
    words) linked one to one to their source words, ``extra`` translation words between
    them and ``src_between`` source words between المدينة and المستشفى, with the links
    ``more`` besides."""
    source = " ".join(ARABIC[:3] + src_between + ARABIC[3:6])
    translation = " ".join(ENGLISH[:3] + extra + (after or ENGLISH[3:6]))
    src, tgt = word_tokens(source), word_tokens(translation)
    k, n = len(src_between), len(extra)
    links = tuple(Link(i, i, 1.0) for i in range(3))
    links += tuple(Link(3 + k + i, 3 + n + i, 1.0) for i in range(3)) + more
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    return SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))


def test_unglossed_words_between_neighbouring_source_words_are_an_addition():
    # "city" and "hospital" render المدينة and المستشفى, next to each other in the source:
    # the source has no room for the four words between them (ROOMLESS_CHARS: 27 letters).
    seg = _between([], None)
    run = (seg.translation.index("purple"), seg.translation.index(" hospital"))
    assert A.CHECK.spans(seg.alignment, 1.05) == []  # each word has a link
    (f,) = A.CHECK.check(seg, article_at(seg, 1.05))
    assert f.tgt == run and "no room for them" in f.message
    # not in a translation no longer than usual (ROOMLESS_GATE), nor in one the dictionary
    # witness alone flags (six words at 1.1, three past 1.3) below that
    assert spans(A.CHECK, seg, article_at(seg, 0.98)) == []
    # Near miss: two source words between them that the four words render freely (a
    # paraphrase the dictionary does not know): the source has room for them.
    free = _between(["المدرسة", "الجامعة"], 3)
    assert spans(A.CHECK, free, article_at(free, 1.05)) == []
    # Nor at the translation's end: nothing after the words to measure the source by.
    end = _between([], None)
    source, translation = (
        end.source,
        " ".join(ENGLISH[:3] + ["purple", "elephants", "danced", "wildly"]),
    )
    src, tgt = word_tokens(source), word_tokens(translation)
    links = tuple(x for x in end.alignment.links if x.tgt < 7)
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    end = SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))
    assert len(A.unglossed_spans(end.alignment, A.ROOMLESS_MIN_WORDS)) == 1
    assert A.roomless_spans(end.alignment, 1.0) == []


def _unlinked_between(
    src_between: list[str],
    src_after: list[str],
    extra: tuple[str, ...] = ("purple", "elephants", "danced", "wildly"),
) -> SegmentInput:
    """ "president minister city" and "hospital children economy" linked one to one to
    their source words, ``extra`` (four words) between them in the translation linked to
    nothing, and source words linked to nothing between المدينة and المستشفى
    (``src_between``) or after the last (``src_after``)."""
    source = " ".join(ARABIC[:3] + src_between + ARABIC[3:6] + src_after)
    translation = " ".join(ENGLISH[:3] + list(extra) + ENGLISH[3:6])
    src, tgt = word_tokens(source), word_tokens(translation)
    k = len(src_between)
    links = tuple(Link(i, i, 1.0) for i in range(3))
    links += tuple(Link(3 + k + i, 3 + len(extra) + i, 1.0) for i in range(3))
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    return SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))


def test_a_run_where_the_source_has_no_unlinked_words_of_its_own_nearby_is_an_addition():
    # Two source words linked to nothing at the line's end do not explain four unglossed
    # words put in between two neighbouring source words' renderings (crowded_runs), even
    # in a translation no longer than usual (CROWDED_GATE 0.9), where the run rule's
    # length gate and its balance (as many unlinked source words) would not flag them.
    seg = _unlinked_between([], ["قط", "كلب"])
    run = (seg.translation.index("purple"), seg.translation.index(" hospital"))
    article = article_at(seg, 0.95)
    assert A.CHECK.spans(seg.alignment, 0.95) == []
    (f,) = A.CHECK.check(seg, article)
    assert f.tgt == run and "no room for them" in f.message
    # Near miss: the same two words between the neighbours' source words, where the four
    # words may render them (CROWDED_UNLINKED: one at most), though the room is short.
    near = _unlinked_between(["قط", "كلب"], [])
    assert spans(A.CHECK, near, article_at(near, 0.95)) == []
    # nor below the gate
    assert spans(A.CHECK, seg, article_at(seg, 0.85)) == []


def test_a_shorter_crowded_run_that_reads_as_a_noun_phrase_is_an_addition():
    # Three unglossed words put in between two neighbouring source words' renderings are
    # enough when they read as a noun phrase (NOUN_CROWDED_MIN_WORDS, ``nominal``); three
    # with a verb that is no noun ("danced") are not, nor two.
    assert A.NOUN_CROWDED_MIN_WORDS == A.ROOMLESS_MIN_WORDS - 1
    seg = _unlinked_between([], ["قط", "كلب"], ("purple", "elephants", "wildly"))
    (f,) = A.CHECK.check(seg, article_at(seg, 0.95))
    run = (seg.translation.index("purple"), seg.translation.index(" hospital"))
    assert f.tgt == run and "no room for them" in f.message
    near = _unlinked_between([], ["قط", "كلب"], ("purple", "elephants", "danced"))
    assert spans(A.CHECK, near, article_at(near, 0.95)) == []


def _bare(src_between: list[str], of_linked: bool = False) -> SegmentInput:
    """ "president minister city" and "hospital children economy" linked one to one to
    their source words, with "with the purple elephants of the" between them in the
    translation, linked to nothing ("of" to المستشفى with ``of_linked``), and source words
    linked to nothing between المدينة and المستشفى (``src_between``)."""
    more = (Link(3 + len(src_between), 7, 0.9),) if of_linked else ()
    return _framed(["with", "the", "purple", "elephants", "of", "the"], src_between, more)


def test_a_bare_stretch_between_neighbouring_source_words_is_an_addition():
    # Six words in a row with no link, small words too, two of them content words (too
    # few for a run), between the renderings of two neighbouring source words: past
    # BARE_GATE they were put in (bare_stretches).
    seg = _bare([])
    stretch = (seg.translation.index("with"), seg.translation.index(" hospital"))
    assert A.CHECK.spans(seg.alignment, 1.05) == []  # two unlinked content words only
    (f,) = A.CHECK.check(seg, article_at(seg, 1.05))
    assert f.tgt == stretch and "not even its small words" in f.message
    # not in a translation no longer than usual
    assert spans(A.CHECK, seg, article_at(seg, 0.98)) == []
    # Near misses: a small word of it linked (four bare words and one), or an unlinked source word
    # between the neighbours' source words, which the stretch may render.
    linked = _bare([], of_linked=True)
    assert spans(A.CHECK, linked, article_at(linked, 1.05)) == []
    free = _bare(["المدرسة"])
    assert spans(A.CHECK, free, article_at(free, 1.05)) == []


def test_a_shorter_bare_stretch_with_a_noun_only_word_is_an_addition():
    # Five bare words (fewer than BARE_MIN_WORDS) are enough when one of their content
    # words is one English has as a noun alone ("elephants"): the aligner links a noun to
    # its source noun, where a free rendering's bare words are verbs, adverbs and their
    # auxiliaries (NOUN_BARE_MIN_WORDS).
    assert A.NOUN_BARE_MIN_WORDS == 5 < A.BARE_MIN_WORDS
    assert A.noun_only("elephants") and A.noun_only("Ohio") and A.noun_only("2007")
    assert not A.noun_only("purple") and not A.noun_only("demonstrated")
    seg = _framed(["with", "the", "purple", "elephants", "of"], [])
    stretch = (seg.translation.index("with"), seg.translation.index(" hospital"))
    (f,) = A.CHECK.check(seg, article_at(seg, 1.05))
    assert f.tgt == stretch and "not even its small words" in f.message
    assert spans(A.CHECK, seg, article_at(seg, 0.98)) == []  # not past BARE_GATE
    # Near misses: five bare words whose content words are a verb and an adverb; five with
    # a noun alone beside a verb that is no noun (a free rendering's "is made of lots of");
    # four with a noun.
    verbal = _framed(["which", "were", "clearly", "demonstrated", "by"], [])
    assert spans(A.CHECK, verbal, article_at(verbal, 1.05)) == []
    made = _framed(["which", "were", "made", "of", "elephants"], [])
    assert A.noun_only("elephants") and not A.nominal(["made", "elephants"])
    assert A.nominal(["force", "elephants"])  # a verb that is a noun too leaves it nominal
    assert spans(A.CHECK, made, article_at(made, 1.05)) == []
    short = _framed(["the", "purple", "elephants", "of"], [])
    assert spans(A.CHECK, short, article_at(short, 1.05)) == []


def test_a_noun_phrase_that_describes_the_name_after_it_is_no_shorter_addition():
    # News spells out what a name is ("in the port city of Hodeidah" for بالحديدة), and the
    # aligner links the explicitation to nothing: five bare words ending in "of" before a
    # capitalized word, or three crowded ones right before "of" and one, are no witness
    # (describes_a_name); the same words before a word in lower case still are.
    extra = ["in", "the", "port", "town", "of"]
    named = _framed(extra, [], after=["Hodeidah", "children", "economy"])
    assert spans(A.CHECK, named, article_at(named, 1.05)) == []
    plain = _framed(extra, [])
    assert spans(A.CHECK, plain, article_at(plain, 1.05)) != []
    text = "Jets struck the northern port town of Hodeidah and of the city."
    at = text.index
    assert A.describes_a_name(text, O.UnlinkedSpan((), at("northern"), at(" of Hod"), 0.0))
    assert A.describes_a_name(text, O.UnlinkedSpan((), at("the north"), at(" Hod"), 0.0))
    assert not A.describes_a_name(text, O.UnlinkedSpan((), at("and"), at(" the city"), 0.0))
    assert not A.describes_a_name(text, O.UnlinkedSpan((), at("Jets"), at(" the north"), 0.0))


def test_links_of_a_source_word_to_more_words_than_it_renders_do_not_count_for_addition():
    # المدينة renders "city" and is linked besides to "elephants" and "of" of a clause put
    # in after it: a source word renders one word, or a few in a row beside its gloss, not
    # words elsewhere (fertile_links), so the stretch is bare for the addition rules.
    seg = _framed(
        ["with", "the", "purple", "elephants", "of", "the"],
        [],
        (Link(2, 6, 0.5), Link(2, 7, 0.5)),
    )
    stretch = (seg.translation.index("with"), seg.translation.index(" hospital"))
    assert A.fertile_links(seg.alignment) == {(2, 6), (2, 7)}
    (f,) = A.CHECK.check(seg, article_at(seg, 1.05))
    assert f.tgt == stretch and "not even its small words" in f.message
    # Near miss: a source word of its own between المدينة and المستشفى linked to two of
    # them: it keeps its strongest content word, which the stretch then renders.
    own = _framed(
        ["with", "the", "purple", "elephants", "of", "the"],
        ["المدرسة"],
        (Link(3, 6, 0.5), Link(3, 7, 0.4)),
    )
    assert A.fertile_links(own.alignment) == {(3, 7)}
    assert spans(A.CHECK, own, article_at(own, 1.05)) == []
    # The omission side still reads every link: المدينة is linked.
    assert O.OmissionCheck().spans(seg.alignment, 0.7) == []


def _lexicon_article(
    seg: SegmentInput, relative: float, pairs: list[str], confidence: float = 1.0
) -> ArticleInput:
    """An article in which ``seg``'s relative length is ``relative`` (as ``article_at``),
    whose other pairs each link الرئيس surely (1.0) to the English word ``pairs`` gives them
    (None: no such link)."""
    own = _chars(seg.translation) / _chars(seg.source)
    others = []
    for k, english in enumerate(pairs, start=1):
        source = "الرئيس " + "س" * 100
        first = english or "y" * 9
        translation = first + " " + "x" * round(106 * own / relative - len(first))
        src, tgt = word_tokens(source), word_tokens(translation)
        links = (Link(0, 0, confidence),) if english else ()
        alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
        others.append(
            SegmentInput(k, source, translation, PairAlignment(source, translation, alignment))
        )
    article = ArticleInput((seg, *others))
    assert relative_length(seg, article) == pytest.approx(relative, rel=0.02)
    return article


def test_unglossed_words_are_an_addition_where_the_article_knows_the_sources_words(no_fertile):
    # The article's other pairs link الرئيس surely to "chairman" (the dictionary has only
    # "president"): a quarter of the source's content words have renderings there
    # (FAMILIAR_SHARE), and four words that gloss none of them by either dictionary, tied
    # to it by chance links only, are an addition past FAMILIAR_GATE (1.1), where the
    # background dictionary's own rule wants six words.
    assert A.FAMILIAR_SHARE <= 0.25 and A.FAMILIAR_MIN_WORDS <= 4 < A.UNGLOSSED_MIN_WORDS
    extra = ["purple", "elephants", "danced", "wildly"]
    seg = _weakly_linked(extra)
    run = (seg.translation.index("purple"), len(seg.translation))
    article = _lexicon_article(seg, 1.15, ["chairman", "chairman", None])
    meanings, share = A.article_meanings(seg, article)
    assert "chairman" in meanings and share == 0.25
    (f,) = A.CHECK.check(seg, article)
    assert f.tgt == run and "the article's other translations" in f.message
    assert spans(A.CHECK, seg, article_at(seg, 1.15)) == []  # an article that knows nothing
    # not in a translation no longer than usual
    assert spans(A.CHECK, seg, _lexicon_article(seg, 1.05, ["chairman", "chairman", None])) == []
    # Near misses: one other pair alone is no rendering (ARTICLE_PAIRS), nor is the pair's
    # own link; a word the article renders الرئيس by breaks the run.
    one = _lexicon_article(seg, 1.15, ["chairman", None, None])
    assert A.article_meanings(seg, one) == (frozenset(), 0.0)
    own = _lexicon_article(seg, 1.15, ["president", None, None])  # the pair's own link: 1.0
    assert A.article_meanings(seg, own) == (frozenset(), 0.0)
    assert spans(A.CHECK, seg, one) == []
    broken = _weakly_linked(["purple", "elephants", "chairman", "danced", "wildly"])
    article = _lexicon_article(broken, 1.15, ["chairman", "chairman", None])
    assert spans(A.CHECK, broken, article) == []
    # links short of ARTICLE_LINK (0.9) make no rendering; nor does an article that knows
    # less of the source than FAMILIAR_SHARE
    weak = _lexicon_article(seg, 1.15, ["chairman", "chairman", None], confidence=0.85)
    assert A.article_meanings(seg, weak) == (frozenset(), 0.0)
    assert spans(A.CHECK, seg, weak) == []


def test_the_article_must_know_a_share_of_the_source_for_its_lexicon_rule(monkeypatch, no_fertile):
    seg = _weakly_linked(["purple", "elephants", "danced", "wildly"])
    article = _lexicon_article(seg, 1.15, ["chairman", "chairman", None])
    assert spans(A.CHECK, seg, article) != []  # a quarter of the source's words known
    monkeypatch.setattr(A, "FAMILIAR_SHARE", 0.3)
    assert spans(A.CHECK, seg, article) == []


def clause_segment(linked: list[int]) -> SegmentInput:
    """Two clauses of the source, a comma between: words 0-3 linked one to one, then four
    content words of which only those of ``linked`` (4 to 7) are linked, to a translation
    with a word for each linked source word and nothing else."""
    source = " ".join(ARABIC[:4]) + "، " + " ".join(ARABIC[4:8])
    kept = [*range(4), *linked]
    translation = " ".join(ENGLISH[k] for k in kept)
    src, tgt = word_tokens(source), word_tokens(translation)
    words = [k for k, w in enumerate(src) if has_words(source[w.start : w.end])]  # (and ،)
    links = tuple(Link(words[i], j, 1.0) for j, i in enumerate(kept))
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    return SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))


def test_a_clause_mostly_unlinked_is_an_omission_though_a_link_splits_its_run():
    # الأطفال الاقتصاد (4) الصناعة التجارة: a link inside the clause leaves runs of one and
    # two, too short for the run rules, but three of its four content words are unlinked.
    seg = clause_segment([5])
    words = seg.alignment.src_words
    clause = (words[5].start, words[8].end)  # (word 4 is the comma)
    check = O.OmissionCheck(min_missing=0, unrendered_gate=None)
    assert spans(check, seg, article_at(seg, 0.9)) == [clause]
    # as long as usual, or the clause rule off: nothing
    assert spans(check, seg, article_at(seg, 1.0)) == []
    off = O.OmissionCheck(min_missing=0, unrendered_gate=None, clause_gate=None)
    assert spans(off, seg, article_at(seg, 0.9)) == []
    # half of the clause linked is a free translation, not a left-out clause
    near = clause_segment([5, 7])
    assert spans(check, near, article_at(near, 0.85)) == []


def joined_segment(joiner: str, linked: list[int], extra: int = 0) -> SegmentInput:
    """Words 0-3 of the source, ``joiner``, words 4-7: a translation with a word for each
    of words 0-3 and of ``linked`` (4 to 7), linked one to one, then ``extra`` content
    words of its own, linked to nothing."""
    source = " ".join(ARABIC[:4]) + joiner + " ".join(ARABIC[4:8])
    kept = [*range(4), *linked]
    translation = " ".join(
        [*(ENGLISH[k] for k in kept), *(["purple", "green", "yellow", "orange"])[:extra]]
    )
    src, tgt = word_tokens(source), word_tokens(translation)
    words = [k for k, w in enumerate(src) if source[w.start : w.end] in ARABIC]
    links = tuple(Link(words[i], j, 1.0) for j, i in enumerate(kept))
    alignment = Alignment(src, tgt, links, span_pairs(links, src, tgt), "test")
    return SegmentInput(0, source, translation, PairAlignment(source, translation, alignment))


def test_a_clause_with_nothing_linked_is_an_omission_beside_a_few_unlinked_words():
    # الأطفال الاقتصاد الصناعة التجارة: no word of the clause is linked; the translation's
    # two words of its own (CLAUSE_FULL_MISSED: three at most) are the aligner's leftovers,
    # not a rendering of the clause (the run rule's balance would take them for one).
    seg = joined_segment("، ", [], extra=2)
    words = seg.alignment.src_words
    clause = (words[5].start, words[8].end)  # (word 4 is the comma)
    check = O.OmissionCheck(min_missing=0, unrendered_gate=None)
    assert spans(check, seg, article_at(seg, 0.9)) == [clause]
    # Near misses: a word of the clause linked (a free rendering of the rest, as likely), or
    # more unlinked translation words than CLAUSE_FULL_MISSED.
    near = joined_segment("، ", [5], extra=2)
    assert spans(check, near, article_at(near, 0.9)) == []
    many = joined_segment("، ", [], extra=4)
    assert spans(check, many, article_at(many, 0.9)) == []


@pytest.mark.parametrize("pronoun", ["التي", "والتي"])
def test_a_relative_pronoun_starts_a_clause(pronoun):
    # No punctuation: the relative pronoun alone ends the first clause, whose four words
    # are linked, and starts the second, of which three of four are unlinked.
    seg = joined_segment(f" {pronoun} ", [4])
    words = [w for w in seg.alignment.src_words if w.text in ARABIC]
    clause = (words[5].start, words[7].end)
    check = O.OmissionCheck(min_missing=0, unrendered_gate=None)
    assert spans(check, seg, article_at(seg, 0.9)) == [clause]
    # Near miss: a preposition in its place is no clause boundary; one clause of eight
    # content words, three unlinked, is no finding.
    near = joined_segment(" في ", [4])
    assert spans(check, near, article_at(near, 0.9)) == []
