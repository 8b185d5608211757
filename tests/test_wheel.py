"""The wheel runs the main job: built, installed in a fresh venv, used outside the checkout.

``pip wheel`` builds the wheel from a copy of the sources (``pyproject.toml``, ``README.md``,
``LICENSE``, ``align/``), so the checkout gets no ``build/`` folder. A fresh venv (no system
site-packages) gets ``torch==2.13.0`` first, as the Makefile installs it, then the wheel with
the extras ``[fast,align]`` from the package indexes pip is configured with; ``pip check``
must pass.
From a temporary folder outside the checkout, with the hub offline, the installed
``arabic-align`` then builds a tiny fixture model and runs ``run``, ``report`` and ``batch``
(two small articles): each must exit 0 and write its outputs. The model registry, the
fixture's training text and the FLORES-200 background text come from the package data.

The installed venv is kept between test runs, so that ``make test`` stays fast, under
``$ARABIC_ALIGN_TEST_CACHE``, else ``$XDG_CACHE_HOME/arabic-align-test``, else
``~/.cache/arabic-align-test``, in ``wheel-venv-<key>/`` (about 1.4 GB). The key is the
wheel's dependency metadata (Requires-Dist, Requires-Python), the Python version and the torch
pin: a change to the dependencies makes a new venv, installed from nothing (torch, then the
wheel with its extras and every dependency). The package itself is keyed by the wheel's
content (the bytes of every file in it, not the zip's timestamps): when that changed, the
wheel is reinstalled in the venv (``--force-reinstall --no-deps``: pip removes every file of
the previous build) and ``pip check`` runs again, a few seconds instead of a minute. Markers
(``.installed``, ``.wheel``) are written only after a step succeeded, so an interrupted
install is redone. A lock beside each venv (exclusive to install, shared while the tests
use it) keeps concurrent test runs apart; venvs of other keys idle for over an hour and not
in use are removed. The parsed background dictionary is kept beside the venv (``lexicon/``)
so that a warm run does not parse it again; the translation cache and CTranslate2
conversions start empty every time.

Measured on 2 shared cores: cold (a new venv) 105-120 s; warm 35-40 s, of which about 5 s
build the wheel and 5 s the fixture model; a changed package adds about 3 s (reinstall).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from align.links.background import PARALLEL_DIR, PARALLEL_FILES, PARALLEL_NAME

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "align" / "data" / "seed-article"
TORCH = "torch==2.13.0"  # the Makefile's pin, installed first so pip keeps the CPU build
EXTRAS = "[fast,align]"
IDLE_S = 3600  # venvs of other keys unused for this long are removed
PACKAGE_DATA = {
    "align/data/registry.json",
    "align/data/seed-article/article.ar.txt",
    "align/data/seed-article/reference.en.txt",
    *(f"align/data/{PARALLEL_NAME}/{name}" for name in (*PARALLEL_FILES, "README.md")),
}


def cache_root() -> Path:
    if os.environ.get("ARABIC_ALIGN_TEST_CACHE"):
        return Path(os.environ["ARABIC_ALIGN_TEST_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "arabic-align-test"


def sh(*args, cwd: Path | None = None, env: dict | None = None, timeout: float = 600) -> str:
    proc = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
        )
    return proc.stdout


def content_key(wheel: Path) -> str:
    """The wheel's files and their bytes (not the zip's timestamps)."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(zf.namelist()):
            digest.update(name.encode() + b"\0" + hashlib.sha256(zf.read(name)).digest())
    return digest.hexdigest()[:16]


