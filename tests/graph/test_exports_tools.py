"""Graph-tool and table exports: what networkx, Cytoscape, Graphviz, KGX and neo4j-admin read."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the shared sample (tests run in importlib mode)
from kg_sample import write_sample  # noqa: E402

import salvage_kg  # noqa: E402
from salvage_kg.cli import main  # noqa: E402
from salvage_kg.graph import exports  # noqa: E402
from salvage_kg.graph.exports import kgx  # noqa: E402

HAS_DOT = shutil.which("dot") is not None


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return salvage_kg.load(write_sample(tmp_path_factory.mktemp("kg") / "kg.trig"))


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_load_in_networkx_with_the_same_nodes_and_edges(dataset, tmp_path, fmt, reader):
    out = dataset.export(fmt, tmp_path / f"kg.{fmt}")
    g = reader(out)
    flat = dataset.flat
    assert set(g.nodes) == set(flat.nodes)
    assert g.number_of_edges() == len(flat.edges)
    ends = sorted((u, v) for u, v in g.edges())
    assert ends == sorted((e.source, e.target) for e in flat.edges)
    labels = nx.get_node_attributes(g, "label")
    assert labels["https://w3id.org/salvage-kg/concept/radiotherapy"] == "radiotherapy"
    predicates = sorted(d["predicate"] for _, _, d in g.edges(data=True))
    assert predicates == sorted(e.predicate for e in flat.edges)
    ae = [d for _, _, d in g.edges(data=True) if d["predicate"] == "has_adverse_effect" and "odds_ratio" in d]
    assert ae and float(ae[0]["odds_ratio"]) == 9.4 and ae[0]["statement"].startswith("https://")
    assert all(d.get("quotes") for _, _, d in g.edges(data=True) if d["predicate"] != "kind_of")


def test_cytoscape_json_elements(dataset, tmp_path):
    doc = json.loads(dataset.export("cytoscape", tmp_path / "kg.cyjs").read_text(encoding="utf-8"))
    nodes = {n["data"]["id"] for n in doc["elements"]["nodes"]}
    edges = doc["elements"]["edges"]
    assert nodes == set(dataset.flat.nodes) and len(edges) == len(dataset.flat.edges)
    assert len({e["data"]["id"] for e in edges}) == len(edges)
    for e in edges:
        assert e["data"]["source"] in nodes and e["data"]["target"] in nodes and e["data"]["interaction"]
    assert all(n["data"]["name"] for n in doc["elements"]["nodes"])


def test_dot_text_bundles_parallel_edges(dataset, tmp_path):
    text = dataset.export("dot", tmp_path / "kg.dot").read_text(encoding="utf-8")
    assert text.startswith("digraph salvage_kg {") and "rankdir=LR" in text
    assert 'label="indicated after failure of (2)"' in text  # two statements, one line
    assert text.count(" -> ") < len(dataset.flat.edges)


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed (apt-get install graphviz)")
@pytest.mark.parametrize("fmt,magic", [("svg", b"<svg"), ("png", b"\x89PNG")])
def test_svg_and_png_drawn_by_graphviz(dataset, tmp_path, fmt, magic):
    data = dataset.export(fmt, tmp_path / f"kg.{fmt}").read_bytes()
    assert magic in data[:400]
    if fmt == "svg":
        assert b"salvage radical prostatectomy" in data


def test_svg_without_graphviz_names_the_missing_package(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(exports.ExportError, match=r"'dot' program.*apt-get install graphviz"):
        dataset.export("svg", tmp_path / "kg.svg")
    assert not (tmp_path / "kg.svg").exists()


def read_tsv(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    rows = [line.split("\t") for line in lines[:-1]]
    return rows[0], rows[1:]


def test_kgx_tsv_follows_the_kgx_column_conventions(dataset, tmp_path):
    out = dataset.export("kgx", tmp_path / "kgx")
    assert sorted(p.name for p in out.iterdir()) == ["salvage-kg_edges.tsv", "salvage-kg_nodes.tsv"]
    header, nodes = read_tsv(out / "salvage-kg_nodes.tsv")
    assert header[:7] == ["id", "category", "name", "description", "xref", "provided_by", "synonym"]
    assert header[7:] == sorted(header[7:])
    assert all(len(r) == len(header) for r in nodes)
    ids = [r[0] for r in nodes]
    assert len(ids) == len(set(ids)) and all(":" in i for i in ids)
    col = {h: i for i, h in enumerate(header)}
    assert all(r[col["category"]].startswith("biolink:") for r in nodes)
    by_id = {r[0]: r for r in nodes}
    assert by_id["skc:radiotherapy"][col["category"]] == "biolink:Treatment"
    assert by_id["skc:radiotherapy"][col["xref"]] == "NCIT:C15313"
    assert by_id["skc:radiotherapy"][col["synonym"]] == "RT|radiation"
    assert by_id["skc:urinary-incontinence"][col["category"]] == "biolink:DiseaseOrPhenotypicFeature"

    header, edges = read_tsv(out / "salvage-kg_edges.tsv")
    assert header[:5] == ["id", "subject", "predicate", "object", "category"]
    assert header[5:] == sorted(header[5:])
    assert {"knowledge_level", "agent_type", "primary_knowledge_source", "publications"} <= set(header)
    assert all(len(r) == len(header) for r in edges) and len(edges) == len(dataset.flat.edges)
    col = {h: i for i, h in enumerate(header)}
    for r in edges:
        assert r[col["subject"]] in by_id and r[col["object"]] in by_id
        assert r[col["predicate"]].startswith("biolink:") and r[col["category"]].startswith("biolink:")
        assert r[col["knowledge_level"]] and r[col["agent_type"]]
    ae = [r for r in edges if r[col["predicate"]] == "biolink:has_adverse_event"]
    assert len(ae) == 3 and all(r[col["original_predicate"]] == "skg:adverseEffect" for r in ae)
    assert "doi:10.1000/test.1" in {r[col["publications"]] for r in edges}
    assert kgx.biolink_category("Ablation") == "biolink:Treatment"


def test_neo4j_admin_import_files(dataset, tmp_path):
    out = dataset.export("neo4j", tmp_path / "neo4j")
    with open(out / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = list(csv.reader(f))
    with open(out / "relationships.csv", newline="", encoding="utf-8") as f:
        rels = list(csv.reader(f))
    assert nodes[0][:2] == ["id:ID", ":LABEL"]
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    ids = {r[0] for r in nodes[1:]}
    assert len(ids) == len(nodes) - 1
    assert all(r[0] in ids and r[1] in ids for r in rels[1:])
    assert all(len(r) == len(rels[0]) for r in rels[1:])
    assert {r[2] for r in rels[1:]} >= {"INDICATED_AFTER", "HAS_ADVERSE_EFFECT", "HAS_OUTCOME"}
    labels = {r[0].rsplit("/", 1)[-1]: r[1].split(";") for r in nodes[1:]}
    assert labels["salvage-focal-therapy"] == ["FocalTherapy", "Therapy", "Concept"]
    assert "PriorTreatment" in labels["radiotherapy"]
    header = {h.split(":")[0]: h for h in rels[0]}
    assert header["odds_ratio"] == "odds_ratio:double" and header["sources"] == "sources:string[]"
    assert "neo4j-admin database import full" in (out / "import.sh").read_text(encoding="utf-8")


def test_registry_names_aliases_and_listing():
    listing = exports.describe_formats()
    for f in exports.FORMATS:
        assert exports.get(f.name) is f and f.name in listing
        for alias in f.aliases:
            assert exports.get(alias.upper()) is f
        assert callable(f.writer())
    names = {f.name for f in exports.FORMATS}
    assert names >= {"trig", "nquads", "turtle", "ntriples", "jsonld", "owl", "owl-ttl", "graphml", "gexf",
                     "cytoscape", "dot", "svg", "png", "kgx", "neo4j", "html", "void"}
    with pytest.raises(exports.ExportError, match="unknown export format 'xlsx'"):
        exports.get("xlsx")


def test_default_outputs_sit_next_to_the_graph():
    graph = Path("build/salvage-kg.trig")
    assert exports.default_output(exports.get("graphml"), graph) == Path("build/salvage-kg.graphml")
    assert exports.default_output(exports.get("kgx"), graph) == Path("build/salvage-kg-kgx")
    assert exports.default_output(exports.get("owl"), graph) == Path("build/salvage-kg-ontology.owl")


def test_export_refuses_to_overwrite_its_input(dataset):
    with pytest.raises(exports.ExportError, match="overwrite its own input"):
        dataset.export("trig", dataset.path)


def test_command_line_export_and_list(dataset, tmp_path, capsys):
    assert main(["export", "--list"]) == 0
    assert "graphml" in capsys.readouterr().out
    out = tmp_path / "page.html"
    assert main(["export", "HTML", "--graph", str(dataset.path), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["export", "nope", "--graph", str(dataset.path)]) == 2
    assert "unknown export format 'nope'" in capsys.readouterr().err


def test_console_script_export(dataset, tmp_path):
    script = Path(sys.executable).with_name("salvage-kg")
    if not script.exists():
        pytest.skip("console script not installed (pip install -e .)")
    done = subprocess.run([str(script), "export", "gexf", "--graph", str(dataset.path), "--out",
                           str(tmp_path / "kg.gexf")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert nx.read_gexf(tmp_path / "kg.gexf").number_of_nodes() == len(dataset.flat.nodes)
