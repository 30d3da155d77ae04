"""Outcomes in running text, on sentences written for these tests (not taken from any corpus or
evaluation document)."""
from __future__ import annotations

import pytest

from extracting import extract_checked
from salvage_kg.assertions import Outcome

pytest.importorskip("salvage_kg.ontology.terminology")


def outcomes(text: str) -> list[Outcome]:
    return [s for s in extract_checked(text) if isinstance(s, Outcome)]


def values(found, arm=None, measure=None):
    return sorted(o.value for o in found if (arm is None or o.arm == arm) and (measure is None or o.measure == measure))


def test_a_percentage_bounding_a_subgroup_is_no_result():
    found = outcomes("In patients with 30% or more marrow blasts, the response rate was 62% with azacitidine "
                     "and 41% with venetoclax.")
    assert 30.0 not in values(found)
    assert values(found, "azacitidine", "response-rate") == [62.0]


def test_a_clause_without_arms_lists_its_values_in_the_order_the_arms_were_named():
    found = outcomes("The response rate was 50% with azacitidine and 35% with venetoclax; in older patients, "
                     "the rates were 44% and 29%.")
    assert values(found, "azacitidine") == [44.0, 50.0]
    assert values(found, "venetoclax") == [29.0, 35.0]


def test_timings_of_one_therapy_set_against_each_other_are_separate_arms():
    found = outcomes("Men were randomised to early or delayed ADT. Overall survival at 8 years was 80% with early "
                     "ADT and 76% with delayed ADT.")
    assert values(found, "early-adt") == [80.0]
    assert values(found, "delayed-adt") == [76.0]


def test_a_site_qualifier_narrows_an_event_free_endpoint():
    found = outcomes("Locoregional progression-free survival at 2 years was 73% with cisplatin.")
    assert values(found, "cisplatin", "locoregional-progression-free-survival") == [73.0]


def test_unqualified_survival_is_overall_survival():
    found = outcomes("With ibrutinib the median survival was 14.5 months.")
    assert values(found, "ibrutinib", "overall-survival") == [14.5]


def test_values_compared_with_a_stated_state_share_its_endpoint_and_name_their_arms():
    found = outcomes("At three years, 61% of men treated with salvage HIFU were free of treatment failure, "
                     "compared with 70% after salvage radical prostatectomy.")
    assert values(found, measure="failure-free-survival") == [61.0, 70.0]
    assert values(found, "salvage-radical-prostatectomy") == [70.0]


def test_a_result_naming_no_arm_belongs_to_the_narrower_salvage_treatment_of_the_document():
    text = ("Surgery after failed radiotherapy\n\n"
            "Salvage radical prostatectomy is surgery to remove the prostate after radiotherapy has failed. "
            "Surgery is hard after radiation.\n\nResults\n\nFive-year overall survival was 48%.")
    found = outcomes(text)
    assert [o.arm for o in found if o.value == 48.0] == ["salvage-radical-prostatectomy"]


def test_lay_states_name_their_endpoints():
    found = outcomes("Patients with relapsed myeloma were given daratumumab. In a study of 50 patients, 64% "
                     "responded. Two years later, 71% were alive.")
    assert values(found, "daratumumab", "response-rate") == [64.0]
    assert values(found, "daratumumab", "overall-survival") == [71.0]


def test_free_of_the_disease_returning_is_freedom_from_recurrence():
    found = outcomes("Between 2010 and 2020, 90 patients underwent salvage cystectomy. Five years after surgery, 62% of patients had no sign "
                     "of the cancer returning.")
    assert [o.measure for o in found if o.value == 62.0] == ["relapse-free-survival"]


def test_a_therapy_named_after_the_last_result_is_the_arm_of_a_result_naming_none():
    found = outcomes("Median survival was 14.2 months with nivolumab in the first trial. People whose tumour "
                     "carries the mutation may be offered the monoclonal antibody daratumumab. In a study of 40 "
                     "patients, 37% responded.")
    assert [o.arm for o in found if o.value == 37.0] == ["daratumumab"]


def test_ratio_for_one_arm_versus_another_takes_its_endpoint_from_the_sentence_not_an_arm():
    found = outcomes("In this trial 300 patients were randomised to surgery or radiotherapy. Event-free survival "
                     "at 3 years was 61% after surgery and 55% after radiotherapy (hazard ratio for surgery versus "
                     "radiotherapy 0.81; 95% CI 0.62-1.05).")
    assert [o.measure for o in found if o.value == 0.81] == ["event-free-survival"]


