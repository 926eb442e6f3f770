"""Problems found while loading: where they go, how values are named in messages, numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from operator import itemgetter

from fanpin_cli.core import labels
from fanpin_cli.core.errors import DataError
from fanpin_cli.core.model import Finding, Indicator
from fanpin_cli.core.schema import KEY_POSITIONS
from fanpin_cli.reading.load.text import Lines

MAX_ABS = 10**18  # beyond SQLite's int64 and any plausible figure
MAX_DIGITS = 18  # digits before the point of a figure below MAX_ABS, less one
# At most this many digits after the decimal point: with MAX_ABS, every figure fits the
# 28 significant digits of decimal arithmetic, so comparisons and changes stay exact, and
# `1e-999999999` is an error, not a billion zeros printed (README "Reliability").
MAX_DECIMALS = 9
Reason = tuple[str, ...]  # (code, *args) of fanpin_cli.core.labels.MESSAGES


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
        said: Reason | str,
        *,
        path: str,
        line: int,
        ids: Sequence[str] = (),
        severity: str = "error",
        rule: str = "schema",
    ) -> None:
        """A problem: `said` is (code, *args) of labels.MESSAGES (or English text alone)."""
        code, args = ("", ()) if isinstance(said, str) else (said[0], said[1:])
        message = labels.message(code, args, "en") if code else str(said)
        if self.strict and severity == "error" and rule == "schema":
            raise DataError(message, path=path, line=line, reason=(code, *args) if code else ())
        self.found.append(
            Finding(
                rule=rule,
                severity="error" if severity == "error" else "warning",
                message=message,
                indicators=tuple(ids),
                file=path,
                line=line,
                code=code,
                args=args,
            )
        )


_KEY = itemgetter(*KEY_POSITIONS)
Repeated = Callable[[Indicator, Indicator], tuple[Reason | str, int]]


def _repeated_record(ind: Indicator, first: Indicator) -> tuple[Reason, int]:
    """A repeated record is an error at its line naming the first."""
    reason = ("schema.duplicate", ind.id, ind.region_code, ind.period, first.file, str(first.line))
    return reason, ind.line


def unique(
    indicators: Iterable[Indicator], problems: Problems, repeated: Repeated = _repeated_record
) -> list[Indicator]:
    """`indicators` without repeats of (id, region, period); each repeat is a schema error,
    said as `repeated(record, first)` says: (message, line)."""
    indicators = list(indicators)
    keys = list(map(_KEY, indicators))
    if len(set(keys)) == len(keys):  # the usual case, checked at C speed
        return indicators
    seen: dict[tuple[str, str, str], Indicator] = {}
    out: list[Indicator] = []
    for ind, key in zip(indicators, keys, strict=True):
        first = seen.get(key)
        if first is None:
            seen[key] = ind
            out.append(ind)
            continue
        said, line = repeated(ind, first)
        problems.add(said, path=ind.file, line=line, ids=[ind.id])
    return out


class FileContext:
    """One file being read: its path and lines (for line numbers) and where problems go."""

    __slots__ = ("lines", "path", "problems")

    def __init__(self, path: str, lines: Lines, problems: Problems) -> None:
        self.path = path
        self.lines = lines
        self.problems = problems

    def line_of(self, start: int, key: str | None) -> int:
        return self.lines.key(start, key) if key else start

    def bad(self, start: int, key: str | None, said: Reason, ids: Sequence[str] = ()) -> None:
        self.problems.add(said, path=self.path, line=self.line_of(start, key), ids=ids)

    def warn(self, line: int, said: Reason, ids: Sequence[str] = ()) -> None:
        self.problems.add(said, path=self.path, line=line, ids=ids, severity="warning")


def joined(subject: Reason, said: Reason) -> Reason:
    """`said` about `subject` (("of.target", id) and ("schema.missing", "value"), say)."""
    return (f"{subject[0]}+{said[0]}", *subject[1:], *said[1:]) if subject else said


_TYPE_NAMES = {bool: "boolean", int: "integer", Decimal: "float", str: "string", list: "array"}


def kind_of(value: object) -> str:
    """'integer', 'string', ... (TOML's names; labels.TYPES says them in a message)."""
    name = "table" if isinstance(value, dict) else _TYPE_NAMES.get(type(value))
    return name or type(value).__name__


def positional(value: Decimal) -> Decimal:
    """1E+3 (from TOML `1e3`) as 1000, so that every output writes digits, not exponents.

    Only a figure that can be in range is written out: `1e999999999` would be a billion
    digits (13 s and 2.4 GB; `1e99999999999` a MemoryError) only to be refused as too
    large. A zero keeps no exponent (0E+99999999999 is 0)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent <= 0:
        return value
    if not value:
        return Decimal(0)
    return Decimal(format(value, "f")) if value.adjusted() <= MAX_DIGITS else value


def check_number(value: object, name: str) -> Reason | None:
    """Why `value` of the field `name` is not an acceptable figure, or None when it is."""
    number: int | Decimal
    if isinstance(value, bool):
        return ("schema.boolean", name)
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal):
        if not value.is_finite():
            return ("schema.infinite", name, str(value))
        number = value
    else:
        return ("schema.number", name, kind_of(value))
    if not -MAX_ABS < number < MAX_ABS:
        return ("schema.too_large", name)
    if isinstance(number, Decimal) and number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
        return ("schema.decimals", name, str(MAX_DECIMALS))
    return None
