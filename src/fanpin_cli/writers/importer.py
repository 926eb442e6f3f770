"""`fanpin import FILE DIR`: a filled workbook (or export) as the canonical TOML dataset directory.

Collected submissions are reviewed and kept in git as TOML: the workbook is read through
the same validation as `--data FILE` (an invalid workbook writes nothing), and the TOML
written loads back to the same records (tests/reading/sheets/test_sheets.py round-trips it).
A workbook holding several regions (an export of a city and its counties) becomes one
directory per region code under DIR.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fanpin_cli.core.errors import UsageError, output_error
from fanpin_cli.core.model import DatasetMeta, Indicator, Section
from fanpin_cli.core.schema import fields
from fanpin_cli.files.atomic import atomic_directory, looked_at

# the TOML the template writer writes
from fanpin_cli.writers.template_toml import toml_value, write_dataset


def indicator_toml(ind: Indicator, meta: DatasetMeta) -> str:
    """One `[[indicator]]` table with every field the record has (fanpin_cli.core.schema); period
    and region_code only where they differ from the dataset's own."""
    lines = ["[[indicator]]"]
    value: Any
    for (name, f), value in zip(fields(Indicator), ind, strict=True):
        if not f.read or value is None or value == ():
            continue
        if f.default and value == getattr(meta, f.default):
            continue  # given once in dataset.toml
        lines.append(f"{f.key or name} = {toml_value(f.kind, value)}")
    return "\n".join(lines) + "\n"


def import_workbook(source: Path, directory: Path) -> list[Path]:
    """Write `source` (a workbook or export CSV) as TOML under `directory`; never overwrites."""
    from fanpin_cli.reading.sheets.read import load_sheet

    with looked_at(directory):
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise UsageError.said(("usage.import_directory",), path=str(directory))
    data = load_sheet(source, strict=True)
    if not data.indicators:
        raise UsageError.said(("usage.nothing_to_import",), path=str(source))
    groups: dict[str, list[Indicator]] = {}
    for ind in data.indicators:
        groups.setdefault(ind.region_code, []).append(ind)
    written: list[Path] = []
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)  # as `mkdir -p` would
        with atomic_directory(directory) as tmp:
            for region, records in groups.items():
                sub = Path(region) if len(groups) > 1 else Path()
                (tmp / sub).mkdir(parents=True, exist_ok=True)
                written += _write_dataset(tmp / sub, directory / sub, data.meta, region, records,
                                          data.sections, source)  # fmt: skip
    except OSError as exc:  # out of space, permission denied: nothing is left behind
        raise output_error(exc, str(directory)) from None
    return written


def _write_dataset(
    tmp: Path,
    final: Path,
    meta: DatasetMeta,
    region: str,
    records: list[Indicator],
    sections: Sequence[Section],
    source: Path,
) -> list[Path]:
    period = Counter(i.period for i in records).most_common(1)[0][0]
    if meta.period in {i.period for i in records}:
        period = meta.period  # keep the dataset's own period where it has records
    from fanpin_cli.reading.sheets.common import SHEET_KEY

    extra = {k: v for k, v in meta.extra.items() if k != SHEET_KEY}  # where it was read
    here = meta._replace(region_code=region, period=period, extra=extra)
    by_section: dict[str, list[Indicator]] = {}
    for ind in records:
        by_section.setdefault(ind.section, []).append(ind)
    known = {s.key: s for s in sections}
    tables = [(known.get(key) or Section(key, key, key), (indicator_toml(i, here) for i in group))
              for key, group in by_section.items()]  # fmt: skip
    return write_dataset(tmp, final, here, f"Imported by fanpin from {source.name}", tables)
