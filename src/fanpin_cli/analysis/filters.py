"""The --region and --period filters, and the rule for what a request that selects nothing is.

One rule for every command (docs/exit-codes.md says it):
- exit 2 (UsageError) when the request cannot mean anything: a malformed value (`--period
  20x3`, `--from 2022 --to 2021`), or a name nobody knows: a region neither the region
  table nor the data has (`--region 北京`, `--region 999999`), a section, id, field or
  status that does not exist; the message names what exists;
- exit 1 (NothingMatched) when the request is well-formed and names only what exists but
  the data has nothing for it: a known region without records (`--region 永登县`), a
  well-formed period no record has (`--period 2019`, also named with the periods that
  exist), filters that together select nothing (`show monitoring --period 2022`), a
  search or a `--status` nobody matches. A message on stderr, nothing on stdout.
A command whose view returns an Output with no rows gets the second half for free from
fanpin_cli.cli.common.emit (Output.nothing says what was asked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from fanpin_cli.core.errors import NothingMatched as NothingMatched  # the rule's error, here too
from fanpin_cli.core.errors import UsageError
from fanpin_cli.core.model import Dataset, DirectoryData, Region
from fanpin_cli.reading.load import PERIOD_RE, Where
from fanpin_cli.reading.load import REGION_RE as REGION_CODE_RE

if TYPE_CHECKING:
    from fanpin_cli.core.columns import ColumnRequest

SHOWN = 12  # how many existing values an error message lists


def listing(values: Iterable[str], shown: int | None = SHOWN) -> tuple[str, ...]:
    """The values, sorted, as a piece of a message (the first `shown`, and how many)."""
    items = sorted(set(values))
    if not items:
        return ("list.none",)
    if shown is not None and len(items) > shown:
        return ("list.some+list.more", ", ".join(items[:shown]), str(len(items)))
    return ("list.some", ", ".join(items))


def suggest(word: str, choices: Iterable[str]) -> tuple[str, ...]:
    """A 'did you mean' piece of a message for an unknown name, or ()."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    return ("usage.did_you_mean", ", ".join(close)) if close else ()


def check_period_format(period: str | None, option: str = "--period") -> None:
    """UsageError for a period that is not YYYY, YYYY-Qn, YYYY-MM or YYYY-YYYY."""
    if period is not None and not PERIOD_RE.match(period):
        raise UsageError.said(("usage.period", option, period))


def check(
    dataset: Dataset,
    region: str | None,
    period: str | None,
    everything: Callable[[], Dataset] | None = None,
) -> Where:
    """The filters as a region code and period; UsageError for a malformed value or an unknown
    region, NothingMatched for a period no record has, each naming what exists.

    `dataset` may have been loaded already narrowed to the filters; `everything` loads it
    whole, which is done only to name what exists in an error (or to tell an unknown
    period from a known one that the region filter leaves empty).
    """
    check_period_format(period)
    if region is not None and not region.strip():
        raise UsageError.said(("usage.empty_region",))
    code = None
    if region is not None:
        code = region_code(dataset, region)
        if code is None:
            full = everything() if everything is not None else dataset
            in_data = {i.region_code for i in full.indicators}
            names = {r.code: r.name_zh for r in full.regions}
            shown = [f"{c} {names.get(c, '')}".strip() for c in in_data]
            columnar = [r.name_zh for r in full.regions] + [r.name_en for r in full.regions]
            raise UsageError.said(
                ("usage.region", region),
                ("usage.regions_in_data",),
                listing(shown),
                suggest(region, columnar) or suggest_national(region),
            )
    if period is not None and not _has_period(dataset, period):
        full = everything() if everything is not None else dataset
        known = (
            full.columnar.periods
            if full.columnar is not None
            else {i.period for i in full.indicators}
        )
        if period not in known:
            raise NothingMatched.said(
                ("match.no_period", period), ("match.periods_in_data",), listing(known)
            )
    return Where(code, period)


def _has_period(dataset: Dataset, period: str) -> bool:
    """Whether any record is of `period` (records read as columns too: fanpin_cli.core.columns)."""
    if dataset.columnar is not None:
        return period in dataset.columnar.periods
    return any(i.period == period for i in dataset.indicators)


def region_code(dataset: Dataset, text: str, *, in_data: bool = True) -> str | None:
    """The code of the region `text` names, or None when no table knows it.

    `text` is a code or a name, in Chinese or English, of any case (`lanzhou`). The loaded
    datasets' region tables come first (城关区 in the bundled data is Lanzhou's); then a
    six-digit code that a record has (any code, with `in_data` false); then the national list
    of every province, prefecture and county (fanpin_cli.reading.divisions), read only now. A name
    that several regions of one table share is a UsageError listing them with their parents.
    """
    folded = text.strip().casefold()
    own = [r for r in dataset.regions
           if text == r.code or folded in (r.name_zh.casefold(), r.name_en.casefold())]  # fmt: skip
    if own:
        return own[0].code if len({r.code for r in own}) == 1 else _ambiguous(text, own, dataset)
    if REGION_CODE_RE.match(text) and (
        not in_data or any(i.region_code == text for i in dataset.indicators)
    ):
        return text
    from fanpin_cli.reading.divisions import national

    found = national().named(text)
    if len(found) > 1:
        return _ambiguous(text, found, dataset)
    return found[0].code if found else None


def _ambiguous(text: str, regions: Sequence[Region], dataset: Dataset) -> NoReturn:
    from fanpin_cli.reading.divisions import describe

    listed = "; ".join(describe(r, lambda code: find_region(dataset, code)) for r in regions)
    raise UsageError.said(("usage.region_ambiguous", text, listed))


def suggest_national(text: str) -> tuple[str, ...]:
    """A 'did you mean' from the national list (`保山` -> 保山市), or ()."""
    from fanpin_cli.reading.divisions import national

    return suggest(text, sorted(set(national().names.values())))


def find_region(dataset: Dataset, code: str) -> Region | None:
    """The region of `code` in the loaded datasets' tables, else in the national list."""
    found = dataset.region(code)
    if found is not None:
        return found
    from fanpin_cli.reading.divisions import national

    return national().region(code)


def nothing_matched(filters: Where, what: Iterable[str] = ()) -> NothingMatched:
    """The error for filters that selected no record."""
    described = filters.describe(what)
    return NothingMatched.said(("match.none", described) if described else ("match.request",))


def load_filtered(
    paths: Sequence[Path] | None,
    *,
    strict: bool = True,
    targets: Path | None = None,
    region: str | None = None,
    period: str | None = None,
    on_read: Callable[[Path, DirectoryData], None] | None = None,
    columnar: ColumnRequest | None = None,
    on_skip: Callable[[Path, str], None] | None = None,
) -> Dataset:
    """Load the datasets (default: the bundled one) for a command's --region and --period.

    A `region` given as a six-digit code and a `period` narrow what is loaded (names are
    resolved later, against the region table, by the query); filters that are malformed,
    unknown or select nothing are errors here, as the module docstring says.
    """
    from fanpin_cli.reading.load import load

    check_period_format(period)  # before loading anything
    code = region if region is not None and REGION_CODE_RE.match(region) else None
    where = Where(code, period) if code or period else None
    dataset = load(paths, strict=strict, targets=targets, where=where, on_read=on_read,
                   columnar=columnar, on_skip=on_skip)  # fmt: skip
    if region is not None or period is not None:
        filters = check(dataset, region, period, lambda: load(paths, strict=strict))
        if not any(filters.keep(i) for i in dataset.indicators):
            raise nothing_matched(filters)
    return dataset
