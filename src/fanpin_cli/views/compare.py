"""The view of `fanpin compare`: value, target, gap, status, level and basis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from fanpin_cli.analysis.compare import STATUSES, Comparison, compare
from fanpin_cli.analysis.filters import check, nothing_matched
from fanpin_cli.analysis.query import Selection, select
from fanpin_cli.core.decimals import at_scale, derived, format_number
from fanpin_cli.core.errors import ExitCode
from fanpin_cli.core.labels import caveat_text, compare_summary, name, progress_status, say, term
from fanpin_cli.core.model import Dataset, Region
from fanpin_cli.core.schema import NAME_COLUMNS, names
from fanpin_cli.core.target_kind import RELATIVE_UNIT
from fanpin_cli.reading.load import Where
from fanpin_cli.views.output import Output, column
from fanpin_cli.views.rows import Row

COMPARE_FIELDS = (
    "id", *NAME_COLUMNS, "value", "unit", "period", "region_code", "region_name",
    "comparator", "target", "target_unit", "kind", "relative_to", "reference_value", "per",
    "per_value", "threshold", "gap", "gap_percent", "status", "status_zh", "level",
    "target_year", "confidence", "basis_title", "basis_issuer", "basis_year", "basis_quote",
    "basis_url", "basis_note", "reason", "caveat", "progress_status", "progress_ratio",
    "progress_departure",
)  # fmt: skip

COMPARE_VIEW = (
    column("name"),
    column("region_name", "label", "region"),
    column("period", "label"),
    column("value_text", "number", "value", missing="not reported"),
    column("target_text", "label", "target"),
    column("gap_text", "number", "gap"),
    column("gap_percent", "number", optional=True),
    column("progress", "bar", optional=True),
    column("status_text", "label", "status"),
    column("level_text", "label", "level", optional=True),
    column("confidence_text", "label", "confidence", optional=True),
    column("basis_short", label="basis", optional=True),
)


def shown(c: Comparison) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Value, threshold and gap as compare (and chart) shows them.

    A value as written (or as converted to the target's unit); a relative threshold at its
    reference's scale (1.3 × 5580 is 7254, not 7254.0); the gap at the scale of both; an
    average, exact for the status, at its derived places (rows.PLACES).
    """
    t, ref = c.target, c.reference
    value, threshold = c.value, c.target_value
    if t.relative_to is not None and ref is not None and ref.value is not None:
        threshold = at_scale(threshold, ref.value)
    gap = at_scale(c.gap, value, threshold)  # 95 − 60.0 is 35.0; 7260 − 7254 is 6
    if t.per is not None:
        value, gap = _places(c.value), _places(c.gap)
    return value, threshold, gap


def _places(value: Decimal | None) -> Decimal | None:
    """An average at its derived places (rows.PLACES)."""
    return None if value is None else derived(value, "average")


def _ratio(value: float | None) -> Decimal | None:
    return None if value is None else derived(Decimal(repr(value)), "ratio")


