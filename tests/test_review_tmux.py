"""End to end: the review app in a real terminal (tmux), keys sent, then the process killed
hard (SIGKILL, no chance to compact): the journal must hold every edit, and a reopened
review must replay them all."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from align.review.journal import JOURNAL, SNAPSHOT
from align.review.state import ReviewState
from tests.test_review_app import make_run

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30.0  # seconds to wait for any one thing; polled, never slept through


def wait_for(what: str, check, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


class Tmux:
    """A tmux server of our own (its own socket), so nothing of the user's is touched."""

    def __init__(self) -> None:
        self.tmux = shutil.which("tmux")
        if self.tmux is None:
            pytest.fail(
                "tmux is not installed: the end-to-end review test needs it (apt install tmux)"
            )
        # The socket in a folder of its own, removed on close: tmux leaves a socket file
        # behind when its server is killed, and a socket path has a short length limit.
        self.folder = tempfile.mkdtemp(prefix="arabic-align-tmux-")
        self.socket = os.path.join(self.folder, "socket")
        self.session = "review"
        # UTF-8 whatever the caller's locale, so that Arabic reaches the pane as sent. A
        # COLUMNS or LINES of the caller's (pytest-xdist's workers set 80x24) would reach
        # the app through the server and size it smaller than its pane, so they are left out.
        caller = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        self.env = {**caller, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-u", "-S", self.socket, *args],
            capture_output=True, text=True, timeout=TIMEOUT, env=self.env,
        )  # fmt: skip
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", self.session, *keys)

    def text(self, text: str) -> None:
        self("send-keys", "-t", self.session, "-l", text)

    def close(self) -> None:
        panes = subprocess.run(
            [self.tmux, "-S", self.socket, "list-panes", "-a", "-F", "#{pane_pid}"],
            capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        subprocess.run([self.tmux, "-S", self.socket, "kill-server"], capture_output=True)
        # An app left running when its terminal went away is killed with its process group,
        # so that no test leaves a process behind to slow the ones after it.
        time.sleep(0.5)
        for pid in panes:
            with contextlib.suppress(ProcessLookupError, PermissionError, ValueError):
                os.killpg(int(pid), signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)


def changes(run_dir: Path) -> list[dict]:
    path = run_dir / JOURNAL
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):  # a line being written
            entries.append(json.loads(line))
    return [c for e in entries if e.get("t") == "change" for c in e["changes"]]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def test_killed_app_loses_no_edit(tmp_path):
    run_dir = make_run(tmp_path / "run")
    tmux = Tmux()
    command = (
        f"exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 PYTHONPATH={ROOT} "
        f"{sys.executable} -m align.cli review {run_dir}"
    )
    try:
        tmux("new-session", "-d", "-s", tmux.session, "-x", "120", "-y", "40", "-c", str(ROOT),
             command)  # fmt: skip
        pid = int(tmux("list-panes", "-t", tmux.session, "-F", "#{pane_pid}").split()[0])
        wait_for("the app on screen", lambda: "left of 4" in tmux.screen())
        wait_for("segment 3 (the worst) shown", lambda: "Segment 3" in tmux.screen())

        tmux.keys("a")  # accept segment 3
        wait_for("the accept in the journal", lambda: len(changes(run_dir)) == 1)

        # link صباح (Arabic word 4) to "morning" (word 7): mark, other side, l
        tmux.keys("Left", "Left", "Left", "Left", "Enter", "Tab", "Right", "Right", "l")
        wait_for("the link in the journal", lambda: len(changes(run_dir)) == 2)
        tmux.keys("s")  # make it possible
        wait_for("sure/possible in the journal", lambda: len(changes(run_dir)) == 3)

        tmux.keys("e")
        wait_for("the note editor", lambda: "Note on segment 3" in tmux.screen())
        tmux.text("check the time")
        tmux.keys("Enter")
        wait_for("the note in the journal", lambda: len(changes(run_dir)) == 4)

        tmux.keys("n", "f")  # flag the next segment in the queue (1)
        wait_for("the flag in the journal", lambda: len(changes(run_dir)) == 5)

        os.kill(pid, signal.SIGKILL)
        wait_for("the app to die", lambda: not alive(pid))
    finally:
        tmux.close()

    assert not (run_dir / SNAPSHOT).exists()  # killed: never compacted
    assert [c["after"] for c in changes(run_dir)] == [
        "accepted",
        {"sure": True, "confidence": 1.0},
        {"sure": False, "confidence": 1.0},
        "check the time",
        "flagged",
    ]
    state = ReviewState.open(run_dir)
    assert state.torn is None
    seg = state.by_index[3]
    assert seg.status == "accepted"
    assert seg.links[(4, 7)] == {"sure": False, "confidence": 1.0}
    assert seg.note == "check the time"
    assert state.by_index[1].status == "flagged"
    assert state.position == {"segment": 1, "cursor": ["src", 0], "side": "hyp"}
