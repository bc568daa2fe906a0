"""Account forms (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp
from wtforms.validators import ValidationError as FieldError

from forum.content.forms import TextCheckedForm
from forum.kernel.locales import valid_timezone

USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9_.-]+$", message=_l("Use letters, digits, dots, dashes or underscores.")
)
MIN_PASSWORD = 10
#: a new account's zone: filled by static/js/timezone.js with the browser's zone (registering,
#: accepting an invitation); a bad guess is dropped, not refused
TIMEZONE_GUESS = HiddenField(render_kw={"data-timezone-guess": ""})


def known_timezone(_form, field) -> None:
    """An IANA zone name this machine knows (``Europe/Helsinki``), or nothing."""
    if field.data and valid_timezone(field.data) is None:
        raise FieldError("Choose a time zone such as Europe/Helsinki or America/Toronto.")


class RegisterForm(TextCheckedForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(), Length(3, 40), USERNAME_RULE]
    )
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(MIN_PASSWORD, 200, message=_l("At least %(num)s characters.", num=MIN_PASSWORD)),
        ],
        description=_l(
            "At least %(num)s characters; a few unrelated words work well.", num=MIN_PASSWORD
        ),
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )
    timezone = TIMEZONE_GUESS


class LoginForm(TextCheckedForm):
    username = StringField(_l("Username or e-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))


class ChangePasswordForm(TextCheckedForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(MIN_PASSWORD, 200, message=_l("At least %(num)s characters.", num=MIN_PASSWORD)),
        ],
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )


class ProfileForm(TextCheckedForm):
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=80)])
    bio = TextAreaField(
        _l("Short bio"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Plain text, shown on your profile."),
    )
    timezone = StringField(
        _l("Time zone"),
        validators=[Optional(), Length(max=64), known_timezone],
        description=_l(
            "Every time on the forum is shown in it, and times you enter are read in it."
        ),
        render_kw={"list": "timezone-names", "autocomplete": "off"},
    )


class TwoFactorForm(TextCheckedForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[DataRequired(), Length(6, 8)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class TwoFactorLoginForm(TextCheckedForm):
    code = StringField(
        _l("Six-digit code from your authenticator app, or a recovery code"),
        validators=[DataRequired(), Length(6, 24)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off"},
    )


class ResetRequestForm(TextCheckedForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class ResetPasswordForm(TextCheckedForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(MIN_PASSWORD, 200, message=_l("At least %(num)s characters.", num=MIN_PASSWORD)),
        ],
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))],
    )
