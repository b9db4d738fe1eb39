"""``python -m bench [generate|sparql|analytics] ...``: the benchmarks of inclusion-kg.

Without a sub-command it runs everything: the generator's throughput, then the SPARQL
benchmark (``sparql`` options are accepted, e.g. ``python -m bench --triples 1000000``).
"""

from __future__ import annotations

import sys
import time


def _generator_throughput(n: int = 200_000) -> None:
    from bench.generate import generate

    t0 = time.perf_counter()
    count = sum(1 for _ in generate(n, 1, quads=True))
    dt = time.perf_counter() - t0
    print(f"generator: {count:,} quads in {dt:.2f} s ({count / dt:,.0f} quads/s)")


def main(argv: list[str]) -> int:
    if argv and argv[0] == "generate":
        from bench.generate import main as gen_main

        return gen_main(argv[1:])
    if argv and argv[0] == "analytics":
        from bench.analytics import main as analytics_main

        return analytics_main(argv[1:])
    if argv and argv[0] == "sparql":
        from bench.sparql import main as sparql_main

        return sparql_main(argv[1:])
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    from bench.sparql import main as sparql_main

    _generator_throughput()
    return sparql_main(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
