"""Validation: the writer's output passes SHACL and the reasoner; broken graphs fail with the expected message."""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import replace

import pytest
from pyoxigraph import Literal, NamedNode, Quad
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from salvage_kg import assertions as a
from salvage_kg.cli import main
from salvage_kg.errors import InvalidGraphError
from salvage_kg.graph.rdf import ONTOLOGY_GRAPH, dataset_quads
from salvage_kg.graph.store import write_quads
from salvage_kg.ontology import owl, schema
from salvage_kg.validate import (Violation, check_quads, curie, explain_inconsistency, union_triples,
                                 validate_file, validate_quads)
from stand_in import Term as Concept, Terminology

SKG = schema.SKG_NS
RDF_TYPE = NamedNode(schema.PREFIXES["rdf"] + "type")


# --- a tiny corpus: one document, a stand-in terminology, one statement of each kind -----------






TERMINOLOGY = Terminology({
    "radiotherapy": Concept("Radiotherapy", "radiotherapy", ("radiation therapy",), ("RT",), xrefs=("mesh:D011878",),
                            definition="Treatment with ionising radiation."),
    "salvage-radiotherapy": Concept("Radiotherapy", "salvage radiotherapy", broader=("radiotherapy",)),
    "radical-prostatectomy": Concept("Surgery", "radical prostatectomy"),
    "hormone-therapy": Concept("HormoneTherapy", "hormone therapy", abbreviations=("HT",)),
    "prostate-cancer": Concept("Neoplasm", "prostate cancer"),
    "rising-psa": Concept("DiseaseState", "rising PSA"),
    "psa": Concept("Biomarker", "PSA"),
    "leakage": Concept("AdverseEffect", "urine leakage"),
    "survival": Concept("OutcomeMeasure", "survival"),
    "tissue-sample": Concept("Biopsy", "tissue sample"),
})

TEXT = ("Second-line radiotherapy to the pelvis suits patients whose gland was removed earlier, once PSA "
        "exceeds 0.3 ng/mL. Pairing it with hormone therapy for 4 months helped survival. Some men reported "
        "urine leakage. Take a tissue sample before starting. Rescue treatment is what follows a failed "
        "first attempt. Jones 2019.")


def ev(phrase: str, doc: str = "note") -> a.Evidence:
    start = TEXT.index(phrase)
    return a.Evidence(doc, start, start + len(phrase), phrase)


DOCUMENT = a.Document("note", "note.txt", TEXT, hashlib.sha256(TEXT.encode()).hexdigest(), "A made-up note",
                      "clinical-summary")
CRITERION = a.Criterion(therapy="salvage-radiotherapy", parameter="psa", comparator=">", value=0.3, unit="ng/mL",
                        label="PSA > 0.3 ng/mL", evidence=(ev("PSA exceeds 0.3 ng/mL"),))
DURATION = a.Duration(therapy="hormone-therapy", value=4, unit="mo", label="4 months", evidence=(ev("for 4 months"),))
INDICATION = a.Indication(therapy="salvage-radiotherapy", conditions=("prostate-cancer",),
                          after=("radical-prostatectomy",), intent="curative", strength="recommended",
                          criteria=(CRITERION,), evidence=(ev("Second-line radiotherapy to the pelvis"),))
STATEMENTS = (
    INDICATION,
    CRITERION,
    a.Indication(therapy="salvage-radiotherapy", conditions=("rising-psa",), combined_with=("hormone-therapy",),
                 duration=DURATION, evidence=(ev("Pairing it with hormone therapy for 4 months"),)),
    DURATION,
    a.AdverseEffect(therapy="salvage-radiotherapy", effect="leakage", frequency="some",
                    evidence=(ev("Some men reported urine leakage"),)),
    a.Outcome(arm="hormone-therapy", measure="survival", significant=True, evidence=(ev("helped survival"),)),
    a.Prerequisite(therapy="salvage-radiotherapy", requirement="tissue-sample", label="tissue sample first",
                   evidence=(ev("Take a tissue sample before starting"),)),
    a.Definition(term="rescue-treatment", text="what follows a failed first attempt",
                 evidence=(ev("Rescue treatment is what follows a failed first attempt"),)),
    a.ConceptDeclaration(concept="rescue-treatment", type="TherapeuticApproach", label="rescue treatment",
                         evidence=(ev("Rescue treatment"),)),
    a.Citation(text="Jones 2019", doi="10.1000/abc123", evidence=(ev("Jones 2019"),)),
)


