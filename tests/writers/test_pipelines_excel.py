"""Output contracts for scripts, Excel/WPS, SQLite, data packages, completion and pictures."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DOC_PAGES, REPO, county_args, run, run_process

from fanpin_cli.writers.synthetic import write_dataset


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SYNTHETIC dataset whose exports are larger than a pipe buffer."""
    return write_dataset(tmp_path_factory.mktemp("synthetic") / "big", 3000)


# ---------------------------------------------------------------- scripts


def test_tables_follow_columns() -> None:
    narrow = run("show", "monitoring", "-o", "table", env={"COLUMNS": "60"})
    wide = run("show", "monitoring", "-o", "table", env={"COLUMNS": "160"})
    assert max(len(x) for x in narrow.out.splitlines()) <= 60
    assert narrow.out != wide.out


@pytest.mark.parametrize(
    "pipeline",
    [
        "fanpin export --csv --data {big} | head -1",
        "fanpin show -o tsv --data {big} | head -1",
        "fanpin show -o table --data {big} | head -1",
        "fanpin export --jsonl --data {big} | head -c 10",
    ],
)
def test_closed_pipe_exits_0_without_a_traceback(pipeline: str, big: Path) -> None:
    cmd = pipeline.replace("fanpin", f"{sys.executable} -m fanpin_cli").format(big=big)
    p = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {cmd}"],
        capture_output=True,
        env={**os.environ, "FANPIN_CACHE": "0"},
        timeout=120,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    assert p.stderr == b""
    assert p.stdout


def test_messages_go_to_stderr_data_to_stdout() -> None:
    r = run("check", "-o", "csv")
    assert r.out.startswith("rule,severity")
    assert "运行" in r.err and "运行" not in r.out


@pytest.mark.parametrize(
    ("env", "escapes"),
    [
        ({}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": ""}, False),
    ],
)
def test_no_color_and_force_color(env: dict[str, str], escapes: bool) -> None:
    p = run_process("compare", "-o", "table", env={"COLUMNS": "200", **env})
    assert p.returncode == 0
    assert (b"\x1b[" in p.stdout) is escapes


def test_unknown_field_and_no_header() -> None:
    bad = run("--lang", "en", "show", "--fields", "id,colour")
    assert bad.code == 2 and "unknown field 'colour'" in bad.err
    assert run("export", "--no-header", "--fields", "id").out.splitlines()[0] == (
        "deployment.responsibility_letters_city_leaders"
    )
    tsv = run("show", "monitoring", "-o", "tsv", "--no-header", "--fields", "value")
    assert tsv.out.splitlines()[0] == "6041"


def test_json_is_exact_utf8_and_has_no_nan() -> None:
    r = run("export", "--json")
    assert "\\u" not in r.out
    assert "NaN" not in r.out and "Infinity" not in r.out
    assert '"value": 22680.30,' in r.out and '"value": 3.1800,' in r.out
    from decimal import Decimal

    records = json.loads(r.out, parse_float=Decimal)
    by_id = {(x["id"], x["period"]): x for x in records}
    assert str(by_id[("income.microcredit_amount", "2023")]["value"]) == "22680.30"
    assert by_id[("income.linkage_funds_industry_share", "2023")]["value"] is None


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_jsonl_feeds_jq() -> None:
    p = subprocess.run(
        f'{sys.executable} -m fanpin_cli export --jsonl | jq -r \'select(.section=="monitoring") '
        "| .value' | head -2",
        shell=True,
        capture_output=True,
        check=True,
        env={**os.environ, "FANPIN_CACHE": "0"},
    )
    assert p.stdout == b"6041\n259\n"


@pytest.mark.parametrize(
    ("shell", "env", "expected"),
    [
        ("bash", {"COMP_WORDS": "fanpin show monitoring.tot", "COMP_CWORD": "2"},
         "monitoring.total_households\nmonitoring.total_persons"),
        ("bash", {"COMP_WORDS": "fanpin show 累计", "COMP_CWORD": "2"},
         "monitoring.total_households\nmonitoring.total_persons"),
        ("bash", {"COMP_WORDS": "fanpin chart rectif", "COMP_CWORD": "2"}, "rectification\n"),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "fanpin get income.micro"},
         '"income.microcredit_households":"发放脱贫人口小额信贷户数"'),
        ("fish", {"_TYPER_COMPLETE_ARGS": "fanpin explain monitoring.risk_e",
                  "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
         "monitoring.risk_eliminated_households\t通过帮扶消除风险户数\n"
         "monitoring.risk_elimination_rate\t风险消除率"),
    ],
)  # fmt: skip
def test_shell_completion(shell: str, env: dict[str, str], expected: str) -> None:
    p = run_process(env={"_FANPIN_COMPLETE": f"complete_{shell}", **env})
    assert p.returncode == 0, p.stderr
    assert expected in p.stdout.decode("utf-8")


