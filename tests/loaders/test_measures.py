"""Criteria and outcomes on sentences written for these tests (not taken from any corpus or evaluation
document): each test states a general way clinical English reports a threshold or a result."""
from __future__ import annotations

import pytest

from extracting import extract_checked
from salvage_kg.assertions import ConceptDeclaration, Criterion, Document, Outcome

pytest.importorskip("salvage_kg.ontology.terminology")

def run(text: str) -> list:
    return extract_checked(text)


def criteria(text: str) -> list[Criterion]:
    return [s for s in run(text) if isinstance(s, Criterion)]


def outcomes(text: str) -> list[Outcome]:
    return [s for s in run(text) if isinstance(s, Outcome)]


def crit(found, parameter, comparator=None, value=None, **kw):
    hits = [c for c in found if c.parameter == parameter and c.comparator == comparator and c.value == value
            and all(getattr(c, k) == v for k, v in kw.items())]
    shown = [(c.parameter, c.comparator, c.value, c.unit) for c in found]
    assert hits, f"no {parameter} {comparator} {value} {kw} in {shown}"
    return hits[0]


def out(found, arm=None, measure=None, value=None):
    hits = [o for o in found if (arm is None or o.arm == arm) and (measure is None or o.measure == measure)
            and o.value == value]
    assert hits, f"no {arm} {measure} {value} in {[(o.arm, o.measure, o.value) for o in found]}"
    return hits[0]


# --- criteria ------------------------------------------------------------------------------------

def test_range_with_between_and_inherited_unit():
    found = criteria("Eligible men had a rising PSA that was between 0.1 and 1.5 ng/mL at enrolment. "
                     "Men with a PSA of 0.8 or above should be offered hormone therapy.")
    crit(found, "psa", "range", 0.1, value_max=1.5, unit="ng/mL")
    crit(found, "psa", ">=", 0.8, unit="ng/mL")  # unit taken from the document's other PSA values


def test_time_qualified_marker_is_the_marker():
    found = criteria("Salvage prostatectomy is reserved for men with a pre-salvage PSA below 8 ng/mL.")
    crit(found, "psa", "<", 8.0, unit="ng/mL")


def test_copies_per_ml():
    found = criteria("Treatment has failed when the viral load stays above 1000 copies/mL on repeat testing.")
    crit(found, "viral-load", ">", 1000.0, unit="copies/mL")


def test_state_named_by_marker_defined_by_threshold():
    found = criteria("Our aim is a suppressed viral load - meaning below 20 copies/mL - by month six.")
    crit(found, "viral-load", "<", 20.0, unit="copies/mL")


def test_age_band_and_minimum_age():
    found = criteria("The trial enrolled adults aged 20 to 65 years. Patients aged 75 years or older were "
                     "treated in a separate cohort.")
    crit(found, "age", "range", 20.0, value_max=65.0, unit="a")
    crit(found, "age", ">=", 75.0, unit="a")


def test_named_score_threshold_is_coined():
    found = criteria("A complete response required a Lugano score of 2 or lower on the final scan.")
    crit(found, "lugano-score", "<=", 2.0)


def test_counts_of_drugs_and_failed_regimens():
    found = criteria("A new regimen should include at least three active agents. It is usually needed after "
                     "three or more regimens have failed.")
    crit(found, "active-agents", ">=", 3.0)
    crit(found, "failed-regimens", ">=", 3.0)


def test_after_one_failed_regimen_is_not_a_threshold():
    found = criteria("Rescue treatment is given after one or more regimens have failed.")
    assert not [c for c in found if c.parameter == "failed-regimens"]


def test_wait_after_stopping_a_therapy_and_coordinated_wait():
    found = criteria("Retest no sooner than 6 weeks after completion of antibiotics, and 3 weeks after "
                     "discontinuing proton pump inhibitors.")
    crit(found, "time-since-antibiotic-therapy", ">=", 6.0, unit="wk")
    crit(found, "time-since-proton-pump-inhibitor", ">=", 3.0, unit="wk")


def test_or_joined_integers_are_a_range():
    found = criteria("Men with grade group 4 or 5 disease should be offered longer hormone therapy.")
    crit(found, "grade-group", "range", 4.0, value_max=5.0)


def test_wait_within():
    found = criteria("Relapse within 6 months after first-line chemotherapy predicts a poor response.")
    assert any(c.comparator == "<=" and c.value == 6.0 and c.unit == "mo" for c in found)


def test_prior_exposure_duration():
    found = criteria("Refractory infection means progression after at least 10 days of antifungal therapy.")
    crit(found, "duration-of-antifungal-therapy", ">=", 10.0, unit="d")


def test_drug_level_range_in_mg_per_litre_and_resistance_rate():
    found = criteria("Check a posaconazole trough level; the target range is 0.7 to 3.0 mg/L. Clarithromycin "
                     "triple therapy may be used where clarithromycin resistance is below 15%.")
    crit(found, "posaconazole-trough-level", "range", 0.7, value_max=3.0, unit="mg/L")
    crit(found, "clarithromycin-resistance", "<", 15.0, unit="%")


