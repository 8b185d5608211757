"""arabic-align: Arabic→English translation, alignment and scoring for news articles.

The names below are imported on first use, so that ``import align`` (and the console
script) start in a moment; ``from align import Pipeline`` works as usual. Every error a user
can cause is a ``UserError`` (one sentence, never a traceback); its kinds are exported too.

What each name is for:

- ``Pipeline`` segments, translates, aligns and scores an article; ``Pipeline.run`` returns
  a ``RunResult``. ``TranslationSettings`` (with ``DecodingSettings``) and
  ``AlignmentSettings`` are the settings it takes.
- ``Run`` is a run directory read back and checked (``Run.open(dir)``), ``RunError`` the
  sentence when it cannot be read. ``result.segments`` and ``Run.open(dir).segments`` hold
  the same objects, ``align.run.Segment``: a segment as the run recorded it, with its
  translation, reference, alignments, sentence scores and findings.
- ``Document`` and ``Segment`` are the article as ``Pipeline.segment`` cuts it, before
  anything is translated: text and offsets only (``Pipeline.run`` also takes a
  ``Document``). This ``Segment`` is not the one in ``result.segments``.
- ``Alignment`` (with ``Token``, ``Link``, ``SpanPair``) is what an aligner returns for one
  pair, and what a ready-made ``aligner=`` must return. ``result.segments[i].alignment``
  is an ``align.run.PairAlignment``: that ``Alignment`` (its ``alignment`` attribute)
  together with the two texts, so that its words and units come with their text.
- ``Finding`` is one finding of the translation checks (``segment.findings``).
"""

from importlib import import_module

from align.errors import InputError as InputError
from align.errors import JobError as JobError
from align.errors import MismatchError as MismatchError
from align.errors import ModelUnavailable as ModelUnavailable
from align.errors import OutputError as OutputError
from align.errors import UserError as UserError

_WHERE = {
    "Alignment": "align.links.base",
    "AlignmentSettings": "align.settings",
    "DecodingSettings": "align.translate.base",
    "Document": "align.doc",
    "Finding": "align.checks.base",
    "Link": "align.links.base",
    "Pipeline": "align.pipeline",
    "Run": "align.run",
    "RunError": "align.run",
    "RunResult": "align.pipeline",
    "Segment": "align.doc",
    "SpanPair": "align.links.base",
    "Token": "align.links.base",
    "TranslationSettings": "align.settings",
}

__all__ = [  # noqa: RUF022 (the lazily imported names, then the errors)
    *sorted(_WHERE),
    "InputError", "JobError", "MismatchError", "ModelUnavailable", "OutputError", "UserError",
]  # fmt: skip


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'align' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The lazily imported names too, for ``dir(align)`` and completion."""
    return sorted({*globals(), *__all__})
