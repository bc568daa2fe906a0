"""The forum's plugin hooks: the public API for plugin authors.

Every spec here is documented like a public function: what it is for, when it is called, its
arguments, its return value, how results combine, and an example. ``docs/plugins.md`` carries a
reference generated from these docstrings (``python -m forum.plugin_admin.docgen``); a test fails when
a hook is missing there or its signature differs, and another when a hook has no
``test_hook_<name>`` in ``tests/plugins/``.

Rules for the specs:

* Signatures only grow: parameters are added, never renamed or removed. An implementation may
  accept any subset of the arguments (pluggy passes only the names it asks for).
* ``firstresult=True`` only where one answer is wanted; ``app_created`` is historic.
* Wrappers are new-style only: ``@hookimpl(wrapper=True)``. Hooks that core gathers per plugin
  (every ``register_*`` and every ``slot_*``) take no wrappers; app creation fails if one has one.
* Hooks of a disabled plugin are skipped, except where a docstring says "every installed plugin"
  (registration at start-up), which keeps models and routes stable while a plugin is switched
  off. ``visibility_filter`` is skipped too: a disabled plugin's rules stop applying, and its own
  content types are invisible to everyone instead (fail closed).
* Hooks in ``PROVISIONAL`` are implemented by no real plugin (core or bundled) yet: their shape
  may still change. The reference marks them; a test keeps the set true.
"""

from __future__ import annotations

from pluggy import HookspecMarker

hookspec = HookspecMarker("forum")

#: Hooks no real plugin implements yet (see the module docstring); the reference marks them.
PROVISIONAL = frozenset(
    {
        "content_created",
        "content_flagged",
        "content_submitted",
        "csp_sources",
        "invitation_accepted",
        "plugin_disabled",
        "plugin_enabled",
        "plugin_installed",
        "plugin_upgraded",
        "register_api_resources",
        "slot_comment_footer",
        "slot_layout_sidebar",
        "template_overrides",
        "user_deleted",
        "user_registered",
    }
)


# --- start-up and registration -------------------------------------------------------------


@hookspec(historic=True)
def app_created(app):
    """The app has been built; set up anything that needs the finished app.

    When: once per app, at the end of ``create_app``, inside an app context. Historic: a plugin
    registered after that (``register_plugin`` in tests) is called at registration.
    Args:
        app: the ``Flask`` app.
    Returns: nothing.
    Example::

        @hookimpl
        def app_created(app):
            app.jinja_env.filters["minutes"] = lambda n: f"{n} min"
    """


@hookspec
def register_blueprints(app):
    """Add pages: return Flask blueprints to mount.

    When: once, while the app is built, for every installed plugin (enabled or not).
    Args:
        app: the ``Flask`` app being built.
    Returns: a list of ``flask.Blueprint``. A plugin blueprint without ``url_prefix`` is mounted
    at ``/p/<plugin name>``. While the plugin is disabled every route of its blueprints answers
    404 (checked per request, so no restart is needed). Static files: give the blueprint a
    ``static_folder``; they are served at ``<prefix>/static/...``.
    Example::

        bp = Blueprint("reading_time", __name__, static_folder="static")

        @bp.get("/about")
        def about():
            return render_template("reading_time/about.html")

        @hookimpl
        def register_blueprints(app):
            return [bp]
    """


@hookspec
def register_cli_commands(cli):
    """Add ``flask forum ...`` commands.

    When: once, while the app is built, for every installed plugin.
    Args:
        cli: the ``flask forum`` click group; call ``cli.add_command(command)``.
    Returns: nothing.
    Example::

        @click.command("reading-stats")
        def reading_stats():
            click.echo("42 parts")

        @hookimpl
        def register_cli_commands(cli):
            cli.add_command(reading_stats)
    """


@hookspec
def register_template_folders():
    """Make the plugin's templates findable.

    When: once, while the app is built, for every installed plugin.
    Returns: a list of folder paths. They are searched after core's ``templates/``, so put your
    files in a sub-folder named after the plugin (``templates/reading_time/badge.html``) and
    never shadow a core template by accident.
    Example::

        @hookimpl
        def register_template_folders():
            return [Path(__file__).parent / "templates"]
    """


@hookspec
def template_overrides():
    """Replace core templates on purpose (themes).

    When: once, while the app is built, for every installed plugin.
    Returns: a list of folder paths searched *before* core's ``templates/``; a file there named
    like a core template (``series/home.html``) replaces it.
    Example::

        @hookimpl
        def template_overrides():
            return [Path(__file__).parent / "theme"]
    """


