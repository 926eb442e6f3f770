"""Rows: the plain dicts every formatter consumes, and the record columns of the CSV contract."""

from __future__ import annotations

from decimal import Decimal
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


def indicator_row(ind: Indicator, region: Region | None) -> Row:
    """One indicator as a row with the contract's columns; missing values are None."""
    return {
        "id": ind.id,
        "section": ind.section,
        "name_zh": ind.name_zh,
        "name_en": ind.name_en,
        "value": ind.value,
        "unit": ind.unit,
        "period": ind.period,
        "region_code": ind.region_code,
        "region_name_zh": region.name_zh if region else None,
        "region_name_en": region.name_en if region else None,
        "basis": ind.basis,
        "source": ind.source,
        "parts": Ids(ind.parts) if ind.parts else None,
        "ratio_numerator": ind.ratio[0] if ind.ratio else None,
        "ratio_denominator": ind.ratio[1] if ind.ratio else None,
        "subset_of": ind.subset_of,
        "note": ind.note,
        "_where": f"{ind.file}:{ind.line}",  # not a field: locates errors about this record
    }


def tidy(value: Decimal) -> Decimal:
    """A computed figure without the trailing zeros arithmetic adds (16741.0000 -> 16741)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
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
