"""Views of the city office's analysis: year to date (show/rollup --ytd), rank, scorecard."""

from __future__ import annotations

from fanpin_cli.labels import message
from fanpin_cli.model import Dataset
from fanpin_cli.ytd import LATEST, RATIO, SUM, YearToDate, as_records, year_to_date, ytd_period


def ytd_note(r: YearToDate, lang: str) -> str:
    """What a year-to-date figure is, or why it is missing, in `lang`."""
    if r.method == SUM:
        return message("ytd.sum", (r.periods[0], r.periods[-1]), lang)
    if r.method == LATEST:
        return message("ytd.latest", (r.periods[0], r.period), lang)
    if r.method == RATIO:
        return message("ytd.ratio", (r.period,), lang)
    return message(r.reason[0], r.reason[1:], lang)


def ytd_dataset(dataset: Dataset, period: str | None, lang: str) -> tuple[Dataset, str]:
    """`dataset` as its year-to-date figures at `period` (default: the latest month or
    quarter), each record noting how it was worked out; and the period."""
    from fanpin_cli.filters import check

    check(dataset, None, period)  # a period the data does not have: a usage error
    chosen = ytd_period(dataset, period)
    results = year_to_date(dataset, chosen)
    notes = {n: ytd_note(r, lang) for n, r in enumerate(results)}
    return dataset._replace(indicators=as_records(results, notes), table=None), chosen
