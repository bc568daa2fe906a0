"""The LEAK TEST: a unique canary planted in every kind of pair-space content never appears
anywhere else: not on any GET route of the app (walked from ``app.url_map``, so new routes are
covered automatically) for anonymous readers, members, experts, supervisors, moderators, admins or
a member of another pair; not in search, feeds, the API or notifications; not in the raw database
(SQLite file bytes, or a raw SELECT of every table on PostgreSQL); not in the log at DEBUG.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from forum_pair_spaces.models import GuidanceRequest
from pair_kit import fill_space, rows

from forum.sdk import db
from forum.testing import Notification, OutboxMail
from forum.testing import content_types as registry

MAX_URLS_PER_RULE = 150


def _table_ids() -> dict[str, list[int]]:
    """Every id of every table, read raw (test-only: this is the attacker's guess list)."""
    out = {}
    with db.engine.connect() as conn:
        for name, table in db.metadata.tables.items():
            if "id" in table.c:
                out[name] = [r[0] for r in conn.execute(sa.select(table.c.id).order_by(table.c.id))]
    return out


def _column_values(column_name: str) -> list[str]:
    values = set()
    with db.engine.connect() as conn:
        for table in db.metadata.tables.values():
            if column_name in table.c:
                values |= {r[0] for r in conn.execute(sa.select(table.c[column_name])) if r[0]}
    return sorted(values)


def _candidates(arg: str, converter: str, ids: dict[str, list[int]]) -> list:
    if converter == "IdConverter":
        stem = arg[:-3] if arg.endswith("_id") else arg
        names = {stem, f"{stem}s", f"pair_{stem}s", f"pair_guidance_{stem}s", f"qa_{stem}s"}
        matched = sorted({i for name, values in ids.items() if name in names for i in values})
        everything = sorted({i for values in ids.values() for i in values if i <= 5})
        return matched or everything
    if arg == "slug":
        return _column_values("slug") or ["x"]
    if arg == "username":
        return _column_values("username")
    if arg == "kind":
        return sorted(k for k in registry() if k.startswith("pair_spaces.")) + ["part", "comment"]
    if converter in ("IntegerConverter",):
        return [1, 2]
    return ["nosuchvalue"]


def _urls(app) -> list[str]:
    ids = _table_ids()
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint.endswith("static"):
            continue
        args = sorted(rule.arguments)
        choices = [_candidates(a, type(rule._converters.get(a)).__name__, ids) for a in args]
        combos = list(itertools.islice(itertools.product(*choices), MAX_URLS_PER_RULE))
        for combo in combos:
            with app.test_request_context():
                try:
                    urls.append(app.url_for(rule.endpoint, **dict(zip(args, combo, strict=True))))
                except Exception:  # a candidate the converter refuses: not a reachable URL
                    continue
    return sorted(set(urls))


@pytest.fixture
def planted(kit, make_user, make_part, make_comment, make_characteristic, caplog):
    caplog.set_level(logging.DEBUG)
    # SQL statements and their (sealed) parameters at INFO; result rows at DEBUG only cost time
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    canary = f"kanary{uuid.uuid4().hex[:12]}"
    secret_ask = f"asked{uuid.uuid4().hex[:12]}"
    people = {
        "member": make_user(),
        "expert": make_user(roles=("member", "expert")),
        "supervisor": make_user(roles=("member", "supervisor")),
        "moderator": make_user(roles=("member", "moderator")),
        "admin": make_user(roles=("member", "admin")),
    }
    characteristic = make_characteristic()
    make_part(characteristic=characteristic, author=people["expert"])
    make_comment(characteristic=characteristic, author=people["member"])
    pair, mentor, mentee = kit.pair()
    other_pair, other_mentor, _other_mentee = kit.pair()
    people["other_pair_member"] = other_mentor
    fill_space(kit, pair, mentor, mentee, canary)
    # guidance: the consulted supervisor may see the request thread, and nothing else
    kit.post(
        mentee,
        f"/p/pair_spaces/{pair.id}/guidance",
        {"supervisor": people["supervisor"].username, "body": f"{secret_ask}-ask"},
        status=303,
    )
    thread = rows(GuidanceRequest)[0]
    kit.post(
        people["supervisor"],
        f"/p/pair_spaces/guidance/{thread.id}",
        {"body": f"{secret_ask}-reply"},
        status=303,
    )
    kit.post(
        other_mentor, f"/p/pair_spaces/{other_pair.id}/messages", {"body": "hello"}, status=303
    )
    return canary, secret_ask, people, pair, thread


def _assert_clean(text: str, needle: str, where: str) -> None:
    assert needle not in text, f"canary leaked: {where}"


@pytest.mark.slow  # walks every GET route as eight actors (~2 minutes here): make test, not make check
def test_canary_never_leaks(app, kit, planted, caplog, database_url):
    canary, secret_ask, people, pair, thread = planted
    urls = _urls(app)
    assert any(f"/p/pair_spaces/{pair.id}/concerns/" in u for u in urls)  # ids really filled
    assert any(u.startswith("/moderation/content/pair_spaces.") for u in urls)
    searches = [f"/search?q={canary}", f"/search?q={secret_ask}", f"/api/v1/search?q={canary}"]
    viewers = {"anonymous": None, **people}
    server_errors = []
    for who, user in viewers.items():
        client = app.test_client() if user is None else kit.client(user)
        for url in urls + searches:
            try:
                response = client.get(url)
            except Exception as exc:  # another concern's bug; never a channel for the canary
                _assert_clean(repr(exc), canary, f"exception on {url}")
                server_errors.append((who, url, type(exc).__name__))
                continue
            body = response.get_data(as_text=True) + str(response.headers)
            where = f"{url} as {who} ({response.status_code})"
            if "?q=" in url:
                # the page may echo the query itself; planted text always has a suffix
                _assert_clean(body, f"{canary}-", where)
                _assert_clean(body, f"{secret_ask}-", where)
                continue
            _assert_clean(body, canary, where)
            if who != "supervisor" or not url.startswith(f"/p/pair_spaces/guidance/{thread.id}"):
                _assert_clean(body, secret_ask, where)
            if response.status_code >= 500:
                server_errors.append((who, url, response.status_code))
    # the consulted supervisor does see the request they were sent (and only that)
    page = kit.get(people["supervisor"], f"/p/pair_spaces/guidance/{thread.id}").get_data(
        as_text=True
    )
    assert f"{secret_ask}-ask" in page
    # notifications and e-mails: content-free
    for (text,) in db.session.execute(sa.select(Notification.text)):
        _assert_clean(text, canary, "notification text")
        _assert_clean(text, secret_ask, "notification text")
    for subject, body in db.session.execute(sa.select(OutboxMail.subject, OutboxMail.body)):
        _assert_clean(subject + body, canary, "outbox mail")
    # the log, at DEBUG, including SQL parameters: search queries echo the bare canary, so
    # look for planted text (always canary + suffix)
    _assert_clean(caplog.text, f"{canary}-", "log")
    _assert_clean(caplog.text, f"{secret_ask}-", "log")
    # the raw database
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        path = Path(db.engine.url.database)
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert canary.encode() not in raw and secret_ask.encode() not in raw
    else:
        with db.engine.connect() as conn:
            for name in db.metadata.tables:
                dump = " ".join(
                    str(r) for r in conn.execute(sa.text(f'SELECT t::text FROM "{name}" t'))
                )
                _assert_clean(dump, canary, f"raw table {name}")
                _assert_clean(dump, secret_ask, f"raw table {name}")
    own = [e for e in server_errors if "/p/pair_spaces" in e[1]]
    assert not own, own
