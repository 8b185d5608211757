"""The background dictionary as the checks read it: the English glosses of an Arabic word.

The dictionary (FreeDict Arabic–English, ``align.links.background``) is a witness of its
own, apart from the alignment: a translation word that is a gloss of some source word
renders something of the source, whatever the aligner linked it to.

Its multi-word headwords (``Lexicon.phrases``) are read where the source has one in a row:
القارة القطبية الجنوبية is "Antarctica", though no word of it is. A translation word that
glosses such a phrase renders every word of it (``rendered_phrases``), and the phrase's
glosses are among each of its words' meanings there (``glosses_here``). Without them, the
checks read "Antarctica" as a word the source lacks and the three Arabic words as left out.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from align.checks.words import is_english_function_word
from align.errors import JobError
from align.links.arabic import ARTICLE, CONJUNCTIONS, PREPOSITIONS, normalize
from align.links.background import arabic_keys, lemmas
from align.links.lexical import NISBA_AR, NISBA_END
from align.links.words import word_tokens


@functools.lru_cache(maxsize=1)
def _loaded():
    from align.links.background import DictionaryMissing, load_background, missing_dictionary

    try:
        return load_background(dictionary=True, parallel=False, morphology=False).lexicon, None
    except DictionaryMissing:  # (the checks have no --no-background to offer)
        return None, missing_dictionary(aligner=False)
    except Exception as exc:  # a missing or damaged dictionary: the checks do without it,
        return None, str(exc) or type(exc).__name__  # and say so (``without_dictionary``)


def lexicon():
    """The background dictionary, or None where it is not installed or cannot be read."""
    return _loaded()[0]


@functools.lru_cache(maxsize=1)
def _analyser():
    from align.links.morphology import MorphologyMissing, load_morphology, missing_morphology

    try:
        return load_morphology()[0], None
    except MorphologyMissing:  # the checks do without it, and say so (``without_dictionary``)
        return None, missing_morphology(aligner=False)
    except JobError as exc:  # damaged
        return None, str(exc)


def without_dictionary() -> str | None:
    """The warning that the checks run without the background dictionary or without
    Buckwalter's lexicon, and why (None when they have both): names are then matched by
    their letters alone, and omissions and additions without the glosses, so the findings
    differ; a run records the warning."""
    problem = _loaded()[1]
    if problem is not None:
        return (
            "the translation checks ran without the background dictionary, so names are "
            f"matched by their letters alone and omissions and additions without its "
            f"glosses: {problem}"
        )
    problem = _analyser()[1]
    if problem is not None:
        return (
            "the translation checks ran without Buckwalter's Arabic lexicon, so they read the "
            f"glosses of FreeDict's headwords alone: {problem}"
        )
    return None


@functools.lru_cache(maxsize=65536)
def analysed_glosses(word: str) -> frozenset[str]:
    """The glosses of every analysis Buckwalter's lexicon has of the word as written
    (``align.links.morphology``: وقال, say; يكتبون, write; الرامي, Sagittarius); none
    without it. Evidence that a translation renders the word, and of what a word FreeDict
    lacks is: the lexicon knows proper names too (آيرس, aires), which the name check reads
    as names (``name.proper._analysed_name``), while its other rules take a word
    FreeDict knows (``glosses``) for a common word. Cached."""
    analyser = _analyser()[0]
    return frozenset(analyser.get(normalize(word))) if analyser is not None else frozenset()


# ل before the article loses the article's alif: للقدس is ل + القدس.
LAM_ARTICLE = "ل" + ARTICLE[1:]
# Prepositions written onto a word without the article (بفرنسا, لموسكو), and ل before the
# article. ``arabic_keys`` strips them only before ال, so a word the dictionary does not
# know is looked up once more without them (with the article that لل stands for restored).
_BARE_PREPOSITIONS = ((LAM_ARTICLE, ARTICLE), *((p, "") for p in PREPOSITIONS))


def without_bare_preposition(word: str) -> str:
    """The normalized word without a leading conjunction and a bare preposition (وبفرنسا →
    فرنسا, وللقدس → القدس), or the normalized word where it has neither; at least three
    letters are left."""
    form = normalize(word)
    stem = form[1:] if form[:1] in CONJUNCTIONS and len(form) > 4 else form
    for prefix, restored in _BARE_PREPOSITIONS:
        if stem.startswith(prefix) and len(stem) - len(prefix) >= 3:
            return restored + stem[len(prefix) :]
    return form


@functools.lru_cache(maxsize=65536)
def glosses(word: str) -> frozenset[str]:
    """The dictionary's English glosses of an Arabic word (none without a dictionary).
    Cached: the checks look up every source word, some of them more than once."""
    dictionary = lexicon()
    if dictionary is None:
        return frozenset()
    found: set[str] = set()
    for key in arabic_keys(word):
        found.update(dictionary.lookup(key))
    bare = without_bare_preposition(word)
    if not found and bare != normalize(word):
        for key in arabic_keys(bare):
            found.update(dictionary.lookup(key))
    return frozenset(found)


def nisba_base(word: str) -> str | None:
    """The noun a nisba adjective is made from, normalized (العالمية, والعالمية: عالم;
    الفلسطينيون: فلسطين), or None for a word that is no nisba with its article."""
    form = normalize(word)
    if not NISBA_AR.match(form):
        return None
    form = form[1:] if form[:1] in CONJUNCTIONS and form[1:].startswith(ARTICLE) else form
    return NISBA_END.sub("", form.removeprefix(ARTICLE))


@functools.lru_cache(maxsize=65536)
def base_glosses(word: str) -> frozenset[str]:
    """For a nisba adjective (العالمية, الإنسانية, with its article and maybe a leading
    conjunction), the glosses of the noun it is made from (``nisba_base``: عالم, world;
    إنسان, human); none for another word. The dictionary glosses the adjective by its rarer
    senses (العالمية: universality), and English writes the noun's (the World Health
    Organization)."""
    base = nisba_base(word)
    return glosses(base) if base is not None and len(base) >= 3 else frozenset()


@functools.lru_cache(maxsize=65536)
def dictionary_forms(word: str) -> frozenset[str]:
    """The forms under which the dictionary knows a word: its lookup keys that have an
    entry (باللاتينية and اللاتينية share لاتينيه, وفرنسا and فرنسا share فرنسا), or, for
    a word it does not know as written, those of the word without a conjunction and a bare
    preposition (لأفريقيا: افريقيا); for a word it does not know either way, that bare
    word. Two words of one source that share a form are one word said twice. A bare
    preposition is taken off only where the word as written is unknown: بحرية (naval) is
    not حرية (freedom), nor لندن ندن. Cached."""
    dictionary = lexicon()
    bare = without_bare_preposition(word)
    if dictionary is not None:
        for candidate in (word, bare):
            found = frozenset(k for k in arabic_keys(candidate) if dictionary.lookup(k))
            if found:
                return found
    return frozenset([bare])


def glossed(english: str, meanings: set[str]) -> bool:
    """Whether an English word is, by its lemmas, one of the ``meanings``."""
    return bool(lemmas(english.lower()) & meanings)


@functools.lru_cache(maxsize=16)
def glosses_here(source: str) -> Mapping[str, frozenset[str]]:
    """Each word of ``source`` → its glosses (``glosses``) with those of the dictionary's
    phrases it is part of in ``source`` (قطبية in القارة القطبية الجنوبية: "antarctica"),
    where it stands nowhere else in ``source``. Cached (read-only) for the few segments
    being checked: several checks ask of the same source."""
    words = [source[t.start : t.end] for t in word_tokens(source)]
    found = {w: glosses(w) for w in words}
    dictionary = lexicon()
    if dictionary is None:
        return MappingProxyType(found)
    inside: set[int] = set()
    meanings: dict[str, set[str]] = {}
    for k, n, meaning in dictionary.phrases_in(words):
        inside.update(range(k, k + n))
        for w in words[k : k + n]:
            meanings.setdefault(w, set()).update(meaning)
    # A word that also stands outside a phrase keeps its own glosses alone: الراين in أحجار
    # الراين ("rhinestones") and again in نهر الراين is the Rhine there.
    outside = {w for k, w in enumerate(words) if k not in inside}
    for w, meaning in meanings.items():
        if w not in outside:
            found[w] = found[w] | meaning
    return MappingProxyType(found)


def rendered_phrases(
    source: Sequence[str], translation: Sequence[str]
) -> tuple[frozenset[int], frozenset[int]]:
    """The source words (indices into ``source``) inside a dictionary phrase that a content
    word of ``translation`` glosses, and those translation words (indices into
    ``translation``): both sides of a rendering the word-by-word dictionary cannot see.
    Each translation word renders one phrase (a phrase twice in the source and once in the
    translation is rendered once); a phrase inside a longer one that is rendered needs no
    word of its own. Empty sets without the dictionary."""
    return _rendered_phrases(tuple(source), tuple(translation))


@functools.lru_cache(maxsize=8)
def _rendered_phrases(
    source: tuple[str, ...], translation: tuple[str, ...]
) -> tuple[frozenset[int], frozenset[int]]:
    """``rendered_phrases``, cached for the segment being checked: the omission and the
    addition checks each read both sides of the same pair."""

    dictionary = lexicon()
    found = dictionary.phrases_in(source) if dictionary is not None else []
    src: set[int] = set()
    tgt: set[int] = set()
    if not found:
        return frozenset(), frozenset()
    at: dict[str, deque[int]] = {}  # lemma: the translation words that have it, in order
    for j, w in enumerate(translation):
        if not is_english_function_word(w):
            for lemma in lemmas(w.lower()):
                at.setdefault(lemma, deque()).append(j)
    for k, n, meaning in sorted(found, key=lambda x: (x[0], -x[1])):
        if all(i in src for i in range(k, k + n)):
            continue
        free = []
        for lemma in meaning & at.keys():
            words = at[lemma]
            while words and words[0] in tgt:  # taken by an earlier phrase
                words.popleft()
            if words:
                free.append(words[0])
        if free:
            src.update(range(k, k + n))
            tgt.add(min(free))
    return frozenset(src), frozenset(tgt)
