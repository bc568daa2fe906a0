"""Flask-WTF forms (CSRF on every one). Length limits match the services' own checks."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
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
        "Yes, I mean it", validators=[DataRequired("Tick the box to confirm; nothing changed.")]
    )


class ProposeForm(TextCheckedForm):
    username = StringField(
        "Username of the other member", validators=[DataRequired(), Length(max=40)]
    )
    role = RadioField(
        "I will be the",
        choices={"mentor": "Mentor (I invite a mentee)", "mentee": "Mentee (I ask a mentor)"},
        validators=[InputRequired()],
    )


class MessageForm(TextCheckedForm):
    body = TextAreaField("Message (Markdown)", validators=[DataRequired(), Length(max=LONG)])


class NoteForm(TextCheckedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Note (Markdown)", validators=[DataRequired(), Length(max=LONG)])


class GoalForm(TextCheckedForm):
    title = StringField("Goal", validators=[DataRequired(), Length(max=500)])


GOAL_CHOICES = {
    "open": "Open",
    "in_progress": "In progress",
    "achieved": "Achieved",
    "dropped": "Dropped",
}


class GoalStatusForm(TextCheckedForm):
    status = SelectField("Status", choices=GOAL_CHOICES)


class MeetingForm(TextCheckedForm):
    held_on = DateField("Date of the meeting", validators=[DataRequired()])
    summary = TextAreaField("Summary", validators=[DataRequired(), Length(max=LONG)])


class JournalForm(TextCheckedForm):
    body = TextAreaField(
        "Journal entry (Markdown, only you will ever see it)",
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
            TextAreaField(heading, description=hint, validators=[*validators, Length(max=5000)]),
        )
    return AgreementForm(data=data)


class ConcernForm(TextCheckedForm):
    issue = TextAreaField("The ethical issue", validators=[DataRequired(), Length(max=LONG)])
    responsibilities = TextAreaField(
        "The responsibilities involved", validators=[DataRequired(), Length(max=LONG)]
    )
    proposal = TextAreaField(
        "Proposal: who discloses what, to whom, and how",
        validators=[DataRequired(), Length(max=LONG)],
    )
    immediate_danger = BooleanField(
        "Someone may be in immediate danger",
        description="A notice may then be dated today; the other party is still shown it first.",
    )


class ResponseForm(TextCheckedForm):
    kind = RadioField(
        "Your answer",
        choices={"agree": "I agree", "propose": "I propose otherwise", "refuse": "I refuse"},
        validators=[InputRequired()],
    )
    body = TextAreaField("Comment or counter-proposal", validators=[Length(max=LONG)])


class NoticeForm(TextCheckedForm):
    what = TextAreaField("What I will say", validators=[DataRequired(), Length(max=LONG)])
    to_whom = StringField("To whom", validators=[DataRequired(), Length(max=500)])
    disclose_on = DateField("On (date)", validators=[DataRequired()])


ANY_SUPERVISOR = "any"


class GuidanceForm(TextCheckedForm):
    supervisor = SelectField("Supervisor", choices={}, validators=[DataRequired()])
    body = TextAreaField(
        "What you want guidance on (only the supervisor sees this)",
        validators=[DataRequired(), Length(max=LONG)],
    )
    signed = BooleanField(
        "Sign with my name",
        description='Unticked, the supervisor sees only "a mentor" or "a mentee".',
    )


class ReplyForm(TextCheckedForm):
    body = TextAreaField("Reply", validators=[DataRequired(), Length(max=LONG)])


class QuoteForm(TextCheckedForm):
    text = TextAreaField(
        "Exact text you want to quote", validators=[DataRequired(), Length(max=5000)]
    )
    purpose = StringField("Where and why", validators=[DataRequired(), Length(max=1000)])


class DecideForm(TextCheckedForm):
    decision = HiddenField(validators=[DataRequired()])


class MentorProfileForm(TextCheckedForm):
    """The opt-in mentoring card; nothing is public until "publish" is ticked."""

    published = BooleanField(
        "Publish my mentoring profile",
        description="Untick to leave the directory at once; your profile is then yours alone.",
    )
    offers = BooleanField("I offer to mentor")
    seeks = BooleanField("I am looking for a mentor")
    areas = StringField(
        "Areas",
        description="Free tags separated by commas, for example: career, writing.",
        validators=[Length(max=300)],
    )
    languages = StringField(
        "Languages", description="Separated by commas.", validators=[Length(max=150)]
    )
    country = StringField("Country", validators=[Length(max=60)])
    time_zone = StringField(
        "Time zone", description="For example Europe/Paris or UTC+2.", validators=[Length(max=60)]
    )
    availability = SelectField(
        "Availability",
        choices={"open": "Open to new mentees", "full": "Full", "paused": "Paused"},
        validators=[InputRequired()],
    )
    max_active_pairs = IntegerField(
        "Most active pairs as mentor",
        description="When you reach it the directory shows you as full.",
        default=3,
        validators=[InputRequired(), NumberRange(min=1, max=20)],
    )
    introduction = TextAreaField(
        "Short introduction (Markdown)",
        validators=[Length(max=2000)],
        render_kw={"data-editor": "comment"},
    )
    accepts_guidance = BooleanField("As a supervisor, I accept guidance requests", default=True)


class DirectoryForm(TextCheckedForm):
    """The directory's filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Search introductions", validators=[Length(max=200)])
    area = StringField("Area", validators=[Length(max=40)])
    language = StringField("Language", validators=[Length(max=40)])
    country = StringField("Country", validators=[Length(max=60)])
    availability = SelectField(
        "Availability",
        choices={"": "Any", "open": "Open", "full": "Full", "paused": "Paused"},
        validators=[Optional()],
    )


class ProfileProposeForm(TextCheckedForm):
    """Proposing from a profile page: the member is named by the page, so only role and message."""

    role = RadioField(
        "I will be the",
        choices={"mentee": "Mentee (I ask them to mentor me)", "mentor": "Mentor (I offer)"},
        default="mentee",
        validators=[InputRequired()],
    )
    message = TextAreaField("A short message", validators=[DataRequired(), Length(max=1000)])


class DeclineForm(TextCheckedForm):
    reason = TextAreaField(
        "Reason (optional, only the proposer sees it)", validators=[Length(max=1000)]
    )