@hookspec
def register_translation_folders():
    """Ship the plugin's own translations (gettext catalogs) next to core's.

    When: once, while the app is built, for every installed plugin.
    Returns: a list of folders laid out as Babel makes them
    (``<folder>/<locale>/LC_MESSAGES/messages.po`` and the compiled ``messages.mo``), in the
    ``messages`` domain. Core's catalogs are read first, so a plugin cannot change a core
    string's translation; give your strings ids of their own. Extract and compile with
    ``pybabel`` as core's ``make i18n`` does.
    Example::

        @hookimpl
        def register_translation_folders():
            return [Path(__file__).parent / "translations"]
    """


@hookspec
def register_migrations():
    """Ship database tables: point at the plugin's own Alembic branch.

    When: whenever Alembic is configured (``flask db ...``, ``flask forum plugin uninstall``),
    for every installed plugin, so ``flask db upgrade heads`` upgrades core and every plugin.
    Returns: a list of ``MigrationLocation(label, path)``. The first revision in ``path`` carries
    ``branch_labels=(label,)``, ``down_revision=None`` and ``depends_on="core_0001"``.
    Example::

        @hookimpl
        def register_migrations():
            return [MigrationLocation("reading_time", str(Path(__file__).parent / "migrations"))]
    """


@hookspec
def register_content_types():
    """Declare listable models that the visibility policy must guard.

    When: once, while the app is built, for every installed plugin.
    Returns: a list of ``ContentType(name, model, audience=..., searchable=..., ...)``. Every ORM
    SELECT of ``model`` is then filtered by ``visibility_filter``. While the owning plugin is
    disabled (or failed to load) the type is invisible to everyone: fail closed.
    The shared page cache follows: writing a ``members`` type never invalidates it (such rows are
    on no public page); with ``quiet_until_public=True`` a new row the public cannot see yet
    (waiting for review) does not either. Leave that off if a public page shows anything of
    such rows (a "coming soon" title, a count).
    Security (fail_closed): while the owning plugin is disabled the type is invisible to everyone.
    Example::

        @hookimpl
        def register_content_types():
            return [ContentType("note", Note, audience="members")]
    """


@hookspec
def register_page_declarations():
    """Declare pages by what they are, so no plugin names core endpoints or paths.

    When: once per app, when the page cache starts or a plugin first asks, for every installed
    plugin (enabled or not: a page that is never cached is always safe).
    Returns: a list of ``NonCacheablePath(prefix)`` (paths the shared page cache never stores:
    every private or per-member page) and ``EditorPage(kind, endpoint)`` (pages that show an
    editor; core declares its ``"comment editor"`` and ``"part editor"`` pages). A plugin asks
    ``editor_kind(page)`` to learn whether an endpoint shows an editor, and of which kind.
    Example::

        @hookimpl
        def register_page_declarations():
            return [NonCacheablePath("/p/notes/")]
    """


@hookspec
def register_permissions():
    """Declare named permissions and the roles that hold them by default.

    When: once, while the app is built, for every installed plugin.
    Returns: a list of ``Permission(name, description, default_roles)``. Check them with
    ``forum.sdk.can(name, resource)`` or the ``require(name)`` decorator;
    ``check_permission`` implementations may override the role defaults.
    Example::

        @hookimpl
        def register_permissions():
            return [Permission("notes.write", "Write private notes", ("member",))]
    """


@hookspec
def register_settings():
    """Declare typed settings that admins change on ``/admin/plugins`` or with the CLI.

    When: once, while the app is built, for every installed plugin.
    Returns: a list of ``Setting(key, type, default, label, help, minimum, maximum)``; ``type``
    is int, float, bool or str. Prefix keys with the plugin name. Read a value with
    ``forum.sdk.get_setting(key)`` (the stored value, else the default).
    Example::

        @hookimpl
        def register_settings():
            return [Setting("reading_time.words_per_minute", int, 200, "Words per minute",
                            minimum=50, maximum=1000)]
    """


@hookspec
def register_content_formats():
    """Add a body format for parts and comments (beside core's Markdown).

    When: once, while the app is built, for every installed plugin; a disabled plugin's formats
    are not offered.
    Returns: a list of ``ContentFormat(name, label, render, to_text, parse_form, form_template,
    context, applies_to)``. ``render(source)`` returns HTML that core sanitises with
    ``context``; ``to_text(source)`` is the Markdown/plain fallback for feeds and the API;
    ``parse_form(form)`` turns submitted fields into the stored source (raise
    ``ValidationError`` on bad input: the editor shows its message after the format's fields,
    keeping what was typed). Core stores the rendered HTML beside the source:
    ``forum.sdk.render_body(format, source, kind)``.
    Example::

        @hookimpl
        def register_content_formats():
            return [ContentFormat("shout", "Shouting", render=lambda s: f"<p>{escape(s.upper())}</p>",
                                  to_text=str.upper)]
    """


