"""RDF writers: the dataset as TriG, N-Quads, Turtle, N-Triples; the ontology as OWL (RDF/XML, Turtle).

The format comes from the writer, not from the output's extension, so `--out anything` works.
Triple formats hold one graph: they get the union of the named graphs, each triple once.
"""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, Triple, serialize

from ...ontology.schema import PREFIXES
from ..rdf import ONTOLOGY_GRAPH
from ..store import atomic_write


def _write(quads, out: Path, fmt: RdfFormat, graphs: bool) -> Path:
    if graphs:
        items = list(quads)
    else:
        items = sorted({Triple(q.subject, q.predicate, q.object) for q in quads},
                       key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = PREFIXES if fmt in (RdfFormat.TRIG, RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
    atomic_write(out, lambda f: serialize(items, f, fmt, prefixes=prefixes))
    return out


def write_trig(dataset, out: Path) -> Path:
    return _write(dataset.quads, out, RdfFormat.TRIG, True)


def write_nquads(dataset, out: Path) -> Path:
    return _write(dataset.quads, out, RdfFormat.N_QUADS, True)


def write_turtle(dataset, out: Path) -> Path:
    return _write(dataset.quads, out, RdfFormat.TURTLE, False)


def write_ntriples(dataset, out: Path) -> Path:
    return _write(dataset.quads, out, RdfFormat.N_TRIPLES, False)


def ontology_quads(dataset) -> list:
    """The ontology graph of the dataset; built from the model when the dataset lacks one."""
    quads = [q for q in dataset.quads if q.graph_name == ONTOLOGY_GRAPH]
    if quads:
        return quads
    from pyoxigraph import Quad

    from ...ontology import owl

    return [Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in owl.ontology_triples()]


def write_owl_xml(dataset, out: Path) -> Path:
    return _write(ontology_quads(dataset), out, RdfFormat.RDF_XML, False)


def write_owl_turtle(dataset, out: Path) -> Path:
    return _write(ontology_quads(dataset), out, RdfFormat.TURTLE, False)


__all__ = ["write_trig", "write_nquads", "write_turtle", "write_ntriples", "write_owl_xml", "write_owl_turtle"]
