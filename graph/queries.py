"""The analysts' cookbook: the study's questions as named SPARQL queries.

Each question is a file ``graph/queries/{name}.rq`` that opens with two comment lines::

    # title: Cities whose migrant council has a budget
    # description: Which cities give their migrant council money of its own ...

They are shipped as package data and read with :func:`importlib.resources.files`, so the
docs, the query editor's examples and the seed tests all use the same text. The queries
expect the store's layout: seed or user data in named graphs, the ontology and schemes in
``…/graph/ontology``, and the default graph as the union of all graphs.

>>> names = [query.name for query in cookbook()]
>>> "cities-councils-with-budget" in names
True
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

from inclusion_kg.graph.errors import InputError, NotFound

__all__ = ["CookbookQuery", "cookbook", "cookbook_query"]

_SUFFIX = ".rq"
_TITLE = "# title:"
_DESCRIPTION = "# description:"


@dataclass(frozen=True, slots=True)
class CookbookQuery:
    """One named question of the cookbook.

    Attributes:
        name: The file name without ``.rq``, a stable slug such as ``recommendations``.
        title: A short human title, from the ``# title:`` line.
        description: One sentence on what the query answers, from ``# description:``.
        sparql: The full query text, header comments included.
    """

    name: str
    title: str
    description: str
    sparql: str


def _header(name: str, sparql: str, prefix: str) -> str:
    for line in sparql.splitlines():
        if line.startswith(prefix):
            value = line[len(prefix) :].strip()
            if value:
                return value
        elif line.strip() and not line.startswith("#"):
            break
    msg = (
        f"Cookbook query {name!r} has no '{prefix}' comment line before the query: start the "
        f"file graph/queries/{name}{_SUFFIX} with '# title: …' and '# description: …'."
    )
    raise InputError(msg)


def cookbook() -> list[CookbookQuery]:
    """Return every cookbook query shipped with the package, sorted by name.

    Raises:
        InputError: A query file lacks its ``# title:`` or ``# description:`` line.
    """
    folder = files("inclusion_kg.graph") / "queries"
    queries: list[CookbookQuery] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not (entry.is_file() and entry.name.endswith(_SUFFIX)):
            continue
        name = entry.name[: -len(_SUFFIX)]
        sparql = entry.read_text(encoding="utf-8")
        queries.append(
            CookbookQuery(
                name=name,
                title=_header(name, sparql, _TITLE),
                description=_header(name, sparql, _DESCRIPTION),
                sparql=sparql,
            )
        )
    return queries


def cookbook_query(name: str) -> CookbookQuery:
    """Return the cookbook query called ``name`` (its file name without ``.rq``).

    Raises:
        NotFound: No shipped query has that name.
    """
    for query in cookbook():
        if query.name == name:
            return query
    known = ", ".join(query.name for query in cookbook())
    msg = f"No cookbook query named {name!r}; the cookbook has: {known}."
    raise NotFound(msg)