def build(statements=STATEMENTS, document=DOCUMENT) -> list[Quad]:
    return dataset_quads([document], a.merge(statements), TERMINOLOGY, owl.ontology_triples())


@pytest.fixture(scope="module")
def quads():
    return build()


def node(kind: str, quads) -> NamedNode:
    """The (first) node typed with skg:<kind>."""
    return sorted({q.subject for q in quads if q.predicate == RDF_TYPE and q.object == NamedNode(SKG + kind)},
                  key=str)[0]


def without(quads, subject, predicate: str):
    return [q for q in quads if not (q.subject == subject and q.predicate == NamedNode(predicate))]


def find(report, focus: str, path: str) -> list[Violation]:
    return [v for v in report.violations if v.focus == focus and v.path == path]


# --- SHACL ---------------------------------------------------------------------------------------


def test_writer_output_conforms_to_the_shapes(quads):
    report = validate_quads(quads, reasoner=False)
    assert report.violations == []
    assert report.conforms
    assert report.reasoner == "not run"


def test_dataset_without_its_ontology_graph_is_checked_against_the_current_model(quads):
    data = [q for q in quads if q.graph_name != ONTOLOGY_GRAPH]
    assert len(union_triples(data)) == len(union_triples(quads))
    assert validate_quads(data, reasoner=False).conforms


def test_indication_without_therapy(quads):
    indication = node("Indication", quads)
    report = validate_quads(without(quads, indication, SKG + "therapy"), reasoner=False)
    [violation] = find(report, curie(indication.value), "skg:therapy")
    assert "exactly one skg:therapy" in violation.message and "[minCount]" in violation.message
    assert violation.source_shape == "shape:IndicationShape"
    assert not report.conforms


def test_indication_without_condition(quads):
    indication = node("Indication", quads)
    report = validate_quads(without(quads, indication, SKG + "condition"), reasoner=False)
    assert find(report, curie(indication.value), "skg:condition")


def test_evidence_without_quote(quads):
    evidence = node("Evidence", quads)
    report = validate_quads(without(quads, evidence, SKG + "quote"), reasoner=False)
    [violation] = find(report, curie(evidence.value), "skg:quote")
    assert "[minCount]" in violation.message and violation.source_shape == "shape:EvidenceShape"


def test_evidence_with_negative_offset_and_no_source(quads):
    evidence = node("Evidence", quads)
    broken = without(without(quads, evidence, SKG + "startOffset"), evidence, SKG + "quotedFrom")
    broken.append(Quad(evidence, NamedNode(SKG + "startOffset"), Literal("-1", datatype=NamedNode(
        schema.PREFIXES["xsd"] + "integer")), quads[0].graph_name))
    report = validate_quads(broken, reasoner=False)
    focus = curie(evidence.value)
    assert any("[minInclusive" in v.message for v in find(report, focus, "skg:startOffset"))
    assert find(report, focus, "skg:quotedFrom")


def test_statement_without_evidence(quads):
    outcome = node("Outcome", quads)
    report = validate_quads(without(quads, outcome, SKG + "hasEvidence"), reasoner=False)
    [violation] = find(report, curie(outcome.value), "skg:hasEvidence")
    assert violation.source_shape == "shape:StatementShape"


def test_criterion_with_a_bad_comparator():
    criterion = replace(CRITERION, comparator="=>")
    report = validate_quads(build((replace(INDICATION, criteria=(criterion,)), criterion)), reasoner=False)
    [violation] = [v for v in report.violations if v.path == "skg:comparatorSymbol"]
    assert '[in, value "=>"]' in violation.message
    assert violation.focus.startswith("sks:criterion-")


