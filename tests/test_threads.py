"""Work in threads that a Ctrl-C leaves in order (align.threads)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from align.threads import in_threads, signals_held, wait_until


def test_a_signal_while_held_is_handled_when_the_block_ends():
    steps = []
    handler = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)  # (the handler would have run by now)
        steps.append("the block went on")
    assert steps == ["the block went on"]
    assert signal.getsignal(signal.SIGINT) is handler


def test_no_signal_no_exception_and_the_handlers_are_put_back():
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    with signals_held():
        assert signal.getsignal(signal.SIGINT) is not before[signal.SIGINT]
    assert {s: signal.getsignal(s) for s in before} == before


def test_outside_the_main_thread_nothing_is_held():
    seen = []

    def look():
        with signals_held():
            seen.append(signal.getsignal(signal.SIGINT))

    t = threading.Thread(target=look)
    t.start()
    t.join()
    assert seen == [signal.getsignal(signal.SIGINT)]


def test_results_come_in_order_with_at_most_the_workers_at_once():
    going, most = [], []
    turn = threading.Lock()

    def run(k):
        with turn:
            going.append(k)
            most.append(len(going))
        time.sleep(0.01 * (5 - k % 5))  # later runs end first
        with turn:
            going.remove(k)
        return k * k

    assert in_threads(run, 12, 3) == [k * k for k in range(12)]
    assert max(most) == 3
    assert in_threads(run, 2, 8) == [0, 1]
    assert in_threads(run, 0, 4) == []


def test_the_first_failure_is_raised_and_no_run_starts_after_it():
    started = []

    def run(k):
        started.append(k)
        if k in (1, 2):
            raise ValueError(f"run {k}")
        return k

    with pytest.raises(ValueError, match="run 1"):
        in_threads(run, 6, 1)
    assert started == [0, 1]


def test_an_interrupt_while_waiting_ends_after_the_runs_going_and_starts_no_other():
    events = []

    def run(k):
        events.append(f"start {k}")
        if k == 0:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the main thread waits
        time.sleep(0.2)
        events.append(f"end {k}")
        return k

    with pytest.raises(KeyboardInterrupt):
        in_threads(run, 5, 1)
    when = list(events)
    time.sleep(0.4)
    assert events == when == ["start 0", "end 0"]


def test_wait_until_gives_up_at_the_timeout_and_sees_what_is_done():
    assert wait_until(lambda: False, timeout=0.05) is False
    flag = threading.Event()
    threading.Timer(0.05, flag.set).start()
    assert wait_until(flag.is_set, timeout=30) is True
