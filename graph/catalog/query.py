"""Building blocks of the catalog's SPARQL: one query per listing page, decoded rows.

A listing is a ``WHERE`` pattern that binds ``?item`` (the kind, its filters), a sort
pattern that binds ``?k``, and :class:`Column` patterns that bind ``?v`` (and a label
``?vl``) for each item on the page. :func:`page_query` puts them into one SELECT that
returns the page *and* the total:

.. code-block:: sparql

    SELECT ?total ?item ?sortKey ?labelsEn … ?c1 WHERE {
      { SELECT (COUNT(DISTINCT ?item) AS ?total) WHERE { <where> } }
      OPTIONAL {
        SELECT ?item ?sortKey ?labelsEn … (GROUP_CONCAT(…?v1) AS ?c1) WHERE {
          { SELECT ?item ?sortKey ?labelsEn … (GROUP_CONCAT(…?v0) AS ?c0) WHERE {
              { … { SELECT ?item (MIN(?k) AS ?sortKey) WHERE { <where> <sort> }
                    GROUP BY ?item ORDER BY ASC(?sortKey) ?item LIMIT n OFFSET m } … }
              OPTIONAL { <column 0> } } GROUP BY ?item ?sortKey ?labelsEn … }
          OPTIONAL { <column 1> } } GROUP BY ?item ?sortKey ?labelsEn … ?c0 }
    } ORDER BY ASC(?sortKey) ?item

Each level adds one column to the page's items, already aggregated, so an item's rows
never multiply one column's values by another's (at a million triples the cities page
takes 0.2 s this way, 8 s with all the OPTIONALs at one level), and each OPTIONAL starts
from the page's 50 items rather than the whole store.

Everything runs in pyoxigraph through :meth:`Store.select`; nothing here uses rdflib's engine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode

from inclusion_kg.graph.errors import InputError
from inclusion_kg.graph.namespaces import BASE
from inclusion_kg.graph.records import local_name, scheme_concepts
from inclusion_kg.graph.store import Row, Store

__all__ = [
    "PREFIXES",
    "Column",
    "Page",
    "Sort",
    "concept_values",
    "en_label",
    "iri",
    "label_of",
    "page_query",
    "run_page",
    "text_filter",
    "text_pattern",
]

PREFIXES = """PREFIX ikg: <https://w3id.org/inclusion-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

ColumnKind = Literal[
    "refs", "concepts", "concept", "values", "value", "boolean", "count", "classes"
]
_SEP_ITEM = "\n"
_SEP_FIELD = "\t"


@dataclass(frozen=True)
class Column:
    """One field of each listed item.

    Attributes:
        name: the key in the item.
        pattern: SPARQL binding ``?v`` from ``?item`` (and, for ``refs``, ``?vl``: use
            :func:`label_of`).
        kind: how the values are returned: ``refs`` ([{id, label}]), ``concepts`` (slugs
            of ``scheme``), ``concept`` (one slug), ``values`` / ``value`` (lexical forms),
            ``boolean``, ``count`` (distinct values of ``?v``), ``classes`` (local names).
        scheme: for concepts.
    """

    name: str
    pattern: str
    kind: ColumnKind = "values"
    scheme: str | None = None


@dataclass(frozen=True)
class Sort:
    """A sort order: a pattern binding ``?k`` from ``?item``, and its direction."""

    pattern: str
    descending: bool = False


@dataclass(frozen=True)
class Page:
    """One page of a listing.

    Attributes:
        items: the items, each a dict with ``id``, ``label`` and the columns.
        total: how many items match in all.
        limit: the page size asked for.
        offset: where the page starts.
    """

    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    limit: int = 0
    offset: int = 0


def iri(value: str) -> str:
    """Write an IRI for a query, refusing characters that would break out of ``<…>``.

    Raises:
        InputError: the value is not a valid IRI.
    """
    try:
        NamedNode(value)
    except ValueError:
        msg = f"{value!r} is not a valid IRI."
        raise InputError(msg) from None
    return f"<{value}>"


def label_of(var: str, out: str) -> str:
    """A pattern binding ``out`` to an English label of ``var`` (optional)."""
    return f'OPTIONAL {{ {var} rdfs:label {out} FILTER(langMatches(lang({out}), "en")) }}'