def test_lay_life_expectancy_and_doubling():
    found = criteria("You should be expected to live at least another 15 years. If your PSA is doubling in "
                     "less than 9 months, hormone treatment may be better.")
    crit(found, "life-expectancy", ">=", 15.0, unit="a")
    crit(found, "psa-doubling-time", "<", 9.0, unit="mo")


def test_exclusion_and_no_spread_are_negated_metastasis():
    found = criteria("Patients with liver or lung metastases were excluded.")
    assert any(c.negated and "metasta" in (c.parameter or "") for c in found)
    found = criteria("Scans showed no spread to the bones.")
    assert any(c.negated and c.parameter == "metastasis" for c in found)


def test_contraindication_is_negated_criterion():
    found = criteria("Isavuconazole: avoid in familial short QT syndrome.")
    crit(found, "familial-short-qt-syndrome", negated=True)


def test_anaphoric_threshold_with_a_consequence():
    found = criteria("Men with a PSA of 0.7 ng/mL or more benefited from ADT. Below that level, adding ADT is "
                     "not recommended.")
    crit(found, "psa", "<", 0.7, unit="ng/mL")


def test_ratio_and_summary_values_are_not_criteria():
    found = criteria("Median PSA at surgery was 2.3 ng/mL. The hazard ratio for metastasis was 0.61.")
    assert not [c for c in found if c.value in (2.3, 0.61)]


# --- outcomes ------------------------------------------------------------------------------------

TRIAL = ("Patients were randomly assigned to nivolumab plus DHAP (n = 60) or DHAP alone (n = 62).\n\n"
         "Results\n\n"
         "- Complete response: 68% with nivolumab plus DHAP versus 45% with DHAP alone (odds ratio 2.4, "
         "95% CI 1.3 to 4.6; p = 0.006).\n"
         "- 2-year progression-free survival: 71% (95% CI 62 to 79) versus 54% (95% CI 45 to 63); hazard "
         "ratio 0.58 (95% CI 0.38 to 0.89; p = 0.01).\n")


def test_combination_arm_is_one_concept_with_its_parts():
    statements = run(TRIAL)
    found = [s for s in statements if isinstance(s, Outcome)]
    combo = out(found, measure="complete-response", value=68.0)
    assert combo.arm != "nivolumab"
    assert out(found, measure="complete-response", value=45.0).arm != combo.arm


def test_values_without_arms_follow_the_previous_arms_in_order():
    found = outcomes(TRIAL)
    first = out(found, measure="complete-response", value=68.0).arm
    second = out(found, measure="complete-response", value=45.0).arm
    pfs1 = out(found, measure="progression-free-survival", value=71.0)
    pfs2 = out(found, measure="progression-free-survival", value=54.0)
    assert (pfs1.arm, pfs2.arm) == (first, second)
    assert pfs1.time_point == "2 years" and (pfs1.ci_lower, pfs1.ci_upper) == (62.0, 79.0)


def test_hazard_and_odds_ratios_are_outcomes_of_the_experimental_arm():
    found = outcomes(TRIAL)
    first = out(found, measure="complete-response", value=68.0).arm
    odds = out(found, measure="complete-response", value=2.4)
    assert odds.arm == first and odds.unit == "OR" and odds.p_value == "=0.006"
    hr = out(found, measure="progression-free-survival", value=0.58)
    assert hr.arm == first and hr.unit == "HR" and (hr.ci_lower, hr.ci_upper) == (0.38, 0.89)
    assert hr.significant is True


def test_ratio_in_the_next_sentence_takes_the_previous_endpoint():
    text = ("Overall survival at 5 years was 80% with ADT and 75% with placebo. The hazard ratio was 0.78 "
            "(95% CI 0.60 to 1.01; p = 0.06).")
    found = outcomes(text)
    hr = out(found, arm="androgen-deprivation-therapy", measure="overall-survival", value=0.78)
    assert hr.significant is False


def test_bare_value_continuing_a_ratio():
    text = ("Overall survival at 5 years was 80% with ADT and 75% with placebo. Among older men the hazard "
            "ratio for death was 0.70 (95% CI 0.52 to 0.94); among younger men it was 0.95 (95% CI 0.70 to 1.29).")
    found = outcomes(text)
    a = [o for o in found if o.value == 0.70]
    b = [o for o in found if o.value == 0.95]
    assert a and b and a[0].measure == b[0].measure


def test_paragraph_run_in_title_names_the_arm():
    text = ("Newer options\n\nDoravirine (Pifeltro). A pill taken once a day. In a study of 150 adults, about 70% "
            "had an undetectable viral load after 48 weeks.")
    o = out(outcomes(text), measure="virological-suppression", value=70.0)
    assert o.arm == "doravirine"
    assert o.time_point == "48 weeks" and o.cohort_size == 150


def test_same_cohort_refers_to_the_last_arm():
    text = ("Response rates were about 30% with caspofungin and 45% (95% CI 30-60) at week 12 for "
            "posaconazole in a cohort of 80 patients. Twelve-week all-cause mortality was 30% in the same cohort.")
    o = out(outcomes(text), measure="mortality", value=30.0)
    assert o.arm == "posaconazole" and o.time_point == "12 weeks"


