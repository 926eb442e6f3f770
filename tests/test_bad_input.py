"""Nothing breaks on bad input: a corpus of broken datasets, each with the exact error it gives.

Every case starts from the SYNTHETIC fixture tests/fixtures/synthetic-mini and breaks one thing.
Data that cannot be loaded exits 3 with one line on stderr naming file and line; data that
loads but is inconsistent makes `fanpin check` exit 1 with the finding. Nothing is written.
"""

from __future__ import annotations

import os
import resource
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run

MINI = Path(__file__).parent / "fixtures" / "synthetic-mini"
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
        TGT + "confidence 'likely' not in confirmed, secondary, derived",
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
        "monitoring.risk_elimination_rate: unknown unit 'percent'",
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
def broken(tmp_path: Path) -> Callable[[Case], tuple[Path, str]]:
    def make(case: Case) -> tuple[Path, str]:
        d = tmp_path / "mini"
        shutil.copytree(MINI, d)
        return case.setup(d), str(d)

    return make


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, broken: Callable[[Case], tuple[Path, str]], tmp_path: Path) -> None:
    path, d = broken(case)
    t = str(Path(d).parent)
    where = case.where.replace("{t}", t)
    message = case.message.replace("{t}", t)
    one_line = f"fanpin: error: {where}: {message}\n"
    out_file = tmp_path / "out.csv"
    checked = run("check", "--data", str(path), "-o", "json")
    assert checked.code == case.code, checked.err + checked.out
    if case.code == 3:
        assert (checked.out, checked.err) == ("", one_line)
    else:
        import json

        findings = json.loads(checked.out)
        assert {"where": where, "message": message} in [
            {"where": f"{f['file']}:{f['line']}", "message": f["message"]} for f in findings
        ]
    exported = run("export", "--data", str(path), "--output", str(out_file))
    shown = run("show", "--data", str(path), "-o", "csv")
    if case.shows:
        assert (exported.code, shown.code) == (0, 0), exported.err
        return
    for r in (exported, shown):
        assert (r.code, r.out, r.err) == (3, "", one_line)
    assert not out_file.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


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
    r = fanpin_process(*args, env=env)
    expected = f"fanpin: error: {node}: is {KINDS[kind]}, not a {refused_as}; refused\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    from fanpin_cli.safe_read import MAX_FILE_BYTES

    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    with (d / "huge.toml").open("wb") as f:  # sparse: no disk space, no memory
        f.truncate(MAX_FILE_BYTES + 1)
    r = run("show", "--data", str(d))
    size = f"{MAX_FILE_BYTES + 1:,}"
    assert (r.code, r.out) == (3, "")
    limit = "over the 64 MiB limit for one input file"
    assert r.err == f"fanpin: error: {d}/huge.toml: is {size} bytes, {limit}\n"


def test_symlink_loop_as_data(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for cache in ("0", "1"):
        r = run(
            "show",
            "--data",
            str(loop),
            env={"FANPIN_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path)},
        )
        assert (r.code, r.out, r.err) == (3, "", f"fanpin: error: {loop}: a symbolic link loop\n")


@pytest.mark.parametrize("how", ["--data", "FANPIN_DATA", "file-in-it"])
def test_unreadable_folder_is_a_data_error_however_named(how: str, tmp_path: Path) -> None:
    """Permission denied with root's override dropped: exit 3 (README), never 2 or 70."""
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    d.chmod(0)
    try:
        if how == "FANPIN_DATA":
            r = fanpin_process("show", env={"FANPIN_DATA": str(d)}, unprivileged=True)
        elif how == "--data":
            r = fanpin_process("show", "--data", str(d), unprivileged=True)
        else:
            r = fanpin_process("show", "--data", str(d / MON), unprivileged=True)
    finally:
        d.chmod(0o755)
    where = d / MON if how == "file-in-it" else d
    expected = f"fanpin: error: {where}: permission denied\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)


def test_unreadable_file(tmp_path: Path) -> None:
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    (d / MON).chmod(0)
    r = fanpin_process("show", "--data", str(d), unprivileged=True)
    expected = f"fanpin: error: {d}/{MON}: permission denied\n"
    assert (r.returncode, r.stdout, r.stderr.decode()) == (3, b"", expected)


def test_byte_order_mark_loads(tmp_path: Path) -> None:
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    text = (d / MON).read_bytes()
    (d / MON).write_bytes(b"\xef\xbb\xbf" + text)
    r = run("get", "monitoring.total_households", "--data", str(d))
    assert (r.code, r.out) == (0, "100\n")


def test_unknown_key_is_a_warning(tmp_path: Path) -> None:
    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
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
def test_hostile_labels_are_shown_literally_and_kept(label: str, tmp_path: Path) -> None:
    import csv
    import io
    import json

    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
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
