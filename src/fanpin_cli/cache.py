"""Cache of parsed dataset directories (placeholder until the cache lands: always parses)."""

from __future__ import annotations

from pathlib import Path

from fanpin_cli.load import DirectoryData, load_directory


def load_directory_cached(path: Path, *, strict: bool, enabled: bool | None) -> DirectoryData:
    """Load `path`; the cached path is added with the benchmarks."""
    return load_directory(path, strict=strict)
