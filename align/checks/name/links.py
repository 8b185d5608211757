"""What the alignment ties: the source phrase a translation name renders, the words that
render no source word, and one translation word for one source word (a matching).
"""

from __future__ import annotations

import re

from align.checks.base import DOMINANCE
from align.checks.dictionary import dictionary_forms as _dictionary_forms
from align.checks.dictionary import glosses_here as _glosses_here
from align.checks.dictionary import lexicon as _lexicon
from align.checks.name.proper import _proper_name
from align.checks.name.spelling import (
    _FORMS_OF_A_NAME,
    _a_first_part,
    _alike,
    _arabic_words,
    _at_opening,
    _english_names,
    _explains,
    _month_written_out,
    _names_hyphened,
    _similar,
    _unpossessive,
    _with_the_next_article,
    _written_as_a_name,
    renders,
)
from align.checks.name.thresholds import (
    ARTICLE_NAME_SIMILARITY,
    MIN_REPORTED_SKELETON,
    PHRASE_GAP,
    WORD_LINK,
)
from align.checks.words import is_arabic_function_word, is_english_function_word
from align.links.arabic import normalize
from align.links.background import lemmas
from align.links.lexical import arabic_skeleton
from align.links.words import word_tokens


def phrase_sources(alignment) -> set[tuple[int, int]]:
    """The (start, end) of the source words inside a phrase a translation name renders
    (``_phrase_spans``: منتخب جنوب أفريقيا للرغبي, "Springboks"); none without an
    alignment."""
    parts = _words_and_links(alignment)
    if parts is None:
        return set()
    return _phrase_spans(parts, _phrase_names(parts, PHRASE_GAP), PHRASE_GAP)[0]


def unexplained_names(source: str, translation: str) -> dict[tuple[int, int], str]:
    """The translation's names ((start, end): name) that no source word explains (a gloss,
    a transliteration, the name in Latin script) nor is even loosely alike (``_alike``);
    none without the background dictionary. The addition check takes such a name as a
    witness that the words around it were added."""
    if _lexicon() is None:
        return {}
    words = _arabic_words(source)
    arabic = {a for _, _, a in words}
    joined = _with_the_next_article(words)  # ("Abdel" for عبد الفتاح)
    here = _glosses_here(source)
    glosses = {a: here[a] for a in arabic}
    latin = {w.lower() for w in re.findall(r"[A-Za-z]+", source)}
    out = {}
    hyphened = [span for _, span in _names_hyphened(source, translation)]
    for s, e, w in _english_names(translation):
        if w.lower() in latin or any(a <= s < b for a, b in hyphened):
            continue  # (a part of a hyphened name a source word spells whole: KwaZulu)
        if not any(
            _explains(a, glosses[a], x, as_read=True) or _alike(a, x, True)
            for a in arabic
            for x in (w, *_month_written_out(w))
        ) and not _a_first_part(w, joined, as_read=True):
            out[(s, e)] = w
    return out


def _unlinked(parts, start: int, end: int) -> bool:
    """Whether the alignment (``_words_and_links``) has the translation word at [start, end)
    and links it to nothing (a name a translation made up has nothing to link to); False
    without one."""
    if parts is None:
        return False
    _, words, links = parts
    linked = {j for _, j in links}
    at = next((j for j, w in enumerate(words) if (w.start, w.end) == (start, end)), None)
    return at is not None and at not in linked


def _linked_pairs(parts, lost, unexplained) -> list[tuple[int, int]]:
    """(lost index, unexplained index) of the pairs the alignment (``_words_and_links``)
    links."""
    if parts is None or not lost or not unexplained:
        return []
    src_words, tgt_words, links = parts
    src_at = {(w.start, w.end): i for i, w in enumerate(src_words)}
    tgt_at = {(w.start, w.end): j for j, w in enumerate(tgt_words)}
    out = []
    for i, (s, e, _) in enumerate(lost):
        for j, (ts, te, _) in enumerate(unexplained):
            a, b = src_at.get((s, e)), tgt_at.get((ts, te))
            if a is not None and b is not None and (a, b) in links:
                out.append((i, j))
    return out


def _words_and_links(alignment):
    """The alignment's source words, translation words and word links; None without an
    alignment or for one that does not fit its texts (no evidence then)."""
    if alignment is None:
        return None
    try:
        return alignment.src_words, alignment.tgt_words, alignment.word_links()
    except Exception:  # an alignment that does not fit its texts
        return None


