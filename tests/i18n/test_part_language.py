"""A part carries its language: the expert's by default, changeable, shown on the part page."""

from sqlalchemy import select

from forum.extensions import db
from forum.series.models import Part
from forum.visibility import as_actor


def test_a_new_part_defaults_to_the_authors_language(client, make_user, login_as):
    expert = make_user("aino", roles=("member", "expert"), locale="fi")
    login_as(client, expert)
    page = client.get("/parts/new").text
    assert '<option selected value="fi">' in page or '<option value="fi" selected>' in page


def test_the_expert_changes_it_and_the_page_says_it(
    client, make_user, make_characteristic, make_part, login_as, part_form
):
    trust = make_characteristic(slug="trust", title="Trust")
    expert = make_user("aino", roles=("member", "expert"), locale="fi")
    login_as(client, expert)
    client.post(
        "/parts/new",
        data=part_form(trust, title="La confiance", language="fr", save="Save draft"),
    )
    with as_actor(expert):
        assert db.session.execute(select(Part.language)).scalar_one() == "fr"
    make_part(trust, part_number=2, language="fi", title="Luottamus")
    page = client.get("/c/trust/part/2?lang=fr").text
    assert "Écrit en finnois" in page and '<div class="part-body prose" lang="fi">' in page
    assert "Written in Finnish" in client.get("/c/trust/part/2?lang=en").text


def test_an_unknown_language_is_refused_beside_the_field(
    client, make_user, make_characteristic, login_as, part_form
):
    trust = make_characteristic(slug="trust", title="Trust")
    login_as(client, make_user("aino", roles=("member", "expert")))
    response = client.post(
        "/parts/new",
        data=part_form(trust, language="de", save="Save draft"),
    )
    assert response.status_code == 422 and "Not a valid choice" in response.text
