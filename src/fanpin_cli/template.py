"""Write an empty dataset directory for a county to fill in, from a dataset's indicators."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from fanpin_cli.errors import UsageError, output_error
from fanpin_cli.model import Dataset, Indicator, Region


def _q(text: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML for these characters)."""
    return json.dumps(text, ensure_ascii=False)


def _record(ind: Indicator) -> str:
    lines = [
        "[[indicator]]",
        f"id = {_q(ind.id)}",
        f"name_zh = {_q(ind.name_zh)}",
        f"name_en = {_q(ind.name_en)}",
        "# value =         <- fill in as: value = 123 (leave the line out if not reported)",
        f"unit = {_q(ind.unit)}",
    ]
    if ind.basis:
        lines.append(f"basis = {_q(ind.basis)}")
    if ind.parts:
        lines.append(f"parts = [{', '.join(_q(p) for p in ind.parts)}]")
    if ind.ratio:
        lines.append(
            f"ratio = {{ numerator = {_q(ind.ratio[0])}, denominator = {_q(ind.ratio[1])} }}"
        )
    if ind.subset_of:
        lines.append(f"subset_of = {_q(ind.subset_of)}")
    if ind.additive is not None:
        lines.append(f"additive = {'true' if ind.additive else 'false'}")
    if ind.direction is not None:
        lines.append(f"direction = {_q(ind.direction)}")
    return "\n".join(lines) + "\n"


def write_template(dataset: Dataset, region: Region, period: str, directory: Path) -> list[Path]:
    """Create `directory` with dataset.toml and one file per section; never overwrites."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(
            "already exists and is not empty; choose a new directory", path=str(directory)
        )
    parent = directory.parent if str(directory.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError("its parent directory does not exist", path=str(directory))
    seen: set[str] = set()
    by_section: dict[str, list[Indicator]] = {}
    for ind in dataset.indicators:
        if ind.id not in seen:
            seen.add(ind.id)
            by_section.setdefault(ind.section, []).append(ind)
    try:
        return _write(dataset, region, period, directory, parent, by_section)
    except OSError as exc:  # out of space, permission denied: nothing is left behind
        raise output_error(exc, str(directory)) from None


def _write(
    dataset: Dataset,
    region: Region,
    period: str,
    directory: Path,
    parent: Path,
    by_section: dict[str, list[Indicator]],
) -> list[Path]:
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=parent))
    try:
        keys = [s.key for s in dataset.sections if s.key in by_section]
        (tmp / "dataset.toml").write_text(
            f"# Template for {region.name_zh} ({region.code}), {period}: fill in each value.\n"
            "[dataset]\n"
            f"title_zh = {_q(f'{region.name_zh}{period}年巩固拓展脱贫攻坚成果指标')}\n"
            f"title_en = {_q(f'{region.name_en} {period}: poverty-return monitoring indicators')}\n"
            f"publisher_zh = {_q(region.name_zh + '乡村振兴局')}\n"
            f'region_code = "{region.code}"\n'
            f'period = "{period}"\n'
            "synthetic = false\n"
            'notes = "Filled in by the county from its own records."\n\n'
            "[sections]\n"
            f"order = [{', '.join(_q(k) for k in keys)}]\n",
            encoding="utf-8",
        )
        written = [directory / "dataset.toml"]
        for section in dataset.sections:
            if section.key not in by_section:
                continue
            head = (
                f"[section]\nkey = {_q(section.key)}\nnumber = {_q(section.number)}\n"
                f"title_zh = {_q(section.title_zh)}\ntitle_en = {_q(section.title_en)}\n\n"
            )
            body = "\n".join(_record(i) for i in by_section[section.key])
            (tmp / f"{section.key}.toml").write_text(head + body, encoding="utf-8")
            written.append(directory / f"{section.key}.toml")
        if directory.exists():
            directory.rmdir()
        os.replace(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
