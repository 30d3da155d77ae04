"""The dataset made and written graph by graph equals the dataset made and written all at once."""
from __future__ import annotations

import hashlib
import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

sys.path.insert(0, str(Path(__file__).parent))  # the shared sample (tests run in importlib mode)
from kg_sample import TERMINOLOGY, documents, statements  # noqa: E402

from salvage_kg import assertions as a  # noqa: E402
from salvage_kg.graph import external_sort, rdf, void  # noqa: E402
from salvage_kg.graph.external_sort import ExternalSort, unique  # noqa: E402
from salvage_kg.graph.statistics import Statistics  # noqa: E402
from salvage_kg.graph.store import write_graphs, write_quads  # noqa: E402

ONTOLOGY = [rdf.Triple(NamedNode("https://w3id.org/salvage-kg/ontology#Therapy"),
                       NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("therapy", language="en")),
            rdf.Triple(BlankNode("b1"), NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"), Literal("x")),
            rdf.Triple(BlankNode("b12"), NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"), Literal("x"))]


def shared_statements() -> list:
    """The sample, plus a claim two documents make, so the same triples stand in two graphs."""
    ev = a.Evidence("guide", 0, 6, "Salvag")
    ev2 = a.Evidence("hiv-note", 0, 3, "HIV")
    extra = [a.Indication(therapy="salvage-radiotherapy", conditions=("prostate-cancer",), evidence=(ev, ev2))]
    return a.merge(statements() + extra)


def all_at_once(docs, sts, terminology, ontology) -> list:
    """The dataset as the build made it before it streamed: every graph's quads in one dict of sets."""
    label = rdf._labeller(terminology, sts)
    graphs: dict[str, set] = {}

    def add(g, triples):
        graphs.setdefault(str(g), set()).update(Quad(s, p, o, g) for s, p, o in triples)

    for doc in docs:
        supported = {str(rdf.statement_node(st)) for st in sts if not isinstance(st, a.ConceptDeclaration)
                     and any(e.document == doc.id for e in st.evidence)}
        add(rdf.t.graph(doc.id), rdf._source_triples(doc, len(supported)))
    for st in sts:
        for doc_id in sorted({e.document for e in st.evidence}):
            add(rdf.t.graph(doc_id), rdf.statement_triples(st, [e for e in st.evidence if e.document == doc_id],
                                                           label))
    add(rdf.TERMINOLOGY_GRAPH, rdf.terminology_triples(terminology, label))
    add(rdf.ONTOLOGY_GRAPH, ((tr.subject, tr.predicate, tr.object) for tr in ontology))
    return [q for g in sorted(graphs) for q in sorted(graphs[g], key=str)]


@pytest.fixture
def tiny_budget(monkeypatch):
    """Spill after a few lines, so that sorting goes through runs on disk and their merge."""
    monkeypatch.setattr(external_sort, "DEFAULT_BUDGET", 300)


def dataset() -> list:
    return rdf.dataset_quads(documents(), shared_statements(), TERMINOLOGY, ONTOLOGY)


def test_graph_by_graph_equals_all_at_once():
    sts = shared_statements()
    graphs = list(rdf.dataset_graphs(documents(), sts, TERMINOLOGY, ONTOLOGY))
    expected = all_at_once(documents(), sts, TERMINOLOGY, ONTOLOGY)
    assert [q for g in graphs for q in g.quads] == expected
    assert len({str(g.name) for g in graphs}) == len(graphs) == len({q.graph_name for q in expected})
    for g in graphs:
        assert g.lines == [str(q) for q in g.quads] and all(q.graph_name == g.name for q in g.quads)
    assert [q for g in rdf.graphs_of(expected) for q in g.quads] == expected


def test_the_shared_claim_is_in_both_graphs():
    quads = dataset()
    node = rdf.statement_node(next(s for s in shared_statements()
                                   if isinstance(s, a.Indication) and len({e.document for e in s.evidence}) == 2))
    assert {q.graph_name.value.rsplit("/", 1)[-1] for q in quads if q.subject == node} == {"guide", "hiv-note"}


@pytest.mark.parametrize("ext", [".trig", ".nq", ".jsonld", ".ttl", ".nt"])
def test_streamed_file_equals_the_file_written_at_once(tmp_path, tiny_budget, ext):
    quads = dataset()
    write_quads(quads, tmp_path / f"at-once{ext}")
    n = write_graphs(rdf.dataset_graphs(documents(), shared_statements(), TERMINOLOGY, ONTOLOGY),
                     tmp_path / f"streamed{ext}")
    assert n == len(quads)
    assert (tmp_path / f"streamed{ext}").read_bytes() == (tmp_path / f"at-once{ext}").read_bytes()


def test_a_failed_streamed_write_leaves_the_previous_file(tmp_path, tiny_budget):
    for ext in (".trig", ".ttl"):
        path = tmp_path / f"d{ext}"
        write_quads(dataset(), path)
        before = path.read_bytes()

        def broken():
            graphs = rdf.dataset_graphs(documents(), shared_statements(), TERMINOLOGY, ONTOLOGY)
            yield next(graphs)
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError):
            write_graphs(broken(), path)
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.trig", "d.ttl"]  # nothing left behind


def test_external_sort_equals_sorted(tmp_path, tiny_budget):
    rng = random.Random(7)
    alphabet = "ab <>\"_:é€\U0001f600\\z0"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) + "\n" for _ in range(2000)]
    lines += lines[:50]  # repeats are kept
    with ExternalSort(tmp_path) as s:
        for i in range(0, len(lines), 97):
            s.extend(lines[i:i + 97])
        assert len(s._runs) > 10  # the budget made it spill
        assert list(s) == [line.encode("utf-8") for line in sorted(lines)]
    assert list(unique([b"a\n", b"a\n", b"b\n"])) == [b"a\n", b"b\n"]


