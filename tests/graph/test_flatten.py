"""N-ary statements become readable edges that carry their qualifiers, quotes and sources."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the shared sample (tests run in importlib mode)
from kg_sample import TEXTS, sample_quads  # noqa: E402
from salvage_kg.graph.exports.style import CATEGORY_COLORS, PREDICATE_COLORS  # noqa: E402
from salvage_kg.graph.flatten import CATEGORIES, PREDICATES, flatten  # noqa: E402
from salvage_kg.ontology.schema import CONCEPT_NS, SOURCE_NS  # noqa: E402


def c(cid: str) -> str:
    return CONCEPT_NS + cid


@pytest.fixture(scope="module")
def flat():
    return flatten(sample_quads())


def edges(flat, source, predicate, target):
    return [e for e in flat.edges if (e.source, e.predicate, e.target) == (source, predicate, target)]


def test_indication_reads_therapy_after_prior_treatment_and_for_condition(flat):
    after = edges(flat, c("salvage-radical-prostatectomy"), "indicated_after", c("radiotherapy"))
    assert len(after) == 1
    e = after[0]
    assert e.label == "indicated after failure of"
    assert e.statement_type == "Indication" and e.statement.startswith("https://w3id.org/salvage-kg/statement/")
    assert e.sources == [SOURCE_NS + "focal-study"]
    assert e.quotes == ["Men whose cancer came back in the prostate after radiation"]
    assert e.attrs["conditions"] == ["locally recurrent prostate cancer"]
    assert edges(flat, c("salvage-radical-prostatectomy"), "indicated_for", c("local-recurrence"))


def test_two_statements_give_two_parallel_edges(flat):
    parallel = edges(flat, c("salvage-focal-therapy"), "indicated_after", c("radiotherapy"))
    assert len(parallel) == 2
    assert len({e.statement for e in parallel}) == 2
    assert {s for e in parallel for s in e.sources} == {SOURCE_NS + "focal-study", SOURCE_NS + "guide"}


def test_adverse_effect_keeps_its_qualifiers(flat):
    (e,) = edges(flat, c("salvage-radical-prostatectomy"), "has_adverse_effect", c("major-complication"))
    assert e.attrs["odds_ratio"] == 9.4
    assert e.attrs["comparator"] == "salvage focal therapy"
    assert e.attrs["p_value"] == "<0.001" and e.attrs["severity"] == "serious"
    assert "odds ratio 9.4 vs salvage focal therapy" in e.summary
    (late,) = edges(flat, c("salvage-radical-prostatectomy"), "has_adverse_effect", c("urinary-incontinence"))
    assert late.attrs["timing"] == "late"


def test_outcome_reads_arm_has_outcome_measure(flat):
    (e,) = edges(flat, c("salvage-focal-therapy"), "has_outcome", c("cancer-specific-survival"))
    assert (e.attrs["value"], e.attrs["unit"], e.attrs["ci_lower"], e.attrs["ci_upper"]) == (92.0, "%", 86.0, 98.0)
    assert e.summary == "92 % (95% CI 86-98) at 10 years"


def test_prerequisites_and_what_a_decision_must_not_rest_on(flat):
    assert edges(flat, c("salvage-focal-therapy"), "requires", c("biopsy"))
    (e,) = edges(flat, c("salvage-focal-therapy"), "not_solely_based_on", c("psa"))
    assert e.attrs["negated"] is True and e.evidence[0].negated


def test_criterion_is_a_node_between_therapy_and_parameter(flat):
    crit = [e for e in flat.edges if e.predicate == "has_criterion"]
    assert len(crit) == 1, "the indication's link to its own criterion is not drawn twice"
    node = flat.nodes[crit[0].target]
    assert node.label == "PSA >= 0.2 ng/mL" and node.category == "criterion"
    assert edges(flat, node.id, "criterion_on", c("psa"))


def test_combination_and_duration(flat):
    (e,) = edges(flat, c("salvage-radiotherapy"), "combined_with", c("androgen-deprivation-therapy"))
    assert e.attrs["strength"] == "recommended (should be offered)"


def test_definition_contrasts_approaches(flat):
    (e,) = edges(flat, c("salvage-therapy"), "contrasted_with", c("adjuvant-therapy"))
    assert e.attrs["definition"] == "treatment after a failed first treatment"
    assert flat.nodes[c("salvage-therapy")].attrs["definition"]


def test_kind_of_links_only_concepts_already_shown(flat):
    kinds = {(e.source, e.target) for e in flat.edges if e.predicate == "kind_of"}
    assert (c("salvage-radical-prostatectomy"), c("radical-prostatectomy")) in kinds
    assert (c("salvage-radiotherapy"), c("radiotherapy")) in kinds
    assert c("brachytherapy") not in flat.nodes  # in the terminology, but no statement uses it


def test_categories_put_failed_treatments_apart(flat):
    cat = {n.label: n.category for n in flat.nodes.values()}
    assert cat["radiotherapy"] == cat["radical prostatectomy"] == cat["first-line antiretroviral therapy"] == "prior"
    assert cat["salvage focal therapy"] == cat["boosted protease inhibitor regimen"] == "therapy"
    assert cat["urinary incontinence"] == "complication" and cat["HIV infection"] == "condition"


def test_quotes_are_exact_spans_of_their_documents(flat):
    for e in flat.edges:
        for q in e.evidence:
            doc = q.source.rsplit("/", 1)[-1]
            assert TEXTS[doc][q.start:q.end] == q.quote


def test_flattening_is_deterministic():
    a, b = flatten(sample_quads()), flatten(list(reversed(sample_quads())))
    assert [e.id for e in a.edges] == [e.id for e in b.edges]
    assert list(a.nodes) == list(b.nodes)


def test_to_networkx_is_a_multigraph_with_one_edge_per_readable_edge(flat):
    g = flat.to_networkx()
    assert g.is_multigraph() and g.is_directed()
    assert g.number_of_nodes() == len(flat.nodes) and g.number_of_edges() == len(flat.edges)
    data = g.get_edge_data(c("salvage-focal-therapy"), c("radiotherapy"))
    assert len(data) == 2 and all(d["predicate"] == "indicated_after" for d in data.values())
    scalar = flat.to_networkx(scalar=True)
    for _, _, d in scalar.edges(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in d.values())


def test_every_category_and_predicate_has_a_colour():
    assert set(CATEGORY_COLORS) == set(CATEGORIES)
    assert set(PREDICATE_COLORS) == set(PREDICATES)
    assert all(p.biolink.startswith("biolink:") for p in PREDICATES.values())
