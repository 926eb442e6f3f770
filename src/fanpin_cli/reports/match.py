"""Which indicator a figure of a report is: its words against each indicator's name and quotes.

A figure is matched by the words around it (its label before and its tail after, within its
clause) against an indicator's Chinese name and the words around the value in each of its
quotes, two-character pieces weighted by how rare they are among the indicators; a figure
standing in a copy of an indicator's quote (the digits aside) matches it outright. Units
must be of one dimension (户 with 万户, 人 with 名). No two figures get one id for one
period: the stronger match keeps it, the weaker tries its next indicator.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fanpin_cli.core.model import Dataset, Indicator
from fanpin_cli.reports.figures import NUMBER, Figure

# a figure matches an indicator at this score or above; below, it is a draft
THRESHOLD = 0.45
# the words of a unit dimension's synonyms also count as one unit (人 名 位 are persons)
_DIGITS = re.compile(r"[0-9０-９][0-9０-９,.．]*")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
# words too common in these reports to say which indicator a figure is
_COMMON = frozenset(
    ("全市", "全县", "全区", "全省", "今年", "共有", "实现", "完成", "开展", "其中",
     "达到", "共计", "合计", "分别", "工作", "进一步")
)  # fmt: skip


# How other reports name the bundled indicators (the words of published 工作总结 and
# 监测通报 besides Lanzhou's own): extra keys for these ids when the --like dataset has them.
ALIASES: dict[str, tuple[str, ...]] = {
    "monitoring.total_households": ("监测对象总数", "监测总数", "三类监测对象", "三类对象监测",
                                    "累计识别监测对象", "累计纳入监测对象", "累计识别纳入",
                                    "监测对象共有", "共有监测对象", "纳入监测帮扶对象"),
    "monitoring.new_households": ("新识别监测对象", "新纳入监测对象", "新增监测对象",
                                  "新增识别监测对象", "当年识别监测对象", "新识别纳入"),
    "monitoring.risk_eliminated_households": ("累计消除风险", "累计风险消除", "已消除风险",
                                              "风险消除", "稳定消除风险"),
    "monitoring.risk_elimination_rate": ("风险消除率",),
    "monitoring.measures_per_household": ("户均帮扶措施", "户均落实帮扶措施"),
    "monitoring.one_click_reports_handled": ("一键报贫", "一键申报"),
    "policy.compulsory_education_retention_rate": ("义务教育巩固率",),
    "policy.medical_insurance_enrolment_rate": ("基本医疗保险参保率", "医保参保率"),
    "policy.family_doctor_contract_rate": ("家庭医生签约率", "家庭医生签约服务率"),
    "policy.dibao_standard": ("农村低保标准", "低保保障标准"),
    "policy.extreme_poverty_support_standard": ("特困人员供养标准", "特困供养标准"),
    "policy.safety_net_households": ("兜底保障对象", "低保或特困供养", "兜底政策保障",
                                     "纳入低保特困"),
    "policy.seismic_housing_retrofits": ("农房抗震改造", "危房改造"),
    "income.microcredit_households": ("脱贫人口小额信贷", "小额信贷户"),
    "income.labour_transferred": ("脱贫劳动力务工", "务工就业脱贫劳动力", "脱贫人口务工",
                                  "转移就业脱贫劳动力", "务工规模"),
    "income.labour_income": ("劳务收入", "务工收入"),
    "income.relocated_persons_employed": ("搬迁群众就业", "搬迁群众稳定就业", "搬迁劳动力就业"),
    "income.public_welfare_posts_poor_and_marginal": ("公益性岗位安置", "公益岗位安置"),
    "income.village_employment_factories": ("就业帮扶车间", "帮扶车间", "乡村就业工厂"),
    "income.factory_jobs": ("帮扶车间吸纳就业", "车间吸纳就业"),
    "income.public_welfare_posts": ("乡村公益性岗位", "公益性岗位", "公益岗位"),
    "income.skills_training": ("脱贫人口技能培训", "技能培训"),
    "income.forest_and_grassland_rangers": ("生态护林员", "护林员"),
    "income.startup_loans_count": ("创业担保贷款",),
    "deployment.linkage_funds_invested": ("财政衔接资金", "衔接推进乡村振兴补助资金",
                                          "投入衔接资金", "衔接资金投入"),
    "deployment.agri_funds_integrated": ("涉农资金整合", "统筹整合涉农资金"),
    "cooperation.tianjin_fiscal_aid": ("财政援助资金", "东西部协作财政援助"),
    "cooperation.east_west_projects": ("东西部协作项目", "东西协作项目"),
    "cooperation.officials_seconded_tianjin": ("挂职党政干部", "选派党政干部"),
    "cooperation.professionals_seconded_tianjin": ("专业技术人才",),
    "cooperation.consumption_assistance_sales": ("消费帮扶金额", "采购销售农产品", "销售农特产品"),
    "cooperation.labour_cooperation_employment": ("劳务协作",),
    "cooperation.village_cadres_rotated": ("驻村干部", "驻村第一书记"),
}  # fmt: skip


class Profile(NamedTuple):
    """What an indicator of the `--like` dataset is recognised by."""

    id: str
    section: str
    unit: str
    name_zh: str
    keys: tuple[frozenset[str], ...]  # word pieces of its name and of each quote's clause
    contexts: tuple[tuple[str, str], ...]  # each quote's text before and after its value
    record: Indicator  # its first record: the definition carried to extracted records


class Match(NamedTuple):
    """A figure's indicator (or None), how sure (0-1), how, and the words that matched."""

    id: str | None
    score: float
    how: str  # quote, words or "" (no match)
    words: tuple[str, ...]
    unit_fits: bool = True

    def describe(self) -> str:
        if self.id is None:
            return ""
        return f"{self.how} {self.score:.2f}" + (f": {' '.join(self.words)}" if self.words else "")


