"""Numbers fanpin works out and prints: derived digits, exact figures as written, cells as text.

The analysis layer rounds with these and every writer prints with them: one rule, declared once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

# Rounding a computed figure (a percentage to 0.01, a sum to an integer) needs as many
# digits as the figure has; with figures below 1e18 and at most 9 decimals
# (load.problems.MAX_DECIMALS) even 1e18 / 1e-9 * 100 rounded to 0.01 fits in 60, where
# the default 28 would fail.
WIDE = Context(prec=60)


# Derived digits: a figure fanpin works out that has no scale of its own (a mean, a progress
# ratio, a percentage) is rounded half up to the places declared here and printed with all
# of them (15.7090, not 15.709): one rule for compare, diff and benchmark.
PLACES = {"average": 4, "ratio": 4, "percent": 2}


def derived(value: Decimal, kind: str) -> Decimal:
    """`value` rounded half up to the PLACES of `kind`, trailing zeros kept."""
    step = Decimal(1).scaleb(-PLACES[kind])
    return value.quantize(step, rounding=ROUND_HALF_UP, context=WIDE)


def tidy(value: Decimal) -> Decimal:
    """A computed figure without the trailing zeros arithmetic adds (16741.0000 -> 16741)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=WIDE)
    return value.normalize()


def at_scale(value: Decimal | None, *inputs: object) -> Decimal | None:
    """`value` with the decimal places of the most precise of `inputs`, when that is exact
    (a figure worked out from others is shown at their scale, not at arithmetic's)."""
    if value is None:
        return None
    places = [
        -e
        for x in inputs
        if isinstance(x, (int, Decimal)) and isinstance(e := Decimal(x).as_tuple().exponent, int)
    ]
    if not places:
        return value
    scaled = value.quantize(Decimal(1).scaleb(-max(0, *places)), context=WIDE)
    return scaled if scaled == value else value


def format_number(value: object) -> str:
    """A number exactly as reported: 3.1800 stays 3.1800, integers stay integers."""
    if isinstance(value, Decimal):
        text = str(value)
        if "E" in text or "e" in text:  # 1E+3 from TOML 1e3: show it positionally
            text = format(value, "f")
        return text
    return str(value)


def cell_text(value: object) -> str:
    """A cell as plain text for csv, tsv, markdown and tables ('' for missing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format_number(value)
    if isinstance(value, (list, tuple)):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={cell_text(v)}" for k, v in value.items())
    return str(value)
