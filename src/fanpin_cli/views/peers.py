"""`fanpin benchmark`: a region's figures beside its parent's and the country's."""

from __future__ import annotations

from collections.abc import Sequence

from fanpin_cli.analysis.filters import check
from fanpin_cli.analysis.peers import Against, PeerFigures, beside_peers, levels_of
from fanpin_cli.analysis.query import Selection, select
from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.labels import (
    name,
    peer_result,
    peers_against,
    peers_summary,
    term,
)
from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.core.schema import NAME_COLUMNS, names
from fanpin_cli.reading.references import value_text
from fanpin_cli.views.output import Column, Output, column
from fanpin_cli.views.rows import Row

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


# A bound or approximation ('>3300', '≈70') is a number in every format with its qualifier
# beside it, as show and compare give it: `qualifier` for the region's value, and per level
# `{slot}_qualifier` for its value and `{slot}_result_qualifier` for the result. These
# fields are added only when a figure shown has a qualifier.
QUALIFIER_FIELDS = (
    "qualifier",
    *(f"{slot}_{key}" for slot in SLOTS for key in ("qualifier", "result_qualifier")),
)


def _with_unit(ind: Indicator | None) -> str:
    """'1294户', '>3300万人'; '' when there is no record or no value."""
    if ind is None or ind.value is None:
        return ""
    return f"{value_text(ind.value, ind.qualifier)}{ind.unit}"


def _result_text(a: Against, lang: str, unit: str) -> str:
    """'-6.4 个百分点', '占 1.07%', '-0.2项'; or why it is not compared."""
    if a.measure is None or a.result is None:
        return term(a.reason, lang) + (f" ({a.detail})" if a.detail else "")
    return peer_result(a.measure, value_text(a.result, a.qualifier), unit, lang)


def peer_rows(results: Sequence[PeerFigures], codes: Sequence[str], lang: str) -> list[Row]:
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
            "value": ind.value,
            "qualifier": ind.qualifier,
            "value_text": _with_unit(ind),
        }
        each = (*SLOT_KEYS, "qualifier", "result_qualifier")
        row.update({f"{slot}_{key}": None for slot in SLOTS for key in each})
        row.update({f"{slot}_{key}": "" for slot in SLOTS for key in ("text", "vs")})
        for a in b.levels:
            slot, rec = slots[a.code], a.record
            shown = _with_unit(rec)
            if rec is not None and rec.period != ind.period:
                shown += f" ({rec.period})"
            row.update(
                {
                    f"{slot}_code": a.code,
                    f"{slot}_value": rec.value if rec else None,
                    f"{slot}_qualifier": rec.qualifier if rec else None,
                    f"{slot}_unit": rec.unit if rec else None,
                    f"{slot}_period": rec.period if rec else None,
                    f"{slot}_measure": a.measure,
                    f"{slot}_result": a.result,
                    f"{slot}_result_qualifier": a.qualifier if a.result is not None else None,
                    f"{slot}_reason": a.why or None,
                    f"{slot}_text": shown,
                    f"{slot}_vs": _result_text(a, lang, ind.unit),
                }
            )
        rows.append(row)
    return rows


def peers_output(dataset: Dataset, selection: Selection, lang: str) -> Output:
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
    results = beside_peers(dataset, code, chosen, selection.period)
    names = {r.code: name(r, lang) for r in dataset.regions}
    view: list[Column] = [column("name"), column("period", "label")]
    own = names.get(code, code)
    view.append(Column("value_text", own, own, "number"))
    for level, slot in zip(codes, SLOTS, strict=False):
        label = names.get(level, level)
        vs = peers_against(label, lang)
        view += [Column(f"{slot}_text", label, label, "number"), Column(f"{slot}_vs", vs, vs)]
    rows = peer_rows(results, codes, lang)
    qualified = any(row[key] for row in rows for key in QUALIFIER_FIELDS)
    return Output(
        rows=rows,
        fields=(*BENCHMARK_FIELDS, *QUALIFIER_FIELDS) if qualified else BENCHMARK_FIELDS,
        columns=tuple(view),
        summary=peers_summary(len(results), sum(b.comparable for b in results), lang),
    )
