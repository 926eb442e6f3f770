"""Rows: the plain dicts every formatter consumes, and the record columns of the CSV contract."""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from fanpin_cli.model import Indicator, Region

Row = dict[str, Any]


class Ids(list[str]):
    """A list of ids that prints as `a;b` (how CSV cells hold lists) and is a list in JSON."""

    def __str__(self) -> str:
        return ";".join(self)


# The CSV contract: these columns first, in this order (README "CSV columns").
INDICATOR_COLUMNS: tuple[str, ...] = (
    "id",
    "section",
    "name_zh",
    "name_en",
    "value",
    "unit",
    "period",
    "region_code",
    "region_name_zh",
    "region_name_en",
    "basis",
    "source",
    "parts",
    "ratio_numerator",
    "ratio_denominator",
    "subset_of",
    "note",
)


def indicator_row(ind: Indicator, region: Region | None, en: bool = False) -> Row:
    """One indicator as a row: the contract's columns, plus `name` and `region` for views
    (in English when `en`).

    Missing values are None. Built in one go: exports of 100,000 records build 100,000 rows.
    """
    zh_region = region.name_zh if region else None
    en_region = region.name_en if region else None
    ratio = ind.ratio
    return {
        "id": ind.id,
        "section": ind.section,
        "name_zh": ind.name_zh,
        "name_en": ind.name_en,
        "value": ind.value,
        "unit": ind.unit,
        "period": ind.period,
        "region_code": ind.region_code,
        "region_name_zh": zh_region,
        "region_name_en": en_region,
        "basis": ind.basis,
        "source": ind.source,
        "parts": Ids(ind.parts) if ind.parts else None,
        "ratio_numerator": ratio[0] if ratio else None,
        "ratio_denominator": ratio[1] if ratio else None,
        "subset_of": ind.subset_of,
        "note": ind.note,
        "name": ind.name_en if en else ind.name_zh,
        "region": (en_region if en else zh_region) or ind.region_code,
        "_where": f"{ind.file}:{ind.line}",  # not a field: locates errors about this record
    }


# Rounding a computed figure (a percentage to 0.01, a sum to an integer) needs as many
# digits as the figure has; with figures below 1e18 and at most 9 decimals (load.MAX_DECIMALS)
# even 1e18 / 1e-9 * 100 rounded to 0.01 fits in 60, where the default 28 would fail.
WIDE = Context(prec=60)


def tidy(value: Decimal) -> Decimal:
    """A computed figure without the trailing zeros arithmetic adds (16741.0000 -> 16741)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=WIDE)
    return value.normalize()


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