def test_ratio_for_death_with_an_arm_is_not_about_that_arm():
    found = outcomes("In this trial 300 patients were randomised to nivolumab or docetaxel. Median overall survival "
                     "was 9.2 months with nivolumab and 6.0 months with docetaxel (hazard ratio for death with "
                     "nivolumab 0.68; 95% CI 0.52-0.90).")
    assert [o.measure for o in found if o.value == 0.68] == ["overall-survival"]


def test_event_or_death_ratio_is_that_event_free_survival():
    found = outcomes("In the trial, the hazard ratio for progression or death with pembrolizumab was 0.55 "
                     "(95% CI 0.41-0.74).")
    assert values(found, measure="progression-free-survival") == [0.55]


def test_a_clipped_drug_name_names_its_arm_later():
    from salvage_kg.assertions import Outcome
    from extracting import extract_checked
    found = extract_checked("We gave idecabtagene vicleucel (ide-cel) or teclistamab. Overall response was 70.7% with "
                            "ide-cel and 39.0% with teclistamab.\n")
    got = {(o.arm, o.value) for o in found if isinstance(o, Outcome)}
    assert ("idecabtagene-vicleucel", 70.7) in got and ("teclistamab", 39.0) in got


def test_a_value_before_the_compared_arm_belongs_to_the_therapy_the_paragraph_is_about():
    found = outcomes("# Options\n\n## Lithium\n\nLithium is added to the antidepressant. In one trial, 41% responded "
                     "at 8 weeks, against 19% with placebo.\n")
    assert {(o.arm, o.value) for o in found} == {("lithium", 41), ("placebo", 19)}


def test_a_combination_known_by_a_short_name_is_an_arm_and_its_digit_is_no_value():
    found = outcomes("After chemotherapy, rituximab combined with lenalidomide, known as R2, is a standard option. "
                     "Median progression-free survival was 39.4 months with R2 compared with 14.1 months with "
                     "rituximab alone.")
    assert {(o.arm, o.value) for o in found} == {("rituximab-combined-with-lenalidomide", 39.4),
                                                 ("rituximab-alone", 14.1)}


def ratio_arms(found, value):
    return [(o.arm, o.comparator) for o in found if o.value == value and o.unit in ("HR", "OR", "RR")]


def test_each_ratio_belongs_to_the_arm_named_after_it_and_the_compared_arm_is_its_comparator():
    found = outcomes("Patients were randomised to cisplatin plus etoposide, etoposide alone or topotecan alone. "
                     "Compared with topotecan alone, the hazard ratio for progression or death was 0.61 "
                     "(95% CI 0.44 to 0.85; "
                     "p = 0.003) for cisplatin plus etoposide and 0.88 (95% CI 0.64 to 1.21; p = 0.43) for "
                     "etoposide alone.")
    assert ratio_arms(found, 0.61) == [("cisplatin-plus-etoposide", "topotecan-alone")]
    assert ratio_arms(found, 0.88)[0][0] == "etoposide-alone"


def test_a_ratio_naming_no_arm_is_the_experimental_arm_s_not_the_control_listed_first():
    found = outcomes("Patients were randomised to observation or nivolumab. Overall survival was longer with "
                     "the drug (hazard ratio 0.70, 95% CI 0.55-0.89).")
    assert ratio_arms(found, 0.70) == [("nivolumab", "observation")]


def test_a_deferred_arm_is_the_reference_of_a_ratio_whatever_order_the_values_come_in():
    found = outcomes("Ten-year overall survival was 64% with deferred ADT and 71% with early ADT "
                     "(hazard ratio 0.80, 95% CI 0.66-0.97).")
    assert [a for a, _ in ratio_arms(found, 0.80)] == ["early-adt"]


def test_a_ratio_of_the_risk_of_an_event_has_that_event_as_its_endpoint():
    found = outcomes("Patients were randomised to olaparib or placebo. Olaparib lowered the risk of progression "
                     "(hazard ratio 0.49, 95% CI 0.35-0.68).")
    assert [(o.arm, o.measure) for o in found if o.value == 0.49] == [("olaparib", "disease-progression")]


def test_the_risk_of_an_event_or_death_is_that_event_free_survival():
    found = outcomes("Patients were randomised to olaparib or placebo. In statistical terms, the risk of "
                     "progression or death fell by 40% (hazard ratio 0.60, 95% CI 0.45-0.80).")
    assert [o.measure for o in found if o.value == 0.60] == ["progression-free-survival"]


def test_a_ratio_for_death_compares_overall_survival():
    found = outcomes("Patients were randomised to olaparib or placebo. Progression-free survival was longer with "
                     "olaparib. The hazard ratio for death was 0.77 (95% CI 0.60-0.98).")
    assert [(o.arm, o.measure) for o in found if o.value == 0.77] == [("olaparib", "overall-survival")]


