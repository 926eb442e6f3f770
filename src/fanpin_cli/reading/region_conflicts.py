"""One code, one region: a dataset's regions.toml that renames a known region is a finding."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fanpin_cli.core.labels import message
from fanpin_cli.core.model import Finding, Region


def _line_of(path: str, code: str) -> int:
    """The line of `code = "CODE"` in a regions file (1 when it cannot be found)."""
    from fanpin_cli.core.errors import DataError
    from fanpin_cli.files.safe_read import read_bytes

    try:
        text = read_bytes(path).decode("utf-8-sig", "replace")
    except DataError:
        return 1
    m = re.search(r'^[ \t]*code[ \t]*=[ \t]*["\']' + re.escape(code), text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def conflicts(sources: Iterable[tuple[str, Iterable[Region]]]) -> Iterator[Finding]:
    """Regions defined differently in two region files, in the order given (reference first).

    Whichever file is loaded first would win silently, so that `--data` order decides
    whether 620100 is 兰州市 or something else; each later different definition is an
    error of rule `regions`, pointing at that later file.
    """
    first: dict[str, tuple[Region, str]] = {}
    for path, regions in sources:
        for region in regions:
            seen = first.get(region.code)
            if seen is None:
                first[region.code] = (region, path)
                continue
            old, old_path = seen
            if old == region or old_path == path:
                continue
            args = (region.code, region.name_zh, region.name_en, old_path, old.name_zh, old.name_en)
            yield Finding(
                rule="regions",
                severity="error",
                message=message("regions.renamed", args, "en"),
                expected=f"{old.name_zh} / {old.name_en}",
                actual=f"{region.name_zh} / {region.name_en}",
                file=path,
                line=_line_of(path, region.code),
                code="regions.renamed",
                args=args,
            )
