"""The number check's thresholds: how sure a finding is, and how far apart the parts of a
date may stand.
"""

from __future__ import annotations

NAME = "number"
# Confidence of a finding about values written in digits, and about values written in
# words (number words are more often paraphrased: "a dozen", a dual). Set on FLORES-200
# devtest: its 1,012 clean pairs (5 flagged) and scripts/bench_checks.py's injected errors
# (P 0.95 against clean lines, 0.84 strict; R 0.93 without training text, with codes
# compared by ``_changed_codes``).
DIGIT_CONFIDENCE = 0.9
WORD_CONFIDENCE = 0.7
# Numbers longer than this many digits are compared as strings (no arithmetic on them).
MAX_DIGITS = 40
# How far (in tokens) a number may be from a month name for the month to count as a date.
MONTH_REACH = 2


# How near (in characters, between spans) a day and a year must stand to a month's name to
# be its date: "December 5, 2026", "5 December 2026", ٥ ديسمبر/كانون الأول ٢٠٢٥; the day
# right beside it ("5th of December"), not a count after the year ("December 2025, 12
# people").
DATE_REACH = 16
DAY_REACH = 4


# The longest value that counts as beside a month (a day or a year is short).
MAX_NEIGHBOUR_CHARS = 16
