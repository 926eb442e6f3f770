"""Read dataset directories (TOML) into a Dataset, naming file, line and key on any error."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from fanpin_cli.bundled import BUNDLED, bundled_data_dir
from fanpin_cli.errors import DataError
from fanpin_cli.model import (
    BASES,
    COMPARATORS,
    CONFIDENCE,
    DIRECTIONS,
    LEVELS,
    Dataset,
    DatasetMeta,
    Finding,
    Indicator,
    Region,
    Section,
    Target,
    TargetBasis,
)
from fanpin_cli.safe_read import Refused, check_dataset_path
from fanpin_cli.units import UNITS

META_FILE = "dataset.toml"
TARGETS_FILE = "targets.toml"
REGIONS_FILE = "regions.toml"
SPECIAL_FILES = frozenset({META_FILE, TARGETS_FILE, REGIONS_FILE})

ID_RE = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_]+\Z")
SECTION_KEY_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
REGION_RE = re.compile(r"[0-9]{6}\Z")
# A year 0001-9999, optionally with a quarter, a month 01-12 or an end year.
PERIOD_RE = re.compile(r"(?!0000)[0-9]{4}(-(Q[1-4]|0[1-9]|1[0-2]|(?!0000)[0-9]{4}))?\Z")
MAX_ABS = 10**18  # beyond SQLite's int64 and any plausible figure
# At most this many digits after the decimal point: with MAX_ABS, every figure fits the
# 28 significant digits of decimal arithmetic, so comparisons and changes stay exact, and
# `1e-999999999` is an error, not a billion zeros printed (README "Reliability").
MAX_DECIMALS = 9

INDICATOR_KEYS = frozenset(
    {
        "id",
        "name_zh",
        "name_en",
        "value",
        "unit",
        "period",
        "region_code",
        "basis",
        "source",
        "parts",
        "ratio",
        "subset_of",
        "note",
        "additive",
        "direction",
    }
)
TARGET_KEYS = frozenset(
    {
        "indicator",
        "comparator",
        "value",
        "unit",
        "level",
        "basis",
        "relative_to",
        "target_year",
        "region_code",
    }
)
BASIS_KEYS = frozenset({"title", "issuer", "year", "quote", "confidence", "url", "note"})


def resolve_path(path: Path) -> Path:
    """`@bundled` is the bundled dataset; anything else is a path as given."""
    return bundled_data_dir() if str(path) == BUNDLED else path


def expand(path: Path) -> list[Path]:
    """A collection directory (no TOML files, only dataset subdirectories) is its datasets."""
    if not path.is_dir() or any(path.glob("*.toml")):
        return [path]
    subdirs = sorted(p for p in path.iterdir() if p.is_dir() and any(p.glob("*.toml")))
    return subdirs or [path]


# ---------------------------------------------------------------- reading files


def read_text(path: Path) -> str:
    """A file's text as UTF-8 (a byte-order mark is accepted), or a DataError."""
    from fanpin_cli.safe_read import read_bytes

    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            path=str(path),
            line=line,
        ) from None


def parse_toml(path: Path, text: str | None = None) -> tuple[dict[str, Any], str]:
    """Parse one TOML file with exact decimals; returns the document and its text."""
    import tomli

    if text is None:
        text = read_text(path)
    if not text.strip():
        raise DataError("file is empty", path=str(path), line=1)
    try:
        return tomli.loads(text, parse_float=Decimal), text
    except tomli.TOMLDecodeError as exc:
        msg = getattr(exc, "msg", str(exc))
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        where = f" (column {col})" if col else ""
        raise DataError(f"TOML syntax error: {msg}{where}", path=str(path), line=line) from None
    except RecursionError:
        raise DataError("TOML nested too deeply", path=str(path), line=1) from None
    except ValueError:  # int() refuses more than 4300 digits (CVE-2020-10735)
        m = re.search(r"[0-9][0-9_]{4299,}", text)
        line = text.count("\n", 0, m.start()) + 1 if m else None
        raise DataError(
            "a number with more than 4300 digits; no figure is that long", path=str(path), line=line
        ) from None


def table_lines(text: str, name: str, expected: int | None = None) -> list[int]:
    """Line numbers of each `[[name]]` header, in order, to point errors at records.

    Headers written plainly at line starts are found with str.find (fast on big files);
    when that does not account for `expected` records (an indented or spaced header),
    a regular expression looks again.
    """
    header = f"[[{name}]]"
    lines: list[int] = [1] if text.startswith(header) else []
    pos, line = 0, 1
    needle = "\n" + header
    while (at := text.find(needle, pos)) >= 0:
        line += text.count("\n", pos, at + 1)
        pos = at + 1
        lines.append(line)
    if expected is None or len(lines) == expected:
        return lines
    pattern = re.compile(r"^[ \t]*\[\[[ \t]*" + re.escape(name) + r"[ \t]*\]\]", re.MULTILINE)
    lines, pos, line = [], 0, 1
    for m in pattern.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        lines.append(line)
    return lines


