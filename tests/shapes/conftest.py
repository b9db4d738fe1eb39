"""Fixtures for the shape tests: a valid graph, and one-edit variants of it.

``data/valid.ttl`` holds one of everything the data contract describes and satisfies every
shape (no Violation, Warning or Info). A test breaks one thing with ``kit.check(remove=…,
add=…)`` and asserts the one result that the break must produce (``kit.only``) or the exact
set of shapes that fire (``kit.shapes_of``). Prefixes for the edits are those of ``valid.ttl``
(``actor:``, ``partnership:``, ``pt:`` …), written once here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import Dataset, Graph, URIRef

from inclusion_kg.graph.validate import IKGSH, ValidationReport, ValidationResult, validate_graph

DATA = Path(__file__).parent / "data"

PREFIXES: dict[str, str] = {
    "ikg": "https://w3id.org/inclusion-kg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "org": "http://www.w3.org/ns/org#",
    "graph": "https://w3id.org/inclusion-kg/graph/",
    "country": "https://w3id.org/inclusion-kg/id/country/",
    "region": "https://w3id.org/inclusion-kg/id/region/",
    "city": "https://w3id.org/inclusion-kg/id/city/",
    "actor": "https://w3id.org/inclusion-kg/id/actor/",
    "partnership": "https://w3id.org/inclusion-kg/id/partnership/",
    "participation": "https://w3id.org/inclusion-kg/id/participation/",
    "project": "https://w3id.org/inclusion-kg/id/project/",
    "programme": "https://w3id.org/inclusion-kg/id/programme/",
    "amount": "https://w3id.org/inclusion-kg/id/amount/",
    "service": "https://w3id.org/inclusion-kg/id/service/",
    "practice": "https://w3id.org/inclusion-kg/id/practice/",
    "recommendation": "https://w3id.org/inclusion-kg/id/recommendation/",
    "event": "https://w3id.org/inclusion-kg/id/event/",
    "document": "https://w3id.org/inclusion-kg/id/document/",
    "agent": "https://w3id.org/inclusion-kg/id/agent/",
    "pt": "https://w3id.org/inclusion-kg/vocab/partnership-type/",
    "fm": "https://w3id.org/inclusion-kg/vocab/formality/",
    "eq": "https://w3id.org/inclusion-kg/vocab/role-equality/",
    "pa": "https://w3id.org/inclusion-kg/vocab/policy-area/",
    "rt": "https://w3id.org/inclusion-kg/vocab/resource-type/",
    "role": "https://w3id.org/inclusion-kg/vocab/partner-role/",
    "tg": "https://w3id.org/inclusion-kg/vocab/target-group/",
    "ls": "https://w3id.org/inclusion-kg/vocab/legal-status/",
    "ms": "https://w3id.org/inclusion-kg/vocab/member-selection/",
}
TURTLE_PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def iri(curie: str) -> URIRef:
    """Expand ``actor:iom`` with the prefixes above."""
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def edit(base: Graph, *, remove: str = "", add: str = "") -> Graph:
    """Copy ``base``, delete what the SPARQL pattern ``remove`` matches, add Turtle ``add``."""
    graph = Graph()
    for triple in base:
        graph.add(triple)
    if remove:
        graph.update(SPARQL_PREFIXES + f"DELETE WHERE {{ {remove} }}")
    if add:
        graph.parse(data=TURTLE_PREFIXES + add, format="turtle")
    return graph


@dataclass(frozen=True)
class Kit:
    """What the shape tests share (test modules cannot import conftest in importlib mode)."""

    valid: Graph

    TURTLE_PREFIXES: ClassVar[str] = TURTLE_PREFIXES

    @staticmethod
    def iri(curie: str) -> URIRef:
        """Expand a prefixed name of valid.ttl (``actor:iom``)."""
        return iri(curie)

    def graph(self, *, remove: str = "", add: str = "") -> Graph:
        """``valid.ttl`` after one edit (see :func:`edit`)."""
        return edit(self.valid, remove=remove, add=add)

    def check(self, *, remove: str = "", add: str = "") -> ValidationReport:
        """Validate ``valid.ttl`` after one edit."""
        return validate_graph(self.graph(remove=remove, add=add))

    @staticmethod
    def shapes_of(report: ValidationReport) -> set[str]:
        """The local names of the shapes (or SPARQL constraints) that produced results."""
        return {str(result.shape).removeprefix(str(IKGSH)) for result in report}

    def only(self, report: ValidationReport, shape: str) -> ValidationResult:
        """Assert the report holds exactly one result, from ``shape``, and return it."""
        assert self.shapes_of(report) == {shape}, report.text()
        assert len(report.results) == 1, report.text()
        return report.results[0]

    @staticmethod
    def result_of(report: ValidationReport, shape: str) -> ValidationResult:
        """Return the one result produced by ``shape`` (others may exist)."""
        found = [result for result in report if result.shape == IKGSH[shape]]
        assert len(found) == 1, report.text()
        return found[0]

    @staticmethod
    def dataset(graphs: dict[str, str], default: str = "") -> Dataset:
        """Build a dataset from ``{"graph:name": turtle}`` and default-graph Turtle."""
        dataset = Dataset()
        for name, turtle in graphs.items():
            dataset.graph(iri(name)).parse(data=TURTLE_PREFIXES + turtle, format="turtle")
        if default:
            dataset.default_graph.parse(data=TURTLE_PREFIXES + default, format="turtle")
        return dataset


@pytest.fixture(scope="session")
def valid_graph() -> Graph:
    return Graph().parse(DATA / "valid.ttl", format="turtle")


@pytest.fixture(scope="session")
def kit(valid_graph: Graph) -> Kit:
    return Kit(valid_graph)
