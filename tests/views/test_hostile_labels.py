"""Bad-input corpus: labels and region names that hold markup, escapes, control characters
or bidi marks are shown literally and kept whole (copies of the SYNTHETIC mini fixture)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI, run
from hostile import (
    MON,
    append,
    edit,
    extra,
    write,
)

HOSTILE = {
    "markup": "[bold]x[/]",
    "closing-tag": "[/]",
    "escape": "\x1b[31mred\x1b[0m",
    "bell-and-nul": "a\x07b\x00c",
    "bidi": "abc\u202edef",
    "newline": "two\nlines",
    "long": "长" * 10_000,
}


@pytest.mark.parametrize("label", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_labels_are_shown_literally_and_kept(label: str, mini: Path) -> None:
    import csv
    import io
    import json

    d = mini
    text = HOSTILE[label]
    encoded = json.dumps(text)  # a valid TOML basic string for these characters
    append(MON, extra(name_zh=encoded, name_en=encoded))(d)
    table = run("show", "--data", str(d), "-o", "table", env={"COLUMNS": "200"})
    assert table.code == 0
    assert "\x1b" not in table.out and "\x07" not in table.out and "\x00" not in table.out
    assert "\u202e" not in table.out
    if label in ("markup", "closing-tag"):
        assert text in table.out  # not interpreted as markup
    if label == "escape":
        assert "\\x1b[31mred\\x1b[0m" in table.out
    as_csv = run("show", "monitoring.extra", "--data", str(d), "-o", "csv")
    row = next(csv.DictReader(io.StringIO(as_csv.out)))
    assert row["name_zh"] == text  # lossless
    as_json = run("show", "monitoring.extra", "--data", str(d), "-o", "json")
    assert json.loads(as_json.out)[0]["name_en"] == text
    md = run("show", "--data", str(d), "-o", "markdown")
    assert "\x1b" not in md.out and "\x00" not in md.out


HOSTILE_REGION = (
    "\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07 \x1b[31mred \x9b31mcsi "
    "\u202eRLO \x00nul [bold]x[/] \uffff"
)


def test_region_names_in_column_headers_are_escaped(tmp_path: Path) -> None:
    import json
    from xml.etree import ElementTree

    d = tmp_path / "mini"
    shutil.copytree(MINI, d)
    edit("dataset.toml", 'region_code = "620121"', 'region_code = "620199"')(d)
    name = json.dumps(HOSTILE_REGION)
    write(
        "regions.toml",
        f'[[region]]\ncode = "620199"\nname_zh = {name}\nname_en = {name}\nparent = "620100"\n',
    )(d)
    svg = tmp_path / "by-region.svg"
    env = {"COLUMNS": "300"}
    r = run("show", "--by", "region", "--data", str(d), "-o", "table", "--svg", str(svg), env=env)
    assert (r.code, r.err) == (0, "")
    for raw in ("\x1b", "\x07", "\x9b", "\u202e", "\x00", "\uffff"):
        assert raw not in r.out
    assert "\\x1b]8;;http://evil.example/" in r.out and "[bold]x[/]" in r.out
    ElementTree.parse(svg)  # well-formed XML
    assert "\x00" not in svg.read_text(encoding="utf-8")
