"""Write an empty dataset directory for a county to fill in, from a dataset's indicators."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from fanpin_cli.core.decimals import format_number
from fanpin_cli.core.errors import UsageError, output_error
from fanpin_cli.core.model import Dataset, DatasetMeta, Indicator, Region, Section
from fanpin_cli.core.schema import fields
from fanpin_cli.files.atomic import atomic_directory, looked_at


def _q(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and JSON escapes every control
    character TOML forbids raw but one, DEL (U+007F), escaped here (a note with it was
    written raw, and the imported dataset did not load)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(kind: str, value: Any) -> str:
    """A field value as TOML, by its declared kind."""
    if kind == "ids":
        return f"[{', '.join(_q(p) for p in value)}]"
    if kind == "ratio":
        return f"{{ numerator = {_q(value[0])}, denominator = {_q(value[1])} }}"
    if kind == "flag":
        return "true" if value else "false"
    if kind == "number":
        return format_number(value)
    return _q(value)


def _record(ind: Indicator) -> str:
    """An indicator's definition as a `[[indicator]]` table: the fields templates carry
    (fanpin_cli.core.schema), and a prompt where the county fills in its own figure."""
    lines = ["[[indicator]]"]
    for (name, f), value in zip(fields(Indicator), ind, strict=True):
        if f.prompt:
            lines.append(f"# {f.prompt}")
        elif f.carry and (value or f.required or (f.kind == "flag" and value is not None)):
            lines.append(f"{name} = {toml_value(f.kind, value)}")
    return "\n".join(lines) + "\n"


def template(dataset: Dataset, region: str, period: str, path: Path, lang: str) -> list[Path]:
    """`fanpin template`: an empty dataset for `region` (code or name) and `period` at
    `path`, a TOML directory or, when it ends in .xlsx, a workbook; the paths written. A
    name that says another file format (`yd.ods`, `yd.csv`) is a UsageError, never a TOML
    directory of that name."""
    from fanpin_cli.analysis.filters import find_region
    from fanpin_cli.analysis.query import resolve_region
    from fanpin_cli.reading.load import PERIOD_RE

    if not PERIOD_RE.match(period):
        raise UsageError.said(("usage.template_period", period))
    found = find_region(dataset, resolve_region(dataset, region))
    if found is None:
        raise UsageError.said(("usage.template_region", region))
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".csv", ".xlsm", ".toml", ".json"):
        raise UsageError.said(("usage.template_suffix", suffix), path=str(path))
    if suffix != ".xlsx":
        return write_template(dataset, found, period, path)
    from fanpin_cli.writers.template_xlsx import write_template_xlsx

    with looked_at(path):
        if path.exists():
            raise UsageError.said(("usage.exists",), path=str(path))
    write_template_xlsx(dataset, found, period, path, lang)
    return [path]


def write_template(dataset: Dataset, region: Region, period: str, directory: Path) -> list[Path]:
    """Create `directory` with dataset.toml and one file per section; never overwrites."""
    with looked_at(directory):
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise UsageError.said(("usage.exists_directory",), path=str(directory))
    from fanpin_cli.writers.template_xlsx import template_indicators, template_meta

    by_section: dict[str, list[Indicator]] = {}
    for ind in template_indicators(dataset, region):
        by_section.setdefault(ind.section, []).append(ind)
    tables = [(s, map(_record, by_section[s.key])) for s in dataset.sections if s.key in by_section]
    comment = f"Template for {region.name_zh} ({region.code}), {period}: fill in each value."
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)  # as `mkdir -p` would
        with atomic_directory(directory) as tmp:
            return write_dataset(tmp, directory, template_meta(region, period), comment, tables)
    except OSError as exc:  # out of space, permission denied: nothing is left behind
        raise output_error(exc, str(directory)) from None


def write_dataset(
    tmp: Path,
    final: Path,
    meta: DatasetMeta,
    comment: str,
    sections: Sequence[tuple[Section, Iterable[str]]],
) -> list[Path]:
    """Write dataset.toml and a file a section with its `[[indicator]]` tables into `tmp`;
    the paths they will have under `final`."""
    order = [section.key for section, _ in sections]
    (tmp / "dataset.toml").write_text(_dataset_toml(meta, order, comment), encoding="utf-8")
    written = [final / "dataset.toml"]
    for section, tables in sections:
        (tmp / f"{section.key}.toml").write_text(_section_toml(section, tables), encoding="utf-8")
        written.append(final / f"{section.key}.toml")
    return written


def _dataset_toml(meta: DatasetMeta, sections: Iterable[str], comment: str) -> str:
    """A dataset.toml: a comment line, the `[dataset]` fields `meta` has, the section order."""
    lines = [f"# {comment}", "[dataset]"]
    for key in ("title_zh", "title_en", "publisher_zh", "publisher_en", "published"):
        text = getattr(meta, key)
        if text:
            lines.append(f"{key} = {_q(text)}")
    for key, text in sorted(meta.extra.items()):
        lines.append(f"{key} = {_q(text)}")
    lines += [f"region_code = {_q(meta.region_code or '')}", f"period = {_q(meta.period or '')}",
              f"synthetic = {'true' if meta.synthetic else 'false'}"]  # fmt: skip
    if meta.notes:
        lines.append(f"notes = {_q(meta.notes)}")
    lines += ["", "[sections]", f"order = [{', '.join(_q(k) for k in sections)}]"]
    return "\n".join(lines) + "\n"


def _section_toml(section: Section, tables: Iterable[str]) -> str:
    """A section file: its `[section]` table, then each `[[indicator]]` table after a blank line."""
    head = (f"[section]\nkey = {_q(section.key)}\nnumber = {_q(section.number)}\n"
            f"title_zh = {_q(section.title_zh)}\ntitle_en = {_q(section.title_en)}\n")  # fmt: skip
    return head + "".join("\n" + table for table in tables)