def key_line(text: str, start_line: int, key: str) -> int:
    """The line of `key = ...` in the record that starts at `start_line` (or the start)."""
    pattern = re.compile(r"[ \t]*" + re.escape(key) + r"[ \t]*=")
    for offset, raw in enumerate(text.splitlines()[start_line:], start=1):
        if raw.lstrip().startswith("[["):
            break
        if pattern.match(raw):
            return start_line + offset
    return start_line


def header_line(text: str, header: str) -> int:
    """The line of a `[header]` table, or 1."""
    m = re.search(r"^[ \t]*\[[ \t]*" + re.escape(header) + r"[ \t]*\]", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else 1


# ------------------------------------------------------------ problem collection


class Problems:
    """Schema problems found while loading; strict loading raises at the first error."""

    __slots__ = ("found", "strict")

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.found: list[Finding] = []

    def extend(self, findings: Iterable[Finding]) -> None:
        self.found.extend(findings)

    def add(
        self,
        message: str,
        *,
        path: str,
        line: int,
        ids: Sequence[str] = (),
        severity: str = "error",
        rule: str = "schema",
    ) -> None:
        if self.strict and severity == "error" and rule == "schema":
            raise DataError(message, path=path, line=line)
        self.found.append(
            Finding(
                rule=rule,
                severity="error" if severity == "error" else "warning",
                message=message,
                indicators=tuple(ids),
                file=path,
                line=line,
            )
        )


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _kind(value: object) -> str:
    """'an integer', 'a string', ... for error messages."""
    name = _type_name(value)
    return ("an " if name[0] in "aeiou" else "a ") + name


def positional(value: Decimal) -> Decimal:
    """1E+3 (from TOML `1e3`) as 1000, so that every output writes digits, not exponents."""
    exponent = value.as_tuple().exponent
    return Decimal(format(value, "f")) if isinstance(exponent, int) and exponent > 0 else value


def check_number(value: object) -> str | None:
    """Why `value` is not an acceptable figure, or None when it is."""
    number: int | Decimal
    if isinstance(value, bool):
        return "must be a number, not a boolean"
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal):
        if not value.is_finite():
            return f"must be a finite number, not {value}"
        number = value
    else:
        return f"must be a number, not {_kind(value)}"
    if not -MAX_ABS < number < MAX_ABS:
        return "is too large (1e18 or more) to be a plausible figure"
    if isinstance(number, Decimal) and number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
        return f"has more than {MAX_DECIMALS} decimal places"
    return None


# ----------------------------------------------------------- records from TOML


class _FileContext:
    """One file being read: its path and text (for line numbers) and where problems go."""

    __slots__ = ("path", "problems", "text")

    def __init__(self, path: str, text: str, problems: Problems) -> None:
        self.path = path
        self.text = text
        self.problems = problems

    def line_of(self, start: int, key: str | None) -> int:
        return key_line(self.text, start, key) if key else start

    def bad(self, start: int, key: str | None, message: str, ids: Sequence[str] = ()) -> None:
        self.problems.add(message, path=self.path, line=self.line_of(start, key), ids=ids)


def _opt_str(ctx: _FileContext, rec: dict[str, Any], key: str, start: int, rid: str) -> str | None:
    value = rec.get(key)
    if value is None or type(value) is str:
        return value
    ctx.bad(start, key, f"{rid}: {key} must be a string, not {_kind(value)}", [rid])
    return None


