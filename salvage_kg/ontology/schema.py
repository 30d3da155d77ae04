"""The schema of salvage-kg: every class, property and named individual, declared once.

This table is the single home of the model's names. `owl.py` turns it into the OWL 2 ontology with
owlready2 (adding disjointness and alignments), the graph layer writes only terms declared here
(`SKG.Foo` raises for an undeclared name, like rdflib's closed namespaces), and the SHACL shapes
refer to the same names. Kept free of heavy imports: the query path reads it.
"""
from __future__ import annotations

from functools import lru_cache

BASE = "https://w3id.org/salvage-kg/"
ONTOLOGY_IRI = BASE + "ontology"
SKG_NS = BASE + "ontology#"
CONCEPT_NS = BASE + "concept/"
STATEMENT_NS = BASE + "statement/"
EVIDENCE_NS = BASE + "evidence/"
SOURCE_NS = BASE + "source/"
GRAPH_NS = BASE + "graph/"

PREFIXES = {
    "skg": SKG_NS,
    "skc": CONCEPT_NS,
    "sks": STATEMENT_NS,
    "ske": EVIDENCE_NS,
    "src": SOURCE_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "sh": "http://www.w3.org/ns/shacl#",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "ncit": "http://purl.obolibrary.org/obo/NCIT_",
    "mondo": "http://purl.obolibrary.org/obo/MONDO_",
    "hp": "http://purl.obolibrary.org/obo/HP_",
    "maxo": "http://purl.obolibrary.org/obo/MAXO_",
    "chebi": "http://purl.obolibrary.org/obo/CHEBI_",
    "snomedct": "http://snomed.info/id/",
    "umls": "http://identifiers.org/umls/",
}

