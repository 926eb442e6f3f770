"""The views of `fanpin extract` (a report's figures as candidate records) and `fanpin verify`."""

from __future__ import annotations

from collections.abc import Sequence

from fanpin_cli.formats.base import Column, Output
from fanpin_cli.labels import pick
from fanpin_cli.reports.extract import Extraction
from fanpin_cli.reports.figures import RULES

EXTRACT_FIELDS = (
    "id", "value", "unit", "qualifier", "written_as", "section", "line", "column", "source",
    "match", "name_zh", "period", "region_code", "heading", "part_of", "requirement",
    "excluded", "report",
)  # fmt: skip
EXTRACT_VIEW = (
    Column("line", "行", "Line", "number"),
    Column("id", "ID", "ID", "label"),
    Column("shown", "数值", "Figure", "label"),
    Column("name_zh", "名称", "Name"),
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
                "name_zh": r.name_zh, "period": r.period, "region_code": r.region_code,
                "heading": f.heading or None, "part_of": c.parent_id,
                "requirement": f.target, "excluded": None, "report": report,
                "shown": (f.qualifier + " " if f.qualifier else "") + f.written,
            })  # fmt: skip
        if explain:
            for e in ex.excluded:
                rows.append({
                    "id": None, "value": None, "unit": None, "qualifier": None,
                    "written_as": None, "section": None, "line": e.line, "column": e.column,
                    "source": e.sentence, "match": None, "name_zh": RULES[e.rule],
                    "period": None, "region_code": None, "heading": None, "part_of": None,
                    "requirement": None, "excluded": e.rule, "report": report,
                    "shown": e.text,
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