@hookspec
def register_notification_kinds():
    """Declare kinds of notification the plugin sends.

    When: once, while the app is built, for every installed plugin.
    Returns: a list of ``NotificationKind(name, label, email=True, email_default="immediate",
    urgent=False)``. Every kind with ``email`` may go by e-mail: each member picks, per kind,
    immediately, the daily digest or off (``email_default`` is the choice of a member who made
    none); each e-mail has a one-click unsubscribe for its kind. ``urgent`` marks the notice in
    the inbox and the e-mail subject ("[Urgent]"): for what must not wait, such as a
    confidentiality concern, not for chat. The texts must carry no private content (see
    ``redact``): they are the whole e-mail.
    Example::

        @hookimpl
        def register_notification_kinds():
            return [NotificationKind("qa.answer", "Someone answered your question"),
                    NotificationKind("qa.digest", "Weekly questions", email_default="digest")]
    """


@hookspec
def register_search_sources():
    """Contribute documents to the search index.

    When: when the index is rebuilt (``flask forum reindex``) and by the search service.
    Returns: a list of ``SearchSource(content_type, documents, documents_for=None)``;
    ``documents()`` yields every ``SearchDocument`` of the type, ``documents_for(ids)`` only
    those of the given ids (give it: an update of one object otherwise reads every document).
    Large tables give ``document(row)`` (and, for rows indexed before they are public,
    ``indexed_early(row)``): core's parts and comments come in through this hook that way.
    Only public, approved content may become a document; a ``members`` content type is never
    indexed whatever is returned.
    Example::

        @hookimpl
        def register_search_sources():
            return [SearchSource("qa_question", lambda: docs(public_questions()),
                                 documents_for=lambda ids: docs(public_questions(ids)))]
    """


@hookspec
def register_api_resources(api):
    """Add routes to the public JSON API.

    When: once, while the app is built, for every installed plugin; routes of a disabled plugin
    answer 404.
    Args:
        api: the API blueprint (mounted at ``/api/v1``); add routes with ``api.add_url_rule``.
    Returns: nothing.
    Example::

        @hookimpl
        def register_api_resources(api):
            api.add_url_rule("/reading-time/<id:part_id>", "reading_time", reading_time_json)
    """


@hookspec
def register_feeds(endpoint, view_args):
    """Announce Atom feeds: for the ``<link rel=alternate>`` autodiscovery links of a page and
    for the feeds page (``/feeds``), which lists every feed of the site.

    When: for each page's ``<head>`` (``endpoint`` and ``view_args`` name the page), and for
    ``/feeds`` with ``endpoint=None`` (list your site-wide feeds then). The core's own feeds
    (new parts, each series, a thread's parts and comments, an expert's parts) come through
    this hook too, from ``forum.feeds.plugin``.
    Args:
        endpoint: the page's endpoint, or None for the list of every site-wide feed.
        view_args: the page's URL arguments (``{}`` for the list).
    Returns: a list of ``(endpoint, title, url)`` tuples of public feeds (never a feed of
    private content: guests read these pages); serve each feed from your blueprint. Plugins
    written for API 1.0 may take no arguments, as pluggy allows.
    Example::

        @hookimpl
        def register_feeds(endpoint, view_args):
            return [("qa.feed", "New questions", url_for("qa.feed"))]
    """


@hookspec
def register_periodic_jobs():
    """Declare background work that ``flask forum run-jobs`` runs on a schedule.

    When: each time ``flask forum run-jobs`` runs (cron or a systemd timer, every minute), for
    every installed plugin; the jobs of a disabled plugin are skipped.
    Returns: a list of ``PeriodicJob(name, interval, run, description="", order=100)``:
    ``interval`` in seconds, ``run()`` a function taking no arguments that commits its own work
    and returns a short summary line (shown by the command; never private content). Each job
    runs at most once per interval across every host sharing the database (a row per job is
    claimed with a conditional UPDATE), so two hosts running the command at once run it once.
    Jobs run in ``order``, then by name; one that raises is logged and rolled back, and the
    others still run. Prefix names with the plugin name.
    Example::

        @hookimpl
        def register_periodic_jobs():
            return [PeriodicJob("reading_time.recount", interval=3600, run=recount_all,
                                description="Recount reading times")]
    """


