"""A cache of parsed dataset directories, so that a warm run never parses TOML.

- Where: `$XDG_CACHE_HOME/fanpin/` (default `~/.cache/fanpin/`), one file per dataset path.
  Without a usable place (`HOME=/nonexistent`, a read-only home) fanpin runs without a
  cache and creates nothing; `FANPIN_CACHE=0` (or `false`, `no`, `off`) switches it off.
- Never stale. The key covers every file in the dataset directory (name, size, modification
  and change times in nanoseconds, inode), the cache format and fanpin's version, so an
  edit, a new or a removed file is seen without reading a byte. As git does for its index,
  a file modified within RACY_NS of the cache write (when the clock's granularity could
  hide a later edit of the same size) is "racy": its checksum is stored and checked again
  on every read. Files the load reads outside the directory (the `source_document`) are
  listed in the entry and checked the same way.
- Survives any bytes (reading.store.format; read by reading.store.read). The file
  is a header, a directory and chunks, each with its length and CRC-32; the payloads are
  JSON, read by a parser that only builds lists, dicts, strings and numbers (no code, no
  objects: neither pickle nor marshal, documented as unsafe on damaged data, is used).
  Everything is checked for shape and type, figures against the loader's own limits, before
  a record is built. A cache file that is damaged, planted, truncated or not a regular file (a FIFO,
  a directory, a symlink) is ignored and rebuilt; opening it never blocks and never
  follows a link.
- Fast at scale. Records are stored as columns by field name (core.schema), in chunks of
  about 2,000 records of one period, by (region, period) group with each record's position:
  a filtered `show`/`export` builds only the matching groups, a full load puts every record back.
- Written to a locked temporary file and renamed (fanpin_cli.files.tempfiles), so two fanpin
  processes writing at once each leave a whole file; any error reading or writing the
  cache only means parsing again.

The loader (fanpin_cli.reading.load) calls this module; this module never calls the loader.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from fanpin_cli import __version__, freeze_gc
from fanpin_cli.core.model import DirectoryData, Indicator
from fanpin_cli.files.streams import getenv
from fanpin_cli.reading.store.format import FORMAT, MAGIC, Chunks, encode_pieces
from fanpin_cli.reading.store.read import Damaged, batches, decode_file, entry_data, open_entry

if TYPE_CHECKING:
    from fanpin_cli.core.columns import ColumnRequest, Columns

__all__ = ["FORMAT", "MAGIC", "Chunks", "Damaged", "Key", "Spill", "cache_file", "enabled",
           "fingerprint", "read", "read_columnar", "spill", "stream", "usable",
           "write"]  # fmt: skip

OFF = frozenset({"0", "false", "no", "off"})
# never block on a FIFO, never follow a link, never adopt a terminal (POSIX-only flags)
_OPEN_FLAGS = sum(
    getattr(os, flag, 0) for flag in ("O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC", "O_NOCTTY")
)
# A file modified less than this before the cache was written is re-checked by content
# on every read (git's "racily clean" entries): 2 s covers the coarsest file-system clocks.
RACY_NS = 2_000_000_000
# records per batch of a streamed read (`stream`): a few MB of rows at a time
BATCH = 20_000


def enabled() -> bool:
    """Whether FANPIN_CACHE allows the cache (on unless it says 0, false, no or off)."""
    return getenv("FANPIN_CACHE", "1").strip().lower() not in OFF


def _root() -> tuple[Path, Path] | None:
    """(the cache root, the directory that must already exist for it to be made), or None."""
    if (base := getenv("XDG_CACHE_HOME")) and os.path.isabs(base):
        return Path(base), Path(base).parent
    home = getenv("HOME")
    if not home or not os.path.isabs(home):
        try:
            home = str(Path.home())
        except (RuntimeError, KeyError, OSError):
            return None
    return Path(home) / ".cache", Path(home)


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/fanpin, or ~/.cache/fanpin (where the cache is, whether or not usable)."""
    found = _root()
    return (found[0] if found else Path("/nonexistent/.cache")) / "fanpin"


def _usable_dir() -> Path | None:
    """The cache directory, made if need be, when it can be written; None otherwise.

    Only below an existing home (or the existing parent of XDG_CACHE_HOME): with
    HOME=/nonexistent nothing is created anywhere.
    """
    found = _root()
    if found is None or not found[1].is_dir():
        return None
    directory = found[0] / "fanpin"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        st = os.lstat(directory)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or not os.access(directory, os.W_OK | os.X_OK):
        return None
    return directory


def digest(data: bytes) -> str:
    """64 bits of checksum (CRC-32 and Adler-32; zlib loads faster than hashlib's OpenSSL)."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


# ------------------------------------------------------------------ the key


Sig = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def _sig(st: os.stat_result) -> Sig:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class Key(NamedTuple):
    """What a cache entry must match: a digest of every file's stat, and those stats."""

    digest: str
    target: str  # the dataset path, resolved
    files: tuple[tuple[str, Sig | None], ...]  # (name, stat or None when not regular)


