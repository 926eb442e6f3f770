"""Problems found while loading: where they go, how values are named in messages, numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from fanpin_cli.errors import DataError
from fanpin_cli.load.text import Lines
from fanpin_cli.model import Finding

MAX_ABS = 10**18  # beyond SQLite's int64 and any plausible figure
# At most this many digits after the decimal point: with MAX_ABS, every figure fits the
# 28 significant digits of decimal arithmetic, so comparisons and changes stay exact, and
# `1e-999999999` is an error, not a billion zeros printed (README "Reliability").
MAX_DECIMALS = 9


class Problems:
    """Schema problems found while loading; strict loading raises at the first error."""

    __slots__ = ("found", "strict")

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.found: list[Finding] = []

    def extend(self, findings: Iterable[Finding]) -> None:
        self.found.extend(findings)

    def add(
        self,
        message: str,
        *,
        path: str,
        line: int,
        ids: Sequence[str] = (),
        severity: str = "error",
        rule: str = "schema",
    ) -> None:
        if self.strict and severity == "error" and rule == "schema":
            raise DataError(message, path=path, line=line)
        self.found.append(
            Finding(
                rule=rule,
                severity="error" if severity == "error" else "warning",
                message=message,
                indicators=tuple(ids),
                file=path,
                line=line,
            )
        )


class FileContext:
    """One file being read: its path and lines (for line numbers) and where problems go."""

    __slots__ = ("lines", "path", "problems")

    def __init__(self, path: str, lines: Lines, problems: Problems) -> None:
        self.path = path
        self.lines = lines
        self.problems = problems

    def line_of(self, start: int, key: str | None) -> int:
        return self.lines.key(start, key) if key else start

    def bad(self, start: int, key: str | None, message: str, ids: Sequence[str] = ()) -> None:
        self.problems.add(message, path=self.path, line=self.line_of(start, key), ids=ids)

    def warn(self, line: int, message: str, ids: Sequence[str] = ()) -> None:
        self.problems.add(message, path=self.path, line=line, ids=ids, severity="warning")


_TYPE_NAMES = {bool: "boolean", int: "integer", Decimal: "float", str: "string", list: "array"}


def kind_of(value: object) -> str:
    """'an integer', 'a string', ... for error messages."""
    name = "table" if isinstance(value, dict) else _TYPE_NAMES.get(type(value))
    name = name or type(value).__name__
    return ("an " if name[0] in "aeiou" else "a ") + name


def positional(value: Decimal) -> Decimal:
    """1E+3 (from TOML `1e3`) as 1000, so that every output writes digits, not exponents."""
    exponent = value.as_tuple().exponent
    return Decimal(format(value, "f")) if isinstance(exponent, int) and exponent > 0 else value


def check_number(value: object) -> str | None:
    """Why `value` is not an acceptable figure, or None when it is."""
    number: int | Decimal
    if isinstance(value, bool):
        return "must be a number, not a boolean"
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal):
        if not value.is_finite():
            return f"must be a finite number, not {value}"
        number = value
    else:
        return f"must be a number, not {kind_of(value)}"
    if not -MAX_ABS < number < MAX_ABS:
        return "is too large (1e18 or more) to be a plausible figure"
    if isinstance(number, Decimal) and number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
        return f"has more than {MAX_DECIMALS} decimal places"
    return None
