"""The alignment methods behind one interface: ``align(pairs) -> list[Alignment]``.

- ``attention``: the translation model's guided-alignment head (``AttentionAligner``);
- ``statistical``: eflomal both directions, runs averaged, symmetrized (grow-diag-final-and
  by default);
- ``lexical``: matches by form alone (punctuation, numbers, Latin tokens, names, a
  dictionary);
- ``hybrid`` (default): eflomal with lexical and attention links as priors and English
  words Arabic does not write (a, an, is, am, are, do, does) encouraged to stay unaligned;
  links kept where the mean of the two directions' votes (and the attention link, when a
  model is given) reaches ``threshold``, grown to neighbours above ``grow_threshold``,
  punctuation linked only to punctuation, lexical links added; an English pronoun or
  possessive left unaligned joins the Arabic word of the next English word (Arabic drops
  subject pronouns and writes possessives as suffixes). A link's confidence is that mean,
  so agreement between runs, directions and methods raises it.

Statistical methods learn from the pairs being aligned plus ``extra`` parallel text.
"""

from __future__ import annotations

import numbers
from collections import Counter
from collections.abc import Sequence

from align.errors import UserError
from align.limits import MAX_LINE_WORDS, over_limit
from align.links.arabic import ARTICLE, CONJUNCTIONS, PREPOSITIONS, normalize
from align.links.base import Alignment, Link
from align.links.lexical import (
    Dictionary,
    exact_match,
    kinds_agree,
    lexical_links,
    lexicon_links,
)
from align.links.priors import require_units
from align.links.spans import span_pairs
from align.links.statistical import (
    DEFAULT_HEURISTIC,
    DEFAULT_REL_ITERATIONS,
    DEFAULT_RUNS,
    MAX_RUNS,
    MAX_UNITS,
    PRIORS_REL_ITERATIONS,
    check_heuristic,
    eflomal_votes,
    require_eflomal,
)
from align.links.training import (
    LEXICON_PRIOR,
    NULL_PRIOR,
    NULL_WORDS,
    Prepared,
    add_lexicon_priors,
    prepare,
    splitting_morphology,
)
from align.links.units import (
    Side,
    arabic_side,
    english_forms,
    english_side,
    word_strings,
)

