"""The one rule for text people and clients send, and the XML 1.0 filter for what feeds write.

Refused everywhere: unpaired surrogates (they cannot be stored as UTF-8) and control characters
(Unicode category Cc: C0, DEL, C1) other than tab and newline; a carriage return is fine only in
a CRLF pair (browsers send textarea lines that way). Single-line text (names, titles) refuses
newlines too. Stored text that predates the rule is cleaned by ``clean_text`` (see the migrations).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

ALLOWED_CONTROLS = "\t\n"
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TEXT_MEDIA_TYPE = "text/markdown"  # marks a multi-line string in a JSON Schema


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"an unpaired surrogate ({code})"
    if char == "\r":
        return "a carriage return without a newline"
    return f"a control character ({code})"


def problem(text: str, single_line: bool = False) -> str | None:
    """Why ``text`` may not be accepted, or None when it may."""
    found = _FORBIDDEN.search(text)
    if found:
        return f"contains {_describe(found.group())}, which is not allowed."
    if single_line and _LINE_BREAK.search(text):
        return "must be a single line (no line breaks)."
    return None


def normalise_newlines(text: str) -> str:
    """CRLF pairs as plain newlines."""
    return text.replace("\r\n", "\n")


def clean_text(text: str, single_line: bool = False) -> str:
    """``text`` made acceptable: forbidden characters removed, line breaks of a single-line text
    turned into spaces. For text stored before the rule."""
    text = normalise_newlines(text)
    if single_line:
        text = _LINE_BREAK.sub(" ", text)
    return _FORBIDDEN.sub("", text)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (the serialiser escapes the rest)."""
    return _NOT_XML.sub("", text)


def multiline_keys(schema) -> frozenset[str]:
    """Names of the properties a JSON Schema marks as multi-line text
    (``"contentMediaType": "text/markdown"``), anywhere in it."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                if isinstance(sub, dict) and sub.get("contentMediaType") == TEXT_MEDIA_TYPE:
                    found.add(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return frozenset(found)


def json_problems(
    value, multiline: frozenset[str] = frozenset(), path: str = "$", key: str | None = None
) -> Iterator[tuple[str, str]]:
    """``(json path, reason)`` of every string (keys too) in a parsed JSON value that breaks the
    rule; strings under a key in ``multiline`` may hold line breaks."""
    if isinstance(value, str):
        reason = problem(value, single_line=key not in multiline)
        if reason:
            yield path, reason
    elif isinstance(value, dict):
        for name, sub in value.items():
            name_reason = problem(str(name), single_line=True)
            if name_reason:
                yield f"{path}.{ascii(name)}", "the name " + name_reason
                continue
            yield from json_problems(sub, multiline, f"{path}.{name}", name)
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from json_problems(sub, multiline, f"{path}[{index}]", key)


def printable_name(name: str) -> str:
    """A field or parameter name safe to echo in a message (hostile names are escaped)."""
    if problem(name, single_line=True) or any(unicodedata.category(c) == "Cf" for c in name):
        return ascii(name)
    return name