def fingerprint(path: Path) -> Key:
    """The key of a dataset directory (or file): names and stats of its files, no content
    (strings and scandir, not Paths: a warm run keys each of a collection's folders)."""
    target = os.path.realpath(path)
    files: list[tuple[str, Sig | None]] = []
    try:
        with os.scandir(target) as listing:
            entries: list[tuple[str, os.DirEntry[str] | str]] = sorted((e.name, e) for e in listing)
    except (NotADirectoryError, FileNotFoundError):  # a file, or nothing (parsing will say)
        entries = [(os.path.basename(target), target)]
    for name, entry in entries:
        try:
            st = os.stat(entry) if isinstance(entry, str) else entry.stat()
        except OSError:
            files.append((name, None))
            continue
        if stat.S_ISDIR(st.st_mode):
            continue  # subdirectories are not part of a dataset
        files.append((name, _sig(st) if stat.S_ISREG(st.st_mode) else None))
    text = repr((FORMAT, __version__, target, files))
    return Key(digest(text.encode("utf-8", "surrogateescape")), target, tuple(files))


def cache_file(path: Path) -> Path:
    """The cache file for a dataset path (one per path: a changed dataset replaces it)."""
    resolved = os.path.realpath(path)
    stem = "".join(c if c.isalnum() else "-" for c in os.path.basename(resolved))[:40]
    return cache_dir() / f"{stem}-{digest(resolved.encode('utf-8', 'surrogateescape'))}.cache"


def _file_crc(path: str) -> int | None:
    """CRC-32 of a regular file's bytes, or None when it cannot be read as one."""
    from fanpin_cli.core.errors import DataError
    from fanpin_cli.files.safe_read import read_bytes

    try:
        return zlib.crc32(read_bytes(path))
    except (OSError, DataError):
        return None


def file_dependency(file: str, stamp: int) -> list[list[Any]]:
    """[[path, stat, CRC-32 when changed within RACY_NS of `stamp`]]; [[path, None, None]]
    when it is not there (its appearance must be seen too)."""
    try:
        sig = _sig(os.stat(file))
    except OSError:
        return [[file, None, None]]
    return [[file, list(sig), _file_crc(file) if sig[1] >= stamp - RACY_NS else None]]


def dependencies(key: Key, source_document: str | None, stamp: int) -> list[list[Any]] | None:
    """[path, stat, CRC-32 or None] of every file the load read, CRCs for racy ones only.

    None when a file changed while the dataset was being loaded (then nothing is cached).
    """
    directory = Path(key.target) if os.path.isdir(key.target) else Path(key.target).parent
    found: list[list[Any]] = []
    for name, sig in key.files:
        if sig is not None and sig[1] >= stamp - RACY_NS:
            file = str(directory / name) if os.path.isdir(key.target) else key.target
            found.append([file, list(sig), _file_crc(file)])
    if source_document:
        found += file_dependency(str(directory / source_document), stamp)
    return found if fingerprint(Path(key.target)) == key else None


def still_valid(dependencies: object) -> bool:
    """Every file listed in an entry still has its stat (and its CRC-32, when racy)."""
    if type(dependencies) is not list:
        return False
    for item in dependencies:
        if type(item) is not list or len(item) != 3 or type(item[0]) is not str:
            return False
        file, sig, crc = item
        try:
            now: list[int] | None = list(_sig(os.stat(file)))
        except OSError:
            now = None
        if now != sig:
            return False
        if crc is not None and _file_crc(file) != crc:
            return False
    return True


class Spill(NamedTuple):
    """An entry written to an unnamed temporary file for the length of one run (`spill`),
    read as a cache file is read: `read(spill, spill.key)`. `close()` when done with it."""

    fd: int
    size: int
    key: Key

    def close(self) -> None:
        os.close(self.fd)


def spill(data: DirectoryData, chunks: Sequence[Chunks], total: int) -> Spill | None:
    """`data`'s entry (its records as the `total` records of `chunks`) in an unnamed
    temporary file: with the cache off, a big dataset is read from it as from the cache,
    its records never all built in memory, and nothing outlives the run (a file without a
    name is gone when its last descriptor closes, even when the process is killed). None
    when it cannot be written (no temporary directory, a full disk)."""
    import tempfile

    key = Key("spill", data.meta.path, ())
    try:
        with tempfile.TemporaryFile() as handle:
            handle.writelines(encode_pieces(key.digest, data, [], chunks, total))
            handle.flush()
            return Spill(os.dup(handle.fileno()), handle.tell(), key)
    except (OSError, ValueError, TypeError):  # e.g. no room, or text that is not Unicode
        return None


