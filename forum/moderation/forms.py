"""Moderation forms (Flask-WTF: CSRF on every POST form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.content.forms import TextCheckedForm
from forum.moderation.models import FLAG_REASONS

#: each flag reason as the flagging reader reads it
FLAG_REASON_LABELS = dict(
    zip(
        FLAG_REASONS,
        (_l("Spam"), _l("Abusive"), _l("Off-topic"), _l("Private information")),
        strict=True,
    )
)

REASON_HELP = _l("Recorded in the audit log.")


class ReasonForm(TextCheckedForm):
    """Hide, delete, restore, lock, lift, trust: a reason, required by some actions."""

    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), Length(max=2000)], description=REASON_HELP
    )


class SuspendForm(TextCheckedForm):
    until = DateField(_l("Suspended until (start of that day, UTC)"), validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason (the member sees it)"), validators=[DataRequired(), Length(max=2000)]
    )
    confirm = BooleanField(
        _l("Yes, suspend this member: they can read but not write until then"),
        validators=[DataRequired(_l("Tick the box to confirm the suspension."))],
    )


class TwoFactorResetForm(TextCheckedForm):
    reason = TextAreaField(
        _l("Reason (audited, and sent to the member)"),
        validators=[DataRequired(), Length(max=2000)],
    )
    confirm = BooleanField(
        _l("Yes, turn off this member's second factor"),
        validators=[DataRequired(_l("Tick the box to confirm the reset."))],
    )


class TrustForm(TextCheckedForm):
    trust = SelectField(
        _l("Trust"),
        choices=[
            SelectChoice("grant", _l("Trusted: comments go live at once")),
            SelectChoice("withdraw", _l("Not trusted: every comment waits for review")),
            SelectChoice("automatic", _l("Automatic: trusted after enough approved comments")),
        ],
    )
    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), Length(max=2000)], description=REASON_HELP
    )


class CommentEditForm(TextCheckedForm):
    body = TextAreaField(_l("Comment (Markdown)"), validators=[DataRequired(), Length(max=20_000)])
    reason = StringField(
        _l("What you changed"),
        validators=[Optional(), Length(max=500)],
        description=_l("Recorded in the audit log, e.g. removed a phone number."),
    )


class FlagForm(TextCheckedForm):
    reason = SelectField(
        _l("Why should a moderator look at this?"),
        choices=[SelectChoice(r, label) for r, label in FLAG_REASON_LABELS.items()],
    )
    note = TextAreaField(
        _l("Anything to add (optional)"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Only moderators read this."),
    )


class AuditFilterForm(TextCheckedForm):
    """GET filters of the audit log (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    actor = StringField(_l("Actor (username)"), validators=[Optional(), Length(max=40)])
    action = SelectField(_l("Action"), choices=[SelectChoice("", _l("Any"))], validate_choice=False)
    target_type = SelectField(
        _l("Target"), choices=[SelectChoice("", _l("Any"))], validate_choice=False
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To (inclusive)"), validators=[Optional()])


class RoleForm(TextCheckedForm):
    """Grant or revoke one staff role; the reason is required (the member reads it)."""

    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("expert", _l("Expert: writes parts")),
            SelectChoice("supervisor", _l("Supervisor: answers pairs' guidance requests")),
            SelectChoice("moderator", _l("Moderator: works the review queue")),
        ],
    )
    change = SelectField(
        _l("Change"),
        choices=[SelectChoice("grant", _l("Grant")), SelectChoice("revoke", _l("Revoke"))],
    )
    reason = TextAreaField(
        _l("Reason (the member reads it)"),
        validators=[DataRequired(message=_l("Give a reason.")), Length(max=2000)],
        description=REASON_HELP,
    )


class MemberSearchForm(TextCheckedForm):
    """GET search of the members list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name, username or e-mail"), validators=[Optional(), Length(max=80)])
