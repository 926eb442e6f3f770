"""No module of fanpin_cli uses another module's private name (issue 27 item 8).

A name with a leading underscore is its module's own: another module that needs it imports a
public name instead, so a module's private parts can change without breaking the others. The
namedtuple methods (`_fields`, `_replace`, ...) are public API despite their underscore.
"""

from __future__ import annotations

import ast
from pathlib import Path

import fanpin_cli

SRC = Path(fanpin_cli.__file__).parent
NAMEDTUPLE_API = {"_fields", "_field_defaults", "_replace", "_asdict", "_make"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in NAMEDTUPLE_API


def private_uses(path: Path) -> set[str]:
    """The private names of other fanpin_cli modules that `path` imports or reaches into."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: dict[str, str] = {}  # local name -> fanpin_cli module it stands for
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fanpin_cli"):
            for alias in node.names:
                if _private(alias.name):
                    found.add(f"{node.module}.{alias.name}")
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("fanpin_cli"):
                    modules[alias.asname or alias.name.partition(".")[0]] = alias.name
    for node in ast.walk(tree):
        base = node.value if isinstance(node, ast.Attribute) else None
        if isinstance(base, ast.Name) and base.id in modules and _private(node.attr):
            found.add(f"{modules[base.id]}.{node.attr}")
    return found


def test_no_private_name_is_used_across_modules() -> None:
    uses = {
        (str(path.relative_to(SRC)), name)
        for path in sorted(SRC.rglob("*.py"))
        for name in private_uses(path)
    }
    assert uses == set()


def test_the_scan_sees_both_ways_in(tmp_path: Path) -> None:
    """The scan finds `from m import _x` and `m._x` (so an empty answer means something)."""
    code = tmp_path / "sample.py"
    code.write_text(
        "from fanpin_cli.writers.template_toml import _q\n"
        "from fanpin_cli.reading.store import cache\ncache._private()\nrecord._replace(id='x')\n",
        encoding="utf-8",
    )
    assert private_uses(code) == {
        "fanpin_cli.writers.template_toml._q",
        "fanpin_cli.reading.store.cache._private",
    }