def _phrase_clusters(parts, gap=None, others=None) -> dict[int, list[list[int]]]:
    """Each translation word (alignment index) linked at ``WORD_LINK`` to two source content
    words or more that stand close together (``PHRASE_GAP``): the runs of those source words
    (alignment indices, in order), two words or more each. ``parts``: the source words, the
    translation words and the word links (``_words_and_links``).

    ``others`` (``_said_otherwise``), where given, leaves out a source word the name does
    not render: one a maximum matching gives another translation word (المستعمرون
    البريطانيون, "the Goma colonisers": "colonisers" renders the first, and "Goma" stands
    for the nisba alone), and a name of the article the translation renders nowhere that
    stands beside no other word linked to the name (ألونسو بفترة قصيرة, "after Kanjar"
    linked to ألونسو and قصيرة: "Kanjar" stands where Alonso was). A name linked to words
    side by side renders their phrase (الدار البيضاء, "Casablanca"), unless it is a name
    the translation cut short before the other word or a common word
    (``_names_left_out``: "John" or "said" for جون كيربي)."""
    src_words, tgt_words, links = parts
    content: dict[int, list[int]] = {}
    for (i, j), link in links.items():
        # (a link past either side's words ties nothing; a NaN confidence is no link)
        in_range = 0 <= i < len(src_words) and 0 <= j < len(tgt_words)
        if (
            in_range
            and link.confidence >= WORD_LINK
            and not is_arabic_function_word(src_words[i].text)
        ):
            content.setdefault(j, []).append(i)
    out: dict[int, list[list[int]]] = {}
    for j, linked in content.items():
        if others is not None:
            elsewhere, names, dropped = others
            linked = [
                i
                for i in linked
                if elsewhere.get(i, j) == j
                and (i not in names or i - 1 in linked or i + 1 in linked)
                and (i, j) not in dropped
            ]
        if len(linked) < 2:
            continue
        runs: list[list[int]] = []
        for i in sorted(linked):
            if runs and (gap is None or i - runs[-1][-1] <= gap):
                runs[-1].append(i)
            else:
                runs.append([i])
        runs = [r for r in runs if len(r) > 1]
        if runs:
            out[j] = runs
    return out


def _phrase_names(parts, gap=None, others=None) -> set[int]:
    """The translation words (alignment indices) linked at ``WORD_LINK`` to two source
    content words or more close together: a name that renders a phrase of them (بيت لحم:
    "Bethlehem", عيد الفصح: "Easter", وكالة الأنباء: "Xinhua"), not one word it replaced;
    ``others`` as for ``_phrase_clusters``."""
    return set(_phrase_clusters(parts, gap, others))


def _phrase_spans(parts, phrases: set[int], gap=None, others=None) -> tuple[set, set]:
    """The (start, end) of the translation words that render a phrase (``_phrase_names``)
    and of the source words of the phrases: from the first to the last source word of a
    run such a name is linked to at ``WORD_LINK`` (جنوب and للرغبي: أفريقيا between them
    is in it); none without an alignment."""
    if parts is None:
        return set(), set()
    src_words, tgt_words, _ = parts
    clusters = _phrase_clusters(parts, gap, others)
    src = {
        (src_words[i].start, src_words[i].end)
        for j in phrases
        for run in clusters.get(j, ())
        for i in range(run[0], run[-1] + 1)
    }
    tgt = {(tgt_words[j].start, tgt_words[j].end) for j in phrases if 0 <= j < len(tgt_words)}
    return src, tgt


def _said_otherwise(translation, parts, arabic, glosses, names: set[str], capitalized, source):
    """What ``_phrase_clusters`` leaves out of the phrases names render: a maximum matching
    of the source's content words to the translation words that render them (``_matching``,
    source: translation, alignment indices), and the source words (alignment indices) the
    dictionary does not know that closely transliterate (``ARTICLE_NAME_SIMILARITY``) one
    of the ``names`` of the article's other translations, which none of the translation's
    ``capitalized`` words writes or is even loosely like (``_alike``), and the
    (source, translation) pairs of ``_names_left_out``."""
    arabic_at = {(s, e): a for s, e, a in arabic}
    elsewhere = _matching(translation, parts, arabic_at, glosses)[0]
    unknown = set()
    for i, t in enumerate(parts[0]):
        a = arabic_at.get((t.start, t.end))
        if a is None or glosses.get(a) or is_arabic_function_word(a) or i in elsewhere:
            continue
        if len(arabic_skeleton(a)) < MIN_REPORTED_SKELETON:
            continue
        if not any(_similar(a, n, ARTICLE_NAME_SIMILARITY) for n in names):
            continue
        if any(_alike(a, w) or _explains(a, frozenset(), w) for w in capitalized):
            continue
        unknown.add(i)
    return (
        elsewhere,
        unknown,
        _names_left_out((source, translation), parts, arabic, glosses, names, capitalized),
    )