def test_lay_result_free_of_recurrence():
    text = ("In our unit, 210 men were treated with salvage HIFU. Five years later, 55% had no sign of PSA "
            "recurrence.")
    o = out(outcomes(text), value=55.0)
    assert o.measure == "biochemical-recurrence-free-survival" and o.arm == "salvage-hifu"


def test_endpoint_defined_by_abbreviation_and_free_survival_endpoint():
    text = ("Methods: We reviewed 120 men who underwent salvage lymph node dissection (sLND). Major molecular "
            "response (MMR) was defined as a PSA below 0.1 ng/mL. Results: MMR was achieved in 40 men (33%). "
            "ADT-free survival at 2 years was 60% (95% CI 50-70).")
    found = outcomes(text)
    mmr = out(found, value=33.0)
    assert mmr.measure == "major-molecular-response" and mmr.arm == "salvage-lymph-node-dissection"
    adt_free = out(found, value=60.0)
    assert adt_free.measure == "adt-free-survival" and adt_free.arm == "salvage-lymph-node-dissection"


def test_median_survival_in_months_per_arm():
    text = ("Median overall survival was 14.2 months with ADT and 9.8 months with placebo (HR 0.71, 95% CI "
            "0.55 to 0.92).")
    found = outcomes(text)
    a = out(found, arm="androgen-deprivation-therapy", measure="overall-survival", value=14.2)
    assert a.unit == "mo"
    out(found, arm="placebo", measure="overall-survival", value=9.8)


def test_follow_up_and_time_points_are_not_time_results():
    text = ("After a median follow-up of 38 months, overall survival at 3 years was 70% with ADT. Patients were "
            "followed for 5 years.")
    assert not [o for o in outcomes(text) if o.value in (38.0, 3.0, 5.0)]


def test_percentage_of_a_cohort_is_not_an_outcome():
    text = ("Overall survival was reported for all patients; 77% underwent prior radiotherapy and 40% of "
            "patients had nodal disease.")
    assert not [o for o in outcomes(text) if o.value in (77.0, 40.0)]


def test_time_reference_and_background_regimen_are_not_arms():
    text = ("Lenacapavir (Sunlenca). It lowers the viral load for months. Among 70 volunteers, 80% were "
            "undetectable by 26 weeks, taken together with an optimised background regimen. Complete "
            "response before transplant was 50%.")
    found = outcomes(text)
    assert out(found, value=80.0).arm == "lenacapavir"
    assert all(o.arm != "transplantation" for o in found)


def test_declarations_of_coined_concepts():
    from salvage_kg.loaders import measures
    from salvage_kg.loaders.context import DocumentContext
    from salvage_kg.loaders.context import M
    from salvage_kg.loaders.recognize import Recognizer
    from salvage_kg.loaders.structure import sentences
    from salvage_kg.ontology.terminology import default_terminology

    # (not salvage_kg.loaders.extract: importing that submodule rebinds the package's `extract` function)
    term = default_terminology()
    rec = Recognizer(term)
    doc = Document(id="t", path="t.txt", text=TRIAL, sha256="0", title="t", kind="study-report")
    mentions = [M(m.start, m.end, m.concept, m.type, m.text) for m in rec.find(TRIAL)]
    ctx = DocumentContext(doc, sentences(TRIAL), mentions, term)
    decls = measures.declarations(ctx)
    assert all(isinstance(d, ConceptDeclaration) for d in decls)
    combos = [d for d in decls if "nivolumab" in d.broader]
    assert combos and combos[0].label.startswith("nivolumab plus")


# --- tables of results, arm anaphors, lay thresholds ---------------------------------------------

def test_dot_leader_table_with_arms_in_header():
    text = ("Patients were randomly assigned to cisplatin or observation.\n\n"
            "MAIN FINDINGS (cisplatin arm vs observation arm)\n\n"
            "Median overall survival ............ 20.5 months vs 11.0 months\n"
            "3-year event-free survival ......... 35% vs 12%\n")
    found = outcomes(text)
    assert out(found, "cisplatin", "overall-survival", 20.5)
    assert out(found, "observation", "overall-survival", 11.0)
    assert out(found, "observation", "event-free-survival", 12)


def test_pipe_table_with_arm_and_size_columns():
    text = ("## Results\n\n| Study | Arm | n | Overall survival at 2 years |\n|---|---|---|---|\n"
            "| ALPHA | cisplatin | 120 | 44% |\n| ALPHA | best supportive care | 118 | 20% |\n")
    found = outcomes(text)
    assert out(found, "cisplatin", "overall-survival", 44)
    assert any(o.value == 20 and o.cohort_size == 118 for o in found)


def test_table_under_harms_heading_gives_no_outcomes():
    text = ("Side effects (cisplatin arm vs observation arm)\n\n"
            "Nausea ................ 30% vs 5%\nFatigue ............... 20% vs 8%\n")
    assert not outcomes(text)


def test_shared_unit_and_combination_arm_anaphor():
    text = ("Patients were randomly assigned to cisplatin plus pemetrexed (200 patients) or pemetrexed alone "
            "(198 patients). Median progression-free survival was 6.1 versus 3.2 months. Median overall survival "
            "was 12.0 months with the combination and 9.0 months in the control arm.")
    found = outcomes(text)
    assert any(o.measure == "progression-free-survival" and o.value == 6.1 for o in found)
    assert any(o.measure == "overall-survival" and o.value == 9.0 and o.arm == "pemetrexed-alone" for o in found)


