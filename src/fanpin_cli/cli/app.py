"""The `fanpin` Typer app, its global options, and the one place errors become exit codes."""

import importlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout, suppress
from pathlib import Path
from typing import Annotated

import typer

import fanpin_cli
from fanpin_cli import __version__
from fanpin_cli.cli.common import State, columns, lang_everywhere, take_lang
from fanpin_cli.cli.options import DataOpt, Lang, LangOpt
from fanpin_cli.core.errors import (
    ExitCode,
    FanpinError,
    OutputError,
    PipeClosed,
    Terminated,
    output_error,
)
from fanpin_cli.files.streams import Environment, environment, getenv

# Every command, in help order, with the module under fanpin_cli.cli that defines it (as a
# function of the same name; `import`, a Python keyword, as `import_`). Only the module of
# the command being run is imported. Their --help, and that of their options, is the
# words of fanpin_cli.cli.help_text in the language of --lang (cli.helptext), not docstrings.
COMMANDS: dict[str, str] = {
    "sections": "browse",
    "show": "browse",
    "get": "browse",
    "search": "browse",
    "explain": "targets",
    "compare": "targets",
    "check": "checking",
    "chart": "charts",
    "export": "export",
    "template": "regions",
    "import": "sheets",
    "rollup": "regions",
    "diff": "regions",
    "rank": "analysis",
    "scorecard": "analysis",
    "benchmark": "peers",
    "extract": "reports",
    "verify": "reports",
}
# Root options that take a value, to find the command name in argv.
ROOT_VALUE_OPTIONS = frozenset({"--data", "--lang"})


def _version(value: bool) -> None:
    if value:
        environment().stdout.write(f"fanpin {__version__}\n")
        raise typer.Exit(0)


