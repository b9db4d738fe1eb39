"""``ikg analyze``: the partnership network's metrics and the study's indicators per city."""

from __future__ import annotations

import time
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from inclusion_kg.api.cli._app import OutputFormat, app, handle_errors, print_json
from inclusion_kg.api.cli._store import (
    DataDirOption,
    StoreOption,
    opened_store,
    store_settings,
    table_console,
)
from inclusion_kg.graph.errors import InputError, NotFound

__all__ = ["analyze"]


def _date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        msg = f"{flag} expects a date as YYYY-MM-DD, got {value!r}"
        raise InputError(msg) from None


def _actor(graph: Any, value: str) -> str:
    """Find an actor of the network by IRI, slug or label (case-insensitive)."""
    if value in graph:
        return value
    wanted = value.casefold()
    found = [
        node
        for node, data in graph.nodes(data=True)
        if node.rsplit("/", 1)[-1].casefold() == wanted
        or str(data.get("label", "")).casefold() == wanted
    ]
    if len(found) == 1:
        return str(found[0])
    if not found:
        msg = f"no actor {value!r} in this network (give its IRI, slug or label)"
        raise NotFound(msg)
    msg = f"{value!r} names several actors: {', '.join(sorted(found))}; give the IRI"
    raise InputError(msg)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


