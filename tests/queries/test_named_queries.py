"""Every named query against the fixture dataset: the rows it must return, in order."""
import pytest

from salvage_kg.queries import catalog
from salvage_kg.queries.runner import run_named


def short(term):
    """IRIs by their last segment (src/guide -> guide), literals by their text, unbound as None."""
    if term is None:
        return None
    if term["type"] == "uri":
        return term["value"].rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return term["value"]


def rows(result, *columns):
    return [tuple(short(row.get(c)) for c in columns) for row in result.rows]


def run(source, name, **params):
    return run_named(name, params, source)


def test_salvage_options_lists_every_indication_once_per_source(source):
    r = run(source, "salvage-options")
    assert rows(r, "therapyLabel", "conditionLabel", "afterLabel", "source") == [
        ("androgen deprivation therapy", "biochemical recurrence", None, "guide"),
        ("cryoablation", "prostate cancer", "radiotherapy", "guide"),
        ("high-dose chemotherapy with autologous stem cell transplantation", "Hodgkin lymphoma", "chemotherapy",
         "article"),
        ("high-intensity focused ultrasound", "prostate cancer", "radiotherapy", "article"),
        ("high-intensity focused ultrasound", "prostate cancer", "radiotherapy", "guide"),
        ("salvage antiretroviral therapy", "HIV infection", "first-line antiretroviral therapy", "guide"),
        ("salvage focal therapy", "prostate cancer", "brachytherapy", "study"),
        ("salvage radical prostatectomy", "prostate cancer", "radiotherapy", "guide"),
        ("salvage radiotherapy", "biochemical recurrence", "radical prostatectomy", "guide"),
        ("salvage radiotherapy", "biochemical recurrence", "radical prostatectomy", "study"),
        ("TIP regimen", "germ cell tumour", None, "article"),
    ]
    first = r.rows[0]
    assert "after" not in first and "afterLabel" not in first  # no prior treatment stated: unbound
    assert short(first["combinedWithLabel"]) == "salvage radiotherapy"
    assert r.rows[0]["source"]["value"] == "https://w3id.org/salvage-kg/source/guide"
    assert [short(row.get("strength")) for row in r.rows[3:5]] == ["NotRecommended", "MayBeConsidered"]


def test_salvage_options_after_radiotherapy_includes_sub_concepts(source):
    r = run(source, "salvage-options", after="radiotherapy")
    assert rows(r, "therapy", "after", "source") == [
        ("cryoablation", "radiotherapy", "guide"),
        ("hifu", "radiotherapy", "article"),
        ("hifu", "radiotherapy", "guide"),
        ("salvage-focal-therapy", "brachytherapy", "study"),
        ("salvage-radical-prostatectomy", "radiotherapy", "guide"),
    ]


def test_salvage_options_after_prostatectomy_and_by_condition(source):
    r = run(source, "salvage-options", after="radical prostatectomy")
    assert rows(r, "therapy", "source") == [("salvage-radiotherapy", "guide"), ("salvage-radiotherapy", "study")]
    assert rows(r, "intent", "strength", "negated")[0] == ("CurativeIntent", "Recommended", "false")
    r = run(source, "salvage-options", condition="prostate cancer", after="RT")
    assert {t for t, in rows(r, "therapy")} == {"cryoablation", "hifu", "salvage-focal-therapy",
                                               "salvage-radical-prostatectomy"}
    r = run(source, "salvage-options", condition="lymphoma")
    assert rows(r, "therapy", "condition") == [("hdc-asct", "hodgkin-lymphoma")]


def test_complications_with_qualifiers_and_negation(source):
    r = run(source, "complications")
    assert rows(r, "therapyLabel", "complicationLabel", "source", "negated") == [
        ("cryoablation", "erectile dysfunction", "article", "true"),
        ("cryoablation", "erectile dysfunction", "guide", "false"),
        ("cryoablation", "urinary incontinence", "article", "false"),
        ("salvage radical prostatectomy", "any complication", "study", "false"),
    ]
    assert rows(r, "timing", "frequency")[2] == ("late", "common")
    assert rows(r, "oddsRatio", "comparatorLabel", "pValue")[3] == ("24", "salvage focal therapy", "<0.001")
    r = run(source, "complications", therapy="sRP")
    assert rows(r, "complication") == [("any-complication",)]


