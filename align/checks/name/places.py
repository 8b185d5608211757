"""Countries, their capitals and seats of government: a capital or seat that stands for its
country ("Washington said", "Moscow's decision") is no changed name, and a country the
translation names that no source word names is an added one.
"""

from __future__ import annotations

import functools
import re

from align.checks.base import Finding
from align.checks.dictionary import dictionary_forms as _dictionary_forms
from align.checks.dictionary import glosses as _glosses
from align.checks.dictionary import glosses_here as _glosses_here
from align.checks.name.proper import _countries, _country_words, _nisba_base_glosses, _proper_name
from align.checks.name.spelled import _spellings
from align.checks.name.spelling import (
    _alone_in_its_run,
    _arabic_words,
    _english_names,
    _explains,
    _is_nisba,
    _known,
    _plain_name,
    _same_skeleton,
    _similar,
    _unpossessive,
    renders,
    word_tokens_text,
)
from align.checks.name.thresholds import ADDED_CONFIDENCE, COUNTRY_SIMILARITY, NAME
from align.links.arabic import ARTICLE, CONJUNCTIONS, PREPOSITIONS, normalize


@functools.cache
def _capitals() -> dict[str, frozenset[str]]:
    """Each country's names to its capital's (``_countries``): news writes a government
    by its capital ("Moscow said" where the source says قالت روسيا), a rendering and no
    changed name."""
    out: dict[str, set[str]] = {}
    for names, capitals, *_ in _countries():
        for name in names:
            out.setdefault(name, set()).update(capitals)
    return {k: frozenset(v) for k, v in out.items()}


@functools.cache
def _seats() -> dict[str, frozenset[str]]:
    """Each capital's whole name (no English word: Malé is "male") to its country's names
    and its people's (``_countries``): news writes a government by its capital the other
    way too ("Iran denies" for طهران تنفي, "the Syrian government said" for قالت دمشق).
    A word of a country's name of several counts where no other country's name has it
    ("saudi" and "arabia" of Saudi Arabia; not "arab" of the Syrian Arab Republic, nor
    "ireland" of the United Kingdom's long name, which Ireland's is); a capital's words
    alone name nothing (Juan of San Juan, Louis of Port Louis). Only where the capital
    stands for its government (``_the_government``)."""
    countries = _countries()
    seen: dict[str, int] = {}
    for names, _, people, *_ in countries:
        for word in {w for n in names | people for w in n.split()}:
            seen[word] = seen.get(word, 0) + 1
    out: dict[str, set[str]] = {}
    for names, _, people, capital, wholes in countries:
        if not capital or _known(capital):
            continue
        said = wholes | {n for n in names | people if seen.get(n, 0) <= 1}
        out.setdefault(capital, set()).update(said)
    return {k: frozenset(v) for k, v in out.items()}


@functools.lru_cache(maxsize=4096)
def _country_spelled(arabic: str) -> frozenset[str]:
    """The names of the country one of whose names (``_countries``) is a nisba itself,
    one word ending in i, with the Arabic word's consonants (``_same_skeleton``):
    السعودية is "Saudi", the country news writes by that word alone, while اليابانية
    ("Japanese") is no جابان, nor "Lebanon" (a name with no nisba ending)."""
    out: set[str] = set()
    for names, *_ in _countries():
        if any(" " not in n and n.endswith("i") and _same_skeleton(arabic, n) for n in names):
            out |= names
    return frozenset(out)


# Arabic prepositions of place before a capital (في موسكو, إلى طهران, من بغداد): there the
# capital is a place, and its country in the translation loses it ("the attack in
# Russia"); said with no preposition it is the government (قالت طهران, "Iran said").
_PLACE_PREPOSITIONS = frozenset(
    normalize(w)
    for w in "في الى إلى من على عن نحو قرب داخل خارج عبر حول بين لدى عند حتى أمام".split()  # noqa: SIM905
)


# Particles that open a clause whose subject a capital may be (لكن طهران تنفي, إن موسكو).
_OPENING_PARTICLES = frozenset(
    normalize(w)
    for w in "لكن إن أن ان كما بينما فيما حيث ثم بل قد".split()  # noqa: SIM905
)


def _carries_a_preposition(word: str) -> bool:
    """Whether the word begins with a bare preposition (بموسكو, بالقاهرة, لطهران): one of
    its letters before a word the dictionary knows only without it (``dictionary_forms``;
    بيروت is known as written, its ب is the name's)."""
    form = normalize(word)
    stem = form[1:] if form[:1] in CONJUNCTIONS and len(form) > 4 else form
    if stem[:1] not in PREPOSITIONS:
        return False
    known = _dictionary_forms(word)
    return stem not in known and stem.removeprefix(ARTICLE) not in known


