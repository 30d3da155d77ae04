"""RDF terms: closed namespaces and stable IRIs for concepts, statements, evidence and sources.

IRIs are derived only from content (statement keys, document ids and spans), never from build order,
so the same input gives the same IRIs in every build.
"""
from __future__ import annotations

import functools
import hashlib
import re

from pyoxigraph import Literal, NamedNode

from ..ontology import schema


class ClosedNamespace:
    """Attribute access to a fixed set of terms: a typo raises instead of minting a new IRI."""

    def __init__(self, base: str, names):
        self._base = base
        self._names = frozenset(names)

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._names:
            raise AttributeError(f"{name!r} is not a term of {self._base}")
        node = NamedNode(self._base + name)
        setattr(self, name, node)  # later look-ups are plain attribute reads; __getattr__ is not called again
        return node

    def __getitem__(self, name: str) -> NamedNode:
        return getattr(self, name)  # a term made before is an attribute by now: no new node

    def __contains__(self, name: str) -> bool:
        return name in self._names


SKG = ClosedNamespace(schema.SKG_NS, schema.ALL_TERMS)
RDF = ClosedNamespace(schema.PREFIXES["rdf"], ["type"])
RDFS = ClosedNamespace(schema.PREFIXES["rdfs"], ["label", "comment", "subClassOf", "seeAlso"])
SKOS = ClosedNamespace(schema.PREFIXES["skos"], [
    "Concept", "ConceptScheme", "prefLabel", "altLabel", "hiddenLabel", "notation", "broader",
    "definition", "exactMatch", "closeMatch", "inScheme"])
PROV = ClosedNamespace(schema.PREFIXES["prov"], ["wasQuotedFrom", "wasDerivedFrom", "generatedAtTime"])
DCTERMS = ClosedNamespace(schema.PREFIXES["dcterms"], [
    "title", "publisher", "identifier", "bibliographicCitation", "source", "format", "date", "references"])
XSD = schema.PREFIXES["xsd"]

TERMINOLOGY_SCHEME = NamedNode(schema.CONCEPT_NS)


def concept(concept_id: str) -> NamedNode:
    return NamedNode(schema.CONCEPT_NS + concept_id)


def source(document_id: str) -> NamedNode:
    return NamedNode(schema.SOURCE_NS + _safe(document_id))


def graph(name: str) -> NamedNode:
    return NamedNode(schema.GRAPH_NS + _safe(name))


def statement(kind: str, key: tuple) -> NamedNode:
    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:16]
    return NamedNode(f"{schema.STATEMENT_NS}{kind}-{digest}")


def evidence(document_id: str, start: int, end: int, negated: bool = False) -> NamedNode:
    """One node per quoted span; a quote that argues against its statement is a node of its own, so that
    its flag does not spread to other statements quoting the same span."""
    return NamedNode(f"{schema.EVIDENCE_NS}{_safe(document_id)}/{start}-{end}{'-against' if negated else ''}")


def citation(document_id: str, text: str) -> NamedNode:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return NamedNode(f"{schema.SOURCE_NS}{_safe(document_id)}/citation-{digest}")


@functools.lru_cache(maxsize=4096)  # a document id recurs in every evidence IRI of its document
def _safe(name: str) -> str:
    """Keep IRI path segments to unreserved characters."""
    return re.sub(r"[^A-Za-z0-9._~-]", "_", name)


def string(value: str) -> Literal:
    return Literal(value)


def text(value: str, lang: str = "en") -> Literal:
    return Literal(value, language=lang)


_BOOLEAN, _INTEGER, _DECIMAL, _ANY_URI = (NamedNode(XSD + name) for name in ("boolean", "integer", "decimal", "anyURI"))


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=_BOOLEAN)


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=_INTEGER)


def decimal(value: float) -> Literal:
    """xsd:decimal in canonical-ish form, so 0.70 and 0.7 give the same literal."""
    s = format(value, "f").rstrip("0").rstrip(".") if "." in format(value, "f") else format(value, "f")
    if "." not in s:
        s += ".0"
    return Literal(s, datatype=_DECIMAL)


def any_uri(value: str) -> Literal:
    return Literal(value, datatype=_ANY_URI)
