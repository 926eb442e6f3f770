"""Immutable records for indicators, sections, targets, regions and datasets; no I/O.

They are typed NamedTuples rather than frozen dataclasses: just as immutable, but about
twice as fast to define at import (start-up is fanpin's speed) and several times faster to
construct, which matters when a dataset has 100,000 records (benchmarks/scale.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Literal, NamedTuple

Number = int | Decimal
Comparator = Literal[">=", ">", "<=", "<", "=="]
COMPARATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==")
LEVELS: tuple[str, ...] = ("national", "provincial", "municipal", "county")
CONFIDENCE: tuple[str, ...] = ("confirmed", "secondary", "derived")
BASES: tuple[str, ...] = ("annual", "cumulative", "point-in-time")
# the desired direction of an indicator without a target (used by the progress measure)
DIRECTIONS: tuple[str, ...] = ("up", "down")


class Indicator(NamedTuple):
    """One reported number with one unit, for one region and one period."""

    id: str
    section: str
    name_zh: str
    name_en: str
    value: Number | None
    unit: str
    period: str
    region_code: str
    basis: str | None = None
    source: str | None = None
    parts: tuple[str, ...] = ()
    ratio: tuple[str, str] | None = None
    subset_of: str | None = None
    note: str | None = None
    additive: bool | None = None
    direction: str | None = None
    file: str = ""
    line: int = 0

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.id, self.region_code, self.period)


class Section(NamedTuple):
    """A section of a report: its key, numbering and titles."""

    key: str
    title_zh: str
    title_en: str
    number: str = ""
    file: str = ""
    line: int = 0


class TargetBasis(NamedTuple):
    """Where a target comes from: the policy document and the requirement it quotes."""

    title: str
    issuer: str
    year: str
    quote: str
    confidence: str
    url: str | None = None
    note: str | None = None


class Target(NamedTuple):
    """A policy target for one indicator, optionally relative to another indicator."""

    indicator_id: str
    comparator: str
    value: Number
    unit: str
    level: str
    basis: TargetBasis
    relative_to: str | None = None  # target is `value` times this indicator's value
    target_year: str | None = None
    region_code: str | None = None
    file: str = ""
    line: int = 0


class Region(NamedTuple):
    """A GB/T 2260 administrative division."""

    code: str
    name_zh: str
    name_en: str
    parent: str | None = None


class DatasetMeta(NamedTuple):
    """What a dataset directory says about itself in dataset.toml."""

    title_zh: str = ""
    title_en: str = ""
    publisher_zh: str = ""
    publisher_en: str = ""
    published: str = ""
    region_code: str | None = None
    period: str | None = None
    source_document: str | None = None
    synthetic: bool = False
    notes: str = ""
    path: str = ""
    extra: Mapping[str, str] = MappingProxyType({})


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