METHODS = ("hybrid", "statistical", "lexical", "attention")
DEFAULT_METHOD = "hybrid"
LEXICAL_PRIOR = 10.0
# A background-lexicon entry found in a pair adds LEXICON_VOTE times its strength to the
# pair's vote in the hybrid aligner (and is an eflomal prior: ``training.LEXICON_PRIOR``).
LEXICON_VOTE = 0.25
BACKGROUND_PRIORS = True
# The background's parallel text reaches eflomal twice: as priors learned from all of it
# once (``links.priors.background_priors``, cached), and as training text beside the
# pairs being aligned, but only the BACKGROUND_PAIRS pairs that share the most informative
# Arabic words with them (``links.background.Relevance``). On scripts/bench_links.py's
# gold sets (their own sentences left out of both) this is as accurate as training on the
# whole background beside every text on the public gold (AER 0.159–0.166 against 0.157)
# and more accurate on news (0.245–0.248 against 0.262), in a third of the time. Priors
# alone, without pairs beside the text, measured 0.177 and 0.276; 100 pairs 0.171 and
# 0.266; 350 pairs 0.164 and 0.248.
BACKGROUND_PAIRS = 250
# Arabic drops subject pronouns (the verb's inflection carries them: اخذت "I took") and
# writes possessives as suffixes on the noun (امي "my mother"). An English pronoun or
# possessive that is left unaligned belongs with the Arabic word of the English word that
# follows it (within ABSORB_WINDOW units: "I will stay" ↔ سابقى), at half its confidence.
ABSORBED = frozenset(
    ("i", "you", "we", "he", "she", "they", "it", "my", "your", "his", "her", "our", "their",
     "its")
)  # fmt: skip
ABSORB_WINDOW = 2
# English function words that Arabic writes as a clitic or not at all, decided after eflomal
# (which guesses for them from position) on what Arabic grammar says:
# - "a"/"an": Arabic has no indefinite article; never linked.
# - "the" and "and": written as the clitics ال and و on the word they go with. One that
#   eflomal did not link to a word carrying its clitic (left it unlinked, or put it on a
#   verb or particle by position: "The community irritation led" ↔ أدى انزعاج المجتمع)
#   goes to the Arabic word holding the English word it belongs to: the first linked
#   content word after it within CLITIC_WINDOW words (prepositions, and articles or
#   conjunctions other than its own kind, skipped; punctuation or another word of its kind
#   ends the search), when that Arabic word carries the clitic (ال: البيت, والبيت, بالبيت,
#   للبيت; و: a word beginning with و that the background dictionary does not know as
#   written, so وزير "minister" is not "and"), at half that link's confidence. Otherwise eflomal's
#   links stay (an idafa head has no ال: "the arrival of troops" ↔ وصول القوات).
# - "of": Arabic's construct state (idafa: مدينة القدس "the city of Jerusalem") has no
#   word for it; a link of "of" to the Arabic word of the content word after it is the
#   dependent's, not its own, and is dropped (من "of/from" keeps its links).
# The rules by name, in the order the hybrid aligner applies them (``HybridAligner.rules``).
# scripts/bench_links.py --rules adds them one by one on the same eflomal votes and scores
# each step on both golds (docs/performance.md).
RULES = ("indefinite", "clitics", "idafa")
UNWRITTEN_ARTICLES = frozenset(("a", "an"))
CLITIC_WINDOW = 3
_PREPOSITIONS_EN = frozenset(("of", "to", "in", "on", "for", "with", "by", "at", "from", "as"))
_ARTICLES_EN = frozenset(("the", "a", "an"))
_CONJUNCTIONS_EN = frozenset(("and", "or"))
IDAFA_OF = "of"
IDAFA_WINDOW = 2  # the dependent is one of the next two English words ("of the troops")
_KEEPS_OF = frozenset(("من",))
_NOT_DEPENDENT = _ARTICLES_EN | _PREPOSITIONS_EN | {"and"}  # words between "of" and its noun


def build_alignment(
    src: Side, tgt: Side, links: dict[tuple[int, int], float], method: str
) -> Alignment:
    ordered = tuple(Link(i, j, min(max(c, 0.0), 1.0)) for (i, j), c in sorted(links.items()))
    return Alignment(
        src_tokens=src.units,
        tgt_tokens=tgt.units,
        links=ordered,
        spans=span_pairs(ordered, src.units, tgt.units),
        method=method,
        src_words=src.words,
        tgt_words=tgt.words,
        src_word=src.unit_word,
        tgt_word=tgt.unit_word,
    )


def _grow(
    scores: dict[tuple[int, int], float], threshold: float, grow_threshold: float
) -> set[tuple[int, int]]:
    """Links scoring ≥ threshold, then neighbours (diagonals too) scoring ≥ grow_threshold
    while one of their two units is still unaligned: grow-diag over soft scores."""
    chosen = {x for x, p in scores.items() if p >= threshold}
    src_done = {i for i, _ in chosen}
    tgt_done = {j for _, j in chosen}
    grew = True
    while grew:
        grew = False
        for i, j in sorted(chosen):
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    y = (i + di, j + dj)
                    if y in chosen or scores.get(y, 0.0) < grow_threshold:
                        continue
                    if y[0] not in src_done or y[1] not in tgt_done:
                        chosen.add(y)
                        src_done.add(y[0])
                        tgt_done.add(y[1])
                        grew = True
    return chosen


