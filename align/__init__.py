"""arabic-align: Arabic→English translation, alignment and scoring for news articles.

The names below are imported on first use, so that ``import align`` (and the console
script) start in a moment; ``from align import Pipeline`` works as usual.
"""

from importlib import import_module

from align.errors import UserError

_WHERE = {
    "Alignment": "align.links.base",
    "DecodingSettings": "align.translate.base",
    "Document": "align.doc",
    "Link": "align.links.base",
    "Pipeline": "align.pipeline",
    "RunResult": "align.pipeline",
    "Segment": "align.doc",
    "SpanPair": "align.links.base",
    "Token": "align.links.base",
}

__all__ = [*sorted(_WHERE), "UserError"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'align' has no attribute {name!r}")
