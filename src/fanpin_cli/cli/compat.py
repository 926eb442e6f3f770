"""What fanpin needs from Typer's vendored click beyond Typer's public API, in one place.

Typer 0.28 ships click as `typer._click`; if a release moves it, only this module changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typer._click import Context as ClickContext
from typer._click import HelpFormatter as ClickHelpFormatter
from typer._click import exceptions as click_exceptions
from typer._types import TyperChoice as Choice  # what Typer makes of an Enum's values

__all__ = ["Choice", "ClickContext", "ClickHelpFormatter", "click_exceptions", "set_completer"]


def set_completer(param: Any, complete: Callable[[str], list[tuple[str, str]]]) -> None:
    """Make click parameter `param` complete with (value, help) pairs from `complete`.

    Typer's own `autocompletion=` keeps only candidates that start with the typed word,
    which would drop completion by Chinese name; so the click parameter gets it directly.
    """
    from typer._click.shell_completion import CompletionItem

    def items(ctx: Any, param: Any, incomplete: str) -> list[Any]:
        return [CompletionItem(value, help=text) for value, text in complete(incomplete)]

    param._custom_shell_complete = items