def absorb_pronouns(
    links: dict[tuple[int, int], float], tgt_forms: Sequence[str]
) -> dict[tuple[int, int], float]:
    """Link each unaligned English pronoun / possessive (``ABSORBED``) to the best-linked
    Arabic unit of the next aligned English unit within ``ABSORB_WINDOW``."""
    best: dict[int, tuple[float, int]] = {}
    for (i, j), c in links.items():
        if j not in best or (c, -i) > (best[j][0], -best[j][1]):
            best[j] = (c, i)
    out = dict(links)
    for j, form in enumerate(tgt_forms):
        if form not in ABSORBED or j in best:
            continue
        anchor = next((k for k in range(j + 1, j + 1 + ABSORB_WINDOW) if k in best), None)
        if anchor is not None:
            c, i = best[anchor]
            out[(i, j)] = c / 2
    return out


def has_article(word: str) -> bool:
    """Whether an Arabic word carries the definite article ال, after a conjunction or a
    preposition (والبيت, بالبيت, للبيت)."""
    form = normalize(word)
    if form[:1] in CONJUNCTIONS and len(form) > 3:
        form = form[1:]
    if form.startswith("لل") and len(form) > 3:  # ل + ال, written without its alif
        return True
    if form[:1] in PREPOSITIONS and form[1:3] == ARTICLE:
        form = form[1:]
    return form.startswith(ARTICLE) and len(form) > 3


def has_conjunction(word: str, lexicon=None) -> bool:
    """Whether an Arabic word begins with the conjunction و: a word of four letters or more
    beginning with و that the background dictionary (when given) does not know as written
    (``Lexicon.whole_word``: والمعارك, not وزير)."""
    form = normalize(word)
    if form[:1] != "و" or len(form) < 4:
        return False
    return not (lexicon is not None and lexicon.whole_word(form))


# English word → (whether an Arabic word carries it, the clitic's unit form, the English
# words that end the search for its word, the English words skipped).
_CLITICS = {
    "the": (
        lambda word, lexicon: has_article(word), ARTICLE, _ARTICLES_EN,
        _PREPOSITIONS_EN | _CONJUNCTIONS_EN,
    ),
    "and": (has_conjunction, "و", _CONJUNCTIONS_EN, _PREPOSITIONS_EN | _ARTICLES_EN),
}  # fmt: skip


def _best_links(links: dict[tuple[int, int], float]) -> dict[int, tuple[float, int]]:
    """Each linked target unit's strongest link: (confidence, source unit)."""
    best: dict[int, tuple[float, int]] = {}
    for (i, j), c in links.items():
        if j not in best or (c, -i) > (best[j][0], -best[j][1]):
            best[j] = (c, i)
    return best


def link_clitic_words(
    links: dict[tuple[int, int], float], src: Side, tgt: Side, lexicon=None
) -> dict[tuple[int, int], float]:
    """Put each "the" and "and" on the clitic of the Arabic word that holds the English word
    it belongs to (``_CLITICS``), at half that link's confidence, unless eflomal already
    linked it to a word carrying that clitic; its other links go."""
    best = _best_links(links)
    out = dict(links)

    def text(unit: int) -> str:
        w = src.words[src.unit_word[unit]]
        return src.text[w.start : w.end]

    for j, form in enumerate(tgt.forms):
        if form not in _CLITICS:
            continue
        carries, unit_form, stop, skipped = _CLITICS[form]
        own = [x for x in out if x[1] == j]
        if any(carries(text(i), lexicon) for i, _ in own):
            continue
        for k in range(j + 1, min(len(tgt.forms), j + 1 + CLITIC_WINDOW)):
            following = tgt.forms[k]
            if following in skipped:
                continue
            if following in stop or not any(ch.isalnum() for ch in following):
                break
            if k not in best:
                continue
            c, i = best[k]
            if carries(text(i), lexicon):
                for x in own:
                    del out[x]
                units = [u for u, w in enumerate(src.unit_word) if w == src.unit_word[i]]
                out[(next((u for u in units if src.forms[u] == unit_form), i), j)] = c / 2
            break
    return out


