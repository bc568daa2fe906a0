"""Comment forms (Flask-WTF, CSRF); the guest form carries the honeypot and fill-time check."""

from __future__ import annotations

from flask import request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from forum.content.antiabuse import GuestFormMixin
from forum.content.formats import available
from forum.content.forms import TextCheckedForm
from forum.discussion.quoting import prefill_quote

BODY_HELP = _l("Markdown: *emphasis*, **bold**, lists, [links](https://example.org), > quotes.")


class CommentForm(TextCheckedForm):
    body = TextAreaField(
        _l("Your comment"), validators=[Optional(), Length(max=20000)], description=BODY_HELP
    )
    body_format = SelectField(
        _l("Format"), choices={"markdown": "Markdown"}, default="markdown", validate_choice=False
    )
    reply_to = HiddenField()

    def set_formats(self, formats: dict) -> None:
        self.body_format.choices = {name: gettext(fmt.label) for name, fmt in formats.items()}


class GuestCommentForm(GuestFormMixin, CommentForm):
    guest_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    guest_email = EmailField(
        _l("E-mail (never shown)"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
        description=_l(
            "Never shown; used only to tell you why, if a moderator does not publish your comment."
        ),
    )


class EditCommentForm(TextCheckedForm):
    body = TextAreaField(
        _l("Your comment"), validators=[DataRequired(), Length(max=20000)], description=BODY_HELP
    )


def comment_form_for(actor, characteristic=None):
    """The member form, or the guest form (primed with its signed start time on GET).

    Bound to the request's form data on POST, like every TextCheckedForm. Given the thread, a
    GET with ``?quote=<id>`` starts the body with that comment quoted (``forum.discussion.quoting``).
    """

    if getattr(actor, "is_authenticated", False):
        form = CommentForm()
    else:
        form = GuestCommentForm()
        if request.method == "GET":
            form.prime()
    form.set_formats(available("comment"))
    if characteristic is not None:
        prefill_quote(form, characteristic)
    return form


class DeleteCommentForm(TextCheckedForm):
    """Deleting asks first: the box must be ticked (no script needed)."""

    confirm = BooleanField(
        _l("Yes, delete this comment"),
        validators=[DataRequired("Tick the box to confirm; nothing was deleted.")],
    )
    reason = TextAreaField(
        _l("Reason (moderators; recorded in the audit log)"),
        validators=[Optional(), Length(max=500)],
    )
