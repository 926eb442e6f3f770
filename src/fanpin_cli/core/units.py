"""The unit registry: dimensions, 万/亿 scales, conversion to base units, additivity."""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Literal, NamedTuple, get_args

UnitClass = Literal["count", "amount", "rate", "standard"]


class Unit(NamedTuple):
    """One unit as written in reports, with what it measures and how to reach its base."""

    symbol: str
    dimension: str
    scale: int
    unit_class: UnitClass
    name_en: str

    @property
    def base(self) -> str:
        return BASE_UNITS[self.dimension]


WAN = 10_000
YI = 100_000_000

_ALL = (
    Unit("户", "households", 1, "count", "households"),
    Unit("万户", "households", WAN, "count", "ten thousand households"),
    Unit("人", "persons", 1, "count", "persons"),
    Unit("万人", "persons", WAN, "count", "ten thousand persons"),
    Unit("名", "persons", 1, "count", "persons (named posts)"),
    Unit("位", "persons", 1, "count", "persons (honorific)"),
    Unit("人次", "person_times", 1, "count", "person-times"),
    Unit("万人次", "person_times", WAN, "count", "ten thousand person-times"),
    Unit("元", "yuan", 1, "amount", "yuan"),
    Unit("万元", "yuan", WAN, "amount", "ten thousand yuan"),
    Unit("亿元", "yuan", YI, "amount", "hundred million yuan"),
    Unit("元/人·年", "yuan_per_person_year", 1, "standard", "yuan per person per year"),
    Unit("%", "percent", 1, "rate", "per cent"),
    Unit("个", "items", 1, "count", "items"),
    Unit("项", "measures", 1, "count", "measures or lists"),
    Unit("件", "cases", 1, "count", "cases"),
    Unit("次", "times", 1, "count", "times"),
    Unit("场次", "sessions", 1, "count", "sessions"),
    Unit("批次", "rounds", 1, "count", "rounds"),
    Unit("方面", "aspects", 1, "count", "aspects"),
    Unit("家", "enterprises", 1, "count", "enterprises"),
    Unit("期", "courses", 1, "count", "course sessions"),
    Unit("处", "sites", 1, "count", "sites"),
    Unit("笔", "loans", 1, "count", "loans"),
)

UNITS: dict[str, Unit] = {u.symbol: u for u in _ALL}
BASE_UNITS: dict[str, str] = {u.dimension: u.symbol for u in _ALL if u.scale == 1}


def comparable(a: str, b: str) -> bool:
    """True when values in units `a` and `b` can be converted into each other."""
    ua, ub = UNITS.get(a), UNITS.get(b)
    return ua is not None and ub is not None and ua.dimension == ub.dimension


def convert(value: int | Decimal, from_unit: str, to_unit: str) -> Decimal:
    """`value` in `from_unit` expressed in `to_unit`, exactly; raises ValueError if impossible."""
    ua, ub = UNITS.get(from_unit), UNITS.get(to_unit)
    if ua is None or ub is None or ua.dimension != ub.dimension:
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    given = Decimal(value)
    result = given * ua.scale / ub.scale
    tens_from, tens_to = _tens(ua.scale), _tens(ub.scale)
    exponent = given.as_tuple().exponent
    if tens_from is None or tens_to is None or not isinstance(exponent, int):
        return result
    shift = tens_from - tens_to
    # at the scale of the input: 0.009万户 is 90户, 1259人 is 0.1259万人, 3.1800万人 is 31800人
    return result.quantize(Decimal(1).scaleb(min(exponent + shift, 0)), context=_EXACT)


_EXACT = Context(prec=200)


def _tens(scale: int) -> int | None:
    """n for a scale of 10**n (1, 万, 亿), else None."""
    text = str(scale)
    return len(text) - 1 if text == "1" + "0" * (len(text) - 1) else None


def to_base(value: int | Decimal, unit: str) -> Decimal:
    """`value` in the base unit of its dimension (万人 to 人, 亿元 to 元)."""
    u = UNITS.get(unit)
    return Decimal(value) * (u.scale if u is not None else 1)


def is_additive(unit: str) -> bool:
    """Counts and amounts add up across regions; rates, averages and standards never do."""
    u = UNITS.get(unit)
    return u is not None and u.unit_class in ("count", "amount")


def is_rate(unit: str) -> bool:
    """A percentage: its change is in percentage points, not per cent."""
    u = UNITS.get(unit)
    return u is not None and u.unit_class == "rate"


def per_unit(symbol: str) -> tuple[str, str] | None:
    """('万元', '户') for '万元/户': a unit per unit, both registered; None otherwise."""
    if symbol in UNITS or symbol.count("/") != 1:
        return None
    num, den = symbol.split("/")
    return (num, den) if num in UNITS and den in UNITS else None


# ------------------------------------------------------------ units a dataset declares

BUILTIN: frozenset[str] = frozenset(UNITS)
_BUILTIN_BASES: dict[str, str] = dict(BASE_UNITS)
UNIT_CLASSES: tuple[str, ...] = get_args(UnitClass)


def declare(
    symbol: str, dimension: str, scale: int, unit_class: UnitClass, name_en: str
) -> tuple[str, ...]:
    """Add a dataset's own unit (亩, 公里, 吨) to the registry; () or why it cannot be added
    ((code, *args) of labels.MESSAGES).

    A symbol already known must mean the same; a dimension needs a unit of scale 1 (its
    base), declared or built in, for conversions.
    """
    unit = Unit(symbol, dimension, scale, unit_class, name_en or symbol)
    known = UNITS.get(symbol)
    if known is not None:
        if known[:4] == unit[:4]:
            return ()
        return ("units.redeclared", symbol, known.dimension, str(known.scale), known.unit_class)
    if scale == 1:
        BASE_UNITS.setdefault(dimension, symbol)
    UNITS[symbol] = unit
    return ()


def missing_bases() -> list[str]:
    """Declared units whose dimension has no unit of scale 1."""
    return [u.symbol for u in UNITS.values() if u.dimension not in BASE_UNITS]


def reset_declared() -> None:
    """Forget every declared unit (each load declares its datasets' own again)."""
    for symbol in [s for s in UNITS if s not in BUILTIN]:
        del UNITS[symbol]
    BASE_UNITS.clear()
    BASE_UNITS.update(_BUILTIN_BASES)