@pytest.mark.parametrize("change", [{"value": None}, {"comparator": "range", "value_max": None}])
def test_criterion_with_a_comparator_but_no_value(change):
    criterion = replace(CRITERION, **change)
    report = validate_quads(build((replace(INDICATION, criteria=(criterion,)), criterion)), reasoner=False)
    assert [v for v in report.violations if v.source_shape == "shape:CriterionShape" and "[or]" in v.message]


def test_range_criterion_with_both_bounds_conforms():
    criterion = replace(CRITERION, comparator="range", value=0.2, value_max=0.5)
    assert validate_quads(build((replace(INDICATION, criteria=(criterion,)), criterion)), reasoner=False).conforms


def test_therapy_slot_holding_a_condition_fails_sh_class():
    report = validate_quads(build((replace(INDICATION, therapy="prostate-cancer"),)), reasoner=False)
    assert any("[class, value skc:prostate-cancer]" in v.message for v in report.violations if v.path == "skg:therapy")


def test_concept_missing_from_the_terminology_fails():
    report = validate_quads(build((replace(INDICATION, conditions=("made-up-disease",)),)), reasoner=False)
    assert any("value skc:made-up-disease" in v.message for v in report.violations if v.path == "skg:condition")


def test_source_document_with_bad_checksum_and_kind():
    report = validate_quads(build(document=replace(DOCUMENT, sha256="abc", kind="blog")), reasoner=False)
    assert find(report, "src:note", "skg:sha256")
    assert any('value "blog"' in v.message for v in find(report, "src:note", "skg:documentKind"))


def test_a_second_preflabel_is_only_a_warning(quads):
    extra = Quad(NamedNode(schema.CONCEPT_NS + "psa"), NamedNode(schema.PREFIXES["skos"] + "prefLabel"),
                 Literal("prostate-specific antigen", language="en"), quads[0].graph_name)
    report = validate_quads(quads + [extra], reasoner=False)
    assert [v.severity for v in report.violations] == ["Warning"]
    assert report.conforms


def test_report_text_lists_violations_then_owl_then_summary(quads):
    indication = node("Indication", quads)
    lines = validate_quads(without(quads, indication, SKG + "therapy"), reasoner=False).text().splitlines()
    assert lines[0].startswith(f"Violation: {curie(indication.value)} skg:therapy: ")
    assert lines[-2] == "OWL: not checked"
    assert lines[-1].startswith("INVALID: 1 violation, 0 warnings")


def _shapes():
    from importlib.resources import files

    return Graph().parse(data=files("salvage_kg.ontology").joinpath("shapes.ttl").read_text("utf-8"), format="turtle")


def test_every_statement_type_evidence_and_source_has_a_shape():
    targets = {str(o).removeprefix(SKG) for o in _shapes().objects(None, SH.targetClass)}
    statement_types = {n for n in schema.CLASSES if "Statement" in schema.ancestors(n)}
    assert statement_types | {"Evidence", "SourceDocument"} <= targets


def test_shapes_allow_exactly_the_document_kinds_of_the_assertions():
    shapes = _shapes()
    [prop] = list(shapes.subjects(SH.path, URIRef(SKG + "documentKind")))
    kinds = {str(k) for k in Collection(shapes, shapes.value(prop, SH["in"]))}
    assert kinds == set(a.DOCUMENT_KINDS)


