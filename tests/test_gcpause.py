"""The collector is off while a writer's step runs, and on again whatever happens."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from inclusion_kg.graph.gcpause import gc_paused, paused_gc


def _states(seen: list[bool]) -> Iterator[int]:
    for i in range(3):
        seen.append(gc.isenabled())
        yield i


def test_off_while_a_step_runs_on_while_the_consumer_holds_it() -> None:
    assert gc.isenabled()
    seen: list[bool] = []
    for _ in paused_gc(_states(seen)):
        assert gc.isenabled()  # the consumer's time: collector on
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_an_error_in_a_step_turns_it_back_on() -> None:
    def failing() -> Iterator[int]:
        yield 1
        msg = "broken"
        raise RuntimeError(msg)

    chunks = paused_gc(failing())
    assert next(chunks) == 1
    with pytest.raises(RuntimeError):
        next(chunks)
    assert gc.isenabled()


def test_closing_closes_the_writer() -> None:
    closed: list[bool] = []

    def writer() -> Iterator[int]:
        try:
            yield 1
            yield 2
        finally:
            closed.append(True)

    chunks = paused_gc(writer())
    next(chunks)
    chunks.close()
    assert closed == [True]
    assert gc.isenabled()


def test_pauses_in_two_threads_nest() -> None:
    inside = threading.Event()
    release = threading.Event()

    @gc_paused
    def slow() -> Iterator[int]:
        inside.set()
        release.wait(10)
        yield 1

    result: list[int] = []
    thread = threading.Thread(target=lambda: result.extend(slow()))
    thread.start()
    assert inside.wait(10)
    seen: list[bool] = []
    list(paused_gc(_states(seen)))  # starts and ends while the other pause lasts
    assert seen == [False, False, False]
    assert not gc.isenabled()  # the other thread's step is still running
    release.set()
    thread.join(10)
    assert result == [1]
    assert gc.isenabled()
