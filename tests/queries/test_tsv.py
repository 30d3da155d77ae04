"""TSV results decode to the same normalized rows as the W3C JSON results of the same query."""
import json

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QueryResultsFormat, Store, Triple

from salvage_kg.queries.results import from_json, normalize
from salvage_kg.queries.tsv import from_tsv, parse_term

XSD = "http://www.w3.org/2001/XMLSchema#"
OBJECTS = [
    Literal('tab\there, newline\nthere, cr\r, "quotes", back\\slash, é, \x01, \u2028 end'),
    Literal("trailing backslash \\"),
    Literal(""),
    Literal("x", language="en-GB"),
    Literal("12", datatype=NamedNode(XSD + "integer")),
    Literal("-05", datatype=NamedNode(XSD + "integer")),
    Literal("1.50", datatype=NamedNode(XSD + "decimal")),
    Literal(".5", datatype=NamedNode(XSD + "decimal")),
    Literal("1E+3", datatype=NamedNode(XSD + "double")),
    Literal("INF", datatype=NamedNode(XSD + "double")),
    Literal("abc", datatype=NamedNode(XSD + "integer")),  # ill-typed: written quoted
    Literal("true", datatype=NamedNode(XSD + "boolean")),
    Literal("0", datatype=NamedNode(XSD + "boolean")),
    Literal("2024-01-01", datatype=NamedNode(XSD + "date")),
    Literal("plain", datatype=NamedNode(XSD + "string")),
    Literal("odd type", datatype=NamedNode("http://example.org/t?a=b#c")),
    BlankNode("b1"),
    NamedNode("http://example.org/a%20b?c=d#e"),
    Triple(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("o ) >>", language="fr")),
    Triple(BlankNode("b2"), NamedNode("http://example.org/p"), Literal("3.0", datatype=NamedNode(XSD + "decimal"))),
]


@pytest.fixture(scope="module")
def store():
    s = Store()
    g = NamedNode("http://example.org/g")
    for i, o in enumerate(OBJECTS):
        s.add(Quad(NamedNode(f"http://example.org/s{i:02}"), NamedNode("http://example.org/p"), o, g))
    return s


def both(store, query):
    tsv = from_tsv(store.query(query).serialize(format=QueryResultsFormat.TSV))
    doc = json.loads(store.query(query).serialize(format=QueryResultsFormat.JSON))
    return tsv, normalize(from_json(doc))


def test_every_kind_of_term_decodes_as_the_json_results_do(store):
    tsv, expected = both(store, "SELECT ?s ?o ?unbound WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s")
    assert len(tsv.rows) == len(OBJECTS)
    assert tsv.variables == expected.variables
    assert tsv.rows == expected.rows


def test_rows_without_any_binding_are_kept(store):
    tsv, expected = both(store, "SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF <http://example.org/a> } }")
    assert tsv.rows == expected.rows == [{}, {}, {"x": {"type": "uri", "value": "http://example.org/a"}}]


def test_an_empty_result_keeps_its_columns(store):
    tsv, expected = both(store, "SELECT ?a ?b WHERE { FILTER (false) }")
    assert (tsv.variables, tsv.rows) == (expected.variables, expected.rows) == (["a", "b"], [])


def test_rows_share_one_dict_per_distinct_term(store):
    tsv = from_tsv(b'?a\t?b\n<http://x>\t"v"\n<http://x>\t"v"\n')
    assert tsv.rows[0]["a"] is tsv.rows[1]["a"] and tsv.rows[0]["b"] is tsv.rows[1]["b"]


def test_a_cell_with_text_after_its_term_is_refused():
    with pytest.raises(ValueError):
        parse_term("<http://x> junk")
