"""Figures at the edges of the documented range compute exactly, never exit 70 (compare,
explain and diff on copies of the SYNTHETIC mini fixture)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI, run
from hostile import (
    MON,
    edit,
)

# --- figures at the edges of the documented range compute exactly, never exit 70 --------

EDGES = ("999999999999999999", "-999999999999999999", "0.000000001", "0")


@pytest.mark.parametrize("target", EDGES)
@pytest.mark.parametrize("value", EDGES)
def test_edges_of_the_range_compare_explain_and_diff(
    target: str, value: str, tmp_path: Path
) -> None:
    later = tmp_path / "2023"
    shutil.copytree(MINI, later)
    edit("targets.toml", "value = 40", f"value = {target}")(later)
    edit(MON, "value = 50.0\n", f"value = {value}\n")(later)  # the rate the target is on
    edit(MON, "value = 100\n", f"value = {target}\n")(later)
    earlier = tmp_path / "2022"
    shutil.copytree(later, earlier)
    edit("dataset.toml", 'period = "2023"', 'period = "2022"')(earlier)
    edit(MON, f"value = {value}\n", f"value = {target}\n")(earlier)
    rate = "monitoring.risk_elimination_rate"
    for args in (
        ["compare", "--data", str(later), "-o", "csv"],
        ["explain", rate, "--data", str(later), "-o", "json"],
        ["diff", "--data", str(earlier), "--data", str(later), "-o", "csv"],
        ["diff", "--data", str(later), "--against", str(earlier), "-o", "csv"],
        ["check", "--data", str(later), "-o", "csv"],
        ["show", "--by", "period", "--data", str(earlier), "--data", str(later), "-o", "csv"],
    ):
        r = run(*args)
        assert r.code in (0, 1), (args, r.err)
        assert "E+" not in r.out and "E-" not in r.out, args