def test_completion_scripts_exist_for_each_shell() -> None:
    for shell in ("bash", "zsh", "fish"):
        p = run_process(env={"_FANPIN_COMPLETE": f"source_{shell}"})
        assert p.returncode == 0
        assert b"_FANPIN_COMPLETE" in p.stdout


# ---------------------------------------------------------------- Excel and WPS


HOSTILE = {
    "formula": "=1+1",
    "plus": "+1",
    "minus": "-x",
    "at": "@SUM(A1)",
    "tab": "\tx",
    # LibreOffice drops a leading NUL and runs the rest; the others hide what follows
    "nul": "\x00=1+1",
    "nul_link": '\x00=HYPERLINK("http://evil.example/","click")',
    "bell": "\x07=1+1",
    "c1": "\x85=1+1",
    "zero_width": "\u200b=1+1",
    "bom": "\ufeff=1+1",
    "bidi": "\u202e=1+1",
    "nbsp": "\u00a0=1+1",
    "ideographic_space": "\u3000=1+1",
    "spaces": "  @SUM(A1)",
}


@pytest.fixture
def hostile(mini: Path) -> Path:
    d = mini
    extra = ""
    for n, (key, label) in enumerate(HOSTILE.items()):
        extra += (
            f'\n[[indicator]]\nid = "monitoring.hostile_{key}"\nname_zh = {json.dumps(label)}\n'
            f'name_en = "SYNTHETIC hostile label"\nvalue = {-n - 1}\nunit = "户"\n'
        )
    with (d / "monitoring.toml").open("a", encoding="utf-8") as f:
        f.write(extra)
    return d


def test_excel_csv_has_bom_crlf_and_neutralised_formulas(hostile: Path) -> None:
    r = run("export", "--csv", "--excel", "--data", str(hostile))
    assert r.code == 0
    assert r.out_bytes.startswith(b"\xef\xbb\xbf")
    text = r.out_bytes[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "") and text.endswith("\r\n")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    for key, label in HOSTILE.items():
        row = rows[f"monitoring.hostile_{key}"]
        assert row["name_zh"] == "'" + label
        assert row["value"].startswith("-")  # negative numbers stay numbers
    assert rows["monitoring.total_households"]["name_zh"] == "累计监测对象户数"


def test_plain_csv_is_unchanged_by_excel_mode(hostile: Path) -> None:
    r = run("export", "--csv", "--data", str(hostile))
    assert not r.out_bytes.startswith(b"\xef\xbb\xbf") and b"\r" not in r.out_bytes.replace(
        b"\tx", b""
    )
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(r.out))}
    assert rows["monitoring.hostile_formula"]["name_zh"] == "=1+1"  # lossless for pipelines


def test_gbk_round_trip() -> None:
    utf8 = run("export", "--csv")
    gbk = run("export", "--csv", "--encoding", "gbk")
    assert gbk.code == 0
    assert gbk.out_bytes.decode("gbk") == utf8.out


def test_gbk_refuses_a_character_it_cannot_hold(tmp_path: Path, mini: Path) -> None:
    d = mini
    text = (d / "monitoring.toml").read_text(encoding="utf-8")
    (d / "monitoring.toml").write_text(
        text.replace('name_en = "Marginal households"', 'name_en = "Marginal \U0001f600"'), "utf-8"
    )
    target = tmp_path / "out.csv"
    args = ("export", "--encoding", "gbk", "--data", str(d), "--output", str(target))
    r = run("--lang", "en", *args)
    assert r.code == 3
    where = f"fanpin: error: {d}/monitoring.toml:25: monitoring.marginal_households: name_en "
    assert r.err == (
        where + "has '\U0001f600' (U+1F600) cannot be written in gbk; use --encoding utf-8 or "
        "gb18030\n"
    )
    zh = run("--lang", "zh", *args)
    assert (zh.code, zh.err) == (3, where + "中的字符 '\U0001f600' (U+1F600) 无法用 gbk 编码写出; "
                                 "请用 --encoding utf-8 或 gb18030\n")  # fmt: skip
    assert not target.exists()
    assert run("export", "--encoding", "gb18030", "--data", str(d)).code == 0


