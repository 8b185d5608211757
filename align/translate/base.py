"""The translator interface every engine fills in (transformers now, CTranslate2 later)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol


@dataclass(frozen=True)
class DecodingSettings:
    """What decides the output; recorded in the run manifest and (later) cache keys."""

    num_beams: int = 4
    # A fixed cap on new tokens. None: cap relative to the source length
    # (ratio * source tokens + offset, never above the model's max_length), which stops the
    # rare runaway repetition loop of a real model and the endless output of a random one.
    max_new_tokens: int | None = None
    max_length_ratio: float = 2.0
    max_length_offset: int = 10
    batch_size: int = 16

    def to_json(self) -> dict:
        return asdict(self)


class Translator(Protocol):
    engine: str

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate in input order; sorting and batching are the engine's business."""
        ...

    def info(self) -> dict:
        """Model id, revision, file hashes, engine and decoding settings, for the manifest."""
        ...
