"""The statistical aligner: eflomal (Östling & Tiedemann 2016) in both directions, symmetrized.

eflomal is trained on the pairs being aligned plus any extra parallel text given; the
more text, the better (a few dozen article sentences alone give weak links: pass extra
text with ``extra`` / ``--train``). Units are Arabic words with clitics split and English
words, in their matching forms (normalized Arabic, lowercased English).

eflomal seeds its sampler from /dev/urandom and has no seed option, so one run is not
reproducible. We do not try to force it; we average: ``runs`` independent runs each give a
forward and a reverse alignment, a directional link is kept when at least half the runs
found it, the two voted directions are symmetrized (grow-diag-final-and by default), and a
link's confidence is the share of runs and directions that found it. Averaging makes the
output far more stable (measured in the README) and more accurate than any single run; it
is still not bit-identical across calls.

Sentences longer than eflomal's limit (1,024 units a side) get no statistical links.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from align.cores import usable_cores
from align.errors import JobError, OutputError, UserError, not_loaded
from align.extras import pip_install
from align.links.symmetrize import DEFAULT_HEURISTIC, HEURISTICS, symmetrize
from align.threads import in_threads, signals_held

MAX_UNITS = 1000  # eflomal's MAX_SENT_LEN is 1024
# Four short runs (a third of eflomal's default iterations each, two at a time) cost about
# what one default run with its three samplers does, and their vote is more accurate
# (README, scripts/bench_links.py).
DEFAULT_RUNS = 4
MAX_RUNS = 64  # past this, only time: the vote of 64 runs is as steady as it gets
DEFAULT_REL_ITERATIONS = 0.34
# With priors (the background's or saved ones) the sampler starts near its answer, and a
# third of the iterations give the same links (scripts/bench_links.py, background: public
# AER 0.160, news 0.245 at 0.12, against 0.159 and 0.246 at 0.34; 0.1 measured 0.163 and
# 0.253). Alignment time inside a run is what it buys. Saved priors (--priors) get the same.
PRIORS_REL_ITERATIONS = 0.12
EMPTY_FORM = "<empty>"


@dataclass(frozen=True)
class DirectionalVotes:
    """For one pair: the share of runs that found each unit link, per direction."""

    forward: dict[tuple[int, int], float]
    reverse: dict[tuple[int, int], float]

    def voted(self, heuristic: str, min_vote: float = 0.5) -> dict[tuple[int, int], float]:
        """Symmetrized links with their confidence (mean share over both directions)."""
        fwd = {x for x, v in self.forward.items() if v >= min_vote}
        rev = {x for x, v in self.reverse.items() if v >= min_vote}
        links = symmetrize(fwd, rev, heuristic)
        return {x: (self.forward.get(x, 0.0) + self.reverse.get(x, 0.0)) / 2 for x in links}


def eflomal_line(forms: Sequence[str]) -> str:
    """Forms as one eflomal line: one token per form, so indices stay those of the units."""
    line = " ".join(forms)
    if len(line.split()) == len(forms) == len(line.split(" ")):
        return line  # no form is empty or holds whitespace: the common case

    return " ".join(
        f if f and len(f.split()) == 1 == len(f.split(" ")) else EMPTY_FORM for f in forms
    )


def _parse(line: str) -> list[tuple[int, int]]:
    out = []
    for item in line.split():
        i, j = item.split("-")
        out.append((int(i), int(j)))
    return out


def require_eflomal() -> None:
    """Stop with one sentence when eflomal is not installed (before any slow work)."""
    try:
        import eflomal  # noqa: F401
    except ImportError as exc:
        raise JobError(
            not_loaded(
                "eflomal",
                exc,
                "The statistical and hybrid aligners need eflomal (GPL-3.0): "
                f"{pip_install('eflomal')}, or choose the lexical method, which does not.",
            )
        ) from None


def _binary_run(
    workdir: str, k: int, model: int, rel_iterations: float, priors: bool, samplers: int
) -> tuple[list[str], list[str]]:
    import eflomal

    fwd_path = os.path.join(workdir, f"run{k}.fwd")
    rev_path = os.path.join(workdir, f"run{k}.rev")
    eflomal.align(
        os.path.join(workdir, "src"), os.path.join(workdir, "tgt"),
        links_filename_fwd=fwd_path, links_filename_rev=rev_path,
        priors_filename=os.path.join(workdir, "priors") if priors else None,
        model=model, n_samplers=samplers, rel_iterations=rel_iterations,
    )  # fmt: skip
    with open(fwd_path, encoding="utf-8") as f, open(rev_path, encoding="utf-8") as r:
        return f.read().splitlines(), r.read().splitlines()


def eflomal_votes(
    src_forms: Sequence[Sequence[str]],
    tgt_forms: Sequence[Sequence[str]],
    runs: int = DEFAULT_RUNS,
    model: int = 3,
    priors: Iterable[tuple[str, str, float]] = (),
    rel_iterations: float = DEFAULT_REL_ITERATIONS,
    samplers: int = 1,
    workers: int | None = None,
    aligned: int | None = None,
    prior_lines: Sequence[str] = (),
) -> list[DirectionalVotes]:
    """Train eflomal ``runs`` times on all the pairs given and count each pair's links.

    Votes come back for the first ``aligned`` pairs (default: all); the rest are training
    text only, so their links are never read.

    Pairs with an empty side or over ``MAX_UNITS`` units are left out of training and get
    empty votes. ``priors`` are (source form, target form, pseudo-count) lexical priors;
    a source form of ``<NULL>`` asks for the target form to stay unaligned. ``prior_lines``
    are more priors in eflomal's own text format (LEX, HMMF, HMMR, FERF, FERR lines), as a
    saved priors file holds them.
    """
    require_eflomal()
    n = len(src_forms)
    usable = [
        k
        for k in range(n)
        if 0 < len(src_forms[k]) <= MAX_UNITS and 0 < len(tgt_forms[k]) <= MAX_UNITS
    ]
    aligned = n if aligned is None else aligned
    votes = [DirectionalVotes({}, {}) for _ in range(aligned)]
    if not usable or runs < 1:
        return votes
    src = [eflomal_line(src_forms[k]) + "\n" for k in usable]
    tgt = [eflomal_line(tgt_forms[k]) + "\n" for k in usable]
    prior_lines = [f"LEX\t{s}\t{t}\t{a:g}\n" for s, t, a in priors] + [
        line if line.endswith("\n") else line + "\n" for line in prior_lines
    ]
    workers = workers or min(runs, usable_cores())
    try:
        results = _in_a_temporary_folder(
            src, tgt, prior_lines, runs, workers, model, rel_iterations, samplers
        )
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise  # (eflomal's binary killed before it wrote its links, say)
        # A full or size-limited temporary folder: the write that failed names no file.
        raise OutputError(
            f"the statistical aligner cannot write its working files in "
            f"{tempfile.gettempdir()}: {exc.strerror or exc}; free space there or point "
            "TMPDIR at another folder"
        ) from exc
    for row, k in enumerate(usable):
        if k >= aligned:
            break
        fwd: Counter[tuple[int, int]] = Counter()
        rev: Counter[tuple[int, int]] = Counter()
        for f_lines, r_lines in results:
            fwd.update(_parse(f_lines[row]))
            rev.update(_parse(r_lines[row]))
        votes[k] = DirectionalVotes(
            {x: c / runs for x, c in fwd.items()}, {x: c / runs for x, c in rev.items()}
        )
    return votes


# What a full, size-limited or read-only temporary folder answers a write.
_CANNOT_WRITE = frozenset([errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES])


def _in_a_temporary_folder(src, tgt, prior_lines, runs, workers, model, rel_iterations, samplers):
    """eflomal's ``runs`` runs over the pairs, written once to a temporary folder."""
    import eflomal

    # Made and removed with the signals held: a signal inside mkdtemp would leave the folder
    # made and unknown, and one inside its removal the rest of it (the removal is not tried
    # again). A signal held while it is made is raised inside the try: it is removed.
    temporary = None
    try:
        with signals_held():
            temporary = tempfile.TemporaryDirectory(prefix="arabic-align-eflomal-")
        workdir = temporary.name
        # Convert the text once; every run reads the same files.
        with (
            open(os.path.join(workdir, "src"), "wb") as sf,
            open(os.path.join(workdir, "tgt"), "wb") as tf,
            open(os.path.join(workdir, "priors"), "w", encoding="utf-8") as pf,
        ):
            eflomal.Aligner().prepare_files(src, sf, tgt, tf, prior_lines or None, pf)
        one = partial(_binary_run, workdir, model=model, rel_iterations=rel_iterations,
                      priors=bool(prior_lines), samplers=samplers)  # fmt: skip
        # (not a ThreadPoolExecutor: align.threads says why)
        return in_threads(one, runs, workers)
    finally:
        if temporary is not None:
            with signals_held():
                temporary.cleanup()


def check_heuristic(name: str) -> str:
    if name not in HEURISTICS:
        raise UserError(f"Unknown symmetrization {name!r}; choose one of: {', '.join(HEURISTICS)}.")
    return name


__all__ = [
    "DEFAULT_HEURISTIC", "DirectionalVotes", "check_heuristic", "eflomal_line", "eflomal_votes",
]  # fmt: skip
