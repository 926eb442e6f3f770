"""Bad-input corpus, issue 25 item 11: Ctrl-C in the first fraction of a second.

A real SIGINT to a real process while it imports the CLI used to print a KeyboardInterrupt
traceback (23 of 30 tries). From the command's first instruction (fanpin_cli.entry) it is
one line, `fanpin: interrupted`, and exit 130.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

SRC = str(REPO / "src" / "fanpin_cli")

# Runs `python -m fanpin_cli ARGS` and sends the process a real SIGINT at its Nth import
# after fanpin_cli.entry's (after the package's, without it), from an audit hook:
# deterministic, wherever imports happen (the CLI's modules, typer and click, the
# command's module as the app is built, the loader's).
AT_IMPORT = """
import os, runpy, signal, sys
wanted, seen = int(sys.argv.pop(1)), [-1]
def hook(event, args):
    if event != "import":
        return
    if args[0] in ("fanpin_cli", "fanpin_cli.entry"):
        seen[0] = 0
    elif seen[0] >= 0:
        seen[0] += 1
        if seen[0] == wanted:
            os.kill(os.getpid(), signal.SIGINT)
sys.addaudithook(hook)
runpy.run_module("fanpin_cli", run_name="__main__", alter_sys=True)
"""

ARGS = ["export", "--csv"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    return {**env, "FANPIN_CACHE": "0"}


def _imports_of_a_run() -> int:
    """How many modules a whole `export --csv` imports after fanpin_cli.entry (told on
    stderr at exit, by the harness with the signal sent at no import)."""
    counting = AT_IMPORT.replace(
        "sys.addaudithook(hook)",
        "sys.addaudithook(hook)\nimport atexit\n"
        "atexit.register(lambda: os.write(2, str(seen[0]).encode()))",
    )
    p = subprocess.run([sys.executable, "-c", counting, "0", *ARGS], capture_output=True,
                       env=_env(), timeout=60, check=False)  # fmt: skip
    assert p.returncode == 0, p.stderr[-500:]
    return int(p.stderr.decode())


def test_sigint_at_any_import_is_one_line_and_130() -> None:
    total = _imports_of_a_run()
    assert total > 20  # typer, click, the command's modules
    # spread over the whole start-up: the first import, every phase, the last one
    for n in sorted({1, 2, 3, 5, 8, total // 8, total // 4, total // 2, total - 1, total}):
        p = subprocess.run([sys.executable, "-c", AT_IMPORT, str(n), *ARGS],
                           capture_output=True, env=_env(), timeout=60, check=False)  # fmt: skip
        # before: a KeyboardInterrupt traceback and exit 1 (or killed by the signal)
        assert (p.returncode, p.stderr) == (130, b"fanpin: interrupted\n"), (n, p.stderr[-400:])


def test_sigint_at_fixed_early_delays() -> None:
    """The fanpin command as installed, a real SIGINT from outside at fixed small delays:
    a signal before the interpreter is ready kills it (the default action), one during the
    interpreter's own start-up (site) is its traceback; from fanpin's first instruction on,
    never a traceback through fanpin's code."""
    script = Path(sys.executable).parent / "fanpin"
    if not script.exists():
        pytest.skip("the fanpin command is not installed beside this Python")
    answered = 0
    for delay in (0.02, 0.05, 0.08, 0.12, 0.16, 0.2, 0.25, 0.3, 0.4, 0.6):
        proc = subprocess.Popen([str(script), *ARGS], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=_env())  # fmt: skip
        time.sleep(delay)  # the delay is the point here, not a synchronisation
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert SRC not in err.decode(), (delay, err.decode()[-800:])
        if proc.returncode == 130:
            assert err == b"fanpin: interrupted\n"
            answered += 1
        else:  # the run finished first, or the interpreter was not yet running fanpin
            assert proc.returncode in (0, -signal.SIGINT, 1), (delay, proc.returncode, err)
    assert answered  # at least the later delays reached fanpin itself
