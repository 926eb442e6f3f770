"""The names of fanpin's sheets and columns in Chinese and English, and how headers are read.

A reader accepts a column by its field name or either language's label, so a workbook made
with `--lang en` reads the same as one made in Chinese, and columns may be moved.
"""

from __future__ import annotations

from fanpin_cli.core.labels import pick

# sheet key -> (zh, en)
SHEETS: dict[str, tuple[str, str]] = {
    "indicators": ("指标", "Indicators"),
    "dataset": ("数据集", "Dataset"),
    "instructions": ("填写说明", "Instructions"),
    "targets": ("目标与比较", "Targets and comparisons"),
    "datasets": ("来源与数据集", "Sources and datasets"),
    "sections": ("章节", "Sections"),
}
# Hidden sheets of a fill-in workbook: every definition the county does not type in.
DEFINITIONS_SHEET = "_fanpin_indicators"
SECTIONS_SHEET = "_fanpin_sections"

# The fill-in columns (template): field -> (zh, en)
TEMPLATE_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("编号", "id"),
    "name": ("指标", "Indicator"),
    "unit": ("单位", "Unit"),
    "value": ("数值", "Value"),
    "note": ("备注/来源", "Note / source"),
}

# Every column a workbook or CSV may carry: field -> (zh, en)
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "id": ("编号", "id"),
    "section": ("章节", "Section"),
    "name_zh": ("指标名称", "Name (Chinese)"),
    "name_en": ("指标名称(英文)", "Name (English)"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "period": ("期间", "Period"),
    "region_code": ("地区代码", "Region code"),
    "region_name_zh": ("地区", "Region"),
    "region_name_en": ("地区(英文)", "Region (English)"),
    "basis": ("口径", "Basis"),
    "source": ("出处", "Source quote"),
    "parts": ("组成部分", "Parts"),
    "ratio_numerator": ("分子", "Ratio numerator"),
    "ratio_denominator": ("分母", "Ratio denominator"),
    "subset_of": ("不超过", "Subset of"),
    "note": ("备注", "Note"),
    "additive": ("可加总", "Additive"),
    "direction": ("方向", "Direction"),
    "city_only": ("仅市级填报", "City only"),
    "written_as": ("原文写法", "Written as"),
    "equivalent_unit": ("等同单位", "Equivalent unit"),
    "qualifier": ("限定", "Qualifier"),
    "citation": ("引用", "Citation"),
}

# Columns of the 目标与比较 sheet beyond the fields above and labels.HEADERS: field -> (zh, en)
COMPARISON_LABELS: dict[str, tuple[str, str]] = {
    "region_name": ("地区", "Region"),
    "comparator": ("比较符", "Comparator"),
    "target_unit": ("目标单位", "Target unit"),
    "kind": ("目标类型", "Target kind"),
    "relative_to": ("参照指标", "Relative to"),
    "reference_value": ("参照数值", "Reference value"),
    "per": ("除数指标", "Per"),
    "per_value": ("除数数值", "Per value"),
    "threshold": ("门槛", "Threshold"),
    "status_zh": ("状态(中文)", "Status (Chinese)"),
    "target_year": ("目标年份", "Target year"),
    "basis_title": ("依据文件", "Basis: document"),
    "basis_issuer": ("发文单位", "Basis: issuer"),
    "basis_year": ("发文年份", "Basis: year"),
    "basis_quote": ("依据原文", "Basis: quote"),
    "basis_url": ("依据链接", "Basis: URL"),
    "basis_note": ("依据说明", "Basis: note"),
    "caveat": ("注意", "Caveat"),
    "progress_status": ("进展", "Progress"),
    "progress_ratio": ("进展比率", "Progress ratio"),
    "progress_departure": ("与参考方法的差异", "Departure from the reference method"),
}

# Free text: read back with its surrounding spaces (what goes out comes back)
FREE_TEXT = frozenset({"name_zh", "name_en", "source", "note", "written_as"})

# Words a workbook shows for a flag
FLAG_WORDS: dict[str, tuple[str, str]] = {"true": ("是", "true"), "false": ("否", "false")}

# The dataset sheet of a fill-in workbook: key -> (zh, en, editable)
DATASET_ROWS: dict[str, tuple[str, str, bool]] = {
    "region_code": ("地区代码", "Region code", False),
    "region_name": ("地区", "Region", False),
    "period": ("期间", "Period", False),
    "title_zh": ("标题", "Title", True),
    "publisher_zh": ("填报单位", "Publisher", True),
    "contact": ("联系人", "Contact person", True),
    "phone": ("联系电话", "Telephone", True),
    "published": ("填报日期", "Date", True),
    "notes": ("说明", "Notes", True),
}


# The datasets sheet of an export: field -> (zh, en)
DATASET_FIELDS: dict[str, tuple[str, str]] = {
    "path": ("路径", "Path"),
    "title_zh": ("标题", "Title (Chinese)"),
    "title_en": ("标题(英文)", "Title (English)"),
    "publisher_zh": ("发布单位", "Publisher (Chinese)"),
    "publisher_en": ("发布单位(英文)", "Publisher (English)"),
    "published": ("发布日期", "Published"),
    "region_code": ("地区代码", "Region code"),
    "period": ("期间", "Period"),
    "source_document": ("来源文件", "Source document"),
    "synthetic": ("合成数据", "Synthetic"),
    "notes": ("说明", "Notes"),
}


def header(field: str, lang: str) -> str:
    """A workbook column's header: the field's label here, else the view header, else itself."""
    from fanpin_cli.core.labels import HEADERS

    if field in FIELD_LABELS:
        return label(FIELD_LABELS, field, lang)
    if field in COMPARISON_LABELS:
        return label(COMPARISON_LABELS, field, lang)
    if field in HEADERS:
        return pick(lang, *HEADERS[field])
    return field


def sheet_name(key: str, lang: str) -> str:
    return pick(lang, *SHEETS[key])


def label(table: dict[str, tuple[str, str]], field: str, lang: str) -> str:
    return pick(lang, *table[field])


def find_sheet(names: list[str], key: str) -> str | None:
    """The sheet called by `key`'s Chinese or English name (or the key itself)."""
    wanted = {key.casefold(), *(n.casefold() for n in SHEETS[key])}
    for name in names:
        if name.strip().casefold() in wanted:
            return name
    return None


def header_fields(
    header: list[object], table: dict[str, tuple[str, str]]
) -> tuple[dict[str, int], list[str]]:
    """Column index of each known field in a header row, and the headers not recognised."""
    lookup: dict[str, str] = {}
    for field, names in table.items():
        for n in (field, *names):
            lookup[_norm(n)] = field
    found: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        if cell is None or str(cell).strip() == "":
            continue
        known = lookup.get(_norm(str(cell)))
        if known is None:
            unknown.append(str(cell))
        elif known not in found:
            found[known] = index
    return found, unknown


def _norm(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()
