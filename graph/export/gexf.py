"""GEXF 1.3 of the partnership network, written directly (not with networkx).

Why not :func:`networkx.write_gexf`: it defaults to 1.2draft; its 1.3 output fails the 1.3
schema (a misspelt XML-Schema-instance namespace, a ``name`` attribute on ``<graph>``),
writes ``z="None"``, crashes on ``None`` and list values, and fixes each attribute's type
from its first value. This writer streams the document in chunks, declares every
attribute type from all values (:class:`~inclusion_kg.graph.export.network.TypeTracker`)
and is checked against the GEXF 1.3 XML schema in the tests.

Document shape::

    <gexf xmlns="http://gexf.net/1.3" version="1.3" ...>
      <meta lastmodifieddate="…"><creator/><description/><keywords/></meta>
      <graph defaultedgetype="undirected" mode="static|dynamic" [timeformat="date"] idtype="string">
        <attributes class="node" mode="static">
          <attribute id="0" title="actor_type" type="string"/> …
        <attributes class="edge" mode="static"> …
        <nodes count="n"><node id="<actor IRI>" label="…" [start end | <spells>]>
            <attvalues><attvalue for="0" value="…"/>…</attvalues>
            <color r g b/><size value/></node> …
        <edges count="m"><edge id="0" source target weight [start end | <spells>]>
            <attvalues>…</attvalues></edge> …

- Attribute ids are ``0``, ``1``, … per class and titles the attribute names (Gephi,
  networkx and graphology name columns by title; short ids keep 100k-actor files small).
  The node label is ``<node label>``, not an attvalue; the edge weight is ``<edge weight>``.
- One line per node and per edge; ``liststring`` values are single-quoted when they hold
  double quotes (valid XML, and no ``&quot;`` bloat).
- ``liststring`` values are JSON arrays (``["a", "b"]``), the bracketed, quoted list
  syntax Gephi and graphology parse.
- Visualisation: ``<color>`` by actor type and ``<size>`` by strength. In the published
  GEXF 1.3 schema ``viz.xsd`` has no target namespace and its elements are declared inside
  the GEXF namespace, so they are written unprefixed (``viz:color`` in a separate namespace
  does not validate against it). Gephi and graphology find them by local name; networkx's
  reader looks only in the ``viz`` namespace and skips them.
- Dynamic mode (``dynamic=True``): ``mode="dynamic" timeformat="date"``; a node or edge
  with one period gets ``start`` / ``end`` attributes, one with several gets
  ``<spells>``; an open bound is left out (GEXF reads a missing start as "from the
  beginning" and a missing end as "to the end"); an element that is always there gets
  neither. GEXF intervals are inclusive at both ends, like the projection's periods.
  How ``xsd:gYear`` / ``xsd:gYearMonth`` become days is in
  :mod:`~inclusion_kg.graph.export.network`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import chain, compress, repeat
from operator import is_
from typing import Any

from inclusion_kg.graph.export._bulk import attr_texts, float_texts, list_cells, string_cells
from inclusion_kg.graph.export._xml import attr, quoted, text
from inclusion_kg.graph.export.attrtypes import TypeSurvey
from inclusion_kg.graph.export.formats import GEXF_MEDIA_TYPE
from inclusion_kg.graph.export.network import (
    FORMATTERS,
    LIST_KEYS,
    AttrType,
    EdgeBlock,
    ExportNetwork,
    Formatter,
    Interval,
    Memo,
    NodeBlock,
    list_text,
    value_text,
)
from inclusion_kg.graph.export.parallel import idle_cpu, interleaved
from inclusion_kg.graph.gcpause import paused_gc

__all__ = ["GEXF_MEDIA_TYPE", "GEXF_NAMESPACE", "PARALLEL_EDGES", "iter_gexf", "value_text"]

GEXF_NAMESPACE = "http://gexf.net/1.3"


def _attributes(cls: str, types: dict[str, AttrType]) -> str:
    if not types:
        return ""
    lines = [f'    <attributes class="{cls}" mode="static">\n']
    for i, (name, kind) in enumerate(types.items()):
        lines.append(f'      <attribute id="{i}" title="{attr(name)}" type="{kind}"/>\n')
    lines.append("    </attributes>\n")
    return "".join(lines)


_MEMO = 50_000
_BLOCK = 4_096
"""Nodes or edges per block (and per yielded chunk)."""
PARALLEL_EDGES = 50_000
"""From this many edges on, :func:`iter_gexf` renders in two processes (a fork costs
milliseconds; at 100,000 actors the document is 400 MB)."""


def _textual(value: Any) -> bool:
    """A string or a tuple of strings: a key whose equals all have its text (memo keys)."""
    kind = type(value)
    return kind is str or (kind is tuple and all(type(item) is str for item in value))


def _space_list(value: Any) -> str | None:
    """A space-separated IRI list (the projection's form) as list text."""
    return list_text(value.split()) if type(value) is str else FORMATTERS["liststring"](value)


def _text_memo(prefix: str, fmt: Formatter) -> Memo[Any, str]:
    """A memo of one text attribute's ``<attvalue/>`` ("" where it has no text)."""

    def render(value: Any) -> str:
        shown = fmt(value) if value is not None else None
        return "" if shown is None else f"{prefix}{quoted(shown)}/>"

    return Memo(render, limit=_MEMO, keep=_textual)


def _finite_floats(values: list[Any]) -> bool:
    """Whether every value is a finite ``float`` (two C-level passes, no Python loop).

    A NaN or an infinity makes the sum non-finite; so can an overflow of huge values,
    which only sends the block down the general path.
    """
    return set(map(type, values)) == {float} and math.isfinite(sum(values))


def _double_cells(prefix: str, values: list[Any]) -> list[str]:
    """A double column with gaps (or ints, or non-finite values) as ``<attvalue/>`` texts."""
    plain = [type(v) is float and v - v == 0.0 for v in values]
    texts = iter(float_texts(list(compress(values, plain))))
    return [
        f'{prefix}"{next(texts)}"/>' if ok else _other_double(prefix, v)
        for v, ok in zip(values, plain, strict=True)
    ]


def _other_double(prefix: str, value: Any) -> str:
    if value is None:
        return ""
    number = float(value)
    return f'{prefix}"{float_texts([number])[0]}"/>' if math.isfinite(number) else ""


def _weave(template: str, columns: list[list[str]]) -> str:
    """Every row of ``columns`` put into ``template``'s ``%s`` places, joined.

    The same text as ``"".join(template % row for row in zip(*columns))``, but the
    template is cut once, not parsed again for every row: its literal pieces and the
    columns are interleaved by ``zip`` and joined in one C-level pass (1.7x faster on an
    edge block of 4,096 ties with 17 attributes).
    """
    literals = template.split("%s")
    if len(literals) != len(columns) + 1:
        msg = f"{len(literals) - 1} places in the template for {len(columns)} columns"
        raise ValueError(msg)
    size = len(columns[0]) if columns else 0
    parts: list[Iterable[str]] = []
    for literal, column in zip(literals, [*columns, None], strict=True):
        if literal:
            parts.append(repeat(literal, size))
        if column is not None:
            parts.append(column)
    return "".join(chain.from_iterable(zip(*parts, strict=True)))


class _AttValues:
    """The ``<attvalues>`` of a block as a template piece and the columns it takes.

    Why: a block is rendered column by column (:func:`_weave`, C code) instead of an
    f-string per value; that is where the writer spends its time (a 100,000-actor
    network has 8 million values). A column whose every value is present and plain (all
    finite floats, all ints) goes in as its numbers' texts (:func:`float_texts`,
    ``str``); any other column is rendered to finished ``<attvalue/>`` texts first
    (memoised) and goes in whole.
    When no column has a value on every element, an element may have no attribute at
    all, and ``<attvalues>`` must then be left out (the schema wants one
    ``<attvalue>`` at least): that block takes one finished text per element instead
    (``per_element``).
    """

    def __init__(
        self,
        types: dict[str, AttrType],
        columns: dict[str, list[Any]],
        memos: dict[str, Memo[Any, str]],
        size: int,
        formatted: dict[str, list[str]] | None = None,
    ) -> None:
        pieces: list[str] = []
        filled: list[list[Any]] = []
        cells: list[list[str]] = []
        full = False
        for i, (name, kind) in enumerate(types.items()):
            values = columns.get(name)
            if values is None:
                continue
            prefix = f'<attvalue for="{i}" value='
            if formatted and name in formatted:  # already formatted (the weight's twin)
                pieces.append(prefix + '"%s"/>')
                filled.append(formatted[name])
                full = True
                continue
            if kind == "double" and _finite_floats(values):
                pieces.append(prefix + '"%s"/>')
                filled.append(float_texts(values))
                full = True
                continue
            if kind in ("integer", "long") and set(map(type, values)) == {int}:
                pieces.append(prefix + '"%s"/>')
                filled.append(list(map(str, values)))
                full = True
                continue
            column = _cell_texts(name, kind, prefix, values, memos)
            pieces.append("%s")
            filled.append(column)
            cells.append(column)
            full = full or "" not in column
        self.per_element = not full
        if full:
            self.template = "<attvalues>" + "".join(pieces) + "</attvalues>"
            self.columns = filled
        else:  # no column is full: finish each element's text (maybe empty) here
            rows = ["".join(row) for row in zip(*cells, strict=True)] if cells else [""] * size
            self.template = "%s"
            self.columns = [[f"<attvalues>{row}</attvalues>" if row else "" for row in rows]]


def _cell_texts(
    name: str, kind: AttrType, prefix: str, values: list[Any], memos: dict[str, Memo[Any, str]]
) -> list[str]:
    """One column as finished ``<attvalue/>`` texts, "" where an element has no value."""
    if kind == "double":
        return _double_cells(prefix, values)
    if kind in ("integer", "long"):
        return [f'{prefix}"{int(v)}"/>' if v is not None else "" for v in values]
    if kind == "boolean":
        yes, no = f'{prefix}"true"/>', f'{prefix}"false"/>'
        return [(yes if v else no) if v is not None else "" for v in values]
    spaced = name in LIST_KEYS and kind == "liststring"
    memo = memos.get(name)
    if memo is None:
        memo = memos[name] = _text_memo(prefix, _space_list if spaced else FORMATTERS[kind])
        memo[None] = ""
    if values and kind == "string":
        bulk = string_cells(prefix, values, memo.__getitem__)
    elif values and kind == "liststring":
        bulk = list_cells(prefix, values, memo.__getitem__, spaced=spaced)
    else:
        bulk = None
    if bulk is not None:
        return bulk
    try:
        return list(map(memo.__getitem__, values))
    except TypeError:  # an unhashable value (a list): render each
        return list(map(memo.make, values))


def _double(value: float) -> str:
    """Return an ``xs:double`` lexical form (``NaN``, ``INF`` and ``-INF`` spelt as XSD wants)."""
    if math.isfinite(value):
        return float_texts([value])[0]
    if math.isnan(value):
        return "NaN"
    return "INF" if value > 0 else "-INF"


def _bounds(interval: Interval) -> str:
    out = ""
    if interval.start is not None:
        out += f' start="{interval.start.isoformat()}"'
    if interval.end is not None:
        out += f' end="{interval.end.isoformat()}"'
    return out


def _time(spells: tuple[Interval, ...]) -> tuple[str, str]:
    """Return (attributes for the opening tag, a <spells> element or "")."""
    if not spells:
        return "", ""
    if len(spells) == 1:
        return _bounds(spells[0]), ""
    inner = "".join(f"<spell{_bounds(s)}/>" for s in spells)
    return "", f"<spells>{inner}</spells>"


def _meta(network: ExportNetwork, generator: str) -> str:
    meta = network.metadata
    bits = [network.title]
    for key in ("layer", "language", "reference_date", "aggregated_units"):
        if key in meta:
            bits.append(f"{key}: {meta[key]}")
    flt = meta.get("filter")
    if isinstance(flt, dict):
        chosen = {k: v for k, v in flt.items() if v not in ([], 0, None, {})}
        period = {k: v for k, v in (flt.get("period") or {}).items() if v is not None}
        chosen.pop("period", None)
        if period:
            chosen["period"] = period
        if chosen:
            bits.append(f"filter: {chosen}")
    description = "; ".join(bits)
    return (
        f'  <meta lastmodifieddate="{date.today().isoformat()}">\n'
        f"    <creator>{text(generator)}</creator>\n"
        f"    <description>{text(description)}</description>\n"
        "    <keywords>inclusion-kg, migrant inclusion, partnerships, actor network</keywords>\n"
        "  </meta>\n"
    )


class _Writer:
    """Renders node and edge blocks; keeps what repeats across blocks (ids, memos)."""

    def __init__(self, node_types: dict[str, AttrType], edge_types: dict[str, AttrType]):
        self.node_types = node_types
        self.edge_types = edge_types
        self.keys: Memo[str, str] = Memo(attr)  # node id -> its attribute text
        self.node_memos: dict[str, Memo[Any, str]] = {}
        self.edge_memos: dict[str, Memo[Any, str]] = {}
        self.colours: Memo[tuple[int, int, int], str] = Memo(_colour)

    def nodes(self, nodes: NodeBlock) -> bytes:
        """The ``<node>`` lines of one block."""
        size = len(nodes.ids)
        cells = _AttValues(self.node_types, nodes.columns, self.node_memos, size)
        keys = self.keys
        ids = attr_texts(nodes.ids, attr)
        keys.update(zip(nodes.ids, ids, strict=True))
        columns: list[list[Any]] = [ids, attr_texts(nodes.labels, attr)]
        template = '      <node id="%s" label="%s"'
        if nodes.spells is not None:
            times = [_time(s) for s in nodes.spells]
            columns += [[t[0] for t in times], [t[1] for t in times]]
            template += "%s>%s"
        else:
            template += ">"
        columns += cells.columns
        columns.append(list(map(self.colours.__getitem__, nodes.colours)))
        template += cells.template + "%s<size value="
        template += '"%s"/></node>\n'
        if _finite_floats(nodes.sizes):
            columns.append(float_texts(nodes.sizes))
        else:
            columns.append([_double(v) for v in nodes.sizes])
        return _weave(template, columns).encode()

    def edges(self, edges: EdgeBlock) -> bytes:
        """The ``<edge>`` lines of one block."""
        size = len(edges.ids)
        finite = _finite_floats(edges.weights)
        if finite:
            weights = float_texts(edges.weights)
        else:
            weights = [_double(float(w)) for w in edges.weights]
        # In the partnerships layer the weight is the strength: format it once for both.
        strength = edges.columns.get("strength")
        twin = (
            finite
            and strength is not None
            and len(strength) == size
            and all(map(is_, strength, edges.weights))
        )
        formatted = {"strength": weights} if twin else None
        cells = _AttValues(self.edge_types, edges.columns, self.edge_memos, size, formatted)
        keys = self.keys
        columns: list[list[Any]] = [
            edges.ids,
            list(map(keys.__getitem__, edges.sources)),
            list(map(keys.__getitem__, edges.targets)),
            weights,
        ]
        template = '      <edge id="%s" source="%s" target="%s" weight="%s"'
        times = [_time(s) for s in edges.spells] if edges.spells is not None else None
        if times is not None:
            template += "%s"
            columns.append([t[0] for t in times])
        if not cells.per_element:
            if times is not None:
                template += ">%s"
                columns.append([t[1] for t in times])
            else:
                template += ">"
            template += cells.template + "</edge>\n"
            columns += cells.columns
        else:  # an edge may have no body at all: then it is an empty element
            spells = [t[1] for t in times] if times is not None else [""] * size
            columns.append(
                [
                    f">{body}</edge>\n" if (body := spell + cell) else "/>\n"
                    for spell, cell in zip(spells, cells.columns[0], strict=True)
                ]
            )
            template += "%s"
        return _weave(template, columns).encode()


def _colour(rgb: tuple[int, int, int]) -> str:
    r, g, b = rgb
    return f'<color r="{r}" g="{g}" b="{b}"/>'


def iter_gexf(
    network: ExportNetwork,
    *,
    dynamic: bool = False,
    generator: str = "inclusion-kg",
    parallel: bool | None = None,
) -> Iterator[bytes]:
    """Yield the GEXF 1.3 document of ``network`` in UTF-8 chunks.

    Args:
        network: what to write.
        dynamic: write node and edge periods (``mode="dynamic"``, ``timeformat="date"``).
        generator: the ``<creator>`` text.
        parallel: render some of the node and edge blocks in a forked child
            (:mod:`~inclusion_kg.graph.export.parallel`); None: from
            :data:`PARALLEL_EDGES` edges on, when a CPU looks idle. The bytes are the
            same either way.
    """
    return paused_gc(_chunks(network, dynamic=dynamic, generator=generator, parallel=parallel))


def _chunks(
    network: ExportNetwork, *, dynamic: bool, generator: str, parallel: bool | None
) -> Iterator[bytes]:
    mode = (
        'mode="dynamic" timeformat="date" timerepresentation="interval"'
        if dynamic
        else ('mode="static"')
    )
    network.prepare_blocks()  # before a fork: both processes slice the same lists
    node_blocks = -(-network.number_of_nodes // _BLOCK)
    middle = f'    </nodes>\n    <edges count="{network.number_of_edges}">\n'.encode()

    def head() -> bytes:
        node_types = {k: v for k, v in network.node_types.items() if k != "label"}
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gexf xmlns="{GEXF_NAMESPACE}" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{GEXF_NAMESPACE} {GEXF_NAMESPACE}/gexf.xsd" version="1.3">\n'
            + _meta(network, generator)
            + f'  <graph defaultedgetype="undirected" {mode} idtype="string">\n'
            + _attributes("node", node_types)
            + _attributes("edge", network.edge_types)
            + f'    <nodes count="{network.number_of_nodes}">\n'
        ).encode()

    # Blocks in document order: the head (block 0), the node blocks, the line between
    # nodes and edges, then the edge blocks; a part renders every parts-th of them.
    def parts_of(part: int, parts: int) -> tuple[tuple[int, int], tuple[int, int]]:
        return ((part - 1) % parts, parts), ((part - node_blocks - 2) % parts, parts)

    def survey(part: int, parts: int) -> bytes:
        node_part, edge_part = parts_of(part, parts)
        found = network.survey_types(_BLOCK, node_part=node_part, edge_part=edge_part)
        return found.to_json()

    def render(part: int, parts: int, findings: Sequence[bytes]) -> Iterator[bytes]:
        if findings:
            network.declare(map(TypeSurvey.from_json, findings))
        node_part, edge_part = parts_of(part, parts)
        if part == 0:
            yield head()
        node_types = {k: v for k, v in network.node_types.items() if k != "label"}
        writer = _Writer(node_types, network.edge_types)
        for nodes in network.node_blocks(_BLOCK, spells=dynamic, part=node_part):
            yield writer.nodes(nodes)
        if (node_blocks + 1) % parts == part:
            yield middle
        for edges in network.edge_blocks(_BLOCK, spells=dynamic, split=False, part=edge_part):
            yield writer.edges(edges)

    if parallel is None:
        parallel = network.number_of_edges >= PARALLEL_EDGES and idle_cpu()
    # The types are declared from every value before the head: each part surveys its own
    # blocks and both merge the findings (unless an earlier export declared them).
    yield from interleaved(render, parallel=parallel, survey=None if network.declared else survey)
    yield b"    </edges>\n  </graph>\n</gexf>\n"
