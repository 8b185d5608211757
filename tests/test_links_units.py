"""Arabic normalization, corpus-checked clitic splitting, units and their offsets."""

from __future__ import annotations

from collections import Counter

import pytest

from align.links.arabic import CliticSplitter, normalize, normalized_with_map
from align.links.base import Alignment, Link
from align.links.methods import build_alignment, prepare
from align.links.units import (
    arabic_forms,
    arabic_side,
    english_forms,
    english_side,
    given_tokens,
)

# ---------------------------------------------------------------- normalization


def test_normalize_removes_diacritics_and_tatweel():
    assert normalize("مُحَمَّدٌ") == "محمد"
    assert normalize("كتـــاب") == "كتاب"
    assert normalize("الْكِتَـابُ") == "الكتاب"
    # superscript (dagger) alef
    assert normalize("هٰذا") == "هذا"


@pytest.mark.parametrize("mark", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u200f", "\u2060"])
def test_normalize_removes_invisible_format_characters_inside_a_word(mark):
    """A soft hyphen or a zero-width (non-)joiner changes nothing a reader sees: the word
    is the word (موسكو with one inside was no name, 2‌8 no 28)."""
    assert normalize(f"موس{mark}كو") == "موسكو"
    assert normalize(f"2{mark}8") == "28"
    text = f"في موس{mark}كو"
    form, where = normalized_with_map(text)
    assert form == "في موسكو" and text[where[-1]] == "و"


def test_normalize_unifies_alef_forms_and_letters():
    assert normalize("أإآٱا") == "ااااا"
    assert normalize("أحمد") == normalize("احمد") == "احمد"
    assert normalize("على") == "علي"  # ى → ي
    assert normalize("مدرسة") == "مدرسه"  # ة → ه


def test_normalize_digits_to_latin():
    assert normalize("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize("۱۲۳") == "123"  # extended (Persian) digits
    assert normalize("عام ٢٠٢٤") == "عام 2024"


def test_normalize_leaves_latin_text_alone():
    assert normalize("BBC 3.5") == "BBC 3.5"


def test_normalized_with_map_points_into_the_original():
    raw = "كِتـَاب"
    norm, where = normalized_with_map(raw)
    assert norm == "كتاب"
    assert [raw[i] for i in where] == list("كتاب")
    assert where == sorted(where)


# ---------------------------------------------------------------- clitic splitting


def _splitter(**counts: int) -> CliticSplitter:
    return CliticSplitter(Counter(counts))


COUNTS = {
    "بيت": 6,
    "كتاب": 6,
    "ولد": 4,
    "البيت": 3,
    "وكتاب": 2,
    "بالبيت": 1,
    "للبيت": 1,
    "كتابه": 2,
    "سياره": 3,
    "سيارتها": 1,
}


@pytest.fixture
def splitter() -> CliticSplitter:
    return CliticSplitter(Counter(COUNTS))


@pytest.mark.parametrize(
    "word, forms",
    [
        ("وكتاب", ("و", "كتاب")),  # conjunction
        ("البيت", ("ال", "بيت")),  # article
        ("بالبيت", ("ب", "ال", "بيت")),  # preposition + article
        ("للبيت", ("ل", "ل", "بيت")),  # ل + ال with its alef dropped
        ("والبيت", ("و", "ال", "بيت")),
        ("وبالبيت", ("و", "ب", "ال", "بيت")),
        ("كتابه", ("كتاب", "ه")),  # pronoun suffix
        ("بكتابه", ("ب", "كتاب", "ه")),
        ("سيارتها", ("سيارت", "ها")),  # ت before a suffix checked as ة
        ("له", ("ل", "ه")),
        ("بها", ("ب", "ها")),
    ],
)
def test_splits_supported_by_the_corpus(splitter, word, forms):
    split = splitter.split(word)
    assert split.forms == forms
    assert "".join(split.forms) == word
    assert [word[a:b] for a, b in split.bounds] == list(forms)


def test_frequent_whole_word_stays_whole():
    # واحد ("one") is far more frequent than احد: not و + احد.
    sp = _splitter(واحد=50, احد=3)
    assert sp.split("واحد").forms == ("واحد",)
    # The same word is split when the remainder explains it.
    sp = _splitter(واحد=3, احد=50)
    assert sp.split("واحد").forms == ("و", "احد")


def test_word_whose_remainder_is_rare_stays_whole():
    # كريم is not ك + ريم when ريم is rare (below min_count) ...
    assert _splitter(كريم=5, ريم=1).split("كريم").forms == ("كريم",)
    # ... nor when ريم is known but much less frequent than كريم.
    assert _splitter(كريم=10, ريم=3).split("كريم").forms == ("كريم",)


def test_unknown_remainder_stays_whole(splitter):
    assert splitter.split("وزقزق").forms == ("وزقزق",)
    assert splitter.split("بزقزق").forms == ("بزقزق",)
    assert splitter.split("الزقزق").forms == ("الزقزق",)
    assert splitter.split("زقزقه").forms == ("زقزقه",)


def test_words_that_only_look_like_article_stay_whole():
    sp = _splitter(ذي=10, له=10, تي=10)
    for word in ("الذي", "الله", "التي"):
        assert sp.split(word).forms == (word,)


def test_non_arabic_and_short_words_stay_whole(splitter):
    for word in ("BBC", "3.5", "،", "وب"):
        assert splitter.split(word).forms == (word,)


def test_from_texts_counts_normalized_words():
    sp = CliticSplitter.from_texts(["الكِتَابُ كتاب", "كتـاب BBC"])
    assert sp.counts["كتاب"] == 2
    assert sp.counts["الكتاب"] == 1
    assert "BBC" not in sp.counts
    assert sp.split("الكتاب").forms == ("ال", "كتاب")


# ---------------------------------------------------------------- units and offsets


def _texts(side):
    return [side.text[u.start : u.end] for u in side.units]


def _check_offsets(side):
    for u in side.units:
        assert 0 <= u.start < u.end <= len(side.text)
    for w in side.words:
        assert 0 <= w.start < w.end <= len(side.text)
    # Units of a word tile it exactly.
    for k, w in enumerate(side.words):
        mine = [u for u, word in zip(side.units, side.unit_word, strict=True) if word == k]
        assert mine, f"word {k} has no unit"
        assert mine[0].start == w.start and mine[-1].end == w.end
        for a, b in zip(mine, mine[1:], strict=False):
            assert a.end == b.start


def test_arabic_units_are_slices_of_the_original_text(splitter):
    text = "وَالْبَيْتُ كتـــابُهُ، بالبيت!"
    side = arabic_side(text, splitter)
    _check_offsets(side)
    assert _texts(side) == ["وَ", "الْ", "بَيْتُ", "كتـــابُ", "هُ", "،", "ب", "ال", "بيت", "!"]
    assert list(side.forms) == ["و", "ال", "بيت", "كتاب", "ه", ",", "ب", "ال", "بيت", "!"]
    assert list(side.unit_word) == [0, 0, 0, 1, 1, 2, 3, 3, 3, 4]
    # Normalizing a unit's original text gives its form (for Arabic words).
    for unit_text, form in zip(_texts(side), side.forms, strict=True):
        if form not in (",", "!"):
            assert normalize(unit_text) == form


def test_tatweel_between_clitic_and_stem_stays_in_the_clitic(splitter):
    text = "بـالـبيت"
    side = arabic_side(text, splitter)
    _check_offsets(side)
    assert list(side.forms) == ["ب", "ال", "بيت"]
    assert _texts(side) == ["بـ", "الـ", "بيت"]


def test_offsets_are_into_the_original_with_leading_text(splitter):
    text = "  كِتَابُهُ   وَكِتَاب"
    side = arabic_side(text, splitter)
    _check_offsets(side)
    assert _texts(side) == ["كِتَابُ", "هُ", "وَ", "كِتَاب"]
    assert side.units[0].start == 2


def test_without_splitter_units_are_words():
    text = "وَالْبَيْتُ كبير"
    side = arabic_side(text, None)
    assert side.units == side.words
    assert list(side.forms) == ["والبيت", "كبير"]


def test_arabic_forms_match_arabic_side(splitter):
    text = "وَالْبَيْتُ كتابه ؟ ١٢"
    assert arabic_forms(text, splitter) == list(arabic_side(text, splitter).forms)
    assert arabic_forms(text, splitter)[-2:] == ["?", "12"]


def test_english_contraction_is_two_units_of_one_word():
    text = "I don't know."
    side = english_side(text)
    _check_offsets(side)
    assert _texts(side) == ["I", "do", "n't", "know", "."]
    assert list(side.forms) == ["i", "do", "n't", "know", "."]
    assert list(side.unit_word) == [0, 1, 1, 2, 3]
    assert [text[w.start : w.end] for w in side.words] == ["I", "don't", "know", "."]


def test_english_contractions_other_forms():
    side = english_side("It’s John's, we'll see")
    assert list(side.forms) == ["it", "'s", "john", "'s", ",", "we", "'ll", "see"]
    assert english_forms("It’s John's, we'll see") == list(side.forms)
    # Contractions can be turned off.
    assert list(english_side("don't", contractions=False).forms) == ["don't"]


def test_word_pharaoh_refers_to_words_not_units():
    src = arabic_side("لا أعرف", None)
    tgt = english_side("I don't know")
    assert len(tgt.units) == 4 and len(tgt.words) == 3
    # لا → do and n't (units 1 and 2); أعرف → know (unit 3), I (unit 0).
    links = {(0, 1): 0.6, (0, 2): 0.9, (1, 3): 0.8, (1, 0): 0.7}
    alignment = build_alignment(src, tgt, links, "test")
    assert alignment.pharaoh() == "0-1 0-2 1-0 1-3"
    assert alignment.word_pharaoh() == "0-1 1-0 1-2"
    merged = alignment.word_links()[(0, 1)]
    assert merged.confidence == pytest.approx(0.9)
    js = alignment.to_json()
    assert js["tgt_unit_word"] == [0, 1, 1, 2]
    assert js["tgt_words"] == [[0, 1], [2, 7], [8, 12]]
    assert len(js["links"]) == 4


def test_word_links_sure_wins_over_possible():
    alignment = Alignment(
        src_tokens=(),
        tgt_tokens=(),
        links=(Link(0, 0, 0.9, sure=False), Link(1, 0, 0.2, sure=True)),
        spans=(),
        method="t",
        src_word=(0, 0),
        tgt_word=(0,),
    )
    (link,) = alignment.word_links().values()
    assert link.sure and link.confidence == pytest.approx(0.9)
    assert alignment.word_pharaoh() == "0-0"


# ---------------------------------------------------------------- pretokenized


def test_given_tokens_are_space_separated():
    text = " ذهب  الولد. don't "
    tokens = given_tokens(text)
    assert [text[t.start : t.end] for t in tokens] == ["ذهب", "الولد.", "don't"]


def test_pretokenized_words_are_given_tokens_and_units_still_split():
    pairs = [("ذهب الولد .", "The boy went ."), ("ولد", "boy"), ("ولد", "boy")]
    data = prepare(pairs, pretokenized=True)
    src = data.src[0]
    assert [src.text[w.start : w.end] for w in src.words] == ["ذهب", "الولد", "."]
    # ال is split internally but both pieces belong to word 1.
    assert list(src.forms) == ["ذهب", "ال", "ولد", "."]
    assert list(src.unit_word) == [0, 1, 1, 2]
    # Not pretokenized, "don't." is three words; pretokenized, one token.
    assert len(english_side("don't.", pretokenized=True).words) == 1
    assert len(english_side("don't.").words) == 2
