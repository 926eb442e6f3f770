"""The views of `fanpin rollup` and `fanpin diff`."""

from __future__ import annotations

from fanpin_cli.analysis.diff import change_unit, diff_datasets, diff_offset, diff_periods
from fanpin_cli.analysis.filters import check, nothing_matched
from fanpin_cli.analysis.query import Selection, resolve_region, select
from fanpin_cli.analysis.rollup import rollup
from fanpin_cli.core.labels import name, rollup_summary, say, term
from fanpin_cli.core.model import Dataset
from fanpin_cli.core.schema import NAME_COLUMNS, names
from fanpin_cli.core.units import is_rate
from fanpin_cli.reading.load import Where
from fanpin_cli.reading.references import value_text
from fanpin_cli.views.output import Column, Output, column

ROLLUP_FIELDS = (
    "id", *NAME_COLUMNS, "period", "unit", "counties_reported", "counties_expected",
    "county_sum", "parent_value", "difference", "status", "missing", "county_value", "method",
    "county_values", "reason",
)  # fmt: skip
ROLLUP_VIEW = (
    column("id", "label"),
    column("name"),
    column("period", "label"),
    column("county_value", "number"),
    column("parent_value", "number"),
    column("difference", "number"),
    column("unit", "label"),
    column("reported", "label", optional=True),
    column("status_text", "label", "status"),
    column("reason_text", "text", "reason", optional=True),
)


def rollup_output(
    dataset: Dataset, to: str, period: str | None, lang: str, ytd: bool = False
) -> Output:
    """Roll-up rows to region `to` (code or name), with how many match the parent's figure;
    `ytd`: of each figure's year to date at `period` (fanpin_cli.analysis.ytd)."""
    parent = resolve_region(dataset, to)
    if ytd:
        from fanpin_cli.views.analysis import ytd_dataset

        dataset, period = ytd_dataset(dataset, period, lang)
    rows = rollup(dataset, parent, check(dataset, None, period).period)
    if not rows:
        raise nothing_matched(Where(None, period), [f"--to {parent}"])
    out = [
        {
            "id": r.id,
            **names(r),
            "name": name(r, lang),
            "period": r.period,
            "unit": r.unit,
            "counties_reported": r.children_reported,
            "counties_expected": r.children_expected,
            "county_sum": r.children_sum,
            "parent_value": r.own,
            "difference": r.difference,
            "status": r.status,
            "status_text": term(r.status, lang),
            "missing": list(r.missing) or None,
            "reported": f"{r.children_reported}/{r.children_expected}",
            "county_value": r.children_sum,
            "method": r.method,
            "county_values": ";".join(f"{k}={'' if v is None else v}" for k, v in r.children)
            or None,
            "reason": say(r.reason, "en"),
            "reason_text": say(r.reason, lang),
        }
        for r in rows
    ]
    for row in out:
        if row["method"] == "ratio":
            row["county_sum"] = None  # a rate is never a sum: county_value is rebuilt
    region = dataset.region(parent)
    differs = sum(1 for r in rows if r.status.startswith("differs"))
    summary = rollup_summary(
        len(rows), parent, name(region, lang) if region else parent, differs, lang
    )
    return Output(rows=out, fields=ROLLUP_FIELDS, columns=ROLLUP_VIEW, summary=summary)


DIFF_FIELDS = (
    "id", *NAME_COLUMNS, "region_code", "region_name", "unit", "previous_period",
    "previous", "period", "value", "change", "change_unit", "change_percent", "note",
)  # fmt: skip
DIFF_VIEW = (
    column("id", "label"),
    column("name"),
    column("region_name", "label", "region"),
    column("previous", "number"),
    column("value", "number", "current"),
    column("change", "number"),
    column("change_shown_unit", "label", "change_unit"),
    column("change_percent", "number"),
    column("unit", "label"),
)


def diff_output(
    dataset: Dataset,
    selection: Selection,
    lang: str,
    old: str | None = None,
    new: str | None = None,
    against: Dataset | None = None,
    relative_rates: bool = False,
    how: str | None = None,
) -> Output:
    """Previous and current value, change and % change: between periods `old` and `new`
    (default: each series' last two), against an earlier dataset, or (`how`: periods.YOY or
    POP) each record of period `new` against a year before or the period before. The change
    of a percentage is in percentage points; its % change only with `relative_rates`."""
    wanted = selection.selectors
    if wanted:
        select(dataset, Selection(wanted))  # unknown names: UsageError with a suggestion
    title = None
    if how is not None:
        changes = diff_offset(dataset, how, new, wanted, relative_rates)
    elif against is not None:
        changes = diff_datasets(dataset, against, wanted, relative_rates)
    else:
        old, new, changes = diff_periods(dataset, old, new, wanted, relative_rates)
        title = f"{old} → {new}" if old and new else None
    code = check(dataset, selection.region, None).region_code
    if code is not None and not any(c.current.region_code == code for c in changes):
        raise nothing_matched(Where(code), wanted)
    regions = {r.code: r for r in dataset.regions}
    out = []
    any_qualified = any(
        c.current.qualifier or (c.previous is not None and c.previous.qualifier) for c in changes
    )
    for c in changes:
        cur, prev = c.current, c.previous
        if code is not None and cur.region_code != code:
            continue
        region = regions.get(cur.region_code)
        row = {
            "id": cur.id,
            **names(cur),
            "name": name(cur, lang),
            "region_code": cur.region_code,
            "region_name": name(region, lang) if region else cur.region_code,
            "unit": cur.unit,
            "previous_period": prev.period if prev else c.counterpart,
            "previous": c.previous_value,
            "period": cur.period,
            "value": cur.value,
            "change": c.change,
            "change_unit": change_unit(cur.unit),
            "change_shown_unit": term("percentage points", lang) if is_rate(cur.unit) else cur.unit,
            "change_percent": c.change_percent,
            "note": say(c.note, "en"),
        }
        out.append(row)
        if any_qualified:
            # a bound or approximation: the number stays a number in every format, its
            # qualifier beside it (as show and compare give it; change_qualifier holds for
            # change and change_percent); people see them together ('>3300')
            row["qualifier"] = cur.qualifier
            row["previous_qualifier"] = prev.qualifier if prev else None
            row["change_qualifier"] = c.qualifier
            shown = (("value", cur.value, cur.qualifier), ("change", c.change, c.qualifier),
                     ("previous", c.previous_value, prev.qualifier if prev else None),
                     ("change_percent", c.change_percent, c.qualifier))  # fmt: skip
            for key, number, qualifier in shown:
                row[f"{key}_text"] = None if number is None else value_text(number, qualifier)
    fields: tuple[str, ...] = DIFF_FIELDS
    view: tuple[Column, ...] = DIFF_VIEW
    if any_qualified:
        fields = (*DIFF_FIELDS, "qualifier", "previous_qualifier", "change_qualifier")
        texts = ("previous", "value", "change", "change_percent")
        view = tuple(c._replace(key=f"{c.key}_text") if c.key in texts else c for c in view)
    return Output(rows=out, fields=fields, columns=view, title=title)
