"""The translator interface every engine fills in (transformers, CTranslate2)."""

from __future__ import annotations

import math
import numbers
import reprlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from align.errors import JobError, UserError

# Beyond this a beam search only exhausts memory (a beam of 10**6 asks for tens of GB).
MAX_BEAMS = 64
# The most threads a count may ask for. OpenMP reserves each thread's stack up front: a
# count of a billion ends the process with libgomp's "out of memory" and no Python error.
MAX_THREADS = 1024


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

    def __post_init__(self) -> None:
        """Each setting of its type and in its range, or one sentence (the engines would
        fail deep inside, or, for a ratio below zero, translate everything as nothing)."""
        whole = {
            "num_beams": (self.num_beams, 1, False),
            "max_new_tokens": (self.max_new_tokens, 1, True),
            # (below zero too: the cap is never below one token)
            "max_length_offset": (self.max_length_offset, -math.inf, False),
            "min_new_tokens": (self.min_new_tokens, 0, True),
            "max_batch_tokens": (self.max_batch_tokens, 1, False),
            "max_batch_sentences": (self.max_batch_sentences, 1, False),
        }
        for name, (value, least, optional) in whole.items():
            if value is None and optional:
                continue
            most = MAX_BEAMS if name == "num_beams" else math.inf
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Integral)
                or not least <= value <= most
            ):
                bound = f" of at least {least}" if least > -math.inf else ""
                bound = f" from {least} to {most}" if most < math.inf else bound
                raise UserError(
                    f"The setting {name}= takes a whole number{bound}"
                    f"{' or None' if optional else ''}, not {reprlib.repr(value)}."
                )
            object.__setattr__(self, name, int(value))  # a NumPy integer, as Python's
        ratio = self.max_length_ratio
        try:
            finite = isinstance(ratio, numbers.Real) and math.isfinite(ratio)
        except OverflowError:  # an integer past a float's range
            finite = False
        if isinstance(ratio, bool) or not finite or ratio <= 0:
            raise UserError(
                f"The setting max_length_ratio= takes a number above 0, not {reprlib.repr(ratio)}."
            )
        object.__setattr__(self, "max_length_ratio", float(ratio))
        if (
            self.min_new_tokens is not None
            and self.max_new_tokens is not None
            and self.min_new_tokens > self.max_new_tokens
        ):
            raise UserError(
                f"The setting min_new_tokens= ({self.min_new_tokens}) is above max_new_tokens= "
                f"({self.max_new_tokens}): the engines would keep the cap."
            )

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


def check_new_tokens(settings: DecodingSettings, positions: int) -> None:
    """Refuse caps on the new tokens that a model of ``positions`` positions cannot keep: its
    decoder reads a position for its start token and every new token but the last, so
    ``positions`` new tokens is the most it can give (measured: 513 fails at 512)."""
    for name in ("max_new_tokens", "min_new_tokens"):
        value = getattr(settings, name)
        least = 1 if name == "max_new_tokens" else 0
        if value is not None and not least <= value <= positions:
            raise JobError(
                f"{name} must be between {least} and {positions} for this model, not {value}"
            )