# The words of a name's lineage (son of, daughter of, family of): English leaves out what
# follows them ("Prince Mohammed" for الأمير محمد بن سلمان, "Sheikh Mohammed" for الشيخ
# محمد بن راشد آل مكتوم), as it does not a surname.
LINEAGE = frozenset(normalize(w) for w in ("بن", "ابن", "بنت", "آل"))


def _names_left_out(texts, parts, arabic, glosses, names, capitalized) -> set:
    """(source, translation) word pairs (alignment indices) where the translation word
    renders no phrase with the source word: a name of its own (the dictionary glosses it
    with names only, one of which it transliterates, or does not know it and it closely
    transliterates one of the article's other ``names``) that no ``capitalized`` word of
    the translation explains, linked to a common word (no common word renders a name:
    كيربي linked to "said"), or to a capitalized word that another source word before it
    explains alone (جون, john: "John"). English cuts a name short to its last word
    ("Putin" for فلاديمير بوتين, "Ancelotti stressed" for أكد كارلو أنشيلوتي, whichever
    word the aligner parks كارلو on), not to its first, but for a name's ``LINEAGE``:
    "spokesman John said" for المتحدث جون كيربي has lost كيربي, whichever word the aligner
    parks it on."""
    source, translation = texts
    arabic_at = {(s, e): a for s, e, a in arabic}
    src_words, tgt_words, links = parts
    linked: dict[int, list[int]] = {}
    for (i, j), link in links.items():
        if 0 <= i < len(src_words) and 0 <= j < len(tgt_words) and link.confidence >= WORD_LINK:
            linked.setdefault(j, []).append(i)
    out = set()
    for j, sources in linked.items():
        if len(sources) < 2:
            continue
        word = _unpossessive(translation[tgt_words[j].start : tgt_words[j].end])
        capital = word[:1].isupper()
        words = {i: arabic_at.get((src_words[i].start, src_words[i].end)) for i in sources}
        alone = [
            i for i, a in words.items() if a and _explains(a, glosses.get(a, frozenset()), word)
        ]
        if capital and not alone:
            continue  # (a name linked to a phrase it renders: Springboks)
        for i, a in words.items():
            if a is None or i in alone or is_arabic_function_word(a):
                continue
            if capital and i < min(alone):
                continue  # (English shortens a name to its last word)
            if i > 0 and normalize(src_words[i - 1].text) in LINEAGE:
                continue
            at = (src_words[i].start, src_words[i].end)
            if not capital and _surname_written(at, source, arabic, glosses, capitalized):
                continue  # (the name cut short to its last word: "Ancelotti stressed")
            own = glosses.get(a) or frozenset()
            named = (own and _proper_name(a, own) is not None) or (
                not own and any(_similar(a, n, ARTICLE_NAME_SIMILARITY) for n in names)
            )
            if named and not any(_explains(a, own, w) for w in capitalized):
                out.add((i, j))
    return out


def _surname_written(at: tuple[int, int], source: str, arabic, glosses, capitalized) -> bool:
    """Whether the source word at ``at`` (its span; ``arabic``: the source's words in
    order) is a first name whose next word, right after it, a capitalized word of the
    translation explains: English cuts a name short to its last word ("Putin said" for
    قال فلاديمير بوتين, where the aligner leaves فلاديمير unlinked)."""
    k = next((n for n, (s, e, _) in enumerate(arabic) if (s, e) == at), None)
    if k is None or k + 1 >= len(arabic):
        return False
    start, _, after = arabic[k + 1]
    if source[at[1] : start].strip():
        return False  # (a mark between: no one name)
    return any(_explains(after, glosses.get(after, frozenset()), w) for w in capitalized)


