"""Nothing breaks on bad input: a corpus of broken datasets, each with the exact error it gives.

Every case starts from the SYNTHETIC fixture tests/fixtures/synthetic-mini and breaks one thing.
Data that cannot be loaded exits 3 with one line on stderr naming file and line; data that
loads but is inconsistent makes `fanpin check` exit 1 with the finding. Nothing is written.
"""

from __future__ import annotations

import os
import re
import resource
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, run

MON = "monitoring.toml"


def edit(name: str, old: str, new: str, count: int = 1) -> Callable[[Path], Path]:
    def apply(d: Path) -> Path:
        text = (d / name).read_text(encoding="utf-8")
        assert old in text, old
        (d / name).write_text(text.replace(old, new, count), encoding="utf-8")
        return d

    return apply


def write(name: str, content: str | bytes) -> Callable[[Path], Path]:
    def apply(d: Path) -> Path:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (d / name).write_bytes(data)
        return d

    return apply


def append(name: str, text: str) -> Callable[[Path], Path]:
    def apply(d: Path) -> Path:
        with (d / name).open("a", encoding="utf-8") as f:
            f.write(text)
        return d

    return apply


def rename_target(path: str) -> Callable[[Path], Path]:
    def apply(d: Path) -> Path:
        return d / path

    return apply


EXTRA = """
[[indicator]]
id = "monitoring.extra"
name_zh = "额外"
name_en = "Extra"
value = 1
unit = "户"
"""


def extra(**fields: str) -> str:
    text = EXTRA
    for key, value in fields.items():
        if f"\n{key} = " in text:
            start = text.index(f"\n{key} = ")
            end = text.index("\n", start + 1)
            text = text[:start] + f"\n{key} = {value}" + text[end:]
        else:
            text += f"{key} = {value}\n"
    return text


@dataclass
class Case:
    name: str
    setup: Callable[[Path], Path]
    code: int  # exit code of `fanpin check`
    where: str  # FILE:LINE the error or finding names; {t} is the parent of the dataset
    message: str  # the exact error (exit 3) or finding message (exit 1)
    shows: bool = False  # `fanpin show` still works (exit 0): an inconsistency, not bad data


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


# --- files that are not files: FIFOs, devices, loops, permissions ----------------------
# Each is refused with exit 3 and one line naming it, cache on and off, and never hangs
# or reads without end: the processes below run under a time and memory limit.

ROOT = os.geteuid() == 0
CAPSH = shutil.which("capsh")


def fanpin_process(
    *args: str, env: dict[str, str] | None = None, unprivileged: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """`python -m fanpin_cli ARGS` in a process limited to 1 GB of memory and 20 seconds.

    `unprivileged`: as root, with the capabilities that let root read anything dropped
    (`capsh`), so that file modes apply as they do for everyone else.
    """
    full = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    full.update(env or {})
    cmd = [sys.executable, "-m", "fanpin_cli", *args]
    if unprivileged and ROOT:
        if CAPSH is None:
            pytest.skip("capsh is needed to drop root's override of file modes")
        drop = "--drop=cap_dac_override,cap_dac_read_search"
        cmd = [CAPSH, drop, "--", "-c", "exec " + shlex.join(cmd)]

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        cmd, capture_output=True, env=full, timeout=20, preexec_fn=limit, check=False
    )


def make_node(path: Path, kind: str) -> None:
    """A FIFO, or a zero-device node of our own (never a real /dev entry), at `path`."""
    if kind == "fifo":
        os.mkfifo(path)
        return
    target = path if kind == "device" else path.with_name("zero-device")
    try:
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is
    except PermissionError:
        pytest.skip("making a device node needs root")
    if kind == "symlink-to-device":
        path.symlink_to(target)


KINDS = {
    "fifo": "a FIFO (named pipe)",
    "device": "a character device",
    "symlink-to-device": "a character device",
}


def _as_data(d: Path, node: Path) -> list[str]:
    return ["show", "--data", str(node)]


def _as_member(d: Path, node: Path) -> list[str]:
    return ["show", "--data", str(d)]


def _as_source(d: Path, node: Path) -> list[str]:
    meta = (d / "dataset.toml").read_text(encoding="utf-8")
    (d / "dataset.toml").write_text(meta.replace('"source.txt"', f'"{node.name}"'), "utf-8")
    return ["check", "--data", str(d)]


