"""Prerequisites and definitions on sentences written for these tests (not taken from any document)."""
from salvage_kg.assertions import Definition, Document, Prerequisite
from salvage_kg.loaders import extract
from salvage_kg.loaders.claims import assessment_mentions
from salvage_kg.loaders.structure import sentences


def doc(text: str, name: str = "c") -> Document:
    return Document(id=name, path=f"{name}.txt", text=text, sha256="0" * 64, title="t", kind="unknown")


def prereqs(text: str) -> set[tuple[str, str, bool]]:
    return {(p.therapy, p.requirement, p.negated) for p in extract(doc(text)) if isinstance(p, Prerequisite)}


def terms(text: str) -> set[str]:
    return {d.term for d in extract(doc(text)) if isinstance(d, Definition)}


# --- prerequisites --------------------------------------------------------------------------------

def test_only_once_a_test_has_confirmed():
    text = "Salvage cryotherapy is offered to selected men.\n\nWe offer salvage cryotherapy only after an MRI has shown where the tumour lies."
    assert ("salvage-cryoablation", "mri", False) in prereqs(text)


def test_do_not_start_without_covers_coordinated_tests():
    found = prereqs("Never begin androgen deprivation therapy without a DXA scan and a fasting glucose.")
    assert ("androgen-deprivation-therapy", "bone-density-scan", False) in found
    assert ("androgen-deprivation-therapy", "blood-glucose-test", False) in found


def test_should_be_guided_by():
    text = "Salvage therapy for recurrent infection\n\nThe choice of salvage therapy must be guided by susceptibility testing of the isolate."
    assert ("salvage-therapy", "antimicrobial-susceptibility-testing", False) in prereqs(text)


def test_mandatory_without_before():
    text = "Salvage surgery\n\nFor salvage surgery, histological proof is essential: a biopsy is mandatory in every case."
    assert ("salvage-surgery", "biopsy", False) in prereqs(text)


def test_not_required_is_no_prerequisite():
    text = "Salvage surgery\n\nFor salvage surgery, a bone scan is not required when the PSA is low."
    assert not any(r == "bone-scan" for _, r, _ in prereqs(text))


def test_alone_is_not_enough_is_negated():
    text = "Salvage HIFU after radiotherapy\n\nFor salvage HIFU, a PSMA PET on its own is not enough to go ahead."
    assert ("salvage-hifu", "psma-pet", True) in prereqs(text)
    assert ("salvage-hifu", "psma-pet", False) not in prereqs(text)


def test_decision_not_taken_because_of_finding_alone():
    text = "Salvage radiotherapy\n\nDoctors will not start salvage radiotherapy because of a single PSA value alone."
    assert ("salvage-radiotherapy", "psa", True) in prereqs(text)


def test_proven_recurrence_as_entry_condition():
    text = "Men with biopsy-proven local recurrence received salvage brachytherapy."
    assert ("salvage-brachytherapy", "biopsy", False) in prereqs(text)


def test_test_before_therapy_in_a_study_population():
    text = "Salvage lymph node dissection\n\nEvery patient had a CT scan within 4 weeks before surgery."
    assert ("salvage-lymph-node-dissection", "ct", False) in prereqs(text)


def test_test_merely_helping_is_no_prerequisite():
    text = "Before salvage surgery\n\n- MRI may help to plan the operation."
    assert not prereqs(text)


def test_follow_up_tests_are_no_prerequisites():
    text = "Salvage radiotherapy\n\nA PSA test is required every three months after the treatment."
    assert not prereqs(text)


def test_bullet_list_under_a_work_up_heading():
    text = "Salvage cryotherapy\n\nWork-up\n\n- Bone scan to exclude metastases\n- PSMA PET/CT"
    found = prereqs(text)
    assert ("salvage-cryoablation", "bone-scan", False) in found
    assert ("salvage-cryoablation", "psma-pet", False) in found


def test_named_assessment_is_coined():
    text = "Salvage chemotherapy\n\nA cardiology review is mandatory before salvage chemotherapy."
    assert ("salvage-chemotherapy", "cardiology-review", False) in prereqs(text)


