"""Export a Frictionless Data Package: the indicators CSV plus datapackage.json (Table Schema)."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from fanpin_cli.core.errors import OutputError, UsageError, output_error
from fanpin_cli.core.model import Dataset
from fanpin_cli.core.schema import KEY, Field, Indicator, columns, fields
from fanpin_cli.core.units import UNITS
from fanpin_cli.files.tempfiles import make_temp_file, sweep
from fanpin_cli.views.output import Output
from fanpin_cli.writers.export_meta import describe

# each exported column's Table Schema type and English documentation (fanpin_cli.core.schema)
FIELD_DOCS: dict[str, tuple[str, str]] = {c[0]: (c[1], c[2]) for c in columns(Indicator)}
_DECLARED = dict(fields(Indicator))


def _unit_text() -> str:
    return "; ".join(f"{u.symbol} = {u.name_en}" for u in UNITS.values())


def schema(fields: tuple[str, ...]) -> dict[str, Any]:
    """The Table Schema of the indicators CSV for `fields`."""
    out: list[dict[str, Any]] = []
    for name in fields:
        kind, doc = FIELD_DOCS.get(name, ("string", ""))
        field: dict[str, Any] = {"name": name, "type": kind, "description": doc}
        declared = _DECLARED.get(name)
        if declared is not None and declared.kind == "number":
            field["description"] = f"{doc} Units: {_unit_text()}."
        if declared is not None and declared.export:
            field.update(_constraints(declared))
        out.append(field)
    result: dict[str, Any] = {"fields": out, "missingValues": [""]}
    if set(KEY) <= set(fields):
        result["primaryKey"] = list(KEY)
    return result


def _constraints(f: Field) -> dict[str, Any]:
    """A declared field's Table Schema constraints: required, pattern, allowed values."""
    rules: dict[str, Any] = {"required": True} if f.required else {}
    if f.pattern and "(?" not in f.pattern:  # XML Schema regular expressions: no lookahead
        rules["pattern"] = f.pattern
    if f.choices or f.kind == "unit":
        rules["enum"] = list(UNITS) if f.kind == "unit" else list(f.choices)
    return {"constraints": rules} if rules else {}


def descriptor(dataset: Dataset, output: Output, csv_name: str) -> dict[str, Any]:
    """datapackage.json for the dataset and its CSV resource."""
    info = describe(dataset.metas, dataset.indicators)  # from every dataset and record in it
    package: dict[str, Any] = {
        "name": info.name,
        "title": info.title,
        "description": info.description,
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
    if info.sources:
        package["sources"] = [{"title": source} for source in info.sources]
    if info.synthetic:
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
        raise UsageError.said(("usage.not_directory",), path=str(directory))
    if not directory.parent.is_dir():
        raise UsageError.said(("usage.no_parent_directory",), path=str(directory))
    try:
        if st is None:
            _build_new(directory, files)
        else:
            _replace_in(directory, files)
    except OSError as exc:
        raise output_error(exc, str(directory)) from None


def _check_replaceable(directory: Path, targets: list[Path]) -> None:
    """Refuse before anything is written when one of `targets` cannot be renamed over.

    In a shared folder with the sticky bit (like /tmp), only a file's owner (or the
    folder's, or root) may replace it: with datapackage.json someone else's, the rename
    of indicators.csv would go through and the second fail, leaving half a package.
    """
    folder = os.stat(directory)
    me = os.geteuid()
    if not folder.st_mode & stat.S_ISVTX or me in (0, folder.st_uid):
        return
    for target in targets:
        try:
            owner = os.lstat(target).st_uid
        except FileNotFoundError:
            continue
        if owner != me:
            raise OutputError.said(("output.sticky_owner",), path=str(target))


def _write_all(fd: int, data: bytes) -> None:
    with os.fdopen(os.dup(fd), "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _build_new(directory: Path, files: dict[str, bytes]) -> None:
    from fanpin_cli.files.atomic import atomic_directory

    with atomic_directory(directory) as tmp:
        for name, data in files.items():
            fd = os.open(tmp / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)


def _replace_in(directory: Path, files: dict[str, bytes]) -> None:
    for name in files:
        target = directory / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise UsageError.said(("usage.in_the_way",), path=str(target))
    _check_replaceable(directory, [directory / name for name in files])
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
