"""What people type into a figure's cell, read as an exact number (or as "not reported").

Decided here, and tested case by case (tests/reading/sheets/test_sheets.py):

- `1,294` and `1 294` (thousands separators: comma, space, no-break or thin space) are 1294;
  a comma that does not group thousands (`1,29`) is an error, never guessed.
- Full-width digits and signs (`１２９４`, `５９．６％`) read as their ASCII forms (NFKC); no
  other character is a digit: `1294¹`, `1294①`, `12₃`, `㉑` are errors naming the character.
- A trailing unit equal to the row's own unit (`1294户` in a 户 row) is dropped; any other
  trailing text (`1294人` in a 户 row) is an error naming both units.
- `59.6%` in a `%` row is 59.6; in any other row it is an error.
- An empty cell is not filled in (the completeness check counts it).
- `-`, `/`, `无` (and `—`, `N/A`) say "not reported" on purpose: no value, and a note that
  records what was written, so the completeness check does not count it as forgotten.
- A numeric cell formatted as a percentage holds 0.596 for 59.6%: in a `%` row it reads as
  59.6, never as 0.596; in any other row it is an error. It keeps the precision typed, not
  the format's: LibreOffice formats a typed `59.3%` as `0.00%`, and it reads 59.3, not 59.30
  (which the ratio check would hold to two decimals).
- A numeric cell shows as its number format says: `3.1800` (format `0.0000`) keeps four
  decimals; binary-float noise (`22680.300000000003`) is rounded to the 15 significant digits
  a spreadsheet keeps, so it never appears. A format showing more than 9 decimals, or a
  number of 10^18 or more, is an error (never an arithmetic failure).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from fanpin_cli.reading.load.problems import MAX_ABS, MAX_DECIMALS, positional

# Spellings of "not reported" (after NFKC: full-width forms are already ASCII here).
NOT_REPORTED = frozenset({"-", "--", "/", "无", "—", "——", "–", "n/a", "na", "不适用"})
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d{1,4}\Z")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\Z")
_SPACE_GROUPS = re.compile(r"[+-]?\d{1,3}(?: \d{3})+(?:\.\d+)?\Z")
_NUMBER_PREFIX = re.compile(r"[+-]?[\d., ]*\d")
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " "})
EXCEL_DIGITS = 15  # significant digits a spreadsheet keeps of a number
# Digits are ASCII and full-width only: `1294¹`, `1294①`, `12₃` and `㉑` are errors (a
# footnote mark goes in the note), never 12941, 12941, 123 or 21 as NFKC would read them.
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_ASCII_DIGIT = re.compile("[0-9]")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


class Reading(NamedTuple):
    """A cell read as a figure: a value, or none (with why), or an error message."""

    value: int | Decimal | None = None
    not_reported: str | None = None  # what the cell said instead of a number (`无`)
    error: tuple[str, ...] | None = None  # (code, *args) of fanpin_cli.core.messages


def from_text(text: str, unit: str) -> Reading:
    """A figure typed as text into a row whose unit is `unit`."""
    raw = text
    scanned = text.strip()
    if unit and scanned.endswith(unit):  # a unit may hold one (m²)
        scanned = scanned[: -len(unit)]
    for ch in scanned:
        if ch not in _DIGITS and not ch.isascii() and _ASCII_DIGIT.search(_nfkc(ch)):
            return Reading(error=("sheet.odd_digit", raw.strip(), ch, f"U+{ord(ch):04X}"))
    text = _nfkc(text).translate(_SPACES).strip()
    if not text:
        return Reading()
    if text.lower() in NOT_REPORTED:
        return Reading(not_reported=raw.strip())
    if _SCIENTIFIC.match(text):  # 1.294E3, as a spreadsheet shows a number: 1294
        number = Decimal(text)
        if not -MAX_ABS < number < MAX_ABS:
            return Reading(error=("schema.too_large", "value"))
        if number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
            return Reading(error=("schema.decimals", "value", str(MAX_DECIMALS)))
        number = positional(number)
        return Reading(int(number) if number == number.to_integral_value() else number)
    body, suffix = text, ""
    m = _NUMBER_PREFIX.match(text)
    if m is not None:
        body, suffix = text[: m.end()], text[m.end() :].strip()
    if suffix == "%" and unit != "%":
        return Reading(error=("sheet.percent_text", raw.strip(), unit))
    if suffix and suffix != unit:
        return Reading(error=("sheet.other_unit", raw.strip(), suffix, unit))
    if _COMMA_GROUPS.match(body):
        body = body.replace(",", "")
    elif _SPACE_GROUPS.match(body):
        body = body.replace(" ", "")
    if not _PLAIN.match(body):
        return Reading(error=("sheet.digits", raw.strip()))
    try:
        number = Decimal(body)
    except InvalidOperation:  # pragma: no cover - _PLAIN admits only decimal syntax
        return Reading(error=("sheet.not_number", raw.strip()))
    if "." not in body:
        return Reading(int(number))
    return Reading(number)


def from_float(
    number: float, decimals: int | None, *, percent: bool, unit: str, shown: str = ""
) -> Reading:
    """A numeric cell: `decimals` shown by its number format (None: General), `percent`
    when the format shows it as a percentage (0.596 as 59.6%)."""
    if number != number or number in (float("inf"), float("-inf")):
        return Reading(error=("sheet.infinite",))
    if percent and unit != "%":
        return Reading(error=("sheet.percent_format", str(shown or number), unit))
    value = significant(Decimal(repr(number)))
    if percent:
        value = value.scaleb(2)
        decimals = None  # the precision typed (59.3), never the format's (0.00% pads 59.30)
    if not -MAX_ABS < value < MAX_ABS:
        return Reading(error=("schema.too_large", "value"))
    if value == value.to_integral_value() and not decimals:
        return Reading(int(value))  # 1294.0 from a float, shown as 1294
    if decimals is not None:
        exponent = value.as_tuple().exponent
        have = -exponent if isinstance(exponent, int) else 0
        if decimals > have and decimals > MAX_DECIMALS:
            return Reading(error=("sheet.format_decimals", str(decimals), str(MAX_DECIMALS)))
        if decimals > have:  # 3.18 shown as 3.1800: keep what the reader sees
            value = value.quantize(Decimal(1).scaleb(-decimals))
    return Reading(positional(value))


def significant(value: Decimal) -> Decimal:
    """`value` to at most 15 significant digits, trailing zeros that noise left removed."""
    digits = value.as_tuple().digits
    if len(digits) <= EXCEL_DIGITS:
        return value
    exponent = value.adjusted() - EXCEL_DIGITS + 1
    rounded = value.quantize(Decimal(1).scaleb(exponent))
    if rounded.as_tuple().exponent < 0:  # type: ignore[operator]
        rounded = rounded.normalize()
        if rounded.as_tuple().exponent > 0:  # type: ignore[operator]
            rounded = rounded.quantize(Decimal(1))
    return rounded


def format_decimals(number_format: str) -> tuple[int | None, bool]:
    """(decimals shown, shown as a percentage) for an Excel number format code.

    Only the first section (positive numbers) counts; quoted text, escaped characters and
    colour or condition brackets are skipped. `General` (or empty) gives None decimals.
    """
    code = number_format.split(";", 1)[0]
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", code)
    if not code or code.lower() == "general" or code == "@":
        return None, False
    percent = "%" in code
    if "." not in code:
        return 0, percent
    after = code.split(".", 1)[1]
    return len(re.match(r"[0#?]*", after).group(0)), percent  # type: ignore[union-attr]