def test_size_comparator_and_volume_unit():
    found = criteria("Surgery is considered if your prostate is smaller than 50 mL.")
    assert crit(found, "prostate-volume", "<", 50)


def test_threshold_after_verb_phrase():
    found = criteria("Relapse is a PSA that has risen to 0.4 ng/mL or higher after surgery.")
    assert crit(found, "psa", ">=", 0.4)


def test_live_n_years_or_more():
    found = criteria("Surgery suits men who are likely to live for 15 years or more.")
    assert crit(found, "life-expectancy", ">=", 15)


# --- criteria stated as windows, shares of cells, populations left out (criteria_phrases.py) ------

def test_window_after_an_event_in_a_definition_bounds_the_time_since_it():
    found = criteria("Early progression refers to progression within 18 months of the last dose. "
                     "Late toxicity was seen within 2 years of treatment.")
    c = crit(found, "time-since-last-dose", "<=", 18.0)
    assert c.unit == "mo"
    assert not [x for x in found if x.value == 2.0]  # not a definition: no criterion


def test_share_of_cells_is_a_threshold_on_those_cells():
    found = criteria("Remission was defined as fewer than 5% plasma cells in the marrow. For patients with 60% or "
                     "more marrow blasts, azacitidine should be preferred.")
    crit(found, "plasma-cells", "<", 5.0, unit="%")
    crit(found, "marrow-blasts", ">=", 60.0, unit="%")


def test_populations_left_out_are_conditions_that_must_be_absent():
    found = criteria("Patients with hepatic vein thrombosis were excluded, as were those with active hepatitis at "
                     "screening. Patients with a tumour encasing the artery or the vein were not operated on.")
    names = {c.parameter for c in found if c.negated}
    assert {"hepatic-vein-thrombosis", "active-hepatitis", "tumour-encasing-the-artery-or-vein"} <= names


def test_threshold_marking_out_the_subgroup_of_a_result_is_no_criterion():
    found = criteria("For men whose PSA was under 2 ng/mL at the start, the two-year figure was 74%.")
    assert not [c for c in found if c.parameter == "psa"]


def test_waits_since_a_first_course_or_since_finishing_a_drug():
    found = criteria("Re-irradiation needs at least 3 years since the first course of radiotherapy. It can be "
                     "offered again if the tumour returned more than 9 months after you finished temozolomide.")
    crit(found, "time-since-radiotherapy", ">=", 3.0, unit="a")
    crit(found, "time-since-temozolomide", ">", 9.0, unit="mo")


def test_acronym_score_with_a_gloss_word():
    found = criteria("Men with an IPSS symptom score under 12 can be offered brachytherapy.")
    crit(found, "ipss-symptom-score", "<", 12.0)


def test_blood_counts_and_chemistry_with_their_units():
    found = criteria("Treatment is started when the platelet count drops below 30 x 10^9/L. Severe infection is "
                     "defined as a white cell count above 15 x 10^9/L or a serum creatinine above 133 µmol/L. "
                     "A GFR of at least 60 mL/min/1.73m2 is needed before cisplatin.")
    assert crit(found, "platelet-count", "<", 30).unit == "10^9/L"
    assert crit(found, "white-cell-count", ">", 15).unit == "10^9/L"
    assert crit(found, "serum-creatinine", ">", 133).unit == "µmol/L"
    assert crit(found, "glomerular-filtration-rate", ">=", 60).unit == "mL/min/1.73m2"


def test_lesion_sizes_in_centimetres_and_a_bound_none_may_pass():
    found = criteria("Resection is offered for a single tumour of 4 cm or less. Observation suits patients with "
                     "no lymph node larger than 6 cm.")
    assert crit(found, "lesion-size", "<=", 4).unit == "cm"
    assert crit(found, "lymph-node-size", "<=", 6).unit == "cm"


def test_a_threshold_defining_a_result_is_kept():
    found = criteria("Five years after surgery, 57% of men had no sign of recurrence, meaning a PSA that stayed "
                     "below 0.2 ng/mL.")
    assert crit(found, "psa", "<", 0.2).unit == "ng/mL"


# --- thresholds measured from the nadir, counts ------------------------------------------------------

def test_rise_above_nadir_bounds_the_rise_not_the_level():
    found = criteria("Relapse was defined as a rise in PSA of 1.5 ng/mL or more above the post-surgical nadir.")
    crit(found, "psa-rise-above-nadir", ">=", 1.5, unit="ng/mL")
    assert not [c for c in found if c.parameter == "psa" and c.value == 1.5]


def test_rise_above_lowest_level_in_lay_words():
    found = criteria("Doctors call it a relapse once your PSA has gone up at least 3 ng/mL above its lowest "
                     "level after treatment.")
    crit(found, "psa-rise-above-nadir", ">=", 3.0, unit="ng/mL")


def test_value_above_nadir_without_a_rise_is_no_rise_criterion():
    found = criteria("The PSA was 4 ng/mL above the nadir seen in the other group at the time of the scan.")
    assert not [c for c in found if c.parameter.endswith("rise-above-nadir")]