def test_a_ratio_whose_only_named_arm_is_the_reference_is_not_given_to_that_arm():
    found = outcomes("Relapse-free survival at 3 years was 62%. Compared with chemotherapy alone, the hazard ratio "
                     "for relapse was 0.55 (95% CI 0.40 to 0.75).")
    assert ratio_arms(found, 0.55) == []


def test_an_arm_named_by_its_modifier_alone_is_the_arm_the_document_names_in_full():
    found = outcomes("Patients were randomised to hypofractionated radiotherapy or conventional radiotherapy. "
                     "Freedom from progression was 70% in the hypofractionated arm and 66% in the conventional arm. "
                     "Among older men, freedom from progression was 61.8% hypofractionated, 58.0% conventional.")
    assert values(found, "hypofractionated-radiotherapy") == [61.8, 70.0]
    assert values(found, "conventional-radiotherapy") == [58.0, 66.0]


def test_adding_a_drug_to_a_backbone_changes_the_result_from_the_backbone_alone_to_the_combination():
    found = extract_checked("In a randomised trial, adding ibrutinib to venetoclax raised the complete response rate "
                            "from 40% to 58% (odds ratio 2.07, 95% CI 1.30-3.30).")
    got = {(o.arm, o.value) for o in found if isinstance(o, Outcome)}
    assert {("venetoclax-alone", 40.0), ("ibrutinib-plus-venetoclax", 58.0)} <= got
    assert ("ibrutinib-plus-venetoclax", 2.07) in got
    names = {d.concept: (d.label, d.broader) for d in found if type(d).__name__ == "ConceptDeclaration"}
    assert names["ibrutinib-plus-venetoclax"] == ("ibrutinib plus venetoclax", ("ibrutinib", "venetoclax"))


def test_values_set_against_each_other_go_to_the_design_arms_in_order_pair_by_pair():
    found = outcomes("In this trial, 300 patients were randomised to selinexor or placebo. Median progression-free "
                     "survival was 9.1 months versus 5.0 months, and the overall response rate was 60% versus 41%.")
    assert values(found, "selinexor") == [9.1, 60.0]
    assert values(found, "placebo") == [5.0, 41.0]


def test_a_design_arm_is_an_arm_even_when_the_same_sentence_names_it_as_the_failed_treatment():
    found = outcomes("In this trial, 300 patients relapsing after lenalidomide were randomised to selinexor or "
                     "lenalidomide. The overall response rate was 60% versus 41%.")
    assert values(found, "lenalidomide") == [41.0]


def test_a_share_of_the_patients_in_an_arm_group_in_a_stated_state_is_that_arm_s_result():
    found = outcomes("Patients were randomised to nivolumab or docetaxel. After two years, 48% of patients in the "
                     "nivolumab group were alive, against 31% in the docetaxel group.")
    assert values(found, "nivolumab", "overall-survival") == [48.0]
    assert values(found, "docetaxel", "overall-survival") == [31.0]


def test_alive_without_an_event_is_that_event_free_survival_not_overall_survival():
    found = outcomes("At five years, 64% of men given salvage radiotherapy were alive without metastases.")
    assert [(o.arm, o.measure, o.value) for o in found] == [("salvage-radiotherapy", "metastasis-free-survival", 64.0)]


def test_a_share_of_patients_before_a_duration_endpoint_is_not_a_duration():
    found = outcomes("Selinexor gave responses in 44% of 120 patients, with a median duration of response of "
                     "9.3 months.")
    assert values(found, "selinexor", "response-rate") == [44.0]
    assert values(found, "selinexor", "duration-of-response") == [9.3]
    found = outcomes("With selinexor, 44% of patients had grade 3 fatigue; the median time to progression was "
                     "9.3 months.")
    assert [(o.measure, o.value) for o in found] == [("time-to-progression", 9.3)]


def test_values_in_a_later_clause_naming_harms_are_not_the_endpoint_before_the_semicolon():
    found = outcomes("With selinexor, the response rate was 45%; nausea affected 30% and fatigue 12%.")
    assert [(o.measure, o.value) for o in found] == [("response-rate", 45.0)]


def test_a_share_of_patients_before_a_median_survival_is_not_survival():
    found = outcomes("In a pooled analysis of 300 patients given selinexor, about 35% saw their tumours shrink, and "
                     "the median survival was 11.2 months.")
    assert [(o.measure, o.value) for o in found] == [("overall-survival", 11.2)]
