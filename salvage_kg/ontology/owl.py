"""The OWL 2 ontology, authored with owlready2 from the tables in `schema`.

`build_ontology()` gives the owlready2 ontology (in its own World, for the reasoner);
`ontology_triples()` gives the same model as sorted pyoxigraph triples for the dataset's ontology
graph. owlready2 is imported inside the functions: the query path never loads it.
"""
from __future__ import annotations

import hashlib
import io
import types
from collections import defaultdict
from functools import lru_cache

from . import schema

VERSION = "0.1.0"

# Codes from the verified-identifiers list, on the ontology classes whose meaning they
# match; narrower codes (e.g. salvage therapy itself) belong to terminology concepts, not classes.
CLASS_XREFS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # class -> (exact matches, close matches)
    "Radiotherapy": (("mesh:D011878", "ncit:C15313", "maxo:0000014"), ()),
    "HormoneTherapy": (("ncit:C15445",), ()),
    "AntiretroviralTherapy": ((), ("mesh:D023241",)),  # MeSH's term is for highly active ART
    "Biopsy": (("mesh:D001706", "ncit:C15189", "maxo:0001269"), ()),
}

# Terms of other vocabularies the data uses, declared so that OWL tools and the reasoner read
# every triple the same way. Lexical and mapping properties are annotations (as in OBO ontologies).
EXTERNAL_CLASSES = ("skos:Concept", "skos:ConceptScheme")
EXTERNAL_ANNOTATIONS = (
    "skos:prefLabel", "skos:altLabel", "skos:hiddenLabel", "skos:notation", "skos:definition",
    "skos:exactMatch", "skos:closeMatch", "skos:broader", "skos:inScheme",
    "dcterms:title", "dcterms:publisher", "dcterms:identifier", "dcterms:bibliographicCitation",
    "dcterms:source", "dcterms:format", "dcterms:date",
)
EXTERNAL_OBJECT_PROPERTIES = ("prov:wasDerivedFrom",)
EXTERNAL_DATA_PROPERTIES = ("prov:generatedAtTime",)

_PY_TYPES = {"xsd:string": str, "xsd:integer": int, "xsd:decimal": float, "xsd:boolean": bool}


def build_ontology(world=None):
    """The ontology in `world` (a new isolated owlready2 World when none is given)."""
    import owlready2 as o

    world = world or o.World()
    onto = world.get_ontology(schema.ONTOLOGY_IRI)
    builder = _Builder(o, onto)
    with onto:
        builder.header()
        builder.classes()
        builder.properties()
        builder.individuals()
    return onto


class _Builder:
    def __init__(self, o, onto):
        self.o = o
        self.onto = onto
        # CURIE -> owlready2 entity; owlready2 predefines rdfs:label
        self.entities: dict[str, object] = {"rdfs:label": o.label}

    # --- declarations ------------------------------------------------------------------------------

    def external(self, curie: str, base):
        """Declare a term of another vocabulary (by CURIE) as a subclass of `base`."""
        if curie in self.entities:
            return self.entities[curie]
        prefix, _, local = curie.partition(":")
        ns = self.onto.get_namespace(schema.PREFIXES[prefix])
        entity = types.new_class(local, (base,), exec_body=lambda body: body.update(namespace=ns))
        self.entities[curie] = entity
        return entity

    def local(self, name: str, bases):
        entity = types.new_class(name, tuple(bases), exec_body=lambda body: body.update(namespace=self.onto))
        self.entities["skg:" + name] = entity
        return entity

    def annotate(self, entity, prop: str, *values):
        self.external(prop, self.o.AnnotationProperty)[entity].extend(values)

    def link(self, entity, prop: str, curie: str):
        """An annotation whose value is an IRI outside the model (e.g. a MeSH descriptor)."""
        prop = self.external(prop, self.o.AnnotationProperty)
        self.onto._add_obj_triple_spo(entity.storid, prop.storid, self.onto._abbreviate(schema.expand(curie)))

    def describe(self, entity, label: str, definition: str, synonyms=()):
        text = lambda s: self.o.locstr(s, "en")  # noqa: E731
        self.annotate(entity, "rdfs:label", text(label))
        self.annotate(entity, "skos:prefLabel", text(label))
        self.annotate(entity, "skos:definition", text(definition))
        if synonyms:
            self.annotate(entity, "skos:altLabel", *(text(s) for s in synonyms))

    # --- the model ---------------------------------------------------------------------------------

    def header(self):
        o = self.o
        for curie in EXTERNAL_CLASSES:
            self.external(curie, o.Thing)
        for curie in EXTERNAL_ANNOTATIONS:
            self.external(curie, o.AnnotationProperty)
        for curie in EXTERNAL_OBJECT_PROPERTIES:
            self.external(curie, o.ObjectProperty)
        for curie in EXTERNAL_DATA_PROPERTIES:
            self.external(curie, o.DataProperty)
        meta = self.onto.metadata
        meta.label.append(o.locstr("salvage-kg ontology", "en"))
        meta.comment.append(o.locstr(
            "Classes and properties of a knowledge graph of salvage therapy: concepts of the "
            "terminology, n-ary clinical statements and the quoted evidence behind each of them.", "en"))
        meta.versionInfo.append(VERSION)

    def classes(self):
        o = self.o
        synonyms = _synonyms()
        for name in _parents_first(schema.CLASSES):
            parent, label, definition, alignments = schema.CLASSES[name]
            cls = self.local(name, [self.entities["skg:" + parent]] if parent else [o.Thing])
            for curie in alignments:
                cls.is_a.append(self.external(curie, o.Thing))
            self.describe(cls, label, definition, synonyms.get(name, ()))
            exact, close = CLASS_XREFS.get(name, ((), ()))
            for curie in exact:
                self.link(cls, "skos:exactMatch", curie)
            for curie in close:
                self.link(cls, "skos:closeMatch", curie)
        for group in schema.DISJOINT:
            o.AllDisjoint([self.entities["skg:" + n] for n in group])

    def properties(self):
        o = self.o
        synonyms = _synonyms()
        for name, (domain, rng, label, alignments, functional) in schema.OBJECT_PROPERTIES.items():
            bases = [o.ObjectProperty] + ([o.FunctionalProperty] if functional else [])
            prop = self.local(name, bases)
            if domain:
                prop.domain = [self.entities["skg:" + domain]]
            prop.range = [self.entities["skg:" + rng]]
            for curie in alignments:
                prop.is_a.append(self.external(curie, o.ObjectProperty))
            self.describe(prop, label, _property_definition(label, domain, rng), synonyms.get(name, ()))
        for name, (domain, datatype, label, alignments, functional) in schema.DATA_PROPERTIES.items():
            bases = [o.DataProperty] + ([o.FunctionalProperty] if functional else [])
            prop = self.local(name, bases)
            if domain:
                prop.domain = [self.entities["skg:" + domain]]
            if datatype in _PY_TYPES:
                prop.range = [_PY_TYPES[datatype]]
            else:  # a datatype owlready2 has no Python type for, e.g. xsd:anyURI
                self.onto._add_obj_triple_spo(prop.storid, o.rdf_range, self.onto._abbreviate(schema.expand(datatype)))
            for curie in alignments:
                prop.is_a.append(self.external(curie, o.DataProperty))
            self.describe(prop, label, _property_definition(label, domain, datatype), synonyms.get(name, ()))

    def individuals(self):
        synonyms = _synonyms()
        by_class = defaultdict(list)
        for name, (cls_name, label) in schema.INDIVIDUALS.items():
            cls = self.entities["skg:" + cls_name]
            individual = cls(name, namespace=self.onto)
            definition = f"A value of {_class_label(cls_name)}: {label}."
            self.describe(individual, label, definition, synonyms.get(name, ()))
            by_class[cls_name].append(individual)
        for members in by_class.values():  # a value set's members are distinct values
            if len(members) > 1:
                self.o.AllDifferent(members)


