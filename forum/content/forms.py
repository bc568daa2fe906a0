"""The base of every form: Flask-WTF's, with the text rule checked on each field first.

A field that breaks the rule shows why beside it and runs none of its other validators (which
might look the text up); the page is shown again with what was typed. A ``TextAreaField`` may
hold line breaks (CRLF becomes LF), as may any field drawn as a text area; every other field is
single-line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TypeVar

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField
from wtforms.i18n import messages_path
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation
from wtforms.widgets import TextArea

from forum.content.text_boundary import mark_shown
from forum.content.text_rules import normalise_newlines, problem
from forum.extensions import db
from forum.kernel.types import ValidationError

T = TypeVar("T")


def leaf_fields(fields) -> Iterator[Field]:
    """Every field holding a value, inside nested forms and lists too."""
    for field in fields:
        if isinstance(field, FormField):
            yield from leaf_fields(field.form)
        elif isinstance(field, FieldList):
            yield from leaf_fields(field.entries)
        else:
            yield field


def _refusal(message: str):
    def refuse(form, field):
        raise StopValidation(message)

    return refuse


def is_multiline(field: Field) -> bool:
    """Drawn as a ``<textarea>`` (a ``TextAreaField``): the only fields that hold line breaks."""
    return isinstance(field.widget, TextArea)


def field_problem(field: Field) -> str | None:
    """Why the text sent for ``field`` is refused, or None."""
    for text in getattr(field, "raw_data", None) or []:
        reason = isinstance(text, str) and problem(text, single_line=not is_multiline(field))
        if reason:
            return f"This field {reason}"
    return None


@lru_cache(maxsize=16)
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class TextCheckedForm(FlaskForm):
    """Use instead of ``FlaskForm`` (a test checks every form does)."""

    class Meta:
        def get_translations(self, form):
            """WTForms' own messages in the page's language, each catalog read once per process
            (Flask-WTF reads it from disk for every request that makes a form)."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return DefaultMeta.get_translations(self, form)
            return _wtforms_catalog(str(get_locale() or "en"))

    def validate(self, extra_validators=None) -> bool:
        for field in leaf_fields(self):
            reason = field_problem(field)
            if reason:
                field.validators = [_refusal(reason), *field.validators]
                mark_shown(field.name)
            elif is_multiline(field) and isinstance(field.data, str):
                field.data = normalise_newlines(field.data)
        return super().validate(extra_validators)


def submit_form(form, act: Callable[[], T], fallback: str | None = None) -> tuple[bool, T | None]:
    """Validate ``form``, then run ``act()``: ``(True, its result)`` when both went through.

    A ``ValidationError`` that ``act`` raises (an unknown username, a date too early) is shown
    beside its field on ``form`` (else on ``fallback``, else flashed) and the session is rolled
    back, so the view shows the same page again (422) with what was typed, never a bare error
    page. A refusal marked ``shown_on_form = False`` (a stale page) goes to its own handler."""
    if not form.validate_on_submit():
        return False, None
    try:
        return True, act()
    except ValidationError as error:
        if not error.shown_on_form:
            raise
        db.session.rollback()
        error.show_on(form, fallback)
        return False, None
