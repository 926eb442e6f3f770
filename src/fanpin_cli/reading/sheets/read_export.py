"""Read an export back: `fanpin export --xlsx` workbooks and the CSV `fanpin export` writes."""

from __future__ import annotations

from pathlib import Path

from fanpin_cli.core.errors import DataError
from fanpin_cli.core.model import DatasetMeta, DirectoryData, Indicator, Section
from fanpin_cli.core.schema import NAME_COLUMNS
from fanpin_cli.reading.load.problems import Problems, joined
from fanpin_cli.reading.sheets import layout
from fanpin_cli.reading.sheets.cells import Cell, Workbook
from fanpin_cli.reading.sheets.common import (
    CellContext,
    cell_at,
    cell_text,
    find_rows,
    read_figure,
    sections_in,
)
from fanpin_cli.reading.sheets.fields import all_columns, record


def load_export(path: Path, book: Workbook, problems: Problems) -> DirectoryData:
    if book.kind == "csv":
        sheet, rows = "", book.sheets[""]
    else:
        found = find_rows(book, "indicators")
        if found is None:
            raise DataError.said(("sheet.not_fanpin",), path=str(path))
        sheet, rows = found
    if not rows:
        raise DataError.said(("load.empty",), path=str(path))
    known = {**{c: (c, c) for c in all_columns()}, **layout.FIELD_LABELS}
    columns, _unknown = layout.header_fields([c.value for c in rows[0]], known)
    missing = [f for f in ("id", "section", *NAME_COLUMNS, "unit", "period", "region_code")
               if f not in columns]  # fmt: skip
    if missing:
        where = ("sheet.at_header", sheet) if sheet else ("sheet.at_line_1",)
        raise DataError.said(where, ("sheet.no_columns", ", ".join(missing)), path=str(path))
    ctx = CellContext(str(path), problems, sheet, columns)
    found = find_rows(book, "sections")
    titles = {s.key: s for s in sections_in(found[1] if found else [])}
    sections: dict[str, Section] = {}
    indicators: list[Indicator] = []
    empty = DatasetMeta(path=str(path))
    guard = book.kind == "csv"  # only `--excel` CSV puts a ' before a formula; a workbook
    # holds Excel's quote prefix as a format, so a ' read from one is the text's own

    def text(row: list[Cell], column: str) -> str:
        free = column in layout.FREE_TEXT  # what goes out comes back, surrounding spaces and all
        return cell_text(cell_at(row, columns.get(column)), strip=not free, guard=guard)

    for r, row in enumerate(rows[1:], start=1):
        rec = record(lambda column: text(row, column))  # noqa: B023
        if not rec and all(c.value in (None, "") and not c.formula for c in row):
            continue
        if ctx.formulas(r, row, [rec.get("id", "")]):
            continue
        reading = read_figure(cell_at(row, columns.get("value")), rec.get("unit", ""), book.kind)
        if reading.error:  # one finding: the record stays (without a value) for the rest
            ctx.report(r, "value", joined(("of.indicator", rec.get("id", "")), reading.error))
        elif reading.value is not None:
            rec["value"] = reading.value
        section = cell_text(cell_at(row, columns.get("section")))
        ind = ctx.build(rec, r, section, empty)
        if ind is None:
            continue
        indicators.append(ind._replace(file=str(path), line=r + 1))
        if section not in sections:
            sections[section] = titles.get(section) or Section(section, section, section)
    # targets are not read back: the 目标与比较 sheet shows them beside their figures, and
    # policy targets stay in the city's targets.toml (--targets), not in submissions
    return DirectoryData(_export_meta(path, book, indicators), tuple(sections.values()),
                         tuple(indicators), (), (), None, ())  # fmt: skip


def _export_meta(path: Path, book: Workbook, indicators: list[Indicator]) -> DatasetMeta:
    """The first dataset the export lists (title, publisher), or a bare one for a CSV."""
    regions = {i.region_code for i in indicators}
    periods = sorted({i.period for i in indicators})
    found = find_rows(book, "datasets")
    fields: dict[str, str] = {}
    if found is not None and len(found[1]) > 1:
        columns, _ = layout.header_fields([c.value for c in found[1][0]], layout.DATASET_FIELDS)
        row = found[1][1]
        fields = {f: cell_text(cell_at(row, i)) for f, i in columns.items()}
    return DatasetMeta(
        title_zh=fields.get("title_zh", ""),
        title_en=fields.get("title_en", ""),
        publisher_zh=fields.get("publisher_zh", ""),
        publisher_en=fields.get("publisher_en", ""),
        published=fields.get("published", ""),
        region_code=next(iter(regions)) if len(regions) == 1 else None,
        period=periods[-1] if periods else None,
        synthetic=fields.get("synthetic", "") == "true",
        notes=fields.get("notes", ""),
        path=str(path),
    )
