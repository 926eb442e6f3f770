"""The column-at-a-time fast path (Rules.fast_columns) gives exactly what the record-at-a-time
fast path gives, and refuses a file exactly when that refuses one of its records."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schema_cases import DEFAULTS, ODD, VALID, tables

from fanpin_cli.core.schema import DatasetMeta
from fanpin_cli.reading.load.problems import FileContext, Problems
from fanpin_cli.reading.load.records import IndicatorRules, rows_of
from fanpin_cli.reading.load.text import Lines

# figures the column path judges by their printed form or their exponent: accepted ...
FIGURES = [
    0, 7, -3, 10**17, 10**18 - 1, -(10**18) + 1, Decimal("1.50"), Decimal("-0.0"),
    Decimal("1E+3"), Decimal("2.5E+1"), Decimal("1E-7"), Decimal("0.000000001"),
    Decimal("123456789.123456789"), Decimal("9E-9"), Decimal("999999999999999999"), None,
]  # fmt: skip
# ... and refused
BAD_FIGURES = [
    Decimal("0.0000000001"), Decimal("1.0000000000"), Decimal("9.99E-9"), Decimal("1E+18"),
    10**18, Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), True, "12",
]  # fmt: skip
TEXTS = {"period": ["2023", "2024"], "region_code": ["620100", "620102"], "unit": ["户", "%"],
         "basis": ["annual", "cumulative"], "note": ["合成", "SYNTHETIC"]}  # fmt: skip
BAD_TEXTS = ["", " ", "bogus", "20233", 3, True, ["2023"]]
OPTIONAL = ["basis", "source", "parts", "ratio", "subset_of", "note", "additive", "direction",
            "written_as", "equivalent_unit", "qualifier", "citation", "city_only"]  # fmt: skip


@st.composite
def files(draw: st.DrawFn) -> list[object]:
    """A section file's tables: plainly valid ones, their values repeated and varied, and in
    two files of three one thing wrong somewhere."""
    out: list[object] = []
    for _ in range(draw(st.integers(1, 6))):
        rec: dict[str, Any] = dict(VALID)
        rec["value"] = draw(st.sampled_from(FIGURES))
        for key, choices in TEXTS.items():
            rec[key] = draw(st.sampled_from(choices))
        for key in draw(st.lists(st.sampled_from([*OPTIONAL, "period", "region_code"]),
                                 max_size=4)):  # fmt: skip
            rec.pop(key, None)  # period and region_code may come from dataset.toml
        out.append({k: v for k, v in rec.items() if v is not None})
    wrong = draw(st.integers(0, 5))
    where = draw(st.integers(0, len(out) - 1))
    if wrong == 1:
        out[where] = {**out[where], "value": draw(st.sampled_from(BAD_FIGURES))}  # type: ignore[dict-item]
    elif wrong == 2:
        key = draw(st.sampled_from(sorted(TEXTS)))
        out[where] = {**out[where], key: draw(st.sampled_from(BAD_TEXTS))}  # type: ignore[dict-item]
    elif wrong == 3:
        out[where] = draw(tables())  # anything the record-level test draws
    return out


def both(recs: list[Any], defaults: DatasetMeta) -> tuple[object, list[object]]:
    rules = IndicatorRules(
        FileContext("synthetic.toml", Lines(""), Problems(strict=False)), "monitoring", defaults
    )
    lines = list(range(3, 3 + 10 * len(recs), 10))
    return rules.columns(recs, lines), [rules.fast(r, n) for r, n in zip(recs, lines, strict=True)]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(files(), st.sampled_from(DEFAULTS))
def test_columns_and_records_agree(recs: list[Any], defaults: DatasetMeta) -> None:
    columns, one_by_one = both(recs, defaults)
    if None in one_by_one:
        assert columns is None  # the record path then says what is wrong with which record
        return
    assert columns is not None, recs  # never slower than it need be
    rows = rows_of(columns)  # type: ignore[arg-type]
    assert rows == one_by_one
    assert [list(map(type, r)) for r in rows] == [list(map(type, r)) for r in one_by_one]
    assert [str(r.value) for r in rows] == [str(r.value) for r in one_by_one]  # type: ignore[union-attr]


def test_the_agreement_is_not_vacuous() -> None:
    recs = [dict(VALID), {**VALID, "value": Decimal("1E+3"), "period": "2024"}]
    columns, one_by_one = both(recs, DEFAULTS[0])
    assert columns is not None
    rows = rows_of(columns)  # type: ignore[arg-type]
    assert rows == one_by_one and [r.line for r in rows] == [3, 13]
    assert str(rows[1].value) == "1000" and rows[1].period == "2024"
    assert rows[0].name_zh is rows[1].name_zh  # one string for every record that repeats it
    for bad in BAD_FIGURES:
        assert both([dict(VALID), {**VALID, "value": bad}], DEFAULTS[0])[0] is None
    assert both([dict(VALID), {**VALID, "colour": "red"}], DEFAULTS[0])[0] is None
    assert both([dict(VALID), ODD[3]], DEFAULTS[0])[0] is None


def test_header_lines_are_found_as_before() -> None:
    """Lines.tables counts the newlines between headers at C speed; a header not at a line
    start (indented) is still found by the regular expression."""
    text = "[[indicator]]\na = 1\n\n[[indicator]]\r\nb = 2\n# [[indicator]]\n[[indicator]]\n"
    assert Lines(text).tables("indicator") == [1, 4, 7]
    assert Lines("x = 1\n[[indicator]]\n").tables("indicator", 1) == [2]
    assert Lines("[a]\n  [[indicator]]\n[[indicator]]\n").tables("indicator", 2) == [2, 3]
    assert Lines("x = 1\n").tables("indicator") == []


def test_chunks_from_worker_columns_are_the_chunks_of_the_records(tmp_path: Path) -> None:
    """A worker's columns (figures as text, converted once) make the same cache chunks as
    the records they hold; a column of one value is stored as _runs stores it."""
    from fanpin_cli.reading.load import load_directory
    from fanpin_cli.reading.store import format as cache_format
    from fanpin_cli.reading.store.packing import NUMBERS, figure_texts
    from fanpin_cli.writers.synthetic import write_dataset

    data = load_directory(write_dataset(tmp_path / "synthetic", 600), strict=True)
    records = list(data.indicators)
    records[5] = records[5]._replace(value=Decimal("1E-7"))  # printed with an exponent
    records[6] = records[6]._replace(value=Decimal("-0.0"), note="SYNTHETIC")
    columns: list[list[Any]] = [list(c) for c in zip(*records, strict=True)]
    for n in NUMBERS:
        columns[n] = figure_texts(columns[n])
    assert "0.0000001" in columns[NUMBERS[0]]
    chunks = cache_format.chunks_of_columns(columns)
    assert chunks == cache_format.chunks_of(records) and len(chunks) > 1
    for value in ("policy", None, ()):
        for count in (1, 7, 8, 9, 64, 65, 1000):
            assert cache_format._same(value, count) == cache_format._runs([value] * count)
