"""Adverse effects: which therapy a harm is said of, on sentences written for these tests."""
import pytest

from extracting import extract_checked
from salvage_kg.assertions import AdverseEffect


def pairs(text: str) -> set[tuple[str, str]]:
    return {(st.therapy, st.effect) for st in effects_of(text)}


def test_rate_reported_with_the_therapy():
    text = "Salvage brachytherapy results\n\nUrinary retention was reported in 12% of men treated with salvage brachytherapy.\n"
    assert ("salvage-brachytherapy", "urinary-retention") in pairs(text)


def test_each_arm_with_its_own_rate_placebo_included():
    text = ("Trial results\n\nGrade 3 neutropenia occurred in 40% of the BEACOPP arm and 25% of the ABVD arm. "
            "Hot flushes affected 30% of men on androgen deprivation therapy and 5% of those on placebo.\n")
    got = pairs(text)
    assert {("beacopp-regimen", "neutropenia"), ("abvd-regimen", "neutropenia")} <= got
    assert {("androgen-deprivation-therapy", "hot-flushes"), ("placebo", "hot-flushes")} <= got


def test_paired_rates_in_brackets_go_to_the_arms_in_order():
    text = ("Safety\n\nDuring radiotherapy, fatigue (32% vs 24%) was more frequent with apalutamide than with "
            "placebo.\n")
    got = {(s.therapy, s.frequency) for s in effects_of(text)}
    assert got == {("apalutamide", "32%"), ("placebo", "24%")}


def test_placebo_without_a_rate_of_its_own_causes_nothing():
    text = ("Trial design\n\nMen were randomised to apalutamide or placebo.\n\n"
            "Harms\n\nHyperkalaemia occurred in about 4% of patients.\n")
    got = pairs(text)
    assert ("apalutamide", "hyperkalaemia") in got
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


# --- rates, timing, tables and causes added with the rate reader ------------------------------------

def effects_of(text: str) -> list[AdverseEffect]:
    return [st for st in extract_checked(text, kind="unknown") if isinstance(st, AdverseEffect)]


def rate(text: str, therapy: str, effect: str) -> str | None:
    found = [st for st in effects_of(text) if st.therapy == therapy and st.effect == effect]
    assert found, (therapy, effect)
    return found[0].frequency


def test_rate_in_brackets_after_each_harm():
    text = "Docetaxel\n\nDocetaxel side effects: alopecia (65%), neutropenia (up to half of women) and fatigue (20%).\n"
    assert rate(text, "docetaxel", "alopecia") == "65%"
    assert rate(text, "docetaxel", "neutropenia") == "up to half of women"
    assert rate(text, "docetaxel", "fatigue") == "20%"


def test_rates_follow_the_order_of_the_arms():
    text = ("Trial results\n\nGrade 3 neutropenia occurred in 40% of the BEACOPP arm and 25% of the ABVD arm, "
            "and febrile neutropenia in 9% and 4% respectively.\n")
    assert rate(text, "beacopp-regimen", "neutropenia") == "40%"
    assert rate(text, "abvd-regimen", "neutropenia") == "25%"
    assert rate(text, "beacopp-regimen", "febrile-neutropenia") == "9%"
    assert rate(text, "abvd-regimen", "febrile-neutropenia") == "4%"


def test_natural_frequency_before_the_harm_and_shared_by_a_list():
    text = ("Salvage cryotherapy\n\nAbout 2 in 10 men have urinary retention after salvage cryotherapy. "
            "After salvage cryotherapy, swelling and bruising were common in the first few weeks.\n")
    assert rate(text, "salvage-cryoablation", "urinary-retention") == "About 2 in 10"
    assert rate(text, "salvage-cryoablation", "swelling") == "common"
    found = {st.effect: st for st in effects_of(text)}
    assert found["bruising"].timing == "acute"


