"""Alignment and checks time against translation time inside one run.

The times are those a user's run records. Runs ``arabic-align run`` on an article (default:
the seed article with its reference) ``--repeats`` times, each a fresh process with
``--no-cache`` (so every run translates), and reads the manifest's timings: translate, align
(and its attention and forced-decoding parts), the translation checks, the aligner's set-up
(background, its cached priors, the forced-decoding model) and the model load. The table
gives each run and the median; "align / translate" is the ratio the toolkit aims to keep at
or under 0.5; the translate column is the engine's own figure from the same runs.

The checks' cost is measured two ways, against the baseline of the same run without them:
"checks / run" is the manifest's checks time over the run's wall time (the process as a
user waits for it), and each repeat also runs the same command with ``--no-checks`` right
after (the order alternating, so neither side always finds the caches warmer), whose wall
time gives "with / without checks". The toolkit aims to keep the checks within a tenth of a
run's time.

The first run on a machine also makes the background's priors (once, then cached); it is
reported and left out of the median.

    python scripts/bench_align_time.py --model FIXTURE_DIR [--repeats 5]

A fixture model's output is gibberish: only the times mean anything.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from align.errors import UserError
from align.records import atomic_write_text, check_output_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed-article"
FLAGS = ("avx2", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8")
KEYS = ("load_model", "prepare_aligner", "translate", "align", "align_attention",
        "align_forced_decoding", "checks")  # fmt: skip


def cpu() -> tuple[str | None, list[str]]:
    model, flags = None, set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model is None:
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return model, [f for f in FLAGS if f in flags]


def one_run(args, out: Path, checks: bool = True) -> dict:
    command = [
        sys.executable, "-m", "align.cli", "run", str(args.article), "--model", args.model,
        "--engine", args.engine, "--max-new-tokens", str(args.max_new_tokens), "--no-cache",
        "--out", str(out), "--force", "--no-progress",
    ]  # fmt: skip
    if args.ref:
        command += ["--ref", str(args.ref)]
    if not checks:
        command.append("--no-checks")
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench_align_time: the run failed:\n{done.stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    timings = manifest["timings"]
    row = {k: timings.get(k, 0.0) for k in KEYS}
    row["ratio"] = timings["align"] / timings["translate"]
    row["wall"] = wall
    row["checks_share"] = row["checks"] / wall
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="model directory or hub id")
    ap.add_argument("--article", type=Path, default=SEED / "article.ar.txt")
    ap.add_argument("--ref", type=Path, default=SEED / "reference.en.txt")
    ap.add_argument("--engine", default="ctranslate2")
    ap.add_argument("--max-new-tokens", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path, help="write the rows here as JSON")
    args = ap.parse_args(argv)
    try:
        # Checked before the first run: a mistake costs no run, and --json is no input.
        if args.repeats < 1 or args.max_new_tokens < 1:
            raise UserError("--repeats and --max-new-tokens must be at least 1")
        if args.json:
            check_output_file(args.json, "--json", [("article", args.article),
                                                    ("reference", args.ref)],
                              folders=[("model directory", args.model)])  # fmt: skip
    except UserError as exc:
        print(f"bench_align_time: {exc}", file=sys.stderr)
        return 2

    model, flags = cpu()
    print(f"CPU: {model}, {os.cpu_count()} cores; flags: {' '.join(flags) or 'none listed'}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-align-time-") as tmp:
        for k in range(args.repeats + 1):
            # the baseline without checks right before or after, alternating
            first_plain = k % 2 == 1
            plain = one_run(args, Path(tmp) / "plain", checks=False) if first_plain else None
            row = one_run(args, Path(tmp) / "run")
            if not first_plain:
                plain = one_run(args, Path(tmp) / "plain", checks=False)
            row["wall_without_checks"] = plain["wall"]
            row["with_without"] = row["wall"] / plain["wall"]
            row["run"] = "first (makes caches)" if k == 0 else str(k)
            rows.append(row)
            print(f"  run {row['run']}: translate {row['translate']:.2f} s, align "
                  f"{row['align']:.2f} s, ratio {row['ratio']:.2f}; checks "
                  f"{row['checks']:.2f} s, wall {row['wall']:.2f} s against "
                  f"{plain['wall']:.2f} s without", file=sys.stderr)  # fmt: skip
    print("| run | load model | prepare aligner | translate | align | of which attention "
          "| forced decoding | align / translate | checks | wall | checks / run "
          "| wall without checks | with / without checks |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")

    def line(name: str, r: dict, bold: str = "") -> str:
        cells = [f"{r[k]:.2f}" for k in (*KEYS[:6], "ratio", "checks", "wall")]
        cells[6] = f"{bold}{cells[6]}{bold}"
        cells.insert(9, f"{bold}{r['checks_share']:.3f}{bold}")
        cells += [f"{r['wall_without_checks']:.2f}", f"{bold}{r['with_without']:.3f}{bold}"]
        return f"| {name} | " + " | ".join(cells) + " |"

    for r in rows:
        print(line(r["run"], r))
    measured = rows[1:]
    columns = (*KEYS, "ratio", "wall", "checks_share", "wall_without_checks", "with_without")
    median = {k: statistics.median(r[k] for r in measured) for k in columns}
    print(line(f"median of {len(measured)}", median, "**"))
    if args.json:
        atomic_write_text(args.json, json.dumps({"cpu": model, "flags": flags, "rows": rows,
                                                 "median": median}, indent=2) + "\n")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
