"""The run-wide state, --lang wherever it is written, and writing an Output to stdout (the
options commands share: fanpin_cli.cli.options)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import typer

from fanpin_cli.cli.options import Lang
from fanpin_cli.core.errors import NothingMatched, PipeClosed, output_error
from fanpin_cli.files.streams import environment, getenv
from fanpin_cli.writers import Format

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fanpin_cli.core.columns import ColumnRequest
    from fanpin_cli.core.model import Dataset
    from fanpin_cli.views.output import Output, Sink


def take_lang(args: list[str]) -> tuple[list[str], str]:
    """Every command takes `--lang` wherever it is written before `--` (`fanpin get ID --lang
    en`), with no option of its own: each `--lang X` (or `--lang=X`) is moved in front of the
    command, to the root option (a command need not, and should not, declare one). Returns
    the arguments and the language asked for (else FANPIN_LANG, else zh), known before
    parsing so that --help, which is answered before the other options are read, speaks it
    too. A value other than zh or en stays for the root option to refuse (exit 2)."""
    end = args.index("--") if "--" in args else len(args)
    moved: list[str] = []
    rest: list[str] = []
    asked = [getenv("FANPIN_LANG")]
    n = 0
    while n < end:
        arg = args[n]
        if arg == "--lang" and n + 1 < end:
            moved += args[n : n + 2]
            asked.append(args[n + 1])
            n += 2
            continue
        if arg.startswith("--lang="):
            moved.append(arg)
            asked.append(arg.partition("=")[2])
        else:
            rest.append(arg)
        n += 1
    wanted = [a for a in asked if a in (Lang.zh.value, Lang.en.value)]
    return [*moved, *rest, *args[end:]], wanted[-1] if wanted else Lang.zh.value


def lang_everywhere(root: Any) -> None:
    """Show `--lang` among the options of every subcommand of the click group `root` (for
    --help and shell completion): take_lang hands its value to the root option, so the
    command's own never receives one."""
    import copy

    shown = copy.copy(next(p for p in root.params if p.name == "lang"))
    shown.expose_value = False  # the command's function has no `lang` argument
    for command in getattr(root, "commands", {}).values():
        if not any(p.name == "lang" for p in command.params):
            command.params.append(shown)


class State:
    """Global options, filled by the root callback and refined per command."""

    __slots__ = ("data", "data_given", "debug", "lang", "verbose")
    current: ClassVar[State | None] = None  # this run's, for the error boundary's language

    def __init__(self) -> None:
        self.data: list[Path] = []
        self.data_given = False  # --data before the command (not FANPIN_DATA)
        self.lang = "zh"
        self.debug = False
        self.verbose = False
        State.current = self


def state(ctx: typer.Context, data: list[Path] | None = None, lang: Lang | None = None) -> State:
    """The run's State with this command's own --data applied (and `lang`, from a command
    that declares its own --lang, which it need not: take_lang)."""
    root = ctx.find_root().obj
    st = root if isinstance(root, State) else State()
    if data:
        # `fanpin --data A show --data B` reads A and B; FANPIN_DATA gives way to --data
        st.data = [*st.data, *data] if st.data_given else list(data)
    if lang is not None:
        st.lang = lang.value
    return st


def load_dataset(
    st: State,
    *,
    strict: bool = True,
    targets: Path | None = None,
    region: str | None = None,
    period: str | None = None,
    columnar: ColumnRequest | None = None,
) -> Dataset:
    """The datasets named on the command line (or the bundled one), by
    fanpin_cli.analysis.filters.load_filtered; with --verbose, each file read is said on stderr.
    `columnar`: the records may come as columns instead (fanpin_cli.reading.load.load), for the
    checks and the roll-up."""
    from fanpin_cli.analysis.filters import load_filtered

    on_read = on_skip = None
    if st.verbose:
        from functools import partial

        from fanpin_cli.reading.sheets.collect import say_read, say_skipped

        on_read, on_skip = partial(say_read, lang=st.lang), partial(say_skipped, lang=st.lang)
    paths = st.data or None
    return load_filtered(paths, strict=strict, targets=targets, region=region, period=period,
                         on_read=on_read, columnar=columnar, on_skip=on_skip)  # fmt: skip


def stdout_is_tty() -> bool:
    try:
        return environment().stdout.isatty()
    except (AttributeError, ValueError):
        return False


def color_wanted(tty: bool) -> bool:
    """NO_COLOR (non-empty) turns colour off; FORCE_COLOR (non-empty) turns it on off a TTY."""
    if getenv("NO_COLOR"):
        return False
    if getenv("FORCE_COLOR"):
        return True
    return tty


