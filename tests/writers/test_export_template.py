"""export and template as library functions, called without Typer (the CLI only parses and
writes what they return)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.model import Dataset
from fanpin_cli.reading.load import load
from fanpin_cli.writers import Format
from fanpin_cli.writers.export import export
from fanpin_cli.writers.template_toml import template


def never() -> Dataset:
    raise AssertionError("a request that cannot be met must fail before loading anything")


@pytest.mark.parametrize(
    ("formats", "options", "message"),
    [
        ([Format.CSV, Format.JSON], {}, "choose one of --csv"),
        ([Format.TSV], {"sqlite": Path("x.db")}, "choose one of --csv"),
        ([Format.JSON], {"excel": True}, "--excel applies to CSV only"),
        ([], {"xlsx": Path("x.xlsx"), "encoding": "gbk"}, "take no --output, --excel"),
        ([], {"datapackage": Path("p"), "output": Path("o")}, "take no --output, --excel"),
        ([], {"xlsx": Path("x.xlsx"), "fields": "id"}, "--xlsx writes every column"),
    ],
)
def test_export_refuses_a_conflicting_request_before_loading(
    formats: list[Format], options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        export(never, formats, **options)  # type: ignore[arg-type]


def test_export_returns_what_the_command_writes() -> None:
    data = export(load, [Format.TSV], fields="id,value", header=False, period="2023")
    assert data is not None
    assert data.decode("utf-8") == run("export", "--tsv", "--fields", "id,value",
                                       "--no-header", "--period", "2023").out  # fmt: skip
    assert b"\nmonitoring.total_households\t1294\n" in data
    gbk = export(load, encoding="gbk")
    assert gbk is not None and gbk.decode("gbk") == run("export").out


def test_export_writes_a_file_and_returns_nothing(tmp_path: Path) -> None:
    assert export(load, sqlite=tmp_path / "all.db") is None
    assert (tmp_path / "all.db").stat().st_size > 0


def test_template_writes_a_region_dataset_and_names_its_files(tmp_path: Path) -> None:
    dataset = load()
    written = template(dataset, "兰州市", "2024", tmp_path / "lanzhou", "zh")
    assert written[0] == tmp_path / "lanzhou" / "dataset.toml"
    assert sorted(written) == sorted((tmp_path / "lanzhou").iterdir())
    assert 'period = "2024"' in written[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("region", "period", "message"),
    [
        ("兰州市", "2024-13", "period '2024-13' is not YYYY"),
        ("999999", "2024", "region '999999' is not in the region table"),
        ("兰州", "2024", "unknown region '兰州'"),
        ("٦٢٠١٢١", "2024", "unknown region '٦٢٠١٢١'"),  # digits, but not a code's 0-9
    ],
)
def test_template_refuses_an_unknown_region_or_a_malformed_period(
    tmp_path: Path, region: str, period: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        template(load(), region, period, tmp_path / "t", "zh")
    assert not (tmp_path / "t").exists()
