"""An indicator's fields as spreadsheet columns and back, derived from fanpin_cli.core.schema.

A ratio is two columns (`ratio_numerator`, `ratio_denominator`), ids are joined with `;`,
flags are `true`/`false`: the same cells as the CSV export. Adding a field to the schema adds
it to workbooks, their definitions sheet and imports without an edit here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fanpin_cli.core.model import Indicator
from fanpin_cli.core.schema import Field, fields

# fields a cell never gives: the figure (read by fanpin_cli.reading.sheets.numbers) and where it was
NOT_TEXT = ("number", "integer")


def _columns(keep: Callable[[str, Field], bool]) -> tuple[str, ...]:
    """The columns of the fields `keep` chooses, in declaration order (a ratio makes two)."""
    out: list[str] = []
    for name, f in fields(Indicator):
        if keep(name, f):
            out += [f"{name}_numerator", f"{name}_denominator"] if f.kind == "ratio" else [name]
    return tuple(out)


def definition_columns() -> tuple[str, ...]:
    """The hidden definitions sheet of a fill-in workbook: id, section, every carried field."""
    return ("id", "section", *_columns(lambda name, f: f.carry and name != "id"))


def extra_columns() -> tuple[str, ...]:
    """Fields a record has beyond the CSV columns (additive, direction, …): a workbook
    carries them too, so that it round-trips."""
    return _columns(lambda name, f: f.read and not f.export)


def cells(ind: Indicator) -> dict[str, str]:
    """An indicator's fields as cell texts by column (empty fields left out)."""
    out: dict[str, str] = {}
    value: Any
    for (name, f), value in zip(fields(Indicator), ind, strict=True):
        if value is None or value == () or f.kind in NOT_TEXT:
            continue
        if f.kind == "ratio":
            out[f"{name}_numerator"], out[f"{name}_denominator"] = value
        elif f.kind == "ids":
            out[name] = ";".join(value)
        elif f.kind == "flag":
            out[name] = "true" if value else "false"
        else:
            out[name] = str(value)
    return out


def all_columns() -> tuple[str, ...]:
    """Every column an indicator's fields make (a ratio two), in declaration order."""
    return _columns(lambda name, f: f.read or name == "section")


def record(text: Callable[[str], str], only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A TOML-like `[[indicator]]` table from cell texts (`text(column)`, '' when empty),
    for the loader's validator: what is not there is left out, as in a TOML file."""
    rec: dict[str, Any] = {}
    for name, f in fields(Indicator):
        if not f.read or f.kind in NOT_TEXT or (only is not None and name not in only):
            continue
        if f.kind == "ratio":
            num, den = text(f"{name}_numerator"), text(f"{name}_denominator")
            if num or den:
                rec[name] = {"numerator": num, "denominator": den}
            continue
        raw = text(name)
        if not raw:
            continue
        if f.kind == "ids":
            rec[name] = [p for p in raw.split(";") if p]
        elif f.kind == "flag":
            flag = _FLAGS.get(raw.strip().lower())
            rec[name] = flag if flag is not None else raw
        elif f.choices and raw not in f.choices:  # 年度 as a Chinese workbook shows annual
            rec[name] = _codes().get(raw, raw)
        else:
            rec[name] = raw
    return rec


_FLAGS = {"true": True, "false": False, "是": True, "否": False}


def _codes() -> dict[str, str]:
    """Code by Chinese word (年度 -> annual), for columns a workbook shows in Chinese."""
    from fanpin_cli.core.labels import TERMS_ZH

    return {zh: code for code, zh in TERMS_ZH.items()}