def test_count_of_lesions_is_declared_as_the_number_of_them():
    found = run("Surgery is an option for patients with up to four liver lesions; with more than four "
                "positive nodes, systemic therapy is advised.")
    crits = [s for s in found if isinstance(s, Criterion)]
    crit(crits, "liver-lesions", "<=", 4.0)
    crit(crits, "positive-nodes", ">", 4.0)
    labels = {d.concept: d.label for d in found if isinstance(d, ConceptDeclaration)}
    assert labels.get("positive-nodes") == "number of positive nodes"


def test_count_of_recurrences_is_a_threshold():
    found = criteria("Vaccination is recommended for children with at least three recurrences of otitis in a year.")
    crit(found, "recurrences", ">=", 3.0)


def test_populations_left_out_are_split_where_a_known_condition_ends():
    from extracting import extract_checked as ec
    text = ("Salvage study\n\nMen with a rectourethral fistula or prior pelvic surgery were excluded. "
            "Patients with tumour invading the aorta or airway were excluded.\n")
    negated = {st.parameter for st in ec(text) if st.kind == "criterion" and st.negated}
    assert "rectourethral-fistula" in negated
    assert "prior-pelvic-surgery" in negated
    assert "tumour-invading-the-aorta-or-airway" in negated


def test_combination_keeps_each_written_name_as_an_alternative_label():
    text = ("Men were assigned to radiotherapy plus ADT or radiotherapy alone. Metastasis-free survival was 68% "
            "with RT plus ADT and 55% with radiotherapy alone.\n")
    declared = [s for s in run(text) if isinstance(s, ConceptDeclaration) and len(s.broader) == 2]
    assert len(declared) == 1
    assert set(declared[0].abbreviations) == {"radiotherapy plus ADT", "RT plus ADT"}


def test_combination_of_two_drugs_joined_by_and_is_one_arm():
    text = ("After anti-PD-1 failure, patients switched to the combination of lenvatinib and pembrolizumab; "
            "28% responded.\n")
    declared = [s for s in run(text) if isinstance(s, ConceptDeclaration) and len(s.broader) == 2]
    assert [set(d.broader) for d in declared] == [{"lenvatinib", "pembrolizumab"}]
    assert {o.arm for o in run(text) if isinstance(o, Outcome)} == {declared[0].concept}


def test_time_since_a_treatment_is_named_as_written_and_bounded_by_a_window():
    text = ("Salvage brachytherapy is possible if at least 2 years have passed since your first radiotherapy. "
            "Persistent disease is hypercalcaemia within 6 months of parathyroidectomy.\n")
    found = run(text)
    crits = {(c.parameter, c.comparator, c.value, c.unit) for c in found if isinstance(c, Criterion)}
    assert ("time-since-radiotherapy", ">=", 2.0, "a") in crits
    assert ("time-since-parathyroidectomy", "<=", 6.0, "mo") in crits
    names = {d.concept: d.abbreviations for d in found if isinstance(d, ConceptDeclaration)}
    assert {"time since first radiotherapy", "time after radiotherapy"} <= set(names["time-since-radiotherapy"])


def test_freedom_from_an_event_is_the_event_free_measure():
    text = "In men treated with salvage radiotherapy, 3-year freedom from biochemical progression was 74.2%.\n"
    found = [o for o in run(text) if isinstance(o, Outcome)]
    assert [(o.measure, o.value) for o in found] == [("biochemical-recurrence-free-survival", 74.2)]


def test_criteria_read_an_interval_in_milliseconds():
    found = criteria("Arsenic trioxide is withheld when the QTc interval is longer than 500 ms.\n")
    assert [(c.comparator, c.value, c.unit) for c in found] == [(">", 500.0, "ms")]


def test_people_under_or_over_a_bare_number_are_that_old():
    found = criteria("Salvage prostatectomy is the first choice for fit men under 70 with a PSA below 10 ng/mL.\n")
    assert ("age", "<", 70.0, "a") in {(c.parameter, c.comparator, c.value, c.unit) for c in found}
    assert not [c for c in criteria("It helps men over 50% of the time.\n") if c.parameter == "age"]


def test_a_window_after_a_treatment_bounds_the_time_since_it_in_a_definition():
    defined = criteria("PSA persistence is defined as a PSA of 0.1 ng/mL or more measured 4 to 8 weeks after "
                       "radical prostatectomy.\n")
    assert ("time-since-radical-prostatectomy", "range", 4.0, 8.0, "wk") in {
        (c.parameter, c.comparator, c.value, c.value_max, c.unit) for c in defined}
    schedule = criteria("PSA should be measured 6 to 8 weeks after radical prostatectomy.\n")
    assert not [c for c in schedule if c.parameter.startswith("time-since")]


def test_a_value_a_term_means_is_its_threshold():
    found = criteria("An undetectable PSA means a value below 0.1 ng/mL.\n")
    assert [(c.parameter, c.comparator, c.value, c.unit) for c in found] == [("psa", "<", 0.1, "ng/mL")]


