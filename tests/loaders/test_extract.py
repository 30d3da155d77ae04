"""Extraction on small documents written for the tests: each rule checked on the statement it yields."""
from pathlib import Path

import pytest

from salvage_kg.assertions import (AdverseEffect, Citation, ConceptDeclaration, Criterion, Definition, Document,
                                   Indication, Outcome, Prerequisite, merge)
from salvage_kg.loaders import extract, load_document

HERE = Path(__file__).resolve().parent.parent
EVALUATION_DOCS = sorted(p for p in (HERE / "evaluation").glob("*/*") if p.suffix in (".txt", ".md", ".html"))
FIXTURE_DOCS = sorted((HERE / "fixtures" / "corpus").iterdir())


def doc(text: str, name: str = "d") -> Document:
    return Document(id=name, path=f"{name}.txt", text=text, sha256="0" * 64, title="t", kind="unknown")


def of(statements, cls):
    return [s for s in statements if type(s) is cls]


@pytest.mark.parametrize("path", EVALUATION_DOCS + FIXTURE_DOCS, ids=lambda p: p.name)
def test_every_statement_quotes_its_document_exactly(path):
    document = load_document(path)
    statements = extract(document)
    assert statements
    for st in statements:
        assert st.evidence, st
        for e in st.evidence:
            assert e.document == document.id
            assert document.text[e.start:e.end] == e.quote


def test_heading_names_the_failed_treatment():
    text = "Options\n\nAfter Radiation Therapy\n- Salvage prostatectomy may be considered for local recurrence.\n"
    (ind,) = of(extract(doc(text)), Indication)
    assert (ind.therapy, ind.after, ind.strength) == ("salvage-radical-prostatectomy", ("radiotherapy",),
                                                       "may-be-considered")


def test_options_after_a_failed_treatment_each_get_the_prior():
    text = "After failure of brachytherapy, options include salvage HIFU, cryoablation or salvage prostatectomy.\n"
    inds = of(extract(doc(text)), Indication)
    assert {i.therapy for i in inds} == {"salvage-hifu", "cryoablation", "salvage-radical-prostatectomy"}
    assert all(i.after == ("brachytherapy",) for i in inds)


def test_never_solely_on_imaging_is_a_negated_prerequisite_not_an_indication():
    text = ("A biopsy must be performed before salvage cryoablation, and the decision should never be based "
            "solely on imaging.\n")
    statements = extract(doc(text))
    prereqs = {(p.therapy, p.requirement, p.negated) for p in of(statements, Prerequisite)}
    assert prereqs == {("salvage-cryoablation", "biopsy", False), ("salvage-cryoablation", "imaging", True)}
    assert all(i.therapy != "imaging" for i in of(statements, Indication))


def test_criteria_with_comparators_units_and_ranges():
    text = ("Hormone therapy is added to salvage radiotherapy for men with a PSA above 0.6 ng/mL, grade group 4-5 "
            "or a PSA doubling time of 9 months or less.\n")
    labels = {c.label for c in of(extract(doc(text)), Criterion)}
    assert {"PSA > 0.6 ng/mL", "grade group 4-5", "PSA doubling time <= 9 months"} <= labels


def test_outcome_with_confidence_interval_time_point_and_arms():
    text = ("At 5 years, overall survival was 81% (95% CI, 75-86%) with salvage HIFU and 77% (95% CI, 70-83%) "
            "with salvage cryoablation.\n")
    outs = {o.arm: o for o in of(extract(doc(text)), Outcome)}
    hifu = outs["salvage-hifu"]
    assert (hifu.measure, hifu.value, hifu.ci_lower, hifu.ci_upper, hifu.time_point) == (
        "overall-survival", 81, 75, 86, "5 years")
    assert outs["salvage-cryoablation"].value == 77


def test_adverse_effects_take_the_therapy_of_the_previous_sentence():
    text = "Side Effects\nSalvage prostatectomy is a demanding operation. It can cause urinary incontinence.\n"
    effects = {(a.therapy, a.effect) for a in of(extract(doc(text)), AdverseEffect)}
    assert ("salvage-radical-prostatectomy", "urinary-incontinence") in effects


def test_reduced_harm_is_not_an_adverse_effect():
    text = "Salvage focal therapy may reduce the risk of urinary incontinence compared with surgery.\n"
    assert not of(extract(doc(text)), AdverseEffect)


def test_document_defined_abbreviation_and_unknown_drug_are_declared():
    text = ("Salvage brachytherapy (SBT) may be considered after external beam radiotherapy fails. "
            "SBT needs careful planning. Zorvetamab is investigational as salvage therapy for lymphoma.\n")
    statements = extract(doc(text))
    declared = {d.concept: d for d in of(statements, ConceptDeclaration)}
    drug = [d for d in declared.values() if d.label == "zorvetamab"]
    assert drug and drug[0].provisional and drug[0].type == "AntibodyTherapy"
    inds = {i.therapy: i for i in of(statements, Indication)}
    assert inds[drug[0].concept].strength == "investigational"
    assert any(d.abbreviations == ("SBT",) for d in declared.values())


def test_definition_and_contrast():
    text = ("Salvage radiotherapy is treatment given when the cancer has come back after surgery. "
            "This contrasts with adjuvant radiotherapy, which is given before any sign of recurrence.\n")
    defs = {(d.term, d.contrasted_with) for d in of(extract(doc(text)), Definition)}
    assert ("salvage-radiotherapy", ()) in defs
    assert ("salvage-radiotherapy", ("adjuvant-radiotherapy",)) in defs


def test_citations_with_doi():
    text = "Some text.\n\nReferences\n1. Doe J, Roe K. Salvage HIFU outcomes. Eur Urol. 2021;3:1-9. doi:10.1000/xyz.12\n"
    (cit,) = of(extract(doc(text)), Citation)
    assert cit.doi == "10.1000/xyz.12"


def test_same_claim_from_two_documents_merges_with_both_quotes():
    a = doc("After radiotherapy fails, salvage HIFU may be considered.\n", "a")
    b = doc("Salvage HIFU may be considered after radiotherapy fails in selected men.\n", "b")
    merged = [s for s in merge(extract(a) + extract(b)) if isinstance(s, Indication)]
    hifu = [s for s in merged if s.therapy == "salvage-hifu"]
    assert len(hifu) == 1
    assert {e.document for e in hifu[0].evidence} == {"a", "b"}


def test_a_defined_short_form_known_in_another_letter_case_names_that_concept():
    from extracting import extract_checked as ec
    text = ("Salvage options compared\n\nWe compared salvage whole-gland cryoablation (SCA) with salvage "
            "radiotherapy.\n\n| Outcome | SCA (n = 40) | Salvage radiotherapy (n = 40) |\n|---|---|---|\n"
            "| Metastasis-free survival | 80% | 70% |\n")
    arms = {(st.arm, st.value) for st in ec(text) if st.kind == "outcome"}
    assert ("salvage-cryoablation", 80.0) in arms


def test_a_glossary_term_named_with_its_setting_is_defined():
    from salvage_kg.assertions import Definition
    text = ("# Salvage radiotherapy\n\n## Definitions\n\n"
            "**Biochemical recurrence after radical prostatectomy:** a PSA of 0.2 ng/mL or more on two tests.\n")
    from extracting import extract_checked
    found = [s.term for s in extract_checked(text) if isinstance(s, Definition)]
    assert found and "biochemical-recurrence" in found[0]
