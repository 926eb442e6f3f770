"""Every region of China: the national list of GB/T 2260 codes, read only when needed.

The bundled dataset's `regions.toml` names its own regions (Gansu, Lanzhou and its eight
districts and counties) in Chinese and English; a report of 保山市 or 和政县 needs the rest.
`data/divisions/` holds the Ministry of Civil Affairs' list of every province, prefecture and
county (its file's header cites edition and source). It is read only when a --region is not
in the loaded datasets' own tables, so commands that do not resolve such a name never pay for
it. The list has Chinese names only: its regions' English name is the Chinese one.

A region's parent follows from its code: a county's is its prefecture (the code with 00 in
place of its last two digits) when the list has it, else its province (counties directly
under a province, and the districts of Beijing, Tianjin, Shanghai and Chongqing); a
prefecture's is its province; a province's is the country, 100000 (全国) as in the bundled
table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from fanpin_cli.core.model import Dataset, Region

FILE = "mca-2024.tsv"
COUNTRY = "100000"


class Divisions(NamedTuple):
    """The national list: names by code, and codes by name (case-folded)."""

    names: dict[str, str]
    by_name: dict[str, list[str]]

    def region(self, code: str) -> Region | None:
        """The region of `code`, or None."""
        name = self.names.get(code)
        return None if name is None else Region(code, name, name, _parent(code, self.names))

    def named(self, text: str) -> list[Region]:
        """The regions whose code or name is `text` (a name compared case-insensitively)."""
        codes = [text] if text in self.names else self.by_name.get(text.strip().casefold(), [])
        return [r for r in map(self.region, codes) if r is not None]

    def chain(self, code: str) -> list[Region]:
        """`code`'s region, then its parent, grandparent, ... (the country not included)."""
        out: list[Region] = []
        region = self.region(code)
        while region is not None and len(out) < 4:
            out.append(region)
            region = self.region(region.parent or "")
        return out


def path() -> Path:
    from fanpin_cli.core.bundled import bundled_data_dir

    return bundled_data_dir() / "divisions" / FILE


@lru_cache(maxsize=1)
def national() -> Divisions:
    """The national list (read once per process), or a DataError naming its file."""
    from fanpin_cli.reading.load.text import read_text

    rows = [line.split("\t", 1) for line in read_text(path()).splitlines()
            if line and not line.startswith("#")]  # fmt: skip
    names = dict(rows)
    by_name: dict[str, list[str]] = {}
    for code, name in rows:
        by_name.setdefault(name.casefold(), []).append(code)
    return Divisions(names, by_name)


def name_regions(dataset: Dataset) -> Dataset:
    """`dataset` with the national list's row for each dataset's region (dataset.toml's
    region_code) that no loaded table names, so that its records print a name beside the
    code; only the region itself, not its parents, which would change what a roll-up
    expects of them."""
    known = {r.code for r in dataset.regions}
    wanted = dict.fromkeys(c for m in dataset.metas if (c := m.region_code) and c not in known)
    found = [r for r in map(national().region, wanted) if r is not None]
    return dataset._replace(regions=dataset.regions + tuple(found)) if found else dataset


def _parent(code: str, codes: dict[str, str]) -> str:
    province, prefecture = code[:2] + "0000", code[:4] + "00"
    if code == province:
        return COUNTRY
    if code != prefecture and prefecture in codes:
        return prefecture
    return province


def describe(region: Region, lookup: Callable[[str], Region | None]) -> str:
    """'130105 新华区 (河北省 石家庄市)': a region with the names of its parents below the
    country, each found by `lookup` (a code to its region)."""
    parents: list[str] = []
    parent = lookup(region.parent) if region.parent else None
    while parent is not None and parent.code != COUNTRY and len(parents) < 4:
        parents.insert(0, parent.name_zh)
        parent = lookup(parent.parent) if parent.parent else None
    where = f" ({' '.join(parents)})" if parents else ""
    return f"{region.code} {region.name_zh}{where}"