@hookspec
def register_rendered_fields():
    """Declare stored HTML that ``flask forum rerender`` must rebuild from its source.

    When: by ``flask forum rerender`` (run after the sanitiser allow-list or a Markdown
    extension changed), for every installed plugin.
    Returns: a list of ``RenderedField(model, source, html, kind, format_attr=None)``: the
    model class, the source and HTML attribute names, the kind passed to the renderer ("part",
    "comment", "profile" or your own context) and, for bodies with a format, the attribute
    holding the format name. Encrypted or private fields may be left out (render them yourself).
    Example::

        @hookimpl
        def register_rendered_fields():
            return [RenderedField(Answer, "body_source", "body_html", "comment")]
    """


# --- visibility and permissions --------------------------------------------------------------


@hookspec
def visibility_filter(actor, content_type):
    """Limit what ``actor`` may see of a content type, as one SQL clause (listings stay one query).

    When: for every ORM SELECT of a registered content type (cached per request and actor), for
    every *enabled* plugin: disabling a plugin removes its rules, also on core types. Its own
    types stay protected all the same: the type of a disabled plugin is invisible to everyone
    (``register_content_types``), so nothing it guarded leaks. A type that a statement names
    only in a subquery (a count or an ``EXISTS`` under another type) gets the same clause when
    that subquery says ``visible(Model)`` (``forum.sdk``).
    Args:
        actor: the current user (``User`` or ``Anonymous``; ``actor.id``; rights via ``can()``).
        content_type: the ``ContentType`` being selected (``content_type.name``/``.model``).
    Returns: a SQLAlchemy boolean clause on ``content_type.model``, or ``None`` to abstain.
    Core ANDs every clause (deny wins). With no clause, a ``public`` type is visible and a
    ``members`` type is not. An exception means deny, logged without content.
    Security (deny_wins): a row any plugin's clause excludes is hidden, whatever the others say.
    Security (members_type_hidden_without_clause): nobody sees a ``members`` type no rule opens.
    Security (exception_means_deny): a raising implementation hides the type, logging no content.
    Example::

        @hookimpl
        def visibility_filter(actor, content_type):
            if content_type.name != "note":
                return None
            return Note.owner_id == actor.id if actor.id else false()
    """


@hookspec
def check_permission(actor, action, resource):
    """Answer a permission question about one action or object.

    When: each time core or a plugin calls ``can(action, resource)`` or a view decorated with
    ``require(action)`` runs. A single-object "may this user see it?" question is asked as
    action ``"view"`` with the object as ``resource``.
    Args:
        actor: the user asking (``User`` or ``Anonymous``).
        action: the permission name, e.g. ``"comment.create"`` or ``"view"``.
        resource: the object concerned, or ``None``.
    Returns: ``True`` to allow, ``False`` to deny, ``None`` to abstain. Any ``False`` wins over
    any ``True``; if everybody abstains the permission's ``default_roles`` decide. An exception
    means deny.
    Security (deny_wins): one ``False`` refuses, however many ``True`` answers there are.
    Security (exception_means_deny): a raising implementation refuses the action.
    Example::

        @hookimpl
        def check_permission(actor, action, resource):
            if action == "comment.create" and getattr(resource, "locked", False):
                return False
            return None
    """


@hookspec(firstresult=True)
def redact(resource, channel):
    """Give a safe stand-in for an object that must not appear raw on a side channel.

    When: before core puts an object into a notification, e-mail, log line, error page, audit
    entry, admin export or API answer. ``firstresult``: stops at the first non-None result.
    Args:
        resource: the object (a part, a comment, a plugin's own row).
        channel: one of ``"notification"``, ``"email"``, ``"log"``, ``"error_page"``,
            ``"audit"``, ``"export_admin"``, ``"api"``.
    Returns: the text to use instead of the object's content, or ``None`` (no opinion).
    Example::

        @hookimpl
        def redact(resource, channel):
            if isinstance(resource, Note):
                return "a private note"
            return None
    """


@hookspec(firstresult=True)
def search_exclude(content_type, obj):
    """Keep an object out of the search index.

    When: each time the search service is about to index ``obj``. ``firstresult``: stops at the
    first non-None result.
    Args:
        content_type: the ``ContentType`` of ``obj`` (``content_type.name`` is ``"part"``,
            ``"comment"`` or a plugin's type).
        obj: the object about to be indexed.
    Returns: ``True`` to exclude it, or ``None`` (no opinion).
    Example::

        @hookimpl
        def search_exclude(content_type, obj):
            return True if "#noindex" in (getattr(obj, "body_source", "") or "") else None
    """


# --- content pipeline ------------------------------------------------------------------------


