"""The deploy kit's files agree with each other and with the app: gunicorn knows every setting
the config file sets (it ignores unknown names silently), the units run what exists, and
docs/deploy.md names every file there is. The kit running for real: test_deploy_nginx.py."""

from __future__ import annotations

import configparser
import re
import runpy

from gunicorn.config import KNOWN_SETTINGS
from servers import ROOT

DEPLOY = ROOT / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text())
    return parser


def test_gunicorn_config_sets_only_settings_gunicorn_knows():
    names = {s.name for s in KNOWN_SETTINGS}
    values = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    ours = {
        k for k in values if not k.startswith("_") and k not in ("json", "multiprocessing", "os")
    }
    assert ours - names == set()
    assert values["preload_app"] is True and values["workers"] >= 2
    assert "%({x-request-id}o)s" in values["access_log_format"]


def test_units_run_gunicorn_and_the_jobs_with_the_env_file():
    web, jobs, timer = unit("forum.service"), unit("forum-jobs.service"), unit("forum-jobs.timer")
    assert web["Service"]["ExecStart"].endswith(
        "gunicorn -c deploy/gunicorn.conf.py forum.wsgi:app"
    )
    assert jobs["Service"]["ExecStart"].endswith("flask forum run-jobs")
    for service in (web, jobs):
        assert service["Service"]["EnvironmentFile"] == "/etc/forum/forum.env"
        assert service["Service"]["User"] == "forum"
    assert timer["Timer"]["OnCalendar"] == "*-*-* *:*:00"  # every minute
    assert "Unit" not in timer["Timer"]  # so it starts forum-jobs.service, its namesake


def test_the_jobs_unit_runs_a_command_the_app_has(make_app):
    app = make_app()
    forum_group = app.cli.commands["forum"]
    assert "run-jobs" in forum_group.commands


def test_deploy_doc_names_every_file_of_the_kit():
    doc = (ROOT / "docs" / "deploy.md").read_text()
    named = set(re.findall(r"deploy/([\w.-]+\w)", doc))
    assert named == {p.name for p in DEPLOY.iterdir()}