def test_respectively_reads_the_arms_of_the_sentence_before():
    text = ("Results\n\nAt one year, 5% of men after salvage cryotherapy and 30% after salvage prostatectomy "
            "used pads for urinary incontinence. Erectile dysfunction was reported by 60% and 70% respectively.\n")
    assert rate(text, "salvage-cryoablation", "erectile-dysfunction") == "60%"
    assert rate(text, "salvage-radical-prostatectomy", "erectile-dysfunction") == "70%"


def test_grade_or_higher_and_plus_are_one_severity():
    text = "Salvage radiotherapy\n\nAfter salvage radiotherapy, proctitis of grade 2+ was seen in 7% of men.\n"
    found = [st for st in effects_of(text) if st.effect == "proctitis"]
    assert found and found[0].severity == "grade 2+"


def test_toxicity_table_with_arms_across_the_header():
    text = ("Results\n\n| Toxicity | SBRT + ADT | Salvage radiotherapy + ADT |\n|---|---|---|\n"
            "| Late gastrointestinal, grade 2 or higher | 3% | 9% |\n| Haematuria | 1% | 4% |\n")
    got = {(st.therapy, st.effect): st.frequency for st in effects_of(text)}
    assert got[("sbrt", "gastrointestinal-toxicity")] == "3%"
    assert got[("salvage-radiotherapy", "gastrointestinal-toxicity")] == "9%"
    assert got[("salvage-radiotherapy", "haematuria")] == "4%"
    assert not any(t == "androgen-deprivation-therapy" for t, _ in got)


def test_table_with_a_column_of_harms():
    text = ("Toxicities\n\n| Regimen | Main toxicities |\n|---|---|\n"
            "| Docetaxel | alopecia (60%), neutropenia (30%) |\n")
    got = {(st.therapy, st.effect): st.frequency for st in effects_of(text)}
    assert got[("docetaxel", "alopecia")] == "60%"
    assert got[("docetaxel", "neutropenia")] == "30%"


def test_a_column_headed_harms_beside_a_column_of_results():
    text = ("Evidence\n\n| Treatment | Fewer exacerbations vs placebo | Main harms |\n|---|---|---|\n"
            "| Benralizumab | 51% (nausea in 12% of the placebo group) | Conjunctivitis 5%; headache 8% |\n")
    got = {(st.therapy, st.effect): st.frequency for st in effects_of(text)}
    assert got == {("benralizumab", "conjunctivitis"): "5%", ("benralizumab", "headache"): "8%"}


def test_what_the_disease_causes_or_care_relieves_is_no_side_effect():
    text = ("Recurrent infection\n\nThe virus can wake up and cause fever or diarrhoea after chemotherapy. "
            "Palliative care focuses on controlling symptoms such as headaches and seizures. "
            "Pseudoprogression is when radiotherapy causes swelling that looks like growth.\n")
    got = pairs(text)
    assert not any(e in ("fever", "diarrhoea", "headache", "seizures", "swelling") for _, e in got)


def test_a_later_treatment_names_a_subgroup_and_a_drug_name_keeps_its_approach_word():
    text = ("Inotuzumab\n\nHepatic veno-occlusive disease occurred in 11% of inotuzumab-treated patients and in "
            "18% of those who later underwent allogeneic transplant. "
            "With enzalutamide monotherapy, gynaecomastia occurred in 40% of men.\n")
    got = pairs(text)
    assert ("inotuzumab-ozogamicin", "veno-occlusive-disease") in got
    assert not any(t == "allogeneic-stem-cell-transplantation" for t, _ in got)
    assert ("enzalutamide", "gynaecomastia") in got and not any(t == "monotherapy" for t, _ in got)


def test_harm_without_a_therapy_falls_to_the_salvage_operation_the_document_is_about():
    text = ("Salvage oesophagectomy after chemoradiotherapy\n\nSurgery is hard. Salvage oesophagectomy was done in "
            "90 patients. Surgery was long.\n\nRESULTS\n\nComplications were frequent. "
            "An anastomotic leak occurred in 20% of patients.\n")
    found = [st for st in effects_of(text) if st.effect == "anastomotic-leak"]
    assert found and found[0].therapy == "salvage-esophagectomy"
    assert found[0].timing == "perioperative"


