"""Statuses are StrEnums; code compares and sets the members, never free strings."""

from __future__ import annotations

import re
from pathlib import Path

from forum.discussion.models import Comment, CommentStatus
from forum.series.models import Part, PartRevision, PartStatus, RevisionStatus

ROOT = Path(__file__).resolve().parents[2]
FREE_STATUS = re.compile(r"""status\s*(?:==|!=|=)\s*["']|status\s+(?:not\s+)?in\s*\(\s*["']""")
CONVERTED = ["forum/series", "forum/discussion", "forum/moderation/queue.py"]


def test_statuses_are_str_enums_equal_to_their_stored_strings():
    assert PartStatus.APPROVED == "approved" and CommentStatus.PENDING == "pending"
    assert {s.value for s in RevisionStatus} == {"saved", "pending", "approved", "rejected"}
    assert {s.value for s in PartStatus} == {"draft", "submitted", "approved", "rejected"}
    assert {s.value for s in CommentStatus} == {"pending", "approved", "rejected"}


def test_status_columns_default_to_members():
    assert Part.__table__.c.status.default.arg is PartStatus.DRAFT
    assert PartRevision.__table__.c.status.default.arg is RevisionStatus.PENDING
    assert Comment.__table__.c.status.default.arg is CommentStatus.PENDING


def _files():
    for entry in CONVERTED:
        path = ROOT / entry
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [path])


def test_converted_modules_use_no_free_status_strings():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _files()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FREE_STATUS.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == [], f"compare statuses with the StrEnum members: {offenders}"
