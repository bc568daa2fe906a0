"""``flask forum new-plugin NAME``: copy ``forum/scaffold/`` into a new, installable project.

File and folder names ``__name__``/``__package__`` and ``$name``-style placeholders in ``*.tmpl``
files are replaced; the ``.tmpl`` suffix is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class ScaffoldError(ValueError):
    """The name is not usable or the target exists."""


def names(raw: str) -> dict[str, str]:
    """``reading-time`` -> plugin ``reading_time``, package ``forum_reading_time``, ..."""
    name = raw.strip().lower().replace("-", "_")
    if not NAME.match(name):
        raise ScaffoldError(
            "A plugin name is 2-40 letters, digits or underscores, starting with a letter."
        )
    return {
        "name": name,
        "package": f"forum_{name}",
        "dist": f"forum-{name.replace('_', '-')}",
        "title": name.replace("_", " ").capitalize(),
    }


def scaffold(raw_name: str, directory: Path) -> Path:
    """Create ``<directory>/forum-<name>/`` and return its path."""
    values = names(raw_name)
    target = Path(directory) / values["dist"]
    if target.exists():
        raise ScaffoldError(f"{target} already exists.")
    for source in sorted(SCAFFOLD.rglob("*.tmpl")):
        relative = str(source.relative_to(SCAFFOLD))[: -len(".tmpl")]
        relative = relative.replace("__package__", values["package"]).replace(
            "__name__", values["name"]
        )
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(Template(source.read_text()).substitute(values))
    return target