def build_indicator(
    rec: object,
    ctx: _FileContext,
    start: int,
    section: str,
    defaults: DatasetMeta,
) -> Indicator | None:
    """One `[[indicator]]` table as an Indicator, or None after reporting why it is invalid."""
    if not isinstance(rec, dict):
        ctx.bad(start, None, f"indicator must be a table, not {_kind(rec)}")
        return None
    rid = rec.get("id")
    if type(rid) is not str:
        if rid is None:
            ctx.bad(start, None, "indicator has no id")
        else:
            ctx.bad(start, "id", f"id must be a string, not {_kind(rid)}")
        return None
    ok = True
    if not ID_RE.match(rid):
        ctx.bad(start, "id", f"id {rid!r} must be an ASCII slug 'section.name'", [rid])
        ok = False
    elif not rid.startswith(section + "."):
        ctx.bad(
            start, "id", f"id {rid!r} is not in this file's section {section!r} (unknown section)"
        )
        ok = False
    for key in ("name_zh", "name_en", "unit"):
        v = rec.get(key)
        if type(v) is not str:
            what = "is missing" if v is None else f"must be a string, not {_kind(v)}"
            ctx.bad(start, key if v is not None else None, f"{rid}: {key} {what}", [rid])
            ok = False
        elif not v.strip():
            ctx.bad(start, key, f"{rid}: {key} is empty", [rid])
            ok = False
    unit = rec.get("unit")
    if type(unit) is str and unit.strip() and unit not in UNITS:
        ctx.bad(start, "unit", f"{rid}: unknown unit {unit!r}", [rid])
        ok = False
    value = rec.get("value")
    if value is not None:
        why = check_number(value)
        if why:
            ctx.bad(start, "value", f"{rid}: value {why}", [rid])
            ok = False
        elif isinstance(value, Decimal):
            value = positional(value)
    period = rec.get("period", defaults.period)
    if period is None:
        ctx.bad(start, None, f"{rid}: period is missing (and dataset.toml sets none)", [rid])
        ok = False
    elif type(period) is not str:
        ctx.bad(start, "period", f'{rid}: period must be a string like "2023"', [rid])
        ok = False
    elif not PERIOD_RE.match(period):
        ctx.bad(start, "period", f"{rid}: period {period!r} is not YYYY, YYYY-Qn or YYYY-MM", [rid])
        ok = False
    region = rec.get("region_code", defaults.region_code)
    if region is None:
        ctx.bad(start, None, f"{rid}: region_code is missing (and dataset.toml sets none)", [rid])
        ok = False
    elif type(region) is not str or not REGION_RE.match(region):
        ctx.bad(start, "region_code", f"{rid}: region_code must be six digits, as a string", [rid])
        ok = False
    basis = _opt_str(ctx, rec, "basis", start, rid)
    if basis is not None and basis not in BASES:
        ctx.bad(start, "basis", f"{rid}: basis {basis!r} is not one of {', '.join(BASES)}", [rid])
        ok = False
    source = _opt_str(ctx, rec, "source", start, rid)
    note = _opt_str(ctx, rec, "note", start, rid)
    subset_of = _opt_str(ctx, rec, "subset_of", start, rid)
    parts: tuple[str, ...] = ()
    raw_parts = rec.get("parts")
    if raw_parts is not None:
        if not isinstance(raw_parts, list) or not all(type(p) is str for p in raw_parts):
            ctx.bad(start, "parts", f"{rid}: parts must be an array of indicator ids", [rid])
            ok = False
        else:
            parts = tuple(raw_parts)
    ratio: tuple[str, str] | None = None
    raw_ratio = rec.get("ratio")
    if raw_ratio is not None:
        if (
            not isinstance(raw_ratio, dict)
            or type(raw_ratio.get("numerator")) is not str
            or type(raw_ratio.get("denominator")) is not str
            or len(raw_ratio) != 2
        ):
            ctx.bad(start, "ratio", f"{rid}: ratio must be {{ numerator = id, denominator = id }}")
            ok = False
        else:
            ratio = (raw_ratio["numerator"], raw_ratio["denominator"])
    additive = rec.get("additive")
    if additive is not None and type(additive) is not bool:
        ctx.bad(start, "additive", f"{rid}: additive must be true or false", [rid])
        ok = False
    direction = _opt_str(ctx, rec, "direction", start, rid)
    if direction is not None and direction not in DIRECTIONS:
        why = f"{rid}: direction {direction!r} is not one of {', '.join(DIRECTIONS)}"
        ctx.bad(start, "direction", why, [rid])
        ok = False
    if len(rec) > 15 or not INDICATOR_KEYS.issuperset(rec):
        for key in sorted(set(rec) - INDICATOR_KEYS):
            ctx.problems.add(
                f"{rid}: unknown key {key!r}",
                path=ctx.path,
                line=ctx.line_of(start, key),
                ids=[rid],
                severity="warning",
            )
    if not ok:
        return None
    return Indicator(
        id=rid,
        section=section,
        name_zh=rec["name_zh"],
        name_en=rec["name_en"],
        value=value,
        unit=rec["unit"],
        period=period,  # type: ignore[arg-type]
        region_code=region,  # type: ignore[arg-type]
        basis=basis,
        source=source,
        parts=parts,
        ratio=ratio,
        subset_of=subset_of,
        note=note,
        additive=additive,
        direction=direction,
        file=ctx.path,
        line=start,
    )