def terminal_width() -> int:
    """COLUMNS when set, else the terminal's width; off a terminal 100, and a terminal that
    reports 0 columns (a pseudo-terminal nobody sized, `script -qc`) 80, as rich gives it."""
    return columns(80 if stdout_is_tty() else 100)


def columns(fallback: int) -> int:
    """shutil.get_terminal_size's columns, with COLUMNS read from the run's environment
    (fanpin_cli.files.streams.environment; shutil reads os.environ): a positive COLUMNS, else
    the terminal's width when stdout is a terminal, else `fallback` (0 columns too)."""
    value = getenv("COLUMNS").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if not stdout_is_tty():
        return fallback
    import shutil

    return shutil.get_terminal_size((fallback, 24)).columns


def choose_format(fmt: Format | None) -> Format:
    if fmt is not None:
        return fmt
    return Format.TABLE if stdout_is_tty() else Format.TSV


def emit(
    output: Output,
    fmt: Format | None,
    st: State,
    *,
    fields: str | None = None,
    header: bool = True,
    svg: Path | None = None,
) -> None:
    """Write `output` to stdout in the chosen format (tables via rich, others as UTF-8), and
    as an SVG picture of its table to `svg`; then exit with the output's status. An output
    without rows is NothingMatched (exit 1) unless its `nothing` is None."""
    from fanpin_cli.views.output import Sink
    from fanpin_cli.writers import render

    chosen = choose_format(fmt)
    output = output.with_fields(fields)
    if not output.rows and output.nothing is not None:
        raise NothingMatched.said(output.nothing)  # exit 1: the rule of fanpin_cli.analysis.filters
    if svg is not None:
        _draw(output, Sink(io.StringIO(), True, terminal_width(), True, st.lang, svg_path=str(svg)))
    if chosen is Format.TABLE:
        tty = stdout_is_tty()
        stdout = environment().stdout
        _draw(output, Sink(stdout, tty, terminal_width(), color_wanted(tty), st.lang))
    else:
        write_stdout(render(output, chosen, lang=st.lang, header=header))
        # stdout carries data only: a summary is said on stderr, by Markdown (a format for
        # people, who saw it under the table) and by a report's machine formats (check)
        if output.summary and (output.report or chosen is Format.MARKDOWN):
            environment().stderr.write(output.summary + "\n")
    if output.exit_code:
        raise typer.Exit(output.exit_code)


def _draw(output: Output, sink: Sink) -> None:
    """The table format of `output` on `sink`; a closed pipe ends the run."""
    from fanpin_cli.writers import write

    try:
        write(output, sink, Format.TABLE)
        sink.stream.flush()
    except BrokenPipeError:
        raise PipeClosed() from None
    except OSError as exc:
        raise output_error(exc, "to standard output", stdout=True) from None


def write_stdout(text: str) -> None:
    """Write text to stdout as UTF-8 bytes, whatever the locale says."""
    write_stdout_bytes(text.encode("utf-8"))


def write_stdout_bytes(data: bytes | Sequence[bytes]) -> None:
    """Write bytes (or pieces of bytes, in order) to stdout; a closed pipe becomes
    PipeClosed (exit 0, see docs/scripting.md)."""
    pieces = [data] if isinstance(data, bytes) else data
    stream = environment().stdout
    if stdout_is_tty():  # people read it: no escape sequence from the data reaches them
        from fanpin_cli.core.textsafe import for_terminal

        pieces = [for_terminal(b"".join(pieces))]
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is not None:
            stream.flush()
            buffer.writelines(pieces)
            buffer.flush()
        else:  # a text-only stream
            stream.write(b"".join(pieces).decode("utf-8"))
    except BrokenPipeError:
        raise PipeClosed() from None
    except OSError as exc:
        raise output_error(exc, "to standard output", stdout=True) from None


def write_output(path: Path | None, data: bytes | Sequence[bytes]) -> None:
    """`--output FILE` by the rules of fanpin_cli.files.atomic; no FILE or `-` is stdout. `data`:
    bytes, or pieces of bytes written in order (a streamed export)."""
    if path is None or str(path) == "-":
        write_stdout_bytes(data)
        return
    from fanpin_cli.files.atomic import atomic_file

    with atomic_file(path) as handle:
        pieces = [data] if isinstance(data, bytes) else data
        if handle.isatty():  # --output /dev/tty: a terminal, as stdout can be
            from fanpin_cli.core.textsafe import for_terminal

            pieces = [for_terminal(b"".join(pieces))]
        handle.writelines(pieces)
