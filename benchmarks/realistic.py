"""SYNTHETIC datasets of realistic records for the scale benchmark, in the layouts users have.

Every record is one of the bundled report's 97 records with all its fields (quote, source,
notes, parts, ratios, subsets, written-as numerals), replicated over INVENTED regions
(codes 9CCCKK: county KK of invented city 9CCC00, never a real GB/T 2260 code) and invented
periods. Only the region and period change, so the figures, quotes and relations stay as
the report has them; every dataset.toml says `synthetic = true` and its title says so.

Layouts (`write(layout, directory, records)`):
- `section`: one dataset, one file per section (seven files), every record with its own
  `region_code` and `period`, one source document for all of them;
  (at a million records `cooperation.toml` is about 68 MB: past the old 64 MiB limit);
- `split`: the same, each section's file split by period (`cooperation_2023.toml`, ...);
- `county`: a national collection, one dataset folder per county per year
  (`PERIOD/REGION/`), each with its own dataset.toml, source document and section files;
  the invented region table in the first folder's regions.toml.

Periods are every third year back from 2023 (2023, 2020, 2017, ...): the report's two
records per id dated one and two years earlier are shifted with their replica, and never
meet another replica's records.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
SECTIONS = ("deployment", "monitoring", "policy", "income", "cooperation", "construction",
            "rectification")  # fmt: skip
PERIODS = 5  # periods per region in the section layouts
LAYOUTS = ("section", "split", "county")
_PERIOD_LINE = re.compile(r'^period = "([0-9]{4})"\n', re.MULTILINE)
_REGION = '[[region]]\ncode = "{0}"\nname_zh = "{1}{0}"\nname_en = "{2} {0}"\nparent = "{3}"\n\n'
_HEADER, _RECORD = "[[indicator]]\n", "\n[[indicator]]\n"


def _blocks(section: str) -> tuple[str, list[str]]:
    """A bundled section file: its header (the [section] table) and its record blocks."""
    text = (DATA / f"{section}.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition(_HEADER)
    return head, [b.rstrip("\n") + "\n" for b in rest.split(_RECORD)]


def _shift(block: str, offset: int) -> str:
    """A block whose own period (the report's earlier years) moves `offset` years."""
    return _PERIOD_LINE.sub(lambda m: f'period = "{int(m[1]) + offset}"\n', block)


def periods(count: int) -> list[str]:
    return [str(2023 - 3 * k) for k in range(count)]


def regions(count: int) -> list[tuple[str, str]]:
    """`count` invented county codes with their invented city: (code, parent)."""
    out = []
    for n in range(count):
        city, county = divmod(n, 98)
        out.append((f"9{city:03d}{county + 1:02d}", f"9{city:03d}00"))
    return out


def replicas(records: int, per_region: int) -> list[tuple[str, str, str]]:
    """(region, parent, period) of enough replicas of the 97 records for `records`."""
    size = sum(len(_blocks(s)[1]) for s in SECTIONS)
    wanted = max(1, -(-records // size))
    n_regions = max(1, -(-wanted // per_region))
    out = [(r, p, period) for r, p in regions(n_regions) for period in periods(per_region)]
    return out[:wanted]


def _region_table(reps: list[tuple[str, str, str]]) -> str:
    lines = ["# SYNTHETIC: invented regions (codes 9CCCKK are not GB/T 2260 codes).\n"]
    seen: set[str] = set()
    for region, parent, _ in reps:
        if parent not in seen:
            seen.add(parent)
            lines.append(_REGION.format(parent, "合成市", "Synthetic city", "100000"))
        if region not in seen:
            seen.add(region)
            lines.append(_REGION.format(region, "合成县", "Synthetic county", parent))
    return "".join(lines)


def _meta(region: str | None, period: str | None, records: int) -> str:
    """The bundled dataset.toml, marked synthetic, with the replica's region and period."""
    text = (DATA / "dataset.toml").read_text(encoding="utf-8")
    text = text.replace("synthetic = false", "synthetic = true")
    text = re.sub(r'title_zh = "', 'title_zh = "(合成数据) ', text, count=1)
    text = re.sub(r'title_en = "', 'title_en = "SYNTHETIC ', text, count=1)
    text = re.sub(r"^notes = .*$", f'notes = "SYNTHETIC: the bundled report\'s records '
                  f'replicated ({records} in all) over invented regions and periods."',
                  text, count=1, flags=re.MULTILINE)  # fmt: skip
    for key, value in (("region_code", region), ("period", period)):
        line = re.compile(rf'^{key} = ".*"\n', re.MULTILINE)
        text = line.sub(f'{key} = "{value}"\n' if value else "", text)
    return text


def write(layout: str, directory: Path, records: int) -> Path:
    """Write about `records` realistic SYNTHETIC records in `layout` under `directory`."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    if layout == "county":
        return _write_county(directory, records)
    reps = replicas(records, PERIODS)
    (directory / "dataset.toml").write_text(_meta(None, None, records), encoding="utf-8")
    shutil.copy(DATA / "source.txt", directory / "source.txt")
    (directory / "regions.toml").write_text(_region_table(reps), encoding="utf-8")
    for section in SECTIONS:
        head, blocks = _blocks(section)
        for period in periods(PERIODS):
            name = f"{section}.toml" if layout == "section" else f"{section}_{period}.toml"
            with (directory / name).open("a", encoding="utf-8") as f:
                if f.tell() == 0:
                    f.write(head)
                for region, _, _ in (r for r in reps if r[2] == period):
                    offset = int(period) - 2023
                    for block in blocks:
                        f.write(_HEADER + _PERIOD_LINE.sub("", block))
                        own = _PERIOD_LINE.search(block)
                        shown = str(int(own[1]) + offset) if own else period
                        f.write(f'region_code = "{region}"\nperiod = "{shown}"\n\n')
    return directory


def _write_county(directory: Path, records: int) -> Path:
    per_region = PERIODS
    reps = replicas(records, per_region)
    files = {s: _blocks(s) for s in SECTIONS}
    for n, (region, _, period) in enumerate(reps):
        folder = directory / period / region
        folder.mkdir(parents=True)
        (folder / "dataset.toml").write_text(_meta(region, period, records), encoding="utf-8")
        shutil.copy(DATA / "source.txt", folder / "source.txt")
        if n == 0:
            (folder / "regions.toml").write_text(_region_table(reps), encoding="utf-8")
        offset = int(period) - 2023
        for section, (head, blocks) in files.items():
            body = _RECORD.join(_shift(b, offset) for b in blocks)
            (folder / f"{section}.toml").write_text(head + _HEADER + body, encoding="utf-8")
    return directory
