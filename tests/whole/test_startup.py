"""Start-up discipline: machine formats never import rich; no command imports pydantic."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# rich and pydantic, and the spreadsheet libraries (only commands that read or write a
# workbook import them)
HEAVY = ("rich", "pydantic", "openpyxl", "xlsxwriter", "xlrd")
PROBE = f"""
import json, sys
from fanpin_cli.cli.app import main
code = main(sys.argv[1:])
heavy = sorted({{m.split(".")[0] for m in sys.modules if m.split(".")[0] in {HEAVY!r}}})
print(json.dumps({{"code": int(code), "heavy": heavy}}), file=sys.stderr)
"""


def imported(*args: str) -> tuple[int, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env["FANPIN_CACHE"] = "0"
    cmd = [sys.executable, "-c", PROBE, *args]
    p = subprocess.run(cmd, capture_output=True, env=env, timeout=60, check=False)
    report = json.loads(p.stderr.decode("utf-8").strip().splitlines()[-1])
    return report["code"], report["heavy"]


MACHINE = [
    ["get", "monitoring.total_households"],
    ["export", "--csv"],
    ["export", "--json"],
    ["export", "--jsonl"],
    ["export", "--tsv"],
    ["show", "monitoring", "-o", "csv"],
    ["show", "monitoring", "-o", "tsv"],
    ["show", "monitoring", "-o", "json"],
    ["show", "monitoring", "-o", "jsonl"],
    ["sections", "-o", "csv"],
    ["compare", "-o", "json"],
    ["check", "-o", "csv"],
    ["search", "户", "-o", "tsv"],
    ["diff", "rectification", "-o", "csv"],
    ["chart", "monitoring", "-o", "csv"],
    ["explain", "monitoring.total_households", "-o", "json"],
]


@pytest.mark.parametrize("args", MACHINE, ids=[" ".join(a) for a in MACHINE])
def test_machine_formats_do_not_import_rich(args: list[str]) -> None:
    code, heavy = imported(*args)
    assert code == 0
    assert heavy == []


@pytest.mark.parametrize(
    "args",
    [["show", "monitoring", "-o", "table"], ["compare", "-o", "table"],
     ["chart", "monitoring", "-o", "table"],
     ["explain", "monitoring.total_households", "-o", "table"], ["check", "-o", "table"]],
)  # fmt: skip
def test_no_command_imports_pydantic(args: list[str]) -> None:
    code, heavy = imported(*args)
    assert code == 0
    assert "pydantic" not in heavy
    assert heavy == ["rich"]  # tables do need rich


def test_typer_is_pinned_below_the_release_that_imports_pydantic() -> None:
    import typer

    major, minor = (int(x) for x in typer.__version__.split(".")[:2])
    assert (major, minor) < (0, 29)


# A warm run, reported without importing anything itself: the modules it loaded, and
# whether its objects were frozen out of the collector's sight when the process exited.
WARM_PROBE = """
import atexit, gc, sys
atexit.register(lambda: sys.stderr.write("frozen %d\\n" % gc.get_freeze_count()))
from fanpin_cli.cli.app import main
code = main(sys.argv[1:])
sys.stderr.write("code %d modules %s\\n" % (code, " ".join(sorted(sys.modules))))
"""


def warm_run(tmp_path: object, *args: str) -> tuple[int, set[str], int]:
    """(exit code, modules imported, objects frozen at exit) of a run with a warm cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env.update(FANPIN_CACHE="1", XDG_CACHE_HOME=str(tmp_path))
    cmd = [sys.executable, "-c", WARM_PROBE, *args]
    for _ in range(2):  # the first run writes the cache
        p = subprocess.run(cmd, capture_output=True, env=env, timeout=60, check=False)
    lines = p.stderr.decode("utf-8").splitlines()
    _, code, _, *modules = lines[-2].split()
    return int(code), set(modules), int(lines[-1].split()[1])


WARM = [["get", "monitoring.total_households"], ["export", "--csv"],
        ["show", "monitoring", "-o", "table"]]  # fmt: skip


@pytest.mark.parametrize("args", WARM, ids=[" ".join(a) for a in WARM])
def test_a_warm_run_reads_the_cache_with_the_public_json_module(
    tmp_path: object, args: list[str]
) -> None:
    """A warm run parses no TOML (tomli is not even imported): the cache is read by the
    json module's public decoder (issue 26: no private CPython API such as _json's scanner,
    which an earlier cache called to save the ~2 ms of json's imports)."""
    code, modules, _ = warm_run(tmp_path, *args)
    assert code == 0
    assert "tomli" not in modules
    assert "json.decoder" in modules


@pytest.mark.parametrize("args", WARM, ids=[" ".join(a) for a in WARM])
def test_a_run_freezes_its_objects_at_exit(tmp_path: object, args: list[str]) -> None:
    """The interpreter's last collections would walk every object to find cycles that exit
    frees anyway (~25M instructions of `export --csv`, issue 10): they are frozen first."""
    code, _, frozen = warm_run(tmp_path, *args)
    assert code == 0
    assert frozen > 10_000


@pytest.mark.parametrize("args", WARM, ids=[" ".join(a) for a in WARM])
def test_a_run_that_says_nothing_reads_no_message_table(tmp_path: object, args: list[str]) -> None:
    """The message tables are imported when a message is looked up (fanpin_cli.core.messages),
    and the check that an export does not write over its input only when it writes a file."""
    code, modules, _ = warm_run(tmp_path, *args)
    assert code == 0
    assert not {m for m in modules if m.startswith("fanpin_cli.core.messages_")}
    assert "fanpin_cli.reading.load.own_files" not in modules


@pytest.mark.parametrize("args", WARM, ids=[" ".join(a) for a in WARM])
def test_the_runs_environment_costs_no_import(tmp_path: object, args: list[str]) -> None:
    """The injected Environment (fanpin_cli.files.streams) is a module variable: the run
    imports no contextvars for it (0.6M instructions of every start-up)."""
    code, modules, _ = warm_run(tmp_path, *args)
    assert code == 0
    assert "contextvars" not in modules
