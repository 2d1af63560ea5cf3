"""HTML descriptions (Moodle's "Description format" 1) as plain text: tags dropped, entities
decoded, blocks and line breaks kept as lines, script and style contents discarded."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {
    "address",
    "article",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
SKIPPED = {"script", "style", "head", "template", "noscript", "iframe", "object", "svg"}
TAG = re.compile(r"<[a-zA-Z/!]")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag == "br" or tag in BLOCKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")

    def handle_startendtag(self, tag, attrs):
        if tag == "br" or tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text holds something that reads as a tag."""
    return bool(TAG.search(text))


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment, one line per block, without markup."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
