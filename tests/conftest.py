"""Fixtures shared by the whole suite: settings, stores, the app, and real servers.

- ``settings``        memory store, token ``test-token``, no seeds (fast, empty); override
                      it in a test module (``@pytest.fixture def settings(...)``) to change
                      what ``client``, ``live_server`` and ``store`` get.
- ``seeded_settings`` the same with ``load_seeds=True``; ``settings_factory(**changes)``
                      builds variants.
- ``store``           an in-memory :class:`OxigraphStore` for ``settings``, closed after.
- ``seeded_store``    one seeded in-memory store for the whole session (do not write to it).
- ``client``          ``with TestClient(create_app(settings))`` (lifespan runs).
- ``seeded_client``   the same over ``seeded_settings``.
- ``live_server``     the app under uvicorn in a thread on 127.0.0.1, port 0; yields the
                      base URL and stops cleanly (after httpx's ``TestServer``).
- ``http``            an ``httpx.Client`` on ``live_server`` (generous timeout).
- ``live_server_factory(settings)`` starts more live servers (stopped at teardown).
- ``ikg_serve``       the real ``ikg serve`` command as a subprocess on a free port with a
                      fresh data dir and ``IKG_API_TOKEN``; yields a :class:`ServeProcess`.
- ``ikg_serve_factory(data_dir)`` starts more (stopped at teardown); ``.stop()`` ends one.
- ``auth``            the ``Authorization`` header for ``test-token``.

Every wait is bounded; servers bind 127.0.0.1 only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from inclusion_kg.api.app import create_app
from inclusion_kg.graph.settings import Settings
from inclusion_kg.graph.store import Store

TOKEN = "test-token"  # noqa: S105 - the token of test servers only
HTTP_TIMEOUT = 120.0
"""Seconds a test client waits for an answer."""
STARTUP_LIMIT = 120.0
"""Seconds a server may take to start before a fixture gives up (seeding included)."""


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a test: memory store, token, no seeds; ignores ``IKG_*`` and ``.env``."""
    values: dict[str, object] = {
        "store": "memory",
        "data_dir": tmp_path / "store",
        "api_token": TOKEN,
        "load_seeds": False,
        "query_timeout": 10.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    """``settings_factory(max_upload_bytes=1000)``: test settings with some values changed."""

    def factory(**overrides: object) -> Settings:
        return make_settings(tmp_path, **overrides)

    return factory


@pytest.fixture
def seeded_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, load_seeds=True)


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    from inclusion_kg.graph.store.oxigraph import OxigraphStore

    opened = OxigraphStore.in_memory(settings)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One in-memory store with the ontology and seeds, shared by the session: read only!"""
    from inclusion_kg.graph.bootstrap import ensure_seeded
    from inclusion_kg.graph.store.oxigraph import OxigraphStore

    opened = OxigraphStore.in_memory(make_settings(tmp_path_factory.mktemp("seeded")))
    ensure_seeded(opened)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def seeded_client(seeded_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_settings)) as test_client:
        yield test_client


class _ThreadServer(uvicorn.Server):
    """uvicorn in a background thread (signals stay with the main thread)."""

    def run_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="live-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + STARTUP_LIMIT
        while not self.started:
            if not thread.is_alive():
                msg = "the live server stopped during start-up (see the log above)"
                raise RuntimeError(msg)
            if time.monotonic() > deadline:
                self.should_exit = True
                msg = f"the live server did not start within {STARTUP_LIMIT:.0f} s"
                raise RuntimeError(msg)
            time.sleep(0.02)
        return thread

    @property
    def port(self) -> int:
        (server,) = self.servers
        port: int = server.sockets[0].getsockname()[1]
        return port


def serve_app(settings: Settings) -> Iterator[str]:
    """Serve ``create_app(settings)`` on 127.0.0.1:0 in a thread; yield its base URL."""
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )
    server = _ThreadServer(config)
    thread = server.run_in_thread()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def live_server(settings: Settings) -> Iterator[str]:
    yield from serve_app(settings)


@pytest.fixture
def http(live_server: str) -> Iterator[httpx.Client]:
    """An httpx client on ``live_server`` with a generous timeout (CI machines are busy)."""
    with httpx.Client(base_url=live_server, timeout=HTTP_TIMEOUT) as client:
        yield client


@pytest.fixture
def live_server_factory() -> Iterator[Callable[[Settings], str]]:
    """``live_server_factory(settings)`` starts another live server; all stop at teardown."""
    with ExitStack() as stack:

        def start(settings: Settings) -> str:
            return stack.enter_context(contextmanager(serve_app)(settings))

        yield start


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ServeProcess:
    """A running ``ikg serve``: its base URL, data dir, token, and start-up time."""

    url: str
    data_dir: Path
    token: str
    process: subprocess.Popen[bytes]
    startup_seconds: float
    log_path: Path

    def log(self) -> str:
        """Return what the server printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> int:
        """Stop the server (SIGTERM, then SIGKILL after 15 s) and return its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        return self.process.returncode


def _ikg_executable() -> str:
    candidate = Path(sys.executable).with_name("ikg")
    return str(candidate) if candidate.exists() else "ikg"


def start_ikg_serve(data_dir: Path, log_path: Path) -> ServeProcess:
    """Start ``ikg serve`` on a free port over ``data_dir`` and wait (bounded) for /health."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("IKG_")  # the developer's own settings must not leak in
    }
    env["IKG_API_TOKEN"] = TOKEN
    command = [
        _ikg_executable(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--log-level",
        "warning",
    ]
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    served = ServeProcess(url, data_dir, TOKEN, process, 0.0, log_path)
    deadline = started + STARTUP_LIMIT
    while True:
        if process.poll() is not None:
            pytest.fail(f"ikg serve exited with {process.returncode}:\n{served.log()}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            served.stop()
            limit = f"{STARTUP_LIMIT:.0f} s"
            pytest.fail(f"ikg serve did not answer /health within {limit}:\n{served.log()}")
        time.sleep(0.1)
    served.startup_seconds = time.monotonic() - started
    return served


@pytest.fixture
def ikg_serve_factory(tmp_path: Path) -> Iterator[Callable[[Path], ServeProcess]]:
    started: list[ServeProcess] = []

    def start(data_dir: Path) -> ServeProcess:
        served = start_ikg_serve(data_dir, tmp_path / f"ikg-serve-{len(started)}.log")
        started.append(served)
        return served

    try:
        yield start
    finally:
        for served in started:
            served.stop()


@pytest.fixture
def ikg_serve(ikg_serve_factory: Callable[[Path], ServeProcess], tmp_path: Path) -> ServeProcess:
    return ikg_serve_factory(tmp_path / "data")
