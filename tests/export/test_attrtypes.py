"""Types declared from all values: column by column, and from surveys of parts, as one pass.

The column-by-column pass (``TypeTracker.see_all``) must declare what element-by-element
``see`` does.

A GEXF written in two processes (``graph/export/parallel.py``) has each survey its own
blocks (every other one) and then merges both surveys; the declared types and their
order must be those of one pass over all elements, wherever an attribute first shows up
and whatever kinds its values take in each part. A survey also crosses a pipe as JSON.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion_kg.graph.export.attrtypes import TypeSurvey, TypeTracker, elements_survey
from inclusion_kg.graph.export.gexf import iter_gexf
from inclusion_kg.graph.export.network import ExportNetwork

scalar = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=3)
    | st.lists(st.text(max_size=2), max_size=2)
    | st.tuples(st.text(max_size=2))
)
names = st.sampled_from(["a", "b", "c", "d", "e", "label", "weight"])
element = st.dictionaries(names, scalar)


@settings(max_examples=400, deadline=None)
@given(st.lists(element, max_size=12), st.sampled_from([frozenset(), frozenset({"c"})]))
def test_types_column_by_column_equal_element_by_element(
    elements: list[dict[str, Any]], lists: frozenset[str]
) -> None:
    one_by_one, all_at_once = TypeTracker(), TypeTracker()
    for attributes in elements:
        one_by_one.see(attributes, skip=frozenset({"weight"}), lists=lists)
    all_at_once.see_all(elements, skip=frozenset({"weight"}), lists=lists)
    assert list(all_at_once.types().items()) == list(one_by_one.types().items())


def _parts(count: int, block: int, parts: int) -> list[list[int]]:
    """The element indices of each part: blocks of ``block``, dealt out in turn."""
    return [
        [
            i
            for first in range(part * block, count, parts * block)
            for i in range(first, min(first + block, count))
        ]
        for part in range(parts)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(element, max_size=16),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=3),
    st.sampled_from([frozenset(), frozenset({"c"})]),
)
def test_merged_surveys_of_parts_declare_what_one_pass_declares(
    elements: list[dict[str, Any]], block: int, parts: int, lists: frozenset[str]
) -> None:
    skip = frozenset({"weight"})
    one_pass = TypeTracker()
    one_pass.see_all(elements, skip=skip, lists=lists)
    found = []
    for indices in reversed(_parts(len(elements), block, parts)):  # any order of arrival
        found += elements_survey([elements[i] for i in indices], indices, skip=skip, lists=lists)
    merged = TypeTracker()
    merged.absorb(found)
    assert list(merged.types().items()) == list(one_pass.types().items())


def test_a_survey_crosses_a_pipe_as_json_unchanged() -> None:
    survey = TypeSurvey(
        nodes=((0, 1, "actor_type", ("str",)), (4, 0, 'späť "x"', ("float", "int32"))),
        edges=((2, 3, "partnerships", ("list",)),),
        metric_names=frozenset({"pagerank", "core"}),
    )
    assert TypeSurvey.from_json(survey.to_json()) == survey


def _late_attributes() -> ExportNetwork:
    """A network whose attributes first show up, and change kind, in later blocks."""
    graph: nx.Graph[str] = nx.Graph()
    for i in range(12):
        data: dict[str, Any] = {"label": f"actor {i}", "rank": i}
        if i == 7:  # first seen in the fourth block of two: the child's part
            data["late"] = "yes"
        if i == 9:
            data["rank"] = 2.5  # an integer column turns double in the fifth block
        if i == 10:
            data["tags"] = ["a", "b"]
        graph.add_node(f"https://example.org/actor/{i}", **data)
    for i in range(11):
        data = {"weight": 1.0 + i}
        if i == 5:
            data["note"] = "only here"
        if i >= 8:
            data["count"] = 2**40  # a long, in the child's blocks only
        graph.add_edge(
            f"https://example.org/actor/{i}", f"https://example.org/actor/{i + 1}", **data
        )
    return ExportNetwork(graph)


def test_a_gexf_in_two_processes_declares_late_attributes_as_one_process_does(
    monkeypatch: Any,
) -> None:
    from inclusion_kg.graph.export import gexf

    monkeypatch.setattr(gexf, "_BLOCK", 2)
    sequential = b"".join(iter_gexf(_late_attributes(), parallel=False))
    parallel = b"".join(iter_gexf(_late_attributes(), parallel=True))
    assert parallel == sequential
    network = _late_attributes()
    assert network.node_types == {
        "label": "string",
        "rank": "double",
        "late": "string",
        "tags": "liststring",
    }
    assert network.edge_types == {"note": "string", "count": "long"}
    assert b'title="late" type="string"' in parallel
    assert b'title="count" type="long"' in parallel
