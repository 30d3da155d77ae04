"""GraphML and GEXF through networkx: the readable edges with their qualifiers as attributes.

Lists (quotes, sources) are joined with " | " because both formats hold only scalar attributes.
GEXF also carries node colours and sizes (viz), which Gephi shows as they are.
"""
from __future__ import annotations

from pathlib import Path

from ..store import atomic_write
from .style import CATEGORY_COLORS, rgb


def _graph(dataset, viz: bool):
    g = dataset.flat.to_networkx(scalar=True)
    for node, data in g.nodes(data=True):
        color = CATEGORY_COLORS[data["category"]]
        data["color"] = color
        if viz:
            r, gr, b = rgb(color)
            data["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "size": 6.0 + 2.0 * min(g.degree(node), 10)}
    return g


def write_graphml(dataset, out: Path) -> Path:
    import networkx as nx

    g = _graph(dataset, viz=False)
    atomic_write(out, lambda f: nx.write_graphml(g, f, named_key_ids=True))
    return out


def write_gexf(dataset, out: Path) -> Path:
    import networkx as nx

    g = _graph(dataset, viz=True)
    atomic_write(out, lambda f: nx.write_gexf(g, f))
    return out
