"""The words of what analysis finds and says, and of what loading a file finds wrong.

Part of the messages of fanpin_cli.core.messages (which looks a code up in its tables, each
imported when first needed), kept apart so that no module grows past 450 lines and a run
that says nothing imports none; the conventions: codes, "+"-joined pieces, `{n!k}`.
"""

from __future__ import annotations

# What analysis finds and says: checks' findings (by rule), compare's reasons, diff's notes.
FOUND: dict[str, tuple[str, str]] = {
    "compare.no_record": ("无记录", "no record"),
    "compare.bounded": (
        "数值为 {0}{1}, 无法判定是否达到目标",
        "the value is {0} {1}: cannot tell against the target",
    ),
    "compare.no_value": ("缺少数值", "the value"),
    "compare.no_reference": ("缺少参照指标的数值", "its reference"),
    "compare.no_divisor": ("缺少除数 {0} 的数值", "its divisor {0}"),
    "compare.zero_divisor": ("除数 {0} 为零", "its divisor {0} is zero"),
    "compare.average_units": (
        "{0} 每 {1} 无法换算为 {2}",
        "{0} per {1} cannot be converted to {2}",
    ),
    "diff.no_previous": ("无上期记录", "no previous record"),
    "diff.not_reported": ("未报告", "not reported"),
    "diff.no_counterpart": ("无 {0} 的记录", "no record for {0}"),
    "ytd.sum": ("累计 {0} 至 {1}: 各期之和", "year to date {0} to {1}: the sum of its periods"),
    "ytd.latest": (
        "累计至 {1}: {0} 的数 (存量口径, 不加总)",
        "year to date to {1}: the {0} figure stands (a stock, never summed)",
    ),
    "ytd.ratio": (
        "累计至 {0}: 由分子、分母的累计重算",
        "year to date to {0}: rebuilt from its numerator's and denominator's year to date",
    ),
    "ytd.missing": ("缺 {0} 的数, 无法累计", "cannot add up: no figure for {0}"),
    "ytd.no_basis": ("{0} 未声明口径 (basis), 不累计", "{0} declares no basis: not added up"),
    "ytd.no_parts": ("缺分子或分母 {0}, 比率无法重算", "no {0}: the rate cannot be rebuilt"),
    # rank's bulletin sentence (views.analysis.rank_sentence): its clauses, joined by ，/ ", "
    "rank.value": ("{0}{1}{2}", "{0}: {1} {2}"),
    "rank.above": ("高于{0}{1}{2}", "{1} {2} above {0}"),
    "rank.below": ("低于{0}{1}{2}", "{1} {2} below {0}"),
    "rank.level": ("与{0}持平", "level with {0}"),
    "rank.place": ("居{0}第{1}位", "{1} in {0}"),
    "rank.place_tied": ("居{0}第{1}位(并列)", "{1} in {0} (tied)"),
    "rank.up": ("较{0}上升{1}位", "up {1} on {0}"),
    "rank.down": ("较{0}下降{1}位", "down {1} on {0}"),
    "rank.same": ("较{0}位次不变", "unchanged on {0}"),
    "rank.not_reported": ("{0}{1}未报告", "{0}: {1} not reported"),
    "diff.no_counterpart_kind": ("跨年期间无同比或环比", "a span of years has no counterpart"),
    "units.inconvertible": ("{0} 无法换算为 {1}", "{0} cannot be converted to {1}"),
    "regions.renamed": (
        "地区 {0} 在此为 {1} / {2}，但在 {3} 中为 {4} / {5}；一个代码只能指一个地区",
        "region {0} is {1} / {2} here but {4} / {5} in {3}; one code names one region",
    ),
    "parts.cycle": ("组成部分循环: {0}", "parts form a cycle: {0}"),
    "parts.missing": ("{0}: 组成部分中的指标不存在: {1}", "{0}: parts name missing ids: {1}"),
    "parts.units": ("{0}: 组成部分的单位无法换算", "{0}: parts are in units that do not convert"),
    "parts.sum": (
        "{0} = {1}{2}，但其组成部分合计为 {3}{2}",
        "{0} = {1}{2} but its parts add up to {3}{2}",
    ),
    "ratios.missing": ("{0}: 比率中的指标不存在: {1}", "{0}: ratio names missing ids: {1}"),
    "ratios.zero": ("{0}: 分母 {1} 为零或缺失", "{0}: denominator {1} is zero or missing"),
    "ratios.differs": (
        "{0} = {1}{2}，但 {3} / {4} = {5} / {6} = {7}{2}",
        "{0} = {1}{2} but {3} / {4} = {5} / {6} = {7}{2}",
    ),
    "subsets.missing": (
        "{0}: subset_of 中的指标 {1} 不存在",
        "{0}: subset_of names missing id {1}",
    ),
    "subsets.units": (
        "{0} 的单位 {1} 无法与 {2} 的 {3} 比较 (如一者按一比一计作另一者, 请声明 equivalent_unit)",
        "{0} in {1} cannot be compared with {2} in {3} "
        "(declare equivalent_unit where one counts as the other)",
    ),
    "ratios.units": (
        "{0} 的单位 {1} 无法与 {2} 的 {3} 比较 (如一者按一比一计作另一者, 请声明 equivalent_unit)",
        "{0} in {1} cannot be compared with {2} in {3} "
        "(declare equivalent_unit where one counts as the other)",
    ),
    "subsets.exceeds": (
        "{0} = {1}{2}，超过其总体 {3} = {4}{5}",
        "{0} = {1}{2} exceeds its whole {3} = {4}{5}",
    ),
    "flows.months": (
        "{0} {1} {2}年: 各月合计 {3}{4}, 但全年数为 {5}{4}",
        "{0} {1} {2}: the months add up to {3}{4} but the year's figure is {5}{4}",
    ),
    "flows.quarters": (
        "{0} {1} {2}年: 各季度合计 {3}{4}, 但全年数为 {5}{4}",
        "{0} {1} {2}: the quarters add up to {3}{4} but the year's figure is {5}{4}",
    ),
    "jump.setting": (
        "{0} = {1!r} 不是有效的界限 (jump_factor 须大于 1, jump_points 须大于 0)",
        "{0} = {1!r} is not a limit (jump_factor must be above 1, jump_points above 0)",
    ),
    "jump.moved": (
        "{0} {1}: 由 {2} 的 {3}{4} 变为 {5} 的 {6}{7}, 超出 {8}",
        "{0} {1}: {3}{4} in {2} to {6}{7} in {5}, beyond {8}",
    ),
    "ranges.percent": ("{0} = {1}% 不在 0-100 之间", "{0} = {1}% is outside 0-100"),
    "ranges.negative": ("{0} = {1}{2} 为负数", "{0} = {1}{2} is negative"),
    "ranges.whole": (
        "{0} = {1}{2} 不是整数 (平均数请标 additive = false)",
        "{0} = {1}{2} is not a whole count (mark averages additive = false)",
    ),
    "quotes.none": ("{0}: 没有出自来源文件的引文", "{0}: no quote from the source document"),
    "quotes.absent": ("{0}: 引文不在来源文件中", "{0}: quote is not in the source document"),
    "quotes.value": (
        "{0}: 引文中没有按原文写法的数值 {1}",
        "{0}: quote does not contain the value {1} as written",
    ),
    "quotes.written": (
        "{0}: 引文中没有按原文写法的数值 ({1})",
        "{0}: quote does not contain the value as written ({1})",
    ),
    "quotes.numeral": (
        "{0}: written_as {1} 与数值 {2} 不符",
        "{0}: written_as {1} does not denote the value {2}",
    ),
    "targets.per": ("目标 {0}: per 指向不存在的 {1}", "target {0}: per names unknown {1}"),
    "targets.per_unit": (
        "目标 {0}: 单位 {1} 不是“单位/单位”形式",
        "target {0}: unit {1} is not a unit per unit",
    ),
    "targets.average_units": (
        "目标 {0}: {1} 每 {2} ({3}) 无法与 {4} 比较",
        "target {0}: {1} per {2} ({3}) cannot be compared with {4}",
    ),
    "quotes.qualifier_without_value": (
        "{0}: 限定 {1} 需有数值",
        "{0}: qualifier {1} needs a value",
    ),
    "quotes.no_citation": ("{0}: 参考数据需注明出处", "{0}: a reference figure needs a citation"),
    "quotes.unknown_citation": (
        "{0}: 出处 {1!r} 不在 citations.toml 中",
        "{0}: citation {1!r} is not in citations.toml",
    ),
    "quotes.no_key_phrase": (
        "{0}: 没有出自所引网页的关键词句",
        "{0}: no key phrase from the cited page",
    ),
    "quotes.key_phrase_value": (
        "{0}: 关键词句中没有按原文写法的数值 {1}",
        "{0}: key phrase does not contain the value {1} as written",
    ),
    "targets.unknown": ("目标指向不存在的指标 {0}", "target names unknown indicator {0}"),
    "targets.reference": (
        "目标 {0}: relative_to 指向不存在的 {1}",
        "target {0}: relative_to names unknown {1}",
    ),
    "targets.relative_units": (
        "目标 {0}: {1} 无法与 {2} 的 {3} 比较",
        "target {0}: {1} cannot be compared with {2} in {3}",
    ),
    "targets.units": (
        "目标 {0}: 单位 {1} 无法与 {2} 比较",
        "target {0}: unit {1} is not comparable with {2}",
    ),
    "completeness.unfilled": (
        "模板 {1} 个指标中有 {0} 个未填写 (没有数值也没有说明): {2}",
        "{0} of the template's {1} indicators not filled in (no value, no note): {2}",
    ),
    # the same for people, beside a column that lists the ids (fanpin_cli.views.findings)
    "completeness.unfilled_count": (
        "模板 {1} 个指标中有 {0} 个未填写 (没有数值也没有说明)",
        "{0} of the template's {1} indicators not filled in (no value, no note)",
    ),
    "rollup.no_parts": (
        "{0} 报告了比率但未报告 {1}: 无法由分子、分母重算",
        "the rate is reported without {1} by {0}: it cannot be rebuilt from its parts",
    ),
    "rollup.differs": (
        "{0} ({1}): {2} 个县区合计 {3}{4}，但 {5} 报告 {6}{4}",
        "{0} ({1}): the {2} counties add up to {3}{4} but {5} reports {6}{4}",
    ),
}


