r"""A block's text attribute values as ``<attvalue/>`` texts, the whole column at once.

Why: in a 100,000-actor export most text values are unique (a tie's partnership IRIs,
labels, types), so a memo does not help, and escaping each value in Python cost more than
the rest of the GEXF writer. Here a column is joined into one string, escaped with a few
``str.replace`` calls and cut into cells with ``str.split``: C loops, no Python call per
value. The escapes are exactly :func:`~inclusion_kg.graph.export._xml.quoted` of
:func:`~inclusion_kg.graph.export.network.list_text` (JSON ``\"`` and ``\\`` inside list
items, then ``&amp;``, ``&lt;``, ``&gt;`` and, in single quotes, ``&apos;``). The rare
values that need more (control characters, which JSON spells ``\u0001``; characters XML
cannot carry; a double quote in a plain string, which changes the quoting; an empty list)
are found with one character-class search and handed to the writer's own renderer. A
column that is not all strings (or tuples of strings) gets ``None`` and is rendered value
by value. The texts are the same either way (tested).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

__all__ = ["attr_texts", "float_texts", "list_cells", "string_cells"]

_SEP = "\x00"
"""Between values while a column is one string."""
_ITEM_SEP = "\x01"
"""Between the items of one list value, the same way."""
_NO_XML = "\ud800-\udfff\ufffe\uffff"
"""What XML 1.0 cannot carry even escaped (lone surrogates, U+FFFE/F)."""
_SPACES = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""Whitespace beyond ASCII that ``str.split`` cuts at."""
# The odd characters of each kind of value: one class without the separators for a
# whole column (a separator inside a value shows in the separator count instead), one
# with them for a single value. Control characters are odd everywhere (JSON spells them
# \u0001, XML drops most), but tab, newline and CR in a plain string (character
# references); so is a double quote in a plain string (the value is then single-quoted).
_ODD_PLAIN = re.compile(f'["\x01-\x08\x0b\x0c\x0e-\x1f{_NO_XML}]')
_ODD_PLAIN_ONE = re.compile(f'["\x00-\x08\x0b\x0c\x0e-\x1f{_NO_XML}]')
_ODD_ATTR = re.compile(f"[\x01-\x08\x0b\x0c\x0e-\x1f{_NO_XML}]")
_ODD_ITEM = re.compile(f"[\x02-\x1f{_NO_XML}]")
_ODD_ITEM_ONE = re.compile(f"[\x00-\x1f{_NO_XML}]")
_ODD_SPACED = re.compile(f"[\x01-\x1f{_SPACES}{_NO_XML}]")
_ODD_SPACED_ONE = re.compile(f"[\x00-\x1f{_SPACES}{_NO_XML}]")


_CLEAN: dict[re.Pattern[str], bytes] = {
    pattern: bytes(c for c in range(128) if not pattern.match(chr(c)))
    for pattern in (_ODD_PLAIN, _ODD_ATTR, _ODD_ITEM, _ODD_SPACED)
}
"""For each whole-column class, the ASCII characters it does not match."""


def _finds(odd: re.Pattern[str], joined: str) -> bool:
    """Whether ``odd`` (a whole-column class) matches a character of ``joined``.

    Why: the regular expression engine tests a character class character by character
    (about 9 ns each here, on columns of a megabyte); for ASCII text (most columns),
    ``bytes.translate`` deleting the characters the class does not match leaves
    something exactly when it would have matched, six times faster.
    """
    if joined.isascii():
        return bool(joined.encode("ascii").translate(None, _CLEAN[odd]))
    return odd.search(joined) is not None


def _odd_spacing(joined: str) -> bool:
    """Whether some value of ``joined`` has spaces ``str.split`` would read differently."""
    return (
        "  " in joined
        or joined.startswith(" ")
        or joined.endswith(" ")
        or f" {_SEP}" in joined
        or f"{_SEP} " in joined
    )


def _xml(text: str) -> str:
    """Escape what an attribute value must (``&`` first, so no reference is escaped)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _json(text: str) -> str:
    """Escape what a JSON string must, control characters aside."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    return text


def _cut(prefix: str, joined: str, suffix: str) -> list[str]:
    """``prefix + value + suffix`` for each value of ``joined`` (values between ``_SEP``)."""
    return (prefix + joined.replace(_SEP, suffix + _SEP + prefix) + suffix).split(_SEP)


def _merge(
    values: list[Any], odd: list[bool] | None, cells: list[str], render: Callable[[Any], str]
) -> list[str]:
    """Cells in place: "" for None, ``render(v)`` for the odd values, else the next cell.

    ``odd`` has one flag per value that is not None (None: none is odd); ``cells`` one
    text per value that is neither None nor odd.
    """
    texts = iter(cells)
    if odd is None:
        return [next(texts) if v is not None else "" for v in values]
    flags = iter(odd)
    return ["" if v is None else render(v) if next(flags) else next(texts) for v in values]


