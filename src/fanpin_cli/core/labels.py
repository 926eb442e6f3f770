"""The one place where codes, column names and messages become Chinese or English.

Analysis returns codes (`met`, `missed`, `match`, `parts.sum`, ...); views ask here for
the words. English shows a status code as itself; Chinese has a word for every code.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from fanpin_cli.core.messages import MESSAGES, TYPES

if TYPE_CHECKING:
    from typing import Protocol

    from fanpin_cli.core.model import Finding

    class Named(Protocol):  # for the type checker only: defining a Protocol costs start-up
        @property
        def name_zh(self) -> str: ...
        @property
        def name_en(self) -> str: ...


__all__ = ["MESSAGES", "TYPES"]  # the tables of messages and value types, read from here


T = TypeVar("T")


def pick(lang: str, zh: T, en: T) -> T:
    """`en` for English, `zh` otherwise: the only place fanpin tests the language."""
    return en if lang == "en" else zh


def name(record: Named, lang: str) -> str:
    """An indicator's, region's or roll-up row's name in `lang`."""
    return pick(lang, record.name_zh, record.name_en)


# Status codes of compare, progress, rollup and findings, and words of chart titles, with
# their Chinese; English shows each as itself.
TERMS_ZH = {
    "met": "达标", "missed": "未达标", "not reported": "未报告", "not comparable": "不可比",
    "reference": "参考",
    "target achieved": "已达目标", "substantial progress": "进展显著",
    "moderate progress": "进展一般", "limited progress": "进展有限", "deterioration": "退步",
    "not available": "无法计算", "match": "一致", "match (incomplete)": "一致(未报齐)",
    "differs": "不一致", "differs (incomplete)": "不一致(未报齐)", "no parent figure": "无本级数",
    "not computable": "无法重算", "sum": "加总", "ratio": "由分子分母重算",
    "error": "错误", "warning": "警告", "parts of": "构成:", "by period": "按期间",
    "value": "数值", "target": "目标", "percentage points": "个百分点",
    # benchmark: why two levels' figures are not compared
    "no figure": "无数据", "periods differ": "期间不同", "units differ": "单位不同",
    "bases differ": "口径不同", "not positive": "对比数值不为正",
    # a figure's basis, a source's grade, a declared direction (explain shows them)
    "annual": "年度", "cumulative": "累计", "point-in-time": "时点", "confirmed": "确证",
    "secondary": "转引", "derived": "推算", "up": "上升", "down": "下降",
    # what a rank's change is against (periods.previous_word), and a rank's status
    "last month": "上月", "last quarter": "上季度", "last year": "上年",
    "the same period last year": "去年同期", "ranked": "已排名", "no target": "无目标",
    # a target's level (compare shows it)
    "national": "国家", "provincial": "省级", "municipal": "市级", "county": "县级",
    # a target's kind (the 目标与比较 sheet of a workbook shows it)
    "threshold": "门槛值", "relative": "相对值", "average": "平均值",
}  # fmt: skip


def term(code: str, lang: str) -> str:
    """A status code or chart word in `lang` (English: the code itself)."""
    return pick(lang, TERMS_ZH[code], code)


# Where fanpin's progress answer departs from the Open SDG reference (progress.py), by code;
# the reasons are in docs/collections.md ("Progress towards targets").
DEPARTURES: dict[str, tuple[str, str]] = {
    "met_at_base_then_lost": (
        "基年已达目标, 其后未达",
        "target met at the base year and lost since",
    ),
    "target_equals_base": ("目标等于基年值", "target equals the base value"),
    "no_target_year": ("无目标年份", "no target year (the reference assumes 2030)"),
    "target_year_not_after_base": ("目标年份不晚于基年", "target year not after the base year"),
    "target_zero_achievement": ("目标为 0, 按 0 判定是否达标", "target 0 judged as 0, not 0.001"),
    "equals_target_from_below": (
        "等值目标自下趋近",
        "== target approached from below (the reference assumes a maximum)",
    ),
    "no_direction": (
        "无方向 (无目标且未声明方向, 或比较符无方向)",
        "no direction declared or given by the comparator (the reference assumes down)",
    ),
    "reached_not_met": (
        "达到或越过目标值但未满足比较符",
        "at or past the target value, not meeting its comparator (the reference: achieved)",
    ),
    "target_zero_past_base": (
        "目标为 0, 0.001 越过基年值",
        "target 0: the reference's 0.001 lies past the base value",
    ),
    "required_growth_zero": (
        "所需增长率约为 0, 按趋近目标的方向判定",
        "required growth rounds to 0: read towards the target, not by the sign of a 0",
    ),
    "negative_base_growth": (
        "基年值为负, 按数值变化方向判定",
        "negative base value: growth read the way the value moved",
    ),
    "base_zero_growth": (
        "基年值为 0, 按数值变化方向判定",
        "base value 0: growth read the way the value moved",
    ),
}


