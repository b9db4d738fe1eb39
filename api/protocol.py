"""SPARQL 1.1 Protocol plumbing shared by ``/sparql`` and ``/update``.

- :func:`operation_form` tells a SELECT from an ASK, a CONSTRUCT/DESCRIBE or an update
  before anything runs (with :func:`inclusion_kg.graph.sparql.inspect_operation`), so
  content negotiation can pick a media type and an update sent to the query endpoint can
  be refused with a useful message;
- :func:`apply_protocol_dataset` turns the ``using-graph-uri`` / ``using-named-graph-uri``
  parameters of an update request into ``USING`` / ``USING NAMED`` clauses (SPARQL 1.1
  Protocol section 2.2.3), refusing a request that also names its dataset in the text;
- :func:`read_operation` reads a query or update out of a GET or POST request in any of
  the three ways the protocol allows and refuses every other shape with a 4xx.

The scanner here only looks at the *top level* of the text (outside braces, strings,
IRIs and comments); parsing proper is the engine's job, and its error message is what a
caller sees for a malformed query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs

from starlette.requests import Request

from inclusion_kg.api.conneg import parse_content_type
from inclusion_kg.api.errors import PROBLEM_BASE, HTTPProblem
from inclusion_kg.graph.sparql import inspect_operation

__all__ = [
    "FORM",
    "SPARQL_QUERY",
    "SPARQL_UPDATE",
    "Operation",
    "OperationForm",
    "apply_protocol_dataset",
    "check_iri",
    "operation_form",
    "read_operation",
    "with_base",
]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

OperationForm = Literal["solutions", "boolean", "graph", "update"]

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<long_string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}();,]*)?|:[^\s{}();,]*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<semicolon>;)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    depth: int


def _tokens(text: str) -> Iterator[_Token]:
    """Yield the tokens of ``text`` with their brace depth; whitespace and comments dropped."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in {"ws", "comment"}:
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
        yield _Token(kind, match.group(), match.start(), depth)
        if kind == "open":
            depth += 1


def _skip_prologue(tokens: Sequence[_Token]) -> int:
    """Return the index of the first token after ``BASE``/``PREFIX`` declarations."""
    index = 0
    while index < len(tokens):
        keyword = tokens[index].text.upper()
        if keyword == "BASE":
            index += 2
        elif keyword == "PREFIX":
            index += 3
        else:
            break
    return index


def operation_form(text: str) -> OperationForm | None:
    r"""Tell what a SPARQL request is, from the library's tokenizer, before anything runs.

    Returns None when the text starts with nothing recognisable; the engine then reports
    the syntax error.

    >>> operation_form("PREFIX ex: <http://example.org/> # comment\nask { ?s ?p ?o }")
    'boolean'
    >>> operation_form("INSERT DATA { <a:s> <a:p> 1 }")
    'update'
    """
    operation = inspect_operation(text)
    if operation.form == "update":
        return "update"
    return operation.kind