def test_a_result_after_a_treatment_belongs_to_that_treatment():
    text = ("After proton therapy failed, men had salvage prostatectomy or salvage cryoablation. Freedom from "
            "biochemical recurrence at 5 years was 58.3% after prostatectomy and 47.5% after cryoablation.\n")
    found = {(o.arm, o.value) for o in run(text) if isinstance(o, Outcome)}
    assert found == {("salvage-radical-prostatectomy", 58.3), ("salvage-cryoablation", 47.5)}


@pytest.mark.parametrize("phrase, comparator", [
    ("a PSA doubling time no longer than 12 months", "<="), ("a PSA doubling time not exceeding 12 months", "<="),
    ("a PSA doubling time no shorter than 12 months", ">="), ("a PSA doubling time of a minimum of 12 months", ">="),
])
def test_negated_comparatives_are_bounds(phrase, comparator):
    crit(criteria(f"Eligible men needed {phrase}."), "psa-doubling-time", comparator, 12.0, unit="mo")


def test_years_or_older_is_an_age_and_a_recurrence_has_a_size():
    crit(criteria("We included adults (18 years or older) who started venetoclax."), "age", ">=", 18.0, unit="a")
    crit(criteria("Salvage HIFU is an option for a recurrence no larger than 1.5 cm."), "lesion-size", "<=", 1.5,
         unit="cm")


def test_each_population_a_drug_must_avoid_or_a_study_excluded_is_a_condition_that_must_be_absent():
    found = criteria("Apalutamide must be avoided in men who have had seizures or who have untreated "
                     "hypothyroidism. We excluded men with any previous hormonal therapy and men with a history of "
                     "falls.")
    negated = {c.parameter for c in found if c.negated}
    assert {"untreated-hypothyroidism", "previous-hormonal-therapy", "history-of-falls"} <= negated
    assert not any("men-who" in c.parameter for c in found)


def test_a_cohorts_surgical_group_is_its_one_operation_and_free_of_x_is_the_x_free_measure():
    found = outcomes("Results\n\nEighty men went on to salvage radical prostatectomy and 71 had external beam "
                     "radiotherapy. Three years later, 81.8% of the surgical group and 84.5% of the radiotherapy "
                     "group were free of biochemical recurrence.")
    out(found, "salvage-radical-prostatectomy", "biochemical-recurrence-free-survival", 81.8)


@pytest.mark.parametrize("text, parameter, comparator, value, unit", [
    ("Ureteroscopy is preferred for stones up to 2 cm.", "stone-size", "<=", 2, "cm"),
    ("Cysts above 4 mm mean the treatment failed.", "cyst-size", ">", 4, "mm"),
    ("Polyps larger than 10 mm are removed.", "polyp-size", ">", 10, "mm"),
])
def test_a_named_kind_of_object_has_its_own_size(text, parameter, comparator, value, unit):
    crit(criteria(text), parameter, comparator, value, unit=unit)


@pytest.mark.parametrize("text, parameter, comparator, value, unit", [
    ("Grafting is avoided for bone with a graft density above 1,000 Hounsfield units.", "graft-density", ">", 1000,
     "[hnsf'U]"),
    ("Sling surgery is offered when the maximum flow rate is below 12 mL per second.", "maximum-flow-rate", "<", 12,
     "mL/s"),
    ("Bariatric revision is considered for a body mass index above 35 kg/m2.", "body-mass-index", ">", 35, "kg/m2"),
    ("Mepolizumab is an option when the blood eosinophil count is at least 300 cells per microlitre.",
     "blood-eosinophil-count", ">=", 300, "cells/uL"),
    ("The second biologic suits patients with a FeNO of 40 ppb or more.", "feno", ">=", 40, "[ppb]"),
    ("Dosing follows total IgE between 30 and 700 IU/mL.", "serum-ige", "range", 30, "[IU]/mL"),
    ("Bevacizumab is paused when urine protein is above 3 g per 24 hours.", "urine-protein", ">", 3, "g/d"),
])
def test_the_words_before_a_bound_with_a_unit_name_what_is_measured(text, parameter, comparator, value, unit):
    crit(criteria(text), parameter, comparator, value, unit=unit)


@pytest.mark.parametrize("text", [
    "Median follow-up was more than 5 years and the mean dose above 70 Gy.",
    "It was a temporary rise above 2 ng/mL.",
    "Relapse occurred within 3 months in those over 40 kg.",
])
def test_summaries_changes_and_pronouns_are_not_measured_things(text):
    assert not [c for c in criteria(text) if c.comparator in ("<", ">", "<=", ">=")
                and c.parameter not in ("psa", "age", "weight", "body-weight")]


def test_a_thousands_separator_is_no_decimal_comma():
    from salvage_kg.loaders.patterns import number
    assert (number("1,000"), number("12,500"), number("0,5"), number("2,25")) == (1000, 12500, 0.5, 2.25)


def test_a_bound_that_rules_the_treatment_out_is_negated():
    found = criteria("We do not offer salvage HIFU if the prostate volume is above 40 mL.")
    assert [(c.comparator, c.value, c.negated) for c in found if c.comparator] == [(">", 40, True)]
    found = criteria("We do not offer salvage HIFU unless the prostate volume is below 40 mL.")
    assert [(c.comparator, c.value, c.negated) for c in found if c.comparator] == [("<", 40, False)]


