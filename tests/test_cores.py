"""The cores a process may keep busy: affinity and container quota (joblib), and
OMP_NUM_THREADS, the count Ray gives an actor."""

from __future__ import annotations

import os

import joblib
import joblib.parallel
import pytest
from joblib.externals import loky

from align.cores import usable_cores


@pytest.mark.parametrize(
    ("machine", "omp", "cores"),
    [
        (8, None, 8),
        (8, "3", 3),  # a Ray actor of three CPUs, or a user's own cap
        (8, "16", 8),  # never more than the process may run on
        (8, "2,1", 2),  # nested OpenMP levels: the outer one
        (8, " 4 ", 4),
        (8, "0", 8),  # not a count of threads: left alone
        (8, "many", 8),
        (8, "", 8),
        (1, "4", 1),
        (8, "²", 8),  # a digit to Python, no count to OpenMP
        (8, "٣", 8),
    ],
)
def test_usable_cores(monkeypatch, machine, omp, cores):
    monkeypatch.setattr(loky, "cpu_count", lambda only_physical_cores=False: machine)
    if omp is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", omp)
    assert usable_cores() == cores


def test_usable_cores_on_this_machine(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    # joblib run serially (JOBLIB_MULTIPROCESSING=0, no POSIX semaphores) counts 1 core;
    # the cores are still there
    monkeypatch.setattr(joblib.parallel, "mp", None)
    assert joblib.cpu_count() == 1 and usable_cores() == loky.cpu_count()
    if hasattr(os, "sched_getaffinity"):
        allowed = os.sched_getaffinity(0)
        assert 1 <= usable_cores() <= len(allowed)
        os.sched_setaffinity(0, {min(allowed)})  # pinned to one core
        try:
            assert usable_cores() == 1
        finally:
            os.sched_setaffinity(0, allowed)
    else:
        assert usable_cores() >= 1