# Why a progress measure is missing or qualified (progress.py and compare.py write them in
# English, joined by "; ", in the JSON and CSV), in Chinese.
PROGRESS_NOTES_ZH = {
    "a value is beyond the floating-point range": "数值超出浮点数范围",
    "two values for one year": "同一年有两个数值",
    "needs two or more years from 2015 on": "需要 2015 年以来两年或以上的数据",
    "no target and no declared direction": "无目标且未声明方向",
    "base value 0: no growth rate": "基年值为 0: 无法计算增长率",
    "base and current values of opposite signs": "基年值与当前值符号相反",
    "growth beyond the floating-point range": "增长超出浮点数范围",
    "no target year": "无目标年份",
    "target year is not after the base year": "目标年份不晚于基年",
    "target 0 replaced by 0.001 for the required rate": "计算所需增长率时目标 0 按 0.001 计",
    "base, current and target must share a sign": "基年值、当前值与目标须同号",
    "observed growth beyond the floating-point range": "实际增长超出浮点数范围",
    "target met at the base year and lost since": "基年已达目标, 其后未达",
    "required growth rounds to 0": "所需增长率约为 0",
    "base value 0: growth unbounded": "基年值为 0: 增长无界",
    "base and target values of opposite signs": "基年值与目标符号相反",
    "no change from a base value equal to the target": "基年值等于目标且其后未变",
    "required growth beyond the floating-point range": "所需增长超出浮点数范围",
    "ratio beyond the floating-point range": "比值超出浮点数范围",
}
NOT_EXACT = "values not exact: "  # compare.py: the years whose figures are bounds


def progress_note(note: str, lang: str) -> str:
    """A progress note in `lang` (a note it has no Chinese for stays as written)."""
    zh = [
        "数值非确数: " + n[len(NOT_EXACT) :]
        if n.startswith(NOT_EXACT)
        else PROGRESS_NOTES_ZH.get(n, n)
        for n in note.split("; ")
    ]
    return pick(lang, "; ".join(zh), note)


def progress_status(status: str, departure: str, lang: str) -> str:
    """A progress status in `lang`, followed by its departure from the reference if any."""
    text = term(status, lang)
    if departure:
        zh, en = DEPARTURES[departure]
        text += f" [{pick(lang, zh, en)}]"
    return text


# Column headers of the human views, by column key (or by the label a view gives).
HEADERS: dict[str, tuple[str, str]] = {
    "id": ("ID", "ID"), "name": ("指标", "Indicator"), "value": ("数值", "Value"),
    "unit": ("单位", "Unit"), "period": ("期间", "Period"), "region": ("地区", "Region"),
    "key": ("键", "Key"), "number": ("序号", "No."), "title_zh": ("标题", "Title (zh)"),
    "title_en": ("英文标题", "Title (en)"), "indicator_count": ("指标数", "Indicators"),
    "rule": ("规则", "Rule"), "severity": ("级别", "Severity"),
    "indicators": ("指标", "Indicators"), "expected": ("应为", "Expected"),
    "actual": ("实际", "Actual"), "where": ("位置", "Where"), "message": ("说明", "Message"),
    "target": ("目标", "Target"), "gap": ("差距", "Gap"), "gap_percent": ("差距%", "Gap %"),
    "progress": ("进度", "Progress"), "status": ("状态", "Status"), "level": ("层级", "Level"),
    "confidence": ("可信度", "Confidence"), "basis": ("依据", "Basis"),
    "county_sum": ("县区合计", "County sum"), "county_value": ("县区汇总", "Counties"),
    "reason": ("原因", "Reason"), "rank": ("位次", "Rank"), "rank_change": ("位次变化", "Change"),
    "sentence": ("通报语句", "Sentence"), "parent_value": ("本级数", "Parent's figure"),
    "difference": ("差额", "Difference"), "reported": ("已报", "Reported"),
    "previous": ("上期", "Previous"), "current": ("本期", "Current"), "change": ("变化", "Change"),
    "change_unit": ("变化单位", "Change in"),
    "change_percent": ("变化%", "Change %"), "field": ("项目", "Field"),
    "content": ("内容", "Value"),
}  # fmt: skip


# How explain names each relation of an indicator: `superset_of` lists the ids this one is
# a superset of ("superset of", never "supersets_of").
RELATIONS: dict[str, tuple[str, str]] = {
    "parts": ("组成部分", "parts"), "part_of": ("所属总数", "part of"),
    "ratio_of": ("比率的分子与分母", "ratio of"), "used_in_ratio": ("用于比率", "used in ratio"),
    "subset_of": ("所属总体", "subset of"), "superset_of": ("其中的部分", "superset of"),
}  # fmt: skip

