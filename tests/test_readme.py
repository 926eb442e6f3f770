"""The README's examples are real: every console block is run and its output compared."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import DATA, REPO, run

README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n(.*?)```", README, re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    out = []
    for block in BLOCKS:
        first, _, rest = block.partition("\n")
        assert first.startswith("$ fanpin "), first
        out.append((first[2:], rest))
    return out


def test_readme_has_the_two_quick_start_commands() -> None:
    assert "uv run fanpin show monitoring\nuv run pytest\n" in README


@pytest.mark.parametrize(("command", "expected"), _examples(), ids=[c for c, _ in _examples()])
def test_readme_example(command: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the examples use paths relative to the repository
    args = shlex.split(command)[1:]
    r = run(*args, env={"COLUMNS": "100"})
    assert r.out == expected


def test_readme_check_example(tmp_path: Path) -> None:
    """The README's 421 -> 420 example, with the file and lines it shows."""
    copy = tmp_path / "copy"
    shutil.copytree(DATA, copy)
    f = copy / "monitoring.toml"
    f.write_text(f.read_text(encoding="utf-8").replace("value = 421\n", "value = 420\n"), "utf-8")
    r = run("check", "--data", str(copy), "-o", "csv", "--fields",
            "rule,expected,actual,file,line,message")  # fmt: skip
    assert r.code == 1
    block = README[README.index("$ fanpin check --data copy") :]
    block = block[block.index("\n") + 1 : block.index("```")]
    assert r.out.replace(str(copy), "copy") == block


def test_every_command_is_documented() -> None:
    from fanpin_cli.cli.app import app

    for command in app.registered_commands:
        assert f"fanpin {command.name}" in README, command.name
