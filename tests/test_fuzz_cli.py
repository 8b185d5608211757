"""Property-based fuzzing of the commands that read arbitrary files (hypothesis): whatever
the bytes, a command either exits 0 with well-formed output or exits 2 with one error line;
a traceback is a bug. Inputs: random bytes, Unicode with controls and bidi marks, every
kind of line end, and lines around and far past the length limits. Bounded (a fixed number
of examples each, derandomized) so that it takes about a minute."""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from align.cli import main
from align.links.evaluate import parse_pharaoh

FUZZ = settings(
    max_examples=500, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip

LINE_ENDS = ["\n", "\r\n", "\r", "\u2028", "\u0085", "\x0c", ""]
MARKS = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
         "\u2067", "\u2069", "\ufeff", "\u200d", "\u0640", "\x00", "\x1b", "\x7f",
         "\ud800"]  # fmt: skip
WORDS = ["قال", "الوزير", "والكتاب", "بيروت", "٢٠٢٤", "3.5", "،", "؟", "«", "»", "John",
         "Washington", "the", "said", "U.S.", "—", "(", ")", "e\u0301", "🙂", "٠-٠", "1-2",
         "0?3", "ا\u064b"]  # fmt: skip

word = st.one_of(st.sampled_from(WORDS), st.text(max_size=8))
short_line = st.lists(st.one_of(word, st.sampled_from(MARKS)), max_size=25).map(" ".join)
# Far past the limits (500 words aligned and scored): must be refused, quickly. Rare, so
# that most files get past the check and their text is fuzzed further.
long_line = st.integers(1_001, 3_000).map(lambda n: " ".join(["كتاب"] * n))


def rarely(common, rare, share: int):
    """``rare`` about once in ``share`` draws. Hypothesis favours the ends of a range and
    the first branch of one_of, so the choice is a draw from the middle of a range."""
    return st.integers(0, share * 10 - 1).flatmap(
        lambda k: rare if share * 5 <= k < share * 5 + 10 else common
    )


line = rarely(short_line, long_line, 10)
pair_line = rarely(short_line, long_line, 30)
text = st.lists(st.tuples(line, st.sampled_from(LINE_ENDS)), max_size=8).map(
    lambda parts: "".join(a + b for a, b in parts)
)
# Mostly UTF-8, so that the commands get past decoding and the text itself is fuzzed.
KINDS = ["utf-8"] * 6 + ["utf-8-sig", "utf-16", "cp1256", "surrogates", "bytes", "spliced"]


def encode(body: str, kind: str) -> bytes:
    if kind == "surrogates":
        return body.encode("utf-8", "surrogatepass")
    return body.encode(kind, "surrogatepass" if kind.startswith("utf") else "replace")


@st.composite
def file_bytes(draw, body=text) -> bytes:
    """Text in some encoding, or raw bytes, or text with raw bytes spliced in."""
    kind = draw(st.sampled_from(KINDS))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    data = encode(draw(body), "utf-8" if kind == "spliced" else kind)
    if kind == "spliced" and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


@st.composite
def parallel_files(draw) -> tuple[bytes, bytes]:
    """Two files with the same number of lines, each line holding a word, in one encoding
    (mostly UTF-8): what gets past the checks to the aligner or the scorer."""
    pairs = draw(st.lists(st.tuples(pair_line, pair_line), min_size=1, max_size=6))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    kind = draw(st.sampled_from(["utf-8"] * 8 + ["utf-8-sig", "cp1256"]))
    sides = []
    for k, first in ((0, "قال"), (1, "said")):
        body = "".join(f"{first} {p[k]}".replace("\n", " ").replace("\r", " ") + end for p in pairs)
        sides.append(encode(body, kind))
    return sides[0], sides[1]


any_files = st.tuples(file_bytes(), file_bytes())


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def check_outcome(code: int, err: str) -> None:
    event(f"exit {code}" + (": " + re.sub(r"\S*/tmp\S*", "F", err)[21:60] if code == 2 else ""))
    assert "Traceback" not in err, err
    assert code in (0, 2), (code, err)
    if code == 2:
        errors = [x for x in err.splitlines() if x.startswith("arabic-align: error:")]
        assert len(errors) == 1, err
        assert len(errors[0]) < 2000  # a sentence, not a dump of the input


def write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


@FUZZ
@given(data=file_bytes())
def test_segment(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), "a.txt", data)
        code, out, err = run(["segment", path])
        check_outcome(code, err)
        if code == 0:
            text = data.decode("utf-8-sig")
            for row in map(json.loads, out.split("\n")[:-1]):
                assert text[row["start"] : row["end"]] == row["text"]


@FUZZ
@given(
    files=st.one_of(parallel_files(), any_files),
    method=st.sampled_from(["lexical", "statistical"]),
)
def test_links(files, method):
    src, tgt = files
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        argv = ["links", "--src", write(folder, "a.ar", src), "--tgt", write(folder, "a.en", tgt),
                "--out", str(folder / "o.pharaoh"), "--json", str(folder / "o.jsonl"),
                "--method", method]  # fmt: skip
        if method == "statistical":
            argv += ["--runs", "1"]  # (the lexical method has no runs, and refuses --runs)
        code, _, err = run(argv)
        check_outcome(code, err)
        if code == 0:
            lines = (folder / "o.pharaoh").read_text(encoding="utf-8").splitlines()
            records = [json.loads(x) for x in (folder / "o.jsonl").read_text().splitlines()]
            assert len(lines) == len(records)
            for links, record in zip(lines, records, strict=True):
                words = (len(record.get("src_words", record["src_tokens"])),
                         len(record.get("tgt_words", record["tgt_tokens"])))  # fmt: skip
                for i, j in parse_pharaoh(links).possible:
                    assert i < words[0] and j < words[1]


@FUZZ
@given(files=st.one_of(parallel_files(), any_files), layout=st.sampled_from(["lines", "document"]))
def test_score(files, layout):
    hyp, ref = files
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        argv = ["score", "--hyp", write(folder, "h.txt", hyp), "--ref",
                write(folder, "r.txt", ref), "--ref-layout", layout, "--json"]  # fmt: skip
        code, out, err = run(argv)
        check_outcome(code, err)
        if code == 0:
            result = json.loads(out)  # one shape: the metrics at the top, either layout
            extra = {"document_alignment"} if layout == "document" else set()
            assert set(result) == {"bleu", "chrf", "ter", *extra}


link = st.tuples(st.integers(0, 120), st.sampled_from("-?"), st.integers(0, 120)).map(
    lambda x: f"{x[0]}{x[1]}{x[2]}"
)
pharaoh_item = st.one_of(*[link] * 8, st.sampled_from(["٠-٠", "０-０", "1-", "99999999-1"]),
                         st.text(max_size=6))  # fmt: skip
pharaoh = st.lists(
    st.tuples(st.lists(pharaoh_item, max_size=6).map(" ".join), st.sampled_from(LINE_ENDS)),
    max_size=6,
).map(lambda parts: "".join(a + b for a, b in parts).encode("utf-8", "surrogatepass"))


@FUZZ
@given(gold=st.one_of(pharaoh, file_bytes()), pred=st.one_of(pharaoh, file_bytes()))
def test_eval_links(gold, pred):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        argv = ["eval-links", "--gold", write(folder, "g", gold), "--pred",
                write(folder, "p", pred), "--json"]  # fmt: skip
        code, out, err = run(argv)
        check_outcome(code, err)
        if code == 0:
            scores = json.loads(out)
            assert 0.0 <= scores["aer"] <= 1.0 and 0.0 <= scores["f1"] <= 1.0
