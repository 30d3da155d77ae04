"""Tables of options by failed treatment: 'Failed drug | Preferred rescue | Alternative | Avoid'.

A guideline often lays out what to do after each failed treatment as a table: one column names the
failed treatment, the others the options, each column with its own strength. Every option cell of a
row is then an indication after that row's failed treatment, as strong as its column says.
"""
from __future__ import annotations

import re

from ..assertions import Indication
from . import patterns as p
from .context import DocumentContext, SentenceView
from .tables import _pipe_cells

FAILED_HEAD = re.compile(r"\b(?:failed|failing|failure|prior|previous|resistan\w*|after|first[- ]line|initial)\b",
                         re.I)
# A column's strength, the most cautious wording first: "Not recommended" before "recommended".
STRENGTH_HEADS = (
    (re.compile(r"\b(?:avoid|not recommended|contraindicated|do not use|not advised)\b", re.I), "not-recommended"),
    (re.compile(r"\b(?:investigational|trials? only|experimental)\b", re.I), "investigational"),
    (re.compile(r"\b(?:alternatives?|second choice|consider|other options?)\b", re.I), "may-be-considered"),
    (re.compile(r"\b(?:preferred|recommended|first choice|rescue|next (?:step|treatment|option)|switch)\b", re.I),
     "recommended"),
)


def option_tables(ctx: DocumentContext) -> dict[int, list[Indication]]:
    """The indications of every row of the document's option tables, by the index of the row's sentence
    (the head and separator rows map to no indication)."""
    cache = ctx.__dict__.get("_option_tables")
    if cache is None:
        cache = ctx.__dict__["_option_tables"] = {}
        views = ctx.views
        i = 0
        while i < len(views):
            j = i
            while j < len(views) and p.PIPE_ROW.match(views[j].text):
                j += 1
            if j - i >= 3:
                _read(ctx, views[i:j], cache)
            i = max(j, i + 1)
    return cache


def _read(ctx: DocumentContext, rows: list[SentenceView], found: dict[int, list[Indication]]) -> None:
    head = [text for _, _, text in _pipe_cells(rows[0])]
    failed = next((k for k, text in enumerate(head) if FAILED_HEAD.search(text)), None)
    strengths = {k: _strength(text) for k, text in enumerate(head) if k != failed}
    strengths = {k: s for k, s in strengths.items() if s}
    if failed is None or not strengths:
        return
    found[rows[0].index] = []
    conditions = (ctx.main_condition,) if ctx.main_condition else ()
    for row in rows[1:]:
        found[row.index] = []
        cells = _pipe_cells(row)
        if p.PIPE_SEPARATOR.match(row.text) or len(cells) != len(head):
            continue
        lo, hi, _ = cells[failed]
        after = tuple(dict.fromkeys(ctx.specialise(m.concept) for m in row.of("Therapy") if lo <= m.start < hi))
        if not after:
            continue
        for k, strength in strengths.items():
            lo, hi, _ = cells[k]
            for concept in dict.fromkeys(m.concept for m in row.of("Therapy") if lo <= m.start < hi):
                if concept not in after:
                    found[row.index].append(Indication(therapy=concept, conditions=conditions, after=after,
                                                       strength=strength, evidence=(row.evidence(),)))


def _strength(head: str) -> str | None:
    return next((strength for rx, strength in STRENGTH_HEADS if rx.search(head)), None)
