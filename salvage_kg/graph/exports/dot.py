"""Graphviz: DOT text, and SVG/PNG drawn by Debian's `dot` program when it is installed.

Left to right: failed prior treatment <- salvage option -> complication, condition, outcome (the
"indicated after failure of" edges are ranked backwards so the failed treatment comes first). Edges of
the same kind between the same two nodes are drawn once, with the number of statements behind them.
"""
from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path

from ...errors import SalvageKGError
from ..store import atomic_write
from .style import CATEGORY_COLORS, DASHED, PREDICATE_COLORS


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_dot(flat) -> str:
    lines = ["digraph salvage_kg {",
             '  graph [rankdir=LR, fontname="Helvetica", overlap=false, splines=true, nodesep=0.25, ranksep=1.1];',
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, fontcolor=white, '
             'color=white, penwidth=0];',
             '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];']
    for n in flat.nodes.values():
        lines.append(f"  {_q(n.id)} [label={_q(n.label)}, fillcolor={_q(CATEGORY_COLORS[n.category])}, "
                     f"tooltip={_q(n.type)}];")
    bundles: dict[tuple, list] = defaultdict(list)
    for e in flat.edges:
        bundles[(e.source, e.predicate, e.target)].append(e)
    for (s, p, t), edges in bundles.items():
        label = edges[0].label + (f" ({len(edges)})" if len(edges) > 1 else "")
        tooltip = " | ".join(dict.fromkeys(e.summary or e.statement_label for e in edges if e.summary or
                                           e.statement_label))
        style = ", style=dashed" if p in DASHED else ""
        if p == "indicated_after":  # ranked prior first, arrow still pointing at it: reads left to right
            s, t, style = t, s, style + ", dir=back"
        lines.append(f"  {_q(s)} -> {_q(t)} [label={_q(label)}, color={_q(PREDICATE_COLORS[p])}, "
                     f"fontcolor={_q(PREDICATE_COLORS[p])}, tooltip={_q(tooltip or label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(dataset, out: Path) -> Path:
    text = to_dot(dataset.flat)
    atomic_write(out, lambda f: f.write(text.encode("utf-8")))
    return out


def _render(dataset, out: Path, fmt: str) -> Path:
    try:
        done = subprocess.run(["dot", f"-T{fmt}"], input=to_dot(dataset.flat).encode("utf-8"),
                              capture_output=True, timeout=600, check=False)
    except FileNotFoundError:
        raise SalvageKGError(f"the {fmt} export needs Graphviz's 'dot' program (apt-get install graphviz)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SalvageKGError(f"{out}: dot failed: {message[-1] if message else 'exit ' + str(done.returncode)}")
    atomic_write(out, lambda f: f.write(done.stdout))
    return out


def write_svg(dataset, out: Path) -> Path:
    return _render(dataset, out, "svg")


def write_png(dataset, out: Path) -> Path:
    return _render(dataset, out, "png")