def _strongest_links(links, targets: int) -> dict[int, float]:
    """Each source word (alignment index): its strongest link to one of the translation's
    ``targets`` words (a link past them is no evidence)."""
    strongest: dict[int, float] = {}
    for (i, j), link in links.items():
        if 0 <= j < targets and link.confidence > strongest.get(i, 0.0):
            strongest[i] = link.confidence
    return strongest


def _renderings(arabic: str, glosses: set[str], words) -> int:
    """How many words of the translation (its ``words``) render the source word
    (``renders``)."""
    return sum(1 for x in words if x[:1].isalpha() and renders(arabic, glosses, x))


def _said_alike(arabic: str, words) -> int:
    """How many of the source's ``words`` ((start, end, word)) are the word ``arabic``: they
    share a form the dictionary knows them by (``dictionary_forms``: باللاتينية and
    اللاتينية, لأفريقيا and إفريقيا; not بحرية and حرية); at least one."""
    forms = _dictionary_forms(arabic)
    return max(1, sum(1 for _, _, b in words if forms & _dictionary_forms(b)))


def _mid_sentence_capitals(translation, tgt_words, phrases, left_out) -> dict[int, str]:
    """The capitalized words in the middle of a sentence (alignment index: the word, not
    US for أمريكا: ``_written_as_a_name``), less function words, the words of ``left_out``
    and those that render a phrase (``phrases``); a word given as None is skipped."""
    capitalized = {}
    for j, t in enumerate(tgt_words):
        if t is None:
            continue
        w = _written_as_a_name(translation[t.start : t.end])
        if w is None or w.lower() in left_out:
            continue
        if j in phrases or is_english_function_word(w) or _at_opening(translation, t.start):
            continue
        capitalized[j] = w
    return capitalized


def _capitalized_links(translation, parts, phrases, arabic, taken_src, taken_tgt):
    """For the link rules of capitalized words: each link of ``WORD_LINK`` or more, the
    strongest first, from a source content word not ``taken_src`` to a capitalized word in
    the middle of a sentence (``_mid_sentence_capitals``; not a number word, month, day or
    the forms of a name's title, nor one that renders a phrase) not ``taken_tgt``, as
    (the source span, the translation span, the Arabic word, the English word). The spans
    a rule reports must be added to ``taken_src`` and ``taken_tgt`` as it goes."""
    src_words, tgt_words, links = parts
    tokens = {(t.start, t.end) for t in word_tokens(translation)}
    # (a word the alignment has where the translation has none: no evidence)
    fitting = [t if (t.start, t.end) in tokens else None for t in tgt_words]
    capitalized = _mid_sentence_capitals(translation, fitting, phrases, _FORMS_OF_A_NAME)
    if not capitalized:
        return
    arabic_at = {(s, e): a for s, e, a in arabic}
    for (i, j), link in sorted(links.items(), key=lambda x: -x[1].confidence):
        if j not in capitalized or not link.confidence >= WORD_LINK:
            continue  # (a NaN confidence is no link)
        if not 0 <= i < len(src_words):
            continue
        at, tat = (src_words[i].start, src_words[i].end), (tgt_words[j].start, tgt_words[j].end)
        a, w = arabic_at.get(at), capitalized[j]
        if a is None or at in taken_src or tat in taken_tgt or is_arabic_function_word(a):
            continue
        yield at, tat, a, w


def _capitalized_only(translation: str, parts, phrases: set[int]) -> set[int]:
    """The translation words of ``phrases`` (alignment indices) written with a capital: a
    common word linked to two source words ("broadsides" to دنلاب and النقدية) renders no
    source name between them, and the name it stands beside is lost when nothing else
    renders it (see ``_one_lost_one_unexplained``)."""
    if parts is None:
        return set()
    tgt_words = parts[1]
    return {
        j for j in phrases if translation[tgt_words[j].start : tgt_words[j].start + 1].isupper()
    }


