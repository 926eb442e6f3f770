"""The view of `fanpin explain`: one indicator whole, with relations, targets and status."""

from __future__ import annotations

import os
from dataclasses import asdict
from functools import partial
from typing import Any

from fanpin_cli.analysis.compare import compare
from fanpin_cli.analysis.filters import check, nothing_matched, suggest
from fanpin_cli.core.decimals import cell_text
from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.labels import (
    caveat_text,
    explain_label,
    pick,
    progress_note,
    progress_status,
    qualifier_text,
    relation,
    term,
)
from fanpin_cli.core.model import Dataset, Indicator, Region
from fanpin_cli.core.schema import NAME_COLUMNS, names
from fanpin_cli.reading.references import reference_fields, value_text
from fanpin_cli.views.compare import COMPARE_FIELDS, comparison_row
from fanpin_cli.views.output import Output, column
from fanpin_cli.views.rows import INDICATOR_COLUMNS, indicator_row


def explain(
    dataset: Dataset,
    indicator_id: str,
    lang: str = "zh",
    region: str | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """A nested description of `indicator_id`: its records, relations and targets (of the
    records of `region` and `period` when given, as in `show`)."""
    by_id = dataset.by_id()
    records = by_id.get(indicator_id)
    if not records:
        raise UsageError.said(("usage.indicator", indicator_id), suggest(indicator_id, by_id))
    filters = check(dataset, region, period)
    records = [r for r in records if filters.keep(r)]
    if not records:
        raise nothing_matched(filters, [indicator_id])
    regions = {r.code: r for r in dataset.regions}
    first, unique = records[0], [same[0] for same in by_id.values()]
    relations: dict[str, list[str]] = {
        "parts": list(first.parts),
        "part_of": [i.id for i in unique if indicator_id in i.parts],
        "ratio_of": list(first.ratio) if first.ratio else [],
        "used_in_ratio": [i.id for i in unique if i.ratio is not None and indicator_id in i.ratio],
        "subset_of": [first.subset_of] if first.subset_of else [],
        "superset_of": [i.id for i in unique if i.subset_of == indicator_id],
    }
    targets = []
    for c in compare(dataset, [indicator_id], (), filters.region_code, filters.period):
        row = comparison_row(c, lang, regions)
        entry: dict[str, Any] = {k: row[k] for k in COMPARE_FIELDS}
        entry["qualifier"] = c.qualifier  # a bound or approximation: of value and gap
        if c.progress is not None:
            entry["progress"] = asdict(c.progress)
        entry["caveat"] = caveat_text(c.caveat, c.target.unit, lang) or None
        if c.target.per is not None and c.indicator is not None and c.reference is not None:
            # the division an average target shows: 22680.30万元 / 4590户
            entry["average_of"] = {
                "value": c.indicator.value,
                "unit": c.indicator.unit,
                "per_value": c.reference.value,
                "per_unit": c.reference.unit,
            }
        targets.append(entry)
    growth = []
    if not targets and any(r.direction is not None for r in records):
        from fanpin_cli.analysis.progress import growth_by_region

        growth = [{"region_code": code} | asdict(p) for code, p in growth_by_region(records)]
    return {
        "id": indicator_id,
        "section": first.section,
        **names(first),
        "records": [_record(r, regions, dataset) for r in records],
        "relations": {k: v for k, v in relations.items() if v},
        "targets": targets,
        "progress": growth,
    }


def _record(ind: Indicator, regions: dict[str, Region], dataset: Dataset) -> dict[str, Any]:
    """One record's contract fields plus the file and line it is declared at.

    A reference figure adds its qualifier and the page it was read on.
    """
    row = indicator_row(ind, regions.get(ind.region_code))
    # the file relative to its dataset directory: no path of the machine it ran on
    out = {k: row[k] for k in INDICATOR_COLUMNS} | {"file": _file_name(ind.file), "line": ind.line}
    if ind.citation is not None or ind.qualifier is not None:
        out |= reference_fields(ind, dataset.citations)
    return out


def _file_name(path: str) -> str:
    """A dataset's files sit directly in its directory, so the name is the relative path."""
    return os.path.basename(path)


def explain_output(
    dataset: Dataset,
    indicator_id: str,
    lang: str,
    region: str | None = None,
    period: str | None = None,
) -> Output:
    """`fanpin explain`: (field, text) rows for people, the nested description for JSON."""
    info = explain(dataset, indicator_id, lang, region, period)
    return Output(
        rows=[{"field": k, "value": v} for k, v in explain_lines(info, lang)],
        fields=("field", "value"),
        columns=(column("field"), column("value", label="content")),
        title=f"{info['id']}  {pick(lang, *map(info.get, NAME_COLUMNS))}",
        document=info,
    )


def explain_lines(info: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The description as (field, text) pairs for tables, tsv and markdown."""
    say = partial(explain_label, lang=lang)
    pairs = [(say(k), info[k]) for k in ("id", "section", *NAME_COLUMNS)]
    for rec in info["records"]:
        region = pick(lang, rec["region_name_zh"], rec["region_name_en"])
        at = f"{rec['period']} {region or rec['region_code']}"
        value = f"{value_text(rec['value'], rec.get('qualifier'))} {rec['unit']}".strip()
        pairs.append(
            (say("value", at), term("not reported", lang) if rec["value"] is None else value)
        )
        if rec.get("qualifier"):
            pairs.append((say("qualifier", at), qualifier_text(rec["qualifier"], lang)))
        pairs.append((say("source", at), cell_text(rec["source"])))
        if rec.get("citation"):
            cited = [rec.get(k) for k in ("citation_title", "citation_outlet", "citation_date")]
            pairs.append((say("cited", at), ", ".join(c for c in cited if c) or rec["citation"]))
            pairs.append((say("address", at), cell_text(rec.get("citation_url"))))
            grade = rec.get("grade")
            pairs.append((say("grade", at), term(grade, lang) if grade else ""))
        if rec.get("basis"):
            pairs.append((say("basis", at), term(rec["basis"], lang)))
        if rec.get("written_as"):
            pairs.append((say("written_as", at), rec["written_as"]))
        if rec.get("equivalent_unit"):
            equivalence = say("equivalent", rec["unit"], rec["equivalent_unit"])
            pairs.append((say("equivalence", at), equivalence))
        if rec.get("note"):
            pairs.append((say("note", at), rec["note"]))
    for key, ids in info["relations"].items():
        pairs.append((say("relation", relation(key, lang)), ", ".join(ids)))
    for t in info["targets"]:
        status = term(t["status"], lang)
        threshold = cell_text(t["threshold"] if t["threshold"] is not None else t["target"])
        pairs.append(
            (
                say("target", t.get("period") or ""),
                f"{t['comparator']} {threshold} {t['unit']}: {status}".strip(),
            )
        )
        a = t.get("average_of")
        if a and t["value"] is not None:
            pairs.append(
                (
                    say("target_average"),
                    f"{cell_text(a['value'])} {a['unit']} / {cell_text(a['per_value'])} "
                    f"{a['per_unit']} ({t['per']}) = {cell_text(t['value'])} {t['unit']}",
                )
            )
        if t.get("caveat"):
            pairs.append((say("target_caveat"), t["caveat"]))
        basis = f"{t['basis_title']}, {t['basis_issuer']}, {t['basis_year']}"
        pairs.append((say("target_basis"), basis))
        pairs.append((say("target_quote"), f"{t['basis_quote']} ({term(t['confidence'], lang)})"))
        p = t.get("progress")
        if p:
            pairs.append((say("progress"), _progress_text(p, lang)))
    names = {
        r["region_code"]: pick(lang, r["region_name_zh"], r["region_name_en"])
        for r in info["records"]
    }
    for g in info["progress"]:
        region = names.get(g["region_code"]) or g["region_code"]
        pairs.append((say("progress_in", region), _progress_text(g, lang)))
    return pairs


def _progress_text(p: dict[str, Any], lang: str) -> str:
    """One line with the progress status and every component it was computed from."""
    say = partial(explain_label, lang=lang)
    parts = [progress_status(p["status"], p["departure"], lang)]
    if p["base_year"] is not None:
        span = say("span", p["base_year"], f"{p['base_value']:g}", p["current_year"],
                   f"{p['current_value']:g}")  # fmt: skip
        if p["target"] is not None:
            span += say("span_target", f"{p['target']:g}", p["target_year"] or "?")
        parts.append(span)
    if p["observed_rate"] is not None:
        parts.append(say("observed", f"{p['observed_rate']:.4%}"))
    if p["required_rate"] is not None and p["ratio"] is not None:
        parts.append(say("required", f"{p['required_rate']:.4%}", f"{p['ratio']:.4f}"))
    elif p["method"] == 1 and p["ratio"] is not None:
        way = term("up" if p["direction"] == 1 else "down", lang)
        parts.append(say("growth", way, f"{p['ratio']:.4%}"))
    if p["note"]:
        parts.append(progress_note(p["note"], lang))
    return "; ".join(parts)
