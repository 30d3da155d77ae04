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


def test_a_headline_under_a_masthead_and_a_series_line_is_part_of_the_title():
    text = ("CITY ONCOLOGY FORUM\nClinical guideline CO-12\nRising PSA after primary radiotherapy: whom to observe and "
            "whom to treat\nVersion 2, adopted in May.\n\nText.\n")
    assert [s.kind for s in sentences(text)][:4] == ["title", "title", "title", "paragraph"]


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


# --- variants, failed treatments and the document's own salvage treatment ----------------------------

def test_extent_qualifier_names_a_variant_of_the_therapy():
    text = ("# Recurrent kidney cancer after partial nephrectomy\n\n"
            "Whole-organ cryoablation is used for multifocal disease. Hemi-gland cryoablation can be offered "
            "when the recurrence is small.\n")
    assert {t for t, _, _ in indications(text)} == {"whole-organ-cryoablation", "hemi-gland-cryoablation"}
    statements = extract(doc(text))
    declared = {s.concept: s for s in statements if isinstance(s, ConceptDeclaration)}
    assert declared["hemi-gland-cryoablation"].broader == ("cryoablation",)


def test_dose_level_names_a_variant_of_a_modality_only():
    text = ("# Relapsed follicular lymphoma after rituximab\n\nLow-dose radiotherapy can be offered to shrink a single "
            "bulky node. High-dose ifosfamide is recommended for relapsed sarcoma.\n")
    got = therapies(text)
    assert "low-dose-radiotherapy" in got
    assert "ifosfamide" in got and "high-dose-ifosfamide" not in got


def test_shorter_name_of_a_variant_refers_to_the_fuller_one():
    text = ("Men chose repeat focal HIFU or salvage prostatectomy after HIFU failure.\n\n"
            "Urinary retention affected 8% of men after repeat HIFU.\n")
    statements = extract(doc(text))
    declared = {s.concept for s in statements if isinstance(s, ConceptDeclaration)}
    assert "repeat-focal-hifu" in declared and "repeat-hifu" not in declared


def test_progression_on_a_therapy_names_it_as_failed():
    text = "# Relapsed small-cell lung cancer\n\nTarlatamab can be offered after progression on platinum chemotherapy.\n"
    assert indications(text) == [("tarlatamab", ("platinum-chemotherapy",), "may-be-considered")]


def test_broader_name_stands_for_the_documents_salvage_treatment():
    text = ("# Salvage liver transplantation for recurrent hepatocellular carcinoma\n\n"
            "Salvage liver transplantation is offered when the recurrence is small. "
            "A transplant should be offered to every fit patient whose recurrence is within the Milan criteria.\n")
    assert {t for t, _, _ in indications(text)} == {"salvage-liver-transplantation"}


def test_therapy_whose_need_is_reduced_is_no_option():
    text = ("# Recurrent glioblastoma\n\nBevacizumab can be used to reduce brain swelling and the need for "
            "corticosteroids.\n")
    assert therapies(text) == {"bevacizumab"}


# --- repeated treatments, re-treatment, prior examples ---------------------------------------------

def test_second_course_of_a_failed_treatment_is_its_own_option():
    text = ("# Relapse after autologous stem-cell transplantation\n\n"
            "A second autologous stem-cell transplant may be considered for lymphoma relapsing after a first one.\n")
    got = indications(text)
    assert [t for t, _, _ in got] == ["second-autologous-stem-cell-transplant"]
    decl = [s for s in extract(doc(text)) if isinstance(s, ConceptDeclaration)
            and s.concept == "second-autologous-stem-cell-transplant"]
    assert decl and decl[0].broader == ("autologous-stem-cell-transplantation",)


def test_later_short_name_of_a_repeat_treatment_is_the_same_concept():
    text = ("Men chose repeat focal HIFU or salvage prostatectomy after focal HIFU failed. "
            "Retention affected 5% after repeat HIFU.\n")
    mentions = {s.concept for s in extract(doc(text)) if isinstance(s, ConceptDeclaration)}
    assert "repeat-focal-hifu" in mentions and "repeat-hifu" not in mentions


