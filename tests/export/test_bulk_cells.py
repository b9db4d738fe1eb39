"""The column-at-once cell texts equal the value-by-value ones, whatever the values.

``graph/export/_bulk.py`` escapes a whole column with ``str.replace`` and hands the values
it cannot do that way to the writer's own renderer; these properties check both halves
against that renderer on values full of what XML and JSON escape.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion_kg.graph.export import _bulk
from inclusion_kg.graph.export._xml import attr
from inclusion_kg.graph.export.gexf import _space_list, _text_memo
from inclusion_kg.graph.export.network import FORMATTERS, TypeTracker

PREFIX = '<attvalue for="3" value='
SPECIALS = "\"'&<>\\ \t\n\r\x00\x01\x02\x1f\x7f\x85\xa0\u2028\u3000\ud800\ufffe"
text = st.text(alphabet=st.sampled_from("ab/:#-é" + SPECIALS), max_size=12)
iri = st.text(alphabet=st.sampled_from("abc/:#-&'"), min_size=1, max_size=8)


def renderer(kind: str, spaced: bool = False) -> Any:
    fmt = _space_list if spaced else FORMATTERS[kind]  # type: ignore[index]
    return _text_memo(PREFIX, fmt).make


@settings(max_examples=400, deadline=None)
@given(st.lists(st.none() | text, max_size=20))
def test_string_cells_equal_each_value_rendered(values: list[str | None]) -> None:
    render = renderer("string")
    assert _bulk.string_cells(PREFIX, values, render) == [render(v) for v in values]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.none() | st.lists(text, max_size=4).map(tuple), max_size=20))
def test_list_cells_equal_each_value_rendered(values: list[tuple[str, ...] | None]) -> None:
    render = renderer("liststring")
    assert _bulk.list_cells(PREFIX, values, render, spaced=False) == [render(v) for v in values]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.none()
        | st.lists(iri, min_size=1, max_size=3).map(" ".join)
        | st.text(alphabet=st.sampled_from("ab \t\xa0\u2003" + SPECIALS), max_size=8),
        max_size=20,
    )
)
def test_spaced_list_cells_equal_each_value_rendered(values: list[str | None]) -> None:
    render = renderer("liststring", spaced=True)
    assert _bulk.list_cells(PREFIX, values, render, spaced=True) == [render(v) for v in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(text, max_size=20))
def test_attribute_texts_equal_attr_of_each(values: list[str]) -> None:
    assert _bulk.attr_texts(values, attr) == [attr(v) for v in values]


def test_plain_columns_are_cut_without_the_renderer() -> None:
    def refuse(value: object) -> str:
        msg = f"rendered one by one: {value!r}"
        raise AssertionError(msg)

    labels = ["Sant'Egidio & <Partners>", "Caritas", None, "tab\there"]
    cells = _bulk.string_cells(PREFIX, labels, refuse)
    assert cells == [
        f'{PREFIX}"Sant\'Egidio &amp; &lt;Partners&gt;"/>',
        f'{PREFIX}"Caritas"/>',
        "",
        f'{PREFIX}"tab&#9;here"/>',
    ]
    lists = [("Sant'Egidio", 'say "hi"'), ("a\\b",)]
    assert _bulk.list_cells(PREFIX, lists, refuse, spaced=False) == [
        f'{PREFIX}\'["Sant&apos;Egidio", "say \\"hi\\""]\'/>',
        f"{PREFIX}'[\"a\\\\b\"]'/>",
    ]


def test_columns_of_other_values_are_left_to_the_writer() -> None:
    render = renderer("string")
    assert _bulk.string_cells(PREFIX, ["a", 1], render) is None
    assert _bulk.list_cells(PREFIX, [("a",), ["b"]], render, spaced=False) is None
    assert _bulk.list_cells(PREFIX, [("a", 2)], render, spaced=False) is None
    assert _bulk.string_cells(PREFIX, [None, None], render) == ["", ""]


# The types of many elements, column by column, as element by element.

scalar = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=3)
    | st.lists(st.text(max_size=2), max_size=2)
    | st.tuples(st.text(max_size=2))
)
element = st.dictionaries(st.sampled_from(["a", "b", "c", "d", "label", "weight"]), scalar)


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
