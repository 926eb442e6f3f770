"""Every region of China (issue 22 item 4) and region names of any case (issue 24 item 17).

`--region` takes any province, prefecture or county by code or name, from the Ministry of
Civil Affairs' national list (data/divisions/), in every command that takes it; a name that
several regions share is a usage error listing them with their parents; the bundled data's
own regions come first and are unchanged; the national list is read only when needed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, run

from fanpin_cli.reading.divisions import FILE, national
from fanpin_cli.reading.load.problems import Problems
from fanpin_cli.reading.load.records import load_regions

NATIONAL = DATA / "divisions" / FILE


def test_the_list_cites_its_edition_source_and_grade() -> None:
    header = "".join(line for line in NATIONAL.read_text("utf-8").splitlines(True)
                     if line.startswith("#"))  # fmt: skip
    for cited in ("民政部", "2024年中华人民共和国县以上行政区划代码", "2024-12-31",
                  "yescallop/areacodes", "eed219a0678d36bacaa717f62443b10e869f0291",
                  "Grade: secondary"):  # fmt: skip
        assert cited in header, cited


def test_the_list_has_every_province_prefecture_and_county() -> None:
    rows = [line.split("\t") for line in NATIONAL.read_text("utf-8").splitlines()
            if not line.startswith("#")]  # fmt: skip
    assert all(len(r) == 2 and re.fullmatch(r"[1-8]\d{5}", r[0]) and r[1] for r in rows)
    codes = [r[0] for r in rows]
    assert len(codes) == len(set(codes)) == 3213
    provinces = [c for c in codes if c.endswith("0000")]
    assert len(provinces) == 34  # 31 provinces, Taiwan, Hong Kong, Macao
    divisions = national()
    for code, name, parent in (
        ("530500", "保山市", "530000"), ("622925", "和政县", "622900"),
        ("110101", "东城区", "110000"),  # a district of a municipality: under the city itself
        ("429004", "仙桃市", "420000"),  # a county-level city directly under its province
        ("620000", "甘肃省", "100000"),
    ):  # fmt: skip
        region = divisions.region(code)
        assert region is not None and (region.name_zh, region.parent) == (name, parent)


def test_the_bundled_table_agrees_with_the_national_list() -> None:
    bundled = load_regions(DATA / "regions.toml", Problems(True))
    divisions = national()
    for region in bundled:
        if region.code == "100000":  # the country: not a row of the ministry's list
            continue
        found = divisions.region(region.code)
        assert found is not None, region.code
        assert (found.name_zh, found.parent) == (region.name_zh, region.parent)


# Every command that takes --region (and rollup's --to, template's --region)
REGION_COMMANDS = [
    ["show", "monitoring"],
    ["get", "monitoring.total_households"],
    ["export", "--csv"],
    ["compare"],
    ["explain", "monitoring.total_households"],
    ["diff", "rectification"],  # the bundled section with two periods
    ["benchmark"],
]


@pytest.mark.parametrize("args", REGION_COMMANDS, ids=[a[0] for a in REGION_COMMANDS])
@pytest.mark.parametrize(("region", "code"), [("保山市", "530500"), ("530500", "530500"),
                                              ("和政县", "622925")])  # fmt: skip
def test_any_region_of_china_is_known_to_every_command(
    args: list[str], region: str, code: str
) -> None:
    # a known region without records in the bundled data is what 永登县 (a region of the
    # bundled table) is: the same exit code and message, not "unknown region"
    national = run("--lang", "en", *args, "--region", region)
    bundled = run("--lang", "en", *args, "--region", "永登县")
    assert national.code == bundled.code in (1, 2)
    assert national.out == bundled.out == ""
    assert national.err == bundled.err.replace("620121", code)
    assert "unknown region" not in national.err


@pytest.mark.parametrize("args", REGION_COMMANDS, ids=[a[0] for a in REGION_COMMANDS])
def test_a_name_several_regions_share_lists_them_with_their_parents(args: list[str]) -> None:
    r = run("--lang", "en", *args, "--region", "新华区")
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "fanpin: error: region name '新华区' is ambiguous: 130105 新华区 (河北省 石家庄市); "
        "130902 新华区 (河北省 沧州市); 410402 新华区 (河南省 平顶山市); give its code\n"
    )


def test_the_bundled_regions_come_first() -> None:
    # 城关区 is also Lhasa's (540102); in the bundled data it is Lanzhou's 620102
    r = run("--lang", "en", "show", "--region", "城关区")
    assert (r.code, r.err) == (1, "fanpin: error: no records match --region 620102\n")
    lanzhou = run("show", "monitoring.total_households", "--region", "兰州市", "-o", "csv",
                  "--fields", "region_code,value")  # fmt: skip
    assert lanzhou.out == "region_code,value\n620100,1294\n"


def test_ambiguous_and_unknown_in_rollup_and_template(tmp_path: Path) -> None:
    to = run("--lang", "en", "rollup", "--to", "城区")
    assert to.code == 2 and "region name '城区' is ambiguous" in to.err
    assert "140302 城区 (山西省 阳泉市)" in to.err
    made = run("template", "--region", "保山市", "--period", "2024", str(tmp_path / "bs"))
    assert made.code == 0, made.err
    meta = (tmp_path / "bs" / "dataset.toml").read_text(encoding="utf-8")
    assert 'region_code = "530500"' in meta and 'title_zh = "保山市2024年' in meta
    unknown = run("--lang", "en", "show", "--region", "保山")  # no partial names
    assert unknown.code == 2 and "unknown region '保山'" in unknown.err
    assert unknown.err.endswith("did you mean 保山市?\n")  # suggested from the national list


def _as_baoshan(mini: Path) -> Path:
    meta = mini / "dataset.toml"
    meta.write_text(meta.read_text("utf-8").replace('"620121"', '"530500"'), "utf-8")
    return mini


@pytest.mark.parametrize("cache", ["0", "1"])
def test_a_dataset_of_a_region_only_the_national_list_names(
    mini: Path, tmp_path: Path, cache: str
) -> None:
    """SYNTHETIC mini dataset (made-up figures) moved to 保山市: selected by name or code,
    cold and (twice, the second time warm) through the cache."""
    data = str(_as_baoshan(mini))
    env = {"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2 if cache == "1" else 1):
        for region in ("保山市", "530500"):
            r = run("show", "monitoring.total_households", "--data", data, "--region", region,
                    "-o", "csv", "--fields", "region_code,value", env=env)  # fmt: skip
            assert (r.code, r.out) == (0, "region_code,value\n530500,100\n"), r.err
        other = run("--lang", "en", "show", "--data", data, "--region", "和政县", env=env)
        assert (other.code, other.err) == (1, "fanpin: error: no records match --region 622925\n")


def test_benchmark_finds_the_parents_of_a_national_region(mini: Path) -> None:
    from fanpin_cli.analysis.peers import ancestors
    from fanpin_cli.reading.load import load

    dataset = load([_as_baoshan(mini)], use_cache=False)
    assert ancestors(dataset, "530500") == ["530000", "100000"]
    assert ancestors(dataset, "620121") == ["620100", "620000", "100000"]  # the bundled table


# --- issue 24 item 17: names of any case ---------------------------------------------

CASE_COMMANDS = [
    ["show", "monitoring.total_households", "-o", "csv"],
    ["get", "monitoring.total_households"],
    ["export", "--csv"],
    ["compare", "-o", "csv"],
    ["explain", "monitoring.total_households", "-o", "json"],
    ["benchmark", "-o", "csv"],
]


@pytest.mark.parametrize("args", CASE_COMMANDS, ids=[a[0] for a in CASE_COMMANDS])
def test_region_names_match_whatever_their_case(args: list[str]) -> None:
    want = run(*args, "--region", "Lanzhou")
    assert want.code == 0, want.err
    for spelled in ("lanzhou", "LANZHOU", "lanZhou"):
        got = run(*args, "--region", spelled)
        assert (got.code, got.out, got.err) == (0, want.out, want.err), spelled


def test_case_in_rollup_template_and_diff(tmp_path: Path) -> None:
    from conftest import COUNTY_ARGS

    rolled = run("rollup", "--to", "LANZHOU", *COUNTY_ARGS, "-o", "csv")
    assert rolled.code == 0 and rolled.out == run("rollup", "--to", "Lanzhou", *COUNTY_ARGS,
                                                  "-o", "csv").out  # fmt: skip
    made = run("template", "--region", "yongdeng county", "--period", "2024", str(tmp_path / "t"))
    meta = (tmp_path / "t" / "dataset.toml").read_text("utf-8")
    assert made.code == 0 and 'region_code = "620121"' in meta
    diffed = run("diff", "rectification", "--region", "LANZHOU", "-o", "csv")
    assert diffed.code == 0 and diffed.out == run("diff", "rectification", "--region", "Lanzhou",
                                                  "-o", "csv").out  # fmt: skip


# --- start-up: the national list only where a name needs it ----------------------------

PROBE = """
import json, sys
from fanpin_cli.cli.app import main
code = main(sys.argv[1:])
print(json.dumps({"code": int(code), "national": "fanpin_cli.reading.divisions" in sys.modules}),
      file=sys.stderr)
