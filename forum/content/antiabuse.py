"""Guest-form defences: a honeypot field and a minimum fill time, signed so it cannot be forged."""

from __future__ import annotations

import time

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField
from wtforms.validators import ValidationError

MIN_FILL_SECONDS = 3


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="form-started")


def started_token() -> str:
    return _signer().dumps(time.time())


class GuestFormMixin:
    """Mix into a FlaskForm used by guests: ``website`` must stay empty, ``started`` old enough."""

    website = StringField(
        _l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"}
    )
    started = HiddenField()

    def prime(self) -> None:
        """Call on GET so the form carries a signed start time."""
        self.started.data = started_token()

    def validate_website(self, field):
        if field.data:
            raise ValidationError(gettext("This field must be empty."))

    def validate_started(self, field):
        try:
            started = float(_signer().loads(field.data or ""))
        except (BadSignature, ValueError, TypeError):
            raise ValidationError(gettext("The form expired; please reload the page.")) from None
        minimum = current_app.config.get("GUEST_MIN_FILL_SECONDS", MIN_FILL_SECONDS)
        if time.time() - started < minimum:
            raise ValidationError(gettext("That was quick! Please take a moment and send again."))
