"""A cache of parsed dataset directories, so that a warm run never parses TOML.

- Where: `$XDG_CACHE_HOME/fanpin/` (default `~/.cache/fanpin/`), one file per dataset path.
- Keyed by a fingerprint of every file in the dataset directory (name, size, modification
  time in nanoseconds and checksums of the content), the cache format and fanpin's version:
  edit, add or remove a file and the next run parses again. It is never served stale.
- Format: a header line, a checksum of the rest, then `marshal` data of plain tuples, dicts,
  strings, numbers and None (Decimals as their text), each record stored by field name
  (fanpin_cli.schema), so a record whose fields changed is refused, never misread. marshal
  only builds values, it never runs code, and everything read is checked for shape and type
  before use; pickle, which can run code on load, is not used. (JSON was measured about 4x
  slower to read for 100,000 records.)
- A corrupt, truncated or foreign file is ignored and rebuilt; the cache is written to a
  temporary file and renamed (fanpin_cli.atomic), so two fanpin processes writing at once
  each leave a whole file. Any error reading or writing the cache only means parsing again.
- `FANPIN_CACHE=0` (or `false`, `no`, `off`) switches it off.

The loader (fanpin_cli.load) calls this module; this module never calls the loader.
"""

from __future__ import annotations

import marshal
import os
import zlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from fanpin_cli import __version__
from fanpin_cli.errors import FanpinError
from fanpin_cli.model import DirectoryData, Finding
from fanpin_cli.packing import pack, unpack
from fanpin_cli.safe_read import read_bytes
from fanpin_cli.schema import DatasetMeta, Region, Section, Target, fields

FORMAT = 4  # 2: Indicator.direction; 3: records stored by field name; 4: written_as,
# equivalent_unit, Target.kind and per
MAGIC = b"fanpin-cache %d\n" % FORMAT
OFF = frozenset({"0", "false", "no", "off"})


