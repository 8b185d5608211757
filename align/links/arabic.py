"""Arabic-aware units: matching forms and clitic splitting learned from a corpus.

Arabic writes several English words as one: و+ب+ال+بيت is "and in the house", كتاب+ه "his
book". Splitting proclitics (و ف ب ل ك س ال) and pronoun suffixes (ه ها هم ...) gives
English function words something to align to below the written word. Splits are checked
against the corpus being aligned (no lexicon ships with the toolkit):

- a prefix comes off only if the remainder is a word seen on its own (at least
  ``min_count`` times), and the whole word is not much more frequent than that remainder:
  واحد ("one") stays whole because it is far more common than و + احد would predict, and
  كريم stays whole because ريم is not a frequent word;
- the article ال comes off whenever the remainder is a known word, except in a short list
  of words that only look like article + word (الذي, التي, الله, ...);
- a pronoun suffix comes off under the same two conditions, with the ت of a feminine noun
  before a suffix (سيارته) checked as ة (سيارة);
- with Buckwalter's lexicon (``links.morphology``, the hybrid aligner's, when given), a
  cut every analysis of the form makes is made where the counts do not make it: و/ف, a
  preposition, the article, a pronoun suffix (والمعارك, بشكل, بيتهم); ل + ال when every
  analysis begins with ل and one reads the article (للحاكم), unless the counts cut ل
  alone; a form one analysis reads otherwise is left to the counts (وزير is a stem; كتابه
  is كتاب + ه or كتابة). Few words of a short text are frequent enough for the counts. Two
  cuts then come out otherwise than by the counts alone: an article every analysis has
  comes off before a suffix is looked for (الحالي: ال + حالي, not الحال + ي), and after و/ف
  whose analyses disagree (ولايات: a stem, or و + لآيات) a preposition or article that
  follows is no evidence for cutting و (docs/performance.md has the figures).

Normalization (diacritics, tatweel, alef forms, ى/ي, ة/ه, Arabic-Indic digits, Arabic
punctuation as Latin) is for
matching and counting only: every unit keeps offsets into the original text.

Hand-written because no maintained Python library does corpus-checked clitic splitting
with character offsets (CAMeL Tools needs downloaded morphology databases; Farasa is Java).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Harakat, superscript alef and Quranic annotation marks; tatweel.
# Vowel and Quranic marks, tatweel, and the invisible format characters a word can hold
# (soft hyphen, zero-width space, non-joiner and joiner, direction marks, word joiner,
# BOM): none of them changes the word.
_DIACRITICS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u00ad\u061c\u200b-\u200f\u2060\ufeff]"
)
_CHAR_MAP = str.maketrans(
    {
        # Punctuation as its Latin counterpart, so that ، and "," have one form.
        "،": ",",
        "؛": ";",
        "؟": "?",
        "٪": "%",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "\u0622": "\u0627",  # آ
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0671": "\u0627",  # ٱ
        "\u0649": "\u064a",  # ى → ي
        "\u0629": "\u0647",  # ة → ه
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended (Persian) digits
    }
)

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
FUTURE = "س"
IMPERFECT_PREFIXES = frozenset("يتنا")
ARTICLE = "ال"
# Longest first, so that هما is tried before ها and ه.
SUFFIXES = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ني", "ه", "ك", "ي")
# Words that start with ال but are not the article + a word.
NOT_ARTICLE = frozenset(
    (
        "الذي", "التي", "الذين", "اللذان", "اللتان", "اللذين", "اللتين", "اللاتي", "اللواتي",
        "اللائي", "الله", "اللهم", "الا", "الي", "الان", "الف", "اله",
    )
)  # fmt: skip
SUBJECT_PREFIXES = ("ا", "ت", "ي", "ن")  # imperfect verb: I / you, she / he / we
SUBJECT_SUFFIXES = ("تم", "وا", "ت")  # perfect verb: you (pl.) / they / I, you, she
MIN_STEM = 2


def normalize(text: str) -> str:
    """The matching form of Arabic text; never shown, only compared and counted."""
    return _DIACRITICS.sub("", unicodedata.normalize("NFC", text)).translate(_CHAR_MAP)


@functools.lru_cache(maxsize=4096)
def _normalize_char(ch: str) -> str:
    return normalize(ch)


def normalized_with_map(text: str) -> tuple[str, list[int]]:
    """``normalize(text)`` and, for each of its characters, the index it came from in ``text``.

    Characters are normalized one at a time so that each kept character maps back to its
    own position; dropped marks belong to the character before them.
    """
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in _normalize_char(ch):
            chars.append(c)
            where.append(i)
    return "".join(chars), where


_ARABIC_WORD = re.compile("[\u0621-\u064a\u0671-\u06d3]+")


def is_arabic_word(form: str) -> bool:
    return _ARABIC_WORD.fullmatch(form) is not None


@dataclass(frozen=True)
class Split:
    """A word cut into pieces: normalized forms and their [start, end) in the normalized word."""

    forms: tuple[str, ...]
    bounds: tuple[tuple[int, int], ...]


class CliticSplitter:
    """Splits normalized Arabic words into proclitics, stem and pronoun suffix.

    ``counts`` are normalized word counts from the text being aligned (plus any extra
    text); ``ratio`` bounds how much more frequent than its remainder a word may be and
    still be split (the remainder must explain the word). ``morphology``: Buckwalter's
    lexicon, which adds the cuts every analysis of a form makes; None splits by the counts
    alone.
    """

    def __init__(
        self,
        counts: Counter[str],
        min_count: int = 2,
        ratio: float = 1.0,
        verbs: bool = True,
        morphology=None,
    ) -> None:
        self.counts = counts
        # Buckwalter's lexicon (``links.morphology.Morphology``), or None: which splits of
        # a form its analyses allow.
        self.morphology = morphology
        self.verbs = verbs
        self.min_count = min_count
        self.ratio = ratio
        self._memo: dict[str, Split] = {}
        self._pieces: dict[str, tuple[tuple[str, int, int], ...]] = {}

    @classmethod
    def from_texts(cls, texts: Iterable[str], **kwargs) -> CliticSplitter:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w for w in normalize(text).split() if is_arabic_word(w))
        return cls(counts, **kwargs)

    @property
    def settings(self) -> dict:
        return {"min_count": self.min_count, "ratio": self.ratio, "vocabulary": len(self.counts)}

    def _analyses(self, form: str) -> frozenset[tuple[str, str, bool]]:
        """(prefix, suffix, pronoun) of the lexicon's analyses of ``form``; empty without one."""
        return self.morphology.splits(form) if self.morphology is not None else frozenset()

    def _lexicon_prefix(self, form: str, prefix: str) -> bool | None:
        """Whether every analysis of ``form`` begins with ``prefix`` (True), none does
        (False); None when the lexicon has no analysis or they disagree."""
        found = self._analyses(form)
        if not found:
            return None
        has = {p.startswith(prefix) for p, _, _ in found}
        return None if len(has) > 1 else has.pop()

    def _lexicon_article(self, form: str) -> bool:
        """Whether the lexicon reads ل + ال written لل (للحاكم): every analysis begins with ل
        and one with لل (the others read ل before a stem of ل: للقلق as ل + لقلق)."""
        found = self._analyses(form)
        return (
            bool(found)
            and all(p.startswith("ل") for p, _, _ in found)
            and any(p.startswith("لل") for p, _, _ in found)
        )

    def _lexicon_suffix(self, form: str, suffix: str) -> bool | None:
        """The same for a pronoun suffix: every analysis ends in the pronoun ``suffix``
        (True), none does (False), else None."""
        found = self._analyses(form)
        if not found:
            return None
        has = {pronoun and s.endswith(suffix) for _, s, pronoun in found}
        return None if len(has) > 1 else has.pop()

    def _known(self, form: str) -> bool:
        return len(form) >= MIN_STEM and self.counts[form] >= self.min_count

    def _explains(self, whole: str, rest: str) -> bool:
        """``rest`` is a known word at least ``1/ratio`` as frequent as ``whole``."""
        return self._known(rest) and self.counts[whole] <= self.ratio * self.counts[rest]

    def _with_article(self, word: str) -> str | None:
        """The word without its article, if it has one (للبيت → ل + ال + بيت handled by caller)."""
        if word.startswith(ARTICLE) and word not in NOT_ARTICLE:
            rest = word[len(ARTICLE) :]
            if self._known(rest) or self._known(self._stem_of(rest)):
                return rest
            if len(rest) >= MIN_STEM and self._lexicon_prefix(word, ARTICLE):
                return rest
        return None

    def _stem_of(self, word: str) -> str:
        """The word without a pronoun suffix when the corpus supports that split, else itself."""
        return self._suffix_split(word)[0]

    def _suffix_split(self, word: str) -> tuple[str, str]:
        """(the word without its pronoun suffix, the corpus form of that stem), or (word, word).

        The corpus form differs when a feminine ة became ت before the suffix: سيارتها has
        stem سيارت, counted as سياره (ة normalized to ه).
        """
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                rest = word[: -len(suffix)]
                candidates = [rest]
                if rest.endswith("ت"):
                    candidates.append(rest[:-1] + "ه")
                for key in candidates:
                    if self._explains(word, key):
                        return rest, key
                if self._lexicon_suffix(word, suffix):
                    return rest, max(candidates, key=lambda k: self.counts[k])
        return word, word

    def _verb_parts(self, stem: str) -> tuple[int, str]:
        """(length of a subject prefix, the stem without a subject suffix) of a verb.

        اريد = ا + ريد ("I want") when the corpus has the same stem with at least two other
        prefixes (تريد, يريد): the sign of an imperfect verb. ذهبت = ذهب + ت when ذهب is a
        known word and the stem also occurs with another subject suffix (ذهبوا).
        """
        marker = 0
        if stem[:1] in SUBJECT_PREFIXES and len(stem) > MIN_STEM + 1:
            rest = stem[1:]
            others = sum(self.counts[p + rest] > 0 for p in SUBJECT_PREFIXES if p != stem[0])
            if others >= 2:
                marker = 1
        for suffix in SUBJECT_SUFFIXES:
            base = stem[: -len(suffix)]
            if (
                stem.endswith(suffix)
                and len(base) > MIN_STEM
                and self._known(base)
                and any(self.counts[base + s] > 0 for s in SUBJECT_SUFFIXES if s != suffix)
            ):
                return marker, base
        return marker, stem

    def pieces(self, raw: str) -> tuple[tuple[str, int, int], ...]:
        """(matching form, start, end) of each piece of a word as written, offsets into it.

        The matching form is the normalized piece with Latin letters lowercased, as English
        forms are (a Latin token inside Arabic text matches its English twin).
        """
        found = self._pieces.get(raw)
        if found is None:
            norm, where = normalized_with_map(raw)
            if not norm:
                found = ((norm.lower(), 0, len(raw)),)
            else:
                split = self.split(norm)
                found = tuple(
                    (form.lower(), where[a], where[b] if b < len(where) else len(raw))
                    for form, (a, b) in zip(split.forms, split.bounds, strict=True)
                )
            self._pieces[raw] = found
        return found

    def split(self, word: str) -> Split:
        """Cut a normalized word; a word that is not Arabic letters comes back whole."""
        if word in self._memo:
            return self._memo[word]
        result = self._split(word)
        self._memo[word] = result
        return result

    def _split(self, word: str) -> Split:
        if word[:1] in PREPOSITIONS and word[1:] in SUFFIXES and word not in ("كي", "لكن"):
            return Split((word[:1], word[1:]), ((0, 1), (1, len(word))))  # له, لي, بها, لكم
        if not is_arabic_word(word) or len(word) <= MIN_STEM:
            return Split((word,), ((0, len(word)),))
        cuts: list[int] = []
        pos = 0
        rest = word

        def take(n: int) -> None:
            nonlocal pos, rest
            pos += n
            cuts.append(pos)
            rest = rest[n:]

        def acceptable(candidate: str, nested: bool = False) -> bool:
            """The word without its first letter is a real word (maybe with article/suffix)."""
            if self._explains(rest, candidate) or self._with_article(candidate) is not None:
                return True
            # Compare like with like: لكنه is لكن + ه, not ل + كن + ه, because لكن is
            # more frequent than كن.
            stem, key = self._suffix_split(candidate)
            if stem != candidate and self._explains(self._suffix_split(rest)[1], key):
                return True
            # و + بالتالي: after a conjunction, a preposition or article may follow.
            return nested and self.split(candidate).forms[0] in (*PREPOSITIONS, ARTICLE)

        said = self._lexicon_prefix(rest, rest[0]) if rest[0] in CONJUNCTIONS else None
        # Where the lexicon's analyses disagree (ولايات: a stem, or و + لآيات), the counts
        # decide, and a preposition the lexicon would cut after و is no evidence for و.
        nested = said is not None or not self._analyses(rest)
        if rest[0] in CONJUNCTIONS and (said or acceptable(rest[1:], nested=nested)):
            take(1)
        has_article = False
        if (
            rest.startswith("لل")
            and len(rest) > MIN_STEM + 1
            and rest not in NOT_ARTICLE
            and (
                self._known(rest[2:])
                or self._known(ARTICLE + rest[2:])
                # the lexicon reads ل + ال, and the counts do not cut ل alone (للجنه with
                # لجنه counted is ل + لجنه)
                or (self._lexicon_article(rest) and not acceptable(rest[1:]))
            )
        ):
            # ل + ال with the alef dropped: للبيت = ل + (ا)ل + بيت.
            take(1)
            take(1)
            has_article = True
        elif (
            rest[:1] in PREPOSITIONS
            and len(rest) > MIN_STEM
            and (acceptable(rest[1:]) or self._lexicon_prefix(rest, rest[0]))
            or (
                rest[:1] == FUTURE
                and rest[1:2] in IMPERFECT_PREFIXES
                and self._explains(rest, rest[1:])
            )
        ):
            take(1)
        if not has_article and self._with_article(rest) is not None:
            take(len(ARTICLE))
            has_article = True
        stem = self._stem_of(rest)
        if self.verbs and not has_article:
            marker, base = self._verb_parts(stem)
            if marker:
                cuts.append(pos + marker)
            if len(base) < len(stem):
                cuts.append(pos + len(base))
        if len(stem) < len(rest):
            cuts.append(pos + len(stem))
        bounds = []
        start = 0
        for cut in [*cuts, len(word)]:
            if cut > start:
                bounds.append((start, cut))
                start = cut
        return Split(tuple(word[a:b] for a, b in bounds), tuple(bounds))