class _FastPath:
    """Build an Indicator from a record that is plainly valid, without composing messages.

    It accepts only what `build_indicator` accepts, remembering ids, periods and regions
    already seen valid; anything unusual returns None and `build_indicator` judges it and
    says why. This keeps 100,000-record datasets near the TOML parser's own speed.
    """

    __slots__ = ("defaults", "ids", "names", "path", "periods", "prefix", "regions", "section")

    def __init__(self, section: str, defaults: DatasetMeta, path: str) -> None:
        self.section = section
        self.prefix = section + "."
        self.defaults = defaults
        self.path = path
        # Strings already validated, each kept once: records of one indicator across
        # regions and periods then share their id, names, unit, period and region objects,
        # which saves memory and lets marshal (cache, worker processes) write references.
        self.ids: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.periods: dict[str, str] = {}
        self.regions: dict[str, str] = {}

    def build(self, rec: object, start: int) -> Indicator | None:
        if type(rec) is not dict or not INDICATOR_KEYS.issuperset(rec):
            return None
        g = rec.get
        ids, names = self.ids, self.names
        rid, name_zh, name_en, unit = g("id"), g("name_zh"), g("name_en"), g("unit")
        if type(rid) is not str or type(name_zh) is not str or type(name_en) is not str:
            return None
        if rid in ids:
            rid = ids[rid]
        elif ID_RE.match(rid) and rid.startswith(self.prefix):
            ids[rid] = rid
        else:
            return None
        if type(unit) is not str or unit not in UNITS:
            return None
        unit = UNITS[unit].symbol
        if name_zh in names:
            name_zh = names[name_zh]
        elif name_zh.strip():
            names[name_zh] = name_zh
        else:
            return None
        if name_en in names:
            name_en = names[name_en]
        elif name_en.strip():
            names[name_en] = name_en
        else:
            return None
        value = g("value")
        if value is not None:
            kind = type(value)
            if kind is int:
                if not -MAX_ABS < value < MAX_ABS:
                    return None
            elif kind is not Decimal or not value.is_finite() or not -MAX_ABS < value < MAX_ABS:
                return None
            elif (exponent := value.as_tuple().exponent) > 0:
                value = positional(value)
            elif exponent < -MAX_DECIMALS:
                return None
        period = g("period", self.defaults.period)
        if type(period) is not str:
            return None
        if period in self.periods:
            period = self.periods[period]
        elif PERIOD_RE.match(period):
            self.periods[period] = period
        else:
            return None
        region = g("region_code", self.defaults.region_code)
        if type(region) is not str:
            return None
        if region in self.regions:
            region = self.regions[region]
        elif REGION_RE.match(region):
            self.regions[region] = region
        else:
            return None
        basis, source, note, subset_of = g("basis"), g("source"), g("note"), g("subset_of")
        if basis is not None and basis not in BASES:
            return None
        for text in (source, note, subset_of):
            if text is not None and type(text) is not str:
                return None
        parts, ratio, additive = g("parts"), g("ratio"), g("additive")
        if parts is not None:
            if type(parts) is not list or not all(type(p) is str for p in parts):
                return None
            parts = tuple(parts)
        if ratio is not None:
            if type(ratio) is not dict or len(ratio) != 2:
                return None
            num, den = ratio.get("numerator"), ratio.get("denominator")
            if type(num) is not str or type(den) is not str:
                return None
            ratio = (num, den)
        if additive is not None and type(additive) is not bool:
            return None
        direction = g("direction")
        if direction is not None and direction not in DIRECTIONS:
            return None
        return Indicator(
            rid, self.section, name_zh, name_en, value, unit, period, region, basis, source,
            parts or (), ratio, subset_of, note, additive, direction, self.path, start,
        )  # fmt: skip


def _records(doc: dict[str, Any], name: str, ctx: _FileContext) -> list[tuple[object, int]]:
    """The `[[name]]` records of a document, each with the line it starts on."""
    raw = doc.get(name, [])
    if not isinstance(raw, list):
        ctx.bad(header_line(ctx.text, name), None, f"{name} must be an array of tables [[{name}]]")
        return []
    lines = table_lines(ctx.text, name, len(raw))
    if len(lines) != len(raw):  # inline arrays: no per-record lines to point at
        first = key_line(ctx.text, 0, name)
        lines = [first] * len(raw)
    return list(zip(raw, lines, strict=True))


def load_section_file(
    path: Path, defaults: DatasetMeta, problems: Problems, known_sections: frozenset[str] | None
) -> tuple[Section | None, list[Indicator]]:
    """One section file: its `[section]` table and its indicators."""
    doc, text = parse_toml(path)
    ctx = _FileContext(str(path), text, problems)
    sec = doc.get("section")
    sec_line = header_line(text, "section")
    if not isinstance(sec, dict):
        ctx.bad(1, None, "no [section] table with key, title_zh and title_en")
        return None, []
    key = sec.get("key")
    if type(key) is not str or not SECTION_KEY_RE.match(key):
        ctx.bad(sec_line, "key", "[section] key must be a lower-case ASCII name")
        return None, []
    if known_sections is not None and key not in known_sections:
        ctx.bad(sec_line, "key", f"unknown section {key!r}: not in dataset.toml [sections] order")
    titles = []
    for tkey in ("title_zh", "title_en"):
        t = sec.get(tkey)
        if type(t) is not str:
            ctx.bad(sec_line, tkey if t is not None else None, f"[section] {tkey} must be a string")
            t = ""
        titles.append(t)
    if not doc.get("indicator"):  # a section file without records says why
        if "indicator" in sec:
            ctx.bad(
                sec_line,
                "indicator",
                "no indicator records: 'indicator = [...]' written after [section] belongs "
                "to the [section] table; move it above [section] or write [[indicator]] tables",
            )
        elif "indicator" not in doc:
            ctx.bad(sec_line, None, "no [[indicator]] records in this section file")
    for extra_key in sorted(set(sec) - {"key", "number", "title_zh", "title_en", "indicator"}):
        problems.add(
            f"[section] unknown key {extra_key!r}",
            path=str(path),
            line=key_line(text, sec_line, extra_key),
            severity="warning",
        )
    number = sec.get("number", "")
    section = Section(
        key=key,
        title_zh=titles[0],
        title_en=titles[1],
        number=number if type(number) is str else "",
        file=str(path),
        line=sec_line,
    )
    for extra in sorted(set(doc) - {"section", "indicator"}):
        problems.add(
            f"unknown top-level key {extra!r}",
            path=str(path),
            line=key_line(text, 0, extra),
            severity="warning",
        )
    indicators: list[Indicator] = []
    fast = _FastPath(key, defaults, str(path))
    for rec, start in _records(doc, "indicator", ctx):
        ind = fast.build(rec, start) or build_indicator(rec, ctx, start, key, defaults)
        if ind is not None:
            indicators.append(ind)
    return section, indicators


