r"""What a SPARQL request is, what it may fetch, and how its execution is bounded.

Shared by every store backend:

**Inspection.** :func:`inspect_operation` reads a query or update with a real SPARQL
tokenizer (strings, long strings, IRIs, comments, prefixed names, variables), not a regex
over the raw text, so ``"SERVICE"`` in a literal, ``# LOAD`` in a comment or ``ex:service``
as a name are not mistaken for keywords. It reports the form (SELECT, ASK, CONSTRUCT,
DESCRIBE or an update), whether the query names its own dataset (FROM / FROM NAMED), its
outer LIMIT, and every URL the operation would fetch (SERVICE, LOAD), with prefixed names
and relative IRIs resolved against the prologue's PREFIX and BASE.

**Fetch policy.** :func:`check_fetches` refuses SERVICE and LOAD unless the target starts
with an allow-listed prefix (``settings.allowed_urls``); a target that cannot be known
before running (``SERVICE ?endpoint``, an undeclared prefix) is refused. Codepoint escapes
(``S\u0045RVICE``) are checked as well, since some engines expand them before parsing.
FROM / FROM NAMED only select graphs of the store: pyoxigraph never downloads them.

**Bounded execution.** pyoxigraph releases the GIL while it evaluates but has no way to
cancel a query (``oxigraph serve --timeout-s`` has one; the Python binding does not expose
it, and Ctrl-C is not checked). A thread past its deadline would keep burning a core, so
:class:`QueryWorkers` evaluates bounded queries in child processes forked from the
process that holds the store, and kills a child (SIGKILL) when its request's deadline
passes. A fork is a copy-on-write snapshot: an in-memory store is simply there, and an
on-disk RocksDB store is read through the inherited handles, at the state of the fork
(repeatable read). Workers only read; they leave with ``os._exit`` (no destructor runs, so
they never touch the database files), close every inherited socket but their own, and
exit when the parent does. A worker stays warm for the next request until the store is
written to: every write retires the workers forked before it, so the next query forks a
fresh one, and no worker is forked while a write is in progress (a child copied then
would wait forever on the writer's lock). Requests travel as JSON over a Unix socket with
the result file passed as a descriptor. Measured on an idle machine: a fork costs about
4 ms on a small store, 6 ms with 100k triples on disk and 46 ms with 1M triples in memory
(copying the page tables); a warm worker adds a few milliseconds at most (it is a round
trip over a socket plus the scheduling of a process). Cancellation lands within tens of
milliseconds of the deadline. A fork can copy a lock that another thread (a RocksDB
background thread, a reader) held at that instant; the child then waits on it for ever.
While a worker evaluates, :class:`~inclusion_kg.graph.procwatch.Liveness` watches it, and
a worker asleep in a futex with no CPU progress for a second is killed and the request
runs again in a fresh fork (at most ``max_hang_retries`` times; ``hangs`` counts them).
Writes stay in the parent: they cannot be killed without losing atomicity, so updates are
not time-bounded on the embedded backends.

**Row cap.** Results are cut at ``settings.max_rows`` while they are produced, so a query
that would return millions of rows stops early: solutions are first written as SPARQL TSV
(one solution per line, tabs and newlines escaped) through a writer that stops after the
cap, then re-serialised by pyoxigraph into the requested format; graphs go the same way
through N-Triples. A SELECT whose own outer LIMIT is within the cap skips the detour.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import json
import logging
import os
import re
import select
import signal
import socket
import struct
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Literal, NoReturn, cast
from urllib.parse import urljoin

from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from inclusion_kg.graph.errors import (
    BackendUnavailable,
    Forbidden,
    IkgError,
    InputError,
    NotFound,
    QueryTimeout,
)
from inclusion_kg.graph.procwatch import Liveness, close_inherited_sockets
from inclusion_kg.graph.slots import Slots

__all__ = [
    "OUTPUT_PREFIXES",
    "QUERY_FORMS",
    "Fetch",
    "Operation",
    "OperationForm",
    "QueryWorkers",
    "Request",
    "Runner",
    "SpooledChunks",
    "check_fetches",
    "check_query",
    "check_update",
    "error_status",
    "inspect_operation",
    "raise_for_status",
    "run_in_thread",
    "url_allowed",
    "write_result",
    "write_solutions",
    "write_triples",
]

_log = logging.getLogger(__name__)

OperationForm = Literal["select", "ask", "construct", "describe", "update"]

_QUERY_FORMS: dict[str, OperationForm] = {
    "SELECT": "select",
    "ASK": "ask",
    "CONSTRUCT": "construct",
    "DESCRIBE": "describe",
}
_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

OUTPUT_PREFIXES: dict[str, str] = {
    "ikg": "https://w3id.org/inclusion-kg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
}
"""Prefixes written into Turtle, TriG and RDF/XML output (the ontology's, plus DCAT and VoID)."""


# ---------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: Literal["iri", "string", "var", "bnode", "pname", "word", "lang", "number", "punct"]
    text: str


class _UntokenizableError(Exception):
    """The text holds something that is not a SPARQL token."""


_WS = re.compile(r"[ \t\r\n]+")
_COMMENT = re.compile(r"#[^\r\n]*")
_IRIREF = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
_STRINGS = (
    re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''", re.DOTALL),
    re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""', re.DOTALL),
    re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
    re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
)
_VAR = re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+")
_BNODE = re.compile(r"_:[\w\-.\u00B7\u0300-\u036F\u203F-\u2040]+")
_PNAME = re.compile(
    r"(?:[^\W\d_][\w\-.\u00B7\u0300-\u036F\u203F-\u2040]*)?:"
    r"(?:[\w\-.:\u00B7\u0300-\u036F\u203F-\u2040]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])*"
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?")
_NUMBER = re.compile(r"(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_PUNCT = re.compile(r"\^\^|\|\||&&|!=|<=|>=|<<\(|\)>>|<<|>>|\{\||\|\}|~|[{}()\[\];,.*+\-/<>=!|^?$]")


def _tokens(text: str) -> Iterator[_Token]:
    """Yield the significant tokens of a SPARQL text (whitespace and comments dropped).

    Raises:
        _UntokenizableError: at a character that starts no SPARQL token.
    """
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        match = _WS.match(text, position) or _COMMENT.match(text, position)
        if match:
            position = match.end()
            continue
        token: _Token | None = None
        if char == "<":
            match = _IRIREF.match(text, position)
            if match:
                token = _Token("iri", match.group())
        elif char in "'\"":
            for pattern in _STRINGS:
                match = pattern.match(text, position)
                if match:
                    token = _Token("string", match.group())
                    break
            else:
                msg = f"unterminated string at offset {position}"
                raise _UntokenizableError(msg)
        elif char in "?$":
            match = _VAR.match(text, position)
            if match:
                token = _Token("var", match.group())
        elif text.startswith("_:", position):
            match = _BNODE.match(text, position)
            if match:
                token = _Token("bnode", match.group().rstrip("."))
        elif char == "@":
            match = _LANGTAG.match(text, position)
            if match:
                token = _Token("lang", match.group())
        elif char.isdigit() or (char == "." and text[position + 1 : position + 2].isdigit()):
            match = _NUMBER.match(text, position)
            if match:
                token = _Token("number", match.group())
        if token is None and (char == ":" or char.isalpha()):
            match = _PNAME.match(text, position)
            if match:
                token = _Token("pname", _strip_final_dots(match.group()))
            else:
                match = _WORD.match(text, position)
                if match:
                    token = _Token("word", match.group())
        if token is None:
            match = _PUNCT.match(text, position)
            if not match:
                msg = f"unexpected {char!r} at offset {position}"
                raise _UntokenizableError(msg)
            token = _Token("punct", match.group())
        position += len(token.text)
        yield token


def _strip_final_dots(pname: str) -> str:
    """A prefixed name cannot end with '.' unless escaped: give the dots back as punctuation."""
    while pname.endswith(".") and not pname.endswith("\\."):
        pname = pname[:-1]
    return pname


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _expand_codepoints(text: str) -> str:
    r"""Expand ``\uXXXX`` / ``\UXXXXXXXX`` as SPARQL 1.1 (19.2) lets engines do before parsing."""

    def replace(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF else match.group()

    return _CODEPOINT.sub(replace, text)


_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


# ---------------------------------------------------------------------------------------
# Inspection
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetch:
    """A URL an operation would fetch.

    Attributes:
        keyword: ``SERVICE`` or ``LOAD``.
        written: the target as written in the request (``<…>``, ``ex:x`` or ``?var``).
        url: the absolute URL it resolves to, or None when it cannot be known in advance.
    """

    keyword: Literal["SERVICE", "LOAD"]
    written: str
    url: str | None


@dataclass(frozen=True)
class Operation:
    """What :func:`inspect_operation` found in a SPARQL request.

    Attributes:
        form: the query form, ``"update"``, or None when the text starts with nothing
            recognisable (the engine then reports the syntax error).
        has_dataset: the query names its dataset with FROM / FROM NAMED.
        limit: the LIMIT of the outermost query, if any.
        fetches: every SERVICE and LOAD target.
        checked: False when the text could not be tokenized; a fetch could then hide in it.
        lookup: for a SELECT or ASK of one triple pattern with a constant subject and
            nothing but an optional LIMIT, that subject's IRI (else None). The engine does
            a bounded amount of work per result row (no filter, join, sort or offset can
            make it scan without producing), so the embedded store may answer it in
            process (see ``OxigraphStore``).
    """

    form: OperationForm | None
    has_dataset: bool = False
    limit: int | None = None
    fetches: tuple[Fetch, ...] = field(default_factory=tuple)
    checked: bool = True
    lookup: str | None = None
    relative_iris: bool = False
    """Some IRI in the text is relative (it needs a base to resolve against)."""

    @property
    def kind(self) -> Literal["solutions", "boolean", "graph"] | None:
        """The kind of result the query produces (None for updates and unknown forms)."""
        if self.form == "select":
            return "solutions"
        if self.form == "ask":
            return "boolean"
        if self.form in ("construct", "describe"):
            return "graph"
        return None


class _Scanner:
    """Walk the tokens once and collect what :class:`Operation` reports."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.base: str | None = None
        self.prefixes: dict[str, str] = {}
        self.form: OperationForm | None = None
        self.has_dataset = False
        self.limit: int | None = None
        self.fetches: list[Fetch] = []
        self.vendor_pragma = False

    def _at(self, index: int) -> _Token | None:
        return self.tokens[index] if index < len(self.tokens) else None

    def _resolve_iri(self, token: _Token) -> str:
        value = _expand_codepoints(token.text[1:-1])
        if _SCHEME.match(value):
            return value
        return urljoin(self.base, value) if self.base else value

    def _resolve(self, token: _Token) -> str | None:
        if token.kind == "iri":
            url = self._resolve_iri(token)
            return url if _SCHEME.match(url) else None
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.prefixes:
                return None
            return self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        return None

    def scan(self) -> None:
        depth = 0
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            upper = token.text.upper() if token.kind == "word" else ""
            if token.kind == "punct" and token.text == "{":
                depth += 1
            elif token.kind == "punct" and token.text == "}":
                depth = max(0, depth - 1)
            elif upper == "BASE":
                following = self._at(index + 1)
                if following is not None and following.kind == "iri":
                    self.base = self._resolve_iri(following)
                    index += 1
            elif upper == "PREFIX":
                name, iri = self._at(index + 1), self._at(index + 2)
                if name is not None and iri is not None and iri.kind == "iri":
                    self.prefixes[name.text.rstrip(":")] = self._resolve_iri(iri)
                    index += 2
            elif upper == "DEFINE" and self.form is None:
                self.vendor_pragma = True
            elif upper in ("SERVICE", "LOAD"):
                index = self._fetch(index, cast(Literal["SERVICE", "LOAD"], upper))
                if upper == "LOAD" and self.form is None:
                    self.form = "update"
                continue
            elif upper and self.form is None:
                if upper in _QUERY_FORMS:
                    self.form = _QUERY_FORMS[upper]
                elif upper in _UPDATE_KEYWORDS:
                    self.form = "update"
            elif upper == "FROM" and depth == 0:
                self.has_dataset = True
            elif upper == "LIMIT" and depth == 0:
                following = self._at(index + 1)
                if (
                    following is not None
                    and following.kind == "number"
                    and following.text.isdigit()
                ):
                    self.limit = int(following.text)
            index += 1

    def _fetch(self, index: int, keyword: Literal["SERVICE", "LOAD"]) -> int:
        index += 1
        target = self._at(index)
        if target is not None and target.kind == "word" and target.text.upper() == "SILENT":
            index += 1
            target = self._at(index)
        if target is None:
            self.fetches.append(Fetch(keyword, "", None))
            return index
        self.fetches.append(Fetch(keyword, target.text, self._resolve(target)))
        return index + 1


_FETCH_WORD = re.compile(r"(?i)(?<![\w:?$])(SERVICE|LOAD)(?![\w:])")


def _scan(text: str) -> tuple[_Scanner | None, str | None]:
    try:
        tokens = list(_tokens(text))
    except _UntokenizableError as error:
        return None, str(error)
    scanner = _Scanner(tokens)
    scanner.scan()
    return scanner, None


@functools.lru_cache(maxsize=512)
def inspect_operation(sparql: str) -> Operation:
    r"""Tell what a SPARQL query or update is and which URLs it would fetch.

    Cached (the last 512 texts): the service inspects each request more than once (to
    negotiate, to resolve relative IRIs, to check fetches), and clients repeat queries.

    >>> op = inspect_operation('PREFIX x: <http://a.example/> SELECT * { SERVICE x:q {} }')
    >>> op.form, [f.url for f in op.fetches]
    ('select', ['http://a.example/q'])
    >>> inspect_operation('SELECT * { ?s ?p "SERVICE <http://b.example/>" } # LOAD <x:y>').fetches
    ()
    >>> inspect_operation("ASK FROM <http://g.example/> { ?s ?p ?o } LIMIT 5").has_dataset
    True
    """
    readings = [sparql]
    if "\\u" in sparql or "\\U" in sparql:
        # Engines that follow SPARQL 1.1 section 19.2 expand codepoint escapes before
        # parsing, so check that reading too (pyoxigraph does not; remote engines may).
        readings.append(_expand_codepoints(sparql))
    primary: _Scanner | None = None
    fetches: list[Fetch] = []
    checked = True
    for reading in readings:
        scanner, _ = _scan(reading)
        if scanner is None:
            checked = False
            fetches.extend(
                Fetch(cast(Literal["SERVICE", "LOAD"], m.group(1).upper()), m.group(), None)
                for m in _FETCH_WORD.finditer(reading)
            )
            continue
        primary = primary or scanner
        seen = {(fetch.keyword, fetch.url) for fetch in fetches if fetch.url is not None}
        fetches.extend(
            f for f in scanner.fetches if f.url is None or (f.keyword, f.url) not in seen
        )
        if scanner.vendor_pragma:
            fetches.append(Fetch("LOAD", "DEFINE", None))
    if primary is None:
        return Operation(form=None, fetches=tuple(fetches), checked=False)
    return Operation(
        form=primary.form,
        has_dataset=primary.has_dataset,
        limit=primary.limit,
        fetches=tuple(fetches),
        checked=checked,
        lookup=_lookup_subject(primary) if checked and not fetches else None,
        relative_iris=any(
            token.kind == "iri" and not _SCHEME.match(token.text[1:]) for token in primary.tokens
        ),
    )


def _word(token: _Token | None, *words: str) -> bool:
    return token is not None and token.kind == "word" and token.text.upper() in words


def _punct(token: _Token | None, text: str) -> bool:
    return token is not None and token.kind == "punct" and token.text == text


def _lookup_subject(scanner: _Scanner) -> str | None:
    """The subject IRI of a point lookup (see :func:`_is_point_lookup`), else None."""
    tokens = scanner.tokens
    if not _is_point_lookup(tokens):
        return None
    brace = next(i for i, token in enumerate(tokens) if _punct(token, "{"))
    return scanner._resolve(tokens[brace + 1])


def _is_point_lookup(tokens: Sequence[_Token]) -> bool:
    """``[prologue] SELECT [DISTINCT] vars|* | ASK  [WHERE] { s p o [.] } [LIMIT n]``.

    ``s`` an IRI or prefixed name; ``p`` also a variable or ``a``; ``o`` any term but a
    blank node or a collection. Anything else (FROM, FILTER, OPTIONAL, a second pattern,
    ORDER BY, OFFSET, VALUES…) is not a lookup.

    >>> _is_point_lookup(list(_tokens("SELECT ?p ?o WHERE { <http://a.example/s> ?p ?o }")))
    True
    >>> _is_point_lookup(list(_tokens("SELECT * { ?s ?p ?o } LIMIT 1")))
    False
    """
    at = dict(enumerate(tokens)).get
    i = 0
    while _word(at(i), "BASE", "PREFIX"):
        i += 2 if _word(at(i), "BASE") else 3
    if _word(at(i), "SELECT"):
        i += 1
        i += _word(at(i), "DISTINCT", "REDUCED")
        if _punct(at(i), "*"):
            i += 1
        else:
            start = i
            while (token := at(i)) is not None and token.kind == "var":
                i += 1
            if i == start:
                return False
    elif _word(at(i), "ASK"):
        i += 1
    else:
        return False
    i += _word(at(i), "WHERE")
    if not _punct(at(i), "{"):
        return False
    subject, predicate, obj = at(i + 1), at(i + 2), at(i + 3)
    i += 4
    if subject is None or subject.kind not in ("iri", "pname"):
        return False
    if predicate is None or not (
        predicate.kind in ("iri", "pname", "var") or predicate.text == "a"
    ):
        return False
    if obj is None or not (
        obj.kind in ("iri", "pname", "var", "string", "number") or _word(obj, "TRUE", "FALSE")
    ):
        return False
    if obj.kind == "string":
        if (token := at(i)) is not None and token.kind == "lang":
            i += 1
        elif (
            _punct(at(i), "^^")
            and (token := at(i + 1)) is not None
            and token.kind
            in (
                "iri",
                "pname",
            )
        ):
            i += 2
    i += _punct(at(i), ".")
    if not _punct(at(i), "}"):
        return False
    i += 1
    if _word(at(i), "LIMIT") and (token := at(i + 1)) is not None and token.text.isdigit():
        i += 2
    return i == len(tokens)


def url_allowed(url: str, allowed_urls: Sequence[str]) -> bool:
    """Whether ``url`` starts with an allow-listed prefix, at a path boundary.

    ``http://a.example`` allows ``http://a.example/sparql`` but not ``http://a.example.evil/``.

    >>> url_allowed("http://a.example/sparql", ["http://a.example"])
    True
    >>> url_allowed("http://a.example.evil/sparql", ["http://a.example"])
    False
    """
    for prefix in allowed_urls:
        if not prefix or not url.startswith(prefix):
            continue
        if len(url) == len(prefix) or prefix[-1] in "/#?=&" or url[len(prefix)] in "/?#":
            return True
    return False


def check_fetches(operation: Operation, allowed_urls: Sequence[str]) -> None:
    """Refuse an operation that would fetch a URL the operator has not allow-listed.

    Raises:
        Forbidden: a SERVICE or LOAD target is not allow-listed, or cannot be known before
            running (a variable, an undeclared prefix), or a vendor pragma (``DEFINE``) asks
            the engine for behaviour of its own.
    """
    for fetch in operation.fetches:
        if fetch.written == "DEFINE":
            msg = "Vendor pragmas (DEFINE …) are refused: they can make an engine fetch URLs."
            raise Forbidden(msg)
        if fetch.url is not None and url_allowed(fetch.url, allowed_urls):
            continue
        what = f"{fetch.keyword} {fetch.written}".strip()
        if fetch.url is None:
            reason = (
                "its target cannot be checked before running"
                if operation.checked
                else "the request could not be read well enough to check what it fetches"
            )
        else:
            reason = f"<{fetch.url}> is not on the allow-list"
        msg = (
            f"{what} is refused: {reason}. The service fetches no URL named in a request unless "
            "the operator allow-lists its prefix (IKG_ALLOWED_URLS)."
        )
        raise Forbidden(msg)


QUERY_FORMS: tuple[OperationForm, ...] = ("select", "ask", "construct", "describe")


def check_query(
    sparql: str, allowed_urls: Sequence[str], forms: Sequence[OperationForm] = QUERY_FORMS
) -> Operation:
    """Inspect a query and refuse what it may not do; return what it is.

    Raises:
        InputError: it is an update, or not one of ``forms``.
        Forbidden: it would fetch a URL that is not allow-listed (SERVICE).
    """
    operation = inspect_operation(sparql)
    if operation.form == "update":
        msg = "This is a SPARQL Update, not a query; send it as an update."
        raise InputError(msg)
    if operation.form is not None and operation.form not in forms:
        wanted = " or ".join(form.upper() for form in forms)
        msg = f"Expected a {wanted} query, got {operation.form.upper()}."
        raise InputError(msg)
    check_fetches(operation, allowed_urls)
    return operation


def check_update(sparql: str, allowed_urls: Sequence[str]) -> Operation:
    """Inspect an update and refuse what it may not do; return what it is.

    Raises:
        InputError: it is a query.
        Forbidden: it would LOAD (or SERVICE) a URL that is not allow-listed.
    """
    operation = inspect_operation(sparql)
    if operation.form in QUERY_FORMS:
        msg = "This is a SPARQL query, not an update; send it as a query."
        raise InputError(msg)
    check_fetches(operation, allowed_urls)
    return operation


# ---------------------------------------------------------------------------------------
# Writing results, with the row cap
# ---------------------------------------------------------------------------------------


class _CapReachedError(Exception):
    """Raised into the serialiser to stop it once the cap is reached."""


class _LineCap(io.RawIOBase):
    """A writer that passes through the first ``limit`` lines and then stops the producer."""

    def __init__(self, sink: IO[bytes], limit: int) -> None:
        super().__init__()
        self._sink = sink
        self._remaining = limit
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if self._remaining <= 0:
            if chunk:
                self.truncated = True
                raise _CapReachedError
            return 0
        lines = chunk.count(b"\n")
        if lines < self._remaining or (lines == self._remaining and chunk.endswith(b"\n")):
            self._remaining -= lines
            self._sink.write(chunk)
            return len(chunk)
        cut = -1
        for _ in range(self._remaining):
            cut = chunk.index(b"\n", cut + 1)
        self._sink.write(chunk[: cut + 1])
        self._remaining = 0
        self.truncated = True
        raise _CapReachedError


def _spool() -> IO[bytes]:
    return cast(IO[bytes], tempfile.SpooledTemporaryFile(max_size=32 << 20))


def write_solutions(
    solutions: QuerySolutions,
    out: IO[bytes],
    fmt: QueryResultsFormat,
    max_rows: int | None,
) -> bool:
    """Serialise SELECT solutions into ``out``, at most ``max_rows`` of them.

    Returns:
        True when rows were left out because of the cap.
    """
    if max_rows is None:
        solutions.serialize(out, fmt)
        return False
    target = out if fmt == QueryResultsFormat.TSV else _spool()
    cap = _LineCap(target, max_rows + 1)  # the header line, then one line per solution
    try:
        with contextlib.suppress(_CapReachedError):
            solutions.serialize(cast(IO[bytes], cap), QueryResultsFormat.TSV)
        if target is not out:
            target.seek(0)
            parse_query_results(target, QueryResultsFormat.TSV).serialize(out, fmt)
    finally:
        if target is not out:
            target.close()
    return cap.truncated


def write_triples(
    triples: QueryTriples | Iterable[Triple],
    out: IO[bytes],
    fmt: RdfFormat,
    max_rows: int | None,
) -> bool:
    """Serialise CONSTRUCT/DESCRIBE triples into ``out``, at most ``max_rows`` of them.

    Output in Turtle, TriG and RDF/XML uses the :data:`OUTPUT_PREFIXES` it needs.

    Returns:
        True when triples were left out because of the cap.
    """
    buffer = _spool()
    try:
        cap = _LineCap(buffer, max_rows if max_rows is not None else 1 << 62)
        with contextlib.suppress(_CapReachedError):
            if isinstance(triples, QueryTriples):
                triples.serialize(cast(IO[bytes], cap), RdfFormat.N_TRIPLES)
            else:
                serialize(triples, cast(IO[bytes], cap), RdfFormat.N_TRIPLES)
        buffer.seek(0)
        if fmt == RdfFormat.N_TRIPLES:
            while chunk := buffer.read(1 << 20):
                out.write(chunk)
        else:
            content = buffer.read()
            prefixes = {
                prefix: namespace
                for prefix, namespace in OUTPUT_PREFIXES.items()
                if b"<" + namespace.encode() in content
            }
            serialize(parse(content, RdfFormat.N_TRIPLES), out, fmt, prefixes=prefixes or None)
    finally:
        buffer.close()
    return cap.truncated


def write_result(
    result: QuerySolutions | QueryBoolean | QueryTriples,
    out: IO[bytes],
    fmt: QueryResultsFormat | RdfFormat,
    max_rows: int | None,
) -> tuple[Literal["solutions", "boolean", "graph"], bool]:
    """Serialise any query result; return its kind and whether the cap cut it.

    Raises:
        InputError: the format does not fit the kind of result.
    """
    if isinstance(result, QueryBoolean):
        if not isinstance(fmt, QueryResultsFormat):
            msg = f"An ASK result cannot be written as {fmt.media_type}."
            raise InputError(msg)
        result.serialize(out, fmt)
        return "boolean", False
    if isinstance(result, QuerySolutions):
        if not isinstance(fmt, QueryResultsFormat):
            msg = f"A SELECT result cannot be written as {fmt.media_type}."
            raise InputError(msg)
        return "solutions", write_solutions(result, out, fmt, max_rows)
    if not isinstance(fmt, RdfFormat):
        msg = f"A CONSTRUCT or DESCRIBE result cannot be written as {fmt.media_type}."
        raise InputError(msg)
    return "graph", write_triples(result, out, fmt, max_rows)


# ---------------------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------------------


class SpooledChunks(Iterator[bytes]):
    """The bytes of a finished result, read back from its spool file in chunks.

    Closes the file when exhausted, on :meth:`close`, or when garbage collected.
    """

    CHUNK = 1 << 16

    def __init__(self, spool: IO[bytes]) -> None:
        self._spool: IO[bytes] | None = spool

    def __iter__(self) -> SpooledChunks:
        return self

    def __next__(self) -> bytes:
        if self._spool is None:
            raise StopIteration
        chunk = self._spool.read(self.CHUNK)
        if not chunk:
            self.close()
            raise StopIteration
        return chunk

    def read_all(self) -> bytes:
        """Return everything that is left and close."""
        return b"".join(self)

    def close(self) -> None:
        """Release the spool file."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def __del__(self) -> None:
        self.close()


Request = Mapping[str, Any]
"""A JSON-able description of read-only work (what to query, how to write the result)."""

Runner = Callable[[Request, IO[bytes]], Mapping[str, object]]
"""Carries out a request against the store and writes its output into the file it is given;
returns a small JSON-able status. It runs in a worker, on the store as it was at the fork."""


def error_status(error: BaseException) -> dict[str, object]:
    """Describe an exception raised in a worker so the parent can raise the right error."""
    if isinstance(error, SyntaxError):
        return {"ok": False, "error": "syntax", "message": str(error)}
    if isinstance(error, InputError | Forbidden | NotFound):
        return {"ok": False, "error": "input", "message": str(error)}
    if isinstance(error, OSError):
        return {"ok": False, "error": "storage", "message": str(error)}
    if isinstance(error, MemoryError):
        return {"ok": False, "error": "memory", "message": "out of memory"}
    if isinstance(error, ValueError | TypeError | RuntimeError):
        return {"ok": False, "error": "evaluation", "message": str(error)}
    return {"ok": False, "error": "internal", "message": f"{type(error).__name__}: {error}"}


def raise_for_status(status: Mapping[str, object], what: str = "The query") -> None:
    """Raise the library error a worker's failure status stands for.

    Raises:
        InputError: the request does not parse or cannot be evaluated.
        BackendUnavailable: the store failed to read, or the worker ran out of memory.
    """
    if status.get("ok"):
        return
    error, message = status.get("error"), str(status.get("message", ""))
    if error == "syntax":
        msg = f"{what} does not parse: {message}"
        raise InputError(msg)
    if error in ("input", "evaluation"):
        raise InputError(f"{what} failed: {message}" if error == "evaluation" else message)
    if error == "memory":
        msg = f"{what} needed more memory than the service has; make it more selective."
        raise InputError(msg)
    msg = f"{what} could not be evaluated by the store: {message}"
    raise BackendUnavailable(msg)


@dataclass
class _Worker:
    pid: int
    sock: socket.socket
    generation: int


class QueryWorkers:
    """A pool of forked, read-only workers; each request has a deadline that kills its worker.

    A worker is a child process forked from the process that holds the store, so it sees
    the store as it was at the fork. It serves requests one at a time over a Unix socket
    (the request as JSON, the result file passed as a file descriptor) and stays warm for
    the next one, so a query pays the fork only when no warm worker is left. Every write
    to the store must call :meth:`invalidate`: workers forked before it would answer from
    the old state, so they are retired and the next request forks a fresh one.

    Args:
        runner: what a worker does with a request.
        max_workers: requests evaluated at once; more wait (within their deadline) for a slot.
        max_idle: warm workers kept between requests.
    """

    def __init__(
        self, runner: Runner, max_workers: int | None = None, max_idle: int | None = None
    ) -> None:
        self._runner = runner
        self.max_workers = max_workers or max(2, 2 * (os.cpu_count() or 1))
        self.max_idle = min(4, self.max_workers) if max_idle is None else max_idle
        self._slots = Slots(self.max_workers)
        self._lock = threading.Lock()
        self._write_gate = threading.Lock()
        self._fork_gate = threading.Lock()
        self._closed = False
        self._idle: list[_Worker] = []
        self._workers: dict[int, _Worker] = {}
        self.generation = 0
        self.watch_hangs = True
        """Whether to watch workers for deadlocks (:mod:`inclusion_kg.graph.procwatch`)."""
        self.max_hang_retries = 3
        self.hangs = 0
        """How many workers were found deadlocked and replaced."""
        self.active: set[int] = set()
        """Process ids of the workers evaluating a request right now."""

    @staticmethod
    def available() -> bool:
        """Whether this platform can fork and pass descriptors (POSIX); else work runs here."""
        return (
            hasattr(os, "fork")
            and hasattr(select, "poll")
            and hasattr(socket, "send_fds")
            and hasattr(socket, "AF_UNIX")
        )

    @property
    def idle(self) -> int:
        """How many warm workers wait for a request."""
        return len(self._idle)

    @property
    def idle_pids(self) -> tuple[int, ...]:
        """The process ids of the warm workers waiting for a request."""
        with self._lock:
            return tuple(worker.pid for worker in self._idle)

    def invalidate(self) -> None:
        """The store changed: retire the workers that hold the old state."""
        with self._lock:
            self.generation += 1
            stale, self._idle = self._idle, []
        for worker in stale:
            self._retire(worker)

    def run(
        self, request: Request, *, timeout: float, what: str = "The query"
    ) -> tuple[dict[str, object], IO[bytes]]:
        """Carry out ``request`` in a worker and wait at most ``timeout`` seconds for it.

        Returns:
            The runner's status and the output file, positioned at its start (the caller
            closes it).

        Raises:
            QueryTimeout: the deadline passed (the worker has been killed), or no worker
                slot freed up before it.
            InputError: the request failed (syntax, evaluation).
            BackendUnavailable: the store failed, or the worker died.
        """
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout):
            raise _busy(self.max_workers, timeout, what)
        try:
            with _spooled(what) as spool:
                payload = json.dumps(request).encode()
                worker = self._take_idle() or self._spawn(deadline)
                retries = self.max_hang_retries
                while True:
                    worker = self._send(worker, payload, spool, deadline)
                    watch = Liveness(worker.pid) if self.watch_hangs else None
                    reply = _read_line(worker.sock, deadline, watch)
                    status = self._settle(worker, reply, watch, spool, retries, timeout, what)
                    if status is not None:
                        return status, spool
                    retries -= 1
                    worker = self._spawn(deadline)
        finally:
            self._slots.release()

    async def arun(
        self, request: Request, *, timeout: float, what: str = "The query"
    ) -> tuple[dict[str, object], IO[bytes]]:
        """:meth:`run` for an event loop: it waits for the worker without taking a thread.

        A warm worker is used on the loop itself; waiting for a free slot or forking a new
        worker (which may have to wait for a write to finish) goes to a thread. Same
        results and errors as :meth:`run`.
        """
        deadline = time.monotonic() + timeout
        if not await self._slots.aacquire(timeout):
            raise _busy(self.max_workers, timeout, what)
        try:
            with _spooled(what) as spool:
                payload = json.dumps(request).encode()
                idle = self._take_idle()
                worker = (
                    idle if idle is not None else await asyncio.to_thread(self._spawn, deadline)
                )
                retries = self.max_hang_retries
                while True:
                    worker = self._send(worker, payload, spool, deadline)
                    watch = Liveness(worker.pid) if self.watch_hangs else None
                    reply = await _aread_line(worker.sock, deadline, watch)
                    status = self._settle(worker, reply, watch, spool, retries, timeout, what)
                    if status is not None:
                        return status, spool
                    retries -= 1
                    worker = await asyncio.to_thread(self._spawn, deadline)
        finally:
            self._slots.release()

    def _send(self, worker: _Worker, payload: bytes, spool: IO[bytes], deadline: float) -> _Worker:
        """Hand the request to ``worker``; a warm one that died while idle is replaced once."""
        try:
            _send_request(worker.sock, payload, spool.fileno())
        except OSError:
            self._retire(worker)
            worker = self._spawn(deadline)
            _send_request(worker.sock, payload, spool.fileno())
        return worker

    def _settle(
        self,
        worker: _Worker,
        reply: bytes | None,
        watch: Liveness | None,
        spool: IO[bytes],
        retries: int,
        timeout: float,
        what: str,
    ) -> dict[str, object] | None:
        """Turn a worker's reply into the request's status; None means "run it again".

        Raises:
            QueryTimeout: the deadline passed.
            BackendUnavailable: the worker died, or too many deadlocked.
            InputError: the request failed in the worker.
        """
        described = watch.describe() if watch else "not watched"
        if reply is _STUCK:
            # Deadlocked on a lock copied at the fork (see procwatch); the request only
            # reads, so a fresh worker can run it again from the start.
            self._retire(worker)
            self.hangs += 1
            _log.warning("query worker %d deadlocked (%s); retrying", worker.pid, described)
            if retries <= 0:
                msg = f"{what} could not be evaluated: {self.hangs} query workers deadlocked."
                raise BackendUnavailable(msg)
            spool.seek(0)
            spool.truncate()
            return None
        if reply is None:
            self._retire(worker)
            _log.info("query worker %d stopped at its deadline (%s)", worker.pid, described)
            msg = (
                f"{what} ran longer than {timeout:g} s and was stopped. Make it more selective "
                "(a LIMIT, fewer OPTIONAL or regex filters), or ask the operator to raise "
                "IKG_QUERY_TIMEOUT."
            )
            raise QueryTimeout(msg)
        if not reply:
            wait_status = self._retire(worker)
            died = (
                f"was killed by signal {os.WTERMSIG(wait_status)}"
                if wait_status is not None and os.WIFSIGNALED(wait_status)
                else "stopped"
            )
            msg = f"The worker evaluating {what.lower()} {died} (out of memory, or shut down)."
            raise BackendUnavailable(msg)
        self._release(worker)
        status = cast(dict[str, object], json.loads(reply))
        raise_for_status(status, what)
        spool.seek(0)
        return status

    def _take_idle(self) -> _Worker | None:
        """A warm worker of the current generation, if one waits; never blocks."""
        if self._closed:
            msg = "The store has been closed."
            raise BackendUnavailable(msg)
        stale: list[_Worker] = []
        try:
            with self._lock:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.generation == self.generation:
                        self.active.add(worker.pid)
                        return worker
                    stale.append(worker)
        finally:
            for worker in stale:
                self._retire(worker)
        return None

    def _spawn(self, deadline: float) -> _Worker:
        # Never fork while the store is being written: a writer inside pyoxigraph holds
        # locks that a child, copied at that instant, would wait on forever (seen with the
        # in-memory store under continuous writes). Warm workers keep serving meanwhile.
        if not self._write_gate.acquire(timeout=max(0.0, deadline - time.monotonic())):
            msg = "The store was busy writing until the query's deadline; try again."
            raise QueryTimeout(msg)
        try:
            return self._fork()
        finally:
            self._write_gate.release()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold off new workers while the store is written, then retire the old ones.

        Every write to the store must run inside ``with workers.writing():``.
        """
        stale: list[_Worker] = []
        try:
            with self._write_gate:
                try:
                    yield
                finally:
                    with self._lock:
                        self.generation += 1
                        stale, self._idle = self._idle, []
        finally:
            for worker in stale:
                self._retire(worker)

    @contextlib.contextmanager
    def reading_here(self) -> Iterator[bool]:
        """Hold off forks while this thread reads the store itself; yields False if busy.

        A fork copies the locks the store's readers hold at that instant; a short read
        in this process (the embedded store's lookups) therefore never overlaps one. It
        never waits: when a fork is under way it yields False and the caller uses a
        worker instead.
        """
        if not self._fork_gate.acquire(blocking=False):
            yield False
            return
        try:
            yield True
        finally:
            self._fork_gate.release()

    def _fork(self) -> _Worker:
        with self._fork_gate, self._lock, warnings.catch_warnings():
            # Python 3.12+ warns that fork() in a threaded process may deadlock; a worker
            # only reads the store, and one that hangs is killed at the deadline.
            warnings.simplefilter("ignore", DeprecationWarning)
            parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            siblings = [worker.sock.fileno() for worker in self._workers.values()]
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker
                _worker_main(self._runner, child_end, [parent_end.fileno(), *siblings])
            child_end.close()
            worker = _Worker(pid, parent_end, self.generation)
            self._workers[pid] = worker
            self.active.add(pid)
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self.active.discard(worker.pid)
            keep = (
                not self._closed
                and worker.generation == self.generation
                and len(self._idle) < self.max_idle
            )
            if keep and worker.pid in self._workers:
                self._idle.append(worker)
                return
        self._retire(worker)

    def _retire(self, worker: _Worker) -> int | None:
        """Kill a worker, reap it and forget it; return its wait status."""
        with self._lock:
            self.active.discard(worker.pid)
            known = self._workers.pop(worker.pid, None) is not None
        worker.sock.close()
        if not known:
            return None
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        try:
            return os.waitpid(worker.pid, 0)[1]
        except ChildProcessError:
            return None

    def kill_all(self) -> None:
        """Kill every worker (the store is closing); requests in flight get an error."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = [w for w in self._workers.values() if w not in idle]
        for worker in busy:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        for worker in idle:
            self._retire(worker)


def _busy(max_workers: int, timeout: float, what: str) -> QueryTimeout:
    msg = (
        f"{what} waited {timeout:g} s for one of the {max_workers} query workers; "
        "the service is busy, try again."
    )
    return QueryTimeout(msg)


def _new_spool() -> IO[bytes]:
    """An anonymous in-memory file (Linux ``memfd``), else a temporary file on disk.

    A memfd costs a sixth of a ``TemporaryFile`` (no directory entry to create and
    unlink). Results are capped at ``max_rows``, which bounds what it holds.
    """
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("ikg-result", os.MFD_CLOEXEC)
        return os.fdopen(fd, "w+b")
    return cast(IO[bytes], tempfile.TemporaryFile())


@contextlib.contextmanager
def _spooled(what: str) -> Iterator[IO[bytes]]:
    """A temporary file for a result: closed if the request fails, handed over if not."""
    try:
        spool = _new_spool()
    except OSError as error:
        msg = f"{what} could not get a temporary file for its result: {error}"
        raise BackendUnavailable(msg) from None
    try:
        yield spool
    except OSError as error:  # no process, descriptor or temporary space left
        spool.close()
        msg = f"{what} could not be given to a query worker: {error}"
        raise BackendUnavailable(msg) from None
    except BaseException:
        spool.close()
        raise


_LENGTH = struct.Struct("!Q")


def _send_request(sock: socket.socket, payload: bytes, fd: int) -> None:
    """Send the length, the request and the result's descriptor in one message.

    One ``sendmsg`` wakes the worker once; the rest of a request too large for the
    socket's buffer follows with ``sendall``.
    """
    message = _LENGTH.pack(len(payload)) + payload
    sent = socket.send_fds(sock, [message], [fd])
    if sent < len(message):
        sock.sendall(message[sent:])


_STUCK = b"stuck"
"""What :func:`_read_line` returns for a worker that can never answer (a reply ends in \\n)."""


def _read_line(sock: socket.socket, deadline: float, watch: Liveness | None = None) -> bytes | None:
    """Read a worker's reply (one line).

    Returns:
        The reply; None if the deadline passes; b"" if the worker died; ``_STUCK`` if
        ``watch`` finds it deadlocked.
    """
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN | select.POLLHUP | select.POLLERR)
    data = bytearray()
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        if watch is not None and not data and watch.stuck():
            return _STUCK
        step = remaining if watch is None else min(remaining, watch.interval * 2)
        if not poller.poll(max(1, int(step * 1000) + 1)):
            continue
        try:
            chunk = sock.recv(1 << 16)
        except OSError:  # the worker was killed (connection reset)
            return b""
        if not chunk:
            return b""
        data += chunk
    return bytes(data)


async def _aread_line(
    sock: socket.socket, deadline: float, watch: Liveness | None = None
) -> bytes | None:
    """:func:`_read_line` on the running event loop (same results)."""
    loop = asyncio.get_running_loop()
    data = bytearray()
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        if watch is not None and not data and watch.stuck():
            return _STUCK
        step = remaining if watch is None else min(remaining, watch.interval * 2)
        if not await _readable(loop, sock, step):
            continue
        try:
            chunk = sock.recv(1 << 16, socket.MSG_DONTWAIT)
        except BlockingIOError:
            continue
        except OSError:  # the worker was killed (connection reset)
            return b""
        if not chunk:
            return b""
        data += chunk
    return bytes(data)


async def _readable(loop: asyncio.AbstractEventLoop, sock: socket.socket, timeout: float) -> bool:
    """Wait until ``sock`` can be read (or has hung up), at most ``timeout`` seconds."""
    ready: asyncio.Future[None] = loop.create_future()
    fd = sock.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
    return True


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(min(size - len(data), 1 << 20))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _worker_main(
    runner: Runner, sock: socket.socket, inherited: list[int]
) -> NoReturn:  # pragma: no cover
    """Body of a worker: serve requests until the parent hangs up, then leave without cleanup."""
    try:
        for fd in inherited:
            with contextlib.suppress(OSError):
                os.close(fd)
        close_inherited_sockets(sock.fileno())
        while True:
            # The parent sends one request and waits for its reply, so what arrives here
            # is the start of exactly one message (usually all of it).
            data, fds, _, _ = socket.recv_fds(sock, 1 << 16, 1)
            if not data:
                break
            if len(data) < _LENGTH.size:
                data += _recv_exactly(sock, _LENGTH.size - len(data)) or b""
            size = _LENGTH.unpack(data[: _LENGTH.size])[0]
            payload: bytes | None = data[_LENGTH.size :]
            if payload is not None and len(payload) < size:
                payload += _recv_exactly(sock, size - len(payload)) or b""
            if payload is None or len(payload) != size or not fds:
                break
            with os.fdopen(fds[0], "wb") as out:
                try:
                    status: dict[str, object] = {"ok": True, **runner(json.loads(payload), out)}
                    out.flush()
                except BaseException as error:  # every failure is reported to the parent
                    status = error_status(error)
            sock.sendall(json.dumps(status).encode() + b"\n")
    finally:
        os._exit(0)


def run_in_thread(
    runner: Runner, request: Request, what: str = "The query"
) -> tuple[dict[str, object], IO[bytes]]:
    """Carry out ``request`` here, unbounded: for platforms that cannot fork.

    Raises:
        InputError: the request failed.
        BackendUnavailable: the store failed.
    """
    spool = _new_spool()
    try:
        try:
            status: dict[str, object] = {"ok": True, **runner(request, spool)}
        except IkgError:
            raise
        except Exception as error:  # mapped to the library's errors like a worker's
            status = error_status(error)
        raise_for_status(status, what)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return status, spool