def deps_key(wheel: Path) -> str:
    """What the venv's third-party packages depend on: the wheel's dependency metadata, the
    Python version and the torch pin."""
    with zipfile.ZipFile(wheel) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        lines = zf.read(meta).decode().splitlines()
    deps = sorted(x for x in lines if x.startswith(("Requires-Dist:", "Requires-Python:")))
    text = "\n".join([*deps, str(sys.version_info[:3]), TORCH, EXTRAS])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def prune(root: Path, keep: Path) -> None:
    """Remove the venvs of other keys that nobody has used for IDLE_S and nobody holds."""
    for other in root.glob("wheel-venv-*/"):
        mark = other / ".used"
        used = mark.stat().st_mtime if mark.exists() else 0.0
        if other == keep or time.time() - used < IDLE_S:
            continue
        with open(other.with_name(other.name + ".lock"), "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # in use
            shutil.rmtree(other, ignore_errors=True)


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return {**env, "PYTHONNOUSERSITE": "1", "HF_HUB_OFFLINE": "1", **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("wheel-src")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "align", src / "align", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    sh(sys.executable, "-m", "pip", "wheel", src, "--no-deps", "-q", "-w", out, env=clean_env())
    (built,) = out.glob("arabic_align-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel):
    root = cache_root()
    home = root / f"wheel-venv-{deps_key(wheel)}"
    root.mkdir(parents=True, exist_ok=True)
    env = clean_env()
    pip = [home / "venv" / "bin" / "python", "-m", "pip", "-q"]
    with open(home.with_name(home.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / ".installed").is_file():
            shutil.rmtree(home, ignore_errors=True)  # an install that did not finish
            sh(sys.executable, "-m", "venv", home / "venv", env=env)
            sh(*pip, "install", TORCH, env=env, timeout=1800)
            sh(*pip, "install", f"{wheel}{EXTRAS}", env=env, timeout=1800)
            sh(*pip, "check", env=env)
            (home / ".wheel").write_text(content_key(wheel) + "\n")
            (home / ".installed").write_text(wheel.name + "\n")
        mark = home / ".wheel"
        while True:
            if not mark.is_file() or mark.read_text().strip() != content_key(wheel):
                mark.unlink(missing_ok=True)
                sh(*pip, "install", "--force-reinstall", "--no-deps", wheel, env=env,
                   timeout=600)  # fmt: skip
                sh(*pip, "check", env=env)
                mark.write_text(content_key(wheel) + "\n")
            # In use: no other run reinstalls it meanwhile. (The exclusive lock is let go
            # before the shared one is taken, so a run of another checkout may have put its
            # own wheel in between: then again.)
            fcntl.flock(lock, fcntl.LOCK_SH)
            if mark.is_file() and mark.read_text().strip() == content_key(wheel):
                break
            fcntl.flock(lock, fcntl.LOCK_EX)
        (home / ".used").touch()
        prune(root, keep=home)
        yield home


@pytest.fixture(scope="module")
def work(venv, tmp_path_factory):
    """A folder outside the checkout, and a fresh cache folder seeded with the parsed
    dictionary of earlier runs."""
    folder = tmp_path_factory.mktemp("wheel-job")
    assert ROOT not in folder.resolve().parents
    cache = folder / "cache"
    saved = venv / "lexicon"
    if saved.is_dir():
        shutil.copytree(saved, cache)
    else:
        cache.mkdir()
    yield folder, cache
    saved.mkdir(exist_ok=True)
    for path in cache.glob("lexicon-*"):
        shutil.copy2(path, saved / path.name)


def cli(venv: Path, cache: Path, cwd: Path, *args) -> str:
    exe = venv / "venv" / "bin" / "arabic-align"
    return sh(exe, *args, cwd=cwd, env=clean_env(ARABIC_ALIGN_CACHE=str(cache)))


@pytest.fixture(scope="module")
def model(venv, work) -> Path:
    """`arabic-align models fixture` of the installed wheel: the registry and the SentencePiece
    training text come from its package data."""
    folder, cache = work
    python = venv / "venv" / "bin" / "python"
    where = sh(python, "-c", "import align.data; print(align.data.__file__)", cwd=folder)
    assert Path(where.strip()).is_relative_to(venv / "venv"), where
    cli(venv, cache, folder, "models", "fixture", "model", "--size", "tiny")
    assert (folder / "model" / "arabic-align-fixture.json").is_file()
    assert (folder / "model" / "model.safetensors").is_file()
    return folder / "model"


def test_wheel_carries_the_package_data_and_dependencies(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        (meta,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = zf.read(meta).decode()
        readme = zf.read(f"align/data/{PARALLEL_NAME}/README.md").decode()
        licence = zf.read(meta.replace("METADATA", "licenses/LICENSE")).decode()
    assert names >= PACKAGE_DATA, PACKAGE_DATA - names
    assert "License-Expression: Apache-2.0" in metadata and "License-File: LICENSE" in metadata
    assert "Apache License" in licence and "Version 2.0" in licence
    assert not any(n.startswith(("corpus/", "models/", "tests/")) for n in names)
    assert "CC BY-SA 4.0" in readme and "NLLB Team" in readme  # attribution travels along
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    for dep in ("torch", "transformers", "sentencepiece", "lemminflect", "sacrebleu"):
        assert any(line.split()[1].startswith(dep) for line in requires), dep
    for dep, extra in (("ctranslate2", "fast"), ("eflomal", "align")):
        assert any(dep in line and f'extra == "{extra}"' in line for line in requires), dep


def test_installed_wheel_runs_run_and_report(venv, work, model):
    folder, cache = work
    # The README's line that copies the seed article out of the installed package.
    (copy,) = [
        line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("python -c") and "seed-article" in line
    ]  # fmt: skip
    sh("bash", "-c", copy.replace("python ", str(venv / "venv" / "bin" / "python") + " ", 1),
       cwd=folder)  # fmt: skip
    seed = folder / "corpus" / "seed-article"
    for name in ("article.ar.txt", "reference.en.txt"):
        assert (seed / name).read_bytes() == (SEED / name).read_bytes()
        shutil.copy2(seed / name, folder / name)
    cli(
        venv, cache, folder, "run", "article.ar.txt", "--ref", "reference.en.txt",
        "--model", model.name, "--out", "run", "--max-new-tokens", "4",
    )  # fmt: skip
    run = folder / "run"
    for name in ("manifest.json", "hyp.txt", "scores.json", "segments.jsonl"):
        assert (run / name).is_file(), name
    assert len((run / "hyp.txt").read_text(encoding="utf-8").splitlines()) == 54
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    (flores,) = [r for r in manifest["aligner"]["background"] if r["name"] == PARALLEL_NAME]
    assert flores["sha256"] == {
        name: hashlib.sha256((PARALLEL_DIR / name).read_bytes()).hexdigest()
        for name in PARALLEL_FILES
    }
    assert json.loads((run / "scores.json").read_text(encoding="utf-8"))["corpus"]

    cli(venv, cache, folder, "report", "run", "-o", "report.html")
    assert "<html" in (folder / "report.html").read_text(encoding="utf-8")[:2000].lower()


def test_installed_wheel_runs_batch(venv, work, model):
    folder, cache = work
    lines = (SEED / "article.ar.txt").read_text(encoding="utf-8-sig").splitlines()
    articles = folder / "articles"
    articles.mkdir()
    (articles / "one.txt").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    (articles / "two.txt").write_text("\n".join(lines[3:6]) + "\n", encoding="utf-8")

    cli(
        venv, cache, folder, "batch", "articles", "--out", "out", "--model", model.name,
        "--max-new-tokens", "4", "--quiet",
    )  # fmt: skip
    out = folder / "out"
    rows = [json.loads(x) for x in (out / "summary.jsonl").read_text().splitlines()]
    assert [(r["id"], r["status"]) for r in rows] == [("one", "ok"), ("two", "ok")]
    for name in ("one", "two"):
        assert (out / name / "hyp.txt").read_text(encoding="utf-8").strip()
        assert (out / name / "manifest.json").is_file()
    assert (out / "corpus.json").is_file()
