"""The rules over columns find the same in the dataset's order as in the cache's.

`fanpin check` and `fanpin rollup` read a warm cache as columns (fanpin_cli.core.columns), in the
cache's order of one chunk per region and period, and put findings back in the dataset's
order. Hypothesis plants every kind of error in SYNTHETIC records (bad sums, ratios,
subsets, ranges, quotes, targets, roll-ups, unfilled values, duplicates, unknown units), and
the rules over the records' own columns and over a real cache file's must give the same
findings, the same number of checks and the same roll-up rows. What each rule finds is held
by golden files (tests/analysis/test_check_examples.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanpin_cli.analysis.checks import COLUMNAR, COLUMNS, RULES, run_checks
from fanpin_cli.analysis.rollup import COLUMNS as ROLLUP_COLUMNS
from fanpin_cli.analysis.rollup import columnar_request, rollup
from fanpin_cli.core.columns import Columns
from fanpin_cli.core.errors import NothingMatched, UsageError
from fanpin_cli.core.model import (
    Citation,
    Dataset,
    DatasetMeta,
    DirectoryData,
    Indicator,
    Region,
    Target,
    TargetBasis,
)
from fanpin_cli.reading.store import cache
from fanpin_cli.reading.store.format import NAMES, encode

# `flows` and `jump` (issue 23) have their own tests (tests/analysis/test_analysis.py)
KNOWN = tuple(r for r in RULES if r not in ("flows", "jump"))

IDS = ("s.total", "s.part_a", "s.part_b", "s.rate", "s.whole")
REGIONS = (
    Region("620100", "合成市", "Synthetic city"),
    Region("620102", "合成一区", "Synthetic district 1", "620100"),
    Region("620103", "合成二区", "Synthetic district 2", "620100"),
    Region("620200", "合成另市", "Another synthetic city"),
)
SOURCE = "SYNTHETIC 来源:共 12 户 50 人,五个项目,比率 48.0%,资金 3.5 万元。"
QUOTES = ("共 12 户", "50 人", "五个项目", "比率 48.0%", "不在原文中 7", "资金 3.5 万元")
METAS = (
    DatasetMeta(title_en="SYNTHETIC county", region_code="620102", path="/syn/county"),
    DatasetMeta(title_en="SYNTHETIC reference", path="/syn/ref", extra={"kind": "reference"}),
    DatasetMeta(title_en="SYNTHETIC city", region_code="620100", path="/syn/city"),
)
FILES = ("/syn/county/a.toml", "/syn/county/b.toml", "/syn/ref/c.toml", "/syn/city/d.toml")
BASIS = TargetBasis("SYNTHETIC policy", "nobody", "2023", "synthetic", "derived")

figures = st.one_of(
    st.none(),
    st.integers(-5, 160),
    st.sampled_from(["3.5", "150.5", "0.0", "-0", "48.0", "12.50", "100.0", "-2.25", "0.001"]).map(
        Decimal
    ),
)
ids = st.sampled_from((*IDS, "s.missing"))


def _builds(record: Any, **fields: Any) -> Any:
    """Records of these fields' strategies (st.builds would look at every annotation)."""
    return st.fixed_dictionaries(fields).map(lambda values: record(**values))


UNITS = ("%", "人", "万人", "个", "元", "万元", "户", "坨")


