"""Shared test fixtures. Models are built at test time (no model hub here): their weights
are random, so what they write is gibberish, used only to check the machinery."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from align.model.fixture import build_fixture

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed-article"

# Tests never reach the hub: an accidental hub id fails fast instead of waiting on a network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Conversions and the translation cache go to a folder of the test session, never to the
# user's ~/.cache, and the folder goes when the session ends.
os.environ["ARABIC_ALIGN_CACHE"] = tempfile.mkdtemp(prefix="arabic-align-test-cache-")
atexit.register(shutil.rmtree, os.environ["ARABIC_ALIGN_CACHE"], ignore_errors=True)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("models") / "tiny", size="tiny")


@pytest.fixture(scope="session")
def opus_model(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("models") / "opus", size="opus-mt-ar-en")


def forget_dictionary() -> None:
    """Clear what the checks cached from the background dictionary and Buckwalter's lexicon
    (every cache of ``align.checks.dictionary``): a test that swaps the dictionary for none
    must leave no glosses read without it to the tests after it (a process never swaps it)."""
    from align.checks import dictionary

    for value in vars(dictionary).values():
        clear = getattr(value, "cache_clear", None)
        if callable(clear):
            clear()


def seed_translation_run(folder: Path, added: dict[int, str], *extra: str) -> Path:
    """A run of the seed article with its reference as the translation, ``added[k]``
    appended to line ``k`` (an error to find), aligned by the lexical method (no model):
    the run folder, made in ``folder``."""
    from align.cli import main

    lines = (SEED / "reference.en.txt").read_text(encoding="utf-8").splitlines()
    for k, words in added.items():
        lines[k] += words
    folder.mkdir(parents=True, exist_ok=True)
    hyp = folder / "hyp.txt"
    hyp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = folder / "run"
    argv = ["run", str(SEED / "article.ar.txt"), "--hyp", str(hyp), "--align-method",
            "lexical", "--out", str(run), *extra]  # fmt: skip
    assert main(argv) == 0
    return run
