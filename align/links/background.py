"""Background knowledge for the aligners: what they know before the user gives them any text.

An article has 20 to 60 sentence pairs; a statistical aligner trained on those alone knows
almost nothing. Two licensed resources fill the gap, used by default and recorded in every
manifest (name, version, SHA-256):

- **a bilingual dictionary**: FreeDict's Arabic–English dictionary (Debian package
  ``dict-freedict-ara-eng``, 53k headwords, GPL-2.0-or-later), read from its dictd files.
  Headwords are matched after normalization and clitic removal (الغضب and غضب both match
  the stem unit غضب), glosses by English lemma (lemminflect: "Angers" and "anger" are one
  entry), multi-word glosses by their content words. Entries are evidence, not fixed links:
  they become eflomal priors and a graded vote in the hybrid aligner. Read with it,
  Buckwalter's Arabic lexicon (``align.links.morphology``) glosses the inflected words
  FreeDict's headwords miss, as the same kind of evidence (``Lexicon.get``).
- **parallel text**: FLORES-200 devtest (1,012 news and travel sentences, CC BY-SA 4.0),
  shipped as package data (``align/data/flores200-devtest``, read with
  ``importlib.resources``) with its attribution and licence, added to the statistical
  model's training text.

The dictionary is parsed once and kept in the cache folder (``$ARABIC_ALIGN_CACHE`` or
``~/.cache/arabic-align``) with the SHA-256 of the files it came from and of itself: a later
load checks both and costs a few milliseconds; a cache that fails the check is rebuilt.

dictd's format (an ``.index`` of headword, base64 offset and length; a ``.dict.dz`` that is
gzip-compatible) is small enough to read here: the dictd tools are servers and clients, and
no maintained Python library reads the files.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import json
import math
import os
import pickle
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from align.data import data_file
from align.errors import JobError, OutputError, option
from align.links.arabic import ARTICLE, CONJUNCTIONS, PREPOSITIONS, is_arabic_word, normalize
from align.links.glosses import MAX_GLOSS_WORDS, content_words, lemmas
from align.records import atomic_write_bytes, cache_root

if TYPE_CHECKING:
    from align.links.morphology import Morphology

FORMAT_VERSION = 5  # of the parsed lexicon kept in the cache; raise when parsing changes
DICTD_DIRS = ("/usr/share/dictd", "/usr/local/share/dictd")
DICT_ENV = "ARABIC_ALIGN_DICTD"  # a folder holding freedict-ara-eng.index and .dict.dz
DICT_NAME = "freedict-ara-eng"
DICT_LICENCE = "GPL-2.0-or-later"
DICT_PACKAGE = "dict-freedict-ara-eng"
PARALLEL_NAME = "flores200-devtest"
PARALLEL_LICENCE = "CC-BY-SA-4.0"
PARALLEL_DIR = data_file(PARALLEL_NAME)  # package data, with its README (attribution, licence)
PARALLEL_FILES = ("arb_Arab.devtest", "eng_Latn.devtest")
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NUMBERED = re.compile(r"^\d+\.\s+")
# Multi-word headwords of up to this many words are kept as phrases (``Lexicon.phrases``):
# FreeDict's are all this short; a longer one would be a saying, not a name for a thing.
MAX_PHRASE_WORDS = 4


def _b64(text: str) -> int:
    n = 0
    for ch in text:
        k = _B64.find(ch)
        if k < 0:
            raise ValueError(f"{text!r} is not a dictd base64 number")
        n = n * 64 + k
    return n


def read_dictd(index: Path, data: Path) -> list[tuple[str, str]]:
    """(headword, definition text) of every entry of a dictd dictionary, in index order.

    Raises ValueError on anything that is not a well-formed dictd pair of files."""
    raw = gzip.decompress(data.read_bytes()) if data.suffix == ".dz" else data.read_bytes()
    entries = []
    for n, line in enumerate(index.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{index}, line {n}: not headword<TAB>offset<TAB>length")
        head, offset, length = fields[0], _b64(fields[1]), _b64(fields[2])
        if offset + length > len(raw):
            raise ValueError(f"{index}, line {n}: points past the end of {data.name}")
        if head.startswith("00database") or head.startswith("00-database"):
            continue
        entries.append((head, raw[offset : offset + length].decode("utf-8")))
    if not entries:
        raise ValueError(f"{index} has no entries")
    return entries


def freedict_glosses(definition: str) -> list[str]:
    """The English glosses of a FreeDict ara-eng entry: its first line is the headword and
    its pronunciation, then one gloss a line, numbered when there are several."""
    lines = [line.strip() for line in definition.splitlines()[1:]]
    return [_NUMBERED.sub("", line) for line in lines if line]


def arabic_keys(word: str) -> set[str]:
    """Matching forms of an Arabic word as the aligner's units may show it: the normalized
    word, without a leading conjunction, preposition and article."""
    form = normalize(word)
    keys = {form}
    stem = form
    if stem[:1] in CONJUNCTIONS and len(stem) > 3:
        stem = stem[1:]
        keys.add(stem)
    if stem[:1] in PREPOSITIONS and stem[1:3] == ARTICLE and len(stem) > 4:
        stem = stem[1:]
    if stem.startswith(ARTICLE) and len(stem) > 3:
        keys.add(stem[2:])
    return {k for k in keys if len(k) >= 2}


# FreeDict's headwords are citation forms (متحد, حكومة, مهندس, أمريكي) and a text inflects
# them (المتحدة, حكومات, مهندسون, طرفان, الأمريكية); the clitic splitter takes off the
# clitics but not these suffixes. ``Lexicon.lookup`` tries a form the dictionary lacks again
# without one (normalized: ة is ه), in this order and with the replacement endings given
# (حكومات → حكومه), while at least MIN_STEM letters are left. Light stemming rather than a
# morphological analyser: the lookup needs the headword, not the analysis, and a fallback
# that only runs on a miss never changes a form the dictionary has. The name check reads
# glosses this way; the aligners' evidence stays exact (the fallback there left the news
# AER of scripts/bench_links.py where it was, 0.247–0.251).
STEM_SUFFIXES = (
    ("ات", ("", "ه")), ("ين", ("",)), ("ون", ("",)), ("ان", ("",)), ("يه", ("",)),
    ("ه", ("",)), ("ي", ("",)),
)  # fmt: skip
MIN_STEM = 3


# A multi-word headword, found by the matching forms of its first two words: the matching
# forms of its later words, in order, and its glosses' lemmas.
Phrase = tuple[tuple[frozenset[str], ...], frozenset[str]]


@dataclass
class Lexicon:
    """Arabic matching form → English lemmas, each with a strength in (0, 1]: 1 for a
    single-word gloss, less for a content word of a multi-word gloss.

    ``phrases`` holds the multi-word headwords (القارة القطبية الجنوبية: Antarctica) that have
    a one-word gloss, by every pair of matching forms of their first two words (a text's
    words pair with few headwords, where its first words alone, في or من, start hundreds):
    the matching forms of each later word, in order, and the lemmas of the one-word
    glosses. Which of a phrase's words carries the gloss is unknown, so they are no entries
    of ``entries``; the checks read a phrase where the source has all its words in a row."""

    entries: dict[str, dict[str, float]] = field(default_factory=dict)
    phrases: dict[tuple[str, str], list[Phrase]] = field(default_factory=dict)
    # Buckwalter's lexicon (``align.links.morphology``), read by ``get`` and ``whole_word``
    # beside the entries: the aligners' background has it, the checks' dictionary not.
    morphology: Morphology | None = field(default=None, compare=False, repr=False)
    _merged: dict[str, dict[str, float]] = field(default_factory=dict, compare=False, repr=False)

    def add(self, arabic: str, lemma: str, strength: float) -> None:
        row = self.entries.setdefault(arabic, {})
        row[lemma] = max(strength, row.get(lemma, 0.0))

    def get(self, arabic_form: str) -> dict[str, float]:
        """The entry of exactly this form (empty when the dictionary has none), with, where
        the lexicon has a morphology, the glosses of every analysis of the form."""
        entry = self.entries.get(arabic_form, {})
        if self.morphology is None:
            return entry
        merged = self._merged.get(arabic_form)
        if merged is None:
            merged = dict(self.morphology.get(arabic_form))
            for lemma, strength in entry.items():
                merged[lemma] = max(strength, merged.get(lemma, 0.0))
            self._merged[arabic_form] = merged
        return merged

    def whole_word(self, arabic_form: str) -> bool:
        """Whether the form is a word as written: a headword, or (with a morphology) a
        form with an analysis that takes no clitic off (وزير, not والمعارك)."""
        if arabic_form in self.entries:
            return True
        return self.morphology is not None and self.morphology.whole_word(arabic_form)

    def with_morphology(self, morphology: Morphology) -> Lexicon:
        """This dictionary read together with ``morphology`` (the entries are shared)."""
        return replace(self, morphology=morphology, _merged={})

    def __getstate__(self):  # the cache of merged glosses is remade, not pickled
        return {**self.__dict__, "_merged": {}}

    def lookup(self, arabic_form: str) -> dict[str, float]:
        """The entry of this form or, when the dictionary has none, of the form without an
        inflectional suffix: the first of ``STEM_SUFFIXES`` that leaves a headword."""
        found = self.entries.get(arabic_form)
        if found:
            return found
        for suffix, replacements in STEM_SUFFIXES:
            if arabic_form.endswith(suffix) and len(arabic_form) - len(suffix) >= MIN_STEM:
                base = arabic_form[: -len(suffix)]
                for ending in replacements:
                    found = self.entries.get(base + ending)
                    if found:
                        return found
        return {}

    def phrases_in(self, words: Sequence[str]) -> list[tuple[int, int, frozenset[str]]]:
        """The phrases ``words`` has, word for word in a row: (first word, number of words,
        the lemmas of the phrase's glosses)."""
        if not self.phrases:
            return []
        keys = [_keys(w) for w in words]
        found: dict[tuple[int, int, frozenset[str]], None] = {}  # in order, once each
        for k in range(len(words) - 1):
            for pair in itertools.product(keys[k], keys[k + 1]):
                for rest, meaning in self.phrases.get(pair, ()):
                    n = len(rest)
                    if k + 1 + n < len(words) and all(keys[k + 2 + m] & rest[m] for m in range(n)):
                        found[k, n + 2, meaning] = None
        return list(found)

    def __len__(self) -> int:
        return sum(len(v) for v in self.entries.values())

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, str]]) -> Lexicon:
        """From (Arabic headword, definition) entries of FreeDict ara-eng: single-word
        headwords as entries, multi-word ones (up to ``MAX_PHRASE_WORDS``) as phrases."""
        lexicon = cls()
        for head, definition in entries:
            words = head.split()
            if len(words) == 1:
                lexicon._add_entry(head, definition)
            elif len(words) <= MAX_PHRASE_WORDS:
                lexicon._add_phrase(words, definition)
        return lexicon

    def _add_entry(self, head: str, definition: str) -> None:
        keys = arabic_keys(head)
        for gloss in freedict_glosses(definition):
            words = content_words(gloss)
            if not words or len(words) > MAX_GLOSS_WORDS:
                continue
            strength = 1.0 if len(words) == 1 else 0.5
            for w in words:
                for lemma in lemmas(w):
                    for key in keys:
                        self.add(key, lemma, strength)

    def _add_phrase(self, words: list[str], definition: str) -> None:
        meaning: set[str] = set()
        for gloss in freedict_glosses(definition):
            content = content_words(gloss)
            if len(content) == 1:
                meaning |= lemmas(content[0])
        later = tuple(frozenset(arabic_keys(w)) for w in words[1:])
        if not meaning or not all(later):
            return
        phrase = (later[1:], frozenset(meaning))
        for pair in itertools.product(arabic_keys(words[0]), later[0]):
            self.phrases.setdefault(pair, []).append(phrase)


