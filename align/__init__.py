"""arabic-align: Arabic→English translation, alignment and scoring for news articles.

The names below are imported on first use, so that ``import align`` (and the console
script) start in a moment; ``from align import Pipeline`` works as usual. Every error a user
can cause is a ``UserError`` (one sentence, never a traceback); its kinds are exported too.
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