def test_retreatment_follows_the_treatment_it_repeats():
    text = ("# Recurrent glioma\n\nIf the tumour came back long after you finished lomustine, "
            "having lomustine again can be offered.\n")
    assert indications(text) == [("lomustine", ("lomustine",), "may-be-considered")]


def test_example_of_the_failed_treatment_is_no_option():
    text = ("Ruxolitinib is recommended for patients who relapse after chemoimmunotherapy such as "
            "bendamustine-rituximab.\n")
    assert indications(text) == [("ruxolitinib", ("chemoimmunotherapy", "bendamustine-plus-rituximab"),
                                  "recommended")]


def test_class_followed_by_its_member_offers_the_member():
    text = "For late relapse after R-CHOP, salvage chemoimmunotherapy with R-ICE is recommended.\n"
    assert therapies(text) == {"r-ice-regimen"}


def test_first_line_treatment_named_in_history_is_no_option():
    text = ("Small-cell lung cancer responds well to first-line carboplatin chemotherapy, but most patients "
            "relapse within a year.\n")
    assert indications(text) == []


def test_patients_treated_with_a_therapy_are_history():
    text = "Almost everyone with follicular lymphoma who is treated with rituximab will relapse at some point.\n"
    assert indications(text) == []


def test_clause_item_under_a_list_of_uses_is_no_disease():
    text = ("Salvage brachytherapy may be suitable for prostate cancer if:\n"
            "- a biopsy shows that the cancer has come back in the prostate;\n"
            "- there is no spread on a scan.\n")
    assert not [i for i in extract(doc(text)) if isinstance(i, Indication)
                and i.evidence[0].quote.startswith("a biopsy")]


def test_section_asking_for_other_options_names_options():
    text = ("# Salvage cryotherapy after radiotherapy for prostate cancer\n\n"
            "## Are there other options?\n\n"
            "Hormone therapy can keep the PSA down for years, but it does not cure the cancer.\n")
    assert "hormone-therapy" in therapies(text)


def test_a_document_about_a_treatment_that_is_not_working_offers_salvage_options():
    from extracting import extract_checked as ec
    text = ("My first MS medicine isn't working\n\nWhat are my options?\n\n"
            "Natalizumab can be offered if a blood test shows you have not been exposed to the JC virus.\n")
    assert "natalizumab" in {st.therapy for st in ec(text) if st.kind == "indication"}


def test_therapy_given_alone_is_its_own_option_but_not_as_the_failed_treatment():
    text = ("# Biochemical recurrence after prostatectomy\n\n"
            "ADT alone is not recommended for low-risk recurrence after surgery alone.\n")
    statements = extract(doc(text))
    decl = [s for s in statements if isinstance(s, ConceptDeclaration) and s.concept.endswith("-alone")]
    assert [(d.concept, d.broader) for d in decl] == [
        ("androgen-deprivation-therapy-alone", ("androgen-deprivation-therapy",))]
    assert "ADT alone" in decl[0].abbreviations
    got = indications(text)
    assert [(t, s) for t, _, s in got] == [("androgen-deprivation-therapy-alone", "not-recommended")]
    assert all("alone" not in a for _, after, _ in got for a in after)


def test_bare_name_of_a_salvage_treatment_refers_to_it_but_not_in_the_failed_slot():
    text = ("# Salvage cryoablation after radiotherapy\n\n"
            "Men with recurrence after radiotherapy or cryoablation were excluded. "
            "Salvage cryoablation may be considered for local recurrence after radiotherapy. "
            "Cryoablation can be offered to older men.\n")
    got = indications(text)
    assert ("salvage-cryoablation", ("radiotherapy",), "may-be-considered") in got
    assert all(therapy != "cryoablation" for therapy, _, _ in got)


