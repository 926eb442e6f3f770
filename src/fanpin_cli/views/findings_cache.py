"""`fanpin check`'s report kept in the cache while none of the files it came from changed.

A warm check of a national collection decoded every record of every county to find the
same findings again (36 s at a million records, more than a cold parse's third). The
report is what the files say, so it is kept beside the datasets' entries: one file per
set of inputs (the datasets as given, the working directory, --targets), holding the key
of every file read (names and stats of each dataset folder, as the records' entries have
them; the bundled region table; --targets), each source document's stat, and a CRC-32 of
any file changed within two seconds of the write (cache.RACY_NS: a stat alone could miss
an edit within the file system's clock tick). Anything that does not match, or does not
parse as a report, is ignored: the check runs again and replaces it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from fanpin_cli.analysis.checks import CheckReport, run_checks
from fanpin_cli.core.errors import DataError
from fanpin_cli.core.model import Dataset, Finding
from fanpin_cli.reading.store import cache

REPORT = "check-report"  # in each report file, beside its format and key


class Checked(NamedTuple):
    """A check's report and where its findings are shown: each spreadsheet's sheet, by path."""

    report: CheckReport
    sheets: dict[str, str]


def checked(
    paths: Sequence[Path] | None,
    targets: Path | None,
    load: Callable[[], Dataset],
    *,
    cached: bool = True,
) -> Checked:
    """Every rule run over `load()` (the datasets of `paths`, with `targets`), or the report
    it gave last time when no file it came from changed (`cached` and the cache on); with
    the indicators sheet of each spreadsheet read (views.findings.sheets_of)."""
    from fanpin_cli.views.findings import sheets_of

    key = _key(paths, targets) if cached and cache.enabled() else None
    if key is None:
        dataset = load()
        return Checked(run_checks(dataset), sheets_of(dataset))
    file = cache.cache_dir() / f"{REPORT}-{key[0]}.json"
    report = _read(file, key[1])
    if report is not None:
        return report
    dataset = load()
    report = Checked(run_checks(dataset), sheets_of(dataset))
    stamp = time.time_ns()
    dependencies = _dependencies(dataset, targets, key[2], stamp)
    if dependencies is not None and _key(paths, targets) == key:  # nothing changed meanwhile
        _write(file, key[1], dependencies, report)
    return report


def _key(
    paths: Sequence[Path] | None, targets: Path | None
) -> tuple[str, str, list[cache.Key]] | None:
    """(which report file, the digest of every input's stats, the datasets' keys); None
    when an input cannot be looked at (loading then says what is wrong)."""
    from fanpin_cli.core.bundled import bundled_data_dir
    from fanpin_cli.reading.load import expand, resolve_path

    try:
        chosen = [d for p in paths for d in expand(resolve_path(p))] if paths else []
        keys = [cache.fingerprint(d) for d in [*chosen, bundled_data_dir()]]
        given = [os.getcwd(), *map(str, paths or ()), str(targets)]
        st = os.stat(targets) if targets is not None else None
        extra = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if st else None
    except (OSError, DataError):
        return None
    slot = cache.digest(repr(given).encode("utf-8", "surrogateescape"))
    text = repr((cache.FORMAT, given, [k.digest for k in keys], extra))
    return slot, cache.digest(text.encode("utf-8", "surrogateescape")), keys


def _dependencies(
    dataset: Dataset, targets: Path | None, keys: list[cache.Key], stamp: int
) -> list[list[Any]] | None:
    sources = {str(Path(m.path).resolve()): m.source_document for m in dataset.metas}
    found: list[list[Any]] = []
    for key in keys:
        more = cache.dependencies(key, sources.get(key.target), stamp)
        if more is None:
            return None
        found += more
    if targets is not None:
        found += cache.file_dependency(str(targets), stamp)
    return found


def _write(file: Path, key: str, dependencies: list[list[Any]], checked: Checked) -> None:
    findings = [list(f) for f in checked.report.findings]
    body = {"format": REPORT, "key": key, "dependencies": dependencies, "sheets": checked.sheets,
            "checks_run": checked.report.checks_run, "findings": findings}  # fmt: skip
    with contextlib.suppress(OSError, ValueError, TypeError):
        cache.write_file(file, [json.dumps(body, ensure_ascii=False).encode("utf-8")])


_TEXT = (str, type(None))


def _read(file: Path, key: str) -> Checked | None:
    """The report in `file` when it is one, for `key`, and its files are unchanged."""
    try:
        with open(file, "rb") as handle:
            body = json.loads(handle.read())
        if type(body) is not dict or body.get("format") != REPORT or body.get("key") != key:
            return None
        if not cache.still_valid(body.get("dependencies")) or type(body["checks_run"]) is not int:
            return None
        sheets = body["sheets"]
        if type(sheets) is not dict or not all(type(v) is str for v in sheets.values()):
            return None
        findings = tuple(map(_finding, body["findings"]))
        return Checked(CheckReport(findings, body["checks_run"]), sheets)
    except Exception:  # missing, unreadable, damaged or foreign: check again
        return None


def _finding(item: Any) -> Finding:
    """A finding as `_write` stored it, its every field of the expected type (or ValueError)."""
    rule, severity, message, indicators, expected, actual, file, line, code, args = item
    texts = (rule, message, file, code, *indicators, *args)
    if not all(type(t) is str for t in texts) or severity not in ("error", "warning"):
        raise ValueError("not a finding")
    if not all(isinstance(t, _TEXT) for t in (expected, actual)) or type(line) is not int:
        raise ValueError("not a finding")
    return Finding(rule, severity, message, tuple(indicators), expected, actual, file, line,
                   code, tuple(args))  # fmt: skip
