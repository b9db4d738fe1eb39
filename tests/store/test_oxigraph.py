"""What only the embedded backend has: a lock on disk, persistence, and query workers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from inclusion_kg.graph.errors import BackendUnavailable, IkgError
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import Store, open_store
from inclusion_kg.graph.store.oxigraph import OxigraphStore
from inclusion_kg.graph.store.remote import RemoteStore

EX = "http://example.org/"
DATA = f'<{EX}a> <{EX}p> "1" .\n'.encode()


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": tmp_path / "store", "load_seeds": False}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_open_store_picks_the_backend(tmp_path: Path) -> None:
    on_disk = open_store(settings_for(tmp_path))
    in_memory = open_store(settings_for(tmp_path, store="memory"))
    remote = open_store(
        settings_for(tmp_path, store="remote", remote_query_url="http://127.0.0.1:9/q")
    )
    try:
        assert isinstance(on_disk, OxigraphStore)
        assert on_disk.location == tmp_path / "store"
        assert isinstance(in_memory, OxigraphStore)
        assert in_memory.location is None
        assert isinstance(remote, RemoteStore)
        for store in (on_disk, in_memory, remote):
            assert isinstance(store, Store)
    finally:
        for store in (on_disk, in_memory, remote):
            store.close()
    with pytest.raises(BackendUnavailable, match="IKG_REMOTE_QUERY_URL"):
        open_store(settings_for(tmp_path, store="remote"))


def test_data_survives_a_restart(tmp_path: Path) -> None:
    store = OxigraphStore.on_disk(tmp_path / "db", settings_for(tmp_path))
    store.load(DATA, "application/n-triples", graph=EX + "g")
    store.close()
    with pytest.raises(BackendUnavailable, match="closed"):
        len(store)
    again = OxigraphStore.on_disk(tmp_path / "db", settings_for(tmp_path))  # lock released
    try:
        assert len(again) == 1
    finally:
        again.close()


def test_a_store_in_use_by_another_process_is_unavailable(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('ready', flush=True);"
            " sys.stdin.read()",
            str(folder),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"ready"
        with pytest.raises(BackendUnavailable, match="in use by another process"):
            OxigraphStore.on_disk(folder, settings_for(tmp_path))
    finally:
        holder.communicate(timeout=30)


def test_closing_the_store_stops_running_queries(tmp_path: Path) -> None:
    store = OxigraphStore.in_memory(settings_for(tmp_path))
    data = "".join(f'<{EX}s{i}> <{EX}p> "v{i}" .\n' for i in range(4000))
    store.load(data.encode(), "application/n-triples", graph=EX + "g")
    errors: list[IkgError] = []

    def expensive() -> None:
        try:
            store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y "
                'FILTER(REGEX(CONCAT(?x, ?y), "^zz")) }',
                timeout=60,
            )
        except IkgError as error:
            errors.append(error)

    thread = threading.Thread(target=expensive)
    thread.start()
    deadline = time.monotonic() + 10
    while not store.workers.active and time.monotonic() < deadline:
        time.sleep(0.01)
    (pid,) = store.workers.active
    store.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], BackendUnavailable)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_bounded_and_unbounded_reads_agree(tmp_path: Path) -> None:
    store = OxigraphStore.on_disk(tmp_path / "db", settings_for(tmp_path))
    try:
        store.load(
            DATA + f'<{EX}b> <{EX}p> "2"@en .\n'.encode(), "application/n-triples", graph=EX + "g"
        )
        query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"
        assert store.select(query) == store.select(query, timeout=10)
        assert store.ask("ASK { ?s ?p '1' }") is store.ask("ASK { ?s ?p '1' }", timeout=10) is True
    finally:
        store.close()


def test_warm_workers_are_reused_and_retired_by_writes(tmp_path: Path) -> None:
    store = OxigraphStore.in_memory(settings_for(tmp_path))
    try:
        store.load(DATA, "application/n-triples", graph=EX + "g")
        assert store.workers.idle == 0
        assert store.ask(f"ASK {{ <{EX}a> ?p ?o }}", timeout=10)
        assert store.workers.idle == 1
        (warm,) = store.workers.idle_pids
        assert store.ask(f"ASK {{ <{EX}a> ?p ?o }}", timeout=10)
        assert store.workers.idle_pids == (warm,)
        # a write retires the worker that holds the old state: the next query sees the write
        store.load(f'<{EX}b> <{EX}p> "2" .'.encode(), "application/n-triples", graph=EX + "h")
        assert store.workers.idle == 0
        with pytest.raises(ProcessLookupError):
            os.kill(warm, 0)
        assert store.ask(f"ASK {{ <{EX}b> ?p ?o }}", timeout=10)
        store.update(f"DELETE DATA {{ GRAPH <{EX}h> {{ <{EX}b> <{EX}p> '2' }} }}")
        assert not store.ask(f"ASK {{ <{EX}b> ?p ?o }}", timeout=10)
        # a write that fails retires the warm workers too (none is left behind)
        (warm,) = store.workers.idle_pids
        with pytest.raises(IkgError):
            store.update("INSERT DATA { broken")
        assert store.workers.idle == 0
        with pytest.raises(ProcessLookupError):
            os.kill(warm, 0)
    finally:
        store.close()


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_a_worker_keeps_no_socket_but_its_own(tmp_path: Path) -> None:
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    store = OxigraphStore.in_memory(settings_for(tmp_path))
    try:
        assert store.ask("ASK {}", timeout=10)
        (worker,) = store.workers.idle_pids
        sockets = [
            fd
            for fd in Path(f"/proc/{worker}/fd").iterdir()
            if fd.readlink().as_posix().startswith("socket:")
        ]
        assert len(sockets) == 1  # the one it talks to the parent through
    finally:
        store.close()
        listener.close()


def test_workers_exit_with_their_parent(tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from inclusion_kg.graph.store.oxigraph import OxigraphStore\n"
        "store = OxigraphStore.in_memory()\n"
        "store.ask('ASK {}', timeout=10)\n"
        "print(store.workers.idle_pids[0], flush=True)\n"
        "os._exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    pid = int(done.stdout.strip())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_queries_during_continuous_writes_neither_hang_nor_go_back(
    tmp_path: Path, on_disk: bool
) -> None:
    """Regression: a worker forked while a write was inside pyoxigraph's in-memory store
    waited forever on the writer's lock. Forks now wait for writes to finish."""
    settings = settings_for(tmp_path, query_timeout=15)
    store = (
        OxigraphStore.on_disk(tmp_path / "db", settings)
        if on_disk
        else OxigraphStore.in_memory(settings)
    )
    stop = threading.Event()
    errors: list[str] = []
    batches = iter(range(1_000_000))

    def write() -> None:
        while not stop.is_set():
            i = next(batches)
            data = "".join(f'<{EX}w{i}-{j}> <{EX}p> "{j}" .\n' for j in range(100))
            store.load(data.encode(), "application/n-triples", graph=f"{EX}g{i}")

    def read() -> None:
        last = 0
        while not stop.is_set():
            try:
                rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=15)
                count = int(rows[0]["n"].value)  # type: ignore[attr-defined]
            except IkgError as error:
                errors.append(repr(error))
                return
            if count < last:
                errors.append(f"went back from {last} to {count}")
            last = count

    threads = [threading.Thread(target=write) for _ in range(2)]
    threads += [threading.Thread(target=read) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        store.close()
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
