"""fanpin_cli.reading.load.plain_toml reads exactly what tomli reads, or leaves the file to tomli.

A Hypothesis differential test draws section files near fanpin's plain layout, valid and
not (escapes, signs, underscores, dates, odd spacing, repeated keys, CRLF, no final
newline...): whenever the plain reader gives a document it is tomli's, to the type and the
order of keys, and parse_toml gives the same document or the same error, file and line
whichever reader goes first. The bad-input corpus (test_bad_datasets.py, beside this file)
loads the same with every file offered to the plain reader first.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli
from conftest import MINI, REPO
from hostile import Case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_datasets import CASES

from fanpin_cli.core.errors import DataError
from fanpin_cli.reading.load import load_directory
from fanpin_cli.reading.load import text as load_text
from fanpin_cli.reading.load.plain_toml import plain_document
from fanpin_cli.reading.load.text import Lines, parse_toml
from fanpin_cli.writers.synthetic import write_dataset


def typed(value: object) -> object:
    """`value` with every type and every key order spelled out, for an exact comparison."""
    if isinstance(value, dict):
        return ("dict", [(key, typed(v)) for key, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, repr(value))


def tomli_outcome(text: str) -> object:
    try:
        return typed(tomli.loads(text, parse_float=Decimal))
    except (tomli.TOMLDecodeError, ValueError, RecursionError) as exc:
        return type(exc).__name__


def parsed(path: Path, text: str) -> object:
    """What parse_toml makes of `text`: the document, or the error as the user sees it."""
    try:
        return typed(parse_toml(path, text)[0])
    except DataError as exc:
        return ("DataError", str(exc), exc.path, exc.line, exc.reason)


# ----------------------------------------------------------------- drawn files

CHARACTERS = ["a", "Z", "0", "中", "é", " ", "\t", "#", "=", "[", "]", "{", ",", ".", "'",
              '"', "\\", "\x01", "\x1f", "\x7f", "\r", "\u2028", "\U0001f600"]  # fmt: skip
PLAIN_CHARACTERS = [c for c in CHARACTERS if c not in '"\\\x01\x1f\x7f\r']
KEYS = ["id", "name_zh", "value", "unit", "parts", "ratio", "a-b", "x_1", "A", "0"]
ODD_KEYS = ['"id"', "'id'", "a.b", "a b", "id ", "中", "indicator"]
ODD_NUMBERS = ["+1", "01", "-01", "1_000", "0x1f", "0o7", "0b1", "1e3", "1.5E-3", "1.", ".5",
               "+1.5", "-.5", "inf", "-inf", "nan", "1.5.3", "3abc", "12345678901234567890",
               "1" * 5000, "0." + "1" * 40, "1979-05-27", "07:32:00", "-", "--1"]  # fmt: skip
ODD_VALUES = ["True", "tru", "falsey", "[ \"a\" ]", '["a",]', '["a","b"]', "[1, 2]", '[["a"]]',
              "[ ]", '["a", 1]', "{}", "{ }", '{a = "b"}', '{ a = "b", a = "c" }',
              '{ a = "b" } # c', '{ a.b = "c" }', '{ a = 1 }', '"""x"""', "'lit'", "'''x'''",
              '"a\\"b"', '"\\u00e9"', '"', '"a', "", '"a" "b"', '"a"#c']  # fmt: skip
HEADERS = ["[[indicator]]", "[[ indicator ]]", "[indicator]", "[[indicator.x]]", "[[other]]",
           "[section]", "  [[indicator]]", "[[indicator]] # c", '[["indicator"]]']  # fmt: skip
PREAMBLES = [
    '# SYNTHETIC\n[section]\nkey = "monitoring"\ntitle_zh = "合成"\n\n',
    "[section]\nnumber = 1\n",
    "",
    "top = 1\n",
    "indicator = 1\n",
    "[indicator]\n",
    "indicator.x = 1\n",
    '[section]\nnotes = """\n[[indicator]]\nid = "x"\n"""\n',
    '[section]\nkey = "a\n',
    "[section]\nkey = 1\nkey = 2\n",
]


def plain_strings(*, plain: bool) -> st.SearchStrategy[str]:
    alphabet = PLAIN_CHARACTERS if plain else CHARACTERS
    return st.lists(st.sampled_from(alphabet), max_size=6).map(lambda cs: '"' + "".join(cs) + '"')


def values(*, plain: bool) -> st.SearchStrategy[str]:
    strings = plain_strings(plain=plain)
    digits = 10**17 if plain else 10**19  # the plain layout has at most 18 digits
    numbers = st.one_of(
        st.integers(-digits, digits).map(str),
        st.decimals(-digits, digits, allow_nan=False, places=4).map(lambda d: f"{d:f}"),
        st.sampled_from(["0", "-0", "0.0", "-0.0", "1.50", "999999999999999999"]),
    )
    arrays = st.lists(strings, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    pairs = st.tuples(st.sampled_from(KEYS if plain else KEYS[:2]), strings)
    unique = (lambda pair: pair[0]) if plain else None  # a repeated key is tomli's error
    inline = st.lists(pairs, min_size=1, max_size=3, unique_by=unique).map(
        lambda pairs: "{ " + ", ".join(f"{k} = {v}" for k, v in pairs) + " }"
    )
    return st.one_of(strings, numbers, st.sampled_from(["true", "false"]), arrays, inline)


@st.composite
def section_files(draw: st.DrawFn, *, plain: bool) -> str:
    """A section file: a preamble and `[[indicator]]` tables of `key = value` lines, in the
    plain layout (`plain`) or now and then not."""
    rate = 0 if plain else draw(st.sampled_from([0, 0, 1, 3]))  # how odd: one file in two plain

    def odd(percent: int) -> bool:
        return rate > 0 and draw(st.integers(0, 99)) < percent * rate

    lines = [draw(st.sampled_from(PREAMBLES if odd(15) else PREAMBLES[:2]))]
    shapes = [draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True))]
    shapes.append(draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True)))
    for _ in range(draw(st.integers(1, 6))):
        lines.append(draw(st.sampled_from(HEADERS)) if odd(8) else "[[indicator]]")
        keys = list(draw(st.sampled_from(shapes)))
        if odd(10):
            keys.append(draw(st.sampled_from([*ODD_KEYS, keys[0]])))
        for key in keys:
            equals = draw(st.sampled_from(["=", "  = ", " =\t", " = "])) if odd(5) else " = "
            after = draw(st.sampled_from([" ", " # c", "\t", "#"])) if odd(5) else ""
            if odd(2):
                value = draw(st.sampled_from(ODD_NUMBERS + ODD_VALUES))
            else:
                value = draw(values(plain=not odd(5)))
            lines.append(key + equals + value + after)
            if odd(3):
                lines.append(draw(st.sampled_from(["# inside", "", " "])))
        between = ["", "# SYNTHETIC", "#", "# 中 \t", "#\x01", " ", "\t# c"]
        lines += draw(st.lists(st.sampled_from(between[:4] if plain else between), max_size=2))
    text = "\n".join(lines) + ("" if odd(10) else "\n")
    return text.replace("\n", "\r\n") if odd(5) else text


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=section_files(plain=False))
def test_plain_reader_is_tomli_or_steps_aside(text: str) -> None:
    plain = plain_document(text)
    if plain is not None:
        assert typed(plain[0]) == tomli_outcome(text)
        assert plain[1] == Lines(text).tables("indicator")
    path = Path("/synthetic/section.toml")
    by_tomli = parsed(path, text)  # a small file: tomli alone
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load_text, "PLAIN_CHARS", 0)
        assert parsed(path, text) == by_tomli


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=section_files(plain=True))
def test_plain_layout_is_read_by_the_plain_reader(text: str) -> None:
    plain = plain_document(text)
    assert plain is not None, text
    assert typed(plain[0]) == tomli_outcome(text)
    assert plain[1] == Lines(text).tables("indicator")  # where problems are reported


@pytest.mark.parametrize(
    "text",
    [
        '[[indicator]]\nid = "a\\"b"\n',  # an escape
        '[[indicator]]\nid = "a"\r\n',  # CRLF
        '[[indicator]]\nid = "a"',  # no final newline
        '[[indicator]]\nid = "a"\nid = "b"\n',  # a repeated key: tomli's error
        "[[indicator]]\nvalue = +1\n",
        "[[indicator]]\nvalue = 1_000\n",
        "[[indicator]]\nvalue = 01\n",
        "[[indicator]]\nvalue = 1e3\n",
        "[[indicator]]\nwhen = 1979-05-27\n",
        '[[indicator]]\nid = "a" # why\n',
        '[[indicator]]\nid = "a"\n# inside\nunit = "户"\n',
        '[[indicator]]\nratio = { a = "b", a = "c" }\n',
        '[[indicator]]\nid = "a"\n[section]\nkey = "b"\n',
        'indicator = 1\n[[indicator]]\nid = "a"\n',
        '[section]\nkey = "a"\n',  # no tables: nothing to gain
    ],
)
def test_what_the_plain_reader_leaves_to_tomli(text: str) -> None:
    assert plain_document(text) is None


def test_generated_and_bundled_files_are_read_by_the_plain_reader(tmp_path: Path) -> None:
    data = REPO / "data"
    generated = write_dataset(tmp_path / "synthetic", 2_000, label="plain")
    files = [*sorted(generated.glob("*.toml")), data / "monitoring.toml", MINI / "monitoring.toml"]
    for file in files:
        text = file.read_text(encoding="utf-8")
        if file.name == "dataset.toml":
            continue
        plain = plain_document(text)
        assert plain is not None, file
        assert typed(plain[0]) == tomli_outcome(text), file
        assert plain[1] == Lines(text).tables("indicator"), file


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_corpus_loads_the_same_through_the_plain_reader(
    case: Case, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = case.setup(mini)
    by_tomli = loaded(path)
    monkeypatch.setattr(load_text, "PLAIN_CHARS", 0)
    assert loaded(path) == by_tomli


def loaded(path: Path) -> Any:
    try:
        data = load_directory(path)
    except DataError as exc:
        return ("DataError", str(exc), exc.path, exc.line, exc.reason)
    except OSError as exc:
        return (type(exc).__name__, str(exc))
    return data