def drop_idafa_of(
    links: dict[tuple[int, int], float], src: Side, tgt: Side
) -> dict[tuple[int, int], float]:
    """Without the links of "of" to the Arabic word of the next English content word
    (within ``IDAFA_WINDOW``): an idafa writes no "of" (``IDAFA_OF``)."""
    out = dict(links)
    for j, form in enumerate(tgt.forms):
        if form != IDAFA_OF:
            continue
        after = range(j + 1, min(len(tgt.forms), j + 1 + IDAFA_WINDOW))
        content = [
            k for k in after
            if any(ch.isalnum() for ch in tgt.forms[k])
            and tgt.forms[k] not in _NOT_DEPENDENT
        ]  # fmt: skip
        if not content:
            continue
        words = {src.unit_word[i] for (i, k) in links if k == content[0]}
        for i, k in list(out):
            if k == j and src.unit_word[i] in words and src.forms[i] not in _KEEPS_OF:
                del out[(i, k)]
    return out


class LexicalAligner:
    method = "lexical"

    def __init__(
        self, dictionary: Dictionary | None = None, pretokenized: bool = False, background=None
    ) -> None:
        self.dictionary = dictionary
        self.pretokenized = pretokenized
        # The background lexicon tells common words from names; it adds no links here.
        self.background = background

    @property
    def settings(self) -> dict:
        return {
            "dictionary_entries": len(self.dictionary) if self.dictionary else 0,
            "background": _background_info(self.background),
        }

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[Alignment]:
        data = prepare(pairs, pretokenized=self.pretokenized)
        lexicon = self.background.lexicon if self.background is not None else None
        return [
            build_alignment(s, t, lexical_links(s, t, self.dictionary, lexicon), self.method)
            for s, t in zip(data.src, data.tgt, strict=True)
        ]


class StatisticalAligner:
    method = "statistical"

    def __init__(
        self,
        extra: Sequence[tuple[str, str]] = (),
        runs: int = DEFAULT_RUNS,
        symmetrize: str = DEFAULT_HEURISTIC,
        rel_iterations: float | None = None,
        pretokenized: bool = False,
        split_clitics: bool = True,
        background=None,
        priors=None,
    ) -> None:
        require_eflomal()
        require_units(priors, False)  # (this aligner cuts words by their counts alone)
        self.extra = list(extra)
        self.background = background  # its parallel text is training text here
        self.priors = priors  # a links.priors.Priors, or None
        # The background priors are over clitic-split units: without splitting they would
        # not match the text's units, so only the background's pairs are used then.
        self.background_priors = (
            _background_priors(background, lexicon=False)
            if split_clitics and priors is None
            else None
        )
        self.background_text = BackgroundText.of(background)
        self.runs = runs
        self.over_limit: dict[int, str] = {}  # pairs of the last call eflomal left out, why
        self.symmetrize = check_heuristic(symmetrize)
        self.rel_iterations = _iterations(rel_iterations, priors, self.background_priors)
        self.pretokenized = pretokenized
        self.split_clitics = split_clitics

    @property
    def settings(self) -> dict:
        return {
            "runs": self.runs, "symmetrize": self.symmetrize, "extra_pairs": len(self.extra),
            "rel_iterations": self.rel_iterations, "split_clitics": self.split_clitics,
            "background": _background_info(self.background),
            "background_training": _background_training(self),
            "priors": self.priors.record if self.priors is not None else None,
        }  # fmt: skip

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[Alignment]:
        lines, counts = _merged(self.priors, self.background_priors)
        beside = self.background_text.beside(pairs) if self.background_text else []
        data = prepare(pairs, self.extra, self.pretokenized, self.split_clitics, counts, beside)
        self.over_limit = over_units(data)
        votes = eflomal_votes(
            *data.training(),
            aligned=len(data.src),
            runs=self.runs,
            rel_iterations=self.rel_iterations,
            prior_lines=lines,
        )
        return [
            build_alignment(s, t, v.voted(self.symmetrize), self.method)
            for s, t, v in zip(data.src, data.tgt, votes, strict=True)
        ]


