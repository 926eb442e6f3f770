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

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from fanpin_cli.errors import DataError
from fanpin_cli.load import (
    PERIOD_RE,
    REGION_RE,
    DirectoryData,
    Problems,
    _FileContext,
    build_indicator,
    unique,
)
from fanpin_cli.model import DatasetMeta, Indicator, Section, Target
from fanpin_cli.sheets import layout
from fanpin_cli.sheets.cells import Cell, Sheet, Workbook, cell_ref, read_workbook
from fanpin_cli.sheets.numbers import Reading, format_decimals, from_float, from_text

FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")  # `--excel` put a ' before these


class _CellContext(_FileContext):
    """Problems of one row reported at the cell of the field they concern."""

    __slots__ = ("columns", "sheet")

    def __init__(self, path: str, problems: Problems, sheet: str, columns: dict[str, int]):
        super().__init__(path, "", problems)
        self.sheet = sheet
        self.columns = columns

    def where(self, row: int, key: str | None) -> str:
        col = self.columns.get(key or "id", self.columns.get("id", 0))
        return cell_ref(self.sheet, row, col)

    def bad(self, start: int, key: str | None, message: str, ids: Sequence[str] = ()) -> None:
        self.report(start, key, message, ids)

    def report(
        self,
        row: int,
        key: str | None,
        message: str,
        ids: Sequence[str] = (),
        severity: str = "error",
    ) -> None:
        self.problems.add(
            f"{self.where(row, key)}: {message}",
            path=self.path,
            line=0,
            ids=ids,
            severity=severity,
        )


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    text = str(v).strip()
    return text[1:] if text.startswith(FORMULA_GUARD) else text


def _get(row: list[Cell], index: int | None) -> Cell | None:
    if index is None or index >= len(row):
        return None
    return row[index]


def read_figure(cell: Cell | None, unit: str, kind: str) -> Reading:
    """The figure a cell holds for a row in `unit` (see fanpin_cli.sheets.numbers)."""
    if cell is None or cell.value is None:
        return Reading()
    value = cell.value
    if isinstance(value, bool):
        return Reading(error="must be a number, not TRUE/FALSE")
    if isinstance(value, (int, float)):
        decimals, percent = format_decimals(cell.number_format)
        return from_float(float(value), decimals, percent=percent, unit=unit)
    if kind == "ods" and (cell.number_format == "ods-number" or cell.percent):
        return _ods_number(cell, unit)
    return from_text(str(value), unit)


def _ods_number(cell: Cell, unit: str) -> Reading:
    """An OpenDocument number: the exact decimal the file stores, shown precision kept."""
    raw = str(cell.value)
    try:
        number = Decimal(raw)
    except ArithmeticError:
        return Reading(error=f"cannot read {raw!r} as a number")
    shown = cell.shown.replace("%", "").strip()
    decimals = len(shown.split(".", 1)[1]) if "." in shown and shown[-1:].isdigit() else 0
    reading = from_float(float(number), decimals if "." in shown else None,
                         percent=cell.percent, unit=unit, shown=cell.shown)  # fmt: skip
    return reading


def _rows(book: Workbook, key: str) -> tuple[str, Sheet] | None:
    name = layout.find_sheet(list(book.sheets), key)
    return (name, book.sheets[name]) if name is not None else None


def load_sheet(path: Path, *, strict: bool = True) -> DirectoryData:
    """One spreadsheet file as the data of one dataset; `strict` raises the first error."""
    book = read_workbook(path)
    problems = Problems(strict)
    if layout.DEFINITIONS_SHEET in book.sheets:
        data = _load_template(path, book, problems)
    else:
        data = _load_export(path, book, problems)
    data.indicators = unique(data.indicators, problems)
    data.problems = problems.found
    return data


# ------------------------------------------------------------ fill-in workbooks


def _definitions(path: Path, book: Workbook) -> dict[str, dict[str, Any]]:
    rows = book.sheets[layout.DEFINITIONS_SHEET]
    if not rows:
        raise DataError(f"sheet {layout.DEFINITIONS_SHEET} is empty", path=str(path))
    columns, _ = layout.header_fields([c.value for c in rows[0]], layout.FIELD_LABELS)
    defs: dict[str, dict[str, Any]] = {}
    for r, row in enumerate(rows[1:], start=1):
        rec = {f: _text(_get(row, i)) for f, i in columns.items()}
        rid = rec.get("id", "")
        if not rid:
            continue
        rec["_row"] = str(r)
        defs[rid] = rec
    return defs


