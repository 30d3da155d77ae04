"""One reader per document format, each giving the plain text that evidence offsets index into.

Plain text and Markdown are kept as they are (offsets point into the file itself). HTML is reduced to
its visible text, one block per line, so offsets point into that text; the source's checksum is
still that of the HTML file. A description list's term and description share one line ("Term: ..."),
as a glossary is written in plain text. An HTML table becomes a Markdown pipe table ("| a | b |" rows, a
"| --- | --- |" separator under the first row), the layout the table readers already understand.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "li", "ul", "ol", "h1", "h2", "h3", "h4",
              "h5", "h6", "br", "tr", "table", "blockquote", "title", "dd", "dt", "main", "aside", "nav",
              "caption", "figcaption"}
CELL_TAGS = {"td", "th"}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def plain_text(raw: str, media_type: str) -> str:
    if media_type == "text/html":
        return html_to_text(raw)
    return raw


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.prefix = ""
        self.title: str | None = None
        self._in_title = False
        self.row: list[str] | None = None  # the cells of the table row being read
        self.in_cell = False
        self.rows_in_table: list[int] = []  # rows written so far, per open (nested) table

    def _flush(self):
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if line:
            self.lines.append(self.prefix + line)
        self.current = []
        self.prefix = ""

    def _cell_text(self) -> str:
        # A pipe inside a cell would split it in two: the reader's text shows it as a slash.
        return re.sub(r"\s+", " ", "".join(self.current)).strip().replace("|", "/")

    def _end_cell(self):
        if self.row is not None and self.in_cell:
            self.row.append(self._cell_text())
        self.current = []  # text between cells is layout whitespace
        self.in_cell = False

    def _end_row(self):
        """Write the row as '| a | b |'; under a table's first row, the separator that marks it the head."""
        if self.row is None:
            return
        self._end_cell()  # a cell whose end tag was left out ends with its row
        cells, self.row = self.row, None
        if not any(cells):
            return
        self.lines.append("| " + " | ".join(cells) + " |")
        if self.rows_in_table:
            self.rows_in_table[-1] += 1
            if self.rows_in_table[-1] == 1:
                self.lines.append("| " + " | ".join("---" for _ in cells) + " |")

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS and tag != "head":
            self.skip += 1
        if tag == "title":
            self._in_title = True
        if self.row is not None and tag in CELL_TAGS:
            self._end_cell()
            self.in_cell = True
            return
        if self.row is not None and tag in BLOCK_TAGS - {"tr", "table"}:
            self.current.append(" ")  # a paragraph or line break inside a cell stays in the cell
            return
        if tag == "table":
            self._end_row()
            self.rows_in_table.append(0)
        if tag == "dd" and self.current and "".join(self.current).rstrip().endswith(":"):
            self.current.append(" ")  # the description goes on the line of its term
            return
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "tr" and self.rows_in_table:
            self.row = []
        if tag == "li":
            self.prefix = "- "
        elif tag in HEADING_TAGS:
            self.prefix = "#" * int(tag[1]) + " "

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and tag != "head":
            self.skip = max(0, self.skip - 1)
        if tag == "title":
            self._in_title = False
            return
        if self.row is not None and tag in CELL_TAGS:
            self._end_cell()
            return
        if tag in ("tr", "table"):
            self._end_row()
            if tag == "table" and self.rows_in_table:
                self.rows_in_table.pop()
        if self.row is not None:
            return
        if tag == "dt" and "".join(self.current).strip():
            self.current.append(":")  # "<dt>Term</dt><dd>what it means</dd>" reads as the glossary line "Term: ..."
            return
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data
            return
        if not self.skip:
            self.current.append(data)


def _extract(raw: str) -> _TextExtractor:
    parser = _TextExtractor()
    parser.feed(raw)
    parser.close()
    parser._flush()
    return parser


def html_to_text(raw: str) -> str:
    """Visible text of an HTML page: headings as '# ...', list items as '- ...', one block per line."""
    return "\n".join(_extract(raw).lines) + "\n"


def infer_title(text: str, raw: str, media_type: str) -> str | None:
    if media_type == "text/html":
        title = _extract(raw).title
        if title and title.strip():
            return unescape(re.sub(r"\s+", " ", title)).strip()
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return None
