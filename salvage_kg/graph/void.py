"""The dataset description (VoID + DCAT), written next to every build as `<name>-void.ttl`.

Counts per class and per predicate, triples, one subset per named graph, the source documents with
their checksums, the distribution file's checksum and the package version. Everything comes from the
data, never from the clock, so building twice gives byte-identical descriptions.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize

from ..ontology import schema
from .statistics import Statistics, Summary
from .store import atomic_write

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
SD = "http://www.w3.org/ns/sparql-service-description#"
P = schema.PREFIXES
DATASET = NamedNode(schema.BASE + "dataset")
PREFIXES = {**P, "void": VOID, "dcat": DCAT, "spdx": SPDX, "sd": SD}
MEDIA_TYPES = {".trig": "application/trig", ".nq": "application/n-quads", ".ttl": "text/turtle",
               ".nt": "application/n-triples", ".jsonld": "application/ld+json", ".owl": "application/rdf+xml",
               ".rdf": "application/rdf+xml"}


def _n(ns: str, local: str) -> NamedNode:
    return NamedNode(ns + local)


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=_n(P["xsd"], "integer"))


def _str(s: str) -> Literal:
    return Literal(s)


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as v

    try:
        return v("salvage-kg")
    except PackageNotFoundError:
        return "unknown"


def content_checksum(quads) -> str:
    """SHA-256 of the dataset's sorted N-Quads lines: the same data gives the same sum in any file format."""
    return summarize(quads).checksum


