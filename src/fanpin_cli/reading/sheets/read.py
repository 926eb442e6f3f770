"""A spreadsheet submission as a dataset, through the same validation as TOML.

Two layouts are read:
- a fill-in workbook (`fanpin template --xlsx`): the 指标 sheet gives id, value and note per
  row, the hidden `_fanpin_indicators` sheet every definition (names, unit, relations), the
  数据集 sheet region, period and who filled it in;
- an export (`fanpin export --xlsx`, or the CSV `fanpin export --csv` writes): one row per
  record with every field.
Every problem names the file, the sheet and the cell: `永登县2023.xlsx: 指标!D14: …`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fanpin_cli.core.errors import DataError
from fanpin_cli.core.model import DatasetMeta, DirectoryData, Indicator
from fanpin_cli.core.schema import NAME_COLUMNS, PERIOD_RE, REGION_RE, fields
from fanpin_cli.reading.load.problems import Problems, Reason, joined, unique
from fanpin_cli.reading.sheets import layout
from fanpin_cli.reading.sheets.cells import Workbook, cell_ref
from fanpin_cli.reading.sheets.common import (
    CellContext,
    cell_at,
    cell_text,
    find_rows,
    read_figure,
    sections_in,
)
from fanpin_cli.reading.sheets.fields import record
from fanpin_cli.reading.sheets.workbook import read_workbook


def load_sheet(path: Path, *, strict: bool = True) -> DirectoryData:
    """One spreadsheet file as the data of one dataset; `strict` raises the first error."""
    book = read_workbook(path)
    problems = Problems(strict)
    if layout.DEFINITIONS_SHEET in book.sheets:
        data = _load_template(path, book, problems)
    else:
        from fanpin_cli.reading.sheets.read_export import load_export

        data = load_export(path, book, problems)
    where = _id_cells(book)
    found = find_rows(book, "indicators") if book.kind != "csv" else ("", [])
    if found is not None:  # where `check` shows a record's findings (views.findings)
        from fanpin_cli.reading.sheets.common import SHEET_KEY

        extra = {**data.meta.extra, SHEET_KEY: found[0]}
        data = data._replace(meta=data.meta._replace(extra=extra))

    def repeated(ind: Indicator, first: Indicator) -> tuple[Reason, int]:
        """A repeated row is an error naming both rows' id cells (`指标!A12`)."""
        return ("sheet.repeated", where(ind.line), ind.id, where(first.line)), 0

    return data._replace(indicators=tuple(unique(data.indicators, problems, repeated)),
                         problems=tuple(problems.found))  # fmt: skip


def _id_cells(book: Workbook) -> Callable[[int], str]:
    """The id cell of a 1-based row of the indicators sheet (`指标!A12`, `A12` in a CSV)."""
    found = ("", book.sheets[""]) if book.kind == "csv" else find_rows(book, "indicators")
    sheet, rows = found if found is not None else ("", [])
    labels = {"id": layout.FIELD_LABELS["id"]}
    column = layout.header_fields([c.value for c in rows[0]], labels)[0].get("id", 0) if rows else 0
    return lambda line: cell_ref(sheet, line - 1, column)


# ------------------------------------------------------------ fill-in workbooks


def _unknown_id(rid: str, known: dict[str, Any]) -> Reason:
    """An unknown id, with `did you mean 'monitoring.total_households'?` for a slip."""
    import difflib

    close = difflib.get_close_matches(rid, list(known), n=1, cutoff=0.8)
    if close:
        return joined(("sheet.unknown_id", rid), ("sheet.did_you_mean", close[0]))
    return ("sheet.unknown_id", rid)


def _definitions(path: Path, book: Workbook) -> dict[str, dict[str, Any]]:
    rows = book.sheets[layout.DEFINITIONS_SHEET]
    if not rows:
        raise DataError.said(("sheet.empty", layout.DEFINITIONS_SHEET), path=str(path))
    columns = {str(c.value): i for i, c in enumerate(rows[0]) if c.value}
    defs: dict[str, dict[str, Any]] = {}
    for r, row in enumerate(rows[1:], start=1):
        rec = {f: cell_text(cell_at(row, i)) for f, i in columns.items()}
        rid = rec.get("id", "")
        if not rid:
            continue
        rec["_row"] = str(r)
        defs[rid] = rec
    return defs


