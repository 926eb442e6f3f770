"""tests/slow.py names tests that exist, and the default run leaves them out."""

from __future__ import annotations

import ast

import tomli
from conftest import REPO
from slow import SLOW


def test_every_slow_name_is_a_test() -> None:
    missing = []
    for name in sorted(SLOW):
        path, _, function = name.partition("::")
        tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
        if function not in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}:
            missing.append(name)
    assert missing == []


def test_the_default_run_deselects_slow_and_ci_runs_it() -> None:
    pytest_options = tomli.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    options = pytest_options["tool"]["pytest"]["ini_options"]
    assert '-m "not slow"' in options["addopts"]
    assert any(m.startswith("slow:") for m in options["markers"])
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nuv run pytest\n" in ci and "\nuv run pytest -m slow\n" in ci
    assert '\nFANPIN_TEST_CACHE=1 uv run pytest -q -m "slow or not slow"\n' in ci