def _as_targets(d: Path, node: Path) -> list[str]:
    return ["compare", "--data", str(d), "--targets", str(node)]


def _as_against(d: Path, node: Path) -> list[str]:
    return ["diff", "--data", str(d), "--against", str(node)]


PLACES: dict[str, tuple[Callable[[Path, Path], list[str]], str, str]] = {
    # name: (command line, node's file name, what it is refused as)
    "data": (_as_data, "node", "regular file or directory"),
    "member-x.toml": (_as_member, "x.toml", "regular file"),
    "source-document": (_as_source, "src.node", "regular file"),
    "targets": (_as_targets, "node", "regular file"),
    "diff-against": (_as_against, "node", "regular file or directory"),
}


@pytest.mark.parametrize("cache", ["0", "1"])
@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_non_regular_input_is_refused(kind: str, place: str, cache: str, tmp_path: Path) -> None:
    if cache == "1" and place not in ("data", "member-x.toml"):
        pytest.skip("the cache only reads dataset files")
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    command, name, refused_as = PLACES[place]
    node = (d if place in ("member-x.toml", "source-document") else tmp_path) / name
    make_node(node, kind)
    args = command(d, node)
    env = {"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = fanpin_process(*args, env=env | {"FANPIN_LANG": "en"})
    expected = f"fanpin: error: {node}: is {KINDS[kind]}, not a {refused_as}; refused\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)
    zh = fanpin_process(*args, env=env | {"FANPIN_LANG": "zh"})
    assert (zh.returncode, zh.stdout) == (3, b"")
    assert (
        zh.stderr.decode().startswith(f"fanpin: error: {node}: 是")
        and "拒绝读取" in zh.stderr.decode()
    )


def test_a_section_file_past_64_mib_is_read(tmp_path: Path) -> None:
    """No size limit for a regular file (issue 26): a national collection's section file
    passes 64 MiB at about 770,000 realistic records; memory is the bound. Here a record
    file of 65 MiB, most of it one comment (it used to be refused unread, exit 3)."""
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    text = (d / MON).read_text(encoding="utf-8")
    with (d / MON).open("w", encoding="utf-8") as f:
        f.write("# " + "x" * (65 * 1024 * 1024) + "\n" + text)
    assert (d / MON).stat().st_size > 64 * 1024 * 1024
    r = run("get", "monitoring.total_households", "--data", str(d))
    assert (r.code, r.out, r.err) == (0, "100\n", "")


@pytest.mark.parametrize("cache", ["0", "1"])
def test_a_fifo_among_big_files_is_refused_before_they_are_parsed(
    cache: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal names the FIFO before any section file is parsed (it came after
    seconds of parsing the files named before it)."""
    from fanpin_cli.reading.load import directory

    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    fifo = d / "zz.toml"
    make_node(fifo, "fifo")
    parsed: list[Path] = []
    real = directory.load_section_file

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        parsed.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(directory, "load_section_file", spy)
    env = {"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "cache"), "FANPIN_LANG": "en"}
    r = run("check", "--data", str(d), env=env)
    expected = f"fanpin: error: {fifo}: is a FIFO (named pipe), not a regular file; refused\n"
    assert (r.code, r.out, r.err, parsed) == (3, "", expected, [])


def test_symlink_loop_as_data(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for cache in ("0", "1"):
        r = run(
            "show",
            "--data",
            str(loop),
            env={"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path), "FANPIN_LANG": "en"},
        )
        assert (r.code, r.out, r.err) == (3, "", f"fanpin: error: {loop}: a symbolic link loop\n")
    zh = run("show", "--data", str(loop))
    assert (zh.code, zh.err) == (3, f"fanpin: error: {loop}: 符号链接循环\n")


@pytest.mark.parametrize("how", ["--data", "FANPIN_DATA", "file-in-it"])
def test_unreadable_folder_is_a_data_error_however_named(how: str, tmp_path: Path) -> None:
    """Permission denied with root's override dropped: exit 3 (docs/exit-codes), never 2 or 70."""
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    d.chmod(0)
    try:
        if how == "FANPIN_DATA":
            env = {"FANPIN_DATA": str(d), "FANPIN_LANG": "en"}
            r = fanpin_process("show", env=env, unprivileged=True)
        elif how == "--data":
            r = fanpin_process("--lang", "en", "show", "--data", str(d), unprivileged=True)
        else:
            r = fanpin_process("--lang", "en", "show", "--data", str(d / MON), unprivileged=True)
    finally:
        d.chmod(0o755)
    where = d / MON if how == "file-in-it" else d
    expected = f"fanpin: error: {where}: permission denied\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)


@pytest.mark.parametrize("where", ["given", "in-a-collection"])
@pytest.mark.parametrize("command", [("show",), ("check",), ("export", "--csv")])
def test_a_folder_listed_but_not_searchable_is_a_data_error(
    where: str, command: tuple[str, ...], tmp_path: Path
) -> None:
    """A folder whose names can be read but not its files (mode 644: r without x) is
    permission denied naming it, exit 3, cache on and off; it was exit 70 (Path.is_file
    raises PermissionError on Python 3.11)."""
    collection = tmp_path / "counties"
    d = collection / "mini" if where == "in-a-collection" else tmp_path / "mini"
    shutil.copytree(MINI, d)
    given = collection if where == "in-a-collection" else d
    d.chmod(0o644)
    try:
        for cache in ("0", "1"):
            env = {"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
            args = ("--lang", "en", *command, "--data", str(given))
            r = fanpin_process(*args, env=env, unprivileged=True)
            expected = f"fanpin: error: {d}: permission denied\n"
            assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected), cache
    finally:
        d.chmod(0o755)


def test_unreadable_file(tmp_path: Path) -> None:
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    (d / MON).chmod(0)
    r = fanpin_process("--lang", "en", "show", "--data", str(d), unprivileged=True)
    expected = f"fanpin: error: {d}/{MON}: permission denied\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)


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


HOSTILE = {
    "markup": "[bold]x[/]",
    "closing-tag": "[/]",
    "escape": "\x1b[31mred\x1b[0m",
    "bell-and-nul": "a\x07b\x00c",
    "bidi": "abc\u202edef",
    "newline": "two\nlines",
    "long": "长" * 10_000,
}


@pytest.mark.parametrize("label", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_labels_are_shown_literally_and_kept(label: str, mini: Path) -> None:
    import csv
    import io
    import json

    d = mini
    text = HOSTILE[label]
    encoded = json.dumps(text)  # a valid TOML basic string for these characters
    append(MON, extra(name_zh=encoded, name_en=encoded))(d)
    table = run("show", "--data", str(d), "-o", "table", env={"COLUMNS": "200"})
    assert table.code == 0
    assert "\x1b" not in table.out and "\x07" not in table.out and "\x00" not in table.out
    assert "\u202e" not in table.out
    if label in ("markup", "closing-tag"):
        assert text in table.out  # not interpreted as markup
    if label == "escape":
        assert "\\x1b[31mred\\x1b[0m" in table.out
    as_csv = run("show", "monitoring.extra", "--data", str(d), "-o", "csv")
    row = next(csv.DictReader(io.StringIO(as_csv.out)))
    assert row["name_zh"] == text  # lossless
    as_json = run("show", "monitoring.extra", "--data", str(d), "-o", "json")
    assert json.loads(as_json.out)[0]["name_en"] == text
    md = run("show", "--data", str(d), "-o", "markdown")
    assert "\x1b" not in md.out and "\x00" not in md.out


# --- outputs: nothing of the user's is lost -------------------------------------------


def test_sqlite_refuses_a_file_it_did_not_make(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    r = run("--lang", "en", "export", "--sqlite", str(notes))
    refusal = (
        "exists and is not a database fanpin made; --sqlite writes only a new file or an "
        "earlier fanpin export (give a new file name)"
    )
    assert (r.code, r.out, r.err) == (2, "", f"fanpin: error: {notes}: {refusal}\n")
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    for journal in ("delete", "wal"):
        own = tmp_path / f"own-{journal}.db"
        con = sqlite3.connect(own)
        con.execute(f"pragma journal_mode={journal}")
        con.execute("create table indicators(x)")  # named like ours, but the user's
        con.execute("insert into indicators values (7)")
        con.commit()
        con.close()
        r = run("--lang", "en", "export", "--sqlite", str(own))
        assert (r.code, r.err) == (2, f"fanpin: error: {own}: {refusal}\n")
        con = sqlite3.connect(own)
        assert con.execute("select * from indicators").fetchall() == [(7,)]
        con.close()


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_sqlite_keeps_the_users_tables_in_a_fanpin_database(journal: str, tmp_path: Path) -> None:
    db = tmp_path / "fanpin.db"
    assert run("export", "--sqlite", str(db)).code == 0
    con = sqlite3.connect(db)
    con.execute(f"pragma journal_mode={journal}")
    con.execute("create table my_work(x)")
    con.execute("insert into my_work values ('notes')")
    con.commit()
    assert run("export", "--sqlite", str(db), "--data", str(MINI)).code == 0
    assert con.execute("select * from my_work").fetchall() == [("notes",)]
    assert con.execute("select count(*) from indicators").fetchone() == (5,)
    con.close()
    con = sqlite3.connect(db)  # a new reader sees the same (the WAL was not bypassed)
    assert con.execute("select count(*) from indicators").fetchone() == (5,)
    assert con.execute("select * from my_work").fetchall() == [("notes",)]
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    con.close()


def test_sqlite_recognises_an_export_made_before_the_mark(tmp_path: Path) -> None:
    from fanpin_cli.writers.sqlite import SCHEMA

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)  # what fanpin wrote before it set PRAGMA application_id
    con.execute("create table my_work(x)")
    con.close()
    con = sqlite3.connect(db)
    con.execute("drop table my_work")  # exactly fanpin's tables: recognised
    con.commit()
    con.close()
    assert run("export", "--sqlite", str(db), "--data", str(MINI)).code == 0
    con = sqlite3.connect(db)
    assert con.execute("pragma application_id").fetchone() == (0x66706E31,)
    con.close()


def test_sqlite_two_single_files_of_one_folder(tmp_path: Path) -> None:
    d = tmp_path / "files"
    d.mkdir()
    text = (
        (MINI / MON)
        .read_text(encoding="utf-8")
        .replace('unit = "', 'period = "2023"\nregion_code = "620121"\nunit = "')
    )
    (d / "a.toml").write_text(text, encoding="utf-8")
    other = text.replace('"monitoring', '"other').replace("monitoring.", "other.")
    (d / "b.toml").write_text(other, encoding="utf-8")
    db = tmp_path / "two.db"
    r = run("export", "--sqlite", str(db), "--data", str(d / "a.toml"), "--data", str(d / "b.toml"))
    assert (r.code, r.err) == (0, "")
    con = sqlite3.connect(db)
    assert con.execute("select path from datasets").fetchall() == [(str(d),)]
    assert con.execute("select count(*) from indicators").fetchone() == (10,)
    con.close()


def test_datapackage_in_the_way_leaves_what_was_there(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "datapackage.json").mkdir(parents=True)
    (pkg / "indicators.csv").write_text("old\n", encoding="utf-8")
    r = run("--lang", "en", "export", "--datapackage", str(pkg))
    message = "is in the way: the data package writes a regular file of that name"
    assert (r.code, r.err) == (2, f"fanpin: error: {pkg}/datapackage.json: {message}\n")
    assert (pkg / "indicators.csv").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in pkg.iterdir()) == ["datapackage.json", "indicators.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs with 20 KiB free: smaller than any export (root can mount it)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        (mount / "filler").write_bytes(b"\0" * 44_000)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full(full_disk: Path) -> None:
    old = full_disk / "old-pkg"
    old.mkdir()
    (old / "indicators.csv").write_text("old\n", encoding="utf-8")
    nospace = "No space left on device"
    cases = {
        "sqlite": (["export", "--sqlite"], full_disk / "x.db"),
        "datapackage-new": (["export", "--datapackage"], full_disk / "pkg"),
        "datapackage-old": (["export", "--datapackage"], old),
        "template": (["template", "--region", "永登县", "--period", "2023"], full_disk / "tpl"),
        "output": (["export", "--output"], full_disk / "x.csv"),
        "svg": (["show", "-o", "csv", "--svg"], full_disk / "x.svg"),
    }
    for name, (args, target) in cases.items():
        r = run("--lang", "en", *args, str(target))
        assert (r.code, r.out) == (74, ""), (name, r.err)
        assert r.err.startswith(f"fanpin: error: cannot write {target}") and nospace in r.err
        zh = run("--lang", "zh", *args, str(target))  # why, as the system says it, stays
        assert (zh.code, zh.err) == (74, f"fanpin: error: 无法写入 {target}: {nospace}\n"), name
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler", "old-pkg"]
    assert [p.name for p in old.iterdir()] == ["indicators.csv"]
    assert (old / "indicators.csv").read_text(encoding="utf-8") == "old\n"


WRITERS = ["sqlite", "datapackage", "template", "template-xlsx", "import", "output", "svg"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fill-in workbook to import (its values empty)."""
    book = tmp_path_factory.mktemp("book") / "county.xlsx"
    assert run("template", "--region", "永登县", "--period", "2023", str(book)).code == 0
    return book


# mode 555: the folder cannot be written; 644: its names can be listed, nothing looked at
@pytest.mark.parametrize("mode", [0o555, 0o644], ids=oct)
@pytest.mark.parametrize("what", WRITERS)
def test_permission_denied_on_output(what: str, mode: int, tmp_path: Path, workbook: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(mode)
    target = locked / ("out.xlsx" if what == "template-xlsx" else "out")
    args = {
        "sqlite": ["export", "--sqlite", str(target)],
        "datapackage": ["export", "--datapackage", str(target)],
        "template": ["template", "--region", "永登县", "--period", "2023", str(target)],
        "template-xlsx": ["template", "--region", "永登县", "--period", "2023", str(target)],
        "import": ["import", str(workbook), str(target)],
        "output": ["export", "--output", str(target)],
        "svg": ["show", "-o", "csv", "--svg", str(target)],
    }[what]
    try:
        r = fanpin_process("--lang", "en", *args, unprivileged=True)
    finally:
        locked.chmod(0o755)
    expected = f"fanpin: error: cannot write {target}: Permission denied\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (74, b"", expected)
    assert list(locked.iterdir()) == []


# --- temporary files of a writer killed with SIGKILL are cleaned up, others never ------

WRITER = """
import os, signal, sys
from pathlib import Path
from fanpin_cli.files.tempfiles import make_temp_dir, make_temp_file
target, how = Path(sys.argv[1]), sys.argv[2]
fd, tmp = make_temp_dir(target) if how == "dir" else make_temp_file(target)
if how == "dir":
    Path(tmp, "indicators.csv").write_text("half")
else:
    os.write(fd, b"half a file")
if how == "journal":
    Path(tmp + "-journal").write_bytes(b"journal")
print(tmp, flush=True)
if how == "live":
    sys.stdin.read()  # holds the lock until the test closes stdin
else:
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _writer(target: Path, how: str) -> tuple[str, subprocess.Popen[str]]:
    p = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert p.stdout is not None
    tmp = p.stdout.readline().strip()
    if how != "live":
        assert p.wait(timeout=20) == -9  # really killed
    return tmp, p


def _age(*paths: str) -> None:
    from fanpin_cli.files.tempfiles import STALE_SECONDS

    for path in paths:
        then = os.stat(path).st_mtime - STALE_SECONDS - 1
        os.utime(path, (then, then))


@pytest.mark.parametrize("output", ["--output", "--sqlite", "--datapackage"])
def test_leftovers_of_killed_writers_are_swept(output: str, tmp_path: Path) -> None:
    name = {"--output": "out.csv", "--sqlite": "out.db", "--datapackage": "pkg"}[output]
    target = tmp_path / name
    if output == "--datapackage":
        target.mkdir()  # an existing package: its files are written aside, one by one
    dead: list[str] = []
    members = [target / "indicators.csv"] if output == "--datapackage" else [target]
    for member in members:
        how = "journal" if output == "--sqlite" else "file"
        tmp, _ = _writer(member, how)
        dead += [tmp, tmp + "-journal"] if how == "journal" else [tmp]
    if output == "--datapackage":
        fresh = tmp_path / "fresh"
        tmp, _ = _writer(fresh, "dir")
        dead.append(tmp)
    live, holder = _writer(target, "live")
    young, _ = _writer(target, "file")  # killed, but too recent to be sure of
    unrelated = [tmp_path / f".{name}.notours", tmp_path / f".{name}.ABCDEFGH.tmp"]
    for path in unrelated:
        path.write_text("not fanpin's", encoding="utf-8")
    _age(*dead, live, *map(str, unrelated))
    try:
        r = run("export", output, str(target))
        assert (r.code, r.err) == (0, "")
        if output == "--datapackage":
            assert run("export", output, str(tmp_path / "fresh")).code == 0
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=20)
    assert [p for p in dead if os.path.lexists(p)] == []
    assert os.path.exists(live) and os.path.exists(young)
    assert all(p.read_text(encoding="utf-8") == "not fanpin's" for p in unrelated)


# --- wrong output, silently ------------------------------------------------------------


def test_small_decimals_are_written_fixed_point_everywhere(tmp_path: Path) -> None:
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    edit(MON, "value = 100\n", "value = 0.0000001\n")(d)
    edit(MON, "value = 60\n", "value = 0.00000010\n")(d)
    outputs = {}
    for fmt in ("csv", "tsv", "json", "jsonl", "markdown"):
        outputs[f"show-{fmt}"] = run("show", "--data", str(d), "-o", fmt).out
    outputs["export-csv"] = run("export", "--data", str(d)).out
    outputs["export-excel"] = run("export", "--excel", "--data", str(d)).out
    outputs["get"] = run("get", "monitoring.total_households", "--data", str(d)).out
    assert run("export", "--datapackage", str(tmp_path / "pkg"), "--data", str(d)).code == 0
    outputs["datapackage"] = (tmp_path / "pkg" / "indicators.csv").read_text(encoding="utf-8")
    for name, text in outputs.items():
        assert "0.0000001" in text, name
        assert "E-" not in text and "e-" not in text, name
        if name != "get":
            assert "0.00000010" in text, name


HOSTILE_REGION = (
    "\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07 \x1b[31mred \x9b31mcsi "
    "\u202eRLO \x00nul [bold]x[/] \uffff"
)


def test_region_names_in_column_headers_are_escaped(tmp_path: Path) -> None:
    import json
    from xml.etree import ElementTree

    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    edit("dataset.toml", 'region_code = "620121"', 'region_code = "620199"')(d)
    name = json.dumps(HOSTILE_REGION)
    write(
        "regions.toml",
        f'[[region]]\ncode = "620199"\nname_zh = {name}\nname_en = {name}\nparent = "620100"\n',
    )(d)
    svg = tmp_path / "by-region.svg"
    env = {"COLUMNS": "300"}
    r = run("show", "--by", "region", "--data", str(d), "-o", "table", "--svg", str(svg), env=env)
    assert (r.code, r.err) == (0, "")
    for raw in ("\x1b", "\x07", "\x9b", "\u202e", "\x00", "\uffff"):
        assert raw not in r.out
    assert "\\x1b]8;;http://evil.example/" in r.out and "[bold]x[/]" in r.out
    ElementTree.parse(svg)  # well-formed XML
    assert "\x00" not in svg.read_text(encoding="utf-8")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_shows_hostile_names_literally(shell: str, tmp_path: Path) -> None:
    import json

    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    name = json.dumps("[bold]x[/bold] \x1b[31mred [/] \x9b2J")
    edit(MON, 'name_zh = "累计监测对象户数"', f"name_zh = {name}")(d)
    env = {
        "FANPIN_DATA": str(d),
        "_FANPIN_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": "fanpin get monitoring.to",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "COMP_WORDS": "fanpin get monitoring.to",
        "COMP_CWORD": "2",
    }
    p = fanpin_process(env=env)
    out = p.stdout.decode("utf-8")
    assert (p.returncode, p.stderr) == (0, b"")
    assert "monitoring.total_households" in out
    assert "\x1b" not in out and "\x9b" not in out
    if shell != "bash":  # bash shows no help
        assert "[bold]x[/bold] \\x1b[31mred [/] \\x9b2J" in out


# --- standard streams: odd encodings, closed or full ------------------------------------


def _closing(fd: int) -> Callable[[], None]:
    def close() -> None:
        os.close(fd)

    return close


def test_ascii_locale_still_writes_utf8() -> None:
    env = {"PYTHONIOENCODING": "ascii", "COLUMNS": "120"}
    table = fanpin_process("show", "monitoring", "-o", "table", env=env)
    assert (table.returncode, table.stderr) == (0, b"")
    assert "精准监测帮扶" in table.stdout.decode("utf-8")
    error = fanpin_process("get", "累计", env=env)
    assert (error.returncode, error.stderr.decode("utf-8")) == (
        2,
        "fanpin: error: 没有指标 '累计'\n",  # default --lang zh: Chinese, in UTF-8 too
    )


def test_closed_stderr_keeps_the_exit_code() -> None:
    full = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    p = subprocess.run(
        [sys.executable, "-m", "fanpin_cli", "get", "nope"],
        stdout=subprocess.PIPE,
        preexec_fn=_closing(2),
        env=full,
        timeout=20,
        check=False,
    )
    assert (p.returncode, p.stdout) == (2, b"")


def test_closed_stdout_is_an_output_error_unless_unused(tmp_path: Path) -> None:
    full = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}

    def closed_stdout(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "fanpin_cli", *args],
            stderr=subprocess.PIPE,
            preexec_fn=_closing(1),
            env=full | {"FANPIN_LANG": "en"},
            timeout=20,
            check=False,
        )

    expected = (
        "fanpin: error: cannot write to standard output: "
        "Bad file descriptor (standard output is closed)\n"
    )
    for args in (
        ["export", "--csv"],
        ["show", "-o", "table"],
        ["get", "monitoring.total_households"],
    ):
        p = closed_stdout(*args)
        assert (p.returncode, p.stderr.decode()) == (74, expected), args
    target = tmp_path / "out.csv"
    p = closed_stdout("export", "--csv", "--output", str(target))
    assert (p.returncode, p.stderr) == (0, b"")
    assert target.read_text(encoding="utf-8").startswith("id,section,")


# --- Ctrl-C: a real SIGINT to the whole process group, during a parallel cold load ------


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SYNTHETIC records enough for parallel parsing (load.directory.PARALLEL_BYTES)."""
    from fanpin_cli.reading.load.directory import PARALLEL_BYTES
    from fanpin_cli.writers.synthetic import write_dataset

    d = write_dataset(tmp_path_factory.mktemp("big") / "synthetic", 30_000)
    assert sum(f.stat().st_size for f in d.glob("*.toml")) > PARALLEL_BYTES
    return d


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(c) for c in text.split()]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="parallel loading needs two cores")
@pytest.mark.parametrize("attempt", range(3))
def test_one_ctrl_c_during_a_parallel_load(attempt: int, big_dataset: Path) -> None:
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env["FANPIN_CACHE"] = "0"
    p = subprocess.Popen(
        [sys.executable, "-m", "fanpin_cli", "export", "--csv", "--data", str(big_dataset)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, like a shell job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )
    deadline = time.monotonic() + 30
    while len(_children(p.pid)) < 2 and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)  # until the worker processes exist
    workers = _children(p.pid)
    assert len(workers) >= 2, "the load was not parallel"
    os.killpg(p.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    out, err = p.communicate(timeout=30)  # no hang
    assert (p.returncode, out, err) == (130, b"", b"fanpin: interrupted\n")
    for pid in workers:  # no worker left behind
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status"
        ).read_text(encoding="ascii")


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="parallel loading needs two cores")
def test_sigterm_during_a_parallel_cold_fill(big_dataset: Path, tmp_path: Path) -> None:
    """`kill` (SIGTERM to the process group) while the workers fill the cache: exit 143, one
    line, no worker left running and no temporary file left in the cache directory."""
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    env.update(FANPIN_CACHE="1", XDG_CACHE_HOME=str(tmp_path / "xdg"))
    p = subprocess.Popen(
        [sys.executable, "-m", "fanpin_cli", "export", "--csv", "--data", str(big_dataset)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while len(_children(p.pid)) < 2 and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    workers = _children(p.pid)
    assert len(workers) >= 2, "the load was not parallel"
    os.killpg(p.pid, signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    assert (p.returncode, out, err) == (143, b"", b"fanpin: terminated\n")
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status"
        ).read_text(encoding="ascii")
    left = tmp_path / "xdg" / "fanpin"
    assert not left.exists() or not [n for n in os.listdir(left) if n.endswith(".tmp")]


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


def test_template_never_writes_over_what_is_there(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    notes = tmp_path / "notes"
    notes.write_text("mine\n", encoding="utf-8")
    for target in (fifo, notes):
        r = run("--lang", "en", "template", "--region", "永登县", "--period", "2023", str(target))
        message = "already exists and is not an empty directory; choose a new one"
        assert (r.code, r.err) == (2, f"fanpin: error: {target}: {message}\n")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert notes.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "notes"]
