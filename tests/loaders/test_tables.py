"""Tables of results, on tables written for these tests (not taken from any corpus or evaluation
document): arms named in the column heads, units stated in a head, a backbone every arm receives."""
from __future__ import annotations

import pytest

from extracting import extract_checked
from salvage_kg.assertions import Outcome

pytest.importorskip("salvage_kg.ontology.terminology")


def outcomes(text: str) -> list[Outcome]:
    return [s for s in extract_checked(text) if isinstance(s, Outcome)]


def one(found, arm, measure, value) -> Outcome:
    hits = [o for o in found if o.arm == arm and o.measure == measure and o.value == value]
    assert hits, f"no {arm} {measure} {value} in {[(o.arm, o.measure, o.value) for o in found]}"
    return hits[0]


def test_pipe_table_with_an_arm_in_each_column_and_ratio_and_p_columns():
    found = outcomes(
        "Results\n\n"
        "| Outcome at 3 years | Ibrutinib (n = 120) | Bendamustine (n = 118) | HR (95% CI) | p |\n"
        "|---|---|---|---|---|\n"
        "| Overall survival | 81.5% | 70.2% | 0.58 (0.37-0.91) | 0.02 |\n"
        "| Event-free survival | 62.0% | 44.1% | 0.49 (0.33-0.72) | <0.001 |\n")
    os_ = one(found, "ibrutinib", "overall-survival", 81.5)
    assert (os_.unit, os_.time_point, os_.cohort_size, os_.comparator) == ("%", "3 years", 120, "bendamustine")
    assert one(found, "bendamustine", "overall-survival", 70.2).cohort_size == 118
    hr = one(found, "ibrutinib", "event-free-survival", 0.49)
    assert (hr.unit, hr.ci_lower, hr.ci_upper, hr.p_value, hr.significant) == ("HR", 0.33, 0.72, "<0.001", True)
    assert hr.comparator == "bendamustine"


def test_text_table_aligned_by_spaces_with_arms_in_the_head_row():
    found = outcomes(
        "Results\n\n"
        "Endpoint                        Rituximab (n=80)      Azacitidine (n=82)      p\n"
        "Response rate                   55.0%                 38.5%                   0.03\n"
        "Median overall survival (months)   20.4                14.9                    0.11\n")
    rr = one(found, "rituximab", "response-rate", 55.0)
    assert (rr.cohort_size, rr.p_value) == (80, "0.03")
    median = one(found, "azacitidine", "overall-survival", 14.9)
    assert median.unit == "mo"  # a bare number takes the unit its row label states


def test_backbone_every_arm_receives_does_not_name_the_arm():
    found = outcomes(
        "Patients were randomised to SBRT or radiotherapy.\n\n"
        "| Endpoint | SBRT + ADT | Radiotherapy + ADT |\n"
        "|---|---|---|\n"
        "| Metastasis-free survival | 71% | 60% |\n")
    one(found, "sbrt", "metastasis-free-survival", 71.0)
    one(found, "radiotherapy", "metastasis-free-survival", 60.0)


def test_pipe_table_column_head_gives_the_unit_of_bare_numbers():
    found = outcomes(
        "| Trial | Regimen | n | Median OS (months) |\n"
        "|---|---|---|---|\n"
        "| ALPHA | Ibrutinib | 140 | 31.2 |\n"
        "| ALPHA | Rituximab | 141 | 24.0 |\n")
    o = one(found, "ibrutinib", "overall-survival", 31.2)
    assert (o.unit, o.cohort_size) == ("mo", 140)


def test_harms_table_with_arm_columns_gives_no_outcomes():
    found = outcomes(
        "| Toxicity | Ibrutinib | Bendamustine |\n"
        "|---|---|---|\n"
        "| Atrial fibrillation | 8% | 1% |\n")
    assert not found


def test_leader_rows_under_a_heading_naming_one_therapy_belong_to_it():
    found = outcomes(
        "Efficacy\n"
        "  Gemcitabine rechallenge (n = 80)\n"
        "    Overall response rate ........ 38.5%\n"
        "    Median overall survival ...... 11.2 months\n"
        "  Docetaxel (n = 75)\n"
        "    Overall response rate ........ 22.0%\n"
        "    Median overall survival ...... 8.4 months\n")
    first = one(found, "gemcitabine-rechallenge", "overall-survival", 11.2)
    assert (first.unit, first.cohort_size) == ("mo", 80)
    assert one(found, "docetaxel", "response-rate", 22.0).cohort_size == 75


