"""Content negotiation: ``Accept`` parsing with q-values, and the media types the service speaks.

The rules follow RFC 9110 section 12.5.1: each media range carries a quality ``q``
(default 1); an offer takes the quality of the *most specific* range that matches it
(``text/turtle`` beats ``text/*`` beats ``*/*``); ``q=0`` means "not acceptable"; among
offers of equal quality the server's order of preference wins. When nothing the client
accepts is on offer the answer is 406, listing what is.

Common generic types are understood as their RDF meaning, because SPARQL clients send
them: ``application/json`` is SPARQL JSON for a SELECT/ASK and JSON-LD for a graph,
``application/xml`` and ``text/xml`` are SPARQL XML or RDF/XML, ``text/plain`` is
N-Triples. A response always names the canonical media type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "BOOLEAN_TYPES",
    "CSV",
    "DATASET_TYPES",
    "GRAPH_TYPES",
    "JSON",
    "JSON_LD",
    "N_QUADS",
    "N_TRIPLES",
    "RDF_FORMAT_NAMES",
    "RDF_XML",
    "RESULT_FORMAT_NAMES",
    "SOLUTION_TYPES",
    "TRIG",
    "TSV",
    "TURTLE",
    "XML",
    "MediaRange",
    "NotAcceptable",
    "canonical_rdf_type",
    "media_type_for_format",
    "negotiate",
    "parse_accept",
    "parse_content_type",
]

# SPARQL 1.1 query results
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
# RDF
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
N_QUADS = "application/n-quads"
TRIG = "application/trig"

SOLUTION_TYPES: tuple[str, ...] = (JSON, XML, CSV, TSV)
"""What a SELECT can be answered in, most preferred first."""
BOOLEAN_TYPES: tuple[str, ...] = (JSON, XML)
"""What an ASK can be answered in (CSV and TSV define no boolean form)."""
GRAPH_TYPES: tuple[str, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, N_QUADS, TRIG)
"""What a CONSTRUCT, DESCRIBE or one graph can be answered in."""
DATASET_TYPES: tuple[str, ...] = (N_QUADS, TRIG)
"""What a whole dataset (several graphs) can be answered in."""

_RESULT_ALIASES: Mapping[str, str] = {
    "application/json": JSON,
    "application/xml": XML,
    "text/xml": XML,
    "application/sparql-results+csv": CSV,
    "application/sparql-results+tsv": TSV,
}
_RDF_ALIASES: Mapping[str, str] = {
    "application/json": JSON_LD,
    "application/xml": RDF_XML,
    "text/xml": RDF_XML,
    "text/plain": N_TRIPLES,
    "application/x-turtle": TURTLE,
    "application/turtle": TURTLE,
    "text/n3": TURTLE,
    "text/rdf+n3": TURTLE,
    "application/x-trig": TRIG,
    "text/x-nquads": N_QUADS,
    "application/nquads": N_QUADS,
}

RESULT_FORMAT_NAMES: Mapping[str, str] = {
    "json": JSON,
    "srj": JSON,
    "xml": XML,
    "srx": XML,
    "csv": CSV,
    "tsv": TSV,
}
RDF_FORMAT_NAMES: Mapping[str, str] = {
    "turtle": TURTLE,
    "ttl": TURTLE,
    "ntriples": N_TRIPLES,
    "nt": N_TRIPLES,
    "json-ld": JSON_LD,
    "jsonld": JSON_LD,
    "json": JSON_LD,
    "rdfxml": RDF_XML,
    "rdf": RDF_XML,
    "xml": RDF_XML,
    "nquads": N_QUADS,
    "nq": N_QUADS,
    "trig": TRIG,
}
"""Short names accepted by the ``format`` query parameter (handy in a browser's address bar).

``json`` and ``xml`` mean SPARQL JSON/XML for SELECT and ASK, JSON-LD and RDF/XML for
graphs (as SPARQLWrapper, which sends ``format=xml`` for a CONSTRUCT, expects)."""


def media_type_for_format(name: str, offers: Sequence[str]) -> str:
    """Resolve a ``format`` parameter (short name or media type) against ``offers``.

    Raises:
        NotAcceptable: the format names nothing on offer.

    >>> media_type_for_format("xml", GRAPH_TYPES)
    'application/rdf+xml'
    >>> media_type_for_format("text/csv", SOLUTION_TYPES)
    'text/csv'
    """
    key = name.strip().lower()
    names = RESULT_FORMAT_NAMES if offers and offers[0] in SOLUTION_TYPES else RDF_FORMAT_NAMES
    media = names.get(key, key)
    if media not in offers:
        asked = f"format={name}"
        raise NotAcceptable(asked, offers)
    return media


_EXACT = 2


class NotAcceptable(Exception):
    """Nothing the client accepts is on offer (HTTP 406)."""

    def __init__(self, accept: str, offers: Sequence[str]) -> None:
        self.accept = accept
        self.offers = tuple(offers)
        super().__init__(
            f"None of the media types in 'Accept: {accept}' can be produced here; "
            f"ask for one of: {', '.join(self.offers)}."
        )


@dataclass(frozen=True)
class MediaRange:
    """One element of an ``Accept`` header, such as ``text/*;q=0.5``."""

    type: str
    subtype: str
    q: float = 1.0
    params: tuple[tuple[str, str], ...] = ()

    @property
    def essence(self) -> str:
        """Return ``type/subtype`` without parameters."""
        return f"{self.type}/{self.subtype}"

    @property
    def specificity(self) -> int:
        """Return 2 for ``type/subtype``, 1 for ``type/*``, 0 for ``*/*``."""
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        """Tell whether this range covers ``media_type`` (lower-case, no parameters)."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return True
        if self.type != main:
            return False
        return self.subtype in {"*", sub}


def _split_params(text: str) -> tuple[str, list[tuple[str, str]]]:
    head, *rest = text.split(";")
    params = []
    for param in rest:
        name, _, value = param.partition("=")
        params.append((name.strip().lower(), value.strip().strip('"')))
    return head.strip().lower(), params


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an ``Accept`` header into media ranges, skipping malformed elements.

    A missing or empty header means ``*/*``.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/turtle;q=0.5, */*;q=0.1")]
    [('text', 'turtle', 0.5), ('*', '*', 0.1)]
    """
    if not header or not header.strip():
        return [MediaRange("*", "*")]
    ranges = []
    for element in header.split(","):
        if not element.strip():
            continue
        media, params = _split_params(element)
        main, slash, sub = media.partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        other = []
        for name, value in params:
            if name == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
            else:
                other.append((name, value))
        ranges.append(MediaRange(main, sub, q, tuple(other)))
    return ranges or [MediaRange("*", "*")]


def _quality(ranges: Sequence[MediaRange], offer: str, aliases: Sequence[str]) -> tuple[float, int]:
    """Return (q, precedence) of the most specific range that matches ``offer``.

    Precedence: 3 the offer's own name, 2 a generic alias of it (``application/json``),
    1 ``type/*``, 0 ``*/*``; -1 when nothing matches.
    """
    best_q, best_precedence = 0.0, -1
    for media_range in ranges:
        if media_range.matches(offer):
            precedence = 3 if media_range.specificity == _EXACT else media_range.specificity
        elif media_range.specificity == _EXACT and media_range.essence in aliases:
            precedence = 2
        else:
            continue
        if precedence > best_precedence:
            best_q, best_precedence = media_range.q, precedence
    return best_q, best_precedence


def negotiate(
    accept: str | None, offers: Sequence[str], *, aliases: Mapping[str, str] | None = None
) -> str:
    """Pick the best of ``offers`` (ordered by the server's preference) for an ``Accept`` header.

    ``aliases`` maps generic types a client may ask for to the offer that serves them;
    by default the aliases for SPARQL results or for RDF are chosen from the offers.

    Raises:
        NotAcceptable: the client accepts none of the offers.

    >>> negotiate("text/csv;q=0.9, application/sparql-results+xml", SOLUTION_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("application/json", GRAPH_TYPES)
    'application/ld+json'
    >>> negotiate(None, GRAPH_TYPES)
    'text/turtle'
    """
    ranges = parse_accept(accept)
    if aliases is None:
        aliases = _RESULT_ALIASES if offers and offers[0] in SOLUTION_TYPES else _RDF_ALIASES
    best_q = 0.0
    chosen: str | None = None
    for offer in offers:
        names = [alias for alias, target in aliases.items() if target == offer]
        q, _ = _quality(ranges, offer, names)
        # Equal quality: the server's order of preference decides (the first offer wins).
        if q > best_q:
            best_q, chosen = q, offer
    if chosen is None:
        raise NotAcceptable(accept or "*/*", offers)
    return chosen


def parse_content_type(header: str | None) -> tuple[str, dict[str, str]]:
    """Split a ``Content-Type`` header into its lower-case media type and parameters.

    >>> parse_content_type("application/sparql-query; charset=UTF-8")
    ('application/sparql-query', {'charset': 'UTF-8'})
    """
    if not header:
        return "", {}
    media, params = _split_params(header)
    return media, dict(params)


def canonical_rdf_type(media_type: str) -> str | None:
    """Map an uploaded RDF ``Content-Type`` to the canonical type the store parses, or None.

    >>> canonical_rdf_type("application/x-turtle")
    'text/turtle'
    """
    media = media_type.lower()
    if media in GRAPH_TYPES:
        return media
    return _RDF_ALIASES.get(media)
