"""Core parts and comments reach the index through ``register_search_sources``, like plugins."""

from __future__ import annotations

from pathlib import Path

from forum.kernel.hooks import hook
from forum.visibility import as_actor

ROOT = Path(__file__).resolve().parents[2]


def _sources() -> dict:
    return {s.content_type: s for result in hook.register_search_sources() for s in result or []}


def test_core_content_reaches_search_through_register_search_sources(app):
    sources = _sources()
    assert sources["part"].document is not None and sources["part"].indexed_early is not None
    assert sources["comment"].document is not None
    code = "".join(
        path.read_text()
        for path in (ROOT / "forum" / "search").glob("*.py")
        if path.name != "presenting.py"
    )  # presenting still builds core links itself
    assert '"part"' not in code and '"comment"' not in code, "search names core kinds again"


def test_core_sources_give_the_documents_the_reader_may_see(app, make_comment, make_part):
    shown, waiting = (
        make_comment(body="Shown words."),
        make_comment(body="Waiting", status="pending"),
    )
    scheduled, live = make_part(publish_at="future"), make_part(title="Live part")
    sources = _sources()
    with as_actor(None):
        comments = list(sources["comment"].documents_for([shown.id, waiting.id]))
        parts = list(sources["part"].documents())
    assert [(d.object_id, d.body) for d in comments] == [(shown.id, "Shown words.")]
    assert [(d.object_id, d.title) for d in parts] == [(live.id, "Live part")]
    assert sources["part"].indexed_early(scheduled) and not sources["part"].indexed_early(live)
