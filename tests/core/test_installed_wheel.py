"""The forum installed from wheels, as a third party gets it from an index: a fresh virtualenv
outside the repository, the core wheel and the two plugin wheels, then migrations and one page.

Proves that the wheel carries ``templates/``, ``migrations/`` and ``static/`` (the repository keeps
the first two at its top; setup.py maps them into the package)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "forum", "templates", "migrations", "plugins")
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info", "tests")

# Runs inside the installed forum: one page and one static file through the real app.
PROBE = """
import json, forum
from forum.app import MIGRATIONS, TEMPLATES, create_app
client = create_app().test_client()
page = client.get("/")
static = client.get("/static/css/" + {css!r})
print(json.dumps({{"package": forum.__file__, "templates": str(TEMPLATES), "migrations": str(MIGRATIONS),
                  "status": page.status_code, "page": page.get_data(as_text=True),
                  "static_status": static.status_code, "static_bytes": len(static.data)}}))
"""


def _copy_sources(target: Path) -> Path:
    """A clean copy of what the wheels are built from (no stale ``build/`` from earlier builds)."""
    target.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=JUNK)
        else:
            shutil.copy2(source, target / name)
    return target


def _run(*command, cwd: Path, env: dict | None = None, timeout: float = 600) -> str:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _clean_env(tmp: Path) -> dict:
    """The environment of someone who never saw the repository: a SQLite file in a new instance
    folder, no paths into the checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FORUM_", "FLASK_", "PYTHON", "DATABASE_URL", "VIRTUAL_ENV"))
    }
    instance = tmp / "instance"
    instance.mkdir()
    env.update(
        FORUM_INSTANCE_PATH=str(instance),
        SECRET_KEY="wheel-test-secret",
        FORUM_RATELIMIT="0",
        DATABASE_URL=f"sqlite:///{instance / 'forum.sqlite3'}",
        FLASK_APP="forum",
    )
    return env


def _revisions(output: str) -> set[str]:
    return {line.split()[0] for line in output.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtualenv outside the repository with the three wheels installed (dependencies come from
    the index through pip's cache, so a second run is quick)."""
    tmp = tmp_path_factory.mktemp("wheel")
    assert ROOT not in tmp.parents
    sources = _copy_sources(tmp / "src")
    wheels = tmp / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "-w",
        wheels,
        sources,
        sources / "plugins" / "qa",
        sources / "plugins" / "pair_spaces",
        cwd=tmp,
    )
    venv.create(tmp / "venv", with_pip=True)
    bin_dir = tmp / "venv" / "bin"
    _run(
        bin_dir / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        *sorted(wheels.glob("*.whl")),
        cwd=tmp,
    )
    shutil.rmtree(sources)  # nothing of the checkout is left to find by accident
    return tmp, bin_dir, _clean_env(tmp)


@pytest.mark.slow
def test_wheels_carry_templates_migrations_and_static(installed):
    tmp, _bin, _env = installed
    names = {}
    for wheel in (tmp / "wheels").glob("*.whl"):
        names[wheel.name.split("-")[0]] = set(zipfile.ZipFile(wheel).namelist())
    core = names["mentorship_forum"]
    assert {
        "forum/templates/base.html",
        "forum/migrations/env.py",
        "forum/migrations/alembic.ini",
        "forum/migrations/script.py.mako",
        "forum/static/css/forum.css",
    } <= core
    assert any(n.startswith("forum/migrations/versions/") and n.endswith(".py") for n in core)
    assert not any("__pycache__" in n for n in core)
    assert any(n.startswith("forum_qa/migrations/") for n in names["forum_qa"])
    assert any(n.startswith("forum_qa/templates/") for n in names["forum_qa"])
    assert any(n.startswith("forum_pair_spaces/migrations/") for n in names["forum_pair_spaces"])


@pytest.mark.slow
def test_installed_forum_migrates_and_serves_a_page_with_static_files(installed):
    tmp, bin_dir, env = installed
    flask = bin_dir / "flask"
    _run(flask, "db", "upgrade", "heads", cwd=tmp, env=env)
    current, heads = (
        _revisions(_run(flask, "db", what, cwd=tmp, env=env)) for what in ("current", "heads")
    )
    # core's, qa's and pair_spaces' heads
    assert current == heads and len(heads) == 3, (current, heads)
    _run(flask, "forum", "seed-demo", cwd=tmp, env=env)
    css = next(p.name for p in (ROOT / "forum" / "static" / "css").glob("*.css"))
    seen = json.loads(
        _run(bin_dir / "python", "-c", PROBE.format(css=css), cwd=tmp, env=env).splitlines()[-1]
    )
    site = tmp / "venv"
    for key in ("package", "templates", "migrations"):
        assert Path(seen[key]).is_relative_to(site), (key, seen[key])
    assert seen["status"] == 200
    assert "<title>" in seen["page"] and "· Mentorship Forum</title>" in seen["page"]
    assert "Key Mentorship Characteristics" in seen["page"]  # seeded content, rendered
    assert seen["static_status"] == 200 and seen["static_bytes"] > 0


def test_data_folder_prefers_the_package_copy_then_the_checkout(monkeypatch, tmp_path):
    """Installed: ``forum/templates`` inside the package wins over any folder beside it (an
    unrelated ``site-packages/migrations`` may exist); in a checkout, the top-level folder."""
    from forum import app as forum_app

    for folder in ("pkg/templates", "templates", "migrations"):
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.setattr(forum_app, "PACKAGE", tmp_path / "pkg")
    monkeypatch.setattr(forum_app, "ROOT", tmp_path)
    assert forum_app.data_folder("templates") == tmp_path / "pkg" / "templates"
    assert forum_app.data_folder("migrations") == tmp_path / "migrations"
    assert forum_app.TEMPLATES == ROOT / "templates"  # this checkout's own layout
