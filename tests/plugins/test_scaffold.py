"""``flask forum new-plugin`` makes an installable plugin whose own tests pass."""

import importlib
import os
import subprocess
import sys
import tomllib

import kitchen_sink
import pytest
from flask import render_template_string


@pytest.mark.slow  # a subprocess: runs in `make test`, not in `make check`
def test_new_plugin_scaffolds_a_working_plugin(runner, make_app, make_part, tmp_path, monkeypatch):
    result = runner.invoke(args=["forum", "new-plugin", "reading-time", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    project = tmp_path / "forum-reading-time"
    meta = tomllib.loads((project / "pyproject.toml").read_text())
    assert meta["project"]["entry-points"]["forum.plugins"] == {
        "reading_time": "forum_reading_time"
    }
    revision = (
        project / "forum_reading_time" / "migrations" / "reading_time_0001_first.py"
    ).read_text()
    assert (
        'depends_on = "core_0001"' in revision and 'branch_labels = ("reading_time",)' in revision
    )

    # "installed": importable from its folder and registered under its entry-point name
    monkeypatch.syspath_prepend(str(project))
    plugin = importlib.import_module("forum_reading_time")
    # (the kitchen sink stays: this folder's factories build on it and its branch is applied)
    app = make_app(extra_plugins=[("reading_time", plugin), (kitchen_sink.NAME, kitchen_sink)])
    with app.app_context():
        info = app.extensions["forum.plugins"].infos["reading_time"]
        assert "slot_part_after_body" in info.hooks and info.version == "0.1.0"
        part = make_part(body="word " * 401)
        with app.test_request_context("/"):
            html = render_template_string('{{ slot("part.after_body", part=part) }}', part=part)
        assert "3 min read" in html

    # its own generated tests pass, run the way its author would run them
    # on SQLite whatever this run uses: a fresh PostgreSQL database would double the time
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(project)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "3 passed" in proc.stdout


def test_new_plugin_refuses_bad_names_and_existing_folders(runner, tmp_path):
    bad = runner.invoke(args=["forum", "new-plugin", "9 lives", "--dir", str(tmp_path)])
    assert bad.exit_code == 1 and "A plugin name is" in bad.output
    assert (
        runner.invoke(args=["forum", "new-plugin", "badge", "--dir", str(tmp_path)]).exit_code == 0
    )
    again = runner.invoke(args=["forum", "new-plugin", "badge", "--dir", str(tmp_path)])
    assert again.exit_code == 1 and "already exists" in again.output
