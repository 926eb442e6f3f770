"""Every member of `Format`, through the library's writers and through every command."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from conftest import COUNTY_ARGS, run

from fanpin_cli.views.output import Column, Output, Sink
from fanpin_cli.writers import Format, write

FORMATS = list(Format)

OUTPUT = Output(
    rows=[{"id": "a.b", "value": Decimal("3.1800"), "unit": "万人"}, {"id": "a|c", "value": None}],
    fields=("id", "value", "unit"),
    columns=(Column("id", "编号", "ID"), Column("value", "数值", "Value", "number")),
    title="标题",
    summary="共 2 项",
)


def _written(output: Output, fmt: Format, **sink: object) -> str:
    buf = io.StringIO(newline="")
    write(output, Sink(stream=buf, **sink), fmt)  # type: ignore[arg-type]
    return buf.getvalue()


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_each_format_writes_exact_values_and_only_to_its_sink(fmt: Format) -> None:
    text = _written(OUTPUT, fmt, width=80)
    assert "3.1800" in text  # exact decimals, never a float
    assert fmt.is_machine is (fmt not in (Format.TABLE, Format.MARKDOWN))
    if fmt.is_machine:
        assert "万人" in text and "共 2 项" not in text  # records, no summary line
    elif fmt is Format.MARKDOWN:  # the view's headers; its summary goes to stderr (emit)
        assert "编号" in text and "共 2 项" not in text
    else:
        assert "编号" in text and "共 2 项" in text  # the view: headers and summary
    assert _written(OUTPUT._replace(rows=[]), fmt, width=80) is not None


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_a_document_is_what_json_writes(fmt: Format) -> None:
    text = _written(OUTPUT._replace(document={"id": "a.b", "records": [1, 2]}), fmt, width=80)
    if fmt in (Format.JSON, Format.JSONL):
        assert json.loads(text) == {"id": "a.b", "records": [1, 2]}
    else:
        assert "records" not in text


COMMANDS = [
    ["sections"],
    ["show", "monitoring"],
    ["show", "rectification", "--by", "period"],
    ["search", "护林员"],
    ["compare"],
    ["explain", "monitoring.total_households"],
    ["check", *COUNTY_ARGS],
    ["chart", "monitoring"],
    ["rollup", "--to", "620100", *COUNTY_ARGS],
    ["diff", "rectification"],
]


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0] + ("-by" if "--by" in a else ""))
def test_every_command_in_every_format(args: list[str], fmt: Format) -> None:
    r = run(*args, "-o", fmt.value, env={"COLUMNS": "100"})
    assert r.code == (1 if args[0] == "check" else 0), r.err  # county data: rollup findings
    assert r.out.strip(), r.err
    if fmt is Format.JSON:
        json.loads(r.out)
    elif fmt is Format.JSONL:
        [json.loads(line) for line in r.out.splitlines()]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f is not Format.TABLE], ids=str)
def test_text_formats_are_byte_identical_and_width_independent(fmt: Format) -> None:
    a = run("show", "-o", fmt.value, env={"COLUMNS": "40"})
    b = run("show", "-o", fmt.value, env={"COLUMNS": "250"})
    assert a.code == 0
    assert a.out_bytes == b.out_bytes


FIELDS_SELECTED = {
    Format.CSV: "unit,value,id\n户,1294,monitoring.total_households\n",
    Format.TSV: "unit\tvalue\tid\n户\t1294\tmonitoring.total_households\n",
    Format.JSON: '[\n  {"unit": "户", "value": 1294, "id": "monitoring.total_households"}\n]\n',
    Format.JSONL: '{"unit": "户", "value": 1294, "id": "monitoring.total_households"}\n',
    Format.MARKDOWN: "| 单位 | 数值 | ID |",
    Format.TABLE: "单位",
}


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_fields_select_and_order_columns(fmt: Format) -> None:
    r = run("show", "monitoring.total_households", "-o", fmt.value, "--fields", "unit,value,id")
    assert r.code == 0, r.err
    if fmt.is_machine:
        assert r.out == FIELDS_SELECTED[fmt]
    elif fmt is Format.MARKDOWN:
        assert r.out.splitlines()[0] == FIELDS_SELECTED[fmt]
    else:
        header = r.out.splitlines()[1]
        assert header.index("单位") < header.index("数值") < header.index("ID")
