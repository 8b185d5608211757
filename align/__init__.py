"""arabic-align: Arabic→English translation, alignment and scoring for news articles."""

from align.doc import Document, Segment
from align.errors import UserError
from align.links.base import Alignment, Link, SpanPair, Token
from align.pipeline import Pipeline, RunResult
from align.translate.base import DecodingSettings

__all__ = [
    "Alignment",
    "DecodingSettings",
    "Document",
    "Link",
    "Pipeline",
    "RunResult",
    "Segment",
    "SpanPair",
    "Token",
    "UserError",
]
