"""Write a fill-in workbook (.xlsx) for one region and period, with XlsxWriter.

Sheets: 指标 (id, 指标, 单位 locked; 数值 the only editable column, validated as a number
with an input message naming the unit; 备注/来源 editable), 数据集 (region, period, who
fills it in), 填写说明 (instructions), and two hidden, protected sheets holding every
definition the county does not type (names, relations), so the file alone is a dataset.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fanpin_cli.core.labels import name, pick
from fanpin_cli.core.model import Dataset, DatasetMeta, Indicator, Region
from fanpin_cli.reading.sheets import layout
from fanpin_cli.reading.sheets.fields import cells, definition_columns

MAX_FIGURE = 10**18  # the loader's bound on a plausible figure


def width(texts: list[str], least: int = 6, most: int = 60) -> int:
    """Column width in character units: a CJK character takes two."""
    import unicodedata

    def cells(t: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in t)

    return max(least, min(most, max((cells(t) for t in texts), default=0) + 2))


def fit(text: str, most: int) -> str:
    """`text` within a workbook field's limit (a title 32, a message 255 characters): Excel
    drops a validation whose texts are longer, so a long unit must never cost a row its
    number check."""
    return text if len(text) <= most else text[: most - 1] + "…"


def save_xlsx(path: Path, fill: Callable[[Any], None]) -> None:
    """The workbook `fill` writes, saved to `path` atomically (a failure leaves no file).
    Text is text: nothing in the data becomes a number, formula or link."""
    import io

    import xlsxwriter

    from fanpin_cli.files.atomic import atomic_write_bytes

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False,
                                     "strings_to_urls": False})  # fmt: skip
    fill(book)
    book.close()
    atomic_write_bytes(path, buf.getvalue())


def template_indicators(dataset: Dataset, region: Region) -> list[Indicator]:
    """One record per indicator id the region's level reports, in dataset order.

    A county-level region (its code does not end in 00) is not asked for the indicators
    marked `city_only` (the city's own leaders, meetings, assessment issues and 市级 villages,
    and figures of one county alone such as 全国台联's assistance to 榆中县).
    """
    county = not region.code.endswith("00")
    first: dict[str, Indicator] = {}
    for ind in dataset.indicators:
        first.setdefault(ind.id, ind)
    return [ind for ind in first.values() if not (county and ind.city_only)]


def template_meta(region: Region, period: str) -> DatasetMeta:
    """What a template for `region` and `period` says of its dataset, TOML or workbook."""
    return DatasetMeta(
        title_zh=f"{region.name_zh}{period}年巩固拓展脱贫攻坚成果指标",
        title_en=f"{region.name_en} {period}: poverty-return monitoring indicators",
        publisher_zh=region.name_zh + "乡村振兴局",
        region_code=region.code,
        period=period,
        notes="Filled in by the county from its own records.",
    )


INSTRUCTIONS: dict[str, list[str]] = {
    "zh": [
        "填写说明",
        "1. 只在“数值”列填写数字，单位见“单位”列（例如 1294、59.6、3.1800）。",
        "2. 不要改动编号、指标和单位列；可以调整行的顺序或删除不需填写的行，编号是每行的依据。",
        "3. 百分比可以填 59.6 或 59.6%；数字可以带千位分隔符（1,294）。",
        "4. 没有数据的指标填“无”或“-”，并在“备注/来源”说明原因；留空表示尚未填写。",
        "5. 在“数据集”表填写填报单位、联系人和日期。",
        "6. 保存为 .xlsx、.xls 或 .ods 均可，文件交回后用 fanpin check 检查。",
    ],
    "en": [
        "Instructions",
        "1. Type figures only in the Value column, in the unit shown (e.g. 1294, 59.6, 3.1800).",
        "2. Do not change the id, indicator and unit columns; rows may be reordered or deleted: "
        "the id is the key of each row.",
        "3. Percentages may be typed as 59.6 or 59.6%; numbers may have thousands separators.",
        "4. For a figure you do not have, type 无 or - and give the reason under Note / source; "
        "an empty cell means not yet filled in.",
        "5. Fill in the publisher, contact and date on the Dataset sheet.",
        "6. Save as .xlsx, .xls or .ods; the returned file is checked with fanpin check.",
    ],
}


def write_template_xlsx(
    dataset: Dataset, region: Region, period: str, path: Path, lang: str = "zh"
) -> list[Indicator]:
    """Write the workbook to `path` atomically (parents created); returns its indicators."""
    from fanpin_cli.core.errors import output_error

    records = template_indicators(dataset, region)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as `mkdir -p` would
    except OSError as exc:
        raise output_error(exc, str(path)) from None
    save_xlsx(path, lambda book: _fill(book, dataset, records, region, period, lang))
    return records


def _fill(
    book: object,
    dataset: Dataset,
    records: list[Indicator],
    region: Region,
    period: str,
    lang: str,
) -> None:
    from xlsxwriter.workbook import Workbook

    assert isinstance(book, Workbook)
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "locked": True,
                            "text_wrap": True, "valign": "vcenter"})  # fmt: skip
    locked = book.add_format({"locked": True, "bg_color": "#F2F2F2", "border": 1,
                              "font_color": "#404040"})  # fmt: skip
    editable = book.add_format({"locked": False, "border": 1, "bg_color": "#FFF2CC"})
    note_fmt = book.add_format({"locked": False, "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 14})

    ws = book.add_worksheet(layout.sheet_name("indicators", lang))
    cols = list(layout.TEMPLATE_COLUMNS)
    headers = [layout.label(layout.TEMPLATE_COLUMNS, c, lang) for c in cols]
    for c, text in enumerate(headers):
        ws.write_string(0, c, text, head)
    names = [name(r, lang) for r in records]
    for r, ind in enumerate(records, start=1):
        ws.write_string(r, 0, ind.id, locked)
        ws.write_string(r, 1, name(ind, lang), locked)
        ws.write_string(r, 2, ind.unit, locked)
        ws.write_blank(r, 3, None, editable)
        ws.write_blank(r, 4, None, note_fmt)
        unit_name = ind.unit
        message = pick(lang, f"请填写数字，单位：{unit_name}。没有数据填“无”。",
                       f"Type a number in {unit_name}. No figure: type 无 or -.")  # fmt: skip
        ws.data_validation(r, 3, r, 3, {
            "validate": "decimal", "criteria": "between",
            "minimum": -MAX_FIGURE + 1, "maximum": MAX_FIGURE - 1,
            "input_title": fit(pick(lang, f"单位：{unit_name}", f"Unit: {unit_name}"), 32),
            "input_message": fit(message, 255),
            "error_title": pick(lang, "数值", "Value"),
            "error_message": fit(pick(lang, f"这一格应填数字（单位：{unit_name}）。确定要保留吗？",
                                 f"This cell takes a number in {unit_name}. Keep it anyway?"), 255),
            "error_type": "warning",
        })  # fmt: skip
    ws.set_column(0, 0, width([r.id for r in records]))
    ws.set_column(1, 1, width([*names, headers[1]], most=50))
    ws.set_column(2, 2, width([r.unit for r in records] + [headers[2]]))
    ws.set_column(3, 3, 14)
    ws.set_column(4, 4, 40)
    ws.freeze_panes(1, 0)
    ws.protect("", {"format_columns": True, "format_rows": True, "sort": True,
                    "autofilter": True, "insert_rows": True, "delete_rows": True})  # fmt: skip
    ws.activate()

    meta = book.add_worksheet(layout.sheet_name("dataset", lang))
    meta.write_string(0, 0, "key", head)
    meta.write_string(0, 1, pick(lang, "项目", "Item"), head)
    meta.write_string(0, 2, pick(lang, "内容", "Content"), head)
    said = template_meta(region, period)
    values = {
        "region_code": region.code,
        "region_name": name(region, lang),
        "period": period,
        "title_zh": said.title_zh,
        "publisher_zh": said.publisher_zh,
    }
    for r, (key, (zh, en, can_edit)) in enumerate(layout.DATASET_ROWS.items(), start=1):
        meta.write_string(r, 0, key, locked)
        meta.write_string(r, 1, pick(lang, zh, en), locked)
        text = values.get(key, "")
        fmt = editable if can_edit else locked
        if text:
            meta.write_string(r, 2, text, fmt)
        else:
            meta.write_blank(r, 2, None, fmt)
    meta.set_column(0, 0, 14)
    meta.set_column(1, 1, 14)
    meta.set_column(2, 2, 44)
    meta.freeze_panes(1, 0)
    meta.protect("", {"format_columns": True})

    guide = book.add_worksheet(layout.sheet_name("instructions", lang))
    lines = pick(lang, INSTRUCTIONS["zh"], INSTRUCTIONS["en"])
    guide.write_string(0, 0, lines[0], title)
    head_line = f"{name(region, lang)} ({region.code}) {period}"
    guide.write_string(1, 0, head_line)
    for r, text in enumerate(lines[1:], start=3):
        guide.write_string(r, 0, text, wrap)
    guide.set_column(0, 0, 100)

    _definitions_sheet(book, dataset, records, locked)


def _definitions_sheet(
    book: object, dataset: Dataset, records: list[Indicator], fmt: object
) -> None:
    from xlsxwriter.workbook import Workbook

    assert isinstance(book, Workbook)
    ws = book.add_worksheet(layout.DEFINITIONS_SHEET)
    columns = definition_columns()
    for c, field in enumerate(columns):
        ws.write_string(0, c, field)
    for r, ind in enumerate(records, start=1):
        texts = cells(ind)
        for c, field in enumerate(columns):
            if texts.get(field):
                ws.write_string(r, c, texts[field])
    ws.protect()
    ws.hide()
    sections = book.add_worksheet(layout.SECTIONS_SHEET)
    for c, field in enumerate(("key", "number", "title_zh", "title_en")):
        sections.write_string(0, c, field)
    used = {r.section for r in records}
    row = 1
    for s in dataset.sections:
        if s.key in used:
            for c, text in enumerate((s.key, s.number, s.title_zh, s.title_en)):
                if text:
                    sections.write_string(row, c, text)
            row += 1
    sections.protect()
    sections.hide()
