"""``ikg load`` against pyoxigraph's own loader, in one run, on the generator's data.

Three ways of filling an empty on-disk store with the same N-Quads file (the generator's
data, ``bench/generate.py``: one named graph per city, conforming to the shapes), each in a
fresh process and a fresh store, interleaved, ``--runs`` times:

- ``pyoxigraph Store.load`` (the reference): ``Store(dir).load(path=FILE)``, one
  transaction, in a bare Python process;
- ``ikg load --no-validate FILE``: parse, describe each graph (PROV-O), write in one
  transaction;
- ``ikg load FILE``: the same plus the SHACL gate over the whole batch (graph/screen.py).

Times are wall clock of the whole process (start-up, parse, validation, write, close),
medians over the runs; throughput is the file's quads over that time; ratios are to the
reference's median (the target: ``ikg load`` >= 0.5x). The stores are opened without
seeds (``IKG_LOAD_SEEDS=false``). ``--breakdown`` adds one in-process validated load that
times its stages.

Usage::

    python -m bench.load --triples 100000            # writes bench/results/load-N.json
    python -m bench.load --triples 1000000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET = 0.5

_REFERENCE = """
import sys, time
import pyoxigraph as ox
t0 = time.perf_counter()
store = ox.Store(sys.argv[2])
store.load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
del store
print(time.perf_counter() - t0)
"""


def _data(triples: int, seed: int, work: Path) -> tuple[Path, int]:
    from bench.generate import generate

    data = work / f"data-{triples}-{seed}.nq"
    if not data.exists():
        with data.open("w", encoding="utf-8") as out:
            for line in generate(triples, seed, quads=True):
                out.write(line)
    with data.open("rb") as lines:
        quads = sum(1 for _ in lines)
    return data, quads


def _ikg() -> str:
    found = Path(sys.executable).with_name("ikg")
    return str(found) if found.exists() else "ikg"


def _timed(cmd: list[str], env: dict[str, str] | None, timeout: float) -> tuple[float, str]:
    """Run ``cmd``; return its wall time (inf past the timeout) and its stdout."""
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return float("inf"), ""
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        msg = f"{cmd[:3]} failed with exit code {done.returncode}"
        raise SystemExit(msg)
    return elapsed, done.stdout


def _one(mode: str, data: Path, store: Path, timeout: float) -> float:
    if store.exists():
        shutil.rmtree(store)
    if mode == "reference":
        seconds, _ = _timed(
            [sys.executable, "-c", _REFERENCE, str(data), str(store)], None, timeout
        )
    else:
        env = {key: value for key, value in os.environ.items() if not key.startswith("IKG_")}
        env.update(IKG_DATA_DIR=str(store), IKG_STORE="oxigraph", IKG_LOAD_SEEDS="false")
        flag = ["--no-validate"] if mode == "ikg load --no-validate" else []
        seconds, out = _timed([_ikg(), "load", *flag, "-o", "json", str(data)], env, timeout)
        if out and json.loads(out)[0]["report"] not in (None,) and mode == "ikg load":
            counts = json.loads(out)[0]["report"]["counts"]
            _log(f"  report: {counts}")
    shutil.rmtree(store, ignore_errors=True)
    return seconds


def _breakdown(data: Path, store: Path) -> dict[str, float]:
    """One validated load in this process, timed by stage."""
    from inclusion_kg.graph.load import Document, load_documents
    from inclusion_kg.graph.screen import _screens
    from inclusion_kg.graph.settings import Settings
    from inclusion_kg.graph.store.oxigraph import OxigraphStore

    if store.exists():
        shutil.rmtree(store)
    marks: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    _screens()  # the shapes, compiled once per process
    marks.append(("shapes", time.perf_counter()))
    opened = OxigraphStore.on_disk(store, Settings(_env_file=None, load_seeds=False))  # type: ignore[call-arg]
    document = Document(data.read_bytes(), "application/n-quads", data.name)
    marks.append(("open + read", time.perf_counter()))
    load_documents(opened, [document], stage=lambda what: marks.append((what, time.perf_counter())))
    marks.append(("done", time.perf_counter()))
    opened.close()
    marks.append(("close", time.perf_counter()))
    shutil.rmtree(store, ignore_errors=True)
    names = ["shapes", "open + read", "parse + describe", "validate", "write", "close"]
    times = [t0] + [t for _, t in marks]
    return {name: times[i + 1] - times[i] for i, name in enumerate(names)}


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--triples", type=int, default=100_000, help="about this many (100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each mode (3)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per load (1800)")
    parser.add_argument("--workdir", type=Path, default=None, help="where data and stores go")
    parser.add_argument("--breakdown", action="store_true", help="also time the stages once")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ikg-bench-load-", dir=args.workdir))
    modes = ["reference", "ikg load --no-validate", "ikg load"]
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    load_before = os.getloadavg()
    try:
        data, quads = _data(args.triples, args.seed, work)
        _log(f"data: {quads:,} quads, {data.stat().st_size / 1e6:.1f} MB ({data})")
        for run in range(args.runs):
            for mode in modes:
                seconds = _one(mode, data, work / "store", args.timeout)
                times[mode].append(seconds)
                _log(f"run {run + 1}/{args.runs}  {mode:<24} {seconds:8.2f} s")
        stages = _breakdown(data, work / "store") if args.breakdown else {}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    reference = statistics.median(times["reference"])
    rows: list[dict[str, Any]] = []
    print(f"\nLoading {quads:,} quads into an empty on-disk store; medians of {args.runs} runs")
    print(f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} (1 min)\n")
    print(f"{'mode':<26}{'median s':>10}{'min s':>9}{'max s':>9}{'quads/s':>11}{'ratio':>8}")
    for mode in modes:
        median = statistics.median(times[mode])
        rate = quads / median if median else 0.0
        ratio = reference / median if median else 0.0
        rows.append(
            {"mode": mode, "seconds": times[mode], "median": median, "rate": rate, "ratio": ratio}
        )
        print(
            f"{mode:<26}{median:>10.2f}{min(times[mode]):>9.2f}{max(times[mode]):>9.2f}"
            f"{rate:>11,.0f}{ratio:>7.2f}x"
        )
    for row in rows[1:]:
        verdict = "met" if row["ratio"] >= TARGET else "NOT met"
        print(f"target {row['mode']} >= {TARGET}x reference: {verdict} ({row['ratio']:.2f}x)")
    if stages:
        print(
            "\nstages of one validated load (in process): "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items())
        )
    results = Path(__file__).with_name("results")
    results.mkdir(exist_ok=True)
    out = results / f"load-{args.triples}.json"
    out.write_text(
        json.dumps(
            {
                "quads": quads,
                "runs": args.runs,
                "loadavg": [load_before, load_after],
                "modes": rows,
                "stages": stages,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
