"""Which names in a folder fanpin reads: TOML data files, not hidden files or editors' locks.

An editor leaves `.#monitoring.toml` (Emacs's lock, often a symbolic link to nothing) or a
hidden `.monitoring.toml.swp`-like copy beside the files it edits; a dataset is its visible
`*.toml` files, and what is left out is said with `--verbose` (fanpin_cli.reading.sheets.collect).
"""

from __future__ import annotations

from collections.abc import Iterable

TOML_SUFFIX = ".toml"


def is_hidden(name: str) -> bool:
    """A hidden name (`.x.toml`, Emacs's `.#x.toml` lock, `.~lock.x.ods#`): never read."""
    return name.startswith(".")


def toml_names(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """The TOML data files among `names` (in the order given) and the hidden `*.toml`
    names left out."""
    kept: list[str] = []
    hidden: list[str] = []
    for name in names:
        if name.endswith(TOML_SUFFIX):
            (hidden if is_hidden(name) else kept).append(name)
    return kept, hidden