def apply_protocol_dataset(
    update: str, using_graph_uris: Sequence[str], using_named_graph_uris: Sequence[str]
) -> str:
    """Add the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to an update.

    Each ``DELETE``/``INSERT … WHERE`` operation gets ``USING <g>`` / ``USING NAMED <g>``
    clauses before its ``WHERE``; other operations are left alone. SPARQL 1.1 Protocol
    2.2.3 says a request that names its dataset both ways is an error.

    Raises:
        HTTPProblem: 400 when the update also has ``USING`` or ``WITH``, or an IRI is not
            a valid absolute IRI.

    >>> apply_protocol_dataset("INSERT { ?s a <a:T> } WHERE { ?s ?p ?o }", ["a:g"], [])
    'INSERT { ?s a <a:T> } USING <a:g> WHERE { ?s ?p ?o }'
    """
    if not using_graph_uris and not using_named_graph_uris:
        return update
    for iri in (*using_graph_uris, *using_named_graph_uris):
        check_iri(iri)
    clauses = " ".join(
        [f"USING <{iri}>" for iri in using_graph_uris]
        + [f"USING NAMED <{iri}>" for iri in using_named_graph_uris]
    )
    tokens = [token for token in _tokens(update) if token.depth == 0]
    inserts: list[int] = []
    operation: list[_Token] = []
    for token in [*tokens, _Token("semicolon", ";", len(update), 0)]:
        if token.kind != "semicolon":
            operation.append(token)
            continue
        words = [t.text.upper() for t in operation if t.kind == "word"]
        if "WITH" in words or "USING" in words:
            raise HTTPProblem(
                400,
                "The update names its dataset with USING or WITH and the request also sends "
                "using-graph-uri/using-named-graph-uri; the SPARQL 1.1 Protocol forbids both "
                "at once. Keep one of the two.",
                title="Conflicting dataset",
                type_=PROBLEM_BASE + "input-error",
            )
        body = operation[_skip_prologue(operation) :]
        first = body[0].text.upper() if body else ""
        second = body[1].text.upper() if len(body) > 1 else ""
        is_modify = first in {"DELETE", "INSERT"} and second not in {"DATA", "WHERE"}
        if is_modify:
            where = next((t for t in body if t.kind == "word" and t.text.upper() == "WHERE"), None)
            if where is not None:
                inserts.append(where.start)
        operation = []
    for position in reversed(inserts):
        update = f"{update[:position]}{clauses} {update[position:]}"
    return update


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")
_SCHEME = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")


def with_base(text: str, base: str) -> str:
    """Give a query or update with relative IRIs the service's base IRI.

    SPARQL 1.1 Protocol lets the service define the base against which relative IRIs
    resolve; here it is ``IKG_BASE_IRI``, so ``<id/city/palermo>`` names the entity the
    service serves. A ``BASE`` in the text itself still wins (it comes later). Text without
    relative IRIs is returned as it is, so the engine's error positions stay exact; with
    them, ``BASE <…>`` goes on the first line, which shifts columns of line 1 only.

    >>> with_base("SELECT * { <id/city/palermo> ?p ?o }", "https://w3id.org/inclusion-kg/")
    'BASE <https://w3id.org/inclusion-kg/> SELECT * { <id/city/palermo> ?p ?o }'
    >>> with_base("ASK { <http://a.example/> ?p ?o }", "https://w3id.org/inclusion-kg/")
    'ASK { <http://a.example/> ?p ?o }'
    """
    operation = inspect_operation(text)  # cached: the route has inspected it already
    if operation.checked:
        relative = operation.relative_iris
    else:  # not SPARQL the library can tokenize; look for relative IRIs all the same
        relative = any(
            token.kind == "iri" and not _SCHEME.match(token.text) for token in _tokens(text)
        )
    return f"BASE <{base}> {text}" if relative else text


def check_iri(iri: str) -> None:
    """Refuse anything but an absolute IRI (it is pasted between ``<`` and ``>``).

    Raises:
        HTTPProblem: 400 naming the bad value.
    """
    if not _IRI.fullmatch(iri):
        raise HTTPProblem(
            400,
            f"{iri!r} is not an absolute IRI; graph names must look like 'https://…'.",
            title="Bad graph IRI",
            type_=PROBLEM_BASE + "input-error",
        )


@dataclass(frozen=True)
class Operation:
    """A query or update read from a request, with the dataset the request names."""

    text: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()


def _bad_request(detail: str, *, status: int = 400, title: str | None = None) -> HTTPProblem:
    return HTTPProblem(status, detail, title=title, type_=PROBLEM_BASE + "protocol-error")


def _decode_utf8(body: bytes, charset: str | None) -> str:
    if charset is not None and charset.lower().replace("_", "-") not in {"utf-8", "utf8"}:
        msg = (
            f"The body is declared as charset={charset}; SPARQL requests must be UTF-8. "
            "Re-encode the text as UTF-8 (or drop the charset parameter)."
        )
        raise _bad_request(msg, status=415, title="Unsupported charset")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        msg = f"The body is not valid UTF-8 ({error}); SPARQL requests must be UTF-8."
        raise _bad_request(msg) from error