NO_MATCH = Match(None, 0.0, "", ())


def mask(text: str) -> str:
    return _DIGITS.sub("#", text)


def pieces(text: str) -> set[str]:
    """The two-character pieces of the Chinese words of `text`."""
    out: set[str] = set()
    for run in _CJK.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            out.add(run)
    return out - _COMMON


def value_place(quote: str, ind: Indicator) -> int | None:
    """Where the indicator's value stands in its quote (the start of its number)."""
    from fanpin_cli.core.decimals import format_number

    if ind.value is None:
        return None
    shown = ind.written_as or format_number(ind.value)
    best = None
    for m in re.finditer(re.escape(shown), quote):
        s, e = m.start(), m.end()
        if s and (quote[s - 1].isdigit() or quote[s - 1] == "."):
            continue
        if e < len(quote) and (quote[e].isdigit() or quote[e] == "."):
            continue
        if best is None:
            best = s
        unit = ind.unit[:1]
        if quote[e : e + 1] in (unit, "大", "余", "多") or quote[e : e + 2] == ind.unit[:2]:
            return s
    return best


def profiles(dataset: Dataset) -> dict[str, Profile]:
    """The indicators of `dataset` by id, as the matcher knows them."""
    out: dict[str, Profile] = {}
    seen: dict[str, list[Indicator]] = {}
    for ind in dataset.indicators:
        seen.setdefault(ind.id, []).append(ind)
    for ind_id, records in seen.items():
        first = records[0]
        keys: list[frozenset[str]] = [frozenset(pieces(first.name_zh))]
        contexts: list[tuple[str, str]] = []
        for rec in records:
            quote = rec.source or ""
            at = value_place(quote, rec) if quote else None
            if at is None:
                if quote:
                    keys.append(frozenset(pieces(quote)))
                continue
            number = NUMBER.match(quote, at)
            end = number.end() if number else at
            lead, tail = quote[:at], quote[end:]
            contexts.append((mask(lead), mask(tail)))
            clause_lead = re.split(r"[，,；;：:。、]", lead)[-1]
            clause_tail = re.split(r"[，,；;：:。、0-9]", tail)[0]
            keys.append(frozenset(pieces(clause_lead + " " + clause_tail)))
        aliases = ALIASES.get(ind_id) or ALIASES.get(ind_id.replace("_persons", "_households"), ())
        keys += [frozenset(pieces(alias)) for alias in aliases]
        out[ind_id] = Profile(
            ind_id, first.section, first.unit, first.name_zh, tuple(keys), tuple(contexts), first
        )
    return out


