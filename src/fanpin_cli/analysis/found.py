"""Findings about rows of the records as columns (core.columns), in the dataset's order."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

from fanpin_cli.core.columns import Columns
from fanpin_cli.core.labels import message
from fanpin_cli.core.model import Finding

Counter = Callable[..., None]  # count() or count(times): checks made


class Found:
    """Findings of one rule, each at its record's place, given back in the dataset's order."""

    def __init__(self, columnar: Columns) -> None:
        self.columnar = columnar
        self.found: list[tuple[int, int, Finding]] = []

    def add(self, row: int, code: str, *args: str, at: int | None = None, **kw: str | None) -> None:
        """A finding about the record at `row`: message `code` of labels.MESSAGES; in the
        order of the record at row `at` when the rule found it there (a ratio whose
        numerator's unit does not fit: the finding names the numerator)."""
        t = self.columnar
        finding = Finding(
            rule=code.partition(".")[0],
            severity="warning" if kw.pop("warning", None) else "error",
            message=message(code, args, "en"),
            indicators=(t["id"][row],),
            expected=kw.get("expected"),
            actual=kw.get("actual"),
            file=t["file"][row],
            line=t["line"][row],
            code=code,
            args=args,
        )
        self.found.append((t.place(row if at is None else at), len(self.found), finding))

    def in_order(self) -> list[Finding]:
        return [f for _, _, f in sorted(self.found, key=itemgetter(0, 1))]
