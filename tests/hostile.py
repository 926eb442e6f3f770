"""Shared tools of the bad-input corpus: ways to break a copy of the SYNTHETIC mini dataset
(tests/fixtures/synthetic-mini) one thing at a time, a fanpin process under limits, and
device nodes of our own."""

from __future__ import annotations

import os
import resource
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

MON = "monitoring.toml"


def edit(name: str, old: str, new: str, count: int = 1) -> Callable[[Path], Path]:
    def apply(d: Path) -> Path:
        text = (d / name).read_text(encoding="utf-8")
        assert old in text, old
        (d / name).write_text(text.replace(old, new, count), encoding="utf-8")
        return d

    return apply


def write(name: str, content: str | bytes) -> Callable[[Path], Path]:
    def apply(d: Path) -> Path:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (d / name).write_bytes(data)
        return d

    return apply


def append(name: str, text: str) -> Callable[[Path], Path]:
    def apply(d: Path) -> Path:
        with (d / name).open("a", encoding="utf-8") as f:
            f.write(text)
        return d

    return apply


def rename_target(path: str) -> Callable[[Path], Path]:
    def apply(d: Path) -> Path:
        return d / path

    return apply


EXTRA = """
[[indicator]]
id = "monitoring.extra"
name_zh = "额外"
name_en = "Extra"
value = 1
unit = "户"
"""


def extra(**fields: str) -> str:
    text = EXTRA
    for key, value in fields.items():
        if f"\n{key} = " in text:
            start = text.index(f"\n{key} = ")
            end = text.index("\n", start + 1)
            text = text[:start] + f"\n{key} = {value}" + text[end:]
        else:
            text += f"{key} = {value}\n"
    return text


@dataclass
class Case:
    name: str
    setup: Callable[[Path], Path]
    code: int  # exit code of `fanpin check`
    where: str  # FILE:LINE the error or finding names; {t} is the parent of the dataset
    message: str  # the exact error (exit 3) or finding message (exit 1)
    shows: bool = False  # `fanpin show` still works (exit 0): an inconsistency, not bad data


ROOT = os.geteuid() == 0
CAPSH = shutil.which("capsh")


def fanpin_process(
    *args: str, env: dict[str, str] | None = None, unprivileged: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """`python -m fanpin_cli ARGS` in a process limited to 1 GB of memory and 20 seconds.

    `unprivileged`: as root, with the capabilities that let root read anything dropped
    (`capsh`), so that file modes apply as they do for everyone else.
    """
    full = {k: v for k, v in os.environ.items() if not k.startswith("FANPIN_")}
    full.update(env or {})
    cmd = [sys.executable, "-m", "fanpin_cli", *args]
    if unprivileged and ROOT:
        if CAPSH is None:
            pytest.skip("capsh is needed to drop root's override of file modes")
        drop = "--drop=cap_dac_override,cap_dac_read_search"
        cmd = [CAPSH, drop, "--", "-c", "exec " + shlex.join(cmd)]

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        cmd, capture_output=True, env=full, timeout=20, preexec_fn=limit, check=False
    )


def make_node(path: Path, kind: str) -> None:
    """A FIFO, or a zero-device node of our own (never a real /dev entry), at `path`."""
    if kind == "fifo":
        os.mkfifo(path)
        return
    target = path if kind == "device" else path.with_name("zero-device")
    try:
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is
    except PermissionError:
        pytest.skip("making a device node needs root")
    if kind == "symlink-to-device":
        path.symlink_to(target)
