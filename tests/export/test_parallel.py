"""Blocks rendered in a forked child: the same bytes, and nothing lost if the child fails.

The child really is forked (no mock): the failure cases make it raise, deadlock (a plain
lock taken twice: a futex wait no thread can end) or die after a few blocks or during
its survey, and the output must still be complete and in order.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path

import pytest

from inclusion_kg.graph.export import ExportOptions, iter_gexf, prepare
from inclusion_kg.graph.export import gexf as gexf_module
from inclusion_kg.graph.export.parallel import Render, Survey, can_fork, interleaved
from inclusion_kg.graph.network.projection import OxigraphRunner

pytestmark = pytest.mark.skipif(
    not can_fork() or not Path("/proc/self/task").exists(), reason="needs fork, two CPUs, /proc"
)

BLOCKS = 12


def _fail(how: str) -> None:
    if how == "raise":
        msg = "the child fails"
        raise RuntimeError(msg)
    if how == "deadlock":
        lock = threading.Lock()
        lock.acquire()
        lock.acquire()
    if how == "die":
        os.kill(os.getpid(), signal.SIGKILL)


def _blocks(fail: str | None = None, from_block: int = 7) -> tuple[int, Render]:
    parent = os.getpid()

    def render(part: int, parts: int, findings: Sequence[bytes]) -> Iterator[bytes]:
        for i in range(part, BLOCKS, parts):
            if fail and os.getpid() != parent and i >= from_block:
                _fail(fail)
            where = "here" if os.getpid() == parent else "child"
            yield f"block {i} from {where} knowing {b'+'.join(findings).decode()}\n".encode()

    return parent, render


def _survey(fail: str | None = None) -> Survey:
    """Each part's findings: the blocks it will render (and who looked at them)."""
    parent = os.getpid()

    def survey(part: int, parts: int) -> bytes:
        if fail and os.getpid() != parent:
            _fail(fail)
        blocks = ",".join(map(str, range(part, BLOCKS, parts)))
        return f"{'here' if os.getpid() == parent else 'child'}:{blocks}".encode()

    return survey


def _children() -> set[str]:
    """This thread's child processes, zombies included (Linux)."""
    pid = os.getpid()
    tid = threading.get_native_id()
    return set(Path(f"/proc/{pid}/task/{tid}/children").read_text().split())


def _numbers(chunks: list[bytes]) -> list[int]:
    return [int(chunk.split()[1]) for chunk in chunks]


def test_blocks_come_in_order_every_other_one_from_the_child() -> None:
    _, render = _blocks()
    chunks = list(interleaved(render))
    assert _numbers(chunks) == list(range(BLOCKS))
    from_child = [b"from child" in chunk for chunk in chunks]
    assert from_child == [i % 2 == 1 for i in range(BLOCKS)]
    assert from_child[:4] == [False, True, False, True]


def test_without_parallel_everything_is_rendered_here() -> None:
    _, render = _blocks()
    chunks = list(interleaved(render, parallel=False))
    assert _numbers(chunks) == list(range(BLOCKS))
    assert not any(b"from child" in chunk for chunk in chunks)


@pytest.mark.parametrize("fail", ["raise", "deadlock", "die"])
def test_a_failing_child_is_replaced_by_rendering_here(fail: str) -> None:
    _, render = _blocks(fail, from_block=7)
    chunks = list(interleaved(render))
    assert _numbers(chunks) == list(range(BLOCKS))
    from_child = [
        n for n, chunk in zip(_numbers(chunks), chunks, strict=True) if b"from child" in chunk
    ]
    assert from_child == [1, 3, 5]  # the child's blocks before 7, then it failed


def test_both_parts_render_with_both_surveys() -> None:
    _, render = _blocks()
    chunks = list(interleaved(render, survey=_survey()))
    assert _numbers(chunks) == list(range(BLOCKS))
    both = b"knowing here:0,2,4,6,8,10+child:1,3,5,7,9,11"
    assert all(chunk.rstrip().endswith(both) for chunk in chunks)
    assert [b"from child" in chunk for chunk in chunks] == [i % 2 == 1 for i in range(BLOCKS)]


def test_a_sequential_run_renders_with_one_survey_of_everything() -> None:
    _, render = _blocks()
    chunks = list(interleaved(render, parallel=False, survey=_survey()))
    assert _numbers(chunks) == list(range(BLOCKS))
    assert all(
        chunk.rstrip().endswith(
            b"knowing here:" + b",".join(str(i).encode() for i in range(BLOCKS))
        )
        for chunk in chunks
    )


@pytest.mark.parametrize("fail", ["raise", "deadlock", "die"])
def test_a_child_failing_in_its_survey_is_replaced_by_surveying_here(fail: str) -> None:
    _, render = _blocks()
    chunks = list(interleaved(render, survey=_survey(fail)))
    assert _numbers(chunks) == list(range(BLOCKS))
    assert not any(b"from child" in chunk for chunk in chunks)
    both = b"knowing here:0,2,4,6,8,10+here:1,3,5,7,9,11"
    assert all(chunk.rstrip().endswith(both) for chunk in chunks)


@pytest.mark.parametrize("fail", ["raise", "die"])
def test_a_child_failing_after_the_swap_leaves_its_blocks_rendered_with_both_surveys(
    fail: str,
) -> None:
    _, render = _blocks(fail, from_block=5)
    chunks = list(interleaved(render, survey=_survey()))
    assert _numbers(chunks) == list(range(BLOCKS))
    both = b"knowing here:0,2,4,6,8,10+child:1,3,5,7,9,11"
    assert all(chunk.rstrip().endswith(both) for chunk in chunks)
    from_child = [
        n
        for n, chunk in zip(_numbers(chunks), chunks, strict=True)
        if b"child" in chunk.split(b"knowing")[0]
    ]
    assert from_child == [1, 3]


def test_stopping_early_leaves_no_child_behind() -> None:
    _, render = _blocks()
    before = _children()
    chunks = interleaved(render)
    assert isinstance(chunks, Generator)
    assert next(chunks).startswith(b"block 0")
    assert len(_children() - before) == 1  # the renderer
    chunks.close()
    assert _children() == before  # killed and reaped: not even a zombie is left


@pytest.mark.parametrize("dynamic", [False, True], ids=["static", "dynamic"])
def test_parallel_gexf_is_byte_for_byte_the_sequential_one(
    seeds: OxigraphRunner, monkeypatch: pytest.MonkeyPatch, dynamic: bool
) -> None:
    monkeypatch.setattr(gexf_module, "_BLOCK", 2)  # the seeds' few ties: many blocks
    network = prepare(seeds, ExportOptions())
    assert network.number_of_edges > 6
    sequential = b"".join(iter_gexf(network, dynamic=dynamic, parallel=False))
    parallel = b"".join(iter_gexf(network, dynamic=dynamic, parallel=True))
    assert parallel == sequential
    assert sequential.count(b"<edge ") == network.number_of_edges