def enabled() -> bool:
    """Whether FANPIN_CACHE allows the cache (on unless it says 0, false, no or off)."""
    return os.environ.get("FANPIN_CACHE", "1").strip().lower() not in OFF


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/fanpin, or ~/.cache/fanpin."""
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "fanpin"


def _digest(data: bytes) -> str:
    """64 bits of checksum (CRC-32 and Adler-32; zlib loads faster than hashlib's OpenSSL)."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def fingerprint(path: Path) -> str:
    """A digest of every file in the dataset directory (or the file): name, size, mtime, content.

    Size and modification time alone can miss an edit that keeps the size within one tick of
    the file system's clock (tests do that); checksums of the bytes (about 20 ms for 19 MB
    here) do not, so a cached entry is never stale.
    """
    target = path.resolve()
    files = sorted(p for p in target.iterdir() if p.is_file()) if target.is_dir() else [target]
    parts = [repr((FORMAT, __version__, str(target)))]
    for file in files:
        st = file.stat()
        content = read_bytes(file)  # regular files only, bounded: never a FIFO or /dev/zero
        parts.append(repr((file.name, st.st_size, st.st_mtime_ns, _digest(content))))
    return _digest("\n".join(parts).encode("utf-8"))


def cache_file(path: Path) -> Path:
    """The cache file for a dataset path (one per path: a changed dataset replaces it)."""
    resolved = str(path.resolve())
    stem = "".join(c if c.isalnum() else "-" for c in path.resolve().name)[:40]
    return cache_dir() / f"{stem}-{_digest(resolved.encode('utf-8'))}.cache"


# ------------------------------------------------------------------ encoding


def _plain_value(value: object) -> object:
    """A field value as marshal writes it: Decimals as text, nested records and maps as dicts."""
    if type(value) is Decimal:
        return str(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return _fields_of(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _fields_of(record: Any) -> dict[str, object]:
    return {name: _plain_value(v) for name, v in zip(record._fields, record, strict=True)}


def _record(record: type[Any], raw: object) -> Any:
    """A record rebuilt from its fields by name; the names must be exactly the record's own."""
    if type(raw) is not dict or set(raw) != set(record._fields):
        raise ValueError("fields differ")
    values = dict(raw)
    for name, f in fields(record) if record is not Finding else ():
        if f.kind == "number" and type(values[name]) is str:
            values[name] = Decimal(values[name])
        elif f.kind == "table":
            values[name] = _record(record.__annotations__[name].__origin__, values[name])
    return record(**values)


def encode(key: str, data: DirectoryData, packed: Sequence[bytes] | None = None) -> bytes:
    """The cache file's bytes for `data` (`packed`: its indicators, packed already)."""
    payload: Any = {
        "key": key,
        "meta": _fields_of(data.meta),
        "sections": tuple(map(_fields_of, data.sections)),
        "indicators": tuple(packed) if packed is not None else (pack(data.indicators),),
        "targets": tuple(map(_fields_of, data.targets)),
        "regions": tuple(map(_fields_of, data.regions)),
        "source_text": data.source_text,
        "problems": tuple(map(_fields_of, data.problems)),
    }
    body = marshal.dumps(payload)
    return MAGIC + _checksum(body) + b"\n" + body


def _checksum(body: bytes) -> bytes:
    """Checksum of the payload: a flipped bit or torn write is detected, not served."""
    return _digest(body).encode("ascii")


ALLOWED = (str, int, bool, type(None))


def _plain(obj: object, depth: int = 0) -> bool:
    """Only str, int, bool, None, tuples and str-keyed dicts of them (no code, floats, bytes)."""
    if type(obj) is tuple:
        return depth < 5 and all(_plain(x, depth + 1) for x in obj)
    if type(obj) is dict:
        return depth < 5 and all(type(k) is str and _plain(v, depth + 1) for k, v in obj.items())
    return type(obj) in ALLOWED


def decode(
    blob: bytes,
    key: str,
    region: str | None = None,
    period: str | None = None,
    *,
    indicators: bool = True,
) -> DirectoryData | None:
    """DirectoryData from cache bytes, or None when they are not a valid entry for `key`.

    `region` and `period` keep only those records; `indicators=False` builds none at all
    (the region table is all that is wanted).
    """
    if not blob.startswith(MAGIC):
        return None
    checksum, _, body = blob[len(MAGIC) :].partition(b"\n")
    if checksum != _checksum(body):
        return None
    try:
        p: Any = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    try:
        if type(p) is not dict or p.get("key") != key:
            return None
        small = (p["meta"], p["sections"], p["targets"], p["regions"], p["problems"])
        if not _plain(small):  # small: checked whole
            return None
        source, rows = p["source_text"], p["indicators"]
        if source is not None and type(source) is not str:
            return None
        if type(rows) is not tuple or any(type(f) is not bytes for f in rows):
            return None
        records: list[Any] = []
        for fragment in rows if indicators else ():
            part = unpack(fragment, region, period)
            if part is None:
                return None
            records.extend(part)
        return DirectoryData(
            meta=_record(DatasetMeta, p["meta"]),
            sections=tuple(_record(Section, s) for s in p["sections"]),
            indicators=tuple(records),
            targets=tuple(_record(Target, t) for t in p["targets"]),
            regions=tuple(_record(Region, r) for r in p["regions"]),
            source_text=source,
            problems=tuple(_record(Finding, f) for f in p["problems"]),
        )
    except (TypeError, ValueError, KeyError, ArithmeticError):
        return None


def read(
    file: Path,
    key: str,
    region: str | None = None,
    period: str | None = None,
    *,
    indicators: bool = True,
) -> DirectoryData | None:
    """The cached data for `key`, or None (missing, stale, corrupt or unreadable)."""
    try:
        blob = file.read_bytes()
    except OSError:
        return None
    return decode(blob, key, region, period, indicators=indicators)


def write(file: Path, key: str, data: DirectoryData, packed: Sequence[bytes] | None = None) -> None:
    """Store `data` atomically; a cache that cannot be written is simply skipped."""
    from fanpin_cli.atomic import atomic_write_bytes

    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(file, encode(key, data, packed), durable=False)
    except (OSError, ValueError, FanpinError):
        pass