def load_meta(directory: Path, problems: Problems) -> tuple[DatasetMeta, list[str] | None]:
    """dataset.toml: metadata and the declared section order (None when not declared)."""
    path = directory / META_FILE
    if not path.exists():
        return DatasetMeta(path=str(directory)), None
    doc, text = parse_toml(path)
    ctx = _FileContext(str(path), text, problems)
    meta = doc.get("dataset", {})
    line = header_line(text, "dataset")
    if not isinstance(meta, dict):
        ctx.bad(line, None, "[dataset] must be a table")
        meta = {}
    strings: dict[str, str] = {}
    for key, value in meta.items():
        if key == "synthetic":
            continue
        if type(value) is not str:
            ctx.bad(line, key, f"[dataset] {key} must be a string, not {_kind(value)}")
            continue
        strings[key] = value
    region = strings.get("region_code")
    if region is not None and not REGION_RE.match(region):
        ctx.bad(line, "region_code", "[dataset] region_code must be six digits")
        region = None
    period = strings.get("period")
    if period is not None and not PERIOD_RE.match(period):
        ctx.bad(line, "period", f"[dataset] period {period!r} is not YYYY, YYYY-Qn or YYYY-MM")
        period = None
    synthetic = meta.get("synthetic", False)
    if type(synthetic) is not bool:
        ctx.bad(line, "synthetic", "[dataset] synthetic must be true or false")
        synthetic = False
    order: list[str] | None = None
    sections = doc.get("sections", {})
    raw_order = sections.get("order") if isinstance(sections, dict) else None
    if raw_order is not None:
        if isinstance(raw_order, list) and all(type(k) is str for k in raw_order):
            order = list(raw_order)
        else:
            ctx.bad(header_line(text, "sections"), "order", "[sections] order must list keys")
    known = {"title_zh", "title_en", "publisher_zh", "publisher_en", "published"}
    return (
        DatasetMeta(
            title_zh=strings.get("title_zh", ""),
            title_en=strings.get("title_en", ""),
            publisher_zh=strings.get("publisher_zh", ""),
            publisher_en=strings.get("publisher_en", ""),
            published=strings.get("published", ""),
            region_code=region,
            period=period,
            source_document=strings.get("source_document"),
            synthetic=synthetic,
            notes=strings.get("notes", ""),
            path=str(directory),
            extra={
                k: v
                for k, v in strings.items()
                if k not in known | {"region_code", "period", "source_document", "notes"}
            },
        ),
        order,
    )


def _basis(raw: object, ctx: _FileContext, start: int, tid: str) -> TargetBasis | None:
    if not isinstance(raw, dict):
        ctx.bad(start, "basis" if raw is not None else None, f"target {tid}: basis table missing")
        return None
    values: dict[str, str] = {}
    ok = True
    for key in ("title", "issuer", "year", "quote", "confidence"):
        v = raw.get(key)
        if type(v) is not str or not v.strip():
            ctx.bad(start, "basis", f"target {tid}: basis.{key} must be a non-empty string")
            ok = False
        else:
            values[key] = v
    conf = values.get("confidence")
    if conf is not None and conf not in CONFIDENCE:
        ctx.bad(start, "basis", f"target {tid}: confidence {conf!r} not in {', '.join(CONFIDENCE)}")
        ok = False
    for key in ("url", "note"):
        v = raw.get(key)
        if v is not None and type(v) is not str:
            ctx.bad(start, "basis", f"target {tid}: basis.{key} must be a string")
            ok = False
    for key in sorted(set(raw) - BASIS_KEYS):
        ctx.problems.add(
            f"target {tid}: unknown basis key {key!r}",
            path=ctx.path,
            line=start,
            severity="warning",
        )
    if not ok:
        return None
    return TargetBasis(
        title=values["title"],
        issuer=values["issuer"],
        year=values["year"],
        quote=values["quote"],
        confidence=values["confidence"],
        url=raw.get("url"),
        note=raw.get("note"),
    )