def test_bare_name_stays_the_treatment_when_the_document_names_it_as_failed():
    text = ("# Salvage radiotherapy after failed HIFU\n\n"
            "Salvage HIFU is rarely used. For recurrence after HIFU, salvage radiotherapy is recommended.\n")
    got = indications(text)
    assert ("salvage-radiotherapy", ("hifu",), "recommended") in got


def test_members_listed_after_a_failed_class_are_failed_treatments_too():
    text = ("Once the cancer has progressed on an androgen receptor pathway inhibitor (ARPI: abiraterone, "
            "enzalutamide or darolutamide), cabazitaxel is recommended.\n")
    got = indications(text)
    assert {t for t, _, _ in got} == {"cabazitaxel"}


def test_bases_something_is_added_to_and_declined_treatments_are_no_options():
    text = ("# Persistent PSA after radical prostatectomy\n\n"
            "Adding an androgen receptor pathway inhibitor such as apalutamide to radiotherapy and ADT is not "
            "recommended outside trials. Radiotherapy alone may be considered for men who decline hormone therapy.\n")
    got = therapies(text)
    assert "androgen-deprivation-therapy" not in got and "hormone-therapy" not in got
    assert "radiotherapy-alone" in got


def test_a_failed_drug_class_is_not_read_as_one_of_its_members():
    text = ("# Refractory status epilepticus\n\n"
            "Levetiracetam is recommended when seizures continue after benzodiazepines. "
            "Ketamine may be considered when seizures continue after midazolam.\n")
    got = indications(text)
    assert ("levetiracetam", ("benzodiazepine",), "recommended") in got


def test_a_table_of_options_by_failed_treatment_gives_each_cell_its_column_strength():
    text = ("# Hepatitis B after antiviral failure\n\n"
            "| Failed drug | Preferred rescue | Alternative | Avoid |\n"
            "|---|---|---|---|\n"
            "| Lamivudine | Switch to tenofovir | Add tenofovir | Entecavir |\n"
            "| Adefovir | Switch to entecavir | - | - |\n")
    got = set(indications(text))
    assert got == {("tenofovir", ("lamivudine",), "recommended"), ("tenofovir", ("lamivudine",), "may-be-considered"),
                   ("entecavir", ("lamivudine",), "not-recommended"), ("entecavir", ("adefovir",), "recommended")}


def test_an_option_heading_opens_a_section_of_options():
    text = ("# Recurrent glioblastoma after temozolomide\n\n## Option 2: another drug\n\n"
            "Lomustine is taken as capsules every six weeks.\n")
    assert ("lomustine", ("temozolomide",), None) in indications(text)


def test_a_disease_named_once_in_passing_is_not_the_documents_condition():
    text = ("# Choices after a failed first treatment\n\nMethotrexate may be considered after infliximab. "
            "Thiopurines carry a small excess risk of lymphoma.\n")
    found = [s for s in extract(doc(text)) if isinstance(s, Indication)]
    assert [(s.therapy, s.conditions) for s in found] == [("methotrexate", ())]


def test_a_counted_failed_treatment_is_a_prior():
    text = "# Options\n\nCabazitaxel is recommended for prostate cancer after failure of at least two hormone therapies.\n"
    assert indications(text) == [("cabazitaxel", ("hormone-therapy",), "recommended")]


def test_examples_of_a_failed_treatment_in_parentheses_failed_too():
    text = ("# Options\n\nErenumab is recommended after failure of at least three older remedies "
            "(for example propranolol and amitriptyline).\n")
    assert indications(text) == [("erenumab", ("propranolol", "amitriptyline"), "recommended")]


def test_a_list_of_failed_treatments_goes_on_past_the_examples_of_one():
    text = ("# Options\n\nMyeloma that progresses after an anti-CD38 antibody (daratumumab or isatuximab), an "
            "immunomodulatory drug and a proteasome inhibitor is hard to treat; teclistamab is recommended.\n")
    ((therapy, after, strength),) = indications(text)
    assert therapy == "teclistamab" and {"immunomodulatory-drug", "proteasome-inhibitor", "daratumumab"} <= set(after)


