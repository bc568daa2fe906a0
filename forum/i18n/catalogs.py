"""Compile the gettext catalogs (``.po`` to ``.mo``) of core and the bundled plugins.

The compiled files are not committed: ``make install`` and the test session build them from the
``.po`` files (only those whose ``.mo`` is missing or older), so a clean clone works either way.
``make i18n`` extracts and updates the ``.po`` files first (``pybabel``).

Usage: ``python -m forum.i18n.catalogs`` (the checkout's catalogs).
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent
CORE_TRANSLATIONS = PACKAGE / "translations"


def checkout_folders() -> list[Path]:
    """Core's ``forum/translations`` and each bundled plugin's ``translations`` folder."""
    plugins = sorted((PACKAGE.parent / "plugins").glob("*/*/translations"))
    return [CORE_TRANSLATIONS, *plugins]


def compile_folder(folder: Path) -> list[Path]:
    """Write ``messages.mo`` beside every ``.po`` newer than it; the written files."""
    written = []
    for po in sorted(folder.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        os.replace(partial, mo)  # (test workers may compile at once: each renames a whole file)
        written.append(mo)
    return written


def compile_all(folders: list[Path] | None = None) -> list[Path]:
    return [mo for folder in folders or checkout_folders() for mo in compile_folder(folder)]


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path}")
