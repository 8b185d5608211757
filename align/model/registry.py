"""The model registry, ``align/data/registry.json``: known models and the expected layout.

It is package data, read with ``importlib.resources``: a checkout, an editable install and a
wheel all read the copy inside the package. A registry that is missing (a damaged install)
stops the job instead of loading models unchecked.
"""

from __future__ import annotations

import json
from functools import cache

from align.data import data_file
from align.errors import JobError

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"
REGISTRY = data_file("registry.json")


@cache
def registry() -> dict:
    if not REGISTRY.is_file():
        raise JobError(f"the model registry {REGISTRY} is missing; reinstall arabic-align")
    return json.loads(REGISTRY.read_text(encoding="utf-8"))


def known_model(model_id: str) -> dict | None:
    return registry()["models"].get(model_id)


def layout() -> dict:
    return registry()["layout"]
