"""Reading a report's text: every format gives the sentences of the bundled report's .txt.

The fixtures under tests/fixtures/reports/ are the bundled report (data/source.txt) written
another way (see the README there): a GBK text, a .docx and a .pdf written by LibreOffice, a
saved government page whose menus are SYNTHETIC. None has a figure of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES

from fanpin_cli.errors import DataError, ExitCode
from fanpin_cli.reports.read import read_report

REPORTS = FIXTURES / "reports"
SOURCE = DATA / "source.txt"


def figure_sentences(text: str) -> set[str]:
    """The sentences that hold a digit, whitespace removed (layouts differ in spaces)."""
    pieces = re.split(r"[。！？；;!?\n]", text)
    return {s for p in pieces if re.search(r"[0-9０-９]", s := re.sub(r"\s+", "", p))}


def test_the_bundled_report_has_the_figure_sentences_the_tests_compare() -> None:
    sentences = figure_sentences(SOURCE.read_text(encoding="utf-8"))
    assert len(sentences) > 40
    assert any("1294户4538人" in s for s in sentences)


def test_utf8_text_is_read_with_its_own_lines() -> None:
    report = read_report(SOURCE)
    assert (report.kind, report.encoding) == ("txt", "utf-8")
    assert report.text == SOURCE.read_text(encoding="utf-8")
    assert report.lines() == SOURCE.read_text(encoding="utf-8").split("\n")


def test_gbk_text_is_detected_and_gives_the_same_sentences() -> None:
    report = read_report(REPORTS / "source-gbk.txt")
    assert (report.kind, report.encoding) == ("txt", "gb18030")
    assert figure_sentences(report.text) == figure_sentences(SOURCE.read_text(encoding="utf-8"))
    # the same lines, at the same numbers
    assert len(report.lines()) == len(SOURCE.read_text(encoding="utf-8").split("\n"))


def test_markdown_and_crlf_and_bom(tmp_path: Path) -> None:
    md = tmp_path / "report.md"
    md.write_bytes(b"\xef\xbb\xbf# \xe4\xb8\x80\r\nline 2\rline 3\n")
    report = read_report(md)
    assert (report.kind, report.encoding) == ("md", "utf-8")
    assert report.lines() == ["# 一", "line 2", "line 3", ""]
    utf16 = tmp_path / "notepad.txt"
    utf16.write_bytes("监测对象1294户\r\n".encode("utf-16"))
    assert read_report(utf16).text == "监测对象1294户\n"
    assert read_report(utf16).encoding == "utf-16"


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b"\xe7\x9b\x91\n\x00\x01binary", 2, "NUL byte"),
        (b"ok\nok\n\x80\x80\x80", 3, "neither UTF-8 nor GB18030/GBK"),
        (b" \n\t\n", None, "file is empty"),
    ],
    ids=["nul", "undecodable", "empty"],
)
def test_what_is_not_text_is_a_data_error_naming_file_and_line(
    tmp_path: Path, content: bytes, line: int | None, words: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(DataError) as caught:
        read_report(bad)
    assert caught.value.exit_code == ExitCode.DATA
    assert (caught.value.path, caught.value.line) == (str(bad), line)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_word_97_is_refused_with_what_to_do(tmp_path: Path) -> None:
    doc = tmp_path / "report.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(DataError, match=r"Word 97-2003 .* save it as \.docx"):
        read_report(doc)


@pytest.mark.parametrize("kind", ["directory", "fifo", "device", "missing"])
def test_what_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "report.txt"
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is
        except PermissionError:
            pytest.skip("making a device node needs root")
    with pytest.raises(DataError) as caught:
        read_report(path)
    assert caught.value.exit_code == ExitCode.DATA
    assert caught.value.path == str(path)


def test_an_unreadable_file_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    shutil.copy(SOURCE, path)
    path.chmod(0)
    probe = (
        "import sys\nfrom pathlib import Path\nfrom fanpin_cli.reports.read import read_report\n"
        "from fanpin_cli.errors import DataError\n"
        "try:\n    read_report(Path(sys.argv[1]))\nexcept DataError as e:\n"
        "    print(e)\n    sys.exit(e.exit_code)\n"
    )
    cmd = [sys.executable, "-c", probe, str(path)]
    if os.geteuid() == 0:
        capsh = shutil.which("capsh")
        if capsh is None:
            pytest.skip("capsh is needed to drop root's override of file modes")
        import shlex

        cmd = [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c",
               "exec " + shlex.join(cmd)]  # fmt: skip
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    assert p.returncode == ExitCode.DATA, p.stderr
    assert p.stdout.strip() == f"{path}: permission denied"
