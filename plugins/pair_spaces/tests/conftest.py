"""Fixtures for the pair-space tests, built only on ``forum.testing``'s fixtures."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.visibility import bypass


def unfiltered(stmt):
    """Tests inspect the plugin's own rows past the policy (as the plugin's own code may)."""
    return db.session.execute(stmt.execution_options(**bypass("pair_spaces", "test inspection")))


def rows(model, *where):
    return unfiltered(select(model).where(*where).order_by(model.id)).scalars().all()


class PairKit:
    """Drive the plugin through HTTP as real members would."""

    def __init__(self, app, make_user, login_as):
        self.app = app
        self.make_user = make_user
        self.login_as = login_as

    def client(self, user):
        return self.login_as(self.app.test_client(), user)

    def post(self, user, url, data=None, status=None):
        response = self.client(user).post(url, data=data or {})
        if status is not None:
            assert response.status_code == status, (url, response.status_code)
        return response

    def get(self, user, url, status=200):
        response = self.client(user).get(url)
        assert response.status_code == status, (url, response.status_code)
        return response

    def pair(self, mentor=None, mentee=None, agree=True):
        """A formed pair (mentor invited, mentee accepted); ``agree`` opens the space."""
        from forum_pair_spaces.models import AgreementVersion, Pair

        mentor = mentor or self.make_user()
        mentee = mentee or self.make_user()
        self.post(mentor, "/p/pair_spaces/propose", {"username": mentee.username, "role": "mentor"},
                  status=303)
        pair = rows(Pair, Pair.mentor_id == mentor.id, Pair.mentee_id == mentee.id)[-1]
        self.post(mentee, f"/p/pair_spaces/{pair.id}/accept", status=303)
        if agree:
            version = rows(AgreementVersion, AgreementVersion.pair_id == pair.id)[0].id
            for user in (mentor, mentee):
                self.post(user, f"/p/pair_spaces/{pair.id}/agreement/{version}/accept", status=303)
        db.session.expire_all()
        return rows(Pair, Pair.id == pair.id)[0], mentor, mentee


@pytest.fixture
def kit(app, make_user, login_as):
    return PairKit(app, make_user, login_as)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))
