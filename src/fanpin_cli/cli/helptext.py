"""--help in the language of --lang: the words of fanpin_cli.cli.help_text put on the commands.

Done only for a run that may show help (fanpin_cli.cli.app), after the click commands are
built and before any argument is parsed: --help is answered before the other options are
read, so the language comes from cli.common.take_lang.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from fanpin_cli.cli.compat import ClickContext, ClickHelpFormatter
from fanpin_cli.cli.help_text import HELP
from fanpin_cli.core.labels import pick


def words(key: str, lang: str) -> str | None:
    """The help text `key` in `lang`, or None when help_text has none."""
    pair = HELP.get(key)
    return None if pair is None else pick(lang, *pair)


def localise(root: Any, lang: str) -> None:
    """Give the click group `root` and each of its commands their help in `lang`."""
    _command(root, "fanpin", lang)
    for name, command in getattr(root, "commands", {}).items():
        _command(command, name, lang)


def _command(command: Any, name: str, lang: str) -> None:
    command.help = words(name, lang) or command.help
    for param in command.params:
        text = words(f"{name}.{param.name}", lang) or words(f"*.{param.name}", lang)
        if text is not None:
            param.help = text
    command.context_class = pick(lang, _ChineseContext, command.context_class)


CLOSING = "。，、；：？！）」』》,.;:?!)]"


def width(text: str) -> int:
    """Columns `text` takes on a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> Iterator[str]:
    """`text` in lines of at most `columns` terminal columns, broken at spaces where a
    line has one and anywhere in a run of Chinese."""
    for paragraph in text.splitlines() or [""]:
        line = ""
        for piece in _pieces(paragraph):
            # a closing mark never starts a line (it may overhang by its own width)
            closing = piece.strip() and all(c in CLOSING for c in piece.strip())
            if line and width(line + piece) > columns and not closing:
                yield line.rstrip()
                line = piece.lstrip()
            else:
                line += piece
        yield line.rstrip()


def _pieces(text: str) -> Iterator[str]:
    """Words (with the space after them) and single wide characters: the places a line may
    break."""
    word = ""
    for c in text:
        if unicodedata.east_asian_width(c) in "WF":
            if word:
                yield word
            word = ""
            yield c
        else:
            word += c
            if c == " ":
                yield word
                word = ""
    if word:
        yield word


class ChineseHelp(ClickHelpFormatter):
    """Click's help layout with its own words in Chinese and lines measured in terminal
    columns (a Chinese character takes two)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, words("click.Usage: ", "zh"))

    def write_heading(self, heading: str) -> None:
        super().write_heading(words(f"click.{heading}", "zh") or heading)

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        blocks = []
        for paragraph in _paragraphs(text):
            if paragraph.startswith("\b\n"):  # click's mark: keep these lines as written
                lines = paragraph[2:].splitlines()
            else:
                lines = list(wrap(" ".join(paragraph.split("\n")), self.width - len(indent)))
            blocks.append("".join(f"{indent}{line}\n" for line in lines))
        self.write("\n".join(blocks))

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = [(first, _framework_words(second)) for first, second in rows]
        first_col = min(max((width(r[0]) for r in rows), default=0), col_max) + col_spacing
        text_width = max(self.width - first_col - self.current_indent, 10)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = list(wrap(second, text_width))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in text.split("\n\n") if p.strip()]


def _framework_words(text: str) -> str:
    """The --help option's own line, and Typer's '[default: x]' and '[required]' after an
    option's help, in Chinese."""
    if text == HELP["*.help"][1]:
        return HELP["*.help"][0]
    default, required = words("click.default", "zh"), words("click.required", "zh")
    text = text.replace("[required]", f"[{required}]")
    if "[default: " in text and default is not None:
        head, _, rest = text.partition("[default: ")
        value, _, tail = rest.partition("]")
        text = f"{head}[{default.format(value)}]{tail}"
    return text


class _ChineseContext(ClickContext):
    formatter_class = ChineseHelp
