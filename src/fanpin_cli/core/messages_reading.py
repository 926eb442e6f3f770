"""The words of what reading a report, a dataset's own units or a spreadsheet finds wrong.

One of the tables of fanpin_cli.core.messages, imported only when a code is looked up that
the tables before it lack; the same conventions hold: codes, "+"-joined pieces, `{n!k}`.
"""

from __future__ import annotations

READING: dict[str, tuple[str, str]] = {
    # a report that cannot be read (fanpin_cli.reports.read)
    "load.not_text": ("既不是 UTF-8 也不是 GB18030/GBK 文本 (偏移 {1} 处的字节 0x{0})",
                      "neither UTF-8 nor GB18030/GBK text (byte 0x{0} at offset {1})"),
    "load.binary": ("含 NUL 字节, 不是文本文件", "holds a NUL byte: not a text file"),
    "load.word97": ("是 Word 97-2003 (.doc) 文件; 请另存为 .docx、.pdf 或 .txt",
                    "is a Word 97-2003 (.doc) file; save it as .docx, .pdf or .txt"),
    "load.bad_docx": ("不是可读的 .docx 文件: {0}", "not a readable .docx file: {0}"),
    "load.bad_pdf": ("不是可读的 PDF 文件: {0}", "not a readable PDF file: {0}"),
    "load.pdf_password": ("PDF 设有打开密码; 请用无密码的副本",
                          "the PDF needs a password to open; use a copy without one"),
    "load.pdf_aes": ("PDF 以 AES 加密 (复制保护); 读取需要 cryptography 包: "
                     "pip install cryptography",
                     "the PDF is encrypted with AES (copy protection); reading it needs the "
                     "cryptography package: pip install cryptography"),
    "load.no_text_layer": ("PDF 没有文字层 (可能是扫描件); 请先做文字识别 (OCR)",
                           "the PDF has no text layer (a scan?); run OCR on it first"),
    "load.no_article": ("网页中找不到正文", "no article text found in the page"),
    # extract and verify (fanpin_cli.reports.extract, .verify)
    # why a number of a report is not a figure (fanpin_cli.reports.figures.RULES)
    "figure_rule.year": ("年份或年份区间 (2023年, 2023-2025年, 2022-2023年度)",
                          "a year or a range of years (2023年, 2023-2025年, 2022-2023年度)"),
    "figure_rule.date": ("日期或时间 (1月6日, 2021年10月至12月, 2023-12-15, 20:18)",
                          "a date or a time (1月6日, 2021年10月至12月, 2023-12-15, 20:18)"),
    "figure_rule.duration": ("时长 (6个月, 15天, 5年)",
                          "a length of time (6个月, 15天, 5年)"),
    "figure_rule.age": ("年龄 (60周岁)",
                          "an age (60周岁)"),
    "figure_rule.range": ("数值区间 (3-5人, 16至59)",
                          "a range of numbers (3-5人, 16至59)"),
    "figure_rule.ordinal": ("序数或名次 (第59期, 第2位, 前5名, 一等奖)",
                          "an ordinal or a rank (第59期, 第2位, 前5名, 一等奖)"),
    "figure_rule.document_number": ("文号 (﹝2021﹞1号, 12号文件)",
                          "a document number (﹝2021﹞1号, 12号文件)"),
    "figure_rule.name": ("含数字的名称 (“4+4”工作体系, “5155”行动, 一户一方案, 5G)",
                          "a name with digits (“4+4”工作体系, “5155”行动, 一户一方案, 5G)"),
    "figure_rule.title": ("书名号《》内的数字",
                          "a number inside a title in 《》"),
    "figure_rule.heading": ("标题或列表序号 (1. （2） 一是)",
                          "the number of a heading or a list item (1. （2） 一是)"),
    "figure_rule.no_unit": ("没有单位的数字",
                          "a number without a unit"),
    "figure_rule.article": ("作“一个”讲的“一” (一批, 一项)",
                          "一 meaning 'a' (一批, 一项)"),
    "figure_rule.idiom": ("成语或固定说法 (千家万户, 千方百计)",
                          "a set phrase (千家万户, 千方百计)"),
    "figure_rule.long_number": ("编码或电话号码 (超过 15 位)",
                          "a code or telephone number (more than 15 digits)"),
    "match.no_figures": ("报告中没有找到数值", "no figures found in the report"),
    "usage.extract_one_output": ("--output 只接受一个报告", "--output takes one report"),
    "usage.extract_needs": ("请用 {0} 给出报告所属的地区或期间 (--like 数据集没有)",
                            "give the report's region and period with {0} (the --like dataset "
                            "has none)"),
    # a dataset's own units (fanpin_cli.reading.load.declared)
    "units.table": ("[units] 应为 单位 = { dimension, scale } 的表",
                    "[units] must be a table of unit = { dimension, scale }"),
    "units.no_symbol": ("单位需有符号", "a unit needs a symbol"),
    "units.not_table": ('{0!r} 应为表 {{ dimension = "...", scale = 1 }}',
                        '{0!r} must be a table {{ dimension = "...", scale = 1 }}'),
    "units.unknown_key": ("{0!r}: 未知的键 {1!r} (可用的键: {2})",
                          "{0!r}: unknown key {1!r} (keys: {2})"),
    "units.dimension": ('{0!r}: dimension 应为 "area" 这样的小写 ASCII 名称',
                        '{0!r}: dimension must be a lower-case ASCII name like "area"'),
    "units.scale": ("{0!r}: scale 应为正整数", "{0!r}: scale must be a positive whole number"),
    "units.class": ("{0!r}: class 应为 {1} 之一", "{0!r}: class must be one of {1}"),
    "units.name_en": ("{0!r}: name_en 应为字符串", "{0!r}: name_en must be a string"),
    "units.redeclared": ("单位 {0!r} 已是 {1} × {2} ({3}); 请按相同方式声明, 或换用其他符号",
                         "unit {0!r} is already {1} × {2} ({3}); declare it the same or use "
                         "another symbol"),
    "units.no_base": ("{0!r}: 其量纲没有 scale 为 1 的单位; 请声明一个",
                      "{0!r}: its dimension has no unit of scale 1; declare one"),
}  # fmt: skip