def _the_government(source: str, start: int, end: int) -> bool:
    """Whether the source word at ``start`` stands where a capital names its government:
    the first word of the line, after a particle that opens a clause (لكن طهران تنفي), or
    after a verb of the feminine perfect, whose subject it is (قالت أنقرة, أعلنت دمشق: a
    word of three letters or more that ends in ت, without the article, and no feminine
    plural of five letters or more, مباحثات), or of the feminine present (``_present``:
    تقول طهران, "Iran says"). Not after a preposition of place (في موسكو, بموسكو) nor
    after a noun (شمال بغداد, جامعة دمشق, سكان طهران, تقرير طهران): there it is the place,
    and its country in the translation loses it ("the attack in Russia")."""
    if _carries_a_preposition(source[start:end]):
        return False
    before = [w for s, _, w in _arabic_words(source[:start]) if s < start][-1:]
    if not before:
        return True
    prev = normalize(before[0])
    if prev in _OPENING_PARTICLES or (
        prev[:1] in CONJUNCTIONS and prev[1:] in _OPENING_PARTICLES  # (فإن, وإن; فيما itself)
    ):
        return True
    prev = prev[1:] if prev[:1] in CONJUNCTIONS and len(prev) > 3 else prev
    # (a noun is no verb: one with the article, البيت, or a feminine plural of five letters
    # or more, مباحثات موسكو, انفجارات بغداد; قوات دمشق is the government's forces)
    if prev.startswith(ARTICLE) or (len(prev) >= 5 and prev.endswith("ات")):
        return False
    if _present(prev):
        return True
    return len(prev) >= 3 and prev.endswith("ت") and prev not in _PLACE_PREPOSITIONS


def _present(form: str) -> bool:
    """Whether a normalized word (no conjunction, no article) is a verb of the feminine
    present, whose subject a capital after it is: ت and three letters or more, no
    feminine ending (ة, read ه), and a form the dictionary does not know, as it knows
    nouns and not the present's forms (تقول, تنفي, تتهم, تؤكد; not تقرير, report, nor
    تحذير, warning). A present the dictionary knows as another word (ترى: stringed) is
    not read. On the stored alignments of the benchmark (FLORES seeds 0 to 4, the news
    article's sets, the conversational lines) and the 44 runs over clean news pairs, not
    one finding more or fewer: their lines put no capital after a present."""
    return len(form) >= 4 and form.startswith("ت") and not form.endswith("ه") and not _glosses(form)


