"""One module speaks: codes become Chinese or English in labels, and check speaks --lang."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from conftest import COUNTY_ARGS, run

from fanpin_cli.core import labels


def _fields(template: str) -> set[tuple[str, str]]:
    return set(re.findall(r"\{(\d+)(![rk])?\}", template))


def test_every_message_has_both_languages_with_the_same_arguments() -> None:
    from fanpin_cli.analysis.checks import RULES

    for code, (zh, en) in labels.MESSAGES.items():
        assert _fields(zh) == _fields(en), code
        words = re.sub(r"\{\d+(![rk])?\}|\[\w+\]", "", en)  # English beyond names and tables
        if re.search("[a-z]{2}", words):
            assert re.search("[\u4e00-\u9fff]", zh), code  # the Chinese text is Chinese
        prefix = code.partition(".")[0]
        assert prefix in (*RULES, *KINDS), code


def test_a_message_is_in_one_table_and_read_only_when_asked_for() -> None:
    """No code is in two of the message tables (the lookup takes the first it finds), and a
    process that looks up a usage code imports the usage table alone (start-up, issue 27)."""
    import subprocess
    import sys

    from fanpin_cli.core.messages import MESSAGES

    tables = MESSAGES.tables()
    assert len(tables) == 4
    assert sum(map(len, tables)) == len({code for table in tables for code in table})
    probe = (
        "import sys; from fanpin_cli.core import labels; "
        "print(labels.message('usage.one_format', ('--csv',), 'en')); "
        "print(sorted(m for m in sys.modules if m.startswith('fanpin_cli.core.messages')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    said, modules = out.stdout.splitlines()
    assert said == "choose one of --csv"
    assert modules == "['fanpin_cli.core.messages', 'fanpin_cli.core.messages_usage']"


def test_a_lookup_while_a_table_is_imported_finds_its_codes() -> None:
    """The lookup keeps no state of its own (Python's import cache does): a lookup made
    while a table is being imported, by another thread or, here, by the import itself,
    finds that table's codes."""
    from fanpin_cli.core.messages import Messages

    table = {"x.word": ("词", "word")}
    nested: list[tuple[str, str]] = []

    def load() -> dict[str, tuple[str, str]]:
        if not nested:
            nested.append(("", ""))
            nested.append(messages["x.word"])
        return table

    messages = Messages((load,))
    assert messages["x.word"] == ("词", "word")
    assert nested[1] == ("词", "word")


# What a message that is not a finding's rule is about, by its code's prefix.
KINDS = ("compare", "diff", "units", "schema", "of", "load", "usage", "match", "list", "export",
         "sheet", "output", "ytd", "rank", "figure_rule")  # fmt: skip


def test_every_status_code_has_chinese() -> None:
    from fanpin_cli.analysis.compare import STATUSES
    from fanpin_cli.analysis.progress import STATUSES as PROGRESS

    rollup = ("match", "match (incomplete)", "differs", "differs (incomplete)", "no parent figure")
    for code in (*STATUSES, *rollup, *PROGRESS, "error", "warning"):
        assert labels.term(code, "en") == code
        assert re.search("[\u4e00-\u9fff]", labels.term(code, "zh")), code


def test_english_plurals() -> None:
    assert labels.plural(1, "finding") == "1 finding"
    assert labels.plural(2, "finding") == "2 findings"
    assert labels.plural(0, "finding") == "0 findings"
    assert labels.check_summary(1, 0, 1, 0, "en") == "1 check run, 0 passed, 1 error, 0 warnings"
    assert labels.indicator_count(1, "en") == "1 indicator"
    one = run("--lang", "en", "compare", "income.relocated_households_employed", "-o", "table")
    assert "1 target: 1 met, 0 missed" in one.out


def test_check_findings_speak_the_chosen_language(data_copy: Path) -> None:
    f = data_copy / "monitoring.toml"  # parts no longer add up: 421 -> 420
    f.write_text(f.read_text(encoding="utf-8").replace("value = 421\n", "value = 420\n"), "utf-8")
    copy = str(data_copy)
    zh = run("--lang", "zh", "check", "--data", copy, "-o", "markdown")
    en = run("--lang", "en", "check", "--data", copy, "-o", "markdown")
    assert zh.code == en.code == 1
    assert "但其组成部分合计为 1293户" in zh.out and "错误" in zh.out
    assert "but its parts add up to" not in zh.out
    assert "but its parts add up to 1293户" in en.out and "错误" not in en.out
    assert en.err == "323 checks run, 321 passed, 2 errors, 0 warnings\n"  # completeness, jump
    assert zh.err == "运行 323 项检查: 通过 321, 错误 2, 警告 0\n"
    # machine formats: the English message as before, and the Chinese beside it
    rows = json.loads(run("check", "--data", copy, "-o", "json").out)
    parts = next(r for r in rows if r["rule"] == "parts")
    assert parts["message"] == (
        "monitoring.total_households = 1294户 but its parts add up to 1293户"
    )
    assert parts["message_zh"] == "monitoring.total_households = 1294户，但其组成部分合计为 1293户"


def test_rollup_findings_in_chinese() -> None:
    r = run("check", *COUNTY_ARGS, "-o", "csv", "--fields", "rule,message_zh")
    assert r.code == 1
    assert (
        "rollup,monitoring.total_persons (2023): 8 个县区合计 4540人，但 620100 报告 4538人"
        in r.out
    )


def test_chart_colours_by_status_code_in_every_language() -> None:
    from decimal import Decimal

    from fanpin_cli.views.bars import Bar, ChartGroup, render_charts
    from fanpin_cli.views.output import Sink
    from fanpin_cli.writers.rich_table import console

    bars = (Bar("v", Decimal(1), "户", 1.0), Bar("t", Decimal(2), "户", 0.5))
    for lang in ("zh", "en"):
        for status, colour in (("met", "32"), ("missed", "31"), ("not comparable", "31")):
            buf = io.StringIO()
            con = console(Sink(buf, tty=True, width=60, color=True, lang=lang))
            render_charts([ChartGroup("target", "x", bars, status)], con, lang)
            word = labels.term(status, lang)
            assert f"{colour}m  [{word}]" in buf.getvalue(), (lang, status)
    r = run("--lang", "zh", "chart", "income.relocated_households_employed", "-o", "table",
            env={"FORCE_COLOR": "1", "COLUMNS": "100"})  # fmt: skip
    assert "32m  [达标]" in r.out


def test_explain_labels_speak_the_chosen_language() -> None:
    """Every row label of explain is Chinese under zh and unchanged English under en."""
    cases = [
        ("income.employment_scale", "@china"),  # qualifier, citation, grade, target, progress
        ("income.microcredit_amount", "@bundled"),  # an average target and its caveat
        ("income.public_welfare_posts_poor_and_marginal", "@bundled"),  # equivalence, relation
    ]
    seen = set()
    for indicator, data in cases:
        zh = run("explain", indicator, "--data", data, "--lang", "zh", "-o", "tsv")
        en = run("explain", indicator, "--data", data, "--lang", "en", "-o", "tsv")
        assert zh.code == en.code == 0, zh.err
        zh_rows = [line.split("\t", 1) for line in zh.out.splitlines()[1:]]
        en_rows = [line.split("\t", 1) for line in en.out.splitlines()[1:]]
        assert len(zh_rows) == len(en_rows)
        for (zh_label, zh_text), (en_label, _) in zip(zh_rows, en_rows, strict=True):
            seen.add(en_label.partition(" [")[0].partition(":")[0])
            assert re.search("[\u4e00-\u9fff]", zh_label), zh_label
            assert not re.search("[a-z]{3}", zh_label.split("[")[0].replace("ID", "")), zh_label
            for english in ("declared", "base ", "current ", "CAGR", "secondary", "annual"):
                assert english not in zh_text, (zh_label, zh_text)
    rows = {
        "value",
        "qualifier",
        "cited",
        "grade",
        "basis",
        "equivalence",
        "relation",
        "target average",
        "target caveat",
        "target basis",
        "target quote",
        "progress",
    }
    assert rows <= seen
    en = run("--lang", "en", "explain", "income.employment_scale", "--data", "@china")
    assert "progress\ttarget achieved; base 2022 = 3277.9, current 2024 = 3300, target 3000 by" in (
        en.out
    )
    assert "grade [2021 China]\tsecondary\nbasis [2021 China]\tannual\n" in en.out


def test_loader_findings_speak_the_chosen_language(mini: Path) -> None:
    """Schema findings carry a code: Chinese under zh, the English unchanged (message)."""
    targets = mini / "targets.toml"
    targets.write_text(targets.read_text("utf-8").replace('"derived"', '"likely"'), "utf-8")
    mon = mini / "monitoring.toml"
    text = mon.read_text("utf-8").replace("value = 100", "value = true")
    text = text.replace('id = "monitoring.marginal_households"', "id = 7")
    extra = 'id = "monitoring.extra"\nname_zh = "额外"\nname_en = "Extra"\nvalue = 1\nunit = "户"\n'
    mon.write_text(text + "\n[[indicator]]\n" + extra + 'colour = "red"\n', "utf-8")
    r = run("check", "--data", str(mini), "-o", "json")
    said = {f["message"]: f["message_zh"] for f in json.loads(r.out) if f["rule"] == "schema"}
    assert said == {
        "target monitoring.risk_elimination_rate: basis.confidence 'likely' is not one of "
        "confirmed, secondary, derived": "目标 monitoring.risk_elimination_rate: basis 表: "
        "confidence 'likely' 不是 confirmed, secondary, derived 之一",
        "monitoring.total_households: value must be a number, not a boolean": (
            "monitoring.total_households: value 应为数值, 而不是布尔值"
        ),
        "id must be a string, not an integer": "id 应为字符串, 而不是整数",
        "monitoring.extra: unknown key 'colour'": "monitoring.extra: 未知的键 'colour'",
    }
    table = run("--lang", "zh", "check", "--data", str(mini), "-o", "markdown")
    assert "monitoring.extra: 未知的键 'colour'" in table.out and "unknown key" not in table.out
    # a command that stops at the first error says it in the run's language, at file:line
    zh = run("show", "--data", str(mini))
    en = run("--lang", "en", "show", "--data", str(mini))
    where = f"fanpin: error: {mon}:12: monitoring.total_households: value "
    assert (zh.code, zh.err) == (3, where + "应为数值, 而不是布尔值\n")
    assert (en.code, en.err) == (3, where + "must be a number, not a boolean\n")


def test_composite_messages_take_their_arguments_in_turn() -> None:
    code, args = "of.target+of.table+schema.missing", ("t.x", "basis", "confidence")
    assert labels.message(code, args, "en") == "target t.x: basis.confidence is missing"
    assert labels.message(code, args, "zh") == "目标 t.x: basis 表: 缺少 confidence"
    said = ("of.dataset+schema.not_text", "title", "array")
    assert labels.say(said, "en") == "[dataset] title must be a string, not an array"
    assert labels.say(said, "zh") == "[dataset] title 应为字符串, 而不是数组"
    assert labels.type_word("datetime", "en") == "a datetime"
    assert labels.type_word("offset", "en") == "an offset"  # a type TOML has no name for


def test_compare_levels_confidence_and_progress_notes_speak_the_chosen_language() -> None:
    args = ("compare", "--data", "@china", "-o", "markdown")
    zh, en = run("--lang", "zh", *args), run("--lang", "en", *args)
    assert "| 国家 | 转引 |" in zh.out and "national" not in zh.out and "secondary" not in zh.out
    assert "| national | secondary |" in en.out
    machine = run("--lang", "zh", "compare", "--data", "@china", "-o", "csv")
    assert ",national,2023,secondary," in machine.out  # codes stay codes in machine formats
    note = "target 0 replaced by 0.001 for the required rate; values not exact: 2024 >"
    assert labels.progress_note(note, "en") == note
    assert (
        labels.progress_note(note, "zh") == "计算所需增长率时目标 0 按 0.001 计; 数值非确数: 2024 >"
    )
    e = run("--lang", "zh", "explain", "income.employment_scale", "--data", "@china")
    assert "; 数值非确数: 2024 >" in e.out and "values not exact" not in e.out


def test_every_progress_note_has_chinese() -> None:
    import ast

    from fanpin_cli.analysis import progress

    tree = ast.parse(Path(progress.__file__).read_text(encoding="utf-8"))
    notes = {
        n.value.value
        for n in ast.walk(tree)
        if isinstance(n, ast.keyword) and n.arg == "note" and isinstance(n.value, ast.Constant)
    }
    notes |= {
        n.args[0].value
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        and n.func.attr == "append" and isinstance(n.args[0], ast.Constant)
    }  # fmt: skip
    notes |= {
        n.value.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
        and any(isinstance(t, ast.Name) and t.id == "note" for t in n.targets)
    }  # fmt: skip
    notes.add(progress.measure([(2020, 1)], None, None, None).note)  # needs two years from ...
    assert len(notes) >= 15
    for note in notes - {""}:
        assert re.search("[\u4e00-\u9fff]", labels.progress_note(note, "zh")), note
