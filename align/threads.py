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
from types import FrameType
from typing import TypeVar

T = TypeVar("T")

# The signals whose handlers raise in the main thread (the command line's, Python's Ctrl-C).
_RAISING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_POLL_S = 0.02  # the main thread's wait between looks: short beside a run, long for a CPU


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Handle a signal that comes meanwhile only when the block ends (there, its handler
    runs and raises as it would have; of several, every handler runs, and a SIGTERM's or
    SIGHUP's exception wins over a Ctrl-C's). Only the main thread's handlers can raise; in
    any other thread this holds nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[tuple[int, FrameType | None]] = []
    held: dict[int, Callable] = {}
    try:
        for signum in _RAISING:
            handler = signal.getsignal(signum)
            if callable(handler):
                held[signum] = handler  # (first: put back even if the swap is cut short)
                signal.signal(signum, lambda signum, frame: came.append((signum, frame)))
        yield
    finally:
        raised = _put_back(held)
        for signum, frame in came:
            try:
                held[signum](signum, frame)
            except BaseException as exc:  # raised below, once every handler has run
                raised.append(exc)
        if raised:
            raise next((e for e in raised if type(e) is not KeyboardInterrupt), raised[0])


def _put_back(handlers: dict[int, Callable]) -> list[BaseException]:
    """Put every handler back, even when one put back already raises for a signal that came
    just then (Python runs pending handlers inside ``signal.signal``, and between steps);
    what they raised."""
    raised: list[BaseException] = []
    todo = list(handlers.items())
    while todo:
        try:
            while todo:
                signal.signal(*todo[-1])
                todo.pop()
        except BaseException as exc:
            raised.append(exc)
    return raised


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
        # A second signal waits too: the runs going must end before what they read goes.
        with signals_held():
            wait_until(lambda: len(ended) >= started)
    if failed:
        raise failed[min(failed)]
    return results  # type: ignore[return-value]


__all__ = ["in_threads", "signals_held", "wait_until"]
