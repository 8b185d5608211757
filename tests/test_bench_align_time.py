"""scripts/bench_align_time.py: each repeat is a run with the checks and one without them,
in turn first, and the checks' cost is read from the same runs (the manifest's checks time
over the run's wall time, and the two runs' wall times)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "bench_align_time.py"
_spec = importlib.util.spec_from_file_location("bench_align_time", SCRIPT)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_checks_are_measured_against_runs_without_them(monkeypatch, tmp_path, capsys):
    clock = [0.0]
    commands = []

    def fake_run(command, **kwargs):
        # a run of 11 s with the checks (1.1 s of them), 10 s without: what the manifest
        # of each says, and what the script's clock sees
        checked = "--no-checks" not in command
        commands.append(checked)
        clock[0] += 11.0 if checked else 10.0
        timings = {"load_model": 3.0, "prepare_aligner": 1.0, "translate": 4.0, "align": 2.0,
                   "align_attention": 0.8, "align_forced_decoding": 0.7}  # fmt: skip
        if checked:
            timings["checks"] = 1.1
        out = Path(command[command.index("--out") + 1])
        out.mkdir(parents=True, exist_ok=True)
        (out / "manifest.json").write_text(json.dumps({"timings": timings}), encoding="utf-8")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(bench.subprocess, "run", fake_run)
    monkeypatch.setattr(bench.time, "perf_counter", lambda: clock[0])
    out = tmp_path / "rows.json"
    assert bench.main(["--model", "unused", "--repeats", "3", "--json", str(out)]) == 0
    # the baseline goes after the first run with checks, then before, then after, ...
    assert commands == [True, False, False, True, True, False, False, True]
    rows = json.loads(out.read_text(encoding="utf-8"))
    median = rows["median"]
    assert median["checks"] == 1.1 and median["wall"] == 11.0
    assert median["wall_without_checks"] == 10.0
    assert abs(median["checks_share"] - 0.1) < 1e-9
    assert abs(median["with_without"] - 1.1) < 1e-9
    assert abs(median["ratio"] - 0.5) < 1e-9
    table = capsys.readouterr().out
    assert "| median of 3 |" in table and "**0.100**" in table and "**1.100**" in table
