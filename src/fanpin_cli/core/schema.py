"""The records and their fields, each declared once: type, rules, default and documentation.

Every record is a typed NamedTuple whose fields carry a `Field` in `Annotated[...]`: what
kind of value it holds, whether it is required, the pattern or choices it must match,
where its default comes from, and its column documentation in Chinese and English. The
validator (fanpin_cli.reading.load.validate), the CSV/JSON columns (rows), the data-package schema,
the SQLite tables, the cache and worker encoding (packing, cache) and the template writer
all read the fields from here; adding a field is one line below plus the code that uses it.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from typing import Annotated
else:

    class Annotated:
        """typing.Annotated as far as fanpin reads it (`__origin__`, `__metadata__`): typing's
        own costs ~1.5 ms of every command's start-up for the 70 fields below."""

        __slots__ = ("__metadata__", "__origin__")

        def __init__(self, origin: Any, metadata: tuple[Any, ...]) -> None:
            self.__origin__ = origin
            self.__metadata__ = metadata

        def __class_getitem__(cls, params: tuple[Any, ...]) -> "Annotated":
            return cls(params[0], params[1:])


Number = int | Decimal
COMPARATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==")
LEVELS: tuple[str, ...] = ("national", "provincial", "municipal", "county")
CONFIDENCE: tuple[str, ...] = ("confirmed", "secondary", "derived")
BASES: tuple[str, ...] = ("annual", "cumulative", "point-in-time")
# the desired direction of an indicator without a target (used by the progress measure)
DIRECTIONS: tuple[str, ...] = ("up", "down")
# threshold: value against `value unit`; relative: against `value` x another indicator;
# average: value / another indicator (`per`) against `value unit`; reference: a national
# aggregate shown for context, never met or missed (fanpin_cli.core.target_kind)
TARGET_KINDS: tuple[str, ...] = ("threshold", "relative", "average", "reference")
# how a published figure relates to the true value: more than, at least, less than, at most,
# or about (超过3300万人 is "> 3300", 近70% is "≈ 70"); no qualifier means exact as written
QUALIFIERS: tuple[str, ...] = (">", ">=", "<", "<=", "≈")

ID = r"[a-z][a-z0-9_]*\.[a-z0-9_]+"
SECTION_KEY = r"[a-z][a-z0-9_]*"
REGION = r"[0-9]{6}"


def _later_years() -> str:
    """`YYYY-ZZZZ` with ZZZZ after YYYY, as a pattern: at the first digit where the two
    differ, ZZZZ's is the larger (the same digits before it, a backreference)."""
    ranges = []
    for i in range(4):  # the first digit that differs
        for d in range(9):  # the start year's digit there
            same = f"(?P<y{i}{d}>[0-9]{{{i}}})" if i else ""
            again = f"(?P=y{i}{d})" if i else ""
            rest = f"[0-9]{{{3 - i}}}" if i < 3 else ""
            ranges.append(f"{same}{d}{rest}-{again}[{d + 1}-9]{rest}")
    return "|".join(ranges)


# A year 0001-9999, optionally with a quarter or a month 01-12; or a span of years whose end
# comes after its start (2021-2025; not 2023-2022).
PERIOD = r"(?!0000)(?:[0-9]{4}(?:-(?:Q[1-4]|0[1-9]|1[0-2]))?|" + _later_years() + ")"


