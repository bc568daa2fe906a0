"""Where the text rule (``forum.content.text_rules``) meets every request, before any write.

- Query strings: a parameter that breaks the rule is a 400 naming it.
- JSON bodies: a string that breaks the rule is a 422 naming its JSON path; a string may hold
  line breaks only under a key registered as multi-line (``accept_multiline_json``: the API
  registers the Markdown fields of its schemas when the app is built).
- Form bodies: forms (``TextCheckedForm``) show the problem beside the field and keep what was
  typed. A form value that breaks the rule and that no form showed is noted here, and any write
  in that request is refused with a 422 naming the field, so a view that reads ``request.form``
  itself can never store it.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.content.text_rules import json_problems, multiline_keys, printable_name, problem
from forum.kernel.types import ValidationError

MULTILINE_KEYS = "forum.text_boundary.multiline_keys"  # app.extensions key


def accept_multiline_json(app: Flask, schema) -> None:
    """Let JSON bodies hold line breaks under the keys ``schema`` (a JSON Schema) marks as
    multi-line text; called at app set-up by whoever owns the schema (the API)."""
    app.extensions[MULTILINE_KEYS] = multiline_json_keys(app) | multiline_keys(schema)


def multiline_json_keys(app: Flask) -> frozenset[str]:
    """The JSON keys whose strings may hold line breaks in this app."""
    return app.extensions.get(MULTILINE_KEYS, frozenset())


def _query_problem() -> str | None:
    for name, values in request.args.lists():
        for text in [name, *values]:
            reason = problem(text, single_line=True)
            if reason:
                return f"The query parameter {printable_name(name)} {reason}"
    return None


def _json_problem() -> str | None:
    data = request.get_json(silent=True, cache=True)
    for path, reason in json_problems(data, multiline_json_keys(current_app)):
        return f"The field {path.removeprefix('$.')} {reason}"
    return None


def _form_problems() -> dict[str, str]:
    """Form fields whose values break the rule (newlines allowed: the form knows which fields
    are single-line)."""
    found: dict[str, str] = {}
    for name, values in request.form.lists():
        for text in [name, *values]:
            reason = problem(text)
            if reason:
                found.setdefault(name, reason)
    return found


def check_request() -> None:
    """The ``before_request`` check of query string and body."""
    reason = _query_problem()
    if reason:
        abort(400, description=reason)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json:
        reason = _json_problem()
        if reason:
            raise ValidationError(reason)
        return
    g.text_refused_fields = _form_problems()


def mark_shown(name: str) -> None:
    """A form showed the problem of field ``name`` beside it: the write guard may stand down."""
    if has_request_context():
        g.setdefault("text_shown_fields", set()).add(name)


def unshown_problem() -> str | None:
    """The first refused form field of this request that no form showed, as a message."""
    if not has_request_context():
        return None
    shown = g.get("text_shown_fields", set())
    for name, reason in g.get("text_refused_fields", {}).items():
        if name not in shown:
            return f"The field {printable_name(name)} {reason}"
    return None


def _refuse_write_of_refused_text(*_args) -> None:
    reason = unshown_problem()
    if reason:
        raise ValidationError(reason)


def _refuse_statement(orm_execute_state) -> None:
    if not orm_execute_state.is_select:
        _refuse_write_of_refused_text()


def init_app(app: Flask) -> None:
    app.before_request(check_request)
    if not event.contains(Session, "before_flush", _refuse_write_of_refused_text):
        event.listen(Session, "before_flush", _refuse_write_of_refused_text)
        event.listen(Session, "do_orm_execute", _refuse_statement)
