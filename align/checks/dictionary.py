"""The background dictionary as the checks read it: the English glosses of an Arabic word.

The dictionary (FreeDict Arabic–English, ``align.links.background``) is a witness of its
own, apart from the alignment: a translation word that is a gloss of some source word
renders something of the source, whatever the aligner linked it to.
"""

from __future__ import annotations

import functools

from align.links.arabic import ARTICLE, CONJUNCTIONS, PREPOSITIONS, normalize
from align.links.background import arabic_keys, lemmas


@functools.lru_cache(maxsize=1)
def lexicon():
    """The background dictionary, or None where it is not installed."""
    try:
        from align.links.background import load_background

        return load_background(dictionary=True, parallel=False).lexicon
    except Exception:  # a missing or damaged dictionary: the checks do without it
        return None


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


def glossed(english: str, meanings: set[str]) -> bool:
    """Whether an English word is, by its lemmas, one of the ``meanings``."""
    return bool(lemmas(english.lower()) & meanings)
