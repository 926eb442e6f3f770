"""Formats and shared options are declared once (issue 27 items 3 and 4): the Format enum
gives every command's -o choices and export's flags, its factory has a case for every
member, and no command restates an option of fanpin_cli.cli.options."""

from __future__ import annotations

import ast
import io
from pathlib import Path
from typing import Any

import pytest

from fanpin_cli.cli.app import build_app
from fanpin_cli.views.output import Column, Output, Sink
from fanpin_cli.writers import EXPORT_DEFAULT, EXPORTED, Format, writer

CLI = Path(__file__).resolve().parents[2] / "src" / "fanpin_cli" / "cli"


def _commands() -> dict[str, Any]:
    import typer

    root = typer.main.get_command(build_app())
    return dict(root.commands)  # type: ignore[attr-defined]


def test_export_has_one_flag_per_format_it_writes_and_no_other() -> None:
    from fanpin_cli.writers.export import FILE_OPTIONS, ONE_OF

    export = _commands()["export"]
    flags = [p.opts[0] for p in export.params if getattr(p, "is_flag", False)]
    formats = [f"--{f.value}" for f in EXPORTED]
    assert [f for f in flags if f in formats] == formats  # in order, the default first
    assert formats[0] == f"--{EXPORT_DEFAULT.value}" == "--csv"
    assert set(EXPORTED) == set(Format) - {Format.TABLE}  # all but the terminal's table
    assert ONE_OF.split(", ") == [*formats, *FILE_OPTIONS]
    # every option that is not a format flag is one the command declares by name
    assert {"--sqlite", "--datapackage", "--xlsx"} <= {o for p in export.params for o in p.opts}


def test_every_format_option_offers_the_enum() -> None:
    members = [f.value for f in Format]
    offered = {}
    for name, command in _commands().items():
        for param in command.params:
            if "--format" in getattr(param, "opts", ()):
                offered[name] = list(param.type.choices)
    assert len(offered) >= 12
    for name, choices in offered.items():
        assert choices == ([*members, "text"] if name == "rank" else members), name


def test_the_factory_has_a_writer_for_every_member() -> None:
    output = Output(rows=[{"id": "a.b", "value": 1}], fields=("id", "value"),
                    columns=(Column("id", "编号", "ID"),))  # fmt: skip
    modules = {}
    for fmt in Format:
        write = writer(fmt)
        modules[fmt] = write.__module__
        buf = io.StringIO(newline="")
        write(output, Sink(stream=buf, width=80))
        assert "a.b" in buf.getvalue(), fmt
    assert all(m.startswith("fanpin_cli.writers.") for m in modules.values())
    assert modules[Format.JSON] == modules[Format.JSONL]  # one module, two functions
    assert writer(Format.JSON) is not writer(Format.JSONL)


def _declared(path: Path) -> list[str]:
    """The option names (`--fields`) and argument metavars each typer.Option/Argument call
    of a module names."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr not in ("Option", "Argument"):
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and str(arg.value).startswith("--"):
                    names.append(arg.value)
            for kw in node.keywords:
                if kw.arg == "metavar" and isinstance(kw.value, ast.Constant):
                    names.append(f"metavar {kw.value.value}")
    return names


def test_no_command_restates_a_shared_option() -> None:
    shared = set(_declared(CLI / "options.py"))
    assert {"--format", "--fields", "--no-header", "--data", "--lang", "--region",
            "--period", "metavar ID", "metavar [SECTION|ID]..."} <= shared  # fmt: skip
    seen: dict[str, str] = {}
    for path in sorted(CLI.glob("*.py")):
        if path.name == "options.py":
            continue
        for name in _declared(path):
            assert name not in shared, f"{path.name} restates {name}: use cli.options"
            assert name not in seen, f"{name} in {seen.get(name)} and {path.name}"
            seen[name] = path.name


@pytest.mark.parametrize("source", ['typer.Option("--fields")', 'typer.Argument(metavar="ID")'])
def test_a_restated_option_is_found(source: str, tmp_path: Path) -> None:
    path = tmp_path / "x.py"
    path.write_text(f"x = {source}\n", encoding="utf-8")
    assert _declared(path) and set(_declared(path)) <= set(_declared(CLI / "options.py"))


def test_commands_are_defined_without_string_annotations() -> None:
    """Typer evaluates a string annotation (compiling it) each of the four times a run reads
    a command's signature: the modules that define commands keep their annotations objects."""
    from fanpin_cli.cli.app import COMMANDS

    for module in [*sorted(set(COMMANDS.values())), "app"]:
        text = (CLI / f"{module}.py").read_text(encoding="utf-8")
        assert "from __future__ import annotations" not in text, module
