"""Forms of the series: invitations, accepting one, and the expert's part editor."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from forum.accounts.forms import MIN_PASSWORD, TIMEZONE_GUESS, USERNAME_RULE
from forum.content.forms import TextCheckedForm
from forum.kernel.locales import LOCALE_NAMES, LOCALES


def zone_help(zone: str | None) -> str:
    """What a date field says about the zone its value is read in (the member's own)."""
    return gettext(
        "Date and time in your time zone, %(zone)s (change it on your profile).", zone=zone or "UTC"
    )


class InvitationForm(TextCheckedForm):
    email = EmailField(
        _l("E-mail of the invitee"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("expert", _l("Expert")),
            SelectChoice("supervisor", _l("Mentoring supervisor")),
            SelectChoice("member", _l("Member")),
        ],
        default="expert",
    )
    expires_in_days = IntegerField(
        _l("Expires after (days)"), default=14, validators=[DataRequired(), NumberRange(1, 90)]
    )
    characteristic_id = SelectField(
        _l("Slot: characteristic (optional)"),
        coerce=int,
        choices=[SelectChoice(0, _l("No slot"))],
        default=0,
    )
    part_number = IntegerField(
        _l("Slot: part number"), validators=[Optional(), NumberRange(1, 999)]
    )
    planned_date = DateTimeLocalField(
        _l("Slot: planned date"),
        validators=[Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class AcceptInvitationForm(TextCheckedForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(), Length(3, 40), USERNAME_RULE]
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(MIN_PASSWORD, 200)],
        description=_l("At least %(num)s characters.", num=MIN_PASSWORD),
    )
    display_name = StringField(
        _l("Name as readers see it"), validators=[DataRequired(), Length(max=80)]
    )
    affiliation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    country = StringField(_l("Country"), validators=[Optional(), Length(max=100)])
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=500)])
    bio = TextAreaField(_l("Short bio (Markdown)"), validators=[Optional(), Length(max=4000)])
    timezone = TIMEZONE_GUESS


class PartForm(TextCheckedForm):
    characteristic_id = SelectField(_l("Characteristic"), coerce=int, choices={})
    part_number = IntegerField(_l("Part number"), validators=[DataRequired(), NumberRange(1, 999)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    teaser = TextAreaField(
        _l("Teaser (shown in “coming soon”)"), validators=[Optional(), Length(max=500)]
    )
    body_format = SelectField(
        _l("Format"), choices={"markdown": "Markdown"}, default="markdown", validate_choice=False
    )
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=100000)],
        description=_l("Markdown: headings, lists, links, quotes. Sign off as you like."),
    )
    language = SelectField(
        _l("Language of the text"),
        choices=LOCALE_NAMES,
        default=LOCALES[0],
        description=_l("Readers see it on the part; search stems the text in it."),
    )
    publish_at = DateTimeLocalField(
        _l("Publish at (optional)"),
        validators=[Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save draft"))
    submit_review = SubmitField(_l("Submit for review"))
