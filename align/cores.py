"""How many cores this process may keep busy: the engines size their threads by it."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The fewest of: the cores of this process's CPU affinity, the container's CPU quota
    (cgroups v1 or v2: ``docker --cpus 2`` on a 16-core machine gives 2), and
    ``OMP_NUM_THREADS`` where it is set to a whole number (the count thread pools follow,
    and the share Ray gives an actor where it is not set already: one for ``num_cpus=1``).
    At least 1.

    joblib reads the affinity and both cgroup layouts (the quota is a file that moved
    between kernel versions); the machine's core count alone would start one thread a
    core of the host inside a container allowed two, and every actor of a Ray node would
    start as many threads as the node has cores."""
    # loky's own count, not joblib.cpu_count(): that one says 1 whenever joblib itself
    # runs serially (JOBLIB_MULTIPROCESSING=0, no POSIX semaphores), whatever the cores.
    from joblib.externals.loky import cpu_count

    cores = cpu_count()
    first = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if first.isascii() and first.isdecimal() and int(first) >= 1:  # (not "²", not "٣")
        cores = min(cores, int(first))
    return max(1, cores)