def test_assessment_mentions_resolve_through_the_object():
    text = "Please ask about adherence before changing the regimen."
    found = assessment_mentions(doc(text), sentences(text), [])
    assert [(m.concept, m.text) for m in found] == [("adherence-assessment", "adherence")]


# --- definitions ----------------------------------------------------------------------------------

def test_increasingly_used_is_no_definition():
    assert "psma-pet" not in terms("PSMA PET is increasingly used to select men for salvage treatment.")


def test_option_is_no_definition():
    assert "salvage-hifu" not in terms("Salvage HIFU is a reasonable option after radiotherapy.")


def test_fronted_setting_then_definition():
    assert "salvage-therapy" in terms("In lymphoma care, salvage therapy is the name for treatment given at relapse.")


def test_by_x_we_mean():
    assert "salvage-radiotherapy" in terms("By salvage radiotherapy (SRT) we mean radiation given when PSA rises again.")


def test_defined_as_coins_an_unknown_term():
    assert "time-to-next-treatment" in terms(
        "The main endpoint was time to next treatment, defined as the interval from randomisation to new therapy.")


def test_what_doctors_call_coins_an_unknown_term():
    assert "whole-gland-salvage" in terms("Treating the entire prostate again is what doctors call whole-gland salvage.")


def test_glossary_line_coins_an_unknown_term():
    text = "Definitions\n\nEarly failure: progression within six months of the first treatment."
    assert "early-failure" in terms(text)


def test_administrative_colon_line_is_no_definition():
    assert not terms("Funding: a grant from a national research council.")


def test_contrast_with_it_is_not():
    text = "Adjuvant radiotherapy, in contrast, is delivered while PSA remains undetectable; it is not salvage treatment."
    defs = [d for d in extract(doc(text)) if isinstance(d, Definition)]
    assert defs and defs[0].term == "adjuvant-radiotherapy" and "salvage-therapy" in defs[0].contrasted_with


# --- prerequisites stated in other ways ---------------------------------------------------------

def test_not_on_a_single_result():
    text = "Androgen deprivation therapy\n\nAndrogen deprivation therapy must not be started on the basis of a single PSA value."
    assert any(t == "androgen-deprivation-therapy" and neg for t, _, neg in prereqs(text))


def test_what_must_be_checked_is_a_requirement():
    text = "Inotuzumab ozogamicin\n\nCD22 expression must be confirmed by flow cytometry before inotuzumab is started."
    assert ("inotuzumab-ozogamicin", "cd22-expression", False) in prereqs(text)


def test_treatment_named_by_its_verb_and_carried_to_the_next_sentence():
    text = ("Salvage prostatectomy after focal HIFU\n\nSalvage prostatectomy is one option. "
            "You must confirm the recurrence with MRI and a targeted biopsy before you treat focally again. "
            "We should never go ahead on a rising PSA alone.")
    found = prereqs(text)
    assert ("focal-therapy", "mri", False) in found
    assert ("focal-therapy", "targeted-biopsy", False) in found
    assert not any(t == "salvage-radical-prostatectomy" for t, _, _ in found)


def test_the_next_treatment_named_generically_is_named_as_written_in_a_salvage_document():
    text = ("When lymphoma relapses\n\nRe-irradiation can be offered. "
            "You will need a new PET-CT scan before any decision about further treatment. "
            "Hepatitis B serology must be checked before the next treatment.")
    assert {t for t, _, _ in prereqs(text)} >= {"further-treatment", "next-treatment"}


def test_changing_treatment_in_a_salvage_document_is_salvage_therapy():
    text = ("When lymphoma relapses\n\nRe-irradiation can be offered. "
            "You will need a new PET-CT scan before changing treatment.")
    assert any(t == "salvage-therapy" for t, _, _ in prereqs(text))


