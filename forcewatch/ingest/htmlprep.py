"""Hostile HTML made readable before trafilatura: pages nested past the parser's limit, pages
drowning their report in links, and the link text that must not decide the language check."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

#: libxml2 (under lxml and trafilatura) stops building the tree at 256 levels: deeper text is lost.
MAX_DEPTH = 255
#: Past this many links a page is link lists with a report somewhere (trafilatura takes minutes on them).
MAX_LINKS = 1000
#: A block with this many links, nearly all of its text link text, is a link list.
LIST_LINKS, LIST_LINK_SHARE = 20, 0.7
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_WRAPPERS = re.compile(r"</?(?:div|span|section|font|center)\b[^>]*>", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F']+")


class _Depth(HTMLParser):
    """Deepest element nesting, streamed (html.parser builds no tree, so it has no depth limit)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in _VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)


def nesting_depth(html: str) -> int:
    parser = _Depth()
    parser.feed(html)
    parser.close()
    return parser.deepest


def flatten(html: str) -> str:
    """The page without its layout wrappers (div, span, section, font, center): the text and its
    paragraphs, headings and <article> stay, within the parser's depth."""
    return _WRAPPERS.sub("\n", html)


def count_links(html: str) -> int:
    return len(re.findall(r"<a\b", html, re.IGNORECASE))


def drop_link_lists(html: str) -> tuple[str, int]:
    """The page without its blocks of links (lists, tables, divs that are nearly all link text);
    and how many links went with them."""
    import lxml.html  # type: ignore[import-untyped]

    tree = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    per_block: Counter = Counter()
    for anchor in tree.iter("a"):
        block = anchor.getparent()
        for _ in range(3):  # <a> in <li> in <ul>: the list, not the item
            if block is None or block.tag in ("ul", "ol", "nav", "table", "menu", "dl", "footer", "aside"):
                break
            block = block.getparent()
        if block is not None:
            per_block[block] += 1
    dropped = 0
    for block, links in per_block.items():
        if links < LIST_LINKS or block.getparent() is None or block.tag in ("html", "body"):
            continue
        text = len(" ".join(block.text_content().split()))
        link_text = sum(len(" ".join(a.text_content().split())) for a in block.iter("a"))
        if text and link_text / text >= LIST_LINK_SHARE:
            block.drop_tree()
            dropped += links
    return lxml.html.tostring(tree, encoding="unicode"), dropped


def link_words(html: str) -> Counter[str]:
    """Every word of every link's text (lower case), to leave out of the language check."""
    words: Counter[str] = Counter()
    for inner in _ANCHOR.findall(html):
        words.update(_WORD.findall(_TAG.sub(" ", inner).lower()))
    return words
