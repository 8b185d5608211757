"""Lexical links: what can be matched by form alone, without any training.

- punctuation and symbols of the same kind (، and ",", ؟ and "?", « and a double quote);
- numbers by value, in Arabic-Indic or Latin digits (٣٫٥ and 3.5, ١٬٠٠٠ and 1,000);
- Latin-script tokens written inside the Arabic text (BBC, iPhone), case-insensitively;
- names transliterated between scripts (واشنطن and Washington), by comparing consonant
  skeletons, for capitalized English words only;
- entries of an optional bilingual dictionary (a file of ``arabic<TAB>english`` lines).

When one form occurs several times on each side, occurrences pair up one to one, nearest
relative position first, so the first "،" links to the first ",".

Punctuation and numbers also constrain other methods: a punctuation unit links only to
punctuation (``kinds_agree``), since a comma is never the translation of a word.
Hand-written: no library matches numbers across digit systems or names across scripts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path

from align.errors import InputError
from align.links.arabic import is_arabic_word, normalize
from align.links.units import Side

EXACT = 1.0  # confidence of punctuation, number and Latin-token matches
DICTIONARY = 0.9
MIN_NAME_SIMILARITY = 0.75
MIN_SKELETON = 3

# Arabic letters as Latin consonant classes (vowel letters and weak consonants drop out).
_AR_LATIN = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "g", "ح": "", "خ": "k", "د": "d", "ذ": "d",
    "ر": "r", "ز": "s", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "s",
    "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n",
}  # fmt: skip
_EN_DIGRAPHS = (("ph", "f"), ("th", "t"), ("sh", "s"), ("kh", "k"), ("gh", "g"), ("dh", "d"))
_EN_LETTERS = str.maketrans({"c": "k", "q": "k", "j": "g", "z": "s", "v": "f", "p": "b", "x": "ks"})
_EN_DROP = re.compile("[aeiouwyh'’-]")
_QUOTES = frozenset("\"'«»“”„‘’‹›")


def kind(form: str) -> str:
    """'punct' for punctuation/symbol-only forms, 'number' for digit forms, else 'word'."""
    if form and all(unicodedata.category(c)[0] in "PS" for c in form):
        return "punct"
    if form and form[0].isdigit():
        return "number"
    return "word"


def kinds_agree(src_form: str, tgt_form: str) -> bool:
    """Whether a link between these two forms can be right: punctuation links only punctuation."""
    return (kind(src_form) == "punct") == (kind(tgt_form) == "punct")


def _punct_key(form: str) -> str:
    return '"' if form in _QUOTES or all(c in _QUOTES for c in form) else form


def _number_value(form: str) -> str | None:
    digits = normalize(form).replace("\u066b", ".").replace("\u066c", ",")
    if not digits[:1].isdigit():
        return None
    cleaned = digits.replace(",", "")
    return cleaned if re.fullmatch(r"\d+(?:[.:/]\d+)*", cleaned) else None


def arabic_skeleton(form: str) -> str:
    return re.sub(r"(.)\1+", r"\1", "".join(_AR_LATIN.get(c, "") for c in form))


def english_skeleton(word: str) -> str:
    w = word.lower()
    for a, b in _EN_DIGRAPHS:
        w = w.replace(a, b)
    w = _EN_DROP.sub("", w.translate(_EN_LETTERS))
    return re.sub(r"(.)\1+", r"\1", w)  # doubled letters are one sound


def name_similarity(arabic_form: str, english_word: str) -> float:
    a, e = arabic_skeleton(arabic_form), english_skeleton(english_word)
    if len(a) < MIN_SKELETON or len(e) < MIN_SKELETON:
        return 0.0
    return SequenceMatcher(None, a, e, autojunk=False).ratio()


class Dictionary:
    """Bilingual single-word entries, matched on normalized Arabic and lowercased English."""

    def __init__(self, entries: Iterable[tuple[str, str]] = ()) -> None:
        self.entries: set[tuple[str, str]] = set()
        self._by_arabic: dict[str, frozenset[str]] | None = None
        for ar, en in entries:
            self.entries.add((normalize(ar), en.lower()))

    @classmethod
    def read(cls, path: str | Path) -> Dictionary:
        from align.text import read_lines

        entries = []
        for n, line in enumerate(read_lines(path, "dictionary"), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [f.strip() for f in line.split("\t")]
            if len(fields) != 2 or any(len(f.split()) != 1 for f in fields):
                raise InputError(
                    f"{path}, line {n}: a dictionary line is one Arabic word, a tab and one "
                    f"English word, got {line!r}."
                )
            entries.append((fields[0].strip(), fields[1].strip()))
        return cls(entries)

    def __contains__(self, pair: tuple[str, str]) -> bool:
        return pair in self.entries

    def translations(self, arabic_form: str) -> frozenset[str]:
        """The English forms entered for a normalized Arabic form."""
        if self._by_arabic is None:
            index: dict[str, set[str]] = defaultdict(set)
            for ar, en in self.entries:
                index[ar].add(en)
            self._by_arabic = {k: frozenset(v) for k, v in index.items()}
        return self._by_arabic.get(arabic_form, frozenset())

    def __len__(self) -> int:
        return len(self.entries)


def _assign(
    candidates: dict[tuple[int, int], float], n_src: int, n_tgt: int
) -> dict[tuple[int, int], float]:
    """One to one: best score first, then nearest relative position; ties by index."""

    def distance(x: tuple[int, int]) -> float:
        return abs((x[0] + 0.5) / max(n_src, 1) - (x[1] + 0.5) / max(n_tgt, 1))

    chosen: dict[tuple[int, int], float] = {}
    used_s: set[int] = set()
    used_t: set[int] = set()
    for x in sorted(candidates, key=lambda x: (-candidates[x], distance(x), x)):
        if x[0] not in used_s and x[1] not in used_t:
            chosen[x] = candidates[x]
            used_s.add(x[0])
            used_t.add(x[1])
    return chosen


def _capitalized(side: Side, j: int) -> bool:
    text = side.text[side.units[j].start : side.units[j].end]
    return text[:1].isupper() and any(c.islower() for c in text[1:]) or text.isupper()


def lexical_links(
    src: Side, tgt: Side, dictionary: Dictionary | None = None
) -> dict[tuple[int, int], float]:
    """Unit links found by form alone, each with its confidence.

    Exact matches (punctuation, numbers, Latin tokens, dictionary entries) are looked up by
    key, so only names are compared pair by pair, and only Arabic words with capitalized
    English words."""
    by_punct: dict[str, list[int]] = defaultdict(list)
    by_value: dict[str, list[int]] = defaultdict(list)
    by_form: dict[str, list[int]] = defaultdict(list)
    names: list[tuple[int, str]] = []  # capitalized English units and their skeletons
    for j, t in enumerate(tgt.forms):
        if kind(t) == "punct":
            by_punct[_punct_key(t)].append(j)
        value = _number_value(t)
        if value is not None:
            by_value[value].append(j)
        by_form[t].append(j)
        if _capitalized(tgt, j):
            skeleton = english_skeleton(tgt.text[tgt.units[j].start : tgt.units[j].end])
            if len(skeleton) >= MIN_SKELETON:
                names.append((j, skeleton))
    candidates: dict[tuple[int, int], float] = {}
    similarity: dict[tuple[str, str], float] = {}
    for i, s in enumerate(src.forms):
        s_kind = kind(s)
        s_value = _number_value(s) if s_kind == "number" else None
        if s_kind == "punct":
            candidates.update(((i, j), EXACT) for j in by_punct.get(_punct_key(s), ()))
        elif s_value is not None:
            candidates.update(((i, j), EXACT) for j in by_value.get(s_value, ()))
        elif not is_arabic_word(s):
            if any(c.isalpha() for c in s):
                candidates.update(((i, j), EXACT) for j in by_form.get(s, ()))
        else:
            in_dictionary = set()
            if dictionary is not None:
                for english in dictionary.translations(s):
                    in_dictionary.update(by_form.get(english, ()))
                candidates.update(((i, j), DICTIONARY) for j in in_dictionary)
            skeleton = arabic_skeleton(s)
            if len(skeleton) < MIN_SKELETON:
                continue
            for j, english in names:
                if j in in_dictionary:
                    continue
                key = (skeleton, english)
                if key not in similarity:
                    similarity[key] = SequenceMatcher(None, *key, autojunk=False).ratio()
                if similarity[key] >= MIN_NAME_SIMILARITY:
                    candidates[(i, j)] = similarity[key]
    return _assign(candidates, len(src.units), len(tgt.units))
