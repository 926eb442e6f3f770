"""Rows: the plain dicts every formatter consumes, and the record columns of the CSV contract."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache
from operator import itemgetter
from typing import Any, overload

from fanpin_cli.core.model import Indicator, Region
from fanpin_cli.core.schema import NAME_COLUMNS, columns, fields

Row = dict[str, Any]


class Ids(list[str]):
    """A list of ids that prints as `a;b` (how CSV cells hold lists) and is a list in JSON."""

    def __str__(self) -> str:
        return ";".join(self)


# The CSV contract: these columns first, in this order (docs/csv-columns.md).
INDICATOR_COLUMNS: tuple[str, ...] = tuple(c[0] for c in columns(Indicator))
REGION_NAMES = {"region_name_zh": "zh", "region_name_en": "en_"}  # region_code's joined
RowBuilder = Callable[[Indicator, "Region | None", bool], Row]
_BUILT: list[RowBuilder] = []


@cache
def _items() -> list[tuple[str, str, bool]]:
    """(key, expression, text) of every key of an indicator row, from the declaration
    (fanpin_cli.core.schema): each expression reads the record `ind`, its region's names `zh`
    and `en_` (None without a region) and `en` (English wanted); `text`: its values are
    only str or None."""
    items: list[tuple[str, str, bool]] = []
    for n, (name, f) in enumerate(fields(Indicator)):
        if f.kind == "ratio" and f.export:
            items += [(f"{name}_{p}", f"ind[{n}][{i}] if ind[{n}] else None", True)
                      for i, p in enumerate(("numerator", "denominator"))]  # fmt: skip
        elif f.kind == "ids" and f.export:
            items.append((name, f"Ids(ind[{n}]) if ind[{n}] else None", False))
        elif f.export:
            items.append((name, f"ind[{n}]", f.kind in ("text", "unit")))
        items += [(column, REGION_NAMES[column], True) for column, _, _ in f.joined]
    items += [("name", "ind.name_en if en else ind.name_zh", True),
              ("region", "(en_ if en else zh) or ind.region_code", True),
              ("_where", "f'{ind.file}:{ind.line}'", True)]  # fmt: skip
    return items


def _builder() -> RowBuilder:
    """indicator_row written out from the declaration (fanpin_cli.core.schema), as namedtuple
    writes its methods: one dict display a row keeps exports of 100,000 records fast."""
    source = (
        "def row(ind, region, en):\n"
        "    zh = region.name_zh if region else None\n"
        "    en_ = region.name_en if region else None\n"
        "    return {" + ", ".join(f"'{key}': {expr}" for key, expr, _ in _items()) + "}\n"
    )
    namespace: dict[str, Any] = {"Ids": Ids}
    exec(source, namespace)
    built: RowBuilder = namespace["row"]
    return built


def indicator_row(ind: Indicator, region: Region | None, en: bool = False) -> Row:
    """One indicator as a row: the contract's columns, plus `name`, `region` (in English
    when `en`) and `_where` (file:line, to locate errors) for views. Missing values are None.
    """
    if not _BUILT:
        _BUILT.append(_builder())  # written out once, on first use
    return _BUILT[0](ind, region, en)


ColumnBuilder = Callable[[Sequence[Indicator], "dict[str, Region]", bool], list[Any]]
_COLUMNS: dict[str, ColumnBuilder] = {}
_REGION_CODE = Indicator._fields.index("region_code")
_TEXTS: set[str] = set()


def _column_builder(key: str) -> ColumnBuilder:
    """A function giving one key's values for many records, as `indicator_row` has them:
    a plain field read by `itemgetter` in C, ids and ratio parts by closures (compiling
    each costs more than a small export), the rest written out from the same expressions."""
    expr = {k: e for k, e, _ in _items()}[key]
    if expr.startswith("ind[") and expr.endswith("]") and expr[4:-1].isdigit():  # ind[3]
        get = itemgetter(int(expr[4:-1]))
        return lambda records, regions, en: list(map(get, records))
    kind, at, part = _of_field(key)
    if kind == "ids":  # Ids(ind[n]) if ind[n] else None, without compiling it
        get = itemgetter(at)
        return lambda records, regions, en: [Ids(v) if v else None for v in map(get, records)]
    if kind == "ratio":  # ind[n][part] if ind[n] else None
        get = itemgetter(at)
        return lambda records, regions, en: [v[part] if v else None for v in map(get, records)]
    name = dict(zip(("zh", "en_"), NAME_COLUMNS, strict=True)).get(expr)
    if name is not None:  # a region's name, looked up by the code of each record
        code = itemgetter(_REGION_CODE)

        def names(records: Sequence[Indicator], regions: dict[str, Region], en: bool) -> list[Any]:
            of = {c: getattr(r, name) for c, r in regions.items()}
            return list(map(of.get, map(code, records)))

        return names
    region = "" if key in ("name", "_where") or expr.startswith("ind[") else (
        " for r in [regions.get(ind.region_code)]"
        " for zh in [r.name_zh if r else None] for en_ in [r.name_en if r else None]"
    )  # fmt: skip
    source = f"def column(records, regions, en):\n    return [{expr} for ind in records{region}]\n"
    namespace: dict[str, Any] = {"Ids": Ids}
    exec(source, namespace)
    built: ColumnBuilder = namespace["column"]
    return built


def _of_field(key: str) -> tuple[str, int, int]:
    """(kind, field position, part) of an exported ids field or ratio part (`ratio_numerator`:
    part 0), else ("", -1, -1)."""
    for n, (name, f) in enumerate(fields(Indicator)):
        if f.kind == "ids" and f.export and key == name:
            return "ids", n, 0
        if f.kind == "ratio" and f.export and key in (f"{name}_numerator", f"{name}_denominator"):
            return "ratio", n, int(key.endswith("_denominator"))
    return "", -1, -1


class IndicatorRows(Sequence[Row]):
    """The rows of indicator records (`indicator_row`), each built when it is read; a
    formatter that wants only some keys reads them as columns, without a dict per row
    (CSV of a million records: fanpin_cli.writers.csvfmt)."""

    def __init__(self, records: Sequence[Indicator], regions: dict[str, Region], en: bool):
        self.records, self.regions, self.en = records, regions, en

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, at: int) -> Row: ...
    @overload
    def __getitem__(self, at: slice) -> list[Row]: ...
    def __getitem__(self, at: int | slice) -> Row | list[Row]:
        if isinstance(at, slice):
            return [self._row(ind) for ind in self.records[at]]
        return self._row(self.records[at])

    def __iter__(self) -> Iterator[Row]:
        return map(self._row, self.records)

    def _row(self, ind: Indicator) -> Row:
        return indicator_row(ind, self.regions.get(ind.region_code), self.en)

    def column(self, key: str) -> list[Any]:
        """Every row's value of `key` (as `[row[key] for row in rows]`)."""
        build = _COLUMNS.get(key)
        if build is None:
            build = _COLUMNS[key] = _column_builder(key)
        return build(self.records, self.regions, self.en)

    @staticmethod
    def texts(key: str) -> bool:
        """Whether `key`'s values are only str or None (not numbers, not lists)."""
        if not _TEXTS:
            _TEXTS.update(k for k, _, text in _items() if text)
        return key in _TEXTS

    def cells(self, keys: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """Every row's values of `keys`, a tuple per row."""
        return zip(*map(self.column, keys), strict=True)
