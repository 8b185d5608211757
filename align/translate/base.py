"""The translator interface every engine fills in (transformers, CTranslate2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol


@dataclass(frozen=True)
class DecodingSettings:
    """What decides the output (and how it is batched); recorded in the run manifest."""

    num_beams: int = 4
    # A fixed cap on new tokens. None: cap relative to the source length
    # (ratio * source tokens + offset, never above the model's max_length), which stops the
    # rare runaway repetition loop of a real model and the endless output of a random one.
    max_new_tokens: int | None = None
    max_length_ratio: float = 2.0
    max_length_offset: int = 10
    # At least this many new tokens (None: the model's own minimum). Benchmarks force equal
    # output lengths with it, since a random model would otherwise stop anywhere.
    min_new_tokens: int | None = None
    # Batching changes no output: a budget of padded source tokens per batch, and a ceiling
    # on sentences per batch.
    max_batch_tokens: int = 1024
    max_batch_sentences: int = 64

    def to_json(self) -> dict:
        return asdict(self)

    def output_key(self) -> dict:
        """Only the settings that change what comes out (for cache keys)."""
        data = asdict(self)
        del data["max_batch_tokens"], data["max_batch_sentences"]
        return data


class Translator(Protocol):
    engine: str

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate in input order; sorting and batching are the engine's business."""
        ...

    def info(self) -> dict:
        """Model id, revision, file hashes, engine and decoding settings, for the manifest."""
        ...
