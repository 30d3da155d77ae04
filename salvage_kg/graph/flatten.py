"""N-ary statements -> readable edges, for graph tools and networkx.

In the RDF dataset a claim is a node (an `skg:Indication` with its therapy, conditions, failed prior
treatments and criteria). Graph tools draw nodes and lines, so each statement becomes one edge per
thing it links, read like the clinical fact ("salvage prostatectomy -indicated after failure of->
radiotherapy"), and the statement's qualifiers, quotes and sources travel as edge attributes.

Every graph-tool export and `salvage_kg.to_networkx` use this module, so they all show the same edges.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

from ..ontology import schema

RDF_TYPE = schema.PREFIXES["rdf"] + "type"
RDFS_LABEL = schema.PREFIXES["rdfs"] + "label"
SKOS = schema.PREFIXES["skos"]
DCTERMS = schema.PREFIXES["dcterms"]
PROV_DERIVED = schema.PREFIXES["prov"] + "wasDerivedFrom"
SKG = schema.SKG_NS


class Predicate(NamedTuple):
    label: str  # how the edge reads
    biolink: str  # closest Biolink predicate, for KGX
    rdf: str  # the statement property (or terminology property) the edge comes from


# Flat edge types, in the order legends list them.
PREDICATES: dict[str, Predicate] = {
    "indicated_after": Predicate("indicated after failure of", "biolink:preceded_by", "skg:afterFailureOf"),
    "indicated_for": Predicate("indicated for", "biolink:treats_or_applied_or_studied_to_treat", "skg:condition"),
    "has_adverse_effect": Predicate("has adverse effect", "biolink:has_adverse_event", "skg:adverseEffect"),
    "combined_with": Predicate("combined with", "biolink:related_to", "skg:combinedWith"),
    "has_outcome": Predicate("has outcome", "biolink:related_to", "skg:measure"),
    "has_criterion": Predicate("has criterion", "biolink:related_to", "skg:hasCriterion"),
    "criterion_on": Predicate("criterion on", "biolink:related_to", "skg:parameter"),
    "requires": Predicate("requires", "biolink:related_to", "skg:requirement"),
    "not_solely_based_on": Predicate("must not rest solely on", "biolink:related_to", "skg:requirement"),
    "contrasted_with": Predicate("contrasted with", "biolink:related_to", "skg:contrastedWith"),
    "kind_of": Predicate("is a kind of", "biolink:subclass_of", "skos:broader"),
}

# Display groups of nodes (key -> legend label), in legend order. A node falls in the group of its
# nearest ontology ancestor listed below; "prior" is no class: a therapy met mostly as the one that failed.
CATEGORIES: dict[str, str] = {
    "prior": "prior treatment (failed)",
    "therapy": "therapy",
    "condition": "condition",
    "complication": "complication",
    "outcome": "outcome measure",
    "criterion": "criterion",
    "parameter": "biomarker or parameter",
    "diagnostic": "diagnostic procedure",
    "approach": "therapeutic approach",
    "concept": "other concept",
}
_CATEGORY_OF_CLASS = {
    "TherapeuticApproach": "approach",
    "Therapy": "therapy",
    "Condition": "condition",
    "AdverseEffect": "complication",
    "OutcomeMeasure": "outcome",
    "Criterion": "criterion",
    "Biomarker": "parameter",
    "ClinicalParameter": "parameter",
    "DiagnosticProcedure": "diagnostic",
}
STATEMENT_CLASSES = ("Indication", "AdverseEffectAssociation", "Outcome", "Prerequisite", "Criterion",
                     "Definition")


@dataclass(frozen=True)
class Quote:
    """One piece of evidence: the exact words and where they stand."""

    quote: str
    source: str  # IRI of the source document
    start: int | None = None
    end: int | None = None
    section: str | None = None
    negated: bool = False
    hedged: bool = False


@dataclass
class Node:
    id: str  # IRI
    label: str
    type: str  # most specific ontology class, e.g. "Ablation"
    category: str = "concept"  # key of CATEGORIES
    attrs: dict = field(default_factory=dict)  # synonyms, xrefs, definition, provisional


@dataclass
class Edge:
    id: str
    source: str
    target: str
    predicate: str  # key of PREDICATES
    statement: str  # IRI of the n-ary statement ("" for terminology edges)
    statement_type: str
    statement_label: str = ""
    summary: str = ""  # the qualifiers in one readable line
    attrs: dict = field(default_factory=dict)  # qualifiers: severity, value, ci_lower, ...
    evidence: tuple[Quote, ...] = ()

    @property
    def label(self) -> str:
        return PREDICATES[self.predicate].label

    @property
    def sources(self) -> list[str]:
        return sorted({q.source for q in self.evidence})

    @property
    def quotes(self) -> list[str]:
        return list(dict.fromkeys(q.quote for q in self.evidence))


@dataclass
class Source:
    id: str
    title: str
    kind: str = ""
    publisher: str = ""
    references: tuple[str, ...] = ()
    reliability: int | None = None
    path: str = ""
    sha256: str = ""


@dataclass
class FlatGraph:
    nodes: dict[str, Node]
    edges: list[Edge]
    sources: dict[str, Source]

    def to_networkx(self, scalar: bool = False):
        """A networkx MultiDiGraph keyed by IRIs; `scalar` joins lists and drops empty values for file formats."""
        import networkx as nx

        g = nx.MultiDiGraph(name="salvage-kg")
        for n in self.nodes.values():
            g.add_node(n.id, **_attrs({"label": n.label, "type": n.type, "category": n.category, **n.attrs}, scalar))
        for e in self.edges:
            g.add_edge(e.source, e.target, key=e.id, **_attrs(edge_record(e, self), scalar))
        return g


def edge_record(e: Edge, graph: FlatGraph) -> dict:
    """The attributes every graph-tool export writes for an edge."""
    return {
        "predicate": e.predicate, "label": e.label, "statement": e.statement,
        "statement_type": e.statement_type, "statement_label": e.statement_label, "summary": e.summary,
        **e.attrs,
        "sources": e.sources,
        "source_titles": [graph.sources[s].title if s in graph.sources else s for s in e.sources],
        "quotes": e.quotes,
    }


def _attrs(values: dict, scalar: bool) -> dict:
    if not scalar:
        return dict(values)
    out = {}
    for k, v in values.items():
        if isinstance(v, (list, tuple)):
            v = " | ".join(str(x) for x in v)
        if v is None or v == "":
            continue
        out[k] = v
    return out


# --- reading the quads -----------------------------------------------------------------------------

class _Index:
    """The union graph as subject -> predicate -> objects, with literal values made Python values."""

    def __init__(self, quads: Iterable):
        self.po: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        seen = set()
        for q in quads:
            key = (q.subject, q.predicate, q.object)
            if key in seen:
                continue
            seen.add(key)
            self.po[_iri(q.subject)][q.predicate.value].append(q.object)

    def objects(self, s: str, p: str) -> list:
        return sorted(self.po.get(s, {}).get(p, ()), key=str)

    def iris(self, s: str, p: str) -> list[str]:
        return [_iri(o) for o in self.objects(s, p) if not hasattr(o, "datatype")]

    def value(self, s: str, p: str):
        values = [_python(o) for o in self.objects(s, p) if hasattr(o, "datatype")]
        return values[0] if values else None

    def values(self, s: str, p: str) -> list:
        return [_python(o) for o in self.objects(s, p) if hasattr(o, "datatype")]

    def types(self, s: str) -> set[str]:
        return set(self.iris(s, RDF_TYPE))

    def subjects_of_type(self, cls: str) -> list[str]:
        return sorted(s for s, po in self.po.items() if any(_iri(o) == cls for o in po.get(RDF_TYPE, ())))


def _iri(term) -> str:
    return term.value if type(term).__name__ == "NamedNode" else str(term)


def _python(lit):
    dt = lit.datatype.value.rsplit("#", 1)[-1]
    if dt in ("decimal", "double", "float"):
        return float(lit.value)
    if dt in ("integer", "int", "long", "nonNegativeInteger"):
        return int(lit.value)
    if dt == "boolean":
        return lit.value in ("true", "1")
    return lit.value


def _label(idx: _Index, s: str) -> str:
    for p in (SKOS + "prefLabel", RDFS_LABEL):
        for lit in idx.objects(s, p):
            if getattr(lit, "language", None) in ("en", None):
                return lit.value
    local = s.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return local.replace("-", " ")


def _skg_type(types: set[str]) -> str:
    """The most specific class of the project's ontology among `types`."""
    names = [t[len(SKG):] for t in types if t.startswith(SKG) and t[len(SKG):] in schema.CLASSES]
    if not names:
        return "Concept"
    return max(sorted(names), key=lambda n: len(schema.ancestors(n)))


