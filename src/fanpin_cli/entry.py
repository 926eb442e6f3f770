"""The `fanpin` command's first instructions: Ctrl-C from the very start is one line, exit 130.

Importing the CLI (typer, click, fanpin's own modules) takes a good part of a second on a
slow machine, and a Ctrl-C in that time used to print a KeyboardInterrupt traceback. So the
first thing the command does, before anything else is imported, is to take SIGINT: until
the run itself is under way (fanpin_cli.cli.app.main, which unwinds a Ctrl-C removing its
temporary files) and again once it is over, a Ctrl-C says `fanpin: interrupted` and ends
the process with 130 at once; nothing has been written then. A SIGINT ignored by the
caller (a background job of a script) stays ignored. Only the command imports this module:
importing fanpin_cli as a library changes no signal handling.
"""

# No `from __future__` and not the `signal` module (which imports enum): both are imports
# of their own, and a Ctrl-C during them would still be a traceback. os and _signal (the
# interpreter's own, what `signal` wraps) are loaded before any program starts.
import os
from _signal import (  # type: ignore[import-not-found,unused-ignore]
    SIGINT,
    default_int_handler,
    getsignal,
    signal,
)

INTERRUPTED = 130  # errors.ExitCode.INTERRUPTED, without importing anything more


def _say() -> None:
    try:  # noqa: SIM105 - contextlib would be one more import before the handler
        os.write(2, b"fanpin: interrupted\n")
    except OSError:  # stderr closed: the exit code still says it
        pass


def _interrupted(signum: int, frame: object) -> None:
    _say()
    os._exit(INTERRUPTED)


if getsignal(SIGINT) is default_int_handler:
    signal(SIGINT, _interrupted)


def main() -> int:
    """Run fanpin (fanpin_cli.cli.app.main) with Ctrl-C unwinding the run as usual."""
    from fanpin_cli.cli.app import main as run

    ours = getsignal(SIGINT) is _interrupted
    try:
        try:
            if ours:
                signal(SIGINT, default_int_handler)
            return run()
        finally:
            if ours:
                signal(SIGINT, _interrupted)
    except KeyboardInterrupt:  # before the run's own try, or after it, before ours is back
        _say()
        return INTERRUPTED