def _class_label(name: str) -> str:
    return schema.CLASSES[name][1]


def _property_definition(label: str, domain: str | None, rng: str) -> str:
    if rng.startswith("xsd:"):
        if not domain:
            return f"{label.capitalize()}, as {rng}, on any node."
        return f"The {label} of {_with_article(_class_label(domain))}, as {rng}."
    subject = _with_article(_class_label(domain)) if domain else "anything"
    return f"{label.capitalize()}: relates {subject} to {_with_article(_class_label(rng))}."


def _with_article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _synonyms() -> dict[str, tuple[str, ...]]:
    """Synonyms by term name; the schema may leave them out."""
    return getattr(schema, "SYNONYMS", {})


def _parents_first(classes: dict) -> list[str]:
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        parent = classes[name][0]
        if parent:
            visit(parent)
        order.append(name)

    for name in classes:
        visit(name)
    return order


@lru_cache(maxsize=1)
def _cached_triples() -> tuple:
    from pyoxigraph import RdfFormat, parse

    buffer = io.BytesIO()
    onto = build_ontology()
    onto.save(file=buffer, format="ntriples")
    onto.world.close()
    triples = list(parse(buffer.getvalue(), RdfFormat.N_TRIPLES))
    return tuple(sorted(_stable_blank_nodes(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))))


def ontology_triples() -> list:
    """The ontology as pyoxigraph triples, identical in every run and process."""
    return list(_cached_triples())


def _stable_blank_nodes(triples: list) -> list:
    """Relabel blank nodes (AllDisjointClasses axioms, rdf:Lists) by a hash of their content and position.

    owlready2 numbers blank nodes in creation order; a content-derived label keeps the output
    identical across runs while leaving them blank nodes, as the OWL 2 RDF mapping requires.
    """
    from pyoxigraph import BlankNode, Triple

    out = defaultdict(list)
    parent: dict = {}
    for t in triples:
        if isinstance(t.subject, BlankNode):
            out[t.subject].append(t)
        if isinstance(t.object, BlankNode):
            parent[t.object] = (t.subject, t.predicate)

    content: dict = {}

    def digest(node) -> str:  # the node's subtree
        if node not in content:
            lines = sorted(f"{t.predicate} {digest(t.object) if isinstance(t.object, BlankNode) else t.object}"
                           for t in out[node])
            content[node] = _sha("\n".join(lines))
        return content[node]

    labels: dict = {}

    def label(node) -> BlankNode:  # the subtree plus the path from its root, so equal sublists stay apart
        if node not in labels:
            up = parent.get(node)
            key = digest(node) if up is None else f"{label(up[0]).value} {up[1]} {digest(node)}"
            labels[node] = BlankNode("g" + _sha(key)[:24])
        return labels[node]

    relabel = lambda n: label(n) if isinstance(n, BlankNode) else n  # noqa: E731
    return [Triple(relabel(t.subject), t.predicate, relabel(t.object)) for t in triples]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