def _category(type_name: str) -> str:
    for ancestor in schema.ancestors(type_name) if type_name in schema.CLASSES else ():
        if ancestor in _CATEGORY_OF_CLASS:
            return _CATEGORY_OF_CLASS[ancestor]
    return "concept"


# --- statements -> edges ---------------------------------------------------------------------------

def flatten(quads: Iterable) -> FlatGraph:
    """Turn the dataset's quads (all graphs, read as their union) into nodes and readable edges."""
    idx = _Index(quads)
    edges: list[Edge] = []
    for cls in STATEMENT_CLASSES:
        for st in idx.subjects_of_type(SKG + cls):
            edges.extend(_STATEMENT_EDGES[cls](idx, st))
    edges = _dedupe(edges)
    node_ids = {e.source for e in edges} | {e.target for e in edges}
    for cls in ("Indication", "AdverseEffectAssociation", "Prerequisite"):
        for st in idx.subjects_of_type(SKG + cls):  # a therapy with no target still shows
            node_ids.update(idx.iris(st, SKG + "therapy"))
    edges.extend(_broader_edges(idx, node_ids))
    definitions = {}  # a document's definition of a term, when the terminology gives none
    for d in idx.subjects_of_type(SKG + "Definition"):
        for term in idx.iris(d, SKG + "defines"):
            definitions.setdefault(term, idx.value(d, SKG + "definitionText") or "")
    nodes = {n: _node(idx, n, definitions) for n in sorted(node_ids)}
    _mark_prior_treatments(nodes, edges)
    edges.sort(key=lambda e: (list(PREDICATES).index(e.predicate), nodes[e.source].label.lower(),
                              nodes[e.target].label.lower(), e.statement))
    return FlatGraph(nodes, edges, _sources(idx))


