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
    with pytest.raises(MismatchError, match="3 hypothesis segments but 2 reference"):
        corpus_scores(["a", "b", "c"], ["a", "b"])
