"""The core's shape holds: layer contracts pass, and imports inside functions say why.

An import inside a function hides a dependency from readers and from import-linter's view of
the layers; it is allowed only with a comment on its line giving the reason (an optional
dependency, import-time cost, the app factory). The imports that predate this rule are counted
per file in ``function_imports_baseline.json``; the counts may only go down.
"""

import ast
import io
import json
import shutil
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).with_name("function_imports_baseline.json")


def _commented_lines(source: str) -> set[int]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT}


def _function_import_lines(source: str) -> set[int]:
    commented = _commented_lines(source)
    lines = set()
    for func in ast.walk(ast.parse(source)):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            lines |= {
                n.lineno
                for n in ast.walk(func)
                if isinstance(n, ast.Import | ast.ImportFrom)
                and not ({n.lineno, n.end_lineno} & commented)
            }
    return lines


def current_counts() -> dict[str, int]:
    counts = {}
    for path in sorted((ROOT / "forum").rglob("*.py")):
        found = len(_function_import_lines(path.read_text()))
        if found:
            counts[str(path.relative_to(ROOT))] = found
    return counts


def test_counter_sees_uncommented_and_accepts_commented_imports():
    source = (
        "def a():\n    import json\n"
        "def b():\n    import csv  # optional: only the export needs it\n"
        "def c():\n    def inner():\n        from os import (\n            path,\n        )\n"
    )
    assert _function_import_lines(source) == {2, 7}


def test_imports_inside_functions_say_why():
    baseline = json.loads(BASELINE.read_text())
    grown = {f: n for f, n in current_counts().items() if n > baseline.get(f, 0)}
    assert not grown, (
        f"imports inside functions without a comment saying why: {grown} "
        "(move the import to the top, or add `# <reason>` on its line)"
    )


def test_baseline_only_shrinks():
    baseline = json.loads(BASELINE.read_text())
    now = current_counts()
    stale = {f: (n, now.get(f, 0)) for f, n in baseline.items() if now.get(f, 0) < n}
    assert not stale, f"fewer function-level imports than the baseline says, lower it: {stale}"


def test_import_contracts_hold():
    """Kernel at the bottom, features above, app on top, no package cycles (pyproject.toml)."""
    lint = shutil.which("lint-imports") or str(Path(ROOT / ".venv/bin/lint-imports"))
    if not Path(lint).exists():
        pytest.skip("import-linter is not installed (it is in the `test` extras)")
    run = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout[-3000:]
