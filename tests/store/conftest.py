"""Fixtures for the store tests: one test, three backends.

- ``oxigraph_server``  a real SPARQL 1.1 server (``oxigraph serve`` from the ``oxigraph``
                       PyPI package) on a free 127.0.0.1 port, for the session; stopped after.
- ``store_factory``    ``store_factory(**settings)`` opens a store of the test's backend;
                       closed at teardown. The remote backend starts from an empty server.
- ``backend``          the backend name: ``oxigraph-disk``, ``oxigraph-memory`` or ``remote``.
- ``any_store``        ``store_factory()`` with default test settings.
- ``recorder``         a loopback HTTP server that records every request path it gets, to
                       prove that refused or dataset-only requests never reach the network.
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import Store
from inclusion_kg.graph.store.oxigraph import OxigraphStore
from inclusion_kg.graph.store.remote import RemoteStore

BACKENDS = ("oxigraph-disk", "oxigraph-memory", "remote")
EX = "http://example.org/"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_test_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "store": "memory",
        "data_dir": tmp_path / "store",
        "load_seeds": False,
        "query_timeout": 20.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve``."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        return self.url + "/update"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    folder = tmp_path_factory.mktemp("oxigraph-server")
    executable = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(executable),
                "serve",
                "--location",
                str(folder / "data"),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = OxigraphServer(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            pytest.fail(f"oxigraph serve exited with {process.returncode}: {log.read_text()}")
        try:
            httpx.post(server.query_url, data={"query": "ASK {}"}, timeout=2)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph serve did not answer within 30 s: {log.read_text()}")
            time.sleep(0.05)
    yield server
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


StoreFactory = Callable[..., Store]


@pytest.fixture
def store_factory(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[StoreFactory]:
    opened: list[Store] = []

    def factory(**overrides: object) -> Store:
        settings = make_test_settings(tmp_path, **overrides)
        store: Store
        if backend == "oxigraph-disk":
            store = OxigraphStore.on_disk(tmp_path / f"disk-{len(opened)}", settings)
        elif backend == "oxigraph-memory":
            store = OxigraphStore.in_memory(settings)
        else:
            server: OxigraphServer = request.getfixturevalue("oxigraph_server")
            store = RemoteStore(server.query_url, server.update_url, settings)
            store.update("DROP ALL")
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def any_store(store_factory: StoreFactory) -> Store:
    return store_factory()


@dataclass
class Recorder:
    """A loopback HTTP server that answers 404 and remembers what was asked."""

    url: str
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    paths: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self) -> None:
            paths.append(self.path)
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_HEAD = _record  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            del format, args

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Recorder(f"http://127.0.0.1:{server.server_address[1]}", paths)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