def test_a_column_head_naming_an_arm_by_its_modifier_is_the_arm_the_text_names_in_full():
    found = outcomes(
        "Partial-breast irradiation was used for small tumours and whole-breast irradiation for the others.\n\n"
        "| Outcome | Partial-breast (n=60) | Whole-breast (n=90) | p |\n"
        "|---|---|---|---|\n"
        "| Local control at 5 years | 96.1% | 97.0% | 0.60 |\n")
    arms = {o.arm for o in found if o.value in (96.1, 97.0)}
    assert len(arms) == 2 and all("breast" in a for a in arms)
    assert one(found, next(a for a in arms if a.startswith("partial")), found[0].measure, 96.1).cohort_size == 60


def test_leader_rows_under_a_line_naming_one_arm_per_column():
    found = outcomes(
        "Table 2. Outcomes by consolidation\n"
        "                       Docetaxel (n = 58)      Cabazitaxel (n = 71)\n"
        "5-year overall survival ......... 84.1% ............ 76.0%\n"
        "Non-relapse mortality ........... 3.4% ............. 1.4%\n")
    assert one(found, "docetaxel", "overall-survival", 84.1).cohort_size == 58
    assert one(found, "cabazitaxel", "overall-survival", 76.0).cohort_size == 71


def test_a_table_of_efficacy_and_toxicity_still_gives_its_results():
    found = outcomes(
        "Table 3. Efficacy and key toxicity\n"
        "                       Docetaxel (n = 58)      Cabazitaxel (n = 71)\n"
        "Overall response rate ........... 61.2% ............ 55.0%\n"
        "Overall survival at 2 years ..... 84.1% ............ 76.0%\n"
        "Grade 3-4 neutropenia ........... 30.4% ............ 22.0%\n")
    assert one(found, "docetaxel", "overall-survival", 84.1).cohort_size == 58
    assert one(found, "cabazitaxel", "response-rate", 55.0).cohort_size == 71
    assert not [o for o in found if o.value in (30.4, 22.0)]


def test_a_pipe_table_of_arms_by_row_with_columns_compared_with_placebo():
    from extracting import extract_checked
    from salvage_kg.assertions import Outcome
    text = ("# Results\n\n| Drug (trial) | n | Change in weekly attacks vs placebo | Responders (active vs placebo) |\n"
            "|---|---|---|---|\n| Erenumab (T-1) | 120 | -1.8 days | 41.0% vs 20.5% |\n"
            "| Galcanezumab (T-2) | 90 | -2.2 days | 37.5% vs 18.0% |\n")
    got = {(o.arm, o.value, o.unit) for o in extract_checked(text) if isinstance(o, Outcome)}
    assert {("erenumab", -1.8, "d"), ("erenumab", 41.0, "%"), ("placebo", 20.5, "%"),
            ("galcanezumab", 37.5, "%"), ("placebo", 18.0, "%")} <= got
    assert not {o for o in got if o[0] == "placebo" and o[1] in (-1.8, -2.2)}


def test_a_column_head_with_a_dose_names_the_arm_the_text_calls_by_a_related_word():
    from extracting import extract_checked
    from salvage_kg.assertions import Outcome
    text = ("# Trial\n\nHypofractionation was compared with conventional fractionation after prostatectomy.\n\n"
            "| Endpoint | Hypofractionated 62.5 Gy/25 (n = 215) | Conventional 70 Gy/35 (n = 213) |\n|---|---|---|\n"
            "| Metastasis-free survival at 5 years | 93.5% | 92.1% |\n")
    got = {(o.arm, o.value) for o in extract_checked(text) if isinstance(o, Outcome)}
    assert ("hypofractionated-radiotherapy", 93.5) in got and ("conventionally-fractionated-radiotherapy", 92.1) in got


def test_columns_of_cohorts_by_earlier_treatment_and_of_everyone():
    from salvage_kg.assertions import ConceptDeclaration
    text = ("# Salvage cryoablation after radiotherapy\n\nWe report salvage cryoablation in 90 men. Salvage cryoablation "
            "was done in two centres.\n\n"
            "| Endpoint at 2 years | After EBRT (n = 60) | After brachytherapy (n = 30) | All (n = 90) |\n|---|---|---|---|\n"
            "| Metastasis-free survival | 91% | 85% | 89% |\n")
    found = extract_checked(text)
    got = {(o.arm, o.value, o.cohort_size) for o in found if isinstance(o, Outcome)}
    assert got == {("after-ebrt", 91, 60), ("after-brachytherapy", 85, 30), ("salvage-cryoablation", 89, 90)}
    cohort = next(s for s in found if isinstance(s, ConceptDeclaration) and s.concept == "after-ebrt")
    assert (cohort.label, cohort.broader) == ("after EBRT", ("salvage-cryoablation",))


