"""A word of the translation that Arabic would write by its letters (a dictionary headword
glossed with it, or another pair of the article beside it: تكساس, "Texas") where the source
has nothing that spelling could be: a name or a capitalized common word swapped in.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from align.checks.base import Finding
from align.checks.base import for_the_last as _for_the_last
from align.checks.name.article import article_pairs
from align.checks.name.links import _capitalized_links
from align.checks.name.spelling import (
    _DAYS,
    _NUMBER_WORDS,
    _TITLES_AND_INTERJECTIONS,
    _alike,
    _arabic_forms,
    _at_opening,
    _capitalized_run,
    _common,
    _explains,
    _known,
    _similar,
    renders,
)
from align.checks.name.thresholds import (
    MAX_NAME_CHARS,
    MIN_REPORTED_SKELETON,
    NAME,
    NEAR_SPELLING,
    SPELLED_ALIKE,
    SPELLED_CONFIDENCE,
    WORD_LINK,
    WORD_LINKED_CONFIDENCE,
)
from align.checks.number import EN_MONTHS as _EN_MONTHS
from align.checks.words import is_arabic_function_word
from align.links.arabic import normalize
from align.links.background import lemmas
from align.links.lexical import (
    MONTHS,
    arabic_skeleton,
    english_skeleton,
)
from align.links.words import word_tokens


@_for_the_last
def _spellings(lexicon) -> dict[str, tuple[str, ...]]:
    """The dictionary turned round: for each English word, the Arabic headwords (their
    matching forms) glossed with it alone. Built once a dictionary (a tenth of a second)."""
    out: dict[str, list[str]] = {}
    for form, row in lexicon.entries.items():
        for lemma, strength in row.items():
            if strength >= 1.0:
                out.setdefault(lemma, []).append(form)
    return {lemma: tuple(forms) for lemma, forms in out.items()}


def _spelled_in_arabic(
    translation, parts, unexplained, read, lexicon, article=None, own: int = -1
) -> list:
    """Findings for the ``unexplained`` English names, not at a sentence's start and alone
    in their run of capitalized words, that Arabic writes by their letters (the dictionary
    has a headword glossed with the name that transliterates it: تكساس, "Texas"; or
    another pair of the ``article``, segment ``own`` left out, has the name beside a word
    that transliterates it: تسارناييف beside "Tsarnaev", ``article_pairs``) when the
    source has nothing that spelling could be (``_spelled_nowhere``): the source would
    have the name had it said it. ``changed`` when the alignment links the name
    (``WORD_LINK``) to a source content word the translation renders nowhere, else
    ``added`` (warnings); one finding a name. ``read``: what the check has read already,
    the source's Arabic words, their glosses and the translation's words. A name Arabic
    translates rather than spells counts when the dictionary has a headword for it (or
    its lemma) whose glosses are all names (اليونان: greece; مصري: egyptian): on the
    stored FLORES alignments without training text, name R 0.794 → 0.824 at P 0.915 →
    0.918 (seed 0) and unchanged at 0.731 (seed 1), with training text R 0.741 → 0.748;
    clean lines with any finding, the news article and the conversational lines unchanged.
    A headword with a common gloss (قوس: bow, arc and Sagittarius) says nothing, nor do
    names of a two-letter skeleton (Inc, Non). Names neither the dictionary nor the
    article knows are left to the other rules: nothing says what the source should have
    had."""
    if lexicon is None or not unexplained:
        return []
    arabic, glosses, words = read
    index, by_name = _spellings(lexicon), _forms_by_name(article_pairs(article))
    source_forms = {f for _, _, a in arabic for f in _arabic_forms(a)}
    arabic_at = {(s, e): a for s, e, a in arabic}
    linked: dict[tuple[int, int], tuple[float, tuple[int, int], str]] = {}
    if parts is not None:
        src_words, tgt_words, links = parts
        for (i, j), link in links.items():
            if not (link.confidence >= WORD_LINK and 0 <= i < len(src_words)):
                continue  # (a NaN confidence is no link)
            word = src_words[i]
            a = arabic_at.get((word.start, word.end))
            if 0 <= j < len(tgt_words) and a is not None and not is_arabic_function_word(a):
                at = (tgt_words[j].start, tgt_words[j].end)
                if link.confidence > linked.get(at, (0.0,))[0]:
                    linked[at] = (link.confidence, (word.start, word.end), a)
    tokens = word_tokens(translation)
    at_token = {(t.start, t.end): k for k, t in enumerate(tokens)}
    names_at = {(s, e) for s, e, _ in unexplained}
    out: list[Finding] = []
    done: set[str] = set()
    for s, e, w in unexplained:
        low, k = w.lower(), at_token.get((s, e))
        if low in done or k is None or _at_opening(translation, s):
            continue
        run = _capitalized_run(translation, tokens, k)
        if any((t.start, t.end) in names_at for t in run if t.start != s):
            continue  # one word of a foreign name (Médecins Sans Frontières)
        spelled = [f for f in index.get(low, ()) if _similar(f, w)]
        if not spelled and len(english_skeleton(w)) >= MIN_REPORTED_SKELETON:
            # a name Arabic translates (اليونان, "Greece"; مصري, "Egyptian"): a headword
            # the dictionary knows only as names, glossed with the name or its lemma
            spelled = [
                f
                for lemma in lemmas(low) | {low}
                for f in index.get(lemma, ())
                if not any(_common(g) for g in lexicon.entries.get(f, {}))
            ]
        spelled += [  # how the article's other pairs spell it
            form
            for form, segments in by_name.get(low, ())
            if segments - {own} and _similar(form, w)
        ]
        if not spelled or not _spelled_nowhere(spelled, w, arabic, source_forms):
            continue
        done.add(low)
        said = f"The name {w!r} of the translation, which Arabic writes "
        said += f"{min(spelled, key=len)!r}, is not in the source"
        a = linked[(s, e)][2] if (s, e) in linked else None
        if a is not None and not any(renders(a, glosses[a], x) for x in words if x[:1].isalpha()):
            at = linked[(s, e)][1]
            message = f"{said}: it stands where the source has {a!r}, and may be a changed name."
            out.append(Finding(NAME, "changed", "warning", SPELLED_CONFIDENCE, message, at, (s, e)))
        else:
            message = f"{said}: it may have been added."
            out.append(Finding(NAME, "added", "warning", SPELLED_CONFIDENCE, message, None, (s, e)))
    return out


def _common_word_for_an_unknown_one(translation, parts, phrases, read, lexicon, taken) -> list:
    """``changed`` warnings for the common English words written with a capital in the
    middle of a sentence, alone in their run of capitalized words ("goes into Geological
    and", "with the Chase being"), that the alignment links (``WORD_LINK``) to a source
    word the dictionary does not know (الخليل, الكونغرس: often a name), when no source word
    explains the English word (a gloss), the two are not even loosely alike (``_alike``),
    the dictionary writes the English word in Arabic (a headword glossed with it or its
    lemma: جيولوجي, geological) and the source has nothing that could be one of those
    spellings (``_spelled_nowhere``), and the translation renders the source word nowhere.
    The rules above take names only, or source words the dictionary knows: a common word
    swapped in for a name the dictionary lacks went unseen. Number words, months, days,
    titles (St, Dr) and words that render a phrase (``_phrase_names``) are left alone, and
    so are the source words with a skeleton under ``MIN_REPORTED_SKELETON``. ``read``: the
    source's Arabic words, their glosses and the translation's words; ``taken``: the source
    and translation spans earlier findings hold."""
    if parts is None or lexicon is None:
        return []
    arabic, glosses, words = read
    taken_src, taken_tgt = set(taken[0]), set(taken[1])
    tokens = word_tokens(translation)
    at_token = {(t.start, t.end): k for k, t in enumerate(tokens)}
    index = _spellings(lexicon)
    source_forms = {f for _, _, a in arabic for f in _arabic_forms(a)}
    out = []
    for at, tat, a, w in _capitalized_links(
        translation, parts, phrases, arabic, taken_src, taken_tgt
    ):
        low = w.lower()
        if glosses[a] or MONTHS.get(normalize(a)):
            continue  # a word the dictionary knows: the rules above
        if len(arabic_skeleton(normalize(a))) < MIN_REPORTED_SKELETON:
            continue
        if not _known(w) or low in _NUMBER_WORDS | _EN_MONTHS | _DAYS | _TITLES_AND_INTERJECTIONS:
            continue  # a name: the rules above
        if len(_capitalized_run(translation, tokens, at_token[tat])) > 1:
            continue  # a title's word (Fashion Capital, the Milky Way), not a name's
        if _alike(a, w) or any(_explains(b, glosses[b], w, False) for _, _, b in arabic):
            continue
        spelled = [f for lemma in lemmas(low) | {low} for f in index.get(lemma, ())]
        if not spelled or not _spelled_nowhere(spelled, w, arabic, source_forms):
            continue  # no Arabic for the word, or the source has it (الموضه: fashion)
        if any(renders(a, glosses[a], x) for x in words if x[:1].isalpha()):
            continue
        message = f"The word {w!r} of the translation, which Arabic writes "
        message += f"{min(spelled, key=len)!r}, stands where the source has {a!r}, a word "
        message += "the dictionary does not know (a name?): it may be a changed name."
        out.append(Finding(NAME, "changed", "warning", WORD_LINKED_CONFIDENCE, message, at, tat))
        taken_src.add(at)
        taken_tgt.add(tat)
    return out


@_for_the_last
def _forms_by_name(pairs: dict) -> dict[str, list[tuple[str, set[int]]]]:
    """``article_pairs`` turned round: for each name, the Arabic forms beside it and the
    segments that have both. Once an article."""
    out: dict[str, list[tuple[str, set[int]]]] = {}
    for form, names in pairs.items():
        for name, segments in names.items():
            out.setdefault(name, []).append((form, segments))
    return out


def _spelled_nowhere(spelled: list[str], english: str, arabic, source_forms: set[str]) -> bool:
    """Whether no source word could be the name ``english`` that Arabic writes as one of
    ``spelled``: none is this alike to the name (``SPELLED_ALIKE``), none of the source's
    forms (``_arabic_forms``) holds a spelling (نيويورك holds يورك) or is the start of one
    (the source's الروم, the nisba روماني for "Roman"), and none is spelled near one
    (``NEAR_SPELLING``: الأطلسي beside اطلنطي)."""
    if any(_similar(a, english, SPELLED_ALIKE) for _, _, a in arabic):
        return False
    return not any(
        f in x
        or (len(x) >= 3 and f.startswith(x))
        or (len(x) <= MAX_NAME_CHARS and SequenceMatcher(None, f, x).ratio() >= NEAR_SPELLING)
        for f in spelled
        for x in source_forms
    )