def _meta(path: Path, book: Workbook, ctx_problems: Problems) -> DatasetMeta:
    found = find_rows(book, "dataset")
    values: dict[str, str] = {}
    if found is not None:
        sheet, rows = found
        for r, row in enumerate(rows):
            key = cell_text(cell_at(row, 0))
            if key in layout.DATASET_ROWS:
                values[key] = cell_text(cell_at(row, 2))
                values["_" + key] = cell_ref(sheet, r, 2)
    region, period = values.get("region_code", ""), values.get("period", "")
    if not REGION_RE.match(region):
        where = values.get("_region_code", layout.sheet_name("dataset", "zh"))
        ctx_problems.add(("sheet.region_code", where, region), path=str(path), line=0)
    if not PERIOD_RE.match(period):
        where = values.get("_period", layout.sheet_name("dataset", "zh"))
        ctx_problems.add(("sheet.period", where, period), path=str(path), line=0)
    extra = {k: values[k] for k in ("contact", "phone", "region_name") if values.get(k)}
    return DatasetMeta(
        title_zh=values.get("title_zh", ""),
        publisher_zh=values.get("publisher_zh", ""),
        published=values.get("published", ""),
        region_code=region if REGION_RE.match(region) else None,
        period=period if PERIOD_RE.match(period) else None,
        notes=values.get("notes", ""),
        path=str(path),
        extra=extra,
    )


def _definition_record(d: dict[str, Any]) -> dict[str, Any]:
    """An indicator's definition (every carried field) from its hidden row."""
    return record(lambda column: str(d.get(column, "")), CARRIED)


CARRIED = tuple(name for name, f in fields(Indicator) if f.carry)


def _load_template(path: Path, book: Workbook, problems: Problems) -> DirectoryData:
    defs = _definitions(path, book)
    sections = sections_in(book.sheets.get(layout.SECTIONS_SHEET) or [])
    meta = _meta(path, book, problems)
    found = find_rows(book, "indicators")
    if found is None:
        names = (layout.sheet_name("indicators", "zh"), layout.sheet_name("indicators", "en"))
        raise DataError.said(("sheet.no_sheet", *names), path=str(path))
    sheet, rows = found
    if not rows:
        raise DataError.said(("sheet.empty", sheet), path=str(path))
    columns, _ = layout.header_fields([c.value for c in rows[0]], layout.TEMPLATE_COLUMNS)
    for needed in ("id", "value"):
        if needed not in columns:
            zh, en = (layout.label(layout.TEMPLATE_COLUMNS, needed, lang) for lang in ("zh", "en"))
            raise DataError.said(("sheet.no_column", sheet, zh, en), path=str(path))
    ctx = CellContext(str(path), problems, sheet, columns)
    defaults = meta
    seen: set[str] = set()
    indicators: list[Indicator] = []
    for r, row in enumerate(rows[1:], start=1):
        rid = cell_text(cell_at(row, columns["id"]))
        value_cell = cell_at(row, columns["value"])
        note = cell_text(cell_at(row, columns.get("note")))
        if ctx.formulas(r, row, [rid] if rid else []):
            continue
        if not rid:
            if any(c.value not in (None, "") for c in row):
                ctx.report(r, "id", ("sheet.no_id",))
            continue
        d = defs.get(rid)
        if d is None:
            ctx.report(r, "id", _unknown_id(rid, defs), [rid])
            continue
        seen.add(rid)
        rec = _definition_record(d)
        unit = rec.get("unit", "")
        name = cell_text(cell_at(row, columns.get("name")))
        if "name" in columns and name and name not in map(d.get, NAME_COLUMNS):
            renamed = ("sheet.renamed", rid, name, str(d.get(NAME_COLUMNS[0])))
            ctx.report(r, "name", renamed, [rid], "warning")
        shown_unit = cell_text(cell_at(row, columns.get("unit")))
        if "unit" in columns and shown_unit != unit:
            ctx.report(r, "unit", ("sheet.unit_changed", rid, shown_unit, unit), [rid])
        reading = read_figure(value_cell, unit, book.kind)
        if reading.error:  # one finding: the record stays (without a value) for the rest
            ctx.report(r, "value", joined(("of.indicator", rid), reading.error), [rid])
        elif reading.value is not None:
            rec["value"] = reading.value
        if note:
            rec["note"] = note
        elif reading.not_reported is not None:
            rec["note"] = f"未报告 (not reported): {reading.not_reported}"
        ind = ctx.build(rec, r, d.get("section", ""), defaults)
        if ind is not None:
            indicators.append(ind._replace(file=str(path), line=r + 1))
    for rid, d in defs.items():  # rows deleted from the sheet: not filled in
        if rid not in seen:
            ind = ctx.build(_definition_record(d), int(d["_row"]), d.get("section", ""), defaults)
            if ind is not None:
                indicators.append(ind._replace(file=str(path), line=0))
    order = {rid: i for i, rid in enumerate(defs)}
    indicators.sort(key=lambda i: order.get(i.id, len(order)))
    used = {i.section for i in indicators}
    return DirectoryData(meta, tuple(s for s in sections if s.key in used), tuple(indicators),
                         (), (), None, ())  # fmt: skip


# -------------------------------------------------------------- exports and CSV