# --- causes named in patients' words, by unknown names, in tables ---------------------------------

def test_therapy_that_gave_me_the_harm():
    text = "My treatment\n\nThe steroids gave me insomnia and mood swings for weeks.\n"
    assert {("corticosteroid", "insomnia"), ("corticosteroid", "mood-swings")} <= pairs(text)


def test_first_person_account_takes_the_therapy_just_named():
    text = "Second option\n\nI was then started on eltrombopag tablets. I also had headaches for the first month.\n"
    assert ("eltrombopag", "headache") in pairs(text)


def test_unknown_regimen_named_as_the_cause_is_not_replaced_by_the_one_before():
    text = ("Results\n\nNivolumab was given to 40 patients. "
            "Triplet rechallenge caused grade 3 thrombocytopenia in 12%.\n")
    got = pairs(text)
    assert ("triplet-rechallenge", "thrombocytopenia") in got
    assert ("nivolumab", "thrombocytopenia") not in got


def test_side_effects_of_an_undeclared_acronym():
    text = "Options\n\nDoxorubicin is an option. The main side effects of XR7 were nausea and constipation.\n"
    got = pairs(text)
    assert {("xr7", "nausea"), ("xr7", "constipation")} <= got
    assert not any(t == "doxorubicin" for t, _ in got)


def test_verb_of_change_names_a_laboratory_harm():
    text = "Tablets\n\nThe downside of sunitinib: it can raise liver enzymes in about 1 in 8 people.\n"
    assert ("sunitinib", "elevated-liver-enzymes") in pairs(text)


def test_harms_table_with_a_treatment_column_coins_an_unknown_treatment():
    text = ("Side effects\n\n| Treatment | Side effect | How often |\n|---|---|---|\n"
            "| Hypofractionated boost | Rectal bleeding | 4% |\n")
    assert ("hypofractionated-boost", "rectal-bleeding") in pairs(text)


def test_table_heading_naming_an_arm_by_its_first_words_and_no_zero_rate():
    text = ("Results\n\nMen had open radical prostatectomy or robotic radical prostatectomy. Robotic radical "
            "prostatectomy was used in most centres.\n\n"
            "| Outcome | Robotic (n=40) | Open (n=30) | p |\n|---|---|---|---|\n"
            "| Urinary retention | 9.0% | 0% | 0.04 |\n")
    got = pairs(text)
    assert ("robotic-radical-prostatectomy", "urinary-retention") in got
    assert ("open-radical-prostatectomy", "urinary-retention") not in got


def test_class_in_apposition_is_not_a_second_cause():
    text = "Later lines\n\nThe bispecific antibody mosunetuzumab can be given. Cytokine release syndrome occurred in 40%.\n"
    got = pairs(text)
    assert ("mosunetuzumab", "cytokine-release-syndrome") in got
    assert ("bispecific-antibody", "cytokine-release-syndrome") not in got


def test_the_operation_is_the_operation_just_named():
    text = ("Trial\n\nMen had salvage lymph node dissection or radiotherapy. "
            "Two men had an injury to the ureter during the operation.\n")
    assert ("salvage-lymph-node-dissection", "ureteral-injury") in pairs(text)


def test_disease_treated_contraindication_and_differential_are_no_harms():
    text = ("Recurrent Clostridioides difficile infection\n\n"
            "Bezlotoxumab may be given to those with severe Clostridioides difficile infection. "
            "It should not be used in patients with congestive heart failure unless the benefit outweighs the risk. "
            "A biopsy confirms that it is a relapse and not another problem, such as an infection caused by earlier "
            "treatment with ifosfamide.\n")
    got = pairs(text)
    assert not any(e in ("clostridioides-difficile-infection", "heart-failure", "infection") for _, e in got)


