"""scripts/bench_translate.py end to end on the tiny fixture: every contender runs, does the
same amount of work, and the fidelity counts are reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "bench_translate.py"

LINES = [
    "وصل الوفد إلى القاهرة صباح اليوم.",
    "قال المتحدث إن المحادثات ستستمر ثلاثة أيام.",
    "ارتفعت الأسعار في الأسواق المحلية.",
    "هل ينجح الطرفان في التوصل إلى اتفاق؟",
    "انتهى الاجتماع ببيان مشترك.",
]
LENGTH = 4


def run_bench(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ARABIC_ALIGN_CACHE=str(tmp_path / "cache"), HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, str(SCRIPT), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_all_contenders_on_the_tiny_fixture(tmp_path, tiny_model):
    pytest.importorskip("ctranslate2")
    src = tmp_path / "ar.txt"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    proc = run_bench(
        tmp_path,
        "--model",
        str(tiny_model),
        "--src",
        str(src),
        "--limit",
        "5",
        "--length",
        str(LENGTH),
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)  # stdout is the JSON alone
    assert "gibberish" in proc.stderr  # the fixture's output is said to be meaningless

    assert report["sentences"] == 5
    contenders = report["contenders"]
    assert sorted(contenders) == ["a", "b", "c", "d", "e"]
    for key, result in contenders.items():
        assert "error" not in result, (key, result)
        assert result["sentences_per_s"] > 0, key
        assert result["tokens_per_s"] > 0, key
        assert result["peak_rss_mb"] > 0, key
        assert result["load_seconds"] >= 0, key
    # Equal work: every contender produced exactly LENGTH tokens per sentence.
    counts = {k: r["tokens"] for k, r in contenders.items()}
    assert counts == dict.fromkeys(contenders, 5 * LENGTH)
    assert report["token_counts_equal"] is True
    assert contenders["a"]["vs_a"] == pytest.approx(1.0)
    assert contenders["b"]["vs_b"] == pytest.approx(1.0)
    # (e) ran with the thread counts (d) used.
    assert contenders["e"]["threads"] == contenders["d"]["threads"]

    conversions = report["conversions"]
    assert set(conversions) == {"int8", "float32"}
    assert all(Path(c["dir"]).is_relative_to(tmp_path / "cache") for c in conversions.values())

    statuses = {t["status"] for t in report["targets"]}
    assert len(report["targets"]) == 4 and statuses <= {"PASS", "FAIL"}

    fidelity = report["fidelity"]
    assert "error" not in fidelity, fidelity
    for key in ("ct2_float32_vs_transformers", "ct2_int8_vs_float32"):
        assert fidelity[key]["total"] == 5
        assert 0 <= fidelity[key]["identical"] <= 5
    assert fidelity["status"] in ("PASS", "FAIL")


def test_missing_source_file_is_one_clear_message(tmp_path, tiny_model):
    proc = run_bench(tmp_path, "--model", str(tiny_model), "--src", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2
    assert "no Arabic source file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_contender_is_refused(tmp_path, tiny_model):
    src = tmp_path / "ar.txt"
    src.write_text(LINES[0] + "\n", encoding="utf-8")
    proc = run_bench(tmp_path, "--model", str(tiny_model), "--src", str(src), "--only", "a,z")
    assert proc.returncode == 2
    assert "--only" in proc.stderr