@functools.lru_cache(maxsize=65536)
def _keys(word: str) -> frozenset[str]:
    """``arabic_keys``, kept for the words a phrase search reads again and again."""
    return frozenset(arabic_keys(word))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find_dictionary() -> tuple[Path, Path] | None:
    """FreeDict ara-eng's .index and .dict.dz, from ``$ARABIC_ALIGN_DICTD`` or dictd's folders."""
    folders = [os.environ[DICT_ENV]] if os.environ.get(DICT_ENV) else list(DICTD_DIRS)
    for folder in folders:
        index = Path(folder) / f"{DICT_NAME}.index"
        data = Path(folder) / f"{DICT_NAME}.dict.dz"
        if index.is_file() and data.is_file():
            return index, data
    return None


class DictionaryMissing(JobError):
    """The background dictionary is not installed where it is looked for."""


def missing_dictionary(aligner: bool = True) -> str:
    """Where the dictionary was looked for and how to install it; ``aligner``: said to an
    aligner, which can also do without (--no-background), where the checks cannot choose."""
    where = os.environ.get(DICT_ENV) or " or ".join(DICTD_DIRS)
    said = (
        f"the background dictionary ({DICT_NAME}) is not in {where}: install Debian's "
        f"{DICT_PACKAGE} (apt-get install {DICT_PACKAGE}) or point ${DICT_ENV} at a folder "
        f"holding {DICT_NAME}.index and {DICT_NAME}.dict.dz"
    )
    return said + (f", or give {option('--no-background')}" if aligner else "")


