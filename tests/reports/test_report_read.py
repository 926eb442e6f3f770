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

from fanpin_cli.core.errors import DataError, ExitCode
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
        "from fanpin_cli.core.errors import DataError\n"
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


# --- .docx, .pdf and .html: the same sentences as the .txt ----------------------------


def without_space(lines: list[str]) -> list[str]:
    return [re.sub(r"\s+", "", line) for line in lines if line.strip()]


def test_docx_written_by_libreoffice_gives_the_txt_lines() -> None:
    report = read_report(REPORTS / "source.docx")
    assert (report.kind, report.encoding) == ("docx", None)
    # one paragraph per line of the .txt: the same lines at the same numbers
    assert report.lines() == SOURCE.read_text(encoding="utf-8").rstrip("\n").split("\n")


def test_pdf_written_by_libreoffice_gives_the_txt_paragraphs_whole() -> None:
    report = read_report(REPORTS / "source.pdf")
    assert report.kind == "pdf"
    # wrapped lines are joined again: each line is one paragraph of the .txt, so that no
    # sentence (or number) is cut at a line's end
    assert without_space(report.lines()) == without_space(SOURCE.read_text("utf-8").split("\n"))
    assert len(report.pages) == len(report.lines())
    assert report.pages[0] == 1 and report.pages[-1] == 2  # two pages, in order
    assert list(report.pages) == sorted(report.pages)


def test_saved_page_gives_the_article_not_the_menus() -> None:
    report = read_report(REPORTS / "source-page-synthetic.html")
    assert (report.kind, report.encoding) == ("html", "utf-8")
    source = SOURCE.read_text(encoding="utf-8").split("\n")
    # the title and the article's paragraphs; the page's date line is not article text
    assert without_space(report.lines()) == without_space([source[0], *source[3:]])
    for furniture in ("首页", "当前位置", "1234567", "9999名", "77.7%", "ICP", "浏览次数",
                      "字体", "SYNTHETIC", "分享到", "6299000099", "2099"):  # fmt: skip
        assert furniture not in report.text, furniture


@pytest.mark.parametrize(
    "name",
    ["source.docx", "source.pdf", "source-page-synthetic.html", "source-page-synthetic.mhtml",
     "source-gbk.txt"],
)  # fmt: skip
def test_every_format_gives_the_figure_sentences_of_the_txt(name: str) -> None:
    expected = figure_sentences(SOURCE.read_text(encoding="utf-8"))
    if "page" in name:
        expected = {s for s in expected if not s.startswith("发布时间")}
    assert figure_sentences(read_report(REPORTS / name).text) == expected


def test_the_kind_is_the_content_when_the_name_says_otherwise(tmp_path: Path) -> None:
    for name, kind in (("source.pdf", "pdf"), ("source.docx", "docx"),
                       ("source-page-synthetic.html", "html"),
                       ("source-page-synthetic.mhtml", "html")):  # fmt: skip
        disguised = tmp_path / f"{kind}.txt"
        shutil.copy(REPORTS / name, disguised)
        assert read_report(disguised).kind == kind


def _docx(body: str) -> bytes:
    """A minimal .docx whose document body is `body` (WordprocessingML)."""
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"/>')  # fmt: skip
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Target="word/document.xml" Type="http://schemas.openxml'
            'formats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        zf.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{w}" xmlns:mc="{mc}"><w:body>{body}</w:body></w:document>',
        )
    return buf.getvalue()


