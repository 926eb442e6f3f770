"""Shared helpers: run the CLI in-process with stdout and stderr captured apart.

The tests mirror the package: tests/core, files, reading (load, store, sheets), analysis,
views, writers, reports and cli hold the tests of src/fanpin_cli's layer of that name;
tests/whole runs the whole program (fuzzing, start-up, the bundled data against its report),
tests/project holds the repository (docs, packaging, layout, the slow list). Helpers shared
across folders live here at the root (this file, hostile.py, schema_cases.py, slow.py); every
test file's name is unique, so pytest's default import mode finds them.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fanpin_cli.cli.app import main
from fanpin_cli.core.bundled import bundled_data_dir
from fanpin_cli.files.streams import Environment

REPO = Path(__file__).resolve().parent.parent
DATA = bundled_data_dir()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# SYNTHETIC datasets (made-up figures, marked so in their dataset.toml): a one-section mini
# dataset that the bad-input corpus breaks one way per case, and eight counties x two years.
MINI = FIXTURES / "synthetic-mini"
COUNTIES = FIXTURES / "synthetic-counties"
COUNTY_TARGETS = FIXTURES / "synthetic-county-targets.toml"
CODES = ["620102", "620103", "620104", "620105", "620111", "620121", "620122", "620123"]


def county_args(*years: str, city: bool = False) -> list[str]:
    """--data options for the synthetic counties of `years` (and the bundled city first)."""
    args = ["--data", "@bundled"] if city else []
    for year in years:
        for code in CODES:
            args += ["--data", str(COUNTIES / year / code)]
    return args


COUNTY_ARGS = county_args("2023", city=True)
# The suite runs with the cache off by default; FANPIN_TEST_CACHE=1 runs it all again with
# the cache on (.ci/run does both), in a private cache directory.
CACHE = os.environ.get("FANPIN_TEST_CACHE", "0")
if CACHE != "0" and "FANPIN_TEST_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["FANPIN_TEST_CACHE_DIR"] = tempfile.mkdtemp(prefix="fanpin-test-cache-")


def _cache_env() -> dict[str, str]:
    env = {"FANPIN_CACHE": CACHE}
    if CACHE != "0":
        env["XDG_CACHE_HOME"] = os.environ["FANPIN_TEST_CACHE_DIR"]
    return env


@dataclass
class Result:
    code: int
    out: str
    err: str
    out_bytes: bytes


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run `fanpin ARGS` in this process; stdout is not a terminal. The run is given its own
    streams and environment (FANPIN_DATA and FANPIN_LANG unset, the suite's cache setting,
    then `env`): nothing of the process is swapped (fanpin_cli.files.streams.Environment)."""
    out, err = io.BytesIO(), io.BytesIO()
    out_w = io.TextIOWrapper(out, encoding="utf-8", newline="")
    err_w = io.TextIOWrapper(err, encoding="utf-8", newline="")
    environ = {k: v for k, v in os.environ.items() if k not in ("FANPIN_DATA", "FANPIN_LANG")}
    environ.update(_cache_env())
    environ.update(env or {})
    try:
        code = main(list(args), Environment(io.StringIO(), out_w, err_w, environ))
    finally:
        out_w.flush()
        err_w.flush()
    raw = out.getvalue()
    return Result(code, raw.decode("utf-8", "replace"), err.getvalue().decode("utf-8"), raw)


def injected(**variables: str) -> Environment:
    """The process's streams and environment with `variables` added, for a library call made
    outside main: `with running_in(injected(XDG_CACHE_HOME=...))` (fanpin_cli.files.streams)."""
    return Environment(sys.stdin, sys.stdout, sys.stderr, {**os.environ, **variables})


def run_process(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m fanpin_cli ARGS` as a real process."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    full_env.update(_cache_env())
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "fanpin_cli", *args],
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the synthetic mini dataset, at TMP/mini."""
    import shutil

    return Path(shutil.copytree(MINI, tmp_path / "mini"))


@pytest.fixture
def data_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the bundled dataset directory."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    yield target


README = (REPO / "README.md").read_text(encoding="utf-8")
# The documentation: the README and the pages of docs/ (issue 27 item 7), by their path.
DOC_PAGES = {"README.md": REPO / "README.md"} | {
    f"docs/{p.name}": p for p in sorted((REPO / "docs").glob("*.md"))
}


def doc(name: str) -> str:
    """The text of docs/NAME (a page the README links to)."""
    return (REPO / "docs" / name).read_text(encoding="utf-8")


ALL_DOCS = "\n".join(p.read_text(encoding="utf-8") for p in DOC_PAGES.values())


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests tests/slow.py names (one list, measured) as `slow`."""
    from slow import SLOW

    for item in items:
        if item.nodeid.partition("[")[0] in SLOW:
            item.add_marker(pytest.mark.slow)
