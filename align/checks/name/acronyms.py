"""Acronyms of the translation: one no source word explains, and one that holds a source
name with a word beside it (UCLA for جامعة كاليفورنيا).
"""

from __future__ import annotations

import re

from align.checks.dictionary import glossed
from align.checks.name.proper import _country_acronyms, _names_only, _nisba_name
from align.checks.name.spelling import (
    _at_opening,
    _common,
    _is_nisba,
    _same_skeleton,
    _similar,
    _unpossessive,
)
from align.checks.name.thresholds import WORD_LINK
from align.checks.words import holds as _acronym_holds
from align.checks.words import is_arabic_function_word
from align.links.arabic import ARTICLE, normalize
from align.links.lexical import (
    arabic_skeleton,
    english_skeleton,
)

# The fewest letters an acronym (a plural's s left off) must have to count for the link
# rules and ``_one_lost_one_unexplained``: US, UN, EU render a phrase too often. On FLORES
# seed 1 (for tuning), 2 instead of 3: name P 0.912 → 0.897 at the same recall, more clean
# lines with a finding of any check (3.46% → 3.62%); seed 0 and the news article unchanged.
MIN_ACRONYM = 3


# How Arabic writes the names of the Latin letters (normalized): an acronym spelled out
# (كيو في سي, "QVC"; إيه بي سي, "ABC").
_LETTER_NAMES = frozenset(
    normalize(w)
    for w in (
        "إيه", "ايه", "بي", "سي", "دي", "إي", "إف", "اف", "جي", "إتش", "اتش", "آي", "جاي", "جيه",
        "كي", "كيه", "إل", "إم", "ام", "إن", "أو", "كيو", "آر", "ار", "إس", "اس", "تي", "يو",
        "في", "دبليو", "إكس", "اكس", "واي", "زد", "زي",
    )
)  # fmt: skip


# Tried and dropped: an acronym rule of its own, flagging an acronym that no run of source
# words spells (one letter a word, the initials of their glosses) where it is linked to a
# name, a country or a word the dictionary lacks that the translation renders nowhere,
# without the looser excuses below (a nisba, a word the dictionary lacks). On the stored
# alignments for tuning it found four more swaps (name R 0.882 → 0.912 on FLORES seed 0,
# 0.806 → 0.836 on seed 1: METI for الصين, GMT for الخليل), on the held-out ones none, and it
# took correct acronyms of other languages, whose letters no English gloss gives, for swaps:
# ANSA for الإيطالية, TASS, DPA, NHK, KGB, PKK for الكردستاني, YPG, HTS for الشام.
def _unexplained_acronyms(translation, parts, arabic, glosses, latin) -> list:
    """(start, end, word) of the acronyms (``MIN_ACRONYM`` letters or more, two capitals
    or more: METI, ZMapp) in the middle of a sentence that no source word explains: not
    in the source in Latin script, no gloss or letters of a source word (ناسا, "NASA"),
    and no source word the alignment links to it (``WORD_LINK``) has a gloss that begins
    with one of its letters (جرينتش, greenwich: "GMT")."""
    out = []
    if parts is None:
        return out
    src_words, tgt_words, links = parts
    index_at = {(s, e): k for k, (s, e, _) in enumerate(arabic)}
    for j, t in enumerate(tgt_words):
        token = translation[t.start : t.end]
        w = _unpossessive(token)
        letters = re.sub(r"(?<=[A-Z])s$", "", w)  # a plural: MPs
        if not (letters.isalpha() and letters.isupper() and len(letters) >= MIN_ACRONYM):
            continue  # (KwaZulu, McFarland: names written in two parts)
        if not w[:1].isupper() or _at_opening(translation, t.start) or w.lower() in latin:
            continue
        if any(glossed(w, glosses[a]) or _spelled_acronym(a, glosses[a], w) for _, _, a in arabic):
            continue
        letters = set(w.lower())
        linked_at = [  # the source words linked to it (index in ``arabic``)
            index_at[at]
            for (i, jj), link in links.items()
            if jj == j and link.confidence >= WORD_LINK and 0 <= i < len(src_words)
            for at in [(src_words[i].start, src_words[i].end)]
            if at in index_at
        ]
        linked_at = [k for k in linked_at if not is_arabic_function_word(arabic[k][2])]
        linked = [arabic[k][2] for k in linked_at]
        # A common word's gloss that begins with one of its letters may be a word of its
        # expansion (product, the P of GDP); a name's initial alone explains nothing
        # (``_a_names_acronym``: "BCE" linked to أوروبا, europe)
        named = [
            k for k in linked_at if glosses[arabic[k][2]] and _names_only(glosses[arabic[k][2]])
        ]
        common = [arabic[k][2] for k in linked_at if k not in named]
        if any(g[:1] in letters for a in common for g in glosses[a]):
            continue
        if any(_a_names_acronym(k, arabic, glosses, w) for k in named):
            continue
        if any(normalize(a) in _LETTER_NAMES for a in linked):
            continue  # the letters' names: كيو في سي, "QVC"
        if any(_a_nations_body(k, arabic, glosses, letters) for k in linked_at):
            continue  # a nation's body: PIF beside السعودي, IRGC beside الإيراني
        if any(not glosses[a] for a in linked):
            continue  # a verb the dictionary knows by another form (وذكرت, "INA reported")
        if any(_initial_in(a, glosses[a], letters) for a in linked):
            continue  # an expansion Arabic spells: AFP for فرانس برس, FSB for الفيدرالي
        out.append((t.start, t.end, w))
    return out


