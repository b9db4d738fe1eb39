"""Time OWL reasoning (HermiT via owlready2) on the ontology alone and on synthetic data.

Usage::

    python -m bench.reasoning                       # ontology alone, ~1k and ~10k individuals
    python -m bench.reasoning --individuals 1000 --property-values hermit

The data come from :mod:`bench.generate` (seeded, contract-conforming N-Quads). The
generator is sized in triples, so the script grows the triple count until the data hold at
least the requested number of distinct subjects (individuals), then reports what HermiT
realised. Timings are wall-clock seconds on this machine, one run each; the JVM start
(about 1 s) is part of every HermiT figure.
"""

from __future__ import annotations

import argparse
import time

from rdflib import Dataset, URIRef

from bench.generate import generate
from inclusion_kg.graph.reason import PropertyValues, reason

__all__ = ["main", "synthetic_dataset"]


def synthetic_dataset(individuals: int, seed: int = 1) -> Dataset:
    """Return generated data with at least ``individuals`` distinct IRI subjects."""
    n_triples = max(1000, individuals * 5)
    for _ in range(12):
        dataset = Dataset()
        dataset.parse(data="".join(generate(n_triples, seed, quads=True)), format="nquads")
        subjects = {s for s, _, _, _ in dataset.quads((None, None, None, None))}
        found = sum(1 for s in subjects if isinstance(s, URIRef))
        if found >= individuals:
            return dataset
        n_triples = int(n_triples * individuals / max(found, 1) * 1.05) + 100
    return dataset


def _row(label: str, data: Dataset | None, property_values: PropertyValues) -> None:
    started = time.perf_counter()
    report = reason(data, property_values=property_values)
    wall = time.perf_counter() - started
    d = report.durations
    print(
        f"{label:<22} {len(data) if data is not None else 0:>8,} {report.individuals:>8,} "
        f"{len(report.inferred):>9,} {d.prepare:>8.2f} {d.hermit:>8.2f} {d.inference:>8.2f} "
        f"{wall:>8.2f}  {'consistent' if report.consistent else 'INCONSISTENT'}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the reasoning benchmark and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--individuals", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--property-values", choices=["rules", "hermit", "none"], default="rules")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(
        f"{'data':<22} {'triples':>8} {'realised':>8} {'inferred':>9} {'prepare':>8} "
        f"{'hermit':>8} {'infer':>8} {'total':>8}"
    )
    _row("ontology alone", None, args.property_values)
    for n in args.individuals:
        _row(f"~{n:,} individuals", synthetic_dataset(n, args.seed), args.property_values)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
