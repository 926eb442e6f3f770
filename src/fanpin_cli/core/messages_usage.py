"""The words of what stops a command: a request that does not fit (usage errors, exit 2) and
a request that selects nothing (exit 1; the rule: fanpin_cli.analysis.filters).

One of the tables of fanpin_cli.core.messages, imported only when a code is looked up that
the tables before it lack; the same conventions hold: codes, "+"-joined pieces, `{n!k}`.
"""

from __future__ import annotations

# Pieces joined by "+": a list of what exists (`list.some`, with `list.more` when it is cut
# short, or `list.none`) and a suggestion (`usage.did_you_mean`) follow the message they
# complete.
STOPS: dict[str, tuple[str, str]] = {
    "list.some": ("{0}", "{0}"), "list.more": (", … (共 {0} 个)", ", … ({0} in all)"),
    "list.none": ("无", "none"),
    "usage.did_you_mean": ("; 是否指 {0}?", "; did you mean {0}?"),
    # --region, --period and the ids and sections asked for
    "usage.period": ("{0} {1!r} 不是期间 (YYYY、YYYY-Qn、YYYY-MM 或 YYYY-YYYY)",
                     "{0} {1!r} is not a period (YYYY, YYYY-Qn, YYYY-MM or YYYY-YYYY)"),
    "usage.empty_region": ("--region 需要地区代码或名称", "--region needs a region code or name"),
    "usage.region": ("未知地区 {0!r}", "unknown region {0!r}"),
    "usage.region_ambiguous": ("地区名 {0!r} 不唯一: {1}; 请改用代码",
                               "region name {0!r} is ambiguous: {1}; give its code"),
    "usage.regions_in_data": ("; 数据中的地区: ", "; regions in the data: "),
    "usage.selector": ("没有分节或指标 {0!r}", "no section or indicator {0!r}"),
    "usage.indicator": ("没有指标 {0!r}", "no indicator {0!r}"),
    "usage.ytd_period": ("--ytd 需要年、季度或月份 (YYYY、YYYY-Qn 或 YYYY-MM), 而不是 {0}",
                         "--ytd needs a year, a quarter or a month (YYYY, YYYY-Qn or YYYY-MM), "
                         "not {0}"),
    "usage.ytd_none": ("数据中没有年度、季度或月度记录, 无法累计",
                       "no yearly, quarterly or monthly records to add up year to date"),
    "usage.from_to": ("--from {0} 不早于 --to {1}", "--from {0} is not earlier than --to {1}"),
    # rollup, benchmark and chart: what the region table or the data lacks
    "usage.no_children": ("地区表中 {0} 没有下级地区",
                          "region {0} has no child regions in the region table"),
    "usage.no_parent": ("地区表中 {0} 没有上级地区: 无可对照",
                        "region {0} has no parent in the region table: nothing to put beside"),
    "usage.benchmark_region": ("没有可对照的地区: 请用 --region 指定",
                               "no region to benchmark: name one with --region"),
    "usage.dataset": ("未知数据集 {0!r}; 内置数据集: {1}",
                      "unknown dataset {0!r}; bundled datasets are {1}"),
    # export's, template's and --fields' options, and the files they write
    "usage.one_format": ("只能选择 {0} 之一", "choose one of {0}"),
    "usage.excel_csv": ("--excel 只用于 CSV", "--excel applies to CSV only"),
    "usage.json_encoding": ("{0} 总是 UTF-8 编码; --encoding 只用于 CSV、TSV 和 Markdown",
                            "{0} is always UTF-8; --encoding applies to CSV, TSV and Markdown"),
    "usage.file_formats": ("--sqlite、--datapackage 和 --xlsx "
                           "不接受 --output、--excel 或 --encoding",
                           "--sqlite, --datapackage and --xlsx take no --output, --excel or "
                           "--encoding"),
    "usage.xlsx_fields": ("--xlsx 写出所有列; --fields 只用于文本格式",
                          "--xlsx writes every column; --fields applies to text formats"),
    "usage.no_fields": ("--fields 至少需要一个字段名", "--fields needs at least one field name"),
    "usage.repeated_fields": ("--fields 重复列出 {0}", "--fields names {0} more than once"),
    "usage.field": ("未知字段 {0!r}; 可用字段: {1}", "unknown field {0!r}; fields are: {1}"),
    "usage.template_period": ("期间 {0!r} 不是 YYYY、YYYY-Qn 或 YYYY-MM",
                              "period {0!r} is not YYYY, YYYY-Qn or YYYY-MM"),
    "usage.template_region": ("地区 {0!r} 不在地区表中", "region {0!r} is not in the region table"),
    "usage.exists": ("已存在; 请换一个新文件名", "already exists; choose a new file name"),
    "usage.template_suffix": (
        "fanpin 不写 {0} 模板; 请写 .xlsx (Excel、WPS 和 LibreOffice 均可打开并另存为 {0}), "
        "或写一个目录 (TOML)",
        "fanpin writes no {0} template; write .xlsx (Excel, WPS and LibreOffice open it and can "
        "save it as {0}) or a directory (TOML)"),
    "usage.output_suffix": ("--output {0}: 文件名表示 {1}, 但要求的是 {2}; 请让文件名与格式一致",
                            "--output {0}: the name says {1} but {2} was asked for; make the "
                            "name and the format agree"),
    "usage.output_unwritable": ("--output {0}: fanpin 不写 {1} 文件; 工作簿请用 --xlsx FILE.xlsx",
                                "--output {0}: fanpin writes no {1} file; for a workbook use "
                                "--xlsx FILE.xlsx"),
    "usage.exists_directory": ("已存在且不是空目录; 请换一个新目录",
                               "already exists and is not an empty directory; choose a new one"),
    "usage.import_directory": ("已存在且不是空目录; 请换一个新目录",
                               "already exists and is not empty; choose a new directory"),
    "usage.nothing_to_import": ("没有可导入的指标", "has no indicators to import"),
    "usage.is_directory": ("是目录; 请给出文件名", "is a directory; give a file name"),
    "usage.no_directory": ("其所在目录不存在", "its directory does not exist"),
    "usage.not_directory": ("不是目录", "is not a directory"),
    "usage.no_parent_directory": ("其上级目录不存在", "its parent directory does not exist"),
    "usage.not_replaceable": ("不是普通文件、FIFO 或字符设备; 不会替换它",
                              "is not a regular file, a FIFO or a character device; not "
                              "replacing it"),
    "usage.in_the_way": ("挡住了去路: 数据包要在此写入同名的普通文件",
                         "is in the way: the data package writes a regular file of that name"),
    "usage.sqlite_irregular": ("不是普通文件; --sqlite 写入数据库文件",
                               "is not a regular file; --sqlite writes a database file"),
    "usage.sqlite_foreign": ("已存在且不是 fanpin 生成的数据库; --sqlite 只写入新文件"
                             "或 fanpin 之前导出的数据库 (请给出新文件名)",
                             "exists and is not a database fanpin made; --sqlite writes only a new "
                             "file or an earlier fanpin export (give a new file name)"),
    # an export's --encoding that cannot hold a character (a data error, exit 3)
    "export.field_has": ("{0}: {1} 中的字符 ", "{0}: {1} has "),
    "export.unencodable": ("{0} (U+{1}) 无法用 {2} 编码写出; 请用 --encoding utf-8",
                           "{0} (U+{1}) cannot be written in {2}; use --encoding utf-8"),
    "export.or_gb18030": (" 或 gb18030", " or gb18030"),
    # output that cannot be written (exit 74): why, as the system says it
    "output.file": ("无法写入 {0}: {1}", "cannot write {0}: {1}"),
    "output.stdout": ("无法写入标准输出: {0}", "cannot write to standard output: {0}"),
    # well-formed filters that select no record (exit 1)
    "match.none": ("没有符合 {0} 的记录", "no records match {0}"),
    "match.request": ("没有符合条件的记录", "no records match the request"),
    "match.no_record_of": ("没有 {0} 的记录", "no record of {0}"),
    "match.no_record_of_for": ("{1} 下没有 {0} 的记录", "no record of {0} for {1}"),
    "match.compare": ("没有可比较的记录", "nothing to compare"),
    "match.compare_for": ("{0} 没有可比较的记录", "nothing to compare for {0}"),
    "match.compare_asked": (" ({0})", " {0}"),
    "match.two_periods": (": 需要同一指标、同一地区的两个期间; 所选记录的期间: ",
                          ": two periods of the same indicator and region are needed; the "
                          "records chosen have periods "),
    "match.no_period": ("没有期间 {0} 的记录", "no records for period {0}"),
    "match.periods_in_data": ("; 数据中的期间: ", "; periods in the data: "),
    "match.periods_are": ("; 现有期间: {0}", "; periods are {0}"),
    "match.no_child_data": ("{0} 的下级地区都没有数据; 请用 --data 加载县区数据",
                            "no data for any child region of {0}; load the counties with --data"),
    "match.no_benchmark": ("地区 {0} 没有上级或全国也报告的数据; "
                           "请用 --data @references 加载参考数据",
                           "no figures of region {0} that its parent or the country also report; "
                           "load the references with --data @references"),
    "match.nothing_to_chart": (
        "{0} 没有可画的图: 图表显示总数的组成部分、各期数值, 以及数值与目标的对比",
        "nothing to chart for {0}: charts show parts of a whole, values over periods, and "
        "values against targets"),
    "match.nothing_in_dataset_to_chart": (
        "数据集没有可画的图: 图表显示总数的组成部分、各期数值, 以及数值与目标的对比",
        "nothing to chart for the dataset: charts show parts of a whole, values over periods, "
        "and values against targets"),
    "match.search": ("没有 id、名称或引文包含 {0!r} 的指标",
                     "no indicator's id, name or quote contains {0!r}"),
    "match.status": ("没有状态为 {0} 的比较", "no comparison has status {0}"),
}  # fmt: skip
