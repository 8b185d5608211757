"""The model registry in ``models/registry.json``: known models and the expected layout.

The registry is read from the checkout (the README installs the project in editable mode);
without it the registry is empty and loading still works, only without the known-model
checks.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"
REGISTRY_PATH = Path(__file__).resolve().parents[2] / "models" / "registry.json"


@cache
def registry() -> dict:
    if not REGISTRY_PATH.is_file():
        return {"models": {}, "layout": {}}
    return json.loads(REGISTRY_PATH.read_text(encoding="utf-8"))


def known_model(model_id: str) -> dict | None:
    return registry()["models"].get(model_id)


def layout() -> dict:
    return registry()["layout"]
