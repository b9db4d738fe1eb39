"""Tell a query worker that is deadlocked from one that is merely busy, from ``/proc``.

A query worker (:class:`inclusion_kg.graph.sparql.QueryWorkers`) is forked from a
process with threads: pyoxigraph's readers, RocksDB's background flush and compaction
threads, the analytics' fetch threads. ``fork`` copies only the calling thread, so a mutex
one of the others held at that instant stays locked in the child for ever, and the first
time the child needs it (RocksDB takes its DB mutex for every snapshot) it waits until
its deadline. CI saw it twice in about three thousand runs: a trivial SELECT "timed out"
after 30 s.

The child has a single thread, so a futex wait in it can never be woken: no other thread
exists to release the lock. :class:`Liveness` watches a worker while it evaluates: a
single-threaded process asleep in ``futex`` without using any CPU for ``patience``
seconds is stuck, and the caller kills it and forks a fresh one (the state that hung the
first is gone by then). A worker that computes is running (state ``R``), one that reads
the disk is in ``D``, and one that waits on the network (a SERVICE call) sleeps in
``poll`` or ``recv``, not ``futex``: none of them is mistaken for stuck.

Linux only: where ``/proc/<pid>/wchan`` cannot be read the watcher never reports a hang
and the deadline alone applies, as before.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Liveness", "ProcessState", "close_inherited_sockets", "process_state"]


@dataclass(frozen=True)
class ProcessState:
    """What ``/proc`` says of a process at one instant.

    Attributes:
        state: the one-letter scheduler state (``R`` running, ``S`` sleeping, ``D`` disk…).
        cpu_ticks: user plus system CPU time, in clock ticks.
        threads: how many threads it has.
        wchan: the kernel function it sleeps in (``futex_do_wait``…), or ``""``.
    """

    state: str
    cpu_ticks: int
    threads: int
    wchan: str

    @property
    def in_futex_wait(self) -> bool:
        """Asleep on a futex (a mutex, condition variable or once-lock)."""
        return self.state == "S" and "futex" in self.wchan


def process_state(pid: int) -> ProcessState | None:
    """Read a process's state from ``/proc``; None where there is no ``/proc`` or no process."""
    base = Path("/proc") / str(pid)
    try:
        stat = (base / "stat").read_text()
        wchan = (base / "wchan").read_text().strip()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    fields = stat[stat.rfind(")") + 2 :].split()
    try:
        # After the name: state (3), ... utime (14), stime (15), ... num_threads (20).
        return ProcessState(
            state=fields[0],
            cpu_ticks=int(fields[11]) + int(fields[12]),
            threads=int(fields[17]),
            wchan="" if wchan == "0" else wchan,
        )
    except (IndexError, ValueError):
        return None


@dataclass
class Liveness:
    """Watch one worker through one request; :meth:`stuck` says when it can never finish.

    Call :meth:`stuck` now and then (every poll of the worker's socket); it reads ``/proc``
    at most every ``interval`` seconds.

    Args:
        pid: the worker's process id.
        patience: how long a single-threaded futex wait without CPU progress must last.
        interval: the least time between two reads of ``/proc``.
        grace: how long after the start it is not read at all (a request that ends
            sooner, nearly all of them, costs nothing).
    """

    pid: int
    patience: float = 1.0
    interval: float = 0.1
    grace: float = 0.5
    _started: float = field(default_factory=time.monotonic, init=False)
    _since: float | None = field(default=None, init=False)
    _ticks: int | None = field(default=None, init=False)
    _checked: float = field(default=0.0, init=False)
    last: ProcessState | None = field(default=None, init=False)
    """The state read last (for the error message when the deadline passes anyway)."""

    def stuck(self, now: float | None = None) -> bool:
        """Whether the worker has sat in a futex, alone and idle, for ``patience`` seconds."""
        now = time.monotonic() if now is None else now
        if now - self._started < self.grace or now - self._checked < self.interval:
            return False
        self._checked = now
        state = self.last = process_state(self.pid)
        if state is None or state.threads != 1 or not state.in_futex_wait:
            self._since = self._ticks = None
            return False
        if self._since is None or state.cpu_ticks != self._ticks:
            self._since, self._ticks = now, state.cpu_ticks
            return False
        return now - self._since >= self.patience

    def describe(self) -> str:
        """The worker's last state in words, for a log line or an error message."""
        state = self.last
        if state is None:
            return "state unknown"
        return (
            f"state {state.state}, waiting in {state.wchan or '?'}, {state.threads} thread(s), "
            f"{state.cpu_ticks} CPU ticks"
        )


def close_inherited_sockets(keep: int) -> None:
    """Close every socket a forked child inherited but ``keep`` (Linux; best effort elsewhere).

    A child that outlives a request must not hold copies of the server's listening socket
    or of client connections: they would stay open after the parent closed them.
    """
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            names = [entry.name for entry in Path(folder).iterdir()]
        except OSError:
            continue
        for name in names:
            fd = int(name)
            if fd == keep:
                continue
            with contextlib.suppress(OSError):
                if stat.S_ISSOCK(os.fstat(fd).st_mode):
                    os.close(fd)
        return