def load_targets(path: Path, problems: Problems) -> list[Target]:
    """A targets file: `[[target]]` tables, each with a comparator, value, unit and basis."""
    doc, text = parse_toml(path)
    ctx = _FileContext(str(path), text, problems)
    for extra in sorted(set(doc) - {"target"}):
        problems.add(
            f"unknown top-level key {extra!r}",
            path=str(path),
            line=key_line(text, 0, extra),
            severity="warning",
        )
    targets: list[Target] = []
    for rec, start in _records(doc, "target", ctx):
        if not isinstance(rec, dict):
            ctx.bad(start, None, "target must be a table")
            continue
        tid = rec.get("indicator")
        if type(tid) is not str or not tid:
            ctx.bad(start, "indicator", "target needs indicator = an indicator id")
            continue
        ok = True
        comp = rec.get("comparator")
        if comp not in COMPARATORS:
            ctx.bad(
                start,
                "comparator",
                f"target {tid}: unknown comparator {comp!r}; use one of {' '.join(COMPARATORS)}",
            )
            ok = False
        value = rec.get("value")
        why = check_number(value)
        if why:
            ctx.bad(start, "value", f"target {tid}: value {why}")
            ok = False
        unit = rec.get("unit")
        relative_to = rec.get("relative_to")
        if relative_to is not None and type(relative_to) is not str:
            ctx.bad(start, "relative_to", f"target {tid}: relative_to must be an indicator id")
            ok = False
        if type(unit) is not str:
            ctx.bad(start, "unit", f"target {tid}: unit must be a string")
            ok = False
        elif unit not in UNITS and not (relative_to and unit == "×"):
            ctx.bad(start, "unit", f"target {tid}: unknown unit {unit!r}")
            ok = False
        level = rec.get("level")
        if level not in LEVELS:
            ctx.bad(start, "level", f"target {tid}: level must be one of {', '.join(LEVELS)}")
            ok = False
        target_year = rec.get("target_year")
        if target_year is not None and (
            type(target_year) is not str or not PERIOD_RE.match(target_year)
        ):
            ctx.bad(start, "target_year", f'target {tid}: target_year must be a string like "2025"')
            ok = False
        region = rec.get("region_code")
        if region is not None and (type(region) is not str or not REGION_RE.match(region)):
            ctx.bad(start, "region_code", f"target {tid}: region_code must be six digits")
            ok = False
        basis = _basis(rec.get("basis"), ctx, start, tid)
        for key in sorted(set(rec) - TARGET_KEYS):
            problems.add(
                f"target {tid}: unknown key {key!r}",
                path=ctx.path,
                line=ctx.line_of(start, key),
                severity="warning",
            )
        if not ok or basis is None:
            continue
        targets.append(
            Target(
                indicator_id=tid,
                comparator=comp,  # type: ignore[arg-type]
                value=value,  # type: ignore[arg-type]
                unit=unit,  # type: ignore[arg-type]
                level=level,  # type: ignore[arg-type]
                basis=basis,
                relative_to=relative_to,
                target_year=target_year,
                region_code=region,
                file=str(path),
                line=start,
            )
        )
    return targets


def load_regions(path: Path, problems: Problems) -> list[Region]:
    """A region table: `[[region]]` with code, name_zh, name_en and parent."""
    doc, text = parse_toml(path)
    ctx = _FileContext(str(path), text, problems)
    regions: list[Region] = []
    for rec, start in _records(doc, "region", ctx):
        if not isinstance(rec, dict):
            ctx.bad(start, None, "region must be a table")
            continue
        code, zh, en, parent = (rec.get(k) for k in ("code", "name_zh", "name_en", "parent"))
        if type(code) is not str or not REGION_RE.match(code):
            ctx.bad(start, "code", "region code must be six digits, as a string")
            continue
        if type(zh) is not str or type(en) is not str:
            ctx.bad(start, "name_zh", f"region {code}: name_zh and name_en must be strings")
            continue
        if parent is not None and (type(parent) is not str or not REGION_RE.match(parent)):
            ctx.bad(start, "parent", f"region {code}: parent must be six digits")
            continue
        regions.append(Region(code, zh, en, parent))
    return regions


# --------------------------------------------------------------- directories


class DirectoryData:
    """What one dataset directory (or single file) holds; the unit the cache stores."""

    __slots__ = (
        "indicators", "meta", "packed", "problems", "regions", "sections", "source_text", "targets",
    )  # fmt: skip

    def __init__(
        self,
        meta: DatasetMeta,
        sections: list[Section],
        indicators: list[Indicator],
        targets: list[Target],
        regions: list[Region],
        source_text: str | None,
        problems: list[Finding],
    ) -> None:
        self.meta = meta
        self.sections = sections
        self.indicators = indicators
        self.targets = targets
        self.regions = regions
        self.source_text = source_text
        self.problems = problems
        # `indicators` already packed by worker processes (fanpin_cli.packing), if any
        self.packed: list[bytes] | None = None


