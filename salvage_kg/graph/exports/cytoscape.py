"""Cytoscape.js JSON (`.cyjs`): the elements format Cytoscape.js loads and Cytoscape desktop imports.

Cytoscape desktop shows `name` as the node label and `interaction` as the edge type; list-valued
attributes (quotes, sources) stay lists, which both read as list columns.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..flatten import edge_record
from ..store import atomic_write
from .style import CATEGORY_COLORS, PREDICATE_COLORS


def elements(flat) -> dict:
    nodes = [{"data": {"id": n.id, "name": n.label, "label": n.label, "type": n.type, "category": n.category,
                       "color": CATEGORY_COLORS[n.category],
                       **{k: v for k, v in n.attrs.items() if v not in (None, "", [], False)}}}
             for n in flat.nodes.values()]
    edges = []
    for e in flat.edges:
        data = {"id": e.id, "source": e.source, "target": e.target, "interaction": e.predicate,
                "name": f"{flat.nodes[e.source].label} ({e.label}) {flat.nodes[e.target].label}",
                "color": PREDICATE_COLORS[e.predicate]}
        data.update({k: v for k, v in edge_record(e, flat).items() if v not in (None, "", [])})
        edges.append({"data": data})
    return {"format_version": "1.0", "generated_by": "salvage-kg", "target_cytoscapejs_version": "~3",
            "data": {"name": "salvage-kg", "shared_name": "salvage-kg"},
            "elements": {"nodes": nodes, "edges": edges}}


def write_cytoscape(dataset, out: Path) -> Path:
    text = json.dumps(elements(dataset.flat), indent=1, ensure_ascii=False) + "\n"
    atomic_write(out, lambda f: f.write(text.encode("utf-8")))
    return out