def _ties(translation, parts, arabic, glosses, names: set[int]) -> set[int]:
    """The translation words among ``names`` (alignment indices) that the alignment ties to
    a source word: a link of ``WORD_LINK``, unless it is below ``DOMINANCE`` of the source
    word's strongest link (as the omission check reads links), or other words of the
    translation render the source word by a gloss as often as the source says it
    (``_said_alike``: سكر once, linked to "sugar" and to "Haiti"; not الميلاد linked to
    "Christmas" where "birth" renders the ميلاد beside it). Such a link is the aligner's
    guess beside the word's own rendering, and ties nothing: a name swapped in beside it
    stands for nothing of the source. On the six FLORES alignments made for tuning this and
    ``KNOWN_WORD_SIMILARITY`` together took name R 0.708 → 0.721 at the same precision and
    clean lines (the gloss rule alone R 0.711, the strength rule alone R 0.711)."""
    src_words, tgt_words, links = parts
    strongest = _strongest_links(links, len(tgt_words))
    candidates = [
        (i, j, link.confidence)
        for (i, j), link in links.items()
        if j in names and link.confidence >= WORD_LINK and 0 <= i < len(src_words)
    ]  # (a NaN confidence is no link; ``names`` are translation words)
    if not candidates:
        return set()
    arabic_at = {(s, e): a for s, e, a in arabic}
    # where each lemma of the translation stands (token starts; a possessive's ’s left
    # off), read once
    at_lemma: dict[str, set[int]] = {}
    for t in word_tokens(translation):
        word = _unpossessive(translation[t.start : t.end])
        for lemma in lemmas(word.lower()):
            at_lemma.setdefault(lemma, set()).add(t.start)
    tied = set()
    for i, j, confidence in candidates:
        if j in tied or confidence < DOMINANCE * strongest.get(i, 0.0):
            continue
        a = arabic_at.get((src_words[i].start, src_words[i].end))
        if a is not None and glosses.get(a):
            rendering = set().union(*(at_lemma.get(g, set()) for g in glosses[a]))
            if len(rendering - {tgt_words[j].start}) >= _said_alike(a, arabic):
                continue
        tied.add(j)
    return tied


def _matching(translation, parts, arabic_at, glosses, linked_first: bool = False):
    """A maximum matching of the source's content words to the translation's words that
    render them (``renders``), alignment indices both, each rendering explaining one
    occurrence of a source word: (source: translation, translation: source). Augmenting
    paths, linked renderings tried first; with ``linked_first`` the source words too, the
    one linked most strongly to a rendering first (it keeps its rendering: "Sun" linked to
    الشمس renders it, and not الشمسي, glossed solar, sun, that the aligner linked to
    another word)."""
    src_words, tgt_words, links = parts
    targets = [(j, _unpossessive(translation[t.start : t.end])) for j, t in enumerate(tgt_words)]
    targets = [(j, x) for j, x in targets if x[:1].isalpha() and not is_english_function_word(x)]
    edges: dict[int, list[int]] = {}
    for i, t in enumerate(src_words):
        a = arabic_at.get((t.start, t.end))
        if a is None or is_arabic_function_word(a):
            continue
        found = [j for j, x in targets if renders(a, glosses.get(a, frozenset()), x)]
        if found:
            found.sort(key=lambda j: -(links[(i, j)].confidence if (i, j) in links else 0.0))
            edges[i] = found
    if linked_first:

        def strength(i: int) -> float:
            return links[(i, edges[i][0])].confidence if (i, edges[i][0]) in links else 0.0

        edges = {i: edges[i] for i in sorted(edges, key=lambda i: -strength(i))}
    src_of = _maximum_matching(edges)
    return {i: j for j, i in src_of.items()}, src_of


def _maximum_matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """A maximum matching of a bipartite graph (``edges``: each left node's right nodes, in
    the order to try them), as right node: left node. By hand (Kuhn's augmenting paths, a
    loop, not recursion: a hand-edited run may repeat words past any depth): the order in
    which each word's renderings are tried decides which occurrence stays unmatched, and no
    library's matching takes an order."""
    src_of: dict[int, int] = {}
    for root in edges:
        seen: set[int] = set()
        stack = [(root, iter(edges[root]))]
        chosen: list[int] = []  # the translation word each frame but the last went through
        while stack:
            i, rest = stack[-1]
            j = next((j for j in rest if j not in seen), None)
            if j is None:
                stack.pop()
                if chosen:
                    chosen.pop()
                continue
            seen.add(j)
            chosen.append(j)
            if j in src_of:  # taken: try to move the word that holds it
                stack.append((src_of[j], iter(edges[src_of[j]])))
                continue
            for (i, _), j in zip(stack, chosen, strict=True):
                src_of[j] = i
            break
    return src_of
