"""Which kind of target a `[[target]]` table is, and whether its keys and unit fit that kind.

The fields are declared in fanpin_cli.schema (Target.kind, Target.per); this is the one rule
that relates them: the kind implied when it is left out, and what each kind needs.
"""

from __future__ import annotations

from collections.abc import Mapping

from fanpin_cli.units import UNITS, per_unit

RELATIVE_UNIT = "×"


def resolve_kind(
    written: object, values: Mapping[str, object], tid: str
) -> tuple[str, list[tuple[str, str]]]:
    """The target's kind and (key, problem) pairs, from its checked `values`.

    `written` is the table's own `kind` (None when left out: relative_to implies relative,
    per implies average, neither threshold). A relative target has `relative_to` and unit
    ×; an average has `per` and a unit per unit (万元/户); threshold and reference targets
    have neither and a registered unit.
    """
    relative_to, per, unit = values.get("relative_to"), values.get("per"), values.get("unit")
    if written is None:
        kind = "relative" if relative_to is not None else "average" if per is not None else ""
        kind = kind or "threshold"
    else:
        kind = str(written)
    problems: list[tuple[str, str]] = []
    if relative_to is not None and kind != "relative":
        problems.append(("relative_to", f"target {tid}: relative_to belongs to a relative target"))
    if per is not None and kind != "average":
        problems.append(("per", f"target {tid}: per belongs to an average target"))
    if kind == "relative":
        if relative_to is None:
            problems.append(("kind", f"target {tid}: a relative target needs relative_to"))
        elif unit != RELATIVE_UNIT:
            problems.append(("unit", f"target {tid}: a relative target's unit is {RELATIVE_UNIT}"))
    elif kind == "average":
        if per is None:
            problems.append(("kind", f"target {tid}: an average target needs per = an id"))
        elif type(unit) is not str or per_unit(unit) is None:
            problems.append(
                (
                    "unit",
                    f"target {tid}: an average needs a unit per unit like 万元/户, not {unit!r}",
                )
            )
    elif unit not in UNITS:
        problems.append(("unit", f"target {tid}: unknown unit {unit!r}"))
    return kind, problems
