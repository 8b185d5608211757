"""Source text left in the translation: Arabic script in the English.

Every run of Arabic letters (with the spaces, marks and Arabic punctuation between them) is
one ``untranslated`` finding (error) with its span; Arabic-Indic digits alone are a
warning (the number is there, in the wrong script). A Latin-script token copied from the
source (ISIS, FSB) is not a finding: the source wrote it in Latin letters too.
"""

from __future__ import annotations

import re

from align.checks.base import ArticleInput, Finding, SegmentInput, quoted

NAME = "untranslated"
LETTERS_CONFIDENCE = 0.95
DIGITS_CONFIDENCE = 0.6
_LETTER = (
    "\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08ff"
    "\ufb50-\ufdff\ufe70-\ufefc"
)
_MARK = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
# A run of Arabic letters, with marks, and with spaces or Arabic punctuation inside it.
_RUN = re.compile(
    f"[{_LETTER}][{_LETTER}{_MARK}]*(?:[\\s\u060c\u061b\u061f]+[{_LETTER}][{_LETTER}{_MARK}]*)*"
)
_DIGITS = re.compile(
    "[\u0660-\u0669\u06f0-\u06f9]+(?:[\u066b\u066c.,][\u0660-\u0669\u06f0-\u06f9]+)*"
)


class UntranslatedCheck:
    name = NAME

    def check(self, segment: SegmentInput, article: ArticleInput | None) -> list[Finding]:
        text = segment.translation or ""
        findings = []
        for m in _RUN.finditer(text):
            findings.append(
                Finding(
                    NAME,
                    "untranslated",
                    "error",
                    LETTERS_CONFIDENCE,
                    f"The translation has Arabic text left in it: {quoted(m.group())}.",
                    None,
                    (m.start(), m.end()),
                )  # fmt: skip
            )
        for m in _DIGITS.finditer(text):
            findings.append(
                Finding(
                    NAME,
                    "script",
                    "warning",
                    DIGITS_CONFIDENCE,
                    f"The translation writes {m.group()!r} in Arabic-Indic digits.",
                    None,
                    (m.start(), m.end()),
                )  # fmt: skip
            )
        return findings


CHECK = UntranslatedCheck()