# The row labels of `fanpin explain` ({0}: the record's period and region, or the relation,
# target period or progress region), and the words of its progress line.
EXPLAIN: dict[str, tuple[str, str]] = {
    "id": ("编号", "id"), "section": ("分节", "section"), "name_zh": ("中文名", "name_zh"),
    "name_en": ("英文名", "name_en"), "value": ("数值 [{0}]", "value [{0}]"),
    "qualifier": ("限定 [{0}]", "qualifier [{0}]"), "source": ("引文 [{0}]", "source [{0}]"),
    "cited": ("出处 [{0}]", "cited [{0}]"), "address": ("网址 [{0}]", "address [{0}]"),
    "grade": ("可信度 [{0}]", "grade [{0}]"), "basis": ("口径 [{0}]", "basis [{0}]"),
    "written_as": ("原文写法 [{0}]", "written as [{0}]"),
    "equivalence": ("等同 [{0}]", "equivalence [{0}]"), "note": ("说明 [{0}]", "note [{0}]"),
    "relation": ("关系: {0}", "relation: {0}"), "target": ("目标 [{0}]", "target [{0}]"),
    "target_average": ("目标平均数", "target average"),
    "target_caveat": ("目标说明", "target caveat"), "target_basis": ("目标依据", "target basis"),
    "target_quote": ("目标引文", "target quote"), "progress": ("进度", "progress"),
    "progress_in": ("进度 [{0}]", "progress [{0}]"),
    "equivalent": ("1 {0} = 1 {1} (已声明, 用于关系检查)",
                   "1 {0} = 1 {1} (declared, for relations)"),
    "span": ("基年 {0} = {1}, 当前 {2} = {3}", "base {0} = {1}, current {2} = {3}"),
    "span_target": (", 目标 {0} ({1}年)", ", target {0} by {1}"),
    "observed": ("实际年均增长率 {0}", "observed CAGR {0}"),
    "required": ("所需年均增长率 {0}, 比值 {1}", "required CAGR {0}, ratio {1}"),
    "growth": ("沿期望方向({0})的增长 {1}", "growth in the desired direction ({0}) {1}"),
}  # fmt: skip


def explain_label(key: str, *args: object, lang: str) -> str:
    """A row label (or progress phrase) of `fanpin explain` in `lang`."""
    zh, en = EXPLAIN[key]
    return pick(lang, zh, en).format(*args)


def relation(key: str, lang: str) -> str:
    """An explain relation's name in `lang`."""
    zh, en = RELATIONS[key]
    return pick(lang, zh, en)


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 finding', '2 findings' (`words` for irregular plurals)."""
    return f"{n} {word if n == 1 else words or word + 's'}"


def columns_left_out(headers: list[str], lang: str) -> str:
    """The caption of a table narrowed to fit the terminal."""
    names = "、".join(headers) if lang != "en" else ", ".join(headers)
    return pick(
        lang,
        f"终端较窄, 未显示: {names} (加宽终端或用 -o csv 查看全部)",
        f"narrow terminal, not shown: {names} (widen it or use -o csv for all)",
    )


def indicator_count(n: int, lang: str) -> str:
    """'共 12 项指标' / '12 indicators', the summary line of indicator listings."""
    return pick(lang, f"共 {n} 项指标", plural(n, "indicator"))


_FIELD = r"\{(\d+)(![rk])?\}"  # compiled on the first message (re caches it), not at import


@cache
def _pieces(code: str, lang: str) -> tuple[tuple[str, int, tuple[int, ...]], ...]:
    """Each piece of `code` as (template, how many arguments it takes, which are TYPES)."""
    out = []
    for part in code.split("+"):
        zh, en = MESSAGES[part]
        fields = re.findall(_FIELD, zh + en)
        takes = max((int(n) for n, _ in fields), default=-1) + 1
        words = tuple(sorted({int(n) for n, conversion in fields if conversion == "!k"}))
        out.append((pick(lang, zh, en).replace("!k}", "}"), takes, words))
    return tuple(out)


def type_word(name: str, lang: str) -> str:
    """'an integer' / '整数': the type of a value (TOML's own names; others as Python's)."""
    zh, en = TYPES.get(name) or (name, ("an " if name[0] in "aeiou" else "a ") + name)
    return pick(lang, zh, en)


def message(code: str, args: tuple[str, ...], lang: str) -> str:
    """The message `code` (pieces joined by "+") with its arguments, in `lang`."""
    text = ""
    for template, takes, words in _pieces(code, lang):
        mine, args = list(args[:takes]), args[takes:]
        for n in words:
            mine[n] = type_word(mine[n], lang)
        text += template.format(*mine)
    return text