@hookspec
def markdown_extensions(context):
    """Add Markdown extensions for text of one context.

    When: each time user Markdown is rendered (on write, never on read).
    Args:
        context: ``"post"``, ``"comment"``, ``"profile"`` or a plugin's own context name.
    Returns: a list of ``markdown.Extension`` instances (or extension names). This hook is the
    documented place for a new-style wrapper: ``@hookimpl(wrapper=True)`` receives every other
    plugin's lists from ``yield`` and may add, drop or reorder them.
    Speed: each thread keeps its Markdown converters for the next texts (making one costs more
    than most texts) when every extension is a name, or an instance whose class sets
    ``forum_reusable = True``: it promises to carry nothing from one text to the next (reset in
    ``reset()`` or at the start of each run, as Python-Markdown's own contract asks). Other
    instances get a fresh converter for each text.
    Example::

        @hookimpl(wrapper=True)
        def markdown_extensions(context):
            results = yield                      # every other plugin's lists
            results.append(["nl2br"] if context == "comment" else [])
            return results
    """


@hookspec
def sanitizer_policy(policy, context):
    """Allow extra tags, attributes or protocols in sanitised HTML of one context.

    When: each time HTML is sanitised for ``context``.
    Args:
        policy: a mutable ``SanitizerPolicy`` (``tags``, ``attributes``, ``protocols``).
        context: ``"post"``, ``"comment"``, ``"profile"`` or a plugin context.
    Returns: nothing; change ``policy`` in place. The core denylist (script, style, event
    handlers, style attributes, ``javascript:`` URLs, ...) is applied afterwards and cannot be
    re-allowed.
    Security (denylist_cannot_be_reallowed): a policy that adds ``script`` still gets no script.
    Example::

        @hookimpl
        def sanitizer_policy(policy, context):
            if context == "interview":
                policy.attributes.setdefault("dl", []).append("class")
    """


@hookspec
def before_content_saved(content, actor, action):
    """Validate content before it is written; raise to refuse.

    When: inside the request, before the transaction that creates or edits a part, comment or
    plugin content commits.
    Args:
        content: the object about to be saved, with the new text already in its source fields
            (``body_source``, a part's ``title``). An edit of a published part changes nothing
            live: ``content`` is then the pending ``PartRevision`` that holds the edit.
        actor: the user saving it.
        action: ``"created"`` or ``"edited"``.
    Returns: nothing. Raise ``ValidationError(message, field)`` to refuse; the user sees the
    message with a 422 answer and nothing is saved.
    Example::

        @hookimpl
        def before_content_saved(content, actor, action):
            if "lorem ipsum" in (content.body_source or "").lower():
                raise ValidationError("Please write real text.", field="body")
    """


# --- lifecycle events (called after the transaction commits) ---------------------------------


@hookspec
def content_created(content, actor):
    """React to new content (it may still await review).

    When: after the transaction that created a part, comment or plugin content commits (fired
    with ``forum.sdk.emit``, so never for rolled-back data).
    Args:
        content: the new object.
        actor: its author (``Anonymous`` for a guest).
    Returns: nothing.
    Example::

        @hookimpl
        def content_created(content, actor):
            log.info("new %s %s", type(content).__name__, content.id)
    """


@hookspec
def content_submitted(content, actor):
    """React to content entering the review queue.

    When: after the commit that put a part, comment or edit into the moderation queue.
    Args:
        content: the object awaiting review.
        actor: who submitted it.
    Returns: nothing.
    Example::

        @hookimpl
        def content_submitted(content, actor):
            notify_moderators(content.id)
    """


@hookspec
def content_approved(content, actor):
    """React to a moderator approving content (a scheduled part may still wait for its date).

    When: after the approving transaction commits.
    Args:
        content: the approved object.
        actor: the moderator.
    Returns: nothing.
    Example::

        @hookimpl
        def content_approved(content, actor):
            stats.approved += 1
    """


@hookspec
def content_rejected(content, actor, reason):
    """React to a moderator rejecting content.

    When: after the rejecting transaction commits.
    Args:
        content: the rejected object.
        actor: the moderator.
        reason: the reason shown to the author.
    Returns: nothing.
    Example::

        @hookimpl
        def content_rejected(content, actor, reason):
            log.info("rejected %s: %s", content.id, reason)
    """


@hookspec
def content_published(content):
    """React to content becoming visible to the public.

    When: after approval of already-due content commits, after content that is public at once
    (a trusted member's comment) is created (then with ``content_created``), or when a scheduled
    part's publish time is reached (fired by the scheduler).
    Args:
        content: the object now public.
    Returns: nothing.
    Example::

        @hookimpl
        def content_published(content):
            announce(content.id)
    """


