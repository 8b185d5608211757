"""Saved priors: what eflomal learned from a large bitext, reused to align any later text.

``arabic-align links --train AR EN --save-priors FILE`` aligns the training text once and
writes eflomal's priors from those links (lexical pair counts, jump and fertility counts:
``eflomal.calculate_priors``) together with the Arabic word counts that decide clitic
splitting, so that later texts are cut into the same units. ``--priors FILE`` on ``links``,
``run`` and ``batch`` hands them to eflomal, which then aligns an article of 30 sentences
as if it had seen the whole bitext, in seconds.

The file is text: a header line (``#arabic-align-priors`` and JSON: format, the
tokenization it was made with, the toolkit version, pair count, and a SHA-256 of those
fields and the rest), then
``WORD`` lines (Arabic form, count) and eflomal's own prior lines. A file whose format,
tokenization or hash does not match is refused with one sentence; nothing of it is used.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from align.errors import InputError, UserError, option
from align.links.training import (
    LEXICON_PRIOR,
    NULL_PRIOR,
    NULL_WORDS,
    add_lexicon_priors,
    prepare,
    splitting_morphology,
)
from align.records import cache_root
from align.text.read import missing_file

MAGIC = "#arabic-align-priors"
FORMAT = 2  # 2: the SHA-256 covers the header's fields as well as the body
# The units' matching forms: normalization, clitic splitting and English pieces. Raise it
# whenever any of them changes, so that old priors are refused rather than half-matched.
TOKENIZATION = "units-1"  # (whether the lexicon cut words too: the record's lexicon_splits)
MIN_WORD_COUNT = 2  # Arabic word counts kept for the clitic splitter
_KINDS = {"LEX": 4, "HMMF": 3, "HMMR": 3, "FERF": 4, "FERR": 4}


def _whole(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


@dataclass(eq=False)  # identity: settings holding one stay hashable
class Priors:
    lines: list[str]  # eflomal prior lines, without newlines
    counts: Counter[str] = field(default_factory=Counter)  # normalized Arabic word counts
    record: dict = field(default_factory=dict)


def _version() -> str:
    try:
        return metadata.version("arabic-align")
    except metadata.PackageNotFoundError:
        return "unknown"


def tokenization(pretokenized: bool) -> dict:
    return {"units": TOKENIZATION, "pretokenized": pretokenized}


def _links(votes: dict[tuple[int, int], float]) -> str:
    """The links most runs found, as an eflomal links line."""
    return " ".join(f"{i}-{j}" for (i, j), v in sorted(votes.items()) if v >= 0.5)


def train_priors(
    pairs: Sequence[tuple[str, str]],
    pretokenized: bool = False,
    runs: int | None = None,
    lexicon=None,
    morphology=None,
) -> Priors:
    """Align ``pairs`` with eflomal (both directions, runs voted) and count its priors.

    With a background ``lexicon``, its entries found in the pairs are priors of that
    alignment, as in the hybrid aligner, and so are the English words Arabic does not write.
    ``morphology``: Buckwalter's lexicon for the clitic splitter, as the aligners that use
    the priors read it (``splitting_morphology``).
    """
    import eflomal

    from align.links.arabic import is_arabic_word, normalize
    from align.links.statistical import DEFAULT_RUNS, MAX_UNITS, eflomal_line, eflomal_votes

    data = prepare(pairs, pretokenized=pretokenized, morphology=morphology)
    src = [s.forms for s in data.src]
    tgt = [t.forms for t in data.tgt]
    # eflomal trains on the pairs with both sides within its length (the others get no
    # links): priors of none would be priors of nothing, said as learned from the pairs.
    usable = [
        k
        for k, (s, t) in enumerate(zip(src, tgt, strict=True))
        if 0 < len(s) <= MAX_UNITS and 0 < len(t) <= MAX_UNITS
    ]
    trained = len(usable)
    if not trained:
        raise InputError(
            f"none of the {len(pairs)} training pair(s) can be trained on (each has an empty "
            f"side or more than {MAX_UNITS:,} units, eflomal's limit): there are no priors "
            "to learn; split long lines into sentences"
        )
    given: Counter[tuple[str, str]] = Counter()
    if lexicon is not None:
        add_lexicon_priors(given, src, tgt, lexicon)
        given.update({("<NULL>", w): NULL_PRIOR for w in NULL_WORDS})
    votes = eflomal_votes(
        src, tgt, runs=runs or DEFAULT_RUNS, priors=[(a, b, c) for (a, b), c in given.items()]
    )
    # The pairs trained on only (one left out would add an end jump of its length to the
    # HMM priors), as eflomal read them (an empty form is a placeholder there), so that
    # link indices stay in bounds.
    fwd = [_links(votes[k].forward) for k in usable]
    rev = [_links(votes[k].reverse) for k in usable]
    lex, hmmf, hmmr, ferf, ferr = eflomal.calculate_priors(
        [eflomal_line(src[k]) for k in usable], [eflomal_line(tgt[k]) for k in usable], fwd, rev
    )
    lines = [f"LEX\t{s}\t{t}\t{a:g}" for (s, t), a in sorted(lex.items())]
    lines += [f"FERF\t{s}\t{n}\t{a:g}" for (s, n), a in sorted(ferf.items())]
    lines += [f"FERR\t{t}\t{n}\t{a:g}" for (t, n), a in sorted(ferr.items())]
    lines += [f"HMMF\t{j}\t{a:g}" for j, a in sorted(hmmf.items())]
    lines += [f"HMMR\t{j}\t{a:g}" for j, a in sorted(hmmr.items())]
    counts: Counter[str] = Counter()
    for ar, _ in pairs:
        counts.update(w for w in normalize(ar).split() if is_arabic_word(w))
    counts = Counter({w: c for w, c in counts.items() if c >= MIN_WORD_COUNT})
    record = {"pairs": trained, **tokenization(pretokenized), "toolkit": _version()}
    record["lexicon_splits"] = morphology is not None  # (``units_problem``)
    return Priors(lines, counts, record)


def units_problem(priors: Priors, lexicon_splits: bool) -> str | None:
    """Why saved ``priors`` do not fit an aligner that cuts words with Buckwalter's lexicon
    (``lexicon_splits``: the hybrid aligner with its background) or without it, as the end
    of a sentence; None when they fit. Priors over other units would match few of the
    text's units, and say nothing of it. (A file without the field was made without it.)"""
    made = bool(priors.record.get("lexicon_splits"))
    if made == lexicon_splits:
        return None
    there, here = ("with", "without") if made else ("without", "with")
    return (
        f"were made from words cut {there} Buckwalter's lexicon, and this aligner cuts them "
        f"{here} it: save them again with the method that reads them (the hybrid method "
        f"with its background reads the lexicon; the statistical method and "
        f"{option('--no-background')} do not)"
    )


