"""The build: corpus -> assertions -> RDF dataset on disk (text -> assertions -> RDF, one way)."""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .assertions import Document, Statement, merge

DEFAULT_OUT = Path("build") / "salvage-kg.trig"


def default_corpus() -> Path:
    return Path(os.environ.get("SALVAGE_KG_CORPUS") or Path("..") / "shared" / "corpus")


@dataclass
class BuildResult:
    documents: list[Document]
    statements: list[Statement]
    quads: Sequence  # a list, or `BuiltQuads` when the build streamed them to disk
    out: Path | None
    seconds: float


class BuiltQuads(Sequence):
    """The quads of a build that wrote them as they were made instead of holding them.

    The count is known; iterating makes the quads again, graph by graph, from the documents and
    statements (the same quads in the same order: the build is deterministic); indexing makes and keeps
    a list.
    """

    def __init__(self, count: int, documents: list[Document], statements: list[Statement]):
        self._count = count
        self._documents = documents
        self._statements = statements
        self._list: list | None = None

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        if self._list is not None:
            return iter(self._list)
        return (q for graph in build_graphs(self._documents, self._statements) for q in graph.quads)

    def __getitem__(self, index):
        if self._list is None:
            self._list = build_quads(self._documents, self._statements)
        return self._list[index]

    def __repr__(self) -> str:
        return f"<BuiltQuads: {self._count} quads>"


def stderr_progress(message: str) -> None:
    print(f"salvage-kg: {message}", file=sys.stderr, flush=True)


def assemble(documents: list[Document], progress: Callable[[str], None] | None = None,
             workers: int | None = None) -> list[Statement]:
    """Extract statements from every document and merge those that make the same claim.

    Extraction runs in forked worker processes (`workers`, default `$SALVAGE_KG_WORKERS` or one per
    core; 1 for none), with results in document order, so the output is the same as a serial run.
    """
    from .loaders.parallel import extract_each

    statements: list[Statement] = []
    for i, found in enumerate(extract_each(documents, workers), 1):
        statements.extend(found)
        if progress and (i % 50 == 0 or i == len(documents)):
            progress(f"extracted {i}/{len(documents)} documents")
    return merge(statements)


def build_quads(documents: list[Document], statements: list[Statement]) -> list:
    from .graph.rdf import dataset_quads
    from .ontology import owl
    from .ontology.terminology import default_terminology

    return dataset_quads(documents, statements, default_terminology(), owl.ontology_triples())


def build_graphs(documents: list[Document], statements: list[Statement], workers: int | None = 1,
                 serialise_as=None) -> Iterator:
    """The dataset graph by graph (`rdf.GraphQuads`), each made when it is asked for; `workers` as in
    `assemble` (None: `$SALVAGE_KG_WORKERS` or one per core), which also serialise each graph in
    `serialise_as` (an `RdfFormat` of `store.PIECEWISE`), if given."""
    from .graph.rdf import dataset_graphs
    from .loaders.parallel import worker_count
    from .ontology import owl
    from .ontology.terminology import default_terminology

    return dataset_graphs(documents, statements, default_terminology(), owl.ontology_triples(),
                          worker_count(len(documents), workers), serialise_as)


def build(
    corpus: str | os.PathLike | None = None,
    out: str | os.PathLike | None = DEFAULT_OUT,
    *,
    validate: bool = True,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the dataset from `corpus`; write it to `out` (if given) only when everything succeeded.

    Validation needs every quad at once; without it, a build that writes streams the quads to the file
    graph by graph and keeps none of them (`BuildResult.quads` makes them again when asked).
    """
    from .graph.store import PIECEWISE, rdf_format
    from .loaders.corpus import read_corpus

    started = time.perf_counter()
    report = progress or (lambda message: None)
    if out is not None:
        rdf_format(out)  # an unknown extension fails before any work
    documents = read_corpus(corpus or default_corpus(), progress)
    statements = assemble(documents, progress)
    if out is not None and not validate:
        fmt, _ = rdf_format(out)
        pieces = fmt if fmt in PIECEWISE else None  # the workers that make the graphs serialise them
        count = write_dataset(build_graphs(documents, statements, workers=None, serialise_as=pieces), Path(out),
                              lambda n: report(f"{len(statements)} statements, {n} quads"))
        quads: Sequence = BuiltQuads(count, documents, statements)
    else:
        from .graph.rdf import graphs_of

        quads = build_quads(documents, statements)
        report(f"{len(statements)} statements, {len(quads)} quads")
        if validate:
            from .validate import check_quads

            report("validating (SHACL shapes, OWL reasoner)")
            check_quads(quads)
        if out is not None:
            write_dataset(graphs_of(quads), Path(out))
    if out is not None:
        report(f"wrote {out}")
    return BuildResult(documents, statements, quads, Path(out) if out else None, time.perf_counter() - started)


def write_dataset(graphs: Iterable, out: Path, written: Callable[[int], None] | None = None) -> int:
    """Write the dataset (given graph by graph) and its companion files; returns the number of quads.

    The dataset streams to `out`, while the figures its description needs are gathered on the way;
    `written(quads)` is called once the dataset file is complete, before the companions are written.
    """
    from .graph.rdf import ONTOLOGY_GRAPH
    from .graph.statistics import Statistics
    from .graph.store import write_graphs

    ontology: list = []

    def observed(stats: Statistics):
        for graph in graphs:
            stats.add_graph(graph)
            if graph.name == ONTOLOGY_GRAPH:
                ontology.extend(graph.quads)
            yield graph

    out.parent.mkdir(parents=True, exist_ok=True)
    with Statistics(out.parent) as stats:
        count = write_graphs(observed(stats), out)
        if written:
            written(count)
        write_companions(ontology, stats.summary(), out)
    return count


def write_companions(ontology, summary, out: Path) -> None:
    """Files written next to every build: the ontology as Turtle and RDF/XML, and the dataset description.

    `ontology`: the ontology graph's quads; `summary`: the dataset's `statistics.Summary` (or its quads).
    """
    from .graph import void
    from .graph.store import write_quads

    stem = out.name.split(".")[0]
    write_quads(ontology, out.with_name(f"{stem}-ontology.ttl"))
    write_quads(ontology, out.with_name(f"{stem}-ontology.owl"))
    void.write_description(summary, out, out.with_name(f"{stem}-void.ttl"))
