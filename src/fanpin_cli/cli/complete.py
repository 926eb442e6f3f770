"""Shell-completion candidates: section keys and indicator ids, by id prefix or Chinese name."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def help_text(text: str) -> str:
    """A name as completion help: control characters visible, rich markup shown literally.

    Typer renders zsh and fish help through rich markup: `[bold]x[/bold]` would show as
    `x` and a stray `[/]` would raise; escaped, both are shown as written.
    """
    from rich.markup import escape

    from fanpin_cli.core.textsafe import visible

    return escape(visible(text))


def candidates(incomplete: str, *, sections: bool = True) -> list[tuple[str, str]]:
    """(completion, help) pairs for what the user has typed so far; never raises."""
    return [(value, help_text(text)) for value, text in _found(incomplete, sections)]


def _found(incomplete: str, sections: bool) -> list[tuple[str, str]]:
    from fanpin_cli.core.errors import FanpinError
    from fanpin_cli.files.streams import getenv
    from fanpin_cli.reading.load import load

    env = getenv("FANPIN_DATA")
    paths = [Path(p) for p in env.split(os.pathsep) if p] if env else None
    try:
        dataset = load(paths)
    except FanpinError:
        return []
    out: list[tuple[str, str]] = []
    if sections:
        out += [(s.key, s.title_zh) for s in dataset.sections if s.key.startswith(incomplete)]
    seen: set[str] = set()
    for ind in dataset.indicators:
        if ind.id in seen:
            continue
        if ind.id.startswith(incomplete) or (incomplete and ind.name_zh.startswith(incomplete)):
            seen.add(ind.id)
            out.append((ind.id, ind.name_zh))
    return out


# Arguments that name sections or indicators, by the parameter name in the commands.
SELECTOR_PARAMS = frozenset({"selectors"})
ID_PARAMS = frozenset({"ids", "indicator_id"})


def install(command: Any) -> None:
    """Give the SECTION-or-ID and ID arguments of every subcommand our completer."""
    from functools import partial

    from fanpin_cli.cli.compat import set_completer

    for sub in getattr(command, "commands", {}).values():
        for param in sub.params:
            if param.name in SELECTOR_PARAMS:
                set_completer(param, partial(candidates, sections=True))
            elif param.name in ID_PARAMS:
                set_completer(param, partial(candidates, sections=False))