def require_units(priors: Priors | None, lexicon_splits: bool) -> None:
    """Nothing when ``priors`` (or none) fit the units of an aligner that cuts words with
    Buckwalter's lexicon or without it (``units_problem``); else one sentence naming the
    file (``InputError``): said by the command line before any work, and by the aligner."""
    problem = None if priors is None else units_problem(priors, lexicon_splits)
    if problem:
        path = priors.record.get("path")
        raise InputError(f"The priors {path + ' ' if path else ''}{problem}.")


def save_priors(priors: Priors, path: Path) -> None:
    from align.records import atomic_write_text

    body = "".join(f"WORD\t{w}\t{c}\n" for w, c in sorted(priors.counts.items()))
    body += "".join(line + "\n" for line in priors.lines)
    header = {"format": FORMAT, **{k: v for k, v in priors.record.items() if k != "sha256"}}
    header["sha256"] = _digest(header, body.encode("utf-8"))
    atomic_write_text(path, f"{MAGIC}\t{json.dumps(header, sort_keys=True)}\n{body}")


def _digest(header: dict, body: bytes) -> str:
    """The SHA-256 a priors file carries: of its header's other fields and its body, so that
    an edited header (its tokenization, its pairs, the background it was made for) is a
    changed file too."""
    fields = {k: v for k, v in header.items() if k != "sha256"}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode() + b"\n" + body).hexdigest()


