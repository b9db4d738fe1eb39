"""Render a writer's blocks in two processes and yield them in their order.

Why: the GEXF of 100,000 actors is about 400 MB of XML, which Python formats on one core
only so fast (docs/exports.md, section 7), and the export had one of the machine's two
cores idle. The writers already work block by block, and the blocks are independent once
the network is built, so a forked child renders every other one while this process
renders the rest: the child sees the network as it was at the fork (copy-on-write) and
sends its blocks back through a pipe, each prefixed by its length.

``render(part, parts, findings)`` must yield the chunks of the blocks ``i`` with
``i % parts == part``, in order; :func:`interleaved` then yields every block in order,
from whichever process rendered it, so the output is byte for byte the sequential one.

Some of what a block needs depends on every block: a GEXF declares each attribute's type
from all values before the first element. That pass is split too: ``survey(part,
parts)`` looks at the part's own blocks only and returns what it found as bytes; the two
processes swap their findings through the pipes, and each renders with both
(``findings``, in part order). A sequential run passes the one survey of everything.

The child only formats strings: it touches no store, no lock of the server's and no
socket (it closes the inherited ones), and leaves with ``os._exit``. Should it fail, die
or hang anyway (a lock copied at the fork, see :mod:`inclusion_kg.graph.procwatch`), it is
killed and its remaining blocks are rendered here; the result is the same, only slower.
"""

from __future__ import annotations

import contextlib
import gc
import os
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from inclusion_kg.graph.procwatch import Liveness, close_inherited_sockets

__all__ = ["Render", "Survey", "can_fork", "idle_cpu", "interleaved"]

Render = Callable[[int, int, Sequence[bytes]], Iterator[bytes]]
"""``render(part, parts, findings)``: the chunks of blocks ``part``, ``part + parts``, …
in order; ``findings`` are every part's survey, in part order (empty without a survey)."""
Survey = Callable[[int, int], bytes]
"""``survey(part, parts)``: what the blocks of ``part`` show that every block needs."""

_HEADER = struct.Struct("!q")
_END = -1
_FAILED = -2
_FINDINGS = -3  # then the length of the child's findings, then the findings
_PIPE_SIZE = 1 << 20
_F_SETPIPE_SZ = 1031  # Linux fcntl: a bigger pipe means fewer switches per block


def can_fork() -> bool:
    """Whether this platform can render in a forked child (POSIX, more than one CPU)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def idle_cpu(samples: int = 5, pause: float = 0.01) -> bool:
    """Whether a CPU looks free for a second renderer right now.

    Reads how many tasks are runnable at this instant (``/proc/loadavg``, this process
    included), the fewest of ``samples`` reads: a free CPU means no more than ``CPUs - 1``
    of them. The load average would not do: it lags by a minute and counts this
    writer's own child, so one parallel export would turn the next one sequential. On a
    machine whose other CPUs are busy the child only takes turns with this process and
    adds its costs (copied pages, the pipe): measured 13 % slower there, against 1.4x
    faster on an idle one.
    """
    cpus = os.cpu_count() or 1
    fewest: int | None = None
    for index in range(samples):
        try:
            running = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0])
        except (OSError, IndexError, ValueError):
            return True  # no /proc: nothing to go by
        fewest = running if fewest is None else min(fewest, running)
        if index + 1 < samples:
            time.sleep(pause)
    return fewest is not None and fewest <= cpus - 1


def interleaved(
    render: Render, *, parallel: bool = True, survey: Survey | None = None
) -> Iterator[bytes]:
    """Yield ``render``'s blocks in order, every other one rendered by a forked child.

    Every other block, although this process also reads the child's blocks from the
    pipe and hands every block on: measured at 100,000 actors (medians of four first
    exports each, same run), every other block took 10.5 s, three in seven 11.2 s and
    two in five 12.0 s; with more blocks the child paid more of the copy-on-write faults
    and waited on the pipe.

    Args:
        render: the block renderer (see the module docstring).
        parallel: False (or a platform without fork) renders everything here.
        survey: the pass over each part's blocks whose findings every part renders
            with; None: no such pass (``findings`` is empty).
    """
    child = _Child.start(render, survey) if parallel and can_fork() else None
    if child is None:
        yield from render(0, 1, [survey(0, 1)] if survey is not None else [])
        return
    try:
        findings: list[bytes] = []
        if survey is not None:
            mine = survey(0, 2)
            theirs = child.swap(mine)
            if theirs is None:  # the child failed before its survey was done
                child.stop()
                theirs = survey(1, 2)
            findings = [mine, theirs]
        yield from _alternate(render(0, 2, findings), _theirs(child, render, findings))
    finally:
        child.stop()


def _alternate(ours: Iterator[bytes], theirs: Iterator[bytes]) -> Iterator[bytes]:
    """Blocks 0, 2, 4… from ``ours`` and 1, 3, 5… from ``theirs``, in turn."""
    for mine in ours:
        yield mine
        other = next(theirs, None)
        if other is None:  # theirs is done: at most one of ours is left
            yield from ours
            return
        yield other
    yield from theirs  # nothing left but the child's end mark


def _theirs(child: _Child, render: Render, findings: Sequence[bytes]) -> Iterator[bytes]:
    """The child's blocks; if it fails, the rest of them rendered here instead."""
    received = 0
    while True:
        chunk = child.next_chunk()
        if chunk is None:
            if child.finished:
                return
            child.stop()  # failed, died or hung: render what it did not send, here
            yield from islice(render(1, 2, findings), received, None)
            return
        received += 1
        yield chunk