def en_label(var: str = "?item", out: str = "?k") -> str:
    """Sort pattern: the lower-cased English label (any label, else the IRI) as ``out``."""
    return (
        f'OPTIONAL {{ {var} rdfs:label ?kEn FILTER(langMatches(lang(?kEn), "en")) }} '
        f"OPTIONAL {{ {var} rdfs:label ?kAny }} "
        f"BIND(LCASE(STR(COALESCE(?kEn, ?kAny, {var}))) AS {out})"
    )


# ---------------------------------------------------------------------------------------
# Free-text search
# ---------------------------------------------------------------------------------------

_EXTRA_VARIANTS = {"l": "łŁ", "o": "øØ", "d": "đĐð", "a": "æÆ", "t": "þÞ", "h": "ħĦ"}


@cache
def _variants() -> dict[str, str]:
    """Map each ASCII letter to itself and the Latin letters that decompose to it."""
    found: dict[str, set[str]] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if base.isascii() and base.isalpha():
            found.setdefault(base, set()).update({char, char.lower(), char.upper()})
    for base, extra in _EXTRA_VARIANTS.items():
        found.setdefault(base, set()).update(extra)
    return {base: base + "".join(sorted(chars - {base})) for base, chars in found.items()}


def text_pattern(text: str) -> str:
    """Make a case- and accent-insensitive XPath regex for ``text`` (use with flag ``i``).

    Letters match their accented forms, digits match themselves, anything else matches
    any one character (so no user text reaches the regex as syntax).

    >>> import re
    >>> bool(re.fullmatch(text_pattern("Gdańsk"), "GDANSK", re.IGNORECASE))
    True
    >>> text_pattern("1+1")
    '1.1'
    """
    stripped = "".join(
        c
        for c in unicodedata.normalize("NFD", text.strip().lower())
        if not unicodedata.combining(c)
    )
    variants = _variants()
    parts = []
    for char in stripped:
        if char in variants:
            parts.append(f"[{variants[char]}]")
        elif char.isascii() and char.isalnum():
            parts.append(char)
        else:
            parts.append(".")
    return "".join(parts)


