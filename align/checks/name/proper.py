"""Which words are proper names: the countries (countryinfo), and a source word the
dictionary glosses with names alone, or a nisba whose base it glosses with one.

A country is a name even where English knows its name as a common word (china, turkey,
jordan, chad): the dictionary glosses الصين with "china" alone, and a translation that
puts another word where الصين stands has lost a name all the same (held out, FLORES seed
0 name R 0.93 → 0.94; nothing else moved on the alignments made for tuning or held out).
The places rules (``places``) and the name rules (``rules``) read the countries here.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from align.checks.dictionary import analysed_glosses
from align.checks.dictionary import glosses as _glosses
from align.checks.dictionary import nisba_base as _nisba_base
from align.checks.name.spelling import _common, _is_nisba, _known, _plain_name, _similar
from align.checks.name.thresholds import MIN_REPORTED_SKELETON
from align.checks.number.values import _ar_lookup
from align.checks.words import is_arabic_function_word
from align.links.arabic import normalize
from align.links.lexical import MONTHS, arabic_skeleton


class _Country(NamedTuple):
    names: frozenset[str]  # whole, and each word English does not know of one of several
    capitals: frozenset[str]  # the same of its capital
    people: frozenset[str]  # the same of its demonym
    capital: str  # the capital's whole name
    wholes: frozenset[str]  # its whole names and demonym


@functools.cache
def _countries() -> tuple[_Country, ...]:
    """Each country's names, its capital's, its people's (demonym), its capital's whole
    name and its own whole names and demonym (``_Country``), lower case, from
    countryinfo: a country's name and its other spellings of four letters or more that are
    no English word, and of a name of several words each word English does not know
    (america of United States of America, britain of Great Britain: the dictionary's
    glosses, أمريكا: america); its capital, without accents or apostrophes (bogota, sanaa;
    "Washington" of "Washington D.C."), and each word English does not know of a capital
    of several (delhi of New Delhi: the name the translation's words give). Read on the
    first name finding."""
    import countryinfo

    def words_of(name: str) -> set[str]:
        parts = name.split()
        return {name} | (
            {w for w in parts if len(w) > 3 and not _known(w)} if len(parts) > 1 else set()
        )

    out = []
    for country in countryinfo.all_countries():
        info = country.info()
        capital = info.get("capital")
        capital = capital if isinstance(capital, str) else ""  # (one is a list: Vatican City)
        whole = _plain_name(capital.removesuffix(" D.C.").strip())
        capitals = words_of(whole) - {""}
        # (another spelling that is an English word names nothing: Ísland, island)
        others = {n for n in info.get("altSpellings") or () if not _known(_plain_name(n))}
        names = {n for n in {info.get("name") or "", *others} if len(n) > 3 and n.isascii()}
        demonym = info.get("demonym")
        people = words_of(_plain_name(demonym)) if isinstance(demonym, str) and demonym else set()
        if capitals and names:
            named = set().union(*(words_of(_plain_name(n)) for n in names))
            wholes = {_plain_name(n) for n in names} | ({_plain_name(demonym)} if people else set())
            out.append(
                _Country(
                    frozenset(named),
                    frozenset(capitals),
                    frozenset(people),
                    whole,
                    frozenset(wholes),
                )
            )
    return tuple(out)


@functools.cache
def _country_acronyms() -> dict[str, frozenset[str]]:
    """Each country's names and the words of its names of several words (lower case), each
    with the country's acronyms of three letters or more: countryinfo's other spellings in
    capitals (USA, UAE, DRC) and the initials of its names of several words, with "of",
    "the" and "and" and without (ROK of Republic of Korea, PRC of People's Republic of
    China)."""
    import countryinfo

    small = {"of", "the", "and"}
    out: dict[str, set[str]] = {}
    for country in countryinfo.all_countries():
        info = country.info()
        names = [n for n in [info.get("name") or "", *(info.get("altSpellings") or ())] if n]
        acronyms = {n for n in names if n.isascii() and n.isalpha() and n.isupper()}
        for n in names:
            every = _plain_name(n).replace("'s", "").split()
            for parts in (every, [w for w in every if w not in small]):
                if len(parts) > 1 and all(w.isalpha() for w in parts):
                    acronyms.add("".join(w[0] for w in parts).upper())
        acronyms = {a for a in acronyms if len(a) >= 3}
        for n in names:
            plain = _plain_name(n)
            for key in {plain, *plain.split()}:
                if key.isalpha() and len(key) > 3:
                    out.setdefault(key, set()).update(acronyms)
    return {key: frozenset(v) for key, v in out.items()}


@functools.cache
def _country_words() -> dict[str, frozenset[str]]:
    """Each country's one-word names, lower case (haiti, china; not its demonym, nor a word
    of a longer name: "islamic" of the Islamic Republic of Iran), each with the one-word
    names of what says it (``_countries``): its names, its capital's and its people's."""
    out: dict[str, set[str]] = {}
    for country in _countries():
        says = {
            x
            for x in country.wholes | country.names | country.capitals | country.people
            if " " not in x
        }
        for name in country.wholes:
            if " " not in name and name not in country.people and name.isalpha():
                out.setdefault(name, set()).update(says | {name})
    return {name: frozenset(says) for name, says in out.items()}


def _names_only(glosses) -> bool:
    """Whether the dictionary glosses a word with names alone: no gloss English knows as a
    word, but a country's name, which is a name whatever else English calls it (china)."""
    countries = _country_words()
    return not any(_common(g) and g not in countries for g in glosses)


