"""How long a line the toolkit aligns or scores, and why: one limit for both, so that a user
has one number to remember.

- Alignment: eflomal's time on a pair grows with the square of its length (measured here on
  a single random pair: 150 words 1.8 s, 300 words 4.9 s, 500 words 11 s, 999 words about
  40 s); it stops at 1,024 units (500 words with their clitics split stay under that); the
  translation model reads at most 512 tokens at once.
- Scoring: TER searches for word shifts and its cost grows faster than the square of the
  length (500 words of unrelated text take sacrebleu about 10 s on one core).

Real sentences stay far below (FLORES-200's longest has under 100 words): a longer line is
runaway input, such as a file without line breaks.
"""

from __future__ import annotations

MAX_LINE_WORDS = 500
MAX_LINE_CHARS = 10_000


def over_limit(text: str, what: str) -> str | None:
    """Why ``text`` is longer than the lines that are ``what`` ("aligned", "scored"), in
    words a user can act on; None when it is not."""
    words = len(text.split())  # (what stands between spaces: a word, or marks alone)
    if words <= MAX_LINE_WORDS and len(text) <= MAX_LINE_CHARS:
        return None
    return (
        f"has {words:,} word(s) or mark(s) between spaces and {len(text):,} characters, "
        "more than the "
        f"{MAX_LINE_WORDS:,} words or {MAX_LINE_CHARS:,} characters a line that are {what}"
    )
