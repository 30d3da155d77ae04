"""Citations: the references a document lists (reference lines, numbered references, DOIs)."""
from __future__ import annotations

import re

from ..assertions import Citation, Evidence
from .context import DocumentContext, SentenceView
from .corpus import DOI

REFERENCE_HEADING = re.compile(r"^(?:references?|bibliography|sources?|citations?|literature|further reading|"
                               r"works cited)\s*:?$", re.I)
AUTHOR = r"(?:\bet al\b|[A-Z][a-z]+,? (?:[A-Z]\.\s?){1,3}[,.&(]|[A-Z][a-z]+ [A-Z]{1,3}[,.])"
CITATION_LIKE = re.compile(rf"\b(?:19|20)\d{{2}}\b.*(?:{AUTHOR}|\bJ\b|Journal|Lancet|Oncol|Urol|Med\b|Rev\b|Res\b|"
                           rf"Proc|Bull|Cochrane)|{AUTHOR}.*\b(?:19|20)\d{{2}}\b")
URL = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"').,\]]")


def citations(ctx: DocumentContext) -> list[Citation]:
    """One citation per reference line: lines under a References heading, numbered references, DOIs."""
    out = []
    lines: dict[int, list[SentenceView]] = {}
    for v in ctx.views:
        lines.setdefault(v.s.block, []).append(v)
    for block in sorted(lines):
        views = lines[block]
        first, last = views[0], views[-1]
        if first.s.kind in ("heading", "title"):
            continue
        start, end = first.s.start, last.s.end
        text = ctx.doc.text[start:end]
        under_heading = bool(first.s.section and REFERENCE_HEADING.match(first.s.section))
        doi = DOI.search(text)
        looks = first.s.kind == "bullet" and CITATION_LIKE.search(text)
        if not (doi or under_heading or looks):
            continue
        if under_heading and not (doi or CITATION_LIKE.search(text) or re.search(r"\b(?:19|20)\d{2}\b", text)):
            continue
        url = URL.search(text)
        ev = Evidence(ctx.doc.id, start, end, text, first.s.section)
        out.append(Citation(text=text, doi=doi.group(1).rstrip(".") if doi else None,
                            url=url.group(0) if url and not doi else None, evidence=(ev,)))
    return out


__all__ = ["citations"]
