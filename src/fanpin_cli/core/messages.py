"""The words of fanpin's messages in Chinese and English, by code; fanpin_cli.core.labels picks.

A finding carries a code of MESSAGES and its arguments, its English text in `message` (the
text of a strict-load error, too); compare's reasons and diff's notes are (code, *args)
tuples; an error that stops a command carries its (code, *args) as `reason`.

The words themselves live in four tables (messages_usage, messages_found, messages_reading,
messages_files), each imported the first time a code is looked up that the tables before it
lack: a run that says nothing imports none of them (start-up, issue 27). No code is in two
tables (tests/core/test_labels.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

Words = dict[str, tuple[str, str]]


def _usage() -> Words:
    from fanpin_cli.core.messages_usage import STOPS  # usage errors and nothing matched

    return STOPS


def _found() -> Words:
    from fanpin_cli.core.messages_found import FOUND  # findings; what loading a file finds

    return FOUND


def _reading() -> Words:
    from fanpin_cli.core.messages_reading import READING  # reports, units, spreadsheets

    return READING


def _files() -> Words:
    from fanpin_cli.core.messages_files import FILES  # folders and files read or written

    return FILES


class Messages(Mapping[str, tuple[str, str]]):
    """Every message, (Chinese, English) by code: the tables looked in in turn, each module
    imported when it is first looked in (then Python's import cache answers: no state here,
    so threads may look up at once). Iterating imports them all."""

    __slots__ = ("_tables",)

    def __init__(self, tables: tuple[Callable[[], Words], ...]) -> None:
        self._tables = tables

    def __getitem__(self, code: str) -> tuple[str, str]:
        for table in map(_called, self._tables):
            if code in table:
                return table[code]
        raise KeyError(code)

    def tables(self) -> list[Words]:
        """Every table, imported now."""
        return [table() for table in self._tables]

    def __iter__(self) -> Iterator[str]:
        return (code for table in self.tables() for code in table)

    def __len__(self) -> int:
        return sum(map(len, self.tables()))


def _called(table: Callable[[], Words]) -> Words:
    return table()


# Usage errors first: the quick runs that say something are mostly those.
MESSAGES = Messages((_usage, _found, _reading, _files))

# The type of a TOML value, as a message names it (`{n!k}`).
TYPES: dict[str, tuple[str, str]] = {
    "boolean": ("布尔值", "a boolean"), "integer": ("整数", "an integer"),
    "float": ("小数", "a float"), "string": ("字符串", "a string"), "array": ("数组", "an array"),
    "table": ("表", "a table"), "datetime": ("日期时间", "a datetime"), "date": ("日期", "a date"),
    "time": ("时间", "a time"),
    # files that are not regular, and what was asked for (fanpin_cli.files.safe_read)
    "directory": ("目录", "a directory"), "fifo": ("FIFO (命名管道)", "a FIFO (named pipe)"),
    "chardev": ("字符设备", "a character device"), "blockdev": ("块设备", "a block device"),
    "socket": ("套接字", "a socket"), "irregular": ("非普通文件", "not a regular file"),
    "file": ("普通文件", "a regular file"),
    "file or directory": ("普通文件或目录", "a regular file or directory"),
}  # fmt: skip