class Matcher:
    """Scores figures of one text against the indicators of a dataset."""

    def __init__(self, dataset: Dataset, text: str) -> None:
        self.text = text
        self.profiles = profiles(dataset)
        df: dict[str, int] = {}
        for p in self.profiles.values():
            for piece in set().union(*p.keys):
                df[piece] = df.get(piece, 0) + 1
        n = max(len(self.profiles), 1)
        self.idf = {k: math.log(1 + n / v) for k, v in df.items()}
        self.titles = {s.key: pieces(s.title_zh) for s in dataset.sections}

    def weight(self, words: Iterable[str]) -> float:
        return sum(self.idf.get(w, math.log(1 + len(self.profiles))) for w in words)

    def candidates(self, figure: Figure, figures: Sequence[Figure]) -> list[Match]:
        """Every indicator the figure could be, best first (units of one dimension only)."""
        from fanpin_cli.core.units import comparable

        core = pieces(figure.label + " " + figure.tail)
        own = set(core)
        if len(_CJK.sub("", figure.label)) == len(figure.label) or len(figure.label) < 4:
            own |= pieces(self._previous_clause(figure))  # 落实帮扶措施…，户均近5项
        heading = pieces(" ".join(figure.headings))
        left, right = self._around(figure)
        found: list[Match] = []
        for p in self.profiles.values():
            fits = p.unit == figure.unit or comparable(p.unit, figure.unit)
            exact = self._quote_score(left, right, p)
            best, words = 0.0, frozenset[str]()
            for key in p.keys:
                if not key:
                    continue
                shared = key & own
                if not shared:
                    continue
                if _contrary(key, own):
                    continue
                recall = self.weight(shared) / self.weight(key)
                # precision over the figure's own words (the clause's others only help recall)
                mine = core if core & shared else own
                precision = self.weight(shared & mine) / max(self.weight(mine), 1e-9)
                score = 0.6 * recall + 0.4 * precision
                if score > best:
                    best, words = score, shared
            title = self.titles.get(p.section, set())
            if title and heading & title and best > 0:
                best += 0.08 * len(heading & title) / len(title)
            if exact >= 1.0:
                found.append(Match(p.id, 1.0, "quote", _words(words, figure), fits))
            elif best > 0 or exact > 0:
                score = max(best, exact * 0.9)
                how = "quote" if exact * 0.9 > best else "words"
                found.append(Match(p.id, min(score, 0.99), how, _words(words, figure), fits))
        found.sort(key=lambda m: (-m.score, m.id or ""))
        return found

    def _previous_clause(self, figure: Figure) -> str:
        """More words for a figure whose own are few: its clause from the start (金额1.73亿元
        after 小额信贷14112户), and the clause before when that is short too."""
        s = self.text.rfind(figure.sentence, 0, figure.start + len(figure.sentence))
        if s < 0 or s > figure.start:
            return ""
        before = re.split(r"[，,；;：:]", self.text[s : figure.start])
        words = before[-1]
        if len("".join(_CJK.findall(words))) < 4 and len(before) >= 2:
            words = before[-2] + " " + words
        return words

    def _around(self, figure: Figure) -> tuple[str, str]:
        """The figure's sentence before its number and after it, digits masked."""
        s = self.text.rfind(figure.sentence, 0, figure.start + len(figure.sentence))
        if s < 0 or s > figure.start:
            s = figure.start
        number = NUMBER.match(self.text, figure.start)
        end = number.end() if number else figure.start
        return mask(self.text[s : figure.start]), mask(self.text[end : s + len(figure.sentence)])

    @staticmethod
    def _quote_score(left: str, right: str, p: Profile) -> float:
        """1.0 when the figure stands in a copy of one of the indicator's quotes (digits
        aside); otherwise how much of the quote's surroundings it shares, from 0."""
        best = 0.0
        for lead, tail in p.contexts:
            if len(lead) + len(tail) < 4:
                continue
            if left.endswith(lead) and right.startswith(tail):
                return 1.0
            shared = len(_common_suffix(left, lead)) + len(_common_prefix(right, tail))
            best = max(best, shared / (len(lead) + len(tail)))
        return best if best >= 0.85 else 0.0


# words that tell two indicators of one thing apart: a figure that says one of them is not
# the indicator whose words say the other (累计识别… is not 新识别…)
_CONTRARY = (
    (frozenset({"新识", "新增", "新纳", "当年", "本年", "年内"}), frozenset({"累计"})),
    (frozenset({"消除", "解除"}), frozenset({"识别", "纳入"})),
)