class WholeMatch:
    """A pattern matching whole strings, compiled on first use (re's compiler is pure Python:
    compiling at import would cost every command's start-up, most of which never match)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def match(self, text: str) -> re.Match[str] | None:
        return matcher(self.pattern).match(text)


REGION_RE = WholeMatch(REGION)
PERIOD_RE = WholeMatch(PERIOD)
# messages (codes of fanpin_cli.core.labels.MESSAGES) for a value that breaks a field's rule
NOT_A_PERIOD, YEAR, SIX_DIGITS, SIX = (
    "schema.period",
    "schema.year",
    "schema.six",
    "schema.six_text",
)


class Field(NamedTuple):
    """What one record field holds and how it is read, checked, written and documented.

    kind: text, number, unit, ids (array of indicator ids), ratio ({numerator, denominator}),
    flag (boolean), integer, table (a nested record) or mapping. `read` is False for what
    the loader fills in itself (section, file, line); `export` False keeps it out of
    CSV/JSON/SQLite columns; `carry` marks a field of the indicator's definition, copied
    into county templates (the rest are one report's observations). `wrong` is the message
    (a code of labels.MESSAGES) for a value of the right type that breaks the pattern or
    choices.
    """

    kind: str
    en: str = ""
    zh: str = ""
    required: bool = False
    pattern: str = ""
    choices: tuple[str, ...] = ()
    default: str = ""  # the DatasetMeta field that supplies a missing value
    nonempty: bool = False
    read: bool = True
    export: bool = True
    carry: bool = False
    wrong: str = ""
    hint: str = ""  # the message (a code of labels.MESSAGES) for a value of the wrong type
    prompt: str = ""  # a comment line the template writes for the county to fill in
    joined: tuple[tuple[str, str, str], ...] = ()  # (column, en, zh) looked up beside it
    key: str = ""  # the TOML key, when it is not the field's name


_LOC = Field("text", read=False, export=False)
_LINE = Field("integer", read=False, export=False)


# One field a line or three: read as a table, not reflowed by the formatter.
# fmt: off
class Indicator(NamedTuple):
    """One reported number with one unit, for one region and one period."""

    id: Annotated[str, Field("text", "Stable indicator id, section.slug (ASCII).",
        "指标编号,分节.名称(ASCII)", required=True, pattern=ID, carry=True,
        wrong="schema.slug")]
    section: Annotated[str, Field("text", "Section of the report the figure comes from.",
        "数据所在的报告分节", required=True, read=False)]
    name_zh: Annotated[str, Field("text", "Indicator name in Chinese, close to the report's "
        "own words.", "指标中文名称,贴近报告原文", required=True, nonempty=True, carry=True)]
    name_en: Annotated[str, Field("text", "Indicator name in English.", "指标英文名称",
        required=True, nonempty=True, carry=True)]
    value: Annotated[Number | None, Field("number", "The figure exactly as reported, in the "
        "unit of the unit column.", "报告原样数值,单位见单位列", prompt="value =         <- "
        "fill in as: value = 123 (leave the line out if not reported)")]
    unit: Annotated[str, Field("unit", "Unit as written in the report.", "报告所写单位",
        required=True, nonempty=True, carry=True)]
    period: Annotated[str, Field("text", "Period the figure refers to: YYYY, YYYY-Qn or "
        "YYYY-MM.", "数据所属时期:YYYY、YYYY-Qn 或 YYYY-MM", required=True, pattern=PERIOD,
        default="period", wrong=NOT_A_PERIOD,
        hint="schema.period_text")]
    region_code: Annotated[str, Field("text", "GB/T 2260 administrative division code (six "
        "digits).", "GB/T 2260 行政区划代码(六位)", required=True, pattern=REGION,
        default="region_code", wrong=SIX, hint=SIX, joined=(
            ("region_name_zh", "Region name in Chinese.", "地区中文名"),
            ("region_name_en", "Region name in English.", "地区英文名")))]
    basis: Annotated[str | None, Field("text", "annual, cumulative or point-in-time, where "
        "the report says.", "口径:年度、累计或时点(报告写明时)", choices=BASES, carry=True)] = None
    source: Annotated[str | None, Field("text", "Verbatim quote from the source document "
        "that contains the figure.", "含此数值的报告原文引语")] = None
    parts: Annotated[tuple[str, ...], Field("ids", "Ids (separated by ;) whose values add up "
        "to this one.", "加总等于本指标的指标编号(以 ; 分隔)", carry=True)] = ()
    ratio: Annotated[tuple[str, str] | None, Field("ratio", "Id of the {part} this rate is "
        "derived from.", "本比率的{part}指标编号", carry=True)] = None
    subset_of: Annotated[str | None, Field("text", "Id of an indicator this one cannot "
        "exceed.", "本指标不得超过的指标编号", carry=True)] = None
    written_as: Annotated[str | None, Field("text", "How the report wrote the value when not "
        "in Arabic digits (五 for 5); the quote check accepts it.",
        "数值在报告中的原写法(非阿拉伯数字时,如 五)")] = None
    equivalent_unit: Annotated[str | None, Field("unit", "A unit this record's unit counts as "
        "one-for-one in relations (717人 as 717个: one person per post), declared, not "
        "reported.", "关系检查中按一比一计作的单位(如 人 计作 个),系声明而非报告原文",
        carry=True)] = None
    note: Annotated[str | None, Field("text", "Remarks.", "备注")] = None
    additive: Annotated[bool | None, Field("flag", "Whether values add up over regions.",
        "数值可否跨地区加总", export=False, carry=True)] = None
    direction: Annotated[str | None, Field("text", "The desired direction of an indicator "
        "without a target: up or down.", "无目标指标的期望方向:up 或 down", choices=DIRECTIONS,
        export=False, carry=True)] = None
    # reference figures (fanpin_cli.reading.references): exported only where such records are
    qualifier: Annotated[str | None, Field("text", "A bound or an approximation: >, >=, <, "
        "<= or ≈ (超过, 近).", "数值限定:>、>=、<、<= 或 ≈(超过、近)", choices=QUALIFIERS,
        export=False)] = None
    citation: Annotated[str | None, Field("text", "Id of the page (citations.toml) a "
        "reference figure was read on.", "参考数据出处编号(见 citations.toml)",
        export=False)] = None
    city_only: Annotated[bool | None, Field("flag", "Reported by the city only (its own "
        "leaders, meetings, assessment issues): county templates leave it out.",
        "仅由市级填报(市级领导、会议、考核问题等),县区模板不含", export=False,
        carry=True)] = None
    file: Annotated[str, _LOC] = ""
    line: Annotated[int, _LINE] = 0
    # fmt: on

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.id, self.region_code, self.period)


KEY = ("id", "region_code", "period")  # what makes an indicator record unique
KEY_POSITIONS = tuple(Indicator._fields.index(name) for name in KEY)  # their places in a record
NAME_COLUMNS = ("name_zh", "name_en")  # a record's (indicator's, region's) names, as columns


def names(record: Any) -> dict[str, str]:
    """A record's names by column (NAME_COLUMNS): its Chinese and its English name."""
    return dict(zip(NAME_COLUMNS, (record.name_zh, record.name_en), strict=True))


class Section(NamedTuple):
    """A section of a report: its key, numbering and titles."""

    key: Annotated[str, Field("text", required=True, pattern=SECTION_KEY)]
    title_zh: Annotated[str, Field("text", required=True)]
    title_en: Annotated[str, Field("text", required=True)]
    number: Annotated[str, Field("text")] = ""
    file: Annotated[str, _LOC] = ""
    line: Annotated[int, _LINE] = 0


class TargetBasis(NamedTuple):
    """Where a target comes from: the policy document and the requirement it quotes."""

    title: Annotated[str, Field("text", required=True, nonempty=True)]
    issuer: Annotated[str, Field("text", required=True, nonempty=True)]
    year: Annotated[str, Field("text", required=True, nonempty=True)]
    quote: Annotated[str, Field("text", required=True, nonempty=True)]
    confidence: Annotated[str, Field("text", required=True, nonempty=True, choices=CONFIDENCE)]
    url: Annotated[str | None, Field("text")] = None
    note: Annotated[str | None, Field("text")] = None


class Target(NamedTuple):
    """A policy target for one indicator, optionally relative to another indicator."""

    # fmt: off
    indicator_id: Annotated[str, Field("text", required=True, key="indicator")]
    comparator: Annotated[str, Field("text", required=True, choices=COMPARATORS,
        wrong="schema.comparator")]
    value: Annotated[Number, Field("number", required=True)]
    # a registered unit; × for a relative target, a unit per unit (万元/户) for an average:
    # fanpin_cli.core.target_kind checks it against the kind
    unit: Annotated[str, Field("text", required=True, hint="schema.string")]
    level: Annotated[str, Field("text", required=True, choices=LEVELS,
        wrong="schema.one_of")]
    basis: Annotated[TargetBasis, Field("table", required=True)]
    # the target is `value` times this indicator's value
    relative_to: Annotated[str | None, Field("text", hint="schema.id")] = None
    target_year: Annotated[str | None, Field("text", pattern=PERIOD, wrong=YEAR, hint=YEAR)] = None
    region_code: Annotated[str | None, Field("text", pattern=REGION, wrong=SIX_DIGITS,
        hint=SIX_DIGITS)] = None
    # left out: implied by relative_to (relative), per (average) or neither (threshold)
    kind: Annotated[str, Field("text", choices=TARGET_KINDS,
        wrong="schema.one_of")] = "threshold"
    # an average: the indicator the value is divided by (万元 per 户)
    per: Annotated[str | None, Field("text", hint="schema.id")] = None
    # the first year the rule covers: records of earlier periods are not compared with it
    valid_from: Annotated[str | None, Field("text", pattern=r"(?!0000)[0-9]{4}", wrong=YEAR,
        hint=YEAR)] = None
    # fmt: on
    file: Annotated[str, _LOC] = ""
    line: Annotated[int, _LINE] = 0


class Citation(NamedTuple):
    """The page a reference figure was read on: title, outlet, date, address and grade."""

    id: Annotated[str, Field("text", required=True, nonempty=True)]
    title: Annotated[str, Field("text", required=True, nonempty=True)]
    outlet: Annotated[str, Field("text", required=True, nonempty=True)]
    date: Annotated[str, Field("text", required=True, nonempty=True)]
    url: Annotated[str, Field("text", required=True, nonempty=True)]
    grade: Annotated[str, Field("text", required=True, nonempty=True, choices=CONFIDENCE)]
    note: Annotated[str | None, Field("text")] = None
    file: Annotated[str, _LOC] = ""
    line: Annotated[int, _LINE] = 0


class Region(NamedTuple):
    """A GB/T 2260 administrative division."""

    code: Annotated[str, Field("text", required=True, pattern=REGION)]
    name_zh: Annotated[str, Field("text", required=True)]
    name_en: Annotated[str, Field("text", required=True)]
    parent: Annotated[str | None, Field("text", pattern=REGION)] = None


class DatasetMeta(NamedTuple):
    """What a dataset directory says about itself in dataset.toml."""

    title_zh: Annotated[str, Field("text")] = ""
    title_en: Annotated[str, Field("text")] = ""
    publisher_zh: Annotated[str, Field("text")] = ""
    publisher_en: Annotated[str, Field("text")] = ""
    published: Annotated[str, Field("text")] = ""
    region_code: Annotated[str | None, Field("text", pattern=REGION, wrong=SIX_DIGITS)] = None
    period: Annotated[str | None, Field("text", pattern=PERIOD, wrong=NOT_A_PERIOD)] = None
    source_document: Annotated[str | None, Field("text", export=False)] = None
    synthetic: Annotated[bool, Field("flag")] = False
    notes: Annotated[str, Field("text", export=False)] = ""
    path: Annotated[str, Field("text", read=False)] = ""  # the dataset directory
    extra: Annotated[Mapping[str, str], Field("mapping", read=False, export=False)] = (
        MappingProxyType({})
    )


_FIELDS: dict[type[Any], tuple[tuple[str, Field], ...]] = {}


def fields(record: type[Any]) -> tuple[tuple[str, Field], ...]:
    """A record type's fields in order, each with its declaration."""
    found = _FIELDS.get(record)
    if found is None:
        hints = record.__annotations__
        found = tuple((name, hints[name].__metadata__[0]) for name in record._fields)
        _FIELDS[record] = found
    return found


def basis_field() -> str:
    """The indicator field that says how its figures combine over periods (one of BASES)."""
    return next(name for name, f in fields(Indicator) if f.choices == BASES)


def keys(record: type[Any]) -> frozenset[str]:
    """The keys a TOML table of this record may hold."""
    return frozenset(f.key or name for name, f in fields(record) if f.read)


@cache
def matcher(pattern: str) -> re.Pattern[str]:
    """A declared pattern, compiled to match whole strings."""
    return re.compile(f"(?:{pattern})" + r"\Z")


def columns(record: type[Any]) -> tuple[tuple[str, str, str, str], ...]:
    """The exported columns of a record type: (name, table-schema type, en, zh) in order.

    A ratio is two columns (`<name>_numerator`, `<name>_denominator`); a field with
    `joined` columns (region names beside region_code) is followed by them.
    """
    out: list[tuple[str, str, str, str]] = []
    for name, f in fields(record):
        if not f.export:
            continue
        if f.kind == "ratio":
            parts = {"numerator": "分子", "denominator": "分母"}
            out += [(f"{name}_{en}", "string", f.en.format(part=en), f.zh.format(part=zh))
                    for en, zh in parts.items()]  # fmt: skip
        else:
            out.append((name, "number" if f.kind == "number" else "string", f.en, f.zh))
        out.extend((c, "string", en, zh) for c, en, zh in f.joined)
    return tuple(out)