def test_docx_tables_breaks_boxes_and_revisions(tmp_path: Path) -> None:
    def p(*runs: str) -> str:
        return "<w:p>" + "".join(f"<w:r>{r}</w:r>" for r in runs) + "</w:p>"

    body = (
        p("<w:t>一、监测</w:t>")
        + p("<w:t>新识别</w:t><w:delText>999</w:delText><w:t>259户</w:t>",
            "<w:br/><w:t>1010人</w:t>", '<w:br w:type="page"/>',
            '<w:instrText> PAGE </w:instrText><w:tab/><w:t>完</w:t>')
        + "<w:tbl><w:tr><w:tc>" + p("<w:t>县区</w:t>") + "</w:tc><w:tc>" + p("<w:t>户数</w:t>")
        + "</w:tc></w:tr><w:tr><w:tc>" + p("<w:t>永登县</w:t>") + "</w:tc><w:tc>"
        + p("<w:t>12</w:t>") + p("<w:t>户</w:t>") + "</w:tc></w:tr></w:tbl>"
        + p('<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
            + p("<w:t>框中3项</w:t>") + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback>"
            + "<w:pict><w:txbxContent>" + p("<w:t>框中3项</w:t>") + "</w:txbxContent></w:pict>"
            + "</mc:Fallback></mc:AlternateContent><w:t>正文</w:t>")
    )  # fmt: skip
    doc = tmp_path / "made.docx"
    doc.write_bytes(_docx(body))
    assert read_report(doc).lines() == [
        "一、监测", "新识别259户", "1010人\t完", "县区\t户数", "永登县\t12 户", "正文", "框中3项",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PK\x03\x04 not really a zip", "not a readable .docx file"),
        (_docx("<w:p><w:r><w:t>unclosed</w:r></w:p>"), "not a readable .docx file"),
        (_docx('<!DOCTYPE x [<!ENTITY a "b">]><w:p/>'), "not a readable .docx file"),
        (_docx("<w:p/>"), "file is empty"),
    ],
    ids=["not-zip", "bad-xml", "dtd", "empty"],
)
def test_a_broken_docx_is_a_data_error(tmp_path: Path, content: bytes, words: str) -> None:
    doc = tmp_path / "broken.docx"
    doc.write_bytes(content)
    with pytest.raises(DataError, match=words) as caught:
        read_report(doc)
    assert caught.value.path == str(doc)


