"""Bad-input corpus, issue 25: TOML extremes and targets files that passed or broke.

Each test failed before its fix. The datasets are copies of the SYNTHETIC mini fixture
(made-up figures) broken one way per case.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import run


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ------------------------------------------- item 5: a figure with an enormous exponent

HUGE = ["1e99999999999", "1e999999999", "-1e999999999", "9.5e999999999"]


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("where", ["indicator", "target"])
def test_an_enormous_exponent_is_refused_fast(mini: Path, huge: str, where: str) -> None:
    if where == "indicator":  # line 21: the unstable households' value
        _replace(mini / "monitoring.toml", "value = 60", f"value = {huge}")
        file, line = "monitoring.toml", 21
    else:
        _replace(mini / "targets.toml", "value = 40", f"value = {huge}")
        file, line = "targets.toml", 5
    for args in (("show",), ("export", "--csv"), ("compare",)):
        start = time.process_time()
        r = run("--lang", "en", "--data", str(mini), *args)
        took = time.process_time() - start
        # before: 13 s and 2.4 GB writing out a billion digits, or a MemoryError (exit 70)
        assert took < 1, (args, took)
        assert r.code == 3, (args, r.err[:300])
        assert r.err.startswith(f"fanpin: error: {mini / file}:{line}: ")
        assert "too large" in r.err and r.err.count("\n") == 1 and len(r.err) < 300
    checked = run("--data", str(mini), "check", "-o", "csv")
    assert checked.code == 1 and "1e18" in checked.out and len(checked.out) < 5000


def test_a_zero_with_an_enormous_exponent_is_zero(mini: Path) -> None:
    _replace(mini / "monitoring.toml", "value = 60", "value = 0e99999999999")
    r = run("--data", str(mini), "get", "monitoring.unstable_households")
    assert (r.code, r.out) == (0, "0\n")


# ------------------------------------- item 7: a targets file with nothing to compare


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        ("", 1, "file is empty"),
        ("# the targets are to come\n", 1, "no targets"),
        ("target = []\n", 1, "no targets"),
        (None, 2, "unknown table or key 'targett'"),  # the mini targets, misspelt
        ("x = 1\n[[target]]\n", 1, "unknown table or key 'x'"),
    ],
    ids=["empty", "comment", "empty-array", "misspelt", "stray-key"],
)
def test_a_targets_file_without_targets_is_exit_3(
    mini: Path, tmp_path: Path, text: str | None, line: int, said: str
) -> None:
    targets = tmp_path / "targets.toml"
    if text is None:
        text = (mini / "targets.toml").read_text(encoding="utf-8")
        text = text.replace("[[target]]", "[[targett]]").replace("[target.", "[targett.")
    targets.write_text(text, encoding="utf-8")
    r = run("--lang", "en", "--data", str(mini), "compare", "--fail-on-miss",
            "--targets", str(targets))  # fmt: skip
    # before: a header and exit 0, a CI gate passing with nothing to check
    assert (r.code, r.out) == (3, "")
    assert r.err.startswith(f"fanpin: error: {targets}:{line}: ") and said in r.err


def test_a_section_file_as_targets_is_exit_3(mini: Path) -> None:
    section = mini / "monitoring.toml"
    r = run("--lang", "en", "--data", str(mini), "compare", "--fail-on-miss",
            "--targets", str(section))  # fmt: skip
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        f"fanpin: error: {section}:2: unknown table or key 'section': "
        "a targets file holds [[target]] tables\n"
    )


def test_a_dataset_with_a_misspelt_targets_table_fails_check(mini: Path) -> None:
    _replace(mini / "targets.toml", "[[target]]", "[[targett]]")
    _replace(mini / "targets.toml", "[target.basis]", "[targett.basis]")
    r = run("--lang", "en", "--data", str(mini), "check", "-o", "csv")
    assert r.code == 1 and "unknown table or key 'targett'" in r.out
    assert run("--data", str(mini), "compare").code == 3


# ---------------------------------- item 10: what import writes as TOML loads back


def test_import_escapes_del_and_every_control_character(mini: Path, tmp_path: Path) -> None:
    import json

    hostile = "a" + "".join(map(chr, [*range(1, 32), 0x7F, 0x85, 0x2028])) + "z"
    as_toml = json.dumps(hostile).replace("\x7f", "\\u007f")  # the source escapes them all
    _replace(mini / "monitoring.toml", 'name_en = "Unstable households"',
             f'name_en = "Unstable households"\nnote = {as_toml}')  # fmt: skip
    exported = tmp_path / "export.csv"
    assert run("--data", str(mini), "export", "--csv", "--output", str(exported)).code == 0
    imported = tmp_path / "imported"
    r = run("import", str(exported), str(imported))
    assert r.code == 0, r.err
    # before: exit 0, and the note's DEL was written raw: the dataset did not load (exit 3)
    back = run("--data", str(imported), "export", "--json")
    assert back.code == 0, back.err
    notes = [rec["note"] for rec in json.loads(back.out) if rec["note"]]
    assert notes == [hostile]
    assert "\x7f" not in "".join(p.read_text(encoding="utf-8") for p in imported.iterdir())


# ------------------------------------------- item 12: a span of years that runs backwards


@pytest.mark.parametrize("period", ["2023-2022", "2023-2023", "9999-0001"])
def test_a_span_of_years_ending_before_it_starts_is_refused(mini: Path, period: str) -> None:
    _replace(mini / "dataset.toml", 'period = "2023"', f'period = "{period}"')
    r = run("--lang", "en", "--data", str(mini), "show")
    # before: accepted, a period that ends before it begins
    assert r.code == 3 and f"{mini / 'dataset.toml'}:" in r.err and period in r.err, r.err
    assert run("--lang", "en", "show", "--period", period).code == 2


def test_spans_of_years_in_order_are_periods() -> None:
    from fanpin_cli.core.schema import PERIOD_RE

    for period in ("2021-2025", "0999-1000", "1999-2000", "9998-9999", "2023", "2023-Q4"):
        assert PERIOD_RE.match(period), period
    for start in range(1, 10000, 97):  # every order of digits where the years differ
        for end in range(1, 10000, 89):
            span = f"{start:04d}-{end:04d}"
            assert bool(PERIOD_RE.match(span)) == (end > start), span
