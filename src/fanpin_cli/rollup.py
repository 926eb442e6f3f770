"""Roll county figures up to the city (placeholder for the rollup rule until it lands)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fanpin_cli.model import Dataset, Finding


def check_rollup(dataset: Dataset, index: Any, count: Callable[[], None]) -> Iterator[Finding]:
    """County totals against the city's own figure (added with multi-region support)."""
    return iter(())
