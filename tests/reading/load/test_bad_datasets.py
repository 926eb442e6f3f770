"""Nothing breaks on bad input: a corpus of broken datasets, each with the exact error it gives.

Every case starts from the SYNTHETIC fixture tests/fixtures/synthetic-mini and breaks one thing.
Data that cannot be loaded exits 3 with one line on stderr naming file and line; data that
loads but is inconsistent makes `fanpin check` exit 1 with the finding. Nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run
from hostile import (
    MON,
    Case,
    append,
    edit,
    extra,
    write,
)


def empty_dir(d: Path) -> Path:
    e = d.parent / "empty"
    e.mkdir()
    return e


def missing_dir(d: Path) -> Path:
    return d.parent / "does-not-exist"


def dir_named_toml(d: Path) -> Path:
    (d / "extra.toml").mkdir()
    return d


def symlink_loop(d: Path) -> Path:
    (d / "loop.toml").symlink_to(d / "loop.toml")
    return d


def duplicate_across_files(d: Path) -> Path:
    (d / "monitoring2.toml").write_text(
        '[section]\nkey = "monitoring"\ntitle_zh = "监测"\ntitle_en = "Monitoring"\n'
        + extra(id='"monitoring.total_households"'),
        encoding="utf-8",
    )
    return d


MON_AT = "{t}/mini/monitoring.toml"
TGT_AT = "{t}/mini/targets.toml"
TGT = "target monitoring.risk_elimination_rate: "

CASES = [
    # --- cannot be loaded: exit 3 for every command, check included ----------------------
    Case(
        "toml-unclosed-array-header",
        append(MON, "\n[[indicator]\nid = 1\n"),
        3,
        MON_AT + ":51",
        "TOML syntax error: Expected ']]' at the end of an array declaration (column 12)",
    ),
    Case(
        "toml-bad-value",
        append(MON, extra(value="12a")),
        3,
        MON_AT + ":55",
        "TOML syntax error: Expected newline or end of document after a statement (column 11)",
    ),
    Case(
        "toml-duplicate-key",
        append(MON, extra() + "value = 2\n"),
        3,
        MON_AT + ":57",
        "TOML syntax error: Cannot overwrite a value (column 10)",
    ),
    Case(
        "toml-unterminated-string",
        append(MON, extra(name_en='"Extra')),
        3,
        MON_AT + ":54",
        "TOML syntax error: Illegal character '\\n' (column 17)",
    ),
    Case(
        "not-utf8-gbk",
        write(MON, '[section]\nkey = "监测"\n'.encode("gbk")),
        3,
        MON_AT + ":2",
        "not UTF-8 text (byte 0xbc at offset 17); save the file as UTF-8",
    ),
    Case("empty-file", write(MON, ""), 3, MON_AT + ":1", "file is empty"),
    Case("whitespace-only-file", write(MON, "\n  \n"), 3, MON_AT + ":1", "file is empty"),
    Case("empty-directory", empty_dir, 3, "{t}/empty", "no TOML data files in this directory"),
    Case(
        "missing-directory",
        missing_dir,
        3,
        "{t}/does-not-exist",
        "no such dataset directory or file",
    ),
    Case(
        "file-is-a-directory",
        dir_named_toml,
        3,
        "{t}/mini/extra.toml",
        "is a directory, not a file",
    ),
    Case(
        "symlink-loop",
        symlink_loop,
        3,
        "{t}/mini/loop.toml",
        "a symbolic link loop",
    ),
    Case(
        "single-file-syntax-error",
        lambda d: append(MON, "x = [\n")(d) / MON,
        3,
        MON_AT + ":51",
        "TOML syntax error: Invalid value (column 1)",
    ),
    Case(
        "integer-over-4300-digits-in-unknown-key",
        append(MON, extra(zzz="1" * 4301)),
        3,
        MON_AT + ":57",
        "a number with more than 4300 digits; no figure is that long",
    ),
    # --- schema errors: check reports them (exit 1); every other command exits 3 ---------
    Case(
        "value-exponent-a-billion-places",
        append(MON, extra(value="1e-999999999")),
        1,
        MON_AT + ":55",
        "monitoring.extra: value has more than 9 decimal places",
    ),
    Case(
        "value-exponent-beyond-memory",
        append(MON, extra(value="1e-9999999999999")),
        1,
        MON_AT + ":55",
        "monitoring.extra: value has more than 9 decimal places",
    ),
    Case(
        "value-ten-decimal-places",
        append(MON, extra(value="0.0000000001")),
        1,
        MON_AT + ":55",
        "monitoring.extra: value has more than 9 decimal places",
    ),
    Case(
        "target-value-tiny",
        edit("targets.toml", "value = 40", "value = 1e-27"),
        1,
        TGT_AT + ":5",
        TGT + "value has more than 9 decimal places",
    ),
    Case(
        "indicator-array-inside-section-table",
        write(
            MON,
            '[section]\nkey = "monitoring"\ntitle_zh = "监测"\ntitle_en = "Monitoring"\n\n'
            'indicator = [\n  { id = "monitoring.x", name_zh = "户", name_en = "H", value = 1, '
            'unit = "户" },\n]\n',
        ),
        1,
        MON_AT + ":6",
        "no indicator records: 'indicator = [...]' written after [section] belongs to the "
        "[section] table; move it above [section] or write [[indicator]] tables",
    ),
    Case(
        "section-file-without-records",
        write(MON, '[section]\nkey = "monitoring"\ntitle_zh = "监测"\ntitle_en = "Monitoring"\n'),
        1,
        MON_AT + ":1",
        "no [[indicator]] records in this section file",
    ),
    Case(
        "regions-renames-a-bundled-region",
        write(
            "regions.toml",
            '[[region]]\ncode = "620121"\nname_zh = "永登县"\nname_en = "Yongdeng County"\n'
            'parent = "620100"\n\n[[region]]\ncode = "620100"\nname_zh = "假兰州"\n'
            'name_en = "Fake Lanzhou"\n',
        ),
        1,
        "{t}/mini/regions.toml:8",
        "region 620100 is 假兰州 / Fake Lanzhou here but 兰州市 / Lanzhou in "
        "@bundled/regions.toml; one code names one region",
        shows=True,
    ),
    *[
        Case(
            f"period-{period}",
            append(MON, extra(period=f'"{period}"')),
            1,
            MON_AT + ":57",
            f"monitoring.extra: period {period!r} is not YYYY, YYYY-Qn or YYYY-MM",
        )
        for period in ("2023-99", "2023-00", "2023-13", "0000")
    ],
    Case(
        "target-unknown-comparator",
        edit("targets.toml", '">="', '"=>"'),
        1,
        TGT_AT + ":4",
        TGT + "unknown comparator '=>'; use one of >= > <= < ==",
    ),
    Case(
        "target-non-finite-value",
        edit("targets.toml", "value = 40", "value = nan"),
        1,
        TGT_AT + ":5",
        TGT + "value must be a finite number, not NaN",
    ),
    Case(
        "target-missing-basis",
        edit("targets.toml", "[target.basis]", "[target.other]"),
        1,
        TGT_AT + ":2",
        TGT + "basis table missing",
    ),
    Case(
        "target-bad-confidence",
        edit("targets.toml", '"derived"', '"likely"'),
        1,
        TGT_AT + ":2",
        TGT + "basis.confidence 'likely' is not one of confirmed, secondary, derived",
    ),
    Case(
        "value-is-a-string",
        edit(MON, "value = 100", 'value = "100"'),
        1,
        MON_AT + ":12",
        "monitoring.total_households: value must be a number, not a string",
    ),
    Case(
        "value-is-a-boolean",
        edit(MON, "value = 100", "value = true"),
        1,
        MON_AT + ":12",
        "monitoring.total_households: value must be a number, not a boolean",
    ),
    Case(
        "id-is-an-integer",
        edit(MON, 'id = "monitoring.total_households"', "id = 7"),
        1,
        MON_AT + ":9",
        "id must be a string, not an integer",
    ),
    Case(
        "id-not-a-slug",
        edit(MON, '"monitoring.total_households"', '"monitoring.Total"'),
        1,
        MON_AT + ":9",
        "id 'monitoring.Total' must be an ASCII slug 'section.name'",
    ),
    Case(
        "missing-id",
        edit(MON, 'id = "monitoring.marginal_households"\n', ""),
        1,
        MON_AT + ":25",
        "indicator has no id",
    ),
    Case(
        "missing-name-en",
        edit(MON, 'name_en = "Unstable households"\n', ""),
        1,
        MON_AT + ":17",
        "monitoring.unstable_households: name_en is missing",
    ),
    Case(
        "name-is-a-table",
        edit(MON, 'name_zh = "边缘易致贫户户数"', "name_zh = { a = 1 }"),
        1,
        MON_AT + ":27",
        "monitoring.marginal_households: name_zh must be a string, not a table",
    ),
    Case(
        "unknown-unit",
        edit(MON, 'unit = "%"', 'unit = "percent"'),
        1,
        MON_AT + ":47",
        "monitoring.risk_elimination_rate: unknown unit 'percent'; declare it in "
        'dataset.toml, e.g. [units] "percent" = { dimension = "area", scale = 1 } (scale: '
        "how many base units one percent is; class: count, amount, rate or standard, "
        "default amount)",
    ),
    Case(
        "unknown-section-prefix",
        append(MON, extra(id='"policy.extra"')),
        1,
        MON_AT + ":52",
        "id 'policy.extra' is not in this file's section 'monitoring' (unknown section)",
    ),
    Case(
        "section-not-declared",
        edit(MON, 'key = "monitoring"', 'key = "monitor"'),
        1,
        MON_AT + ":3",
        "unknown section 'monitor': not in dataset.toml [sections] order",
    ),
    Case(
        "no-section-table",
        edit(MON, "[section]", "[sections]"),
        1,
        MON_AT + ":1",
        "no [section] table with key, title_zh and title_en",
    ),
    Case(
        "region-code-five-digits",
        append(MON, extra(region_code='"62012"')),
        1,
        MON_AT + ":57",
        "monitoring.extra: region_code must be six digits, as a string",
    ),
    Case(
        "region-code-integer",
        append(MON, extra(region_code="620121")),
        1,
        MON_AT + ":57",
        "monitoring.extra: region_code must be six digits, as a string",
    ),
    Case(
        "dataset-region-invalid",
        edit("dataset.toml", '"620121"', '"lanzhou"'),
        1,
        "{t}/mini/dataset.toml:9",
        "[dataset] region_code must be six digits",
    ),
    Case(
        "period-two-digits",
        append(MON, extra(period='"23"')),
        1,
        MON_AT + ":57",
        "monitoring.extra: period '23' is not YYYY, YYYY-Qn or YYYY-MM",
    ),
    Case(
        "period-integer",
        append(MON, extra(period="2023")),
        1,
        MON_AT + ":57",
        'monitoring.extra: period must be a string like "2023"',
    ),
    Case(
        "huge-float",
        edit(MON, "value = 100", "value = 1e400"),
        1,
        MON_AT + ":12",
        "monitoring.total_households: value is too large (1e18 or more) to be a plausible figure",
    ),
    Case(
        "huge-integer",
        edit(MON, "value = 100", "value = 100000000000000000000"),
        1,
        MON_AT + ":12",
        "monitoring.total_households: value is too large (1e18 or more) to be a plausible figure",
    ),
    Case(
        "nan-value",
        edit(MON, "value = 100", "value = nan"),
        1,
        MON_AT + ":12",
        "monitoring.total_households: value must be a finite number, not NaN",
    ),
    Case(
        "inf-value",
        edit(MON, "value = 100", "value = -inf"),
        1,
        MON_AT + ":12",
        "monitoring.total_households: value must be a finite number, not -Infinity",
    ),
    Case(
        "duplicate-id-within-file",
        append(MON, extra(id='"monitoring.marginal_households"')),
        1,
        MON_AT + ":51",
        "duplicate indicator monitoring.marginal_households for region "
        "620121, period 2023 (first at {t}/mini/monitoring.toml:25)",
    ),
    Case(
        "duplicate-id-across-files",
        duplicate_across_files,
        1,
        "{t}/mini/monitoring2.toml:6",
        "duplicate indicator monitoring.total_households for region 620121, period 2023 "
        "(first at {t}/mini/monitoring.toml:8)",
    ),
    Case(
        "indicator-not-a-table",
        write(
            MON,
            'indicator = [1, 2]\n[section]\nkey = "monitoring"'
            '\ntitle_zh = "监测"\ntitle_en = "M"\n',
        ),
        1,
        MON_AT + ":1",
        "indicator must be a table, not an integer",
    ),
    Case(
        "ratio-malformed",
        edit(
            MON,
            'ratio = { numerator = "monitoring.risk_eliminated_'
            'households", denominator = "monitoring.total_households" }',
            'ratio = ["a", "b"]',
        ),
        1,
        MON_AT + ":49",
        "monitoring.risk_elimination_rate: ratio must be { numerator = id, denominator = id }",
    ),
    Case(
        "basis-invalid",
        append(MON, extra(basis='"yearly"')),
        1,
        MON_AT + ":57",
        "monitoring.extra: basis 'yearly' is not one of annual, cumulative, point-in-time",
    ),
    # --- loads, but inconsistent: check exits 1 with the finding; show works -------------
    Case(
        "negative-count",
        edit(MON, "value = 40", "value = -40"),
        1,
        MON_AT + ":25",
        "monitoring.marginal_households = -40户 is negative",
        shows=True,
    ),
    Case(
        "percentage-150",
        edit(MON, "value = 50.0", "value = 150.0"),
        1,
        MON_AT + ":42",
        "monitoring.risk_elimination_rate = 150.0% is outside 0-100",
        shows=True,
    ),
    Case(
        "fractional-count",
        edit(MON, "value = 60", "value = 60.5"),
        1,
        MON_AT + ":17",
        "monitoring.unstable_households = 60.5户 is not a whole count (mark averages "
        "additive = false)",
        shows=True,
    ),
    Case(
        "parts-name-missing-id",
        edit(MON, '"monitoring.marginal_households"]', '"monitoring.gone"]'),
        1,
        MON_AT + ":8",
        "monitoring.total_households: parts name missing ids: monitoring.gone",
        shows=True,
    ),
    Case(
        "parts-cycle",
        edit(
            MON,
            'source = "其中脱贫不稳定户60户"',
            'source = "其中脱贫不稳定户60户"\nparts = ["monitoring.total_households"]',
        ),
        1,
        MON_AT + ":8",
        "parts form a cycle: monitoring.total_households -> "
        "monitoring.unstable_households -> monitoring.total_households",
        shows=True,
    ),
    Case(
        "parts-do-not-add-up",
        edit(MON, "value = 60", "value = 59"),
        1,
        MON_AT + ":8",
        "monitoring.total_households = 100户 but its parts add up to 99户",
        shows=True,
    ),
    Case(
        "ratio-wrong",
        edit(MON, "value = 50.0", "value = 50.1"),
        1,
        MON_AT + ":42",
        "monitoring.risk_elimination_rate = 50.1% but monitoring.risk_eliminated_households / "
        "monitoring.total_households = 50 / 100 = 50.0%",
        shows=True,
    ),
    Case(
        "subset-exceeds-whole",
        edit(MON, "value = 50\n", "value = 150\n"),
        1,
        MON_AT + ":33",
        "monitoring.risk_eliminated_households = 150户 exceeds its whole "
        "monitoring.total_households = 100户",
        shows=True,
    ),
    Case(
        "quote-not-in-source",
        edit(MON, 'source = "消除风险50户"', 'source = "消除了风险50户"'),
        1,
        MON_AT + ":33",
        "monitoring.risk_eliminated_households: quote is not in the source document",
        shows=True,
    ),
    Case(
        "target-unknown-indicator",
        edit("targets.toml", '"monitoring.risk_elimination_rate"', '"monitoring.nothing"'),
        1,
        TGT_AT + ":2",
        "target names unknown indicator monitoring.nothing",
        shows=True,
    ),
    Case(
        "target-incomparable-unit",
        edit("targets.toml", 'unit = "%"', 'unit = "户"'),
        1,
        TGT_AT + ":2",
        TGT + "unit 户 is not comparable with %",
        shows=True,
    ),
]


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.fixture
def broken(mini: Path) -> Callable[[Case], tuple[Path, str]]:
    def make(case: Case) -> tuple[Path, str]:
        return case.setup(mini), str(mini)

    return make


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, broken: Callable[[Case], tuple[Path, str]], tmp_path: Path) -> None:
    path, d = broken(case)
    t = str(Path(d).parent)
    where = case.where.replace("{t}", t)
    message = case.message.replace("{t}", t)
    one_line = f"fanpin: error: {where}: {message}\n"
    out_file = tmp_path / "out.csv"
    checked = run("--lang", "en", "check", "--data", str(path), "-o", "json")
    assert checked.code == case.code, checked.err + checked.out
    if case.code == 3:
        assert (checked.out, checked.err) == ("", one_line)
    else:
        import json

        findings = json.loads(checked.out)
        found = {f"{f['file']}:{f['line']}\t{f['message']}": f["message_zh"] for f in findings}
        assert f"{where}\t{message}" in found
        assert CJK.search(found[f"{where}\t{message}"])
    exported = run("--lang", "en", "export", "--data", str(path), "--output", str(out_file))
    shown = run("--lang", "en", "show", "--data", str(path), "-o", "csv")
    if case.shows:
        assert (exported.code, shown.code) == (0, 0), exported.err
        return
    for r in (exported, shown):
        assert (r.code, r.out, r.err) == (3, "", one_line)
    # the same line in Chinese, at the same file and line
    zh = run("show", "--data", str(path), "-o", "csv")
    assert (zh.code, zh.out) == (3, "") and zh.err.startswith(f"fanpin: error: {where}: ")
    assert CJK.search(zh.err.partition(where)[2]), zh.err
    assert not out_file.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


CJK = re.compile("[\u4e00-\u9fff]")


def test_byte_order_mark_loads(mini: Path) -> None:
    d = mini
    text = (d / MON).read_bytes()
    (d / MON).write_bytes(b"\xef\xbb\xbf" + text)
    r = run("get", "monitoring.total_households", "--data", str(d))
    assert (r.code, r.out) == (0, "100\n")


def test_unknown_key_is_a_warning(mini: Path) -> None:
    d = mini
    append(MON, extra(colour='"red"'))(d)
    assert run("show", "--data", str(d)).code == 0
    plain = run("check", "--data", str(d), "-o", "csv")
    assert plain.code == 0
    assert "warning,monitoring.extra,,," in plain.out
    assert "monitoring.extra: unknown key 'colour'" in plain.out
    assert run("check", "--data", str(d), "--strict").code == 1