# class name -> (parent class or None, label, definition, alignment CURIEs (equivalent or broader))
CLASSES: dict[str, tuple[str | None, str, str, tuple[str, ...]]] = {
    # --- terminology concept types -------------------------------------------------------------
    "Concept": (None, "concept", "A term of the salvage-therapy terminology.", ("skos:Concept",)),
    "Condition": ("Concept", "condition", "A disease or disease state a therapy is applied to.",
                  ("schema:MedicalCondition",)),
    "Neoplasm": ("Condition", "neoplasm", "A cancer or other tumour.", ()),
    "InfectiousDisease": ("Condition", "infectious disease", "A disease caused by a pathogen.", ()),
    "DiseaseState": ("Condition", "disease state",
                     "A stage or course of a disease, such as biochemical recurrence or relapse.", ()),
    "Therapy": ("Concept", "therapy", "A treatment or therapeutic approach.", ("schema:MedicalTherapy",)),
    "Surgery": ("Therapy", "surgery", "A surgical procedure.", ()),
    "Radiotherapy": ("Therapy", "radiotherapy", "Treatment with ionising radiation, any technique.", ()),
    "Ablation": ("Therapy", "ablation", "Destruction of tissue by heat, cold or other energy.", ()),
    "FocalTherapy": ("Therapy", "focal therapy", "Treatment of only the area of disease in an organ.", ()),
    "SystemicTherapy": ("Therapy", "systemic therapy", "Treatment that reaches the whole body.", ()),
    "HormoneTherapy": ("SystemicTherapy", "hormone therapy", "Treatment that blocks or lowers hormones.", ()),
    "Chemotherapy": ("SystemicTherapy", "chemotherapy", "Cytotoxic drug treatment or regimen.", ()),
    "AntiretroviralTherapy": ("SystemicTherapy", "antiretroviral therapy",
                              "Treatment with drugs against retroviruses such as HIV.", ()),
    "AntimicrobialTherapy": ("SystemicTherapy", "antimicrobial therapy",
                             "Treatment with antibacterial or antifungal drugs.", ()),
    "AntibodyTherapy": ("SystemicTherapy", "antibody therapy", "Treatment with monoclonal antibodies.", ()),
    "TargetedTherapy": ("SystemicTherapy", "targeted therapy",
                        "Treatment with drugs aimed at molecular targets, e.g. kinase inhibitors.", ()),
    "Immunotherapy": ("SystemicTherapy", "immunotherapy", "Treatment that acts through the immune system.", ()),
    "Transplantation": ("Therapy", "transplantation", "Transplantation of cells or organs.", ()),
    "SupportiveTherapy": ("Therapy", "supportive therapy",
                          "Treatment of symptoms or side effects rather than the disease.", ()),
    "TherapeuticApproach": ("Therapy", "therapeutic approach",
                            "A role a treatment plays, such as salvage, adjuvant or palliative therapy.", ()),
    "DiagnosticProcedure": ("Concept", "diagnostic procedure", "A test, scan or biopsy.",
                            ("schema:MedicalProcedure",)),
    "Imaging": ("DiagnosticProcedure", "imaging", "A medical imaging procedure.", ()),
    "Biopsy": ("DiagnosticProcedure", "biopsy", "Removal of tissue for examination.", ()),
    "LaboratoryTest": ("DiagnosticProcedure", "laboratory test", "A test on blood or other samples.", ()),
    "Biomarker": ("Concept", "biomarker", "A measurable indicator of disease, such as PSA.", ()),
    "ClinicalParameter": ("Concept", "clinical parameter",
                          "A patient or disease characteristic used in selection, e.g. life expectancy.", ()),
    "AdverseEffect": ("Concept", "adverse effect", "A complication or side effect of a therapy.",
                      ("biolink:DiseaseOrPhenotypicFeature",)),
    "OutcomeMeasure": ("Concept", "outcome measure", "What a study measures, e.g. overall survival.", ()),
    # --- documents and provenance --------------------------------------------------------------
    "SourceDocument": (None, "source document", "A document statements were extracted from.",
                       ("prov:Entity", "schema:CreativeWork")),
    "Evidence": (None, "evidence", "An exact quote from a source document, with its character span.",
                 ("prov:Entity",)),
    "Citation": ("Statement", "citation", "A bibliographic reference given by a document.", ()),
    "Study": (None, "study", "A clinical study that reported outcomes.", ("schema:MedicalStudy",)),
    # --- n-ary statements ----------------------------------------------------------------------
    "Statement": (None, "statement", "A qualified clinical claim supported by evidence.", ()),
    "Indication": ("Statement", "indication",
                   "A therapy applies to a condition, possibly after a failed prior treatment.",
                   ("schema:MedicalIndication",)),
    "Criterion": ("Statement", "criterion",
                  "A selection criterion or threshold such as PSA >= 0.7 ng/mL.", ()),
    "Duration": ("Statement", "duration", "How long a therapy is given.", ()),
    "AdverseEffectAssociation": ("Statement", "adverse effect association",
                                 "A therapy carries a complication or side effect.", ()),
    "Outcome": ("Statement", "outcome", "A reported result for a therapy arm.", ()),
    "Prerequisite": ("Statement", "prerequisite",
                     "Something required before a therapy, or that a decision must not rest on alone.", ()),
    "Definition": ("Statement", "definition", "A document's definition of a term.", ()),
    # --- value sets ----------------------------------------------------------------------------
    "Intent": (None, "intent", "The aim of a therapy: curative or palliative.", ()),
    "RecommendationStrength": (None, "recommendation strength",
                               "How strongly a document recommends a therapy.", ()),
}

# Synonyms of the model's own terms (the terminology's concepts have theirs in terminology.yaml).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "Condition": ("disease",), "Neoplasm": ("tumour", "tumor", "cancer"), "InfectiousDisease": ("infection",),
    "Therapy": ("treatment",), "Surgery": ("operation", "surgical procedure"),
    "Radiotherapy": ("radiation therapy",), "HormoneTherapy": ("hormonal therapy", "endocrine therapy"),
    "Transplantation": ("transplant",), "SupportiveTherapy": ("supportive care",),
    "AdverseEffect": ("side effect", "complication", "adverse event"), "OutcomeMeasure": ("endpoint",),
    "Criterion": ("selection criterion", "threshold"), "Prerequisite": ("requirement",),
    "Indication": ("use", "application"), "Evidence": ("quote", "supporting text"),
}