def records(names: tuple[str, ...] = IDS, units: tuple[str, ...] = UNITS) -> Any:
    """SYNTHETIC records with every kind of planted error (from few keys, so that relations
    and roll-ups meet their records)."""
    return _builds(
        Indicator,
        id=st.sampled_from(names),
        section=st.just("s"),
        name_zh=st.sampled_from(["合成甲", "合成乙"]),
        name_en=st.sampled_from(["Synthetic A", "Synthetic B"]),
        value=figures,
        unit=st.sampled_from(units),
        period=st.sampled_from(["2022", "2023"]),
        region_code=st.sampled_from([r.code for r in REGIONS]),
        source=st.one_of(st.none(), st.just(""), st.sampled_from(QUOTES)),
        parts=st.one_of(st.just(()), st.lists(ids, min_size=1, max_size=2).map(tuple)),
        ratio=st.one_of(st.none(), st.tuples(ids, ids)),
        subset_of=st.one_of(st.none(), ids),
        written_as=st.one_of(st.none(), st.sampled_from(["五", "十二"])),
        equivalent_unit=st.one_of(st.none(), st.just("个")),
        note=st.one_of(st.none(), st.sampled_from(["", "无"])),
        additive=st.one_of(st.none(), st.booleans()),
        qualifier=st.one_of(st.none(), st.just(">")),
        citation=st.one_of(st.none(), st.sampled_from(["c1", "c9"])),
        city_only=st.one_of(st.none(), st.just(True)),
        file=st.sampled_from(FILES),
        line=st.integers(1, 500),
    )


targets = _builds(
    Target,
    indicator_id=ids,
    comparator=st.just(">="),
    value=st.just(1),
    unit=st.sampled_from(["人", "%", "万元/户", "万元/坨", "×"]),
    level=st.just("national"),
    basis=st.just(BASIS),
    relative_to=st.one_of(st.none(), ids),
    per=st.one_of(st.none(), ids),
    file=st.just("/syn/county/targets.toml"),
    line=st.integers(1, 50),
)


def _dataset(inds: list[Indicator], tgts: list[Target]) -> Dataset:
    citation = Citation(
        "c1", "SYNTHETIC page", "nobody", "2023", "https://example.invalid", "derived"
    )
    return Dataset(
        indicators=tuple(inds),
        sections=(),
        targets=tuple(tgts),
        regions=REGIONS,
        metas=METAS,
        sources=MappingProxyType({"/syn/county": SOURCE}),
        citations=MappingProxyType({"c1": citation}),
    )


def _cached(dataset: Dataset, tmp: Path, columns: Any) -> tuple[Dataset, Dataset]:
    """The dataset read back from a real cache file: as a table, and as records."""
    data = DirectoryData(METAS[0], (), dataset.indicators, dataset.targets, REGIONS, SOURCE, ())
    file = tmp / "entry.cache"
    file.write_bytes(encode("0" * 16, data))
    key = cache.Key("0" * 16, str(tmp), ())
    read = cache.read_columnar(file, key, columns)
    whole = cache.read(file, key)
    assert read is not None and whole is not None
    return (
        dataset._replace(indicators=(), columnar=read[1]),
        dataset._replace(indicators=whole.indicators),
    )


def _rows(make: Any) -> Any:
    """Roll-up rows as comparable tuples, or the error's message (usage, nothing matched):
    the sums (the rates rebuilt from their parts, issue 23, are tested in
    tests/analysis/test_analysis.py)."""
    try:
        rows = make()
    except (UsageError, NothingMatched) as e:
        return str(e)
    shown = ("children_sum", "own", "difference")
    return [
        (r.id, r.name_zh, r.name_en, r.period, r.unit, r.children_reported, r.children_expected,
         *(str(getattr(r, name)) for name in shown), r.status, r.missing)
        for r in rows if getattr(r, "method", "sum") == "sum"
    ]  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(inds=st.lists(records(), min_size=4, max_size=40), tgts=st.lists(targets, max_size=4))
def test_columns_find_what_records_found(
    inds: list[Indicator], tgts: list[Target], tmp_path: Path
) -> None:
    dataset = _dataset(inds, tgts)
    as_columnar, as_records = _cached(dataset, tmp_path, COLUMNAR)  # columns in the cache's order
    expected = run_checks(dataset, KNOWN)  # columns taken from the records
    assert run_checks(as_records, KNOWN) == expected
    found = run_checks(as_columnar, KNOWN)
    assert found.findings == expected.findings
    assert found.checks_run == expected.checks_run


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    inds=st.lists(records(IDS[:2], ("人", "万人", "%")) | records(), min_size=4, max_size=40),
    parent=st.sampled_from(["620100", "620102", "620200"]),
    period=st.sampled_from([None, "2022", "2023", "2019"]),
)
def test_rollup_over_columns_sums_as_records_did(
    inds: list[Indicator], parent: str, period: str | None, tmp_path: Path
) -> None:
    dataset = _dataset(inds, [])
    expected = _rows(lambda: rollup(dataset, parent, period))
    # a warm `fanpin rollup --period` reads only that period's chunks
    as_columnar, as_records = _cached(dataset, tmp_path, columnar_request(period))
    assert _rows(lambda: rollup(as_records, parent, period)) == expected
    assert _rows(lambda: rollup(as_columnar, parent, period)) == expected


