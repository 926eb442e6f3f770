"""Indicator rows read as columns (rows.IndicatorRows) and CSV joined from them
(writers.csvfmt): the same values as the dict per row, the same bytes as csv.writer."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanpin_cli.core.model import Indicator, Region
from fanpin_cli.reading.load import load
from fanpin_cli.views.indicators import INDICATOR_VIEW
from fanpin_cli.views.output import Output, Sink
from fanpin_cli.views.rows import INDICATOR_COLUMNS, IndicatorRows, indicator_row
from fanpin_cli.writers import Format, write

DATASET = load([DATA], use_cache=False)
REGIONS = {r.code: r for r in DATASET.regions}


def _csv_writer_text(rows: IndicatorRows, fields: tuple[str, ...]) -> str:
    """What csv.writer makes of the same rows, cell by cell (the slow path): told to end
    rows with CRLF, so that it quotes a cell with a bare CR too, each row then ended by LF."""
    out = ""
    for cells in (fields, *(tuple(row[f] for f in fields) for row in rows)):
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\r\n").writerow(cells)
        out += buf.getvalue().removesuffix("\r\n") + "\n"
    return out


def _rendered(rows: IndicatorRows, fields: tuple[str, ...]) -> str:
    buf = io.StringIO(newline="")
    output = Output(rows=rows, fields=fields, columns=INDICATOR_VIEW, plain=True)
    write(output, Sink(stream=buf), Format.CSV)
    return buf.getvalue()


def test_columns_are_the_rows_values_for_every_key() -> None:
    for en in (False, True):
        rows = IndicatorRows(DATASET.indicators, REGIONS, en)
        whole = [indicator_row(i, REGIONS.get(i.region_code), en) for i in DATASET.indicators]
        assert list(rows) == whole and rows[3] == whole[3] and rows[2:5] == whole[2:5]
        for key in whole[0]:
            assert rows.column(key) == [row[key] for row in whole], key
            if IndicatorRows.texts(key):
                assert {type(v) for v in rows.column(key)} <= {str, type(None)}, key


def test_bundled_csv_from_columns_is_csv_writers() -> None:
    rows = IndicatorRows(DATASET.indicators, REGIONS, False)
    assert any("," in (i.source or "") for i in DATASET.indicators)  # quoted cells too
    for fields in (INDICATOR_COLUMNS, ("value", "id"), ("source", "name_en", "parts")):
        assert _rendered(rows, fields) == _csv_writer_text(rows, fields)


def test_quoted_cells_are_joined_from_columns_too() -> None:
    """The bundled quotes hold commas and quotation marks: their cells are quoted from the
    columns, not by writing every row again with csv.writer (issue 10: ~4.5M instructions
    of `export --csv`)."""
    from fanpin_cli.writers.csvfmt import _lines

    rows = IndicatorRows(DATASET.indicators, REGIONS, False)
    lines = _lines(rows, INDICATOR_COLUMNS)
    assert lines is not None and '"' in lines
    assert ",".join(INDICATOR_COLUMNS) + "\n" + lines == _csv_writer_text(rows, INDICATOR_COLUMNS)


TEXT = st.text(alphabet=st.sampled_from(['a', '中', ',', '"', '\n', '\r', ' ', '\x00', ';']),
               max_size=6)  # fmt: skip
OPTIONAL = st.none() | TEXT


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    records=st.lists(
        st.tuples(
            TEXT, TEXT, OPTIONAL, OPTIONAL,
            st.none() | st.integers(-(10**17), 10**17) | st.decimals(
                min_value=-(10**6), max_value=10**6, places=3, allow_nan=False
            ),
            st.lists(TEXT, max_size=2), st.none() | st.tuples(TEXT, TEXT),
            st.sampled_from(["620121", "620100", "999999"]),
        ),
        max_size=8,
    ),
    en=st.booleans(),
)  # fmt: skip
def test_csv_joined_from_columns_is_csv_writers_for_any_cells(
    records: list[tuple[object, ...]], en: bool
) -> None:
    """Commas, quotes, CR, LF and NUL anywhere: the bytes are csv.writer's."""
    made = [
        Indicator(
            id=ident, section="s", name_zh=name or "名", name_en=name or "x", value=value,
            unit="户", period="2023", region_code=code, source=source, parts=tuple(parts),
            ratio=ratio, note=note,
        )
        for ident, name, source, note, value, parts, ratio, code in records
    ]  # fmt: skip
    regions = {"620121": Region("620121", "永登县", "Yongdeng, County")}
    rows = IndicatorRows(made, regions, en)
    fields = INDICATOR_COLUMNS
    if all(type(v) is not Decimal or v.adjusted() >= -6 for v in rows.column("value")):
        assert _rendered(rows, fields) == _csv_writer_text(rows, fields)