def string_cells(prefix: str, values: list[Any], render: Callable[[Any], str]) -> list[str] | None:
    """``<attvalue …="value"/>`` per value ("" for None), or None when not all strings.

    Args:
        prefix: the cell's text up to the value, ``<attvalue for="3" value=``.
        values: the column: strings or None.
        render: the cell of a value with a double quote or a control character.
    """
    present = [v for v in values if v is not None] if None in values else values
    if not present:
        return [""] * len(values)
    if set(map(type, present)) != {str}:
        return None
    joined = _SEP.join(present)
    odd: list[bool] | None = None
    if joined.count(_SEP) != len(present) - 1 or _finds(_ODD_PLAIN, joined):
        odd = [match is not None for match in map(_ODD_PLAIN_ONE.search, present)]
        joined = _SEP.join([v for v, bad in zip(present, odd, strict=True) if not bad])
    text = _xml(joined)  # before the character references, whose & must stay
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    cells = _cut(prefix + '"', text, '"/>') if odd is None or not all(odd) else []
    return cells if present is values and odd is None else _merge(values, odd, cells, render)


def list_cells(
    prefix: str, values: list[Any], render: Callable[[Any], str], *, spaced: bool
) -> list[str] | None:
    """``<attvalue …='["a", "b"]'/>`` per value ("" for None), or None for other values.

    The text is the JSON array of the items, in single quotes (it holds double quotes).

    Args:
        prefix: the cell's text up to the value.
        values: tuples of strings, or (``spaced``) strings of space-separated IRIs.
        render: the cell of a value with a control character, or of an empty list.
        spaced: the values are the projection's space-separated IRI lists.
    """
    present = [v for v in values if v is not None] if None in values else values
    if not present:
        return [""] * len(values)
    odd: list[bool] | None = None
    if spaced:
        if set(map(type, present)) != {str}:
            return None
        joined = _SEP.join(present)
        if (
            joined.count(_SEP) != len(present) - 1
            or "" in present
            or _finds(_ODD_SPACED, joined)
            or _odd_spacing(joined)
        ):
            odd = [
                not v or _ODD_SPACED_ONE.search(v) is not None or _odd_spacing(v) for v in present
            ]
            joined = _SEP.join([v for v, bad in zip(present, odd, strict=True) if not bad])
        separator = " "
    else:
        if set(map(type, present)) != {tuple}:
            return None
        try:
            flat = list(map(_ITEM_SEP.join, present))
        except TypeError:  # an item that is not a string
            return None
        joined = _SEP.join(flat)
        if (
            () in present
            or joined.count(_SEP) != len(present) - 1
            or joined.count(_ITEM_SEP) != sum(map(len, present)) - len(present)
            or _finds(_ODD_ITEM, joined)
        ):
            odd = [not v or _ODD_ITEM_ONE.search("".join(v)) is not None for v in present]
            joined = _SEP.join([f for f, bad in zip(flat, odd, strict=True) if not bad])
        separator = _ITEM_SEP
    text = _xml(_json(joined))
    if "'" in text:
        text = text.replace("'", "&apos;")
    text = text.replace(separator, '", "')
    cells = _cut(prefix + "'[\"", text, "\"]'/>") if odd is None or not all(odd) else []
    return cells if present is values and odd is None else _merge(values, odd, cells, render)


def attr_texts(values: list[str], attr: Callable[[str], str]) -> list[str]:
    """``attr(v)`` for each string (ids and labels of nodes), the whole list at once.

    Args:
        values: strings.
        attr: :func:`~inclusion_kg.graph.export._xml.attr`, for a list holding a
            character it drops (then every value goes through it).
    """
    joined = _SEP.join(values)
    if joined.count(_SEP) != len(values) - 1 or _finds(_ODD_ATTR, joined):
        return list(map(attr, values))
    text = _xml(joined)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    return text.split(_SEP) if values else []


def float_texts(values: list[float]) -> list[str]:
    """The shortest texts that read back as exactly these finite floats, all at once.

    Why: ``repr`` of a float costs about a microsecond here and a 100,000-actor GEXF
    holds some two million unique ones (metrics, strengths, sizes). orjson writes a list
    of floats as JSON with the same shortest round-trip digits, six times faster, and
    ``str.split`` cuts it into cells. Its exponents have no ``+`` or leading zero
    (``1e-6`` where ``repr`` writes ``1e-06``), as valid an ``xs:double`` and as
    readable for Gephi, Java, JavaScript and Python. Only finite floats: orjson writes
    NaN and infinities as ``null``.
    """
    return orjson.dumps(values).decode()[1:-1].split(",") if values else []
