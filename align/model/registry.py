"""The model registry in ``models/registry.json``: known models and the expected layout.

The registry is read from the checkout: the README installs the project in editable mode
(``pip install -e .``), and an install without the checkout says so instead of loading
models unchecked.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from align.errors import JobError

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"
REGISTRY_PATH = Path(__file__).resolve().parents[2] / "models" / "registry.json"


@cache
def registry() -> dict:
    if not REGISTRY_PATH.is_file():
        raise JobError(
            f"the model registry {REGISTRY_PATH} is missing; install arabic-align from its "
            "checkout with `pip install -e .`"
        )
    return json.loads(REGISTRY_PATH.read_text(encoding="utf-8"))


def known_model(model_id: str) -> dict | None:
    return registry()["models"].get(model_id)


def layout() -> dict:
    return registry()["layout"]
