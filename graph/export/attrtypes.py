"""Declaring an export's attribute types from every value, in parts if need be.

A GEXF or GraphML declares each attribute's type before the first element, and a type
fixed from the first value is wrong as soon as a later value differs (networkx's
``write_gexf`` does that). :class:`TypeTracker` records the kind of every value and
declares the narrowest type that holds them all: booleans -> ``boolean``; integers ->
``integer`` (32-bit) or ``long``; numbers with any float -> ``double``; sequences (and
strings mixed with sequences) -> ``liststring``; anything else -> ``string``. ``None``
and non-finite floats are left out.

Why surveys: that pass reads every value (8 million at 100,000 actors), which a writer
rendering in two processes (:mod:`~inclusion_kg.graph.export.parallel`) would otherwise
do alone before it forks. :func:`elements_survey` looks at any part of the elements and
returns :data:`Finding` tuples keyed by the elements' places in the whole network;
:meth:`TypeTracker.absorb` merges the parts' findings into the types and order of one
pass over everything. A :class:`TypeSurvey` carries a part's findings between processes
as JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, repeat
from operator import is_not, itemgetter
from typing import Any, Literal, cast

__all__ = [
    "INT32",
    "AttrType",
    "Finding",
    "TypeSurvey",
    "TypeTracker",
    "elements_survey",
]

AttrType = Literal["boolean", "integer", "long", "double", "string", "liststring"]

INT32 = (-(2**31), 2**31 - 1)
"""Range of GEXF ``integer`` (Java int); wider integers are declared ``long``."""
_INT64 = (-(2**63), 2**63 - 1)

Finding = tuple[int, int, str, tuple[str, ...]]
"""(rank of the first element with a value, the attribute's place in that element, the
attribute, the kinds of its values): what a survey found of one attribute."""


def _kind(value: object) -> str | None:
    """Classify one value for type inference (None: leave it out)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        if INT32[0] <= value <= INT32[1]:
            return "int32"
        if _INT64[0] <= value <= _INT64[1]:
            return "int64"
        return "str"  # wider than a long: exact only as text
    if isinstance(value, float):
        return "float" if math.isfinite(value) else None
    if isinstance(value, list | tuple | set | frozenset):
        return "list"
    return "str"


def _resolve(kinds: set[str]) -> AttrType:
    if kinds == {"bool"}:
        return "boolean"
    if kinds <= {"int32"}:
        return "integer"
    if kinds <= {"int32", "int64"}:
        return "long"
    if kinds <= {"int32", "int64", "float"}:
        return "double"
    if "list" in kinds and kinds <= {"list", "str"}:
        return "liststring"
    return "string"


def _column_kinds(column: list[Any], listy: bool) -> set[str]:
    """The kinds of a column's values (:func:`_kind` of each), in a few C-level passes."""
    kinds: set[str] = set()
    types = set(map(type, column))
    types.discard(type(None))
    for kind_of in types:
        if kind_of is str:
            kinds.add("list" if listy else "str")
            continue
        if kind_of is bool:
            kinds.add("bool")
            continue
        same: list[Any]
        if len(types) > 1:
            same = [v for v in column if type(v) is kind_of]
        else:
            same = list(filter(partial(is_not, None), column)) if None in column else column
        if kind_of is int:
            if INT32[0] <= min(same) and max(same) <= INT32[1]:
                kinds.add("int32")
            else:
                kinds.update(k for v in same if (k := _kind(v)) is not None)
        elif kind_of is float:
            if any(map(math.isfinite, same)):
                kinds.add("float")
        else:
            kinds.update(k for v in same if (k := _kind(v)) is not None)
    return kinds