def data_files(path: Path) -> list[Path]:
    """The TOML files a dataset path consists of (the path itself when it is a file)."""
    if not path.exists():
        raise DataError("no such dataset directory or file", path=str(path))
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise DataError("not a directory or regular file", path=str(path))
    try:
        names = sorted(os.listdir(path))
    except PermissionError:
        raise DataError("permission denied", path=str(path)) from None
    files = [path / n for n in names if n.endswith(".toml")]
    if not files:
        raise DataError("no TOML data files in this directory", path=str(path))
    return files


PARALLEL_BYTES = 4_000_000  # below this, starting worker processes costs more than it saves

SectionResult = tuple[Section | None, list[Indicator], list[Finding], bytes | None]


def _section_job(job: tuple[Path, DatasetMeta, bool, frozenset[str] | None]) -> SectionResult:
    path, meta, strict, known = job
    problems = Problems(strict)
    section, indicators = load_section_file(path, meta, problems, known)
    return section, indicators, problems.found, None


def _section_job_packed(
    job: tuple[Path, DatasetMeta, bool, frozenset[str] | None],
) -> tuple[Section | None, bytes, list[Finding]]:
    """_section_job for a worker process, its indicators packed (fanpin_cli.packing).

    Pickling 100,000 NamedTuples with Decimals costs more than parsing them in parallel
    saves; marshal'd columns are several times faster, and the cache stores them as they
    are, so a cold run does not pack them again.
    """
    from fanpin_cli.packing import pack

    section, indicators, found, _ = _section_job(job)
    return section, pack(indicators), found


def _load_sections(
    files: list[Path], meta: DatasetMeta, strict: bool, known: frozenset[str] | None
) -> Iterator[SectionResult]:
    """Each section file loaded, in order; big datasets in parallel on every core.

    TOML parsing is CPU-bound and holds the GIL, so a 100,000-record dataset is parsed by
    one forked worker process per core (results come back in file order, and the first
    error in file order is the one raised).
    """
    jobs = [(f, meta, strict, known) for f in files]
    cores = os.cpu_count() or 1
    size = sum(f.stat().st_size for f in files if f.is_file())
    if cores < 2 or len(files) < 2 or size < PARALLEL_BYTES or not hasattr(os, "fork"):
        yield from map(_section_job, jobs)
        return
    from fanpin_cli.packing import unpack
    from fanpin_cli.workers import ordered_map

    processes = min(cores, len(files))
    for section, packed, found in ordered_map(_section_job_packed, jobs, processes):
        indicators = unpack(packed, trusted=True)  # packed a moment ago by our own worker
        assert indicators is not None
        yield section, indicators, found, packed


def load_directory(path: Path, *, strict: bool = True) -> DirectoryData:
    """Load one dataset directory, or a single section file, without any cache."""
    problems = Problems(strict)
    files = data_files(path)
    directory = path if path.is_dir() else path.parent
    if path.is_dir():
        meta, order = load_meta(directory, problems)
    else:
        meta, order = DatasetMeta(path=str(directory)), None
    known = frozenset(order) if order is not None else None
    sections: list[Section] = []
    targets: list[Target] = []
    regions: list[Region] = []
    section_files = [f for f in files if f.name not in SPECIAL_FILES or not path.is_dir()]
    # each file's section, indicators and packed indicators (a file holds one section)
    chunks: list[tuple[str, list[Indicator], bytes | None]] = []
    loaded = iter(_load_sections(section_files, meta, strict, known))
    for file in files:
        name = file.name
        if name == META_FILE and path.is_dir():
            continue
        if name == TARGETS_FILE:
            targets.extend(load_targets(file, problems))
        elif name == REGIONS_FILE:
            regions.extend(load_regions(file, problems))
        else:
            section, inds, found, packed = next(loaded)
            problems.extend(found)
            if section is not None:
                sections.append(section)
            chunks.append((section.key if section else "", inds, packed))
    if order is not None:  # sections in the declared order; files of one section in name order
        rank = {k: i for i, k in enumerate(order)}
        sections.sort(key=lambda s: rank.get(s.key, len(rank)))
        chunks.sort(key=lambda c: rank.get(c[0], len(rank)))
    indicators = list(chain.from_iterable(inds for _, inds, _ in chunks))
    count = len(indicators)
    indicators = unique(indicators, problems)
    blobs = [f for _, _, f in chunks]
    whole = len(indicators) == count and all(f is not None for f in blobs)
    source_text: str | None = None
    if meta.source_document:
        doc_path = directory / meta.source_document
        try:
            source_text = read_text(doc_path)
        except Refused:
            raise  # a FIFO or device as the source document is refused, not reported
        except DataError as exc:
            problems.add(
                f"source document {meta.source_document!r}: {exc.message}",
                path=str(directory / META_FILE),
                line=1,
                rule="quotes",
            )
    data = DirectoryData(meta, sections, indicators, targets, regions, source_text, problems.found)
    data.packed = [f for f in blobs if f is not None] if whole else None
    return data