def _open(file: Path | Spill) -> tuple[int, int] | None:
    """(descriptor, size) of a regular cache file; never blocks, never follows a link."""
    if isinstance(file, Spill):
        return os.dup(file.fd), file.size
    if os.path.islink(file):  # where O_NOFOLLOW is missing (Windows), looked at first
        return None
    try:
        fd = os.open(file, os.O_RDONLY | _OPEN_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None
    return fd, st.st_size


def read(
    file: Path | Spill,
    key: Key,
    region: str | None = None,
    period: str | None = None,
    *,
    indicators: bool = True,
) -> DirectoryData | None:
    """The cached data for `key`, or None (missing, stale, damaged or not a regular file).

    `region` and `period` keep only those records; `indicators=False` builds none at all
    (the region table is all that is wanted).
    """
    opened = _open(file)
    if opened is None:
        return None
    fd, size = opened
    collecting = gc.isenabled()
    gc.disable()  # building a million records, the collector would only look for cycles
    data = None
    try:
        data = decode_file(fd, size, key.digest, still_valid, region, period, indicators)
    except Exception:  # any failure to read the cache only means parsing again
        return None
    finally:
        os.close(fd)
        if collecting:
            # The records are immutable and acyclic; a NamedTuple, unlike a plain tuple,
            # is never untracked, so every full collection would walk them all: they are
            # moved out of the collector's sight (reference counting still frees them).
            if data is not None and data.indicators:
                freeze_gc()
            gc.enable()
    return data


def read_columnar(
    file: Path | Spill, key: Key, request: ColumnRequest
) -> tuple[DirectoryData, Columns] | None:
    """As `read`, but the records as the columns `request` names (core.columns), none
    built as a record; None when there is no whole, valid entry."""
    opened = _open(file)
    if opened is None:
        return None
    fd, size = opened
    collecting = gc.isenabled()
    gc.disable()  # as in `read`: lists of a million values hold no cycles
    try:
        from fanpin_cli.reading.store.column_read import decode_columnar

        return decode_columnar(fd, size, key.digest, still_valid, request)
    except Exception:  # any failure to read the cache only means parsing again
        return None
    finally:
        os.close(fd)
        if collecting:
            gc.enable()


class Stream:
    """A cache entry read a batch of records at a time (`stream`): `data` is everything but
    the records; iterating gives them all in the dataset's order, decoding one part at a
    time. Damaged is raised where the entry turns out not to be whole (after some batches,
    perhaps: the caller must not have let them out yet). Closes its file when exhausted,
    on `close()`, or as a context manager."""

    def __init__(self, fd: int, data: DirectoryData, batches: Iterator[list[Indicator]]) -> None:
        self.fd: int | None = fd
        self.data = data
        self._batches = batches

    def __iter__(self) -> Iterator[list[Indicator]]:
        try:
            while True:
                collecting = gc.isenabled()
                gc.disable()
                try:
                    batch = next(self._batches)
                except StopIteration:
                    return
                except Damaged:
                    raise
                except Exception as exc:  # any failure to read the cache means it is damaged
                    raise Damaged(str(exc)) from exc
                finally:
                    if collecting:
                        gc.enable()
                yield batch
        finally:
            self.close()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stream(file: Path | Spill, key: Key, size: int | None = None) -> Stream | None:
    """The cached entry for `key`, its records to be read `size` (BATCH) at a time, or None
    (missing, stale, damaged where it can be seen before any record is read)."""
    opened = _open(file)
    if opened is None:
        return None
    fd, length = opened
    try:
        entry = open_entry(fd, length, key.digest, still_valid)
        if entry is not None:
            return Stream(fd, entry_data(entry), batches(entry, size or BATCH))
    except Exception:  # any failure to read the cache only means parsing again
        pass
    os.close(fd)
    return None


def usable(file: Path) -> bool:
    """Whether a cache entry could be written at `file` (its directory being the cache's,
    that a usable cache directory exists or can be made, outside no existing home)."""
    return file.parent != cache_dir() or _usable_dir() is not None


def write(
    file: Path,
    key: Key,
    data: DirectoryData,
    packed: Sequence[Chunks] | None = None,
    total: int | None = None,
) -> bool:
    """Store `data` atomically; a cache that cannot be written is simply skipped (False).
    `packed`: its records' chunks as the worker processes made them (chunks_of), one list
    per file; `total`: how many records they hold, when `data` holds none of them.

    Nothing is written when no usable cache directory exists (none is made outside an
    existing home) or when a dataset file changed while it was being loaded.
    """
    if not usable(file):
        return False
    stamp = time.time_ns()
    found = dependencies(key, data.meta.source_document, stamp)
    if found is None:
        return False
    try:
        pieces = encode_pieces(key.digest, data, found, packed, total)
    except (ValueError, TypeError):  # e.g. text that is not Unicode
        return False
    return write_file(file, pieces)


def write_file(file: Path, pieces: Iterable[bytes]) -> bool:
    """`pieces` written to `file` in the cache atomically; False when it cannot be."""
    from fanpin_cli.files.tempfiles import make_temp_file, sweep, sweep_once

    if not usable(file):
        return False
    with contextlib.suppress(OSError):
        if file.parent == cache_dir():  # fanpin's own directory: swept once per process
            sweep_once(file.parent)
        else:
            sweep(file)
    try:
        fd, tmp = make_temp_file(file)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(pieces)
        os.replace(tmp, file)  # replaces a planted symlink or FIFO itself, never its target
    except BaseException as exc:  # Ctrl-C too: no half-written entry is left behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if not isinstance(exc, OSError):
            raise
        return False
    return True