def _sections(book: Workbook) -> list[Section]:
    rows = book.sheets.get(layout.SECTIONS_SHEET) or []
    out = []
    for row in rows[1:]:
        key, number, zh, en = (_text(_get(row, i)) for i in range(4))
        if key:
            out.append(Section(key, zh, en, number))
    return out


def _meta(path: Path, book: Workbook, ctx_problems: Problems) -> DatasetMeta:
    found = _rows(book, "dataset")
    values: dict[str, str] = {}
    if found is not None:
        sheet, rows = found
        for r, row in enumerate(rows):
            key = _text(_get(row, 0))
            if key in layout.DATASET_ROWS:
                values[key] = _text(_get(row, 2))
                values["_" + key] = cell_ref(sheet, r, 2)
    region, period = values.get("region_code", ""), values.get("period", "")
    if not REGION_RE.match(region):
        where = values.get("_region_code", layout.sheet_name("dataset", "zh"))
        ctx_problems.add(
            f"{where}: region code {region!r} must be six digits", path=str(path), line=0
        )
    if not PERIOD_RE.match(period):
        where = values.get("_period", layout.sheet_name("dataset", "zh"))
        ctx_problems.add(
            f"{where}: period {period!r} is not YYYY, YYYY-Qn or YYYY-MM", path=str(path), line=0
        )
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
    rec: dict[str, Any] = {k: d[k] for k in ("id", "name_zh", "name_en", "unit") if d.get(k)}
    for key in ("basis", "subset_of", "source"):
        if d.get(key):
            rec[key] = d[key]
    if d.get("parts"):
        rec["parts"] = [p for p in d["parts"].split(";") if p]
    if d.get("ratio_numerator") or d.get("ratio_denominator"):
        rec["ratio"] = {"numerator": d.get("ratio_numerator", ""),
                        "denominator": d.get("ratio_denominator", "")}  # fmt: skip
    for key in ("additive", "city_only"):
        if d.get(key) in ("true", "false"):
            rec[key] = d[key] == "true"
    return rec


def _load_template(path: Path, book: Workbook, problems: Problems) -> DirectoryData:
    defs = _definitions(path, book)
    sections = _sections(book)
    meta = _meta(path, book, problems)
    found = _rows(book, "indicators")
    if found is None:
        raise DataError(
            f"no sheet {layout.sheet_name('indicators', 'zh')!r} "
            f"(or {layout.sheet_name('indicators', 'en')!r})",
            path=str(path),
        )
    sheet, rows = found
    if not rows:
        raise DataError(f"sheet {sheet} is empty", path=str(path))
    columns, _ = layout.header_fields([c.value for c in rows[0]], layout.TEMPLATE_COLUMNS)
    for needed in ("id", "value"):
        if needed not in columns:
            raise DataError(
                f"{sheet}!1: no {layout.label(layout.TEMPLATE_COLUMNS, needed, 'zh')} "
                f"({layout.label(layout.TEMPLATE_COLUMNS, needed, 'en')}) column",
                path=str(path),
            )
    ctx = _CellContext(str(path), problems, sheet, columns)
    defaults = meta
    seen: set[str] = set()
    indicators: list[Indicator] = []
    for r, row in enumerate(rows[1:], start=1):
        rid = _text(_get(row, columns["id"]))
        value_cell = _get(row, columns["value"])
        note = _text(_get(row, columns.get("note")))
        if not rid:
            if any(c.value not in (None, "") for c in row):
                ctx.report(r, "id", "this row has no id; copy the id of the indicator it is for")
            continue
        d = defs.get(rid)
        if d is None:
            ctx.report(r, "id", f"unknown id {rid!r}: not an indicator of this template", [rid])
            continue
        seen.add(rid)
        rec = _definition_record(d)
        unit = rec.get("unit", "")
        name = _text(_get(row, columns.get("name")))
        if "name" in columns and name and name not in (d.get("name_zh"), d.get("name_en")):
            said = d.get("name_zh")
            message = f"{rid}: the name was changed to {name!r} (the template says {said!r})"
            ctx.report(r, "name", message + "; the template's is kept", [rid], "warning")
        shown_unit = _text(_get(row, columns.get("unit")))
        if "unit" in columns and shown_unit != unit:
            ctx.report(r, "unit", f"{rid}: the unit was changed to {shown_unit!r}; this "
                       f"indicator is reported in {unit}: restore it and give the value in "
                       f"{unit}", [rid])  # fmt: skip
        reading = read_figure(value_cell, unit, book.kind)
        if reading.error:
            ctx.report(r, "value", f"{rid}: {reading.error}", [rid])
            continue
        if reading.value is not None:
            rec["value"] = reading.value
        if note:
            rec["note"] = note
        elif reading.not_reported is not None:
            rec["note"] = f"未报告 (not reported): {reading.not_reported}"
        ind = build_indicator(rec, ctx, r, d.get("section", ""), defaults)
        if ind is not None:
            indicators.append(ind._replace(file=str(path), line=r + 1))
    for rid, d in defs.items():  # rows deleted from the sheet: not filled in
        if rid not in seen:
            ind = build_indicator(_definition_record(d), ctx, int(d["_row"]), d.get("section", ""),
                                  defaults)  # fmt: skip
            if ind is not None:
                indicators.append(ind._replace(file=str(path), line=0))
    order = {rid: i for i, rid in enumerate(defs)}
    indicators.sort(key=lambda i: order.get(i.id, len(order)))
    used = {i.section for i in indicators}
    return DirectoryData(meta, [s for s in sections if s.key in used], indicators, [], [],
                         None, [])  # fmt: skip


