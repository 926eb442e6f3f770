"""Rows: the plain dicts every formatter consumes, and the record columns of the CSV contract."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Context, Decimal
from typing import Any

from fanpin_cli.model import Indicator, Region
from fanpin_cli.schema import columns, fields

Row = dict[str, Any]


class Ids(list[str]):
    """A list of ids that prints as `a;b` (how CSV cells hold lists) and is a list in JSON."""

    def __str__(self) -> str:
        return ";".join(self)


# The CSV contract: these columns first, in this order (README "CSV columns").
INDICATOR_COLUMNS: tuple[str, ...] = tuple(c[0] for c in columns(Indicator))
REGION_NAMES = {"region_name_zh": "zh", "region_name_en": "en_"}  # region_code's joined
RowBuilder = Callable[[Indicator, "Region | None", bool], Row]
_BUILT: list[RowBuilder] = []


def _builder() -> RowBuilder:
    """indicator_row written out from the declaration (fanpin_cli.schema), as namedtuple
    writes its methods: one dict display a row keeps exports of 100,000 records fast."""
    items = []
    for n, (name, f) in enumerate(fields(Indicator)):
        if f.kind == "ratio" and f.export:
            items += [f"'{name}_{p}': ind[{n}][{i}] if ind[{n}] else None"
                      for i, p in enumerate(("numerator", "denominator"))]  # fmt: skip
        elif f.kind == "ids" and f.export:
            items.append(f"'{name}': Ids(ind[{n}]) if ind[{n}] else None")
        elif f.export:
            items.append(f"'{name}': ind[{n}]")
        items += [f"'{column}': {REGION_NAMES[column]}" for column, _, _ in f.joined]
    items += ["'name': ind.name_en if en else ind.name_zh",
              "'region': (en_ if en else zh) or ind.region_code",
              "'_where': f'{ind.file}:{ind.line}'"]  # fmt: skip
    source = (
        "def row(ind, region, en):\n"
        "    zh = region.name_zh if region else None\n"
        "    en_ = region.name_en if region else None\n"
        "    return {" + ", ".join(items) + "}\n"
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


# Rounding a computed figure (a percentage to 0.01, a sum to an integer) needs as many
# digits as the figure has; with figures below 1e18 and at most 9 decimals
# (load.problems.MAX_DECIMALS) even 1e18 / 1e-9 * 100 rounded to 0.01 fits in 60, where
# the default 28 would fail.
WIDE = Context(prec=60)


def tidy(value: Decimal) -> Decimal:
    """A computed figure without the trailing zeros arithmetic adds (16741.0000 -> 16741)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=WIDE)
    return value.normalize()


def at_scale(value: Decimal | None, *inputs: object) -> Decimal | None:
    """`value` with the decimal places of the most precise of `inputs`, when that is exact
    (a figure worked out from others is shown at their scale, not at arithmetic's)."""
    if value is None:
        return None
    places = [
        -e
        for x in inputs
        if isinstance(x, (int, Decimal)) and isinstance(e := Decimal(x).as_tuple().exponent, int)
    ]
    if not places:
        return value
    scaled = value.quantize(Decimal(1).scaleb(-max(0, *places)), context=WIDE)
    return scaled if scaled == value else value


def format_number(value: object) -> str:
    """A number exactly as reported: 3.1800 stays 3.1800, integers stay integers."""
    if isinstance(value, Decimal):
        text = str(value)
        if "E" in text or "e" in text:  # 1E+3 from TOML 1e3: show it positionally
            text = format(value, "f")
        return text
    return str(value)


def cell_text(value: object) -> str:
    """A cell as plain text for csv, tsv, markdown and tables ('' for missing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format_number(value)
    if isinstance(value, (list, tuple)):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={cell_text(v)}" for k, v in value.items())
    return str(value)
