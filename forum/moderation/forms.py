"""Moderation forms (Flask-WTF: CSRF on every POST form)."""

from __future__ import annotations

from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.content.forms import TextCheckedForm
from forum.moderation.models import FLAG_REASONS

REASON_HELP = "Recorded in the audit log."


class ReasonForm(TextCheckedForm):
    """Hide, delete, restore, lock, lift, trust: a reason, required by some actions."""

    reason = TextAreaField(
        "Reason", validators=[Optional(), Length(max=2000)], description=REASON_HELP
    )


class SuspendForm(TextCheckedForm):
    until = DateField("Suspended until (start of that day, UTC)", validators=[DataRequired()])
    reason = TextAreaField(
        "Reason (the member sees it)", validators=[DataRequired(), Length(max=2000)]
    )
    confirm = BooleanField(
        "Yes, suspend this member: they can read but not write until then",
        validators=[DataRequired("Tick the box to confirm the suspension.")],
    )


class TwoFactorResetForm(TextCheckedForm):
    reason = TextAreaField(
        "Reason (audited, and sent to the member)",
        validators=[DataRequired(), Length(max=2000)],
    )
    confirm = BooleanField(
        "Yes, turn off this member's second factor",
        validators=[DataRequired("Tick the box to confirm the reset.")],
    )


class TrustForm(TextCheckedForm):
    trust = SelectField(
        "Trust",
        choices={
            "grant": "Trusted: comments go live at once",
            "withdraw": "Not trusted: every comment waits for review",
            "automatic": "Automatic: trusted after enough approved comments",
        },
    )
    reason = TextAreaField(
        "Reason", validators=[Optional(), Length(max=2000)], description=REASON_HELP
    )


class CommentEditForm(TextCheckedForm):
    body = TextAreaField("Comment (Markdown)", validators=[DataRequired(), Length(max=20_000)])
    reason = StringField(
        "What you changed",
        validators=[Optional(), Length(max=500)],
        description="Recorded in the audit log, e.g. removed a phone number.",
    )


class FlagForm(TextCheckedForm):
    reason = SelectField(
        "Why should a moderator look at this?", choices={r: r.capitalize() for r in FLAG_REASONS}
    )
    note = TextAreaField(
        "Anything to add (optional)",
        validators=[Optional(), Length(max=1000)],
        description="Only moderators read this.",
    )


class AuditFilterForm(TextCheckedForm):
    """GET filters of the audit log (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    actor = StringField("Actor (username)", validators=[Optional(), Length(max=40)])
    action = SelectField("Action", choices={"": "Any"}, validate_choice=False)
    target_type = SelectField("Target", choices={"": "Any"}, validate_choice=False)
    since = DateField("From", validators=[Optional()])
    until = DateField("To (inclusive)", validators=[Optional()])


class RoleForm(TextCheckedForm):
    """Grant or revoke one staff role; the reason is required (the member reads it)."""

    role = SelectField(
        "Role",
        choices={
            "expert": "Expert: writes parts",
            "supervisor": "Supervisor: answers pairs' guidance requests",
            "moderator": "Moderator: works the review queue",
        },
    )
    change = SelectField("Change", choices={"grant": "Grant", "revoke": "Revoke"})
    reason = TextAreaField(
        "Reason (the member reads it)",
        validators=[DataRequired(message="Give a reason."), Length(max=2000)],
        description=REASON_HELP,
    )


class MemberSearchForm(TextCheckedForm):
    """GET search of the members list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Name, username or e-mail", validators=[Optional(), Length(max=80)])
