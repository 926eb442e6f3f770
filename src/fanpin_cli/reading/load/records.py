"""The files of a dataset read into records: section files, dataset.toml, targets, regions."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fanpin_cli.core.schema import DatasetMeta, Indicator, Region, Section, Target, fields, matcher
from fanpin_cli.core.target_kind import resolve_kind
from fanpin_cli.reading.load.problems import FileContext, Problems, joined, kind_of
from fanpin_cli.reading.load.text import Lines, parse_toml
from fanpin_cli.reading.load.validate import HINTS, Rules, text_problem

META_FILE = "dataset.toml"
TARGETS_FILE = "targets.toml"
REGIONS_FILE = "regions.toml"
CITATIONS_FILE = "citations.toml"  # reference datasets: the pages their figures cite
SPECIAL_FILES = frozenset({META_FILE, TARGETS_FILE, REGIONS_FILE, CITATIONS_FILE})


def _record_lines(doc: dict[str, Any], name: str, ctx: FileContext) -> tuple[list[Any], list[int]]:
    """The `[[name]]` records of a document and the line each starts on."""
    raw = doc.get(name, [])
    if not isinstance(raw, list):
        at = ctx.lines.header(name)
        ctx.bad(at, None, ("schema.tables", name))
        return [], []
    lines = ctx.lines.tables(name, len(raw))
    if len(lines) != len(raw):  # inline arrays: no per-record lines to point at
        lines = [ctx.lines.key(0, name)] * len(raw)
    return raw, lines


def tables_of(doc: dict[str, Any], name: str, ctx: FileContext) -> list[tuple[object, int]]:
    """The `[[name]]` records of a document, each with the line it starts on."""
    return list(zip(*_record_lines(doc, name, ctx), strict=True))


def _top_level(doc: dict[str, Any], allowed: set[str], ctx: FileContext) -> None:
    for extra in sorted(set(doc) - allowed):
        ctx.warn(ctx.lines.key(0, extra), ("schema.top_level_key", extra))


def _top_line(lines: Lines, key: str) -> int:
    """The line of a top-level `key = ...`, `[[key]]` or `[key]` (1 when not found)."""
    line = lines.key(0, key)
    if line:
        return line
    tables = lines.tables(key)
    return tables[0] if tables else lines.header(key)


Columns = list[list[Any]]  # one list per Indicator field, in field order
_INDICATOR = partial(tuple.__new__, Indicator)


def rows_of(columns: Columns) -> list[Indicator]:
    """The Indicators whose fields `columns` holds."""
    return list(map(_INDICATOR, zip(*columns, strict=True)))


def load_section_file(
    path: Path, defaults: DatasetMeta, problems: Problems, known_sections: frozenset[str] | None
) -> tuple[Section | None, list[Indicator]]:
    """One section file: its `[section]` table and its indicators."""
    section, columns = load_section_columns(path, defaults, problems, known_sections)
    return section, rows_of(columns)


def load_section_columns(
    path: Path, defaults: DatasetMeta, problems: Problems, known_sections: frozenset[str] | None
) -> tuple[Section | None, Columns]:
    """One section file: its `[section]` table and its indicators' fields as columns.

    A file of plainly valid records is judged a column at a time (IndicatorRules.columns);
    any other is judged record by record, each problem reported with its line.
    """
    empty: Columns = [[] for _ in Indicator._fields]
    doc, lines = parse_toml(path)
    ctx = FileContext(str(path), lines, problems)
    sec = doc.get("section")
    if not isinstance(sec, dict):
        ctx.bad(1, None, ("schema.no_section",))
        return None, empty
    sec_line = lines.header("section")
    key = sec.get("key")
    if type(key) is not str or not matcher(dict(fields(Section))["key"].pattern).match(key):
        ctx.bad(sec_line, "key", ("schema.section_key",))
        return None, empty
    if known_sections is not None and key not in known_sections:
        ctx.bad(sec_line, "key", ("schema.unknown_section", key))
    titles = []
    for tkey in ("title_zh", "title_en"):
        t = sec.get(tkey)
        if type(t) is not str:
            ctx.bad(sec_line, tkey if t is not None else None, ("of.section+schema.string", tkey))
            t = ""
        titles.append(t)
    if not doc.get("indicator"):  # a section file without records says why
        if "indicator" in sec:
            ctx.bad(sec_line, "indicator", ("schema.inline_indicators",))
        elif "indicator" not in doc:
            ctx.bad(sec_line, None, ("schema.no_indicators",))
    for extra_key in sorted(set(sec) - {"key", "number", "title_zh", "title_en", "indicator"}):
        ctx.warn(lines.key(sec_line, extra_key), ("of.section+schema.unknown_key", extra_key))
    number = sec.get("number", "")
    section = Section(
        key, titles[0], titles[1], number if type(number) is str else "", str(path), sec_line
    )
    _top_level(doc, {"section", "indicator"}, ctx)
    rules = IndicatorRules(ctx, key, defaults)
    tables, starts = _record_lines(doc, "indicator", ctx)
    columns = rules.columns(tables, starts)
    if columns is not None:
        return section, columns
    built = map(rules.build, tables, starts)
    indicators = [ind for ind in built if ind is not None]
    return section, list(map(list, zip(*indicators, strict=True))) if indicators else empty


class IndicatorRules:
    """How one section file's `[[indicator]]` tables become Indicators: a fast path for the
    plainly valid and a full check that says what is wrong, both from fanpin_cli.core.schema."""

    def __init__(self, ctx: FileContext, section: str, defaults: DatasetMeta) -> None:
        self.ctx, self.section, self.defaults = ctx, section, defaults
        self.rules = Rules(Indicator, skip=frozenset({"id"}))
        prefix = section + "."
        fixed = {"section": section, "file": ctx.path}
        extra = {"id": lambda rid: rid.startswith(prefix)}
        self.fast = self.rules.fast(defaults, fixed, extra)
        self.columns = self.rules.fast_columns(defaults, fixed, extra)
        self.id_field = dict(fields(Indicator))["id"]

    def build(self, rec: object, start: int) -> Indicator | None:
        ind: Indicator | None = self.fast(rec, start)
        return ind if ind is not None else self.full(rec, start)

    def full(self, rec: object, start: int) -> Indicator | None:
        """One table judged with messages: the Indicator, or None after saying why."""
        ctx, section = self.ctx, self.section
        if not isinstance(rec, dict):
            ctx.bad(start, None, ("schema.indicator_table", kind_of(rec)))
            return None
        rid = rec.get("id")
        if type(rid) is not str:
            if rid is None:
                ctx.bad(start, None, ("schema.no_id",))
            else:
                ctx.bad(start, "id", (HINTS["text"], "id", kind_of(rid)))
            return None
        why = text_problem(self.id_field, "id", rid)
        if why is None and not rid.startswith(section + "."):
            why = ("schema.foreign_id", rid, section)
        if why is not None:
            ctx.bad(start, "id", why)
        values = self.rules.check(rec, ctx, start, ("of.indicator", rid), [rid], self.defaults)
        if why is not None or values is None:
            return None
        return Indicator(**values, id=rid, section=section, file=ctx.path, line=start)


def load_meta(directory: Path, problems: Problems) -> tuple[DatasetMeta, list[str] | None]:
    """dataset.toml: metadata and the declared section order (None when not declared)."""
    path = directory / META_FILE
    if not path.exists():
        return DatasetMeta(path=str(directory)), None
    doc, lines = parse_toml(path)
    ctx = FileContext(str(path), lines, problems)
    meta = doc.get("dataset", {})
    line = lines.header("dataset")
    if not isinstance(meta, dict):
        ctx.bad(line, None, ("schema.dataset_table",))
        meta = {}
    declared = dict(fields(DatasetMeta))
    values: dict[str, Any] = {"path": str(directory)}
    extra: dict[str, str] = {}
    for key, value in meta.items():
        f = declared.get(key)
        kind = f.kind if f is not None and f.read else "text"
        if kind == "flag":
            if type(value) is not bool:
                ctx.bad(line, key, ("of.dataset+" + HINTS["flag"], key))
                continue
        elif type(value) is not str:
            ctx.bad(line, key, ("of.dataset+" + HINTS["text"], key, kind_of(value)))
            continue
        elif f is not None and (why := text_problem(f, key, value)) is not None:
            ctx.bad(line, key, joined(("of.dataset",), why))
            continue
        if f is not None and f.read:
            values[key] = value
        else:
            extra[key] = value
    order: list[str] | None = None
    sections = doc.get("sections", {})
    raw_order = sections.get("order") if isinstance(sections, dict) else None
    if raw_order is not None:
        if isinstance(raw_order, list) and all(type(k) is str for k in raw_order):
            order = list(raw_order)
        else:
            ctx.bad(lines.header("sections"), "order", ("schema.order",))
    return DatasetMeta(**values, extra=extra), order


def load_targets(path: Path, problems: Problems) -> list[Target]:
    """A targets file: `[[target]]` tables, each with a comparator, value, unit and basis."""
    doc, lines = parse_toml(path)
    ctx = FileContext(str(path), lines, problems)
    # a misspelt [[targett]], or a section file given as --targets, is no target to check:
    # an error, never a comparison of nothing (`compare --fail-on-miss` passing in silence)
    unknown = sorted((_top_line(lines, k), k) for k in doc if k != "target")
    for line, key in unknown:
        ctx.bad(line, None, ("schema.targets_key", key))
    if not doc.get("target") and not unknown:
        ctx.bad(1, None, ("schema.no_targets",))
    rules = Rules(Target, skip=frozenset({"indicator_id"}))
    targets: list[Target] = []
    for rec, start in tables_of(doc, "target", ctx):
        if not isinstance(rec, dict):
            ctx.bad(start, None, ("schema.target_table",))
            continue
        tid = rec.get("indicator")
        if type(tid) is not str or not tid:
            ctx.bad(start, "indicator", ("schema.target_indicator",))
            continue
        values = rules.check(rec, ctx, start, ("of.target", tid))
        if values is None:
            continue
        values["kind"], wrong = resolve_kind(rec.get("kind"), values)
        for key, why in wrong:
            ctx.bad(start, key, joined(("of.target", tid), why))
        if wrong:
            continue
        targets.append(Target(**values, indicator_id=tid, file=str(path), line=start))
    return targets


def load_regions(path: Path, problems: Problems) -> list[Region]:
    """A region table: `[[region]]` with code, name_zh, name_en and parent."""
    doc, lines = parse_toml(path)
    ctx = FileContext(str(path), lines, problems)
    rules = Rules(Region, skip=frozenset({"code"}))
    code_field = dict(fields(Region))["code"]
    regions: list[Region] = []
    for rec, start in tables_of(doc, "region", ctx):
        if not isinstance(rec, dict):
            ctx.bad(start, None, ("schema.region_table",))
            continue
        code = rec.get("code")
        if type(code) is not str or text_problem(code_field, "code", code) is not None:
            ctx.bad(start, "code", ("schema.region_code",))
            continue
        values = rules.check(rec, ctx, start, ("of.region", code))
        if values is not None:
            regions.append(Region(code=code, **values))
    return regions