def _pdf(content: bytes, image: bool) -> bytes:
    """A one-page PDF drawing `content`: an 8x8 grey image when `image` (what a scan is)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        + (b" /Resources << /XObject << /Im1 5 0 R >> >>" if image else b"")
        + b" >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    if image:
        pixels = bytes(range(64))
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length 64 >>\nstream\n" + pixels + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return bytes(out)


def test_a_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_pdf(b"q 595 0 0 842 0 0 cm /Im1 Do Q", image=True))
    with pytest.raises(DataError) as caught:
        read_report(scan)
    assert caught.value.exit_code == ExitCode.DATA
    assert str(caught.value) == f"{scan}: the PDF has no text layer (a scan?); run OCR on it first"


def test_a_broken_pdf_is_a_data_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer garbage")
    with pytest.raises(DataError, match="not a readable PDF file") as caught:
        read_report(broken)
    assert caught.value.path == str(broken)
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes((REPORTS / "source.pdf").read_bytes()[:5000])
    with pytest.raises(DataError) as caught:
        read_report(truncated)
    assert caught.value.path == str(truncated)


def test_a_text_pdf_made_by_hand_is_read(tmp_path: Path) -> None:
    made = tmp_path / "made.pdf"
    font = b"BT /F1 12 Tf 72 720 Td (Households 1294) Tj ET"
    raw = _pdf(font, image=False).replace(
        b"/Contents 4 0 R",
        b"/Contents 4 0 R /Resources << /Font << /F1 << /Type /Font "
        b"/Subtype /Type1 /BaseFont /Helvetica >> >> >>",
    )  # offsets shift: pypdf repairs the cross-reference table, as it does for real files
    made.write_bytes(raw)
    assert read_report(made).text == "Households 1294"


def test_html_lines_breaks_rows_and_the_title_fallback(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_text(
        "<html><head><title>某县 工作总结</title></head><body>"
        "<ul class='menu'><li><a href='/'>首页</a></li><li>共 8 个栏目</li></ul>"
        "<div class='content'><p>一、监测<br>新识别259户<br/>1010人</p>"
        "<table><tr><td>县区</td><td>户数</td></tr><tr><td>永登县</td><td>12</td></tr></table>"
        "<p>累计 &amp; 合计&nbsp;3项</p><script>var x = 5;</script></div>"
        "<div id='footer'>访问量 777</div></body></html>",
        encoding="utf-8",
    )
    assert read_report(page).lines() == [
        "某县 工作总结", "一、监测", "新识别259户", "1010人", "县区\t户数", "永登县\t12",
        "累计 & 合计\xa03项",
    ]  # fmt: skip


def test_a_page_without_article_text_is_a_data_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><nav><a href='/'>首页</a></nav></body></html>", "utf-8")
    with pytest.raises(DataError, match="no article text found in the page"):
        read_report(page)


@pytest.mark.parametrize("suffix", [".txt", ".html", ".docx", ".pdf"])
def test_any_bytes_give_text_or_a_data_error(tmp_path: Path, suffix: str) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    base = {".txt": b"\xe7\x9b\x91\xe6\xb5\x8b1294\xe6\x88\xb7\n",
            ".html": b"<html><body><div><p>\xe7\x9b\x91 12</p><br></div></body></html>",
            ".docx": _docx("<w:p><w:r><w:t>1294</w:t></w:r></w:p>"),
            ".pdf": _pdf(b"BT ET", image=False)}[suffix]  # fmt: skip

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.integers(0, len(base)), st.integers(0, 64), st.binary(max_size=64))
    def check(at: int, cut: int, insert: bytes) -> None:
        path = tmp_path / f"fuzzed{suffix}"
        path.write_bytes(base[:at] + insert + base[at + cut :])
        try:
            report = read_report(path)
        except DataError as exc:
            assert exc.path == str(path) and "\n" not in str(exc)
        else:
            assert report.text.strip() and "\r" not in report.text

    check()


def test_a_page_laid_out_in_a_table_keeps_its_paragraphs(tmp_path: Path) -> None:
    """An older site's layout (SYNTHETIC): the article is a cell of a layout table."""
    page = tmp_path / "old.html"
    page.write_text(
        "<html><body><table width='1000'>"
        "<tr><td><a href='/'>首页</a> <a href='/a'>政务公开</a></td></tr>"
        "<tr><td class='bt'>某县2099年工作总结</td></tr>"
        "<tr><td id='art'>一、监测帮扶<br>新识别监测对象12户45人。<br>消除风险10户。<br>"
        "二、产业<br>培训2场次。<br>带动30户。</td><td>附件</td></tr>"
        "<tr><td>版权所有 某县人民政府</td></tr></table></body></html>",
        encoding="utf-8",
    )
    assert read_report(page).lines() == [
        "一、监测帮扶", "新识别监测对象12户45人。", "消除风险10户。", "二、产业", "培训2场次。",
        "带动30户。", "附件",
    ]  # fmt: skip


def test_a_protected_pdf_says_what_it_needs() -> None:
    """SYNTHETIC one-line PDFs (made with pypdf): copy protection with AES and an empty
    password, read when the cryptography package is there, else said; a password to open."""
    protected = REPORTS / "synthetic-aes-protected.pdf"
    try:
        import cryptography  # noqa: F401
    except ImportError:
        with pytest.raises(DataError) as caught:
            read_report(protected)
        assert str(caught.value) == (
            f"{protected}: the PDF is encrypted with AES (copy protection); reading it needs "
            "the cryptography package: pip install cryptography"
        )
    else:
        assert read_report(protected).text == "SYNTHETIC test: 1294 households"
    locked = REPORTS / "synthetic-password.pdf"
    with pytest.raises(DataError) as caught:
        read_report(locked)
    assert (
        str(caught.value) == f"{locked}: the PDF needs a password to open; use a copy without one"
    )


def test_a_page_saved_as_one_file_is_read_as_the_page(tmp_path: Path) -> None:
    archive = read_report(REPORTS / "source-page-synthetic.mhtml")
    page = read_report(REPORTS / "source-page-synthetic.html")
    assert (archive.kind, archive.encoding) == ("html", "gb18030")  # its HTML is GBK
    assert without_space(archive.lines()) == without_space(page.lines())
    no_page = tmp_path / "images.mht"
    no_page.write_bytes(
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: image/png\r\n\r\nPNG\r\n--b--\r\n"
    )
    with pytest.raises(DataError, match="no article text found in the page"):
        read_report(no_page)
