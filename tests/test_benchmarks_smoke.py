"""The benchmarks still run: the synthetic inputs are sound and `run.py --quick` prints its tables.

No timings are asserted here; the figures live in benchmarks/RESULTS.md.
"""
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import synthetic  # noqa: E402


def test_documents_are_deterministic_and_varied():
    assert synthetic.document(3) == synthetic.document(3)
    assert synthetic.document(3) != synthetic.document(4)
    assert synthetic.document(3, seed=1) != synthetic.document(3)
    sizes = [len(synthetic.document(i).encode()) for i in range(10)]
    assert all(abs(s - synthetic.DOC_BYTES) < synthetic.DOC_BYTES * 0.3 for s in sizes)


def test_the_extractor_reads_the_templates(tmp_path):
    from salvage_kg.loaders import extract, read_corpus

    synthetic.write_corpus(tmp_path, 2)
    kinds = {st.kind for doc in read_corpus(tmp_path) for st in extract(doc)}
    assert {"indication", "adverse-effect", "outcome", "criterion", "prerequisite"} <= kinds


def test_graph_generator_reaches_the_size_asked(tmp_path):
    from salvage_kg.graph.store import load_store

    path = tmp_path / "g.nq"
    n = synthetic.write_graph(path, min_triples=20_000)
    assert n >= 20_000
    from pyoxigraph import DefaultGraph

    store = load_store(path)
    in_default = sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
    assert len(store) - in_default == n  # the default graph holds their union besides


@pytest.mark.server  # starts a real Oxigraph server on 127.0.0.1
def test_quick_run_prints_every_table(tmp_path):
    results = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--quick", "--results", str(results)],
                          capture_output=True, text=True, timeout=600, cwd=BENCHMARKS.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    for heading in ("## Loader throughput", "## Query latency", "## Start-up", "| machine"):
        assert heading in done.stdout
    assert "| salvage-options (after=radiotherapy)" in done.stdout
    assert results.read_text(encoding="utf-8") == done.stdout
