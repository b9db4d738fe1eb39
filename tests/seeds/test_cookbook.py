"""The cookbook queries answer the study's questions on the seed data.

Every query runs on pyoxigraph with the default graph as the union of the seed graphs, as the
service runs it. The expected answers are the study's, read off the press releases by hand:
councils with a budget in Palermo and Gdansk [S0]; ADMin4ALL funded by DG EMPL and
implemented by IOM [S0]; interviews in seven countries [S0]; three recommendations [S0];
eye-to-eye partnerships in Thessaloniki, Gdansk and Milan [S2].
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from inclusion_kg.graph.errors import NotFound
from inclusion_kg.graph.namespaces import BASE, graph_iri
from inclusion_kg.graph.queries import CookbookQuery, cookbook, cookbook_query
from inclusion_kg.graph.seeds import STUDY_GRAPHS

ID = BASE + "id/"
STUDY = [str(iri) for iri in STUDY_GRAPHS]
QUERIES = {query.name: query for query in cookbook()}


def _sparql(name: str) -> str:
    return QUERIES[name].sparql


def test_the_cookbook_holds_the_study_questions() -> None:
    assert set(QUERIES) == {
        "actor-provenance",
        "admin4all-funder-implementer",
        "cities-councils-with-budget",
        "contrast-cities",
        "countries-studied",
        "eye-to-eye-cities",
        "partnerships-by-type",
        "people-and-roles",
        "recommendations",
    }
    assert [query.name for query in cookbook()] == sorted(QUERIES)


@pytest.mark.parametrize("query", QUERIES.values(), ids=lambda query: query.name)
def test_every_query_opens_with_title_and_description(query: CookbookQuery) -> None:
    first, second = query.sparql.splitlines()[:2]
    assert first == f"# title: {query.title}"
    assert second == f"# description: {query.description}"
    assert query.title
    assert not query.title.endswith(".")
    assert query.description.endswith(".")


def test_a_query_is_found_by_name() -> None:
    assert cookbook_query("recommendations") == QUERIES["recommendations"]
    with pytest.raises(NotFound, match="recommendations"):
        cookbook_query("no-such-question")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_answers_on_the_seed_store(name: str, seed_store: ox.Store, run: Any) -> None:
    assert run(seed_store, _sparql(name))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_runs_on_the_seeds_alone(
    name: str, seeds_only_store: ox.Store, run: Any
) -> None:
    rows = run(seeds_only_store, _sparql(name))
    # only the actor list needs the ontology's class hierarchy
    assert rows or name == "actor-provenance"


# --- the study's answers --------------------------------------------------------------------

STORES = ["seed_store", "seeds_only_store"]


@pytest.fixture(params=STORES)
def either_store(request: pytest.FixtureRequest) -> ox.Store:
    value = request.getfixturevalue(request.param)
    assert isinstance(value, ox.Store)
    return value


@pytest.mark.parametrize("graphs", [None, STUDY], ids=["all-graphs", "study-graphs"])
def test_councils_with_budget_are_palermo_and_gdansk(
    either_store: ox.Store, run: Any, graphs: list[str] | None
) -> None:
    rows = run(either_store, _sparql("cities-councils-with-budget"), graphs)
    assert [(city, council, right) for city, _, council, _, right in rows] == [
        (f"{ID}city/gdansk", f"{ID}actor/gdansk-migrant-council", "true"),
        (f"{ID}city/palermo", f"{ID}actor/palermo-migrant-council", "true"),
    ]


@pytest.mark.parametrize("graphs", [None, STUDY], ids=["all-graphs", "study-graphs"])
def test_admin4all_is_funded_by_dg_empl_and_implemented_by_iom(
    either_store: ox.Store, run: Any, graphs: list[str] | None
) -> None:
    rows = run(either_store, _sparql("admin4all-funder-implementer"), graphs)
    assert [(role, actor, label) for _, role, actor, label in rows] == [
        (
            "funder",
            f"{ID}actor/dg-empl",
            "Directorate-General for Employment, Social Affairs and Inclusion",
        ),
        ("implementer", f"{ID}actor/iom", "International Organization for Migration"),
    ]


def test_the_iom_release_alone_names_the_european_union_as_funder(
    seed_store: ox.Store, run: Any
) -> None:
    rows = run(seed_store, _sparql("admin4all-funder-implementer"), [str(STUDY_GRAPHS[1])])
    assert {(role, actor) for _, role, actor, _ in rows} == {
        ("funder", f"{ID}actor/european-union"),
        ("implementer", f"{ID}actor/iom"),
    }


@pytest.mark.parametrize("graphs", [None, STUDY], ids=["all-graphs", "study-graphs"])
def test_the_seven_countries_studied(
    either_store: ox.Store, run: Any, graphs: list[str] | None
) -> None:
    rows = run(either_store, _sparql("countries-studied"), graphs)
    assert [(label, code) for _, label, code, _ in rows] == [
        ("Austria", "AT"),
        ("Greece", "GR"),
        ("Italy", "IT"),
        ("Malta", "MT"),
        ("Poland", "PL"),
        ("Romania", "RO"),
        ("Spain", "ES"),
    ]
    assert {report for *_, report in rows} == {
        f"{ID}document/european-cities-on-the-front-line-2020"
    }


def test_three_recommendations_in_order(either_store: ox.Store, run: Any) -> None:
    rows = run(either_store, _sparql("recommendations"))
    assert [(position, label) for position, _, label, *_ in rows] == [
        ("1", "Make migrant inclusion a credible whole-of-community issue"),
        ("2", "Promote inclusive partnerships with civil society"),
        ("3", "Involve immigrants in local democratic processes in ways that are meaningful"),
    ]
    first, second, third = rows
    assert first[3] == "Whole-of-community approach to migrant inclusion"
    assert set(first[4].split()) == {"housing", "education", "employment", "health"}
    assert second[3] == "Inclusive partnerships with civil society"
    assert set(third[3].split(" | ")) == {
        "Meaningful involvement of migrants in local democratic processes",
        "Migrant councils with a budget and leeway for their own initiatives",
    }
    assert {row[5] for row in rows} == {f"{ID}document/european-cities-on-the-front-line-2020"}


@pytest.mark.parametrize("graphs", [None, STUDY], ids=["all-graphs", "study-graphs"])
def test_eye_to_eye_cities_are_thessaloniki_gdansk_and_milan(
    either_store: ox.Store, run: Any, graphs: list[str] | None
) -> None:
    rows = run(either_store, _sparql("eye-to-eye-cities"), graphs)
    assert rows == [
        (f"{ID}city/gdansk", "Gdansk", "Poland"),
        (f"{ID}city/milan", "Milan", "Italy"),
        (f"{ID}city/thessaloniki", "Thessaloniki", "Greece"),
    ]


def test_partnerships_by_type(seed_store: ox.Store, run: Any) -> None:
    rows = run(seed_store, _sparql("partnerships-by-type"))
    counts = {kind.rsplit("/", 1)[1]: (label, int(count)) for kind, label, count, _ in rows}
    assert counts == {
        "consultative": ("consultative body", 2),
        "funding": ("funding", 1),
        "knowledge-exchange": ("knowledge exchange event", 1),
        "research": ("research and publication", 1),
    }
    # the webinar partnership rests on the ADMin4ALL event page: enrichment, not the releases
    study_rows = run(seed_store, _sparql("partnerships-by-type"), STUDY)
    assert sum(int(count) for _, _, count, _ in study_rows) == 4


def test_actor_provenance_tells_releases_from_enrichment(seed_store: ox.Store, run: Any) -> None:
    rows = run(seed_store, _sparql("actor-provenance"))
    by_actor: dict[str, set[tuple[str, str, str | None]]] = {}
    for actor, _, graph, source, confidence in rows:
        by_actor.setdefault(actor.removeprefix(f"{ID}actor/"), set()).add(
            (graph.rsplit("/", 1)[1], source.removeprefix(f"{ID}document/"), confidence)
        )
    assert len(by_actor) == 14
    assert by_actor["palermo-migrant-council"] == {
        ("study-2020-mpi-press-release", "mpi-press-release-2020-05-28", None),
        ("enrichment-palermo-consulta", "http://leolucaorlando.it/la-consulta-delle-culture/", "H"),
    }
    assert by_actor["municipality-of-gdansk"] == {
        ("study-2020-mpi-press-release", "mpi-press-release-2020-05-28", None),
        ("study-2020-iom-press-release", "iom-press-release-2020-05-28", None),
    }
    assert by_actor["iom-rome"] == {
        ("study-2020-iom-press-release", "iom-press-release-2020-05-28", None),
    }
    # every actor is described by at least one press release
    for actor, sources in by_actor.items():
        assert any(graph.startswith("study-2020-") for graph, _, _ in sources), actor


def test_contrast_cities(seed_store: ox.Store, run: Any) -> None:
    everything = run(seed_store, _sparql("contrast-cities"))
    assert [label for _, label, _ in everything] == ["Berlin", "Paris", "Stockholm", "Vienna"]
    # Vienna comes only from MPI Europe's research page (enrichment), not from the releases
    releases = run(seed_store, _sparql("contrast-cities"), STUDY)
    assert [label for _, label, _ in releases] == ["Berlin", "Paris", "Stockholm"]


def test_people_and_their_roles(either_store: ox.Store, run: Any) -> None:
    rows = run(either_store, _sparql("people-and-roles"))
    assert [(name, title, org.rsplit("/", 1)[1]) for _, name, title, org, _ in rows] == [
        ("Flavio Di Giacomo", None, "iom-rome"),
        ("Laurence Hart", "Director", "iom-coordination-office-for-the-mediterranean"),
        ("Liam Patuzzi", "Policy Analyst", "mpi-europe"),
        ("Melissa Julian", None, "iom-regional-office-eu-norway-switzerland-uk"),
        ("Rossella Celmi", None, "iom-coordination-office-for-the-mediterranean"),
    ]


def test_the_ontology_graph_is_where_the_service_keeps_it(seed_store: ox.Store) -> None:
    assert ox.NamedNode(str(graph_iri("ontology"))) in set(seed_store.named_graphs())
