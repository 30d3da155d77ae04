"""Disease names the terminology lacks, recognised by their form."""
import pytest

from salvage_kg.assertions import ConceptDeclaration, Indication
from salvage_kg.loaders.condition_names import base_disease, condition_candidates
from salvage_kg.ontology.terminology import default_terminology
from tests.extracting import extract_checked


def names(text):
    return [(m.text, m.concept, m.type) for m in condition_candidates(text, default_terminology().lookup)]


@pytest.mark.parametrize("text, name, concept, type_name", [
    ("Relapsed pleuroblastoma responds poorly.", "Relapsed pleuroblastoma", "relapsed-pleuroblastoma", "Neoplasm"),
    ("in adults with chondrosarcomas of the pelvis", "chondrosarcomas", "chondrosarcoma", "Neoplasm"),
    ("for chromoblastomycosis after itraconazole", "chromoblastomycosis", "chromoblastomycosis", "InfectiousDisease"),
    ("patients with fungaemia on therapy", "fungaemia", "fungaemia", "InfectiousDisease"),
    ("recurrent vulvar cancers after surgery", "recurrent vulvar cancers", "recurrent-vulvar-cancer", "Neoplasm"),
    ("children with frontal lobe epilepsy", "frontal lobe epilepsy", "frontal-lobe-epilepsy", "Condition"),
    ("an isolated perineal recurrence", "isolated perineal recurrence", "isolated-perineal-recurrence",
     "DiseaseState"),
])
def test_disease_names_are_found_by_their_form(text, name, concept, type_name):
    assert (name, concept, type_name) in names(text)


@pytest.mark.parametrize("text", [
    "Dr Tomas Ruiz led the study.",            # a name, not a tumour
    "A haematoma formed at the port site.",    # a harm, not a tumour
    "She has psoriasis and was in a coma.",    # not an infection, not a tumour
    "In several cancers the drug works.",      # 'several' names no organ
    "5-year cancer-specific survival",         # a time point, not an organ
    "microscopic cancer in archival tumour tissue",
    "NORTHERN UROLOGICAL CANCER NETWORK",      # a body's name
    "a biochemical recurrence after surgery",  # known to the terminology
    "relapsed Hodgkin lymphoma",               # known to the terminology: its reading stands
])
def test_words_that_only_look_like_diseases_are_left_alone(text):
    assert names(text) == []


def test_a_coined_disease_state_keeps_its_disease():
    assert base_disease("relapsed-or-refractory-pleuroblastoma") == "pleuroblastoma"
    assert base_disease("drug-resistant-frontal-lobe-epilepsy") == "frontal-lobe-epilepsy"
    assert base_disease("pleuroblastoma") is None


def test_an_unlisted_disease_becomes_the_condition_of_an_indication():
    text = ("Salvage options for relapsed pleuroblastoma\n\n"
            "For children with relapsed pleuroblastoma after first-line chemotherapy, "
            "irinotecan should be offered.\n")
    found = extract_checked(text)
    (ind,) = [s for s in found if isinstance(s, Indication) and s.therapy == "irinotecan"]
    assert set(ind.conditions) >= {"relapsed-pleuroblastoma", "pleuroblastoma"}
    declared = {d.concept: d.type for d in found if isinstance(d, ConceptDeclaration)}
    assert declared["relapsed-pleuroblastoma"] == "Neoplasm"
    assert "pleuroblastoma" in declared


def test_a_disease_word_in_a_body_name_names_no_disease():
    from salvage_kg.assertions import Document, Indication
    from salvage_kg.loaders import extract
    text = ("NORTHERN UROLOGICAL CANCER NETWORK\nRising PSA after radical prostatectomy\n\n"
            "Salvage radiotherapy is recommended after radical prostatectomy.\n")
    doc = Document(id="t", path="t.txt", text=text, sha256="0", title="t", kind="guideline")
    found = [s for s in extract(doc) if isinstance(s, Indication)]
    assert found and all("cancer" not in s.conditions for s in found)
