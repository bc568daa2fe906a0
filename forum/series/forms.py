"""Forms of the series: invitations, accepting one, and the expert's part editor."""

from __future__ import annotations

from wtforms import (
    DateTimeLocalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from forum.accounts.forms import MIN_PASSWORD, USERNAME_RULE
from forum.content.forms import TextCheckedForm
from forum.kernel.locales import LOCALE_NAMES, LOCALES


def zone_help(zone: str | None) -> str:
    """What a date field says about the zone its value is read in (the member's own)."""
    return f"Date and time in your time zone, {zone or 'UTC'} (change it on your profile)."


class InvitationForm(TextCheckedForm):
    email = EmailField(
        "E-mail of the invitee",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    role = SelectField(
        "Role",
        choices={"expert": "Expert", "supervisor": "Mentoring supervisor", "member": "Member"},
        default="expert",
    )
    expires_in_days = IntegerField(
        "Expires after (days)", default=14, validators=[DataRequired(), NumberRange(1, 90)]
    )
    characteristic_id = SelectField(
        "Slot: characteristic (optional)", coerce=int, choices={0: "No slot"}, default=0
    )
    part_number = IntegerField("Slot: part number", validators=[Optional(), NumberRange(1, 999)])
    planned_date = DateTimeLocalField(
        "Slot: planned date",
        validators=[Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class AcceptInvitationForm(TextCheckedForm):
    username = StringField("Username", validators=[DataRequired(), Length(3, 40), USERNAME_RULE])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(MIN_PASSWORD, 200)],
        description=f"At least {MIN_PASSWORD} characters.",
    )
    display_name = StringField(
        "Name as readers see it", validators=[DataRequired(), Length(max=80)]
    )
    affiliation = StringField("Organisation", validators=[Optional(), Length(max=200)])
    country = StringField("Country", validators=[Optional(), Length(max=100)])
    website = StringField("Website", validators=[Optional(), URL(), Length(max=500)])
    bio = TextAreaField("Short bio (Markdown)", validators=[Optional(), Length(max=4000)])


class PartForm(TextCheckedForm):
    characteristic_id = SelectField("Characteristic", coerce=int, choices={})
    part_number = IntegerField("Part number", validators=[DataRequired(), NumberRange(1, 999)])
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    teaser = TextAreaField(
        "Teaser (shown in “coming soon”)", validators=[Optional(), Length(max=500)]
    )
    body_format = SelectField(
        "Format", choices={"markdown": "Markdown"}, default="markdown", validate_choice=False
    )
    body = TextAreaField(
        "Text",
        validators=[Optional(), Length(max=100000)],
        description="Markdown: headings, lists, links, quotes. Sign off as you like.",
    )
    language = SelectField(
        "Language of the text",
        choices=LOCALE_NAMES,
        default=LOCALES[0],
        description="Readers see it on the part; search stems the text in it.",
    )
    publish_at = DateTimeLocalField(
        "Publish at (optional)",
        validators=[Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    preview = SubmitField("Preview")
    save = SubmitField("Save draft")
    submit_review = SubmitField("Submit for review")
