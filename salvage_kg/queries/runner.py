"""Run named or ad-hoc SPARQL on a dataset file (Oxigraph in memory) or on any SPARQL 1.1 endpoint.

Both paths return the same `Result` (results.py), so `render` prints the same bytes for the same
data wherever it came from. The default graph is the union of the named graphs (an endpoint must be
set up that way; `salvage-kg serve` is). Parameters are resolved to IRIs of the graph (resolve.py)
and bound with VALUES blocks, the one mechanism every endpoint understands.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from . import catalog
from .catalog import QueryError
from .render import render
from .resolve import INDEX_QUERY, ConceptIndex, Resolver
from .results import Result, normalize
from .syntax import has_service, reads_named_graphs

__all__ = ["Source", "Result", "QueryError", "run_named", "run_sparql", "read_query_arg", "render"]


class Source:
    """Where queries run: a dataset file loaded into Oxigraph, a loaded pyoxigraph Store, or a SPARQL
    endpoint URL. Give exactly one."""

    def __init__(self, graph: str | os.PathLike | None = None, endpoint: str | None = None, store=None):
        if sum(x is not None for x in (graph, endpoint, store)) != 1:
            raise QueryError("give one of: a dataset file, a loaded store, an endpoint URL")
        self.graph = graph
        self.endpoint = endpoint
        self._store = store
        self._graphs_store = store
        self._index: ConceptIndex | None = None
        self.worker = None  # the process running this source's local queries (local.Worker), once started
        self.graphs_worker = None  # the same for queries that name graphs, on `graphs_store`

    def __repr__(self) -> str:
        if self.endpoint:
            return f"Source(endpoint={self.endpoint!r})"
        return f"Source(graph={str(self.graph)!r})" if self.graph is not None else "Source(store=...)"

    @property
    def store(self):
        """The loaded store. From a dataset file it holds the union of the named graphs alone (as its
        default graph), which is all that the named queries and most others read, and faster to
        query than a store that also keeps the named graphs (graph.store.load_store)."""
        if self._store is None:
            from ..graph.store import load_store

            self._store = load_store(self.graph, named_graphs=False)
        return self._store

    @property
    def graphs_store(self):
        """The store with the named graphs too, for queries that name graphs; loaded when first needed."""
        if self._graphs_store is None:
            from ..graph.store import load_store

            self._graphs_store = load_store(self.graph)
        return self._graphs_store

    def close(self) -> None:
        """Stop the query processes now rather than when the source is dropped."""
        for worker in (self.worker, self.graphs_worker):
            if worker is not None:
                worker.stop()

    def execute(self, text: str, timeout: float, allow_service: bool = False) -> Result:
        """Run one query; SERVICE clauses run only on an endpoint or when allowed."""
        if timeout <= 0:
            raise QueryError("query timed out before it could start")
        if self.endpoint:
            from .endpoint import query_endpoint

            return normalize(query_endpoint(self.endpoint, text, timeout))
        if not allow_service and has_service(text):
            raise QueryError("the query has a SERVICE clause, which would make this machine fetch remote "
                             "data; pass --allow-service to run it")
        from .local import query_file

        # The named queries never name graphs: only others may need the store that keeps them.
        return query_file(self, text, timeout, reads_named_graphs(text))  # normalized already

    def concept_index(self, timeout: float) -> ConceptIndex:
        """The names, types and hierarchy of the graph's concepts, read once per source."""
        if self._index is None:
            if self.endpoint:
                self._index = ConceptIndex.from_rows(self.execute(INDEX_QUERY, timeout).rows)
            else:
                # Our own query, a linear scan of concept triples: read in-process, where it is 5x
                # faster than through a child and JSON (the timeout guards user queries).
                solutions = self.store.query(INDEX_QUERY)
                self._index = ConceptIndex.from_triples((c.value, p.value, o.value) for c, p, o in solutions)
        return self._index


def run_named(name: str, params: dict[str, str], source: Source, timeout: float = 30.0) -> Result:
    """Run a named query with its parameters resolved to concept IRIs (see resolve.py)."""
    query = catalog.get(name)
    for key in params:
        query.param(key)  # unknown names fail before any work
    missing = [p.name for p in query.params if p.required and p.name not in params]
    if missing:
        raise QueryError(f"query {name!r} needs --param {missing[0]}=...")
    deadline = time.monotonic() + timeout

    def left() -> float:
        return deadline - time.monotonic()

    iris: dict[str, list[str]] = {}
    if params or any(p.default for p in query.params):
        resolver = Resolver(source.concept_index(left()), lambda text: source.execute(text, left()).rows)
        for p in query.params:
            if p.name in params:
                iris[p.name] = resolver.resolve(p, params[p.name])
            elif p.default:
                try:
                    iris[p.name] = resolver.resolve(p, p.default)
                except QueryError:
                    pass  # a default the graph does not know restricts nothing
    # Without SERVICE in the catalog text the bound text has none either: skip scanning it again.
    result = source.execute(query.bind(iris), left(), allow_service=not query.uses_service)
    if set(result.variables) != set(query.columns):
        raise QueryError(f"query {name!r} returned columns {result.variables}, its header says {list(query.columns)}")
    result.variables = list(query.columns)
    return result


def run_sparql(text: str, source: Source, timeout: float = 30.0, allow_service: bool = False) -> Result:
    """Run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)."""
    if not text.strip():
        raise QueryError("empty query")
    return source.execute(text, timeout, allow_service=allow_service)


def read_query_arg(arg: str) -> str:
    """The query itself, or the content of FILE for '@FILE' ('@-' reads standard input)."""
    if not arg.startswith("@"):
        return arg
    if arg == "@-":
        return sys.stdin.read()
    try:
        return Path(arg[1:]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"cannot read query file {arg[1:]}: {getattr(e, 'strerror', None) or e}") from None
