"""A run reads and writes through the Environment it is given (fanpin_cli.files.streams),
never through the process's own streams and variables (issue 27 item 6, httpie's
`main(args, env=Environment(...))`): the process's os.environ says one thing, the injected
environment another, and the run follows the injected one and writes nothing to sys.stdout
or sys.stderr."""

from __future__ import annotations

import ast
import io
import os
from pathlib import Path

import pytest
from conftest import REPO

from fanpin_cli.cli.app import main
from fanpin_cli.files.streams import Environment, environment

ID = "monitoring.total_households"


class Run:
    """One in-process run with its own streams; `environ` is the whole environment."""

    def __init__(self, *args: str, environ: dict[str, str]) -> None:
        self.out, self.err = io.StringIO(), io.StringIO()
        self.code = main(list(args), Environment(io.StringIO(), self.out, self.err, environ))


@pytest.fixture
def process_says_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    """The process's environment set against what the tests inject."""
    monkeypatch.setenv("FANPIN_DATA", str(tmp_path / "no-such-dataset"))
    monkeypatch.setenv("FANPIN_LANG", "en")
    monkeypatch.setenv("FANPIN_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "process-cache"))
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("FANPIN_DEBUG", "1")
    capsys.readouterr()
    return tmp_path


def test_the_injected_environment_is_the_one_read(
    process_says_otherwise: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp = process_says_otherwise
    ok = Run("get", ID, environ={"FANPIN_CACHE": "0"})  # bundled data, not FANPIN_DATA's
    assert (ok.code, ok.out.getvalue(), ok.err.getvalue()) == (0, "1294\n", "")
    # FANPIN_DATA, FANPIN_LANG and FANPIN_DEBUG of the injected environment
    bad = Run("show", environ={"FANPIN_DATA": str(tmp / "nothing"), "FANPIN_LANG": "en",
                               "FANPIN_DEBUG": "1", "FANPIN_CACHE": "0"})  # fmt: skip
    assert bad.code == 3 and bad.out.getvalue() == ""
    assert "Traceback" in bad.err.getvalue() and "fanpin: error: " in bad.err.getvalue()
    assert str(tmp / "nothing") in bad.err.getvalue()
    zh = Run("show", "--data", str(tmp / "nothing"), environ={"FANPIN_CACHE": "0"})
    assert zh.code == 3 and "Traceback" not in zh.err.getvalue()
    assert not zh.err.getvalue().isascii()  # Chinese: the process's FANPIN_LANG=en unread
    # the cache: the injected XDG_CACHE_HOME is used, the process's never
    cached = Run("show", environ={"FANPIN_CACHE": "1", "XDG_CACHE_HOME": str(tmp / "ours")})
    assert cached.code == 0
    assert (tmp / "ours" / "fanpin").is_dir() and not (tmp / "process-cache").exists()
    assert capsys.readouterr() == ("", "")  # nothing on the process's streams


def test_width_and_colour_come_from_the_injected_environment(
    process_says_otherwise: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = {"FANPIN_CACHE": "0"}
    wide = Run("show", "monitoring", "-o", "table", environ={**plain, "COLUMNS": "200"})
    assert wide.code == 0 and "\x1b[" not in wide.out.getvalue()  # FORCE_COLOR unread
    assert max(len(line) for line in wide.out.getvalue().splitlines()) > 40
    narrow = Run("show", "monitoring", "-o", "table", environ={**plain, "COLUMNS": "60"})
    assert max(len(line) for line in narrow.out.getvalue().splitlines()) <= 60
    coloured = Run("chart", "monitoring", "rectification", "-o", "table",
                   environ={**plain, "COLUMNS": "80", "FORCE_COLOR": "1"})  # fmt: skip
    assert coloured.code == 0 and "\x1b[" in coloured.out.getvalue()
    assert capsys.readouterr() == ("", "")


def test_help_version_and_verbose_lines_go_to_the_injected_streams(
    process_says_otherwise: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = {"FANPIN_CACHE": "0"}
    version = Run("--version", environ=plain)
    assert version.code == 0 and version.out.getvalue().startswith("fanpin ")
    narrow = Run("--lang", "en", "show", "--help", environ={**plain, "COLUMNS": "60"})
    wide = Run("--lang", "en", "show", "--help", environ={**plain, "COLUMNS": "200"})
    assert narrow.code == wide.code == 0 and "--format" in narrow.out.getvalue()
    widths = [max(map(len, r.out.getvalue().splitlines())) for r in (narrow, wide)]
    assert widths[0] <= 58 < widths[1] <= 78  # click's rule: min(COLUMNS, 80) - 2
    usage = Run(environ=plain)  # no arguments: the help, on stderr, exit 2
    assert usage.code == 2 and "show" in usage.err.getvalue() and usage.out.getvalue() == ""
    verbose = Run("--verbose", "get", ID, environ=plain)
    assert verbose.code == 0 and verbose.err.getvalue().startswith("fanpin: read ")
    assert capsys.readouterr() == ("", "")


def test_a_run_leaves_the_environment_as_it_found_it() -> None:
    before = environment()
    Run("get", ID, environ={"FANPIN_CACHE": "0"})
    after = environment()
    assert (after.stdout, after.stderr, after.environ) == (before.stdout, before.stderr,
                                                           os.environ)  # fmt: skip


# Where the process's streams and environment may be touched: the Environment's own module,
# and app's _click_writes, which hands click (writing help itself) the injected streams.
ALLOWED = {("files/streams.py", None), ("cli/app.py", "_click_writes")}
GLOBALS = {("os", "environ"), ("os", "getenv"), ("os", "putenv"), ("sys", "stdout"),
           ("sys", "stderr"), ("sys", "stdin")}  # fmt: skip


def test_only_the_environment_reads_the_process_streams_and_variables() -> None:
    package = REPO / "src" / "fanpin_cli"
    found = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if (name, None) in ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = {
            id(inner)
            for func in ast.walk(tree)
            if isinstance(func, ast.FunctionDef) and (name, func.name) in ALLOWED
            for inner in ast.walk(func)
        }
        found += [
            f"{name}:{node.lineno}: {node.value.id}.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in GLOBALS
            and id(node) not in allowed
        ]
    assert found == []
