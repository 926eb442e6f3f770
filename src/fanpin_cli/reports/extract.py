"""`fanpin extract`: a report's figures as candidate records, and as a draft dataset directory.

Each figure becomes an Indicator: the id of the `--like` dataset's indicator it matches
(fanpin_cli.reports.match) with that indicator's names, basis and relations, or a draft
id (draft.001 …) named by its own words; its value and unit as written, its sentence as
the quote, the region and period asked for (a year the sentence names wins for the
period). Nothing is dropped. A requirement (不低于60%) keeps no value: its comparator and
figure are said in the note, as the bundled data does.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal, NamedTuple

from fanpin_cli.core.model import Dataset, DatasetMeta, Indicator, Section
from fanpin_cli.reports.figures import Excluded, Figure, recognise
from fanpin_cli.reports.match import Match, Matcher, assign, part_of
from fanpin_cli.reports.read import ReportText

DRAFT = "draft"
DRAFT_TITLE = ("待审: 未匹配到已知指标的数值", "To review: figures that match no known indicator")


class Candidate(NamedTuple):
    """One figure of the report and the record it becomes."""

    figure: Figure
    record: Indicator
    match: Match
    parent_id: str | None  # the id of the total it is a breakdown of


class Extraction(NamedTuple):
    candidates: tuple[Candidate, ...]
    excluded: tuple[Excluded, ...]
    sections: tuple[Section, ...]  # the sections the records fall in, in order
    text: str


def extract(text: str, like: Dataset, region_code: str, period: str) -> Extraction:
    """The figures of `text` as records for `region_code` and `period`, ids from `like`."""
    units = sorted({i.unit for i in like.indicators})
    found = recognise(text, units)
    figures = found.figures
    matcher = Matcher(like, text)
    choices = [matcher.candidates(f, figures) for f in figures]
    periods = [f.period or period for f in figures]
    matches = assign(figures, choices, periods, part_of=part_of(like.indicators))
    ids: list[str] = []
    drafts = 0
    for m in matches:
        if m.id is not None:
            ids.append(m.id)
        else:
            drafts += 1
            ids.append(f"{DRAFT}.{drafts:03d}")
    present = {(i, p) for i, p in zip(ids, periods, strict=True)}
    candidates = []
    for n, (f, m) in enumerate(zip(figures, matches, strict=True)):
        parent_id = ids[f.parent] if f.parent is not None else None
        profile = matcher.profiles.get(m.id) if m.id is not None else None
        record = _record(f, ids[n], periods[n], region_code, profile.record if profile else None,
                         present, parent_id)  # fmt: skip
        candidates.append(Candidate(f, record, m, parent_id))
    candidates = _fit_ratios(candidates)
    return Extraction(tuple(candidates), found.excluded, _sections(like, candidates), text)


def _fit_ratios(candidates: list[Candidate]) -> list[Candidate]:
    """A rate's ratio as this report computes it: places define rates differently (保山市's
    风险消除率 is by persons, 兰州市's by households), so a ratio carried from the --like
    dataset is kept where the report's figures give the rate, turned to the persons' (or
    households') ids where those do, and otherwise left out with a note saying what it gives
    -- a figure, not a guess, is what a reviewer then checks. Parts (categories adding up to
    a total) are identities and stay as they are."""
    values = {(c.record.id, c.record.period): c.record for c in candidates}
    out = []
    for c in candidates:
        r = c.record
        if r.ratio is None or r.value is None or r.unit != "%":
            out.append(c)
            continue
        swap = {"_households": "_persons", "_persons": "_households"}
        tries = [r.ratio]
        for old, new in swap.items():
            if all(i.endswith(old) for i in r.ratio):
                tries.append((r.ratio[0][: -len(old)] + new, r.ratio[1][: -len(old)] + new))
        gives = None
        for num_id, den_id in tries:
            got = _rate(values.get((num_id, r.period)), values.get((den_id, r.period)), r.value)
            if got is True:
                out.append(c._replace(record=r._replace(ratio=(num_id, den_id))))
                break
            if gives is None and isinstance(got, Decimal):
                gives = got
        else:
            said = f"{r.ratio[0]} / {r.ratio[1]} = {gives}%" if gives is not None else str(r.ratio)
            note = f"Ratio not carried: {said} here, not {r.value}%"
            out.append(c._replace(record=r._replace(ratio=None, note=_joined(r.note, note))))
    return out


def _rate(num: Indicator | None, den: Indicator | None, value: object) -> bool | Decimal | None:
    """True when num / den rounds to `value` (a percentage at its places), else the rate it
    gives (None when it gives none)."""
    from decimal import ROUND_HALF_UP

    from fanpin_cli.core.units import to_base

    if num is None or den is None or num.value is None or den.value is None:
        return None
    bottom = to_base(den.value, den.unit)
    if bottom == 0:
        return None
    exact = to_base(num.value, num.unit) / bottom * 100
    reported = Decimal(str(value))
    places = reported.as_tuple().exponent
    step = Decimal(1).scaleb(places if isinstance(places, int) and places < 0 else 0)
    rounded = exact.quantize(step, rounding=ROUND_HALF_UP)
    return True if rounded == reported else rounded


def _joined(note: str | None, more: str) -> str:
    return f"{note}; {more}" if note else more


def _record(
    f: Figure,
    ind_id: str,
    period: str,
    region: str,
    like: Indicator | None,
    present: set[tuple[str, str]],
    parent_id: str | None,
) -> Indicator:
    def here(other: str) -> bool:
        return (other, period) in present

    notes: list[str] = []
    if like is not None:
        parts = like.parts if like.parts and all(map(here, like.parts)) else ()
        ratio = like.ratio if like.ratio and all(map(here, like.ratio)) else None
        subset = like.subset_of if like.subset_of and here(like.subset_of) else None
        names = (like.name_zh, like.name_en)
        section = like.section
        carried = like._replace(
            value=None, source=None, written_as=None, note=None, qualifier=None, citation=None
        )
    else:
        parts, ratio, subset = (), None, None
        label = f.label.split(" ")[0] or f.tail or f.heading or f.written
        names = (label[:40] + f"({f.unit})", f"Draft: {f.written} under {f.heading or 'the text'}")
        section = DRAFT
        carried = None
    if subset is None and parent_id is not None and parent_id != ind_id and like is None:
        subset = parent_id  # a breakdown (其中) cannot exceed its total
    value = None if f.target else f.value
    written = None if f.target else f.written_as  # a requirement keeps no value to denote
    if f.target:
        notes.append(f"A requirement, not a result: {f.qualifier} {f.written}")
    if carried is not None:
        return carried._replace(
            value=value, unit=f.unit, period=period, region_code=region, source=f.sentence,
            parts=parts, ratio=ratio, subset_of=subset, written_as=written,
            qualifier=None if f.target else f.qualifier, note="; ".join(notes) or None,
            section=section,
        )  # fmt: skip
    return Indicator(
        id=ind_id, section=section, name_zh=names[0], name_en=names[1], value=value,
        unit=f.unit, period=period, region_code=region, source=f.sentence,
        subset_of=subset, written_as=written,
        qualifier=None if f.target else f.qualifier, note="; ".join(notes) or None,
    )  # fmt: skip


def _sections(like: Dataset, candidates: Sequence[Candidate]) -> tuple[Section, ...]:
    used = {c.record.section for c in candidates}
    out = [s for s in like.sections if s.key in used]
    if DRAFT in used:
        out.append(Section(DRAFT, DRAFT_TITLE[0], DRAFT_TITLE[1], ""))
    return tuple(out)


# ------------------------------------------------------------------ the draft directory


def write_draft(
    extraction: Extraction,
    directory: Path,
    report: Path,
    region_code: str,
    period: str,
    like_name: str,
) -> list[Path]:
    """A dataset directory at `directory` (new or empty; never replaces a file): dataset.toml,
    one file a section, and the report's text as its source document."""
    from fanpin_cli.core.errors import UsageError, output_error
    from fanpin_cli.files.atomic import atomic_directory, looked_at
    from fanpin_cli.writers.importer import indicator_toml
    from fanpin_cli.writers.template_toml import write_dataset

    with looked_at(directory):
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise UsageError.said(("usage.exists_directory",), path=str(directory))
    title = next((ln.strip() for ln in extraction.text.splitlines() if ln.strip()), "")[:80]
    meta = DatasetMeta(
        title_zh=title,
        region_code=region_code,
        period=period,
        notes=f"Draft extracted by fanpin from {report.name}; ids matched against "
        f"{like_name}. Review every draft.* id and every match before use.",
        extra={"source_document": SOURCE_NAME, "extracted_from": report.name},
    )
    by_section: dict[str, list[str]] = {s.key: [] for s in extraction.sections}
    last_heading: dict[str, str] = {}
    for c in extraction.candidates:
        key = c.record.section
        lines = []
        heading = c.figure.heading
        if heading and last_heading.get(key) != heading:
            lines.append(f"# {_comment(heading)}\n")
            last_heading[key] = heading
        if c.match.id is None:
            lines.append(
                f"# draft id: review it (line {c.figure.line}: {_comment(c.figure.written)})\n"
            )
        else:
            lines.append(f"# matched ({c.match.describe()})\n")
        by_section[key].append("".join(lines) + indicator_toml(c.record, meta))
    tables = [(s, by_section[s.key]) for s in extraction.sections]
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        with atomic_directory(directory) as tmp:
            (tmp / SOURCE_NAME).write_text(extraction.text, encoding="utf-8")
            original = report.name
            if original != SOURCE_NAME and not original.endswith(".toml"):
                import shutil  # the report as given, beside the text its quotes are read in

                shutil.copyfile(report, tmp / original)
            comment = f"Draft dataset extracted by fanpin from {report.name}"
            written = write_dataset(tmp, directory, meta, comment, tables)
            units = unit_declarations([c.record.unit for c in extraction.candidates])
            if units:
                with (tmp / "dataset.toml").open("a", encoding="utf-8") as handle:
                    handle.write(units)
    except OSError as exc:
        raise output_error(exc, str(directory)) from None
    kept = [directory / report.name] if report.name not in (SOURCE_NAME,) else []
    return [*written, directory / SOURCE_NAME, *[k for k in kept if not k.name.endswith(".toml")]]


SOURCE_NAME = "source.txt"


def _comment(text: str) -> str:
    return " ".join(text.split())


class Extracted(NamedTuple):
    """What `fanpin extract` did: each report's extraction, and the files it wrote."""

    extractions: tuple[tuple[str, Extraction], ...]
    written: tuple[Path, ...]


def extract_reports(
    like: Dataset,
    reports: Sequence[tuple[Path, ReportText]],
    region: str | None,
    period: str | None,
    output: Path | None,
    like_path: Path | None,
) -> Extracted:
    """`fanpin extract`: each report's figures for `region` and `period` (default: the
    `like` dataset's own), and with `output` the draft dataset directory written there."""
    from fanpin_cli.analysis.filters import NothingMatched, check_period_format
    from fanpin_cli.analysis.query import resolve_region
    from fanpin_cli.core.errors import UsageError

    if output is not None and len(reports) > 1:
        raise UsageError.said(("usage.extract_one_output",))
    own = next((m for m in like.metas if m.region_code and m.period), None)
    if region is not None:
        code = resolve_region(like, region)
    elif own is not None and own.region_code:
        code = own.region_code
    else:
        raise UsageError.said(("usage.extract_needs", "--region"))
    check_period_format(period)
    chosen = period or (own.period if own is not None else None)
    if chosen is None:
        raise UsageError.said(("usage.extract_needs", "--period"))
    done = []
    for path, report in reports:
        ex = extract(report.text, like, code, chosen)
        if not ex.candidates:
            raise NothingMatched.said(("match.no_figures",), path=str(path))
        done.append((str(path), ex))
    written: list[Path] = []
    if output is not None:
        name = str(like_path) if like_path is not None else "the bundled dataset"
        written = write_draft(done[0][1], output, reports[0][0], code, chosen, name)
    return Extracted(tuple(done), tuple(written))


# Measure words of reports that the registry does not know: a dimension name (ASCII, as
# dataset.toml's [units] asks) for each; a draft declares the ones it uses.
DIMENSIONS = {
    "篇": "articles", "条": "entries", "所": "institutions", "座": "structures", "亩": "mu",
    "公里": "km", "千米": "km", "吨": "tonnes", "公斤": "kg", "千克": "kg", "斤": "jin",
    "米": "metres", "平方米": "square_metres", "平方公里": "square_km",
    "立方米": "cubic_metres", "类": "kinds", "种": "types", "套": "sets", "台": "machines",
    "头": "livestock", "只": "animals", "株": "plants", "棵": "trees", "辆": "vehicles",
    "间": "rooms", "栋": "buildings", "幢": "buildings", "支": "teams", "队": "teams",
    "组": "groups", "份": "copies", "本": "volumes", "张": "sheets", "部": "pieces",
    "口": "wells", "眼": "wells", "宗": "parcels", "起": "incidents", "例": "cases_li",
    "倍": "fold", "轮": "rounds_lun", "届": "terms", "门": "courses", "节": "lessons",
    "课时": "class_hours", "学时": "study_hours", "千瓦": "kilowatts", "千瓦时": "kwh",
    "床": "beds", "个百分点": "percentage_points", "百分点": "percentage_points",
    "批": "batches", "场": "events", "户次": "household_times", "角": "jiao",
    "块": "pieces_kuai", "箱": "boxes", "车": "loads", "成": "tenths",
    "省": "provinces", "市": "cities", "县": "counties", "乡": "townships", "镇": "towns",
    "村": "villages_cun", "县区": "counties", "市州": "prefectures",
}  # fmt: skip
# what a report's measure words measure: lengths, areas, weights and energy are amounts (not
# whole counts), multiples and tenths are rates; the rest count things
MEASURES = frozenset(("亩", "公里", "千米", "米", "平方米", "平方公里", "立方米", "吨", "公斤",
                      "千克", "斤", "千瓦", "千瓦时"))  # fmt: skip
RATES = frozenset(("倍", "成", "个百分点", "百分点"))
UnitClassName = Literal["count", "amount", "rate", "standard"]
SCALE_OF = {"万": 10_000, "亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000,
            "万亿": 1_000_000_000_000}  # fmt: skip


def unit_declarations(units: Sequence[str]) -> str:
    """A `[units]` table declaring each of `units` the registry does not have built in, with
    its base (万条 needs 条) and the sides of a unit per unit (元/亩 needs 亩), or "" when
    none is needed."""
    from fanpin_cli.core.units import BUILTIN

    declared: dict[str, tuple[str, int, UnitClassName]] = {}
    for unit in sorted(set(units)):
        if unit in BUILTIN:
            continue
        if unit.count("/") == 1:
            sides = unit.split("/")
            for side in sides:
                _declare(side, declared)
            dims = "_".join(_dimension(side.lstrip("万亿")) for side in sides)
            declared[unit] = (f"per_{dims}", 1, "standard")
        else:
            _declare(unit, declared)
    if not declared:
        return ""
    import json

    lines = ["", "# units of the report that fanpin does not know by itself", "[units]"]
    for symbol, (dimension, scale, cls) in declared.items():
        lines.append(f'{json.dumps(symbol, ensure_ascii=False)} = {{ dimension = "{dimension}", '
                     f'scale = {scale}, class = "{cls}" }}')  # fmt: skip
    return "\n".join(lines) + "\n"


def _dimension(base: str) -> str:
    """An ASCII name for what `base` measures (dataset.toml's [units] asks for one)."""
    from fanpin_cli.core.units import UNITS

    known = UNITS.get(base)
    if known is not None:
        return known.dimension
    return DIMENSIONS.get(base) or "u" + "_".join(f"{ord(c):x}" for c in base)


def _declare(unit: str, declared: dict[str, tuple[str, int, UnitClassName]]) -> None:
    """`unit` and its base in `declared`, unless built in."""
    from fanpin_cli.core.units import BUILTIN, UNITS

    if not unit or unit in BUILTIN:
        return
    scale_word = next((s for s in sorted(SCALE_OF, key=len, reverse=True)
                       if unit.startswith(s) and len(unit) > len(s)), "")  # fmt: skip
    base = unit[len(scale_word) :]
    known = UNITS.get(base)
    cls: UnitClassName
    if known is not None:
        cls = known.unit_class
    elif base.endswith("元") or base in MEASURES:
        cls = "amount"
    else:
        cls = "rate" if base in RATES else "count"
    if base not in BUILTIN:
        declared[base] = (_dimension(base), 1, cls)
    if scale_word:
        declared[unit] = (_dimension(base), SCALE_OF[scale_word], cls)