def unique(indicators: Iterable[Indicator], problems: Problems) -> list[Indicator]:
    """`indicators` without repeats of (id, region, period); each repeat is a schema error."""
    indicators = list(indicators)
    keys = list(map(itemgetter(0, 7, 6), indicators))  # (id, region_code, period)
    if len(set(keys)) == len(keys):  # the usual case, checked at C speed
        return indicators
    seen: dict[tuple[str, str, str], Indicator] = {}
    out: list[Indicator] = []
    for ind in indicators:
        key = (ind[0], ind[7], ind[6])  # (id, region_code, period), as Indicator.key
        first = seen.get(key)
        if first is None:
            seen[key] = ind
            out.append(ind)
            continue
        problems.add(
            f"duplicate indicator {ind.id} for region {ind.region_code}, period "
            f"{ind.period} (first at {first.file}:{first.line})",
            path=ind.file,
            line=ind.line,
            ids=[ind.id],
        )
    return out


def merge(parts: Sequence[DirectoryData], *, strict: bool = True) -> Dataset:
    """Combine loaded directories into one Dataset; (id, region, period) stays unique.

    Each directory is already free of repeats (load_directory), so only repeats across
    directories are looked for, and only when there are several.
    """
    problems = Problems(strict)
    sections: dict[str, Section] = {}
    regions: dict[str, Region] = {}
    sources: dict[str, str] = {}
    found: list[Finding] = []
    for part in parts:
        found.extend(part.problems)
        if part.source_text is not None:
            sources[part.meta.path] = part.source_text
        for s in part.sections:
            sections.setdefault(s.key, s)
        for r in part.regions:
            regions.setdefault(r.code, r)
    if len(parts) == 1:
        indicators = parts[0].indicators
    else:
        indicators = unique((i for part in parts for i in part.indicators), problems)
    return Dataset(
        indicators=tuple(indicators),
        sections=tuple(sections.values()),
        targets=tuple(t for part in parts for t in part.targets),
        regions=tuple(regions.values()),
        metas=tuple(part.meta for part in parts),
        sources=sources,
        problems=tuple(found + problems.found),
    )


class Where(NamedTuple):
    """Only records of this region and/or period (a filter applied while loading)."""

    region_code: str | None = None
    period: str | None = None

    def keep(self, ind: Indicator) -> bool:
        return (self.region_code is None or ind.region_code == self.region_code) and (
            self.period is None or ind.period == self.period
        )


def load(
    paths: Sequence[Path] | None = None,
    *,
    strict: bool = True,
    targets: Path | None = None,
    use_cache: bool | None = None,
    where: Where | None = None,
) -> Dataset:
    """Load datasets (default: the bundled one) plus the bundled region table.

    `strict` raises DataError at the first schema error; otherwise problems are collected
    in `Dataset.problems` for `fanpin check`. `targets` replaces every dataset's own targets.
    `where` keeps only the records of one region and/or period (cheaper than loading all
    for `show` and `export` of big datasets; checks and comparisons need everything).
    """
    from fanpin_cli import cache

    bundled = bundled_data_dir()
    for given in paths or ():
        check_dataset_path(resolve_path(given))
    chosen = [d for p in paths for d in expand(resolve_path(p))] if paths else [bundled]
    parts = [
        cache.load_directory_cached(p, strict=strict, enabled=use_cache, where=where)
        for p in chosen
    ]
    extra_regions: list[Region] = []
    if bundled not in chosen and (bundled / REGIONS_FILE).exists():
        if cache.enabled() if use_cache is None else use_cache:  # no TOML parsed when warm
            nothing = Where("-", "-")  # regions only: no indicator matches
            extra_regions = cache.load_directory_cached(
                bundled, strict=strict, enabled=True, where=nothing
            ).regions
        else:
            extra_regions = load_regions(bundled / REGIONS_FILE, Problems(strict))
    if targets is not None:
        target_problems = Problems(strict)
        user_targets = load_targets(targets, target_problems)
        for part in parts:
            part.targets = []
            part.problems = [f for f in part.problems if not f.file.endswith(TARGETS_FILE)]
        parts[0].targets = user_targets
        parts[0].problems = parts[0].problems + target_problems.found
    dataset = merge(parts, strict=strict)
    if any(part.regions for part in parts):  # a dataset's own regions.toml renames nothing
        from fanpin_cli.region_conflicts import conflicts

        reference = [(f"{BUNDLED}/{REGIONS_FILE}", extra_regions)] if extra_regions else []
        own = [(str(Path(p.meta.path) / REGIONS_FILE), p.regions) for p in parts]
        found = tuple(conflicts(reference + own))
        dataset = dataset._replace(problems=dataset.problems + found)
    if extra_regions:
        known = {r.code for r in dataset.regions}
        regions = dataset.regions + tuple(r for r in extra_regions if r.code not in known)
        dataset = dataset._replace(regions=regions)
    return dataset
