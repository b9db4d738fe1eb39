"""A query worker deadlocked by its fork is replaced, and a busy one is left to work.

The deadlock is real: the runner takes a plain lock twice, so the worker sleeps in the
kernel's futex wait with no thread that could release it, exactly what a lock copied at
the fork does (see ``inclusion_kg.graph.procwatch``).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from inclusion_kg.graph.errors import BackendUnavailable, QueryTimeout
from inclusion_kg.graph.procwatch import Liveness, process_state
from inclusion_kg.graph.sparql import QueryWorkers, Request, Runner

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/wchan").exists() or not QueryWorkers.available(),
    reason="needs Linux /proc and fork",
)


def _deadlock() -> None:
    lock = threading.Lock()
    lock.acquire()
    lock.acquire()  # never returns: this process has no other thread


def _runner(marker: Path, hang_first: int) -> Runner:
    """Deadlock in the first ``hang_first`` workers (counted in ``marker``), then answer."""

    def run(request: Request, out: IO[bytes]) -> dict[str, object]:
        with marker.open("a") as tally:
            tally.write("x")
        if len(marker.read_text()) <= hang_first:
            _deadlock()
        if request.get("spin"):  # compute for a while: busy, not stuck
            end = time.process_time() + float(str(request["spin"]))
            while time.process_time() < end:
                pass
        if request.get("sleep"):  # sleep (not in a futex): slow, not stuck
            time.sleep(float(str(request["sleep"])))
        out.write(b"answer")
        return {"pid": os.getpid()}

    return run


def test_a_deadlocked_worker_is_replaced_and_the_request_answered(tmp_path: Path) -> None:
    marker = tmp_path / "tally"
    workers = QueryWorkers(_runner(marker, hang_first=1), max_workers=2)
    try:
        status, out = workers.run({"q": "x"}, timeout=60)
        with out:
            assert out.read() == b"answer"
        assert workers.hangs == 1
        assert len(marker.read_text()) == 2  # the request ran twice, in two workers
        assert status["pid"] in workers.idle_pids  # the good worker stays warm
    finally:
        workers.kill_all()


def test_retries_are_bounded(tmp_path: Path) -> None:
    marker = tmp_path / "tally"
    workers = QueryWorkers(_runner(marker, hang_first=100), max_workers=2)
    workers.max_hang_retries = 1
    try:
        with pytest.raises(BackendUnavailable, match="deadlocked"):
            workers.run({"q": "x"}, timeout=60)
        assert workers.hangs == 2
        assert not workers.active
    finally:
        workers.kill_all()


def test_without_the_watch_the_deadline_applies(tmp_path: Path) -> None:
    marker = tmp_path / "tally"
    workers = QueryWorkers(_runner(marker, hang_first=1), max_workers=2)
    workers.watch_hangs = False
    try:
        with pytest.raises(QueryTimeout):
            workers.run({"q": "x"}, timeout=2)
        assert workers.hangs == 0
    finally:
        workers.kill_all()


@pytest.mark.parametrize("request_", [{"spin": 2.5}, {"sleep": 2.5}], ids=["computing", "sleeping"])
def test_a_slow_worker_is_not_mistaken_for_a_stuck_one(
    tmp_path: Path, request_: dict[str, float]
) -> None:
    marker = tmp_path / "tally"
    workers = QueryWorkers(_runner(marker, hang_first=0), max_workers=2)
    try:
        _, out = workers.run(request_, timeout=60)
        out.close()
        assert workers.hangs == 0
        assert len(marker.read_text()) == 1
    finally:
        workers.kill_all()


def test_process_state_reads_proc() -> None:
    state = process_state(os.getpid())
    assert state is not None
    assert state.state == "R"  # it is reading its own state
    assert state.threads >= 1
    assert process_state(2**22 + 12345) is None  # above any pid_max


def test_liveness_needs_patience_and_no_cpu_progress() -> None:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            _deadlock()
        finally:
            os._exit(0)
    try:
        watch = Liveness(pid, patience=0.5, interval=0.0, grace=0.0)
        start = time.monotonic()
        assert not watch.stuck(start)  # first sight starts the clock
        while not watch.stuck():
            assert time.monotonic() - start < 30, watch.describe()
            time.sleep(0.05)
        assert "futex" in watch.describe()
        assert watch.last is not None
        assert watch.last.threads == 1
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
