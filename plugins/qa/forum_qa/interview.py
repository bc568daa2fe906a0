"""The interview body format: speakers and turns stored as JSON, rendered as a conversation.

Source shape (what ``body_source`` holds)::

    {"intro": "optional Markdown",
     "speakers": [{"name": "Ada", "role": "interviewer"}, {"name": "Ben", "role": "interviewee"}],
     "turns": [{"speaker": 0, "text": "Markdown"}, {"speaker": 1, "text": "Markdown"}]}

``speaker`` is an index into ``speakers``; the first speaker is the interviewer. Every piece of
user text is rendered by core's Markdown pipeline, and the wrapper is sanitised again with the
``interview`` context, which only adds ``class`` on ``dl``/``dt``/``dd``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import format_number, gettext
from markupsafe import Markup, escape

from forum.sdk import ValidationError, clean_text, render_body, render_markdown

CONTEXT = "interview"
MAX_SPEAKERS = 8
MAX_TURNS = 200
MAX_NAME = 60
MAX_TURN_CHARS = 20_000

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Interview:
    """An interview in memory; ``to_source()`` gives the stored JSON."""

    speakers: list[str] = field(default_factory=list)  # index 0 is the interviewer
    turns: list[tuple[int, str]] = field(default_factory=list)
    intro: str = ""

    def to_source(self) -> str:
        return json.dumps(
            {
                "intro": self.intro,
                "speakers": [
                    {"name": name, "role": "interviewer" if i == 0 else "interviewee"}
                    for i, name in enumerate(self.speakers)
                ],
                "turns": [{"speaker": s, "text": t} for s, t in self.turns],
            },
            ensure_ascii=False,
        )


def clean_name(raw: str) -> str:
    """A speaker name on one line: no control or bidi characters, spaces collapsed."""
    name = unicodedata.normalize("NFC", _CONTROL.sub("", raw or ""))
    return _SPACES.sub(" ", name).strip()


def _clean_text(raw: str) -> str:
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def validate(interview: Interview) -> Interview:
    """Raise ``ValidationError`` unless the interview is complete and within limits."""
    names = [clean_name(n) for n in interview.speakers]
    if not names or not names[0]:
        raise ValidationError(gettext("Name the interviewer."), field="interviewer")
    if len([n for n in names[1:] if n]) < 1:
        raise ValidationError(gettext("Name at least one interviewee."), field="interviewees")
    if len(names) > MAX_SPEAKERS:
        raise ValidationError(
            gettext("At most %(num)s speakers.", num=MAX_SPEAKERS), field="interviewees"
        )
    if any(len(n) > MAX_NAME for n in names):
        raise ValidationError(
            gettext("Speaker names have at most %(num)s characters.", num=MAX_NAME),
            field="interviewees",
        )
    keys = [n.casefold() for n in names]
    if len(set(keys)) != len(keys) or "" in keys:
        raise ValidationError(
            gettext("Each speaker needs a different, non-empty name."), field="interviewees"
        )
    turns = [(s, _clean_text(t)) for s, t in interview.turns]
    turns = [(s, t) for s, t in turns if t]
    if not turns:
        raise ValidationError(gettext("Write at least one turn."), field="turns")
    if len(turns) > MAX_TURNS:
        raise ValidationError(gettext("At most %(num)s turns.", num=MAX_TURNS), field="turns")
    for speaker, text in turns:
        if not isinstance(speaker, int) or not 0 <= speaker < len(names):
            raise ValidationError(
                gettext("Each turn needs one of the named speakers."), field="turns"
            )
        if len(text) > MAX_TURN_CHARS:
            raise ValidationError(
                gettext(
                    "A turn has at most %(num)s characters.", num=format_number(MAX_TURN_CHARS)
                ),
                field="turns",
            )
    return Interview(speakers=names, turns=turns, intro=_clean_text(interview.intro))


def loads(source: str) -> Interview:
    """Parse stored JSON (or raise ``ValidationError`` for anything malformed). JSON escapes can
    carry what the text rule forbids (an API body is its source as is): such characters are
    dropped, so every interview renders and stores."""
    try:
        data = json.loads(source or "")
        speakers = [clean_text(str(s["name"]), single_line=True) for s in data["speakers"]]
        turns = [(int(t["speaker"]), clean_text(str(t["text"]))) for t in data["turns"]]
        intro = clean_text(str(data.get("intro") or ""))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValidationError(
            gettext("This interview is not valid JSON of speakers and turns."), field="body"
        ) from error
    return validate(Interview(speakers=speakers, turns=turns, intro=intro))


def render_html(source: str) -> str:
    """The conversation as ``<dl class="interview">`` with one ``dt``/``dd`` pair per turn."""
    interview = loads(source)
    parts = []
    if interview.intro:
        parts.append(Markup(render_markdown(interview.intro, "post")))
    rows = []
    for speaker, text in interview.turns:
        role = "interviewer" if speaker == 0 else "interviewee"
        rows.append(
            Markup(
                '<dt class="speaker {role}">{name}</dt><dd class="turn {role}">{body}</dd>'
            ).format(
                role=role,
                name=interview.speakers[speaker],
                body=Markup(render_markdown(text, "post")),
            )
        )
    parts.append(Markup('<dl class="interview">') + Markup("").join(rows) + Markup("</dl>"))
    return str(Markup("\n").join(parts))


def to_text(source: str) -> str:
    """Plain ``NAME: text`` lines (Markdown inside) for feeds and the API."""
    try:
        interview = loads(source)
    except ValidationError:
        return ""
    blocks = [interview.intro] if interview.intro else []
    blocks += [f"{interview.speakers[s]}: {t}" for s, t in interview.turns]
    return "\n\n".join(blocks)


# --- paste import ---------------------------------------------------------------------------

_SPEAKER_LINE = re.compile(
    r"""^\s*(?:[*_]{1,2})?                # optional **bold** or _emphasis_ around the name
        (?P<name>[^\W\d_][\w.'’\- ]{0,59}?)  # starts with a letter; words, dots, apostrophes
        \s*(?:[*_]{1,2})?\s*:(?:[*_]{1,2})? # the colon (possibly inside the emphasis)
        (?P<rest>.*)$""",
    re.X,
)


def _speaker_of(line: str) -> tuple[str, str] | None:
    match = _SPEAKER_LINE.match(line)
    if not match:
        return None
    name, rest = clean_name(match.group("name")), match.group("rest")
    if rest.startswith("//") or len(name.split()) > 4:  # a URL, or a sentence with a colon
        return None
    return name, rest.strip()


def parse_pasted(text: str, known: Sequence[str] = ()) -> tuple[Interview, list[str]]:
    """Turn ``NAME: text`` lines into an interview; returns it with notes for the author.

    Handles CRLF, blank lines, continuation lines, names in any case or spacing, and colons
    inside the text. ``known`` are the speakers already typed in the form (interviewer first):
    they keep their place and spelling, and ``JIM:`` is ``Jim``. Otherwise a prefix counts as a
    speaker when it repeats, is written in capitals, or when nobody repeats (a one-question
    interview). Text before the first speaker is the intro. A later line that starts like a turn
    but names nobody in the interview (``Bil:`` for ``Bill``) is not merged into the turn before
    it: it is left out and named in a note, so the author can correct it and import again.
    """
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    speakers = [name for name in (clean_name(n) for n in known) if name]
    keys = [name.casefold() for name in speakers]
    is_speaker = _speaker_rule(lines, set(keys))
    turns: list[list] = []
    intro: list[str] = []
    unattributed: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        found = _speaker_of(line)
        if found and is_speaker(found[0]):
            name, rest = found
            if name.casefold() not in keys:
                keys.append(name.casefold())
                speakers.append(name)
            turns.append([keys.index(name.casefold()), [rest] if rest else []])
        elif found and turns:
            unattributed.append((number, line.strip()))
        elif turns:
            turns[-1][1].append(line.strip())
        else:
            intro.append(line.strip())
    cleaned = [(speaker, _joined(body)) for speaker, body in turns if _joined(body)]
    interview = Interview(speakers=speakers, turns=cleaned, intro=_joined(intro))
    return interview, _paste_notes(interview, unattributed)


def _speaker_rule(lines: list[str], known: set[str]):
    """Which ``NAME:`` prefixes are speakers (see ``parse_pasted``)."""
    counts: dict[str, int] = {}
    for found in filter(None, (_speaker_of(line) for line in lines)):
        counts[found[0].casefold()] = counts.get(found[0].casefold(), 0) + 1
    anyone_repeats = any(n >= 2 for n in counts.values())

    def is_speaker(name: str) -> bool:
        key = name.casefold()
        return key in known or not anyone_repeats or counts[key] >= 2 or name.isupper()

    return is_speaker


def _joined(body: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()


SHOWN_UNATTRIBUTED = 5


def _paste_notes(interview: Interview, unattributed: list[tuple[int, str]]) -> list[str]:
    notes = []
    if len(interview.speakers) < 2:
        notes.append(
            gettext(
                "Found fewer than two speakers: check the names (write each turn as NAME: text)."
            )
        )
    for number, line in unattributed[:SHOWN_UNATTRIBUTED]:
        shown = line if len(line) <= 60 else line[:57] + "..."
        notes.append(
            gettext(
                "Line %(number)s (%(line)s) names nobody in this interview, so it was left out. "
                "Correct the name (or add the speaker) and import again; your paste is kept "
                "below.",
                number=number,
                line=shown,
            )
        )
    if len(unattributed) > SHOWN_UNATTRIBUTED:
        notes.append(
            gettext(
                "%(num)s more such lines were left out.",
                num=len(unattributed) - SHOWN_UNATTRIBUTED,
            )
        )
    return notes


def html_for_preview(interview: Interview) -> Markup:
    """Sanitised preview HTML, or an escaped message when the interview is not complete yet."""
    try:
        return Markup(render_body("interview", validate(interview).to_source(), "comment"))
    except ValidationError as error:
        return Markup('<p class="error">{}</p>').format(escape(error.message))
