"""The plugin SDK: the one module plugins import (``from forum.sdk import hookimpl, ...``).

Everything a plugin may use is re-exported here and listed in ``__all__``; each name is documented
in the "SDK reference" of ``docs/plugins.md``. This file is the only one that knows where those
names live in the core, so the core can move its modules without breaking a plugin.
``tests/plugins/test_sdk_boundary.py`` fails when a bundled plugin imports anything else from
``forum`` (its tests may also use ``forum.testing``). Changes are recorded, with the version, in
the "Plugin API" section of ``CHANGELOG.md``.
"""

from __future__ import annotations

from flask import url_for

from forum import crypto as _crypto
from forum import hookimpl
from forum.accounts.models import User
from forum.accounts.services import create_user, ensure_roles
from forum.accounts.trust import is_trusted, on_comment_decided
from forum.audit.log import record as audit_record
from forum.content import (
    TextCheckedForm,
    clean_tables,
    clean_text,
    json_problems,
    plain_text,
    render_markdown,
    sanitize_html,
    submit_form,
    xml_text,
)
from forum.content.formats import render_body
from forum.crypto import EncryptedText, KeyRing, require_shared_key
from forum.db import (
    UTCDateTime,
    one_of_sql,
    refuse_values_outside,
    sqlite_foreign_keys_off,
    utcnow,
)
from forum.discussion.services import create_comment, edit_window
from forum.extensions import db
from forum.kernel.api import PLUGIN_API_VERSION, api_satisfies
from forum.kernel.events import emit
from forum.kernel.hooks import hook, is_enabled
from forum.kernel.locales import N_
from forum.kernel.pages import editor_kind
from forum.kernel.settings import get_setting, set_setting
from forum.kernel.types import (
    ContentFormat,
    ContentType,
    EditorPage,
    MigrationLocation,
    NavItem,
    NonCacheablePath,
    NotificationKind,
    PeriodicJob,
    Permission,
    QueueSection,
    RenderedField,
    SearchDocument,
    SearchSource,
    Setting,
    ValidationError,
)
from forum.notifications.services import in_language_of, notify, notify_once
from forum.routing import page_arg
from forum.series.models import Characteristic, Part
from forum.series.services import approve_part, save_part, submit_part
from forum.visibility import ANONYMOUS, SYSTEM, as_actor, bypass, current_actor, visible
from forum.visibility.permissions import can, require

Model = db.Model
rotate_ring = _crypto.rotate
retire_old_keys = _crypto.retire_old_keys


def thread_url(characteristic) -> str:
    """The URL of a characteristic's thread page (where its comments are)."""
    return url_for("series.thread", slug=characteristic.slug)


__all__ = [
    # hooks and the API version
    "PLUGIN_API_VERSION",
    "api_satisfies",
    "hook",
    "hookimpl",
    "is_enabled",
    # the values hooks return, and the refusal error
    "ContentFormat",
    "ContentType",
    "EditorPage",
    "MigrationLocation",
    "NavItem",
    "NonCacheablePath",
    "NotificationKind",
    "PeriodicJob",
    "Permission",
    "QueueSection",
    "RenderedField",
    "SearchDocument",
    "SearchSource",
    "Setting",
    "ValidationError",
    # settings
    "get_setting",
    "set_setting",
    # who is looking, and what they may do
    "ANONYMOUS",
    "SYSTEM",
    "as_actor",
    "bypass",
    "can",
    "current_actor",
    "require",
    "visible",
    # content, pages and editors
    "editor_kind",
    "page_arg",
    "plain_text",
    "render_body",
    "render_markdown",
    "sanitize_html",
    "thread_url",
    # the text rule: forms, JSON a plugin parses itself, stored text, XML, migrations
    "TextCheckedForm",
    "submit_form",
    "clean_tables",
    "sqlite_foreign_keys_off",
    "one_of_sql",
    "refuse_values_outside",
    "clean_text",
    "json_problems",
    "xml_text",
    # events, notifications, audit, moderation
    "audit_record",
    "edit_window",
    "emit",
    "is_trusted",
    "in_language_of",
    "N_",
    "notify",
    "notify_once",
    "on_comment_decided",
    # the database: session handle, base model, column types, time
    "Model",
    "UTCDateTime",
    "db",
    "utcnow",
    # encryption at rest
    "EncryptedText",
    "KeyRing",
    "require_shared_key",
    "retire_old_keys",
    "rotate_ring",
    # core models a plugin reads, and core's writing rules (seed and demo commands)
    "Characteristic",
    "Part",
    "User",
    "approve_part",
    "create_comment",
    "create_user",
    "ensure_roles",
    "save_part",
    "submit_part",
]
