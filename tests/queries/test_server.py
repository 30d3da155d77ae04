"""A real Oxigraph server: the same rows as the local runner, read-only, stopped cleanly."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from salvage_kg.queries import catalog
from salvage_kg.queries.runner import QueryError, Source, render, run_named, run_sparql
from salvage_kg.queries.server import ServerError, free_port, parse_bind, running_server

PARAMS = {  # a parameter set per query besides none, to exercise resolution against the endpoint too
    "salvage-options": {"after": "RT", "condition": "prostatic neoplasm"},
    "complications": {"therapy": "cryotherapy"},
    "criteria": {"therapy": "salvage therapy"},
    "outcomes": {"therapy": "sFT"},
    "prerequisites": {"therapy": "local salvage therapy"},
    "evidence": {"subject": "TIP"},
    "combined-therapy": {"therapy": "ADT", "with": "salvage RT"},
    "durations": {"therapy": "hormone therapy"},
    "thresholds": {"parameter": "PSA"},
    "other-diseases": {"exclude": "lymphoma"},
    "approaches": {"term": "salvage therapy"},
    "disagreements": {"subject": "HIFU"},
    "concepts": {"under": "surgery"},
}


@pytest.fixture(scope="module")
def endpoint(dataset):
    with running_server(dataset, query_timeout=5) as url:
        yield url


@pytest.mark.server
@pytest.mark.parametrize("name", sorted(catalog.queries()))
def test_named_queries_give_the_same_rows_on_the_server(endpoint, source, name):
    remote = Source(endpoint=endpoint)
    for params in ({}, PARAMS.get(name)):
        if params is None:
            continue
        local = run_named(name, params, source)
        assert local.rows, (name, params)
        for fmt in ("json", "csv", "tsv", "table"):
            assert render(run_named(name, params, remote), fmt) == render(local, fmt), (name, params, fmt)


@pytest.mark.server
def test_ad_hoc_queries_and_errors_on_the_server(endpoint, source):
    remote = Source(endpoint=endpoint)
    for query in ("ASK { ?s a <https://w3id.org/salvage-kg/ontology#Outcome> }",
                  "# a comment that says: added\nSELECT ?s WHERE { ?s a <https://w3id.org/salvage-kg/ontology#SourceDocument> } "
                  "ORDER BY ?s",
                  "CONSTRUCT WHERE { ?s a <https://w3id.org/salvage-kg/ontology#SourceDocument> }"):
        assert render(run_sparql(query, remote), "json") == render(run_sparql(query, source), "json")
    with pytest.raises(QueryError, match=r"malformed SPARQL \(rejected by .*\): error at 1:\d+"):
        run_sparql("SELECT * WHERE { ?s ?p }", remote)
    with pytest.raises(QueryError, match="no concept named 'radiothrapy'.*close matches: radiotherapy"):
        run_named("salvage-options", {"after": "radiothrapy"}, remote)


@pytest.mark.server
def test_endpoint_timeout(endpoint):
    started = time.monotonic()
    with pytest.raises(QueryError, match="timed out after 1 s"):
        run_sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                   Source(endpoint=endpoint), timeout=1)
    assert time.monotonic() - started < 5


@pytest.mark.server
def test_server_is_read_only(endpoint):
    update = urllib.request.Request(endpoint.replace("/query", "/update"), method="POST",
                                    data=b"INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
                                    headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(update, timeout=5)
    assert not run_sparql("ASK { <http://x/a> ?p ?o }", Source(endpoint=endpoint)).boolean


def test_unreachable_endpoint():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(QueryError, match="cannot reach the SPARQL endpoint"):
        run_sparql("ASK {}", Source(endpoint=url), timeout=5)


def test_parse_bind():
    assert parse_bind("7000") == ("127.0.0.1", 7000)
    assert parse_bind(":7000") == ("127.0.0.1", 7000)
    assert parse_bind("0.0.0.0:80") == ("0.0.0.0", 80)
    assert parse_bind("[::1]:7000") == ("::1", 7000)
    for bad in ("host", "host:", "127.0.0.1:0", "127.0.0.1:70000"):
        with pytest.raises(ServerError):
            parse_bind(bad)


def _answers(url):
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1) as r:
            return r.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def _start_serve(dataset, tmp_path, *extra):
    """`salvage-kg serve` in a subprocess; returns once it says it is serving."""
    port = free_port()
    env = dict(os.environ, TMPDIR=str(tmp_path))
    log_path = tmp_path / f"serve-{port}.log"
    log = log_path.open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "salvage_kg.cli", "serve", "--graph", str(dataset),
                             "--bind", f"127.0.0.1:{port}", *extra], stderr=log, text=True, env=env)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while "SPARQL endpoint at" not in log_path.read_text():
        assert proc.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    proc.log = log
    return proc, url


@pytest.mark.server
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_command_stops_cleanly(dataset, tmp_path, signum):
    proc, url = _start_serve(dataset, tmp_path)
    try:
        assert len(run_named("sources", {}, Source(endpoint=url))) == 3
        assert any(p.name.startswith("salvage-kg-store-") for p in tmp_path.iterdir())
        proc.send_signal(signum)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    proc.log.seek(0)
    stderr = proc.log.read()
    assert "SPARQL endpoint at " + url in stderr and "server stopped" in stderr and "Traceback" not in stderr
    assert not _answers(url)
    assert not any(p.name.startswith("salvage-kg-store-") for p in tmp_path.iterdir())


@pytest.mark.server
def test_serve_with_a_location_keeps_the_store(dataset, tmp_path):
    store = tmp_path / "store"
    proc, url = _start_serve(dataset, tmp_path, "--location", str(store))
    proc.terminate()
    assert proc.wait(15) == 0
    assert any(store.iterdir())
    done = subprocess.run([sys.executable, "-m", "salvage_kg.cli", "serve", "--graph", str(dataset),
                           "--location", str(store), "--bind", f"127.0.0.1:{free_port()}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "not empty" in done.stderr


@pytest.mark.server
def test_port_in_use_is_a_clear_error(dataset):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(ServerError, match="oxigraph stopped at start-up"):
            with running_server(dataset, port=s.getsockname()[1]):
                pass