def test_planted_errors_are_found_in_order(tmp_path: Path) -> None:
    """A fixed corpus: the findings are there (the test cannot pass on empty reports) and
    come out in the dataset's order although the cache stores them region by region."""
    base = dict(section="s", name_zh="合成", name_en="Synthetic", period="2023", file=FILES[0])
    inds = [
        Indicator(
            id="s.rate", value=Decimal("150.5"), unit="%", region_code="620103", line=1, **base
        ),
        Indicator(id="s.total", value=-3, unit="人", region_code="620102", line=2, **base),
        Indicator(
            id="s.whole", value=Decimal("2.5"), unit="户", region_code="620103", line=3, **base
        ),
        Indicator(
            id="s.part_a",
            value=5,
            unit="人",
            region_code="620102",
            line=4,
            subset_of="s.total",
            **base,
        ),
    ]
    # not additive (a count of posts that overlap): a fraction is no error
    inds.append(Indicator("s.part_b", value=Decimal("2.5"), unit="户", region_code="620102",
                          line=5, additive=False, **base))  # fmt: skip
    dataset = _dataset(inds, [])
    as_columnar, as_records = _cached(dataset, tmp_path, COLUMNAR)
    assert as_columnar.columnar is not None and as_columnar.columnar.places != [0, 1, 2, 3, 4]
    assert run_checks(as_columnar, KNOWN) == run_checks(as_records, KNOWN)
    codes = [(f.code, f.line) for f in run_checks(as_columnar).findings if f.rule != "quotes"]
    assert codes == [  # rule after rule; in a rule, records in the dataset's order
        ("subsets.exceeds", 4),
        ("ranges.percent", 1),
        ("ranges.negative", 2),
        ("ranges.whole", 3),
    ]


def test_columns_read_are_fields() -> None:
    """Every column a rule asks the cache for is an Indicator field."""
    for columns in (COLUMNS, ROLLUP_COLUMNS):
        assert set(columns) <= set(NAMES)


def test_table_from_records_keeps_their_order() -> None:
    inds = [
        Indicator("s.a", "s", "甲", "A", 1, "人", "2023", "620102", file="f", line=1),
        Indicator("s.b", "s", "乙", "B", None, "%", "2022", "620103", file="f", line=2),
    ]
    columnar = Columns.from_records(inds, ("id", "value", "id"))
    assert columnar["id"] == ["s.a", "s.b"] and columnar["value"] == [1, None]
    assert len(columnar) == 2 and columnar.in_order([1, 0]) == [0, 1]
    assert columnar.regions == {"620102", "620103"} and columnar.periods == {"2022", "2023"}
    with pytest.raises(KeyError):
        columnar["unit"]


def test_warm_check_reads_columns_and_no_record(tmp_path: Path, monkeypatch: Any) -> None:
    """Warm, one dataset: a table and no records; with FANPIN_CACHE=0, records as before."""
    from conftest import DATA

    from fanpin_cli.reading.load import load

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("FANPIN_CACHE", "1")
    load([DATA], strict=False)  # fills the cache
    warm = load([DATA], strict=False, columnar=COLUMNAR)
    assert warm.columnar is not None and warm.indicators == () and len(warm.columnar) > 50
    monkeypatch.setenv("FANPIN_CACHE", "0")
    cold = load([DATA], strict=False, columnar=COLUMNAR)
    assert cold.columnar is None and len(cold.indicators) == len(warm.columnar)
    assert run_checks(warm) == run_checks(cold)
