"""URL helpers: ids and page numbers that can never reach the database out of range."""

from __future__ import annotations

from flask import abort, g, request, url_for
from werkzeug.routing import BaseConverter, ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; larger ids cannot exist


class IdConverter(BaseConverter):
    """``<id:name>``: a positive integer that fits a BIGINT; anything else is a 404."""

    regex = r"[1-9][0-9]{0,9}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def is_number(raw: str) -> bool:
    """ASCII digits only: ``str.isdigit`` is also true for "²" or "٣", which ``int()`` rejects or
    reads unexpectedly."""
    return raw.isascii() and raw.isdigit()


def page_arg(name: str = "page", last: int | None = None) -> int:
    """The page number from the query string: 400 if not a number, 404 if out of range."""
    raw = request.args.get(name, "1")
    if not is_number(raw) or len(raw) > 9:
        abort(400, description=f"'{name}' must be a whole number.")
    page = int(raw)
    if page < 1 or (last is not None and page > max(last, 1)):
        abort(404, description="There is no such page.")
    return page


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page links to show: the first, the last, ``around`` either side of ``page``, and
    None for each gap. Computed, not looped in the template (a big thread has 5,000 pages)."""
    shown = sorted({1, pages} | set(range(max(1, page - around), min(pages, page + around) + 1)))
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


_ID_PLACEHOLDER = str(MAX_ID)  # (a real id is never MAX_ID on a page that lists many)


def url_with_id(endpoint: str, id_name: str, id_value: int, **values) -> str:
    """``url_for(endpoint, **values, <id_name>=id_value)`` for the many ids of one page: the URL
    is built once per request, then each id put in its place (``url_for`` costs ~50 calls)."""

    patterns = g.setdefault("_forum_url_patterns", {})
    key = (endpoint, id_name, tuple(sorted(values.items())))
    if key not in patterns:
        patterns[key] = url_for(endpoint, **values, **{id_name: MAX_ID})
    return patterns[key].replace(_ID_PLACEHOLDER, str(int(id_value)), 1)
