"""Bad-input corpus, standard streams and the shell: odd locales, closed or full streams,
completion of hostile names (SYNTHETIC mini fixture)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINI
from hostile import (
    MON,
    edit,
    fanpin_process,
)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_shows_hostile_names_literally(shell: str, tmp_path: Path) -> None:
    import json

    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    name = json.dumps("[bold]x[/bold] \x1b[31mred [/] \x9b2J")
    edit(MON, 'name_zh = "累计监测对象户数"', f"name_zh = {name}")(d)
    env = {
        "FANPIN_DATA": str(d),
        "_FANPIN_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": "fanpin get monitoring.to",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "COMP_WORDS": "fanpin get monitoring.to",
        "COMP_CWORD": "2",
    }
    p = fanpin_process(env=env)
    out = p.stdout.decode("utf-8")
    assert (p.returncode, p.stderr) == (0, b"")
    assert "monitoring.total_households" in out
    assert "\x1b" not in out and "\x9b" not in out
    if shell != "bash":  # bash shows no help
        assert "[bold]x[/bold] \\x1b[31mred [/] \\x9b2J" in out


# --- standard streams: odd encodings, closed or full ------------------------------------


def _closing(fd: int) -> Callable[[], None]:
    def close() -> None:
        os.close(fd)

    return close


def test_ascii_locale_still_writes_utf8() -> None:
    env = {"PYTHONIOENCODING": "ascii", "COLUMNS": "120"}
    table = fanpin_process("show", "monitoring", "-o", "table", env=env)
    assert (table.returncode, table.stderr) == (0, b"")
    assert "精准监测帮扶" in table.stdout.decode("utf-8")
    error = fanpin_process("get", "累计", env=env)
    assert (error.returncode, error.stderr.decode("utf-8")) == (
        2,
        "fanpin: error: 没有指标 '累计'\n",  # default --lang zh: Chinese, in UTF-8 too
    )


def test_closed_stderr_keeps_the_exit_code() -> None:
    full = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    p = subprocess.run(
        [sys.executable, "-m", "fanpin_cli", "get", "nope"],
        stdout=subprocess.PIPE,
        preexec_fn=_closing(2),
        env=full,
        timeout=20,
        check=False,
    )
    assert (p.returncode, p.stdout) == (2, b"")


def test_closed_stdout_is_an_output_error_unless_unused(tmp_path: Path) -> None:
    full = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}

    def closed_stdout(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "fanpin_cli", *args],
            stderr=subprocess.PIPE,
            preexec_fn=_closing(1),
            env=full | {"FANPIN_LANG": "en"},
            timeout=20,
            check=False,
        )

    expected = (
        "fanpin: error: cannot write to standard output: "
        "Bad file descriptor (standard output is closed)\n"
    )
    for args in (
        ["export", "--csv"],
        ["show", "-o", "table"],
        ["get", "monitoring.total_households"],
    ):
        p = closed_stdout(*args)
        assert (p.returncode, p.stderr.decode()) == (74, expected), args
    target = tmp_path / "out.csv"
    p = closed_stdout("export", "--csv", "--output", str(target))
    assert (p.returncode, p.stderr) == (0, b"")
    assert target.read_text(encoding="utf-8").startswith("id,section,")