def _dedupe(edges: list[Edge]) -> list[Edge]:
    """One edge per (statement, predicate, source, target): a criterion linked twice is shown once."""
    out: dict[tuple, Edge] = {}
    for e in edges:
        out.setdefault((e.source, e.predicate, e.target, e.statement), e)
    return list(out.values())


def _edge(idx: _Index, st: str, predicate: str, source: str, target: str, type_: str, attrs: dict,
          summary: str = "") -> Edge:
    digest = hashlib.sha256(f"{st}|{predicate}|{source}|{target}".encode()).hexdigest()[:16]
    attrs = {k: v for k, v in attrs.items() if v not in (None, "", [], ())}
    return Edge(f"{predicate}-{digest}", source, target, predicate, st, type_,
                _statement_label(idx, st), summary, attrs, _evidence(idx, st))


def _statement_label(idx: _Index, st: str) -> str:
    for lit in idx.objects(st, RDFS_LABEL):
        return lit.value
    return ""


def _evidence(idx: _Index, st: str) -> tuple[Quote, ...]:
    quotes = []
    for ev in idx.iris(st, SKG + "hasEvidence") + idx.iris(st, PROV_DERIVED):
        quote = idx.value(ev, SKG + "quote")
        if quote is None:
            continue
        quotes.append(Quote(
            quote=quote, source=(idx.iris(ev, SKG + "quotedFrom") or [""])[0],
            start=idx.value(ev, SKG + "startOffset"), end=idx.value(ev, SKG + "endOffset"),
            section=idx.value(ev, SKG + "section"), negated=bool(idx.value(ev, SKG + "negated")),
            hedged=bool(idx.value(ev, SKG + "hedged"))))
    return tuple(sorted(quotes, key=lambda q: (q.source, q.start or 0, q.end or 0, q.quote)))


def _labels(idx: _Index, iris: list[str]) -> list[str]:
    return [_label(idx, i) for i in iris]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _indication(idx: _Index, st: str):
    therapies = idx.iris(st, SKG + "therapy")
    conditions = idx.iris(st, SKG + "condition")
    after = idx.iris(st, SKG + "afterFailureOf")
    combined = idx.iris(st, SKG + "combinedWith")
    criteria = idx.iris(st, SKG + "hasCriterion")
    durations = [_statement_label(idx, d) for d in idx.iris(st, SKG + "hasDuration")]
    intent = [_local(i).replace("Intent", "").lower() for i in idx.iris(st, SKG + "intent")]
    strength = [schema.INDIVIDUALS.get(_local(i), ("", _local(i)))[1]
                for i in idx.iris(st, SKG + "recommendationStrength")]
    attrs = {
        "conditions": _labels(idx, conditions), "after": _labels(idx, after),
        "combined_with": _labels(idx, combined), "criteria": _labels(idx, criteria),
        "duration": ", ".join(d for d in durations if d), "intent": ", ".join(intent),
        "strength": ", ".join(strength),
    }
    parts = []
    if attrs["conditions"]:
        parts.append("for " + ", ".join(attrs["conditions"]))
    if attrs["after"]:
        parts.append("after failure of " + ", ".join(attrs["after"]))
    if attrs["combined_with"]:
        parts.append("with " + ", ".join(attrs["combined_with"]) +
                     (f" ({attrs['duration']})" if attrs["duration"] else ""))
    if attrs["criteria"]:
        parts.append("when " + "; ".join(attrs["criteria"]))
    if attrs["strength"]:
        parts.append(attrs["strength"])
    summary = "; ".join(parts)
    for therapy in therapies:
        # a criterion that names its therapy is drawn from its own statement, with its own quote
        own = [c for c in criteria if therapy not in idx.iris(c, SKG + "therapy")]
        for target, pred in ([(c, "indicated_for") for c in conditions] + [(a, "indicated_after") for a in after]
                             + [(c, "combined_with") for c in combined] + [(c, "has_criterion") for c in own]):
            yield _edge(idx, st, pred, therapy, target, "Indication", attrs, summary)


