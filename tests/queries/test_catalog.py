"""The .rq headers: one home for names, parameters and columns, checked against the design."""
import pytest

from salvage_kg.queries import catalog
from salvage_kg.queries.catalog import QueryError

# The fixed interface: query -> (params, the variables it must bind, in this order, first).
DESIGN = {
    "salvage-options": (("condition", "after"),
                        ("therapy", "therapyLabel", "condition", "conditionLabel", "after", "afterLabel", "source")),
    "complications": (("therapy",), ("therapy", "therapyLabel", "complication", "complicationLabel", "source")),
    "criteria": (("therapy",), ("therapy", "therapyLabel", "criterionLabel", "source")),
    "outcomes": (("therapy",), ("therapy", "therapyLabel", "measureLabel", "value", "source")),
    "prerequisites": (("therapy",), ("therapy", "therapyLabel", "prerequisiteLabel", "source")),
    "sources": ((), ("source", "title", "reference")),
    "evidence": (("subject",), ("statement", "quote", "source")),
}


def test_every_query_file_parses():
    queries = catalog.queries()
    files = sorted(p.stem for p in catalog.QUERY_DIR.glob("*.rq"))
    assert sorted(queries) == files
    for q in queries.values():
        assert q.question.endswith("?")
        assert q.columns and len(set(q.columns)) == len(q.columns)


@pytest.mark.parametrize("name", sorted(DESIGN))
def test_design_queries_have_their_params_and_columns_first(name):
    params, must_bind = DESIGN[name]
    q = catalog.get(name)
    assert tuple(p.name for p in q.params) == params
    assert q.columns[:len(must_bind)] == must_bind
    assert not any(p.required for p in q.params)


def test_remaining_competency_questions_have_queries():
    for name in ("combined-therapy", "durations", "thresholds", "other-diseases", "approaches",
                 "corroborated", "disagreements"):
        assert name in catalog.queries()


def test_projection_matches_header_columns(source):
    for q in catalog.queries().values():
        assert tuple(source.execute(q.text, 30).variables) == q.columns, q.name


def test_describe_all_lists_names_params_and_columns():
    text = catalog.describe_all()
    for q in catalog.queries().values():
        assert q.name in text and q.question in text and " ".join(q.columns) in text
        for p in q.params:
            assert f"--param {p.name}=" in text
    assert "(default: prostate cancer)" in text


def test_unknown_query_suggests_close_names():
    with pytest.raises(QueryError, match=r"no query named 'complication'.*did you mean complications"):
        catalog.get("complication")


def test_unknown_param_lists_the_known_ones():
    with pytest.raises(QueryError, match=r"no parameter 'therpy'.*did you mean therapy.*parameters: therapy"):
        catalog.get("complications").param("therpy")


def test_bind_activates_only_the_given_params_line():
    q = catalog.get("salvage-options")
    text = q.bind({"after": ["https://w3id.org/salvage-kg/concept/a", "https://w3id.org/salvage-kg/concept/b"]})
    line = ("  VALUES ?after { <https://w3id.org/salvage-kg/concept/a> <https://w3id.org/salvage-kg/concept/b> } "
            "?statement skg:afterFailureOf ?after .")
    assert line + "\n" in text
    assert "  #given condition: VALUES ?condition {}" in text  # not given: still a comment
    assert text.replace(line, "  #given after: VALUES ?after {} ?statement skg:afterFailureOf ?after .") == q.text


def test_bind_fills_every_line_of_a_param():
    q = catalog.get("disagreements")
    iri = "https://w3id.org/salvage-kg/concept/a"
    lines = q.param("subject").marker.findall(q.text)
    assert len(lines) > 1  # one per branch
    text = q.bind({"subject": [iri]})
    assert "#given subject" not in text and text.count(f" {{ <{iri}> }}") == len(lines)


def test_bind_refuses_what_is_not_an_iri():
    q = catalog.get("complications")
    for bad in ["http://a> } ?s ?p ?o {", "http://a b", "no scheme"]:
        with pytest.raises(QueryError, match="not a valid IRI"):
            q.bind({"therapy": [bad]})
    with pytest.raises(QueryError, match="no IRIs"):
        q.bind({"therapy": []})


def test_header_errors_are_caught(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# name: bad\n# question: Q?\n# param: x  optional  Therapy  no marker\n# columns: a\n"
                   "SELECT ?a WHERE { ?a ?b ?c }\n")
    with pytest.raises(ValueError, match="#given x: ...', each with one 'VALUES"):
        catalog.parse(bad)
    bad.write_text("# name: other\n# question: Q?\n# columns: a\nSELECT ?a WHERE { ?a ?b ?c }\n")
    with pytest.raises(ValueError, match="differs from the file name"):
        catalog.parse(bad)
    bad.write_text("# name: bad\n# question: Q?\n# param: x  optional  Thing  d\n# columns: a\n"
                   "SELECT ?a WHERE {\n  #given x: VALUES ?a {}\n  ?a ?b ?c }\n")
    with pytest.raises(ValueError, match="not an ontology class"):
        catalog.parse(bad)
