"""RDF exports round-trip to an isomorphic dataset; JSON-LD uses the published context; VoID counts right."""
from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import RdfFormat, parse, serialize
from rdflib.compare import to_isomorphic

sys.path.insert(0, str(Path(__file__).parent))  # the shared sample (tests run in importlib mode)
from kg_sample import write_sample  # noqa: E402

import salvage_kg  # noqa: E402
from salvage_kg.graph.exports import jsonld  # noqa: E402
from salvage_kg.graph.rdf import ONTOLOGY_GRAPH  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own internals
QUAD_FORMATS = {"trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
TRIPLE_FORMATS = {"turtle": "turtle", "ntriples": "nt"}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return salvage_kg.load(write_sample(tmp_path_factory.mktemp("kg") / "kg.trig"))


def rdflib_dataset(quads) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    buf = io.BytesIO()
    serialize(quads, buf, RdfFormat.N_QUADS)
    ds.parse(data=buf.getvalue().decode("utf-8"), format="nquads")
    return ds


def graphs(ds: rdflib.Dataset) -> dict:
    return {str(g.identifier): to_isomorphic(g) for g in ds.graphs() if len(g)}


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_quad_formats_round_trip_to_an_isomorphic_dataset(dataset, tmp_path, fmt):
    out = dataset.export(fmt, tmp_path / f"out.{fmt}")
    back = rdflib.Dataset()
    back.parse(out, format=QUAD_FORMATS[fmt])  # an independent parser
    want, got = graphs(rdflib_dataset(dataset.quads)), graphs(back)
    assert set(got) == set(want)
    for name in want:
        assert got[name] == want[name], name


@pytest.mark.parametrize("fmt", sorted(TRIPLE_FORMATS))
def test_triple_formats_hold_the_union_graph(dataset, tmp_path, fmt):
    out = dataset.export(fmt, tmp_path / f"out.{fmt}")
    back = rdflib.Graph().parse(out, format=TRIPLE_FORMATS[fmt])
    union = rdflib.Graph()
    for s, p, o, _ in rdflib_dataset(dataset.quads).quads():
        union.add((s, p, o))
    assert to_isomorphic(back) == to_isomorphic(union)


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_pyoxigraph_reads_the_same_quads_back(dataset, tmp_path, fmt):
    out = dataset.export(fmt, tmp_path / "out.data")  # the writer, not the extension, picks the format
    rdf_format = {"trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS, "jsonld": RdfFormat.JSON_LD}[fmt]
    with open(out, "rb") as f:
        assert set(parse(f, rdf_format)) == set(dataset.quads)


def test_jsonld_is_compacted_with_the_published_context(dataset, tmp_path):
    doc = json.loads(dataset.export("json-ld", tmp_path / "kg.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == jsonld.published_context()["@context"]
    nodes = [n for g in doc["@graph"] for n in g.get("@graph", [g])]
    indication = next(n for n in nodes if n.get("@type") == "Indication")
    assert indication["therapy"].startswith("skc:") and "afterFailureOf" in indication
    evidence = next(n for n in nodes if n.get("@type") == "Evidence")
    assert isinstance(evidence["quote"], str) and evidence["quotedFrom"].startswith("src:")
    context = doc["@context"]
    assert context["schema"] == "https://schema.org/" and context["MedicalTherapy"] == "schema:MedicalTherapy"


def test_published_context_is_in_step_with_the_schema():
    assert jsonld.published_context() == jsonld.build_context(), \
        "regenerate it: python -m salvage_kg.graph.exports.jsonld"


@pytest.mark.parametrize("fmt,rdflib_format", [("owl", "xml"), ("owl-ttl", "turtle")])
def test_ontology_exports_hold_the_ontology_graph(dataset, tmp_path, fmt, rdflib_format):
    out = dataset.export(fmt, tmp_path / "onto")
    back = rdflib.Graph().parse(out, format=rdflib_format)
    from salvage_kg.graph.exports.rdf import ontology_quads

    expected = {(q.subject, q.predicate, q.object) for q in ontology_quads(dataset)}
    assert len(back) == len(expected)
    if any(q.graph_name == ONTOLOGY_GRAPH for q in dataset.quads):
        assert len(back) > 0


VOID = "http://rdfs.org/ns/void#"


def test_void_description_counts_and_checksums(dataset, tmp_path):
    out = dataset.export("void", tmp_path / "kg-void.ttl")
    g = rdflib.Graph().parse(out, format="turtle")
    d = rdflib.URIRef("https://w3id.org/salvage-kg/dataset")
    triples = {(q.subject, q.predicate, q.object) for q in dataset.quads}
    assert int(g.value(d, rdflib.URIRef(VOID + "triples"))) == len(triples)

    def class_count(cls):
        for part in g.objects(d, rdflib.URIRef(VOID + "classPartition")):
            if str(g.value(part, rdflib.URIRef(VOID + "class"))) == cls:
                return int(g.value(part, rdflib.URIRef(VOID + "entities")))

    assert class_count("https://w3id.org/salvage-kg/ontology#Indication") == 5
    assert class_count("https://w3id.org/salvage-kg/ontology#SourceDocument") == 3
    sources = set(g.objects(d, rdflib.URIRef("http://purl.org/dc/terms/source")))
    assert {str(s).rsplit("/", 1)[-1] for s in sources} == {"focal-study", "guide", "hiv-note"}
    checksums = {str(v) for v in g.objects(None, rdflib.URIRef("http://spdx.org/rdf/terms#checksumValue"))}
    assert hashlib.sha256(dataset.path.read_bytes()).hexdigest() in checksums
    assert str(g.value(d, rdflib.URIRef("http://www.w3.org/ns/dcat#version")))


def test_void_is_byte_identical_across_runs_and_has_no_clock(dataset, tmp_path):
    a = dataset.export("void", tmp_path / "a.ttl").read_bytes()
    b = salvage_kg.load(dataset.path).export("void", tmp_path / "b.ttl").read_bytes()
    assert a == b
    assert b"modified" not in a and b"issued" not in a


def test_build_writes_the_description_next_to_the_dataset(tmp_path):
    from salvage_kg.graph.void import write_description

    path = write_sample(tmp_path / "kg.trig")
    ds = salvage_kg.load(path)
    out = write_description(ds.quads, path, tmp_path / "kg-void.ttl")
    assert out.read_bytes() == ds.export("void", tmp_path / "again.ttl").read_bytes()
