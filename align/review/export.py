"""Exports of a review: Pharaoh links, JSONL with spans, a TSV of statuses and notes.

``review.src.txt`` and ``review.hyp.txt`` hold the segments' sources and hypotheses, one a
line in the same order as ``review.pharaoh``, so that any aligner can be scored against the
reviewed links: ``arabic-align links --src review.src.txt --tgt review.hyp.txt --out P``,
then ``arabic-align eval-links --gold review.pharaoh --pred P``.
"""

from __future__ import annotations

from pathlib import Path

from align.errors import OutputError
from align.records import (
    atomic_write_files,
    check_not_input,
    check_output_dir,
    json_line,
    same_file,
)
from align.review.state import ReviewState

FILES = ("review.pharaoh", "review.jsonl", "review.tsv", "review.src.txt", "review.hyp.txt")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def export(state: ReviewState, out_dir: str | Path, only_reviewed: bool = False) -> list[Path]:
    """Write the five files into ``out_dir``; ``only_reviewed`` keeps accepted/flagged ones."""
    out = Path(out_dir)
    if same_file(out, state.run_dir):
        raise OutputError(
            f"--export {out} is the run directory itself, which holds only the run and its "
            "review; export into another folder"
        )
    check_output_dir(out, "--export")
    for name in FILES:
        path = out / name
        if path.exists() and (path.is_symlink() or not path.is_file()):
            raise OutputError(f"--export {out}: {path} is not a regular file; give another folder")
        check_not_input(path, "--export")
    segs = [s for s in state.segments if not only_reviewed or s.status != "todo"]
    jsonl = []
    for s in segs:
        jsonl.append(
            json_line(
                {
                    "index": s.index, "role": s.role, "status": s.status, "note": s.note,
                    "source": s.source, "hypothesis": s.hypothesis,
                    "src_words": [[w.start, w.end] for w in s.src_words],
                    "tgt_words": [[w.start, w.end] for w in s.tgt_words],
                    "links": [
                        {"src": i, "tgt": j, "sure": x["sure"],
                         "confidence": round(x["confidence"], 4)}
                        for (i, j), x in sorted(s.links.items())
                    ],
                    "spans": [
                        {"src": list(p.src), "tgt": list(p.tgt),
                         "confidence": round(p.confidence, 4)}
                        for p in s.spans()
                    ],
                },
            )
        )  # fmt: skip
    tsv = ["index\trole\tstatus\tlinks\tnote"] + [
        f"{s.index}\t{s.role}\t{s.status}\t{len(s.links)}\t{_one_line(s.note)}" for s in segs
    ]
    contents = {
        "review.pharaoh": [s.pharaoh() for s in segs],
        "review.jsonl": jsonl,
        "review.tsv": tsv,
        "review.src.txt": [_one_line(s.source) for s in segs],
        "review.hyp.txt": [_one_line(s.hypothesis) for s in segs],
    }
    # All five or none: a full disk leaves the previous export whole, not half replaced.
    files = {out / name: "".join(line + "\n" for line in contents[name]) for name in FILES}
    atomic_write_files(files)
    return list(files)