class HybridAligner:
    method = "hybrid"

    def __init__(
        self,
        extra: Sequence[tuple[str, str]] = (),
        attention=None,
        dictionary: Dictionary | None = None,
        runs: int = DEFAULT_RUNS,
        rel_iterations: float | None = None,
        threshold: float = 0.5,
        grow_threshold: float = 0.3,
        pretokenized: bool = False,
        null_words: Sequence[str] = NULL_WORDS,
        background=None,
        priors=None,
    ) -> None:
        require_eflomal()
        require_units(priors, splitting_morphology(background) is not None)
        self.extra = list(extra)
        self.background = background  # a links.background.Background, or None
        self.rules = RULES  # the function-word rules applied after eflomal
        self.priors = priors  # a links.priors.Priors, or None
        # Saved priors replace the background's: they carry the user's larger bitext, which
        # the background's would dilute (public gold with the public training text's priors:
        # AER 0.138 without the background's priors, 0.142 with them).
        self.background_priors = (
            _background_priors(background, lexicon=True) if priors is None else None
        )
        self.background_text = BackgroundText.of(background)
        self.attention = attention  # an AttentionAligner, or None
        self.dictionary = dictionary
        self.runs = runs
        self.over_limit: dict[int, str] = {}  # pairs of the last call eflomal left out, why
        self.rel_iterations = _iterations(rel_iterations, priors, self.background_priors)
        self.threshold = threshold
        self.grow_threshold = grow_threshold
        self.pretokenized = pretokenized
        self.null_words = tuple(null_words)

    @property
    def settings(self) -> dict:
        return {
            "runs": self.runs, "rel_iterations": self.rel_iterations,
            "threshold": self.threshold, "grow_threshold": self.grow_threshold,
            "extra_pairs": len(self.extra), "null_words": list(self.null_words),
            "attention": self.attention.settings if self.attention is not None else None,
            "dictionary_entries": len(self.dictionary) if self.dictionary else 0,
            "background": _background_info(self.background),
            "background_training": _background_training(self),
            "priors": self.priors.record if self.priors is not None else None,
        }  # fmt: skip

    def _attention_links(
        self, data: Prepared
    ) -> tuple[list[dict[tuple[int, int], float]], list[tuple[set[int], set[int]]]]:
        """Each pair's attention link of every target unit (its strongest source unit), and
        the units the attention did not reach on each side: those past the pieces the model
        reads at once, which have no attention at all (no link, and no vote against one)."""
        if self.attention is None:
            return [{} for _ in data.src], [(set(), set()) for _ in data.src]
        pairs = [(s.text, t.text) for s, t in zip(data.src, data.tgt, strict=True)]
        tokens = [(s.units, t.units) for s, t in zip(data.src, data.tgt, strict=True)]
        out, unreached = [], []
        for matrix in self.attention.word_attentions(pairs, tokens):
            links = {}
            if matrix.size:
                for j, i in enumerate(matrix.argmax(axis=1)):
                    if matrix[j, i] > 0:
                        links[(int(i), j)] = float(matrix[j, i])
                src_out = {i for i, mass in enumerate(matrix.sum(axis=0)) if mass == 0}
                tgt_out = {j for j, mass in enumerate(matrix.sum(axis=1)) if mass == 0}
            else:
                src_out, tgt_out = set(), set()
            out.append(links)
            unreached.append((src_out, tgt_out))
        return out, unreached

    @property
    def lexicon(self):
        """The background's lexicon, or None."""
        return self.background.lexicon if self.background is not None else None

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[Alignment]:
        lines, counts = _merged(self.priors, self.background_priors)
        beside = self.background_text.beside(pairs) if self.background_text else []
        data = prepare(
            pairs, self.extra, self.pretokenized, counts=counts, background=beside,
            morphology=splitting_morphology(self.background),
        )  # fmt: skip
        self.over_limit = over_units(data)
        lexicon = self.lexicon
        lexical = [
            lexical_links(s, t, self.dictionary, lexicon)
            for s, t in zip(data.src, data.tgt, strict=True)
        ]
        found = [
            lexicon_links(s, t, lexicon) if lexicon is not None else {}
            for s, t in zip(data.src, data.tgt, strict=True)
        ]
        attention, unreached = self._attention_links(data)
        priors: Counter[tuple[str, str]] = Counter()
        for k, links in enumerate(found):
            for (i, j), strength in links.items():
                priors[(data.src[k].forms[i], data.tgt[k].forms[j])] += LEXICON_PRIOR * strength
        if lexicon is not None and BACKGROUND_PRIORS:
            add_lexicon_priors(priors, data.extra_src, data.extra_tgt, lexicon)
        for k, links in enumerate(lexical):
            for i, j in links:
                priors[(data.src[k].forms[i], data.tgt[k].forms[j])] += LEXICAL_PRIOR
        for k, links in enumerate(attention):
            for (i, j), p in links.items():
                priors[(data.src[k].forms[i], data.tgt[k].forms[j])] += p
        prior_list = [(s, t, a) for (s, t), a in sorted(priors.items())]
        prior_list += [("<NULL>", w, NULL_PRIOR) for w in self.null_words]
        votes = eflomal_votes(
            *data.training(),
            aligned=len(data.src),
            runs=self.runs,
            rel_iterations=self.rel_iterations,
            priors=prior_list,
            prior_lines=lines,
        )
        return [
            build_alignment(s, t, {}, self.method)  # not aligned (said): no stray links
            if k in self.over_limit
            else build_alignment(
                s,
                t,
                self._combine(s, t, votes[k], attention[k], lexical[k], found[k], unreached[k]),
                self.method,
            )  # fmt: skip
            for k, (s, t) in enumerate(zip(data.src, data.tgt, strict=True))
        ]

    def _combine(
        self, src: Side, tgt: Side, votes, attention, lexical, found=None, unreached=None
    ) -> dict[tuple[int, int], float]:
        found = found or {}
        src_out, tgt_out = unreached or (set(), set())
        keys = set(votes.forward) | set(votes.reverse) | set(attention) | set(found)
        scores = {}
        for x in keys:
            if not kinds_agree(src.forms[x[0]], tgt.forms[x[1]]):
                continue
            parts = [votes.forward.get(x, 0.0), votes.reverse.get(x, 0.0)]
            if self.attention is not None and x[0] not in src_out and x[1] not in tgt_out:
                parts.append(1.0 if x in attention else 0.0)
            scores[x] = min(1.0, sum(parts) / len(parts) + LEXICON_VOTE * found.get(x, 0.0))
        links = {x: scores[x] for x in _grow(scores, self.threshold, self.grow_threshold)}
        # Matches by form join the statistical links (they rarely disagree; removing a
        # unit's other links when it matched by form measured worse on word-align). A name
        # or dictionary match that both eflomal directions and the attention reject is weak
        # evidence: kept, at half its confidence, only between units left unaligned.
        src_done = {i for i, _ in links}
        tgt_done = {j for _, j in links}
        for x, c in lexical.items():
            supported = votes.forward.get(x, 0.0) > 0 or votes.reverse.get(x, 0.0) > 0
            if supported or x in attention or exact_match(src.forms[x[0]], tgt.forms[x[1]]):
                links[x] = max(c, links.get(x, 0.0))
            elif x[0] not in src_done and x[1] not in tgt_done:
                links[x] = c / 2
        if "indefinite" in self.rules:
            links = {x: c for x, c in links.items() if tgt.forms[x[1]] not in UNWRITTEN_ARTICLES}
        links = absorb_pronouns(links, tgt.forms)
        if "clitics" in self.rules:
            links = link_clitic_words(links, src, tgt, self.lexicon)
        if "idafa" in self.rules:
            links = drop_idafa_of(links, src, tgt)
        return links