def prior_line(line: str) -> bool:
    """Whether ``line`` is an eflomal prior line as eflomal reads it: its kind and fields,
    a jump (HMM) or a fertility a whole number, and a pseudo-count a number it can add (not
    nan, inf or below 0)."""
    fields = line.split("\t")
    if "\n" in line or _KINDS.get(fields[0]) != len(fields):
        return False
    try:
        if fields[0] in ("HMMF", "HMMR"):
            int(fields[1])
        elif fields[0] in ("FERF", "FERR"):
            _whole(fields[2])
        alpha = float(fields[-1])
    except ValueError:
        return False
    return math.isfinite(alpha) and alpha >= 0


def priors_problem(priors: Priors) -> str | None:
    """What makes a ``Priors`` built by hand unusable, as the end of a sentence; None when
    it is as ``read_priors`` and ``train_priors`` make one."""
    if not isinstance(priors.lines, list | tuple):
        return "lines are not a list of eflomal prior lines"
    for n, line in enumerate(priors.lines, 1):
        if not isinstance(line, str) or not prior_line(line):
            return f"line {n} is not an eflomal prior line (LEX, HMMF, HMMR, FERF or FERR)"
    counts = priors.counts
    if not isinstance(counts, Mapping) or not all(
        isinstance(k, str) and isinstance(v, numbers.Integral) and not isinstance(v, bool)
        and v >= 0
        for k, v in counts.items()
    ):  # fmt: skip
        return "counts do not map words to whole numbers"
    if not isinstance(priors.record, Mapping):
        return "record is not a dict"
    return None


