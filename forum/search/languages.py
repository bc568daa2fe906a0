"""How each language's text is indexed, so that stemming never treats Finnish or French as English.

PostgreSQL: every entry carries its text search configuration (``regconfig``): ``english``,
``finnish``, ``french``, else ``simple``. French stemming keeps accents, so French and ``simple``
text is folded (``confidentialité`` and ``confidentialite`` are one word); Finnish keeps its
``ä``/``ö``, which its stemmer needs. SQLite: English goes to the ``porter`` FTS5 table, any other
language to a ``unicode61 remove_diacritics 2`` table with no stemmer.
"""

from __future__ import annotations

from flask import current_app, has_app_context

#: the PostgreSQL configuration of each language; anything else is ``simple``
CONFIGS = {"en": "english", "fi": "finnish", "fr": "french"}
SIMPLE = "simple"
UNFOLDED = ("finnish",)  # configurations whose stemmer needs the accents
#: The letters folded, and what they become; migration core_0009 has the same two strings
#: in the generated ``tsv`` column's ``translate()``.
ACCENTED = "àáâãäåæçèéêëìíîïñòóôõöøœùúûüýÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØŒÙÚÛÜÝ"
PLAIN = "aaaaaaaceeeeiiiinooooooouuuuyyAAAAAAACEEEEIIIINOOOOOOOUUUUY"
_FOLD = str.maketrans(ACCENTED, PLAIN)


def language_of(code: str | None) -> str:
    """A document's language, the site's default when it has none."""
    if code:
        return code
    if has_app_context():
        return current_app.config.get("FORUM_DEFAULT_LOCALE") or "en"
    return "en"


def config_for(code: str | None) -> str:
    """The PostgreSQL text search configuration of a language."""
    return CONFIGS.get(language_of(code), SIMPLE)


def fold(text: str) -> str:
    """Accents off, as the index folds them for every configuration but Finnish."""
    return text.translate(_FOLD)


def is_stemmed_as_english(code: str | None) -> bool:
    """SQLite: only English text goes to the porter table."""
    return language_of(code) == "en"
