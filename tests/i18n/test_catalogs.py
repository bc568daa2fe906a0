"""The catalogs are complete: every message id in the sources (core and each bundled plugin) has
a Finnish and a French translation, none fuzzy, none empty, with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fi", "fr")
#: (where to extract from, its babel.cfg, its catalogs)
CATALOGS = [
    (ROOT, ROOT / "babel.cfg", ROOT / "forum" / "translations"),
    *(
        (
            package.parent.parent,
            package.parent.parent / "babel.cfg",
            package.parent / "translations",
        )
        for package in sorted(ROOT.glob("plugins/*/forum_*/__init__.py"))
    ),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def source_ids(top: Path, config: Path) -> set[str]:
    with config.open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(top), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(folder: Path, language: str):
    with (folder / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("top", "config", "folder"), CATALOGS, ids=lambda v: str(v)[-40:])
def test_every_message_is_translated(top, config, folder, language):
    translations = catalog(folder, language)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in translations if m.id}
    missing = sorted(source_ids(top, config) - set(translated))
    assert not missing, f"run `make i18n` and translate: {missing[:10]}"
    fuzzy = sorted(key for key, m in translated.items() if m.fuzzy)
    assert not fuzzy, f"fuzzy entries in {language}: {fuzzy[:10]}"
    strings = {
        key: m.string if isinstance(m.string, tuple) else (m.string,)
        for key, m in translated.items()
    }
    empty = sorted(key for key, forms in strings.items() if not all(forms))
    assert not empty, f"empty entries in {language}: {empty[:10]}"
    for key, forms in strings.items():
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(key)), (key, form)


def test_plugins_ship_their_own_catalogs():
    plugin_catalogs = [folder for _top, _config, folder in CATALOGS[1:]]
    assert len(plugin_catalogs) == 2
    for folder in plugin_catalogs:
        for language in LANGUAGES:
            assert len([m for m in catalog(folder, language) if m.id]) >= 1
