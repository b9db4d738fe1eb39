"""A counting semaphore that threads and event-loop tasks can both wait on.

The query workers (:class:`inclusion_kg.graph.sparql.QueryWorkers`) admit a bounded
number of requests at once. Requests come from threads (the CLI, library code, sync
routes) and from the service's event loop (``/sparql``). ``threading.Semaphore`` would
make a task wait in a thread of its own (a hand-off to the pool and back, measured as a
sixth of the server's CPU under eight clients), and ``asyncio.Semaphore`` cannot be used
from threads. :class:`Slots` queues both kinds of waiter in one first-come, first-served
line and hands a released slot straight to the next waiter, so none can be overtaken or
woken for nothing.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from dataclasses import dataclass, field

__all__ = ["Slots"]


@dataclass(eq=False)
class _Waiter:
    """One waiting thread or task; ``granted`` is set (under the lock) when it gets a slot."""

    event: threading.Event | None = None
    future: asyncio.Future[None] | None = None
    loop: asyncio.AbstractEventLoop | None = None
    granted: bool = field(default=False)

    def wake(self) -> None:
        if self.event is not None:
            self.event.set()
        elif self.loop is not None and self.future is not None:
            self.loop.call_soon_threadsafe(_resolve, self.future)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Slots:
    """``size`` slots; :meth:`acquire` from a thread, :meth:`aacquire` from a coroutine.

    >>> slots = Slots(1)
    >>> slots.acquire(timeout=0), slots.acquire(timeout=0)
    (True, False)
    >>> slots.release(); slots.free
    1
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = size
        self._lock = threading.Lock()
        self._waiters: deque[_Waiter] = deque()

    @property
    def free(self) -> int:
        """Slots nobody holds right now."""
        return self._free

    def _take_or_queue(self, waiter: _Waiter) -> bool:
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return True
            self._waiters.append(waiter)
            return False

    def _give_up(self, waiter: _Waiter) -> bool:
        """The waiter's time ran out: leave the line; True if a slot reached it meanwhile."""
        with self._lock:
            if waiter.granted:
                return True
            self._waiters.remove(waiter)
            return False

    def acquire(self, timeout: float) -> bool:
        """Take a slot, waiting at most ``timeout`` seconds; False if none freed up."""
        waiter = _Waiter(event=threading.Event())
        if self._take_or_queue(waiter):
            return True
        assert waiter.event is not None  # noqa: S101 - set just above
        if waiter.event.wait(max(timeout, 0.0)):
            return True
        return self._give_up(waiter)

    async def aacquire(self, timeout: float) -> bool:
        """:meth:`acquire` for a coroutine: it waits on the event loop, not in a thread."""
        loop = asyncio.get_running_loop()
        waiter = _Waiter(future=loop.create_future(), loop=loop)
        if self._take_or_queue(waiter):
            return True
        assert waiter.future is not None  # noqa: S101 - set just above
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), max(timeout, 0.0))
        except TimeoutError:
            return self._give_up(waiter)
        except asyncio.CancelledError:
            if self._give_up(waiter):  # cancelled after the slot came: pass it on
                self.release()
            raise
        return True

    def release(self) -> None:
        """Give a slot back: to the first waiter in line, or to the pool."""
        with self._lock:
            if self._waiters:
                waiter = self._waiters.popleft()
                waiter.granted = True
            else:
                if self._free >= self.size:
                    msg = "Slots released more often than acquired."
                    raise ValueError(msg)
                self._free += 1
                return
        waiter.wake()