# What reading a spreadsheet finds wrong (fanpin_cli.reading.sheets): the file, a sheet, a row or a
# cell (`指标!D14: ` comes first, as `of.indicator`), and the figure typed into a cell.
READING |= {
    # the file and its sheets
    "sheet.too_large": ("太大, 无法读取", "too large to read"),
    "sheet.unreadable": ("无法按 {0} 读取: {1}", "cannot read as {0}: {1}"),
    "sheet.not_spreadsheet": ("不是 fanpin 能读取的电子表格 ({0})",
                              "not a spreadsheet fanpin reads ({0})"),
    "sheet.too_many_rows": ("工作表 {0} 超过 {1} 行", "sheet {0} has more than {1} rows"),
    # beyond the budget of fanpin_cli.reading.sheets.budget: refused, never read to the end
    "sheet.far_column": ("{0}: 超过第 {1} 列仍有内容; 拒绝读取",
                         "{0}: content beyond column {1}; refused"),
    "sheet.too_many_cells": ("工作表 {0}: 有内容的单元格超过 {1} 个; 拒绝读取",
                             "sheet {0}: more than {1} cells with content; refused"),
    "sheet.long_text": ("{0}: 文本超过 {1} 个字符 (单元格的上限); 拒绝读取",
                        "{0}: text longer than {1} characters (a cell's limit); refused"),
    "sheet.too_much_text": ("{0}: 全文件文本超过 {1} 个字符; 拒绝读取",
                            "{0}: more than {1} characters of text in the file; refused"),
    "sheet.part_too_large": ("{0} 解压后为 {1} 字节, 超过上限 {2}; 拒绝读取",
                             "{0} unpacks to {1} bytes, more than the {2} read; refused"),
    "sheet.part_ratio": ("{0} 解压后为 {1} 字节, 是压缩大小的 {2} 倍 (压缩炸弹); 拒绝读取",
                         "{0} unpacks to {1} bytes, {2} times its packed size (a zip bomb); "
                         "refused"),
    "sheet.too_many_strings": ("{0}: 字符串超过 {1} 个; 拒绝读取",
                               "{0}: more than {1} strings; refused"),
    "sheet.doctype": ("{0}: 含有 DOCTYPE (电子表格程序不会写入); 拒绝读取",
                      "{0}: has a DOCTYPE (no spreadsheet program writes one); refused"),
    "sheet.bad_ref": ("工作表 {0}: 单元格引用 {1!r} 无效",
                      "sheet {0}: invalid cell reference {1!r}"),
    "sheet.no_string": ("{0}: 引用了不存在的共享字符串 {1}", "{0}: refers to shared string {1}, "
                        "which the file does not have"),
    "sheet.bad_repeat": ("{0}: {1} 为 {2!r}, 应为正整数; 拒绝读取",
                         "{0}: {1} is {2!r}, not a positive whole number; refused"),
    "sheet.cell_too_long": ("{0}: 文本有 {1} 个字符, 超过工作簿单元格的上限 32,767 (会被截断); "
                            "请改用 --csv 或 --json",
                            "{0}: a text of {1} characters, more than the 32,767 a workbook cell "
                            "holds (it would be cut); use --csv or --json"),
    "sheet.at_line": ("第 {0} 行: ", "line {0}: "),
    "sheet.long_line": ("超过 {0} 个字符; 拒绝读取", "longer than {0} characters; refused"),
    "sheet.formula_no_value": (
        "公式没有保存的计算结果 (fanpin 不计算公式); 请在电子表格程序中打开并保存, 或直接填写数值",
        "a formula saved without its value (fanpin never computes formulas); open and save "
        "the file in a spreadsheet program, or type the figure"),
    "sheet.encoding": ("不是 UTF-8 或 GB18030 文本; 请存为 UTF-8",
                       "not UTF-8 or GB18030 text; save it as UTF-8"),
    "sheet.csv": ("不是有效的 CSV: {0}", "not valid CSV: {0}"),
    "sheet.empty": ("工作表 {0} 为空", "sheet {0} is empty"),
    "sheet.no_sheet": ("没有工作表 {0!r} (或 {1!r})", "no sheet {0!r} (or {1!r})"),
    "sheet.no_column": ("{0}!1:1: 没有 {1} ({2}) 列", "{0}!1:1: no {1} ({2}) column"),
    "sheet.not_fanpin": (
        "不是 fanpin 工作簿: 没有工作表 指标 (Indicators); 请用 `fanpin template --xlsx FILE` "
        "或 `fanpin export --xlsx FILE` 生成",
        "not a fanpin workbook: no sheet 指标 (Indicators); make one with "
        "`fanpin template --xlsx FILE` or `fanpin export --xlsx FILE`"),
    "sheet.at_header": ("{0}!1:1: ", "{0}!1:1: "), "sheet.at_line_1": ("第 1 行: ", "line 1: "),
    "sheet.no_columns": (
        "没有 {0} 列; fanpin 读取 `fanpin export` 写出的 CSV 和工作簿 (完整、带表头) "
        "及其填报工作簿",
        "no {0} column; fanpin reads the CSV and workbooks that `fanpin export` writes (whole, "
        "with its header) and its fill-in workbooks"),
    # the 数据集 sheet and the rows of the 指标 sheet
    "sheet.region_code": ("{0}: 地区代码 {1!r} 应为六位数字",
                          "{0}: region code {1!r} must be six digits"),
    "sheet.period": ("{0}: 期间 {1!r} 不是 YYYY、YYYY-Qn 或 YYYY-MM",
                     "{0}: period {1!r} is not YYYY, YYYY-Qn or YYYY-MM"),
    "sheet.repeated": ("{0}: {1} 重复 (首次出现在 {2}); 请只保留一行",
                       "{0}: {1} is repeated (first in {2}); keep one row"),
    "sheet.no_id": ("此行没有 id; 请填入它所对应指标的 id",
                    "this row has no id; copy the id of the indicator it is for"),
    "sheet.unknown_id": ("未知 id {0!r}: 不是此模板中的指标",
                         "unknown id {0!r}: not an indicator of this template"),
    "sheet.did_you_mean": ("; 是否应为 {0!r}?", "; did you mean {0!r}?"),
    "sheet.renamed": ("{0}: 名称被改为 {1!r} (模板中为 {2!r}); 保留模板中的名称",
                      "{0}: the name was changed to {1!r} (the template says {2!r}); the "
                      "template's is kept"),
    "sheet.unit_changed": ("{0}: 单位被改为 {1!r}; 此指标以 {2} 报告: 请改回, 并以 {2} 填写数值",
                           "{0}: the unit was changed to {1!r}; this indicator is reported in "
                           "{2}: restore it and give the value in {2}"),
    # a figure's cell (fanpin_cli.reading.sheets.numbers)
    "sheet.boolean": ("应为数值, 而不是 TRUE/FALSE", "must be a number, not TRUE/FALSE"),
    "sheet.not_number": ("无法把 {0!r} 读作数值", "cannot read {0!r} as a number"),
    "sheet.digits": ("无法把 {0!r} 读作数值; 请填写数字, 如 1294 或 59.6",
                     "cannot read {0!r} as a number; write digits, e.g. 1294 or 59.6"),
    "sheet.percent_text": ("{0!r} 是百分数, 但此行的单位是 {1}",
                           "{0!r} is a percentage but this row's unit is {1}"),
    "sheet.other_unit": ("{0!r}: 单位 {1} 与此行的单位 {2} 不同; 请以 {2} 填写数值",
                         "{0!r}: unit {1} differs from this row's unit {2}; write the number in "
                         "{2}"),
    "sheet.infinite": ("不是有限数值", "is not a finite number"),
    "sheet.odd_digit": ("{0!r}: {1!r} ({2}) 不是数字 0-9; 脚注或说明请写在备注中",
                        "{0!r}: {1!r} ({2}) is not a digit 0-9; a footnote belongs in the note"),
    "sheet.format_decimals": ("数字格式显示 {0} 位小数; fanpin 最多保留 {1} 位: 请减少小数位数",
                              "its number format shows {0} decimal places; fanpin keeps at most "
                              "{1}: show fewer"),
    "sheet.percent_format": ("设置为百分比格式 ({0}), 但此行的单位是 {1}",
                             "is formatted as a percentage ({0}) but this row's unit is {1}"),
}  # fmt: skip