class _Child:
    """The forked renderer of the odd blocks, read block by block through a pipe."""

    def __init__(self, pid: int, fd: int, back: int | None) -> None:
        self.pid = pid
        self.fd = fd
        self.back = back  # this process's findings go to the child through it
        self.finished = False
        self.stopped = False
        self.watch = Liveness(pid, patience=2.0, interval=0.5, grace=1.0)

    @classmethod
    def start(cls, render: Render, survey: Survey | None = None) -> _Child | None:
        pipes: list[int] = []
        try:
            pipes += os.pipe()
            if survey is not None:
                pipes += os.pipe()
        except OSError:
            _close(pipes)
            return None
        with contextlib.suppress(OSError):
            import fcntl

            for write_end in pipes[1::2]:  # the blocks; this process's findings
                fcntl.fcntl(write_end, _F_SETPIPE_SZ, _PIPE_SIZE)
        try:
            pid = os.fork()
        except OSError:
            _close(pipes)
            return None
        read_end, write_end, *back = pipes
        if pid == 0:  # pragma: no cover - runs in the child
            _child_main(render, survey, read_end, write_end, *back)
        os.close(write_end)
        if back:
            os.close(back[0])
        return cls(pid, read_end, back[1] if back else None)

    def _read(self, size: int) -> bytes | None:
        """Read exactly ``size`` bytes; None if the child died, hung or closed the pipe."""
        data = bytearray()
        poller = select.poll()
        poller.register(self.fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        while len(data) < size:
            if not poller.poll(500):
                if self.watch.stuck():
                    return None
                continue
            chunk = os.read(self.fd, min(size - len(data), _PIPE_SIZE))
            if not chunk:
                return None
            data += chunk
        return bytes(data)

    def swap(self, mine: bytes) -> bytes | None:
        """Read the child's findings, then send it ``mine``; None if the child failed.

        In this order, the child writing first, the two never wait on each other
        however large the findings are.
        """
        header = self._read(_HEADER.size)
        if header is None or _HEADER.unpack(header)[0] != _FINDINGS:
            return None
        size = self._read(_HEADER.size)
        length = _HEADER.unpack(size)[0] if size is not None else -1
        theirs = self._read(length) if length >= 0 else None
        if theirs is None or self.back is None:
            return None
        try:
            _write_all(self.back, _HEADER.pack(len(mine)) + mine)
        except OSError:  # the child is gone
            return None
        return theirs

    def next_chunk(self) -> bytes | None:
        """The child's next block; None at its end (``finished``) or when it failed."""
        if self.finished or self.stopped:
            return None
        header = self._read(_HEADER.size)
        if header is None:
            return None
        (size,) = _HEADER.unpack(header)
        if size == _END:
            self.finished = True
            return None
        if size < 0:
            return None
        return self._read(size)

    def stop(self) -> None:
        """Kill (if still there) and reap the child; close the pipe. Once."""
        if self.stopped:
            return
        self.stopped = True
        _close([self.fd] if self.back is None else [self.fd, self.back])
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _close(fds: Sequence[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes:
    """Read ``size`` bytes from ``fd``; EOFError if it closes first."""
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _child_main(  # pragma: no cover - runs in the child
    render: Render, survey: Survey | None, read_end: int, write_end: int, *back: int
) -> None:
    status = 0
    try:
        gc.disable()  # a throwaway process: no collector walking (and copying) the heap
        _close([read_end, *back[1:]])
        close_inherited_sockets(write_end)
        try:
            findings: list[bytes] = []
            if survey is not None:
                mine = survey(1, 2)
                _write_all(write_end, _HEADER.pack(_FINDINGS) + _HEADER.pack(len(mine)) + mine)
                (size,) = _HEADER.unpack(_read_exactly(back[0], _HEADER.size))
                findings = [_read_exactly(back[0], size), mine]
            for chunk in render(1, 2, findings):
                _write_all(write_end, _HEADER.pack(len(chunk)))
                _write_all(write_end, chunk)
            _write_all(write_end, _HEADER.pack(_END))
        except (BrokenPipeError, EOFError):
            status = 1
        except BaseException:
            with contextlib.suppress(OSError):
                _write_all(write_end, _HEADER.pack(_FAILED))
            status = 1
    finally:
        os._exit(status)
