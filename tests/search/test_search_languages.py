"""Search per language: each entry is stemmed in its own language (PostgreSQL: english, finnish,
french configurations; SQLite: porter for English only, accent-folded unstemmed text otherwise),
so a French query finds French text with or without accents and Finnish is not stemmed as
English. Runs on both databases."""

import pytest
from sqlalchemy import text

from forum.extensions import db


def postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def finnish_expert(make_user):
    return make_user("aino", roles=("member", "expert"), locale="fi")


def test_french_finds_french_with_or_without_accents(make_part, publish, search_page):
    publish(
        make_part(title="Le secret", body="Sa confidentialite protège le mentoré.", language="fr"),
        make_part(title="Écoute", body="Une confidentialité sans faille.", language="fr"),
    )
    for query in ("confidentialité", "confidentialite", "CONFIDENTIALITÉ"):
        page = search_page(query)
        assert "Le secret" in page and "Écoute" in page, query


def test_french_stemming_on_postgresql(make_part, publish, search_page):
    if not postgres():
        pytest.skip("SQLite does not stem languages other than English")
    publish(make_part(title="Règles", body="Les confidentialités du mentorat.", language="fr"))
    assert "Règles" in search_page("confidentialité")


def test_finnish_is_stemmed_as_finnish(make_part, publish, search_page):
    publish(
        make_part(title="Yhteinen perusta", body="Kasvatus ja luottamuksen synty.", language="fi")
    )
    assert "Yhteinen perusta" in search_page("luottamuksen")
    if postgres():
        # the Finnish stemmer: the elative finds the genitive
        assert "Yhteinen perusta" in search_page("luottamuksesta")
    else:
        # porter would cut "kasvatus" to "kasvatu" and find it; unstemmed text does not
        assert "Yhteinen perusta" not in search_page("kasvatu")


def test_english_keeps_its_stemming(make_part, publish, search_page):
    publish(make_part(title="On reliability", body="Promises kept."))
    assert "On reliability" in search_page("promise")


def test_each_entry_records_its_language(make_part, publish):
    publish(make_part(title="Suomeksi", body="Hei", language="fi"))
    if postgres():
        config = db.session.execute(
            text("SELECT config::text FROM search_fts_documents WHERE title = 'Suomeksi'")
        ).scalar_one()
        assert config == "finnish"
    else:
        plain = db.session.execute(
            text("SELECT count(*) FROM search_fts_plain WHERE title = 'Suomeksi'")
        ).scalar_one()
        assert plain == 1


def test_a_comment_is_in_its_authors_language(
    client, login_as, make_characteristic, finnish_expert, search_page
):
    make_characteristic(slug="trust", title="Trust")
    finnish_expert.trusted_override = True
    db.session.commit()
    login_as(client, finnish_expert)
    client.post("/c/trust/comments", data={"body": "Mentorointi vaatii luottamuksen."})
    if postgres():
        assert "vaatii" in search_page("luottamuksesta")
    row = (
        "search_fts_documents WHERE config::text = 'finnish'" if postgres() else "search_fts_plain"
    )
    assert db.session.execute(text(f"SELECT count(*) FROM {row}")).scalar_one() == 1


def test_a_part_changing_language_moves_in_the_index(make_part, publish, search_page):
    part = make_part(title="Alussa englanniksi", body="Confidentialité", language="en")
    publish(part)
    part.language = "fr"
    db.session.commit()
    publish(part)
    assert "Alussa englanniksi" in search_page("confidentialite")
    table = "search_fts_documents" if postgres() else "search_fts"
    assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == (
        1 if postgres() else 0
    )
