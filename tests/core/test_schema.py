"""One declaration of each record's fields (fanpin_cli.core.schema), and what is derived from it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schema_cases import DEFAULTS, VALID, tables

from fanpin_cli.core.schema import DatasetMeta, Indicator, keys
from fanpin_cli.reading.load.problems import FileContext, Problems
from fanpin_cli.reading.load.records import IndicatorRules
from fanpin_cli.reading.load.text import Lines

MINI = REPO / "tests" / "fixtures" / "synthetic-mini"


def judge(rec: object, defaults: DatasetMeta) -> tuple[object, object, list[str]]:
    """The fast path's record, the full check's record and the full check's problems."""
    problems = Problems(strict=False)
    rules = IndicatorRules(
        FileContext("synthetic.toml", Lines(""), problems), "monitoring", defaults
    )
    fast = rules.fast(rec, 3)
    full = rules.full(rec, 3)
    return fast, full, [f.message for f in problems.found]


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(tables(), st.sampled_from(DEFAULTS))
def test_fast_path_and_full_check_agree(rec: object, defaults: DatasetMeta) -> None:
    fast, full, problems = judge(rec, defaults)
    if fast is not None:  # the fast path accepts only what the full check accepts silently
        assert (full, problems) == (fast, [])
        assert [type(v) for v in full] == [type(v) for v in fast]  # type: ignore[union-attr]
    else:  # and it refuses something only when the full check has something to say
        assert problems, rec


def test_the_agreement_is_not_vacuous() -> None:
    fast, full, problems = judge(dict(VALID), DEFAULTS[0])
    assert fast is not None and fast == full and problems == []
    assert fast.value == 12 and fast.ratio == ("monitoring.a", "monitoring.b")
    fast, full, problems = judge({**VALID, "value": Decimal("1E+3")}, DEFAULTS[0])
    assert fast is not None and str(fast.value) == "1000"
    bad = {k: v for k, v in VALID.items() if k != "period"}
    fast, full, problems = judge(bad, DEFAULTS[0])
    assert (fast, full) == (None, None)
    assert problems == [
        "monitoring.synthetic_households: period is missing (and dataset.toml sets none)"
    ]
    fast, full, problems = judge(bad, DEFAULTS[1])
    assert fast is not None and fast.period == "2024"


def test_toml_keys_are_the_declared_fields() -> None:
    assert keys(Indicator) == set(VALID)


NEW_FIELD = (
    '    method: Annotated[str | None, Field("text", "How the figure was measured (SYNTHETIC'
    ' test field).", "统计方法(合成测试字段)", carry=True)] = None\n'
)


def test_a_field_added_to_the_declaration_reaches_every_output(tmp_path: Path) -> None:
    """One edit to a scratch copy of schema.py, and the new field is read, checked, exported
    (CSV, JSON, data package, SQLite), cached and written into templates."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "data").symlink_to(REPO / "data")
    shutil.copy(REPO / "pyproject.toml", repo / "pyproject.toml")
    schema = repo / "src" / "fanpin_cli" / "core" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    anchor = "    additive: Annotated["
    assert text.count(anchor) == 1
    schema.write_text(text.replace(anchor, NEW_FIELD + anchor), encoding="utf-8")
    data = tmp_path / "mini"
    shutil.copytree(MINI, data)
    toml = data / "monitoring.toml"
    body = toml.read_text(encoding="utf-8")
    toml.write_text(body.replace("[[indicator]]\n", '[[indicator]]\nmethod = "survey"\n'), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(repo / "src"), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env["FANPIN_CACHE"] = "1"

    def fanpin(*args: str) -> str:
        cmd = [sys.executable, "-m", "fanpin_cli", "--data", str(data), *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    csv_text = fanpin("export", "--csv")  # cold: parsed, then cached
    header, first = csv_text.splitlines()[:2]
    assert header.endswith(",note,method") and first.endswith(",survey")
    assert list(tmp_path.joinpath("xdg", "fanpin").glob("*.cache"))
    assert fanpin("export", "--csv") == csv_text  # warm: read back from the cache by name
    rows = json.loads(fanpin("export", "--json"))
    assert {r["method"] for r in rows} == {"survey"}
    fanpin("export", "--datapackage", str(tmp_path / "package"))
    package = json.loads((tmp_path / "package" / "datapackage.json").read_text("utf-8"))
    [field] = [f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "method"]
    assert field["description"].startswith("How the figure was measured")
    fanpin("export", "--sqlite", str(tmp_path / "mini.db"))
    with sqlite3.connect(tmp_path / "mini.db") as con:
        columns = [row[1] for row in con.execute("PRAGMA table_info(indicators)")]
        assert columns[columns.index("note") + 1] == "method"  # declared right after note
        assert {m for (m,) in con.execute("SELECT method FROM indicators")} == {"survey"}
    fanpin("template", "--region", "620102", "--period", "2024", str(tmp_path / "county"))
    assert 'method = "survey"' in (tmp_path / "county" / "monitoring.toml").read_text("utf-8")
    bad = toml.read_text(encoding="utf-8").replace('method = "survey"', "method = 3", 1)
    toml.write_text(bad, encoding="utf-8")
    cmd = [sys.executable, "-m", "fanpin_cli", "--data", str(data), "--lang", "en", "show"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 3
    assert proc.stderr.endswith(": method must be a string, not an integer\n")