def test_every_term_the_writer_uses_is_declared_in_the_ontology(quads):
    declared = {(str(t.subject), str(t.object)) for t in owl.ontology_triples() if t.predicate == RDF_TYPE}
    kinds = {f"<{schema.PREFIXES['owl']}{k}>" for k in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty")}
    data = [q for q in quads if q.graph_name != ONTOLOGY_GRAPH]
    built_in = {RDF_TYPE} | {NamedNode(schema.PREFIXES["rdfs"] + p) for p in ("label", "comment", "seeAlso")}
    for predicate in {q.predicate for q in data} - built_in:
        assert any((str(predicate), k) in declared for k in kinds), predicate
    for cls in {q.object for q in data if q.predicate == RDF_TYPE}:
        assert (str(cls), f"<{schema.PREFIXES['owl']}Class>") in declared, cls


# --- explanations of an inconsistency (no Java needed) -----------------------------------------


def test_explain_names_disjoint_types_and_functional_clashes(quads):
    g = quads[0].graph_name
    criterion = node("Criterion", quads)
    decimal = NamedNode(schema.PREFIXES["xsd"] + "decimal")
    extra = [
        Quad(NamedNode(schema.CONCEPT_NS + "hormone-therapy"), RDF_TYPE, NamedNode(SKG + "Condition"), g),
        Quad(criterion, NamedNode(SKG + "value"), Literal("0.5", datatype=decimal), g),
        Quad(criterion, NamedNode(SKG + "value"), Literal("0.30", datatype=decimal), g),
    ]
    causes = explain_inconsistency(union_triples(quads + extra))
    messages = {(focus, path): message for focus, path, message in causes}
    clash = messages[("skc:hormone-therapy", "rdf:type")]
    assert "skg:Condition" in clash and "skg:Therapy" in clash and "disjoint" in clash
    assert "has 2 values" in messages[(curie(criterion.value), "skg:value")]  # 0.3 and 0.30 are one value


def test_explain_finds_nothing_in_the_writer_output(quads):
    assert explain_inconsistency(union_triples(quads)) == []


# --- the reasoner --------------------------------------------------------------------------------


@pytest.mark.java
def test_writer_output_passes_shapes_and_reasoner(quads):
    report = check_quads(quads)
    assert report.reasoner == "consistent" and report.conforms
    assert "OWL: consistent" in report.text()


@pytest.mark.java
def test_concept_typed_therapy_and_condition_is_inconsistent(quads, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    extra = Quad(NamedNode(schema.CONCEPT_NS + "hormone-therapy"), RDF_TYPE, NamedNode(SKG + "Condition"),
                 quads[0].graph_name)
    report = validate_quads(quads + [extra])
    assert report.reasoner == "inconsistent" and not report.conforms
    [violation] = report.owl
    assert violation.focus == "skc:hormone-therapy"
    assert "skg:Condition" in violation.message and "skg:HormoneTherapy" in violation.message
    assert "OWL: inconsistent" in report.text()
    assert list(tmp_path.iterdir()) == []  # the reasoner's input file is cleaned up


@pytest.mark.java
def test_indication_whose_therapy_is_a_condition_is_inconsistent():
    quads = build((replace(INDICATION, therapy="prostate-cancer"),))
    with pytest.raises(InvalidGraphError) as raised:
        check_quads(quads)
    assert raised.value.exit_code == 1
    text = str(raised.value)
    assert "OWL: inconsistent" in text
    assert "skc:prostate-cancer rdf:type: is a skg:Neoplasm (asserted) and a skg:Therapy (value of skg:therapy" in text


# --- the command ---------------------------------------------------------------------------------


@pytest.mark.java
def test_cli_validate_exit_codes(quads, tmp_path, capsys):
    good = tmp_path / "good.trig"
    write_quads(quads, good)
    assert main(["validate", "--graph", str(good)]) == 0
    assert "OWL: consistent" in capsys.readouterr().out

    bad = tmp_path / "bad.nq"
    write_quads(without(quads, node("Indication", quads), SKG + "therapy"), bad)
    assert main(["validate", "--graph", str(bad)]) == 1
    assert "skg:therapy" in capsys.readouterr().out

    assert main(["validate", "--graph", str(tmp_path / "missing.trig")]) == 2
    assert "no such dataset file" in capsys.readouterr().err


def test_cli_validate_without_reasoner(quads, tmp_path, capsys):
    path = tmp_path / "graph.trig"
    write_quads(quads, path)
    assert main(["validate", "--graph", str(path), "--no-reasoner"]) == 0
    assert "OWL: not checked" in capsys.readouterr().out
    assert validate_file(path, reasoner=False).conforms
