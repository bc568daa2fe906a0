"""Forms: the repeatable interview fields (usable inside core's editors too) and the Q&A forms."""

from __future__ import annotations

from flask import request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from forum.sdk import TextCheckedForm, ValidationError
from forum_qa.interview import MAX_NAME, MAX_SPEAKERS, MAX_TURNS, Interview, clean_name, loads

PREFIX = "interview"
EXTRA_TURN_ROWS = 1


class TurnForm(Form):
    """One turn: who speaks and what they say (Markdown)."""

    speaker = SelectField(_l("Speaker"), coerce=int, choices=[], validate_choice=False)
    text = TextAreaField(_l("Text"), validators=[Optional(), Length(max=20_000)])


class InterviewFields(Form):
    """Speakers and turns; field names are ``interview-…`` wherever the fields are embedded."""

    interviewer = StringField(
        _l("Interviewer"),
        validators=[Length(max=MAX_NAME)],
        description=_l("Who asks the questions."),
    )
    interviewees = StringField(
        _l("Interviewees"),
        validators=[Length(max=MAX_NAME * MAX_SPEAKERS)],
        description=_l("Who answers; separate several names with commas."),
    )
    intro = TextAreaField(_l("Introduction (optional)"), validators=[Optional(), Length(max=5_000)])
    turns = FieldList(FormField(TurnForm), min_entries=2, max_entries=MAX_TURNS)

    def speaker_names(self) -> list[str]:
        names = [clean_name(self.interviewer.data or "")]
        names += [clean_name(n) for n in (self.interviewees.data or "").split(",") if clean_name(n)]
        return names

    def refresh_choices(self) -> None:
        """Offer the speakers as named right now (the interviewer first)."""
        names = self.speaker_names()
        labels = [names[0] or gettext("Interviewer")] + (names[1:] or [gettext("Interviewee")])
        choices = list(enumerate(labels))
        for entry in self.turns.entries:
            entry.form.speaker.choices = choices

    def add_turn(self) -> None:
        """One more row; its speaker alternates with the previous row's."""
        if len(self.turns.entries) >= MAX_TURNS:
            return
        last = self.turns.entries[-1].form.speaker.data if self.turns.entries else 1
        self.turns.append_entry({"speaker": 0 if last else 1, "text": ""})
        self.refresh_choices()

    def to_interview(self) -> Interview:
        turns = [(e.form.speaker.data or 0, e.form.text.data or "") for e in self.turns.entries]
        return Interview(
            speakers=self.speaker_names(),
            intro=self.intro.data or "",
            turns=[(s, t) for s, t in turns if t.strip()],
        )

    def load(self, interview: Interview) -> None:
        """Fill the fields from ``interview`` (after a paste import), plus one blank row; an
        introduction already typed stays."""
        self.interviewer.data = interview.speakers[0] if interview.speakers else ""
        self.interviewees.data = ", ".join(interview.speakers[1:])
        self.intro.data = _kept_intro(self.intro.data or "", interview.intro)
        while self.turns.entries:
            self.turns.pop_entry()
        for speaker, text in interview.turns[:MAX_TURNS]:
            self.turns.append_entry({"speaker": speaker, "text": text})
        self.add_turn()


def _kept_intro(typed: str, pasted: str) -> str:
    """An introduction already typed is never replaced: a pasted one is added after it."""
    if not typed.strip() or typed.strip() == pasted.strip():
        return pasted or typed
    if not pasted.strip() or pasted.strip() in typed:
        return typed
    return f"{typed.rstrip()}\n\n{pasted.strip()}"


def interview_fields(formdata=None) -> InterviewFields:
    """The interview fields bound to ``formdata`` (a MultiDict) with speaker choices set."""
    fields = InterviewFields(formdata=formdata, prefix=PREFIX)
    fields.refresh_choices()
    return fields


@pass_context
def fields_for_editor(context) -> InterviewFields:
    """For core's editors: the posted fields, or on GET the stored interview being edited."""

    if request.method == "POST":
        return interview_fields(request.form)
    fields = interview_fields(None)
    form = context.get("form")
    body_format = getattr(getattr(form, "body_format", None), "data", None)
    source = getattr(getattr(form, "body", None), "data", None)
    if body_format == "interview" and source:
        try:
            fields.load(loads(source))
        except ValidationError:
            pass
    return fields


class InterviewCommentForm(TextCheckedForm):
    """The standalone interview editor: fields, a paste box, and post-back buttons (no JS needed)."""

    interview = FormField(InterviewFields)
    paste = TextAreaField(
        _l("Paste an interview"),
        validators=[Optional(), Length(max=100_000)],
        description=_l("One turn per paragraph, written as NAME: text."),
    )
    add_turn = SubmitField(_l("Add a turn"))
    import_paste = SubmitField(_l("Turn pasted text into turns"))
    preview = SubmitField(_l("Preview"))
    post = SubmitField(_l("Post interview"))


class AskForm(TextCheckedForm):
    title = StringField(_l("Your question"), validators=[DataRequired(), Length(min=5, max=200)])
    body = TextAreaField(
        _l("Details (optional, Markdown)"), validators=[Optional(), Length(max=20_000)]
    )
    submit = SubmitField(_l("Ask"))


class AnswerForm(TextCheckedForm):
    body = TextAreaField(
        _l("Your answer (Markdown)"), validators=[DataRequired(), Length(max=20_000)]
    )
    submit = SubmitField(_l("Post answer"))


class ActionForm(TextCheckedForm):
    """A button-only form: only the CSRF token travels."""


class DeleteForm(TextCheckedForm):
    """Deleting asks first: the box must be ticked."""

    confirm = BooleanField(
        _l("Yes, delete it"),
        validators=[DataRequired("Tick the box to confirm; nothing was deleted.")],
    )
    reason = TextAreaField(
        _l("Reason (moderators; recorded in the audit log)"),
        validators=[Optional(), Length(max=500)],
    )


class ReasonForm(TextCheckedForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2_000)])