def test_a_numbered_requirement_line_read_as_heading_still_counts():
    text = ("Guidance\n\nG1. A baseline DXA scan is required before long-term androgen deprivation therapy. [GPP]\n"
            "G2. Androgen deprivation therapy should follow shared decision-making. [GPP]\n")
    assert any(r == "bone-density-scan" for _, r, _ in prereqs(text))


# --- lists of conditions, collective subjects, work-ups ----------------------------------------------

def test_conditions_list_whose_items_state_a_test_result():
    text = ("Salvage cryoablation\n\nYou may be offered salvage cryoablation only if:\n"
            "- a biopsy has shown that the cancer is back;\n- an MRI scan shows no spread outside the gland;\n"
            "- your PSA is below 10 ng/mL.\n")
    found = prereqs(text)
    assert ("salvage-cryoablation", "biopsy", False) in found
    assert ("salvage-cryoablation", "mri", False) in found


def test_neither_treatment_on_a_test_alone_applies_to_each_treatment_compared():
    text = ("Two options for nodal relapse\n\nMen received salvage lymph node dissection or stereotactic body "
            "radiotherapy. Salvage lymph node dissection took longer to recover from. "
            "Experts said neither treatment should be chosen on the basis of a CT scan alone.\n")
    found = prereqs(text)
    assert ("salvage-lymph-node-dissection", "ct", True) in found
    assert ("stereotactic-body-radiotherapy", "ct", True) in found or ("sbrt", "ct", True) in found


def test_work_up_scans_name_the_specific_scans_not_the_generic_word():
    text = ("When lymphoma comes back\n\nHow will the doctors confirm it?\n\n"
            "You will also have a full set of scans, usually a PET-CT scan and an MRI of the chest.\n")
    found = prereqs(text)
    assert {r for _, r, _ in found} >= {"pet-ct", "mri"}
    assert not any(r == "imaging" for _, r, _ in found)


# --- definitions ------------------------------------------------------------------------------------

def test_which_the_investigators_defined_as():
    assert "oligometastatic-relapse" in terms(
        "Trial\n\nMen had oligometastatic relapse, which the investigators defined as one to three lesions on a scan.\n")


def test_known_as_after_a_description_defines_but_not_after_a_name():
    assert "event-free-interval" in terms(
        "Trial\n\nThe main measure was the time without any new treatment, known as event-free interval.\n")
    assert not terms("Options\n\nFor relapse, rituximab combined with lenalidomide, known as RL2, is an option.\n")


def test_people_call_a_state_a_term():
    assert "late-recurrence" in terms("Questions\n\nDoctors call a recurrence late recurrence when it appears after 2 years.\n")


def test_unknown_term_means_without_an_article():
    assert "histological-change" in terms("Questions\n\nHistological change means the tumour now looks different.\n")
    assert not terms("Questions\n\nIt also means a lifelong risk of infection.\n")


def test_genus_with_relative_clause_and_which_is_the_time_from():
    found = terms("Facts\n\nChronic XYZ is XYZ that lasts more than a year. Relapse depends on the drug-free "
                  "interval (DFI), which is the time from the last dose to progression.\n")
    assert {"chronic-xyz", "drug-free-interval"} <= found


def test_defined_in_the_trial_as_is_singular_and_without_comparative():
    found = terms("Trial\n\nSurgery gave more durable nodal responses, defined in the trial as no uptake on PET.\n")
    assert found == {"durable-nodal-response"}


def test_positive_result_asks_for_any_test_of_its_kind():
    text = ("Salvage cryoablation after brachytherapy\n\nA transperineal biopsy maps the tumour in some centres. "
            "Salvage cryoablation must not be offered on a rising PSA alone: a positive biopsy is required first.\n")
    found = prereqs(text)
    assert ("salvage-cryoablation", "biopsy", False) in found
    assert not any(requirement == "transperineal-biopsy" for _, requirement, _ in found)


def test_work_up_is_for_the_treatment_the_title_names():
    text = ("Pelvic exenteration for recurrent cervical cancer after chemoradiotherapy\n\nOther options\n\n"
            "Re-irradiation is sometimes used. Re-irradiation carries a risk of fistula. Salvage re-irradiation "
            "is rarely curative.\n\nWork-up\n\nAn MRI of the pelvis is required before any decision is taken.\n")
    found = prereqs(text)
    assert ("pelvic-exenteration", "mri", False) in found
    assert not any(therapy == "reirradiation" for therapy, _, _ in found)