def comparison_row(c: Comparison, lang: str, regions: Mapping[str, Region] | None = None) -> Row:
    """One comparison as a row with COMPARE_FIELDS plus the table's display keys."""
    t, ind, ref = c.target, c.indicator, c.reference
    basis = t.basis
    gap_percent = None
    if c.gap_share is not None:
        gap_percent = derived(c.gap_share * 100, "percent")
    value, threshold, gap = shown(c)
    unit = c.unit
    target_text = f"{t.comparator} {format_number(t.value)}{t.unit}"
    if t.relative_to is not None:
        ref_value = "?" if ref is None or ref.value is None else format_number(ref.value)
        target_text = f"{t.comparator} {format_number(t.value)}{RELATIVE_UNIT}{ref_value}"
    per = ref if t.per is not None else None
    if t.relative_to is None:
        ref = None
    row: Row = {
        "id": t.indicator_id,
        **(names(ind) if ind else dict.fromkeys(NAME_COLUMNS, "")),
        "value": value,
        "unit": unit,
        "period": ind.period if ind else None,
        "region_code": ind.region_code if ind else None,
        "region_name": name(regions[ind.region_code], lang)
        if ind and regions and ind.region_code in regions
        else None,
        "comparator": t.comparator,
        "target": t.value,
        "target_unit": t.unit,
        "kind": t.kind,
        "relative_to": t.relative_to,
        "reference_value": ref.value if ref else None,
        "per": t.per,
        "per_value": per.value if per else None,
        "threshold": threshold,
        "gap": gap,
        "gap_percent": gap_percent,
        "status": c.status,
        "status_zh": term(c.status, "zh"),
        "level": t.level,
        "target_year": t.target_year,
        "confidence": basis.confidence,
        "basis_title": basis.title,
        "basis_issuer": basis.issuer,
        "basis_year": basis.year,
        "basis_quote": basis.quote,
        "basis_url": basis.url,
        "basis_note": basis.note,
        "reason": say(c.reason, "en"),
        "caveat": caveat_text(c.caveat, t.unit, "en") or None,
        "progress_status": c.progress.status if c.progress else None,
        "progress_ratio": _ratio(c.progress.ratio) if c.progress else None,
        "progress_departure": (c.progress.departure or None) if c.progress else None,
    }
    q = c.qualifier or ""  # a bound or approximation holds for the gap too
    row["qualifier"] = c.qualifier
    row["name"] = name(ind, lang) if ind else ""
    row["value_text"] = "" if value is None else f"{q}{format_number(value)}{unit}"
    row["target_text"] = target_text
    row["gap_text"] = "" if gap is None else f"{q}{format_number(gap)}{unit}"
    row["progress"] = None if c.status == "reference" else c.share_of_target
    row["status_text"] = term(c.status, lang)
    row["basis_short"] = f"{basis.issuer} {basis.year}"
    row["level_text"], row["confidence_text"] = term(t.level, lang), term(basis.confidence, lang)
    if c.progress is not None:
        status = progress_status(c.progress.status, c.progress.departure, lang)
        row["status_text"] = f"{row['status_text']} / {status}"
    return row


def compare_output(
    results: Sequence[Comparison],
    lang: str,
    regions: Sequence[Region] = (),
    fail: bool = False,
    statuses: Sequence[str] = (),
) -> Output:
    """Every comparison and a summary line counting each status; exit 1 on a miss if `fail`.
    None (of the `statuses` asked for) is nothing matched."""
    by_code = {r.code: r for r in regions}
    missed = fail and any(c.status == "missed" for c in results)
    fields: tuple[str, ...] = COMPARE_FIELDS
    if any(c.qualifier is not None for c in results):  # only then: the report's stay as they are
        at = fields.index("unit")
        fields = (*fields[:at], "qualifier", *fields[at:])
    return Output(
        rows=[comparison_row(c, lang, by_code) for c in results],
        fields=fields,
        columns=COMPARE_VIEW,
        summary=compare_summary(
            {s: sum(c.status == s for c in results) for s in STATUSES},
            lang,
            references=sum(c.status == "reference" for c in results),
        ),
        exit_code=ExitCode.FINDINGS if missed else ExitCode.OK,
        nothing=("match.status", ", ".join(statuses)) if statuses else ("match.compare",),
    )


def compare_view(
    dataset: Dataset,
    selection: Selection,
    statuses: Sequence[str],
    lang: str,
    fail_on_miss: bool = False,
) -> Output:
    """`fanpin compare`: the selected sections' or ids' targets (unknown names: UsageError)."""
    if selection.selectors:
        select(dataset, Selection(selection.selectors))
    filters = check(dataset, selection.region, selection.period)
    results = compare(dataset, selection.selectors, statuses, filters.region_code, selection.period)
    if not results and filters != Where():
        raise nothing_matched(filters, selection.selectors)
    return compare_output(results, lang, dataset.regions, fail_on_miss, statuses)
