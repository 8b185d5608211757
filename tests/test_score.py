import json
import subprocess
import sys

import pytest

from align.errors import MismatchError
from align.score.metrics import CLI_ARGS, corpus_scores, sentence_scores

HYPS = ["The cat sat on the mat.", "A dog barked loudly", "", "Moscow, March 22."]
REFS = ["The cat sat on a mat.", "The dog barked.", "Nothing here.", "Moscow on March 22."]


def sacrebleu_cli(hyp_path, ref_path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref_path), "-i", str(hyp_path), *CLI_ARGS]
        + ["-f", "json", "-w", "6"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {row["name"]: row for row in json.loads(out)}


def test_corpus_scores_equal_sacrebleu_cli(tmp_path):
    (tmp_path / "hyp.txt").write_text("\n".join(HYPS) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("\n".join(REFS) + "\n", encoding="utf-8")
    ours = corpus_scores(HYPS, REFS)
    cli = sacrebleu_cli(tmp_path / "hyp.txt", tmp_path / "ref.txt")
    assert round(ours["bleu"]["score"], 6) == cli["BLEU"]["score"]
    assert round(ours["chrf"]["score"], 6) == cli["chrF2++"]["score"]
    assert round(ours["ter"]["score"], 6) == cli["TER"]["score"]
    assert ours["bleu"]["signature"] == cli["BLEU"]["signature"]
    assert ours["chrf"]["signature"] == cli["chrF2++"]["signature"]
    assert ours["ter"]["signature"] == cli["TER"]["signature"]


def test_sentence_scores_per_segment():
    rows, sigs = sentence_scores(HYPS, REFS)
    assert len(rows) == len(HYPS)
    assert rows[0]["bleu"] > rows[1]["bleu"] > 0  # near-copy beats a looser match
    assert rows[2] == {"bleu": 0.0, "chrf": 0.0, "ter": 100.0}  # empty hypothesis
    assert "eff:yes" in sigs["bleu"]  # sentence BLEU uses effective order
    assert "nw:2" in sigs["chrf"]  # chrF++


def test_mismatched_counts_is_a_user_error():
    with pytest.raises(MismatchError, match="there are 3 hypotheses but 2 references: give"):
        corpus_scores(["a", "b", "c"], ["a", "b"])


def one_error(capsys, argv) -> str:
    from align.cli import main

    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == "" and len(lines) == 1 and "Traceback" not in lines[0]
    return lines[0]


def test_a_document_pair_too_long_is_said_as_a_pair_not_a_line(tmp_path, capsys):
    # Two lines of 300 words each, one reference sentence of both: the document alignment
    # joins them into one pair of 600 words, which no line of the file has.
    first = " ".join(f"word{i}" for i in range(300))
    second = " ".join(f"term{i}" for i in range(300))
    hyp, ref = tmp_path / "h.txt", tmp_path / "r.txt"
    hyp.write_text(f"{first}\n{second}\n", encoding="utf-8")
    ref.write_text(f"{' '.join(first.split()[:225] + second.split()[:225])}.\n", encoding="utf-8")
    argv = ["score", "--hyp", str(hyp), "--ref", str(ref), "--ref-layout", "document"]
    err = one_error(capsys, argv)
    assert "pair 1 of the hypotheses as paired with the reference sentences has 600" in err
    assert "line 1" not in err


def test_a_command_refused_on_its_inputs_leaves_no_folder_it_made(tmp_path, capsys):
    (tmp_path / "h.txt").write_text("a b\n", encoding="utf-8")
    missing = str(tmp_path / "missing.txt")
    for argv, made in (
        (["score", "--hyp", str(tmp_path / "h.txt"), "--ref", missing, "--ref-layout",
          "document", "--write-aligned", str(tmp_path / "s" / "x" / "al")], "s"),
        (["links", "--src", missing, "--tgt", str(tmp_path / "h.txt"), "--out",
          str(tmp_path / "l" / "a" / "b.ph"), "--method", "lexical"], "l"),
    ):  # fmt: skip
        assert "does not exist" in one_error(capsys, argv)
        assert not (tmp_path / made).exists(), argv[0]