def _a_names_acronym(k: int, arabic, glosses: dict, acronym: str) -> bool:
    """Whether an acronym linked to the name ``arabic[k]`` ((start, end, word) in order)
    may stand for it: it is the country's own (``proper._country_acronyms``: USA for
    أمريكا, PRC for الصين), or it holds the name with a word beside it, the initials of a
    gloss of each in a row, either way round, the word the nearest content word on either
    side (as ``_in_an_acronym``: NATO for شمال الأطلسي, north, atlantic). The name's
    initial alone is no expansion: "BCE" linked to أوروبا (europe), "NSA" to هولندا
    (netherlands) stand where the name was. On a fresh FLORES alignment made for tuning
    (seed 6), name R 0.79 → 0.82, nothing else moved on the stored alignments made for
    tuning or held out, and no more clean lines. Left flagged: a country's body by its
    initials, linked to the country alone (BOC for بنك الصين where the aligner leaves بنك
    out); linked to its head noun as well, the noun's gloss explains it."""
    letters = re.sub(r"(?<=[A-Z])s$", "", acronym).upper()
    table = _country_acronyms()
    if any(letters in table.get(g, ()) for g in glosses[arabic[k][2]]):
        return True

    def initials(i: int) -> set[str]:
        return {g[:1].upper() for g in glosses.get(arabic[i][2], ()) if g[:1].isalpha()}

    # the nearest content word on either side: a particle's glosses are many and odd
    # (إلى: "robotic"), and would give most acronyms a pair
    content = [i for i, (_, _, a) in enumerate(arabic) if not is_arabic_function_word(a)]
    at = content.index(k) if k in content else None
    if at is None:
        return False
    near = [content[n] for n in (at - 1, at + 1) if 0 <= n < len(content)]
    beside = set().union(*(initials(i) for i in near))
    return any(a + b in letters or b + a in letters for a in initials(k) for b in beside)


def _a_nations_body(k: int, arabic, glosses: dict, letters: set[str]) -> bool:
    """Whether the source word ``arabic[k]`` ((start, end, word) in order), linked to an
    acronym, is a nisba that may name a body of its nation with the acronym: a nisba of
    no country or name the dictionary knows (القومي), one whose country's names, capital
    or people (``_nisba_name``) begin with one of the acronym's ``letters`` (USAF beside
    الأمريكية: United States), or one of the two content words before which (its noun
    phrase) has a gloss that does (ANSA for وكالة الأنباء الإيطالية: agency). "NSA" linked
    to طول الجسر الروماني (length, pons; Romania) stands where "Romanian" was."""
    a = arabic[k][2]
    if not _is_nisba(normalize(a)):
        return False
    named = _nisba_name(a, glosses[a])
    if named is None or any(n[:1] in letters for n in named[1]):
        return True
    before = [b for _, _, b in arabic[:k] if not is_arabic_function_word(b)][-2:]
    return any(g[:1] in letters for b in before for g in glosses.get(b, ()))


def _acronym_indices(parts, acronyms) -> set[int]:
    """The translation words (alignment indices) of the ``acronyms`` ((start, end, word),
    ``_unexplained_acronyms``); none without an alignment."""
    if parts is None or not acronyms:
        return set()
    spans = {(s, e) for s, e, _ in acronyms}
    return {j for j, t in enumerate(parts[1]) if (t.start, t.end) in spans}


def _initial_in(arabic: str, glosses: set[str], letters: set[str]) -> bool:
    """Whether a source word the dictionary does not know, or knows by names only, begins
    (past its article) with a consonant one of the acronym's ``letters`` writes: the
    Arabic spells a word of the expansion (برس, "Presse", for the P of AFP)."""
    if any(_common(g) for g in glosses):
        return False
    skeleton = arabic_skeleton(normalize(arabic).removeprefix(ARTICLE))
    return bool(skeleton) and any(english_skeleton(x)[:1] == skeleton[0] for x in letters)


def _spelled_acronym(arabic: str, glosses: set[str], acronym: str) -> bool:
    """Whether the source word writes the acronym as a word (ناسا, "NASA"; ناتو, "NATO"):
    its letters transliterate it, and the dictionary knows it by no common gloss (مات,
    died, has the skeleton of "METI" by chance)."""
    return (_similar(arabic, acronym) or _same_skeleton(arabic, acronym)) and not any(
        _common(g) for g in glosses
    )


def _in_an_acronym(at: tuple[int, int], arabic, glosses: dict, translation: str) -> bool:
    """Whether the translation has an acronym of ``MIN_ACRONYM`` capitals or more that
    holds the source word at ``at`` (its span; ``arabic``: the source's words in order)
    with a word beside it: two letters in a row, the initials of a gloss of each, either
    way round (UCLA for جامعة كاليفورنيا: university, california). One letter anywhere would
    let CNN or NBC hold كاليفورنيا, and two-letter acronyms "US" hold سوريا."""
    k = next((i for i, (s, e, _) in enumerate(arabic) if (s, e) == at), None)
    if k is None:
        return False

    def initials(i: int) -> set[str]:
        return {g[:1].upper() for g in glosses.get(arabic[i][2], ()) if g[:1].isalpha()}

    mine = initials(k)
    beside = set().union(*(initials(i) for i in (k - 1, k + 1) if 0 <= i < len(arabic)))
    pairs = {a + b for a in mine for b in beside} | {b + a for a in mine for b in beside}
    acronyms = re.findall(rf"\b[A-Z]{{{MIN_ACRONYM},}}\b", translation)
    if any(p in x for x in acronyms for p in pairs):
        return True
    # or one that spells a run of words in a row holding it, as the omission check reads
    # one (``words.holds``: UNIFIL for قوة الأمم المتحدة المؤقتة في لبنان)
    every = [initials(i) for i in range(len(arabic))]
    return any(_acronym_holds(every, k, x) for x in acronyms)