def test_therapy_in_an_explaining_clause_or_offered_as_remedy_is_no_cause():
    text = ("Salvage radical prostatectomy\n\nSalvage radical prostatectomy is an operation. "
            "Almost all men have erectile dysfunction afterwards, because the nerves are rarely spared after "
            "radiotherapy. If leakage is still severe after a year, an artificial urinary sphincter can be offered.\n")
    got = pairs(text)
    assert ("salvage-radical-prostatectomy", "erectile-dysfunction") in got
    assert ("radiotherapy", "erectile-dysfunction") not in got
    assert not any(t == "artificial-urinary-sphincter" for t, _ in got)


def test_glossary_lines_report_no_harm():
    text = ("Guideline\n\n## Definitions\n\n- **Colitis flare:** diarrhoea with abdominal pain after fidaxomicin.\n")
    assert not pairs(text)


# --- surgical complications by family; a treatment that dates a recurrence ------------------------

def test_surgical_complication_families_are_harms_of_the_operation():
    text = ("Outcomes of radical cystectomy\n\nAfter radical cystectomy, a ureteroenteric stricture developed in 5% "
            "of patients and a pelvic abscess in 3%.\n")
    found = pairs(text)
    assert ("radical-cystectomy", "ureteroenteric-stricture") in found
    assert ("radical-cystectomy", "postoperative-abscess") in found


def test_acute_and_chronic_gvhd_are_told_apart():
    text = ("Second transplant for relapsed leukaemia\n\nAfter allogeneic stem cell transplantation, acute GVHD "
            "occurred in 30% of patients and chronic GVHD in 20%.\n")
    found = pairs(text)
    assert ("allogeneic-stem-cell-transplantation", "acute-graft-versus-host-disease") in found
    assert ("allogeneic-stem-cell-transplantation", "chronic-graft-versus-host-disease") in found


def test_treatment_dating_a_recurrence_is_not_the_cause_of_later_harms():
    text = ("Pelvic exenteration for recurrent rectal cancer\n\nResults\n\nWe reviewed 80 patients who had pelvic "
            "exenteration. Patients whose cancer recurred within 18 months of chemoradiotherapy did worse. "
            "A perineal wound breakdown developed in 15% of patients.\n")
    found = pairs(text)
    assert ("pelvic-exenteration", "wound-complication") in found
    assert not any(therapy == "chemoradiotherapy" for therapy, _ in found)


def test_a_one_therapy_harms_table_takes_its_therapy_from_the_caption():
    text = ("Salvage cryotherapy\n\nThe table shows the side effects seen in our patients.\n"
            "Side effects after salvage cryotherapy (80 men)\n"
            "| Side effect | When | How often |\n| --- | --- | --- |\n"
            "| Blood in the urine | First weeks | About 1 in 5 |\n| Rectal bleeding | Months later | About 1 in 40 |\n")
    found = {(st.therapy, st.effect): st.frequency for st in effects_of(text)}
    assert found[("salvage-cryoablation", "haematuria")] == "About 1 in 5"
    assert found[("salvage-cryoablation", "rectal-bleeding")] == "About 1 in 40"


def test_a_condition_that_rules_a_therapy_out_is_no_harm_of_it():
    text = ("Salvage HIFU\n\nSalvage HIFU is not recommended if you already have a narrowing of the urethra or "
            "rectal bleeding from your first treatment.\n")
    assert not [st for st in effects_of(text) if st.therapy == "salvage-hifu"]


def test_radiotherapy_named_by_a_field_the_terminology_lacks_is_that_variant():
    from salvage_kg.assertions import AdverseEffect, ConceptDeclaration
    from extracting import extract_checked
    found = extract_checked("Acute cystitis occurs in about 25% of men during nodal radiotherapy.\n")
    variant = [s for s in found if isinstance(s, ConceptDeclaration) and s.label == "nodal radiotherapy"]
    assert variant and variant[0].broader == ("radiotherapy",)
    assert {(s.therapy, s.effect) for s in found if isinstance(s, AdverseEffect)} == {(variant[0].concept, "cystitis")}


