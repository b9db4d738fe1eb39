"""The column-at-once cell texts equal the value-by-value ones, whatever the values.

``graph/export/_bulk.py`` escapes a whole column with ``str.replace`` and hands the values
it cannot do that way to the writer's own renderer; these properties check both halves
against that renderer on values full of what XML and JSON escape. Floats are written by
orjson: the texts must read back as the same floats, with ``repr``'s digits, in the
``xs:double`` syntax; and the GEXF writer's column weaving must equal filling a template
row by row.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion_kg.graph.export import _bulk
from inclusion_kg.graph.export._xml import attr
from inclusion_kg.graph.export.gexf import _space_list, _text_memo, _weave
from inclusion_kg.graph.export.network import FORMATTERS

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


XSD_DOUBLE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?")
"""The lexical space of a finite ``xs:double`` (XML Schema 1.1, part 2)."""


@settings(max_examples=400, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=30))
def test_float_texts_read_back_exactly_with_repr_s_shortest_digits(values: list[float]) -> None:
    texts = _bulk.float_texts(values)
    assert len(texts) == len(values)
    for value, shown in zip(values, texts, strict=True):
        assert XSD_DOUBLE.fullmatch(shown), shown
        assert float(shown) == value
        assert math.copysign(1.0, float(shown)) == math.copysign(1.0, value)  # -0.0 stays
        assert Decimal(shown) == Decimal(repr(value))  # the same digits, not just as close


cell = st.text(alphabet=st.sampled_from('ab%s"<&\n é'), max_size=5)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from('<>=" x\n%é'), max_size=4), min_size=1, max_size=5
    ).flatmap(
        lambda literals: st.tuples(
            st.just(literals),
            st.lists(
                st.lists(cell, min_size=len(literals) - 1, max_size=len(literals) - 1), max_size=6
            ),
        )
    )
)
def test_weave_equals_a_template_filled_row_by_row(
    case: tuple[list[str], list[list[str]]],
) -> None:
    literals, rows = case
    literals = [literal.replace("%", "") for literal in literals]  # "%s" marks the places
    template = "%s".join(literals)
    columns = (
        [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in literals[1:]]
    )
    if not columns:  # a template without places has nothing to weave
        return
    assert _weave(template, columns) == "".join(template % tuple(row) for row in rows)


def test_weave_refuses_a_template_with_the_wrong_number_of_places() -> None:
    with pytest.raises(ValueError, match="2 places in the template for 1 columns"):
        _weave("<a>%s</a>%s", [["x"]])


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(sorted(_bulk._CLEAN, key=lambda pattern: pattern.pattern)),
    st.text(alphabet=st.characters(max_codepoint=0x7F)) | text,
)
def test_the_ascii_shortcut_finds_what_the_character_class_finds(
    pattern: re.Pattern[str], joined: str
) -> None:
    assert _bulk._finds(pattern, joined) == (pattern.search(joined) is not None)
