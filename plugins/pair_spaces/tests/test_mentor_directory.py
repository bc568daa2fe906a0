"""Find a mentor: filters, search over introductions, opted-out members never listed, pagination,
and a mentor at their maximum shown as full. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

from forum_pair_spaces.models import MentorProfile
from forum_pair_spaces.services.mentoring import PER_PAGE
from mentor_kit import names_in, publish
from pair_kit import rows, text_of

URL = "/p/pair_spaces/mentors"


def _people(kit):
    ana = kit.make_user("ana_mentor")
    ben = kit.make_user("ben_mentor")
    cleo = kit.make_user("cleo_hidden")
    seeker = kit.make_user("dan_seeker")
    publish(
        kit,
        ana,
        areas="Career, writing",
        languages="English, French",
        introduction="Twenty years in **marine biology** labs.",
    )
    publish(
        kit,
        ben,
        areas="leadership",
        languages="german",
        country="Germany",
        availability="paused",
        introduction="Former engineering manager.",
    )
    publish(kit, cleo, published=None, introduction="marine biology too")  # not published
    return ana, ben, cleo, seeker


def _found(kit, viewer, query, *users):
    return names_in(text_of(kit.get(viewer, URL + query)), *users)


def test_filters_and_search_find_only_published_mentors(kit):
    ana, ben, cleo, seeker = _people(kit)
    everyone = (ana, ben, cleo)
    assert _found(kit, seeker, "", *everyone) == ["ana_mentor", "ben_mentor"]
    assert _found(kit, seeker, "?area=writing", *everyone) == ["ana_mentor"]
    assert _found(kit, seeker, "?area=writ", *everyone) == []  # a whole tag, not a prefix
    assert _found(kit, seeker, "?language=GERMAN", *everyone) == ["ben_mentor"]
    assert _found(kit, seeker, "?country=germany", *everyone) == ["ben_mentor"]
    assert _found(kit, seeker, "?availability=open", *everyone) == ["ana_mentor"]
    assert _found(kit, seeker, "?q=marine+biology", *everyone) == ["ana_mentor"]
    assert _found(kit, seeker, "?q=marine&country=germany", *everyone) == []
    assert _found(kit, seeker, "?q=100%25_%5C", *everyone) == []  # LIKE wildcards are literal
    page = text_of(kit.get(seeker, URL + "?area=career"))
    assert "<strong>marine biology</strong>" in page  # the introduction's Markdown, rendered


def test_opting_out_removes_a_mentor_at_once_and_even_their_own_search_is_honest(kit):
    ana, ben, cleo, seeker = _people(kit)
    assert "ana_mentor" in text_of(kit.get(seeker, URL))
    reader = kit.app.test_client()  # anonymous: the profile page goes through the page cache
    assert "Twenty years" in reader.get("/u/ana_mentor").get_data(as_text=True)
    publish(kit, ana, published=None)
    for query in ("", "?q=marine", "?area=career", "?language=english", "?availability=open"):
        assert _found(kit, seeker, query, ana, cleo) == [], query
    anonymous = reader.get("/u/ana_mentor")
    assert "Twenty years" not in anonymous.get_data(as_text=True)
    assert "marine" not in text_of(kit.get(seeker, "/u/cleo_hidden"))


def test_a_mentor_at_their_maximum_shows_as_full(kit):
    ana = kit.make_user("ana_mentor")
    publish(kit, ana, max_active_pairs="1")
    kit.pair(mentor=ana, agree=False)
    seeker = kit.make_user()
    page = text_of(kit.get(seeker, URL))
    assert "availability-full" in page and "availability-open" not in page


def test_pagination_and_bad_filters(kit):
    viewer = kit.make_user()
    for i in range(PER_PAGE + 1):
        publish(kit, kit.make_user(f"m{i:02d}_mentor"))
    first = text_of(kit.get(viewer, URL))
    second = text_of(kit.get(viewer, URL + "?page=2"))
    assert first.count('class="mentor-card"') == PER_PAGE and 'rel="next"' in first
    assert second.count('class="mentor-card"') == 1 and 'rel="prev"' in second
    for bad in ("?availability=nonsense", "?q=" + "x" * 300):
        response = kit.client(viewer).get(URL + bad)
        assert response.status_code == 422, bad
        assert 'class="error"' in response.get_data(as_text=True)
    assert kit.client(viewer).get(URL + "?q=a%00b").status_code in (400, 422)
    assert kit.client(viewer).get(URL + "?page=zero").status_code < 500


def test_the_profile_form_refuses_bad_input_beside_the_field_and_keeps_it(kit):
    member = kit.make_user()
    bad = {"availability": "sometimes", "max_active_pairs": "many", "areas": "KEEPAREA"}
    response = kit.post(member, "/p/pair_spaces/mentoring/profile", bad, status=422)
    page = text_of(response)
    assert page.count('class="error"') >= 2 and 'value="KEEPAREA"' in page
    kit.post(
        member, "/p/pair_spaces/mentoring/profile", {**bad, "introduction": "a\x01b"}, status=422
    )
    assert rows(MentorProfile) == []  # nothing was saved


def test_the_demo_mentors_are_found_and_seeding_twice_changes_nothing(kit):
    """`make run` seeds them, so a newcomer's "Find a mentor" has someone to find."""
    from forum_pair_spaces.demo import DEMO_MENTORS, seed_mentors

    assert seed_mentors() == len(DEMO_MENTORS)
    assert seed_mentors() == 0
    seeker = kit.make_user("new_mentee")
    page = text_of(kit.get(seeker, URL + "?area=confidentiality"))
    assert "Aino Virtanen (demo)" in page and "Ruth Adebayo (demo)" in page
    assert "Luc Tremblay (demo)" not in page
    assert "Luc Tremblay (demo)" in text_of(kit.get(seeker, URL + "?language=french"))
