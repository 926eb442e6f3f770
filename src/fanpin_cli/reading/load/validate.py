"""Records checked against their declaration in fanpin_cli.core.schema: one set of rules.

`Rules(record).check` judges a TOML table field by field and reports every problem with its
line; `Rules(record).fast` accepts only a plainly valid table, without composing any
message, for 100,000-record datasets (anything unusual returns None and `check` says why).
Both read the same declaration, and tests/core/test_schema.py holds them to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import attrgetter, is_not
from typing import Any

from fanpin_cli.core.schema import DatasetMeta, Field, fields, keys, matcher
from fanpin_cli.core.units import UNITS
from fanpin_cli.reading.load.problems import (
    MAX_ABS,
    MAX_DECIMALS,
    FileContext,
    Reason,
    check_number,
    joined,
    kind_of,
    positional,
)

BAD: Any = object()  # what a fast-path test returns for a value it does not accept
# what a value of the wrong type is told, by field kind (codes of labels.MESSAGES)
HINTS = {
    "text": "schema.not_text", "flag": "schema.flag", "ids": "schema.ids",
    "ratio": "schema.ratio", "table": "schema.table",
}  # fmt: skip


def _flag(raw: object) -> bool | None:
    return raw if type(raw) is bool else None


def _ids(raw: object) -> tuple[str, ...] | None:
    if type(raw) is list and all(type(p) is str for p in raw):
        return tuple(raw)
    return None


def _ratio(raw: object) -> tuple[str, str] | None:
    if type(raw) is dict and len(raw) == 2:
        num, den = raw.get("numerator"), raw.get("denominator")
        if type(num) is str and type(den) is str:
            return (num, den)
    return None


CONVERT: dict[str, Callable[[Any], Any]] = {"flag": _flag, "ids": _ids, "ratio": _ratio}


def _number(raw: object) -> object:
    if type(raw) is int:
        return raw if -MAX_ABS < raw < MAX_ABS else BAD
    if type(raw) is Decimal and raw.is_finite() and -MAX_ABS < raw < MAX_ABS:
        exponent = raw.as_tuple().exponent
        return BAD if exponent < -MAX_DECIMALS else positional(raw)  # type: ignore[operator]
    return BAD


def text_problem(f: Field, name: str, value: str) -> Reason | None:
    """What is wrong with a string value of a text or unit field, or None."""
    if f.nonempty and not value.strip():
        return ("schema.empty", name)
    if f.kind == "unit" and value not in UNITS and value not in f.choices:
        return ("schema.unit", value)
    if (f.kind != "unit" and f.choices and value not in f.choices) or (
        f.pattern and not matcher(f.pattern).match(value)
    ):
        spaced = " ".join(f.choices)
        return (f.wrong or "schema.choice", name, value, ", ".join(f.choices), spaced)
    return None


class Rules:
    """The checks of one record type, read from its declaration."""

    def __init__(self, record: type[Any], skip: frozenset[str] = frozenset()) -> None:
        self.record = record
        self.fields = [(n, f) for n, f in fields(record) if f.read and n not in skip]
        self.keys = keys(record)
        self.empty = record._field_defaults  # what a missing optional field holds

    def check(
        self,
        rec: dict[str, Any],
        ctx: FileContext,
        start: int,
        prefix: Reason = (),
        ids: Sequence[str] = (),
        defaults: DatasetMeta | None = None,
        keyed: bool = True,
    ) -> dict[str, Any] | None:
        """The table's values by field name, or None after reporting each problem.

        `keyed` points each problem at its key's line; otherwise at `start` (a nested table).
        """
        values: dict[str, Any] = {}
        ok = True
        for name, f in self.fields:
            key = f.key or name
            raw = rec.get(key)
            if raw is None and f.default and defaults is not None:
                raw = getattr(defaults, f.default)
            at: str | None = key if keyed else None
            why: Reason | None = None
            value: Any = raw
            if raw is None:
                value = self.empty.get(name)
                if f.required:
                    code = HINTS["table"] if f.kind == "table" else "schema.missing"
                    why, at = (code + ("+schema.no_default" if f.default else ""), key), None
            elif f.kind in ("text", "unit"):
                if type(raw) is not str:
                    why = (f.hint or HINTS["text"], key, kind_of(raw))
                else:
                    why = text_problem(f, key, raw)
            elif f.kind == "number":
                why = check_number(raw, key)
                value = positional(raw) if type(raw) is Decimal else raw
            elif f.kind == "table":
                value = self._table(name, raw, ctx, start, prefix, ids, keyed)
                ok = ok and value is not None
            else:
                value = CONVERT[f.kind](raw)
                why = None if value is not None else (HINTS[f.kind], key)
            if why is not None:
                ctx.bad(start, at, joined(prefix, why), ids)
                ok = False
            values[name] = value
        for extra in sorted(set(rec) - self.keys):
            line = ctx.line_of(start, extra) if keyed else start
            ctx.warn(line, joined(prefix, ("schema.unknown_key", extra)), ids)
        return values if ok else None

    def _table(
        self,
        name: str,
        raw: object,
        ctx: FileContext,
        start: int,
        prefix: Reason,
        ids: Sequence[str],
        keyed: bool,
    ) -> Any:
        """A nested record (a target's basis), or None after reporting why not."""
        inner = self.record.__annotations__[name].__origin__
        if type(raw) is not dict:
            ctx.bad(start, name if keyed else None, joined(prefix, (HINTS["table"], name)), ids)
            return None
        line = ctx.line_of(start, name) if keyed else start
        sub = Rules(inner).check(
            raw, ctx, line, joined(prefix, ("of.table", name)), ids, keyed=False
        )
        return inner(**sub) if sub is not None else None

    # ------------------------------------------------------------ the fast path

    def fast(
        self, defaults: DatasetMeta, fixed: dict[str, Any], extra: dict[str, Callable[[str], bool]]
    ) -> Callable[[object, int], Any]:
        """A builder of plainly valid records: `build(table, line)` gives the record or None.

        `fixed` holds the values the loader supplies (section, file); `extra` adds a test
        to a text field (an id in this file's section). Every distinct text value is kept
        once, so records of one indicator across regions and periods share their strings
        (less memory, and marshal writes references).
        """
        record, allowed = self.record, self.keys
        plan: list[tuple[str | None, Any, Callable[[Any], Any]]] = []
        for name, f in fields(self.record):
            if not f.read:
                plan.append((None, None, _const(fixed[name]) if f.kind != "integer" else _same))
                continue
            default = getattr(defaults, f.default) if f.default else None
            plan.append((f.key or name, default, self._test(name, f, extra.get(name))))
        new = tuple.__new__

        def build(rec: object, line: int) -> Any:
            if type(rec) is not dict or not allowed.issuperset(rec):
                return None
            get = rec.get
            out = []
            for key, default, test in plan:
                value = test(get(key, default) if key is not None else line)
                if value is BAD:
                    return None
                out.append(value)
            return new(record, out)

        return build

    def fast_columns(
        self, defaults: DatasetMeta, fixed: dict[str, Any], extra: dict[str, Callable[[str], bool]]
    ) -> Callable[[list[Any], list[int]], list[list[Any]] | None]:
        """`fast` for a whole file at once: `build(tables, lines)` gives every record's
        values as columns (one list per field, in field order), or None unless every table
        is one `fast` accepts, when it gives exactly what `fast` gives record by record.

        Each column is judged as a whole: its types at C speed, each distinct text once
        (the records of one indicator repeat its names and unit across regions and periods,
        and every record of a file its period and region), figures by their extremes. Every
        distinct text value is kept once, as `fast` keeps it.
        """
        allowed = self.keys
        plan: list[tuple[str, Any, Field, Callable[[Any], Any] | None]] = []
        for name, f in fields(self.record):
            if not f.read:
                plan.append((name, fixed.get(name), f, None))
                continue
            default = getattr(defaults, f.default) if f.default else None
            plan.append((f.key or name, default, f, self._test(name, f, extra.get(name))))

        def build(tables: list[Any], lines: list[int]) -> list[list[Any]] | None:
            count = len(tables)
            if not count or set(map(type, tables)) != {dict}:
                return None
            present = set().union(*tables)
            if not allowed.issuperset(present):
                return None
            out: list[list[Any]] = []
            for key, default, f, test in plan:
                if test is None:  # filled in by the loader: section, file, line
                    column = list(lines) if f.kind == "integer" else [default] * count
                elif key in present:
                    raw = list(map(dict.get, tables, repeat(key), repeat(default)))
                    judged = _column(raw, f, test)
                    if judged is None:
                        return None
                    column = judged
                else:  # no table has it: every record holds the default, or nothing
                    value = test(default)
                    if value is BAD:
                        return None
                    column = [value] * count
                out.append(column)
            return out

        return build

    def _test(
        self, name: str, f: Field, extra: Callable[[str], bool] | None
    ) -> Callable[[Any], Any]:
        """A test of one field's raw value: the value to store, or BAD."""
        required, empty = f.required, self.empty.get(name)
        if f.kind in ("text", "unit"):
            memo: dict[str, str] = {}

            def text(raw: Any) -> Any:
                if type(raw) is str:
                    seen = memo.get(raw)
                    if seen is not None:
                        return seen
                    if text_problem(f, name, raw) is None and (extra is None or extra(raw)):
                        memo[raw] = raw
                        return raw
                    return BAD
                return BAD if raw is not None or required else empty

            return text
        if f.kind == "number":
            return lambda raw: empty if raw is None and not required else _number(raw)
        convert: Callable[[Any], Any] = CONVERT.get(f.kind, _nothing)

        def other(raw: Any) -> Any:
            if raw is None:
                return BAD if required else empty
            value = convert(raw)
            return BAD if value is None else value

        return other


_NONE = type(None)
_TEXT_TYPES = frozenset({str, _NONE})
_NUMBER_TYPES = frozenset({int, Decimal, _NONE})
_MIN_EXPONENT = -MAX_DECIMALS


def _column(raw: list[Any], f: Field, test: Callable[[Any], Any]) -> list[Any] | None:
    """One field's raw values as `test` stores each of them, or None if it refuses any."""
    if f.kind in ("text", "unit"):
        try:
            distinct = set(raw)
        except TypeError:  # an array or a table
            return None
        if not _TEXT_TYPES.issuperset(map(type, distinct)):
            return None
        stored = {value: test(value) for value in distinct}  # each distinct value once
        if BAD in stored.values():
            return None
        return list(map(stored.__getitem__, raw))
    types = set(map(type, raw))
    if types == {_NONE}:  # an optional field no record uses
        empty = test(None)
        return None if empty is BAD else [empty] * len(raw)
    if f.kind == "number":
        return _numbers(raw, types, test)
    empty = test(None)  # the few values given are judged one by one
    if empty is BAD and _NONE in types:
        return None
    column = [empty] * len(raw)
    for n in compress(range(len(raw)), map(is_not, raw, repeat(None))):
        value = column[n] = test(raw[n])
        if value is BAD:
            return None
    return column


def _numbers(raw: list[Any], types: set[type], test: Callable[[Any], Any]) -> list[Any] | None:
    """A figure column as `_number` judges each figure: within the limits, at most
    MAX_DECIMALS decimals, exponents written out (1E+3 as 1000)."""
    if not _NUMBER_TYPES.issuperset(types):
        return None
    present = raw
    if _NONE in types:
        empty = test(None)
        if empty is BAD:
            return None
        present = [value for value in raw if value is not None]
        if empty is not None:
            raw = [empty if value is None else value for value in raw]
    try:  # a NaN refuses to be compared; an infinity is out of range
        if not (min(present) > -MAX_ABS and max(present) < MAX_ABS):
            return None
    except ArithmeticError:
        return None
    if Decimal not in types:
        return raw
    decimals = [value for value in present if type(value) is Decimal]
    # A finite Decimal prints without an exponent when its exponent is <= 0 and it is not
    # tiny; then its decimals are the digits after its point, looked for at C speed.
    printed = "\n".join(map(str, decimals))
    if "E" not in printed:
        return None if _TOO_PRECISE.search(printed) else raw
    exponents = list(map(_EXPONENT, map(Decimal.as_tuple, decimals)))
    if min(exponents) < _MIN_EXPONENT:
        return None
    if max(exponents) > 0:  # 1E+3 written as 1000, as `_number` does
        return [positional(v) if type(v) is Decimal else v for v in raw]
    return raw


_EXPONENT = attrgetter("exponent")
_TOO_PRECISE = re.compile(rf"\.[0-9]{{{MAX_DECIMALS + 1}}}")


def _nothing(raw: Any) -> None:
    return None


def _const(value: Any) -> Callable[[Any], Any]:
    return lambda _: value


def _same(value: Any) -> Any:
    return value
