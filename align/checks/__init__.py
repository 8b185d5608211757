"""Translation checks from the alignment: what a translation left out, added or got wrong.

Each check is a module of this package defining ``CHECK`` (see ``align.checks.base``).
``check_article`` runs every check over an article's translated segments and returns each
segment's findings, worst first.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from dataclasses import replace

from align.checks.base import SEVERITIES, ArticleInput, Check, Finding, SegmentInput

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

    if isinstance(checks, str | bytes) or not isinstance(checks, Iterable):
        raise UserError("checks= takes a list of checks or of their names (align.checks).")
    checks = list(checks)  # any collection of them: a set, a dict's values, a generator
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
    # A finding names its check, and records and reports tell checks apart by that name:
    # two checks of one name would give each finding twice, or two kinds under one name.
    names = [c.name for c in out]
    twice = next((n for k, n in enumerate(names) if n in names[:k]), None)
    if twice is not None:
        raise UserError(f"checks= names the check {twice!r} twice; give each check once.")
    return out


def check_article(
    segments: Sequence[SegmentInput], checks: Sequence[Check] | None = None
) -> list[list[Finding]]:
    """Each segment's findings, worst first (severity, then confidence). A segment's
    ``alignment`` may also be the ``align.Alignment`` an aligner returned for its pair
    (``Pipeline.align``); checks may be given by name."""
    segments = _segment_inputs(segments)
    article = ArticleInput(tuple(segments))
    checks = resolve_checks(checks) if checks is not None else all_checks()
    out = []
    for segment in segments:
        findings = [f for c in checks for f in _checked(c, c.check(segment, article), segment)]
        if segment.own is not None:
            findings = [_in_own_source(f, segment.own) for f in findings]
        out.append(sorted(findings, key=lambda f: f.rank))
    return out


def _in_own_source(finding: Finding, own: tuple[int, int]) -> Finding:
    """A finding on a bead's sources with its source span in the segment's own source (or
    none, when it lies in another segment's: the message still quotes it)."""
    if finding.src is None:
        return finding
    start, end = own
    inside = start <= finding.src[0] and finding.src[1] <= end
    src = (finding.src[0] - start, finding.src[1] - start) if inside else None
    return replace(finding, src=src)


def _segment_inputs(segments) -> list[SegmentInput]:
    """``segments`` as the checks read them, or one sentence saying what is not."""
    from align.errors import UserError
    from align.links.base import Alignment, alignment_problem
    from align.run import PairAlignment

    usage = "check_article takes a list of align.checks.SegmentInput"
    if isinstance(segments, str | bytes) or not isinstance(segments, Sequence):
        raise UserError(f"{usage}, not a {type(segments).__name__}.")
    out = []
    for n, s in enumerate(segments):
        if not isinstance(s, SegmentInput):
            raise UserError(f"{usage}; segments[{n}] is a {type(s).__name__}.")
        if not isinstance(s.source, str) or not isinstance(s.translation, str):
            raise UserError(f"segments[{n}] has a source or translation that is not a string.")
        own = s.own
        if own is not None and not (
            isinstance(own, tuple)
            and len(own) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in own)
            and 0 <= own[0] <= own[1] <= len(s.source)
        ):
            raise UserError(
                f"segments[{n}] has an own= that is not (start, end) inside its source."
            )
        if isinstance(s.alignment, Alignment):  # as an aligner returns it: given its texts
            problem = alignment_problem(s.alignment, s.source, s.translation)
            if problem:
                raise UserError(f"segments[{n}] has an align.Alignment {problem}.")
            s = replace(s, alignment=PairAlignment(s.source, s.translation, s.alignment))
        elif isinstance(s.alignment, PairAlignment):  # read back from a run: its own texts
            pair = s.alignment
            if pair.source != s.source or pair.target != s.translation:
                raise UserError(
                    f"segments[{n}] has an align.run.PairAlignment of other texts than its "
                    "source and translation: give the alignment of this pair."
                )
            inner = pair.alignment
            problem = (
                alignment_problem(inner, s.source, s.translation)
                if isinstance(inner, Alignment)
                else f"that holds a {type(inner).__name__}, not an align.Alignment"
            )
            if problem:
                raise UserError(f"segments[{n}] has an align.run.PairAlignment {problem}.")
        elif s.alignment is not None:
            raise UserError(
                f"segments[{n}].alignment is a {type(s.alignment).__name__}: give the "
                "align.Alignment of its pair, its align.run.PairAlignment, or None."
            )
        out.append(s)
    return out