def _adverse_effect(idx: _Index, st: str):
    comparator = _labels(idx, idx.iris(st, SKG + "comparator"))
    attrs = {
        "severity": ", ".join(map(str, idx.values(st, SKG + "severity"))),
        "timing": ", ".join(map(str, idx.values(st, SKG + "timing"))),
        "frequency": ", ".join(map(str, idx.values(st, SKG + "frequency"))),
        "odds_ratio": idx.value(st, SKG + "oddsRatio"),
        "comparator": ", ".join(comparator), "p_value": idx.value(st, SKG + "pValue"),
    }
    parts = [v for v in (attrs["severity"], attrs["timing"], attrs["frequency"]) if v]
    if attrs["odds_ratio"] is not None:
        parts.append(f"odds ratio {_num(attrs['odds_ratio'])}" + (f" vs {attrs['comparator']}" if comparator else ""))
    if attrs["p_value"]:
        parts.append(f"p {attrs['p_value']}" if attrs["p_value"][0] in "<>=" else f"p = {attrs['p_value']}")
    for therapy in idx.iris(st, SKG + "therapy"):
        for effect in idx.iris(st, SKG + "adverseEffect"):
            yield _edge(idx, st, "has_adverse_effect", therapy, effect, "AdverseEffectAssociation", attrs,
                        "; ".join(parts))


def _outcome(idx: _Index, st: str):
    v = {k: idx.value(st, SKG + k) for k in ("value", "valueMax", "unit", "ciLower", "ciUpper", "ciLevel",
                                             "timePoint", "cohortSize", "significant", "pValue")}
    comparator = _labels(idx, idx.iris(st, SKG + "comparator"))
    attrs = {"value": v["value"], "value_max": v["valueMax"], "unit": v["unit"], "ci_lower": v["ciLower"],
             "ci_upper": v["ciUpper"], "ci_level": v["ciLevel"], "time_point": v["timePoint"],
             "cohort_size": v["cohortSize"], "significant": v["significant"], "p_value": v["pValue"],
             "comparator": ", ".join(comparator)}
    parts = []
    if v["value"] is not None:
        value = _num(v["value"]) + (f"-{_num(v['valueMax'])}" if v["valueMax"] is not None else "")
        parts.append(value + (f" {v['unit']}" if v["unit"] else ""))
    if v["ciLower"] is not None and v["ciUpper"] is not None:
        level = f"{_num(v['ciLevel'])}% " if v["ciLevel"] is not None else ""
        parts.append(f"({level}CI {_num(v['ciLower'])}-{_num(v['ciUpper'])})")
    if v["timePoint"]:
        parts.append(f"at {v['timePoint']}")
    if v["cohortSize"] is not None:
        parts.append(f"n = {v['cohortSize']}")
    if comparator:
        parts.append("vs " + ", ".join(comparator))
    if v["significant"] is not None:
        parts.append("significant" if v["significant"] else "not significant")
    if v["pValue"]:
        parts.append(f"p {v['pValue']}")
    for arm in idx.iris(st, SKG + "arm"):
        for measure in idx.iris(st, SKG + "measure"):
            yield _edge(idx, st, "has_outcome", arm, measure, "Outcome", attrs, " ".join(parts))


def _prerequisite(idx: _Index, st: str):
    negated = bool(idx.value(st, SKG + "negated"))
    pred = "not_solely_based_on" if negated else "requires"
    for therapy in idx.iris(st, SKG + "therapy"):
        for req in idx.iris(st, SKG + "requirement"):
            yield _edge(idx, st, pred, therapy, req, "Prerequisite", {"negated": negated},
                        _statement_label(idx, st))


