"""Docs and tests keep up with the hooks (Datasette's test_docs idea), and templates with slots."""

import re
from pathlib import Path

import kitchen_sink
import pytest

from forum.kernel.slots import hook_name, slot_names
from forum.plugin_admin import docgen

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "plugins.md").read_text()
SPECS = dict(docgen.specs())
SLOT_CALL = re.compile(r"""\bslot(?:_items)?\(\s*["']([A-Za-z0-9_.]+)["']""")


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_is_documented_with_its_signature(name):
    assert f"#### `{docgen.signature(SPECS[name])}`" in DOCS, (
        f"{name} is missing from docs/plugins.md or its signature changed: "
        "run `python -m forum.plugin_admin.docgen`"
    )


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hookspec_docstring_is_complete(name):
    doc = SPECS[name].__doc__ or ""
    for part in ("When:", "Returns:", "Example::"):
        assert part in doc, f"hookspec {name} has no {part!r} section"


def test_generated_reference_is_up_to_date():
    assert docgen.render(DOCS) == DOCS, (
        "docs/plugins.md is stale: run `python -m forum.plugin_admin.docgen`"
    )


def test_every_hook_has_a_test():
    source = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    tested = set(re.findall(r"^def test_hook_(\w+)\(", source, re.M))
    assert sorted(set(SPECS) - tested) == [], "hooks without a test_hook_<name> in tests/plugins/"
    assert sorted(tested - set(SPECS)) == [], "test_hook_<name> for a hook that does not exist"


def test_kitchen_sink_implements_every_hook(app):
    info = app.extensions["forum.plugins"].infos[kitchen_sink.NAME]
    assert sorted(set(SPECS) - set(info.hooks)) == []


def _template_slots() -> set[str]:
    folders = [ROOT / "templates", *ROOT.glob("plugins/*/**/templates")]
    used = set()
    for folder in folders:
        for path in folder.rglob("*.html"):
            used |= set(SLOT_CALL.findall(path.read_text()))
    return used


def test_templates_use_only_declared_slots():
    unknown = sorted(name for name in _template_slots() if hook_name(name) not in SPECS)
    assert unknown == [], f"templates call slots with no hookspec: {unknown}"


def test_every_declared_slot_is_used_by_a_template():
    assert sorted(set(slot_names()) - _template_slots()) == []


def test_every_slot_is_in_the_docs_table():
    for name in slot_names():
        assert f"| `{name}` | `{hook_name(name)}` |" in DOCS