class BackgroundText:
    """The background's parallel text as eflomal trains on it beside a text, read once per
    aligner: each pair's Arabic words and English units, and its ranking by relevance. The
    Arabic is cut into units with each text's own clitic splitter (``prepare``), so that the
    text and the background pairs beside it share their units."""

    def __init__(self, background) -> None:
        from align.links.background import Relevance

        self.arabic = [" ".join(word_strings(ar, False)) for ar, _ in background.pairs]
        self.english = [tuple(english_forms(en)) for _, en in background.pairs]
        self.keys = [" ".join(ar.split()) for ar, _ in background.pairs]
        self.relevance = Relevance(background.pairs)

    @classmethod
    def of(cls, background) -> BackgroundText | None:
        if background is None or not background.pairs:
            return None
        return cls(background)

    def beside(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, tuple[str, ...]]]:
        """The BACKGROUND_PAIRS pairs most relevant to ``pairs``, without the sentences
        being aligned (a text that is also in the background would otherwise count twice),
        as ``prepare`` takes them."""
        aligned = {" ".join(s.split()) for s, _ in pairs}
        skip = [k for k, key in enumerate(self.keys) if key in aligned]
        chosen = self.relevance.top([s for s, _ in pairs], BACKGROUND_PAIRS, skip)
        return [(self.arabic[k], self.english[k]) for k in chosen]