def file_checksum(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _partition(kind: str, iri: str) -> NamedNode:
    """A stable IRI for a class or property partition: #class-skg-Indication."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda x: -len(x[1])):
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_.-]+", iri[len(ns):]):
            return NamedNode(f"{DATASET.value}#{kind}-{prefix}-{iri[len(ns):]}")
    return NamedNode(f"{DATASET.value}#{kind}-{hashlib.sha256(iri.encode()).hexdigest()[:16]}")


def summarize(quads) -> Summary:
    """The figures of a dataset given as quads (in any order)."""
    with Statistics() as stats:
        stats.add_quads(quads)
        return stats.summary()


def describe(data: Summary | Iterable, dataset_path: str | os.PathLike | None = None) -> list[Triple]:
    """The description's triples, sorted. `data`: the dataset's quads, or their `Summary`."""
    summary = data if isinstance(data, Summary) else summarize(data)
    rdf_type = _n(P["rdf"], "type")
    d, out = DATASET, []

    def add(s, p, o):
        out.append(Triple(s, p, o))

    add(d, rdf_type, _n(VOID, "Dataset"))
    add(d, rdf_type, _n(DCAT, "Dataset"))
    add(d, _n(P["dcterms"], "title"), Literal("salvage-kg", language="en"))
    add(d, _n(P["dcterms"], "description"), Literal(
        "A knowledge graph of salvage therapy built from source documents; every statement carries the "
        "exact quotes that support it. One named graph per source document.", language="en"))
    add(d, _n(DCAT, "version"), _str(version()))
    add(d, _n(P["owl"], "versionInfo"), _str(version()))
    add(d, _n(VOID, "uriSpace"), _str(schema.BASE))
    for ns in ("skg", "skos", "prov", "dcterms", "rdfs"):
        add(d, _n(VOID, "vocabulary"), NamedNode(P[ns]))
    add(d, _n(VOID, "triples"), _int(summary.triples))
    add(d, _n(VOID, "entities"), _int(summary.entities))
    add(d, _n(VOID, "distinctSubjects"), _int(summary.subjects))
    add(d, _n(VOID, "distinctObjects"), _int(summary.objects))
    add(d, _n(VOID, "classes"), _int(len(summary.classes)))
    add(d, _n(VOID, "properties"), _int(len(summary.properties)))
    add(d, _n(SPDX, "checksum"), _checksum(out, summary.checksum, "dataset-content"))
    add(d, _n(P["rdfs"], "comment"), Literal(
        "The dataset's spdx:checksum is the SHA-256 of its sorted N-Quads lines; the distribution's is "
        "that of the file.", language="en"))
    for cls, n in sorted(summary.classes.items()):
        cls = _term(cls)
        part = _partition("class", cls.value)
        add(d, _n(VOID, "classPartition"), part)
        add(part, _n(VOID, "class"), cls)
        add(part, _n(VOID, "entities"), _int(n))
    for prop, n in sorted(summary.properties.items()):
        prop = _term(prop)
        part = _partition("property", prop.value)
        add(d, _n(VOID, "propertyPartition"), part)
        add(part, _n(VOID, "property"), prop)
        add(part, _n(VOID, "triples"), _int(n))
    _sources(summary, add)
    documents = set(summary.source_documents)
    for g, n in sorted(summary.graphs.items(), key=lambda x: str(x[0])):
        if not isinstance(g, NamedNode):
            continue
        local = g.value.rsplit("/", 1)[-1]
        sub = NamedNode(f"{d.value}#graph-{local}")
        add(d, _n(VOID, "subset"), sub)
        add(sub, rdf_type, _n(VOID, "Dataset"))
        add(sub, _n(SD, "name"), g)
        add(sub, _n(VOID, "triples"), _int(n))
        if f"<{schema.SOURCE_NS}{local}>" in documents:  # a document's graph is named after it
            add(sub, _n(P["dcterms"], "source"), NamedNode(schema.SOURCE_NS + local))
    if dataset_path and Path(dataset_path).is_file():
        _distribution(Path(dataset_path), out, add)
    return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _term(text: str):
    """A term from its N-Triples form."""
    if text.startswith("<") and not text.startswith("<<"):  # an IRI, not a triple term
        return NamedNode(text[1:-1])
    if text.startswith("_:"):
        return BlankNode(text[2:])
    return next(parse(f"<urn:x:s> <urn:x:p> {text} .\n", RdfFormat.N_TRIPLES)).object


def _checksum(out: list, value: str, name: str) -> BlankNode:
    node = BlankNode(f"checksum-{name}")  # a fixed label keeps the Turtle byte-identical
    out.append(Triple(node, _n(P["rdf"], "type"), _n(SPDX, "Checksum")))
    out.append(Triple(node, _n(SPDX, "algorithm"), _n(SPDX, "checksumAlgorithm_sha256")))
    out.append(Triple(node, _n(SPDX, "checksumValue"), Literal(value, datatype=_n(P["xsd"], "hexBinary"))))
    return node


def _sources(summary: Summary, add) -> None:
    """Each source document with its title and checksum, as the dataset's dcterms:source."""
    skg = schema.SKG_NS
    for fact in parse("".join(summary.source_facts), RdfFormat.N_TRIPLES):
        add(fact.subject, fact.predicate, fact.object)
    for doc in map(_term, summary.source_documents):
        add(DATASET, _n(P["dcterms"], "source"), doc)
        add(doc, _n(P["rdf"], "type"), _n(skg, "SourceDocument"))


def _distribution(path: Path, out: list, add) -> None:
    dist = NamedNode(f"{DATASET.value}#distribution-{re.sub(r'[^A-Za-z0-9_.-]', '_', path.name)}")
    add(DATASET, _n(DCAT, "distribution"), dist)
    add(dist, _n(P["rdf"], "type"), _n(DCAT, "Distribution"))
    add(dist, _n(P["dcterms"], "title"), _str(path.name))
    add(dist, _n(P["dcterms"], "identifier"), _str(path.name))  # relative: the file sits next to this one
    media = MEDIA_TYPES.get(path.suffix.lower())
    if media:
        add(dist, _n(DCAT, "mediaType"), NamedNode("https://www.iana.org/assignments/media-types/" + media))
    add(dist, _n(DCAT, "byteSize"), _int(path.stat().st_size))
    add(dist, _n(SPDX, "checksum"), _checksum(out, file_checksum(path), "file"))


def write_description(data, dataset_path, out_path) -> Path:
    """Write the VoID/DCAT description of the dataset at `dataset_path` to `out_path` (Turtle).

    `data` is the dataset's quads or their `Summary`; the sources are read from it, so a description
    made later from the file alone is the same as the build's.
    """
    triples = describe(data, dataset_path)
    atomic_write(out_path, lambda f: serialize(triples, f, RdfFormat.TURTLE, prefixes=PREFIXES))
    return Path(out_path)