def test_a_disease_with_nothing_above_it_named_in_the_sentence_is_the_condition():
    text = ("# Chronic migraine after failed preventives\n\nChronic migraine is hard to treat. Chronic migraine is "
            "common. Lasmiditan is recommended for migraine at any stage.\n")
    found = [s for s in extract(doc(text)) if isinstance(s, Indication)]
    assert [(s.therapy, s.conditions, s.strength) for s in found] == [("lasmiditan", ("migraine",), "recommended")]


def test_a_treatment_not_recommended_for_a_disease_names_that_disease():
    text = ("# Chronic migraine after failed preventives\n\nChronic migraine is hard to treat. Chronic migraine is "
            "common. Opioids are not recommended for migraine at any stage.\n")
    found = [s for s in extract(doc(text)) if isinstance(s, Indication)]
    assert [(s.therapy, s.conditions, s.strength) for s in found] == [("opioid", ("migraine",), "not-recommended")]


def test_a_failed_drug_class_named_as_a_therapy_is_not_read_as_the_one_member_named():
    text = ("# Ulcerative colitis after anti-TNF failure\n\nAdalimumab after infliximab may be tried. "
            "Vedolizumab is recommended after anti-TNF failure.\n")
    assert ("vedolizumab", ("anti-tnf-therapy",), "recommended") in indications(text)


def test_a_gland_that_can_be_localised_is_no_first_line_setting():
    text = ("# Persistent hyperparathyroidism after failed surgery\n\n## Options\n\n- Cinacalcet can be offered to "
            "patients in whom no gland can be localised.\n")
    assert [t for t, _, _ in indications(text)] == ["cinacalcet"]


def test_treatments_that_have_not_worked_failed():
    text = "# When two antidepressants haven't worked\n\nLithium augmentation is recommended.\n"
    assert indications(text) == [("lithium", ("antidepressant",), "recommended")]


def test_a_document_about_a_state_of_a_disease_gives_that_state_as_condition():
    text = ("# Treatment-resistant depression\n\nTreatment-resistant depression is common.\n\n## What helps\n\n"
            "Lithium is recommended after two antidepressants.\n")
    found = [s for s in extract(doc(text)) if isinstance(s, Indication)]
    assert [(s.therapy, s.conditions) for s in found] == [("lithium", ("treatment-resistant-depression",))]


def test_a_failed_treatment_keeps_its_dose_words():
    text = ("# Ulcerative colitis\n\n## Add-on treatment after failure of high-dose mesalazine\n\n"
            "Vedolizumab is recommended for moderate ulcerative colitis.\n")
    assert indications(text) == [("vedolizumab", ("mesalazine",), "recommended")]


def test_radiotherapy_repeated_where_it_failed_is_reirradiation():
    text = ("# Local recurrence after primary SBRT\n\nRepeat external SBRT to the whole prostate is investigational. "
            "A repeated course of chemotherapy may be considered.\n")
    assert ("salvage-sbrt", ("sbrt",), "investigational") in indications(text)


def test_a_therapy_mentioned_under_a_heading_of_harms_is_no_indication():
    text = ("# When the first biologic stops working: what next for rheumatoid arthritis?\n\n"
            "## Side effects of the other options\n\n"
            "Infusion reactions happen with about 1 in 4 first rituximab infusions, usually mild.\n")
    assert indications(text) == []


def test_an_unknown_subject_of_a_recommendation_with_a_treatment_head_is_a_therapy():
    text = ("# Infected knee replacement after a failed washout\n\nBacteriophage therapy is investigational. "
            "Further treatment is recommended.\n")
    assert therapies(text) == {"bacteriophage-therapy"}


def test_a_course_of_a_failed_treatment_and_the_disease_of_a_titled_disease_state():
    text = ("# Relapsed Graves' hyperthyroidism after a course of antithyroid drugs\n\n## Options\n\n"
            "Pregnancy plans matter. A pregnancy test is needed.\n\n## Treatment\n\n"
            "Total thyroidectomy is recommended.\n")
    found = [s for s in extract(doc(text)) if isinstance(s, Indication)]
    assert [(s.therapy, s.after, s.conditions) for s in found] == [
        ("total-thyroidectomy", ("antithyroid-drug",), ("graves-disease", "relapsed-graves-disease"))]