def _background_priors(background, lexicon: bool):
    """The priors of the background's parallel text (cached), or None without one."""
    if background is None or not background.pairs:
        return None
    from align.links.priors import background_priors

    return background_priors(background, lexicon)


def _iterations(given: float | None, *priors) -> float:
    """eflomal's relative iterations: as given, else fewer when priors start it."""
    if given is not None:
        return given
    if any(p is not None for p in priors):
        return PRIORS_REL_ITERATIONS
    return DEFAULT_REL_ITERATIONS


def _background_training(aligner) -> dict | None:
    """How the background's parallel text was trained on (None: it was not): its priors
    (None when saved priors replace them) and the pairs trained beside the text."""
    if aligner.background_text is None:
        return None
    made = aligner.background_priors
    return {
        "priors": made.record if made is not None else None,
        "pairs_beside_text": BACKGROUND_PAIRS,
    }


def _merged(*all_priors) -> tuple[list[str], Counter[str] | None]:
    """Prior lines and Arabic word counts of several priors (eflomal adds up repeated
    entries); None for no counts."""
    lines: list[str] = []
    counts: Counter[str] = Counter()
    for priors in all_priors:
        if priors is not None:
            lines += priors.lines
            counts.update(priors.counts)
    return lines, counts or None


def _background_info(background) -> list[dict] | None:
    return background.records if background is not None else None


def too_long(src: str, tgt: str) -> str | None:
    """Why a pair is longer than the aligners take (None when it is not): ``align.limits``."""
    for side, text in (("Arabic", src), ("English", tgt)):
        reason = over_limit(text, "aligned")
        if reason:
            return f"the {side} side {reason}"
    return None


def over_units(data: Prepared) -> dict[int, str]:
    """The pairs eflomal leaves out for their length in units (``statistical.MAX_UNITS``),
    and why: a line under the word limit can still have that many units when it is thick
    with punctuation or clitics."""
    out = {}
    for k, (s, t) in enumerate(zip(data.src, data.tgt, strict=True)):
        for side, units in (("Arabic", s.forms), ("English", t.forms)):
            if len(units) > MAX_UNITS:
                out[k] = (
                    f"the {side} side has {len(units):,} units (words, clitics and punctuation "
                    f"marks), more than the {MAX_UNITS:,} eflomal aligns"
                )
                break
    return out


