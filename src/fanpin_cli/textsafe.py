"""Make text from data files safe to show on a terminal without losing it elsewhere."""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, bidi overrides that can reorder what a reader sees, and
# the noncharacters U+FFFE and U+FFFF, which XML (an SVG picture) cannot hold.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Replace control characters by a visible escape (\\x1b), so none reach the terminal."""
    if text.isprintable():
        return text
    return _CONTROL.sub(_visible, text)
