"""The fast batch validator gives pySHACL's report, on every fixture the shape tests build.

:func:`inclusion_kg.graph.screen.validate_batch` screens every node in Python and pyoxigraph
and lets pySHACL judge only the nodes it flags. Its report must equal
:func:`inclusion_kg.graph.validate.validate_graph`'s on the same data. The fixtures are
the shape tests' own (``tests/shapes``): every graph and dataset their tests build through
``kit`` (valid.ttl with one edit: a missing label, a wrong class, a bad date, a broken
batch description …) is recorded and validated both ways; so is valid.ttl with each of its
triples deleted in turn.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from inclusion_kg.graph.screen import screen, validate_batch
from inclusion_kg.graph.validate import ValidationReport, validate_graph

SHAPE_TESTS = Path(__file__).parents[1] / "shapes"


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_screen_fixture_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_KIT: Any = _module(SHAPE_TESTS / "conftest.py").Kit


@dataclass(frozen=True)
class Recorder(_KIT):  # type: ignore[misc]
    """The shape tests' ``kit``, keeping every graph and dataset it builds."""

    seen: list[Graph] = field(default_factory=list)

    def graph(self, *, remove: str = "", add: str = "") -> Graph:
        built: Graph = super().graph(remove=remove, add=add)
        self.seen.append(built)
        return built

    def dataset(self, graphs: dict[str, str], default: str = "") -> Dataset:
        built: Dataset = _KIT.dataset(graphs, default)
        self.seen.append(built)
        return built


def _term(node: Node) -> NamedNode | BlankNode | Literal:
    if isinstance(node, URIRef):
        return NamedNode(str(node))
    if isinstance(node, BNode):
        return BlankNode(str(node))
    assert isinstance(node, RdfLiteral)
    if node.language:
        return Literal(str(node), language=node.language)
    if node.datatype is not None:
        return Literal(str(node), datatype=NamedNode(str(node.datatype)))
    return Literal(str(node))


def _quads(data: Graph) -> tuple[list[Quad], list[str]]:
    """The same data as pyoxigraph quads, and the named graphs they fill."""
    if not isinstance(data, Dataset):
        quads = [Quad(_term(s), _term(p), _term(o)) for s, p, o in data]  # type: ignore[arg-type]
        return quads, []
    quads = []
    names: set[str] = set()
    for s, p, o, g in data.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        if name is None or name == DATASET_DEFAULT_GRAPH_ID:
            graph: NamedNode | DefaultGraph = DefaultGraph()
        else:
            graph = NamedNode(str(name))
            names.add(str(name))
        quads.append(Quad(_term(s), _term(p), _term(o), graph))  # type: ignore[arg-type]
    return quads, sorted(names)


def _rows(report: ValidationReport) -> list[list[tuple[str, str | None]]]:
    return sorted(sorted(result.to_dict().items()) for result in report.results)


def assert_same_report(data: Graph) -> ValidationReport:
    """Validate ``data`` with pySHACL and with the batch validator; they must agree."""
    expected = validate_graph(data)
    quads, graphs = _quads(data)
    actual = validate_batch(None, quads, graphs)
    assert _rows(actual) == _rows(expected), (expected.text(), actual.text())
    return expected


def _cases(function: Callable[..., object]) -> Iterator[dict[str, object]]:
    """The keyword arguments of each case of a (parametrized) test function."""
    axes: list[list[dict[str, object]]] = []
    for mark in getattr(function, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        axis = []
        for value in values:
            value = value.values if hasattr(value, "values") else value
            row = value if len(names) > 1 else (value,)
            axis.append(dict(zip(names, row, strict=True)))
        axes.append(axis)
    for combination in itertools.product(*axes):
        merged: dict[str, object] = {}
        for part in combination:
            merged.update(part)
        yield merged


def recorded(module_path: Path, valid: Graph, tmp_path: Path) -> list[Graph]:
    """Run the kit-based tests of one shape-test module, recording what they validate."""
    module = _module(module_path)
    kit = Recorder(valid)
    for name, function in vars(module).items():
        if not name.startswith("test_") or not callable(function):
            continue
        parameters = inspect.signature(function).parameters
        if "kit" not in parameters:
            continue
        for case in _cases(function):
            fixtures = {"kit": kit, "tmp_path": tmp_path, "valid_graph": valid}
            arguments = {**case, **{k: v for k, v in fixtures.items() if k in parameters}}
            if set(parameters) - set(arguments):
                continue  # a fixture this harness does not provide
            with contextlib.suppress(Exception):  # their assertions are theirs to check
                function(**arguments)
    return kit.seen


@pytest.fixture(scope="module")
def valid() -> Graph:
    return Graph().parse(SHAPE_TESTS / "data" / "valid.ttl", format="turtle")


SHAPE_MODULES = sorted(p.name for p in SHAPE_TESTS.glob("test_*.py"))


@pytest.mark.parametrize("module", SHAPE_MODULES)
def test_the_same_report_as_pyshacl_on_the_shape_tests_fixtures(
    module: str, valid: Graph, tmp_path: Path
) -> None:
    graphs = recorded(SHAPE_TESTS / module, valid, tmp_path)
    results = 0
    for data in graphs:
        results += len(assert_same_report(data).results)
    if module in (
        "test_actor_shapes.py",
        "test_council_document_shapes.py",
        "test_funding_service_shapes.py",
        "test_partnership_shapes.py",
        "test_provenance_shapes.py",
    ):  # these build broken data: the comparison saw results, not only clean reports
        assert len(graphs) >= 5, module
        assert results >= len(graphs) // 2, module


def test_the_same_report_with_each_triple_of_valid_ttl_deleted(valid: Graph) -> None:
    triples = sorted(valid, key=lambda t: tuple(map(str, t)))
    violations = 0
    for dropped in triples:
        broken = Graph()
        for triple in triples:
            if triple != dropped:
                broken.add(triple)
        violations += len(assert_same_report(broken).violations)
    assert violations > len(triples) // 2  # most deletions break a shape


def test_valid_data_is_not_sent_to_pyshacl(valid: Graph) -> None:
    quads, graphs = _quads(valid)
    screened = screen(None, quads, graphs)
    assert screened.focus >= 15  # the IRIs valid.ttl describes
    assert screened.work == ()
    assert validate_batch(None, quads, graphs).results == ()


def test_constraints_the_screen_cannot_read_go_to_pyshacl() -> None:
    from inclusion_kg.graph.screen import _Compiler

    compiler = _Compiler()
    compiler.graph = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:Known a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:datatype ex:D ] .
        ex:Closed a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .
        ex:Nested a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ] .
        ex:Sparql a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] ] .
        ex:Sequence a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    ex = "http://example.org/"
    parts, sparql = compiler.node_checks(URIRef(ex + "Known"))
    assert parts is not None
    assert len(parts) == 1
    assert sparql == []
    for unknown in ("Closed", "Nested", "Sparql", "Sequence"):  # every target node is judged
        assert compiler.node_checks(URIRef(ex + unknown)) == (None, []), unknown
