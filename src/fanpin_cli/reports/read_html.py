"""The article text of a saved web page, read with the standard library's HTMLParser.

A government site wraps each article in menus, a breadcrumb, related links, a sidebar and a
footer, several with numbers of their own (visitor counts, record numbers, headlines). The
article is found the way reading-mode browsers find it: text outside links is counted into
the block that holds it (and half into that block's parent), and the block with the most is
the article. Scripts, styles, forms, and elements that say they are navigation, menus,
headers, footers, sidebars or share buttons are never counted. The page's heading (its
first <h1>, else its <title>) comes first when the article block does not hold it.
One line per paragraph, list item, heading or table row (cells joined by a tab; a cell of
several paragraphs, as old sites lay pages out in tables, gives them their own lines).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fanpin_cli.core.errors import DataError

_SKIP = frozenset(
    ("script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside",
     "form", "select", "button", "iframe", "svg", "math", "object", "canvas", "audio", "video",
     "map")
)  # fmt: skip
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr")
)  # fmt: skip
_BLOCKS = frozenset(
    ("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "main", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
     "blockquote", "pre", "center", "figure", "figcaption", "caption", "address", "body", "html")
)  # fmt: skip
# class or id words of page furniture (a word of the attribute, or its part before - or _)
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|header|top-?bar|breadcrumbs?|crumbs?|"
    r"sidebar|side|share|print|related|copyright|banner|search|links?|friend-?links?|"
    r"position|location|pager|pagination|toolbar)(?:$|[\s_-])",
    re.IGNORECASE,
)
_SPACE = re.compile(r"[ \t\r\n\f]+")  # HTML's white space (not U+00A0, which is text)
_BREAK = "\0"  # a <br> among the texts (a NUL in the page's own text is dropped)
_COUNTED = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")


class _Node:
    __slots__ = ("children", "link", "parent", "score", "tag")

    def __init__(self, tag: str, parent: _Node | None, link: bool) -> None:
        self.tag = tag
        self.parent = parent
        self.children: list[_Node | str] = []
        self.score = 0.0
        self.link = link  # inside an <a>: its text counts for nothing


class _Tree(HTMLParser):
    """A forgiving tree of the page without its furniture: unclosed tags close with their
    parent, stray end tags are ignored, <p> closes an open <p>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", None, False)
        self.node = self.root
        self.skipping = 0  # depth inside a skipped element
        self.skip_stack: list[str] = []
        self.h1: _Node | None = None
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if self.skipping:
            if tag not in _VOID:
                self.skip_stack.append(tag)
            return
        words = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        if tag in _SKIP or (tag not in ("h1", "p", "body", "html") and _FURNITURE.search(words)):
            if tag not in _VOID:
                self.skipping, self.skip_stack = 1, [tag]
            return
        if tag == "br":
            self.node.children.append(_BREAK)
            return
        if tag in _VOID:
            return
        if tag == "p" and self.node.tag == "p":
            self.handle_endtag("p")
        node = _Node(tag, self.node, self.node.link or tag == "a")
        self.node.children.append(node)
        self.node = node
        if tag == "h1" and self.h1 is None:
            self.h1 = node

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skipping:
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
                if not self.skip_stack:
                    self.skipping = 0
            return
        node: _Node | None = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if not self.skipping and not self.in_title:
            self.node.children.append(data.replace(_BREAK, ""))


def html_text(page: str, name: str) -> str:
    """The article text of the page `page` (decoded), or a DataError naming file `name`."""
    tree = _Tree()
    try:
        tree.feed(page)
        tree.close()
    except (AssertionError, ValueError) as exc:  # what HTMLParser raises on broken markup
        why = str(exc) or type(exc).__name__
        raise DataError.said(("load.unreadable", why), path=name) from None
    _score(tree.root)
    best = max(_walk(tree.root), key=lambda n: n.score)
    lines: list[str] = []
    if best.score == 0:
        raise DataError.said(("load.no_article",), path=name)
    heading = tree.h1 if tree.h1 is not None else None
    if heading is not None and not _within(heading, best):
        _lines(heading, lines)
    elif heading is None and tree.title:
        lines.append(_SPACE.sub(" ", "".join(tree.title)).strip())
    _lines(best, lines)
    return "\n".join(lines)


def _walk(node: _Node) -> list[_Node]:
    found, stack = [], [node]
    while stack:
        n = stack.pop()
        found.append(n)
        stack.extend(c for c in n.children if isinstance(c, _Node))
    return found


def _score(root: _Node) -> None:
    """Count each text's letters, digits and Chinese characters (link text counts none)
    into its nearest block and that block's parent, and half as much into the next: the
    block that holds the paragraphs gets them all. On a tie the outer block wins."""
    for node in _walk(root):
        if node.link:
            continue
        count = sum(len(_COUNTED.findall(c)) for c in node.children if isinstance(c, str))
        if not count:
            continue
        block: _Node | None = node
        while block is not None and block.tag not in _BLOCKS:
            block = block.parent
        for share in (1.0, 1.0, 0.5):
            if block is None:
                break
            block.score += count * share
            block = block.parent


def _within(node: _Node, ancestor: _Node) -> bool:
    parent: _Node | None = node
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent
    return False


def _lines(node: _Node, lines: list[str]) -> None:
    """Append the lines of `node`: blocks start lines, <br> breaks them, a row is one line;
    a line of nothing but link text (上一篇, 打印本页, an attachment) is navigation, left out."""
    current: list[tuple[str, bool]] = []

    def flush() -> None:
        pieces: list[tuple[str, bool]] = [("", True)]
        for text, link in current:
            for n, piece in enumerate(text.split(_BREAK)):
                if n:
                    pieces.append(("", True))
                words, only_links = pieces[-1]
                pieces[-1] = (words + piece, only_links and (link or not piece.strip()))
        for text, only_links in pieces:
            line = _SPACE.sub(" ", text).strip(" ")
            if line and not only_links:
                lines.append(line)
        current.clear()

    def visit(n: _Node) -> None:
        if n.tag == "tr":
            flush()
            cells: list[list[str]] = []
            for cell in n.children:
                if isinstance(cell, _Node):
                    cells.append([])
                    _lines(cell, cells[-1])
            if all(len(c) <= 1 for c in cells):  # a row of a table of figures
                if any(cells):
                    lines.append("\t".join(c[0] if c else "" for c in cells))
            else:  # a page laid out in a table: a cell holds paragraphs
                lines.extend(line for c in cells for line in c)
            return
        block = n.tag in _BLOCKS
        if block:
            flush()
        for child in n.children:
            if isinstance(child, str):
                current.append((child, n.link))
            else:
                visit(child)
        if block:
            flush()

    visit(node)
    flush()