def _single(values: Sequence[str], name: str) -> str | None:
    if len(values) > 1:
        msg = f"The request carries {len(values)} '{name}' parameters; send exactly one."
        raise _bad_request(msg)
    return values[0] if values else None


async def read_operation(
    request: Request,
    field: Literal["query", "update"],
    *,
    direct_type: str,
    dataset_params: tuple[str, str],
) -> Operation | None:
    """Read a query (``field="query"``) or update out of ``request`` per SPARQL 1.1 Protocol.

    A GET takes ``?query=``; a POST is either a form (``application/x-www-form-urlencoded``,
    the text in ``query=``/``update=``) or the text itself with ``direct_type``.
    ``dataset_params`` names the two repeatable dataset parameters
    (``default-graph-uri``/``named-graph-uri``, or ``using-…`` for updates); with a form
    they may come in the body as well as in the URL.

    Returns None for a GET without the field (the caller answers with a service
    description).

    Raises:
        HTTPProblem: 400 for a repeated or missing field, a non-UTF-8 body or the other
            kind of operation; 415 for any other content type.
    """
    url_params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        url_params.setdefault(key, []).append(value)
    other = "update" if field == "query" else "query"
    params = url_params
    if request.method == "POST":
        media, content_params = parse_content_type(request.headers.get("content-type"))
        body = await request.body()
        if media == FORM:
            text = _decode_utf8(body, content_params.get("charset"))
            try:
                form = parse_qs(text, keep_blank_values=True, strict_parsing=False)
            except ValueError as error:
                msg = f"The form body cannot be parsed: {error}"
                raise _bad_request(msg) from error
            params = {key: url_params.get(key, []) + form.get(key, []) for key in url_params | form}
            if other in form:
                raise _wrong_endpoint(field)
            found = _single(params.get(field, []), field)
            if found is None:
                msg = f"The form has no '{field}' field; send {field}=<the SPARQL text>."
                raise _bad_request(msg)
            value = found
        elif media == direct_type:
            value = _decode_utf8(body, content_params.get("charset"))
            if url_params.get(field):
                msg = (
                    f"The {field} is both in the body and in the URL's '{field}' parameter; "
                    "send it once."
                )
                raise _bad_request(msg)
        elif media in {SPARQL_QUERY, SPARQL_UPDATE}:
            raise _wrong_endpoint(field)
        else:
            shown = f"'{media}'" if media else "no Content-Type"
            msg = (
                f"A SPARQL {field} POST must be sent as {FORM} ({field}=…) or as {direct_type}; "
                f"this one has {shown}."
            )
            raise _bad_request(msg, status=415, title="Unsupported Media Type")
    else:
        if other in url_params:
            raise _wrong_endpoint(field)
        found = _single(url_params.get(field, []), field)
        if found is None:
            return None
        value = found
    default_param, named_param = dataset_params
    return Operation(
        text=value,
        default_graph_uris=tuple(_checked_iris(params.get(default_param, []))),
        named_graph_uris=tuple(_checked_iris(params.get(named_param, []))),
    )


def _checked_iris(values: Sequence[str]) -> list[str]:
    for value in values:
        check_iri(value)
    return list(values)


def _wrong_endpoint(field: Literal["query", "update"]) -> HTTPProblem:
    if field == "query":
        return _bad_request(
            "This is the query endpoint; a SPARQL Update goes to /update as a POST "
            "(application/sparql-update, or a form with update=…) with "
            "'Authorization: Bearer <IKG_API_TOKEN>'.",
            title="Update sent to the query endpoint",
        )
    return _bad_request(
        "This is the update endpoint; a SPARQL query goes to /sparql.",
        title="Query sent to the update endpoint",
    )
