"""Helpers for the pair-space tests, built only on ``forum.testing``'s fixtures."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.sdk import bypass, db


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
        self.post(
            mentor,
            "/p/pair_spaces/propose",
            {"username": mentee.username, "role": "mentor"},
            status=303,
        )
        pair = rows(Pair, Pair.mentor_id == mentor.id, Pair.mentee_id == mentee.id)[-1]
        self.post(mentee, f"/p/pair_spaces/{pair.id}/accept", status=303)
        if agree:
            version = rows(AgreementVersion, AgreementVersion.pair_id == pair.id)[0].id
            for user in (mentor, mentee):
                self.post(user, f"/p/pair_spaces/{pair.id}/agreement/{version}/accept", status=303)
        db.session.expire_all()
        return rows(Pair, Pair.id == pair.id)[0], mentor, mentee


CONCERN = {
    "issue": "An ethical issue",
    "responsibilities": "Both of ours",
    "proposal": "I tell HR, with you present",
}


def raise_concern(kit, pair, user, **extra):
    """``user`` raises a concern in ``pair``; returns it and its page's URL."""
    from forum_pair_spaces.models import Concern

    kit.post(user, f"/p/pair_spaces/{pair.id}/concerns", {**CONCERN, **extra}, status=303)
    concern = rows(Concern, Concern.pair_id == pair.id)[-1]
    return concern, f"/p/pair_spaces/{pair.id}/concerns/{concern.id}"


def fresh(model, *where):
    """Rows as the database has them now: ends the test session's transaction (a snapshot
    another app's requests committed past) and reloads."""
    db.session.commit()
    return rows(model, *where)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def fill_space(kit, pair, mentor, mentee, canary: str, supervisor=None) -> dict:
    """Plant ``canary`` in every kind of space content, through the routes members use."""
    from forum_pair_spaces.models import Concern, Goal, Message, QuoteRequest

    base = f"/p/pair_spaces/{pair.id}"
    ok = (302, 303)

    def post(user, url, data):
        response = kit.post(user, url, data)
        assert response.status_code in ok, (url, response.status_code)
        return response

    post(mentor, f"{base}/messages", {"body": f"mentor says {canary}-message"})
    post(mentor, f"{base}/roleplay/start", {})
    post(mentee, f"{base}/messages", {"body": f"as mentor now {canary}-roleplay"})
    post(mentee, f"{base}/roleplay/end", {})
    message = rows(Message, Message.pair_id == pair.id)[0]
    post(mentor, f"{base}/messages/{message.id}/edit", {"body": f"edited {canary}-edited"})
    post(mentor, f"{base}/notes", {"title": f"{canary}-note-title", "body": f"{canary}-note-body"})
    post(mentee, f"{base}/goals", {"title": f"{canary}-goal"})
    goal = rows(Goal, Goal.pair_id == pair.id)[0]
    post(mentor, f"{base}/goals/{goal.id}/status", {"status": "in_progress"})
    post(mentee, f"{base}/meetings", {"held_on": "2026-01-15", "summary": f"{canary}-meeting"})
    post(mentor, f"{base}/journal", {"body": f"{canary}-journal-mentor"})
    post(mentee, f"{base}/journal", {"body": f"{canary}-journal-mentee"})
    sections = {
        k: f"{canary}-agreement-{k}"
        for k in (
            "suitability",
            "line_manager_advice",
            "line_manager_meeting",
            "duty_of_care",
            "duties_in_law",
            "duties_to_organisation",
            "other",
        )
    }
    post(mentee, f"{base}/agreement/propose", sections)
    post(
        mentor,
        f"{base}/concerns",
        {
            "issue": f"{canary}-issue",
            "responsibilities": f"{canary}-resp",
            "proposal": f"{canary}-proposal",
        },
    )
    concern = rows(Concern, Concern.pair_id == pair.id)[0]
    post(
        mentee,
        f"{base}/concerns/{concern.id}/respond",
        {"kind": "refuse", "body": f"{canary}-refusal"},
    )
    post(
        mentor,
        f"{base}/concerns/{concern.id}/notice",
        {
            "what": f"{canary}-notice-what",
            "to_whom": f"{canary}-notice-whom",
            "disclose_on": "2099-01-01",
        },
    )
    post(mentee, f"{base}/quotes", {"text": f"{canary}-quote", "purpose": f"{canary}-purpose"})
    quote = rows(QuoteRequest, QuoteRequest.pair_id == pair.id)[0]
    post(mentor, f"{base}/quotes/{quote.id}/decide", {"decision": "approve"})
    if supervisor is not None:
        post(
            mentor,
            f"{base}/guidance",
            {"supervisor": supervisor.username, "body": f"{canary}-guidance-ask"},
        )
        from forum_pair_spaces.models import GuidanceRequest

        thread = rows(GuidanceRequest, GuidanceRequest.pair_id == pair.id)[0]
        post(
            supervisor, f"/p/pair_spaces/guidance/{thread.id}", {"body": f"{canary}-guidance-reply"}
        )
    return {"concern": concern, "goal": goal, "message": message, "quote": quote}
