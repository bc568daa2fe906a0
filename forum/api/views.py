"""The JSON API under ``/api/v1``: read the series and its discussion, search, post comments.

Reads run as the caller (token, session or anonymous) through the one visibility policy.
Writes take either a personal access token (``Authorization: Bearer …``, no CSRF) or the
browser session with an ``X-CSRFToken`` header. Errors are problem-detail JSON (``forum.kernel.errors``).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.api import serializers as ser
from forum.api import tokens
from forum.api.openapi import document
from forum.api.paging import envelope, paginate, per_page_arg
from forum.discussion import services
from forum.discussion.models import Comment
from forum.extensions import csrf, db, limiter
from forum.feeds.pages import by_slug_or_404
from forum.kernel.errors import error_response
from forum.kernel.hooks import call_all
from forum.kernel.security import is_safe_request
from forum.kernel.types import ValidationError
from forum.limits import posting_limit
from forum.routing import page_arg
from forum.search import filters as search_filters
from forum.search.services import search as run_search
from forum.search.services import visible_candidates
from forum.series.models import Characteristic, ExpertProfile, Part, PromptQuestion, Series
from forum.visibility import current_actor

MAX_JSON_BYTES = 64 * 1024
read_limit = limiter.limit("300/minute")


# --- authentication and request checks ------------------------------------------------------


def _authenticate():
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return _unauthorized("Send a personal access token as 'Authorization: Bearer <token>'.")
        user = tokens.user_for(raw.strip())
        if user is None:
            return _unauthorized("The access token is unknown or has been revoked.")
        g._login_user = user
        g.api_token = True
        return None
    if not is_safe_request() and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # a browser session must send X-CSRFToken
    return None


def _unauthorized(detail: str):
    return error_response(401, detail, {"WWW-Authenticate": 'Bearer realm="api"'})


def _require_member():
    actor = current_actor()
    if not getattr(actor, "is_authenticated", False):
        abort(_unauthorized("Log in, or send a personal access token, to do this."))
    return actor


def json_body() -> dict:
    """The request's JSON object: 413 when too big, 415 when not JSON, 400 when malformed."""
    if (request.content_length or 0) > MAX_JSON_BYTES:
        abort(
            413, description=gettext("The body may be at most %(num)s bytes.", num=MAX_JSON_BYTES)
        )
    if request.mimetype != "application/json":
        abort(415, description=gettext("Send the body as application/json."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description=gettext("The body must be a JSON object."))
    return data


# --- loaders --------------------------------------------------------------------------------


def _one(stmt):
    found = db.session.execute(stmt).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def characteristic_or_404(slug: str) -> Characteristic:
    return by_slug_or_404(Characteristic, slug)


def _users(ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}


def _characteristics(ids) -> dict:
    ids = set(ids)
    if not ids:
        return {}
    return {
        c.id: c
        for c in db.session.execute(
            select(Characteristic).where(Characteristic.id.in_(ids))
        ).scalars()
    }


def _with_related(rows, serializer) -> list:
    """Serialise parts or comments with their characteristic and author (two queries in all)."""
    users = _users(r.author_id for r in rows)
    chars = _characteristics(r.characteristic_id for r in rows)
    return [serializer(r, chars[r.characteristic_id], users.get(r.author_id)) for r in rows]


def _parts_json(parts) -> list:
    return _with_related(parts, ser.part)


def _comments_json(comments) -> list:
    return _with_related(comments, ser.comment)


def _characteristics_json(chars) -> list:
    ids = [c.id for c in chars]
    series = (
        {
            s.id: s.slug
            for s in db.session.execute(
                select(Series).where(Series.id.in_({c.series_id for c in chars}))
            ).scalars()
        }
        if chars
        else {}
    )
    prompts: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for q in db.session.execute(
            select(PromptQuestion)
            .where(PromptQuestion.characteristic_id.in_(ids))
            .order_by(PromptQuestion.position, PromptQuestion.id)
        ).scalars():
            prompts[q.characteristic_id].append(q.text)
    return [ser.characteristic(c, series.get(c.series_id, ""), prompts[c.id]) for c in chars]


def _expert_or_404(username: str):
    if len(username) > 40:
        abort(404)
    row = db.session.execute(
        select(User, ExpertProfile)
        .join(ExpertProfile, ExpertProfile.user_id == User.id)
        .where(User.username_key == username.lower(), User.deleted_at.is_(None))
    ).first()
    if row is None:
        abort(404)
    return row


# --- views ----------------------------------------------------------------------------------


@read_limit
def index():
    return jsonify(
        {
            "links": {
                "series": url_for("api.list_series", _external=True),
                "characteristics": url_for("api.list_characteristics", _external=True),
                "experts": url_for("api.list_experts", _external=True),
                "search": url_for("api.search", _external=True),
                "openapi": url_for("api.openapi", _external=True),
            }
        }
    )


@read_limit
def openapi():
    return jsonify(document())


@read_limit
def me():
    user = _require_member()
    return jsonify(
        {
            "username": user.username,
            "name": user.name,
            "roles": sorted(user.role_names),
            "csrf_token": generate_csrf(),
        }
    )


@read_limit
def list_series():
    rows, total, page, size = paginate(Series, [], [Series.id])
    return jsonify(envelope([ser.series(s) for s in rows], total, page, size))


@read_limit
def get_series(slug: str):
    return jsonify(ser.series(by_slug_or_404(Series, slug)))


@read_limit
def list_characteristics():
    where = []
    if request.args.get("series"):
        series = by_slug_or_404(Series, request.args["series"])
        where.append(Characteristic.series_id == series.id)
    rows, total, page, size = paginate(
        Characteristic, where, [Characteristic.series_id, Characteristic.number]
    )
    return jsonify(envelope(_characteristics_json(rows), total, page, size))


@read_limit
def get_characteristic(slug: str):
    return jsonify(_characteristics_json([characteristic_or_404(slug)])[0])


@read_limit
def list_parts(slug: str):
    ch = characteristic_or_404(slug)
    rows, total, page, size = paginate(
        Part, [Part.characteristic_id == ch.id], [Part.part_number, Part.id]
    )
    return jsonify(envelope(_parts_json(rows), total, page, size))


@read_limit
def get_part(part_id: int):
    return jsonify(_parts_json([_one(select(Part).where(Part.id == part_id))])[0])


@read_limit
def list_comments(slug: str):
    ch = characteristic_or_404(slug)
    rows, total, page, size = paginate(
        Comment, [Comment.characteristic_id == ch.id], [Comment.created_at, Comment.id]
    )
    return jsonify(envelope(_comments_json(rows), total, page, size))


@read_limit
def get_comment(comment_id: int):
    return jsonify(_comments_json([_one(select(Comment).where(Comment.id == comment_id))])[0])


@posting_limit
def create_comment(slug: str):
    """Post a comment as the token's or session's member; untrusted members' comments wait."""

    actor = _require_member()
    data = json_body()
    ch = characteristic_or_404(slug)
    body, fmt, reply_id = data.get("body"), data.get("format", "markdown"), data.get("reply_to")
    if not isinstance(body, str):
        raise ValidationError(gettext("'body' must be a string."), field="body")
    if not isinstance(fmt, str):
        raise ValidationError(gettext("'format' must be a string."), field="format")
    reply_to = None
    if reply_id is not None:
        if not isinstance(reply_id, int) or isinstance(reply_id, bool) or not 0 < reply_id < 2**31:
            raise ValidationError(gettext("'reply_to' must be a comment id."), field="reply_to")
        reply_to = db.session.execute(
            select(Comment).where(Comment.id == reply_id)
        ).scalar_one_or_none()
        if reply_to is None:
            raise ValidationError(
                gettext("There is no such comment to reply to."), field="reply_to"
            )
    comment = services.create_comment(ch, actor, body, fmt, reply_to=reply_to)
    db.session.commit()
    payload = ser.comment(comment, ch, actor)
    response = jsonify(payload)
    response.status_code = 201
    response.headers["Location"] = payload["links"]["self"]
    return response


@read_limit
def list_experts():
    size = per_page_arg()
    base = (
        select(User, ExpertProfile)
        .join(ExpertProfile, ExpertProfile.user_id == User.id)
        .where(User.deleted_at.is_(None))
    )
    total = db.session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    page = page_arg(last=max(1, -(-total // size)))
    rows = db.session.execute(
        base.order_by(func.lower(User.username)).limit(size).offset((page - 1) * size)
    ).all()
    return jsonify(envelope([ser.expert(u, p) for u, p in rows], total, page, size))


@read_limit
def get_expert(username: str):
    user, profile = _expert_or_404(username)
    return jsonify(ser.expert(user, profile))


@read_limit
def list_expert_parts(username: str):
    user, _profile = _expert_or_404(username)
    rows, total, page, size = paginate(
        Part, [Part.author_id == user.id], [Part.publish_at.desc(), Part.id.desc()]
    )
    return jsonify(envelope(_parts_json(rows), total, page, size))


@read_limit
def search():
    wanted = search_filters.parse(request.args)
    if not wanted.query:
        abort(400, description=gettext("Give the words to find as 'q'."))
    size = per_page_arg()
    total = len(visible_candidates(wanted.query, wanted.filters))
    page = page_arg(last=max(1, -(-total // size)))
    results = run_search(wanted.query, wanted.filters, page, size)
    return jsonify(
        envelope([ser.hit(h) for h in results.hits], total, page, size, more=results.more)
    )


ROUTES = (
    ("/", index, ("GET",)),
    ("/openapi.json", openapi, ("GET",)),
    ("/me", me, ("GET",)),
    ("/series", list_series, ("GET",)),
    ("/series/<slug>", get_series, ("GET",)),
    ("/characteristics", list_characteristics, ("GET",)),
    ("/characteristics/<slug>", get_characteristic, ("GET",)),
    ("/characteristics/<slug>/parts", list_parts, ("GET",)),
    ("/characteristics/<slug>/comments", list_comments, ("GET",)),
    ("/characteristics/<slug>/comments", create_comment, ("POST",)),
    ("/parts/<id:part_id>", get_part, ("GET",)),
    ("/comments/<id:comment_id>", get_comment, ("GET",)),
    ("/experts", list_experts, ("GET",)),
    ("/experts/<username>", get_expert, ("GET",)),
    ("/experts/<username>/parts", list_expert_parts, ("GET",)),
    ("/search", search, ("GET",)),
)


def build_blueprint() -> Blueprint:
    """A fresh blueprint per app, so plugins' ``register_api_resources`` never touch a used one."""

    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    for rule, view, methods in ROUTES:
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=view, methods=list(methods))
    bp.before_request(_authenticate)
    csrf.exempt(bp)  # checked by _authenticate unless a bearer token authenticates the request
    call_all("register_api_resources", api=bp)
    return bp
