"""The gunicorn entry point tunes the garbage collector (docs/performance.md)."""

import json
import subprocess
import sys

import pytest


@pytest.mark.slow  # a subprocess: runs in `make test`, not in `make check`
def test_the_wsgi_module_freezes_the_app_and_collects_young_objects_less_often(
    database_url, tmp_path
):
    code = (
        "import gc, json\nimport forum.wsgi\n"
        "print(json.dumps([gc.get_freeze_count(), gc.get_threshold()[0]]))"
    )
    env = {
        "DATABASE_URL": database_url,
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "test-secret-key",
        "FORUM_KEYS_DIR": str(tmp_path),
    }  # (required on PostgreSQL)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    frozen, young = json.loads(out.stdout.strip().splitlines()[-1])
    assert frozen > 10_000  # the app's objects, not an empty freeze
    assert young == 5_000
