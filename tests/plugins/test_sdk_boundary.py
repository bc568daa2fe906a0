"""Plugins depend on ``forum.sdk`` alone, the SDK is documented name by name, and what it promises
about versions and provisional hooks holds."""

import ast
import importlib.metadata
import types
from pathlib import Path

import pytest

import forum.sdk
import forum.testing
from forum import hookimpl, hookspecs
from forum.kernel.api import PLUGIN_API_VERSION, api_satisfies
from forum.kernel.manager import build_manager
from forum.plugin_admin import docgen

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "plugins.md").read_text()
SDK_REFERENCE = DOCS[DOCS.index("### SDK reference") : DOCS.index("## Template slots")]
BUNDLED = ("pair_spaces", "qa")


def _is_test_file(path: Path) -> bool:
    return "tests" in path.parts


def _allowed(module: str, name: str, in_tests: bool) -> bool:
    if module == "forum.sdk":
        return name in forum.sdk.__all__
    return in_tests and module == "forum.testing" and hasattr(forum.testing, name)


def outside_the_sdk(source: str, in_tests: bool = False) -> list[str]:
    """Every import from ``forum`` in ``source`` that is not an SDK name (or a test-side name)."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            bad += [a.name for a in node.names if a.name.split(".")[0] == "forum"]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] == "forum"
        ):
            bad += [
                f"{node.module}.{a.name}"
                for a in node.names
                if not _allowed(node.module, a.name, in_tests)
            ]
    return bad


def test_the_boundary_check_catches_what_it_must():
    assert outside_the_sdk("from forum.sdk import db, hookimpl\nfrom forum_qa import models") == []
    assert outside_the_sdk("from forum.extensions import db") == ["forum.extensions.db"]
    assert outside_the_sdk("def f():\n    import forum.db") == ["forum.db"]
    assert outside_the_sdk("from forum.sdk import no_such_name") == ["forum.sdk.no_such_name"]
    assert outside_the_sdk("from forum.testing import Notification") == [
        "forum.testing.Notification"
    ]
    assert outside_the_sdk("from forum.testing import Notification", in_tests=True) == []


def test_bundled_plugins_import_only_sdk_names():
    files = sorted(ROOT.glob("plugins/*/**/*.py"))
    assert len(files) > 40  # the scan sees the plugins' code, migrations and tests
    bad = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in outside_the_sdk(
            path.read_text(), in_tests=_is_test_file(path.relative_to(ROOT))
        )
    ]
    assert bad == []


@pytest.mark.parametrize("name", forum.sdk.__all__)
def test_every_sdk_name_is_documented_with_its_signature(name):
    entry = docgen.sdk_entry(name, getattr(forum.sdk, name))
    assert f"- `{entry}` — " in SDK_REFERENCE, f"docs/plugins.md SDK reference lacks `{entry}`"


def test_sdk_all_lists_real_names_once():
    assert len(forum.sdk.__all__) == len(set(forum.sdk.__all__))
    assert [n for n in forum.sdk.__all__ if not hasattr(forum.sdk, n)] == []


def test_docs_tell_plugin_authors_to_depend_on_the_sdk_only():
    assert "**Depend on `forum.sdk` only.**" in DOCS


def test_requires_api_clauses():
    assert forum.sdk.PLUGIN_API_VERSION == PLUGIN_API_VERSION == "1.0"
    assert api_satisfies(">=1.0") and api_satisfies(">=1.0,<2") and api_satisfies("==1")
    assert not api_satisfies(">=1.1") and not api_satisfies("<1.0") and not api_satisfies(">=2")
    assert api_satisfies(">=1.1", version="1.2")
    with pytest.raises(ValueError):
        api_satisfies("~1.0")


def _plugin(name: str, requires: str | None):
    module = types.ModuleType(name)
    if requires is not None:
        module.requires_api = requires
    module.register_permissions = hookimpl(lambda: [])
    return module


@pytest.mark.parametrize("requires", [">=99", "latest please"])
def test_a_plugin_needing_another_api_is_refused_and_reported(make_app, requires):
    app = make_app(extra_plugins=[("picky", _plugin("picky", requires))])
    pm = app.extensions["forum.plugins"]
    assert pm.get_plugin("picky") is None and "picky" not in pm.infos
    assert "plugin API" in pm.broken["picky"].error or "requires_api" in pm.broken["picky"].error


def test_a_plugin_that_fits_the_api_loads(make_app):
    app = make_app(
        extra_plugins=[("fits", _plugin("fits", ">=1.0,<2")), ("silent", _plugin("silent", None))]
    )
    pm = app.extensions["forum.plugins"]
    assert pm.get_plugin("fits") is not None and pm.get_plugin("silent") is not None
    assert "fits" not in pm.broken


def test_provisional_hooks_are_exactly_those_no_real_plugin_implements(monkeypatch):
    found = {ep.name for ep in importlib.metadata.entry_points(group="forum.plugins")}
    missing = [name for name in BUNDLED if name not in found]
    if missing:
        pytest.skip(f"bundled plugins not installed: {missing}")
    monkeypatch.delenv("FORUM_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    pm = build_manager({})
    real = [info for info in pm.infos.values() if info.is_core or info.name in BUNDLED]
    implemented = {hook for info in real for hook in info.hooks}
    assert sorted(set(dict(docgen.specs())) - implemented) == sorted(hookspecs.PROVISIONAL)


@pytest.mark.parametrize("name", sorted(hookspecs.PROVISIONAL))
def test_provisional_hooks_say_so_in_the_reference(name):
    heading = f"#### `{docgen.signature(dict(docgen.specs())[name])}`"
    after = DOCS[DOCS.index(heading) + len(heading) :].lstrip()
    assert after.startswith("*provisional"), f"{name} is not marked provisional in docs/plugins.md"


def test_changelog_records_the_current_plugin_api_version():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## Unreleased" in changelog
    assert f"### Plugin API — version {PLUGIN_API_VERSION}" in changelog
    assert "register_page_declarations" in changelog  # the newest hook is recorded
