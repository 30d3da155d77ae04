"""`disagreements` on a hand-written graph: which pairs of statements count as disagreeing.

The query joins statements on a key (prior treatments, effect, measure) before comparing them; these
cases pin down that the key neither loses disagreements nor invents them.
"""
import pytest
from pyoxigraph import RdfFormat, Store

from salvage_kg.queries.runner import Source, run_named

PREFIXES = """
@prefix skg: <https://w3id.org/salvage-kg/ontology#> .
@prefix skc: <https://w3id.org/salvage-kg/concept/> .
@prefix sks: <https://w3id.org/salvage-kg/statement/> .
@prefix ske: <https://w3id.org/salvage-kg/evidence/> .
@prefix src: <https://w3id.org/salvage-kg/source/> .
"""


def statement(name, kind, source, body):
    return (f"sks:{name} a skg:{kind} ; skg:hasEvidence ske:{name} ; {body} .\n"
            f"ske:{name} skg:quotedFrom src:{source} ; skg:quote \"{name} quote\" .\n")


GRAPH = PREFIXES + "".join([
    # same prior treatments, strengths three steps apart: a disagreement
    statement("ind-a", "Indication", "one", "skg:therapy skc:hifu ; skg:recommendationStrength skg:Recommended ; "
                                            "skg:afterFailureOf skc:rt"),
    statement("ind-b", "Indication", "two", "skg:therapy skc:hifu ; skg:recommendationStrength skg:NotRecommended ; "
                                            "skg:afterFailureOf skc:rt"),
    # a superset of those prior treatments: about another situation, no disagreement
    statement("ind-c", "Indication", "three", "skg:therapy skc:hifu ; skg:recommendationStrength skg:Investigational ; "
                                              "skg:afterFailureOf skc:rt , skc:rp"),
    # frequencies differ between sources for the same effect; a third, other effect agrees with nobody
    statement("ae-a", "AdverseEffectAssociation", "one", "skg:therapy skc:cryo ; skg:adverseEffect skc:incontinence ; "
                                                         "skg:frequency \"10%\""),
    statement("ae-b", "AdverseEffectAssociation", "two", "skg:therapy skc:cryo ; skg:adverseEffect skc:incontinence ; "
                                                         "skg:frequency \"30%\""),
    statement("ae-c", "AdverseEffectAssociation", "three", "skg:therapy skc:cryo ; skg:adverseEffect skc:fistula ; "
                                                           "skg:frequency \"1%\""),
    # outcome values at different time points do not disagree; the same value from a third source neither
    statement("out-a", "Outcome", "one", "skg:arm skc:hifu ; skg:measure skc:os ; skg:value 80.0 ; skg:timePoint \"5 years\""),
    statement("out-b", "Outcome", "two", "skg:arm skc:hifu ; skg:measure skc:os ; skg:value 70.0 ; skg:timePoint \"10 years\""),
    statement("out-c", "Outcome", "three", "skg:arm skc:hifu ; skg:measure skc:os ; skg:value 80.0 ; skg:timePoint \"5 years\""),
])


@pytest.fixture(scope="module")
def result():
    store = Store()
    store.load(GRAPH.encode("utf-8"), RdfFormat.TURTLE)
    return run_named("disagreements", {}, Source(store=store))


def test_sides_of_each_disagreement(result):
    sides = [(r["aspect"]["value"], r["claim"]["value"], r["statement"]["value"].rsplit("/", 1)[-1],
              r["source"]["value"].rsplit("/", 1)[-1], r["quote"]["value"]) for r in result.rows]
    assert sides == [
        ("complication frequency", "incontinence: 10%", "ae-a", "one", "ae-a quote"),
        ("complication frequency", "incontinence: 30%", "ae-b", "two", "ae-b quote"),
        ("recommendation strength", "NotRecommended", "ind-b", "two", "ind-b quote"),
        ("recommendation strength", "Recommended", "ind-a", "one", "ind-a quote"),
    ]
