"""Translation checks from the alignment: what a translation left out, added or got wrong.

Each check is a module of this package defining ``CHECK`` (see ``align.checks.base``).
``check_article`` runs every check over an article's translated segments and returns each
segment's findings, worst first.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence

from align.checks.base import ArticleInput, Check, Finding, SegmentInput

__all__ = [
    "ArticleInput", "Check", "Finding", "SegmentInput", "all_checks", "check_article",
    "inputs_of_run", "resolve_checks",
]  # fmt: skip

_NOT_CHECKS = {"base"}


def all_checks() -> list[Check]:
    """Every check of the package, by module name."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in _NOT_CHECKS or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        check = getattr(module, "CHECK", None)
        if check is not None:
            found.append(check)
    return found


def resolve_checks(checks) -> list[Check]:
    """A list of checks, each given as a check object or by its name (``run.checks`` lists
    the names of a run's), or one sentence (``UserError``)."""
    from align.errors import UserError

    if isinstance(checks, str) or not isinstance(checks, Sequence):
        raise UserError("checks= takes a list of checks or of their names (align.checks).")
    by_name = {c.name: c for c in all_checks()}
    out = []
    for c in checks:
        if isinstance(c, str):
            if c not in by_name:
                raise UserError(
                    f"There is no check named {c!r}; the checks are {', '.join(by_name)}."
                )
            out.append(by_name[c])
        elif callable(getattr(c, "check", None)) and isinstance(getattr(c, "name", None), str):
            out.append(c)
        else:
            raise UserError("checks= takes a list of checks or of their names (align.checks).")
    return out


def check_article(
    segments: Sequence[SegmentInput], checks: Sequence[Check] | None = None
) -> list[list[Finding]]:
    """Each segment's findings, worst first (severity, then confidence)."""
    article = ArticleInput(tuple(segments))
    checks = list(checks) if checks is not None else all_checks()
    out = []
    for segment in segments:
        findings = [f for c in checks for f in c.check(segment, article)]
        out.append(sorted(findings, key=lambda f: f.rank))
    return out


def inputs_of_run(run) -> list[SegmentInput]:
    """The translated segments of an ``align.run.Run`` as the checks take them."""
    return [
        SegmentInput(s.index, s.source, s.hypothesis or "", s.alignment, s.reference, s.role)
        for s in run.translated
    ]