def _xlsx_cells(path: Path) -> dict[str, tuple[str, str]]:
    """Cell reference -> (type, text) of the first sheet of an .xlsx file (stdlib only)."""
    import re
    import zipfile
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")) for si in root]
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    cells = {}
    for c in sheet.iter(f"{{{ns['m']}}}c"):
        ref, kind = c.get("r", ""), c.get("t", "n")
        if c.find("m:f", ns) is not None:
            kind = "formula"
        v = c.find("m:v", ns)
        text = v.text or "" if v is not None else ""
        if kind == "s":
            text = shared[int(text)]
        cells[re.sub(r"\s", "", ref)] = (kind, text)
    return cells


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs it where apt-get can",
)
def test_libreoffice_reads_the_excel_csv(hostile: Path, tmp_path: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe is not None
    src = tmp_path / "fanpin.csv"
    assert run("export", "--csv", "--excel", "--data", str(hostile), "--output", str(src)).code == 0
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless",
         "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    cells = _xlsx_cells(tmp_path / "fanpin.xlsx")
    assert cells["A1"] == ("s", "id")
    column = {text: ref for ref, (kind, text) in cells.items() if ref.startswith("A")}
    row = column["monitoring.hostile_formula"][1:]
    assert cells[f"C{row}"] == ("s", "'=1+1")  # text, not a formula, not 2
    for key in HOSTILE:
        kind, text = cells[f"C{column[f'monitoring.hostile_{key}'][1:]}"]
        assert kind == "s" and text.startswith("'"), key  # shown as written, not run
        assert text not in ("2", "click"), key
    assert cells[f"E{row}"][0] == "n" and float(cells[f"E{row}"][1]) < 0
    total_row = column["monitoring.total_households"][1:]
    assert cells[f"C{total_row}"] == ("s", "累计监测对象户数")  # no garbled Chinese
    assert cells[f"E{total_row}"] == ("n", "100")
    assert not any(kind == "formula" for kind, _ in cells.values())


# ---------------------------------------------------------------- other tools


def test_sqlite_export_is_queryable(tmp_path: Path) -> None:
    db = tmp_path / "fanpin.db"
    r = run("export", "--sqlite", str(db))
    assert (r.code, r.out) == (0, "")
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from indicators").fetchone() == (97,)
    assert con.execute(
        "select value_text, unit from indicators where id='policy.safety_net_persons'"
    ).fetchone() == ("3.1800", "万人")
    assert con.execute("select count(*) from sections").fetchone() == (7,)
    assert con.execute("select count(*) from targets").fetchone() == (8,)
    joined = con.execute(
        "select id, target, kind, per, level from indicators_with_targets"
        " where target is not null order by id"
    ).fetchall()
    assert joined == [
        ("income.labour_transferred", "3000", "reference", None, "national"),
        ("income.linkage_funds_industry_share", "60", "threshold", None, "national"),
        ("income.microcredit_amount", "5", "average", "income.microcredit_households", "national"),
        ("income.relocated_households_employed", "1", "relative", None, "national"),
        ("income.startup_loans_amount", "20", "average", "income.startup_loans_count", "national"),
        ("policy.compulsory_education_retention_rate", "96", "reference", None, "national"),
        ("policy.extreme_poverty_support_standard", "1.3", "relative", None, "provincial"),
        ("policy.medical_insurance_enrolment_rate", "99", "threshold", None, "national"),
    ]
    assert con.execute(
        "select value, written_as from indicators where id = 'deployment.task_forces'"
    ).fetchone() == (5, "五")
    con.close()


def test_sqlite_export_is_named_from_all_its_datasets(tmp_path: Path) -> None:
    # issue 11: a multi-dataset SQLite export is named and described from every dataset,
    # and one synthetic input marks the whole export synthetic (as the data package does)
    alone = tmp_path / "city.db"
    assert run("export", "--sqlite", str(alone)).code == 0
    con = sqlite3.connect(alone)
    name, title, _, synthetic = con.execute("select * from fanpin_export").fetchone()
    con.close()
    assert (name, synthetic) == ("fanpin-620100-2021-2023", 0)  # the records' periods
    assert "SYNTHETIC" not in title

    mixed = tmp_path / "mixed.db"
    r = run(*county_args("2022", "2023", city=True), "export", "--sqlite", str(mixed))
    assert (r.code, r.err) == (0, "")
    con = sqlite3.connect(mixed)
    rows = con.execute("select * from fanpin_export").fetchall()
    flagged = con.execute("select count(*) from datasets where synthetic = 1").fetchone()[0]
    con.close()
    assert len(rows) == 1
    name, title, description, synthetic = rows[0]
    assert synthetic == 1 and name.endswith("-synthetic") and title.startswith("SYNTHETIC: ")
    assert name.startswith("fanpin-9-regions-2021-2023")  # the city's records go back to 2021
    assert f"{flagged} of them are SYNTHETIC" in description


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 shell is not installed")
def test_sqlite_shell_reads_the_export(tmp_path: Path) -> None:
    db = tmp_path / "fanpin.db"
    run("export", "--sqlite", str(db))
    p = subprocess.run(
        ["sqlite3", str(db), "select sum(value) from indicators where id in "
         "('monitoring.unstable_households','monitoring.marginal_households',"
         "'monitoring.sudden_hardship_households');"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert p.stdout.strip() == b"1294"


def test_sqlite_export_replaces_atomically(tmp_path: Path) -> None:
    db = tmp_path / "fanpin.db"
    bad = run("export", "--sqlite", str(db), "--data", str(tmp_path / "missing"))
    assert bad.code == 3 and not db.exists()
    assert run("export", "--sqlite", str(db)).code == 0
    first = db.read_bytes()
    assert first.startswith(b"SQLite format 3")
    bad = run("export", "--sqlite", str(db), "--data", str(tmp_path / "missing"))
    assert bad.code == 3 and db.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["fanpin.db"]


def test_datapackage_follows_table_schema(tmp_path: Path) -> None:
    out = tmp_path / "package"
    assert run("export", "--datapackage", str(out)).code == 0
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    import re

    assert re.fullmatch(r"[a-z0-9._-]+", desc["name"])  # Data Package name rule
    resource = desc["resources"][0]
    schema = resource["schema"]
    names = [f["name"] for f in schema["fields"]]
    header = (out / resource["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert names == header  # fields in the order of the CSV header
    types = {f["name"]: f["type"] for f in schema["fields"]}
    assert types["value"] == "number" and types["id"] == "string"
    allowed = {"string", "number", "integer", "boolean", "date", "year", "array", "object", "any"}
    assert set(types.values()) <= allowed
    assert schema["primaryKey"] == ["id", "region_code", "period"]
    assert set(schema["primaryKey"]) <= set(names)
    assert "万人 = ten thousand persons" in next(
        f["description"] for f in schema["fields"] if f["name"] == "value"
    )


def test_frictionless_validates_the_datapackage(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    out = tmp_path / "package"
    run("export", "--datapackage", str(out))
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])


# ---------------------------------------------------------------- pictures


def test_chart_parts_and_periods_in_80_columns() -> None:
    r = run("chart", "monitoring", "rectification", "-o", "table", env={"COLUMNS": "80"})
    assert r.code == 0
    lines = r.out.splitlines()
    from rich.cells import cell_len

    assert max(cell_len(x) for x in lines) <= 80
    assert "构成: 累计监测对象户数 = 1294户 (2023)" in lines
    assert any(x.startswith("脱贫不稳定户户数") and x.endswith("421户 32.5%") for x in lines)
    assert any(x.startswith("2022") and x.endswith("22个") for x in lines)
    assert "\x1b" not in r.out  # no colour off a terminal: plain text bars


def test_chart_value_against_target_and_data_formats() -> None:
    r = run("chart", "income.relocated_households_employed", "-o", "csv")
    assert r.out.splitlines()[1:] == [
        "已实现就业搬迁家庭户数 >= 目标,target,数值,1259,户,,达标",
        "已实现就业搬迁家庭户数 >= 目标,target,目标,1259,户,,达标",
    ]
    nothing = run("--lang", "en", "chart", "deployment")
    assert nothing.code == 1 and "nothing to chart for deployment" in nothing.err


@pytest.mark.parametrize("command", [["show", "monitoring"], ["compare"], ["chart", "monitoring"]])
def test_svg_saves_what_the_terminal_shows(command: list[str], tmp_path: Path) -> None:
    svg = tmp_path / "x.svg"
    r = run(*command, "-o", "tsv", "--svg", str(svg))
    assert r.code == 0
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg") and "</svg>" in text


def test_readme_pictures_are_up_to_date(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["FANPIN_CACHE"] = "0"
    subprocess.run(["bash", str(REPO / "docs" / "pictures.sh"), str(tmp_path)], check=True, env=env)
    for svg in sorted(tmp_path.glob("*.svg")):
        assert svg.read_bytes() == (REPO / "docs" / "img" / svg.name).read_bytes(), svg.name
    shown = {page: text.read_text(encoding="utf-8") for page, text in DOC_PAGES.items()}
    for svg in sorted(tmp_path.glob("*.svg")):  # each picture is shown on some page
        assert f"](docs/img/{svg.name})" in shown["README.md"] or any(
            f"](img/{svg.name})" in text for page, text in shown.items() if page != "README.md"
        ), svg.name
