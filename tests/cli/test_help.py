"""--help speaks --lang (issue 24, item 9): Chinese by default and under zh, English under
en, from the one table of fanpin_cli.cli.help_text; loaded only when help is shown."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer
from conftest import run

from fanpin_cli.cli.app import COMMANDS, build_app, lang_everywhere
from fanpin_cli.cli.help_text import HELP
from fanpin_cli.cli.helptext import localise, width


def _commands() -> typer.main.TyperGroup:  # type: ignore[name-defined]
    group = typer.main.get_command(build_app())
    lang_everywhere(group)
    return group


def test_every_command_and_option_has_help_in_both_languages() -> None:
    """A command or option without words in help_text would show none (or its English)."""
    group = _commands()
    missing = []
    for name, command in [("fanpin", group), *group.commands.items()]:
        if name not in HELP:
            missing.append(name)
        for param in command.params:
            if f"{name}.{param.name}" not in HELP and f"*.{param.name}" not in HELP:
                missing.append(f"{name}.{param.name}")
    assert missing == []
    for key, (zh, en) in HELP.items():
        assert zh and en, key
        if key in COMMANDS or key == "fanpin":
            assert "示例:" in zh and "Example:" in en, key


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_help_shown_is_the_tables(lang: str) -> None:
    group = _commands()
    localise(group, lang)
    pick = 0 if lang == "zh" else 1
    assert group.help == HELP["fanpin"][pick]
    for name, command in group.commands.items():
        assert command.help == HELP[name][pick]
        for param in command.params:
            expected = HELP.get(f"{name}.{param.name}") or HELP[f"*.{param.name}"]
            assert param.help == expected[pick], f"{name} {param.name}"


CHINESE = ("用法: fanpin show", "选项:", "示例:", "只看此期间", "显示此帮助并退出")
ENGLISH = ("Usage: fanpin show", "Options:", "Example:", "Only this period", "Show this message")


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["show", "--help"], {}, CHINESE),  # zh is the default
        (["--lang", "zh", "show", "-h"], {}, CHINESE),
        (["--lang", "en", "show", "--help"], {}, ENGLISH),
        (["show", "--help", "--lang", "en"], {}, ENGLISH),  # read before --help is answered
        (["show", "--lang=en", "-h"], {}, ENGLISH),
        (["show", "--help"], {"FANPIN_LANG": "en"}, ENGLISH),
        (["show", "--help", "--lang", "zh"], {"FANPIN_LANG": "en"}, CHINESE),
    ],
)
def test_help_speaks_the_language_asked_for(
    args: list[str], env: dict[str, str], words: tuple[str, ...]
) -> None:
    r = run(*args, env=env)
    assert r.code == 0, r.err
    for word in words:
        assert word in r.out, word
    other = ENGLISH if words is CHINESE else CHINESE
    assert not any(word in r.out for word in other)


def test_the_command_list_and_bare_fanpin_are_chinese_by_default() -> None:
    listing = run("--help")
    assert "命令:" in listing.out and "以表格 (或 tsv" in listing.out
    assert "Show indicators" not in listing.out
    bare = run()  # no arguments: the help on stderr, exit 2
    assert bare.code == 2 and "命令:" in bare.err
    english = run(env={"FANPIN_LANG": "en"})
    assert english.code == 2 and "Commands:" in english.err


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_chinese_help_fits_the_terminal(columns: int) -> None:
    """Wrapped by terminal columns (a Chinese character takes two), never starting a line
    with a closing mark; only an example line or an option's own name may be longer."""
    for command in COMMANDS:
        r = run(command, "--help", env={"COLUMNS": str(columns)})
        for line in r.out.splitlines():
            if line.startswith(("      fanpin ", "  -", "Usage", "用法")):
                continue
            assert width(line) <= columns + 2, (command, line)
            assert not line.strip().startswith(("。", "，", "、", ")", "）")), (command, line)


def test_a_run_that_prints_data_does_not_load_the_help_texts() -> None:
    probe = (
        "import sys\nfrom fanpin_cli.cli.app import main\ncode = main(sys.argv[1:])\n"
        "loaded = [m for m in ('fanpin_cli.cli.help_text', 'fanpin_cli.cli.helptext') "
        "if m in sys.modules]\nprint(code, loaded, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env["FANPIN_CACHE"] = "0"
    for args in (["get", "monitoring.total_households"], ["show", "-o", "csv", "--lang", "en"]):
        p = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                           env=env, timeout=60, check=False)  # fmt: skip
        assert p.stderr.decode().splitlines()[-1] == "0 []"
    p = subprocess.run([sys.executable, "-c", probe, "get", "--help"], capture_output=True,
                       env=env, timeout=60, check=False)  # fmt: skip
    assert "fanpin_cli.cli.help_text" in p.stderr.decode().splitlines()[-1]


def test_export_help_names_every_format_it_writes() -> None:
    """Each of export's format options is named in its summary, in both languages (the
    summary left out xlsx once, issue 27 item 8)."""
    export = _commands().commands["export"]
    words = {"csv": ("CSV", "CSV"), "tsv": ("TSV", "TSV"), "json": ("JSON", "JSON"),
             "jsonl": ("JSON Lines", "JSON Lines"), "markdown": ("Markdown", "Markdown"),
             "sqlite": ("SQLite", "SQLite"), "datapackage": ("数据包", "data package"),
             "xlsx": ("Excel 工作簿", "Excel workbook")}  # fmt: skip
    others = {"excel", "encoding", "output", "region", "period", "fields", "no_header", "data"}
    assert {p.name for p in export.params} - others - {"lang"} == set(words)
    zh, en = (text.partition("\n")[0] for text in HELP["export"])
    for name, (in_zh, in_en) in words.items():
        assert in_zh in zh and in_en in en, name
