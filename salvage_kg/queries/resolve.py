"""Parameter values -> concept IRIs, the way a person names things.

A value may be a label, synonym or abbreviation (any case, hyphens or spaces alike), a concept id,
a CURIE (skc:hifu, or a cross-reference such as mesh:D057086), an IRI, or the name of an ontology
class (radiotherapy: every concept typed as one). The result includes every sub-concept, following
skos:broader from the graph, so after=radiotherapy also matches brachytherapy. The graph is the
authority: it holds the terminology and the provisional concepts documents introduced.

Only IRIs found in the graph (or validated and then found there) leave this module; the raw text
never reaches a query.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from ..ontology import schema
from .catalog import Param, QueryError

SKOS = schema.PREFIXES["skos"]
RDFS = schema.PREFIXES["rdfs"]
RDF_TYPE = schema.PREFIXES["rdf"] + "type"
_NAME_PROPS = {SKOS + "prefLabel", SKOS + "altLabel", SKOS + "notation", RDFS + "label"}
_XREF_PROPS = {SKOS + "exactMatch", SKOS + "closeMatch"}

INDEX_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?c ?p ?o WHERE {
  ?c a skos:Concept .
  VALUES ?p { skos:prefLabel skos:altLabel skos:notation rdfs:label skos:broader skos:exactMatch
              skos:closeMatch rdf:type }
  ?c ?p ?o .
}"""

STATEMENT_QUERY = """
PREFIX skg: <https://w3id.org/salvage-kg/ontology#>
SELECT ?s WHERE { VALUES ?s { %s } ?s skg:hasEvidence ?e } LIMIT 1"""


_SEPARATORS = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Case, width, hyphens, dashes and punctuation do not matter: 'Salvage-RT' == 'salvage rt'."""
    return " ".join(_SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


@dataclass
class ConceptIndex:
    """What the resolver needs to know of the graph's concepts, read with one query."""

    names: dict[str, set[str]] = field(default_factory=dict)  # normalized name -> concept IRIs
    by_concept: dict[str, set[str]] = field(default_factory=dict)  # concept IRI -> normalized names
    ids: set[str] = field(default_factory=set)  # normalized names that are only concept ids
    shown: dict[str, str] = field(default_factory=dict)  # normalized name -> the name as written
    labels: dict[str, str] = field(default_factory=dict)  # concept IRI -> preferred label
    types: dict[str, set[str]] = field(default_factory=dict)  # concept IRI -> ontology class names
    narrower: dict[str, set[str]] = field(default_factory=dict)  # concept IRI -> direct sub-concepts
    xrefs: dict[str, set[str]] = field(default_factory=dict)  # external IRI -> concept IRIs
    _members: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)  # class -> concepts, once asked

    def members(self, class_name: str) -> set[str]:
        """The concepts typed with `class_name` (itself, not its sub-classes)."""
        if self._members is None:  # built on first use: one pass instead of one per class parameter
            self._members = {}
            for concept, types in self.types.items():
                for t in types:
                    self._members.setdefault(t, set()).add(concept)
        return self._members.get(class_name, set())

    @classmethod
    def from_rows(cls, rows) -> "ConceptIndex":
        """Build from the rows of INDEX_QUERY in SPARQL JSON form."""
        return cls.from_triples((r["c"]["value"], r["p"]["value"], r["o"]["value"]) for r in rows)

    @classmethod
    def from_triples(cls, triples) -> "ConceptIndex":
        """Build from (concept, property, value) strings, as INDEX_QUERY selects them."""
        index = cls()
        seen: set[tuple[str, str]] = set()  # a label is often also rdfs:label, an abbreviation also a notation
        for c, p, o in triples:
            index.types.setdefault(c, set())
            if p in _NAME_PROPS:
                if (c, o) not in seen:
                    seen.add((c, o))
                    index.add_name(o, c)
                if p == SKOS + "prefLabel" or (p == RDFS + "label" and c not in index.labels):
                    index.labels[c] = o
            elif p == SKOS + "broader":
                index.narrower.setdefault(o, set()).add(c)
            elif p in _XREF_PROPS:
                index.xrefs.setdefault(o, set()).add(c)
            elif p == RDF_TYPE and o.startswith(schema.SKG_NS):
                index.types[c].add(o[len(schema.SKG_NS):])
        for c in index.types:
            if c.startswith(schema.CONCEPT_NS):  # the concept id, e.g. salvage-radical-prostatectomy
                key = normalize(c[len(schema.CONCEPT_NS):])
                if key not in index.names:
                    index.ids.add(key)
                index.add_name(key, c)
        return index

    def add_name(self, name: str, concept: str) -> None:
        key = normalize(name)
        if key:
            self.names.setdefault(key, set()).add(concept)
            self.shown.setdefault(key, name)
            self.by_concept.setdefault(concept, set()).add(key)

    def descendants(self, seeds) -> set[str]:
        out, todo = set(), list(seeds)
        while todo:
            c = todo.pop()
            if c not in out:
                out.add(c)
                todo.extend(self.narrower.get(c, ()))
        return out

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri


