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


@pytest.fixture
def ctrl_c():
    """Ctrl-C, as Python handles it, with a way for a thread to know it was handled."""
    handled = threading.Event()

    def handler(signum, frame):
        handled.set()
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGINT, handler)

    def press() -> None:
        handled.clear()
        os.kill(os.getpid(), signal.SIGINT)
        assert handled.wait(30)
        time.sleep(0.5)  # the main thread goes on to where the exception takes it

    yield press
    signal.signal(signal.SIGINT, before)


def test_an_interrupt_while_waiting_ends_after_the_runs_going_and_starts_no_other(ctrl_c):
    events = []

    def run(k):
        events.append(f"start {k}")
        if k == 0:
            ctrl_c()  # while the main thread waits
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


def test_of_several_signals_held_every_handler_runs_with_a_frame_and_sigterm_wins():
    class Stop(Exception):
        pass

    seen = []

    def on_int(signum, frame):
        seen.append(("int", frame is not None))
        raise KeyboardInterrupt

    def on_term(signum, frame):
        seen.append(("term", frame is not None))
        raise Stop

    before = {signal.SIGINT: signal.signal(signal.SIGINT, on_int),
              signal.SIGTERM: signal.signal(signal.SIGTERM, on_term)}  # fmt: skip
    try:
        with pytest.raises(Stop), signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.1)
        assert seen == [("int", True), ("term", True)]
        assert signal.getsignal(signal.SIGTERM) is on_term
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def test_handlers_are_all_put_back_when_one_put_back_raises_at_once(monkeypatch):
    """Python runs a pending signal's handler inside ``signal.signal`` and between steps:
    one that raises as soon as it is put back must not leave the others holding."""
    from align import threads

    put = signal.signal
    calls = []

    def put_then_interrupted(signum, handler):
        put(signum, handler)
        calls.append(signum)
        if len(calls) == 1:
            raise KeyboardInterrupt

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    monkeypatch.setattr(threads.signal, "signal", put_then_interrupted)
    raised = threads._put_back(handlers)
    assert [type(e) for e in raised] == [KeyboardInterrupt]
    assert {s: signal.getsignal(s) for s in handlers} == handlers
    assert set(calls) == set(handlers)


def test_a_second_interrupt_waits_for_the_runs_going(ctrl_c):
    """The first Ctrl-C stops new runs and waits for those going; a second one (``kill -INT``
    twice reaches the program, not the runs) used to end the wait at once, and the runs'
    temporary folder was removed under them."""
    events = []

    def run(k):
        events.append(f"start {k}")
        ctrl_c()
        os.kill(os.getpid(), signal.SIGINT)  # while the caller waits for this run
        time.sleep(0.5)
        events.append(f"end {k}")
        return k

    with pytest.raises(KeyboardInterrupt):
        in_threads(run, 3, 1)
    assert events == ["start 0", "end 0"]
