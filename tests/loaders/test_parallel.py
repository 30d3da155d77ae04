"""Extraction in worker processes gives exactly what a serial run gives, and fails the same way."""
from pathlib import Path

import pytest

from salvage_kg.loaders import load_document, parallel
from salvage_kg.pipeline import assemble

HERE = Path(__file__).resolve().parent.parent
DOCS = sorted(p for p in [*(HERE / "fixtures" / "corpus").iterdir(), *(HERE / "evaluation" / "dev").iterdir()]
              if p.suffix in (".txt", ".md", ".html"))

pytestmark = pytest.mark.skipif(parallel.worker_count(100, 2) < 2, reason="no fork start method")


@pytest.fixture(scope="module")
def documents():
    return [load_document(p) for p in DOCS]


@pytest.fixture
def small_chunks(monkeypatch):
    """Workers even for a handful of documents, and several tasks each."""
    monkeypatch.setattr(parallel, "MIN_DOCUMENTS_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)


def test_parallel_assemble_equals_serial(documents, small_chunks):
    serial = assemble(documents, workers=1)
    assert serial
    assert repr(assemble(documents, workers=2)) == repr(serial)


def test_parallel_extraction_keeps_document_order(documents, small_chunks):
    each = list(parallel.extract_each(documents, workers=2))
    assert [repr(found) for found in each] == [repr(parallel.extract(d)) for d in documents]


def test_progress_counts_every_document(documents, small_chunks):
    messages = []
    assemble(documents, messages.append, workers=2)
    assert messages[-1] == f"extracted {len(documents)}/{len(documents)} documents"


def test_worker_count():
    assert parallel.worker_count(3, 4) == 1  # too few documents to be worth a worker each
    assert parallel.worker_count(1000, 1) == 1
    assert parallel.worker_count(1000, 2) == 2


def test_error_in_a_worker_is_raised_as_is(documents, small_chunks, monkeypatch):
    broken = documents[len(documents) // 2]
    real = parallel.extract

    def failing(doc):
        if doc.id == broken.id:
            raise AssertionError(f"{doc.path}: evidence span 1-2 does not match its quote")
        return real(doc)

    monkeypatch.setattr(parallel, "extract", failing)
    with pytest.raises(AssertionError, match=f"^{broken.path}: evidence span 1-2 does not match its quote$"):
        assemble(documents, workers=2)
    with pytest.raises(AssertionError, match=f"^{broken.path}: evidence span"):
        assemble(documents, workers=1)