class Resolver:
    """Resolves parameter values against one source; `select(text)` runs a query on it."""

    def __init__(self, index: ConceptIndex, select: Callable[[str], list]):
        self.index = index
        self._select = select

    def resolve(self, param: Param, value: str) -> list[str]:
        """The IRIs `value` names for `param`, sub-concepts included, sorted; QueryError if none."""
        text = value.strip()
        if not text:
            raise QueryError(f"--param {param.name}: empty value")
        seeds, iri = self._lookup(param, text)
        if iri is not None and not seeds:
            if "Statement" in param.types and self._is_statement(iri):
                return [iri]
        if not seeds:
            raise QueryError(self._unknown(param, text, iri))
        kept = self._of_type(seeds, param)
        if not kept:
            raise QueryError(self._wrong_type(param, text, seeds))
        return sorted(self.index.descendants(kept))

    def _lookup(self, param: Param, text: str) -> tuple[set[str], str | None]:
        index = self.index
        iri = as_iri(text)
        if iri is not None:
            if iri in index.types:
                return {iri}, iri
            if iri in index.xrefs:
                return set(index.xrefs[iri]), iri
        key = normalize(text)
        seeds = set(index.names.get(key, ()))
        seeds |= self._class_members(param, key)
        if not seeds:
            seeds = self._with_words_expanded(key)
        if not seeds:
            seeds = self._from_terminology(text)
        return seeds, iri

    def _with_words_expanded(self, key: str, limit: int = 200) -> set[str]:
        """Names that match once a word is read as the concept it abbreviates: 'salvage RT'."""
        words = key.split()
        if len(words) < 2:
            return set()
        variants = [""]
        for word in words:
            alternatives = {word}
            for concept in self.index.names.get(word, ()):
                alternatives |= self.index.by_concept.get(concept, set())
            variants = [f"{v} {a}".strip() for v in variants for a in sorted(alternatives)][:limit]
        found: set[str] = set()
        for variant in variants:
            found |= self.index.names.get(variant, set())
        return found

    def _class_members(self, param: Param, key: str) -> set[str]:
        """Concepts typed with an ontology class named `key` (radiotherapy, surgery, chemotherapy)."""
        allowed = accepted_classes(param)
        classes = {n for n in _concept_classes_named(key) if allowed is None or n in allowed}
        if not classes:
            return set()
        wanted = set().union(*(subclasses(n) for n in classes))
        return set().union(*(self.index.members(n) for n in wanted))

    def _from_terminology(self, text: str) -> set[str]:
        """Names the terminology knows (e.g. through its own matching) that the graph holds."""
        try:
            from ..ontology.terminology import default_terminology
        except ImportError:
            return set()
        try:
            found = default_terminology().lookup(text)
        except Exception:  # the terminology is a helper here; the graph decides
            return set()
        iris = {schema.CONCEPT_NS + getattr(c, "id", "") for c in found}
        return {i for i in iris if i in self.index.types}

    def _of_type(self, seeds: set[str], param: Param) -> set[str]:
        allowed = accepted_classes(param)
        if allowed is None:
            return seeds
        return {c for c in seeds if not self.index.types.get(c) or self.index.types[c] & allowed}

    def _is_statement(self, iri: str) -> bool:
        return bool(self._select(STATEMENT_QUERY % f"<{iri}>"))

    def _unknown(self, param: Param, text: str, iri: str | None) -> str:
        what = "statement or concept" if "Statement" in param.types else "concept"
        close = self.suggest(text)
        hint = f"; close matches: {', '.join(close)}" if close else "; 'salvage-kg query concepts' lists the names"
        shown = f"<{iri}>" if iri else repr(text)
        return f"--param {param.name}: no {what} named {shown} in the graph{hint}"

    def _wrong_type(self, param: Param, text: str, seeds: set[str]) -> str:
        found = sorted(self.index.label(c) + f" ({_type_label(self.index.types.get(c))})" for c in seeds)
        wanted = " or ".join(schema.CLASSES[t][1] for t in param.types)
        return f"--param {param.name}: {text!r} names {', '.join(found)}, not a {wanted}"

    def suggest(self, text: str, n: int = 5) -> list[str]:
        """Names close to `text`, each with the concept it names, best first."""
        key = normalize(text)
        names = [k for k in self.index.names if k not in self.index.ids]
        close = difflib.get_close_matches(key, names, n=4 * n, cutoff=0.6)
        if len(key) >= 3:
            close += sorted((k for k in names if key in k and k not in close), key=len)
        out, seen = [], set()
        for k in close:
            concepts = ", ".join(sorted(curie(c) for c in self.index.names[k]))
            if concepts not in seen:  # one name per concept: the closest
                seen.add(concepts)
                out.append(f"{self.index.shown[k]} ({concepts})")
        return out[:n]