def test_signs_listed_to_define_a_harm_are_not_harms_of_their_own():
    from salvage_kg.assertions import AdverseEffect, Definition
    from extracting import extract_checked
    found = extract_checked("Venetoclax was given. Differentiation syndrome is a potentially fatal complication of "
                            "treatment, presenting with fever, weight gain and breathlessness.\n")
    assert [d.term for d in found if isinstance(d, Definition)] == ["differentiation-syndrome"]
    assert {a.effect for a in found if isinstance(a, AdverseEffect)} <= {"differentiation-syndrome"}


def test_the_classic_side_effect_of_a_drug_is_no_definition():
    from salvage_kg.assertions import Definition
    from extracting import extract_checked
    found = extract_checked("Fever is the classic side effect of dabrafenib, affecting roughly half of patients.\n")
    assert not [d for d in found if isinstance(d, Definition)]


def test_it_takes_up_the_therapy_the_sentence_before_opens_with():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    found = extract_checked("Cyclophotocoagulation may be considered for patients who cannot face more surgery. "
                            "It can cause a drop in vision in around 10%.\n")
    assert {a.therapy for a in found if isinstance(a, AdverseEffect)} == {"cyclophotocoagulation"}


def test_a_list_lead_that_refers_back_names_no_therapy():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    found = extract_checked("## Side effects\n\nIntermittent ADT was compared with continuous ADT.\n\n"
                            "- Either schedule: fatigue and anaemia.\n")
    assert "either-schedule" not in {a.therapy for a in found if isinstance(a, AdverseEffect)}


def test_a_therapy_the_text_contrasts_with_is_not_the_cause_that_follows():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    found = extract_checked("## Checkpoint inhibitors\n\nNivolumab is an option. The side effects are different "
                            "from chemotherapy. Pneumonitis happens in about 4%.\n")
    assert [(a.therapy, a.effect) for a in found if isinstance(a, AdverseEffect)] == [("nivolumab", "pneumonitis")]


def test_surgery_stands_for_the_salvage_operation_the_document_is_about():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    found = extract_checked("# Operating after focal therapy\n\nSalvage radical prostatectomy was done in 80 men. "
                            "Surgery was well tolerated. Surgery was safe. Surgery was quick. Complications within "
                            "30 days of surgery were mostly lymphoceles.\n")
    assert {a.therapy for a in found if isinstance(a, AdverseEffect) and a.effect == "lymphocele"} == \
        {"salvage-radical-prostatectomy"}


def test_a_harm_the_title_says_came_back_is_the_disease_treated():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    found = extract_checked("# The stricture came back: what next\n\nUrethroplasty is recommended. After urethroplasty, "
                            "a stricture forms again in 10% and infection in 5%.\n")
    assert {a.effect for a in found if isinstance(a, AdverseEffect)} == {"infection"}


def test_a_column_head_names_its_arm_without_the_source_in_parentheses():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    text = ("# Salvage cryoablation\n\nWe compared focal cryoablation with whole-gland cryoablation.\n\n"
            "| Side effect | Focal cryoablation (our series) | Whole-gland cryoablation (published trial) |\n"
            "|---|---|---|\n| Urinary retention | 3% | 9% |\n")
    got = {(a.therapy, a.frequency) for a in extract_checked(text) if isinstance(a, AdverseEffect)}
    assert {("focal-cryoablation", "3%"), ("whole-gland-cryoablation", "9%")} <= got


def test_a_column_head_with_a_dose_names_the_arm_of_a_harms_row():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    text = ("# Trial\n\nHypofractionation was compared with conventional fractionation.\n\n"
            "| Endpoint | Hypofractionated 62.5 Gy/25 (n = 215) | Conventional 70 Gy/35 (n = 213) |\n|---|---|---|\n"
            "| Late gastrointestinal toxicity | 6.0% | 4.7% |\n")
    got = {(a.therapy, a.frequency) for a in extract_checked(text) if isinstance(a, AdverseEffect)}
    assert {("hypofractionated-radiotherapy", "6.0%"), ("conventionally-fractionated-radiotherapy", "4.7%")} <= got


