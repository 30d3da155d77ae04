"""The Python API for apps: build or load a dataset, run named queries, hand the graph to networkx.

Example (run by tests/test_api.py)::

    import salvage_kg

    ds = salvage_kg.load("build/salvage-kg.trig")      # or: salvage_kg.build("../shared/corpus")
    for row in ds.query("salvage-options", after="radiotherapy"):
        print(row["therapyLabel"], "for", row["conditionLabel"])
    for row in ds.query("complications", therapy="salvage prostatectomy"):
        print(row["therapyLabel"], "->", row["complicationLabel"])
    g = salvage_kg.to_networkx(ds)   # therapy -has adverse effect-> complication, ...
    print(g.number_of_nodes(), "nodes,", g.number_of_edges(), "edges")
    ds.export("graphml", "build/salvage-kg.graphml")

A `Dataset` is the one in-memory container: its quads, a SPARQL store made on first use, and the
readable edges graph tools draw (`salvage_kg.graph.flatten`).
"""
from __future__ import annotations

import os
import tempfile
import weakref
from pathlib import Path
from typing import Any

DEFAULT_GRAPH = Path("build") / "salvage-kg.trig"


class Dataset:
    """The dataset in memory. `path` is the file it was read from or written to (None if never)."""

    def __init__(self, quads, path: str | os.PathLike | None = None, documents=None):
        self.quads = list(quads)
        self.path = Path(path) if path else None
        self.documents = list(documents or [])
        self._store = None
        self._flat = None
        self._tmp: Path | None = None
        self._runner_source = None

    def __repr__(self) -> str:
        return f"<salvage_kg.Dataset {len(self.quads)} quads{f' from {self.path}' if self.path else ''}>"

    def __len__(self) -> int:
        return len(self.quads)

    @property
    def store(self):
        """A pyoxigraph Store holding the quads (built on first use)."""
        if self._store is None:
            from pyoxigraph import Store

            from .graph.store import UNION_INTO_DEFAULT

            store = Store()
            store.bulk_extend(self.quads)
            store.update(UNION_INTO_DEFAULT)
            self._store = store
        return self._store

    @property
    def flat(self):
        """The statements as readable edges (`salvage_kg.graph.flatten.FlatGraph`)."""
        if self._flat is None:
            from .graph.flatten import flatten

            self._flat = flatten(self.quads)
        return self._flat

    def query(self, name: str, *, timeout: float = 30.0, **params: str) -> list[dict[str, Any]]:
        """Run a named query (see `salvage-kg queries`); rows are dicts variable -> plain value.

        Parameters take a label, synonym, abbreviation or CURIE (therapy="HIFU"). IRIs and strings
        come back as str, numbers as int/float, booleans as bool, unbound variables as None.
        """
        from .queries import runner

        if self._runner_source is None:
            self._runner_source = self._source(runner)
        return plain_rows(runner.run_named(name, params, self._runner_source, timeout=timeout))

    def sparql(self, text: str):
        """Run SPARQL over the union of the named graphs.

        SELECT gives a list of dicts (IRIs and strings as str, numbers as int/float, booleans as bool,
        unbound as None); ASK gives a bool; CONSTRUCT/DESCRIBE a list of pyoxigraph Triples.
        """
        result = self.store.query(text)
        if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
            return bool(result)
        if type(result).__name__ == "QueryTriples":
            return list(result)
        names = [v.value for v in result.variables]
        return [{n: _python(s[n]) for n in names} for s in result]

    def to_networkx(self):
        """A networkx MultiDiGraph: concepts as nodes, statements as readable edges with their qualifiers."""
        return self.flat.to_networkx()

    def export(self, fmt: str, out: str | os.PathLike | None = None) -> Path:
        """Write the dataset in an export format (see `salvage-kg export --list`); returns the path."""
        from .graph import exports

        return exports.write(fmt, self, out)

    def _source(self, runner):
        import inspect

        if "store" in inspect.signature(runner.Source).parameters:
            return runner.Source(store=self.store)
        if self.path is None:  # the runner reads files: give it one for this dataset's lifetime
            if self._tmp is None:
                from .graph.store import write_quads

                folder = tempfile.mkdtemp(prefix="salvage-kg-")
                weakref.finalize(self, _remove_tree, folder)
                self._tmp = Path(folder) / "dataset.nq"
                write_quads(self.quads, self._tmp)
            return runner.Source(graph=str(self._tmp))
        return runner.Source(graph=str(self.path))


def _remove_tree(folder: str) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {_XSD + "integer": int, _XSD + "int": int, _XSD + "long": int, _XSD + "decimal": float,
            _XSD + "double": float, _XSD + "float": float}


def plain_rows(result) -> list[dict[str, Any]]:
    """The runner's rows (W3C JSON term dicts) as plain Python values, every variable present."""
    return [{v: _plain(row.get(v)) for v in result.variables} for row in result.rows]


def _plain(term: dict | None):
    if term is None:
        return None
    value, datatype = term.get("value"), term.get("datatype")
    if datatype == _XSD + "boolean":
        return value in ("true", "1")
    if datatype in _NUMBERS:
        try:
            return _NUMBERS[datatype](value)
        except ValueError:
            return value
    return value


def _python(term):
    if term is None:
        return None
    if not hasattr(term, "datatype"):
        return term.value
    from .graph.flatten import _python as literal_value

    try:
        return literal_value(term)
    except ValueError:  # an ill-typed literal keeps its text
        return term.value


def build(corpus: str | os.PathLike | None = None, out: str | os.PathLike | None = None, *,
          validate: bool = True, progress=None) -> Dataset:
    """Build the dataset from a corpus folder; write it to `out` too when given."""
    from .pipeline import build as run_build

    result = run_build(corpus, out, validate=validate, progress=progress)
    return Dataset(result.quads, result.out, result.documents)


def load(path: str | os.PathLike = DEFAULT_GRAPH) -> Dataset:
    """Read a dataset file (.trig, .nq, .jsonld, .ttl, .nt)."""
    from .graph.store import read_quads

    return Dataset(read_quads(path), path)


def query(name: str, graph: Dataset | str | os.PathLike | None = None, *, endpoint: str | None = None,
          timeout: float = 30.0, **params: str) -> list[dict[str, Any]]:
    """Run a named query on a Dataset, a dataset file (default build/salvage-kg.trig) or a SPARQL endpoint."""
    if isinstance(graph, Dataset):
        return graph.query(name, timeout=timeout, **params)
    from .queries import runner

    source = runner.Source(graph=None if endpoint else str(graph or DEFAULT_GRAPH), endpoint=endpoint)
    return plain_rows(runner.run_named(name, params, source, timeout=timeout))


def to_networkx(dataset: Dataset | str | os.PathLike):
    """The dataset (or dataset file) as a networkx MultiDiGraph of readable edges."""
    if not isinstance(dataset, Dataset):
        dataset = load(dataset)
    return dataset.to_networkx()


__all__ = ["Dataset", "build", "load", "query", "to_networkx"]