def root(
    ctx: typer.Context,
    data: DataOpt = None,
    lang: LangOpt = None,
    debug: Annotated[bool, typer.Option("--debug")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    st = State()
    env_data = getenv("FANPIN_DATA")
    if data:
        st.data = list(data)
        st.data_given = True
    elif env_data:
        st.data = [Path(p) for p in env_data.split(os.pathsep) if p]
    env_lang = getenv("FANPIN_LANG")
    if lang is not None:
        st.lang = lang.value
    elif env_lang:
        if env_lang not in (Lang.zh.value, Lang.en.value):
            raise typer.BadParameter(f"FANPIN_LANG must be zh or en, not {env_lang!r}")
        st.lang = env_lang
    st.debug = debug
    st.verbose = verbose
    ctx.obj = st


def build_app(names: Iterable[str] = COMMANDS) -> typer.Typer:
    """The Typer app with the root options and the named commands (all by default)."""
    app = typer.Typer(
        name="fanpin",
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    for name in names:
        module = importlib.import_module(f"fanpin_cli.cli.{COMMANDS[name]}")
        app.command(name)(getattr(module, name if name != "import" else "import_"))
    return app


def command_in(argv: list[str]) -> str | None:
    """The subcommand named in `argv` (after the root options), if it is one of ours."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ROOT_VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
        elif arg in ("--help", "-h", "--version") or arg.endswith("-completion"):
            return None
    return None


def __getattr__(name: str) -> typer.Typer:
    """`app`: the full app, for tests and documentation (running fanpin builds less)."""
    if name == "app":
        return build_app()
    raise AttributeError(name)


def _may_show_help(args: list[str]) -> bool:
    """Whether this run may print help: no arguments, or -h/--help before `--`. Only then
    are the help texts loaded (a run that prints data never reads them)."""
    end = args.index("--") if "--" in args else len(args)
    return not args or "--help" in args[:end] or "-h" in args[:end]


def _take_debug(argv: list[str]) -> tuple[list[str], bool]:
    """`--debug` anywhere before `--` (before or after the command), and FANPIN_DEBUG."""
    end = argv.index("--") if "--" in argv else len(argv)
    rest = [a for a in argv[:end] if a != "--debug"] + argv[end:]
    wanted = len(rest) < len(argv) or getenv("FANPIN_DEBUG") not in ("", "0")
    return rest, wanted


def _traceback(debug: bool) -> None:
    """With --debug, the traceback of the error being handled; the exit code stays its own."""
    if debug:
        import traceback

        stderr = environment().stderr
        traceback.print_exc(file=stderr)
        stderr.flush()


def _error(message: str) -> None:
    from fanpin_cli.core.textsafe import visible

    _error_line(f"fanpin: error: {visible(message)}")


def _error_line(line: str) -> None:
    try:
        stderr = environment().stderr
        stderr.write(line + "\n")
        stderr.flush()
    except (OSError, ValueError):
        pass  # stderr full or broken: the exit code still says what happened


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush cannot fail again."""
    stdout = environment().stdout
    try:
        fd = stdout.fileno()
        os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
    except (OSError, ValueError):  # no descriptor: a closed stdout (fanpin_cli.files.streams)
        from fanpin_cli.files.streams import discard_closed_stdout

        discard_closed_stdout(stdout)


_EXIT_FREEZE: list[bool] = []


def _freeze_at_exit() -> None:
    """Once per process: at interpreter exit, move every object out of the garbage
    collector's sight (gc.freeze) before the interpreter's final collections, which would
    otherwise walk every object of typer, click and fanpin to look for cycles (about 25M
    instructions, measured: as much as a warm `export --csv` spends on its own work).
    Objects in cycles are then left to the operating system instead of being collected;
    by then main() has written and flushed its output, and fanpin keeps nothing whose
    finalizer must run. A warm `show` or `get` already froze its objects
    (fanpin_cli.reading.store.cache).
    A process that calls main() many times (the tests) is not affected until it exits."""
    if not _EXIT_FREEZE:
        import atexit
        import gc

        atexit.register(gc.freeze)
        _EXIT_FREEZE.append(True)


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _handle(handlers: dict[int, object]) -> dict[int, object]:
    """Set each signal's handler (where it is settable); returns the handlers it replaced."""
    import signal

    replaced: dict[int, object] = {}
    for signum, handler in handlers.items():
        with suppress(ValueError, OSError, TypeError):  # not the main thread; no such signal
            replaced[signum] = signal.signal(signum, handler)  # type: ignore[arg-type]
    return replaced


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run fanpin; returns the exit status (see ExitCode). Tracebacks only with --debug.

    `env`: the standard streams and environment variables the run uses
    (fanpin_cli.files.streams.Environment); by default the process's own, made safe to
    write first (UTF-8, closed ones harmless: streams.prepare). Nothing of the process is
    swapped for another `env`, except sys.stdout and sys.stderr while click itself writes
    help or completions (_click_writes).

    SIGTERM and SIGHUP (when not ignored) unwind the run as Ctrl-C does, so that no
    temporary file is left in the cache directory or beside an output, and exit 128 plus
    the signal's number with one line; the caller's handlers are given back on return.
    """
    from fanpin_cli.files.streams import prepare, running_in

    if env is None:
        prepare()  # UTF-8 stdout and stderr; closed ones fail or swallow, never crash
        env = Environment.real()
    with running_in(env):
        return _signalled(argv)


def _signalled(argv: list[str] | None) -> int:
    import signal

    wanted = [getattr(signal, name, None) for name in ("SIGTERM", "SIGHUP")]
    default = [s for s in wanted if s is not None and signal.getsignal(s) is signal.SIG_DFL]
    replaced = _handle(dict.fromkeys(default, _terminate))
    try:
        return _run(argv)
    except Terminated as exc:
        _handle(replaced)  # a second signal now ends the process at once
        _error_line("fanpin: terminated")
        return 128 + exc.signum
    finally:
        _handle(replaced)


def _run(argv: list[str] | None) -> int:
    from fanpin_cli.cli.compat import click_exceptions as click_exc

    _freeze_at_exit()
    fanpin_cli.FREEZE_GC = True  # this process is the command line's (fanpin_cli.freeze_gc)
    env = environment()
    args, debug = _take_debug(list(sys.argv[1:] if argv is None else argv))
    args, lang = take_lang(args)  # every command takes --lang, after it too
    if debug:
        args.insert(0, "--debug")  # for the root option: State.debug
    State.current = None  # the root callback makes this run's (its --lang names errors)
    completing = any(k.startswith("_FANPIN_COMPLETE") for k in env.environ)
    name = None if completing else command_in(args)
    command = typer.main.get_command(build_app([name] if name else COMMANDS))
    lang_everywhere(command)
    clicks = completing or _may_show_help(args)
    if clicks:
        from fanpin_cli.cli.helptext import localise

        localise(command, lang)
    if completing:
        from fanpin_cli.cli.complete import install

        install(command)
    try:
        with _click_writes(env, clicks):
            result = command.main(
                args=args,
                prog_name="fanpin",
                standalone_mode=False,
                terminal_width=max(min(columns(80), 80) - 2, 50) if clicks else None,
            )
        if result == ExitCode.INTERRUPTED:  # how Typer answers Ctrl-C (KeyboardInterrupt)
            _error_line("fanpin: interrupted")
        try:
            env.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise output_error(exc, "to standard output", stdout=True) from None
        return int(result) if isinstance(result, int) else ExitCode.OK
    except FanpinError as exc:
        _traceback(debug)
        if isinstance(exc, OutputError) and exc.stdout:
            _silence_stdout()  # or the exit flush would fail on the same stream again
        _error(exc.text(State.current.lang if State.current else "en"))
        return int(exc.exit_code)
    except click_exc.NoArgsIsHelpError as exc:
        env.stderr.write(exc.ctx.get_help() + "\n" if exc.ctx is not None else "")
        return int(ExitCode.USAGE)
    except click_exc.UsageError as exc:
        _traceback(debug)
        # name the subcommand; the root's own path would repeat the "fanpin:" prefix
        sub = exc.ctx is not None and exc.ctx.parent is not None
        where = f"{exc.ctx.command_path}: " if sub and exc.ctx is not None else ""
        _error(where + exc.format_message().replace("\n", " "))
        return int(ExitCode.USAGE)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _error_line("fanpin: interrupted")  # one line, after the terminal's ^C
        return int(ExitCode.INTERRUPTED)
    except (BrokenPipeError, PipeClosed):
        # The reader (head, less) closed the pipe: it has all it wanted. Exit 0 so that
        # `fanpin export --csv | head -1` succeeds under `set -o pipefail` (docs/scripting.md).
        _silence_stdout()
        return int(ExitCode.OK)
    except click_exc.ClickException as exc:
        _traceback(debug)
        _error(exc.format_message())
        return int(ExitCode.USAGE)
    except Exception as exc:
        _traceback(debug)
        _error(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug and report it)")
        return int(ExitCode.INTERNAL)


@contextmanager
def _click_writes(env: Environment, clicks: bool) -> Iterator[None]:
    """While click may write help or shell completions itself (`clicks`), it writes them
    with its own echo to sys.stdout: the one part of a run that cannot be given `env`'s
    streams, so only then, and only for an `env` that is not the process's own, are they
    swapped for its. (Help is as wide as click makes it from `env`'s COLUMNS: the
    terminal_width passed to click. Shell completion reads its COMP_* variables from the
    process's environment: only a real process completes.)"""
    if not clicks or (env.stdout is sys.stdout and env.stderr is sys.stderr):
        yield
        return
    with redirect_stdout(env.stdout), redirect_stderr(env.stderr):
        yield
