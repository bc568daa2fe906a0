"""The forum's plugin hooks: the public API for plugin authors.

Every spec here has a reference entry in ``docs/plugins.md`` (tests fail when one is missing) and a
``test_hook_<name>`` in ``tests/plugins/``. Signatures only grow: parameters are added, never
renamed or removed. Implement any subset; pluggy lets an implementation accept fewer arguments.
"""

from __future__ import annotations

from pluggy import HookspecMarker

hookspec = HookspecMarker("forum")


# --- start-up and registration -------------------------------------------------------------


@hookspec(historic=True)
def app_created(app):
    """Called once the app is built; historic, so a plugin registered later still sees it."""


@hookspec
def register_blueprints(app):
    """Return Flask blueprints to mount; plugin ones without a url_prefix go under ``/p/<name>``."""


@hookspec
def register_cli_commands(cli):
    """Add click commands to the ``flask forum`` group ``cli``."""


@hookspec
def register_template_folders():
    """Return folders whose templates are looked up after core's ``templates/``."""


@hookspec
def template_overrides():
    """Return folders searched *before* core templates, for themes that replace core pages."""


@hookspec
def register_migrations():
    """Return ``MigrationLocation``s: a plugin's Alembic branch, gathered whether enabled or not."""


@hookspec
def register_content_types():
    """Return ``ContentType``s that the visibility policy guards."""


@hookspec
def register_permissions():
    """Return ``Permission``s with the roles that hold them by default."""


@hookspec
def register_settings():
    """Return ``Setting``s (typed keys with defaults) that admins can change."""


@hookspec
def register_content_formats():
    """Return ``ContentFormat``s: extra body formats for parts and comments."""


@hookspec
def register_notification_kinds():
    """Return ``NotificationKind``s this plugin may send."""


@hookspec
def register_search_sources():
    """Return ``SearchSource``s whose documents join the search index on ``flask forum reindex``."""


@hookspec
def register_api_resources(api):
    """Add routes to the JSON API blueprint ``api`` (mounted at ``/api/v1``)."""


@hookspec
def register_feeds():
    """Return ``(endpoint_name, title, url)`` tuples for extra Atom feeds, for discovery pages."""


# --- visibility and permissions --------------------------------------------------------------


@hookspec
def visibility_filter(actor, content_type):
    """Return a SQLAlchemy boolean clause limiting what ``actor`` may see of ``content_type``.

    Return ``None`` to abstain. Core ANDs every clause (deny wins) and applies them to every ORM
    SELECT of the type, so listings, search, feeds and the API obey one policy.
    """


@hookspec
def check_permission(actor, action, resource):
    """Return True to allow, False to deny, None to abstain; any False wins over any True."""


@hookspec(firstresult=True)
def redact(resource, channel):
    """Return a safe stand-in text for ``resource`` on ``channel`` (log, notification, email,
    error_page, audit, api), or None. Stops at the first non-None result."""


@hookspec(firstresult=True)
def search_exclude(content_type, obj):
    """Return True to keep ``obj`` out of the search index. Stops at the first non-None result."""


# --- content pipeline ------------------------------------------------------------------------


@hookspec
def markdown_extensions(context):
    """Return ``markdown.Extension`` instances to add when rendering text of ``context``."""


@hookspec
def sanitizer_policy(policy, context):
    """Add tags, attributes or protocols to ``policy`` (a ``SanitizerPolicy``) for ``context``.

    The core denylist (script, style, event handlers, javascript: URLs, style attributes) is
    applied after every hook and cannot be re-allowed.
    """


@hookspec
def before_content_saved(content, actor, action):
    """Raise ``ValidationError`` to refuse saving ``content``; ``action`` is created or edited."""


# --- lifecycle events (called after the transaction commits) ---------------------------------


@hookspec
def content_created(content, actor):
    """A part, comment or plugin content was created (it may still await review)."""


@hookspec
def content_submitted(content, actor):
    """Content was submitted for review."""


@hookspec
def content_approved(content, actor):
    """A moderator approved content (it may still wait for its publish date)."""


@hookspec
def content_rejected(content, actor, reason):
    """A moderator rejected content with ``reason``."""


@hookspec
def content_published(content):
    """Content became visible to the public (approval, or a scheduled part's time reached)."""


@hookspec
def content_hidden(content, actor, reason):
    """Content was hidden by a moderator or by the flag threshold (``actor`` None)."""


@hookspec
def content_deleted(content, actor):
    """Content was (soft-)deleted."""


@hookspec
def content_flagged(content, actor, reason):
    """A member flagged content."""


@hookspec
def user_registered(user):
    """A new account exists."""


@hookspec
def user_deleted(user):
    """An account was deleted."""


@hookspec
def invitation_accepted(invitation, user):
    """An invited expert accepted an invitation."""


@hookspec
def moderation_action(action, actor, target_type, target_id, reason):
    """A moderator or admin acted; carries no content, feeds the audit log."""


@hookspec
def plugin_enabled(name):
    """A plugin was enabled."""


@hookspec
def plugin_disabled(name):
    """A plugin was disabled (its data stays)."""


# --- pages ------------------------------------------------------------------------------------


@hookspec
def extra_css_urls(page, actor):
    """Return stylesheet URLs (same origin) to add on ``page``."""


@hookspec
def extra_js_urls(page, actor):
    """Return script URLs (same origin) to add on ``page``."""


@hookspec
def csp_sources():
    """Return a dict like ``{"img-src": ["https://example.org"]}`` to extend the CSP."""


# --- template slots: each returns Markup (or plain text, which is escaped) -----------------


@hookspec
def slot_layout_head(request, actor):
    """Extra tags in the page ``<head>``."""


@hookspec
def slot_layout_nav(request, actor):
    """Return ``NavItem``s for the main navigation."""


@hookspec
def slot_layout_sidebar(request, actor, page):
    """HTML for the sidebar of reader pages."""


@hookspec
def slot_thread_tabs(characteristic, actor):
    """Return ``NavItem``s shown as tabs beside a characteristic's thread."""


@hookspec
def slot_part_after_body(part, actor):
    """HTML after a part's body (badges, reading time, related links)."""


@hookspec
def slot_comment_footer(comment, actor):
    """HTML in a comment's footer."""


@hookspec
def slot_comment_form_fields(characteristic, actor):
    """Extra HTML fields inside the comment form (e.g. a format picker)."""


@hookspec
def slot_profile_sections(user, actor):
    """HTML sections on a user's public profile."""


@hookspec
def slot_admin_menu(actor):
    """Return ``NavItem``s for the admin menu."""
