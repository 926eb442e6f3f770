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


# what a terminal must not be sent raw: the same, but line ends and tabs (CSV and TSV lines)
# (a CR only before an LF: `--excel` ends its lines with CRLF)
_CONTROL_IN_LINES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|\r(?!\n)"
)
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")


def for_terminal(data: bytes) -> bytes:
    """Machine output (CSV, TSV, JSON) bound for a terminal with control characters made
    visible as `visible` does, line ends and tabs kept: an ESC or a CR from a data file
    cannot drive the terminal or hide what is on a line. Redirected output is never passed
    through this: a file or a pipe gets every byte. Text in another encoding than UTF-8
    (`--encoding gb18030`) has its ASCII control bytes escaped, which no multi-byte
    character of it contains."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _CONTROL_BYTES.sub(lambda m: b"\\x%02x" % m.group()[0], data)
    if text.isprintable():
        return data
    return _CONTROL_IN_LINES.sub(_visible, text).encode("utf-8")