# What loading a file finds wrong (rule `schema`, and the errors that stop a command). A
# problem's code may join pieces with "+", each taking its own arguments in turn: a subject
# (`of.target`: "target X: ") and what is wrong with it (`schema.missing`: "value is
# missing"). `{n!k}` is a word of TYPES, named in the language of the message.
FOUND |= {
    "of.indicator": ("{0}: ", "{0}: "), "of.target": ("目标 {0}: ", "target {0}: "),
    "of.region": ("地区 {0}: ", "region {0}: "), "of.citation": ("出处 {0}: ", "citation {0}: "),
    "of.dataset": ("[dataset] ", "[dataset] "), "of.section": ("[section] ", "[section] "),
    "of.units": ("[units] ", "[units] "), "of.table": ("{0} 表: ", "{0}."),
    "of.source": ("来源文件 {0!r}: ", "source document {0!r}: "),
    "schema.missing": ("缺少 {0}", "{0} is missing"),
    "schema.no_default": (" (dataset.toml 也未设定)", " (and dataset.toml sets none)"),
    "schema.table": ("缺少 {0} 表", "{0} table missing"),
    "schema.not_text": ("{0} 应为字符串, 而不是{1!k}", "{0} must be a string, not {1!k}"),
    "schema.string": ("{0} 应为字符串", "{0} must be a string"),
    "schema.flag": ("{0} 应为 true 或 false", "{0} must be true or false"),
    "schema.ids": ("{0} 应为指标 id 的数组", "{0} must be an array of indicator ids"),
    "schema.ratio": ("{0} 应写作 {{ numerator = id, denominator = id }}",
                     "{0} must be {{ numerator = id, denominator = id }}"),
    "schema.id": ("{0} 应为指标 id", "{0} must be an indicator id"),
    "schema.empty": ("{0} 为空", "{0} is empty"),
    "schema.unit": (
        '未知单位 {0!r}; 请在 dataset.toml 中声明, 如 [units] "{0}" = {{ dimension = "area", '
        "scale = 1 }} (scale: 一{0}合多少个基本单位; class: count、amount、rate 或 standard, "
        "默认 amount)",
        'unknown unit {0!r}; declare it in dataset.toml, e.g. [units] "{0}" = {{ dimension = '
        '"area", scale = 1 }} (scale: how many base units one {0} is; class: count, amount, '
        "rate or standard, default amount)",
    ),
    # a value of the right type that breaks its field's pattern or choices: (name, value,
    # the choices separated by commas, by spaces); schema.Field.wrong names one of these
    "schema.choice": ("{0} {1!r} 不是 {2} 之一", "{0} {1!r} is not one of {2}"),
    "schema.one_of": ("{0} 应为 {2} 之一", "{0} must be one of {2}"),
    "schema.slug": ("{0} {1!r} 应为 ASCII 标识 'section.name'",
                    "{0} {1!r} must be an ASCII slug 'section.name'"),
    "schema.period": ("{0} {1!r} 不是 YYYY、YYYY-Qn 或 YYYY-MM",
                      "{0} {1!r} is not YYYY, YYYY-Qn or YYYY-MM"),
    "schema.period_text": ('{0} 应为 "2023" 这样的字符串', '{0} must be a string like "2023"'),
    "schema.year": ('{0} 应为 "2025" 这样的字符串', '{0} must be a string like "2025"'),
    "schema.six": ("{0} 应为六位数字", "{0} must be six digits"),
    "schema.six_text": ("{0} 应为六位数字的字符串", "{0} must be six digits, as a string"),
    "schema.comparator": ("未知的比较符 {1!r}; 可用 {3}",
                          "unknown comparator {1!r}; use one of {3}"),
    # figures
    "schema.boolean": ("{0} 应为数值, 而不是布尔值", "{0} must be a number, not a boolean"),
    "schema.infinite": ("{0} 应为有限数值, 而不是 {1}", "{0} must be a finite number, not {1}"),
    "schema.number": ("{0} 应为数值, 而不是{1!k}", "{0} must be a number, not {1!k}"),
    "schema.too_large": ("{0} 过大 (不小于 1e18), 不可能是实际数据",
                         "{0} is too large (1e18 or more) to be a plausible figure"),
    "schema.decimals": ("{0} 的小数超过 {1} 位", "{0} has more than {1} decimal places"),
    # files and tables
    "schema.unknown_key": ("未知的键 {0!r}", "unknown key {0!r}"),
    "schema.top_level_key": ("未知的顶层键 {0!r}", "unknown top-level key {0!r}"),
    "schema.tables": ("{0} 应为表数组 [[{0}]]", "{0} must be an array of tables [[{0}]]"),
    "schema.no_section": ("缺少含 key、title_zh 和 title_en 的 [section] 表",
                          "no [section] table with key, title_zh and title_en"),
    "schema.section_key": ("[section] key 应为小写 ASCII 名称",
                           "[section] key must be a lower-case ASCII name"),
    "schema.unknown_section": ("未知分节 {0!r}: 不在 dataset.toml 的 [sections] order 中",
                               "unknown section {0!r}: not in dataset.toml [sections] order"),
    "schema.inline_indicators": (
        "没有指标记录: 写在 [section] 之后的 'indicator = [...]' 属于 [section] 表; "
        "请把它移到 [section] 之前, 或改写为 [[indicator]] 表",
        "no indicator records: 'indicator = [...]' written after [section] belongs to the "
        "[section] table; move it above [section] or write [[indicator]] tables",
    ),
    "schema.no_indicators": ("此分节文件中没有 [[indicator]] 记录",
                             "no [[indicator]] records in this section file"),
    "schema.indicator_table": ("指标应为表, 而不是{0!k}", "indicator must be a table, not {0!k}"),
    "schema.target_table": ("目标应为表", "target must be a table"),
    "schema.region_table": ("地区应为表", "region must be a table"),
    "schema.citation_table": ("出处应为表", "citation must be a table"),
    "schema.no_id": ("指标缺少 id", "indicator has no id"),
    "schema.foreign_id": ("id {0!r} 不属于本文件的分节 {1!r} (未知分节)",
                          "id {0!r} is not in this file's section {1!r} (unknown section)"),
    "schema.dataset_table": ("[dataset] 应为表", "[dataset] must be a table"),
    "schema.order": ("[sections] order 应列出分节的 key", "[sections] order must list keys"),
    "schema.target_indicator": ("目标需有 indicator = 指标 id",
                                "target needs indicator = an indicator id"),
    "schema.region_code": ("地区 code 应为六位数字的字符串",
                           "region code must be six digits, as a string"),
    "schema.citation_id": ("出处需有 id = 非空字符串", "citation needs id = a non-empty string"),
    "schema.date": ("date {0!r} 不是 YYYY-MM-DD", "date {0!r} is not YYYY-MM-DD"),
    "schema.duplicate": ("重复的指标 {0}, 地区 {1}, 期间 {2} (首次出现于 {3}:{4})",
                         "duplicate indicator {0} for region {1}, period {2} (first at {3}:{4})"),
    "schema.duplicate_citation": ("重复的出处 {0} (首次出现于 {1}:{2})",
                                  "duplicate citation {0} (first at {1}:{2})"),
    # a target's kind and the keys and unit it needs (fanpin_cli.core.target_kind)
    "schema.relative_to": ("relative_to 只用于相对目标",
                           "relative_to belongs to a relative target"),
    "schema.per": ("per 只用于平均数目标", "per belongs to an average target"),
    "schema.relative_needs": ("相对目标需有 relative_to", "a relative target needs relative_to"),
    "schema.relative_unit": ("相对目标的单位为 {0}", "a relative target's unit is {0}"),
    "schema.average_needs": ("平均数目标需有 per = 指标 id", "an average target needs per = an id"),
    "schema.average_unit": ("平均数的单位应为“单位/单位”形式, 如 万元/户, 而不是 {0}",
                            "an average needs a unit per unit like 万元/户, not {0}"),
    "schema.target_unit": ("未知单位 {0!r}", "unknown unit {0!r}"),
    # a file that cannot be read at all
    "load.not_utf8": ("不是 UTF-8 文本 (偏移 {1} 处的字节 0x{0}); 请将文件存为 UTF-8",
                      "not UTF-8 text (byte 0x{0} at offset {1}); save the file as UTF-8"),
    "load.empty": ("文件为空", "file is empty"),
    "load.syntax": ("TOML 语法错误: {0}", "TOML syntax error: {0}"),
    "load.column": (" (第 {0} 列)", " (column {0})"),
    "load.nested": ("TOML 嵌套过深", "TOML nested too deeply"),
    "load.no_file": ("文件不存在", "no such file"),
    "load.denied": ("无权读取", "permission denied"),
    "load.loop": ("符号链接循环", "a symbolic link loop"),
    "load.directory": ("是目录, 不是文件", "is a directory, not a file"),
    "load.not_dir": ("路径中有一部分不是目录", "a part of the path is not a directory"),
    "load.long_name": ("文件名过长", "the file name is too long"),
    "load.unreadable": ("无法读取: {0}", "cannot read: {0}"),
    "load.refused": ("是{0!k}, 不是{1!k}; 拒绝读取", "is {0!k}, not {1!k}; refused"),
    "load.dangling": ("指向不存在之处的符号链接", "a symbolic link to nothing"),
    "load.no_dataset": ("数据集目录或文件不存在", "no such dataset directory or file"),
    "load.irregular": ("不是目录或普通文件", "not a directory or regular file"),
    "load.no_toml": ("此目录中没有 TOML 数据文件", "no TOML data files in this directory"),
    "load.digits": ("数字超过 4300 位; 没有这么长的数据",
                    "a number with more than 4300 digits; no figure is that long"),
}  # fmt: skip
