"""A small populated forum for the walks: every role, two pairs, content owned by each.

Ids are small and predictable (tables are emptied between tests), so "own and neighbouring ids"
are simply 1 and 2: pair 1 belongs to ``mentor``/``mentee``, pair 2 to ``other_mentor``/
``other_mentee``; comment 1 and question 1 to ``member``; part 1 to ``expert``.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from forum.extensions import db

ROLES = (
    "anonymous",
    "member",
    "other_member",
    "expert",
    "supervisor",
    "moderator",
    "admin",
    "mentor",
    "mentee",
    "other_mentor",
)
#: Columns a GET may change: none (no writes on GET). The pair-space receipt "the other party
#: has read this concern/notice" is their own POST, and nothing records a user's last visit.
VOLATILE_COLUMNS: set[str] = set()


class Cast:
    def __init__(self, app, make_user, make_characteristic, make_part, make_comment, login_as):
        self.app, self.login_as = app, login_as
        u = {}
        u["member"] = make_user("member1", trusted_override=True)
        u["other_member"] = make_user("member2")
        u["expert"] = make_user("expert1", roles=("member", "expert"))
        u["supervisor"] = make_user("super1", roles=("member", "supervisor"))
        u["moderator"] = make_user("mod1", roles=("member", "moderator"))
        u["admin"] = make_user("admin1", roles=("member", "admin"))
        for name in ("mentor", "mentee", "other_mentor", "other_mentee"):
            u[name] = make_user(name)
        self.users = u
        self.c = make_characteristic(slug="trust")
        self.part = make_part(characteristic=self.c, author=u["expert"], part_number=1)
        make_part(
            characteristic=self.c,
            author=u["expert"],
            part_number=2,
            status="draft",
            publish_at=None,
        )
        self.comment = make_comment(characteristic=self.c, author=u["member"], body="mine")
        make_comment(characteristic=self.c, author=u["member"], body="waiting", status="pending")
        self._pairs()
        self._qa()

    def client(self, role):
        client = self.app.test_client()
        return client if role == "anonymous" else self.login_as(client, self.users[role])

    def _post(self, role, url, data=None):
        response = self.client(role).post(url, data=data or {})
        assert response.status_code in (200, 302, 303), (url, response.status_code)
        return response

    def _pairs(self):
        for mentor, mentee in (("mentor", "mentee"), ("other_mentor", "other_mentee")):
            self._post(
                mentor,
                "/p/pair_spaces/propose",
                {"username": self.users[mentee].username, "role": "mentor"},
            )
        for pair_id, (mentor, mentee) in (
            (1, ("mentor", "mentee")),
            (2, ("other_mentor", "other_mentee")),
        ):
            self._post(mentee, f"/p/pair_spaces/{pair_id}/accept")
            for role in (mentor, mentee):
                self._post(role, f"/p/pair_spaces/{pair_id}/agreement/{pair_id}/accept")
            base = f"/p/pair_spaces/{pair_id}"
            self._post(mentor, f"{base}/messages", {"body": "private words"})
            self._post(mentor, f"{base}/notes", {"title": "a note", "body": "private note"})
            self._post(mentee, f"{base}/goals", {"title": "a goal"})
            self._post(
                mentor, f"{base}/concerns", {"issue": "i", "responsibilities": "r", "proposal": "p"}
            )
            self._post(mentee, f"{base}/quotes", {"text": "a quote", "purpose": "a purpose"})
            self._post(
                mentor,
                f"{base}/guidance",
                {"supervisor": self.users["supervisor"].username, "body": "help"},
            )

    def _qa(self):
        self._post(
            "member",
            f"/p/qa/c/{self.c.slug}/questions",
            {"title": "How is trust built?", "body": "Asking."},
        )
        self._post("expert", "/p/qa/q/1/answers", {"body": "Slowly."})


def snapshot() -> dict[str, str]:
    """A digest of every row of every table (past the ORM, so no visibility filter applies)."""
    out = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            cols = [c for c in table.columns if c.name not in VOLATILE_COLUMNS]
            rows = conn.execute(sa.select(*cols).order_by(*table.primary_key.columns)).all()
            out[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]
