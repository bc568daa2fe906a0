"""Q&A formats: interview-format parts and comments, and questions with voted answers.

All hook implementations are on this one screen; the logic lives in ``services``, ``interview``,
``views``, ``feeds`` and ``cli``. Built only on the public plugin API.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import and_, exists, or_
from sqlalchemy.orm import aliased

from forum.sdk import (
    N_,
    ContentFormat,
    ContentType,
    MigrationLocation,
    NavItem,
    NotificationKind,
    Permission,
    QueueSection,
    SearchSource,
    can,
    editor_kind,
    hookimpl,
)
from forum_qa import (
    interview,
    models,  # noqa: F401  (tables in the metadata whether enabled or not)
)
from forum_qa.cli import qa_group
from forum_qa.feeds import answer_documents, question_documents
from forum_qa.forms import fields_for_editor, interview_fields
from forum_qa.interview import validate
from forum_qa.models import QAStatus
from forum_qa.services import is_moderator, question_path, waiting_count
from forum_qa.views import bp

NAME = "qa"
HERE = Path(__file__).parent
WRITERS = ("member", "expert", "supervisor", "moderator", "admin")


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def register_template_folders():
    return [HERE / "templates"]


@hookimpl
def register_translation_folders():
    """The plugin's own fi and fr catalogs (``make i18n`` extracts and compiles them)."""
    return [HERE / "translations"]


@hookimpl
def register_migrations():
    return [MigrationLocation(NAME, str(HERE / "migrations" / "versions"))]


@hookimpl
def register_cli_commands(cli):
    cli.add_command(qa_group)


@hookimpl
def register_content_types():
    return [
        ContentType(
            "question",
            models.Question,
            owner=NAME,
            label=N_("Question"),
            searchable=True,
            feedable=True,
            api_exposed=False,
            path=lambda question: question_path(question.id),
        ),
        ContentType(
            "answer",
            models.Answer,
            owner=NAME,
            label=N_("Answer"),
            searchable=True,
            feedable=False,
            api_exposed=False,
            path=lambda answer: question_path(answer.question_id, f"answer-{answer.id}"),
        ),
    ]


@hookimpl
def register_permissions():
    return [
        Permission("question.create", "Ask questions under a characteristic", WRITERS),
        Permission("answer.create", "Answer questions", WRITERS),
        Permission("answer.vote", "Vote answers up or down", WRITERS),
        Permission(
            "qa.moderate",
            "Approve, reject and hide questions and answers; accept any answer",
            ("moderator", "admin"),
        ),
    ]


@hookimpl
def check_permission(actor, action, resource):
    """A suspended account does not vote (``*.create`` is already refused by core)."""
    if action == "answer.vote" and getattr(actor, "is_suspended", False):
        return False
    return None


@hookimpl
def register_notification_kinds():
    return [NotificationKind("qa.answer", N_("Answers to your questions"))]


@hookimpl
def register_content_formats():
    return [
        ContentFormat(
            name="interview",
            label=N_("Interview (speakers and turns)"),
            render=interview.render_html,
            to_text=interview.to_text,
            parse_form=parse_interview_form,
            form_template="qa/_interview_fields.html",
            context=interview.CONTEXT,
        )
    ]


def parse_interview_form(form) -> str:
    """The stored JSON source from submitted ``interview-…`` fields (a MultiDict)."""

    return validate(interview_fields(form).to_interview()).to_source()


@hookimpl
def sanitizer_policy(policy, context):
    """Interviews need only a class on the definition list that carries the conversation."""
    if context == "interview":
        for tag in ("dl", "dt", "dd"):
            policy.attributes.setdefault(tag, [])
            if "class" not in policy.attributes[tag]:
                policy.attributes[tag].append("class")


def _public(model):
    return and_(
        model.status == QAStatus.APPROVED, model.hidden_at.is_(None), model.deleted_at.is_(None)
    )


@hookimpl
def visibility_filter(actor, content_type):
    """Public: approved, not hidden or deleted, and an answer only under a public question (a
    hidden or deleted question takes its answers with it, in search too). Authors see their
    own; moderators see all."""
    if content_type.name not in ("question", "answer"):
        return None
    model = content_type.model
    if can("content.see_all", actor=actor):
        return None
    clause = _public(model)
    if model is models.Answer:
        question = aliased(models.Question)  # never correlated with a Question the query joins
        clause = and_(
            clause,
            exists()
            .where(question.id == models.Answer.question_id, _public(question))
            .correlate_except(question),
        )
    if getattr(actor, "id", None) is not None:
        clause = or_(clause, and_(model.author_id == actor.id, model.deleted_at.is_(None)))
    return clause


@hookimpl
def register_search_sources():
    return [
        SearchSource("question", question_documents, documents_for=question_documents),
        SearchSource("answer", answer_documents, documents_for=answer_documents),
    ]


@hookimpl
def register_feeds(endpoint, view_args):
    """The site-wide questions feed; on a thread, that thread's questions too."""
    feeds = [("qa.feed", gettext("Questions"), url_for("qa.feed"))]
    slug = view_args.get("slug") if endpoint in ("series.thread", "qa.questions") else None
    if isinstance(slug, str) and len(slug) <= 80:
        url = url_for("qa.characteristic_feed", slug=slug)
        feeds.insert(0, ("qa.characteristic_feed", gettext("Questions in this thread"), url))
    return feeds


@hookimpl
def slot_thread_tabs(characteristic, actor):
    return [
        NavItem(gettext("Questions"), url_for("qa.questions", slug=characteristic.slug), order=50)
    ]


@hookimpl
def slot_layout_nav(request, actor):
    return [NavItem(gettext("Unanswered questions"), url_for("qa.unanswered"), order=60)]


@hookimpl
def review_queue_sections(actor):
    """Pending questions and answers, in the core review queue (one COUNT)."""

    if not is_moderator(actor):
        return []
    return [
        QueueSection(gettext("Questions and answers"), url_for("qa.moderation"), waiting_count())
    ]


@hookimpl
def extra_js_urls(page, actor):
    if page and page.startswith("qa.") or editor_kind(page) in INTERVIEW_EDITORS:
        return [url_for("qa.static", filename="interview.js")]
    return []


@hookimpl
def extra_css_urls(page, actor):
    return [url_for("qa.static", filename="qa.css")]


#: The editors that offer the interview format (core declares which pages show them).
INTERVIEW_EDITORS = ("comment editor", "part editor")


@hookimpl
def slot_comment_form_fields(characteristic, actor):
    """The interview fields. On a GET they are blank and the same for every reader of a thread,
    so each worker renders them once per thread (a re-shown POST keeps what was typed)."""

    def render():
        return Markup(render_template("qa/_comment_fields.html", characteristic=characteristic))

    if request.method != "GET":
        return render()
    blank = current_app.extensions.setdefault("forum_qa.blank_comment_fields", {})
    if characteristic.slug not in blank:
        blank[characteristic.slug] = render()
    return blank[characteristic.slug]


@hookimpl
def app_created(app):
    """Core's editors embed the interview fields through ``qa_interview_fields()``."""

    app.jinja_env.globals["qa_interview_fields"] = fields_for_editor
