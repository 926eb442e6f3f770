"""Rows and columns for `fanpin compare`: value, target, gap, status, level and basis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from fanpin_cli.compare import RELATIVE_UNIT, STATUS_ZH, Comparison, summary
from fanpin_cli.formats.base import Column, Output
from fanpin_cli.model import Indicator, Region
from fanpin_cli.progress import status_text as progress_text
from fanpin_cli.rows import WIDE, Row, format_number, tidy

COMPARE_FIELDS = (
    "id",
    "name_zh",
    "name_en",
    "value",
    "unit",
    "period",
    "region_code",
    "region_name",
    "comparator",
    "target",
    "target_unit",
    "relative_to",
    "reference_value",
    "threshold",
    "gap",
    "gap_percent",
    "status",
    "status_zh",
    "level",
    "target_year",
    "confidence",
    "basis_title",
    "basis_issuer",
    "basis_year",
    "basis_quote",
    "basis_url",
    "basis_note",
    "reason",
    "progress_status",
    "progress_ratio",
    "progress_departure",
)

COMPARE_VIEW = (
    Column("name", "指标", "Indicator"),
    Column("region_name", "地区", "Region", "label"),
    Column("period", "期间", "Period", "label"),
    Column("value_text", "数值", "Value", "number"),
    Column("target_text", "目标", "Target", "label"),
    Column("gap_text", "差距", "Gap", "number"),
    Column("gap_percent", "差距%", "Gap %", "number"),
    Column("progress", "进度", "Progress", "bar"),
    Column("status_text", "状态", "Status", "label"),
    Column("level", "层级", "Level", "label"),
    Column("confidence", "可信度", "Confidence", "label"),
    Column("basis_short", "依据", "Basis"),
)


def _tidy(value: Decimal | None) -> Decimal | None:
    return None if value is None else tidy(value)


def _ratio(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).quantize(Decimal("0.0001"), context=WIDE)


def comparison_row(c: Comparison, lang: str, regions: Mapping[str, Region] | None = None) -> Row:
    """One comparison as a row with COMPARE_FIELDS plus the table's display keys."""
    t, ind, ref = c.target, c.indicator, c.reference
    basis = t.basis
    gap_percent = None
    if c.gap_share is not None:
        gap_percent = (c.gap_share * 100).quantize(Decimal("0.01"), context=WIDE)
    value = _tidy(c.value)
    threshold = _tidy(c.target_value)
    unit = c.unit
    target_text = f"{t.comparator} {format_number(t.value)}{t.unit}"
    if t.relative_to is not None:
        ref_value = "?" if ref is None or ref.value is None else format_number(ref.value)
        target_text = f"{t.comparator} {format_number(t.value)}{RELATIVE_UNIT}{ref_value}"
    name_zh = ind.name_zh if ind else ""
    name_en = ind.name_en if ind else ""
    row: Row = {
        "id": t.indicator_id,
        "name_zh": name_zh,
        "name_en": name_en,
        "value": value,
        "unit": unit,
        "period": ind.period if ind else None,
        "region_code": ind.region_code if ind else None,
        "region_name": _region_name(ind, regions or {}, lang),
        "comparator": t.comparator,
        "target": t.value,
        "target_unit": t.unit,
        "relative_to": t.relative_to,
        "reference_value": ref.value if ref else None,
        "threshold": threshold,
        "gap": _tidy(c.gap),
        "gap_percent": gap_percent,
        "status": c.status,
        "status_zh": STATUS_ZH[c.status],
        "level": t.level,
        "target_year": t.target_year,
        "confidence": basis.confidence,
        "basis_title": basis.title,
        "basis_issuer": basis.issuer,
        "basis_year": basis.year,
        "basis_quote": basis.quote,
        "basis_url": basis.url,
        "basis_note": basis.note,
        "reason": c.reason or None,
        "progress_status": c.progress.status if c.progress else None,
        "progress_ratio": _ratio(c.progress.ratio) if c.progress else None,
        "progress_departure": (c.progress.departure or None) if c.progress else None,
    }
    row["name"] = name_en if lang == "en" else name_zh
    row["value_text"] = "" if value is None else f"{format_number(value)}{unit}"
    row["target_text"] = target_text
    row["gap_text"] = "" if c.gap is None else f"{format_number(_tidy(c.gap))}{unit}"
    row["progress"] = c.share_of_target
    row["status_text"] = c.status if lang == "en" else STATUS_ZH[c.status]
    row["basis_short"] = f"{basis.issuer} {basis.year}"
    if c.progress is not None:
        row["status_text"] = f"{row['status_text']} / {progress_text(c.progress, lang)}"
    return row


def _region_name(ind: Indicator | None, regions: Mapping[str, Region], lang: str) -> str | None:
    region = regions.get(ind.region_code) if ind else None
    return region.name(lang) if region else None


def compare_output(
    results: Sequence[Comparison], lang: str, regions: Sequence[Region] = ()
) -> Output:
    """The compare table: every comparison and a summary line counting each status."""
    by_code = {r.code: r for r in regions}
    return Output(
        rows=[comparison_row(c, lang, by_code) for c in results],
        fields=COMPARE_FIELDS,
        columns=COMPARE_VIEW,
        summary=summary(results, lang),
    )
