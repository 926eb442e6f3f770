"""`fanpin export --xlsx FILE`: everything as a real Excel workbook (XlsxWriter).

Sheets: 指标 (one row per record, the CSV columns plus additive and city_only), 目标与比较
(every target beside the figure it applies to), 来源与数据集 (each dataset's metadata and
source document), 章节 (sections). Numbers are numeric cells whose number format shows them
as written (3.1800 as 3.1800); text is text: nothing from the data is ever written as a
formula, and text a spreadsheet would take for one (`=`, `+`, `-`, `@`) carries Excel's quote
prefix, the workbook form of `--excel`'s leading `'`. Chinese headers (English with
`--lang en`), frozen header, autofilter, widths that fit Chinese.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from fanpin_cli.excel import FORMULA_STARTS
from fanpin_cli.labels import HEADERS, pick
from fanpin_cli.model import Dataset, Indicator
from fanpin_cli.sheets import layout
from fanpin_cli.sheets.fields import cells as fields_of
from fanpin_cli.sheets.fields import extra_columns
from fanpin_cli.sheets.template import width

EXCEL_MAX_DIGITS = 15  # beyond this a spreadsheet number is not exact: written as text


def number_format(value: int | Decimal) -> str:
    """The format code that shows `value` as written: 1294 as 0, 3.1800 as 0.0000."""
    if isinstance(value, int):
        return "0"
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def exact_in_a_cell(value: int | Decimal) -> bool:
    """Whether a spreadsheet's double holds `value` exactly as written (15 digits)."""
    digits = value.as_tuple().digits if isinstance(value, Decimal) else str(abs(value))
    return len(digits) <= EXCEL_MAX_DIGITS


class _Writer:
    """One workbook being written: formats made once, cells written by kind."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "text_wrap": True, "valign": "top"})  # fmt: skip
        self.quoted = book.add_format({"quote_prefix": True})
        self.numbers: dict[str, Any] = {}

    def number(self, code: str) -> Any:
        if code not in self.numbers:
            self.numbers[code] = self.book.add_format({"num_format": code})
        return self.numbers[code]

    def sheet(
        self,
        name: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
    ) -> None:
        ws = self.book.add_worksheet(name)
        for c, text in enumerate(headers):
            ws.write_string(0, c, text, self.head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                self.cell(ws, r, c, value)
        for c, text in enumerate(headers):
            column = [str(row[c]) for row in rows[:500] if row[c] is not None]
            ws.set_column(c, c, width([text, *column], least=8, most=48))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), max(len(headers) - 1, 0))

    def cell(self, ws: Any, r: int, c: int, value: object) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            ws.write_string(r, c, "true" if value else "false")
        elif isinstance(value, (int, Decimal)) and exact_in_a_cell(value):
            ws.write_number(r, c, float(value), self.number(number_format(value)))
        else:
            text = str(value)
            if text.startswith(FORMULA_STARTS):
                ws.write_string(r, c, text, self.quoted)
            else:
                ws.write_string(r, c, text)


def _indicator_rows(
    dataset: Dataset, records: Sequence[Indicator], lang: str
) -> tuple[list[str], list[str], list[list[object]]]:
    from fanpin_cli.views.indicators import indicators_output

    out = indicators_output(dataset, records, lang)
    extra = [f for f in extra_columns() if f not in out.fields]
    fields = [*out.fields, *extra]
    rows: list[list[object]] = []
    for ind, row in zip(records, out.rows, strict=True):
        cells = [
            str(v) if f == "parts" and v else v for f, v in ((f, row.get(f)) for f in out.fields)
        ]
        more = fields_of(ind)
        cells += [more.get(f) for f in extra]
        rows.append(cells)
    headers = [layout.header(f, lang) for f in fields]
    return fields, headers, rows


def _comparison_rows(dataset: Dataset, lang: str) -> tuple[list[str], list[list[object]]]:
    from fanpin_cli.compare import compare
    from fanpin_cli.views.compare import COMPARE_FIELDS, comparison_row

    regions = {r.code: r for r in dataset.regions}
    rows = [comparison_row(c, lang, regions) for c in compare(dataset)]
    return [layout.header(f, lang) for f in COMPARE_FIELDS], [
        [row.get(f) for f in COMPARE_FIELDS] for row in rows
    ]


def _dataset_rows(dataset: Dataset, lang: str) -> tuple[list[str], list[list[object]]]:
    headers = [layout.label(layout.DATASET_FIELDS, f, lang) for f in layout.DATASET_FIELDS]
    rows: list[list[object]] = []
    for m in dataset.metas:
        values = {
            "path": m.path, "title_zh": m.title_zh, "title_en": m.title_en,
            "publisher_zh": m.publisher_zh, "publisher_en": m.publisher_en,
            "published": m.published, "region_code": m.region_code, "period": m.period,
            "source_document": m.source_document, "synthetic": m.synthetic, "notes": m.notes,
        }  # fmt: skip
        rows.append([values[f] for f in layout.DATASET_FIELDS])
    return headers, rows


def export_xlsx(dataset: Dataset, records: Sequence[Indicator], path: Path, lang: str) -> None:
    """Write the workbook atomically to `path` (a failure leaves no partial file)."""
    import xlsxwriter

    from fanpin_cli.atomic import atomic_write_bytes
    from fanpin_cli.errors import output_error

    buf = io.BytesIO()
    # text is text: nothing in the data becomes a number, formula or link
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    book = xlsxwriter.Workbook(buf, {**options, "strings_to_urls": False})
    w = _Writer(book)
    _, headers, rows = _indicator_rows(dataset, records, lang)
    w.sheet(layout.sheet_name("indicators", lang), headers, rows)
    w.sheet(layout.sheet_name("targets", lang), *_comparison_rows(dataset, lang))
    w.sheet(layout.sheet_name("datasets", lang), *_dataset_rows(dataset, lang))
    used = {i.section for i in records}
    section_rows: list[list[object]] = [
        [s.key, s.number, s.title_zh, s.title_en] for s in dataset.sections if s.key in used
    ]
    section_headers = [pick(lang, *HEADERS[k]) for k in ("key", "number", "title_zh", "title_en")]
    w.sheet(layout.sheet_name("sections", lang), section_headers, section_rows)
    book.close()
    try:
        atomic_write_bytes(path, buf.getvalue())
    except OSError as exc:
        raise output_error(exc, str(path)) from None