@hookspec
def content_hidden(content, actor, reason):
    """React to content being hidden.

    When: after a moderator hides content, or the flag threshold hides it (then ``actor`` is
    ``None``), and the transaction commits.
    Args:
        content: the hidden object.
        actor: the moderator, or ``None`` for the automatic flag threshold.
        reason: why.
    Returns: nothing.
    Example::

        @hookimpl
        def content_hidden(content, actor, reason):
            cache.forget(content.id)
    """


@hookspec
def content_deleted(content, actor):
    """React to content being (soft-)deleted.

    When: after the deleting transaction commits.
    Args:
        content: the deleted object.
        actor: who deleted it (author or moderator).
    Returns: nothing.
    Example::

        @hookimpl
        def content_deleted(content, actor):
            cache.forget(content.id)
    """


@hookspec
def content_flagged(content, actor, reason):
    """React to a member flagging content.

    When: after the flag is committed.
    Args:
        content: the flagged object.
        actor: the member who flagged it.
        reason: the flag's reason.
    Returns: nothing.
    Example::

        @hookimpl
        def content_flagged(content, actor, reason):
            log.info("flag on %s", content.id)
    """


@hookspec
def user_registered(user):
    """React to a new account.

    When: after the registration (or invitation acceptance) that created the account commits.
    Args:
        user: the new ``User``.
    Returns: nothing.
    Example::

        @hookimpl
        def user_registered(user):
            send_welcome(user.id)
    """


@hookspec
def user_deleted(user):
    """React to an account being deleted: drop the plugin's personal data about it.

    When: after the deletion commits.
    Args:
        user: the deleted ``User`` (its id is still set).
    Returns: nothing.
    Example::

        @hookimpl
        def user_deleted(user):
            db.session.execute(delete(Note).where(Note.owner_id == user.id))
            db.session.commit()
    """


@hookspec
def invitation_accepted(invitation, user):
    """React to an invited expert accepting an invitation.

    When: after the acceptance commits.
    Args:
        invitation: the ``Invitation`` row.
        user: the expert's account.
    Returns: nothing.
    Example::

        @hookimpl
        def invitation_accepted(invitation, user):
            log.info("expert %s joined", user.id)
    """


@hookspec
def role_changed(user, role, granted, actor, reason):
    """React to an admin granting or revoking a member's role on the member's page.

    When: after the change (and its audit entry) commits.
    Args:
        user: the member whose roles changed.
        role: the role's name, e.g. ``"expert"``.
        granted: True when the role was granted, False when revoked.
        actor: the admin.
        reason: the reason the admin gave (never empty).
    Returns: nothing.
    Example::

        @hookimpl
        def role_changed(user, role, granted, actor, reason):
            if role == "supervisor" and granted:
                log.info("new supervisor %s", user.id)
    """


@hookspec
def moderation_action(action, actor, target_type, target_id, reason):
    """React to a moderator or admin action (it carries no content).

    When: after the transaction of any audited action commits (``audit.record``).
    Args:
        action: e.g. ``"comment.approve"``, ``"plugin.disable"``.
        actor: the moderator or admin.
        target_type: e.g. ``"comment"``, ``"plugin"``.
        target_id: the target's id (``None`` for targets named by text).
        reason: the reason given, possibly empty.
    Returns: nothing.
    Example::

        @hookimpl
        def moderation_action(action, actor, target_type, target_id, reason):
            metrics.count(action)
    """


@hookspec
def plugin_installed(name, version):
    """React to a plugin seen for the first time by this database.

    When: the first time an app starts (or the plugin admin runs) with the plugin installed;
    recorded in ``plugin_state.installed_version``. Called only on the plugin itself if it is
    enabled, and on every other enabled plugin.
    Args:
        name: the plugin's name (its entry-point name).
        version: its distribution version ("" when unknown).
    Returns: nothing.
    Example::

        @hookimpl
        def plugin_installed(name, version):
            if name == "reading_time":
                log.info("reading time %s installed", version)
    """


@hookspec
def plugin_upgraded(name, from_version, to_version):
    """React to a new version of an installed plugin.

    When: the first time an app starts with a version different from the recorded one.
    Args:
        name: the plugin's name.
        from_version: the version recorded before.
        to_version: the version now installed.
    Returns: nothing.
    Example::

        @hookimpl
        def plugin_upgraded(name, from_version, to_version):
            log.info("%s: %s -> %s", name, from_version, to_version)
    """


@hookspec
def plugin_enabled(name):
    """React to a plugin being switched on.

    When: after the admin page or ``flask forum plugins enable`` commits the change; the named
    plugin is itself called.
    Args:
        name: the plugin's name.
    Returns: nothing.
    Example::

        @hookimpl
        def plugin_enabled(name):
            log.info("%s enabled", name)
    """


