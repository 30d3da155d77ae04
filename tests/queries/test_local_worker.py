"""The local store's query process: forked once, reused, killed on a timeout and replaced, always reaped."""
import gc
import os
import signal

import pytest

from salvage_kg.queries import local
from salvage_kg.queries.runner import QueryError, Source, run_named, run_sparql

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def fresh(dataset):
    """A source of its own, so that each test sees its worker from the start."""
    source = Source(graph=dataset)
    yield source
    source.close()


def reaped(pid: int) -> bool:
    """True once `pid` is gone for good: neither running nor a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def test_many_queries_reuse_one_worker(fresh, monkeypatch):
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(real_fork()) or forks[-1])
    expected = run_sparql(COUNT, fresh).values("n")
    for _ in range(20):
        assert run_sparql(COUNT, fresh).values("n") == expected
        run_named("salvage-options", {"after": "RT"}, fresh)
    assert len(forks) == 1 and fresh.worker.pid == forks[0]


def test_a_timeout_kills_the_worker_and_the_next_query_gets_a_new_one(fresh):
    run_sparql("ASK {}", fresh)
    first = fresh.worker.pid
    with pytest.raises(QueryError, match="timed out after 0.5 s"):
        run_sparql(HEAVY, fresh, timeout=0.5)
    assert reaped(first)
    assert run_sparql("ASK { ?s ?p ?o }", fresh).boolean is True
    assert fresh.worker.pid != first


def test_malformed_sparql_is_an_error_and_the_worker_stays(fresh):
    run_sparql("ASK {}", fresh)
    pid = fresh.worker.pid
    with pytest.raises(QueryError, match=r"malformed SPARQL: error at 1:\d+"):
        run_sparql("SELECT * WHERE { ?s ?p }", fresh)
    assert fresh.worker.pid == pid and run_sparql("ASK {}", fresh).boolean is True


def test_a_worker_that_dies_is_a_query_error_and_is_replaced(fresh, monkeypatch):
    monkeypatch.setattr(local, "_evaluate", lambda store, text: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(QueryError, match="ended with signal 9"):
        run_sparql("ASK {}", fresh)
    dead = fresh.worker.pid
    assert reaped(dead)
    monkeypatch.undo()
    assert run_sparql("ASK {}", fresh).boolean is True and fresh.worker.pid != dead


def test_a_dropped_source_leaves_no_process_and_no_descriptor(dataset):
    before = open_fds()
    pids = []
    for _ in range(5):
        source = Source(graph=dataset)
        run_sparql("ASK {}", source)
        pids.append(source.worker.pid)
        del source
        gc.collect()
    closed = Source(graph=dataset)
    run_sparql("ASK {}", closed)
    closed.close()
    pids.append(closed.worker.pid)
    assert all(reaped(pid) for pid in pids)
    assert open_fds() == before
    assert run_sparql("ASK {}", closed).boolean is True  # a closed source starts a new worker when asked
    closed.close()
