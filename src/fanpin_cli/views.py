"""Library views: turn query results into Outputs (rows plus columns) for any formatter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fanpin_cli.formats.base import Column, Output
from fanpin_cli.model import Dataset, Indicator
from fanpin_cli.query import rows, section_rows
from fanpin_cli.rows import INDICATOR_COLUMNS

if TYPE_CHECKING:
    from fanpin_cli.checks import CheckReport

INDICATOR_VIEW = (
    Column("id", "ID", "ID"),
    Column("name", "指标", "Indicator"),
    Column("value", "数值", "Value", "number"),
    Column("unit", "单位", "Unit", "label"),
    Column("period", "期间", "Period", "label"),
    Column("region", "地区", "Region", "label"),
)

SECTION_VIEW = (
    Column("key", "键", "Key"),
    Column("number", "序号", "No."),
    Column("title_zh", "标题", "Title (zh)"),
    Column("title_en", "英文标题", "Title (en)"),
    Column("indicators", "指标数", "Indicators", "number"),
)


def indicators_output(
    dataset: Dataset, indicators: Sequence[Indicator], lang: str, title: str | None = None
) -> Output:
    """Indicators with the CSV contract's fields, and a compact view for tables."""
    out_rows = rows(dataset, indicators, lang)
    return Output(
        rows=out_rows,
        fields=INDICATOR_COLUMNS,
        columns=INDICATOR_VIEW,
        title=title,
        summary=_count_line(len(out_rows), lang),
        plain=True,
    )


def sections_output(dataset: Dataset, lang: str) -> Output:
    """The sections with titles and indicator counts."""
    out_rows = section_rows(dataset)
    return Output(
        rows=out_rows,
        fields=("key", "number", "title_zh", "title_en", "indicators"),
        columns=SECTION_VIEW,
    )


def _count_line(n: int, lang: str) -> str:
    return f"{n} indicators" if lang == "en" else f"共 {n} 项指标"


FINDING_VIEW = (
    Column("rule", "规则", "Rule"),
    Column("severity", "级别", "Severity"),
    Column("indicators", "指标", "Indicators"),
    Column("expected", "应为", "Expected"),
    Column("actual", "实际", "Actual"),
    Column("where", "位置", "Where"),
    Column("message", "说明", "Message"),
)
FINDING_FIELDS = ("rule", "severity", "indicators", "expected", "actual", "file", "line", "message")


def findings_output(report: CheckReport, lang: str) -> Output:
    """Check findings with a summary line: checks run, passed, errors, warnings."""
    out_rows = [
        {
            "rule": f.rule,
            "severity": f.severity,
            "indicators": list(f.indicators),
            "expected": f.expected,
            "actual": f.actual,
            "file": f.file,
            "line": f.line or None,
            "where": f"{f.file}:{f.line}" if f.line else f.file,
            "message": f.message,
        }
        for f in report.findings
    ]
    if lang == "en":
        summary = (
            f"{report.checks_run} checks run, {report.passed} passed, "
            f"{report.errors} errors, {report.warnings} warnings"
        )
    else:
        summary = (
            f"运行 {report.checks_run} 项检查: 通过 {report.passed}, "
            f"错误 {report.errors}, 警告 {report.warnings}"
        )
    return Output(rows=out_rows, fields=FINDING_FIELDS, columns=FINDING_VIEW, summary=summary)
