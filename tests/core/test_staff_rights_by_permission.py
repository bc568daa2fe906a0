"""Staff rights are named permissions asked through ``can()``, never role checks in features."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Where roles are defined: the user model and the actors.  Everything else asks ``can()``.
ROLE_DEFINITIONS = {Path("forum/accounts/models.py"), Path("forum/visibility/actor.py")}


def _sources():
    for folder, pattern in (
        ("forum", "*.py"),
        ("plugins", "*.py"),
        ("templates", "*.html"),
        ("plugins", "*.html"),
    ):
        for path in (ROOT / folder).rglob(pattern):
            if ".venv" not in path.parts and "build" not in path.parts:
                yield path.relative_to(ROOT)


def test_has_role_is_used_only_by_the_permission_system():
    offenders = [
        str(path)
        for path in _sources()
        if path not in ROLE_DEFINITIONS and "has_role(" in (ROOT / path).read_text()
    ]
    assert offenders == [], f"ask can(<named permission>) instead of has_role(): {offenders}"


def test_staff_permissions_keep_the_roles_that_held_them(app):
    permissions = app.extensions["forum.permissions"]
    staff = {"moderator", "admin"}
    assert set(permissions["content.see_all"].default_roles) == staff
    assert set(permissions["thread.comment_when_locked"].default_roles) == staff
    assert set(permissions["part.read_history"].default_roles) == staff
    assert set(permissions["users.moderate_staff"].default_roles) == {"admin"}
    assert set(permissions["trust.automatic"].default_roles) == staff | {"expert"}
    assert set(permissions["account.two_factor_required"].default_roles) == staff | {"supervisor"}
