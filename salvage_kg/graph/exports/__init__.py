"""Export formats: a registry of small writers keyed by name, with aliases.

Every writer has the same tiny interface, `write(dataset, out: Path) -> Path`, where `dataset` is a
`salvage_kg.api.Dataset` (its `.quads` for RDF formats, its `.flat` readable edges for graph tools).
Writer modules are imported only when their format is used, so listing formats stays cheap.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ...errors import SalvageKGError

DEFAULT_GRAPH = Path("build") / "salvage-kg.trig"


class ExportError(SalvageKGError):
    """An export that cannot be made: unknown format, missing program, output in the way."""


@dataclass(frozen=True)
class Format:
    name: str
    target: str  # "module:function" in this package
    output: str  # default output next to the graph: a suffix, or a folder name ending in "/"
    reads: str  # which tools read it
    aliases: tuple[str, ...] = ()
    program: tuple[str, str] | None = None  # (executable, Debian package) the writer runs

    def writer(self):
        module, function = self.target.split(":")
        return getattr(import_module(f"{__name__}.{module}"), function)

    @property
    def folder(self) -> bool:
        return self.output.endswith("/")


FORMATS: tuple[Format, ...] = (
    Format("trig", "rdf:write_trig", ".trig", "any RDF store or library (Oxigraph, Jena, GraphDB, rdflib)"),
    Format("nquads", "rdf:write_nquads", ".nq", "any RDF store; line-based, good for bulk loading",
           ("nq", "n-quads")),
    Format("turtle", "rdf:write_turtle", ".ttl", "RDF tools that take one graph (Protege, rdflib); union of graphs",
           ("ttl",)),
    Format("ntriples", "rdf:write_ntriples", ".nt", "RDF tools that take one graph; line-based", ("nt", "n-triples")),
    Format("jsonld", "jsonld:write_jsonld", ".jsonld",
           "JSON-LD processors and web apps; compacted with the published @context", ("json-ld",)),
    Format("owl", "rdf:write_owl_xml", "-ontology.owl", "the ontology as OWL in RDF/XML: Protege, owlready2, ROBOT",
           ("owl-xml", "rdfxml", "rdf-xml")),
    Format("owl-ttl", "rdf:write_owl_turtle", "-ontology.ttl", "the ontology as OWL in Turtle", ("owl-turtle",)),
    Format("graphml", "networkx_files:write_graphml", ".graphml", "Gephi, yEd, Cytoscape desktop, networkx, igraph"),
    Format("gexf", "networkx_files:write_gexf", ".gexf", "Gephi (node colours and sizes included), networkx"),
    Format("cytoscape", "cytoscape:write_cytoscape", ".cyjs", "Cytoscape.js, Cytoscape desktop (File > Import)",
           ("cyjs", "cytoscape-json")),
    Format("dot", "dot:write_dot", ".dot", "Graphviz (dot, xdot)", ("graphviz",)),
    Format("svg", "dot:write_svg", ".svg", "browsers, Inkscape (drawn by Graphviz dot)", (), ("dot", "graphviz")),
    Format("png", "dot:write_png", ".png", "any image viewer (drawn by Graphviz dot)", (), ("dot", "graphviz")),
    Format("kgx", "kgx:write_kgx", "-kgx/", "KGX and Biolink tools (kgx transform, Translator loaders): "
           "<name>_nodes.tsv and <name>_edges.tsv", ("kgx-tsv",)),
    Format("neo4j", "neo4j:write_neo4j", "-neo4j/", "neo4j-admin database import (nodes.csv, relationships.csv)",
           ("neo4j-csv", "neo4j-admin")),
    Format("html", "html:write_html", ".html", "any browser, offline: one self-contained interactive page",
           ("viewer",)),
    Format("void", "void:write_void", "-void.ttl", "VoID/DCAT dataset description for catalogues and SPARQL tools",
           ("dcat",)),
)
_BY_NAME = {alias.lower(): f for f in FORMATS for alias in (f.name, *f.aliases)}


def get(name: str) -> Format:
    """The format called `name` (or one of its aliases), case-insensitive."""
    try:
        return _BY_NAME[name.strip().lower()]
    except KeyError:
        raise ExportError(f"unknown export format {name!r}; known: {', '.join(f.name for f in FORMATS)} "
                          "(see 'salvage-kg export --list')") from None


def describe_formats() -> str:
    rows = [(f.name, ", ".join(f.aliases), f"*{f.output}" if not f.folder else f.output, f.reads) for f in FORMATS]
    widths = [max(len(r[i]) for r in rows + [("FORMAT", "ALIASES", "WRITES", "")]) for i in range(3)]
    lines = ["FORMAT".ljust(widths[0]) + "  " + "ALIASES".ljust(widths[1]) + "  " + "WRITES".ljust(widths[2])
             + "  READ BY"]
    for r in rows:
        lines.append("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
    lines.append("")
    lines.append("usage: salvage-kg export FORMAT [--graph PATH] [--out PATH]; the default output is written "
                 "next to the graph file.")
    return "\n".join(lines)


def default_output(fmt: Format, graph_path: str | os.PathLike | None) -> Path:
    graph = Path(graph_path) if graph_path else DEFAULT_GRAPH
    stem = graph.name.split(".")[0]
    if fmt.folder:
        return graph.with_name(stem + fmt.output.rstrip("/"))
    return graph.with_name(stem + fmt.output)


def check_program(fmt: Format) -> None:
    if fmt.program and shutil.which(fmt.program[0]) is None:
        program, package = fmt.program
        raise ExportError(f"the {fmt.name} export needs the '{program}' program, which is not installed "
                          f"(Debian/Ubuntu: apt-get install {package}); the 'dot' export needs nothing")


def write(name: str, dataset, out: str | os.PathLike | None = None) -> Path:
    """Write `dataset` (a salvage_kg Dataset) in format `name`; returns the path written."""
    fmt = get(name)
    check_program(fmt)
    target = Path(out) if out else default_output(fmt, dataset.path)
    if dataset.path and target.exists() and target.resolve() == Path(dataset.path).resolve():
        raise ExportError(f"{target}: the export would overwrite its own input; give another --out")
    return fmt.writer()(dataset, target)


def export(name: str, graph_path: str | os.PathLike | None, out: str | os.PathLike | None = None) -> Path:
    """Read the dataset file `graph_path` and write it in format `name` to `out`."""
    fmt = get(name)
    check_program(fmt)  # fail before reading a large graph
    from ...api import load

    return write(fmt.name, load(graph_path or DEFAULT_GRAPH), out)


__all__ = ["FORMATS", "Format", "ExportError", "get", "describe_formats", "export", "write", "default_output"]
