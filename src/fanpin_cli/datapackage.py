"""Export a Frictionless Data Package: the indicators CSV plus datapackage.json (Table Schema)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any

from fanpin_cli.errors import UsageError, output_error
from fanpin_cli.formats.base import Output
from fanpin_cli.model import BASES, Dataset
from fanpin_cli.tempfiles import make_temp_dir, make_temp_file, sweep
from fanpin_cli.units import UNITS

FIELD_DOCS: dict[str, tuple[str, str]] = {
    "id": ("string", "Stable indicator id, section.slug (ASCII)."),
    "section": ("string", "Section of the report the figure comes from."),
    "name_zh": ("string", "Indicator name in Chinese, close to the report's own words."),
    "name_en": ("string", "Indicator name in English."),
    "value": ("number", "The figure exactly as reported, in the unit of the unit column."),
    "unit": ("string", "Unit as written in the report."),
    "period": ("string", "Period the figure refers to: YYYY, YYYY-Qn or YYYY-MM."),
    "region_code": ("string", "GB/T 2260 administrative division code (six digits)."),
    "region_name_zh": ("string", "Region name in Chinese."),
    "region_name_en": ("string", "Region name in English."),
    "basis": ("string", "annual, cumulative or point-in-time, where the report says."),
    "source": ("string", "Verbatim quote from the source document that contains the figure."),
    "parts": ("string", "Ids (separated by ;) whose values add up to this one."),
    "ratio_numerator": ("string", "Id of the numerator this rate is derived from."),
    "ratio_denominator": ("string", "Id of the denominator this rate is derived from."),
    "subset_of": ("string", "Id of an indicator this one cannot exceed."),
    "note": ("string", "Remarks."),
}


def _unit_text() -> str:
    return "; ".join(f"{u.symbol} = {u.name_en}" for u in UNITS.values())


def schema(fields: tuple[str, ...]) -> dict[str, Any]:
    """The Table Schema of the indicators CSV for `fields`."""
    out: list[dict[str, Any]] = []
    for name in fields:
        kind, doc = FIELD_DOCS.get(name, ("string", ""))
        field: dict[str, Any] = {"name": name, "type": kind, "description": doc}
        if name == "value":
            field["description"] = f"{doc} Units: {_unit_text()}."
        if name in ("id", "name_zh", "name_en", "unit", "period", "region_code", "section"):
            field["constraints"] = {"required": True}
        if name == "region_code":
            field["constraints"]["pattern"] = "[0-9]{6}"
        if name == "basis":
            field["constraints"] = {"enum": list(BASES)}
        if name == "unit":
            field["constraints"]["enum"] = list(UNITS)
        out.append(field)
    result: dict[str, Any] = {"fields": out, "missingValues": [""]}
    if {"id", "region_code", "period"} <= set(fields):
        result["primaryKey"] = ["id", "region_code", "period"]
    return result


def descriptor(dataset: Dataset, output: Output, csv_name: str) -> dict[str, Any]:
    """datapackage.json for the dataset and its CSV resource."""
    meta = dataset.metas[0] if dataset.metas else None
    title = meta.title_en if meta and meta.title_en else "fanpin indicators"
    name = re.sub(r"[^a-z0-9._-]+", "-", f"fanpin-{meta.region_code or ''}-{meta.period or ''}"
                  if meta else "fanpin").strip("-")  # fmt: skip
    package: dict[str, Any] = {
        "name": name or "fanpin",
        "title": title,
        "description": meta.notes if meta and meta.notes else title,
        "resources": [
            {
                "name": "indicators",
                "path": csv_name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema(output.fields),
            }
        ],
    }
    if meta and meta.publisher_en:
        package["sources"] = [{"title": f"{meta.title_zh} ({meta.publisher_zh}, {meta.published})"}]
    if any(m.synthetic for m in dataset.metas):
        package["keywords"] = ["synthetic"]
    return package


def export_datapackage(dataset: Dataset, output: Output, csv_text: str, directory: Path) -> None:
    """Write indicators.csv and datapackage.json into `directory` (created if missing).

    All or nothing: a new directory is built beside it under a temporary name and renamed
    into place; in an existing one, both files are written aside first and only then
    renamed over the old ones. Anything in the way is refused before a byte is written,
    and a failure (a full disk) leaves what was there.
    """
    text = json.dumps(descriptor(dataset, output, "indicators.csv"), ensure_ascii=False, indent=2)
    files = {
        "indicators.csv": csv_text.encode("utf-8"),
        "datapackage.json": (text + "\n").encode("utf-8"),
    }
    try:
        st: os.stat_result | None = os.stat(directory)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise output_error(exc, str(directory)) from None
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise UsageError("is not a directory", path=str(directory))
    parent = directory.parent if str(directory.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError("its parent directory does not exist", path=str(directory))
    try:
        if st is None:
            _build_new(directory, files)
        else:
            _replace_in(directory, files)
    except OSError as exc:
        raise output_error(exc, str(directory)) from None


def _write_all(fd: int, data: bytes) -> None:
    with os.fdopen(os.dup(fd), "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _build_new(directory: Path, files: dict[str, bytes]) -> None:
    sweep(directory)
    lock, tmp = make_temp_dir(directory)
    try:
        for name, data in files.items():
            fd = os.open(os.path.join(tmp, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
        os.chmod(tmp, 0o755)
        os.rename(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.close(lock)


def _replace_in(directory: Path, files: dict[str, bytes]) -> None:
    for name in files:
        target = directory / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise UsageError(
                "is in the way: the data package writes a regular file of that name",
                path=str(target),
            )
    made: list[tuple[int, str, Path]] = []
    try:
        for name, data in files.items():
            target = directory / name
            sweep(target)
            fd, tmp = make_temp_file(target)
            made.append((fd, tmp, target))
            _write_all(fd, data)
            os.chmod(tmp, 0o644)
        for _, tmp, target in made:
            os.replace(tmp, target)
    except BaseException:
        for _, tmp, _ in made:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    finally:
        for fd, _, _ in made:
            os.close(fd)
