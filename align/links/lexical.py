"""Lexical links: what can be matched by form alone, without any training.

- punctuation and symbols of the same kind (، and ",", ؟ and "?", « and a double quote);
- numbers by value, in Arabic-Indic or Latin digits (٣٫٥ and 3.5, ١٬٠٠٠ and 1,000);
- Latin-script tokens written inside the Arabic text (BBC, iPhone), case-insensitively;
- month names (مارس and آذار are both March);
- names transliterated between scripts (واشنطن and Washington), by comparing consonant
  skeletons, when both sides look like names: the English word is capitalized (and, at the
  start of a sentence, not a word lemminflect knows), the skeletons are of near-equal
  length, and the Arabic word is not a month name, not a nisba adjective with the article
  (الأمريكي, unless the English word is one too: American) and not a word of the background
  dictionary, unless the match is near-exact;
- entries of an optional bilingual dictionary (a file of ``arabic<TAB>english`` lines).

When one form occurs several times on each side, occurrences pair up one to one, nearest
relative position first, so the first "،" links to the first ",".

Punctuation and numbers also constrain other methods: a punctuation unit links only to
punctuation (``kinds_agree``), since a comma is never the translation of a word.
Hand-written: no library matches numbers across digit systems or names across scripts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from pathlib import Path

from align.errors import InputError, clipped
from align.links.arabic import is_arabic_word, normalize
from align.links.units import Side

EXACT = 1.0  # confidence of punctuation, number and Latin-token matches
DICTIONARY = 0.9
MIN_NAME_SIMILARITY = 0.75
# A word the background dictionary knows is a common word: it is taken as a name only on a
# near-exact skeleton match (كيربي and Kirby, not الامن and "Amman").
MIN_KNOWN_WORD_SIMILARITY = 0.9
MIN_SKELETON = 3
# Skeleton lengths of a name and its transliteration differ by at most this share.
MAX_SKELETON_GAP = 0.34
# Month names, normalized (ة→ه, أ→ا, ى→ي): the Gregorian names used in Egypt and the Gulf
# and the Syriac ones used in the Levant and Iraq (two-word ones such as تشرين الاول are
# left out: their first word alone is ambiguous; اب "August" is also "father").
MONTHS = {
    "يناير": "january", "فبراير": "february", "مارس": "march", "ابريل": "april",
    "مايو": "may", "يونيو": "june", "يونيه": "june", "يوليو": "july", "يوليه": "july",
    "اغسطس": "august", "سبتمبر": "september", "اكتوبر": "october", "نوفمبر": "november",
    "ديسمبر": "december", "شباط": "february", "اذار": "march", "نيسان": "april",
    "ايار": "may", "حزيران": "june", "تموز": "july", "ايلول": "september",
}  # fmt: skip
NISBA_AR = re.compile(r"^(?:[وفبلك]?ال).{2,}(?:ي|يه|يين|يون|يات)$")
NISBA_END = re.compile(r"(?:ي|يه|يين|يون|يات)$")
NISBA_EN = re.compile(r"(?:ian|an|ese|i|ish|ic|al|ch)s?$")
MIN_GLOSSED_SKELETON = 2

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


def _with_and_without_article(form: str) -> tuple[str, ...]:
    """A normalized form, and without its article where three letters stay: الهجوم and
    هجوم, but not الآن (an), nor الله (lh), which would be other words. A leading و or ف is
    left on: وجود is no و + جود."""
    form = normalize(form)
    if form.startswith("ال") and len(form) - 2 >= 3:
        return form, form[2:]
    return (form,)


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
            if (
                len(fields) != 2
                or any(len(f.split()) != 1 for f in fields)
                or not is_arabic_word(normalize(fields[0]))
                or not re.search("[A-Za-z]", fields[1])
            ):
                raise InputError(
                    f"{path}, line {n}: a dictionary line is one Arabic word, a tab and one "
                    f"English word, got {clipped(line)}."
                )
            entries.append((fields[0].strip(), fields[1].strip()))
        if not entries:
            raise InputError(f"{path} holds no dictionary line (one Arabic word, a tab and one "
                             "English word a line).")  # fmt: skip
        return cls(entries)

    def __contains__(self, pair: tuple[str, str]) -> bool:
        return pair in self.entries

    def translations(self, arabic_form: str) -> frozenset[str]:
        """The English forms entered for a normalized Arabic form. Both sides are matched
        with and without the article (``_with_and_without_article``), so an entry matches
        whether or not the clitic splitter, whose splits depend on the rest of the text,
        took it off the text's word: الهجوم and هجوم are one entry."""
        if self._by_arabic is None:
            index: dict[str, set[str]] = defaultdict(set)
            for ar, en in self.entries:
                for key in _with_and_without_article(ar):
                    index[key].add(en)
            self._by_arabic = {k: frozenset(v) for k, v in index.items()}
        found: set[str] = set()
        for key in _with_and_without_article(arabic_form):
            found |= self._by_arabic.get(key, frozenset())
        return frozenset(found)

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
    return _uncrossed(chosen, candidates)


