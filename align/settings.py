"""The two groups of a pipeline's settings, as small frozen objects.

``TranslationSettings`` says how segments are translated (engine, device, numbers, threads,
cache, decoding); ``AlignmentSettings`` how they are aligned (method, training text,
dictionary, background knowledge, priors, attention options). ``Pipeline`` takes one of
each, or ready-made translator and aligner objects instead.
"""

from __future__ import annotations

import os
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.errors import UserError
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

    def __post_init__(self) -> None:
        _expect(self.engine, str, "engine", "a name: auto, transformers or ctranslate2")
        for name in ("device", "quantization"):
            _expect(getattr(self, name), str | None, name, "a name or None")
            if getattr(self, name) is not None and not getattr(self, name).strip():
                raise UserError(f"The setting {name}= takes a name or None, not an empty name.")
        for name in ("inter_threads", "intra_threads"):
            _expect(getattr(self, name), int | None, name, "a whole number or None")
        _expect(self.cache, bool | str | os.PathLike, "cache", "True, False or a path", ())
        if not isinstance(self.cache, bool):  # a file's path: checked before SQLite meets it
            path = os.fspath(self.cache)
            if not isinstance(path, str) or not path.strip() or "\0" in path:
                raise UserError(
                    "The setting cache= takes the path of the cache's file, not "
                    f"{reprlib.repr(self.cache)}."
                )
            try:  # (the cache reads the path as given: no ~ expanded, as open() does not)
                folder = Path(path).is_dir()
            except (OSError, ValueError):  # a name too long: the cache says so when it opens
                folder = False
            if folder:
                raise UserError(
                    f"The setting cache= takes the path of the cache's file, and {path} is a "
                    "folder: name a file in it."
                )
            if not isinstance(self.cache, str):
                object.__setattr__(self, "cache", Path(path))
        _expect(self.decoding, DecodingSettings, "decoding", "an align.DecodingSettings")


@dataclass(frozen=True)
class AlignmentSettings:
    """How segments are aligned with their translation and reference.

    ``method``: hybrid, statistical, lexical or attention. ``train``: extra (Arabic, English)
    sentence pairs for the statistical model. ``dictionary``: an ``arabic<TAB>english``
    file (its path), or a ``links.lexical.Dictionary`` already read. ``background``: True
    (the default dictionary and parallel text), False, or a
    ``links.background.Background``. ``priors``: a ``links.priors.Priors`` (see
    ``read_priors``). ``reference``: also align each segment with its reference.
    ``attention``: options of the attention aligner (layer, heads, threshold, batch_size;
    see ``_ATTENTION_OPTIONS``)."""

    method: str = "hybrid"
    train: tuple[tuple[str, str], ...] = ()
    dictionary: Any = None  # a path, or a links.lexical.Dictionary
    background: Any = True
    priors: Any = None
    reference: bool = True
    attention: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from align.links.background import Background
        from align.links.lexical import Dictionary
        from align.links.priors import Priors, priors_problem

        _expect(self.method, str, "method", "a name: hybrid, statistical, lexical or attention")
        if not isinstance(self.train, list | tuple) or not all(
            isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in self.train
        ):
            raise UserError("The setting train= takes (Arabic, English) pairs of strings.")
        if (
            isinstance(self.dictionary, os.PathLike)
            and not isinstance(self.dictionary, Path)
            and isinstance(os.fspath(self.dictionary), str)
        ):
            object.__setattr__(self, "dictionary", Path(os.fspath(self.dictionary)))
        _expect(self.dictionary, str | Path | Dictionary | None, "dictionary",
                "a path, an align.links.lexical.Dictionary or None")  # fmt: skip
        _expect(self.background, bool | Background, "background",
                "True, False or an align.links.background.Background", ())  # fmt: skip
        _expect(self.priors, Priors | None, "priors",
                "an align.links.priors.Priors (read_priors) or None")  # fmt: skip
        if self.priors is not None and priors_problem(self.priors):
            raise UserError(
                f"The setting priors= takes priors as read_priors makes them; its "
                f"{priors_problem(self.priors)}."
            )
        _expect(self.reference, bool, "reference", "True or False", ())
        _expect(self.attention, Mapping, "attention", "a mapping of options")
        _check_attention(self.attention)
        # Copies, read-only: settings checked here stay as checked when the caller goes on
        # to change the list or dict it gave (and the settings can be hashed).
        object.__setattr__(self, "train", tuple((p[0], p[1]) for p in self.train))
        object.__setattr__(self, "attention", Options(self.attention))


class Options(dict):
    """A read-only copy of a mapping of options: a dict (JSON and ``dataclasses.asdict``
    take it as one) that refuses changes and can be hashed (its values are numbers, names
    or None). Hand-written: Python has no frozen dict."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("settings are read-only: make new settings (dataclasses.replace)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.items(), key=lambda kv: str(kv[0]))))

    def __reduce__(self):
        return (Options, (dict(self),))


# The attention aligner's options a user may set (``links.attention.AttentionAligner``), with
# what each takes; the model's own sizes (its layers and heads) are checked when it loads.
_ATTENTION_OPTIONS = {
    "layer": "a whole number (a decoder layer; -1 is the last)",
    "heads": "'first', 'mean' or a whole number (one head)",
    "batch_size": "a whole number of at least 1, or None",
    "threshold": "a number from 0 to 1",
}


def _check_attention(options: Mapping[str, Any]) -> None:
    unknown = sorted(str(k) for k in options if k not in _ATTENTION_OPTIONS)
    if unknown:
        raise UserError(
            f"The setting attention= has no option {unknown[0]!r}; its options are "
            f"{', '.join(_ATTENTION_OPTIONS)}."
        )

    def whole(x) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    fits = {
        "layer": whole,
        "heads": lambda x: x in ("first", "mean") or (whole(x) and x >= 0),
        "batch_size": lambda x: x is None or (whole(x) and x >= 1),
        "threshold": lambda x: (
            isinstance(x, int | float) and not isinstance(x, bool) and 0 <= x <= 1
        ),
    }
    for name, value in options.items():
        if not fits[name](value):
            raise UserError(
                f"The attention option {name} takes {_ATTENTION_OPTIONS[name]}, "
                f"not {reprlib.repr(value)}."
            )


def _expect(value, kind, name: str, what: str, refused: type | tuple = bool) -> None:
    """Refuse a setting of the wrong type in one sentence (``refused``: types that pass
    ``isinstance`` but are not meant: True is an int)."""
    if not isinstance(value, kind) or (refused and isinstance(value, refused)):
        raise UserError(f"The setting {name}= takes {what}, not {reprlib.repr(value)}.")