def _proper_name(word: str, glosses: set[str]) -> str | None:
    """The proper name the dictionary glosses a source word with and the word transliterates
    (فرنسا: france), or None. Only a word every gloss of which is a name counts: the
    dictionary gives common words odd names too (بيت: house, bett; اليوم: today, ilium),
    though a country's name is a name whatever else English calls it (للصين: china), and
    function words (كانت is also "Kant"), months and the words of a number's scale are no
    names (مليار, glossed "milliard" alone: "billion" renders it, as the number check
    reads it)."""
    form = normalize(word)
    if is_arabic_function_word(word) or MONTHS.get(form) or not _names_only(glosses):
        return None
    if (_ar_lookup(form) or ("",))[0] in ("scale", "plural"):
        return None
    return next((g for g in sorted(glosses) if _similar(word, g)), None)


@functools.cache
def _demonyms() -> frozenset[str]:
    """Every country's people's word (``_Country.people``: american, chinese)."""
    return frozenset().union(*(country.people for country in _countries()))


def _analysed_name(word: str) -> tuple[str | None, frozenset[str]]:
    """For a word FreeDict does not know, the proper name Buckwalter's lexicon reads it as
    (``_proper_name`` of its analyses' glosses: آيرس, aires; إيبولا, ebola; بنسلفانيا,
    pennsylvania) and those glosses, or (None, no glosses). The lexicon knows names the
    dictionary lacks, and a word it reads as names alone, one of which the word spells, is
    one. A nisba, or a word read as a people's adjective in any form (أميركياً, american),
    is left to ``_nisba_name``: "US" renders it."""
    read = analysed_glosses(word)
    if not read or _is_nisba(normalize(word)) or read & _demonyms():
        return None, frozenset()
    name = _proper_name(word, read)
    return (name, read) if name is not None else (None, frozenset())


@functools.lru_cache(maxsize=65536)
def _nisba_base_glosses(word: str) -> frozenset[str]:
    """For a nisba with its article (الفلسطينيون, الفلسطيني), the names the dictionary
    glosses its base with (فلسطين, or the base with يا) that the base spells
    (``_similar``): "Palestinians" renders الفلسطينيون though the dictionary knows that
    word only as "philistines"; الألماني gives no "krauts". Only names (no word
    English knows, of a base of three letters or more, or a country's: صين, china), and
    only to explain a translation name or for ``_nisba_name``: the word is no source name
    for the other rules."""
    base = _nisba_base(word)
    if base is None:
        return frozenset()
    out: set[str] = set()
    for stem in (base, base + "يا"):
        long_enough = len(arabic_skeleton(stem)) >= MIN_REPORTED_SKELETON
        out |= {
            g
            for g in _glosses(stem)
            if (g in _country_words() or (long_enough and not _common(g))) and _similar(stem, g)
        }
    return frozenset(out)


def _nisba_name(word: str, glosses: set[str]) -> tuple[str, frozenset[str]] | None:
    """For a nisba the dictionary gives no name of its own (الصينية: salver, tray), the
    name it stands for and the words that render it, or None: its base's names
    (``_nisba_base_glosses``: الصين, china) or the countries it is glossed with (المغربية:
    morocco), and each such country's names, capital and people (``_country_words``:
    "Chinese", "Moroccan")."""
    if not _is_nisba(normalize(word)):
        return None
    countries = _country_words()
    named = _nisba_base_glosses(word) | {g for g in glosses if g in countries}
    if not named:
        return None
    return sorted(named)[0], frozenset(named.union(*(countries.get(g, ()) for g in named)))


def _source_name(word: str, glosses: set[str]) -> tuple[str | None, frozenset[str]]:
    """The name a source word stands for (``_proper_name``, else ``_nisba_name``, else
    ``_country_by_name``) or None, and the words that render it: its glosses, and a nisba's
    or a country's name, capital and people."""
    proper = _proper_name(word, glosses)
    if proper is None and not glosses:
        proper, read = _analysed_name(word)
        if proper is not None:
            return proper, read
    if proper is None:
        nisba = _nisba_name(word, glosses)
        if nisba is not None:
            return nisba[0], frozenset(glosses) | nisba[1]
        country = _country_by_name(word, glosses)
        if country is not None:
            return country, frozenset(glosses) | _country_words()[country]
    return proper, frozenset(glosses)


def _country_by_name(word: str, glosses: set[str]) -> str | None:
    """The country a source word names by a name of its own, whose letters are not the
    English name's (ألمانيا, germany; اليونان, greece; النمسا, austria), or None: a word the
    dictionary glosses with names only, a country among them, that is no nisba, function
    word or month. ``_proper_name`` asks for a gloss the word spells, since the dictionary
    gives common words odd names (اليوم: ilium); a country it glosses a word with alone is
    no such slip, unless Buckwalter's lexicon reads the word as a common word too (المغرب:
    exile; the west, the Maghreb). Only for a name a capitalized word stands in for
    (``_source_name``): on the stored FLORES alignments, reading every such word as a name
    everywhere flagged more clean lines (seeds 0 and 4, 2.3% → 2.5% and 4.6% → 4.8%)."""
    form = normalize(word)
    countries = _country_words()
    if not glosses or _is_nisba(form) or is_arabic_function_word(word) or MONTHS.get(form):
        return None
    if not _names_only(glosses):
        return None
    country = next((g for g in sorted(glosses) if g in countries), None)
    if country is None:
        return None
    # Buckwalter's lexicon reads more: المغرب is also the west and sunset (exile), the
    # Maghreb of دول المغرب العربي and the prayer of صلاة المغرب; such a word is no country
    # by itself.
    says = countries[country]
    if any(_common(g) and g not in countries and g not in says for g in analysed_glosses(word)):
        return None
    return country
