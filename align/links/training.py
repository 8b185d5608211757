"""What eflomal learns from: the units of the pairs and extra text, and the priors every
training starts with (English words Arabic does not write, the background lexicon's
entries).

Shared by the aligners (``links.methods``) and the priors made ahead of time
(``links.priors``), which train eflomal the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from align.links.arabic import CliticSplitter
from align.links.lexical import lexicon_matches
from align.links.units import Side, arabic_forms, arabic_side, english_forms, english_side

# English words with no written Arabic counterpart: Arabic has no indefinite article, no
# present-tense copula and no do-support. A strong prior keeps them unaligned unless the
# data insist (they still align to هو or يكون when eflomal finds that).
NULL_WORDS = ("a", "an", "is", "am", "are", "do", "does")
NULL_PRIOR = 1000.0
# A background-lexicon entry found in a pair: an eflomal prior (pseudo-count, times the
# entry's strength); the hybrid aligner also adds it to the pair's vote (``LEXICON_VOTE``).
LEXICON_PRIOR = 5.0


@dataclass
class Prepared:
    src: list[Side]
    tgt: list[Side]
    extra_src: list[list[str]] = field(default_factory=list)  # forms only
    extra_tgt: list[list[str]] = field(default_factory=list)

    def training(self) -> tuple[list[Sequence[str]], list[Sequence[str]]]:
        """Forms of every pair eflomal learns from: the pairs aligned first, then the extra."""
        return (
            [s.forms for s in self.src] + list(self.extra_src),
            [t.forms for t in self.tgt] + list(self.extra_tgt),
        )


def prepare(
    pairs: Sequence[tuple[str, str]],
    extra: Sequence[tuple[str, str]] = (),
    pretokenized: bool = False,
    split_clitics: bool = True,
    counts: Counter[str] | None = None,
    background: Sequence[tuple[str, Sequence[str]]] = (),
    morphology=None,
) -> Prepared:
    """Units of every pair; the clitic splitter learns its word counts from all Arabic given
    (plus ``counts``, the word counts saved with priors) and, with ``morphology``
    (Buckwalter's lexicon, ``splitting_morphology``), from the splits its analyses allow.
    ``background``: training pairs after ``extra``, as (Arabic words joined by spaces,
    English forms): ``BackgroundText``."""
    splitter = None
    arabic = [s for s, _ in pairs] + [s for s, _ in extra] + [s for s, _ in background]
    if split_clitics:
        splitter = CliticSplitter.from_texts(arabic, morphology=morphology)
        if counts:
            splitter.counts.update(counts)
    return Prepared(
        [arabic_side(s, splitter, pretokenized) for s, _ in pairs],
        [english_side(t, pretokenized) for _, t in pairs],
        [arabic_forms(s, splitter, pretokenized) for s, _ in extra]
        + [arabic_forms(s, splitter, True) for s, _ in background],
        [english_forms(t, pretokenized) for _, t in extra] + [list(t) for _, t in background],
    )


def splitting_morphology(background):
    """The lexicon the hybrid aligner's clitic splitter reads beside its counts: the
    background lexicon's Buckwalter morphology, or None (no background, or one without it).
    One rule for the aligner and its background priors, so that both cut words into the
    same units (the statistical aligner, which reads no lexicon, splits by counts alone)."""
    lexicon = getattr(background, "lexicon", None)
    return getattr(lexicon, "morphology", None)


def add_lexicon_priors(
    priors: Counter[tuple[str, str]],
    src_forms: Sequence[Sequence[str]],
    tgt_forms: Sequence[Sequence[str]],
    lexicon,
) -> None:
    """Add the background lexicon's entries found in training pairs (their unit forms) to
    ``priors``, as eflomal pseudo-counts: LEXICON_PRIOR times the entry's strength."""
    for s_forms, t_forms in zip(src_forms, tgt_forms, strict=True):
        for (i, j), strength in lexicon_matches(s_forms, t_forms, lexicon).items():
            priors[(s_forms[i], t_forms[j])] += LEXICON_PRIOR * strength