def test_a_row_label_gives_the_unit_of_its_bare_numbers():
    found = outcomes(
        "Table 1. Results\n"
        "                         Sunitinib (n = 50)    Everolimus (n = 48)\n"
        "Median PFS, months ........ 8.1 ........ 5.2\n"
        "Median overall survival (months) ........ 20.3 ........ 17.9\n")
    assert one(found, "sunitinib", "progression-free-survival", 8.1).unit == "mo"
    assert one(found, "everolimus", "overall-survival", 17.9).unit == "mo"


def test_a_column_head_giving_a_group_size_names_an_arm_the_terminology_lacks():
    found = outcomes(
        "| | Olaparib (n = 102) | Switching to the other tablet (n = 58) |\n|---|---|---|\n"
        "| Median overall survival | 20.1 months | 14.4 months |\n")
    assert one(found, "switching-to-the-other-tablet", "overall-survival", 14.4).cohort_size == 58
    assert one(found, "olaparib", "overall-survival", 20.1).cohort_size == 102


def test_a_table_under_a_heading_of_evidence_and_harms_gives_its_results():
    found = outcomes(
        "## Evidence and harms\n\n| Treatment | Fewer exacerbations vs placebo | Main harms |\n|---|---|---|\n"
        "| Mepolizumab | 53% (95% CI 44 to 60) | Headache 20% |\n")
    got = one(found, "mepolizumab", "fewer-exacerbations", 53)
    assert (got.comparator, got.ci_lower, got.ci_upper) == ("placebo", 44, 60)


def test_cells_written_as_so_many_in_100_are_percentages():
    found = outcomes(
        "|  | One-stage revision | Two-stage revision |\n|---|---|---|\n"
        "| Infection cured at 2 years | about 84 in 100 | about 88 in 100 |\n"
        "| Death within 1 year | 3 in 100 | 5 in 100 |\n")
    assert (one(found, "one-stage-revision", "infection-cured", 84).unit, one(found, "two-stage-revision", "death", 5)
            .time_point) == ("%", "1 year")


def test_a_ratio_below_1_belongs_to_the_arm_the_row_favours_whichever_column_it_is_in():
    found = outcomes(
        "| Endpoint at 5 years | Short-term ADT (n=300) | Long-term ADT (n=300) | HR (95% CI) | p |\n"
        "|---|---|---|---|---|\n"
        "| Metastasis-free survival | 79.6% | 84.2% | 0.72 (0.53-0.98) | 0.04 |\n")
    hr = next(o for o in found if o.unit == "HR")
    assert (hr.arm, hr.comparator, hr.value) == ("long-term-adt", "short-term-adt", 0.72)


def test_a_comparator_column_whose_cells_name_their_arm_gives_that_arm_the_measure_before_it():
    found = outcomes(
        "Evidence\n\n"
        "| Option | Trial | n | Remission at 8 weeks | Comparator |\n"
        "|---|---|---|---|---|\n"
        "| Lithium augmentation | LIT-2 | 120 | 36.0% | 18.5% with placebo |\n"
        "| Ketamine | KET-R | 88 | 41.2% | 25.0% with midazolam (p = 0.04) |\n")
    lithium = one(found, "lithium", "remission", 36.0)
    assert lithium.comparator == "placebo"
    assert one(found, "placebo", "remission", 18.5).time_point == "8 weeks"
    assert one(found, "ketamine", "remission", 41.2).comparator == "midazolam"
    assert one(found, "midazolam", "remission", 25.0)


def test_a_measure_named_in_a_bracketed_description_of_a_column_is_not_the_column_s_measure():
    found = outcomes(
        "Evidence\n\n"
        "| Option | n | Benefit (overall survival beyond two years) |\n"
        "|---|---|---|\n"
        "| Eltrombopag | 64 | 52.0% |\n"
        "| Romiplostim | 51 | 47.1% |\n")
    assert {(o.arm, o.measure, o.value) for o in found} == {("eltrombopag", "benefit", 52.0),
                                                           ("romiplostim", "benefit", 47.1)}


def test_an_effect_estimate_column_gives_the_ratios_its_cells_name_and_no_differences():
    found = outcomes(
        "Results\n\n"
        "| Endpoint | Ibrutinib (n = 150) | Bendamustine (n = 148) | Effect estimate (95% CI) | p |\n"
        "|---|---|---|---|---|\n"
        "| Overall response rate | 71.0% | 52.0% | difference 19.0 points (8.1 to 29.9) | <0.001 |\n"
        "| Median progression-free survival | 19.4 months | 12.8 months | HR 0.58 (0.43 to 0.78) | <0.001 |\n")
    hr = one(found, "ibrutinib", "progression-free-survival", 0.58)
    assert (hr.unit, hr.ci_lower, hr.ci_upper, hr.comparator) == ("HR", 0.43, 0.78, "bendamustine")
    assert not [o for o in found if o.value == 19.0]
