"""JSON-LD: the dataset compacted with the project's published @context (`salvage_kg/graph/context.json`).

Properties read as short names ("therapy", "quote", "label") and values as plain strings wherever the
context's type coercion allows; anything it does not cover falls back to full JSON-LD value objects,
so every quad survives the round trip. The context is written inline: reading the file fetches nothing.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ...ontology import schema
from ..store import atomic_write

XSD_STRING = schema.PREFIXES["xsd"] + "string"
RDF_TYPE = schema.PREFIXES["rdf"] + "type"
CONTEXT_FILE = "context.json"

# Terms from shared vocabularies: name -> (CURIE, coercion: "@id", a datatype CURIE, "@en", or None)
SHARED_TERMS = {
    "label": ("rdfs:label", "@en"), "comment": ("rdfs:comment", "@en"), "seeAlso": ("rdfs:seeAlso", "@id"),
    "subClassOf": ("rdfs:subClassOf", "@id"),
    "prefLabel": ("skos:prefLabel", "@en"), "altLabel": ("skos:altLabel", "@en"),
    "definition": ("skos:definition", "@en"), "notation": ("skos:notation", None),
    "broader": ("skos:broader", "@id"), "exactMatch": ("skos:exactMatch", "@id"),
    "closeMatch": ("skos:closeMatch", "@id"), "inScheme": ("skos:inScheme", "@id"),
    "title": ("dcterms:title", None), "publisher": ("dcterms:publisher", None),
    "identifier": ("dcterms:identifier", None), "format": ("dcterms:format", None),
    "bibliographicCitation": ("dcterms:bibliographicCitation", None),
    "wasDerivedFrom": ("prov:wasDerivedFrom", "@id"), "wasQuotedFrom": ("prov:wasQuotedFrom", "@id"),
}


def build_context() -> dict:
    """The @context, made from the schema so it names every class and property of the ontology."""
    ctx: dict = {"@vocab": schema.SKG_NS}
    for prefix, ns in schema.PREFIXES.items():
        if ns.endswith(("/", "#")):  # JSON-LD compacts only with prefixes that end in a delimiter
            ctx[prefix] = ns
    ctx["graph"] = schema.GRAPH_NS
    for name in schema.OBJECT_PROPERTIES:
        ctx[name] = {"@id": f"skg:{name}", "@type": "@id"}
    for name, (_, datatype, *_rest) in schema.DATA_PROPERTIES.items():
        ctx[name] = {"@id": f"skg:{name}"} if datatype == "xsd:string" else {"@id": f"skg:{name}", "@type": datatype}
    for name, (curie, coercion) in SHARED_TERMS.items():
        if coercion is None:
            ctx[name] = curie
        elif coercion.startswith("@") and coercion != "@id":
            ctx[name] = {"@id": curie, "@language": coercion[1:]}
        else:
            ctx[name] = {"@id": curie, "@type": coercion}
    # schema.org names for what the ontology aligns with (a MedicalIndication, a MedicalTherapy, ...)
    aligned = {c for _, _, _, aligns in schema.CLASSES.values() for c in aligns}
    aligned |= {c for *_x, aligns, _f in schema.OBJECT_PROPERTIES.values() for c in aligns}
    for curie in sorted(aligned):
        if curie.startswith("schema:"):
            ctx.setdefault(curie.split(":", 1)[1], curie)
    return {"@context": ctx}


@lru_cache(maxsize=1)
def published_context() -> dict:
    return json.loads(files("salvage_kg.graph").joinpath(CONTEXT_FILE).read_text(encoding="utf-8"))


class Compactor:
    """Chooses keys and value forms the context allows, falling back to explicit value objects."""

    def __init__(self, context: dict):
        ctx = context["@context"]
        self.vocab = ctx.get("@vocab", "")
        self.prefixes = sorted(((ns, p) for p, ns in ctx.items() if isinstance(ns, str) and not p.startswith("@")
                                and ns.endswith(("/", "#"))), key=lambda x: -len(x[0]))
        self.terms: dict[str, list[tuple[str, str | None]]] = defaultdict(list)  # IRI -> (term, coercion)
        self.term_iri: dict[str, str] = {}
        for term, d in ctx.items():
            if term.startswith("@"):
                continue
            if isinstance(d, str):
                if d.endswith(("/", "#")):
                    continue  # a prefix
                iri, coercion = self.expand(d), None
            else:
                iri = self.expand(d["@id"])
                coercion = "@" + d["@language"] if "@language" in d else d.get("@type")
                if coercion and coercion != "@id" and not coercion.startswith("@"):
                    coercion = self.expand(coercion)
            self.terms[iri].append((term, coercion))
            self.term_iri[term] = iri

    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        for ns, p in self.prefixes:
            if p == prefix:
                return ns + local
        return curie

    def iri(self, iri: str) -> str:
        for ns, p in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{p}:{iri[len(ns):]}"
        return iri

    def vocab_iri(self, iri: str) -> str:
        """A type name: bare when @vocab gives it and no term claims the name, else a compact IRI."""
        for term, coercion in self.terms.get(iri, ()):
            if coercion is None:
                return term
        if self.vocab and iri.startswith(self.vocab):
            local = iri[len(self.vocab):]
            if local and ":" not in local and "/" not in local and local not in self.term_iri:
                return local
        return self.iri(iri)

    def node_id(self, term) -> str:
        return f"_:{term.value}" if type(term).__name__ == "BlankNode" else self.iri(term.value)

    def entry(self, predicate: str, obj) -> tuple[str, object]:
        """(key, value) for one triple's predicate and object."""
        is_literal = hasattr(obj, "datatype")
        for term, coercion in self.terms.get(predicate, ()):
            if coercion == "@id" and not is_literal:
                return term, self.node_id(obj)
            if is_literal and coercion and coercion.startswith("@") and coercion != "@id":
                if obj.language == coercion[1:]:
                    return term, obj.value
            elif is_literal and coercion and not obj.language and obj.datatype.value == coercion:
                return term, obj.value
            elif coercion is None:
                if not is_literal:
                    return term, {"@id": self.node_id(obj)}
                if not obj.language and obj.datatype.value == XSD_STRING:
                    return term, obj.value
        key = self.iri(predicate)
        if not is_literal:
            return key, {"@id": self.node_id(obj)}
        if obj.language:
            return key, {"@value": obj.value, "@language": obj.language}
        if obj.datatype.value == XSD_STRING:
            return key, obj.value
        return key, {"@value": obj.value, "@type": self.iri(obj.datatype.value)}