# Sibling groups whose members share no instances; the reasoner then catches a therapy used as a
# condition, a quote used as a concept, and the like.
DISJOINT = (
    ("Condition", "Therapy", "DiagnosticProcedure", "Biomarker", "ClinicalParameter", "AdverseEffect",
     "OutcomeMeasure"),
    ("Concept", "SourceDocument", "Evidence", "Study", "Statement", "Intent", "RecommendationStrength"),
    ("Indication", "Criterion", "Duration", "AdverseEffectAssociation", "Outcome", "Prerequisite",
     "Definition", "Citation"),
)

# property name -> (domain or None for any, range, label, alignment CURIEs (super-properties), functional)
OBJECT_PROPERTIES: dict[str, tuple[str, str, str, tuple[str, ...], bool]] = {
    "therapy": ("Statement", "Therapy", "therapy", (), False),
    "condition": ("Indication", "Condition", "condition",
                  ("biolink:treats_or_applied_or_studied_to_treat",), False),
    "afterFailureOf": ("Indication", "Therapy", "after failure of", (), False),
    "combinedWith": ("Indication", "Therapy", "combined with", (), False),
    "intent": ("Statement", "Intent", "intent", (), True),
    "recommendationStrength": ("Indication", "RecommendationStrength", "recommendation strength", (), True),
    "hasCriterion": ("Indication", "Criterion", "has criterion", (), False),
    "hasDuration": ("Indication", "Duration", "has duration", (), True),
    "parameter": ("Criterion", "Concept", "parameter", (), True),
    "adverseEffect": ("AdverseEffectAssociation", "AdverseEffect", "adverse effect",
                      ("biolink:has_adverse_event", "schema:adverseOutcome"), True),
    "comparator": ("Statement", "Therapy", "comparator", (), True),
    "arm": ("Outcome", "Therapy", "arm", (), True),
    "measure": ("Outcome", "OutcomeMeasure", "measure", (), True),
    "requirement": ("Prerequisite", "Concept", "requirement", (), True),
    "defines": ("Definition", "Concept", "defines", (), True),
    "contrastedWith": ("Definition", "Concept", "contrasted with", (), False),
    "hasEvidence": ("Statement", "Evidence", "has evidence", ("prov:wasDerivedFrom",), False),
    "quotedFrom": ("Evidence", "SourceDocument", "quoted from", ("prov:wasQuotedFrom",), True),
    # derived by the build: per source document, the statement's evidence whose quote sorts first
    "firstEvidence": ("Statement", "Evidence", "first evidence of each source", (), False),
    "cites": ("SourceDocument", "Citation", "cites", ("dcterms:references",), False),
}

