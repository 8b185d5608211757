"""The benchmark scripts refuse what a user can get wrong (counts, shares, unreadable or
mismatched inputs, an output over an input) in one sentence and exit status 2, before any
slow work, and never with a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
SEED = ROOT / "corpus" / "seed-article"
AR = ["وصل الوفد إلى القاهرة صباح اليوم.", "وقال المتحدث إن المحادثات ستستمر.", "بدأ الاجتماع."]
EN = ["The delegation arrived in Cairo.", "The speaker said the talks go on.", "It began."]


def run(script: str, *args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / script), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
        check=False,
    )


def refused(script: str, *args, cwd: Path | None = None) -> str:
    """The one line a script says when it refuses its arguments (argparse's usage block,
    where a script prints it, aside)."""
    proc = run(script, *args, cwd=cwd)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    message = [
        line
        for line in proc.stderr.splitlines()
        if line.strip() and not line.startswith(("usage:", " "))
    ]
    assert len(message) == 1, proc.stderr
    assert proc.stdout == ""  # refused before any work
    return message[0]


def lines_file(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path) -> tuple[Path, Path]:
    return lines_file(tmp_path / "ar.txt", AR), lines_file(tmp_path / "en.txt", EN)


@pytest.fixture
def gold_dir(tmp_path) -> Path:
    """A word-align data folder with a three-pair public gold, and an empty news folder."""
    public = tmp_path / "data" / "public"
    public.mkdir(parents=True)
    lines_file(public / "gold.ar", ["a b", "c d", "e"])
    lines_file(public / "gold.en", ["x y", "z w", "v"])
    lines_file(public / "gold.pharaoh", ["0-0 1-1", "0-0", "0-0"])
    (tmp_path / "news").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("script", "args", "option"),
    [
        ("bench_docalign.py", ["--doc-size", "0"], "--doc-size"),
        ("bench_docalign.py", ["--doc-size", "-1"], "--doc-size"),
        ("bench_checks.py", ["--article", "0"], "--article"),
        ("bench_checks.py", ["--limit", "0"], "--limit"),
        ("bench_checks.py", ["--limit", "-5"], "--limit"),
        ("bench_links.py", ["--repeats", "0"], "--repeats"),
        ("bench_align_time.py", ["--model", "unused", "--repeats", "0"], "--repeats"),
        ("bench_align_time.py", ["--model", "unused", "--repeats", "-2"], "--repeats"),
        ("bench_translate.py", ["--threads", "0"], "--threads"),
        ("bench_translate.py", ["--fidelity-limit", "0"], "--fidelity-limit"),
        ("bench_batch.py", ["--articles", "0"], "--articles"),
    ],
)
def test_a_count_below_one_is_refused(script, args, option):
    assert option in refused(script, *args)


@pytest.mark.parametrize(
    ("script", "option", "value"),
    [
        ("bench_docalign.py", "--merge", "nan"),
        ("bench_docalign.py", "--split", "inf"),
        ("bench_docalign.py", "--noise", "1.5"),
        ("bench_docalign.py", "--merge", "-0.1"),
        ("bench_checks.py", "--share", "2"),
        ("bench_checks.py", "--share", "-1"),
        ("bench_checks.py", "--share", "1.01"),
        ("bench_checks.py", "--share", "nan"),
    ],
)
def test_a_share_that_is_not_a_share_is_refused(script, option, value):
    assert option in refused(script, option, value)


def test_an_unreadable_flores_file_is_one_sentence(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    legacy = tmp_path / "cp1256.txt"
    legacy.write_bytes(("\n".join(AR) + "\n").encode("cp1256"))
    assert "empty" in refused("bench_docalign.py", "--flores", empty)
    assert "not UTF-8" in refused("bench_docalign.py", "--flores", legacy)
    assert "is a directory" in refused("bench_docalign.py", "--flores", tmp_path)
    assert "does not exist" in refused("bench_docalign.py", "--flores", tmp_path / "nosuch")
    assert "is a directory" in refused("bench_segment.py", "--flores", tmp_path)


def test_a_missing_gold_file_is_said_to_be_missing(tmp_path):
    message = refused("bench_segment.py", "--gold", tmp_path / "nosuch.jsonl")
    assert "does not exist" in message
    assert "beside" not in message


def test_files_of_different_lengths_are_refused(tmp_path, pair, gold_dir):
    short = lines_file(tmp_path / "short.en", EN[:-1])
    message = refused("bench_checks.py", "--pair", *pair, "--train", pair[0], short)
    assert "3 Arabic lines" in message and "2 English lines" in message
    lines_file(gold_dir / "data" / "public" / "gold.en", ["x y", "z w"])
    message = refused("bench_links.py", "--data", gold_dir / "data", "--news", gold_dir / "news")
    assert "gold.en: 2" in message


def test_a_gold_row_in_the_wrong_format_names_its_file_and_line(tmp_path, gold_dir):
    pharaoh = gold_dir / "data" / "public" / "gold.pharaoh"
    lines_file(pharaoh, ["0-0", "0-0 3p4", "0-0"])
    message = refused("bench_links.py", "--data", gold_dir / "data", "--news", gold_dir / "news")
    assert f"{pharaoh}, line 2" in message and "3p4" in message

    article = SEED / "article.ar.txt"
    not_json = tmp_path / "notjson.jsonl"
    not_json.write_bytes(article.read_bytes())
    message = refused("bench_segment.py", "--gold", not_json, "--article", article)
    assert f"line 1 of the gold file {not_json} is not JSON" in message
    partial = tmp_path / "partial.jsonl"
    partial.write_text('{"line": 1}\n\n{"line": 1}\n', encoding="utf-8")
    message = refused("bench_segment.py", "--gold", partial, "--article", article)
    assert f"line 1 of the gold file {partial}" in message and "role" in message
    # The output of `arabic-align segment` is not a gold file: its text is under "text".
    segments = [{"line": 1, "role": "body", "start": 0, "end": 3, "text": "abc"}]
    other = tmp_path / "segments.jsonl"
    other.write_text("".join(json.dumps(r) + "\n" for r in segments), encoding="utf-8")
    assert "no valid ar" in refused("bench_segment.py", "--gold", other, "--article", article)


def test_an_unknown_contender_is_refused_with_the_known_ones(gold_dir):
    message = refused(
        "bench_links.py",
        "--data", gold_dir / "data", "--news", gold_dir / "news", "--only", "nosuch",
    )  # fmt: skip
    assert "'nosuch'" in message and "ours: hybrid" in message


def test_an_output_over_an_input_is_refused(tmp_path, pair, gold_dir):
    flores = lines_file(tmp_path / "flores.txt", EN)
    link = tmp_path / "link.txt"
    link.symlink_to(flores)
    hard = tmp_path / "hard.txt"
    os.link(flores, hard)
    gold_ar = gold_dir / "data" / "public" / "gold.ar"
    article = tmp_path / "article.ar.txt"
    article.write_bytes((SEED / "article.ar.txt").read_bytes())
    inputs = [flores, *pair, gold_ar, article]
    before = {p: p.read_bytes() for p in inputs}
    cases = [
        ("bench_docalign.py", "--flores", flores, "--json", flores),
        ("bench_docalign.py", "--flores", flores, "--json", link),
        ("bench_docalign.py", "--flores", hard, "--json", flores),
        ("bench_checks.py", "--pair", *pair, "--no-train", "--json", pair[1]),
        ("bench_checks.py", "--pair", *pair, "--train", *pair, "--json", pair[0]),
        ("bench_links.py", "--data", gold_dir / "data", "--news", gold_dir / "news",
         "--json", gold_ar),
        ("bench_align_time.py", "--model", "unused", "--article", article, "--json", article),
    ]  # fmt: skip
    for script, *args in cases:
        assert "never writes over its own input" in refused(script, *args)
    assert "is a directory" in refused("bench_docalign.py", "--flores", flores, "--json", tmp_path)
    assert {p: p.read_bytes() for p in inputs} == before


def test_the_screenshot_is_never_written_over_its_input(tmp_path):
    # A copy of the script in a scratch tree: it reads ROOT/corpus/seed-article beside itself.
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPTS / "screenshot_report.py", tmp_path / "scripts")
    shutil.copytree(SEED, tmp_path / "corpus" / "seed-article")
    reference = tmp_path / "corpus" / "seed-article" / "reference.en.txt"
    before = reference.read_bytes()
    for out in (reference, tmp_path / "corpus" / "seed-article" / "new.png"):
        proc = subprocess.run(
            [sys.executable, "scripts/screenshot_report.py", str(out)],
            capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
        )  # fmt: skip
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.splitlines()) == 1
        assert "which the command reads" in proc.stderr
    assert "is a directory" in refused("screenshot_report.py", tmp_path)
    assert reference.read_bytes() == before
    assert not (tmp_path / "corpus" / "seed-article" / "new.png").exists()


def test_json_into_a_new_folder_is_written_whole(tmp_path):
    # The one case here that runs a benchmark: ten lines, a second.
    flores = lines_file(tmp_path / "flores.txt", [f"{s} Line {k}." for k, s in enumerate(EN * 4)])
    out = tmp_path / "new" / "folder" / "results.json"
    proc = run("bench_docalign.py", "--flores", flores, "--doc-size", "6", "--json", out)
    assert proc.returncode == 0, proc.stderr
    assert [row["method"] for row in json.loads(out.read_text(encoding="utf-8"))] == [
        "ours (chrF DP)", "Gale–Church (length)",
    ]  # fmt: skip
    assert sorted(p.name for p in out.parent.iterdir()) == ["results.json"]


def test_the_default_flores_is_the_copy_the_package_ships():
    shipped = (ROOT / "corpus" / "flores200-devtest").resolve()
    for script, name in (("bench_docalign.py", "eng_Latn"), ("bench_segment.py", "arb_Arab")):
        proc = run(script, "--help")
        assert proc.returncode == 0
        assert "shipped" in proc.stdout or "ships" in proc.stdout
        assert (shipped / f"{name}.devtest").is_file()
    # Without --flores the shipped file is read: --json may not replace it (nor write
    # anything else into the package's data).
    message = refused("bench_docalign.py", "--json", shipped / "eng_Latn.devtest")
    assert "package data" in message


def test_the_batch_script_runs_as_the_docs_show_it():
    script = SCRIPTS / "translate_batch.py"
    assert os.access(script, os.X_OK)  # `scripts/translate_batch.py ...`, as docs/batch.md
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "usage: arabic-align batch" in done.stdout
    # A Python without the package (no site-packages): one sentence, not a traceback.
    bare = subprocess.run([sys.executable, "-S", str(script), "in"], capture_output=True, text=True)
    assert bare.returncode != 0 and "Traceback" not in bare.stderr
    assert bare.stderr.strip().splitlines() == [bare.stderr.strip()]
    assert "has no arabic-align installed" in bare.stderr