def test_external_sort_without_spilling_needs_no_file():
    s = ExternalSort()
    s.extend(["b\n", "a\n"])
    assert list(s) == [b"a\n", b"b\n"] and s._file is None


def naive_figures(quads) -> dict:
    """The figures as the description computed them from held sets of terms."""
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    lines = sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads)
    return {
        "triples": len(triples),
        "entities": len({s for s, _, _ in triples if isinstance(s, NamedNode)}),
        "subjects": len({s for s, _, _ in triples}),
        "objects": len({o for _, _, o in triples}),
        "classes": {str(c): n for c, n in Counter(o for s, p, o in triples if p == rdf_type).items()},
        "properties": {str(p): n for p, n in Counter(p for _, p, _ in triples).items()},
        "graphs": dict(Counter(q.graph_name for q in quads)),
        "checksum": hashlib.sha256("".join(lines).encode("utf-8")).hexdigest(),
    }


@pytest.mark.parametrize("by_graph", [True, False])
def test_statistics_equal_the_figures_of_held_sets(tmp_path, tiny_budget, by_graph):
    quads = dataset()
    with Statistics(tmp_path) as stats:
        if by_graph:
            for graph in rdf.graphs_of(quads):
                stats.add_graph(graph)
        else:
            stats.add_quads(reversed(quads))  # any order
        summary = stats.summary()
    want = naive_figures(quads)
    got = {k: getattr(summary, k) for k in want}
    assert got == want
    assert want["triples"] < len(quads)  # the shared claim's triples count once
    sources = {f"<https://w3id.org/salvage-kg/source/{d.id}>" for d in documents()}
    assert set(summary.source_documents) == sources
    assert {f.split(" ", 1)[0] for f in summary.source_facts} == sources
    assert not list(tmp_path.iterdir())  # the spill file is anonymous


def test_description_from_statistics_equals_description_from_quads(tmp_path, tiny_budget):
    quads = dataset()
    path = tmp_path / "kg.trig"
    write_quads(quads, path)
    with Statistics(tmp_path) as stats:
        for graph in rdf.graphs_of(quads):
            stats.add_graph(graph)
        summary = stats.summary()
    assert void.describe(summary, path) == void.describe(quads, path)
    assert void.content_checksum(quads) == summary.checksum