def test_harms_of_either_arm_belong_to_what_both_share():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    text = ("## Side effects\n\nIntermittent ADT was compared with continuous ADT.\n\n"
            "Either schedule: hot flushes (40% with intermittent ADT, 60% with continuous ADT), fatigue and anaemia.\n")
    got = {(a.therapy, a.effect) for a in extract_checked(text) if isinstance(a, AdverseEffect)}
    assert {("androgen-deprivation-therapy", "fatigue"), ("androgen-deprivation-therapy", "anaemia"),
            ("intermittent-adt", "hot-flushes"), ("continuous-adt", "hot-flushes")} <= got
    assert ("intermittent-adt", "fatigue") not in got


def test_a_kind_named_in_one_word_is_the_document_s_own_therapy_of_that_kind():
    from salvage_kg.assertions import AdverseEffect
    from extracting import extract_checked
    text = ("# Salvage HDR brachytherapy after radiotherapy\n\nSalvage HDR brachytherapy was given to 60 men. "
            "Salvage HDR brachytherapy took two days.\n\n## Side effects\n\nAfter brachytherapy, urinary retention "
            "occurred in 5%.\n")
    assert {a.therapy for a in extract_checked(text) if isinstance(a, AdverseEffect)} == {"salvage-hdr-brachytherapy"}
    text = ("# Ifosfamide for relapsed sarcoma\n\nIfosfamide was given to 60 patients. Ifosfamide was given in "
            "hospital.\n\n## Side effects\n\nChemotherapy caused alopecia in most people.\n")
    assert {a.therapy for a in extract_checked(text) if isinstance(a, AdverseEffect)} == {"chemotherapy"}


def test_rates_set_against_each_other_under_a_heading_naming_two_arms():
    text = ("# Salvage cryoablation after radiotherapy\n\nWhole-gland salvage cryoablation suits multifocal recurrence; "
            "focal salvage cryoablation suits a single lesion.\n\nComplications (registry; whole-gland vs focal)\n"
            "- Rectourethral fistula: 3.5% vs 0.9%\n- Urinary incontinence: 31% vs 11%\n")
    got = {(st.therapy, st.effect): st.frequency for st in effects_of(text)}
    assert got[("whole-gland-salvage-cryoablation", "rectourethral-fistula")] == "3.5%"
    assert got[("salvage-focal-cryoablation", "urinary-incontinence")] == "11%"


def test_text_table_head_names_an_arm_over_each_rate_column():
    text = ("Methods\n\nMen were randomised to whole-gland cryoablation or focal cryoablation.\n\n"
            "Table 3. Toxicity\n"
            "                                  Whole-gland (n = 80)      Focal (n = 75)\n"
            "Urinary incontinence ............. 12.5% .................. 4.0%\n"
            "Erectile dysfunction ............. 60.0% .................. 0%\n")
    got = {(s.therapy, s.effect, s.frequency) for s in effects_of(text)}
    assert ("whole-gland-cryoablation", "urinary-incontinence", "12.5%") in got
    assert ("focal-cryoablation", "urinary-incontinence", "4.0%") in got
    assert ("whole-gland-cryoablation", "erectile-dysfunction", "60.0%") in got
    assert not any(t == "focal-cryoablation" and e == "erectile-dysfunction" for t, e, _ in got)


def test_unknown_name_rated_like_the_harms_beside_it_is_a_harm():
    text = ("Harms\n\nWith abiraterone, fatigue occurred in 30%, dizzy spells in 9% and hypertension in 12%. "
            "Apalutamide adds rash (24%), stumbles (8%) and hot flushes (14%).\n")
    got = {(s.therapy, s.effect, s.frequency) for s in effects_of(text)}
    assert ("abiraterone", "dizzy-spells", "9%") in got
    assert ("apalutamide", "stumbles", "8%") in got


