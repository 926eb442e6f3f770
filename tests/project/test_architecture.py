"""The layout holds: one module speaks, one module touches click internals, no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src" / "fanpin_cli"
MODULES = sorted(SRC.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _is_language(node: ast.expr) -> bool:
    """'en' or 'zh', or a tuple, list or set holding one."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(map(_is_language, node.elts))
    return isinstance(node, ast.Constant) and node.value in ("en", "zh")


def _lang_tests(tree: ast.Module) -> list[int]:
    """Lines deciding by the language: a comparison with 'en' or 'zh' (`lang == "en"`,
    `lang in ("zh",)`), or a name built from it (`getattr(r, f"name_{lang}")`)."""

    def decides(node: ast.AST) -> bool:
        if isinstance(node, ast.Compare):
            return any(map(_is_language, [node.left, *node.comparators]))
        return isinstance(node, ast.JoinedStr) and any(
            isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name)
            and v.value.id == "lang" for v in node.values
        )  # fmt: skip

    return [node.lineno for node in ast.walk(tree) if decides(node)]


def test_the_language_test_finds_every_form() -> None:
    decide = 'a = lang == "en"\nb = "zh" != lang\nc = lang in ("en", "x")\nd = f"name_{lang}"\n'
    assert _lang_tests(ast.parse(decide)) == [1, 2, 3, 4]
    assert _lang_tests(ast.parse('e = pick(lang, "甲", "a")\nf = lang == "fr"\n')) == []


def test_only_labels_decides_the_language() -> None:
    deciding = {_name(p): lines for p in MODULES if (lines := _lang_tests(_tree(p)))}
    assert set(deciding) <= {"fanpin_cli.core.labels"}, deciding


NAMEDTUPLE_API = frozenset({"_replace", "_fields", "_asdict", "_make", "_field_defaults"})
PUBLIC_DESPITE_UNDERSCORE = NAMEDTUPLE_API | {"_exit"}  # os._exit: documented, for forked children
# the interpreter's own _signal, loaded before any program starts (fanpin_cli.entry takes
# Ctrl-C with it before importing anything)
STDLIB_ACCELERATORS = frozenset({"_signal"})


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_only_compat_uses_private_names_of_other_packages() -> None:
    found = []
    for path in MODULES:
        if _name(path) == "fanpin_cli.cli.compat":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                dotted = [*node.module.split("."), *(a.name for a in node.names)]
                if dotted[0] not in ("fanpin_cli", *STDLIB_ACCELERATORS) and any(
                    map(_private, dotted)
                ):
                    found.append((_name(path), node.lineno, node.module))
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if any(map(_private, a.name.split(".")))]
                found += [(_name(path), node.lineno, n) for n in names]
            elif (
                isinstance(node, ast.Attribute)
                and _private(node.attr)
                and node.attr not in PUBLIC_DESPITE_UNDERSCORE
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                found.append((_name(path), node.lineno, node.attr))
    assert found == []


def test_commands_only_parse_call_and_emit() -> None:
    """No module of fanpin_cli.cli checks a request (UsageError) or builds an Output: that is
    the library's, where it can be called and tested without Typer."""
    found = []
    for path in sorted((SRC / "cli").glob("*.py")):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom):
                found += [(path.name, node.lineno, a.name) for a in node.names
                          if a.name == "UsageError"]  # fmt: skip
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Output", "Column", "column")
            ):
                found.append((path.name, node.lineno, node.func.id))
    assert found == []


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """FanpinError and every class of fanpin's that derives from it, by name."""
    names = {"FanpinError"}
    classes = [n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    while True:
        more = {
            c.name for c in classes
            if any((b.id if isinstance(b, ast.Name) else getattr(b, "attr", None)) in names
                   for b in c.bases)
        }  # fmt: skip
        if more <= names:
            return names
        names |= more


def _is_text(node: ast.expr) -> bool:
    """A string written in the code: a literal, an f-string, or one joined with `+`."""
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _errors_with_text(tree: ast.Module, classes: set[str]) -> list[int]:
    """Lines that make one of `classes` from text written in the code (`UsageError("...")`),
    instead of a code of fanpin_cli.core.messages (`UsageError.said(("usage.x", arg))`)."""
    return [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        and node.func.id in classes and node.args and _is_text(node.args[0])
    ]  # fmt: skip


# Errors still written in English in the code, by module: how many, and why (none).
ENGLISH_ERRORS: dict[str, int] = {}


def test_errors_are_said_by_code_not_in_english_text() -> None:
    trees = {_name(p): _tree(p) for p in MODULES}
    classes = _error_classes(list(trees.values()))
    assert {"UsageError", "DataError", "NothingMatched", "OutputError", "Refused"} <= classes
    found = {name: lines for name, tree in trees.items()
             if (lines := _errors_with_text(tree, classes))}  # fmt: skip
    assert {name: len(lines) for name, lines in found.items()} == ENGLISH_ERRORS, found


def test_the_english_error_test_finds_every_form() -> None:
    code = (
        'raise UsageError("a")\nraise NothingMatched(f"b {x}")\nraise DataError("c" + x)\n'
        'raise UsageError.said(("usage.x", "y"))\nraise UsageError(message)\n'
    )
    classes = {"UsageError", "NothingMatched", "DataError"}
    assert _errors_with_text(ast.parse(code), classes) == [1, 2, 3]


FIELD_NAMES = ("subset_of", "parts", "basis", "name_en", "name_zh")
# "parts" is also the name of a check rule (checks.py, whose findings say `parts`) and of a
# chart's kind (views/charts.py, a column of the chart data): codes that users see, named
# after the field, so those two modules spell it once more than the four
SPELLED_ALSO_AS_A_CODE = {"parts": {"fanpin_cli.analysis.checks", "fanpin_cli.views.charts"}}


def _spelled(name: str) -> set[str]:
    """The modules whose code (docstrings aside) spells `name` as a string."""
    found = set()
    for path in MODULES:
        tree = _tree(path)
        docs = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
            and isinstance(node.body[0], ast.Expr)
        }  # fmt: skip
        if any(
            isinstance(node, ast.Constant) and node.value == name and id(node) not in docs
            for node in ast.walk(tree)
        ):
            found.add(_name(path))
    return found


def test_each_field_name_is_spelled_in_few_modules() -> None:
    """A record's field is named where it is declared (schema), labelled (labels, the
    workbook layout) and where its rule lives, not in every view that shows it."""
    for name in FIELD_NAMES:
        found = _spelled(name)
        also = SPELLED_ALSO_AS_A_CODE.get(name, set())
        assert len(found - also) <= 4, (name, sorted(found))