def as_iri(text: str) -> str | None:
    """The IRI `text` spells (<...>, a full IRI or a CURIE with a known prefix), validated; else None."""
    from pyoxigraph import NamedNode

    if text.startswith("<") and text.endswith(">"):
        candidate = text[1:-1]
    elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text) or text.startswith("urn:"):
        candidate = text
    else:
        prefix, sep, local = text.partition(":")
        if not sep or prefix not in schema.PREFIXES:
            return None
        candidate = schema.expand(text)
    try:
        return NamedNode(candidate).value
    except ValueError:
        raise QueryError(f"{text!r} is not a valid IRI") from None


def curie(iri: str) -> str:
    for prefix, ns in sorted(schema.PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


# The schema does not change while the program runs: what is derived from it alone is computed once.
@lru_cache(maxsize=None)
def _concept_classes_named(key: str) -> frozenset[str]:
    """Concept classes (not Concept itself) whose name or label normalizes to `key`."""
    return frozenset(n for n in schema.CONCEPT_TYPES - {"Concept"}
                     if key in (normalize(n), normalize(schema.CLASSES[n][1])))


@lru_cache(maxsize=None)
def subclasses(name: str) -> frozenset[str]:
    """The class and every class below it in the schema."""
    return frozenset(c for c in schema.CLASSES if name in schema.ancestors(c))


@lru_cache(maxsize=None)
def accepted_classes(param: Param) -> frozenset[str] | None:
    """Ontology classes a concept may have to fit `param`; None when any concept fits."""
    if "Concept" in param.types:
        return None
    return frozenset().union(*(subclasses(t) for t in param.types if t != "Statement"))


def _type_label(types) -> str:
    if not types:
        return "untyped"
    # the most specific class: the one with the most ancestors
    best = max(sorted(types), key=lambda t: len(schema.ancestors(t)) if t in schema.CLASSES else 0)
    return schema.CLASSES[best][1] if best in schema.CLASSES else best