def _uncrossed(
    chosen: dict[tuple[int, int], float], candidates: dict[tuple[int, int], float]
) -> dict[tuple[int, int], float]:
    """Two chosen links that cross, where the crossing pairs are candidates of the same
    scores (a form said twice on each side: an opening and a closing quote, two commas),
    are swapped to keep the order of both texts: nearest relative position, taken greedily,
    can pair the first quote with the second when the texts differ in length. Each swap
    removes at least one crossing, so this ends."""
    links = sorted(chosen)
    swapped = True
    while swapped:
        swapped = False
        for m, (a, b) in enumerate(links):
            for n in range(m + 1, len(links)):
                c, d = links[n]
                if c > a and d < b and (
                    candidates.get((a, d)) == chosen[(a, b)] == candidates.get((c, b))
                    == chosen[(c, d)]
                ):  # fmt: skip
                    score = chosen.pop((a, b))
                    chosen.pop((c, d))
                    chosen[(a, d)] = chosen[(c, b)] = score
                    links[m], links[n] = (a, d), (c, b)
                    b = d
                    swapped = True
    return chosen


def _capitalized(side: Side, j: int) -> bool:
    text = side.text[side.units[j].start : side.units[j].end]
    return text[:1].isupper() and any(c.islower() for c in text[1:]) or text.isupper()


_MONTH_NAMES = frozenset(MONTHS.values())
# English words lemminflect does not list (it knows nouns, verbs, adjectives and adverbs)
# that start sentences and have skeletons long enough to look like names.
FUNCTION_WORDS = frozenset(
    [
        "after",
        "before",
        "during",
        "while",
        "when",
        "where",
        "which",
        "whose",
        "whom",
        "because",
        "although",
        "though",
        "since",
        "until",
        "unless",
        "about",
        "above",
        "across",
        "against",
        "along",
        "among",
        "around",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "despite",
        "except",
        "inside",
        "into",
        "near",
        "onto",
        "over",
        "through",
        "throughout",
        "toward",
        "towards",
        "under",
        "upon",
        "within",
        "without",
        "however",
        "meanwhile",
        "moreover",
        "therefore",
        "thus",
        "nevertheless",
        "nonetheless",
        "these",
        "those",
        "this",
        "that",
        "there",
        "their",
        "theirs",
        "them",
        "they",
        "whatever",
        "whenever",
        "wherever",
        "whether",
    ]
)


def exact_match(src_form: str, tgt_form: str) -> bool:
    """Whether a lexical link between these forms is by identity (punctuation, number,
    Latin token, month), as opposed to a name or dictionary match, which can be wrong."""
    return (
        kind(src_form) != "word" or not is_arabic_word(src_form) or MONTHS.get(src_form) == tgt_form
    )


_NISBA_SUFFIX = re.compile(r"(?:ian|ese|an|n|i)$")


def _glossed(glosses: dict[str, float], english: str) -> bool:
    """Whether the dictionary gives this English word, or the place its adjective is named
    after (إفريقيا: Africa, so "African"), for the Arabic word."""
    from align.links.background import lemmas

    if any(lemma in glosses for lemma in lemmas(english)):
        return True
    stem = _NISBA_SUFFIX.sub("", english)
    return len(stem) >= 4 and stem != english and any(g.startswith(stem) for g in glosses)


def _near_length(a: str, b: str) -> bool:
    return abs(len(a) - len(b)) <= MAX_SKELETON_GAP * max(len(a), len(b))


def _name_like(side: Side, j: int) -> bool:
    """A capitalized English word that is not just a common word starting a sentence."""
    if not _capitalized(side, j):
        return False
    first = j == 0 or kind(side.forms[j - 1]) == "punct" and side.forms[j - 1] in ".!?:\"'"
    if not first:
        return True
    word = side.forms[j]
    return word not in FUNCTION_WORDS and not known_english(word)


@functools.lru_cache(maxsize=65536)
def known_english(word: str) -> bool:
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word))