@pytest.mark.parametrize("text", [
    "Nivolumab should not be used when the eosinophil count is above 1,500 cells/uL.",
    "Men with a PSA above 50 ng/mL were not eligible.",
    "Patients with a creatinine clearance below 30 mL/min were ineligible for the trial.",
    "Dronedarone cannot be used if the ejection fraction is below 35%.",
    "Avoid the drug in people aged 70 or over.",
    "Lithium is stopped if the creatinine rises above 150 µmol/L.",
    "If your BMI is over 40, we will delay the operation until you have lost weight.",
    "Women with an eGFR below 30 mL/min are better served by a lower dose.",
    "A scan done less than 6 weeks after chemotherapy should not be relied on.",
    "I don't give it to anyone with a platelet count under 50 x 10^9/L.",
    "Surgery is postponed if the HbA1c is above 69 mmol/mol.",
])
def test_other_wordings_that_rule_a_treatment_out_negate_the_bound(text):
    assert [c.negated for c in criteria(text) if c.comparator] == [True]


@pytest.mark.parametrize("text, parameter, comparator, value", [
    ("Low disease activity is a DAS28 below 3.2.", "das28", "<", 3.2),
    ("Poor control means an Asthma Control Questionnaire (ACQ) score above 1.5.", "acq", ">", 1.5),
    ("Patients with a Montgomery-Asberg Depression Rating Scale score of 20 or more were included.", "madrs", ">=", 20),
])
def test_a_rating_scale_is_bounded_like_a_marker(text, parameter, comparator, value):
    crit(criteria(text), parameter, comparator, value)


def test_what_must_be_absent_for_an_option_is_a_negated_criterion():
    found = criteria("If you have no fever or chest pain, watchful waiting can be a reasonable choice.")
    assert {(c.parameter, c.negated) for c in found} >= {("fever", True), ("chest-pain", True)}


def test_its_doubling_time_is_the_marker_s():
    crit(criteria("Your PSA is under 10 ng/mL and its doubling time is longer than 9 months."), "psa-doubling-time",
         ">", 9, unit="mo")


def test_people_a_treatment_is_not_offered_to_are_negated_criteria():
    found = criteria("I would not offer it to a man with a narrow urethra or to anyone whose bladder is already small.")
    assert {(c.parameter, c.label, c.negated) for c in found} >= {
        ("narrow-urethra", "no narrow urethra", True), ("small-bladder", "no small bladder", True)}


def test_a_measured_thing_with_its_value_and_or_more():
    crit(criteria("Refractory shock means needing a vasopressin dose of 0.04 micrograms/kg/min or more."),
         "vasopressin-dose", ">=", 0.04, unit="µg/kg/min")
    assert not [c for c in criteria("Hypotony means a pressure of 5 mmHg or lower.") if c.parameter == "pressure"]


def test_a_pronoun_bounds_the_parameter_just_named():
    text = ("Your doctor will mention the platinum-free interval. That is the time since your last platinum dose. "
            "If it is 6 months or longer, the cancer is called platinum-sensitive.")
    crit(criteria(text), "platinum-free-interval", ">=", 6, unit="mo")
    assert not [c for c in criteria("The trial ran for years. If it is 6 months or longer, stop.") if c.comparator]


@pytest.mark.parametrize("text, parameter, comparator, value", [
    ("Severe disease means at least two exacerbations needing oral steroids in a year.", "exacerbations", ">=", 2),
    ("Eligible patients had at least one measurable lesion.", "measurable-disease", ">=", 1),
    ("Surgery is considered after three or more attacks.", "attacks", ">=", 3),
])
def test_a_count_of_events_or_lesions_is_a_criterion(text, parameter, comparator, value):
    crit(criteria(text), parameter, comparator, value)


def test_an_age_ruled_out_unless_there_is_no_alternative_is_a_negated_bound_not_a_condition():
    found = criteria("JAK inhibitors should not be used in people aged 65 or over unless no suitable alternative exists.")
    assert [(c.parameter, c.comparator, c.value, c.negated) for c in found] == [("age", ">=", 65, True)]


def test_a_wait_after_a_marker_measured_in_a_concentration_is_no_level_of_the_marker():
    found = criteria("Salvage is considered at a PSA above 2 ng/mL. A second PSA measurement at least 3 months after "
                     "the first rise is required.")
    assert [(c.parameter, c.unit) for c in found if c.parameter == "psa"] == [("psa", "ng/mL")]


@pytest.mark.parametrize("text, parameter, comparator, value, unit", [
    ("High risk means a PSA doubling time of 9 months or shorter.", "psa-doubling-time", "<=", 9, "mo"),
    ("Surgery is offered to men aged 70 or older.", "age", ">=", 70, "a"),
    ("Inflammation is active when faecal calprotectin is above 250 µg/g.", "faecal-calprotectin", ">", 250, "µg/g"),
    ("Dose escalation is advised when the infliximab trough level is below 3 µg/mL.", "infliximab-trough-level", "<",
     3, "mg/L"),
    ("An adalimumab trough below 7.5 µg/mL is low.", "adalimumab-trough-level", "<", 7.5, "mg/L"),
    ("Steroids are started when the ESR is above 40 mm/h.", "erythrocyte-sedimentation-rate", ">", 40, "mm/h"),
    ("ADT is adequate when testosterone is below 50 ng/dL.", "testosterone", "<", 50, "ng/dL"),
    ("The drug is stopped when ALT rises above 120 IU/L.", "alanine-aminotransferase", ">", 120, "[IU]/L"),
    ("The drug is stopped when ALT rises above 120 U/L.", "alanine-aminotransferase", ">", 120, "[IU]/L"),
    ("Surgery is postponed if the HbA1c is above 64 mmol/mol.", "glycated-haemoglobin", ">", 64, "mmol/mol"),
])
def test_more_ways_of_writing_a_bound(text, parameter, comparator, value, unit):
    crit(criteria(text), parameter, comparator, value, unit=unit)


