"""Flask-Babel bound to the forum: the locale and time zone of each request, and the catalogs."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import Babel, get_locale, lazy_gettext
from flask_login import current_user

from forum.i18n.catalogs import CORE_TRANSLATIONS
from forum.kernel.locales import COOKIE, LOCALE_NAMES, LOCALES, QUERY, negotiate


def select_locale() -> str:
    """The member's setting, else the guest's cookie, else ``Accept-Language``, else the
    site default (the same rule the page cache files pages under). Outside a request (a job, the
    CLI) the site default: what is composed there for a member says ``in_language_of`` them."""
    if not has_request_context():
        return current_app.config["FORUM_DEFAULT_LOCALE"]
    chosen = getattr(current_user, "locale", None) if current_user else None
    return negotiate(
        request.args.get(QUERY),
        chosen,
        request.cookies.get(COOKIE),
        request.headers.get("Accept-Language"),
        current_app.config["FORUM_DEFAULT_LOCALE"],
    )


def select_timezone() -> str:
    """The member's zone; guests (and cached pages) read UTC, named as such."""
    if not has_request_context():
        return "UTC"
    return getattr(current_user, "timezone", None) or "UTC"


def translation_folders(plugin_folders: list) -> str:
    """Core's catalogs, then each plugin's (``register_translation_folders``), as Flask-Babel's
    ``;``-separated list; a message id found in several folders takes the first translation."""
    folders = [CORE_TRANSLATIONS, *(Path(p) for p in plugin_folders)]
    return ";".join(str(p) for p in folders)


#: a language's name in the reader's language (the part page says which language a part is in)
LANGUAGE_NAMES = {
    "en": lazy_gettext("English"),
    "fi": lazy_gettext("Finnish"),
    "fr": lazy_gettext("French"),
}


def language_name(code: str | None) -> str:
    return str(LANGUAGE_NAMES.get(code or "", code or ""))


def _vary_on_language(response):
    """Shared caches must keep one copy per language."""
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def language_links() -> list[dict]:
    """The switcher's choices and the hreflang alternates of the current page: its address and
    page number only (a search's query text never goes into ``<head>``)."""
    args = {key: value for key, value in request.args.items() if key == "page"}
    links = []
    for code in LOCALES:
        args[QUERY] = code
        links.append(
            {
                "code": code,
                "name": LOCALE_NAMES[code],
                "url": url_for(
                    request.endpoint, _external=True, **(request.view_args or {}), **args
                )
                if request.endpoint
                else "",
            }
        )
    return links


def init_app(app: Flask, plugin_folders: list) -> None:
    app.after_request(_vary_on_language)
    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale() or app.config["FORUM_DEFAULT_LOCALE"]),
        language_links=language_links,
        language_name=language_name,
    )
    # One Babel per app, not a shared one: Flask-Babel caches the loaded catalogs on its instance,
    # and apps with other plugins (each test's app) have other translation folders.
    Babel(
        app,
        default_locale=app.config["FORUM_DEFAULT_LOCALE"],
        default_translation_directories=translation_folders(plugin_folders),
        locale_selector=select_locale,
        timezone_selector=select_timezone,
    )
