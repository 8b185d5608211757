"""scripts/bench_segment.py: its JSON report on the seed gold and on a FLORES-like file, what
it counts, and its arguments."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "bench_segment.py"
SEED = ROOT / "corpus" / "seed-article"

_spec = importlib.util.spec_from_file_location("bench_segment", SCRIPT)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

# FLORES-like: one sentence a line, joined by the bench into paragraphs of 3, 4, 5 lines.
FLORES_LINES = [
    "وصل الوفد إلى القاهرة صباح اليوم لبدء جولة جديدة من المحادثات.",
    "وقال المتحدث، في مؤتمر صحفي، إن المحادثات ستستمر ثلاثة أيام.",
    "هل ينجح الطرفان في التوصل إلى اتفاق؟",
    "ارتفع النمو إلى 3.5 في المئة في الربع الأول من العام.",
    "وقال د. أحمد علي إن النتائج مشجعة.",
    "بدأ الاجتماع في الساعة 11:15 صباحاً.",
    "يا لها من مفاجأة!",
    "وانتهت الجولة يوم 28 مارس/آذار ببيان مشترك.",
]
PRF = ("precision", "recall", "f1")


def run_json(capsys, *argv) -> dict:
    assert bench.main([*map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def assert_prf(scores: dict) -> None:
    for key in PRF:
        assert 0.0 <= scores[key] <= 1.0


@pytest.fixture
def flores(tmp_path) -> Path:
    path = tmp_path / "arb_Arab.devtest"
    path.write_text("\n".join(FLORES_LINES) + "\n", encoding="utf-8")
    return path


def test_seed_gold_and_flores_like_file(capsys, flores):
    report = run_json(capsys, "--gold", SEED / "segments.jsonl", "--flores", flores)
    gold = report["gold"]
    assert gold["article"] == str(SEED / "article.ar.txt")  # derived: beside the gold file
    assert (gold["rows"], gold["scored_rows"]) == (57, 54)
    assert {k: gold["ours"][k] for k in PRF} == dict.fromkeys(PRF, 1.0)
    assert_prf(gold["pysbd"])
    assert gold["pysbd"]["f1"] < 1.0  # it splits at the Arabic comma

    result = report["flores"]
    assert (result["lines"], result["paragraphs"]) == (8, 3)  # 3 + 4 + 1 lines
    for name in ("ours", "pysbd"):
        assert_prf(result[name]["segments"])
        assert_prf(result[name]["boundaries"])
        assert result[name]["segments"]["gold"] == 8
    # Every line here is one sentence our rules keep whole; pysbd splits at "،".
    assert result["ours"]["segments"]["f1"] == 1.0
    assert result["pysbd"]["segments"]["precision"] < 1.0


def _gold_row(text: str, line: int, role: str, sentence: str) -> dict:
    start = text.index(sentence)
    return {
        "line": line,
        "role": role,
        "start": start,
        "end": start + len(sentence),
        "ar": sentence,
    }


def test_a_line_the_gold_calls_boilerplate_counts_against_us(capsys, tmp_path, flores):
    # The gold says line 2 is boilerplate; we translate it: a false positive, not ignored.
    # The article has CRLF line ends: whole-text offsets must still line up.
    lines = ["وصل الوفد. وبدأت المحادثات.", "نص إعلاني من الموقع يشبه الخبر.", "رابط المصدر"]
    article = tmp_path / "article.ar.txt"
    article.write_bytes("\r\n".join(lines).encode("utf-8"))
    rows = [
        _gold_row(lines[0], 1, "body", "وصل الوفد."),
        _gold_row(lines[0], 1, "body", "وبدأت المحادثات."),
        _gold_row(lines[1], 2, "boilerplate", lines[1]),
        _gold_row(lines[2], 3, "boilerplate", lines[2]),
    ]
    gold = tmp_path / "segments.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    ours = run_json(capsys, "--gold", gold, "--flores", flores)["gold"]["ours"]
    assert (ours["tp"], ours["pred"], ours["gold"]) == (2, 3, 2)
    assert ours["precision"] == pytest.approx(2 / 3)
    assert ours["recall"] == 1.0


def test_gold_without_an_article_beside_it_is_an_error(capsys, tmp_path):
    gold = tmp_path / "segments.jsonl"
    gold.write_bytes((SEED / "segments.jsonl").read_bytes())
    with pytest.raises(SystemExit) as err:
        bench.main(["--gold", str(gold)])
    assert err.value.code == 2
    assert "give --article" in capsys.readouterr().err


def test_article_without_gold_is_an_error(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--article", str(SEED / "article.ar.txt")])
    assert "--article needs --gold" in capsys.readouterr().err


def test_gold_that_does_not_match_its_article_is_an_error(capsys, tmp_path):
    article = tmp_path / "other.txt"
    article.write_text("خبر آخر تماماً.\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        bench.main(["--gold", str(SEED / "segments.jsonl"), "--article", str(article)])
    assert "does not match" in capsys.readouterr().err


def test_script_runs_as_a_command_and_says_what_counts(flores):
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--flores", str(flores)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "54 of 57 gold rows" in out
    assert "every body/caption/credit/byline segment of the whole article" in out
    assert "ours     gold segments           1.000  1.000  1.000" in out
