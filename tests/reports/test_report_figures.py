"""The figure recogniser (fanpin_cli.reports.figures): one test per shape and per exclusion rule.

Every text here is SYNTHETIC: written for these tests, its numbers made up.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanpin_cli.core.labels import message
from fanpin_cli.reports.figures import RULES, Figure, recognise


def figures(text: str) -> list[Figure]:
    return list(recognise(text).figures)


def one(text: str) -> Figure:
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


def rules(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.rule) for e in recognise(text).excluded]


# ------------------------------------------------------------------ numbers as written


def test_written_precision_is_kept() -> None:
    f = one("全县共有兜底保障对象3.1800万人。")
    assert (f.value, f.unit, f.written) == (Decimal("3.1800"), "万人", "3.1800万人")
    assert str(f.value) == "3.1800"


def test_thousands_separators_and_full_width_digits() -> None:
    f = one("累计识别监测对象1,294户。")
    assert (f.value, f.unit, f.written_as) == (1294, "户", "1,294")
    g = one("新识别监测对象１２０户。")
    assert (g.value, g.unit, g.written_as) == (120, "户", "１２０")
    h = one("风险消除率６５．６％。")
    assert (h.value, h.unit) == (Decimal("65.6"), "%")


def test_chinese_numerals_record_how_they_were_written() -> None:
    found = figures("成立五大专班、十二个专责组，分两批推进。")
    assert [(f.value, f.unit, f.written_as) for f in found] == [
        (5, "个", "五"),
        (12, "个", "十二"),
        (2, "批", "两"),
    ]


def test_scaled_units_are_kept_as_written() -> None:
    found = figures("实现务工收入4.49亿元，带动3.18万人。")
    assert [(f.value, f.unit) for f in found] == [
        (Decimal("4.49"), "亿元"),
        (Decimal("3.18"), "万人"),
    ]


def test_percentage_points_are_not_percent() -> None:
    f = one("风险消除率较上年提高3.2个百分点。")
    assert (f.value, f.unit) == (Decimal("3.2"), "个百分点")


def test_dataset_units_are_recognised() -> None:
    assert figures("新建高标准农田8.5万亩。")[0].unit == "万亩"
    f = recognise("完成改造12套房", units=["套房"]).figures[0]
    assert f.unit == "套房"


# ------------------------------------------------------------------ qualifiers


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("落实帮扶措施36万余条。", 36, "万条", ">"),
        ("培训300多人。", 300, "人", ">"),
        ("务工收入超8亿元。", 8, "亿元", ">"),
        ("培训脱贫劳动力1000人以上。", 1000, "人", ">="),
        ("户均近5项。", 5, "项", "≈"),
        ("惠及群众约2万人。", 2, "万人", "≈"),
        ("村集体经济收入不足5万元。", 5, "万元", "<"),
    ],
)
def test_qualifiers(text: str, value: int, unit: str, qualifier: str) -> None:
    f = one(text)
    assert (f.value, f.unit, f.qualifier, f.target) == (value, unit, qualifier, False)


def test_comparators_of_a_requirement_are_targets() -> None:
    f = one("确保衔接资金用于产业发展的比重不低于60%。")
    assert (f.value, f.unit, f.qualifier, f.target) == (60, "%", ">=", True)
    g = one("严格落实衔接资金60%以上用于产业发展的要求。")
    assert (g.qualifier, g.target) == (">=", True)


def test_reaching_a_figure_is_a_result_not_a_bound() -> None:
    f = one("累计达到1294户。")
    assert (f.qualifier, f.target) == (None, False)


def test_words_that_only_look_like_qualifiers() -> None:
    assert one("节约资金30万元。").qualifier is None  # 节约 is saving, not 约
    assert one("就近就业200人。").qualifier is None


# ------------------------------------------------------------------ compounds and breakdowns


def test_a_compound_is_two_figures_of_one_group() -> None:
    found = figures("新识别监测对象259户1010人。")
    assert [(f.value, f.unit) for f in found] == [(259, "户"), (1010, "人")]
    assert found[0].group == found[1].group
    assert found[1].label == "新识别监测对象"


def test_breakdown_under_its_total() -> None:
    text = "累计识别监测对象1294户4538人，其中脱贫不稳定户421户1438人、边缘易致贫户671户2285人。"
    found = figures(text)
    parents = [
        (f.written, found[f.parent].written if f.parent is not None else None) for f in found
    ]
    assert parents == [
        ("1294户", None),
        ("4538人", None),
        ("421户", "1294户"),
        ("1438人", "4538人"),
        ("671户", "1294户"),
        ("2285人", "4538人"),
    ]


def test_parenthesised_breakdown() -> None:
    found = figures("务工就业2.35万人（省外务工0.85万人、县内务工1.50万人）。")
    assert [f.parent for f in found] == [None, 0, 0]


def test_respectively_names_each_figure() -> None:
    found = figures("农村低保和特困人员标准分别提高到5580元、7260元。")
    assert [f.label.split(" ")[0] for f in found] == ["农村低保", "特困人员标准"]


# ------------------------------------------------------------------ not figures


@pytest.mark.parametrize(
    ("text", "number", "rule"),
    [
        ("2023年全市各级投入资金", "2023", "year"),
        ("组织开展2022-2023年度评选", "2022", "year"),
        ("于1月6日召开会议", "6", "date"),
        ("2021年10月至12月开展排查", "12", "date"),
        ("发布时间:2023-12-15 20:18:23", "20", "date"),
        ("培训3-5人一组", "3", "range"),
        ("开展第59期培训", "59", "ordinal"),
        ("排名全省第2位", "2", "ordinal"),
        ("进入全市前5名", "5", "ordinal"),
        ("按照某政发﹝2021﹞1号文件", "1", "document_number"),
        ("推行“4+4”工作体系", "4", "name"),
        ("持续落实“5155”乡村建设示范行动", "5155", "name"),
        ("推行4+N模式", "4", "name"),
        ("建成5G基站", "5", "name"),
        ("落实一户一方案", "一", "name"),
        ("制定《行动方案(2023-2025年)》", "2023", "title"),
        ("1.动态监测", "1", "heading"),
        ("（3）帮扶措施", "3", "heading"),
        ("编号12345", "12345", "no_unit"),
        ("形成一批典型", "一", "article"),
        ("惠及千家万户", "千", "idiom"),
        ("务工6个月以上", "6", "duration"),
        ("16至59周岁劳动力", "59", "age"),
        ("电话1234567890123456", "1234567890123456", "long_number"),
    ],
)
def test_exclusion_rules(text: str, number: str, rule: str) -> None:
    found = rules(text)
    assert (number, rule) in found, found
    assert rule in RULES
    assert not [f for f in figures(text) if f.written.startswith(number)]


def test_every_rule_has_a_test() -> None:
    tested = {
        "year", "date", "range", "ordinal", "document_number", "name", "title", "heading",
        "no_unit", "article", "idiom", "duration", "age", "long_number",
    }  # fmt: skip
    assert tested == set(RULES)
    for rule in RULES:  # each has its words in both languages
        assert message(f"figure_rule.{rule}", (), "zh") != message(f"figure_rule.{rule}", (), "en")


# ------------------------------------------------------------------ its place


def test_place_sentence_and_heading() -> None:
    text = (
        "某县工作总结（SYNTHETIC）\n"
        "一、主要成效\n"
        "（二）精准监测帮扶。全县新识别监测对象120户410人。\n"
        "1.帮扶措施。户均落实帮扶措施4.1项。\n"
        "二、存在问题\n"
        "主要表现为：一是产业带动不足，覆盖仅30个村；二是资金缺口大。\n"
    )
    found = figures(text)
    f = found[0]
    assert (f.line, f.column) == (3, 20)
    assert f.sentence == "全县新识别监测对象120户410人。"
    assert f.headings == ("一、主要成效", "（二）精准监测帮扶")
    assert found[2].headings == ("一、主要成效", "（二）精准监测帮扶", "1.帮扶措施")
    assert found[3].heading == "一是产业带动不足，覆盖仅30个村"
    assert found[3].headings[0] == "二、存在问题"


def test_year_at_the_start_of_a_sentence_gives_the_period() -> None:
    found = figures("2021年反馈问题19个，均已整改；2022年反馈问题22个。全市今年新增5个。")
    assert [f.period for f in found] == ["2021", "2022", None]


# ------------------------------------------------------------------ never raises


REPORTISH = list(
    "0123456789０１２.,，。、；（）()“”《》﹝﹞+-至第前一二两十百千万亿户人个%％余多以上近约"
    "不低于其中分别是年月日号\n 　ab"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(REPORTISH), max_size=80))
def test_never_raises_on_report_like_text(text: str) -> None:
    found = recognise(text)
    for f in found.figures:
        assert text[f.start : f.end] == f.written
        assert f.sentence in text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_never_raises_on_any_text(text: str) -> None:
    recognise(text)


# ------------------------------------------------------------------ shapes of published reports


def test_a_hard_wrapped_line_does_not_end_the_sentence() -> None:
    text = (
        "（一）监测对象总体情况。2021年末,全市监测对象占脱贫人口总数的13.99%,占全市农\n"
        "业人口总数的2.63%;累计消除风险7282户。\n"
    )
    found = figures(text)
    assert [f.period for f in found] == ["2021", "2021", None]
    assert found[1].sentence.startswith("2021年末") and "\n" in found[1].sentence


def test_a_breakdown_sentence_names_the_totals_it_breaks_down() -> None:
    text = (
        "监测对象新识别5741户19271人,风险消除1219户4478人。其中,脱贫不稳定户新识别4694户"
        "15605人,风险消除931户3567人;边缘易致贫户新识别638户2201人,风险消除285户902人。"
    )
    found = figures(text)
    under = {f.written: found[f.parent].written for f in found if f.parent is not None}
    assert under == {
        "4694户": "5741户", "15605人": "19271人", "931户": "1219户", "3567人": "4478人",
        "638户": "5741户", "2201人": "19271人", "285户": "1219户", "902人": "4478人",
    }  # fmt: skip


def test_parenthesised_parts_belong_to_the_figure_before_the_parenthesis() -> None:
    text = "监测总数为100户(甲类60户、乙类40户),累计消除风险70户(甲类50户、乙类20户)。"
    found = figures(text)
    assert [found[f.parent].written if f.parent is not None else None for f in found] == [
        None, "100户", "100户", None, "70户", "70户",
    ]  # fmt: skip


def test_names_and_phases_in_chinese_numerals() -> None:
    assert figures("实施配套学校(二期)项目") == []
    assert ("二", "ordinal") in rules("实施配套学校(二期)项目")
    assert figures("三类监测对象共有7508户。")[0].written == "7508户"
    assert figures("超八成的脱贫县完成规划")[0][:3] == (8, "成", "八成")


def test_spaces_between_number_and_unit() -> None:
    found = figures("突发严重困难户新识别 409户 1465人,832 个贫困县。")
    assert [(f.value, f.unit) for f in found] == [(409, "户"), (1465, "人"), (832, "个")]


def test_a_unit_written_once_for_two_figures() -> None:
    found = figures("增速分别比全国平均水平高出6.4和1.1个百分点,分别约为40%和20%。")
    assert [(str(f.value), f.unit) for f in found] == [
        ("6.4", "个百分点"), ("1.1", "个百分点"), ("40", "%"), ("20", "%"),
    ]  # fmt: skip


def test_a_year_after_a_colon_gives_the_period() -> None:
    assert figures("记者获悉:2021年,全国脱贫人口人均纯收入达到12550元。")[0].period == "2021"
