"""Views of the city office's analysis: year to date (show/rollup --ytd), rank, scorecard."""

from __future__ import annotations

from fanpin_cli.analysis.rank import Ranking, RankRow, rank
from fanpin_cli.analysis.scorecard import Scorecard, scorecard
from fanpin_cli.analysis.ytd import (
    LATEST,
    RATIO,
    SUM,
    YearToDate,
    as_records,
    year_to_date,
    ytd_period,
)
from fanpin_cli.core.decimals import format_number
from fanpin_cli.core.labels import message, name, pick, plural, term
from fanpin_cli.core.model import Dataset
from fanpin_cli.core.periods import previous_word
from fanpin_cli.views.output import Column, Output, column


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
    from fanpin_cli.analysis.filters import check, check_period_format

    check_period_format(period)  # malformed: a usage error
    chosen = ytd_period(dataset, period)  # a span of years: a usage error
    check(dataset, None, period)  # a month the data does not have: nothing matched (exit 1)
    results = year_to_date(dataset, chosen)
    notes = {n: ytd_note(r, lang) for n, r in enumerate(results)}
    return dataset._replace(indicators=as_records(results, notes), columnar=None), chosen


RANK_FIELDS = (
    "region_code", "region_name", "period", "value", "rank", "rank_change", "gap", "gap_unit",
    "unit", "id", "tied", "previous_rank", "compared_period", "parent_code", "parent_value",
    "parent_value_from", "direction", "direction_from", "status", "sentence",
)  # fmt: skip
RANK_VIEW = (
    column("rank", "number"),
    column("region_name", "label", "region"),
    column("value", "number", missing="not reported"),
    column("unit", "label"),
    column("gap", "number"),
    column("gap_shown_unit", "label", "change_unit"),
    column("rank_change", "number"),
    column("sentence", "text", optional=True),
)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _scope(ranking: Ranking, lang: str) -> str:
    """Where a region ranks: 全市 (its city), 全省, 全国, 全县; in English the parent's name."""
    parent = ranking.parent
    if parent is None:
        return pick(lang, "所列地区", "the regions listed")
    code = parent.code
    level = "全县"
    if code.endswith("00"):
        level = "全国" if code == "100000" else "全省" if code.endswith("0000") else "全市"
    return pick(lang, level, parent.name_en)


def _amount(value: object, unit: str, lang: str) -> str:
    text = format_number(value)
    return f"{text}{unit}" if unit == "%" else pick(lang, f"{text}{unit}", f"{text} {unit}")


def rank_sentence(ranking: Ranking, row: RankRow, lang: str) -> str:
    """The bulletin's sentence for one region, from its rank row and nothing else:
    永登县风险消除率59.3%，高于全市0.7个百分点，居全市第2位，较上月上升1位."""
    region = name(row.region, lang) if row.region is not None else row.region_code
    indicator = name(ranking.record, lang)
    if row.value is None or row.rank is None:
        return message("rank.not_reported", (region, indicator), lang)
    scope = _scope(ranking, lang)
    clauses = [message("rank.value", (region, indicator, _amount(row.value, ranking.unit, lang)),
                       lang)]  # fmt: skip
    if row.gap is not None:
        points = ranking.gap_unit == "percentage points"
        gap_unit = term("percentage points", lang) if points else ranking.unit
        size = format_number(abs(row.gap))
        code = "rank.above" if row.gap > 0 else "rank.below" if row.gap < 0 else "rank.level"
        clauses.append(message(code, (scope, size, gap_unit), lang))
    place = pick(lang, str(row.rank), _ordinal(row.rank))
    code = "rank.place_tied" if row.tied else "rank.place"
    clauses.append(message(code, (scope, place), lang))
    if row.rank_change is not None and ranking.how is not None:
        since = term(previous_word(ranking.period, ranking.how), lang)
        moved = row.rank_change
        code = "rank.up" if moved > 0 else "rank.down" if moved < 0 else "rank.same"
        steps = pick(lang, str(abs(moved)), plural(abs(moved), "place"))
        clauses.append(message(code, (since, steps), lang))
    return pick(lang, "，", ", ").join(clauses)


