"""The documentation is real: every console block of the README and of the docs/ pages is run
and its output compared, every link between them resolves, and the command reference
(docs/commands.md) is what --help prints."""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from conftest import DATA, DOC_PAGES, README, REPO, doc, run

# A page's ```console blocks: the command on the first line, its stdout after it. (Blocks
# with a word after `console`, such as `console spreadsheet-flow`, are run by the test of
# their walk-through, in order, in a scratch directory.)
BLOCKS = {
    page: re.findall(r"```console\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)
    for page, path in DOC_PAGES.items()
}


def _examples() -> list[tuple[str, str, str]]:
    out = []
    for page, blocks in BLOCKS.items():
        for block in blocks:
            first, _, rest = block.partition("\n")
            assert first.startswith("$ fanpin "), (page, first)
            out.append((page, first[2:], rest))
    return out


EXAMPLES = _examples()


def test_readme_has_the_two_quick_start_commands() -> None:
    assert "uv run fanpin show monitoring\nuv run pytest\n" in README


def test_readme_is_short() -> None:
    """Issue 27 item 7: the README keeps what fanpin is, the quick start, a tour and links."""
    assert len(README.splitlines()) <= 400


def test_the_examples_moved_with_their_sections() -> None:
    """None was lost on the way: the README had 30, its tour has one more (compare)."""
    assert len(EXAMPLES) >= 31
    assert BLOCKS["README.md"], "the README's tour shows real output"


@pytest.mark.parametrize(
    ("page", "command", "expected"), EXAMPLES, ids=[f"{p}: {c}" for p, c, _ in EXAMPLES]
)
def test_readme_example(
    page: str, command: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # the examples use paths relative to the repository
    args = shlex.split(command)[1:]
    r = run(*args, env={"COLUMNS": "100"})
    assert r.out == expected


def test_readme_check_example(tmp_path: Path) -> None:
    """docs/checks.md's 421 -> 420 example, with the file and lines it shows."""
    copy = tmp_path / "copy"
    shutil.copytree(DATA, copy)
    f = copy / "monitoring.toml"
    f.write_text(f.read_text(encoding="utf-8").replace("value = 421\n", "value = 420\n"), "utf-8")
    r = run("check", "--data", str(copy), "-o", "csv", "--fields",
            "rule,expected,actual,file,line,message")  # fmt: skip
    assert r.code == 1
    page = doc("checks.md")
    block = page[page.index("$ fanpin check --data copy") :]
    block = block[block.index("\n") + 1 : block.index("```")]
    assert r.out.replace(str(copy), "copy") == block


def test_every_command_is_documented() -> None:
    from fanpin_cli.cli.app import app

    for command in app.registered_commands:
        assert f"fanpin {command.name}" in README, command.name


# ---------------------------------------------------------------- links


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())  # the formatting marks go
    kept = "".join(c for c in text if c in " -" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    found: set[str] = set()
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            base = anchor(line.lstrip("#"))
            name, n = base, 0
            while name in found:  # a repeated heading gets -1, -2, ...
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


def links(text: str) -> list[str]:
    """Every link and image target outside code (fenced blocks and `code`)."""
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    return re.findall(r"\]\(([^)\s]+)\)", prose)


def test_anchor_is_githubs() -> None:
    assert anchor("Monthly analysis: 同比, 环比, 累计, rank, scorecard") == (
        "monthly-analysis-同比-环比-累计-rank-scorecard"
    )
    assert anchor("Spreadsheets: fill-in workbooks, submissions, Excel reports") == (
        "spreadsheets-fill-in-workbooks-submissions-excel-reports"
    )
    assert anchor("fanpin check and its rules") == "fanpin-check-and-its-rules"
    assert anchors("# A\n```\n# not a heading\n```\n## A\n") == {"a", "a-1"}


def broken_links(path: Path) -> list[str]:
    """The relative links of the page at `path` whose file or #anchor does not exist."""
    text = path.read_text(encoding="utf-8")
    broken = []
    for target in links(text):
        if re.match(r"[a-z]+:", target):  # http(s), mailto: not followed here
            continue
        file, _, fragment = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        known = anchors(dest.read_text(encoding="utf-8")) if dest.is_file() else set()
        if not dest.exists() or (fragment and fragment not in known):
            broken.append(target)
    return broken


def test_broken_links_are_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## A part\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Here\n[ok](other.md#a-part) [ok](#here) [web](https://example.org/x)\n"
        "[no file](missing.md) [no anchor](other.md#nowhere) [no anchor here](#there)\n"
        "`[in code](missing-too.md)`\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md", "other.md#nowhere", "#there"]


@pytest.mark.parametrize("page", list(DOC_PAGES))
def test_every_link_resolves(page: str) -> None:
    """Each relative link of the README and docs/ names a file that exists, and its #anchor
    a heading of that file."""
    assert broken_links(DOC_PAGES[page]) == []


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = {target.partition("#")[0] for target in links(README)}
    assert {page for page in DOC_PAGES if page != "README.md"} <= linked


# ---------------------------------------------------------------- the command reference


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", REPO / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_command_reference_is_generated_from_help() -> None:
    """docs/commands.md is what docs/generate.py makes of --help now: change the help and the
    test fails until the page is regenerated (uv run python docs/generate.py)."""
    generate = _generator()
    page = generate.render()
    assert (REPO / "docs" / "commands.md").read_text(encoding="utf-8") == page, (
        "docs/commands.md is out of date: run `uv run python docs/generate.py`"
    )
    from fanpin_cli.cli.app import COMMANDS

    for name in COMMANDS:  # every command, with its real help
        assert f"## fanpin {name}\n" in page
        assert run("--lang", "en", name, "--help", env=generate.ENV).out in page, name


def test_command_reference_ignores_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is the same whatever the caller's width, colour and language."""
    generate = _generator()
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("FANPIN_LANG", "zh")
    assert generate.render() == (REPO / "docs" / "commands.md").read_text(encoding="utf-8")


def test_a_change_of_help_shows_in_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is made from the help's words: change them and the page changes with them."""
    from fanpin_cli.cli.help_text import HELP

    zh, en = HELP["show"]
    monkeypatch.setitem(HELP, "show", (zh, en.replace("Show indicators", "Print indicators")))
    page = _generator().render()
    assert "Print indicators" in page
    assert page != (REPO / "docs" / "commands.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- pages that restate the code


def test_csv_columns_page_lists_the_export_header() -> None:
    page = doc("csv-columns.md")
    listed = page[page.index("in these columns:") :].split("`")[1]
    header = run("export", "--csv").out.splitlines()[0]
    assert " ".join(listed.split()).split(", ") == header.split(",")


def test_exit_codes_page_lists_every_code() -> None:
    from fanpin_cli.core.errors import ExitCode

    rows = re.findall(r"^\| ([\d, ]+) \|", doc("exit-codes.md"), re.MULTILINE)
    listed = {int(code) for row in rows for code in row.split(",")}
    assert listed == {int(code) for code in ExitCode}


def test_checks_page_has_a_row_for_every_rule_in_order() -> None:
    from fanpin_cli.analysis.checks import RULES

    rows = re.findall(r"^\| `([a-z_]+)` \|", doc("checks.md"), re.MULTILINE)
    assert tuple(rows) == RULES


# A path in the repository, as the pages name them: tests/..., src/..., docs/... and so on.
NAMED_PATH = re.compile(r"(?<![\w/.-])((?:tests|src|docs|benchmarks|data|\.ci)/[\w./*-]*[\w/*])")


def named_paths(text: str) -> list[str]:
    """The repository paths a page names in its prose (fenced blocks show output: skipped)."""
    return NAMED_PATH.findall(re.sub(r"```.*?```", "", text, flags=re.DOTALL))


def test_named_paths_are_found() -> None:
    text = "see `tests/project/test_readme.py`, tests/examples/checks/ and `docs/*.md`\n"
    text += "```\nfanpin extract docs/examples/x.txt\n```\n"
    found = ["tests/project/test_readme.py", "tests/examples/checks/", "docs/*.md"]
    assert named_paths(text) == found


@pytest.mark.parametrize("page", list(DOC_PAGES))
def test_every_path_a_page_names_exists(page: str) -> None:
    """A file or folder of the repository a page names is there (a moved test or module
    left its old path in the docs: tests/test_pictures.py, tests/formats/)."""
    text = DOC_PAGES[page].read_text(encoding="utf-8")
    missing = [
        p for p in named_paths(text)
        if not (any(REPO.glob(p.rstrip("/"))) if "*" in p else (REPO / p).exists())
    ]  # fmt: skip
    assert missing == []


# A module or a name in it, as the pages name them: `writers.Format`, `fanpin_cli.reading.load`.
NAMED_CODE = re.compile(
    r"`(?:fanpin_cli\.)?((?:core|files|reading|analysis|views|writers|reports|cli)\.[\w.]*\w)`"
)


def named_code(text: str) -> list[str]:
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    return NAMED_CODE.findall(re.sub(r"\.\n\s*", ".", prose))  # a name broken after a dot


def resolves(dotted: str) -> bool:
    """Whether fanpin_cli.DOTTED is a module, or a name in the longest module it starts with."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("fanpin_cli." + ".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_named_code_is_found() -> None:
    text = "`writers.Format`, `fanpin_cli.reading.load.directory.\n  load_directory_chunks`, `a.b`"
    assert named_code(text) == ["writers.Format", "reading.load.directory.load_directory_chunks"]
    assert resolves("writers.Format") and resolves("reading.load")
    assert not resolves("core.columns.Table") and not resolves("core.nothing_here")


@pytest.mark.parametrize("page", list(DOC_PAGES))
def test_every_module_and_name_a_page_names_exists(page: str) -> None:
    """A renamed module or class leaves no old name in the docs (`core.columns.Table` after
    the column store became Columns)."""
    text = DOC_PAGES[page].read_text(encoding="utf-8")
    assert [name for name in named_code(text) if not resolves(name)] == []
