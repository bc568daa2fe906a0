"""The search page: ``/search?q=…&characteristic=…&expert=…&kind=…&page=…``."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from forum.routing import page_arg
from forum.search import filters as search_filters
from forum.search.services import PER_PAGE, search, visible_candidates

bp = Blueprint("search", __name__)


@bp.route("/search")
def search_page():
    wanted = search_filters.parse(request.args)
    results = None
    if wanted.query:
        keys = visible_candidates(wanted.query, wanted.filters)
        page = page_arg(last=-(-len(keys) // PER_PAGE))
        results = search(wanted.query, wanted.filters, page, keys=keys)
    return render_template(
        "search/search.html", wanted=wanted, results=results, **search_filters.choices()
    )
