"""Dataset files: format from the extension, atomic writes, readable errors."""
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from salvage_kg.graph.store import DatasetError, load_store, read_quads, write_quads

G = NamedNode("https://example.org/g")
QUADS = [Quad(NamedNode("https://example.org/s"), NamedNode("https://example.org/p"), Literal("o"), G)]


@pytest.mark.parametrize("ext", [".trig", ".nq", ".jsonld", ".ttl", ".nt"])
def test_round_trip_by_extension(tmp_path, ext):
    path = tmp_path / f"d{ext}"
    write_quads(QUADS, path)
    back = read_quads(path)
    assert [(q.subject, q.predicate, q.object) for q in back] == [(q.subject, q.predicate, q.object) for q in QUADS]
    keeps_graphs = ext in (".trig", ".nq", ".jsonld")
    assert (back[0].graph_name == G) == keeps_graphs


def test_unknown_extension(tmp_path):
    with pytest.raises(DatasetError, match=r"unknown RDF format '.xyz'"):
        write_quads(QUADS, tmp_path / "d.xyz")


def test_failed_write_leaves_previous_file(tmp_path):
    path = tmp_path / "d.trig"
    write_quads(QUADS, path)
    before = path.read_bytes()

    def broken():
        yield QUADS[0]
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_quads(broken(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["d.trig"]  # no temporary file left behind


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(DatasetError, match="no such dataset file"):
        load_store(tmp_path / "none.trig")
    bad = tmp_path / "bad.trig"
    bad.write_text("<a> <b> .")
    with pytest.raises(DatasetError, match=r"bad.trig: not valid TriG"):
        load_store(bad)