def load_lexicon(index: Path, data: Path, cache: Path | None = None) -> tuple[Lexicon, dict]:
    """The parsed dictionary and its record (name, version, licence, SHA-256 of its files).

    Kept in ``cache`` (default: the cache folder) as a pickle named by the source files'
    hashes, with its own hash beside it; a cache entry that fails its hash is rebuilt."""
    try:
        hashes = {"index": _sha256(index), "dict": _sha256(data)}
    except OSError as exc:
        raise JobError(f"the background dictionary cannot be read: {exc}") from None
    record = {
        "name": DICT_NAME, "licence": DICT_LICENCE, "path": str(data.parent),
        "sha256": hashes, "format": FORMAT_VERSION,
    }  # fmt: skip
    key = hashlib.sha256(json.dumps(record["sha256"], sort_keys=True).encode()).hexdigest()[:16]
    folder = cache_root() if cache is None else cache
    pickled = folder / f"lexicon-{DICT_NAME}-v{FORMAT_VERSION}-{key}.pickle"
    stamp = pickled.with_suffix(".sha256")
    seen = _cache_state(pickled)
    if seen is not None and seen in _READ:
        lexicon, version = _READ[seen]
        return lexicon, {**record, "version": version}
    try:
        # (a FIFO or a device in the cache would block a read: only regular files are read)
        blob = pickled.read_bytes() if pickled.is_file() and stamp.is_file() else b""
        if blob and hashlib.sha256(blob).hexdigest() == stamp.read_text().strip():
            lexicon, version = pickle.loads(blob)
            if seen is not None:
                _READ[seen] = (lexicon, version)
            return lexicon, {**record, "version": version}
    except (OSError, ValueError, pickle.UnpicklingError, EOFError, TypeError):
        pass  # no cache yet, or a damaged one: parse again
    try:
        entries = read_dictd(index, data)
    except (OSError, ValueError, UnicodeDecodeError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise JobError(f"the background dictionary {data} is damaged ({e}); reinstall it") from None
    version = _edition(entries, index, data)
    lexicon = Lexicon.from_entries(entries)
    if len(lexicon) == 0:
        raise JobError(f"the background dictionary {data} has no single-word entries")
    blob = pickle.dumps((lexicon, version), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # As readable as the other cache files (the umask's mode, not mkstemp's 0600): a
        # cache shared by users is not parsed again at every run of the others.
        atomic_write_bytes(pickled, blob)
        atomic_write_bytes(stamp, (hashlib.sha256(blob).hexdigest() + "\n").encode())
    except (OSError, OutputError):
        pass  # a cache that cannot be written costs time, never the result
    return lexicon, {**record, "version": version}


# The cache files this process has read, by path, size and modification time, with what
# they held: a run's aligner and its checks load the same dictionary, and the second
# unpickling cost the checks a fifth of their time on a short article. A cache file
# rewritten since (rebuilt, or damaged) has another size or time and is read again.
# (The lexicon is never changed once built, so the two share it.)
_READ: dict[tuple[str, int, int], tuple[Lexicon, str | None]] = {}


def _cache_state(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_size, stat.st_mtime_ns


def _edition(entries: Sequence[tuple[str, str]], index: Path, data: Path) -> str | None:
    """The dictionary's edition from its info entry ("Edition: 0.6.3"), when it has one."""
    raw = gzip.decompress(data.read_bytes()) if data.suffix == ".dz" else data.read_bytes()
    head = raw[:4096].decode("utf-8", "replace")
    found = re.search(r"Edition:\s*(\S+)", head) or re.search(r"ver\.\s*(\d[\w.]*)", head)
    return found.group(1) if found else None


def read_parallel(folder: Path | Traversable | None = None) -> tuple[list[tuple[str, str]], dict]:
    """FLORES-200 devtest's sentence pairs and their record (default: the package data)."""
    folder = folder or PARALLEL_DIR
    paths = [folder / name for name in PARALLEL_FILES]
    try:
        texts = [p.read_bytes() for p in paths]
        ar, en = (t.decode("utf-8").splitlines() for t in texts)
    except (OSError, UnicodeDecodeError) as exc:
        raise JobError(
            f"the background parallel text in {folder} cannot be read ({exc}); "
            f"reinstall arabic-align or give {option('--no-background')}"
        ) from None
    if len(ar) != len(en) or not ar:
        raise JobError(f"the background parallel text in {folder} is damaged: reinstall it")
    record = {
        "name": PARALLEL_NAME, "licence": PARALLEL_LICENCE, "pairs": len(ar),
        "sha256": {
            p.name: hashlib.sha256(t).hexdigest() for p, t in zip(paths, texts, strict=True)
        },
    }  # fmt: skip
    return list(zip(ar, en, strict=True)), record


@dataclass(eq=False)  # identity: settings holding one stay hashable
class Background:
    """What the aligners know before the user's text: a lexicon and parallel text."""

    lexicon: Lexicon | None = None
    pairs: list[tuple[str, str]] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)

    @property
    def info(self) -> list[dict]:
        return self.records


def load_background(
    dictionary: bool = True, parallel: bool = True, morphology: bool = True
) -> Background:
    """The default background; a missing or damaged resource is a JobError (one sentence).
    ``morphology``: the dictionary is read with Buckwalter's lexicon (the aligners'); the
    checks' dictionary is FreeDict's headwords, the lexicon read apart
    (``checks.dictionary.analysed_glosses``)."""
    background = Background()
    if dictionary:
        found = find_dictionary()
        if found is None:
            raise DictionaryMissing(missing_dictionary())
        background.lexicon, record = load_lexicon(*found)
        background.records.append(record)
        if morphology:
            from align.links.morphology import load_morphology

            analyser, record = load_morphology()
            background.lexicon = background.lexicon.with_morphology(analyser)
            background.records.append(record)
        lemmas("loaded")  # lemminflect reads its tables on first use: now, not mid-alignment
    if parallel:
        background.pairs, record = read_parallel()
        background.records.append(record)
    return background


def background_for(method: str, enabled: bool = True) -> Background | None:
    """The background the method uses (None when off or unused): the lexical method only
    reads the dictionary (to tell names from common words), the statistical method only the
    parallel text, the hybrid method both, the attention method neither."""
    if not enabled or method == "attention":
        return None
    return load_background(
        dictionary=method in ("lexical", "hybrid"), parallel=method in ("statistical", "hybrid")
    )


class Relevance:
    """Ranks ``pairs`` by what their Arabic shares with a text: each Arabic word the two have
    in common counts its inverse document frequency in ``pairs`` (a rare shared word says
    more than a common one). The pairs' words are read once.

    Hand-written: a dozen lines of counting; a retrieval library would be a dependency for
    one ranking."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.words = [{w for w in normalize(ar).split() if is_arabic_word(w)} for ar, _ in pairs]
        frequency: Counter[str] = Counter()
        for found in self.words:
            frequency.update(found)
        n = len(pairs)
        self.weight = {w: math.log(n / c) for w, c in frequency.items()}

    def top(self, texts: Iterable[str], limit: int, skip: Iterable[int] = ()) -> list[int]:
        """Indices of the ``limit`` best pairs for ``texts``, in the pairs' order (ties keep
        it), leaving out the indices in ``skip``."""
        skipped = set(skip)
        wanted = {w for text in texts for w in normalize(text).split()}
        scores = [
            (-sum(self.weight[w] for w in found & wanted), k)
            for k, found in enumerate(self.words)
            if k not in skipped
        ]
        return sorted(k for _, k in sorted(scores)[:limit])


__all__ = [
    "Background", "Lexicon", "Relevance", "background_for", "load_background", "read_dictd",
]  # fmt: skip
