"""Profile and API-token forms show their errors beside the fields, with what was typed (422)."""

import html


def test_a_profile_too_long_keeps_what_was_typed(client, login_as, make_user):
    login_as(client, make_user("ann"))
    bio = "A bio I took care over."
    response = client.post("/account/profile", data={"display_name": "x" * 200, "bio": bio})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert 'id="display_name-help"' in page and f"{bio}</textarea>" in page


def test_a_token_without_a_name_is_refused_beside_the_field(client, login_as, make_user):
    login_as(client, make_user("ann"))
    response = client.post("/account/tokens", data={"name": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="name-help"' in page and "aria-invalid" in page
