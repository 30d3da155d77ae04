"""The runner: ad-hoc SPARQL, result formats, errors without tracebacks, timeouts that really stop."""
import csv
import io
import json
import os
import subprocess
import sys
import time

import pytest

from salvage_kg.queries import runner
from salvage_kg.queries.runner import QueryError, Source, read_query_arg, render, run_named, run_sparql
from salvage_kg.queries.syntax import has_service, reads_named_graphs

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_default_graph_is_the_union_of_the_named_graphs(source):
    r = run_sparql("PREFIX skg: <https://w3id.org/salvage-kg/ontology#>\n"
                   "SELECT (COUNT(?s) AS ?n) WHERE { ?s a skg:SourceDocument }", source)
    assert r.values("n") == ["3"]


def test_ask_and_construct(source):
    assert run_sparql("ASK { ?s ?p ?o }", source).boolean is True
    r = run_sparql("CONSTRUCT { ?s <http://example.org/p> ?o } WHERE { ?s <http://www.w3.org/2004/02/skos/core#notation> ?o }",
                   source)
    assert r.variables == ["subject", "predicate", "object"]
    assert {row["object"]["value"] for row in r.rows} >= {"RT", "HIFU", "ADT"}
    assert json.loads(render(run_sparql("ASK { ?s ?p 42 }", source), "json")) == {"head": {}, "boolean": False}


def test_malformed_sparql_names_the_position(source):
    with pytest.raises(QueryError, match=r"malformed SPARQL: error at 1:\d+: .*near"):
        run_sparql("SELECT * WHERE { ?s ?p }", source)
    with pytest.raises(QueryError, match="empty query"):
        run_sparql("  ", source)


def test_service_is_refused_unless_allowed(source):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="SERVICE clause.*--allow-service"):
        run_sparql(query, source)
    with pytest.raises(QueryError, match="query failed"):  # allowed: it runs, and fails to connect
        run_sparql(query, source, allow_service=True, timeout=10)


@pytest.mark.parametrize("text, expected", [
    ("SELECT * { SERVICE <http://x> { ?s ?p ?o } }", True),
    ("select * { service silent <http://x> { ?s ?p ?o } }", True),
    ("SELECT * {\n  SERVICE\n?endpoint { ?s ?p ?o } }", True),
    ("SELECT ?service { ?service ?p 'SERVICE' }", False),
    ("PREFIX ex: <http://x/SERVICE> SELECT * { ?s ex:service ?o } # SERVICE <http://y>", False),
    ("SELECT * { ?s ?p \"\"\"a\nSERVICE <http://y> {}\"\"\" }", False),
    ("SELECT * { ?s <http://x/SERVICE> ?o }", False),
])
def test_service_detection(text, expected):
    assert has_service(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", True),
    ("select ?s from <http://x/g> { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <http://x/g> { graph <http://x/g> { ?s ?p ?o } }", True),
    ("SELECT ?graph { ?graph ?from 'GRAPH' } # FROM <http://y>", False),
    ("PREFIX ex: <http://x/> SELECT * { ?s ex:graph ex:from }", False),
])
def test_named_graph_detection(text, expected):
    assert reads_named_graphs(text) is expected


def test_queries_that_name_graphs_see_them(dataset):
    """The named queries' store holds the union alone; a query naming graphs runs on one that keeps them."""
    source = Source(graph=dataset)
    try:
        documents = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/salvage-kg/ontology#SourceDocument> }"
        assert run_sparql(documents, source).values("n") == ["3"]
        assert source.graphs_worker is None and not list(source.store.named_graphs())
        r = run_sparql("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", source)
        assert r.values("n") == ["4"]  # three documents and the terminology
        r = run_sparql("SELECT ?s FROM <https://w3id.org/salvage-kg/graph/study> "
                       "WHERE { ?s a <https://w3id.org/salvage-kg/ontology#SourceDocument> }", source)
        assert r.values("s") == ["https://w3id.org/salvage-kg/source/study"]
        assert source.graphs_worker is not None and source.worker is not source.graphs_worker
    finally:
        source.close()


def test_named_query_timeout(source):
    with pytest.raises(QueryError, match="timed out"):
        run_named("salvage-options", {}, source, timeout=0)


def test_without_fork_a_subprocess_runs_the_query(source, monkeypatch):
    expected = run_named("outcomes", {}, source).to_json()
    monkeypatch.delattr(os, "fork")
    assert run_named("outcomes", {}, source).to_json() == expected
    with pytest.raises(QueryError, match=r"malformed SPARQL: error at 1:\d+"):
        run_sparql("SELECT * WHERE { ?s ?p }", source)
    started = time.monotonic()
    with pytest.raises(QueryError, match="timed out"):
        run_sparql(HEAVY, source, timeout=1)
    assert time.monotonic() - started < 5


