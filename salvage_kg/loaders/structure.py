"""Document structure: title, headings, bullet items and sentences, with character spans.

Works on the plain text every format reader yields: Markdown-style '#' headings and '-' bullets,
and the conventions of pasted web text (a short line without final punctuation is a heading,
'•', '*', '–' or '1.' start a list item). Each sentence knows its heading and, for a list item,
the sentence that introduced the list ("Options include:"), because that context carries meaning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A list marker: a bullet sign, "1." or "(2)", or a labelled item of a guideline ("R1.", "D2.", "GPP3.")
BULLET = re.compile(r"^[ \t]*(?:[-*•·–▪◦‣●]|\(?(?:[A-Z]{1,3})?\d{1,2}[.)])[ \t]+")
# "... is not recommended. [1B]": a sentence closed by a bracketed grade or reference is no heading
GRADED_SENTENCE = re.compile(r"[.!?]\s*[\[(][^\])]{1,12}[\])]$")
MD_HEADING = re.compile(r"^[ \t]*(#{1,6})[ \t]+")
CITATION_TAIL = re.compile(r"(?:[ \t]+\d{1,3}(?:[ \t]*[,–-][ \t]*\d{1,3})*|[ \t]*\[\d{1,3}(?:[,–-]\s*\d{1,3})*\])[ \t]*$")
# Words after which a period does not end a sentence.
NO_BREAK = re.compile(r"(?:\b(?:e\.g|i\.e|et al|vs|Dr|Mr|Mrs|Ms|Prof|approx|Fig|No|St|cf|incl|resp|ca)|"
                      r"\b[A-Z])\.$")
# "... hepatitis B and C. Methotrexate needs ...": a letter that names a type or a group is no initial
LABEL_LETTER = re.compile(r"\b(?:and|or|hepatitis|vitamin|type|group|class|grade|stage|phase|part|arm|cohort|"
                          r"factor|level|step|option|plan|appendix|table|figure)\s[A-Z]\.$", re.I)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    kind: str  # title | heading | bullet | paragraph
    section: str | None  # the nearest heading above
    intro: str | None = None  # for a list item: the sentence that introduced the list
    block: int = 0  # index of the block (line or paragraph) the sentence belongs to


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    kind: str
    level: int = 0


def lines(text: str) -> list[Line]:
    """Non-empty lines with their kind; spans exclude bullet and heading markers and trailing space."""
    out: list[Line] = []
    pos = 0
    first = True
    after_title = False  # the previous line was a plain-text title, with no blank line since
    for raw in text.splitlines(keepends=True):
        start, end = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        body = text[start:end]
        if not body.strip():
            after_title = False
            continue
        m = MD_HEADING.match(body)
        if m:
            kind = "title" if first and len(m.group(1)) == 1 else "heading"
            out.append(_trim(text, Line(start + m.end(), end, kind, len(m.group(1)))))
            first = False
            continue
        m = BULLET.match(body)
        if m and len(body) > m.end():
            kind = "heading" if _numbered_heading(body, m, text, pos) else "bullet"
            out.append(_trim(text, Line(start + m.end(), end, kind)))
            first = False
            continue
        kind = "heading" if _looks_like_heading(body) else "paragraph"
        if (first or after_title and not TABLE_ROW.search(body)) and (kind == "heading" or _looks_like_headline(body)):
            kind = "title"  # a headline, or the subtitle right under a masthead or title
        # a masthead in capitals, a series line and the headline under it: three title lines
        after_title = kind == "title" and (first or after_title and len(out) == 1 and _capitals(text, out[0]))
        first = False
        out.append(_trim(text, Line(start, end, kind)))
    return out


def _capitals(text: str, line: Line) -> bool:
    letters = [c for c in text[line.start:line.end] if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


TABLE_ROW = re.compile(r"\S(?: {2,}|\t)\S")  # cells set apart by runs of spaces: a text table's row, no title


def _numbered_heading(body: str, marker: re.Match, text: str, pos: int) -> bool:
    """'2. Treatment' over '2.1 ...', '2.2 ...': a numbered line whose items are numbered under it heads a section."""
    number = NUMBER_MARKER.match(marker.group(0))
    if not number or not _looks_like_heading(body[marker.end():]):
        return False
    nxt = NEXT_LINE.match(text, pos)
    if nxt and nxt.group(1) == number.group(1):
        return True
    # '3. Add-on treatment after failure of ...' after a blank line, with prose right under it: a section's head
    line_start = pos - len(text[:pos].splitlines(keepends=True)[-1])
    blank_before = line_start == 0 or text[:line_start].endswith(("\n\n", "\r\n\r\n"))
    return blank_before and bool(PROSE_UNDER.match(text, pos))


NUMBER_MARKER = re.compile(r"^[ \t]*(\d{1,2})\.[ \t]")
PROSE_UNDER = re.compile(r"[ \t]*(?![-*•]|\d{1,2}[.)]|[A-Z]\d)[A-Z][\w'-]*[ ,][^\n]*[.:!?)]\s*(?:\n|$)")  # a sentence
NEXT_LINE = re.compile(r"(?:[ \t]*\r?\n)*[ \t]*(\d{1,2})\.\d{1,2}\b")  # its section number: group 1


def _trim(text: str, line: Line) -> Line:
    s, e = line.start, line.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Line(s, e, line.kind, line.level)


def _looks_like_heading(body: str) -> bool:
    b = body.strip()
    words = b.split()
    if not words or len(words) > 14 or len(b) > 110:
        return False
    if b.endswith("?"):
        return True
    if b[-1] in ".,;:!" or _citation_tail(b) or GRADED_SENTENCE.search(b):
        return False
    return b[0].isupper() or b[0].isdigit()


def _looks_like_headline(body: str) -> bool:
    """A longer line without final punctuation, as news headlines and guideline titles are written."""
    b = body.strip()
    return (len(b.split()) <= 30 and len(b) <= 250 and b[-1] not in ".,;:!" and not _citation_tail(b)
            and (b[0].isupper() or b[0].isdigit()))


def sentences(text: str) -> list[Sentence]:
    """Split the document into sentences carrying their structural context."""
    out: list[Sentence] = []
    section: str | None = None
    last_paragraph: Sentence | None = None
    intro: str | None = None
    for i, line in enumerate(lines(text)):
        body = text[line.start:line.end]
        if line.kind in ("heading", "title"):
            section = body.strip().rstrip(":")
            out.append(Sentence(line.start, line.end, body, line.kind, section, None, i))
            intro = None
            continue
        if line.kind == "bullet":
            if intro is None and last_paragraph is not None and last_paragraph.text.rstrip().endswith(":"):
                intro = last_paragraph.text
        else:
            intro = None
        for s, e in _split(text, line.start, line.end):
            sent = Sentence(s, e, text[s:e], line.kind, section, intro if line.kind == "bullet" else None, i)
            out.append(sent)
            if line.kind == "paragraph":
                last_paragraph = sent
    return out


def _citation_tail(text: str) -> re.Match | None:
    """`CITATION_TAIL.search(text)`, begun where a match can start: the pattern is anchored at the end and
    made of spaces, digits, brackets, commas and dashes, so a match lies in the last run of these."""
    i = len(text)
    while i and (text[i - 1] in ",–-[]" or text[i - 1].isdigit() or text[i - 1].isspace()):
        i -= 1
    return CITATION_TAIL.search(text, i)


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within one line; trailing citation markers (' 1, 3') are left out of the span."""
    spans = []
    s = start
    for m in re.finditer(r"[.!?](?:[\"”’)])?(?:[ \t]+\d{1,3}(?:,[ \t]*\d{1,3})*)?[ \t]+(?=[A-Z“\"(])", text[start:end]):
        cut = start + m.start() + 1
        if text[cut - 1] == "." and NO_BREAK.search(text[s:cut]) and not LABEL_LETTER.search(text[s:cut]):
            continue
        spans.append((s, cut))
        s = start + m.end()
    spans.append((s, end))
    out = []
    for a, b in spans:
        chunk = text[a:b]
        m = _citation_tail(chunk)
        if m and m.start() > 0 and chunk[:m.start()].rstrip()[-1:] in ".!?)%":
            b = a + m.start()
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