def lexical_links(
    src: Side, tgt: Side, dictionary: Dictionary | None = None, lexicon=None
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
        if _name_like(tgt, j) and t not in _MONTH_NAMES:
            skeleton = english_skeleton(tgt.text[tgt.units[j].start : tgt.units[j].end])
            if len(skeleton) >= MIN_GLOSSED_SKELETON:
                names.append((j, skeleton))
    candidates: dict[tuple[int, int], float] = {}
    similarity: dict[tuple[str, str], float] = {}
    doubled: dict[int, int] = {}  # second name of a doubled month → the first
    for i, s in enumerate(src.forms):
        s_kind = kind(s)
        s_value = _number_value(s) if s_kind == "number" else None
        month = MONTHS.get(s)
        if month is not None:
            # A date may name its month twice (28 مارس/آذار): the second name is linked
            # with the first, below, not matched on its own.
            first = _double_month(src.forms, i)
            if first is not None:
                doubled[i] = first
                continue
            candidates.update(
                ((i, j), EXACT) for j in by_form.get(month, ()) if _capitalized(tgt, j)
            )
            continue
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
            word = normalize(src.text[src.units[i].start : src.units[i].end])
            nisba = NISBA_AR.match(word) is not None
            bare = s[2:] if s.startswith("ال") and len(s) > 4 else s  # the article is no sound
            skeleton = arabic_skeleton(NISBA_END.sub("", bare) if nisba else bare)
            if len(skeleton) < MIN_GLOSSED_SKELETON:
                continue
            glosses = lexicon.get(s) if lexicon is not None else {}
            for j, english in names:
                if j in in_dictionary:
                    continue
                glossed = bool(glosses) and _glossed(glosses, tgt.forms[j])
                if nisba:
                    # الأمريكي and American: compare what is left without the endings.
                    if not NISBA_EN.search(tgt.forms[j]):
                        continue
                    english = english_skeleton(NISBA_EN.sub("", tgt.forms[j]))
                if not _near_length(skeleton, english):
                    continue
                # Two-consonant skeletons (جون, John) are too common to compare: they count
                # only when the dictionary gives this English word for the Arabic one.
                short = min(len(skeleton), len(english)) < MIN_SKELETON
                if short and not (glossed and skeleton == english):
                    continue
                key = (skeleton, english)
                if key not in similarity:
                    similarity[key] = SequenceMatcher(None, *key, autojunk=False).ratio()
                # A word the dictionary knows is a name only when the dictionary gives this
                # English word for it (فرنسا: France), or on a near-exact match.
                floor = MIN_NAME_SIMILARITY
                if glosses and not glossed:
                    floor = MIN_KNOWN_WORD_SIMILARITY
                if similarity[key] >= floor:
                    candidates[(i, j)] = similarity[key]
    chosen = _assign(candidates, len(src.units), len(tgt.units))
    for i, first in doubled.items():
        chosen.update({(i, j): c for (k, j), c in list(chosen.items()) if k == first})
    return chosen


def _double_month(forms, i: int) -> int | None:
    """The unit of the same month named just before unit ``i`` (مارس/آذار, مارس (آذار)),
    with only punctuation between them, or None."""
    k = i - 1
    while k >= 0 and i - k <= 3 and kind(forms[k]) == "punct":
        k -= 1
    if k < i - 1 and k >= 0 and MONTHS.get(forms[k]) == MONTHS[forms[i]]:
        return k
    return None


# Arabic units that are clitics alone: the dictionary's entries are for stems.
_CLITIC_UNITS = frozenset(("و", "ف", "ب", "ل", "ك", "س", "ال"))


def lexicon_links(src: Side, tgt: Side, lexicon) -> dict[tuple[int, int], float]:
    """Every unit pair whose Arabic form has a background-lexicon entry for one of the
    English form's lemmas, with the entry's strength: evidence for the aligner to weigh,
    not links (a headword may have several senses and a sentence several candidates)."""
    return lexicon_matches(src.forms, tgt.forms, lexicon)


def lexicon_matches(
    src_forms: Sequence[str], tgt_forms: Sequence[str], lexicon
) -> dict[tuple[int, int], float]:
    """``lexicon_links`` on the matching forms alone (for training text, which has no sides)."""
    from align.links.background import lemmas

    by_lemma: dict[str, list[int]] = defaultdict(list)
    for j, t in enumerate(tgt_forms):
        if t.isalpha() and t.isascii():
            for lemma in lemmas(t):
                by_lemma[lemma].append(j)
    found: dict[tuple[int, int], float] = {}
    for i, s in enumerate(src_forms):
        if s in _CLITIC_UNITS or not is_arabic_word(s):
            continue
        for lemma, strength in lexicon.get(s).items():
            for j in by_lemma.get(lemma, ()):
                if strength > found.get((i, j), 0.0):
                    found[(i, j)] = strength
    return found