def test_work_up_is_for_the_treatment_a_title_names_as_salvage_treatment():
    text = ("Focal cryoablation as salvage treatment after radiotherapy: a cohort study\n\nMethods\n\n"
            "An MRI of the pelvis was mandatory before treatment.\n")
    assert ("focal-cryoablation", "mri", False) in prereqs(text)


def test_an_adverb_before_the_defining_verb_is_not_part_of_the_term():
    from extracting import extract_checked as ec
    text = "What is salvage?\n\nSalvage literally means to save what remains after a first treatment failed.\n"
    terms = {st.term for st in ec(text) if st.kind == "definition"}
    assert "salvage" in terms and not any("literally" in t for t in terms)


def test_a_trials_selection_work_up_is_for_its_experimental_arm():
    from salvage_kg.assertions import Prerequisite
    from extracting import extract_checked
    text = ("# Progressive prostate cancer after chemotherapy\n\n"
            "Men with progressive disease after docetaxel were randomly assigned to cabazitaxel or mitoxantrone. "
            "Every candidate underwent a bone scan before randomisation.\n")
    found = [s for s in extract_checked(text) if isinstance(s, Prerequisite)]
    assert {(s.therapy, s.requirement) for s in found} == {("cabazitaxel", "bone-scan")}


def test_a_defining_sentence_with_a_long_setting_and_new_head_nouns():
    found = terms("Biochemical failure after external beam radiotherapy or brachytherapy is defined as a PSA rise "
                  "of 2 ng/mL above the nadir.\n\nTransurethral ultrasound ablation, or TULSA, is a technique in "
                  "which an applicator in the urethra heats the gland.")
    assert {"biochemical-recurrence", "transurethral-ultrasound-ablation"} <= found


def test_we_call_that_noun_a_term_defines_the_term_not_the_noun():
    assert terms("We call that shadow a halo lesion: it is bone replaced by inflamed tissue.") == {"halo-lesion"}


def test_an_html_description_list_is_a_glossary():
    from salvage_kg.loaders.formats import html_to_text

    text = html_to_text("<h2>Words explained</h2><dl><dt>Blanking period</dt>\n<dd>the first 3 months after an "
                        "ablation, while the heart heals.</dd><dt>Rescue therapy</dt><dd>treatment after a first "
                        "treatment has failed.</dd></dl>")
    assert "Blanking period: the first 3 months" in text
    assert {"blanking-period", "salvage-therapy"} <= terms(text)


def test_what_is_required_before_a_treatment_is_each_listed_requirement():
    from extracting import extract_checked
    from salvage_kg.assertions import Prerequisite
    found = extract_checked("A 3-day sleep diary and a stool culture are required before any second-line therapy.\n")
    assert {p.requirement for p in found if isinstance(p, Prerequisite)} == {"sleep-diary", "stool-culture"}


def test_a_kind_of_treatment_named_only_generically_is_kept_as_written():
    from extracting import extract_checked
    from salvage_kg.assertions import Prerequisite
    found = extract_checked("# Cluster headache after failed verapamil\n\nA symptom diary covering 4 weeks is required "
                            "before any specialist preventive is started.\n")
    assert {(p.therapy, p.requirement) for p in found if isinstance(p, Prerequisite)} == {
        ("specialist-preventive", "symptom-diary")}


def test_a_kind_and_what_sets_it_apart_is_a_definition():
    from extracting import extract_checked
    from salvage_kg.assertions import Definition
    found = extract_checked("Tyrosine kinase inhibitors are drugs that block signals inside the cancer cell.\n")
    assert [d.term for d in found if isinstance(d, Definition)] == ["tyrosine-kinase-inhibitor"]
    found = extract_checked("Tyrosine kinase inhibitors are a good option after chemotherapy.\n")
    assert not [d for d in found if isinstance(d, Definition)]