def test_a_rated_sibling_after_as_were_is_named_without_the_verb():
    text = "Harms\n\nFatigue (32%) was common with darolutamide, as were stumbles (5%) and fractures (3%).\n"
    got = pairs(text)
    assert ("darolutamide", "stumbles") in got
    assert not any("were" in e for _, e in got)


def test_a_rated_name_beside_no_harm_is_no_harm():
    text = ("Results\n\nWith abiraterone, a PSA response occurred in 60% and radiographic stability in 40%.\n")
    assert not effects_of(text)


def test_harms_of_a_class_given_with_examples_go_to_the_class():
    text = ("Options\n\nBTK inhibitors such as ibrutinib, acalabrutinib and zanubrutinib are taken daily. "
            "They can cause atrial fibrillation and bleeding.\n")
    got = pairs(text)
    assert ("btk-inhibitor", "atrial-fibrillation") in got
    assert not any(t in ("ibrutinib", "acalabrutinib", "zanubrutinib") for t, _ in got)


def test_an_illness_the_patient_has_a_history_of_is_no_harm():
    text = ("Side effects\n\nWe avoid tofacitinib in anyone with a history of blood clots, heart attack or stroke. "
            "Tofacitinib can cause shingles.\n")
    got = pairs(text)
    assert ("tofacitinib", "herpes-zoster") in got
    assert not any(e in ("venous-thromboembolism", "myocardial-infarction", "stroke") for _, e in got)


def test_pipe_table_of_counts_out_of_100_per_treatment_column():
    text = ("## Risks side by side\n\n"
            "| Out of 100 people | Mesh plug repair after a stitched repair | Open patch repair again |\n"
            "| --- | --- | --- |\n"
            "| Wound infection | 2 | 5 |\n"
            "| Infection cleared at 1 year | 90 | 85 |\n")
    got = {(s.therapy, s.effect, s.frequency) for s in effects_of(text)}
    assert ("mesh-plug-repair", "wound-infection", "2 in 100") in got
    assert ("open-patch-repair-again", "wound-infection", "5 in 100") in got
    assert len(got) == 2  # the cleared infection is an outcome


def test_table_row_label_names_the_harm_in_its_own_words():
    text = ("## Risks side by side\n\n"
            "| Out of 100 people | Keyhole repair | Open repair |\n"
            "| --- | --- | --- |\n"
            "| Thigh pain lasting more than 6 months | 4 | 9 |\n"
            "| Late rectal bleeding | 1 | 2 |\n")
    got = pairs(text)
    assert ("laparoscopic-hernia-repair", "thigh-pain") in got
    assert ("open-repair", "rectal-bleeding") in got


def test_main_risks_column_with_the_drug_named_in_the_cell():
    text = ("## Evidence\n\n"
            "| Strategy | n | Main risks |\n"
            "| --- | --- | --- |\n"
            "| Catheter ablation | 90 | Cardiac tamponade 2.0% |\n"
            "| Antiarrhythmic drugs | 85 | Hypothyroidism 8% on amiodarone; nausea on mexiletine |\n")
    got = {(s.therapy, s.effect, s.frequency) for s in effects_of(text)}
    assert ("catheter-ablation", "cardiac-tamponade", "2.0%") in got
    assert ("amiodarone", "hypothyroidism", "8%") in got
    assert ("mexiletine", "nausea", None) in got
    assert not any(t == "antiarrhythmic-drug" for t, _, _ in got)


def test_harms_listed_before_main_complications_start_after_a_semicolon():
    text = ("Results\n\nWe report on thoracoscopic sympathectomy. After nerve clipping, most patients were free of "
            "sweating; Horner syndrome and pneumothorax were the main complications.\n")
    got = pairs(text)
    assert ("sympathectomy", "horner-syndrome") in got
    assert not any("clipping" in e for _, e in got)
