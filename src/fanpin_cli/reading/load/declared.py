"""Units a dataset declares in its dataset.toml (`[units]`), registered before its records
are checked, so a county's 亩, 公里 or 吨 is a known unit with a dimension and a scale.

```toml
[units]
"亩" = { dimension = "area", scale = 1, name_en = "mu" }
"万亩" = { dimension = "area", scale = 10000 }
"吨" = { dimension = "mass", scale = 1, class = "amount" }
```
"""

from __future__ import annotations

import re
from pathlib import Path

from fanpin_cli.core.errors import DataError
from fanpin_cli.core.schema import NAME_COLUMNS
from fanpin_cli.core.units import UNIT_CLASSES, declare, missing_bases
from fanpin_cli.reading.load.text import parse_toml, read_text

DIMENSION = re.compile(r"[a-z][a-z0-9_]*\Z")
ENGLISH = NAME_COLUMNS[1]  # a unit is named in English as a record is
KEYS = frozenset({"dimension", "scale", "class", ENGLISH})


def declare_units(directory: Path) -> None:
    """Register the units `directory/dataset.toml` declares; DataError at file:line if bad."""
    path = directory / "dataset.toml"
    if not path.is_file():
        return
    text = read_text(path)
    if "[units" not in text:  # the common case: nothing parsed (warm runs parse no TOML)
        return
    doc, lines = parse_toml(path, text)
    table = doc.get("units")
    if table is None:
        return
    where = lines.header("units")
    if not isinstance(table, dict):
        raise DataError.said(("units.table",), path=str(path), line=where)
    for symbol, spec in table.items():
        line = lines.key(where, symbol) if symbol.isidentifier() else where
        why = _problem(symbol, spec) or declare(
            symbol, spec["dimension"], spec.get("scale", 1), spec.get("class", "amount"),
            spec.get(ENGLISH, ""),
        )  # fmt: skip
        if why:
            raise DataError.said(("of.units+" + why[0], *why[1:]), path=str(path), line=line)
    bad = missing_bases()
    if bad:
        raise DataError.said(("of.units+units.no_base", bad[0]), path=str(path), line=where)


def _problem(symbol: str, spec: object) -> tuple[str, ...]:
    """Why `spec` does not declare the unit `symbol` ((code, *args) of labels.MESSAGES), or ()."""
    if not symbol.strip():
        return ("units.no_symbol",)
    if not isinstance(spec, dict):
        return ("units.not_table", symbol)
    unknown = sorted(set(spec) - KEYS)
    if unknown:
        return ("units.unknown_key", symbol, unknown[0], ", ".join(sorted(KEYS)))
    dimension = spec.get("dimension")
    if type(dimension) is not str or not DIMENSION.match(dimension):
        return ("units.dimension", symbol)
    scale = spec.get("scale", 1)
    if type(scale) is not int or scale <= 0:
        return ("units.scale", symbol)
    if spec.get("class", "amount") not in UNIT_CLASSES:
        return ("units.class", symbol, ", ".join(UNIT_CLASSES))
    if type(spec.get(ENGLISH, "")) is not str:
        return ("units.name_en", symbol)
    return ()
