"""One self-contained interactive page: the graph drawn by a small inline script, nothing fetched.

The page embeds the readable edges, one entry per statement with its qualifiers and quotes, and the
sources; `viewer.js` lays it out (force-directed, one column per node type) and draws it on a canvas.
A Content-Security-Policy forbids any network request, so the page works offline and leaks nothing.
"""
from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from ..flatten import CATEGORIES, PREDICATES
from ..store import atomic_write
from .style import CATEGORY_COLORS, DASHED, DEFAULT_CATEGORIES, HIDDEN_PREDICATES, PREDICATE_COLORS

TITLE = "salvage-kg: salvage therapy knowledge graph"


def payload(flat) -> dict:
    """The data the viewer reads: indexes instead of repeated IRIs keep the page small."""
    node_index = {nid: i for i, nid in enumerate(flat.nodes)}
    source_index = {sid: i for i, sid in enumerate(flat.sources)}
    predicate_index = {p: i for i, p in enumerate(PREDICATES)}
    statements: dict[str, int] = {}
    statement_list = []
    edges = []
    for e in flat.edges:
        st = -1
        if e.statement:
            if e.statement not in statements:
                statements[e.statement] = len(statement_list)
                statement_list.append({
                    "id": e.statement, "type": e.statement_type, "label": e.statement_label, "summary": e.summary,
                    "attrs": {k: v for k, v in e.attrs.items() if not isinstance(v, (list, tuple))},
                    "evidence": [{"quote": q.quote, "source": source_index.get(q.source, -1), "start": q.start,
                                  "end": q.end, "section": q.section, "negated": q.negated, "hedged": q.hedged}
                                 for q in e.evidence]})
            st = statements[e.statement]
        edges.append({"s": node_index[e.source], "t": node_index[e.target], "p": predicate_index[e.predicate],
                      "st": st, "src": sorted(source_index[s] for s in e.sources if s in source_index)})
    return {
        "categories": [{"key": k, "label": label, "color": CATEGORY_COLORS[k], "visible": k in DEFAULT_CATEGORIES}
                       for k, label in CATEGORIES.items()],
        "predicates": [{"key": k, "label": p.label, "color": PREDICATE_COLORS[k], "dashed": k in DASHED,
                        "visible": k not in HIDDEN_PREDICATES} for k, p in PREDICATES.items()],
        "sources": [{"id": s.id, "title": s.title, "kind": s.kind, "publisher": s.publisher,
                     "references": list(s.references)} for s in flat.sources.values()],
        "nodes": [{"id": n.id, "label": n.label, "type": n.type, "category": n.category,
                   "synonyms": n.attrs.get("synonyms", []), "definition": n.attrs.get("definition", "")}
                  for n in flat.nodes.values()],
        "statements": statement_list,
        "edges": edges,
    }


def render(flat, title: str = TITLE) -> str:
    template = files("salvage_kg.graph").joinpath("viewer.html").read_text(encoding="utf-8")
    script = files("salvage_kg.graph").joinpath("viewer.js").read_text(encoding="utf-8")
    # "<" escaped so no quote in the data can close the <script> element
    data = json.dumps(payload(flat), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    head, rest = template.replace("__TITLE__", _escape(title)).split("__DATA__")
    middle, tail = rest.split("__SCRIPT__")
    return head + data + middle + script.replace("</script", "<\\/script") + tail


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_html(dataset, out: Path) -> Path:
    page = render(dataset.flat)
    atomic_write(out, lambda f: f.write(page.encode("utf-8")))
    return out
