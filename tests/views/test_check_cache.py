"""`fanpin check`'s report is kept in the cache while no file it came from changes
(fanpin_cli.views.findings_cache): a warm check runs no rule, prints what a fresh one prints, and
any change -- a record file, the source document, --targets, a damaged report -- checks
again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import COUNTIES, MINI, run

from fanpin_cli.analysis import checks
from fanpin_cli.views import findings_cache as check_cache

MON = "monitoring.toml"


@pytest.fixture
def xdg(tmp_path: Path) -> dict[str, str]:
    return {"FANPIN_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "xdg")}


@pytest.fixture
def rules_run(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many records each run of the rules saw (a report from the cache runs none)."""
    calls: list[int] = []
    real = checks.run_checks

    def spy(dataset: Any, *args: Any) -> checks.CheckReport:
        calls.append(len(dataset.indicators) if dataset.columnar is None else len(dataset.columnar))
        return real(dataset, *args)

    monkeypatch.setattr(check_cache, "run_checks", spy)
    return calls


def _mini(tmp_path: Path) -> Path:
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    return d


def _reports(xdg: dict[str, str]) -> list[Path]:
    return sorted((Path(xdg["XDG_CACHE_HOME"]) / "fanpin").glob("check-report-*.json"))


@pytest.mark.parametrize("args", [["-o", "csv"], ["-o", "json", "--strict"], ["--lang", "en"]])
def test_a_warm_check_runs_no_rule_and_prints_the_same(
    args: list[str], tmp_path: Path, xdg: dict[str, str], rules_run: list[int]
) -> None:
    d = _mini(tmp_path)
    (d / MON).write_text((d / MON).read_text("utf-8").replace("value = 60", "value = 61"), "utf-8")
    fresh = run("check", "--data", str(d), *args, env={"FANPIN_CACHE": "0"})
    assert fresh.code == 1 and "parts" in fresh.out  # a finding to keep
    cold = run("check", "--data", str(d), *args, env=xdg)
    warm = run("check", "--data", str(d), *args, env=xdg)
    assert len(rules_run) == 2 and len(_reports(xdg)) == 1  # the cache-off run, the cold one
    for r in (cold, warm):
        assert (r.code, r.out_bytes, r.err) == (fresh.code, fresh.out_bytes, fresh.err)


def test_a_collection_of_county_folders_is_checked_once(
    xdg: dict[str, str], rules_run: list[int]
) -> None:
    fresh = run("check", "--data", str(COUNTIES), "-o", "csv", env={"FANPIN_CACHE": "0"})
    for _ in range(2):
        r = run("check", "--data", str(COUNTIES), "-o", "csv", env=xdg)
        assert (r.code, r.out_bytes) == (fresh.code, fresh.out_bytes)
    assert len(rules_run) == 2


def _edit_record(d: Path) -> None:
    text = (d / MON).read_text("utf-8")
    (d / MON).write_text(text.replace("value = 40", "value = 41"), "utf-8")  # same size


def _edit_source(d: Path) -> None:
    text = (d / "source.txt").read_text("utf-8")
    (d / "source.txt").write_text(text.replace("消除风险50户", "消除风险51户"), "utf-8")


def _damage(d: Path, report: Path) -> None:
    report.write_bytes(report.read_bytes()[:-40])


def _forge(d: Path, report: Path) -> None:
    body = json.loads(report.read_bytes())
    body["findings"] = [["parts", "error", "x", [7], None, None, "f", 1, "c", []]]
    report.write_text(json.dumps(body), "utf-8")


def _foreign(d: Path, report: Path) -> None:
    report.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)


@pytest.mark.parametrize("change", ["record", "source", "damaged", "forged", "foreign"])
def test_a_change_checks_again(
    change: str, tmp_path: Path, xdg: dict[str, str], rules_run: list[int]
) -> None:
    d = _mini(tmp_path)
    first = run("check", "--data", str(d), "-o", "csv", env=xdg)
    assert first.code == 0 and len(rules_run) == 1
    (report,) = _reports(xdg)
    if change == "record":
        _edit_record(d)  # at once: the same size, a stat that may differ only in its clock tick
    elif change == "source":
        _edit_source(d)
    else:
        {"damaged": _damage, "forged": _forge, "foreign": _foreign}[change](d, report)
    again = run("check", "--data", str(d), "-o", "csv", env=xdg)
    fresh = run("check", "--data", str(d), "-o", "csv", env={"FANPIN_CACHE": "0"})
    assert len(rules_run) == 3  # checked again (and once with the cache off)
    assert (again.code, again.out_bytes) == (fresh.code, fresh.out_bytes)
    if change in ("record", "source"):
        assert again.code == 1 and again.out != first.out
    assert run("check", "--data", str(d), "-o", "csv", env=xdg).out_bytes == fresh.out_bytes
    assert len(rules_run) == 3  # the report rebuilt is used


def test_other_targets_or_verbose_check_again(
    tmp_path: Path, xdg: dict[str, str], rules_run: list[int]
) -> None:
    d = _mini(tmp_path)
    targets = tmp_path / "targets.toml"
    shutil.copy(d / "targets.toml", targets)
    base = ["check", "--data", str(d), "-o", "csv"]
    run(*base, env=xdg)
    run(*base, "--targets", str(targets), env=xdg)
    run(*base, "--targets", str(targets), env=xdg)
    assert len(rules_run) == 2
    targets.write_text(targets.read_text("utf-8") + "\n# edited\n", "utf-8")
    run(*base, "--targets", str(targets), env=xdg)
    assert len(rules_run) == 3
    verbose = run("--verbose", *base, env=xdg)
    assert len(rules_run) == 4 and str(d) in verbose.err  # said as it is read
