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