def test_json_is_w3c_sparql_results(source):
    doc = json.loads(render(run_named("outcomes", {"therapy": "sFT"}, source), "json"))
    assert list(doc) == ["head", "results"]
    assert doc["head"]["vars"][:5] == ["therapy", "therapyLabel", "measureLabel", "value", "source"]
    row = doc["results"]["bindings"][1]
    assert row["therapy"] == {"type": "uri", "value": "https://w3id.org/salvage-kg/concept/salvage-focal-therapy"}
    assert row["value"] == {"type": "literal", "value": "92", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    assert row["timePoint"] == {"type": "literal", "value": "10 years"}
    assert "comparator" not in row  # unbound


def test_csv_and_tsv(source):
    result = run_named("salvage-options", {"after": "RP"}, source)
    text = render(result, "csv")
    assert text.startswith("therapy,therapyLabel,condition,") and "\r\n" in text
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed[0]["therapy"] == "https://w3id.org/salvage-kg/concept/salvage-radiotherapy"
    assert parsed[0]["quote"].startswith("For a rising PSA after radical prostatectomy, salvage")
    tsv = render(result, "tsv").splitlines()
    assert tsv[0].split("\t")[:2] == ["?therapy", "?therapyLabel"]
    cells = dict(zip(tsv[0].split("\t"), tsv[1].split("\t")))
    assert cells["?therapy"] == "<https://w3id.org/salvage-kg/concept/salvage-radiotherapy>"
    assert cells["?therapyLabel"] == '"salvage radiotherapy"'
    assert cells["?negated"] == "false"
    lang = render(run_sparql("SELECT ?l WHERE { <https://w3id.org/salvage-kg/concept/hifu> "
                             "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }", source), "tsv")
    assert lang == '?l\n"high-intensity focused ultrasound"@en\n'


def test_table_is_readable(source):
    text = render(run_named("salvage-options", {"after": "RP"}, source), "table")
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["therapyLabel", "conditionLabel", "afterLabel"]  # labels stand for IRIs
    assert set(lines[1]) == {"-", " "}
    assert "salvage radiotherapy" in lines[2] and "src:guide" in lines[2] and "sks:indication-" in lines[2]
    assert lines[-1] == "(2 rows)"
    assert all(len(cell) <= 50 for line in lines[2:-1] for cell in line.split("  "))
    assert render(run_sparql("ASK {}", source), "table") == "true\n"
    with pytest.raises(QueryError, match="unknown result format"):
        render(runner.Result(), "xml")


def test_read_query_arg(tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("ASK {}")
    assert read_query_arg(f"@{f}") == "ASK {}"
    assert read_query_arg("ASK {}") == "ASK {}"
    with pytest.raises(QueryError, match="cannot read query file"):
        read_query_arg(f"@{tmp_path / 'missing.rq'}")


def test_source_needs_exactly_one_place():
    with pytest.raises(QueryError):
        Source()
    with pytest.raises(QueryError):
        Source(graph="a.trig", endpoint="http://127.0.0.1:1/query")


def test_a_loaded_store_is_a_source_too(dataset, source, monkeypatch):
    from salvage_kg.graph.store import load_store

    expected = run_named("salvage-options", {"after": "RT"}, source).to_json()
    loaded = Source(store=load_store(dataset))
    assert run_named("salvage-options", {"after": "RT"}, loaded).to_json() == expected
    monkeypatch.delattr(os, "fork")
    assert run_named("salvage-options", {"after": "RT"}, loaded).to_json() == expected


def cli(*args):
    return subprocess.run([sys.executable, "-m", "salvage_kg.cli", *args], capture_output=True, text=True, timeout=60)


def test_cli_query_and_errors_without_tracebacks(dataset, tmp_path):
    done = cli("query", "complications", "--graph", str(dataset), "--param", "therapy=cryotherapy", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["results"]["bindings"]) == 3
    for args, message in [
        (("query", "complication", "--graph", str(dataset)), "did you mean complications"),
        (("query", "complications", "--graph", str(dataset), "--param", "therapy=cryoablaton"), "close matches"),
        (("sparql", "SELECT * WHERE { ?s ?p }", "--graph", str(dataset)), "malformed SPARQL"),
        (("sparql", "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "--graph", str(dataset)), "--allow-service"),
        (("query", "sources", "--graph", str(tmp_path / "none.trig")), "no such dataset file"),
        (("sparql", HEAVY, "--graph", str(dataset), "--timeout", "0.5"), "timed out"),
    ]:
        done = cli(*args)
        assert done.returncode == 2, args
        assert done.stderr.startswith("salvage-kg: error: ") and message in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
