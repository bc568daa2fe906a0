"""Moderation, as a core plugin."""

from __future__ import annotations

from forum import hookimpl
from forum.plugins.types import Permission, Setting


@hookimpl
def register_permissions():
    return [
        Permission("moderation.review", "Work the review queue", ("moderator", "admin")),
        Permission("moderation.act", "Hide, delete, lock, suspend, grant trust", ("moderator", "admin")),
        Permission("audit.view", "Read the audit log", ("admin",)),
        Permission("flag.create", "Flag content", ("member", "expert", "supervisor", "moderator", "admin")),
    ]


@hookimpl
def register_settings():
    return [
        Setting("moderation.trust_threshold", int, 3, "Approved comments before a member is trusted", minimum=0),
        Setting("moderation.flag_hide_threshold", int, 3, "Trusted flags that hide content", minimum=1),
    ]
