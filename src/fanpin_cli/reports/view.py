"""The views of `fanpin extract` (a report's figures as candidate records) and `fanpin verify`."""

from __future__ import annotations

from collections.abc import Sequence

from fanpin_cli.core.labels import message, pick
from fanpin_cli.core.schema import NAME_COLUMNS
from fanpin_cli.reports.extract import Extraction
from fanpin_cli.reports.verify import STATUSES, Checked
from fanpin_cli.views.output import Column, Output

NAME_ZH = NAME_COLUMNS[0]  # the record's Chinese name, as the column is called everywhere

EXTRACT_FIELDS = (
    "id", "value", "unit", "qualifier", "written_as", "section", "line", "column", "source",
    "match", NAME_ZH, "period", "region_code", "heading", "part_of", "requirement",
    "excluded", "report",
)  # fmt: skip
EXTRACT_VIEW = (
    Column("line", "行", "Line", "number"),
    Column("id", "ID", "ID", "label"),
    Column("shown", "数值", "Figure", "label"),
    Column("name_shown", "名称", "Name"),
    Column("match", "匹配", "Match", "label", optional=True),
)


def extract_output(
    extractions: Sequence[tuple[str, Extraction]], lang: str, explain: bool
) -> Output:
    """One row a figure (and, with `explain`, a row for each number set aside and why)."""
    rows: list[dict[str, object]] = []
    matched = drafts = 0
    for report, ex in extractions:
        for c in ex.candidates:
            r, f = c.record, c.figure
            matched += c.match.id is not None
            drafts += c.match.id is None
            rows.append({
                "id": r.id, "value": f.value, "unit": f.unit, "qualifier": f.qualifier,
                "written_as": f.written_as, "section": r.section, "line": f.line,
                "column": f.column, "source": f.sentence, "match": c.match.describe() or None,
                NAME_ZH: r.name_zh, "period": r.period, "region_code": r.region_code,
                "heading": f.heading or None, "part_of": c.parent_id,
                "requirement": f.target, "excluded": None, "report": report,
                "shown": (f.qualifier + " " if f.qualifier else "") + f.written,
                "name_shown": pick(lang, r.name_zh, r.name_en),
            })  # fmt: skip
        if explain:
            for e in ex.excluded:
                why = f"figure_rule.{e.rule}"
                rows.append({
                    "id": None, "value": None, "unit": None, "qualifier": None,
                    "written_as": None, "section": None, "line": e.line, "column": e.column,
                    "source": e.sentence, "match": None, NAME_ZH: message(why, (), "zh"),
                    "period": None, "region_code": None, "heading": None, "part_of": None,
                    "requirement": None, "excluded": e.rule, "report": report,
                    "shown": e.text, "name_shown": message(why, (), lang),
                })  # fmt: skip
    if explain:
        rows.sort(key=lambda row: (str(row["report"]), row["line"], row["column"]))
    summary = pick(
        lang,
        f"{matched + drafts} 个数值: {matched} 个匹配到已知指标, {drafts} 个待审草稿编号 (draft.*)",
        f"{matched + drafts} figures: {matched} matched to known indicators, {drafts} draft ids "
        "to review (draft.*)",
    )
    return Output(rows=rows, fields=EXTRACT_FIELDS, columns=EXTRACT_VIEW, summary=summary,
                  report=True)  # fmt: skip


VERIFY_FIELDS = (
    "line", "column", "value", "unit", "qualifier", "status", "id", "data_value", "data_unit",
    "period", "region_code", "match", "source", "sentence", "report",
)  # fmt: skip
VERIFY_VIEW = (
    Column("line", "行", "Line", "number"),
    Column("shown", "数值", "Figure", "label"),
    Column("status_text", "核对", "Status", "label"),
    Column("id", "ID", "ID", "label"),
    Column("data_shown", "数据", "Data", "label"),
    Column("source", "数据引文", "Data quote", optional=True),
)
STATUS_ZH = {"matches": "一致", "differs": "不一致", "unit differs": "单位不同",
             "reference": "参考", "unknown": "未知"}  # fmt: skip


def verify_output(checked: Sequence[tuple[str, Sequence[Checked]]], lang: str) -> Output:
    """One row a figure; the table shows what differs first. Exit 1 when anything differs."""
    from fanpin_cli.core.decimals import format_number
    from fanpin_cli.core.errors import ExitCode

    rows: list[dict[str, object]] = []
    counts = dict.fromkeys(STATUSES, 0)
    for report, items in checked:
        for c in items:
            f, r = c.figure, c.record
            counts[c.status] += 1
            data_value = r.value if r is not None else None
            rows.append({
                "line": f.line, "column": f.column, "value": f.value, "unit": f.unit,
                "qualifier": f.qualifier, "status": c.status, "id": c.match.id,
                "data_value": data_value, "data_unit": r.unit if r is not None else None,
                "period": r.period if r is not None else None,
                "region_code": r.region_code if r is not None else None,
                "match": c.match.describe() or None,
                "source": r.source if r is not None else None, "sentence": f.sentence,
                "report": report,
                "shown": (f.qualifier + " " if f.qualifier else "") + f.written,
                "status_text": pick(lang, STATUS_ZH[c.status], c.status),
                "data_shown": "" if data_value is None else format_number(data_value)
                + (r.unit if r is not None else ""),
            })  # fmt: skip
    differing = counts["differs"] + counts["unit differs"]
    summary = pick(
        lang,
        f"{len(rows)} 个数值: 一致 {counts['matches']}, 不一致 {counts['differs']}, "
        f"单位不同 {counts['unit differs']}, 参考 {counts['reference']}, 未知 {counts['unknown']}",
        f"{len(rows)} figures: {counts['matches']} match, {counts['differs']} differ, "
        f"{counts['unit differs']} unit differs, {counts['reference']} reference, "
        f"{counts['unknown']} unknown",
    )
    # what differs first, in every format (each row says its line and column)
    order = {s: n for n, s in enumerate(STATUSES)}
    rows.sort(key=lambda row: order[str(row["status"])])
    return Output(
        rows=rows, fields=VERIFY_FIELDS, columns=VERIFY_VIEW, title=summary, summary=summary,
        report=True, exit_code=ExitCode.FINDINGS if differing else ExitCode.OK,
    )  # fmt: skip
