"""The OWL model: every schema term declared, described and aligned; deterministic; consistent."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, NamedNode, RdfFormat, parse, serialize

from salvage_kg.ontology import owl, schema

ROOT = Path(__file__).resolve().parents[2]
RDF_TYPE = NamedNode(schema.PREFIXES["rdf"] + "type")
RDF_FIRST = NamedNode(schema.PREFIXES["rdf"] + "first")
RDF_REST = NamedNode(schema.PREFIXES["rdf"] + "rest")


def iri(curie: str) -> NamedNode:
    return NamedNode(schema.expand(curie))


def skg(name: str) -> NamedNode:
    return NamedNode(schema.SKG_NS + name)


@pytest.fixture(scope="module")
def triples():
    return set(owl.ontology_triples())


def objects(triples, subject, predicate):
    return {t.object for t in triples if t.subject == subject and t.predicate == predicate}


def rdf_list(triples, head):
    items = []
    while head != iri("rdf:nil"):
        items.append(next(iter(objects(triples, head, RDF_FIRST))))
        head = next(iter(objects(triples, head, RDF_REST)))
    return items


def test_ontology_header(triples):
    onto = NamedNode(schema.ONTOLOGY_IRI)
    assert iri("owl:Ontology") in objects(triples, onto, RDF_TYPE)
    assert {lit.value for lit in objects(triples, onto, iri("owl:versionInfo"))} == {owl.VERSION}
    assert objects(triples, onto, iri("rdfs:label"))


def test_every_schema_term_is_declared_with_its_owl_kind(triples):
    for name in schema.CLASSES:
        assert (skg(name), RDF_TYPE, iri("owl:Class")) in {(t.subject, t.predicate, t.object) for t in triples}
    for name, (*_, functional) in schema.OBJECT_PROPERTIES.items():
        kinds = objects(triples, skg(name), RDF_TYPE)
        assert iri("owl:ObjectProperty") in kinds
        assert (iri("owl:FunctionalProperty") in kinds) == functional, name
    for name, (*_, functional) in schema.DATA_PROPERTIES.items():
        kinds = objects(triples, skg(name), RDF_TYPE)
        assert iri("owl:DatatypeProperty") in kinds
        assert (iri("owl:FunctionalProperty") in kinds) == functional, name
    for name, (cls, _) in schema.INDIVIDUALS.items():
        assert {iri("owl:NamedIndividual"), skg(cls)} <= objects(triples, skg(name), RDF_TYPE)


def test_every_term_has_label_preflabel_and_definition(triples):
    for name in schema.ALL_TERMS:
        for prop in ("rdfs:label", "skos:prefLabel", "skos:definition"):
            values = objects(triples, skg(name), iri(prop))
            assert len(values) == 1 and next(iter(values)).language == "en", (name, prop)
    assert {lit.value for lit in objects(triples, skg("Indication"), iri("rdfs:label"))} == {"indication"}


def test_parents_domains_and_ranges_follow_the_schema(triples):
    for name, (parent, *_) in schema.CLASSES.items():
        if parent:
            assert skg(parent) in objects(triples, skg(name), iri("rdfs:subClassOf"))
    for name, (domain, rng, *_) in schema.OBJECT_PROPERTIES.items():
        assert objects(triples, skg(name), iri("rdfs:domain")) == ({skg(domain)} if domain else set())
        assert objects(triples, skg(name), iri("rdfs:range")) == {skg(rng)}
    for name, (domain, datatype, *_) in schema.DATA_PROPERTIES.items():
        assert objects(triples, skg(name), iri("rdfs:range")) == {iri(datatype)}, name


def test_disjoint_groups(triples):
    axioms = [t.subject for t in triples if t.predicate == RDF_TYPE and t.object == iri("owl:AllDisjointClasses")]
    groups = {frozenset(rdf_list(triples, next(iter(objects(triples, a, iri("owl:members")))))) for a in axioms}
    assert groups == {frozenset(skg(n) for n in group) for group in schema.DISJOINT}


def test_value_set_individuals_are_all_different(triples):
    axioms = [t.subject for t in triples if t.predicate == RDF_TYPE and t.object == iri("owl:AllDifferent")]
    sets = {frozenset(rdf_list(triples, next(iter(objects(triples, a, iri("owl:distinctMembers")))))) for a in axioms}
    assert frozenset({skg("CurativeIntent"), skg("PalliativeIntent")}) in sets


def test_alignments(triples):
    sub_class = iri("rdfs:subClassOf")
    sub_property = iri("rdfs:subPropertyOf")
    assert iri("schema:MedicalIndication") in objects(triples, skg("Indication"), sub_class)
    assert iri("schema:MedicalTherapy") in objects(triples, skg("Therapy"), sub_class)
    assert iri("schema:MedicalCondition") in objects(triples, skg("Condition"), sub_class)
    assert iri("prov:Entity") in objects(triples, skg("Evidence"), sub_class)
    assert iri("biolink:treats_or_applied_or_studied_to_treat") in objects(triples, skg("condition"), sub_property)
    assert {iri("biolink:has_adverse_event"), iri("schema:adverseOutcome")} <= objects(
        triples, skg("adverseEffect"), sub_property)
    assert iri("prov:wasDerivedFrom") in objects(triples, skg("hasEvidence"), sub_property)
    assert iri("prov:wasQuotedFrom") in objects(triples, skg("quotedFrom"), sub_property)
    # the aligned external terms are declared, so OWL tools know what they are
    assert iri("owl:Class") in objects(triples, iri("schema:MedicalIndication"), RDF_TYPE)
    assert iri("owl:ObjectProperty") in objects(triples, iri("biolink:has_adverse_event"), RDF_TYPE)
    assert iri("owl:AnnotationProperty") in objects(triples, iri("skos:prefLabel"), RDF_TYPE)


def test_verified_codes_on_top_level_classes(triples):
    exact = objects(triples, skg("Radiotherapy"), iri("skos:exactMatch"))
    assert {iri("mesh:D011878"), iri("ncit:C15313")} <= exact
    assert objects(triples, skg("HormoneTherapy"), iri("skos:exactMatch")) == {iri("ncit:C15445")}
    assert not objects(triples, skg("Surgery"), iri("skos:exactMatch"))  # nothing verified for it


def test_blank_nodes_are_labelled_by_content(triples):
    blanks = {n for t in triples for n in (t.subject, t.object) if isinstance(n, BlankNode)}
    assert blanks and all(b.value.startswith("g") and len(b.value) == 25 for b in blanks)


def test_ontology_triples_are_identical_across_processes():
    script = ("from pyoxigraph import serialize, RdfFormat\n"
              "from salvage_kg.ontology import owl\n"
              "import sys\n"
              "sys.stdout.buffer.write(serialize(owl.ontology_triples(), format=RdfFormat.N_TRIPLES))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, env=env).stdout
            for _ in range(2)]
    assert runs[0] == runs[1]
    here = serialize(owl.ontology_triples(), format=RdfFormat.N_TRIPLES)
    assert sorted(runs[0].splitlines()) == sorted(here.splitlines())


def test_owlready2_is_not_imported_by_the_module():
    script = "import sys, salvage_kg.ontology.owl, salvage_kg.ontology.schema; print('owlready2' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "False"


def test_build_uses_an_isolated_world():
    import owlready2

    onto = owl.build_ontology()
    owl.ontology_triples()
    assert onto.world is not owlready2.default_world
    assert owlready2.default_world.search_one(iri=schema.SKG_NS + "Therapy") is None


@pytest.mark.parametrize("fmt", [RdfFormat.TURTLE, RdfFormat.RDF_XML])
def test_ontology_round_trips_through_turtle_and_rdfxml(triples, fmt):
    prefixes = schema.PREFIXES if fmt == RdfFormat.TURTLE else None
    data = serialize(sorted(triples, key=str), format=fmt, prefixes=prefixes)
    assert len(set(parse(data, fmt))) == len(triples)


# --- the reasoner ------------------------------------------------------------------------------


@pytest.fixture
def world(monkeypatch, tmp_path):
    import owlready2

    # owlready2 writes the reasoner's input to the temp folder and leaves it there on inconsistency
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    w = owlready2.World()
    yield w
    w.close()


def reason(world):
    import owlready2

    owlready2.sync_reasoner(world, infer_property_values=False, debug=0)


@pytest.mark.java
def test_reasoner_finds_the_model_consistent_with_no_unsatisfiable_class(world):
    owl.build_ontology(world)
    reason(world)
    assert list(world.inconsistent_classes()) == []


@pytest.mark.java
def test_reasoner_accepts_well_typed_individuals(world):
    onto = owl.build_ontology(world)
    with onto:
        therapy = onto.Radiotherapy("salvage-radiotherapy")
        condition = onto.Neoplasm("prostate-cancer")
        indication = onto.Indication("indication-1")
        indication.therapy = [therapy]
        indication.condition = [condition]
    reason(world)


@pytest.mark.java
def test_reasoner_rejects_a_concept_that_is_both_therapy_and_condition(world):
    import owlready2

    onto = owl.build_ontology(world)
    with onto:
        concept = onto.Therapy("adt")
        concept.is_a.append(onto.Condition)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(world)


@pytest.mark.java
def test_reasoner_rejects_an_indication_whose_therapy_is_a_condition(world):
    import owlready2

    onto = owl.build_ontology(world)
    with onto:
        indication = onto.Indication("indication-1")
        indication.therapy = [onto.Neoplasm("prostate-cancer")]
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(world)


@pytest.mark.java
def test_reasoner_rejects_two_intents_for_one_statement(world):
    import owlready2

    onto = owl.build_ontology(world)
    with onto:
        indication = onto.Indication("indication-1")
        indication.intent = onto.CurativeIntent
    # a second value for the functional property, added below owlready2's Python layer
    onto._add_obj_triple_spo(indication.storid, onto.intent.storid, onto.PalliativeIntent.storid)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(world)
