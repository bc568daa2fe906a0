"""Flask-WTF forms (CSRF on every one). Length limits match the services' own checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.sdk import TextCheckedForm

LONG = 20_000


class ActionForm(TextCheckedForm):
    """A button that only needs the CSRF token."""


class ConfirmForm(TextCheckedForm):
    """An action that cannot be undone: its box must be ticked."""

    confirm = BooleanField(
        _l("Yes, I mean it"),
        validators=[DataRequired(_l("Tick the box to confirm; nothing changed."))],
    )


class ProposeForm(TextCheckedForm):
    username = StringField(
        _l("Username of the other member"), validators=[DataRequired(), Length(max=40)]
    )
    role = RadioField(
        _l("I will be the"),
        choices=[
            SelectChoice("mentor", _l("Mentor (I invite a mentee)")),
            SelectChoice("mentee", _l("Mentee (I ask a mentor)")),
        ],
        validators=[InputRequired()],
    )


class MessageForm(TextCheckedForm):
    body = TextAreaField(_l("Message (Markdown)"), validators=[DataRequired(), Length(max=LONG)])


class NoteForm(TextCheckedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Note (Markdown)"), validators=[DataRequired(), Length(max=LONG)])


class GoalForm(TextCheckedForm):
    title = StringField(_l("Goal"), validators=[DataRequired(), Length(max=500)])


GOAL_CHOICES = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "achieved": _l("Achieved"),
    "dropped": _l("Dropped"),
}


class GoalStatusForm(TextCheckedForm):
    status = SelectField(
        _l("Status"), choices=[SelectChoice(k, v) for k, v in GOAL_CHOICES.items()]
    )


class MeetingForm(TextCheckedForm):
    held_on = DateField(_l("Date of the meeting"), validators=[DataRequired()])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=LONG)])


class JournalForm(TextCheckedForm):
    body = TextAreaField(
        _l("Journal entry (Markdown, only you will ever see it)"),
        validators=[DataRequired(), Length(max=LONG)],
    )


def agreement_form(sections, data=None):
    """A form with one text area per agreement section (built from ``SECTIONS``)."""

    class AgreementForm(TextCheckedForm):
        pass

    for key, heading, hint in sections:
        validators = [Optional()] if key == "other" else [DataRequired()]
        setattr(
            AgreementForm,
            key,
            TextAreaField(
                _l(heading), description=_l(hint), validators=[*validators, Length(max=5000)]
            ),
        )
    return AgreementForm(data=data)


class ConcernForm(TextCheckedForm):
    issue = TextAreaField(_l("The ethical issue"), validators=[DataRequired(), Length(max=LONG)])
    responsibilities = TextAreaField(
        _l("The responsibilities involved"), validators=[DataRequired(), Length(max=LONG)]
    )
    proposal = TextAreaField(
        _l("Proposal: who discloses what, to whom, and how"),
        validators=[DataRequired(), Length(max=LONG)],
    )
    immediate_danger = BooleanField(
        _l("Someone may be in immediate danger"),
        description=_l(
            "A notice may then be dated today; the other party is still shown it first."
        ),
    )


class ResponseForm(TextCheckedForm):
    kind = RadioField(
        _l("Your answer"),
        choices=[
            SelectChoice("agree", _l("I agree")),
            SelectChoice("propose", _l("I propose otherwise")),
            SelectChoice("refuse", _l("I refuse")),
        ],
        validators=[InputRequired()],
    )
    body = TextAreaField(_l("Comment or counter-proposal"), validators=[Length(max=LONG)])


class NoticeForm(TextCheckedForm):
    what = TextAreaField(_l("What I will say"), validators=[DataRequired(), Length(max=LONG)])
    to_whom = StringField(_l("To whom"), validators=[DataRequired(), Length(max=500)])
    disclose_on = DateField(_l("On (date)"), validators=[DataRequired()])


ANY_SUPERVISOR = "any"


class GuidanceForm(TextCheckedForm):
    supervisor = SelectField(_l("Supervisor"), choices=[], validators=[DataRequired()])
    body = TextAreaField(
        _l("What you want guidance on (only the supervisor sees this)"),
        validators=[DataRequired(), Length(max=LONG)],
    )
    signed = BooleanField(
        _l("Sign with my name"),
        description=_l('Unticked, the supervisor sees only "a mentor" or "a mentee".'),
    )


class ReplyForm(TextCheckedForm):
    body = TextAreaField(_l("Reply"), validators=[DataRequired(), Length(max=LONG)])


class QuoteForm(TextCheckedForm):
    text = TextAreaField(
        _l("Exact text you want to quote"), validators=[DataRequired(), Length(max=5000)]
    )
    purpose = StringField(_l("Where and why"), validators=[DataRequired(), Length(max=1000)])


class DecideForm(TextCheckedForm):
    decision = HiddenField(validators=[DataRequired()])


class MentorProfileForm(TextCheckedForm):
    """The opt-in mentoring card; nothing is public until "publish" is ticked."""

    published = BooleanField(
        _l("Publish my mentoring profile"),
        description=_l("Untick to leave the directory at once; your profile is then yours alone."),
    )
    offers = BooleanField(_l("I offer to mentor"))
    seeks = BooleanField(_l("I am looking for a mentor"))
    areas = StringField(
        _l("Areas"),
        description=_l("Free tags separated by commas, for example: career, writing."),
        validators=[Length(max=300)],
    )
    languages = StringField(
        _l("Languages"), description=_l("Separated by commas."), validators=[Length(max=150)]
    )
    country = StringField(_l("Country"), validators=[Length(max=60)])
    time_zone = StringField(
        _l("Time zone"),
        description=_l("For example Europe/Paris or UTC+2."),
        validators=[Length(max=60)],
    )
    availability = SelectField(
        _l("Availability"),
        choices=[
            SelectChoice("open", _l("Open to new mentees")),
            SelectChoice("full", _l("Full")),
            SelectChoice("paused", _l("Paused")),
        ],
        validators=[InputRequired()],
    )
    max_active_pairs = IntegerField(
        _l("Most active pairs as mentor"),
        description=_l("When you reach it the directory shows you as full."),
        default=3,
        validators=[InputRequired(), NumberRange(min=1, max=20)],
    )
    introduction = TextAreaField(
        _l("Short introduction (Markdown)"),
        validators=[Length(max=2000)],
        render_kw={"data-editor": "comment"},
    )
    accepts_guidance = BooleanField(_l("As a supervisor, I accept guidance requests"), default=True)


class DirectoryForm(TextCheckedForm):
    """The directory's filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search introductions"), validators=[Length(max=200)])
    area = StringField(_l("Area"), validators=[Length(max=40)])
    language = StringField(_l("Language"), validators=[Length(max=40)])
    country = StringField(_l("Country"), validators=[Length(max=60)])
    availability = SelectField(
        _l("Availability"),
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("open", _l("Open")),
            SelectChoice("full", _l("Full")),
            SelectChoice("paused", _l("Paused")),
        ],
        validators=[Optional()],
    )


class ProfileProposeForm(TextCheckedForm):
    """Proposing from a profile page: the member is named by the page, so only role and message."""

    role = RadioField(
        _l("I will be the"),
        choices=[
            SelectChoice("mentee", _l("Mentee (I ask them to mentor me)")),
            SelectChoice("mentor", _l("Mentor (I offer)")),
        ],
        default="mentee",
        validators=[InputRequired()],
    )
    message = TextAreaField(_l("A short message"), validators=[DataRequired(), Length(max=1000)])


class DeclineForm(TextCheckedForm):
    reason = TextAreaField(
        _l("Reason (optional, only the proposer sees it)"), validators=[Length(max=1000)]
    )
