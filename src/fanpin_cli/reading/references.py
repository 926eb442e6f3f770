"""Reference datasets (province, country): where they are, the pages they cite, qualifiers.

A reference figure is not quoted from a report beside it but read on a news page: it
names a Citation (title, outlet, date, address, grade) and keeps a short key phrase around
the number as its `source`. Figures given as bounds or approximations (超过3300万人, 近70%)
carry a qualifier, which every output shows and every comparison respects.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.model import CONFIDENCE, Citation, Dataset, Indicator, Number
from fanpin_cli.core.schema import WholeMatch

if TYPE_CHECKING:
    from fanpin_cli.reading.load.problems import Problems

REFERENCES_DIR = "references"
# --data @NAME: the bundled reference datasets (and all of them at once)
ALIASES: dict[str, str] = {"@gansu": "gansu", "@china": "china", "@references": ""}
DATE_RE = WholeMatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # compiled when a citation is checked
CITATION_FIELDS = ("title", "outlet", "date", "url", "grade")
# the flipped direction of a bound, for a change whose previous value is the bound
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">="}
_DIRECTION = {">": 1, ">=": 1, "<": -1, "<=": -1}
_OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
              "==": operator.eq}  # fmt: skip


def with_references(paths: Sequence[Path]) -> list[Path]:
    """`paths` (none: the bundled dataset) and the bundled references, unless a path already
    names one of them (`fanpin benchmark`)."""
    if any(str(p) in ALIASES for p in paths):
        return list(paths)
    from fanpin_cli.core.bundled import BUNDLED

    return [*(paths or [Path(BUNDLED)]), Path("@references")]


def reference_path(name: str, bundled: Path) -> Path:
    """The directory `@gansu`, `@china` or `@references` names, or a UsageError."""
    sub = ALIASES.get(name)
    if sub is None:
        known = ", ".join(["@bundled", *ALIASES])
        raise UsageError.said(("usage.dataset", name, known))
    root = bundled / REFERENCES_DIR
    return root / sub if sub else root


def load_citations(path: Path, problems: Problems) -> list[Citation]:
    """A citations file: `[[citation]]` tables with id, title, outlet, date, url and grade."""
    from fanpin_cli.reading.load.problems import FileContext
    from fanpin_cli.reading.load.records import tables_of
    from fanpin_cli.reading.load.text import parse_toml

    doc, lines = parse_toml(path)
    ctx = FileContext(str(path), lines, problems)
    out: list[Citation] = []
    for rec, start in tables_of(doc, "citation", ctx):
        if not isinstance(rec, dict):
            ctx.bad(start, None, ("schema.citation_table",))
            continue
        cid = rec.get("id")
        if type(cid) is not str or not cid.strip():
            ctx.bad(start, "id", ("schema.citation_id",))
            continue
        wrong: list[tuple[str | None, tuple[str, ...]]] = [
            (key if rec.get(key) is not None else None, ("of.citation+schema.missing", cid, key))
            for key in CITATION_FIELDS
            if type(rec.get(key)) is not str or not rec[key].strip()
        ]
        date, grade, note = rec.get("date"), rec.get("grade"), rec.get("note")
        if type(date) is str and date.strip() and not DATE_RE.match(date):
            wrong.append(("date", ("of.citation+schema.date", cid, date)))
        if type(grade) is str and grade.strip() and grade not in CONFIDENCE:
            grades = ", ".join(CONFIDENCE)
            wrong.append(("grade", ("of.citation+schema.choice", cid, "grade", grade, grades)))
        if note is not None and type(note) is not str:
            wrong.append(("note", ("of.citation+schema.string", cid, "note")))
        for key, said in wrong:
            ctx.bad(start, key, said)
        for key in sorted(set(rec) - {"id", "note", *CITATION_FIELDS}):
            ctx.warn(lines.key(start, key), ("of.citation+schema.unknown_key", cid, key))
        if not wrong:
            title, outlet, date, url, grade = (str(rec[k]) for k in CITATION_FIELDS)
            out.append(Citation(cid, title, outlet, date, url, grade, note, str(path), start))
    return out


def with_citations(dataset: Dataset, files: Sequence[Path], *, strict: bool) -> Dataset:
    """`dataset` with the citations of `files` (read on every run: they are small)."""
    from fanpin_cli.reading.load.problems import Problems

    problems = Problems(strict)
    citations: dict[str, Citation] = dict(dataset.citations)
    for file in files:
        for c in load_citations(file, problems):
            if c.id in citations:
                first = citations[c.id]
                problems.add(
                    ("schema.duplicate_citation", c.id, first.file, str(first.line)),
                    path=c.file,
                    line=c.line,
                )
                continue
            citations[c.id] = c
    return dataset._replace(
        citations=MappingProxyType(citations), problems=dataset.problems + tuple(problems.found)
    )


def has_references(indicators: Sequence[Indicator]) -> bool:
    """Whether any record is a reference figure (cited, or qualified)."""
    both = map(operator.attrgetter("citation", "qualifier"), indicators)  # no Python loop
    return any(map(operator.ne, both, itertools.repeat((None, None))))


def value_text(value: Number | None, qualifier: str | None) -> str:
    """A value as written, its qualifier before it: '>3300', '≈70', '1294' ('' if none)."""
    from fanpin_cli.core.decimals import format_number

    if value is None:
        return ""
    return f"{qualifier or ''}{format_number(value)}"


def change_qualifier(current: str | None, previous: str | None) -> str | None:
    """The qualifier of `current - previous` when either value is a bound or approximate.

    A lower bound now (>) makes the change a lower bound; a lower bound before makes it an
    upper bound; bounds that pull opposite ways, or any approximation, leave only '≈'.
    """
    if current is None and previous is None:
        return None
    if "≈" in (current, previous):
        return "≈"
    if previous is None:
        return current
    flipped = _FLIP[previous]
    if current is None:
        return flipped
    if _DIRECTION[current] == _DIRECTION[flipped]:
        return ">" if _DIRECTION[current] > 0 else "<"
    return "≈"


def qualified_holds(
    value: Decimal, qualifier: str | None, comparator: str, threshold: Decimal
) -> bool | None:
    """Whether `value` (as qualified) meets `COMPARATOR threshold`: None when it cannot tell.

    A lower bound meets a minimum when the bound already does (> 3300 meets >= 3000) and
    misses a maximum the same way; an approximate value is never exactly at a threshold.
    """
    if qualifier is None:
        return holds(value, comparator, threshold)
    if qualifier == "≈":
        if comparator == "==" or value == threshold:
            return None
        return holds(value, comparator, threshold)
    if comparator == "==":
        return False if holds(value, _strict(qualifier), threshold) else None
    lower = _DIRECTION[qualifier] > 0  # the true value is above (or at) `value`
    minimum = comparator in (">=", ">")
    if lower == minimum:  # the bound pushes towards meeting the target
        if holds(value, comparator, threshold):
            return True
        # a strict bound just at a strict threshold (> 3000 against > 3000) also meets it
        if value == threshold and qualifier in (">", "<") and comparator in (">", "<"):
            return True
        return None
    # the bound pushes away from the target: once it is past the threshold, it is missed
    opposite = "<" if minimum else ">"
    at_edge = value == threshold and (qualifier in (">", "<") or comparator in (">", "<"))
    if holds(value, opposite, threshold) or at_edge:
        return False
    return None


def holds(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    """Whether `value COMPARATOR threshold` is true."""
    op = _OPERATORS.get(comparator)
    if op is None:
        raise ValueError(f"unknown comparator {comparator!r}")
    return bool(op(value, threshold))


def _strict(qualifier: str) -> str:
    """For an == target: the true value cannot equal the threshold when the bound excludes it."""
    return {">": ">=", ">=": ">", "<": "<=", "<=": "<"}[qualifier]


# Columns a table of indicators gains when reference figures are among its records (after
# the CSV contract's own, so the report's exports stay exactly as they are).
REFERENCE_COLUMNS: tuple[str, ...] = (
    "qualifier", "citation", "citation_title", "citation_outlet", "citation_date",
    "citation_url", "grade",
)  # fmt: skip


def reference_fields(ind: Indicator, citations: Mapping[str, Citation]) -> dict[str, object]:
    """A record's qualifier and the page it cites, as REFERENCE_COLUMNS."""
    c = citations.get(ind.citation) if ind.citation is not None else None
    return {
        "qualifier": ind.qualifier,
        "citation": ind.citation,
        "citation_title": c.title if c else None,
        "citation_outlet": c.outlet if c else None,
        "citation_date": c.date if c else None,
        "citation_url": c.url if c else None,
        "grade": c.grade if c else None,
    }
