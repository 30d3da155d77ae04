"""KGX TSV: `<name>_nodes.tsv` and `<name>_edges.tsv` with Biolink categories and predicates.

Column conventions follow KGX's TSV sink: core columns first (nodes: id, category, name, description,
xref, provided_by, synonym; edges: id, subject, predicate, object, category), the rest sorted; lists
joined with "|" (a "|" inside a quote becomes "/"). Each edge keeps the project's own relation in
`original_predicate` and the n-ary statement it comes from in `statement`.
"""
from __future__ import annotations

from pathlib import Path

from ...ontology import schema
from ..flatten import PREDICATES
from .tables import curie, cell, write_rows

NAME = "salvage-kg"
INFORES = "infores:salvage-kg"
NODE_CORE = ["id", "category", "name", "description", "xref", "provided_by", "synonym"]
EDGE_CORE = ["id", "subject", "predicate", "object", "category"]
# ontology class -> Biolink category (nearest ancestor wins)
BIOLINK_CATEGORIES = {
    "Therapy": "biolink:Treatment",
    "Neoplasm": "biolink:Disease",
    "InfectiousDisease": "biolink:Disease",
    "Condition": "biolink:DiseaseOrPhenotypicFeature",
    "AdverseEffect": "biolink:DiseaseOrPhenotypicFeature",
    "DiagnosticProcedure": "biolink:Procedure",
    "Biomarker": "biolink:ClinicalAttribute",
    "ClinicalParameter": "biolink:ClinicalAttribute",
    "OutcomeMeasure": "biolink:ClinicalAttribute",
    "Criterion": "biolink:ClinicalAttribute",
}
EDGE_CATEGORIES = {"has_adverse_effect": "biolink:ChemicalOrDrugOrTreatmentAdverseEventAssociation"}


def biolink_category(type_name: str) -> str:
    for ancestor in schema.ancestors(type_name) if type_name in schema.CLASSES else ():
        if ancestor in BIOLINK_CATEGORIES:
            return BIOLINK_CATEGORIES[ancestor]
    return "biolink:NamedThing"


def _list(values) -> str:
    return "|".join(cell(v).replace("|", "/") for v in values if cell(v))


def node_rows(flat) -> tuple[list[str], list[list[str]]]:
    extra = ["iri", "skg_category", "skg_type"]
    rows = []
    for n in flat.nodes.values():
        rec = {"id": curie(n.id), "category": biolink_category(n.type), "name": n.label,
               "description": n.attrs.get("definition", ""), "xref": _list(curie(x) for x in n.attrs.get("xrefs", ())),
               "provided_by": INFORES, "synonym": _list(n.attrs.get("synonyms", ())), "iri": n.id,
               "skg_category": n.category, "skg_type": n.type}
        rows.append([cell(rec[c]) for c in NODE_CORE + extra])
    return NODE_CORE + extra, rows


def edge_rows(flat) -> tuple[list[str], list[list[str]]]:
    qualifiers = sorted({k for e in flat.edges for k in e.attrs})
    extra = sorted({"agent_type", "knowledge_level", "original_predicate", "primary_knowledge_source",
                    "publications", "statement", "statement_type", "summary", "quotes", "sources", "label"}
                   | set(qualifiers))
    rows = []
    for e in flat.edges:
        refs = [r for s in e.sources if s in flat.sources for r in flat.sources[s].references]
        rec = {"id": e.id, "subject": curie(e.source), "predicate": PREDICATES[e.predicate].biolink,
               "object": curie(e.target), "category": EDGE_CATEGORIES.get(e.predicate, "biolink:Association"),
               "agent_type": "manual_agent" if e.predicate == "kind_of" else "text_mining_agent",
               "knowledge_level": "knowledge_assertion", "original_predicate": PREDICATES[e.predicate].rdf,
               "primary_knowledge_source": INFORES, "publications": _list(sorted({curie(r) for r in refs})),
               "statement": curie(e.statement) if e.statement else "", "statement_type": e.statement_type,
               "summary": e.summary, "quotes": _list(e.quotes), "sources": _list(curie(s) for s in e.sources),
               "label": e.label}
        for k in qualifiers:
            v = e.attrs.get(k)
            rec[k] = _list(v) if isinstance(v, (list, tuple)) else v
        rows.append([cell(rec.get(c)) for c in EDGE_CORE + extra])
    return EDGE_CORE + extra, rows


def write_kgx(dataset, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    header, rows = node_rows(dataset.flat)
    write_rows(out / f"{NAME}_nodes.tsv", header, rows, "\t")
    header, rows = edge_rows(dataset.flat)
    write_rows(out / f"{NAME}_edges.tsv", header, rows, "\t")
    return out
