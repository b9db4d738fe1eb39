"""Run a writer's steps with the cyclic garbage collector paused.

Why: a writer allocates millions of short-lived strings and tuples, and every 700
allocations CPython's collector wakes; each time enough objects have survived (the
writer's memos, the partnership objects built for the export) it walks the whole heap
of objects made since the last full collection. At 100,000 actors that was a third of
the export's time (measured: edge blocks 7.2 s with the collector, 3.7 s without).
Nothing the writers build is cyclic, so reference counting frees it all anyway.

The collector is paused only while a step runs, not while the consumer holds the
generator suspended (a slow download must not keep it off), and the pauses of several
threads nest: it comes back on when the last of them ends, if it was on before the
first.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar, cast

__all__ = ["gc_paused", "paused_gc"]

_T = TypeVar("_T")
_P = ParamSpec("_P")

_lock = threading.Lock()
_depth = 0
_was_enabled = False


def _pause() -> None:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def _resume() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()


def paused_gc(items: Iterator[_T]) -> Iterator[_T]:
    """Yield ``items``, the collector paused while each one is produced.

    Closing this generator closes ``items`` (so a writer's ``finally`` runs at once).
    """
    end = object()
    try:
        while True:
            _pause()
            try:
                item = next(items, end)
            finally:
                _resume()
            if item is end:
                return
            yield cast(_T, item)
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


def gc_paused(func: Callable[_P, Iterator[_T]]) -> Callable[_P, Iterator[_T]]:
    """Decorate a generator function so its steps run with the collector paused."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Iterator[_T]:
        return paused_gc(func(*args, **kwargs))

    return wrapper