class LengthLimited:
    """Any aligner, with pairs over the length limit left without links (their units are
    still given, so offsets and word counts stay right); ``skipped`` lists them by index
    after each call. Hand-written: the limit is ours, not a library's."""

    def __init__(self, inner, pretokenized: bool = False, limit=None) -> None:
        self.inner = inner
        self.method = inner.method
        self.pretokenized = pretokenized
        # The inner aligner's own limit (``limit(src, tgt)``: why a pair is too long for it,
        # or None), checked after ours: the attention aligner's, which reads a model's
        # position table's worth of pieces and would leave the words past it unlinked.
        self.limit = limit
        self.skipped: list[int] = []
        self.reasons: dict[int, str] = {}  # why each skipped pair was skipped

    @property
    def settings(self) -> dict:
        return {**self.inner.settings, "max_words": MAX_LINE_WORDS}

    def _too_long(self, src: str, tgt: str) -> str | None:
        reason = too_long(src, tgt)
        if reason is None and self.limit is not None:
            reason = self.limit(src, tgt)
        return reason

    def align(self, pairs: Sequence[tuple[str, str]]) -> list[Alignment]:
        found_reasons = {k: self._too_long(s, t) for k, (s, t) in enumerate(pairs)}
        self.reasons = {k: r for k, r in found_reasons.items() if r}
        skip = set(self.reasons)
        kept_at = [k for k in range(len(pairs)) if k not in skip]
        kept = self.inner.align([pairs[k] for k in kept_at])
        # The inner aligner's own refusals (eflomal's unit limit), by index in ``pairs``.
        for k, reason in getattr(self.inner, "over_limit", {}).items():
            self.reasons[kept_at[k]] = reason
        self.skipped = sorted(self.reasons)
        if not skip:
            return kept
        out: list[Alignment] = []
        found = iter(kept)
        for k, (s, t) in enumerate(pairs):
            if k in skip:
                src = arabic_side(s, None, self.pretokenized)
                tgt = english_side(t, self.pretokenized)
                out.append(build_alignment(src, tgt, {}, self.method))
            else:
                out.append(next(found))
        return out


def make_aligner(
    method: str,
    *,
    extra: Sequence[tuple[str, str]] = (),
    attention=None,
    dictionary: Dictionary | None = None,
    pretokenized: bool = False,
    runs: int = DEFAULT_RUNS,
    symmetrize: str = DEFAULT_HEURISTIC,
    background=None,
    priors=None,
):
    """The aligner called ``method`` (pairs over the length limit get no links);
    ``attention`` is an AttentionAligner (or None); ``background`` a
    ``links.background.Background`` (None: no background); ``priors`` saved ``Priors``."""
    if priors is not None and method not in ("statistical", "hybrid"):
        raise UserError(
            f"--priors are eflomal's, for the statistical and hybrid methods; the {method} "
            "method does not use them"
        )
    if (
        isinstance(runs, bool)
        or not isinstance(runs, numbers.Integral)
        or not 1 <= runs <= MAX_RUNS
    ):
        raise UserError(f"runs= is a whole number from 1 to {MAX_RUNS}, not {runs!r}.")
    limit = None
    if method == "attention":
        if attention is None:
            raise UserError("The attention aligner needs a translation model (--model).")
        inner = attention
        limit = attention.too_long
    elif method == "lexical":
        inner = LexicalAligner(dictionary, pretokenized, background)
    elif method == "statistical":
        inner = StatisticalAligner(
            extra, runs, symmetrize, pretokenized=pretokenized, background=background,
            priors=priors,
        )  # fmt: skip
    elif method == "hybrid":
        inner = HybridAligner(
            extra, attention, dictionary, runs=runs, pretokenized=pretokenized,
            background=background, priors=priors,
        )  # fmt: skip
    else:
        raise UserError(
            f"Unknown alignment method {method!r}; choose one of: {', '.join(METHODS)}."
        )
    return LengthLimited(inner, pretokenized, limit)