def _without_metonyms(findings: list[Finding], source: str, translation: str) -> list:
    """``findings`` less those a capital said for its country explains (``_capitals``), or
    a country said for its capital (``_seats``): a source
    country changed into its capital ("Moscow" where the source has روسيا), a capital
    added where a source word names its country, a source country missing where the
    translation has its capital, and the same with a capital of the source and its
    country or people in the translation ("Iran" for طهران, "Syrian" for دمشق) where the
    capital stands for its government (``_the_government``). Not where a source word of
    the line renders the translation's word itself (موسكو beside روسيا: "Moscow" is that
    one's), nor for a nisba (اليابانية: "Japanese", not Japan); an added name is a
    metonym only of a source word no name of the translation renders ("Damascus said …
    control of Syria" adds Syria)."""
    related, seats = _capitals(), _seats()
    here = _glosses_here(source)
    arabic = _arabic_words(source)
    names = [w for _, _, w in _english_names(translation)]

    def meanings(a: str) -> set[str]:
        return set(here.get(a) or _glosses(a))

    def metonym(start: int, end: int, w: str) -> bool:
        a = source[start:end]
        # (the country's name, not its nisba: "Tokyo" for اليابانية is no rendering; a
        # country written like one, السعودية, is read by its letters, ``_country_spelled``)
        glosses = _country_spelled(a) if _is_nisba(normalize(a)) else meanings(a)
        if not glosses:
            return False
        low = _plain_name(_unpossessive(w))  # (Iran's: iran)
        if any(low in related.get(g, ()) for g in glosses):
            return True
        return any(low in seats.get(g, ()) for g in glosses) and _the_government(source, start, end)

    def people_of_the_place(start: int, end: int, at: tuple[int, int]) -> bool:
        # a capital after a preposition of place said by its people's word before the
        # rendering of the word the place qualifies: مسؤولون في واشنطن, "American officials"
        a, w = source[start:end], translation[at[0] : at[1]]
        low = _plain_name(w)
        glosses = meanings(a)
        if not any(low in people for _, capitals, people, *_ in _countries() if capitals & glosses):
            return False
        before = [x for s, _, x in arabic if s < start][-2:]
        following = re.match(r"\s+([A-Za-z]+)", translation[at[1] :])
        if len(before) < 2 or following is None:
            return False
        prep = normalize(before[1])
        prep = prep[1:] if prep[:1] in CONJUNCTIONS and prep[1:] in _PLACE_PREPOSITIONS else prep
        if prep not in _PLACE_PREPOSITIONS:
            return False
        head = before[0]
        return renders(head, meanings(head), following.group(1))

    def named(start: int, end: int) -> bool:  # a source word that may be a name
        a = source[start:end]
        return _is_nisba(normalize(a)) or _proper_name(a, meanings(a)) is not None

    @functools.cache
    def said(w: str) -> bool:  # a source word renders the name itself
        return any(_explains(a, meanings(a), w) for _, _, a in arabic)

    def rendered(a: str) -> bool:  # a name of the translation renders the source word
        return any(_explains(a, meanings(a), x) for x in names)

    out = []
    for f in findings:
        w = translation[f.tgt[0] : f.tgt[1]] if f.tgt else None
        if w is not None and not said(w):
            if f.src is not None and metonym(*f.src, w):
                continue  # changed into its metonym
            if f.src is not None and f.tgt is not None and people_of_the_place(*f.src, f.tgt):
                continue  # the place's people: "American officials"
            if (
                f.src is not None
                and f.tgt is not None
                and not named(*f.src)
                and _alone_in_its_run(translation, *f.tgt)
                and any(metonym(s, e, w) for s, e, _ in arabic if (s, e) != f.src)
            ):
                continue  # beside no name it replaced: another source word's metonym
            if f.src is None and any(
                (metonym(s, e, w) and not rendered(a)) or people_of_the_place(s, e, f.tgt)
                for s, e, a in arabic
            ):
                continue  # added: the metonym of a source word nothing else renders
        if (
            f.src is not None
            and w is None
            and any(metonym(*f.src, x) and not said(x) for x in names)
        ):
            continue  # missing: the translation has its metonym
        out.append(f)
    return out


def _countries_named_nowhere(translation: str, arabic, glosses: dict, latin: set, lexicon, taken):
    """``added`` warnings for the countries the translation names (``_country_words``)
    that the dictionary writes in Arabic (a headword glossed with the name alone: هايتي,
    "Haiti"; not الجبل الأسود, "Montenegro", a phrase it lacks) and that the source names
    nowhere: in Latin script, or by a source word whose glosses have the country, its
    capital or its people (``_explains``, not by letters), or that spells one of them at
    least ``COUNTRY_SIMILARITY`` alike. A name swapped in that the looser rules take as
    explained (تشتهر, "is famous", spells "Australia" at their bar) or that stands in a run
    of capitalized words ("the United States Haiti Committee" for اللجنة الأولمبية
    الأمريكية). A country written possessive or before a hyphen ("Yemen's Houthis",
    "Iran-backed") is context a translator adds, and left alone; so is one the alignment
    ties to a phrase it renders, or a word ``taken`` (its spans, and the words, lower
    case, the rules above reported); each country is reported once."""
    out = []
    spans, words = taken
    words = set(words)
    meanings: dict[str, set[str]] = {}  # each source word's glosses, its nisba base's too
    for start, end, token in word_tokens_text(translation):
        if _unpossessive(token) != token or translation[end : end + 1] in ("-", "\u2013"):
            continue  # (context: "Yemen's Houthis", "Iran-backed")
        says = _country_words().get(token.lower())
        if says is None or not token[:1].isupper() or token.lower() in latin | words:
            continue
        if (start, end) in spans or not _spellings(lexicon).get(token.lower()):
            continue
        if not meanings:
            meanings = {a: glosses[a] | _nisba_base_glosses(a) for _, _, a in arabic}
        if any(
            _explains(a, meanings[a], x, by_letters=False) or _similar(a, x, COUNTRY_SIMILARITY)
            for a in meanings
            for x in says
        ):
            continue
        words.add(token.lower())
        out.append(
            Finding(
                NAME,
                "added",
                "warning",
                ADDED_CONFIDENCE,
                f"The translation names {token!r}, a country no word of the source names.",
                None,
                (start, end),
            )  # fmt: skip
        )
    return out