def text_filter(text: str | None, var: str = "?item") -> str:
    """A pattern binding ``var`` to what has ``text`` in an rdfs:label or skos:altLabel.

    It generates ``var`` (rather than testing it), so a listing starts from the few names
    that match; listings count and group distinct items.
    """
    if not text or not text.strip():
        return ""
    pattern = text_pattern(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'{var} rdfs:label|skos:altLabel ?qName . FILTER(REGEX(STR(?qName), "{pattern}", "i"))'


# ---------------------------------------------------------------------------------------
# The page query
# ---------------------------------------------------------------------------------------


def _aggregate(name: str, var: str, kind: ColumnKind) -> str:
    # COALESCE: an item without a value has one row with the variable unbound, which
    # would make GROUP_CONCAT fail (the empty string is dropped when decoding).
    if kind == "count":
        return f"(COUNT(DISTINCT ?{var}) AS ?{name})"
    if kind == "refs":
        return (
            f'(GROUP_CONCAT(DISTINCT COALESCE(CONCAT(STR(?{var}), "\\t", '
            f'COALESCE(STR(?{var}l), "")), ""); separator="\\n") AS ?{name})'
        )
    return f'(GROUP_CONCAT(DISTINCT COALESCE(STR(?{var}), ""); separator="\\n") AS ?{name})'


def page_query(
    where: str,
    columns: Sequence[Column],
    sort: Sort,
    limit: int,
    offset: int,
) -> str:
    """Build the one SELECT that returns a page of items and the total (see module doc)."""
    direction = "DESC" if sort.descending else "ASC"
    levels: list[tuple[str, str, ColumnKind, str]] = [
        (
            "labelsEn",
            "labelEn",
            "values",
            '?item rdfs:label ?labelEn FILTER(langMatches(lang(?labelEn), "en"))',
        ),
        ("labelsAny", "labelAny", "values", "?item rdfs:label ?labelAny"),
    ]
    for index, column in enumerate(columns):
        var = f"v{index}"
        pattern = re.sub(r"\?v\b", f"?{var}", re.sub(r"\?vl\b", f"?{var}l", column.pattern))
        levels.append((f"c{index}", var, column.kind, pattern))
    query = (
        f"SELECT ?item (MIN(?k) AS ?sortKey) WHERE {{ {where} {sort.pattern} }} "
        f"GROUP BY ?item ORDER BY {direction}(?sortKey) ?item LIMIT {limit} OFFSET {offset}"
    )
    kept = ["?item", "?sortKey"]
    for name, var, kind, pattern in levels:
        query = (
            f"SELECT {' '.join(kept)} {_aggregate(name, var, kind)} WHERE {{\n"
            f"  {{ {query} }}\n  OPTIONAL {{ {pattern} }}\n}} GROUP BY {' '.join(kept)}"
        )
        kept.append(f"?{name}")
    return (
        f"{PREFIXES}SELECT ?total {' '.join(kept)} WHERE {{\n"
        f"  {{ SELECT (COUNT(DISTINCT ?item) AS ?total) WHERE {{ {where} }} }}\n"
        f"  OPTIONAL {{ {query} }}\n"
        f"}} ORDER BY {direction}(?sortKey) ?item"
    )


def _text(row: Mapping[str, object], name: str) -> str:
    value = row.get(name)
    if isinstance(value, OxLiteral | NamedNode):
        return value.value
    return ""


def _split(text: str) -> list[str]:
    return sorted(part for part in text.split(_SEP_ITEM) if part)


def _decode(column: Column, text: str, base: str) -> Any:
    parts = _split(text)
    kind = column.kind
    if kind == "count":
        try:
            return int(text or 0)
        except ValueError:
            return 0
    if kind == "refs":
        refs = []
        for part in parts:
            ref, _, label = part.partition(_SEP_FIELD)
            refs.append({"id": ref, "label": label or local_name(ref)})
        return refs
    if kind in ("concepts", "concept"):
        prefix = f"{base}vocab/{column.scheme}/"
        slugs = [p[len(prefix) :] if p.startswith(prefix) else p for p in parts]
        return slugs if kind == "concepts" else (slugs[0] if slugs else None)
    if kind == "classes":
        return [local_name(p) for p in parts]
    if kind == "boolean":
        if not parts:
            return None
        return parts[0].strip().lower() in ("true", "1")
    if kind == "value":
        return parts[0] if parts else None
    return parts


def run_page(
    store: Store,
    where: str,
    columns: Sequence[Column],
    sort: Sort,
    *,
    limit: int,
    offset: int,
    base: str = BASE,
    timeout: float | None = None,
) -> Page:
    """Run the page query and decode its rows into items.

    Raises:
        QueryTimeout: the listing ran past ``timeout``.
    """
    rows: list[Row] = store.select(page_query(where, columns, sort, limit, offset), timeout=timeout)
    total = 0
    items = []
    for row in rows:
        count = row.get("total")
        if isinstance(count, OxLiteral):
            total = int(count.value)
        item = row.get("item")
        if not isinstance(item, NamedNode):
            continue
        labels = _split(_text(row, "labelsEn")) or _split(_text(row, "labelsAny"))
        entry: dict[str, Any] = {
            "id": item.value,
            "label": labels[0] if labels else local_name(item.value),
        }
        for index, column in enumerate(columns):
            entry[column.name] = _decode(column, _text(row, f"c{index}"), base)
        items.append(entry)
    return Page(items=items, total=total, limit=limit, offset=offset)


def concept_values(scheme: str, values: Sequence[str], what: str, base: str = BASE) -> str:
    """Write concept filter values (slugs or IRIs) as a VALUES list, checking the slugs.

    Raises:
        InputError: a slug is not a concept of the scheme (the message lists them).
    """
    known = scheme_concepts(scheme)
    out = []
    for value in values:
        text = value.strip()
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE):
            out.append(iri(text))
        elif text in known:
            out.append(f"<{base}vocab/{scheme}/{text}>")
        else:
            msg = f"{what}={value!r} is not a concept of {scheme}; use one of: {', '.join(known)}."
            raise InputError(msg)
    return " ".join(out)
