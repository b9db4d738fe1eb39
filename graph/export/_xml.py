"""XML text for the streaming writers: escaping that always yields well-formed XML 1.0."""

from __future__ import annotations

import re

__all__ = ["attr", "clean", "quoted", "text"]

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry at all (even escaped): they are dropped."""
_ATTR_ANY = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
"""Anything :func:`attr` has to touch (one search decides the common, untouched case)."""
_TEXT_SPECIAL = re.compile("[&<>\r]")
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def clean(value: str) -> str:
    r"""Drop the characters XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/F).

    >>> clean("a\x00b\x1fc")
    'abc'
    """
    return _INVALID.sub("", value) if _INVALID.search(value) else value


def _escape(value: str, quote: str) -> str:
    value = clean(value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace('"', "&quot;") if quote == '"' else value.replace("'", "&apos;")
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    return value


def attr(value: str) -> str:
    r"""Return ``value`` escaped for a double-quoted attribute (whitespace kept as refs).

    >>> attr('a "b" & <c>\n')
    'a &quot;b&quot; &amp; &lt;c&gt;&#10;'
    """
    if _ATTR_ANY.search(value) is None:
        return value
    return _escape(value, '"')


def quoted(value: str) -> str:
    r"""Return ``value`` as a quoted attribute value, single-quoted when it holds ``"``.

    JSON list texts are full of double quotes; single quotes spare the ``&quot;`` (an
    apostrophe is then ``&apos;``, rarer in labels than quotes are in lists).

    >>> print(quoted('["a", "b"]'), quoted("it's"), quoted('say "it\'s"'))
    '["a", "b"]' "it's" 'say "it&apos;s"'
    """
    if _ATTR_ANY.search(value) is None:
        return f'"{value}"'
    if '"' in value:
        return f"'{_escape(value, chr(39))}'"
    return f'"{_escape(value, chr(34))}"'


def text(value: str) -> str:
    """Return ``value`` escaped for element content.

    >>> text("a < b & c")
    'a &lt; b &amp; c'
    """
    value = clean(value)
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return _TEXT_SPECIAL.sub(lambda m: _TEXT_ESCAPES[m.group(0)], value)