def _criterion(idx: _Index, st: str):
    attrs = {"comparator_symbol": idx.value(st, SKG + "comparatorSymbol"), "value": idx.value(st, SKG + "value"),
             "value_max": idx.value(st, SKG + "valueMax"), "unit": idx.value(st, SKG + "unit"),
             "negated": bool(idx.value(st, SKG + "negated"))}
    label = _statement_label(idx, st)
    for therapy in idx.iris(st, SKG + "therapy"):
        yield _edge(idx, st, "has_criterion", therapy, st, "Criterion", attrs, label)
    for parameter in idx.iris(st, SKG + "parameter"):
        yield _edge(idx, st, "criterion_on", st, parameter, "Criterion", attrs, label)


def _definition(idx: _Index, st: str):
    text = idx.value(st, SKG + "definitionText") or ""
    for term in idx.iris(st, SKG + "defines"):
        for other in idx.iris(st, SKG + "contrastedWith"):
            yield _edge(idx, st, "contrasted_with", term, other, "Definition", {"definition": text}, text)


_STATEMENT_EDGES = {"Indication": _indication, "AdverseEffectAssociation": _adverse_effect, "Outcome": _outcome,
                    "Prerequisite": _prerequisite, "Criterion": _criterion, "Definition": _definition}


def _num(x) -> str:
    return format(x, "g") if isinstance(x, float) else str(x)


def _broader_edges(idx: _Index, node_ids: set[str]):
    """skos:broader between concepts already shown: brachytherapy is a kind of radiotherapy."""
    for n in sorted(node_ids):
        for parent in idx.iris(n, SKOS + "broader"):
            if parent in node_ids and parent != n:
                digest = hashlib.sha256(f"{n}|kind_of|{parent}".encode()).hexdigest()[:16]
                yield Edge(f"kind_of-{digest}", n, parent, "kind_of", "", "skos:broader",
                           evidence=_evidence(idx, n))


def _node(idx: _Index, iri: str, definitions: dict[str, str]) -> Node:
    type_ = _skg_type(idx.types(iri))
    if type_ == "Concept" and iri.startswith(schema.STATEMENT_NS + "criterion-"):
        type_ = "Criterion"  # linked from an indication without triples of its own
    attrs = {
        "synonyms": sorted({lit.value for lit in idx.objects(iri, SKOS + "altLabel")}),
        "xrefs": idx.iris(iri, SKOS + "exactMatch"),
        "definition": idx.value(iri, SKOS + "definition") or "",
        "provisional": bool(idx.value(iri, SKG + "provisional")),
    }
    if not attrs["definition"] and iri in definitions:
        attrs["definition"] = definitions[iri]
    return Node(iri, _label(idx, iri), type_, _category(type_), attrs)


def _mark_prior_treatments(nodes: dict[str, Node], edges: list[Edge]) -> None:
    """A therapy met more often as the treatment that failed than as the one given is drawn apart.

    Radiotherapy, say, fails before salvage prostatectomy in many statements and is itself the salvage
    option after prostatectomy in a few: it joins the prior treatments, so the picture reads
    "radiotherapy failed -> these options". Its `type` still says what it is.
    """
    failed: dict[str, set] = defaultdict(set)
    given: dict[str, set] = defaultdict(set)
    for e in edges:
        if e.predicate == "indicated_after":
            failed[e.target].add(e.statement)
        if e.predicate not in ("kind_of", "contrasted_with", "criterion_on"):
            given[e.source].add(e.statement)
    for n, statements in failed.items():
        if nodes[n].category in ("therapy", "approach") and len(statements) > len(given[n]):
            nodes[n].category = "prior"


def _sources(idx: _Index) -> dict[str, Source]:
    out = {}
    for s in idx.subjects_of_type(SKG + "SourceDocument"):
        out[s] = Source(
            id=s, title=idx.value(s, DCTERMS + "title") or _label(idx, s),
            kind=idx.value(s, SKG + "documentKind") or "", publisher=idx.value(s, DCTERMS + "publisher") or "",
            references=tuple(sorted(str(v) for v in idx.values(s, SKG + "reference"))),
            reliability=idx.value(s, SKG + "reliabilityTier"), path=idx.value(s, DCTERMS + "identifier") or "",
            sha256=idx.value(s, SKG + "sha256") or "")
    return out


__all__ = ["flatten", "FlatGraph", "Node", "Edge", "Quote", "Source", "PREDICATES", "CATEGORIES", "edge_record"]
