"""Figures in Chinese report text, exactly as written: value, unit, qualifier and place.

A pure function of the text (no I/O, no CLI): `recognise(text)` finds every number of a
report (Arabic digits with their written precision, thousands separators, full-width
digits, Chinese numerals), the unit written after it (万/亿 kept as written: `3.18万人` is
3.18 in 万人), a qualifier (`余` `多` `超` -> `>`, `以上` `不低于` -> `>=`, `近` `约` -> `≈`),
and where it stands: line, column, the whole sentence, the heading above it, the words
that name it, the figures it is written together with (`1294户4538人`) and the total it
is a breakdown of (`其中…`). Numbers that are not figures (years, dates, ranges, ordinals,
document numbers, names with digits, list numbers) are kept apart, each with the named
rule that set it aside (RULES), so that `fanpin extract --explain` can show them.

It never raises on any text (tests/reports/test_report_figures.py, with Hypothesis).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from fanpin_cli.core.numerals import chinese_number
from fanpin_cli.reports.layout import Layout, is_heading_number, one_of
from fanpin_cli.reports.records import Excluded, Figure, Recognised
from fanpin_cli.reports.relations import relate

__all__ = ["RULES", "Excluded", "Figure", "Recognised", "recognise"]

# Why a number is not a figure: the rule names (their words in Chinese and English are
# messages "figure_rule.NAME" of fanpin_cli.core.messages, shown by `fanpin extract --explain`).
RULES: tuple[str, ...] = (
    "year", "date", "duration", "age", "range", "ordinal", "document_number", "name", "title",
    "heading", "no_unit", "article", "idiom", "long_number",
)  # fmt: skip


# ------------------------------------------------------------------ vocabulary


_KINDS_OF = ("对象", "监测", "人群", "群体", "户", "重点")  # 三类对象: a name, not a count


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# The measure words of these reports beside the unit registry's units and a dataset's own.
MEASURE_WORDS = _split(
    "户 人 人次 户次 名 位 个 家 项 件 次 期 场 场次 批 批次 笔 篇 "
    "条 处 所 座 亩 万亩 公里 千米 米 平方米 平方公里 立方米 吨 公斤 "
    "千克 斤 元 角 % ％ 个百分点 百分点 方面 类 种 套 台 头 只 株 "
    "棵 辆 间 栋 幢 支 队 组 份 本 张 部 口 眼 宗 起 例 倍 轮 届 "
    "门 节 课时 学时 千瓦 千瓦时 床 元/人 元/亩 元/年 元/户 "
    "元/人·年 万元/户 块 箱 车 成 省 市 县 乡 镇 村 县区 市州 "
)
# units of time and age: the numbers before them are dates, durations or ages, not figures
TIME_UNITS = {"年": "year", "年度": "year", "月": "date", "月份": "date", "日": "date",
              "号": "date", "天": "duration", "个月": "duration", "周": "duration",
              "小时": "duration", "分钟": "duration", "周岁": "age", "岁": "age"}  # fmt: skip
SCALES = ("万亿", "千万", "百万", "万", "亿")
PERCENT_POINTS = "个百分点"

# qualifiers written before a number, longest first where one is the end of another
BEFORE: dict[str, str] = {
    "不低于": ">=", "不少于": ">=", "至少": ">=", "达到": ">=", "超过": ">", "超出": ">",
    "多于": ">", "高于": ">", "突破": ">", "逾": ">", "超": ">", "不超过": "<=",
    "不高于": "<=", "不多于": "<=", "不足": "<", "不到": "<", "少于": "<", "低于": "<",
    "将近": "≈", "接近": "≈", "大约": "≈", "约": "≈", "近": "≈",
}  # fmt: skip
# words that make 约 or 近 part of another word (节约, 签约; 就近, 最近, 附近)
NOT_QUALIFIER_BEFORE = {"约": set("节制签合契公预履违和婚特"), "近": set("就最附邻靠亲贴")}
# qualifiers written after a number's unit, and inside it (300余人, 1万多人)
AFTER: dict[str, str] = {"以上": ">=", "左右": "≈", "以下": "<=", "以内": "<="}
INSIDE: dict[str, str] = {"余": ">", "多": ">"}
# comparators that set a requirement only where the clause says it is one
TARGET_WORDS = re.compile(r"要求|确保|力争|目标|原则上|必须|务必|不低于|不少于|不超过|至少|标准为")
# qualifiers that count as a comparator of a requirement
TARGET_QUALIFIERS = {">=", ">", "<=", "<"}
# set phrases whose numerals are not counts
IDIOMS = ("千家万户", "千方百计", "万无一失", "一心一意", "三令五申", "五湖四海", "七上八下",
          "万众一心", "一年四季", "十全十美", "三番五次", "千辛万苦", "万水千山", "百花齐放",
          "一五一十", "四面八方", "千差万别", "一家一户", "三五成群", "九九")  # fmt: skip

CN_DIGITS = "零〇一二两三四五六七八九"
CN_ALL = CN_DIGITS + "十百千万亿"
FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "《": "》", "〈": "〉"}

NUMBER = re.compile(
    r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"  # Arabic: 1,294 22680.30 ３．５
    r"|[零〇一二两三四五六七八九十百千万亿]+"  # Chinese numerals
)
DOCUMENT_NUMBER = re.compile(
    r"[〔﹝\[【（(]\s*(?:19|20)[0-9]{2}\s*[〕﹞\]】）)]\s*第?\s*[0-9]+\s*号"
)
DATE_SHAPES = re.compile(
    r"(?:19|20)[0-9]{2}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?"  # 2023-12-15, 2023年12月15日
    r"|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"  # 20:18:23
)
RANGE_LINK = "-－—–~～至到"


def _unit_words(extra: Iterable[str]) -> tuple[str, ...]:
    from fanpin_cli.core.units import UNITS

    words = {*MEASURE_WORDS, *UNITS, *TIME_UNITS, *(u for u in extra if u and len(u) <= 8)}
    # a unit is what follows the number (and its 万/亿): 万户 is 万 + 户
    bare = {w[1:] if one_of(w[:1], "万亿") and len(w) > 1 else w for w in words}
    return tuple(sorted(bare, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=8)
def _unit_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in _unit_words(extra) if w)
    return re.compile(
        r"[ \u3000]?(?P<inside1>余|多)?(?P<scale>万亿|千万|百万|万|亿)?(?P<inside2>余|多)?"
        rf"(?P<unit>{alternatives})?"
    )


# ------------------------------------------------------------------ recognising


def recognise(text: str, units: Sequence[str] = ()) -> Recognised:
    """Every figure of `text` and every number set aside, in the order they are written.

    `units`: units beyond the registry and the usual measure words (a dataset's own).
    """
    layout = Layout(text)
    pattern = _unit_pattern(tuple(sorted(set(units))))
    figures: list[Figure] = []
    excluded: list[Excluded] = []
    protected = _protected_spans(text)
    pos = 0
    while True:
        m = NUMBER.search(text, pos)
        if m is None:
            break
        pos = m.end()
        got = _one(text, m, layout, pattern, protected)
        if got is None:
            continue
        if isinstance(got, Excluded):
            excluded.append(got)
            continue
        figure, end = got
        pos = max(pos, end)
        figures.append(figure)
    return Recognised(tuple(relate(text, layout, figures)), tuple(excluded))


def _protected_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans whose numbers are set aside whole: document numbers, dates, idioms."""
    spans = [(m.start(), m.end(), "document_number") for m in DOCUMENT_NUMBER.finditer(text)]
    spans += [(m.start(), m.end(), "date") for m in DATE_SHAPES.finditer(text)]
    for idiom in IDIOMS:
        at = text.find(idiom)
        while at >= 0:
            spans.append((at, at + len(idiom), "idiom"))
            at = text.find(idiom, at + 1)
    return sorted(spans)


def _one(
    text: str,
    m: re.Match[str],
    layout: Layout,
    pattern: re.Pattern[str],
    protected: list[tuple[int, int, str]],
) -> tuple[Figure, int] | Excluded | None:
    """The figure that starts at number `m`, the rule that sets it aside, or None when the
    characters are not a number at all (一 in 进一步, 万 in 万元 after its digits)."""
    start, raw = m.start(), m.group()
    chinese = raw[0] in CN_ALL
    if chinese:
        return _chinese(text, m, layout, pattern, protected)
    line, column = layout.place(start)

    def excluded(rule: str) -> Excluded:
        s, e = layout.sentence(start)
        return Excluded(rule, raw, line, column, text[s:e])

    shielded = _protected_rule(protected, start)
    if shielded is not None:
        return excluded(shielded)
    digits = raw.translate(FULLWIDTH).replace(",", "")
    if len(digits.replace(".", "")) > 15:
        return excluded("long_number")
    before = text[max(0, start - 12) : start]
    after = text[m.end() : m.end() + 12]
    mark = layout.quote_at(start)
    if mark is not None:
        return excluded("title" if mark in "《〈" else "name")
    if is_heading_number(text, start, m.end(), layout):
        return excluded("heading")
    if (before[-1:].isascii() and before[-1:].isalpha()) or (
        after[:1].isascii() and after[:1].isalpha()
    ):
        return excluded("name")  # 5G, G109, COVID-19
    if one_of(after[:1], "+＋") or one_of(before[-1:], "+＋"):
        return excluded("name")  # 4+4, 1+N
    if before.rstrip(" \u3000")[-1:] == "第":
        return excluded("ordinal")
    um = pattern.match(text, m.end())
    unit = um.group("unit") if um else None
    scale = um.group("scale") if um else None
    if _in_range(text, start, m.end(), unit):
        if _year_range(text, start, m.end()):
            return excluded("year")
        kind = TIME_UNITS.get(unit or "", "range")
        return excluded("range" if kind in ("duration",) else kind)
    if unit in TIME_UNITS:
        kind = TIME_UNITS[unit or ""]
        if kind == "date" and unit == "号" and not re.search(r"月\s*$", before):
            return excluded("document_number")
        if kind == "year" and not (len(digits) == 4 and digits[:2] in ("19", "20")):
            kind = "duration"
        return excluded(kind)
    if unit in ("名", "位") and before.rstrip(" \u3000")[-1:] == "前":
        return excluded("ordinal")
    if um is not None and unit is None and scale is None:
        if after[:1] == "大" and _cjk(after[1:2]):
            return _figure(text, m, layout, digits, "个", m.end() + 1, "大", um)
        if after[:3] == "等奖":
            return excluded("ordinal")
        shared = _shared_unit(text, m.end(), pattern)
        if shared:  # 6.4和1.1个百分点: the unit written once, after the last
            return _figure(text, m, layout, digits, _normal_unit(shared), m.end(), "", None)
        return excluded("no_unit")
    assert um is not None
    written_unit = (scale or "") + (unit or "")
    return _figure(text, m, layout, digits, _normal_unit(written_unit), um.end(), "", um)


def _chinese(
    text: str,
    m: re.Match[str],
    layout: Layout,
    pattern: re.Pattern[str],
    protected: list[tuple[int, int, str]],
) -> tuple[Figure, int] | Excluded | None:
    """A figure written in Chinese numerals: 五大专班, 十二个, 两批, 三万人."""
    start, raw = m.start(), m.group()
    for s, e, rule in protected:
        if s <= start < e and rule == "idiom":
            s_start, s_end = layout.sentence(start)
            return Excluded(rule, raw, *layout.place(start), text[s_start:s_end])
        if s > start:
            break
    numeral, scale = raw, ""
    if len(raw) > 1 and raw[-1] in "万亿" and chinese_number(raw[:-1]) is not None:
        numeral, scale = raw[:-1], raw[-1]
    value = chinese_number(numeral)
    if value is None or not any(c in CN_DIGITS + "十" for c in numeral):
        return None  # 千 of 千方百计 alone, 五五, …: not a numeral
    end = start + len(numeral)
    after = text[end : end + 4]
    um = pattern.match(text, end)
    unit = um.group("unit") if um else None
    big = after[:1] == "大" and _cjk(after[1:2]) and numeral not in ("一",)
    if unit is None and not big:
        return None  # 一 of 统一, 三 of 三保障: not a figure, and not a number worth a rule
    line, column = layout.place(start)

    def excluded(rule: str) -> Excluded:
        s, e = layout.sentence(start)
        return Excluded(rule, raw, line, column, text[s:e])

    shielded = _protected_rule(protected, start)
    if shielded is not None:
        return excluded(shielded)
    before = text[max(0, start - 8) : start]
    mark = layout.quote_at(start)
    if mark is not None:
        return excluded("title" if mark in "《〈" else "name")
    if before[-1:] == "第":
        return excluded("ordinal")
    if unit in TIME_UNITS:
        return excluded("duration" if TIME_UNITS[unit or ""] == "year" else TIME_UNITS[unit or ""])
    if um is not None and unit is not None:
        unit_end = um.end()
        # 一户一策, 一村一品, 两不愁: numeral, word, numeral again
        if one_of(text[unit_end : unit_end + 1], CN_DIGITS) and one_of(numeral, "一二两三四五"):
            return excluded("name")
        if text[unit_end : unit_end + 1] == "不":
            return excluded("name")  # 四个不摘
    if unit in ("名", "位") and before[-1:] == "前":
        return excluded("ordinal")
    if after[:2] == "等奖" or (unit is None and after[:3] == "等奖"):
        return excluded("ordinal")
    if unit == "期":
        return excluded("ordinal")  # 二期工程: the second phase, not two courses
    if unit == "类" and um is not None and text[um.end() : um.end() + 2] in _KINDS_OF:
        return excluded("name")  # 三类对象: the three kinds of monitored households
    if numeral == "一":
        return excluded("article")
    if big:
        return _figure(text, m, layout, str(value), "个", end + 1, "大", um, written=numeral)
    assert um is not None
    written_unit = scale + (um.group("scale") or "") + (unit or "")
    return _figure(text, m, layout, str(value), written_unit, um.end(), "", um, written=numeral)


def _figure(
    text: str,
    m: re.Match[str],
    layout: Layout,
    digits: str,
    unit: str,
    end: int,
    extra: str,
    um: re.Match[str] | None,
    written: str | None = None,
) -> tuple[Figure, int] | None:
    start = m.start()
    try:
        value: int | Decimal = Decimal(digits) if "." in digits else int(digits)
    except (ValueError, InvalidOperation):
        return None
    qualifier = None
    inside = um.group("inside1") or um.group("inside2") if um is not None else None
    if inside:
        qualifier = INSIDE[inside]
    for word, q in AFTER.items():
        if text.startswith(word, end):
            qualifier, end = q, end + len(word)
            break
    if qualifier is None:
        qualifier = _before(text, start)
    c_start, c_end = layout.clause(start)
    clause = text[c_start:c_end]
    said_before = text[c_start:start]
    target = qualifier in TARGET_QUALIFIERS and bool(TARGET_WORDS.search(clause))
    if qualifier == ">=" and said_before.endswith("达到") and not target:
        qualifier = None  # 累计达到1294户: a result, not a bound
    as_written = written if written is not None else m.group()
    plain = as_written.isascii() and "," not in as_written
    s, e = layout.sentence(start)
    line, column = layout.place(start)
    figure = Figure(
        value=value,
        unit=unit,
        written=text[start:end],
        written_as=None if plain else as_written,
        qualifier=qualifier,
        target=target,
        line=line,
        column=column,
        start=start,
        end=end,
        sentence=text[s:e],
        headings=layout.headings_at(start),
        label="",
        tail="",
        group=0,
        parent=None,
        period=layout.period_at(start),
    )
    return figure, end


def _before(text: str, start: int) -> str | None:
    """The qualifier written just before a number (超过, 近, 不低于), if any."""
    for word, q in BEFORE.items():
        at = start - len(word)
        if at >= 0 and text.startswith(word, at):
            blocked = NOT_QUALIFIER_BEFORE.get(word)
            if blocked and at > 0 and text[at - 1] in blocked:
                return None
            return q
    return None


def _normal_unit(unit: str) -> str:
    """Units as written, with the full-width percent sign written as %."""
    return unit.replace("％", "%") if unit else unit


SHARED_UNIT = re.compile(r"\s?[和与及、或]\s?(?=[0-9０-９])")


def _shared_unit(text: str, end: int, pattern: re.Pattern[str]) -> str | None:
    """The unit of `A和B unit` for A (B's unit, scale included), or None."""
    link = SHARED_UNIT.match(text, end)
    if link is None:
        return None
    nxt = NUMBER.match(text, link.end())
    if nxt is None or nxt.group()[0] in CN_ALL:
        return None
    um = pattern.match(text, nxt.end())
    unit = um.group("unit") if um else None
    if not unit or unit in TIME_UNITS:
        return None
    return (um.group("scale") or "") + unit if um else None


def _cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


YEAR_RANGE = re.compile(r"(?:19|20)[0-9]{2}\s*[-－—–~～至到]\s*(?:19|20)[0-9]{2}(?![0-9])")


def _year_range(text: str, start: int, end: int) -> bool:
    """2022-2023 (年度): a range of years, either end."""
    if end - start != 4:
        return False
    if YEAR_RANGE.match(text, start):
        return True
    left = max(0, start - 8)
    return any(m.end() == end for m in YEAR_RANGE.finditer(text, left, end))


def _in_range(text: str, start: int, end: int, unit: str | None) -> bool:
    """Whether the number is one end of a range: 3-5人, 2023-2025年, 10月至12月, 16至59周岁."""
    after = text[end : end + 6]
    unit_len = len(unit) if unit and unit in TIME_UNITS else 0
    rest = after[unit_len:].lstrip(" ")
    if one_of(rest[:1], RANGE_LINK) and (
        rest[1:2].isdigit() or one_of(rest[1:2], "０１２３４５６７８９")
    ):
        return True
    before = text[max(0, start - 6) : start].rstrip(" ")
    if one_of(before[-1:], RANGE_LINK):
        prior = before[:-1].rstrip(" ")
        if prior[-1:] in TIME_UNITS or one_of(prior[-1:], "%％"):
            prior = prior[:-1]
        return prior[-1:].isdigit()
    return False


def _protected_rule(protected: list[tuple[int, int, str]], start: int) -> str | None:
    """The rule of the protected span (a date, a document number, a name) `start` is in."""
    for s, e, rule in protected:  # in order of their starts
        if s <= start < e:
            return rule
        if s > start:
            break
    return None
