"""Hypothesis mutates the bundled TOML; every command either works or fails in one line."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import DATA, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FILES = sorted(p.name for p in DATA.glob("*.toml"))
COMMANDS = [
    ("show",),
    ("export", "--csv"),
    ("export", "--json"),
    ("check",),
    ("compare", "-o", "json"),
    ("get", "monitoring.total_households"),
    ("sections",),
    ("explain", "monitoring.total_households"),
    ("search", "户"),
]
RETYPES = ['"text"', "1.5", "-3", "true", "[1, 2]", "{ a = 1 }", "nan", "1e999", '""', "0"]


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str, int, int, str]:
    name = draw(st.sampled_from(FILES))
    kind = draw(st.sampled_from(["delete", "duplicate", "retype", "corrupt", "truncate"]))
    return (
        name,
        kind,
        draw(st.integers(min_value=0, max_value=10_000)),
        draw(st.integers(min_value=0, max_value=255)),
        draw(st.sampled_from(RETYPES)),
    )


def mutate(raw: bytes, kind: str, where: int, byte: int, new_value: str) -> bytes:
    lines = raw.split(b"\n")
    i = where % len(lines)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "retype":
        candidates = [n for n, line in enumerate(lines) if b" = " in line]
        n = candidates[where % len(candidates)]
        key = lines[n].split(b" = ", 1)[0]
        lines[n] = key + b" = " + new_value.encode()
    elif kind == "truncate":
        return raw[: where % len(raw)]
    else:
        pos = where % len(raw)
        return raw[:pos] + bytes([byte]) + raw[pos + 1 :]
    return b"\n".join(lines)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(mutation(), st.sampled_from(COMMANDS))
def test_mutated_data_never_crashes(
    m: tuple[str, str, int, int, str], cmd: tuple[str, ...]
) -> None:
    name, kind, where, byte, new_value = m
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "data"
        shutil.copytree(DATA, d)
        f = d / name
        f.write_bytes(mutate(f.read_bytes(), kind, where, byte, new_value))
        r = run("--data", str(d), *cmd)
    assert r.code in (0, 1, 2, 3), (r.code, r.err)
    if r.code in (2, 3):
        assert r.err.startswith("fanpin: error: ") and r.err.count("\n") == 1, r.err
        assert r.out == ""
    if r.code == 1:
        assert cmd[0] == "check"
