"""An error that stops a command speaks --lang: Chinese under zh (the default), English as
before under en; one line on stderr, nothing on stdout, the same exit code in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import COUNTIES, run

COUNTY = ["--data", str(COUNTIES / "2023" / "620121")]

# (arguments, exit code, English line as it always was, Chinese line)
CASES = [
    # usage errors (exit 2): unknown names with a suggestion, malformed or unknown filters
    (["show", "monitorin"], 2,
     "no section or indicator 'monitorin'; did you mean monitoring, monitoring.new_persons, "
     "construction?",
     "没有分节或指标 'monitorin'; 是否指 monitoring, monitoring.new_persons, construction?"),
    (["get", "monitoring.total_household"], 2,
     "no indicator 'monitoring.total_household'; did you mean monitoring.total_households, "
     "monitoring.unstable_households, monitoring.new_households?",
     "没有指标 'monitoring.total_household'; 是否指 monitoring.total_households, "
     "monitoring.unstable_households, monitoring.new_households?"),
    (["explain", "monitoring.total"], 2,
     "no indicator 'monitoring.total'; did you mean monitoring.total_persons, "
     "monitoring.total_households, monitoring.unstable_persons?",
     "没有指标 'monitoring.total'; 是否指 monitoring.total_persons, "
     "monitoring.total_households, monitoring.unstable_persons?"),
    (["show", "--region", "999999"], 2,
     "unknown region '999999'; regions in the data: 620100 兰州市",
     "未知地区 '999999'; 数据中的地区: 620100 兰州市"),
    (["show", "--region", "永登"], 2,
     "unknown region '永登'; regions in the data: 620100 兰州市; did you mean 永登县?",
     "未知地区 '永登'; 数据中的地区: 620100 兰州市; 是否指 永登县?"),
    (["template", "--region", "北京", "--period", "2024", "unused"], 2,
     "unknown region '北京'; did you mean 北京市?", "未知地区 '北京'; 是否指 北京市?"),
    (["show", "--region", ""], 2,
     "--region needs a region code or name", "--region 需要地区代码或名称"),
    (["export", "--period", "2019"], 1,
     "no records for period 2019; periods in the data: 2021, 2022, 2023",
     "没有期间 2019 的记录; 数据中的期间: 2021, 2022, 2023"),
    (["show", "--period", "20x3"], 2,
     "--period '20x3' is not a period (YYYY, YYYY-Qn, YYYY-MM or YYYY-YYYY)",
     "--period '20x3' 不是期间 (YYYY、YYYY-Qn、YYYY-MM 或 YYYY-YYYY)"),
    (["diff", "rectification", "--from", "2022", "--to", "2021"], 2,
     "--from 2022 is not earlier than --to 2021", "--from 2022 不早于 --to 2021"),
    (["diff", "rectification", "--to", "2019"], 1,
     "no records for period 2019; periods are 2021, 2022, 2023",
     "没有期间 2019 的记录; 现有期间: 2021, 2022, 2023"),
    (["template", "--region", "620121", "--period", "24", "unused"], 2,
     "period '24' is not YYYY, YYYY-Qn or YYYY-MM", "期间 '24' 不是 YYYY、YYYY-Qn 或 YYYY-MM"),
    # what the region table or the data lacks (rollup, benchmark, chart; a bundled name)
    (["rollup", "--to", "620100"], 1,
     "no data for any child region of 620100; load the counties with --data",
     "620100 的下级地区都没有数据; 请用 --data 加载县区数据"),
    (["benchmark", "--region", "100000"], 2,
     "region 100000 has no parent in the region table: nothing to put beside",
     "地区表中 100000 没有上级地区: 无可对照"),
    (["benchmark", "monitoring.total_households", *COUNTY], 1,
     "no figures of region 620121 that its parent or the country also report; load the "
     "references with --data @references",
     "地区 620121 没有上级或全国也报告的数据; 请用 --data @references 加载参考数据"),
    (["chart", "deployment"], 1,
     "nothing to chart for deployment: charts show parts of a whole, values over periods, "
     "and values against targets",
     "deployment 没有可画的图: 图表显示总数的组成部分、各期数值, 以及数值与目标的对比"),
    (["show", "--data", "@gansuu"], 2,
     "unknown dataset '@gansuu'; bundled datasets are @bundled, @gansu, @china, @references",
     "未知数据集 '@gansuu'; 内置数据集: @bundled, @gansu, @china, @references"),
    # options that do not go together, --fields
    (["export", "--csv", "--json"], 2,
     "choose one of --csv, --tsv, --json, --jsonl, --markdown, --sqlite, --datapackage, --xlsx",
     "只能选择 --csv, --tsv, --json, --jsonl, --markdown, --sqlite, --datapackage, --xlsx 之一"),
    (["export", "--excel", "--json"], 2,
     "--excel applies to CSV only", "--excel 只用于 CSV"),
    (["export", "--sqlite", "x.db", "--output", "y"], 2,
     "--sqlite, --datapackage and --xlsx take no --output, --excel or --encoding",
     "--sqlite、--datapackage 和 --xlsx 不接受 --output、--excel 或 --encoding"),
    (["export", "--xlsx", "x.xlsx", "--fields", "id"], 2,
     "--xlsx writes every column; --fields applies to text formats",
     "--xlsx 写出所有列; --fields 只用于文本格式"),
    (["show", "--fields", "id,id"], 2,
     "--fields names id more than once", "--fields 重复列出 id"),
    (["show", "--fields", ","], 2,
     "--fields needs at least one field name", "--fields 至少需要一个字段名"),
    (["show", "monitoring", "-o", "csv", "--fields", "colour"], 2,
     "unknown field 'colour'; fields are: id,section,name_zh,name_en,value,unit,period,"
     "region_code,region_name_zh,region_name_en,basis,source,parts,ratio_numerator,"
     "ratio_denominator,subset_of,written_as,equivalent_unit,note,name,region",
     "未知字段 'colour'; 可用字段: id,section,name_zh,name_en,value,unit,period,"
     "region_code,region_name_zh,region_name_en,basis,source,parts,ratio_numerator,"
     "ratio_denominator,subset_of,written_as,equivalent_unit,note,name,region"),
    # well-formed filters that select nothing (exit 1)
    (["show", "monitoring", "--period", "2022"], 1,
     "no records match monitoring, --period 2022", "没有符合 monitoring, --period 2022 的记录"),
    (["show", "--region", "Yongdeng County"], 1,
     "no records match --region 620121", "没有符合 --region 620121 的记录"),
    (["explain", "monitoring.total_households", "--period", "2022"], 1,
     "no records match monitoring.total_households, --period 2022",
     "没有符合 monitoring.total_households, --period 2022 的记录"),
    (["compare", "monitoring", "--period", "2022"], 1,
     "no records match monitoring, --period 2022", "没有符合 monitoring, --period 2022 的记录"),
    (["get", "monitoring.total_households", "rectification.national_assessment_issues",
      "--period", "2022"], 1,
     "no record of monitoring.total_households for --period 2022",
     "--period 2022 下没有 monitoring.total_households 的记录"),
    (["diff", "monitoring"], 1,
     "nothing to compare for monitoring: two periods of the same indicator and region are "
     "needed; the records chosen have periods 2023",
     "monitoring 没有可比较的记录: 需要同一指标、同一地区的两个期间; 所选记录的期间: 2023"),
    (["diff", "monitoring", "--from", "2022"], 1,
     "nothing to compare for monitoring --from 2022: two periods of the same indicator and "
     "region are needed; the records chosen have periods 2023",
     "monitoring 没有可比较的记录 (--from 2022): 需要同一指标、同一地区的两个期间; "
     "所选记录的期间: 2023"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "code", "en", "zh"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_an_error_speaks_the_chosen_language(args: list[str], code: int, en: str, zh: str) -> None:
    english = run("--lang", "en", *args)
    assert (english.code, english.out, english.err) == (code, "", f"fanpin: error: {en}\n")
    chinese = run("--lang", "zh", *args)
    assert (chinese.code, chinese.out, chinese.err) == (code, "", f"fanpin: error: {zh}\n")
    assert run(*args).err == chinese.err  # Chinese is the default


def _both(*args: str) -> tuple[str, str]:
    """The one stderr line of `args` in English and in Chinese (after 'fanpin: error: '),
    each with the exit code `args` must have in both: 2."""
    lines = []
    for lang in ("en", "zh"):
        r = run("--lang", lang, *args)
        assert (r.code, r.out, r.err.count("\n")) == (2, "", 1), (lang, r.err)
        lines.append(r.err.removeprefix("fanpin: error: ").rstrip("\n"))
    return lines[0], lines[1]


def test_files_refused_as_outputs_are_said_in_the_chosen_language(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "x.csv"
    assert _both("export", "--output", str(missing)) == (
        f"{missing}: its directory does not exist",
        f"{missing}: 其所在目录不存在",
    )
    assert _both("export", "--output", str(tmp_path)) == (
        f"{tmp_path}: is a directory; give a file name",
        f"{tmp_path}: 是目录; 请给出文件名",
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    assert _both("export", "--sqlite", str(notes)) == (
        f"{notes}: exists and is not a database fanpin made; --sqlite writes only a new file "
        "or an earlier fanpin export (give a new file name)",
        f"{notes}: 已存在且不是 fanpin 生成的数据库; --sqlite 只写入新文件或 fanpin 之前导出的"
        "数据库 (请给出新文件名)",
    )
    pkg = tmp_path / "pkg"
    (pkg / "datapackage.json").mkdir(parents=True)
    assert _both("export", "--datapackage", str(pkg)) == (
        f"{pkg}/datapackage.json: is in the way: the data package writes a regular file of "
        "that name",
        f"{pkg}/datapackage.json: 挡住了去路: 数据包要在此写入同名的普通文件",
    )
    assert _both("export", "--datapackage", str(notes)) == (
        f"{notes}: is not a directory",
        f"{notes}: 不是目录",
    )


def test_template_and_import_refusals_are_said_in_the_chosen_language(tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine\n", encoding="utf-8")
    template = ("template", "--region", "620121", "--period", "2024")
    assert _both(*template, str(full)) == (
        f"{full}: already exists and is not an empty directory; choose a new one",
        f"{full}: 已存在且不是空目录; 请换一个新目录",
    )
    book = tmp_path / "t.xlsx"
    assert run(*template, str(book)).code == 0
    assert _both(*template, str(book)) == (
        f"{book}: already exists; choose a new file name",
        f"{book}: 已存在; 请换一个新文件名",
    )
    assert _both("import", str(book), str(full)) == (
        f"{full}: already exists and is not empty; choose a new directory",
        f"{full}: 已存在且不是空目录; 请换一个新目录",
    )


def test_every_usage_and_match_message_has_chinese() -> None:
    from fanpin_cli.core.labels import MESSAGES

    said = {c: zh for c, (zh, _) in MESSAGES.items() if c.startswith(("usage.", "match."))}
    assert len(said) >= 40
    for code, zh in said.items():
        if code not in ("match.compare_asked",):  # " ({0})": the options asked, in brackets
            assert re.search("[\u4e00-\u9fff]", zh), code


def _data_error(data: Path) -> tuple[str, str]:
    """`show --data DATA`'s one stderr line in English and in Chinese (after the path),
    each with exit 3."""
    lines = []
    for lang in ("en", "zh"):
        r = run("--lang", lang, "show", "--data", str(data))
        assert (r.code, r.out, r.err.count("\n")) == (3, "", 1), (lang, r.err)
        lines.append(r.err.removeprefix(f"fanpin: error: {data}: ").rstrip("\n"))
    return lines[0], lines[1]


def test_spreadsheets_that_cannot_be_read_are_said_in_the_chosen_language(tmp_path: Path) -> None:
    import openpyxl

    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert _data_error(other) == (
        "line 1: no id, section, name_zh, name_en, unit, period, region_code column; fanpin "
        "reads the CSV and workbooks that `fanpin export` writes (whole, with its header) and "
        "its fill-in workbooks",
        "第 1 行: 没有 id, section, name_zh, name_en, unit, period, region_code 列; fanpin 读取 "
        "`fanpin export` 写出的 CSV 和工作簿 (完整、带表头) 及其填报工作簿",
    )
    encoded = tmp_path / "encoded.csv"
    encoded.write_bytes(b"id\n\x80\n")
    assert _data_error(encoded) == (
        "not UTF-8 or GB18030 text; save it as UTF-8",
        "不是 UTF-8 或 GB18030 文本; 请存为 UTF-8",
    )
    export = run("export", "--csv").out.splitlines(keepends=True)
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("".join([*export[:2], export[1]]), encoding="utf-8")
    assert _data_error(repeated) == (
        "A3: deployment.responsibility_letters_city_leaders is repeated (first in A2); "
        "keep one row",
        "A3: deployment.responsibility_letters_city_leaders 重复 (首次出现在 A2); 请只保留一行",
    )
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "Foo"
    foreign = tmp_path / "foreign.xlsx"
    book.save(foreign)
    assert _data_error(foreign) == (
        "not a fanpin workbook: no sheet 指标 (Indicators); make one with `fanpin template "
        "--xlsx FILE` or `fanpin export --xlsx FILE`",
        "不是 fanpin 工作簿: 没有工作表 指标 (Indicators); 请用 `fanpin template --xlsx FILE` "
        "或 `fanpin export --xlsx FILE` 生成",
    )
