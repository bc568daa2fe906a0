"""The small typed values that hooks return. Part of the public plugin API."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import flash
from flask_babel import gettext


class ValidationError(Exception):
    """Raised by a ``before_*`` hook to refuse a change; the user sees ``message`` with a 4xx."""

    #: False for refusals a form cannot help with (a stale page: the item already changed);
    #: ``submit_form`` lets those through to their own handler (409) instead of the form.
    shown_on_form: bool = True

    #: True for a refusal of a content format's own fields (``ContentFormat.parse_form``): the
    #: editor shows it beside those fields, as one of the form's ``form_errors``
    on_format_fields: bool = False

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def show_on(self, form, fallback: str | None = None) -> None:
        """Show the message on the form's field named ``field`` (else on ``fallback``, else
        flashed), so the page can be shown again with what was typed."""

        if self.on_format_fields:
            form.form_errors = [*form.form_errors, self.message]
            return
        target = getattr(form, self.field or "", None)
        if target is None or not hasattr(target, "errors"):
            target = getattr(form, fallback, None) if fallback else None
        if target is None:
            flash(self.message, "error")
            return
        target.errors = list(target.errors or []) + [self.message]


@dataclass(frozen=True)
class ContentType:
    """A listable model that the visibility policy guards.

    ``audience`` is ``"public"`` for content that may reach the public once approved, or
    ``"members"`` for content only its own members may ever see (no moderator bypass).
    ``searchable``/``feedable``/``api_exposed`` say which public channels may carry it; a
    ``members`` type is never indexed, fed or exposed whatever these say.

    ``quiet_until_public``: a new row the anonymous reader cannot see yet (a comment waiting for
    review) shows on no public page, so adding one keeps the shared page cache. Leave it off if
    any public page shows something of such rows (a title under "coming soon", a count); writes
    to a ``members`` type never touch the page cache at all.
    ``path``: the site path of an object's page (``path(obj) -> "/p/notes/3"``), so a notice
    about it (a moderator approved it, hid it) links there; without it the notice has no link.
    """

    name: str
    model: type
    owner: str = "core"
    audience: str = "public"
    searchable: bool = False
    feedable: bool = False
    api_exposed: bool = False
    label: str = ""
    quiet_until_public: bool = False
    path: Callable[[Any], str] | None = None

    @property
    def is_public(self) -> bool:
        return self.audience == "public"


@dataclass(frozen=True)
class Permission:
    """A named permission and the roles that hold it by default."""

    name: str
    description: str
    default_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Setting:
    """A typed plugin or site setting; ``type`` is one of int, bool, str, float."""

    key: str
    type: type
    default: Any
    label: str = ""
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def coerce(self, raw: Any) -> Any:
        if self.type is bool:
            value = raw if isinstance(raw, bool) else str(raw).lower() in {"1", "true", "yes", "on"}
        else:
            value = self.type(raw)
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(
                gettext("%(key)s must be at least %(num)s", key=self.key, num=self.minimum),
                field=self.key,
            )
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(
                gettext("%(key)s must be at most %(num)s", key=self.key, num=self.maximum),
                field=self.key,
            )
        return value


@dataclass(frozen=True)
class ContentFormat:
    """A body format for parts and comments (``markdown`` is core's own).

    ``parse_form(form) -> source`` turns submitted fields into the stored source (raise
    ValidationError for bad input); ``render(source) -> html`` returns HTML that core then
    sanitises with ``context``; ``to_text(source) -> str`` is the Markdown/plain fallback used by
    feeds and the API; ``form_template`` renders the format's fields inside the editor.
    """

    name: str
    label: str
    render: Callable[[str], str]
    to_text: Callable[[str], str]
    parse_form: Callable[[Any], str] | None = None
    form_template: str | None = None
    context: str = "post"
    applies_to: tuple[str, ...] = ("part", "comment")


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification. ``email``: may it go by e-mail at all; ``email_default``: how a
    member who chose nothing gets it (``immediate``, ``digest`` or ``off``); ``urgent``: marked
    as such in the inbox and in the e-mail subject (a confidentiality concern, not a chat line)."""

    name: str
    label: str
    email: bool = True
    email_default: str = "immediate"
    urgent: bool = False


@dataclass(frozen=True)
class NavItem:
    """A link contributed to a menu-like slot."""

    label: str
    url: str
    order: int = 100
    badge: str | None = None


@dataclass(frozen=True)
class QueueSection:
    """Plugin content waiting for review, shown in the core review queue (``review_queue_sections``)."""

    label: str
    url: str
    count: int


@dataclass(frozen=True)
class MigrationLocation:
    """Where a plugin keeps its Alembic revisions and the branch label its first revision carries."""

    label: str
    path: str


@dataclass
class SearchDocument:
    """One entry for the search index: only public, approved content ever becomes one."""

    content_type: str
    object_id: int
    title: str
    body: str
    url: str
    characteristic_id: int | None = None
    author_id: int | None = None
    published_at: Any = None
    extra: dict = field(default_factory=dict)
    #: the text's language (``en``, ``fi``, ``fr``; None: the site's default): how it is stemmed
    language: str | None = None


@dataclass(frozen=True)
class SearchSource:
    """A plugin's contribution to the index: ``documents()`` yields every SearchDocument of a type.

    ``documents_for(ids)``, when given, yields only those objects' documents: the index is kept
    up to date one object at a time, and without it each update reads every document of the type.
    ``document(row)``, when given, builds the document of one loaded row: the index then reads
    the rows itself, in batches (for large tables), and calls neither of the others.
    ``indexed_early(row)``: true for a row the public cannot see yet that is indexed already (a
    part waiting for its publish date; searches keep it out until then by ``published_at``).
    """

    content_type: str
    documents: Callable[[], Iterable[SearchDocument]]
    documents_for: Callable[[list[int]], Iterable[SearchDocument]] | None = None
    document: Callable[[Any], SearchDocument] | None = None
    indexed_early: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class RenderedField:
    """Stored HTML rebuilt from its source by ``flask forum rerender``."""

    model: type
    source: str
    html: str
    kind: str = "post"
    format_attr: str | None = None


@dataclass(frozen=True)
class PeriodicJob:
    """Work that ``flask forum run-jobs`` does at most once per ``interval`` seconds, whichever
    host runs it (``register_periodic_jobs``). ``run()`` returns a short summary line (no
    private content) or ``None``; it commits its own work."""

    name: str
    interval: int
    run: Callable[[], Any]
    description: str = ""
    order: int = 100


@dataclass(frozen=True)
class NonCacheablePath:
    """A URL path prefix the shared page cache never stores nor answers (``register_page_declarations``).

    Declare every page that shows private or per-member content by its path, e.g.
    ``NonCacheablePath("/p/pair_spaces/")``; the page cache reads the declarations once, at start.
    """

    prefix: str


@dataclass(frozen=True)
class EditorPage:
    """A page that shows an editor of a kind, named by meaning (``register_page_declarations``).

    Core declares its own (``"comment editor"``, ``"part editor"``); a plugin that adds editor
    fields or scripts asks ``editor_kind(page)`` instead of listing core endpoint names.
    """

    kind: str
    endpoint: str
