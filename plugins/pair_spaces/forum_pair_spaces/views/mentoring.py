"""Mentoring: my mentoring profile, the "Find a mentor" directory, proposing from a profile."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext
from sqlalchemy import select

from forum.sdk import User, ValidationError, db, page_arg, require
from forum_pair_spaces.forms import DirectoryForm, MentorProfileForm, ProfileProposeForm
from forum_pair_spaces.services import mentoring, pairing
from forum_pair_spaces.views import bp
from forum_pair_spaces.views.helpers import actor, back_to, refused


def _profile_form_data(profile) -> dict | None:
    """The stored profile as form data (tags shown comma-separated, as they are typed)."""
    if profile is None:
        return None
    return {
        "published": profile.published,
        "offers": profile.offers,
        "seeks": profile.seeks,
        "areas": ", ".join(mentoring.tags(profile.areas)),
        "languages": ", ".join(mentoring.tags(profile.languages)),
        "country": profile.country,
        "time_zone": profile.time_zone,
        "availability": profile.availability,
        "max_active_pairs": profile.max_active_pairs,
        "introduction": profile.introduction,
        "accepts_guidance": profile.accepts_guidance,
    }


def _profile_page(form, status=200):
    return render_template(
        "pair_spaces/mentoring_profile.html", form=form, suggestions=mentoring.known_areas()
    ), status


@bp.route("/mentoring/profile", methods=["GET", "POST"])
@require("pair_spaces.join")
def mentoring_profile():
    me = actor()
    if request.method == "GET":
        return _profile_page(MentorProfileForm(data=_profile_form_data(mentoring.profile_of(me))))
    form = MentorProfileForm()
    if not form.validate_on_submit():
        return _profile_page(form, 422)
    try:
        mentoring.save_profile(me, form.data)
    except ValidationError as error:
        return refused(
            form, error, "pair_spaces/mentoring_profile.html", suggestions=mentoring.known_areas()
        )
    db.session.commit()
    flash(
        gettext("Mentoring profile saved.")
        if form.published.data
        else gettext("Saved. Your mentoring profile is not published."),
        "success",
    )
    return back_to("pair_spaces.mentoring_profile")


@bp.route("/mentors")
@require("pair_spaces.join")
def find_mentor():
    """Published mentors matching the filters; bad filters get 422 with the form, not a 500."""
    form = DirectoryForm(formdata=request.args)
    valid = form.validate()
    query = (
        mentoring.DirectoryQuery(
            **{
                k: (form.data.get(k) or "")
                for k in ("q", "area", "language", "country", "availability")
            }
        )
        if valid
        else mentoring.DirectoryQuery()
    )
    page = page_arg()
    profiles, more = mentoring.directory(query, page) if valid else ([], False)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "pair_spaces/find_mentor.html",
        form=form,
        profiles=profiles,
        shown=mentoring.shown_availability,
        page=page,
        more=more,
        args=args,
        suggestions=mentoring.known_areas(),
    ), 200 if valid else 422


def _member(username: str) -> User:
    user = db.session.execute(
        select(User).where(User.username_key == username.lower(), User.deleted_at.is_(None))
    ).scalar_one_or_none()
    if user is None or user.id == actor().id:
        abort(404)
    return user


def _propose_page(user, form, status=200):
    profile = mentoring.profile_of(user)
    return render_template(
        "pair_spaces/propose_to.html",
        other=user,
        form=form,
        profile=profile,
        shown=mentoring.shown_availability(profile) if profile else None,
    ), status


@bp.route("/propose/<username>", methods=["GET", "POST"])
@require("pair_spaces.join")
def propose_to(username):
    """Propose a pair to the member whose profile linked here; consent then runs as usual."""
    other = _member(username)
    form = ProfileProposeForm()
    if request.method == "GET":
        return _propose_page(other, form)
    if not form.validate_on_submit():
        return _propose_page(other, form, 422)
    try:
        pairing.propose(actor(), other, form.role.data, form.message.data)
    except ValidationError as error:
        db.session.rollback()
        error.show_on(form, fallback="message")
        return _propose_page(other, form, 422)
    db.session.commit()
    flash(gettext("Proposal sent. The pair forms when both of you have accepted."), "success")
    return back_to("pair_spaces.mine")
