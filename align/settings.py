"""The two groups of a pipeline's settings, as small frozen objects.

``TranslationSettings`` says how segments are translated (engine, device, numbers, threads,
cache, decoding); ``AlignmentSettings`` how they are aligned (method, training text,
dictionary, background knowledge, priors, attention options). ``Pipeline`` takes one of
each, or ready-made translator and aligner objects instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.translate.base import DecodingSettings


@dataclass(frozen=True)
class TranslationSettings:
    """How the model translates.

    ``engine``: "auto" (CTranslate2 when installed, else transformers), "transformers" or
    "ctranslate2". ``device``: "auto"/None, "cpu" or "cuda". ``quantization``: CTranslate2's
    compute type (int8 on CPU by default). ``cache``: True (the user's cache folder), False
    (no cache) or a path to a cache file."""

    engine: str = "auto"
    device: str | None = None
    quantization: str | None = None
    inter_threads: int | None = None
    intra_threads: int | None = None
    cache: bool | str | Path = True
    decoding: DecodingSettings = field(default_factory=DecodingSettings)


@dataclass(frozen=True)
class AlignmentSettings:
    """How segments are aligned with their translation and reference.

    ``method``: hybrid, statistical, lexical or attention. ``train``: extra (Arabic, English)
    sentence pairs for the statistical model. ``dictionary``: an ``arabic<TAB>english``
    file. ``background``: True (the default dictionary and parallel text), False, or a
    ``links.background.Background``. ``priors``: a ``links.priors.Priors`` (see
    ``read_priors``). ``reference``: also align each segment with its reference.
    ``attention``: options of the attention aligner (threshold, heads, layer)."""

    method: str = "hybrid"
    train: tuple[tuple[str, str], ...] = ()
    dictionary: str | Path | None = None
    background: Any = True
    priors: Any = None
    reference: bool = True
    attention: Mapping[str, Any] = field(default_factory=dict)
