"""The dataset description (VoID + DCAT), written next to every build as `<name>-void.ttl`.

Counts per class and per predicate, triples, one subset per named graph, the source documents with
their checksums, the distribution file's checksum and the package version. Everything comes from the
data, never from the clock, so building twice gives byte-identical descriptions.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from ..ontology import schema
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
    h = hashlib.sha256()
    for line in sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads):
        h.update(line.encode("utf-8"))
    return h.hexdigest()


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


def describe(quads, dataset_path: str | os.PathLike | None = None) -> list[Triple]:
    """The description's triples, sorted."""
    quads = list(quads)
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    rdf_type = _n(P["rdf"], "type")
    classes = Counter(o for s, p, o in triples if p == rdf_type)
    properties = Counter(p for _, p, _ in triples)
    per_graph = Counter(q.graph_name for q in quads)
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
    add(d, _n(VOID, "triples"), _int(len(triples)))
    add(d, _n(VOID, "entities"), _int(len({s for s, _, _ in triples if isinstance(s, NamedNode)})))
    add(d, _n(VOID, "distinctSubjects"), _int(len({s for s, _, _ in triples})))
    add(d, _n(VOID, "distinctObjects"), _int(len({o for _, _, o in triples})))
    add(d, _n(VOID, "classes"), _int(len(classes)))
    add(d, _n(VOID, "properties"), _int(len(properties)))
    add(d, _n(SPDX, "checksum"), _checksum(out, content_checksum(quads), "dataset-content"))
    add(d, _n(P["rdfs"], "comment"), Literal(
        "The dataset's spdx:checksum is the SHA-256 of its sorted N-Quads lines; the distribution's is "
        "that of the file.", language="en"))
    for cls, n in sorted(classes.items(), key=lambda x: str(x[0])):
        part = _partition("class", cls.value)
        add(d, _n(VOID, "classPartition"), part)
        add(part, _n(VOID, "class"), cls)
        add(part, _n(VOID, "entities"), _int(n))
    for prop, n in sorted(properties.items(), key=lambda x: str(x[0])):
        part = _partition("property", prop.value)
        add(d, _n(VOID, "propertyPartition"), part)
        add(part, _n(VOID, "property"), prop)
        add(part, _n(VOID, "triples"), _int(n))
    docs = _sources(quads, add)
    for g, n in sorted(per_graph.items(), key=lambda x: str(x[0])):
        if not isinstance(g, NamedNode):
            continue
        local = g.value.rsplit("/", 1)[-1]
        sub = NamedNode(f"{d.value}#graph-{local}")
        add(d, _n(VOID, "subset"), sub)
        add(sub, rdf_type, _n(VOID, "Dataset"))
        add(sub, _n(SD, "name"), g)
        add(sub, _n(VOID, "triples"), _int(n))
        if NamedNode(schema.SOURCE_NS + local) in docs:  # a document's graph is named after it
            add(sub, _n(P["dcterms"], "source"), NamedNode(schema.SOURCE_NS + local))
    if dataset_path and Path(dataset_path).is_file():
        _distribution(Path(dataset_path), out, add)
    return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _checksum(out: list, value: str, name: str) -> BlankNode:
    node = BlankNode(f"checksum-{name}")  # a fixed label keeps the Turtle byte-identical
    out.append(Triple(node, _n(P["rdf"], "type"), _n(SPDX, "Checksum")))
    out.append(Triple(node, _n(SPDX, "algorithm"), _n(SPDX, "checksumAlgorithm_sha256")))
    out.append(Triple(node, _n(SPDX, "checksumValue"), Literal(value, datatype=_n(P["xsd"], "hexBinary"))))
    return node


def _sources(quads, add) -> set:
    """Each source document with its title and checksum, as the dataset's dcterms:source."""
    skg, dct = schema.SKG_NS, P["dcterms"]
    docs = {q.subject for q in quads if q.predicate.value == P["rdf"] + "type"
            and q.object.value == skg + "SourceDocument"}
    wanted = {dct + "title", skg + "sha256", dct + "identifier", skg + "documentKind", skg + "reference",
              dct + "publisher"}
    for q in quads:
        if q.subject in docs and q.predicate.value in wanted:
            add(q.subject, q.predicate, q.object)
    for doc in docs:
        add(DATASET, _n(dct, "source"), doc)
        add(doc, _n(P["rdf"], "type"), _n(skg, "SourceDocument"))
    return docs


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


def write_description(quads, documents, dataset_path, out_path) -> Path:
    """Write the VoID/DCAT description of the dataset at `dataset_path` to `out_path` (Turtle).

    `documents` is accepted for the build's convenience; the sources are read from the quads, so a
    description made later from the file alone is the same.
    """
    triples = describe(quads, dataset_path)
    atomic_write(out_path, lambda f: serialize(triples, f, RdfFormat.TURTLE, prefixes=PREFIXES))
    return Path(out_path)