# a figure whose words deny what an indicator's words say (未消除风险 is not 消除风险)
_NEGATIONS = frozenset({"未消", "尚未", "未脱", "未落", "未实", "未纳"})


_AT_WORK = frozenset({"就业", "务工"})


def _contrary(key: frozenset[str], own: set[str]) -> bool:
    if own & _NEGATIONS and not key & _NEGATIONS:
        return True
    if own & _AT_WORK and not key & _AT_WORK and "对象" in key:
        return True  # 监测对象实现就业730人 is not the number of monitored persons
    for one, other in _CONTRARY:
        if (key & one and own & other and not own & one) or (
            key & other and own & one and not own & other
        ):
            return True
    return False


def _common_suffix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n :]


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _words(shared: Iterable[str], figure: Figure) -> tuple[str, ...]:
    """The matched pieces joined back into the words of the figure's text they form."""
    text = figure.label + " " + figure.tail
    marks = [False] * len(text)
    for piece in shared:
        at = text.find(piece)
        while at >= 0:
            for k in range(at, at + len(piece)):
                marks[k] = True
            at = text.find(piece, at + 1)
    words: list[str] = []
    current = ""
    for ch, on in zip(text, marks, strict=True):
        if on:
            current += ch
        elif current:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    return tuple(dict.fromkeys(words))


def assign(
    figures: Sequence[Figure],
    choices: Sequence[list[Match]],
    periods: Sequence[str],
    *,
    allow_unit_mismatch: bool = False,
    part_of: dict[str, set[str]] | None = None,
) -> list[Match]:
    """One match a figure, no id twice for one period: strongest first, the weaker figure
    taking its next indicator (or none).

    Totals first, then the figures written under them (其中, parentheses): an indicator
    that is a part of another (`part_of`: id -> the ids it is a part or subset of) goes to
    a figure under a total matched to one of those, not to one under another total (the
    脱贫不稳定户 under 风险消除 is not the 脱贫不稳定户 under 监测对象)."""
    chosen: dict[int, Match] = {}
    taken: set[tuple[str, str]] = set()
    tops = [i for i, f in enumerate(figures) if f.parent is None]
    _greedy(tops, choices, periods, allow_unit_mismatch, chosen, taken)
    rest = [i for i, f in enumerate(figures) if f.parent is not None]
    adjusted = list(choices)
    for i in rest:
        parent = chosen.get(figures[i].parent or 0)
        parent_id = parent.id if parent is not None else None
        moved = []
        for m in choices[i]:
            wholes = (part_of or {}).get(m.id or "")
            if wholes:
                fits = parent_id in wholes
                m = m._replace(score=min(m.score + 0.2, 1.0) if fits else 0.0)
            moved.append(m)
        moved.sort(key=lambda m: (-m.score, m.id or ""))
        adjusted[i] = moved
    _greedy(rest, adjusted, periods, allow_unit_mismatch, chosen, taken)
    return [chosen.get(i, NO_MATCH) for i in range(len(figures))]


def _greedy(
    which: Sequence[int],
    choices: Sequence[list[Match]],
    periods: Sequence[str],
    allow_unit_mismatch: bool,
    chosen: dict[int, Match],
    taken: set[tuple[str, str]],
) -> None:
    pairs = [
        (m.score, i, m)
        for i in which
        for m in choices[i]
        if m.score >= THRESHOLD and (m.unit_fits or allow_unit_mismatch)
    ]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2].id or ""))
    for _, i, m in pairs:
        if i in chosen or m.id is None or (m.id, periods[i]) in taken:
            continue
        if not m.unit_fits and any(c.unit_fits and c.score >= THRESHOLD for c in choices[i]):
            continue  # a unit that fits wins over one that does not
        chosen[i] = m
        taken.add((m.id, periods[i]))


def part_of(records: Iterable[Indicator]) -> dict[str, set[str]]:
    """Each id that is a part or a subset of others, with those others' ids."""
    out: dict[str, set[str]] = {}
    for ind in records:
        for part in ind.parts:
            out.setdefault(part, set()).add(ind.id)
        if ind.subset_of:
            out.setdefault(ind.id, set()).add(ind.subset_of)
    return out
