"""English glosses as the background's dictionaries give them, read as the aligners and
checks compare them: by their content words and by English lemma.

FreeDict's glosses ("Full of rage", "1. Books") and Buckwalter's ("desire;aspire") are read
the same way, so that the two dictionaries' entries are one kind of evidence.
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Words of a multi-word gloss that carry no lexical meaning of their own.
GLOSS_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "and",
        "or",
        "be",
        "is",
        "are",
        "was",
        "were",
        "being",
        "been",
        "it",
        "its",
        "one's",
        "oneself",
        "someone",
        "something",
        "sth",
        "sb",
    ]
)
MAX_GLOSS_WORDS = 3  # content words; longer glosses are definitions, not translations


@functools.lru_cache(maxsize=200_000)
def lemmas(word: str) -> frozenset[str]:
    """The word and its English lemmas (lemminflect; every part of speech), lowercased."""
    from lemminflect import getAllLemmas

    word = word.lower()
    found = {word}
    for forms in getAllLemmas(word).values():
        found.update(f.lower() for f in forms)
    return frozenset(found)


@functools.lru_cache(maxsize=65536)
def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech lemminflect knows ``word`` under (NOUN, VERB, ADJ, ...; none for
    a word it does not know), read lowercased and without a possessive's 's ("Minister's"
    is "minister")."""
    from lemminflect import getAllLemmas

    word = word.lower()
    for ending in ("'s", "’s"):
        if word.endswith(ending) and len(word) > len(ending):
            word = word[: -len(ending)]
    return frozenset(getAllLemmas(word))


def content_words(gloss: str) -> list[str]:
    """The words of a gloss that carry meaning (``GLOSS_STOPWORDS`` left out), lowercased."""
    return [w for w in _WORD.findall(gloss.lower()) if w not in GLOSS_STOPWORDS]