def read_priors(path: str | Path, pretokenized: bool) -> Priors:
    """A priors file made by ``save_priors`` for this tokenization; InputError otherwise."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a FIFO or a device: a read would block
        raise InputError(f"the priors file {path} is not a regular file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(missing_file(f"the priors file {path}", path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the priors file {path}: {exc.strerror or exc}") from None
    head, _, body = raw.partition(b"\n")
    magic, _, header_text = head.partition(b"\t")
    if magic != MAGIC.encode():
        raise InputError(f"{path} is not an arabic-align priors file (made by --save-priors)")
    try:
        header = json.loads(header_text)
        if not isinstance(header, dict):
            raise ValueError
    except ValueError:
        raise InputError(f"{path}: the priors file's header is damaged") from None
    if header.get("format") != FORMAT:
        raise InputError(
            f"{path} is a priors file of format {header.get('format')!r}; this version reads "
            f"format {FORMAT}: make it again with links --train AR EN --save-priors"
        )
    if _digest(header, body) != header.get("sha256"):
        raise InputError(f"{path} is truncated or changed since it was saved: make it again")
    wanted = tokenization(pretokenized)
    made = {k: header.get(k) for k in wanted}
    if made != wanted:
        raise InputError(
            f"{path} was made with tokenization {made} but this alignment uses {wanted}: "
            "make the priors again from text tokenized the same way"
        )
    lines: list[str] = []
    counts: Counter[str] = Counter()
    try:
        for n, line in enumerate(body.decode("utf-8").splitlines(), 2):
            fields = line.split("\t")
            if fields[0] == "WORD" and len(fields) == 3:
                counts[fields[1]] = _whole(fields[2])
            elif prior_line(line):
                lines.append(line)
            else:
                raise ValueError(n)
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"{path}: a line of the priors file is damaged") from None
    record = {"path": str(path), "sha256": hashlib.sha256(raw).hexdigest()}
    record.update({k: header.get(k) for k in ("pairs", "toolkit", "lexicon_splits")})
    if "background" in header:  # the key of the background priors it was made as
        record["background"] = header["background"]
    return Priors(lines, counts, record)


# How background priors are trained (alignment, runs, what is counted): raise it when that
# changes, so that cached priors made the old way are made again.
BACKGROUND_PRIORS_VERSION = 1
# Background priors made by this process, by key: another cache folder gets a copy rather
# than a second training.
_MADE: dict[str, Priors] = {}


def background_priors(background, lexicon: bool) -> Priors:
    """Priors learned from the background's parallel text (with its lexicon's entries as
    priors of that alignment when ``lexicon``), made once and kept in the cache folder.

    Training eflomal on the background's 1,012 pairs beside every article costs seconds
    each time; its priors carry what that training learns, and a cached file is read in
    milliseconds. The file is named by the hash of everything that decides it (the pairs,
    the lexicon's record, the prior strengths, the tokenization, the toolkit and eflomal
    versions, ``BACKGROUND_PRIORS_VERSION``) and verified by its own hash like any saved
    priors; one that fails is made again. They are made with clitics split and the text
    tokenized by the toolkit, as the aligners' default units are.
    """
    from align.links.statistical import DEFAULT_RUNS

    use_lexicon = bool(lexicon and background.lexicon is not None)
    # the hybrid aligner's units: clitics split with the lexicon's morphology too
    morphology = splitting_morphology(background) if use_lexicon else None
    decided = {
        "format": FORMAT, "made": BACKGROUND_PRIORS_VERSION, "tokenization": TOKENIZATION,
        "toolkit": _version(), "eflomal": _eflomal_version(), "runs": DEFAULT_RUNS,
        "lexicon": _lexicon_identity(background) if use_lexicon else None,
        "lexicon_splits": morphology is not None,
        "lexicon_prior": LEXICON_PRIOR if use_lexicon else None,
        "null": [NULL_PRIOR, list(NULL_WORDS)] if use_lexicon else None,
        "pairs": hashlib.sha256(
            json.dumps(background.pairs, ensure_ascii=False).encode("utf-8")
        ).hexdigest(),
    }  # fmt: skip
    key = hashlib.sha256(json.dumps(decided, sort_keys=True).encode()).hexdigest()[:16]
    path = cache_root() / f"background-priors-{key}.txt"
    try:
        found = read_priors(path, pretokenized=False)
        if found.record.get("background") == key:  # not another's copied under this name
            return found
    except InputError:
        pass  # not made yet, or damaged: make it again (or write what this process made)
    made = _MADE.get(key)
    if made is None:
        lexicon_used = background.lexicon if use_lexicon else None
        made = train_priors(background.pairs, lexicon=lexicon_used, morphology=morphology)
        made.record["background"] = key
        _MADE[key] = made
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_priors(made, path)
        return read_priors(path, pretokenized=False)  # recorded as every later run records it
    except (OSError, UserError):  # a folder that cannot be written (OutputError) included
        return made  # a cache that cannot be written costs time, never the result


def _eflomal_version() -> str:
    try:
        return metadata.version("eflomal")
    except metadata.PackageNotFoundError:
        return "unknown"


def _lexicon_identity(background) -> str:
    """The records of the lexicon's sources (the hashes of the dictionary's files and of
    Buckwalter's lexicon's), or the hash of the lexicon itself when it has none (one built
    in code)."""
    records = [r for r in background.records if "sha256" in r and "format" in r]
    if records:
        return json.dumps(records[0] if len(records) == 1 else records, sort_keys=True)
    import pickle

    blob = pickle.dumps(background.lexicon, protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(blob).hexdigest()


__all__ = ["Priors", "background_priors", "read_priors", "save_priors", "train_priors"]
