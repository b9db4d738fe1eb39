"""Slots: threads and event-loop tasks wait in one line and get released slots in order."""

from __future__ import annotations

import asyncio
import threading

import pytest

from inclusion_kg.graph.slots import Slots


def test_a_thread_waits_for_a_slot_and_gets_it_on_release() -> None:
    slots = Slots(1)
    assert slots.acquire(timeout=0)
    got: list[bool] = []
    waiter = threading.Thread(target=lambda: got.append(slots.acquire(timeout=30)))
    waiter.start()
    while not slots._waiters:
        threading.Event().wait(0.01)
    slots.release()
    waiter.join(30)
    assert got == [True]
    assert slots.free == 0  # handed over, not returned to the pool


def test_a_thread_that_times_out_leaves_the_line() -> None:
    slots = Slots(1)
    assert slots.acquire(timeout=0)
    assert not slots.acquire(timeout=0.05)
    slots.release()
    assert slots.free == 1  # nobody was left in line to take it


def test_releasing_more_than_acquired_is_an_error() -> None:
    slots = Slots(2)
    with pytest.raises(ValueError, match="more often"):
        slots.release()


def test_tasks_and_threads_are_served_first_come_first_served() -> None:
    slots = Slots(1)
    order: list[str] = []

    async def scenario() -> None:
        assert await slots.aacquire(timeout=0)  # the loop holds the only slot

        async def task(name: str) -> None:
            assert await slots.aacquire(timeout=30)
            order.append(name)
            slots.release()

        def thread_waiter() -> None:
            assert slots.acquire(timeout=30)
            order.append("thread")
            slots.release()

        first = asyncio.create_task(task("task-1"))
        await asyncio.sleep(0.05)
        thread = threading.Thread(target=thread_waiter)
        thread.start()
        while len(slots._waiters) < 2:
            await asyncio.sleep(0.01)
        second = asyncio.create_task(task("task-2"))
        while len(slots._waiters) < 3:
            await asyncio.sleep(0.01)
        slots.release()
        await asyncio.gather(first, second)
        await asyncio.to_thread(thread.join, 30)

    asyncio.run(scenario())
    assert order == ["task-1", "thread", "task-2"]
    assert slots.free == 1


def test_a_task_that_times_out_or_is_cancelled_loses_no_slot() -> None:
    slots = Slots(1)

    async def scenario() -> None:
        assert await slots.aacquire(timeout=0)
        assert not await slots.aacquire(timeout=0.05)  # timed out: left the line
        waiting = asyncio.create_task(slots.aacquire(timeout=30))
        while not slots._waiters:
            await asyncio.sleep(0.01)
        slots.release()  # granted to the waiting task…
        waiting.cancel()  # …which is cancelled before it runs: it must pass the slot on
        with pytest.raises(asyncio.CancelledError):
            await waiting

    asyncio.run(scenario())
    assert slots.free == 1