def say(reason: tuple[str, ...], lang: str) -> str | None:
    """A (code, *args) reason of compare or diff in `lang`; None for none."""
    return message(reason[0], reason[1:], lang) if reason else None


def finding_text(f: Finding, lang: str) -> str:
    """What a finding says, in `lang` (its English message when it has no code)."""
    return message(f.code, f.args, lang) if f.code else f.message


def more_ids(n: int, lang: str) -> str:
    """After the first ids of a long list: how many there are and how to see them all."""
    return pick(lang, f"… 共 {n} 个 (全部: -o csv)", f"… {n} in all (every one: -o csv)")


def check_summary(checks: int, passed: int, errors: int, warnings: int, lang: str) -> str:
    """The summary line of `fanpin check`."""
    return pick(
        lang,
        f"运行 {checks} 项检查: 通过 {passed}, 错误 {errors}, 警告 {warnings}",
        f"{plural(checks, 'check')} run, {passed} passed, {plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}",
    )


def compare_summary(counts: dict[str, int], lang: str, references: int = 0) -> str:
    """'6 targets: 5 met, 0 missed, 1 not reported, 0 not comparable; 2 references'.

    References (national aggregates) are never met or missed: they are counted apart.
    """
    total = sum(counts.values())
    return pick(
        lang,
        f"共 {total} 项目标: "
        + ", ".join(f"{TERMS_ZH[s]} {n}" for s, n in counts.items())
        + (f"; 另有参考 {references} 项" if references else ""),
        f"{plural(total, 'target')}: "
        + ", ".join(f"{n} {s}" for s, n in counts.items())
        + (f"; {plural(references, 'reference')}" if references else ""),
    )


# What a compare status cannot tell, by the caveat code of compare.Comparison.
CAVEATS: dict[str, tuple[str, str]] = {
    "average": (
        "按{0}计的平均数: 平均数不超过上限, 不能证明每一笔都不超过",
        "a mean per {0}: a mean within the cap does not prove that every one is",
    ),
    "aggregate": (
        "全国总量指标, 仅作参照: 不判定达标与否",
        "a national aggregate, shown for context: never met or missed",
    ),
}


def caveat_text(code: str, target_unit: str, lang: str) -> str:
    """The caveat `code` in `lang` ('' for none); an average names its divisor's unit."""
    if not code:
        return ""
    zh, en = CAVEATS[code]
    return pick(lang, zh, en).format(target_unit.rpartition("/")[2])


def rollup_summary(n: int, parent: str, region: str, differs: int, lang: str) -> str:
    """How many indicators were rolled up to `parent` and how many differ from its figure."""
    return pick(
        lang,
        f"共 {n} 项指标汇总到{region}({parent}); {differs} 项不一致",
        f"{plural(n, 'indicator')} rolled up to {region} ({parent}); "
        f"{differs} {'differs' if differs == 1 else 'differ'}",
    )


def peer_result(measure: str, text: str, unit: str, lang: str) -> str:
    """One peer result: '-6.4 个百分点' / '-6.4 pp', '占 1.07%' / '1.07%', or '-0.2项'."""
    if measure == "percentage points":
        return pick(lang, f"{text} 个百分点", f"{text} pp")
    if measure == "share":
        return pick(lang, f"占 {text}%", f"{text}%")
    return f"{text}{unit}"


def peers_against(region: str, lang: str) -> str:
    """The header of a column of `fanpin benchmark`: '与甘肃省相比' / 'vs Gansu Province'."""
    return pick(lang, f"与{region}相比", f"vs {region}")


def peers_summary(n: int, comparable: int, lang: str) -> str:
    """How many of the region's indicators another level reports, and how many compare."""
    return pick(
        lang,
        f"共 {n} 项指标有上级数据, 可比 {comparable} 项",
        f"{plural(n, 'indicator')} reported by more than one level, {comparable} comparable",
    )


# What a qualifier of a reference figure says about the true value (explain prints it).
QUALIFIER_TEXT: dict[str, tuple[str, str]] = {
    ">": ("多于 (下限, 如“超过”)", "more than (a lower bound, e.g. 超过)"),
    ">=": ("不少于 (下限)", "at least (a lower bound)"),
    "<": ("少于 (上限, 如“不到”)", "less than (an upper bound, e.g. 不到)"),
    "<=": ("不多于 (上限)", "at most (an upper bound)"),
    "≈": (
        "约 (近似值, 如“近”“约”), 不是确数",
        "about (an approximation, e.g. 近, 约): not an exact value",
    ),
}


def qualifier_text(qualifier: str, lang: str) -> str:
    """What `qualifier` means, in `lang`."""
    zh, en = QUALIFIER_TEXT[qualifier]
    return pick(lang, zh, en)
