"""The view of `fanpin check`: its findings and a summary line."""

from __future__ import annotations

from fanpin_cli.analysis.checks import CheckReport
from fanpin_cli.core.errors import ExitCode
from fanpin_cli.core.labels import check_summary, finding_text, more_ids, term
from fanpin_cli.core.model import Dataset
from fanpin_cli.reading.sheets.common import SHEET_KEY
from fanpin_cli.views.output import Output, column

FINDING_VIEW = (
    column("rule"), column("severity_text", label="severity"),
    column("indicators_text", label="indicators"),
    column("expected"), column("actual"), column("where"), column("message_text", label="message"),
)  # fmt: skip
FINDING_FIELDS = (
    "rule", "severity", "indicators", "expected", "actual", "file", "line", "message", "message_zh",
)  # fmt: skip


# Messages that list ids, and their words for people, who see the ids in their own column
BESIDE_IDS = {"completeness.unfilled": "completeness.unfilled_count"}
SHOWN_IDS = 3  # ids a table or Markdown lists of a finding about many (completeness: ~80)


def shown_ids(ids: tuple[str, ...], lang: str) -> list[str]:
    """A finding's ids for people: all of a few; of many, the first few, how many there are
    and how to see them all (a completeness row listed ~80 ids, ~40 lines of a terminal)."""
    if len(ids) <= SHOWN_IDS + 1:
        return list(ids)
    return [*ids[:SHOWN_IDS], more_ids(len(ids), lang)]


def findings_output(
    report: CheckReport, lang: str, strict: bool = False, sheets: dict[str, str] | None = None
) -> Output:
    """Check findings (messages in both languages) with a summary line; exit 1 on errors.
    `sheets` gives the indicators sheet of each spreadsheet read, by path: a finding about
    one of its records is shown at the row's id cell (`永登县.ods: 指标!A19`)."""
    sheets = sheets or {}

    def where(file: str, line: int | None) -> str:
        if not line:
            return file
        if file in sheets:
            sheet = sheets[file]
            return f"{file}: {sheet}!A{line}" if sheet else f"{file}: A{line}"
        return f"{file}:{line}"

    out_rows = [
        {
            "rule": f.rule,
            "severity": f.severity,
            "severity_text": term(f.severity, lang),
            "indicators": list(f.indicators),  # every one, in csv, tsv and json
            "indicators_text": shown_ids(f.indicators, lang),
            "expected": f.expected,
            "actual": f.actual,
            "file": f.file,
            "line": f.line or None,
            "where": where(f.file, f.line),
            "message": f.message,
            "message_zh": finding_text(f, "zh"),
            "message_text": finding_text(f._replace(code=BESIDE_IDS.get(f.code, f.code)), lang),
        }
        for f in report.findings
    ]
    summary = check_summary(report.checks_run, report.passed, report.errors, report.warnings, lang)
    failed = report.errors or (strict and report.warnings)
    return Output(
        rows=out_rows,
        fields=FINDING_FIELDS,
        columns=FINDING_VIEW,
        summary=summary,
        exit_code=ExitCode.FINDINGS if failed else ExitCode.OK,
        report=True,
        nothing=None,  # no findings: the dataset passed
    )


def sheets_of(dataset: Dataset) -> dict[str, str]:
    """The indicators sheet of each spreadsheet `dataset` was read from, by path."""
    return {m.path: m.extra[SHEET_KEY] for m in dataset.metas if SHEET_KEY in m.extra}