def to_jsonld(quads, context: dict | None = None) -> dict:
    """A compacted JSON-LD document of the quads: one named-graph object per graph, nodes sorted."""
    context = context or published_context()
    c = Compactor(context)
    graphs: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for q in quads:
        g = "" if type(q.graph_name).__name__ == "DefaultGraph" else c.node_id(q.graph_name)
        node = graphs[g][c.node_id(q.subject)]
        if q.predicate.value == RDF_TYPE and not hasattr(q.object, "datatype"):
            node["@type"].append(c.vocab_iri(q.object.value))
        else:
            key, value = c.entry(q.predicate.value, q.object)
            node[key].append(value)
    top: list = []
    for g in sorted(graphs):
        nodes = [_node(sid, props) for sid, props in sorted(graphs[g].items())]
        if g:
            top.append({"@id": g, "@graph": nodes})
        else:
            top.extend(nodes)
    return {"@context": context["@context"], "@graph": top}


def _node(node_id: str, props: dict) -> dict:
    out: dict = {"@id": node_id}
    for key in sorted(props, key=lambda k: (k != "@type", k)):
        decoded = [json.loads(v) for v in sorted({json.dumps(v, sort_keys=True, ensure_ascii=False)
                                                  for v in props[key]})]
        out[key] = decoded[0] if len(decoded) == 1 else decoded
    return out


def write_jsonld(dataset, out: Path) -> Path:
    doc = to_jsonld(dataset.quads)
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    atomic_write(out, lambda f: f.write(text.encode("utf-8")))
    return out


def write_context(path: Path) -> None:
    """Regenerate the published context file from the schema (run after changing the schema)."""
    text = json.dumps(build_context(), indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


if __name__ == "__main__":
    write_context(Path(str(files("salvage_kg.graph").joinpath(CONTEXT_FILE))))
