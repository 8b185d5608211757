"""Data that ships inside the package, read with ``importlib.resources`` (never from a checkout).

- ``registry.json``: the model registry (known models, expected layout), see ``models/README.md``;
- ``seed-article/``: the seed article, its gold segments and its English reference; its text
  trains the fixture models' SentencePiece models (``corpus/seed-article`` links here);
- ``flores200-devtest/``: FLORES-200 devtest, Arabic and English, the aligners' background
  parallel text, with its attribution and licence in its README (CC BY-SA 4.0);
  ``corpus/flores200-devtest`` links here.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable


def data_file(*parts: str) -> Traversable:
    """A file or folder of the package data: ``data_file("flores200-devtest", "README.md")``."""
    path = files(__name__)
    for part in parts:
        path = path / part
    return path
