"""Start-up time of ``ikg serve`` on a fresh data directory (issue 3: under 5 s).

``python -m bench.startup [--runs 5]`` starts ``ikg serve`` ``--runs`` times, each on a new
empty ``IKG_DATA_DIR`` (so the ontology and seeds are loaded every time) and a free
loopback port, and measures the wall time from ``Popen`` to the first ``GET /health``
that answers 200. uvicorn accepts connections only after the lifespan (store opened, seeds
loaded) has finished, so that 200 means "seeds loaded, /health green". Besides the wall
time it reports the CPU time the server process had used by then (user + system, from
``/proc``), which moves much less than the wall time when the machine is busy.

For reference it does the same with ``oxigraph serve`` on an empty store (first answer to
``ASK {}``), and it times the phases of our start-up in fresh interpreters:

- ``python``: the bare interpreter (``python -c pass``);
- ``import + create_app``: ``create_app(Settings())``, i.e. every router imported;
- ``open + seed``: ``open_store`` + ``ensure_seeded`` on an empty on-disk store.

Medians (and min/max) of the runs are printed; ``uptime`` is printed first, because the
figures move with the machine's load.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.sparql import free_port, stop, tool

POLL_S = 0.01
DEADLINE_S = 120.0

PHASES: dict[str, str] = {
    "python": "pass",
    "import + create_app": (
        "from inclusion_kg.api.app import create_app\n"
        "from inclusion_kg.graph.settings import Settings\n"
        "create_app(Settings())"
    ),
    "open + seed": (
        "import sys\n"
        "from pathlib import Path\n"
        "from inclusion_kg.graph.bootstrap import ensure_seeded\n"
        "from inclusion_kg.graph.settings import Settings\n"
        "from inclusion_kg.graph.store import open_store\n"
        "import time\n"
        "t0 = time.perf_counter()\n"
        "store = open_store(Settings(data_dir=Path(sys.argv[1]), store='oxigraph'))\n"
        "ensure_seeded(store)\n"
        "store.close()\n"
        "print(time.perf_counter() - t0)"
    ),
}


def _status(port: int, path: str) -> int | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return None
    finally:
        conn.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (Linux ``/proc``; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_ready(
    cmd: list[str], port: int, path: str, env: dict[str, str], log: Path
) -> tuple[float, float]:
    """Wall and CPU seconds from starting ``cmd`` until ``GET path`` answers 200."""
    with log.open("ab") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,
        )
    try:
        while time.perf_counter() - t0 < DEADLINE_S:
            if _status(port, path) == 200:
                return time.perf_counter() - t0, cpu_seconds(proc.pid)
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                msg = f"{cmd[0]} exited with {proc.returncode}; the end of its log:\n{tail}"
                raise RuntimeError(msg)
            time.sleep(POLL_S)
        msg = f"{cmd[0]} not ready after {DEADLINE_S:.0f} s; see {log}"
        raise RuntimeError(msg)
    finally:
        stop(proc)


def ikg_serve(work: Path, i: int, extra_env: dict[str, str] | None = None) -> tuple[float, float]:
    ikg = tool("ikg")
    if ikg is None:
        msg = "ikg is not installed: make setup"
        raise RuntimeError(msg)
    port = free_port()
    env = {
        "IKG_DATA_DIR": str(work / f"ikg-{i}"),
        "IKG_STORE": "oxigraph",
        "IKG_LOAD_SEEDS": "true",
        "IKG_HOST": "127.0.0.1",
        "IKG_PORT": str(port),
        **(extra_env or {}),
    }
    return time_to_ready([ikg, "serve"], port, "/health", env, work / "ikg.log")


def oxigraph_serve(work: Path, i: int) -> tuple[float, float] | None:
    exe = tool("oxigraph")
    if exe is None:
        return None
    port = free_port()
    cmd = [exe, "serve", "--location", str(work / f"ox-{i}"), "--bind", f"127.0.0.1:{port}"]
    return time_to_ready(cmd, port, "/query?query=ASK%7B%7D", {}, work / "oxigraph.log")


def phase(name: str, work: Path, i: int) -> float:
    """Wall time of one phase in a fresh interpreter (``open + seed`` times itself)."""
    where = work / f"phase-{name.split()[0]}-{i}"
    args = [sys.executable, "-c", PHASES[name], str(where)]
    t0 = time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=DEADLINE_S)
    wall = time.perf_counter() - t0
    return float(out.stdout.strip()) if name == "open + seed" else wall


def _line(name: str, values: list[float]) -> str:
    return (
        f"{name:<24} median {statistics.median(values):6.2f} s   "
        f"min {min(values):6.2f}   max {max(values):6.2f}   (n={len(values)})"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    p.add_argument("--runs", type=int, default=5, help="runs of each measurement (5)")
    p.add_argument("--skip-oxigraph", action="store_true", help="do not time oxigraph serve")
    p.add_argument("--skip-phases", action="store_true", help="do not time the phases")
    args = p.parse_args(argv)

    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(f"cpus: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="ikg-startup-") as tmp:
        work = Path(tmp)
        ours: list[tuple[float, float]] = []
        ox: list[tuple[float, float]] = []
        for i in range(args.runs):  # interleaved, so load changes hit both alike
            ours.append(ikg_serve(work, i))
            if not args.skip_oxigraph:
                t = oxigraph_serve(work, i)
                if t is not None:
                    ox.append(t)
        print(_line("ikg serve -> /health 200", [wall for wall, _ in ours]))
        print(_line("  its CPU time by then", [cpu for _, cpu in ours]))
        if ox:
            print(_line("oxigraph serve (empty)", [wall for wall, _ in ox]))
        elif not args.skip_oxigraph:
            print("oxigraph serve: skipped (the oxigraph CLI is missing: pip install oxigraph)")
        if not args.skip_phases:
            for name in PHASES:
                print(_line(name, [phase(name, work, i) for i in range(args.runs)]))
        met = "met" if statistics.median(wall for wall, _ in ours) < 5.0 else "NOT met"
        print(f"target (issue 3): ready in under 5 s on a fresh data directory: {met}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