# --- a failure named by the title or the sentence itself --------------------------------------------

def test_a_title_naming_the_failed_treatment_makes_a_sections_recommendations_options():
    text = ("# Ciclosporin didn't work: what I do next for severe eczema\n\n## My usual order of things\n\n"
            "Mycophenolate may be considered when nothing else is possible.\n")
    assert indications(text) == [("mycophenolate-mofetil", ("ciclosporin",), "may-be-considered")]


def test_a_sentence_naming_its_failed_treatment_is_about_what_follows_it():
    text = ("# Severe eczema in adults\n\n## My usual order of things\n\n"
            "For most adults after ciclosporin, I recommend dupilumab.\n")
    assert indications(text) == [("dupilumab", ("ciclosporin",), "recommended")]


def test_first_person_refusals_and_reasonable_alternatives_set_the_strength():
    text = ("# Ciclosporin didn't work: what next for severe eczema\n\n## Options\n\n"
            "Tralokinumab is a reasonable alternative. I do not use oral steroids for long-term control. "
            "We do not recommend azathioprine.\n")
    assert indications(text) == [("tralokinumab", ("ciclosporin",), "may-be-considered"),
                                 ("oral-corticosteroid", ("ciclosporin",), "not-recommended"),
                                 ("azathioprine", ("ciclosporin",), "not-recommended")]


def test_they_takes_up_every_therapy_of_the_sentence_before():
    text = ("# Severe eczema\n\n## Tablets\n\nUpadacitinib and abrocitinib are tablets that work quickly. "
            "They can be offered after ciclosporin.\n")
    assert therapies(text) == {"upadacitinib", "abrocitinib"}


def test_what_maintenance_follows_has_not_failed():
    text = ("# Relapsed APL\n\n## Consolidation\n\n"
            "Maintenance with arsenic trioxide after autologous stem cell transplantation is not recommended.\n")
    assert [a for _, a, _ in indications(text)] == [()]


def test_choosing_a_therapy_or_checks_before_it_are_no_indication():
    text = ("# Severe asthma after high-dose ICS-LABA\n\n## Biologics\n\n"
            "Biologic choice should not be based on the eosinophil count alone. "
            "Adherence must be checked before any add-on biologic is started.\n")
    assert indications(text) == []


def test_a_second_course_of_external_radiotherapy_is_reirradiation_and_repeat_seeds_keep_their_name():
    text = ("# Salvage after radiotherapy\n\nWe do not recommend a second course of external beam radiotherapy. "
            "Repeat seed brachytherapy may be considered.\n")
    found = therapies(text)
    assert "external-beam-radiotherapy" not in found and found & {"reirradiation", "external-beam-reirradiation"}
    assert any("brachytherapy" in t and "reirradiation" not in t for t in found)


def test_a_treatment_that_is_not_enough_or_does_not_work_at_a_full_dose_has_failed():
    assert indications("# When methotrexate isn't enough\n\n## Next steps\n\nAdalimumab is recommended.\n") == [
        ("adalimumab", ("methotrexate",), "recommended")]
    text = ("# Rheumatoid arthritis\n\n## Next steps\n\nIf methotrexate at a full dose does not work, guidelines "
            "recommend switching to adalimumab.\n")
    assert indications(text) == [("adalimumab", ("methotrexate",), "recommended")]


def test_a_decision_about_a_drug_the_drug_others_start_and_the_drug_replaced_are_no_options():
    text = ("# Enzalutamide for recurrence after radical prostatectomy\n\n## Recommendations\n\n"
            "The decision to add enzalutamide must not rest on a single PSA value. "
            "Tamoxifen is recommended for men starting enzalutamide. "
            "Darolutamide in place of enzalutamide is investigational.\n")
    assert [(t, s) for t, _, s in indications(text)] == [("tamoxifen", "recommended"),
                                                         ("darolutamide", "investigational")]