def test_criteria_with_readable_labels(source):
    r = run(source, "criteria")
    assert rows(r, "therapyLabel", "criterionLabel", "operator", "value", "unit", "negated", "source") == [
        ("androgen deprivation therapy", "PSA >= 0.7 ng/mL", ">=", "0.7", "ng/mL", "false", "guide"),
        ("salvage therapy", "life expectancy > 10 years", ">", "10", "a", "false", "guide"),
        ("salvage therapy", "no metastases", None, None, None, "true", "guide"),
    ]
    r = run(source, "criteria", therapy="hormone therapy")
    assert rows(r, "criterionLabel") == [("PSA >= 0.7 ng/mL",)]


def test_outcomes_with_interval_time_point_and_cohort(source):
    r = run(source, "outcomes")
    assert rows(r, "therapyLabel", "measureLabel", "value", "source") == [
        ("salvage focal therapy", "cancer-specific survival", "85", "article"),
        ("salvage focal therapy", "cancer-specific survival", "92", "study"),
        ("salvage radical prostatectomy", "cancer-specific survival", "99", "study"),
    ]
    assert rows(r, "unit", "ciLower", "ciUpper", "ciLevel", "timePoint", "cohortSize")[1] == (
        "%", "86", "98", "95", "10 years", "400")
    assert r.rows[1]["value"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert rows(run(source, "outcomes", therapy="salvage RP"), "value") == [("99",)]


def test_prerequisites_and_what_not_to_rest_on(source):
    r = run(source, "prerequisites", therapy="salvage therapy")
    assert rows(r, "therapyLabel", "prerequisiteLabel", "requirementLabel", "negated", "source") == [
        ("local salvage therapy", "biopsy confirmation", "prostate biopsy", "false", "guide"),
        ("local salvage therapy", "not imaging alone", "imaging", "true", "guide"),
    ]


def test_sources_with_reference_kind_and_reliability(source):
    r = run(source, "sources")
    assert rows(r, "source", "title", "reference", "kind", "reliability", "statements") == [
        ("study", "A test cohort of salvage focal therapy", "https://doi.org/10.9999/test.1", "study-report", "1", "5"),
        ("guide", "Salvage options: a test guide", "https://example.org/guides/salvage", "clinical-summary", "1",
         "14"),
        ("article", "Living with salvage treatment", None, "consumer-article", "3", "7"),
    ]
    assert short(r.rows[2]["publisher"]) == "Test Health Blog"


def test_evidence_for_a_statement_gives_every_quote(source):
    options = run(source, "salvage-options", after="RP")
    statement = options.rows[0]["statement"]["value"]
    for subject in (statement, "sks:" + statement.rsplit("/", 1)[1], f"<{statement}>"):
        r = run(source, "evidence", subject=subject)
        assert rows(r, "source") == [("guide",), ("study",)]
        assert {short(row["statement"]) for row in r.rows} == {statement.rsplit("/", 1)[1]}
    quotes = [q for q, in rows(r, "quote")]
    assert quotes[0].startswith("For a rising PSA") and quotes[1].startswith("Salvage radiotherapy is")


def test_evidence_for_a_concept_covers_its_statements(source):
    r = run(source, "evidence", subject="HIFU")
    assert rows(r, "source", "statementType") == [("article", "Indication"), ("guide", "Indication")]
    r = run(source, "evidence", subject="TIP")  # an abbreviation only the article defines
    assert rows(r, "quote") == [("The TIP regimen is a salvage choice for germ cell tumours.",)]
    everything = run(source, "evidence")
    assert len(everything) == 26
    start, end = int(everything.rows[0]["start"]["value"]), int(everything.rows[0]["end"]["value"])
    assert end - start == len(everything.rows[0]["quote"]["value"])


def test_combined_therapy_gives_criteria_and_duration(source):
    expected = [("androgen deprivation therapy", "salvage radiotherapy", "PSA >= 0.7 ng/mL", "4-6 months", "guide")]
    columns = ("therapyLabel", "combinedWithLabel", "criterionLabel", "durationLabel", "source")
    assert rows(run(source, "combined-therapy"), *columns) == expected
    # either order of the two therapies finds the combination
    assert rows(run(source, "combined-therapy", therapy="ADT", **{"with": "salvage RT"}), *columns) == expected
    assert rows(run(source, "combined-therapy", therapy="salvage radiotherapy", **{"with": "ADT"}), *columns) == expected
    assert rows(run(source, "combined-therapy", therapy="cryoablation"), *columns) == []


def test_durations(source):
    r = run(source, "durations", therapy="ADT")
    assert rows(r, "therapyLabel", "durationLabel", "value", "valueMax", "unit", "combinedWithLabel") == [
        ("androgen deprivation therapy", "4-6 months", "4", "6", "mo", "salvage radiotherapy")]


def test_thresholds_and_what_they_trigger(source):
    r = run(source, "thresholds")
    assert rows(r, "parameterLabel", "operator", "value", "unit", "triggersLabel") == [
        ("life expectancy", ">", "10", "a", "salvage therapy"),
        ("prostate-specific antigen", ">=", "0.7", "ng/mL", "androgen deprivation therapy"),
    ]
    assert rows(run(source, "thresholds", parameter="PSA"), "criterionLabel") == [("PSA >= 0.7 ng/mL",)]


def test_other_diseases_leave_out_prostate_cancer_by_default(source):
    r = run(source, "other-diseases")
    assert rows(r, "conditionLabel", "therapyLabel", "afterLabel") == [
        ("germ cell tumour", "TIP regimen", None),
        ("HIV infection", "salvage antiretroviral therapy", "first-line antiretroviral therapy"),
        ("Hodgkin lymphoma", "high-dose chemotherapy with autologous stem cell transplantation", "chemotherapy"),
    ]
    r = run(source, "other-diseases", exclude="lymphoma")
    assert {c for c, in rows(r, "condition")} == {"germ-cell-tumour", "hiv-infection", "prostate-cancer"}


def test_approaches_compare_definitions(source):
    r = run(source, "approaches")
    assert rows(r, "termLabel", "intent", "contrastedWithLabel", "source") == [
        ("salvage therapy", "CurativeIntent", "palliative therapy", "guide"),
        ("salvage therapy", "PalliativeIntent", None, "article"),
    ]
    assert rows(run(source, "approaches", term="palliative therapy"), "term") == []


def test_corroborated_statements_have_one_row_per_source(source):
    r = run(source, "corroborated")
    assert rows(r, "statementType", "sourceCount", "source") == [
        ("AdverseEffectAssociation", "2", "article"),
        ("AdverseEffectAssociation", "2", "guide"),
        ("Indication", "2", "guide"),
        ("Indication", "2", "study"),
    ]


def test_disagreements_show_both_sides(source):
    r = run(source, "disagreements")
    assert rows(r, "subjectLabel", "aspect", "claim", "source") == [
        ("cryoablation", "negation", "affirms", "guide"),
        ("cryoablation", "negation", "denies", "article"),
        ("high-intensity focused ultrasound", "recommendation strength", "MayBeConsidered", "guide"),
        ("high-intensity focused ultrasound", "recommendation strength", "NotRecommended", "article"),
        ("salvage focal therapy", "outcome value", "cancer-specific survival 85 % at 10 years", "article"),
        ("salvage focal therapy", "outcome value", "cancer-specific survival 92 % at 10 years", "study"),
        ("salvage therapy", "intent", "CurativeIntent", "guide"),
        ("salvage therapy", "intent", "PalliativeIntent", "article"),
    ]
    assert len(run(source, "disagreements", subject="HIFU")) == 2


def test_concepts_lists_names_and_hierarchy(source):
    r = run(source, "concepts", under="radiotherapy")
    assert rows(r, "label", "broaderLabel") == [
        ("brachytherapy", "radiotherapy"),
        ("external beam radiotherapy", "radiotherapy"),
        ("radiotherapy", None),
        ("salvage radiotherapy", "radiotherapy"),
        ("salvage radiotherapy", "salvage therapy"),
    ]
    provisional = [row for row in run(source, "concepts").rows if row["provisional"]["value"] == "true"]
    assert {short(row["concept"]) for row in provisional} == {"germ-cell-tumour", "tip-regimen"}


def test_every_query_has_a_test_here():
    tested = {name for name in catalog.queries() if f'"{name}"' in open(__file__).read()}
    assert tested == set(catalog.queries())


@pytest.mark.parametrize("name", sorted(catalog.queries()))
def test_results_are_deterministic(source, name):
    first = run_named(name, {}, source).to_json()
    assert run_named(name, {}, source).to_json() == first


def test_criteria_and_durations_stated_inside_an_indication(nested_source):
    """A criterion or duration given only inside its indication (no therapy, no quote of its own) is
    answered with the indication's therapy and quote: the build makes it a statement of its own."""
    r = run(nested_source, "criteria", therapy="salvage antiretroviral therapy")
    assert rows(r, "therapyLabel", "criterionLabel", "source") == [
        ("salvage antiretroviral therapy", "viral load > 200 copies/mL", "guide")]
    assert r.rows[0]["quote"]["value"].startswith("In HIV infection")
    assert ("viral load > 200 copies/mL", "salvage antiretroviral therapy") in rows(
        run(nested_source, "thresholds"), "criterionLabel", "triggersLabel")
    assert rows(run(nested_source, "durations", therapy="salvage ART"), "durationLabel", "source") == [
        ("lifelong", "guide")]
