"""Work in threads that a Ctrl-C, SIGTERM or SIGHUP leaves in order.

Python raises a signal's exception (``KeyboardInterrupt``, the command line's ``Terminated``)
in the main thread, between any two steps of whatever it is running. Raised inside the
standard library's own waits (a ``Condition``'s wait, a thread's start, a thread pool's
shutdown), it can leave a lock released that was not held ("RuntimeError: release unlocked
lock", a traceback instead of the interrupt's one line) or a pool's worker thread that
nothing waits for (eflomal's binary, started by it after its temporary folder was removed,
printing its error after the program's last word). No library offers a pool that is safe
against this, hence the few lines here: threads start with the signals held back, the main
thread waits by polling (no lock to leave in a wrong state), and however it leaves, it waits
for every thread, which start nothing new once told to stop.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

# The signals whose handlers raise in the main thread (the command line's, Python's Ctrl-C).
_RAISING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_POLL_S = 0.02  # the main thread's wait between looks: short beside a run, long for a CPU


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Handle a signal that comes meanwhile only when the block ends (there, its handler
    runs and raises as it would have). Only the main thread's handlers can raise; in any
    other thread this holds nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    handlers = {s: signal.getsignal(s) for s in _RAISING}
    held = {s: h for s, h in handlers.items() if callable(h)}
    for signum in held:
        signal.signal(signum, lambda signum, frame: came.append(signum))
    try:
        yield
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)
        for signum in came:
            held[signum](signum, None)


def wait_until(done: Callable[[], bool], timeout: float | None = None) -> bool:
    """Wait until ``done()`` (which must take no lock) is true, at most ``timeout``
    seconds; whether it is. A signal's exception may come during the wait and leaves
    nothing behind."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not done():
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_S)
    return True


def in_threads(run: Callable[[int], T], count: int, workers: int) -> list[T]:
    """``run(0)`` … ``run(count - 1)``, ``workers`` at a time, in threads of their own; the
    results in that order. The first failure (by index) is raised once every thread has
    ended, and no run starts after a failure or an interrupt. When this returns or raises,
    no run is going on."""
    results: list[T | None] = [None] * count
    failed: dict[int, BaseException] = {}
    taken = iter(range(count))
    turn = threading.Lock()
    stopping: list[bool] = []  # (a list: appending to it takes no lock)
    ended: list[bool] = []

    def work() -> None:
        try:
            while not stopping:
                with turn:
                    k = next(taken, None)
                if k is None:
                    return
                try:
                    results[k] = run(k)
                except BaseException as exc:  # raised in the caller's thread, below
                    failed[k] = exc
                    stopping.append(True)
        finally:
            ended.append(True)

    started = 0
    try:
        with signals_held():
            for _ in range(max(1, min(workers, count))):
                threading.Thread(target=work, name="arabic-align-worker").start()
                started += 1
        wait_until(lambda: len(ended) >= started)
    finally:
        stopping.append(True)
        wait_until(lambda: len(ended) >= started)
    if failed:
        raise failed[min(failed)]
    return results  # type: ignore[return-value]


__all__ = ["in_threads", "signals_held", "wait_until"]