# -------------------------------------------------------------- exports and CSV


def _load_export(path: Path, book: Workbook, problems: Problems) -> DirectoryData:
    if book.kind == "csv":
        sheet, rows = "", book.sheets[""]
    else:
        found = _rows(book, "indicators")
        if found is None:
            raise DataError(
                "not a fanpin workbook: no sheet 指标 (Indicators); make one with "
                "`fanpin template --xlsx FILE` or `fanpin export --xlsx FILE`",
                path=str(path),
            )
        sheet, rows = found
    if not rows:
        raise DataError("file is empty", path=str(path))
    columns, _unknown = layout.header_fields([c.value for c in rows[0]], layout.FIELD_LABELS)
    missing = [f for f in ("id", "section", "name_zh", "name_en", "unit", "period",
                           "region_code") if f not in columns]  # fmt: skip
    if missing:
        where = f"{sheet}!1" if sheet else "line 1"
        raise DataError(
            f"{where}: no {', '.join(missing)} column; fanpin reads the CSV and workbooks "
            "that `fanpin export` writes (whole, with its header) and its fill-in workbooks",
            path=str(path),
        )
    ctx = _CellContext(str(path), problems, sheet, columns)
    titles = _export_sections(book)
    sections: dict[str, Section] = {}
    indicators: list[Indicator] = []
    empty = DatasetMeta(path=str(path))
    for r, row in enumerate(rows[1:], start=1):
        rec: dict[str, Any] = {}
        for field in ("id", "name_zh", "name_en", "unit", "period", "region_code", "basis",
                      "source", "subset_of", "note", "direction"):  # fmt: skip
            text = _text(_get(row, columns.get(field)))
            if text:
                rec[field] = text
        if not rec and all(c.value in (None, "") for c in row):
            continue
        parts = _text(_get(row, columns.get("parts")))
        if parts:
            rec["parts"] = [p for p in parts.split(";") if p]
        num = _text(_get(row, columns.get("ratio_numerator")))
        den = _text(_get(row, columns.get("ratio_denominator")))
        if num or den:
            rec["ratio"] = {"numerator": num, "denominator": den}
        for key in ("additive", "city_only"):
            flag = _text(_get(row, columns.get(key))).lower()
            if flag in ("true", "false"):
                rec[key] = flag == "true"
        reading = read_figure(_get(row, columns.get("value")), rec.get("unit", ""), book.kind)
        if reading.error:
            ctx.report(r, "value", f"{rec.get('id', '')}: {reading.error}")
            continue
        if reading.value is not None:
            rec["value"] = reading.value
        section = _text(_get(row, columns.get("section")))
        ind = build_indicator(rec, ctx, r, section, empty)
        if ind is None:
            continue
        indicators.append(ind._replace(file=str(path), line=r + 1))
        if section not in sections:
            sections[section] = titles.get(section) or Section(section, section, section)
    targets = _export_targets(path, book, problems)
    return DirectoryData(_export_meta(path, book, indicators), list(sections.values()),
                         indicators, targets, [], None, [])  # fmt: skip


