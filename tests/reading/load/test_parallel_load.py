"""Parallel parsing of big datasets gives exactly what serial parsing gives, errors included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import fanpin_cli.reading.load.directory as load_module
from fanpin_cli.core.errors import DataError
from fanpin_cli.core.model import DirectoryData
from fanpin_cli.reading.load import load_directory
from fanpin_cli.writers.synthetic import write_dataset


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "synthetic", 2_000)


def load_both(path: Path, monkeypatch: pytest.MonkeyPatch, strict: bool) -> tuple[object, object]:
    monkeypatch.setattr(load_module, "PARALLEL_BYTES", 10**12)
    serial = load_directory(path, strict=strict)
    monkeypatch.setattr(load_module, "PARALLEL_BYTES", 1)  # force worker processes
    parallel = load_directory(path, strict=strict)
    return serial, parallel


def test_parallel_equals_serial(synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial, parallel = load_both(synthetic, monkeypatch, strict=True)
    assert isinstance(serial, DirectoryData)
    assert isinstance(parallel, DirectoryData)
    assert parallel.indicators == serial.indicators
    assert [type(i.value) for i in parallel.indicators] == [
        type(i.value) for i in serial.indicators
    ]
    assert parallel.sections == serial.sections
    monkeypatch.setattr(load_module, "PARALLEL_BYTES", 10**12)
    assert load_module.load_directory_packed(synthetic)[1] is None
    monkeypatch.setattr(load_module, "PARALLEL_BYTES", 1)  # workers hand over packed columns
    assert load_module.load_directory_packed(synthetic)[1] is not None


def test_parallel_reports_the_same_first_error(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, old, new in (("policy.toml", 'unit = "万元"', 'unit = "bogus"'),
                           ("income.toml", 'unit = "个"', "unit = 7")):  # fmt: skip
        f = synthetic / name
        assert old in f.read_text(encoding="utf-8")
        f.write_text(f.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    errors = []
    for limit in (10**12, 1):
        monkeypatch.setattr(load_module, "PARALLEL_BYTES", limit)
        with pytest.raises(DataError) as caught:
            load_directory(synthetic, strict=True)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert "income.toml" in errors[0]  # files load in name order: income before policy
    serial, parallel = load_both(synthetic, monkeypatch, strict=False)
    assert isinstance(serial, DirectoryData)
    assert isinstance(parallel, DirectoryData)
    assert parallel.problems == serial.problems and len(serial.problems) == 2


def test_parallel_syntax_error_is_one_clean_error(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(synthetic, broken)
    (broken / "monitoring.toml").write_text("[[indicator]\n", encoding="utf-8")
    monkeypatch.setattr(load_module, "PARALLEL_BYTES", 1)
    with pytest.raises(DataError) as caught:
        load_directory(broken)
    assert caught.value.path == str(broken / "monitoring.toml") and caught.value.line == 1
