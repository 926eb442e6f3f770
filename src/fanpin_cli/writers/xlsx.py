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

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from fanpin_cli.core.labels import HEADERS, pick
from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.core.schema import basis_field
from fanpin_cli.reading.sheets import layout
from fanpin_cli.reading.sheets.budget import MAX_CELL_CHARS
from fanpin_cli.reading.sheets.fields import cells as fields_of
from fanpin_cli.reading.sheets.fields import extra_columns
from fanpin_cli.reading.sheets.numbers import EXCEL_DIGITS
from fanpin_cli.writers.excel_csv import FORMULA_STARTS
from fanpin_cli.writers.template_xlsx import save_xlsx, width


def number_format(value: int | Decimal) -> str:
    """The format code that shows `value` as written: 1294 as 0, 3.1800 as 0.0000."""
    if isinstance(value, int):
        return "0"
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def exact_in_a_cell(value: int | Decimal) -> bool:
    """Whether a spreadsheet's double holds `value` exactly as written (else: text)."""
    digits = value.as_tuple().digits if isinstance(value, Decimal) else str(abs(value))
    return len(digits) <= EXCEL_DIGITS


class Writer:
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
            if len(text) > MAX_CELL_CHARS:  # Excel would cut it without a word: refuse
                from fanpin_cli.core.errors import DataError
                from fanpin_cli.reading.sheets.cells import cell_ref

                where = cell_ref(ws.get_name(), r, c)
                raise DataError.said(("sheet.cell_too_long", where, f"{len(text):,}"))
            if text.startswith(FORMULA_STARTS):
                ws.write_string(r, c, text, self.quoted)
            else:
                ws.write_string(r, c, text)


# Columns whose values are codes (annual, national, …) a workbook shows in its language; a
# flag's true/false too. Reading a workbook back takes either language's word.
CODED = (basis_field(), "direction", "kind", "level", "confidence", "status", "progress_status")
FLAGS = ("additive", "city_only", "synthetic")


def shown(field: str, value: object, lang: str) -> object:
    """A cell's value as the workbook shows it in `lang` (codes and flags in words)."""
    from fanpin_cli.core.labels import TERMS_ZH, term

    if isinstance(value, bool):
        value = "true" if value else "false"
    if field in FLAGS and value in layout.FLAG_WORDS:
        return layout.label(layout.FLAG_WORDS, str(value), lang)
    if field in CODED and isinstance(value, str) and value in TERMS_ZH:
        return term(value, lang)
    return value


def _indicator_rows(
    dataset: Dataset, records: Sequence[Indicator], lang: str
) -> tuple[list[str], list[list[object]]]:
    """The listing's columns, then the fields a record has beyond them (additive, …)."""
    from fanpin_cli.views.indicators import indicators_output

    out = indicators_output(dataset, records, lang)
    extra = [f for f in extra_columns() if f not in out.fields]
    columns = (*out.fields, *extra)
    rows: list[list[object]] = []
    for ind, row in zip(records, out.rows, strict=True):
        more = fields_of(ind)
        values = [*(row.get(f) for f in out.fields), *(more.get(f) for f in extra)]
        rows.append([shown(f, v, lang) for f, v in zip(columns, values, strict=True)])
    return [layout.header(f, lang) for f in columns], rows


def _comparison_rows(dataset: Dataset, lang: str) -> tuple[list[str], list[list[object]]]:
    from fanpin_cli.analysis.compare import compare
    from fanpin_cli.core.labels import say
    from fanpin_cli.views.compare import COMPARE_FIELDS, comparison_row

    regions = {r.code: r for r in dataset.regions}
    rows = []
    for c in compare(dataset):
        row = comparison_row(c, lang, regions)
        row["reason"] = say(c.reason, lang) if c.reason else row.get("reason")
        rows.append([shown(f, row.get(f), lang) for f in COMPARE_FIELDS])
    return [layout.header(f, lang) for f in COMPARE_FIELDS], rows


def shown_path(path: str) -> str:
    """A dataset's path as a report shows it: `@bundled` for the data shipped with fanpin
    (never the folder fanpin is installed in), the user's own path otherwise."""
    from pathlib import Path

    from fanpin_cli.core.bundled import BUNDLED, bundled_data_dir

    try:
        inside = Path(path).resolve().relative_to(bundled_data_dir().resolve())
    except (ValueError, OSError):
        return path
    return BUNDLED if str(inside) == "." else f"{BUNDLED}/{inside.as_posix()}"


def export_xlsx(dataset: Dataset, records: Sequence[Indicator], path: Path, lang: str) -> None:
    """Write the workbook atomically to `path` (a failure leaves no partial file)."""
    from fanpin_cli.core.errors import DataError

    try:
        save_xlsx(path, lambda book: _fill(book, dataset, records, lang))
    except DataError as exc:  # what the workbook cannot hold: nothing is written
        exc.path = exc.path or str(path)
        raise


def _fill(book: Any, dataset: Dataset, records: Sequence[Indicator], lang: str) -> None:
    w = Writer(book)
    w.sheet(layout.sheet_name("indicators", lang), *_indicator_rows(dataset, records, lang))
    w.sheet(layout.sheet_name("targets", lang), *_comparison_rows(dataset, lang))
    fields = layout.DATASET_FIELDS  # DatasetMeta's own field names
    metas = [[shown_path(m.path) if f == "path" else shown(f, getattr(m, f), lang)
              for f in fields] for m in dataset.metas]  # fmt: skip
    w.sheet(layout.sheet_name("datasets", lang), [layout.label(fields, f, lang) for f in fields],
            metas)  # fmt: skip
    used = {i.section for i in records}
    section_rows: list[list[object]] = [
        [s.key, s.number, s.title_zh, s.title_en] for s in dataset.sections if s.key in used
    ]
    section_headers = [pick(lang, *HEADERS[k]) for k in ("key", "number", "title_zh", "title_en")]
    w.sheet(layout.sheet_name("sections", lang), section_headers, section_rows)
