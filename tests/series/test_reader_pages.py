"""Home, thread, part permalinks with previous/next, expert profiles, page bounds, query count."""

import pytest

from forum.extensions import db
from forum.series.models import ExpertProfile
from forum.testing import sql_statements


@pytest.fixture
def series_chain(make_series, make_characteristic, make_part, make_user):
    series = make_series()
    first = make_characteristic(series, number=1, slug="confidentiality", title="Confidentiality")
    second = make_characteristic(series, number=2, slug="trust", title="Trust")
    expert = make_user("ada", roles=("member", "expert"), display_name="Ada Demo")
    db.session.add(
        ExpertProfile(
            user_id=expert.id,
            affiliation="Example Org",
            country="Finland",
            website="https://example.org/ada",
        )
    )
    db.session.commit()
    parts = [
        make_part(first, author=expert, part_number=1, title="C one"),
        make_part(first, author=expert, part_number=2, title="C two"),
        make_part(second, author=expert, part_number=1, title="T one"),
    ]
    make_part(
        second, author=expert, part_number=2, title="T draft", status="draft", publish_at=None
    )
    return series, parts


def test_home_lists_characteristics_with_counts(
    client, series_chain, make_comment, make_characteristic
):
    series, parts = series_chain
    from forum.series.models import Characteristic

    first = db.session.get(Characteristic, parts[0].characteristic_id)
    make_comment(first, body="visible one")
    make_comment(first, body="pending one", status="pending")
    page = client.get("/").data.decode()
    assert "Confidentiality" in page and "Trust" in page
    assert "2 parts · 1 comment" in page  # the pending comment is not counted for the public
    assert "1 part · 0 comments" in page  # the draft is not counted


def test_thread_shows_definition_prompts_parts_and_expert_card(client, series_chain):
    page = client.get("/c/confidentiality").data.decode()
    assert "A <em>definition</em>." in page
    assert "What does it mean to you?" in page
    assert page.index("C one") < page.index("C two")
    assert "Ada Demo" in page and "Example Org" in page and "Finland" in page and "AD" in page


def test_previous_next_inside_characteristic_and_across_series(client, series_chain):
    first = client.get("/c/confidentiality/part/1").data.decode()
    assert "No previous part in this characteristic" in first and "Start of the series" in first
    assert "Next part: C two" in first
    assert "Next in the series" not in first  # the same part: one link, not two
    middle = client.get("/c/confidentiality/part/2").data.decode()
    assert "Previous part: C one" in middle and "Previous in the series" not in middle
    assert "No next part in this characteristic" in middle
    assert "Next in the series: Trust, T one" in middle
    last = client.get("/c/trust/part/1").data.decode()
    assert "Previous in the series: Confidentiality, C two" in last
    assert "End of the series so far" in last and "T draft" not in last


def test_expert_profile_lists_published_posts(client, series_chain):
    page = client.get("/experts/ada").data.decode()
    assert "C one" in page and "T one" in page and "T draft" not in page
    assert client.get("/experts/nobody").status_code == 404


def test_unknown_things_are_404(client, series_chain):
    assert client.get("/c/nope").status_code == 404
    assert client.get("/c/confidentiality/part/99").status_code == 404
    assert client.get("/c/confidentiality/part/0").status_code == 404
    assert client.get("/c/confidentiality/part/99999999999").status_code == 404


@pytest.mark.parametrize(
    "page,status",
    [
        ("0", 404),
        ("1000000000", 400),  # over nine digits: not a page number
        ("999999999", 404),
        ("abc", 400),
        ("-1", 400),
        ("2", 404),
        ("1", 200),
    ],
)
def test_comment_page_bounds(client, make_characteristic, page, status):
    make_characteristic(slug="bounds")
    assert client.get(f"/c/bounds?page={page}").status_code == status


def _count_queries(client, url):
    with sql_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


def _populate(characteristic, make_part, make_comment, expert, parts, comments):
    for n in range(1, parts + 1):
        make_part(characteristic, author=expert, part_number=n)
    first = make_comment(characteristic, author=expert, body="first")
    for i in range(comments - 1):
        make_comment(
            characteristic,
            author=expert if i % 2 else None,
            guest_name="G",
            body=f"c{i}",
            reply_to_id=first.id,
        )


@pytest.mark.parametrize(
    "app_config", [{"FORUM_PAGE_CACHE": False}]
)  # counts the render behind the cache
def test_thread_runs_a_fixed_number_of_queries(
    client, make_characteristic, make_part, make_comment, make_user
):
    expert = make_user("ex", roles=("member", "expert"))
    db.session.add(ExpertProfile(user_id=expert.id, affiliation="Org"))
    small, big = make_characteristic(slug="small"), make_characteristic(slug="big")
    _populate(small, make_part, make_comment, expert, parts=1, comments=3)
    _populate(big, make_part, make_comment, expert, parts=12, comments=45)
    client.get("/c/small")  # warm per-process caches (plugin state)
    few = _count_queries(client, "/c/small")
    many = _count_queries(client, "/c/big?page=2")
    assert len(many) == len(few), many
    selects = [s for s in many if s.lstrip().upper().startswith("SELECT")]
    # The thread itself: characteristic+series+prompts, comment count, parts+experts, one page of
    # comments+authors, quoted replies (5); the plugin-state version (1); other plugins' head slots
    # (Open Graph card, feed autodiscovery) add a constant few.
    thread_own = [s for s in selects if not s.startswith("SELECT site_setting")]
    assert len(thread_own) <= 7, selects
