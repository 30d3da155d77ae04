"""Indications: the setting a title gives, regimens named as one therapy, and therapies merely mentioned."""
from salvage_kg.assertions import ConceptDeclaration, Document, Indication
from salvage_kg.loaders import extract
from salvage_kg.loaders.structure import sentences


def doc(text: str, name: str = "d") -> Document:
    return Document(id=name, path=f"{name}.txt", text=text, sha256="0" * 64, title="t", kind="unknown")


def indications(text: str) -> list[tuple]:
    return [(s.therapy, s.after, s.strength) for s in extract(doc(text)) if isinstance(s, Indication)]


def therapies(text: str) -> set[str]:
    return {therapy for therapy, _, _ in indications(text)}


# --- the failed treatment a title names --------------------------------------------------------------

def test_title_names_the_failed_treatment_of_every_recommendation():
    text = "# Recurrent glioblastoma after temozolomide\n\nLomustine is recommended for recurrent glioblastoma.\n"
    assert indications(text) == [("lomustine", ("temozolomide",), "recommended")]


def test_long_unpunctuated_first_line_is_a_headline_title():
    text = ("Men whose prostate cancer returns after HIFU often do well with a second session of treatment, "
            "study finds\n\nSalvage prostatectomy can be offered to fit men.\n")
    assert sentences(text)[0].kind == "title"
    assert indications(text) == [("salvage-radical-prostatectomy", ("hifu",), "may-be-considered")]


def test_subtitle_under_a_masthead_is_part_of_the_title():
    text = "City Hospital Oncology\nPatient leaflet: when myeloma comes back after lenalidomide\n\nText.\n"
    kinds = [s.kind for s in sentences(text)]
    assert kinds[:2] == ["title", "title"]


def test_title_failure_mentioned_as_history_is_no_option():
    text = ("# Myeloma relapse after lenalidomide\n\nMost patients now take lenalidomide until progression. "
            "Daratumumab can be offered at relapse.\n")
    assert indications(text) == [("daratumumab", ("lenalidomide",), "may-be-considered")]


# --- regimens named as one therapy -------------------------------------------------------------------

def test_drug_list_glossed_by_an_abbreviation_is_one_regimen():
    text = "At relapse after bortezomib, carfilzomib, pomalidomide and dexamethasone (KPd) is recommended. KPd causes fatigue.\n"
    statements = extract(doc(text))
    assert [(s.therapy, s.after) for s in statements if isinstance(s, Indication)] == [
        ("carfilzomib-pomalidomide-and-dexamethasone", ("bortezomib",))]
    (decl,) = [s for s in statements if isinstance(s, ConceptDeclaration)]
    assert decl.abbreviations == ("KPd",)
    assert decl.broader == ("carfilzomib", "pomalidomide", "dexamethasone")


def test_abbreviation_the_document_defines_for_a_drug_list_names_a_therapy():
    text = ("For multiple myeloma at relapse after bortezomib, isatuximab with pomalidomide and dexamethasone "
            "(Isa-Pd) can be offered.\n")
    assert indications(text) == [("isatuximab-with-pomalidomide-and-dexamethasone", ("bortezomib",),
                                  "may-be-considered")]


def test_slash_combination_keeps_its_written_name():
    text = "After failure of sofosbuvir, glecaprevir/pibrentasvir is recommended for hepatitis C.\n"
    assert indications(text) == [("glecaprevir-pibrentasvir", ("sofosbuvir",), "recommended")]


def test_two_drugs_given_with_each_other_are_one_regimen_unless_compared():
    given = "After failure of chemotherapy, encorafenib with cetuximab is recommended for colorectal cancer.\n"
    assert therapies(given) == {"encorafenib-plus-cetuximab"}
    compared = "At relapse, a trial compared encorafenib with cetuximab; encorafenib can be offered for colorectal cancer.\n"
    assert "encorafenib-plus-cetuximab" not in therapies(compared)


def test_second_word_of_a_two_word_drug_name_is_no_drug_of_its_own():
    text = "After failure of lenalidomide, ciltacabtagene autoleucel can be offered for multiple myeloma.\n"
    assert therapies(text) == {"ciltacabtagene-autoleucel"}


# --- therapies merely mentioned ----------------------------------------------------------------------

def test_result_stated_in_figures_is_no_indication():
    text = "For recurrent glioblastoma after radiotherapy, lomustine gave a hazard ratio of 0.8 (95% CI 0.6-1.1).\n"
    assert indications(text) == []
    text = "At relapse, fatigue occurred in 20% of blinatumomab-treated patients with acute lymphoblastic leukaemia.\n"
    assert indications(text) == []


def test_harm_of_a_therapy_is_no_indication():
    assert indications("For relapsed myeloma, side effects of carfilzomib include heart failure.\n") == []


def test_therapy_in_a_reason_clause_is_no_option():
    text = ("For a late relapse of testicular cancer, surgery is recommended, because late relapses respond "
            "poorly to chemotherapy.\n")
    assert therapies(text) == {"surgery"}


def test_base_of_an_add_on_is_no_option():
    text = "For PSA relapse after salvage radiotherapy, adding docetaxel to ADT remains investigational.\n"
    assert indications(text) == [("docetaxel", ("salvage-radiotherapy",), "investigational")]


def test_timing_and_eligibility_references_are_no_options():
    assert indications("For relapsed myeloma, a hepatitis B test must be done before the first daratumumab dose.\n") == []
    text = "After failure of lenalidomide, teclistamab can be offered to patients fit for CAR T-cell therapy.\n"
    assert therapies(text) == {"teclistamab"}


def test_definition_of_a_disease_state_offers_no_therapy():
    text = ("Castration-resistant prostate cancer refers to progression despite androgen deprivation therapy "
            "after salvage radiotherapy.\n")
    assert indications(text) == []


def test_appositive_class_describes_the_drug_before_it():
    text = "For relapsed acute lymphoblastic leukaemia, blinatumomab, a bispecific T-cell engager, is recommended.\n"
    assert therapies(text) == {"blinatumomab"}


def test_condition_clause_and_comparison_name_no_option():
    text = "For recurrent head and neck cancer, cetuximab can be offered where immunotherapy is unsuitable.\n"
    assert therapies(text) == {"cetuximab"}
    text = "For prostate cancer after focal HIFU, salvage prostatectomy is recommended but is harder than a first operation.\n"
    assert therapies(text) == {"salvage-radical-prostatectomy"}


# --- structure ---------------------------------------------------------------------------------------

def test_labelled_guideline_items_are_list_items_and_graded_sentences_no_headings():
    text = "RECOMMENDATIONS\nR1. Offer lomustine. [1B]\nR2. Bicalutamide is not recommended. [2C]\n"
    got = [(s.kind, s.text) for s in sentences(text)]
    assert got[1:] == [("bullet", "Offer lomustine. [1B]"), ("bullet", "Bicalutamide is not recommended. [2C]")]