_TARGET_FIELDS = ("id", "comparator", "target", "target_unit", "relative_to", "level",
                  "target_year", "confidence", "basis_title", "basis_issuer", "basis_year",
                  "basis_quote", "basis_url", "basis_note")  # fmt: skip


def _export_targets(path: Path, book: Workbook, problems: Problems) -> list[Target]:
    """The targets an export's 目标与比较 sheet declares (each once), through load's validator."""
    found = _rows(book, "targets")
    if found is None or not found[1]:
        return []
    sheet, rows = found
    columns, _ = layout.header_fields([c.value for c in rows[0]],
                                      layout.header_table(_TARGET_FIELDS))  # fmt: skip
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    for r, row in enumerate(rows[1:], start=1):
        cell = {f: _text(_get(row, i)) for f, i in columns.items()}
        if not cell.get("id"):
            continue
        rec: dict[str, Any] = {"indicator": cell["id"]}
        for key, field in (("comparator", "comparator"), ("unit", "target_unit"),
                           ("relative_to", "relative_to"), ("level", "level"),
                           ("target_year", "target_year")):  # fmt: skip
            if cell.get(field):
                rec[key] = cell[field]
        reading = from_text(cell.get("target", ""), rec.get("unit", ""))
        rec["value"] = reading.value
        basis = {k: cell[f] for k, f in (("title", "basis_title"), ("issuer", "basis_issuer"),
                 ("year", "basis_year"), ("quote", "basis_quote"), ("confidence", "confidence"),
                 ("url", "basis_url"), ("note", "basis_note")) if cell.get(f)}  # fmt: skip
        rec["basis"] = basis
        if rec not in records:
            records.append(rec)
            lines.append(r)
    return targets_from_records(records, lines, str(path), sheet, problems)


def _export_sections(book: Workbook) -> dict[str, Section]:
    found = _rows(book, "sections")
    if found is None:
        return {}
    _, rows = found
    out: dict[str, Section] = {}
    for row in rows[1:]:
        key, number, zh, en = (_text(_get(row, i)) for i in range(4))
        if key:
            out[key] = Section(key, zh, en, number)
    return out


def _export_meta(path: Path, book: Workbook, indicators: list[Indicator]) -> DatasetMeta:
    """The first dataset the export lists (title, publisher), or a bare one for a CSV."""
    regions = {i.region_code for i in indicators}
    periods = sorted({i.period for i in indicators})
    found = _rows(book, "datasets")
    fields: dict[str, str] = {}
    if found is not None and len(found[1]) > 1:
        columns, _ = layout.header_fields([c.value for c in found[1][0]], layout.DATASET_FIELDS)
        row = found[1][1]
        fields = {f: _text(_get(row, i)) for f, i in columns.items()}
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


def targets_from_records(
    records: list[dict[str, Any]], rows: list[int], path: str, sheet: str, problems: Problems
) -> list[Target]:
    """Targets from an export's sheet, each checked as targets.toml is; problems at their row."""
    from fanpin_cli.model import COMPARATORS, CONFIDENCE, LEVELS, TargetBasis

    out: list[Target] = []
    for rec, r in zip(records, rows, strict=True):
        where = f"{sheet}!{r + 1}" if sheet else f"line {r + 1}"
        tid = rec["indicator"]
        basis = rec["basis"]
        why = None
        if rec.get("comparator") not in COMPARATORS:
            why = f"unknown comparator {rec.get('comparator')!r}"
        elif rec.get("value") is None:
            why = "no target value"
        elif rec.get("level") not in LEVELS:
            why = f"level must be one of {', '.join(LEVELS)}"
        elif any(not basis.get(k) for k in ("title", "issuer", "year", "quote", "confidence")):
            why = "the basis needs a title, issuer, year, quote and confidence"
        elif basis["confidence"] not in CONFIDENCE:
            why = f"confidence {basis['confidence']!r} not in {', '.join(CONFIDENCE)}"
        if why:
            problems.add(f"{where}: target {tid}: {why}", path=path, line=0)
            continue
        out.append(
            Target(
                indicator_id=tid,
                comparator=rec["comparator"],
                value=rec["value"],
                unit=rec.get("unit", ""),
                level=rec["level"],
                basis=TargetBasis(**basis),
                relative_to=rec.get("relative_to"),
                target_year=rec.get("target_year"),
                file=path,
                line=r + 1,
            )
        )
    return out