class TypeTracker:
    """Collects every value's kind per attribute and declares the types from all of them.

    >>> tracker = TypeTracker()
    >>> for attrs in ({"a": 1, "b": True}, {"a": 2.5, "b": None}, {"a": None, "c": ["x"]}):
    ...     tracker.see(attrs)
    >>> tracker.types()
    {'a': 'double', 'b': 'boolean', 'c': 'liststring'}
    """

    def __init__(self) -> None:
        self._kinds: dict[str, set[str]] = {}
        self._known: set[tuple[str, type]] = set()
        self._signatures: dict[tuple[Any, ...], tuple[int, ...]] = {}

    def see(
        self,
        attributes: Mapping[str, object],
        *,
        skip: frozenset[str] = frozenset(),
        lists: frozenset[str] = frozenset(),
    ) -> None:
        """Record the kinds of one element's values.

        Args:
            attributes: name -> value.
            skip: names to ignore.
            lists: names whose string values stand for lists (space-separated IRIs).
        """
        names = tuple(attributes)
        values = tuple(attributes.values())
        signature = (names, tuple(map(type, values)), skip, lists)
        ints = self._signatures.get(signature)
        if ints is not None:  # seen this shape: only integers can still widen a type
            for i in ints:
                value = values[i]
                if not INT32[0] <= value <= INT32[1]:  # type: ignore[operator]
                    self._see_one(names[i], value, skip, lists)
            return
        complete = True
        for name, value in zip(names, values, strict=True):
            if self._see_one(name, value, skip, lists):
                complete = False
            elif type(value) is int and not INT32[0] <= value <= INT32[1]:
                complete = False  # "int32" is not recorded yet: a later small int adds it
        if complete:
            self._signatures[signature] = tuple(
                i for i, kind_of in enumerate(signature[1]) if kind_of is int
            )

    def _see_one(
        self, name: str, value: object, skip: frozenset[str], lists: frozenset[str]
    ) -> bool:
        """Record one value; return True when it was a non-finite float (not recorded)."""
        kinds = self._kinds
        known = self._known
        kind_of = type(value)
        kind: str | None
        if kind_of is int:
            kind = "int32" if INT32[0] <= value <= INT32[1] else _kind(value)  # type: ignore[operator]
        elif (name, kind_of) in known:
            return False
        elif kind_of is float:
            if not math.isfinite(value):  # type: ignore[arg-type]
                return True  # left out, like None; the next finite float records it
            known.add((name, kind_of))
            kind = "float"
        elif kind_of is str:
            known.add((name, kind_of))
            kind = "list" if name in lists else "str"
        else:
            kind = _kind(value)
            if kind_of in (bool, list, tuple, set, frozenset):
                known.add((name, kind_of))
        if kind is None or name in skip:
            return False
        seen = kinds.get(name)
        if seen is None:
            kinds[name] = {kind}
        elif kind not in seen:
            seen.add(kind)
        return False

    def see_all(
        self,
        elements: Sequence[Mapping[str, object]],
        *,
        skip: frozenset[str] = frozenset(),
        lists: frozenset[str] = frozenset(),
    ) -> None:
        """Record the values of many elements: :meth:`see` on each in turn, column-wise.

        Why: a 100,000-actor network has 8 million values; one pass per attribute with
        C-level ``map``/``set``/``min``/``max`` takes a fraction of the time of a Python
        call per element. The outcome is the same, attribute order included (first
        value seen first).
        """
        if set(map(type, elements)) - {dict}:
            for element in elements:
                self.see(element, skip=skip, lists=lists)
            return
        dicts = cast("list[dict[str, object]]", elements)
        self.absorb(elements_survey(dicts, range(len(dicts)), skip=skip, lists=lists))

    def absorb(self, findings: Iterable[Finding]) -> None:
        """Record :func:`elements_survey` findings: one survey's, or every part's at once.

        The attributes come in the order of their first values (rank, then place in
        that element), whichever survey saw them: the surveys of all the parts of a
        network, absorbed in one call, give the types and order of one pass over all of
        it (a later call only adds attributes after those already recorded).
        """
        for _, _, name, kinds in sorted(findings, key=itemgetter(0, 1)):
            self._kinds.setdefault(name, set()).update(kinds)

    def add(self, name: str, kind: str) -> None:
        """Record one kind for ``name`` (``bool``, ``int32``, ``float``, ``str``, ``list``…)."""
        self._kinds.setdefault(name, set()).add(kind)

    def types(self, order: Sequence[str] = ()) -> dict[str, AttrType]:
        """Return attribute name -> declared type; all-None attributes are omitted.

        Names in ``order`` come first, in that order; the others follow as first seen.
        """
        names = [n for n in order if n in self._kinds]
        names += [n for n in self._kinds if n not in set(order)]
        return {name: _resolve(self._kinds[name]) for name in names}


def elements_survey(
    elements: Sequence[dict[str, object]],
    ranks: Sequence[int],
    *,
    skip: frozenset[str] = frozenset(),
    lists: frozenset[str] = frozenset(),
) -> list[Finding]:
    """What ``elements`` show of each attribute, column by column.

    Args:
        elements: the elements' data (dicts).
        ranks: each element's place in the whole network (increasing), so that the
            findings of several parts order the attributes as one pass would.
        skip: names to ignore.
        lists: names whose string values stand for lists (space-separated IRIs).
    """
    found: list[Finding] = []
    for name in dict.fromkeys(chain.from_iterable(elements)):
        if name in skip:
            continue
        column = list(map(dict.get, elements, repeat(name)))
        kinds = _column_kinds(column, name in lists)
        if kinds:
            first = next(i for i, v in enumerate(column) if _kind(v) is not None)
            place = list(elements[first]).index(name)
            found.append((ranks[first], place, name, tuple(sorted(kinds))))
    return found


@dataclass(frozen=True)
class TypeSurvey:
    """What one part of a network's nodes and edges shows of the attribute types.

    Attributes:
        nodes: findings over the part's node data and metrics.
        edges: findings over the part's edge data (and the derived tie attributes).
        metric_names: the node metrics the part's nodes have.
    """

    nodes: tuple[Finding, ...]
    edges: tuple[Finding, ...]
    metric_names: frozenset[str]

    def to_json(self) -> bytes:
        """The survey as JSON, to send to the process rendering the other part."""
        return json.dumps(
            {
                "nodes": self.nodes,
                "edges": self.edges,
                "metric_names": sorted(self.metric_names),
            },
            ensure_ascii=False,
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> TypeSurvey:
        """Read a survey written by :meth:`to_json`."""
        raw = json.loads(data)

        def findings(rows: list[list[Any]]) -> tuple[Finding, ...]:
            return tuple((rank, place, name, tuple(kinds)) for rank, place, name, kinds in rows)

        return cls(
            nodes=findings(raw["nodes"]),
            edges=findings(raw["edges"]),
            metric_names=frozenset(raw["metric_names"]),
        )