def _checked(check: Check, found, segment: SegmentInput) -> list[Finding]:
    """What a check gave, as findings a run can hold and every reader reads back; else one
    sentence (a check of the caller's: ``UserError``), before anything is written. A
    finding the run's reader would refuse would make a run that looks complete and that
    nothing opens."""
    problem = None
    if isinstance(found, str | bytes | dict) or not isinstance(found, Iterable):
        problem = f"a {type(found).__name__}, not a list of findings"
        found = []
    found = list(found)
    for f in found:
        problem = problem or _finding_problem(f, segment)
    if problem is None:
        return found
    message = (
        f"The check {check.name!r} gave segment {segment.index} {problem}: a check returns "
        "a list of align.checks.Finding, each with a text check, kind and message, a "
        "severity of error, warning or info, a confidence from 0 to 1 and spans (start, "
        "end) inside the segment's source and translation"
    )
    if type(check).__module__.startswith(f"{__name__}."):
        raise RuntimeError(message)  # one of ours: our bug, with its traceback
    from align.errors import UserError

    raise UserError(message)


def _finding_problem(f, segment: SegmentInput) -> str | None:
    if not isinstance(f, Finding):
        return f"a {type(f).__name__} among its findings"
    for field in ("check", "kind", "message"):
        if not isinstance(getattr(f, field), str):
            return f"a finding whose {field} is not text"
    if f.severity not in SEVERITIES:
        return f"a finding of severity {f.severity!r}"
    c = f.confidence
    if isinstance(c, bool) or not isinstance(c, int | float) or not 0 <= c <= 1:
        return f"a finding of confidence {c!r}"
    for side, span, text in (("src", f.src, segment.source), ("tgt", f.tgt, segment.translation)):
        if span is None:
            continue
        if (
            not isinstance(span, tuple | list)
            or len(span) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in span)
            or not 0 <= span[0] <= span[1] <= len(text or "")
        ):
            return f"a finding whose {side} span {span!r} is not inside the text"
    return None


def inputs_of_run(run) -> list[SegmentInput]:
    """The translated segments of an ``align.run.Run`` as the checks take them. A bead of
    several segments whose translation, given in document layout, went to one of them is
    checked as one: that segment with the sources of the whole bead (its alignment covers
    its own source only, so the alignment checks leave it), the others with nothing to
    check (their translation is empty by the bead, not by a loss)."""
    from align.errors import UserError
    from align.run import Run

    if not isinstance(run, Run):
        raise UserError(
            f"inputs_of_run takes an align.Run (Run.open(folder)), not a {type(run).__name__}."
        )
    joined, emptied = _beads_given(run)
    out = []
    for s in run.translated:
        if s.index in emptied:
            out.append(SegmentInput(s.index, "", "", None, s.reference, s.role))
        elif s.index in joined:
            source, own = joined[s.index]
            hyp = s.hypothesis or ""
            out.append(SegmentInput(s.index, source, hyp, None, s.reference, s.role, own))
        else:
            hyp = s.hypothesis or ""
            out.append(SegmentInput(s.index, s.source, hyp, s.alignment, s.reference, s.role))
    return out


def _beads_given(run) -> tuple[dict[int, tuple[str, tuple[int, int]]], set[int]]:
    """For a translation given in document layout: each segment that took a bead of
    several (``align.run.translation_groups``), with the bead's sources joined and its own
    place among them; and the other segments of those beads."""
    from align.run import translation_groups

    translated = run.translated
    translator = (run.manifest or {}).get("translator")
    joined: dict[int, tuple[str, tuple[int, int]]] = {}
    emptied: set[int] = set()
    for group in translation_groups(translator, [s.index for s in translated]):
        members = [translated[k] for k in group]
        owners = [m for m in members if (m.hypothesis or "").strip()]
        if len(members) < 2 or len(owners) != 1:
            continue  # (alone, or a manifest edited by hand: each is checked on its own)
        parts, at, own = [], 0, (0, 0)
        for m in members:
            at += 1 if parts else 0  # the space between
            if m is owners[0]:
                own = (at, at + len(m.source))
            parts.append(m.source)
            at += len(m.source)
        joined[owners[0].index] = (" ".join(parts), own)
        emptied |= {m.index for m in members if m is not owners[0]}
    return joined, emptied