def test_a_noun_between_the_value_and_or_higher_and_a_blood_pressure_pair():
    crit(criteria("Failure is a biopsy showing grade group 2 cancer or higher."), "grade-group", ">=", 2)
    crit(criteria("Resistant hypertension is an office blood pressure of 140/90 mmHg or higher."), "blood-pressure",
         ">=", 140, unit="mmHg")


def test_a_treatment_not_had_before_is_an_absent_condition_and_negates_only_its_clause():
    from salvage_kg.assertions import Indication
    found = run("# After abiraterone\n\nIf you have not had chemotherapy, docetaxel is a reasonable alternative.\n")
    assert [(c.parameter, c.negated) for c in found if isinstance(c, Criterion)] == [("chemotherapy", True)]
    assert [(i.therapy, i.strength) for i in found if isinstance(i, Indication)] == [("docetaxel", "may-be-considered")]


def test_a_count_among_excluded_populations_is_a_bound_not_an_absent_condition():
    found = criteria("Men with liver metastases or more than three progressing lesions were not eligible.")
    assert {(c.parameter, c.comparator, c.value, c.negated) for c in found} == {
        ("liver-metastases", None, None, True), ("number-of-progressing-lesions", ">", 3, True)}


def test_a_parameter_inside_a_hyphenated_word_is_not_bounded():
    assert not [c for c in criteria("These figures come from 431 revisions in our unit (188 one-stage, 243 two-stage).")
                if c.parameter == "stage"]


def test_an_exclusion_list_names_conditions_that_must_be_absent():
    found = criteria("Exclusion criteria were pT4 disease, an ECOG status of 2 or more, previous pelvic surgery, "
                     "ulcerative colitis and any earlier chemotherapy.")
    assert {c.parameter for c in found if c.negated and c.comparator is None} >= {
        "pt4-disease", "previous-pelvic-surgery", "ulcerative-colitis", "earlier-chemotherapy"}
    found = criteria("Prior EGFR-directed therapy and a previous lung radiotherapy course were exclusions.")
    assert {c.parameter for c in found if c.negated} >= {"prior-egfr-directed-therapy",
                                                         "prior-lung-radiotherapy"}


def test_a_qualifier_coordinated_before_a_shared_noun_names_two_conditions():
    found = criteria("Untreated or symptomatic liver metastases were exclusion criteria.")
    assert {c.parameter for c in found if c.negated} >= {"untreated-liver-metastases", "symptomatic-liver-metastases"}
    found = criteria("Women with pelvic or distant relapse were excluded.")
    assert {c.parameter for c in found if c.negated} >= {"pelvic-relapse", "distant-relapse"}


def test_each_person_a_treatment_is_ruled_out_for_names_a_condition_that_must_be_absent():
    found = criteria("These tablets should not be used in people aged 70 or over, current smokers, or people with "
                     "other bleeding risks, unless nothing else has worked.")
    assert {(c.parameter, c.negated) for c in found} >= {("age", True), ("smoking-status", True),
                                                        ("bleeding-risks", True)}
    assert "over" not in {c.parameter for c in found}
    found = criteria("The implant cannot be used if you have liver failure or a narrow ureter (under 4 mm).")
    assert {c.parameter for c in found if c.negated} >= {"liver-failure", "narrow-ureter"}
    found = criteria("Focal ablation is not recommended for men with a lesion at the apex or with disease in both "
                     "lobes; surgery is preferred.")
    assert {c.parameter for c in found if c.negated} >= {"lesion-at-the-apex", "disease-in-both-lobes"}
    found = criteria("People with severe asthma should avoid propranolol, because it narrows the airways.")
    assert ("severe-asthma", True) in {(c.parameter, c.negated) for c in found}


@pytest.mark.parametrize("text", [
    "Chemotherapy should not be used in this setting.",
    "Surgery is not recommended for men fit enough for radiotherapy.",
    "We do not offer the operation if you have had three or more previous repairs.",
])
def test_a_setting_people_described_by_fitness_or_a_count_are_no_absent_conditions(text):
    assert not [c for c in criteria(text) if c.negated and c.comparator is None]


@pytest.mark.parametrize("text", [
    "Before salvage surgery, a bone scan must rule out spread beyond the pelvis.",
    "You will need a CT scan to make sure the tumour has not spread.",
])
def test_a_scan_that_must_rule_out_spread_makes_metastases_absent(text):
    assert ("metastasis", True) in {(c.parameter, c.negated) for c in criteria(text)}
