"""The words of fanpin's --help in Chinese and English, by command and option.

As messages.py holds the words of fanpin's messages, this module holds those of its help:
the commands' signatures carry none. Keys: a command's name for its help (the first
paragraph is its line in `fanpin --help`; `\\b` keeps the example's lines as written);
`COMMAND.PARAM` for an option or argument of one command (PARAM: its Python name), else
`*.PARAM` for one that means the same in every command; `fanpin` for the root and
`fanpin.PARAM` for its own options; and the parser's own words (`click.*`) by their English
text. Imported only when help is shown
(fanpin_cli.cli.helptext), so a run that prints data never loads it.
"""

from __future__ import annotations

HELP: dict[str, tuple[str, str]] = {
    # the root, its options and the parser's own words
    "fanpin": (
        "查询、检查、对照和导出防止返贫监测指标。默认数据: 兰州市 2023 年工作报告。\n\n"
        "\b\n示例:\n    fanpin show monitoring",
        "Query, check, compare and export poverty-return monitoring indicators "
        "(防止返贫监测). Default data: Lanzhou's 2023 work report.\n\n"
        "\b\nExample:\n    fanpin show monitoring",
    ),
    "*.data": (
        "数据集目录或文件 (可重复; 默认: 内置的兰州市 2023 年报告; 环境变量 FANPIN_DATA, "
        "多个路径以 ':' 分隔)。",
        "Dataset directory or file (repeatable; default: the bundled Lanzhou 2023 report; "
        "env FANPIN_DATA, paths separated by ':').",
    ),
    "*.lang": (
        "标签、消息与帮助的语言, 可写在命令前或后 (环境变量 FANPIN_LANG; 默认 zh)。",
        "Language of labels, messages and help, before or after the command (env "
        "FANPIN_LANG; default zh).",
    ),
    "fanpin.debug": ("出错时显示回溯 (环境变量 FANPIN_DEBUG=1)。",
              "Show a traceback on errors (env FANPIN_DEBUG=1)."),
    "fanpin.verbose": ("在标准错误上说明读取了哪些数据文件。",
                "Say on stderr which data files were read."),
    "fanpin.version": ("显示版本并退出。", "Print the version and exit."),
    "fanpin.install_completion": ("为当前 shell 安装命令补全。",
                           "Install completion for the current shell."),
    "fanpin.show_completion": (
        "显示当前 shell 的命令补全脚本, 以便复制或自行安装。",
        "Show completion for the current shell, to copy it or customize the installation.",
    ),
    "*.help": ("显示此帮助并退出。", "Show this message and exit."),
    "click.Usage: ": ("用法: ", "Usage: "),
    "click.Arguments": ("参数", "Arguments"),
    "click.Options": ("选项", "Options"),
    "click.Commands": ("命令", "Commands"),
    "click.default": ("默认: {0}", "default: {0}"),
    "click.required": ("必填", "required"),
    # options that mean the same in every command
    "*.fmt": ("输出格式 (默认: 终端上为 table, 否则为 tsv)。",
            "Output format (default: table on a terminal, tsv otherwise)."),
    "*.fields": ("只输出这些字段, 以逗号分隔, 按此顺序。",
               "Comma-separated fields to print, in this order."),
    "*.no_header": ("不输出表头行 (csv 和 tsv)。", "Leave out the header line (csv and tsv)."),
    "*.svg": ("同时把表格存为此 SVG 图片文件。",
            "Also save the table as an SVG picture to this file."),
    "*.selectors": ("分节键或指标 id (默认: 全部)。",
                  "Section keys or indicator ids (default: all)."),
    "*.targets": ("使用此目标文件, 而不是数据集自带的。",
                "Use this targets file instead of the dataset's own."),
    "*.region": ("只看此地区 (代码或名称)。", "Only this region (code or name)."),
    "*.period": ("只看此期间, 如 2023。", "Only this period, e.g. 2023."),
    # sections, show, get, search
    "sections": (
        "列出报告的各分节: 标题和指标数。\n\n\b\n示例:\n    fanpin sections",
        "List the report's sections with their titles and number of indicators.\n\n"
        "\b\nExample:\n    fanpin sections",
    ),
    "show": (
        "以表格 (或 tsv、csv、json、jsonl、markdown) 显示指标。\n\n"
        "\b\n示例:\n    fanpin show monitoring\n"
        "    fanpin show monitoring.total_households -o json\n"
        "    fanpin show rectification --by period",
        "Show indicators as a table (or tsv, csv, json, jsonl, markdown).\n\n"
        "\b\nExample:\n    fanpin show monitoring\n"
        "    fanpin show monitoring.total_households -o json\n"
        "    fanpin show rectification --by period",
    ),
    "show.ytd": (
        "累计: 每个数字从年初到 --period (月或季度; 默认最近一期): 流量相加, 存量取时点值, "
        "比率重新算出。",
        "累计: each figure from the start of the year to --period (a month or quarter; default "
        "the latest): flows summed, stocks as they stand, rates rebuilt.",
    ),
    "show.by": ("透视: 指标为行, 期间或地区为列。",
                "Pivot: indicators down, periods or regions across."),
    "get": (
        "为脚本输出裸数值: 按所问顺序, 每个 id 的每条记录一行。\n\n"
        "一个 id 有多条记录 (多个期间、地区) 时, 按期间再按地区各输出一行; 可用 --period 和 "
        "--region 缩小。未报告的数值为空行。在筛选条件下没有记录的 id 是错误, 会指明它 "
        "(退出码 1, 不输出任何内容)。\n\n"
        "\b\n示例:\n    fanpin get monitoring.total_households monitoring.total_persons",
        "Print bare values for scripts: one line per requested id and record, in the order "
        "asked.\n\n"
        "An id with several records (periods, regions) prints one line for each, in period "
        "then region order; narrow with --period and --region. An unreported value is an "
        "empty line. An id with no record under the filters is an error naming it (exit 1, "
        "nothing printed).\n\n"
        "\b\nExample:\n    fanpin get monitoring.total_households monitoring.total_persons",
    ),
    "get.ids": ("指标 id。", "Indicator ids."),
    "get.allow_missing": ("筛选条件下没有记录的 id 输出空行, 而不报错。",
                          "An empty line for an id with no record under the filters, not an "
                          "error."),
    "search": (
        "查找 id、中文或英文名称或引文中含有 TEXT 的指标。\n\n"
        "\b\n示例:\n    fanpin search 护林员",
        "Find indicators whose id, Chinese or English name, or quote contains TEXT.\n\n"
        "\b\nExample:\n    fanpin search 护林员",
    ),
    "search.text": ("要在 id、名称和引文中查找的文字。",
                    "Text to look for in ids, names and quotes."),
    # explain, compare
    "explain": (
        "完整显示一个指标: 数值、引文、关系、目标、依据和状态。\n\n"
        "\b\n示例:\n    fanpin explain income.relocated_households_employed",
        "Show one indicator whole: value, quote, relations, targets, basis and status.\n\n"
        "\b\nExample:\n    fanpin explain income.relocated_households_employed",
    ),
    "explain.indicator_id": ("一个指标 id。", "An indicator id."),
    "compare": (
        "将指标与政策目标对照: 数值、目标、差距、状态和依据。\n\n"
        "\b\n示例:\n    fanpin compare\n"
        "    fanpin compare income --targets my-targets.toml --fail-on-miss -o json",
        "Compare indicators with their policy targets: value, target, gap, status and "
        "basis.\n\n"
        "\b\nExample:\n    fanpin compare\n"
        "    fanpin compare income --targets my-targets.toml --fail-on-miss -o json",
    ),
    "compare.status": ("只看此状态的比较 (可重复)。",
                       "Only comparisons with this status (repeatable)."),
    "compare.fail_on_miss": ("有目标未达标时退出码为 1。", "Exit 1 when any target is missed."),
    # check, chart
    "check": (
        "检查数据: 模式、组成部分、比率、子集、取值范围、引文、目标、汇总、完整性。\n\n"
        "无错误时退出码 0, 有错误 (或 --strict 下有警告) 时为 1, 无法读取时为 3。\n\n"
        "\b\n示例:\n    fanpin check --data counties/620121",
        "Check data: schema, parts, ratios, subsets, ranges, quotes, targets, roll-up, "
        "completeness.\n\n"
        "Exit 0 without errors, 1 with errors (or warnings under --strict), 3 if "
        "unreadable.\n\n"
        "\b\nExample:\n    fanpin check --data counties/620121",
    ),
    "check.strict": ("有警告时退出码也为 1。", "Warnings also make it exit 1."),
    "chart": (
        "画横向条形图: 总数的组成部分、各期数值、数值与目标。\n\n"
        "\b\n示例:\n    fanpin chart monitoring\n"
        "    fanpin chart rectification --svg rectification.svg",
        "Draw horizontal bars: parts of a whole, values by period, values against "
        "targets.\n\n"
        "\b\nExample:\n    fanpin chart monitoring\n"
        "    fanpin chart rectification --svg rectification.svg",
    ),
    "chart.selectors": ("分节键或指标 id。", "Section keys or indicator ids."),
    # export
    "export": (
        "导出全部记录: CSV (默认)、TSV、JSON、JSON Lines、Markdown、SQLite、数据包、"
        "Excel 工作簿。\n\n"
        "\b\n示例:\n    fanpin export --csv > lanzhou-2023.csv\n"
        "    fanpin export --csv --excel --output lanzhou-2023.csv\n"
        "    fanpin export --sqlite lanzhou-2023.db\n"
        "    fanpin export --xlsx lanzhou-2023.xlsx",
        "Export every record: CSV (default), TSV, JSON, JSON Lines, Markdown, SQLite, data "
        "package, Excel workbook.\n\n"
        "\b\nExample:\n    fanpin export --csv > lanzhou-2023.csv\n"
        "    fanpin export --csv --excel --output lanzhou-2023.csv\n"
        "    fanpin export --sqlite lanzhou-2023.db\n"
        "    fanpin export --xlsx lanzhou-2023.xlsx",
    ),
    "export.csv": ("CSV (默认)。", "CSV (the default)."),
    "export.tsv": ("TSV。", "TSV."),
    "export.json": ("记录组成的 JSON 数组。", "A JSON array of records."),
    "export.jsonl": ("JSON Lines, 每行一条记录。", "JSON Lines, one record a line."),
    "export.markdown": ("Markdown 表格。", "A Markdown table."),
    "export.sqlite": ("把 SQLite 数据库写入此文件。", "Write a SQLite database to this file."),
    "export.datapackage": ("把 Frictionless 数据包写入此目录。",
                           "Write a Frictionless data package to this directory."),
    "export.xlsx": (
        "把 Excel 工作簿写入此文件: 指标、目标与比较、出处与数据集、分节。",
        "Write an Excel workbook to this file: indicators, targets and comparisons, sources "
        "and datasets, sections.",
    ),
    "export.excel": ("供 Excel/WPS 使用的 CSV: 字节顺序标记、CRLF、公式单元格已中和。",
                     "CSV for Excel/WPS: byte-order mark, CRLF, formula cells neutralised."),
    "export.encoding": ("CSV、TSV 和 Markdown 输出的文本编码 (JSON 总是 UTF-8)。",
                        "Text encoding of CSV, TSV and Markdown output (JSON is always UTF-8)."),
    "export.output": (
        "写入此文件而不是标准输出: 普通文件以原子方式替换 (符号链接则替换其目标, 保留权限); "
        "FIFO 或设备直接写入; - 为标准输出。",
        "Write to this file instead of stdout: a regular file is replaced atomically (a "
        "symlink's target, keeping its mode); a FIFO or device is written to; - is stdout.",
    ),
    # template, import
    "template": (
        "为一个地区生成待填报的空数据集: TOML 目录或 .xlsx 工作簿。\n\n"
        "包含该地区层级应报告的每个指标 (县区不会被要求填报仅限市级的指标), 不含数值; "
        "缺少的上级目录会被创建。\n\n"
        "\b\n示例:\n    fanpin template --region 永登县 --period 2024 counties/620121\n"
        "    fanpin template --region 永登县 --period 2024 永登县2024.xlsx",
        "Write an empty dataset for a region to fill in: a TOML directory or an .xlsx "
        "workbook.\n\n"
        "Every indicator the region's level reports (a county is not asked for city-only "
        "ones), no values; missing parent folders are created.\n\n"
        "\b\nExample:\n    fanpin template --region 永登县 --period 2024 counties/620121\n"
        "    fanpin template --region 永登县 --period 2024 永登县2024.xlsx",
    ),
    "template.directory": ("新数据集目录 (TOML), 以 .xlsx 结尾时为填报工作簿。",
                           "New dataset directory (TOML), or a fill-in workbook when it ends "
                           "in .xlsx."),
    "template.region": ("地区代码或名称, 如 620121。", "Region code or name, e.g. 620121."),
    "template.period": ("要收集的期间, 如 2024。", "Period to collect, e.g. 2024."),
    "import": (
        "把工作簿转为规范的 TOML 数据集目录, 以便审阅并纳入 git。\n\n"
        "工作簿按 `--data FILE` 的方式检查: 无效的工作簿不会写出任何内容。\n\n"
        "\b\n示例:\n    fanpin import 永登县2023.xlsx counties/2023/620121",
        "Turn a workbook into the canonical TOML dataset directory, to review and keep in "
        "git.\n\n"
        "The workbook is checked as `--data FILE` checks it: an invalid one writes "
        "nothing.\n\n"
        "\b\nExample:\n    fanpin import 永登县2023.xlsx counties/2023/620121",
    ),
    "import.source": ("已填写的工作簿 (.xlsx、.xls、.ods) 或 fanpin 导出的 CSV。",
                      "A filled workbook (.xlsx, .xls, .ods) or fanpin's CSV export."),
    "import.directory": ("要写入的新数据集目录 (TOML)。", "New dataset directory to write (TOML)."),
    # rollup, diff, benchmark
    "rollup": (
        "把可加总的指标 (数量、金额) 按县区加总, 与市级自身的数字并列。\n\n"
        "声明了分子和分母的比率由两者的合计重新算出, 从不相加或平均; 各县区自己的比率见 "
        "county_values。\n\n"
        "\b\n示例:\n    fanpin rollup --to 620100 --data @bundled --data counties/620102 "
        "--data counties/620121",
        "Sum additive indicators (counts, amounts) over the counties, beside the city's "
        "figure.\n\n"
        "A rate that declares its numerator and denominator is rebuilt from their sums, never "
        "summed or averaged; the counties' own rates are in county_values.\n\n"
        "\b\nExample:\n    fanpin rollup --to 620100 --data @bundled --data counties/620102 "
        "--data counties/620121",
    ),
    "rollup.ytd": ("累计: 在 --period (月或季度) 汇总每个数字自年初以来的累计。",
                   "累计: roll up each figure's year to date at --period (a month or quarter)."),
    "rollup.to": ("上级地区 (代码或名称), 如 620100。",
                  "Parent region (code or name), e.g. 620100."),
    "diff": (
        "两个期间之间 (默认: 最近两期) 或与较早数据集相比的变化。\n\n"
        "--yoy 和 --pop 把 --to 期间 (默认: 各序列的最近一期) 的记录与一年前的同期 (同比) "
        "或上一期 (环比) 比较; 缺少的会说明。\n\n"
        "\b\n示例:\n    fanpin diff rectification --from 2021 --to 2022\n"
        "    fanpin diff --data report-2024 --against @bundled\n"
        "    fanpin diff monitoring --yoy --to 2024-03 --data counties",
        "Change between two periods (default: the last two) or against an earlier "
        "dataset.\n\n"
        "--yoy and --pop compare the records of the period --to (default: each series' "
        "latest) with a year before (同比) or the period before (环比); a missing one is "
        "said.\n\n"
        "\b\nExample:\n    fanpin diff rectification --from 2021 --to 2022\n"
        "    fanpin diff --data report-2024 --against @bundled\n"
        "    fanpin diff monitoring --yoy --to 2024-03 --data counties",
    ),
    "diff.yoy": ("同比: 每个期间与一年前的同期比较。",
                 "同比: each period against the same period a year earlier."),
    "diff.pop": ("环比: 每个期间与其上一期比较。",
                 "环比: each period against the period before it."),
    "diff.old": ("较早的期间。", "Earlier period."),
    "diff.new": ("较晚的期间。", "Later period."),
    "diff.against": ("改为与此 (较早的) 数据集比较。",
                     "Compare with this (earlier) dataset instead."),
    "diff.relative_rates": ("同时给出百分数的相对变化% (其变化以百分点计)。",
                            "Also give the % change of percentages (their change is in "
                            "percentage points)."),
    "benchmark": (
        "把一个地区的数字与其上级和全国的数字并列 (口径相同时)。\n\n"
        "比率: 相差的百分点; 数量和金额: 占对方数字的比例; 只在单位和口径一致时比较, "
        "否则说明原因。除非 --data 已指定参考数据, 会加入内置参考数据 (@references); "
        "地区默认为第一个数据集的地区。"
        "\n\n\b\n示例:\n    fanpin benchmark monitoring\n"
        "    fanpin benchmark --region 620000 --data @references",
        "A region's figures beside its parent's and the country's, where they mean the "
        "same.\n\n"
        "Rates: difference in percentage points; counts and amounts: the region's share of "
        "the other's figure; only where units and bases agree, anything else with the "
        "reason. The bundled references (@references) are added unless --data already names "
        "one; the region defaults to that of the first dataset.\n\n"
        "\b\nExample:\n    fanpin benchmark monitoring\n"
        "    fanpin benchmark --region 620000 --data @references",
    ),
    # extract, verify
    "extract": (
        "找出报告中的每个数字: 候选记录, 其 id 与已知指标匹配。\n\n"
        "不匹配任何指标的数字得到草稿 id (draft.001 ...) 并保留; 用 --output 时写出一个"
        "数据集目录, 供审阅和 `fanpin check`。\n\n"
        "\b\n示例:\n    fanpin extract report.txt --region 620100 --period 2024 --output draft",
        "Find every figure of a report: candidate records, with ids matched to known "
        "indicators.\n\n"
        "Figures that match no indicator get draft ids (draft.001 ...) and are kept; with "
        "--output, a dataset directory to review and `fanpin check`.\n\n"
        "\b\nExample:\n    fanpin extract report.txt --region 620100 --period 2024 --output draft",
    ),
    "extract.reports": ("报告文件: .txt 或 .md (UTF-8 或 GB18030)、.docx、.html、.pdf。",
                        "Report files: .txt or .md (UTF-8 or GB18030), .docx, .html, .pdf."),
    "verify.reports": ("报告文件: .txt 或 .md (UTF-8 或 GB18030)、.docx、.html、.pdf。",
                       "Report files: .txt or .md (UTF-8 or GB18030), .docx, .html, .pdf."),
    "extract.like": ("用于识别指标的数据集 (默认: --data, 否则为内置数据)。",
                     "Dataset whose indicators to recognise (default: --data, else the bundled "
                     "one)."),
    "extract.region": ("报告的地区 (代码或名称; 默认: --like 的)。",
                       "The report's region (code or name; default: --like's)."),
    "extract.period": ("报告的期间 (默认: --like 的)。",
                       "The report's period (default: --like's)."),
    "extract.output": ("在此写出草稿数据集目录 (新的或空的)。",
                       "Write a draft dataset directory here (new or empty)."),
    "extract.explain": ("同时列出每个不是数值的数字及原因。",
                        "Also list each number that is not a figure, and why."),
    "verify": (
        "把草稿 (讲话稿、汇报) 中的每个数字与数据核对。\n\n"
        "每个数字: 一致、不一致、单位不同、参考或未知。有数字不一致时退出码为 1, 否则为 0。"
        "\n\n\b\n示例:\n    fanpin verify 汇报稿.docx",
        "Check every figure of a draft (a speech, a 汇报) against the data.\n\n"
        "Each figure: matches, differs, unit differs, reference or unknown. Exit 1 when a "
        "figure differs, 0 otherwise.\n\n"
        "\b\nExample:\n    fanpin verify 汇报稿.docx",
    ),
    "verify.region": ("与此地区的记录比较。", "Compare with this region's records."),
    "verify.period": ("与此期间的记录比较 (句中写明的年份优先)。",
                      "Compare with this period's records (a year the sentence names wins)."),
    # rank, scorecard
    "rank": (
        "按一个指标为某期间的各地区排名: 竞争排名 (1, 2, 2, 4)、名次变化 (--pop、--yoy)、"
        "与上级数字的差距 (比率以百分点计); 没有数值的地区排在最后。除非指标的方向或目标"
        "表明越低越好, 或用 --ascending, 高者在前。\n\n"
        "\b\n示例:\n"
        "    fanpin rank monitoring.risk_elimination_rate --pop --data counties -o text",
        "Rank regions on one indicator for a period: competition ranks (1, 2, 2, 4), the change "
        "of rank (--pop, --yoy), the gap to the parent's figure (percentage points for a rate); "
        "regions without a value last. Higher ranks first unless the indicator's direction or "
        "target says lower is better, or --ascending.\n\n"
        "\b\nExample:\n"
        "    fanpin rank monitoring.risk_elimination_rate --pop --data counties -o text",
    ),
    "rank.indicator": ("用于排名的指标。", "The indicator to rank on."),
    "*.among": (
        "为这些地区排名 (代码或名称; 可重复或以逗号分隔), 而不是数据中上级地区的各下级地区。",
        "Rank these regions (codes or names; repeatable or comma-separated) instead of the "
        "children of the parent region in the data.",
    ),
    "rank.ascending": ("越低越好: 从最低排起。", "Lower is better: rank from the lowest."),
    "rank.yoy": ("与一年前同期相比的名次变化。",
                 "Change of rank against the same period a year ago."),
    "rank.pop": ("与上一期相比的名次变化。", "Change of rank against the period before."),
    "rank.fmt": (
        "输出格式 (默认: 终端上为 table, 否则为 tsv); text: 每个地区一句通报用语。",
        "Output format (default: table on a terminal, tsv otherwise); text: the bulletin's "
        "sentence for each region.",
    ),
    "scorecard": (
        "一页看各地区 × 各指标: 每格为数值、对照适用目标的状态 (达标、未达标、未报告、无目标) "
        "和名次; 终端上按状态着色。机器格式: 每个指标有 ID、ID:status 和 ID:rank 三列。\n\n"
        "\b\n示例:\n"
        "    fanpin scorecard monitoring --data counties --targets county-targets.toml\n"
        "    fanpin scorecard monitoring --data counties --xlsx 计分卡.xlsx",
        "Regions x indicators on one page: each cell the value, its status against the target "
        "that applies (met, missed, not reported, no target) and its rank; coloured by status "
        "on a terminal. Machine formats: columns ID, ID:status and ID:rank for each "
        "indicator.\n\n"
        "\b\nExample:\n"
        "    fanpin scorecard monitoring --data counties --targets county-targets.toml\n"
        "    fanpin scorecard monitoring --data counties --xlsx 计分卡.xlsx",
    ),
    "scorecard.xlsx": ("同时写成工作簿 (按状态着色) 到 FILE。",
                       "Also write it as a workbook (coloured by status) to FILE."),
}  # fmt: skip
