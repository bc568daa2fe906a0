"""Page-number pagination for the API with ``links.next``/``links.prev`` (RFC 8288 style)."""

from __future__ import annotations

from math import ceil

from flask import abort, request, url_for
from sqlalchemy import func, select

from forum.extensions import db
from forum.routing import is_number, page_arg

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def per_page_arg() -> int:
    raw = request.args.get("per_page", str(DEFAULT_PER_PAGE))
    if not is_number(raw) or len(raw) > 4 or not 1 <= int(raw) <= MAX_PER_PAGE:
        abort(400, description=f"'per_page' must be a whole number from 1 to {MAX_PER_PAGE}.")
    return int(raw)


def _links(page: int, pages: int) -> dict:
    args = request.args.to_dict()
    endpoint, values = request.endpoint, dict(request.view_args or {})

    def link(n):
        return url_for(endpoint, _external=True, **{**values, **args, "page": n})

    return {
        "self": link(page),
        "first": link(1),
        "last": link(pages),
        "next": link(page + 1) if page < pages else None,
        "prev": link(page - 1) if page > 1 else None,
    }


def envelope(items: list, total: int, page: int, size: int, more: bool | None = None) -> dict:
    """``more``: (search) more matches exist than ``total`` counts, as "1,000+" on the page."""
    pages = max(1, ceil(total / size))
    meta = {"page": page, "per_page": size, "total": total, "pages": pages}
    if more is not None:
        meta["more"] = more
    return {"data": items, "links": _links(page, pages), "meta": meta}


def paginate(model, where: list, order_by: list, options=()) -> tuple[list, int, int, int]:
    """``(rows, total, page, per_page)``: counted and read with the same criteria (and policy)."""
    size = per_page_arg()
    total = db.session.execute(select(func.count(model.id)).where(*where)).scalar_one()
    page = page_arg(last=max(1, ceil(total / size)))
    rows = (
        db.session.execute(
            select(model)
            .where(*where)
            .options(*options)
            .order_by(*order_by)
            .limit(size)
            .offset((page - 1) * size)
        )
        .scalars()
        .all()
    )
    return list(rows), total, page, size