# property name -> (domain or None for any, XSD datatype, label, alignment CURIEs, functional)
DATA_PROPERTIES: dict[str, tuple[str | None, str, str, tuple[str, ...], bool]] = {
    "comparatorSymbol": ("Criterion", "xsd:string", "comparator symbol", (), True),
    "value": ("Statement", "xsd:decimal", "value", (), True),
    "valueMax": ("Statement", "xsd:decimal", "upper value", (), True),
    "unit": ("Statement", "xsd:string", "unit (UCUM code)", (), True),
    "negated": (None, "xsd:boolean", "negated", (), True),
    "severity": ("AdverseEffectAssociation", "xsd:string", "severity", (), False),
    "timing": ("AdverseEffectAssociation", "xsd:string", "timing", (), False),
    "frequency": ("AdverseEffectAssociation", "xsd:string", "frequency", (), False),
    "oddsRatio": ("AdverseEffectAssociation", "xsd:decimal", "odds ratio", (), True),
    "pValue": ("Statement", "xsd:string", "p-value", (), True),
    "ciLower": ("Outcome", "xsd:decimal", "confidence interval lower bound", (), True),
    "ciUpper": ("Outcome", "xsd:decimal", "confidence interval upper bound", (), True),
    "ciLevel": ("Outcome", "xsd:decimal", "confidence level (%)", (), True),
    "timePoint": ("Outcome", "xsd:string", "time point", (), True),
    "cohortSize": ("Outcome", "xsd:integer", "cohort size", (), True),
    "significant": ("Outcome", "xsd:boolean", "statistically significant", (), True),
    "definitionText": ("Definition", "xsd:string", "definition text", (), True),
    "quote": ("Evidence", "xsd:string", "quote", ("prov:value",), True),
    "startOffset": ("Evidence", "xsd:integer", "start offset", (), True),
    "endOffset": ("Evidence", "xsd:integer", "end offset", (), True),
    "section": ("Evidence", "xsd:string", "section heading", (), True),
    "hedged": ("Evidence", "xsd:boolean", "hedged", (), True),
    "sourceCount": ("Statement", "xsd:integer", "number of source documents quoted as its evidence", (), True),
    # derived by the build: true on a statement whose evidence quotes two or more documents
    "corroborated": ("Statement", "xsd:boolean", "corroborated (quoted from two or more documents)", (), True),
    "documentKind": ("SourceDocument", "xsd:string", "document kind", (), True),
    "reliabilityTier": ("SourceDocument", "xsd:integer", "reliability tier (1 highest)", (), True),
    "sha256": ("SourceDocument", "xsd:string", "SHA-256 checksum", (), True),
    "reference": ("SourceDocument", "xsd:anyURI", "reference (DOI or URL)", (), False),
    "statementCount": ("SourceDocument", "xsd:integer", "number of statements it supports", (), True),
    "doi": ("Citation", "xsd:string", "DOI", (), True),
    "provisional": ("Concept", "xsd:boolean", "provisional (found in text, not in the terminology)", (), True),
    # derived by the build: the least skos:prefLabel as plain text, the label the named queries show
    "displayLabel": ("Concept", "xsd:string", "display label", (), True),
}

# individual name -> (class, label)
INDIVIDUALS: dict[str, tuple[str, str]] = {
    "CurativeIntent": ("Intent", "curative"),
    "PalliativeIntent": ("Intent", "palliative"),
    "Recommended": ("RecommendationStrength", "recommended (should be offered)"),
    "MayBeConsidered": ("RecommendationStrength", "may be considered"),
    "Investigational": ("RecommendationStrength", "investigational"),
    "NotRecommended": ("RecommendationStrength", "not recommended"),
}

INTENTS = {"curative": "CurativeIntent", "palliative": "PalliativeIntent"}
STRENGTHS = {
    "recommended": "Recommended",
    "may-be-considered": "MayBeConsidered",
    "investigational": "Investigational",
    "not-recommended": "NotRecommended",
}

ALL_TERMS = frozenset(CLASSES) | frozenset(OBJECT_PROPERTIES) | frozenset(DATA_PROPERTIES) | frozenset(INDIVIDUALS)

def ancestors(name: str) -> list[str]:
    """The class itself and its ancestors, nearest first."""
    return list(_ancestors(name))


@lru_cache(maxsize=None)
def _ancestors(name: str) -> tuple[str, ...]:
    out = []
    while name:
        out.append(name)
        name = CLASSES[name][0]
    return tuple(out)


CONCEPT_TYPES = frozenset(n for n in CLASSES if "Concept" in ancestors(n))


def expand(curie: str) -> str:
    """Expand a CURIE with the project's prefixes; a full IRI is returned unchanged."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie
