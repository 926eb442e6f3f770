"""Chinese numerals as reports write small counts (五大专班, 十二项): their integer value."""

from __future__ import annotations

from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}  # fmt: skip
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral (五 -> 5, 十二 -> 12, 三百零五 -> 305), None if not one."""
    if not text:
        return None
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0 and digit != 0:
                return None  # two digits in a row (五五) is not a numeral
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in LARGE_UNITS:
            section += digit or 0
            if section == 0:
                return None
            total += section * LARGE_UNITS[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def written_number(text: str) -> int | Decimal | None:
    """The value of a number as a report writes it: Chinese numerals (五, 十二), full-width
    digits (１２０), thousands separators (1,294); None if it is not one."""
    found = chinese_number(text)
    if found is not None:
        return found
    plain = text.translate(_FULLWIDTH).replace(",", "")
    if not plain or not all(c.isdigit() or c == "." for c in plain) or not plain.isascii():
        return None
    try:
        return Decimal(plain) if "." in plain else int(plain)
    except (ValueError, ArithmeticError):
        return None
