"""``/account/tokens``: a member creates, lists and revokes their personal access tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from forum.api import tokens
from forum.content.forms import TextCheckedForm
from forum.extensions import db
from forum.kernel.types import ValidationError

bp = Blueprint("api_account", __name__)


class TokenForm(TextCheckedForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(1, 80)],
        description=_l("What the token is for, e.g. “weekly digest script”."),
    )


class RevokeForm(TextCheckedForm):
    """CSRF only."""


@bp.route("/account/tokens", methods=["GET", "POST"], endpoint="tokens")
@login_required
def tokens_page():
    form = TokenForm()
    new_token = None
    status = 200
    if form.validate_on_submit():
        try:
            _token, new_token = tokens.create_token(current_user, form.name.data)
            db.session.commit()
            form = TokenForm(formdata=None)
        except ValidationError as error:
            db.session.rollback()
            form.name.errors = [error.message]
            status = 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "api/tokens.html",
        form=form,
        new_token=new_token,
        tokens=tokens.active_tokens(current_user),
        revoke_form=RevokeForm(),
    ), status


@bp.route("/account/tokens/<id:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    if not tokens.revoke_token(current_user, token_id):
        abort(404)
    db.session.commit()
    flash(gettext("The token was revoked; scripts using it can no longer sign in."), "success")
    return redirect(url_for("api_account.tokens"))
