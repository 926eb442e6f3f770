"""Immutable records: a loaded Dataset and its findings; the field records live in schema.

They are typed NamedTuples rather than frozen dataclasses: just as immutable, but about
twice as fast to define at import (start-up is fanpin's speed) and several times faster to
construct, which matters when a dataset has 100,000 records (benchmarks/scale.py). Their
annotations are objects, not strings: a NamedTuple compiles each string annotation at
import, which made this module cost every command about half a millisecond more.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple

from fanpin_cli.core.schema import (
    BASES,
    COMPARATORS,
    CONFIDENCE,
    DIRECTIONS,
    LEVELS,
    QUALIFIERS,
    TARGET_KINDS,
    Citation,
    DatasetMeta,
    Indicator,
    Number,
    Region,
    Section,
    Target,
    TargetBasis,
)

if TYPE_CHECKING:
    from fanpin_cli.core.columns import Columns

__all__ = [
    "BASES", "COMPARATORS", "CONFIDENCE", "DIRECTIONS", "LEVELS", "QUALIFIERS", "TARGET_KINDS",
    "Citation", "Dataset", "DatasetMeta", "DirectoryData", "Finding", "Indicator", "Number",
    "Region", "Section", "Target", "TargetBasis",
]  # fmt: skip


class Finding(NamedTuple):
    """A problem found in a dataset: a rule, its severity, where, and what was expected."""

    rule: str
    severity: Literal["error", "warning"]
    message: str
    indicators: tuple[str, ...] = ()
    expected: str | None = None
    actual: str | None = None
    file: str = ""
    line: int = 0
    code: str = ""  # a key of labels.MESSAGES, which `message` is the English text of
    args: tuple[str, ...] = ()  # the message's arguments


class Dataset(NamedTuple):
    """Everything loaded from one or more dataset directories."""

    indicators: tuple[Indicator, ...]
    sections: tuple[Section, ...]
    targets: tuple[Target, ...] = ()
    regions: tuple[Region, ...] = ()
    metas: tuple[DatasetMeta, ...] = ()
    # source document text by dataset directory, for checking quotes
    sources: Mapping[str, str] = MappingProxyType({})
    # schema problems found while loading leniently (check reports them)
    problems: tuple[Finding, ...] = ()
    # the pages reference figures cite, by id (reference datasets' citations.toml)
    citations: Mapping[str, Citation] = MappingProxyType({})
    # the records as columns, when they were read so from a warm cache (load's `columnar`):
    # `indicators` is then empty, and only the checks and the roll-up read them
    columnar: "Columns | None" = None  # a string: core.columns is imported only when needed

    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def region(self, code: str) -> Region | None:
        for r in self.regions:
            if r.code == code:
                return r
        return None

    def by_id(self) -> dict[str, list[Indicator]]:
        out: dict[str, list[Indicator]] = {}
        for ind in self.indicators:
            out.setdefault(ind.id, []).append(ind)
        return out


class DirectoryData(NamedTuple):
    """What one dataset directory (or single file) holds: the unit the loader and cache share."""

    meta: DatasetMeta
    sections: tuple[Section, ...]
    indicators: tuple[Indicator, ...]
    targets: tuple[Target, ...]
    regions: tuple[Region, ...]
    source_text: str | None
    problems: tuple[Finding, ...]
