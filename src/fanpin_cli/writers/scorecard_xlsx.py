"""`fanpin scorecard --xlsx FILE`: the scorecard as a workbook (XlsxWriter, imported only here).

One sheet: row 1 the machine columns of `scorecard -o csv` (region_code, region_name,
period, then ID, ID:status, ID:rank for each indicator), row 2 their names in the chosen
language, then one row per region with the same values as the CSV. Conditional formatting
colours each value and status by its status (met green, missed red, not reported grey);
the two header rows and the region columns are frozen. Text is text, never a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanpin_cli.analysis.scorecard import Scorecard
from fanpin_cli.core.labels import HEADERS, pick
from fanpin_cli.reading.sheets.cells import column_letter
from fanpin_cli.views.output import Output
from fanpin_cli.writers.template_xlsx import save_xlsx, width
from fanpin_cli.writers.xlsx import Writer

# conditional formats by status code: (font colour, fill)
COLOURS = {
    "met": ("#006100", "#C6EFCE"),
    "missed": ("#9C0006", "#FFC7CE"),
    "not reported": ("#595959", "#EDEDED"),
    "not comparable": ("#7F6000", "#FFEB9C"),
}


def _names(output: Output, card: Scorecard, lang: str) -> list[str]:
    """Row 2: each machine column's name in `lang`."""
    by_id = {r.record.id: r.record for r in card.indicators}
    out = []
    for f in output.fields:
        rid, _, part = f.partition(":")
        if rid in by_id:
            record = by_id[rid]
            label = pick(lang, record.name_zh, record.name_en)
            out.append(label if not part else f"{label} · {pick(lang, *HEADERS[part])}")
        else:
            out.append(pick(lang, *HEADERS[{"region_code": "region", "region_name": "region"}
                                            .get(f, f)]))  # fmt: skip
    return out


def write_scorecard(output: Output, card: Scorecard, path: Path, lang: str) -> None:
    """Write the workbook atomically to `path` (a failure leaves no file)."""
    save_xlsx(path, lambda book: _fill(book, output, card, lang))


def _fill(book: Any, output: Output, card: Scorecard, lang: str) -> None:
    w = Writer(book)
    ws = book.add_worksheet(pick(lang, "计分卡", "Scorecard"))
    fields = list(output.fields)
    for c, (key, label) in enumerate(zip(fields, _names(output, card, lang), strict=True)):
        ws.write_string(0, c, key, w.head)
        ws.write_string(1, c, label, w.head)
        shown = [str(row.get(key) or "") for row in output.rows]
        ws.set_column(c, c, width([key, label, *shown], least=8, most=30))
    for r, row in enumerate(output.rows, start=2):
        for c, key in enumerate(fields):
            w.cell(ws, r, c, row.get(key))
    last = len(output.rows) + 1
    formats = {
        s: book.add_format({"font_color": f, "bg_color": b}) for s, (f, b) in COLOURS.items()
    }
    for c, key in enumerate(fields):
        if not key.endswith(":status"):
            continue
        status = column_letter(c)
        for target in (c - 1, c):  # the value and the status itself
            for code, fmt in formats.items():
                ws.conditional_format(2, target, last, target, {
                    "type": "formula", "criteria": f'=${status}3="{code}"', "format": fmt,
                })  # fmt: skip
    ws.freeze_panes(2, 2)
