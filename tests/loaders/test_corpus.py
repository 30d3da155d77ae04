"""Reading a corpus: metadata, formats, and one-line errors for bad input."""
import hashlib
import os

import pytest

from salvage_kg.loaders.corpus import CorpusError, infer_kind, load_document, read_corpus

SAMPLE = "Salvage Options\n\nSalvage cryoablation may be considered after radiotherapy fails.\n"


def write(folder, name, data):
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_reads_folder_with_inferred_metadata(tmp_path):
    write(tmp_path, "a.txt", SAMPLE)
    (doc,) = read_corpus(tmp_path)
    assert doc.id == "a"
    assert doc.title == "Salvage Options"
    assert doc.sha256 == hashlib.sha256(SAMPLE.encode()).hexdigest()
    assert doc.text == SAMPLE


def test_manifest_metadata_is_used(tmp_path):
    write(tmp_path, "a.txt", SAMPLE)
    digest = hashlib.sha256(SAMPLE.encode()).hexdigest()
    write(tmp_path, "manifest.yaml", f"documents:\n  - file: a.txt\n    sha256: {digest}\n    title: T\n"
                                     f"    kind: study-report\n    cites: 'X. doi:10.1000/abc.1'\n")
    (doc,) = read_corpus(tmp_path)
    assert (doc.title, doc.kind, doc.reliability) == ("T", "study-report", 1)
    assert doc.reference == "https://doi.org/10.1000/abc.1"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty document"),
    (b"  \n\t\n", "empty document"),
    (b"text\x00more", "binary file (NUL byte at offset 4)"),
    (b"caf\xe9 au lait", "not UTF-8 text (invalid byte 0xe9 at offset 3)"),
])
def test_bad_files_name_file_and_cause(tmp_path, data, reason):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(CorpusError) as err:
        read_corpus(tmp_path)
    assert str(err.value) == f"{path}: {reason}"


def test_huge_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SALVAGE_KG_MAX_DOCUMENT_BYTES", "100")
    path = write(tmp_path, "big.txt", "word " * 50)
    with pytest.raises(CorpusError, match="too large"):
        load_document(path)
    assert str(path) in str(pytest.raises(CorpusError, load_document, path).value)


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no documents"):
        read_corpus(tmp_path)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "a.txt", SAMPLE)
    path.chmod(0)
    try:
        with pytest.raises(CorpusError, match="permission denied"):
            read_corpus(tmp_path)
    finally:
        path.chmod(0o644)


def test_manifest_problems(tmp_path):
    write(tmp_path, "a.txt", SAMPLE)
    write(tmp_path, "manifest.yaml", "documents: [unclosed\n")
    with pytest.raises(CorpusError, match=r"manifest.yaml: malformed YAML at line"):
        read_corpus(tmp_path)
    write(tmp_path, "manifest.yaml", "documents:\n  - file: a.txt\n    sha256: " + "0" * 64 + "\n")
    with pytest.raises(CorpusError, match="checksum differs"):
        read_corpus(tmp_path)
    write(tmp_path, "manifest.yaml", "documents:\n  - file: gone.txt\n")
    with pytest.raises(CorpusError, match="'gone.txt', which is not in the folder"):
        read_corpus(tmp_path)
    write(tmp_path, "manifest.yaml", "documents:\n  - file: a.txt\n    kind: blog\n")
    with pytest.raises(CorpusError, match="unknown kind 'blog'"):
        read_corpus(tmp_path)


def test_html_offsets_index_the_visible_text(tmp_path):
    html = ("<html><head><title>Rescue options</title><script>var x = 1;</script></head><body>"
            "<h1>After surgery</h1><p>Salvage radiotherapy &amp; ADT may be offered.</p>"
            "<ul><li>First item</li></ul></body></html>")
    doc = load_document(write(tmp_path, "page.html", html))
    assert doc.title == "Rescue options"
    assert doc.media_type == "text/html"
    assert "var x" not in doc.text
    assert "# After surgery" in doc.text and "- First item" in doc.text
    assert "Salvage radiotherapy & ADT may be offered." in doc.text


def test_kind_is_inferred_from_cues():
    study = "In this retrospective cohort, investigators matched 400 patients; hazard ratio 0.6 (95% CI 0.4-0.8)."
    assert infer_kind(study) == "study-report"
    assert infer_kind("Plain words without any cue at all in them whatsoever.") == "unknown"


def test_html_table_becomes_a_pipe_table_whose_cells_keep_valid_offsets(tmp_path):
    html = ("<html><body><h2>Side effects</h2><table><thead><tr><th>Drug</th><th>Harm</th><th>Rate</th></tr></thead>"
            "<tbody><tr><td>Busulfan</td><td>mucositis <br>(any grade)</td><td>40%</td></tr>"
            "<tr><td>Melphalan</td><td>a|b</td><td>12%</td></tr></tbody></table><p>After the table.</p></body></html>")
    doc = load_document(write(tmp_path, "page.html", html))
    lines = doc.text.splitlines()
    at = lines.index("| Drug | Harm | Rate |")
    assert lines[at + 1] == "| --- | --- | --- |"
    assert lines[at + 2] == "| Busulfan | mucositis (any grade) | 40% |"
    assert lines[at + 3] == "| Melphalan | a/b | 12% |"  # a pipe inside a cell does not split it
    assert lines[at + 4] == "After the table."
