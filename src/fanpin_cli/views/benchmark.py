"""`fanpin benchmark`: a region's figures beside its parent's and the country's."""

from __future__ import annotations

from collections.abc import Sequence

from fanpin_cli.benchmark import Against, Benchmark, benchmark, levels_of
from fanpin_cli.errors import UsageError
from fanpin_cli.filters import check
from fanpin_cli.formats.base import Column, Output, column
from fanpin_cli.labels import benchmark_against, benchmark_result, benchmark_summary, name, term
from fanpin_cli.model import Dataset, Indicator
from fanpin_cli.query import Selection, select
from fanpin_cli.references import value_text
from fanpin_cli.rows import Row
from fanpin_cli.schema import NAME_COLUMNS, names

SLOTS = ("parent", "country")
SLOT_KEYS = ("code", "value", "unit", "period", "measure", "result", "reason")
BENCHMARK_FIELDS = (
    "id",
    *NAME_COLUMNS,
    "unit",
    "period",
    "region_code",
    "value",
    *(f"{slot}_{key}" for slot in SLOTS for key in SLOT_KEYS),
)


def _value(ind: Indicator | None) -> object:
    """A record's value: the number, or text with its qualifier ('>3300') when it has one."""
    if ind is None:
        return None
    return ind.value if ind.qualifier is None else value_text(ind.value, ind.qualifier)


def _with_unit(ind: Indicator | None) -> str:
    """'1294户', '>3300万人'; '' when there is no record or no value."""
    if ind is None or ind.value is None:
        return ""
    return f"{value_text(ind.value, ind.qualifier)}{ind.unit}"


def _result_text(a: Against, lang: str, unit: str) -> str:
    """'-6.4 个百分点', '占 1.07%', '-0.2项'; or why it is not compared."""
    if a.measure is None or a.result is None:
        return term(a.reason, lang) + (f" ({a.detail})" if a.detail else "")
    return benchmark_result(a.measure, value_text(a.result, a.qualifier), unit, lang)


def benchmark_rows(results: Sequence[Benchmark], codes: Sequence[str], lang: str) -> list[Row]:
    """One row per indicator: the region's value, then each level's value and result."""
    slots = dict(zip(codes, SLOTS, strict=False))
    rows: list[Row] = []
    for b in results:
        ind = b.record
        row: Row = {
            "id": ind.id,
            **names(ind),
            "name": name(ind, lang),
            "unit": ind.unit,
            "period": ind.period,
            "region_code": ind.region_code,
            "value": _value(ind),
            "value_text": _with_unit(ind),
        }
        row.update({f"{slot}_{key}": None for slot in SLOTS for key in SLOT_KEYS})
        row.update({f"{slot}_{key}": "" for slot in SLOTS for key in ("text", "vs")})
        for a in b.levels:
            slot, rec = slots[a.code], a.record
            result: object = a.result
            if a.qualifier is not None and a.result is not None:
                result = value_text(a.result, a.qualifier)
            shown = _with_unit(rec)
            if rec is not None and rec.period != ind.period:
                shown += f" ({rec.period})"
            row.update(
                {
                    f"{slot}_code": a.code,
                    f"{slot}_value": _value(rec),
                    f"{slot}_unit": rec.unit if rec else None,
                    f"{slot}_period": rec.period if rec else None,
                    f"{slot}_measure": a.measure,
                    f"{slot}_result": result,
                    f"{slot}_reason": a.why or None,
                    f"{slot}_text": shown,
                    f"{slot}_vs": _result_text(a, lang, ind.unit),
                }
            )
        rows.append(row)
    return rows


def benchmark_output(dataset: Dataset, selection: Selection, lang: str) -> Output:
    """`fanpin benchmark`: the selected indicators of `selection.region` (default: the first
    dataset's region) beside its parent's and the country's."""
    filters = check(dataset, selection.region, selection.period)  # unknown: 2; no data: 1
    code = filters.region_code
    if code is None:
        code = next((m.region_code for m in dataset.metas if m.region_code), None)
    if code is None:
        raise UsageError.said(("usage.benchmark_region",))
    chosen = select(dataset, Selection(selection.selectors))
    codes = levels_of(dataset, code)
    results = benchmark(dataset, code, chosen, selection.period)
    names = {r.code: name(r, lang) for r in dataset.regions}
    view: list[Column] = [column("name"), column("period", "label")]
    own = names.get(code, code)
    view.append(Column("value_text", own, own, "number"))
    for level, slot in zip(codes, SLOTS, strict=False):
        label = names.get(level, level)
        vs = benchmark_against(label, lang)
        view += [Column(f"{slot}_text", label, label, "number"), Column(f"{slot}_vs", vs, vs)]
    return Output(
        rows=benchmark_rows(results, codes, lang),
        fields=BENCHMARK_FIELDS,
        columns=tuple(view),
        summary=benchmark_summary(len(results), sum(b.comparable for b in results), lang),
    )