"""


def _national_read(*args: str) -> tuple[int, bool]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env["FANPIN_CACHE"] = "0"
    p = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, env=env,
                       timeout=60, check=False)  # fmt: skip
    report = json.loads(p.stderr.decode("utf-8").strip().splitlines()[-1])
    return report["code"], report["national"]


@pytest.mark.parametrize(
    ("args", "needed"),
    [
        (["show", "monitoring", "-o", "csv"], False),
        (["export", "--csv"], False),
        (["get", "monitoring.total_households", "--region", "兰州市"], False),
        (["show", "monitoring", "--region", "620100", "-o", "csv"], False),
        (["show", "monitoring", "--region", "lanzhou", "-o", "csv"], False),
        (["show", "monitoring", "--region", "保山市", "-o", "csv"], True),
    ],
)
def test_the_national_list_is_read_only_for_a_region_the_data_does_not_name(
    args: list[str], needed: bool
) -> None:
    code, national_read = _national_read(*args)
    assert national_read == needed
    assert code == (1 if needed else 0)


# --- the report commands: extract's and verify's --region ------------------------------

SOURCE = str(DATA / "source.txt")


@pytest.mark.parametrize(
    ("region", "code"),
    [("保山市", "530500"), ("530500", "530500"), ("和政县", "622925"), ("lanzhou", "620100")],
)
def test_extract_writes_the_region_asked_for(tmp_path: Path, region: str, code: str) -> None:
    out = tmp_path / "draft"
    r = run("extract", SOURCE, "--region", region, "--period", "2023", "--output", str(out))
    assert r.code == 0, r.err
    assert f'region_code = "{code}"' in (out / "dataset.toml").read_text("utf-8")


@pytest.mark.parametrize("command", ["extract", "verify"])
def test_report_commands_list_the_regions_a_shared_name_means(command: str) -> None:
    r = run("--lang", "en", command, SOURCE, "--region", "新华区", "--period", "2023")
    assert (r.code, r.out) == (2, "")
    assert "region name '新华区' is ambiguous: 130105 新华区 (河北省 石家庄市)" in r.err


def test_verify_takes_a_region_name_of_any_case() -> None:
    want = run("verify", SOURCE, "--region", "Lanzhou", "-o", "csv")
    got = run("verify", SOURCE, "--region", "LANZHOU", "-o", "csv")
    assert want.code == 0 and (got.code, got.out) == (want.code, want.out)


def test_rank_among_takes_names_of_any_case_and_lists_shared_ones() -> None:
    from conftest import COUNTIES

    data = ["--data", str(COUNTIES / "2023")]
    asked = ["rank", "monitoring.total_households", *data, "-o", "csv", "--among"]
    want = run(*asked, "Yongdeng County,Gaolan County")
    got = run(*asked, "YONGDENG COUNTY,gaolan county")
    assert want.code == 0 and (got.code, got.out) == (0, want.out)
    shared = run("--lang", "en", *asked, "新华区")
    assert shared.code == 2 and "region name '新华区' is ambiguous" in shared.err


@pytest.mark.parametrize("cache", ["0", "1"])
def test_a_dataset_of_a_national_region_prints_its_name(
    mini: Path, tmp_path: Path, cache: str
) -> None:
    """SYNTHETIC mini dataset moved to 保山市, no regions.toml of its own: its records print
    the national list's name beside the code (cold and warm through the cache)."""
    data = str(_as_baoshan(mini))
    env = {"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2 if cache == "1" else 1):
        r = run("show", "monitoring.total_households", "--data", data, "-o", "csv",
                "--fields", "region_code,region_name_zh,value", env=env)  # fmt: skip
        assert (r.code, r.out) == (0, "region_code,region_name_zh,value\n530500,保山市,100\n")
    # only the region itself joins the table, not its parents (a roll-up to 云南省 or to
    # 甘肃省 expects no more children than before)
    from fanpin_cli.reading.load import load

    codes = [r.code for r in load([Path(data)], use_cache=False).regions]
    assert "530500" in codes and "530000" not in codes
