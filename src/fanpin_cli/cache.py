"""A cache of parsed dataset directories, so that a warm run never parses TOML.

- Where: `$XDG_CACHE_HOME/fanpin/` (default `~/.cache/fanpin/`), one file per dataset path.
- Keyed by a fingerprint of every file in the dataset directory (name, size, modification
  time in nanoseconds and checksums of the content), the cache format and fanpin's version:
  edit, add or remove a file and the next run parses again. It is never served stale.
- Format: a header line, a checksum of the rest, then `marshal` data of plain tuples,
  strings, numbers and None (Decimals as their text). marshal only builds values, it never
  runs code, and everything read is checked for shape and type before use; pickle, which
  can run code on load, is not used. (JSON was measured about 4x slower to read for
  100,000 records.)
- A corrupt, truncated or foreign file is ignored and rebuilt silently; the cache is
  written to a temporary file and renamed, so two fanpin processes writing at once each
  leave a whole file. Any error reading or writing the cache only means parsing again.
- `FANPIN_CACHE=0` (or `false`, `no`, `off`) switches it off.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from fanpin_cli import __version__
from fanpin_cli.errors import DataError
from fanpin_cli.load import DirectoryData, Where, load_directory
from fanpin_cli.model import DatasetMeta, Finding, Indicator, Region, Section, Target, TargetBasis
from fanpin_cli.packing import pack, unpack
from fanpin_cli.safe_read import read_bytes

FORMAT = 2  # 2: Indicator.direction
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


def load_directory_cached(
    path: Path, *, strict: bool, enabled: bool | None, where: Where | None = None
) -> DirectoryData:
    """Load `path` through the cache; `strict` raises the first schema error, as parsing does.

    With `where`, only the matching records are returned (from the cache, only they are
    built at all).
    """
    use = globals()["enabled"]() if enabled is None else enabled
    if not use:
        return _narrow(load_directory(path, strict=strict), where)
    try:
        key = fingerprint(path)
    except (OSError, DataError):  # parsing says what is wrong, as it does without a cache
        return _narrow(load_directory(path, strict=strict), where)
    file = cache_file(path)
    data = read(file, key, where)
    if data is None:
        try:
            data = load_directory(path, strict=False)
        except DataError:
            if strict:  # report the first error in file order, as a strict parse does
                load_directory(path, strict=True)
            raise
        write(file, key, data)
        data = _narrow(data, where)
    if strict:
        for problem in data.problems:
            if problem.rule == "schema" and problem.severity == "error":
                raise DataError(problem.message, path=problem.file, line=problem.line)
    return data


def _narrow(data: DirectoryData, where: Where | None) -> DirectoryData:
    if where is not None:
        data.indicators = [i for i in data.indicators if where.keep(i)]
    return data


# ------------------------------------------------------------------ encoding


def encode(key: str, data: DirectoryData) -> bytes:
    """The cache file's bytes for `data`."""
    m = data.meta
    payload: Any = (
        key,
        (m.title_zh, m.title_en, m.publisher_zh, m.publisher_en, m.published, m.region_code,
         m.period, m.source_document, m.synthetic, m.notes, m.path, tuple(m.extra.items())),
        tuple(tuple(s) for s in data.sections),
        tuple(data.packed) if data.packed is not None else (pack(data.indicators),),
        tuple((*t[:2], _value(t[2]), *t[3:5], tuple(t[5]), *t[6:]) for t in data.targets),
        tuple(tuple(r) for r in data.regions),
        data.source_text,
        tuple(tuple(f) for f in data.problems),
    )  # fmt: skip
    body = marshal.dumps(payload)
    return MAGIC + _checksum(body) + b"\n" + body


def _checksum(body: bytes) -> bytes:
    """Checksum of the payload: a flipped bit or torn write is detected, not served."""
    return _digest(body).encode("ascii")


ALLOWED = (str, int, bool, type(None), tuple)


def _plain(obj: object, depth: int = 0) -> bool:
    """Only str, int, bool, None and tuples of them (no code objects, no floats, no bytes)."""
    if type(obj) is tuple:
        return depth < 4 and all(_plain(x, depth + 1) for x in obj)
    return type(obj) in ALLOWED


def decode(blob: bytes, key: str, where: Where | None = None) -> DirectoryData | None:
    """DirectoryData from cache bytes, or None when they are not a valid entry for `key`."""
    if not blob.startswith(MAGIC):
        return None
    checksum, _, body = blob[len(MAGIC) :].partition(b"\n")
    if checksum != _checksum(body):
        return None
    try:
        payload: Any = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    try:
        if type(payload) is not tuple or len(payload) != 8 or payload[0] != key:
            return None
        _, meta, sections, rows, targets, regions, source, problems = payload
        if not _plain((meta, sections, targets, regions, problems)):  # small: checked whole
            return None
        if source is not None and type(source) is not str:
            return None
        if type(rows) is not tuple or any(type(f) is not bytes for f in rows):
            return None
        indicators: list[Indicator] = []
        for fragment in rows:
            part = unpack(fragment, *where) if where is not None else unpack(fragment)
            if part is None:
                return None
            indicators.extend(part)
        extra = dict(meta[11])
        return DirectoryData(
            meta=DatasetMeta._make((*meta[:11], extra)),
            sections=[Section(*s) for s in sections],
            indicators=indicators,
            targets=[_target(t) for t in targets],
            regions=[Region(*r) for r in regions],
            source_text=source,
            problems=[Finding(*f) for f in problems],
        )
    except (TypeError, ValueError, IndexError, ArithmeticError):
        return None


def _target(t: tuple[Any, ...]) -> Target:
    basis = TargetBasis._make(t[5])
    return Target._make((t[0], t[1], _number(t[2]), t[3], t[4], basis, *t[6:]))


def _value(v: int | Decimal) -> int | str:
    return str(v) if isinstance(v, Decimal) else v


def _number(v: object) -> int | Decimal:
    if type(v) is int:
        return v
    if type(v) is str:
        return Decimal(v)
    raise TypeError("not a number")


def read(file: Path, key: str, where: Where | None = None) -> DirectoryData | None:
    """The cached data for `key`, or None (missing, stale, corrupt or unreadable)."""
    try:
        blob = file.read_bytes()
    except OSError:
        return None
    return decode(blob, key, where)


def write(file: Path, key: str, data: DirectoryData) -> None:
    """Store `data` atomically; a cache that cannot be written is simply skipped."""
    import tempfile

    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(encode(key, data))
        os.replace(tmp, file)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
