"""`salvage-kg build` end to end on a small corpus written for the tests."""
import shutil
from pathlib import Path

import pytest

from salvage_kg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES, folder)
    return folder


def build(corpus, out, *extra):
    return main(["build", "--corpus", str(corpus), "--out", str(out), "--quiet", *extra])


def test_two_builds_are_byte_identical(corpus, tmp_path):
    a, b = tmp_path / "a.trig", tmp_path / "b.trig"
    assert build(corpus, a) == 0
    assert build(corpus, b) == 0
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a-ontology.ttl").exists() and (tmp_path / "a-ontology.owl").exists()


@pytest.mark.parametrize("ext", [".nq", ".jsonld", ".ttl", ".nt"])
def test_format_follows_extension(corpus, tmp_path, ext):
    out = tmp_path / f"kg{ext}"
    assert build(corpus, out, "--no-validate") == 0
    assert out.stat().st_size > 0


def test_bad_document_fails_cleanly_and_keeps_previous_output(corpus, tmp_path, capsys):
    out = tmp_path / "kg.trig"
    assert build(corpus, out, "--no-validate") == 0
    before = out.read_bytes()
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
    capsys.readouterr()
    assert build(corpus, out, "--no-validate") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"salvage-kg: error: {corpus / 'broken.txt'}: binary file (NUL byte at offset 2)"]
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kg")) == [
        "kg-ontology.owl", "kg-ontology.ttl", "kg-void.ttl", "kg.trig"] or not any(
        p.name.endswith(".part") for p in tmp_path.iterdir())


def test_no_partial_file_when_first_build_fails(tmp_path, capsys):
    out = tmp_path / "kg.trig"
    assert build(tmp_path / "missing", out) == 2
    assert "corpus folder does not exist" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_output_format_is_refused_before_work(corpus, tmp_path, capsys):
    assert build(corpus, tmp_path / "kg.xlsx") == 2
    assert "unknown RDF format '.xlsx'" in capsys.readouterr().err


def test_streamed_build_equals_the_dataset_written_at_once(corpus, tmp_path):
    """Without validation the quads stream to disk graph by graph; the files are those of the quads
    written all at once, and the result can still give every quad."""
    from salvage_kg.graph import void
    from salvage_kg.graph.store import write_quads
    from salvage_kg.pipeline import BuiltQuads, build as run_build

    messages = []
    result = run_build(corpus, tmp_path / "kg.trig", validate=False, progress=messages.append)
    assert isinstance(result.quads, BuiltQuads)
    quads = list(result.quads)
    assert len(quads) == len(result.quads) > 0 and quads == list(result.quads)
    assert result.quads[0] == quads[0] and result.quads[-1] == quads[-1]
    assert f"{len(result.statements)} statements, {len(quads)} quads" in messages

    write_quads(quads, tmp_path / "again.trig")
    assert (tmp_path / "kg.trig").read_bytes() == (tmp_path / "again.trig").read_bytes()
    void.write_description(quads, tmp_path / "kg.trig", tmp_path / "again-void.ttl")
    assert (tmp_path / "kg-void.ttl").read_bytes() == (tmp_path / "again-void.ttl").read_bytes()


def test_validated_build_writes_the_same_files(corpus, tmp_path):
    (tmp_path / "v").mkdir()
    (tmp_path / "s").mkdir()
    assert build(corpus, tmp_path / "v" / "kg.nq") == 0
    assert build(corpus, tmp_path / "s" / "kg.nq", "--no-validate") == 0
    for name in ("kg.nq", "kg-void.ttl", "kg-ontology.ttl", "kg-ontology.owl"):
        assert (tmp_path / "v" / name).read_bytes() == (tmp_path / "s" / name).read_bytes()