@app.command()
@handle_errors
def analyze(
    city: Annotated[
        list[str] | None, typer.Option("--city", help="City IRI, slug or label (repeatable).")
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="Country IRI, slug, label or ISO code (repeatable)."),
    ] = None,
    policy_area: Annotated[
        list[str] | None,
        typer.Option("--policy-area", help="Policy-area concept, slug or label (repeatable)."),
    ] = None,
    actor_type: Annotated[
        list[str] | None,
        typer.Option("--actor-type", help="Actor type: NGO, migrant-council, … (repeatable)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Ties active on this date (YYYY-MM-DD).")
    ] = None,
    from_year: Annotated[
        int | None, typer.Option("--from", help="First year of a period (inclusive).")
    ] = None,
    to_year: Annotated[
        int | None, typer.Option("--to", help="Last year of a period (inclusive).")
    ] = None,
    formal_only: Annotated[
        bool, typer.Option("--formal-only", help="Only formal agreements (formality rank 4).")
    ] = False,
    min_sources: Annotated[
        int, typer.Option("--min-sources", min=0, help="Ties backed by at least N documents.")
    ] = 0,
    layer: Annotated[
        str, typer.Option("--layer", help="partnerships, funding (shared projects) or services.")
    ] = "partnerships",
    output: Annotated[
        OutputFormat, typer.Option("--format", "--output", "-o", help="table or json.")
    ] = OutputFormat.table,
    explain: Annotated[
        tuple[str, str] | None,
        typer.Option("--explain", help="Explain the tie between two actors (IRI, slug or label)."),
    ] = None,
    compare_dates: Annotated[
        tuple[str, str] | None,
        typer.Option("--compare", help="List ties formed and dissolved between two dates."),
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Replace the analytics graph with the results.")
    ] = False,
    language: Annotated[
        str, typer.Option("--lang", help="Label language (English fallback).")
    ] = "en",
    aggregate_units: Annotated[
        bool,
        typer.Option("--aggregate-units", help="Merge sub-organisations into their parent."),
    ] = False,
    backend: Annotated[
        str, typer.Option("--backend", help="auto, networkx or fast (igraph/networkit/scipy).")
    ] = "auto",
    seed: Annotated[int, typer.Option("--seed", help="Seed of Louvain and sampling.")] = 42,
    top: Annotated[int, typer.Option("--top", min=1, help="Actors listed per ranking.")] = 10,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Project the partnership network from the store and report its metrics and indicators.

    Ties are weighted by partnership strength (docs/analytics.md). Filters combine: --city
    keeps the city's actors and their partners anywhere; --as-of or --from/--to keep ties
    active then; --formal-only and --min-sources keep well-evidenced ties.
    """
    from inclusion_kg.graph.network.indicators import city_indicators
    from inclusion_kg.graph.network.metrics import MetricsConfig, compute_metrics
    from inclusion_kg.graph.network.projection import (
        NetworkFilter,
        Period,
        build_network,
        fetch,
    )
    from inclusion_kg.graph.network.timeline import compare
    from inclusion_kg.graph.network.writeback import write_analytics

    period = Period(as_of=_date(as_of, "--as-of"), from_year=from_year, to_year=to_year)
    network_filter = NetworkFilter(
        cities=frozenset(city or ()),
        countries=frozenset(country or ()),
        policy_areas=frozenset(policy_area or ()),
        actor_types=frozenset(actor_type or ()),
        period=period,
        min_formality_rank=4 if formal_only else 0,
        min_sources=min_sources,
    )
    config = MetricsConfig(backend=backend, seed=seed)  # type: ignore[arg-type]
    dates = (
        (_date(compare_dates[0], "--compare"), _date(compare_dates[1], "--compare"))
        if compare_dates
        else None
    )
    settings = store_settings(data_dir, store)
    err = Console(stderr=True)
    started = datetime.now(UTC)
    with opened_store(settings) as opened:
        with err.status("reading the store…"):
            tick = time.perf_counter()
            raw = fetch(opened, language)
            read_seconds = time.perf_counter() - tick
        with err.status("projecting and computing metrics…"):
            network = build_network(
                raw, network_filter, layer=layer, language=language, aggregate_units=aggregate_units
            )
            metrics = compute_metrics(network.graph, config)
            partnerships = (
                network
                if layer == "partnerships"
                else build_network(
                    raw, network_filter, language=language, aggregate_units=aggregate_units
                )
            )
            indicators = city_indicators(partnerships)
        explanation = None
        if explain is not None:
            a, b = (_actor(network.graph, x) for x in explain)
            explanation = network.explain(a, b)
        change = None
        if dates is not None:
            first, second = dates
            if first is None or second is None:  # pragma: no cover - _date gave both
                msg = "--compare expects two dates"
                raise InputError(msg)
            change = compare(
                raw,
                first,
                second,
                replace(network_filter, period=Period()),
                layer=layer,
                language=language,
                aggregate_units=aggregate_units,
            )
        written = None
        if write:
            with err.status("writing the analytics graph…"):
                written = write_analytics(
                    opened, network, metrics, indicators, started=started, base=settings.base_iri
                )
    if output is OutputFormat.json:
        print_json(
            {
                "network": network.metadata | {"read_seconds": round(read_seconds, 3)},
                "metrics": metrics.as_dict(),
                "indicators": {k: v.as_dict() for k, v in indicators.items()},
                "explain": explanation.as_dict() if explanation else None,
                "compare": change.as_dict() if change else None,
                "written": asdict(written) if written else None,
            }
        )
        return
    _print_tables(network, metrics, indicators, top)
    console = table_console()
    if explanation is not None:
        table = Table("component", "value", "weight", "contribution", title="Tie explanation")
        for name, value in explanation.components.items():
            table.add_row(
                name,
                _fmt(value),
                _fmt(explanation.weights[name], 2),
                _fmt(explanation.contributions[name]),
            )
        table.add_row("strength", _fmt(explanation.score), "", "")
        console.print(table)
        for detail in explanation.extra.get("partnership_details", []):
            console.print(f"  {detail['label'] or detail['iri']}  ({detail['iri']})")
    if change is not None:
        console.print(
            f"{change.as_of_a} → {change.as_of_b}: {len(change.formed)} ties formed, "
            f"{len(change.dissolved)} dissolved, {len(change.persisted)} persisted; "
            f"{len(change.actors_entered)} actors entered, {len(change.actors_left)} left"
        )
    if written is not None:
        counts = f"{written.triples} triples ({written.measurements} measurements)"
        err.print(f"wrote {counts} to {written.graph}")


def _print_tables(network: Any, metrics: Any, indicators: Any, top: int) -> None:
    console = table_console()
    summary = metrics.summary
    aggregated = "yes" if network.metadata["aggregated_units"] else "no"
    console.print(
        f"[bold]{network.layer} network[/bold] as of {network.reference}: "
        f"{summary['nodes']} actors, {summary['edges']} ties, density {_fmt(summary['density'])}, "
        f"{summary['components']} components; sub-organisations merged: {aggregated}"
    )
    labels = {n: d.get("label", n) for n, d in network.graph.nodes(data=True)}
    ranking = Table(
        "actor",
        "type",
        "city",
        "strength",
        "pagerank",
        "betweenness",
        "constraint",
        "core",
        title=f"Top {top} actors by strength",
    )
    for node, _ in metrics.top("strength", top):
        data = network.graph.nodes[node]
        values = metrics.nodes[node]
        ranking.add_row(
            str(labels[node]),
            str(data.get("actor_type_label", "")),
            str(data.get("city_label", "")),
            _fmt(values["strength"]),
            _fmt(values["pagerank"]),
            _fmt(values["betweenness"]),
            _fmt(values["constraint"]),
            _fmt(values["core"]),
        )
    console.print(ranking)
    cross = metrics.cross_sector
    points = ", ".join(str(labels[p]) for p in metrics.articulation_points[:top])
    console.print(
        f"communities {len(metrics.communities)} (modularity {_fmt(metrics.modularity)}); "
        f"bridges {len(metrics.bridges)}; articulation points {len(metrics.articulation_points)}"
        f"{' (' + points + ')' if points else ''}; "
        f"cross-sector tie share {_fmt(cross.share)} (E-I {_fmt(cross.ei_index)}); "
        f"assortativity by type {_fmt(metrics.assortativity)}"
    )
    cities = Table(
        "city",
        "actors",
        "density",
        "coverage",
        "civil-society ties",
        "their strength",
        "equality",
        "migrant participation",
        title="Indicators per city",
    )
    for iri, result in indicators.items():
        density = metrics.density_by_city.get(iri)
        participation = result.migrant_participation
        parts = (
            f"{_fmt(participation.score, 2)} (council {_fmt(participation.council_exists)}, "
            f"budget {_fmt(participation.has_budget)}, initiative "
            f"{_fmt(participation.has_own_initiative_right)})"
        )
        cities.add_row(
            result.label,
            _fmt(density.actors if density else 0),
            _fmt(density.density if density else None),
            f"{_fmt(result.coverage.share, 2)} ({len(result.coverage.covered)} areas)",
            f"{_fmt(result.civil_society.share, 2)} of {result.civil_society.ties}",
            _fmt(result.civil_society.mean_strength),
            _fmt(result.civil_society.mean_equality),
            parts,
        )
    console.print(cities)
    methods = Table("metric", "backend", "algorithm", "exact", "seconds", "note", title="Methods")
    for name, method in metrics.methods.items():
        methods.add_row(
            name,
            method.backend,
            method.algorithm,
            _fmt(method.exact),
            f"{method.seconds:.3f}",
            method.note,
        )
    console.print(methods)
