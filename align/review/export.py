"""Exports of a review: Pharaoh links, JSONL with spans, a TSV of statuses and notes, and
the texts the links index.

Each side of the review has its own set of files, one segment a line, every file of a set
in the same order:

=======================  ==========================  ==========================================
translation side         reference side              what it holds
=======================  ==========================  ==========================================
``review.pharaoh``       ``review.ref.pharaoh``      the reviewed links: sure ``i-j``, possible
                                                     ``i?j`` (source word ``i``, target word
                                                     ``j``)
``review.jsonl``         ``review.ref.jsonl``        words with offsets, links, span pairs;
                                                     on the translation side also the
                                                     checks' findings with a person's verdict
``review.tsv``           ``review.ref.tsv``          status, link count and note
``review.src.txt``       ``review.ref.src.txt``      the source text
``review.hyp.txt``       ``review.ref.txt``          the translation / the reference
``review.src.tok.txt``   ``review.ref.src.tok.txt``  the source words, space separated
``review.hyp.tok.txt``   ``review.ref.tok.txt``      the target words, space separated
=======================  ==========================  ==========================================

So the reference side's files are the translation side's names with ``review.`` turned into
``review.ref.``, except that its target text is ``review.ref.txt`` / ``review.ref.tok.txt``
(where the translation side has ``review.hyp.txt`` / ``review.hyp.tok.txt``). The reference
side's files are written when the run aligned a reference; its lines are the segments that
have a reference alignment.

In a ``.tok.txt`` file word ``i`` of a line is its ``i``-th token when the line is split at
single spaces, exactly as the Pharaoh indices count, so any tool can score against the
reviewed links without our tokenizer. A word never holds whitespace (the word tokenizer
splits there, and a review refuses a run whose records say otherwise), so splitting at any
whitespace gives the same tokens. The raw ``.txt`` files suit ``arabic-align links``
(without ``--pretokenized``), which finds the same words again:
``arabic-align links --src review.src.txt --tgt review.hyp.txt --out P``, then
``arabic-align eval-links --gold review.pharaoh --pred P``.
"""

from __future__ import annotations

from pathlib import Path

from align.errors import OutputError
from align.records import (
    atomic_write_files,
    check_not_input,
    check_output_dir,
    check_outside_reads,
    json_line,
    missing_folders,
    remove_if_empty,
    same_file,
)
from align.review.state import HYP, REF, Aligned, ReviewState, Segment

# The files of each side, by what they hold.
KINDS = ("pharaoh", "jsonl", "tsv", "src", "tgt", "src_tok", "tgt_tok")
NAMES = {
    HYP: {
        "pharaoh": "review.pharaoh", "jsonl": "review.jsonl", "tsv": "review.tsv",
        "src": "review.src.txt", "tgt": "review.hyp.txt",
        "src_tok": "review.src.tok.txt", "tgt_tok": "review.hyp.tok.txt",
    },
    REF: {
        "pharaoh": "review.ref.pharaoh", "jsonl": "review.ref.jsonl", "tsv": "review.ref.tsv",
        "src": "review.ref.src.txt", "tgt": "review.ref.txt",
        "src_tok": "review.ref.src.tok.txt", "tgt_tok": "review.ref.tok.txt",
    },
}  # fmt: skip
FILES = {side: tuple(names[k] for k in KINDS) for side, names in NAMES.items()}
TARGET_KEY = {HYP: "hypothesis", REF: "reference"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def tokens(words) -> str:
    """A line of words, single spaces between them: token ``i`` is word ``i``."""
    return " ".join(w.text for w in words)


def _findings(s: Segment) -> list[dict]:
    """The segment's findings as the run records them, each with the verdict a person gave
    it in the review (``right``, ``wrong``, or null when not judged)."""
    return [{**f.to_json(), "verdict": s.verdicts.get(n)} for n, f in enumerate(s.findings)]


def _jsonl_row(s: Segment, a: Aligned) -> str:
    findings = {"findings": _findings(s)} if a.side == HYP else {}
    return json_line(
        {
            "index": s.index, "role": s.role, "side": a.side, "status": a.status,
            "note": a.note, "source": a.source, TARGET_KEY[a.side]: a.target,
            "src_words": [[w.start, w.end] for w in a.src_words],
            "tgt_words": [[w.start, w.end] for w in a.tgt_words],
            "links": [
                {"src": i, "tgt": j, "sure": x["sure"], "confidence": round(x["confidence"], 4)}
                for (i, j), x in sorted(a.links.items())
            ],
            "spans": [
                {"src": list(p.src), "tgt": list(p.tgt), "confidence": round(p.confidence, 4)}
                for p in a.spans()
            ],
            **findings,
        }
    )  # fmt: skip


def _side_files(state: ReviewState, side: str, only_reviewed: bool) -> dict[str, list[str]]:
    chosen = [
        (s, s.sides[side]) for s in state.segments
        if side in s.sides and (not only_reviewed or s.sides[side].status != "todo")
    ]  # fmt: skip
    lines = {
        "pharaoh": [a.pharaoh() for _, a in chosen],
        "jsonl": [_jsonl_row(s, a) for s, a in chosen],
        "tsv": ["index\trole\tstatus\tlinks\tnote"]
        + [f"{s.index}\t{s.role}\t{a.status}\t{len(a.links)}\t{_one_line(a.note)}"
           for s, a in chosen],
        "src": [_one_line(a.source) for _, a in chosen],
        "tgt": [_one_line(a.target) for _, a in chosen],
        "src_tok": [tokens(a.src_words) for _, a in chosen],
        "tgt_tok": [tokens(a.tgt_words) for _, a in chosen],
    }  # fmt: skip
    return {NAMES[side][k]: lines[k] for k in KINDS}


def export(
    state: ReviewState, out_dir: str | Path, only_reviewed: bool = False, option: str = "--export"
) -> list[Path]:
    """Write the translation side's files into ``out_dir``, and the reference side's when
    the run aligned a reference; ``only_reviewed`` keeps the accepted/flagged segments of
    each side. Returns the paths written. ``option``: what messages call the folder (the
    command's option, or the app's own folder)."""
    out = Path(out_dir)
    if same_file(out, state.run_dir):
        raise OutputError(
            f"{option} {out} is the run directory itself, which holds only the run and its "
            "review; export into another folder"
        )
    check_outside_reads(out, option)  # not in (nor around) the cache or package data
    made = missing_folders(out)  # (taken away again if the export writes nothing)
    try:
        check_output_dir(out, option)
        return _write(state, out, only_reviewed, option)
    except BaseException:
        for folder in made:  # the export's folder, then the folders made to hold it
            remove_if_empty(folder)
        raise


def _write(state: ReviewState, out: Path, only_reviewed: bool, option: str) -> list[Path]:
    """``export``'s files, written all or none into the folder ``out``, which exists."""
    sides = [HYP] + ([REF] if state.count(REF) else [])
    contents: dict[str, list[str]] = {}
    for side in sides:
        contents.update(_side_files(state, side, only_reviewed))
    for name in contents:
        path = out / name
        if path.exists() and (path.is_symlink() or not path.is_file()):
            advice = "; give another folder" if option == "--export" else ""  # (E has none)
            raise OutputError(f"{option} {out}: {path} is not a regular file{advice}")
        check_not_input(path, option)
    # All or none: a full disk leaves the previous export whole, not half replaced.
    files = {out / name: "".join(line + "\n" for line in lines) for name, lines in contents.items()}
    atomic_write_files(files)
    return list(files)