def test_a_qualified_state_wins_over_a_state_named_after_its_failed_treatment_and_the_list_goes_on():
    text = ("# Options after prostatectomy\n\nEnzalutamide should be offered to men with high-risk biochemical "
            "recurrence after radical prostatectomy and SRT.\n")
    found = [s for s in extract(doc(text)) if isinstance(s, Indication)]
    assert [(s.therapy, set(s.after), s.conditions) for s in found] == [
        ("enzalutamide", {"radical-prostatectomy", "salvage-radiotherapy"}, ("high-risk-biochemical-recurrence",))]


def test_an_abbreviation_after_a_combination_glosses_its_last_part_only():
    text = ("# Options after prostatectomy\n\nEnzalutamide combined with androgen deprivation therapy (ADT) "
            "should be offered.\n")
    assert therapies(text) - {"androgen-deprivation-therapy"} and "enzalutamide" in str(therapies(text))


def test_a_treatment_after_a_failed_one_is_for_the_disease_that_came_back():
    text = ("# Salvage after radiotherapy\n\nWhen prostate cancer recurs after radiotherapy, salvage cryotherapy "
            "should be offered.\n")
    found = [s for s in extract(doc(text)) if isinstance(s, Indication)]
    assert [s.conditions for s in found] == [("prostate-cancer", "recurrent-prostate-cancer")]


def test_in_a_document_about_recurrence_an_option_follows_the_documents_failed_treatment():
    text = ("# Freezing treatment for returning prostate cancer\n\n"
            "Men whose cancer comes back after radiotherapy often have salvage cryotherapy. Cancer that recurs after "
            "radiotherapy is hard to find. Salvage prostatectomy is rarely done after surgery.\n\n"
            "Focal cryotherapy remains investigational.\n")
    assert ("focal-cryoablation", ("radiotherapy",), "investigational") in indications(text)


def test_neither_nor_should_be_started_and_a_failed_salvage_treatment_follows_the_titled_failure():
    text = ("# Enzalutamide for recurrence after radical prostatectomy\n\n## Recommendations\n\n"
            "Neither enzalutamide nor ADT should be started in men with recurrence after SRT.\n")
    found = [(t, set(a), s) for t, a, s in indications(text)]
    assert found == [("enzalutamide", {"radical-prostatectomy", "salvage-radiotherapy"}, "not-recommended"),
                     ("androgen-deprivation-therapy", {"radical-prostatectomy", "salvage-radiotherapy"},
                      "not-recommended")]


def test_a_first_treatment_a_drug_recurred_on_and_a_disease_a_drug_is_not_used_in():
    text = ("# Ventricular tachycardia\n\n## Recommendations\n\n"
            "Mexiletine is reasonable after a first ablation when VT recurs on amiodarone. "
            "Flecainide should not be used in ischaemic cardiomyopathy after ablation.\n")
    found = [s for s in extract(doc(text)) if isinstance(s, Indication)]
    assert [(s.therapy, set(s.after)) for s in found][0] == ("mexiletine", {"ablation", "amiodarone"})
    assert any(s.therapy == "flecainide" and "ischaemic-cardiomyopathy" in s.conditions for s in found)


def test_a_therapy_mentioned_under_a_heading_of_risks_is_no_indication():
    text = ("# When the first biologic stops working: what next for rheumatoid arthritis?\n\n"
            "## Risks of the other options\n\n"
            "Infusion reactions happen with about 1 in 4 first rituximab infusions, usually mild.\n")
    assert indications(text) == []


def test_salvage_therapy_itself_is_not_the_usual_failure_every_option_follows():
    text = ("# Salvage therapy for HIV that returns\n\n"
            "Resistance after salvage therapy is common. Failure after salvage therapy needs expert advice. "
            "Some had failed after surgery.\n\n"
            "Fostemsavir is a reasonable option.\n")
    assert [a for t, a, _ in indications(text) if t == "fostemsavir"] == [()]