def rank_rows(ranking: Ranking, lang: str) -> list[dict[str, object]]:
    """The rows of `fanpin rank` (the CSV contract first), each with its sentence."""
    out: list[dict[str, object]] = []
    points = ranking.gap_unit == "percentage points"
    for r in ranking.rows:
        out.append(
            {
                "region_code": r.region_code,
                "region_name": name(r.region, lang) if r.region is not None else r.region_code,
                "period": ranking.period,
                "value": r.value,
                "rank": r.rank,
                "rank_change": r.rank_change,
                "gap": r.gap,
                "gap_unit": ranking.gap_unit if r.gap is not None else None,
                "gap_shown_unit": (term("percentage points", lang) if points else ranking.unit)
                if r.gap is not None
                else None,
                "unit": ranking.unit,
                "id": ranking.record.id,
                "tied": r.tied if r.rank is not None else None,
                "previous_rank": r.previous_rank,
                "compared_period": ranking.compared_period,
                "parent_code": ranking.parent.code if ranking.parent else None,
                "parent_value": ranking.parent_value,
                "parent_value_from": ranking.parent_value_from,
                "direction": ranking.direction,
                "direction_from": ranking.direction_from,
                "status": "ranked" if r.rank is not None else "not reported",
                "sentence": rank_sentence(ranking, r, lang),
            }
        )
    return out


def rank_output(
    dataset: Dataset,
    indicator: str,
    lang: str,
    period: str | None = None,
    among: tuple[str, ...] = (),
    ascending: bool = False,
    how: str | None = None,
) -> Output:
    """`fanpin rank`: the ranking of `indicator` as rows, with a title naming it."""
    ranking = rank(dataset, indicator, period, among, ascending, how)
    title = f"{name(ranking.record, lang)} {ranking.period}"
    if ranking.parent is not None:
        title += f" · {name(ranking.parent, lang)}"
    return Output(rows=rank_rows(ranking, lang), fields=RANK_FIELDS, columns=RANK_VIEW,
                  title=title)  # fmt: skip


def sentences(output: Output) -> str:
    """`-o text`: each row's sentence, one a line."""
    return "".join(f"{row['sentence']}\n" for row in output.rows)


SCORECARD_HEAD = ("region_code", "region_name", "period")


def _status_columns(rid: str) -> tuple[str, str]:
    """The machine columns beside an indicator's value: its status and its rank."""
    return f"{rid}:status", f"{rid}:rank"


def scorecard_output(
    dataset: Dataset,
    selectors: tuple[str, ...],
    lang: str,
    period: str | None = None,
    among: tuple[str, ...] = (),
) -> tuple[Output, Scorecard]:
    """`fanpin scorecard`: one row per region; for each indicator its value, status and rank
    (machine columns `ID`, `ID:status`, `ID:rank`); on a terminal one cell per indicator,
    coloured by its status."""
    card = scorecard(dataset, selectors, period, among)
    fields: list[str] = list(SCORECARD_HEAD)
    view = [column("region_name", "label", "region")]
    for ranking in card.indicators:
        rid = ranking.record.id
        fields += [rid, *_status_columns(rid)]
        view.append(Column(f"{rid}:cell", ranking.record.name_zh, ranking.record.name_en,
                           "text", style=f"{rid}:status"))  # fmt: skip
    out: list[dict[str, object]] = []
    counts: dict[str, int] = {}
    for code in card.regions:
        region = card.names.get(code)
        row: dict[str, object] = {
            "region_code": code,
            "region_name": name(region, lang) if region is not None else code,
            "period": card.period,
        }
        for ranking in card.indicators:
            rid = ranking.record.id
            cell = card.cells[(code, rid)]
            status_key, rank_key = _status_columns(rid)
            row[rid], row[status_key], row[rank_key] = cell.value, cell.status, cell.rank
            counts[cell.status] = counts.get(cell.status, 0) + 1
            shown = [term(cell.status, lang)]
            if cell.value is not None:
                shown.insert(0, _amount(cell.value, ranking.unit, lang))
            if cell.rank is not None:
                shown.append(pick(lang, f"第{cell.rank}位", f"#{cell.rank}"))
            row[f"{rid}:cell"] = " ".join(shown)
        out.append(row)
    parent = f" · {name(card.parent, lang)}" if card.parent is not None else ""
    summary = pick(lang, "; ", "; ").join(f"{term(s, lang)} {n}" for s, n in sorted(counts.items()))
    return (
        Output(rows=out, fields=tuple(fields), columns=tuple(view),
               title=f"{card.period}{parent}", summary=summary),
        card,
    )  # fmt: skip