@hookspec
def plugin_disabled(name):
    """React to a plugin being switched off (its data and tables stay).

    When: after the admin page or ``flask forum plugins disable`` commits the change; called on
    the plugins still enabled (the disabled one is no longer called).
    Args:
        name: the plugin's name.
    Returns: nothing.
    Example::

        @hookimpl
        def plugin_disabled(name):
            log.info("%s disabled", name)
    """


# --- pages ------------------------------------------------------------------------------------


@hookspec
def review_queue_sections(actor):
    """Tell moderators, in the core review queue, what of your plugin's waits for review.

    When: each time the review queue page, or the "Review queue" link with its count in the
    navigation, is shown to a user who may review (``moderation.review``).
    Args:
        actor: the current user (check your own permission before counting).
    Returns: a list of ``QueueSection(label, url, count)``. The queue page lists each with a
    link to your own review page (empty ones too, so moderators find every queue), and its
    count adds to the navigation's badge. The core's own queue of parts and comments is a
    section too (``forum.moderation.plugin``): the badge is the sum of every section. The badge is on
    every page a moderator sees: keep it to one COUNT query.
    Example::

        @hookimpl
        def review_queue_sections(actor):
            if not can("reviews.moderate", actor=actor):
                return []
            waiting = db.session.scalar(select(func.count()).where(BookReview.status == "pending"))
            return [QueueSection("Book reviews", url_for("reviews.queue"), waiting)]
    """


@hookspec
def extra_css_urls(page, actor):
    """Add stylesheets to pages.

    When: each time a page based on ``base.html`` renders.
    Args:
        page: the endpoint name of the page (``"series.home"``), "" when unknown.
        actor: the current user.
    Returns: a list of same-origin URLs (usually ``url_for("<bp>.static", filename=...)``).
    Example::

        @hookimpl
        def extra_css_urls(page, actor):
            return [url_for("reading_time.static", filename="badge.css")]
    """


@hookspec
def extra_js_urls(page, actor):
    """Add scripts to pages (loaded with ``defer``; inline scripts are blocked by the CSP).

    When: each time a page based on ``base.html`` renders.
    Args:
        page: the endpoint name of the page.
        actor: the current user.
    Returns: a list of same-origin URLs.
    Example::

        @hookimpl
        def extra_js_urls(page, actor):
            return [url_for("reading_time.static", filename="badge.js")] if page == "series.part" else []
    """


@hookspec
def csp_sources():
    """Widen the Content-Security-Policy for extra origins (images, fonts, frames).

    When: for every response.
    Returns: a dict like ``{"img-src": ["https://images.example.org"]}``. ``script-src``,
    ``object-src`` and ``base-uri`` are never widened.
    Security (script_src_never_widened): ``script-src``, ``object-src`` and ``base-uri`` keep
    their core sources whatever a plugin returns.
    Example::

        @hookimpl
        def csp_sources():
            return {"img-src": ["https://images.example.org"]}
    """


# --- template slots: ``{{ slot("part.after_body", part=part) }}`` in templates ---------------
# Each returns Markup (plain strings are escaped) or, for menu slots, NavItems. A slot
# implementation that raises is logged with the plugin's name and left out; the page renders.


@hookspec
def slot_layout_head(request, actor):
    """Add tags to the ``<head>`` of every page (``slot("layout.head")``).

    When: each time a page based on ``base.html`` renders.
    Args:
        request: the Flask request.
        actor: the current user.
    Returns: ``Markup`` (e.g. ``<meta>`` or ``<link>`` tags), or ``None``.
    Example::

        @hookimpl
        def slot_layout_head(request, actor):
            return Markup('<meta name="generator" content="reading-time">')
    """


@hookspec
def slot_layout_nav(request, actor):
    """Add links to the main navigation (``slot_items("layout.nav")``).

    When: each time a page based on ``base.html`` renders.
    Args:
        request: the Flask request.
        actor: the current user.
    Returns: a list of ``NavItem(label, url, order=100, badge=None)``.
    Example::

        @hookimpl
        def slot_layout_nav(request, actor):
            return [NavItem("Questions", url_for("qa.index"), order=20)]
    """


@hookspec
def slot_layout_sidebar(request, actor, page):
    """Add a box to the page footer/sidebar of reader pages (``slot("layout.sidebar")``).

    When: each time a page based on ``base.html`` renders.
    Args:
        request: the Flask request.
        actor: the current user.
        page: the endpoint name of the page.
    Returns: ``Markup`` or ``None``.
    Example::

        @hookimpl
        def slot_layout_sidebar(request, actor, page):
            return Markup(render_template("reading_time/sidebar.html"))
    """


