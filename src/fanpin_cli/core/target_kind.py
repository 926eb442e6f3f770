"""Which kind of target a `[[target]]` table is, and whether its keys and unit fit that kind.

The fields are declared in fanpin_cli.core.schema (Target.kind, Target.per); this is the one rule
that relates them: the kind implied when it is left out, and what each kind needs.
"""

from __future__ import annotations

from collections.abc import Mapping

from fanpin_cli.core.units import UNITS, per_unit

RELATIVE_UNIT = "×"


def resolve_kind(
    written: object, values: Mapping[str, object]
) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
    """The target's kind and (key, problem) pairs, from its checked `values`; a problem is
    (code, *args) of labels.MESSAGES.

    `written` is the table's own `kind` (None when left out: relative_to implies relative,
    per implies average, neither threshold). A relative target has `relative_to` and unit
    ×; an average has `per` and a unit per unit (万元/户); threshold and reference targets
    have neither and a registered unit.
    """
    relative_to, per, unit = values.get("relative_to"), values.get("per"), values.get("unit")
    kind = "relative" if relative_to is not None else "average" if per is not None else "threshold"
    if written is not None:
        kind = str(written)
    problems: list[tuple[str, tuple[str, ...]]] = []
    if relative_to is not None and kind != "relative":
        problems.append(("relative_to", ("schema.relative_to",)))
    if per is not None and kind != "average":
        problems.append(("per", ("schema.per",)))
    if kind == "relative":
        if relative_to is None:
            problems.append(("kind", ("schema.relative_needs",)))
        elif unit != RELATIVE_UNIT:
            problems.append(("unit", ("schema.relative_unit", RELATIVE_UNIT)))
    elif kind == "average":
        if per is None:
            problems.append(("kind", ("schema.average_needs",)))
        elif type(unit) is not str or per_unit(unit) is None:
            problems.append(("unit", ("schema.average_unit", repr(unit))))
    elif unit not in UNITS:
        problems.append(("unit", ("schema.target_unit", str(unit))))
    return kind, problems