def test_a_work_up_left_unattached_is_not_for_the_failed_treatment():
    from extracting import extract_checked
    from salvage_kg.assertions import Prerequisite
    text = ("Proton therapy does not protect against recurrence\n\nMen whose cancer comes back after proton therapy "
            "are often offered salvage surgery. Recurrence after proton therapy is rare. A PSMA PET scan is "
            "required first.\n")
    found = {(p.therapy, p.requirement) for p in extract_checked(text) if isinstance(p, Prerequisite)}
    assert found and not any(t == "proton-therapy" for t, _ in found)


def test_a_bold_term_with_the_colon_inside_the_bold_is_a_glossary_line_but_a_masthead_is_not():
    text = ("# Hepatitis B\n\n**Journal:** International Journal of Hepatology 2025\n\n## Terms\n\n"
            "- **Virological breakthrough:** a confirmed rise in HBV DNA above the nadir.\n")
    assert terms(text) == {"virological-breakthrough"}


def test_an_aside_between_the_term_and_means():
    assert terms("# Bariatric revision\n\nWeight regain, in our unit, means putting back on at least 25% of the weight "
                 "you lost.\n") == {"weight-regain"}


def test_a_state_defined_by_a_threshold_but_not_a_time_or_a_population():
    assert terms("# RA\n\nRemission is a DAS28 below 2.6. Most patients are people over 50 years. "
                 "Re-irradiation is usually given over 2 to 3 weeks.\n") == {"remission"}


def test_the_subject_that_needs_tests_before_starting_is_the_therapy_they_are_for():
    text = ("# Esketamine and other options after two antidepressants\n\nEsketamine is a nasal spray.\n\n"
            "Lithium needs blood levels and thyroid tests before starting.\n")
    assert {(t, r) for t, r, _ in prereqs(text)} == {("lithium", "blood-levels"), ("lithium", "thyroid-function-tests")}


def test_an_item_under_a_list_about_one_treatment_names_a_broader_kind_of_it():
    text = ("# Revision arthroplasty after a failed washout of an infected knee\n\nRevision arthroplasty replaces the "
            "implant.\n\n## Can I have a one-stage revision?\n\n"
            "A one-stage revision is only offered when all of these apply:\n\n"
            "- the germ has been identified before surgery - you will need a joint aspiration;\n"
            "- the soft tissues are healthy.\n")
    assert ("one-stage-revision", "joint-aspiration", False) in prereqs(text)


def test_requirements_listed_under_a_before_heading_are_for_the_headed_therapy():
    text = ("# Clozapine for resistant schizophrenia\n\n## Before clozapine\n\n"
            "Baseline requirements are a full blood count and an ECG.\n")
    assert prereqs(text) == {("clozapine", "full-blood-count", False), ("clozapine", "electrocardiogram", False)}


def test_a_quantity_that_must_be_measured_first_is_required_for_the_titled_therapy():
    text = ("ACME ONCOLOGY NETWORK\nGuideline 7: Enzalutamide for biochemical recurrence after prostatectomy\n\n"
            "Before treatment\n\nBlood pressure should be measured before the first dose.\n")
    assert prereqs(text) == {("enzalutamide", "blood-pressure", False)}


def test_more_ways_of_defining_a_term():
    assert "double-refractory-disease" in terms(
        "# CLL\n\nPatients whose disease has progressed on both drugs are described as double-refractory.\n")
    assert "triple-class-exposed-myeloma" in terms(
        "# Myeloma\n\nWe use the term triple-class-exposed for myeloma previously treated with all three classes.\n")
    assert "polynodal-recurrence" in terms(
        "# Nodes\n\nPolynodal recurrence is used here for six or more avid nodes.\n")
    assert "edge-recurrence" in terms(
        "# Focal therapy\n\nAn edge recurrence is cancer that reappears at the margin of the treated zone.\n")
    assert not terms("# Gout\n\nBefore anyone is labelled a failure, doctors must check adherence.\n")