@hookspec
def slot_thread_tabs(characteristic, actor):
    """Add tabs beside a characteristic's thread (``slot_items("thread.tabs", ...)``).

    When: each time a characteristic's thread page renders.
    Args:
        characteristic: the ``Characteristic`` shown.
        actor: the current user.
    Returns: a list of ``NavItem``.
    Example::

        @hookimpl
        def slot_thread_tabs(characteristic, actor):
            return [NavItem("Questions", url_for("qa.list", slug=characteristic.slug))]
    """


@hookspec
def slot_part_after_body(part, actor):
    """Add HTML after an expert part's body: badges, reading time, related links.

    When: each time a part is shown on its page or its thread (``slot("part.after_body", part=part)``).
    Args:
        part: the ``Part`` shown (``part.body_source``, ``part.body_html``, ``part.title``).
        actor: the current user.
    Returns: ``Markup`` (usually your own ``render_template``), a plain string (escaped), or
    ``None``.
    Example::

        @hookimpl
        def slot_part_after_body(part, actor):
            minutes = max(1, len(part.body_source.split()) // 200)
            return Markup(render_template("reading_time/badge.html", minutes=minutes))
    """


@hookspec
def slot_item_controls(kind, item, actor):
    """Add what the reader may do with a comment or part: links to act on it (flag, moderate).

    When: under each comment and part shown (``slot("item.controls", kind=..., item=...)``). On a
    member's thread and part pages this is the only per-reader part of an item: the rest of the
    page is the public rendering, shared with every reader (``forum.pagecache.layer``), so
    ``comment.footer`` and ``part.after_body`` there show what a guest sees.
    Args:
        kind: ``"comment"`` or ``"part"``.
        item: the ``Comment`` or ``Part``, or on a member's page an ``Item``: use ``item.id`` and
            ``item.author_id`` only.
        actor: the current user.
    Returns: ``Markup``, a plain string (escaped), or ``None``. Depend only on ``kind``,
    ``item.id`` and whether ``item.author_id`` is the actor's, and ask no queries: a member's page
    renders it once per kind and authorship, for a stand-in id, and puts each item's id in.
    Example::

        @hookimpl
        def slot_item_controls(kind, item, actor):
            if getattr(actor, "id", None) == item.author_id:
                return Markup(f'<a href="/my/{kind}/{item.id}/stats">Stats</a>')
    """


@hookspec
def slot_comment_footer(comment, actor):
    """Add HTML in a comment's footer (``slot("comment.footer", comment=comment)``).

    When: each time a comment is shown.
    Args:
        comment: the ``Comment`` shown.
        actor: the current user.
    Returns: ``Markup``, a plain string (escaped), or ``None``.
    Example::

        @hookimpl
        def slot_comment_footer(comment, actor):
            return Markup('<span class="badge">Interview</span>') if comment.body_format == "interview" else None
    """


@hookspec
def slot_comment_form_fields(characteristic, actor):
    """Add fields inside the comment form (``slot("comment.form_fields", characteristic=...)``).

    When: each time the comment form renders.
    Args:
        characteristic: the ``Characteristic`` being commented on.
        actor: the current user.
    Returns: ``Markup`` with labelled form fields, or ``None``. Read the submitted values in a
    ``before_content_saved`` implementation or through your ``ContentFormat.parse_form``.
    Example::

        @hookimpl
        def slot_comment_form_fields(characteristic, actor):
            return Markup(render_template("qa/format_picker.html"))
    """


@hookspec
def slot_profile_sections(user, actor):
    """Add sections to a user's public profile (``slot("profile.sections", user=user)``).

    When: each time a profile page renders.
    Args:
        user: the ``User`` whose profile is shown.
        actor: the current user (may be someone else, or anonymous).
    Returns: ``Markup`` (a ``<section>`` with a heading), or ``None``.
    Example::

        @hookimpl
        def slot_profile_sections(user, actor):
            return Markup(render_template("pairs/profile_section.html", user=user))
    """


@hookspec
def slot_admin_menu(actor):
    """Add entries to the admin menu (``/admin``, ``slot_items("admin.menu")``).

    When: each time an admin page renders its menu, and for the "Admin" entry of the main
    navigation. Staff with ``admin.index`` (moderators too, not only admins) see the index, so
    gate each entry on the permission its own page needs.
    Args:
        actor: the current user (check permissions with ``can(...)`` before offering a link).
    Returns: a list of ``NavItem``.
    Example::

        @hookimpl
        def slot_admin_menu(actor):
            return [NavItem("Reading time", url_for("reading_time.admin"))] if can("admin.access") else []
    """
