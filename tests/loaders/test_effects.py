"""Adverse effects: which therapy a harm is said of, on sentences written for these tests."""
import pytest

from salvage_kg.assertions import AdverseEffect, Document
from salvage_kg.loaders import extract


def doc(text: str, name: str = "ae") -> Document:
    return Document(id=name, path=f"{name}.txt", text=text, sha256="0" * 64, title="t", kind="unknown")


def pairs(text: str) -> set[tuple[str, str]]:
    d = doc(text)
    out = set()
    for st in extract(d):
        if isinstance(st, AdverseEffect):
            for e in st.evidence:
                assert d.text[e.start:e.end] == e.quote
            out.add((st.therapy, st.effect))
    return out


def test_rate_reported_with_the_therapy():
    text = "Salvage brachytherapy results\n\nUrinary retention was reported in 12% of men treated with salvage brachytherapy.\n"
    assert ("salvage-brachytherapy", "urinary-retention") in pairs(text)


def test_both_arms_with_their_own_rates_but_not_placebo():
    text = ("Trial results\n\nGrade 3 neutropenia occurred in 40% of the BEACOPP arm and 25% of the ABVD arm. "
            "Hot flushes affected 30% of men on androgen deprivation therapy and 5% of those on placebo.\n")
    got = pairs(text)
    assert {("beacopp-regimen", "neutropenia"), ("abvd-regimen", "neutropenia")} <= got
    assert ("androgen-deprivation-therapy", "hot-flushes") in got
    assert not any(t == "placebo" for t, _ in got)


def test_possessive_its_side_effects_binds_the_named_therapy():
    text = ("Options\n\nFocal radiotherapy to a single node may postpone androgen deprivation therapy and its "
            "side effects, such as weight gain and reduced libido.\n")
    got = pairs(text)
    assert ("androgen-deprivation-therapy", "weight-gain") in got
    assert not any(t == "radiotherapy" for t, _ in got)


def test_benefits_and_goals_are_not_harms():
    text = ("Results\n\nNerve-sparing surgery reduces erectile dysfunction. "
            "Planning limits the dose to the rectum to avoid proctitis.\n")
    got = pairs(text)
    assert not any(e in ("erectile-dysfunction", "proctitis") for _, e in got)


def test_a_remedy_is_not_the_cause():
    text = ("Salvage cryotherapy\n\nA fistula between the rectum and the urethra is rare after salvage cryotherapy, "
            "but it may need further surgery to repair.\n")
    got = pairs(text)
    assert ("salvage-cryoablation", "fistula") in got
    assert ("surgery", "fistula") not in got


def test_disease_symptoms_are_not_side_effects():
    text = "Living with recurrence\n\nBone pain caused by the cancer can be eased with radiotherapy.\n"
    assert not pairs(text)


def test_category_without_a_named_harm_is_left_out():
    text = "Safety\n\nSide effects of salvage radiotherapy were mostly mild.\n"
    assert not any(e == "adverse-event" for _, e in pairs(text))


def test_text_table_under_a_harms_heading():
    text = ("HARMS\n"
            "Treatment          Effect                      Rate\n"
            "ADT                hot flushes                 55%\n"
            "SRT                late urethral stricture     4%\n")
    got = pairs(text)
    assert ("androgen-deprivation-therapy", "hot-flushes") in got
    assert ("salvage-radiotherapy", "urethral-stricture") in got


def test_dotted_table_takes_the_therapy_from_its_caption():
    text = ("TOXICITY, SBRT ARM\n\n"
            "Fatigue, grade 2 or higher ............ 7%\n"
            "Vertebral compression fracture ........ 2%\n")
    got = pairs(text)
    assert {("sbrt", "fatigue"), ("sbrt", "vertebral-fracture")} <= got


def test_pipe_table_columns_name_the_harms():
    text = ("## Toxicity\n\n| Therapy | Cytokine release syndrome | Prolonged cytopenias |\n|---|---|---|\n"
            "| axi-cel | 90% | 30% |\n")
    got = pairs(text)
    assert ("axicabtagene-ciloleucel", "cytokine-release-syndrome") in got
    assert ("axicabtagene-ciloleucel", "prolonged-cytopenia") in got


def test_list_item_lead_names_the_drug_even_when_unknown():
    text = "Side effects to expect\n\n- Pola-XR: nausea and tendon rupture.\n"
    got = pairs(text)
    assert {("pola-xr", "nausea"), ("pola-xr", "tendon-rupture")} <= got


def test_frequency_lead_is_not_a_drug():
    text = "Risks of salvage HIFU\n\n- Rare but serious: a fistula, in about 1 in 50 men.\n"
    got = pairs(text)
    assert ("salvage-hifu", "fistula") in got
    assert not any("rare" in t for t, _ in got)


def test_a_profession_is_not_a_treatment():
    text = ("Salvage brachytherapy\n\nSalvage brachytherapy places radioactive seeds in the prostate. "
            "My radiation oncologist said that late urinary problems are its main risk.\n")
    got = pairs(text)
    assert ("salvage-brachytherapy", "urinary-toxicity") in got
    assert ("radiotherapy", "urinary-toxicity") not in got


@pytest.mark.parametrize("phrase, concept", [
    ("QT prolongation", "qt-prolongation"), ("low potassium", "hypokalaemia"), ("hypokalemia", "hypokalaemia"),
    ("a metallic taste", "dysgeusia"), ("urine infection", "urinary-tract-infection"), ("ileus", "ileus"),
    ("high blood pressure", "hypertension"), ("bruising", "bruising"), ("dizziness", "dizziness"),
])
def test_common_harms_are_known(phrase, concept):
    text = f"Side effects of linezolid\n\n{phrase[0].upper() + phrase[1:]} can occur with linezolid.\n"
    assert ("linezolid", concept) in pairs(text)
