"""The build: corpus -> assertions -> RDF dataset on disk (text -> assertions -> RDF, one way)."""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .assertions import Document, Statement, merge

DEFAULT_OUT = Path("build") / "salvage-kg.trig"


def default_corpus() -> Path:
    return Path(os.environ.get("SALVAGE_KG_CORPUS") or Path("..") / "shared" / "corpus")


@dataclass
class BuildResult:
    documents: list[Document]
    statements: list[Statement]
    quads: list
    out: Path | None
    seconds: float


def stderr_progress(message: str) -> None:
    print(f"salvage-kg: {message}", file=sys.stderr, flush=True)


def assemble(documents: list[Document], progress: Callable[[str], None] | None = None) -> list[Statement]:
    """Extract statements from every document and merge those that make the same claim."""
    from .loaders.extract import extract

    statements: list[Statement] = []
    for i, doc in enumerate(documents, 1):
        statements.extend(extract(doc))
        if progress and (i % 50 == 0 or i == len(documents)):
            progress(f"extracted {i}/{len(documents)} documents")
    return merge(statements)


def build_quads(documents: list[Document], statements: list[Statement]) -> list:
    from .graph.rdf import dataset_quads
    from .ontology import owl
    from .ontology.terminology import default_terminology

    return dataset_quads(documents, statements, default_terminology(), owl.ontology_triples())


def build(
    corpus: str | os.PathLike | None = None,
    out: str | os.PathLike | None = DEFAULT_OUT,
    *,
    validate: bool = True,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the dataset from `corpus`; write it to `out` (if given) only when everything succeeded."""
    from .graph.store import rdf_format, write_quads
    from .loaders.corpus import read_corpus

    started = time.perf_counter()
    if out is not None:
        rdf_format(out)  # an unknown extension fails before any work
    documents = read_corpus(corpus or default_corpus(), progress)
    statements = assemble(documents, progress)
    quads = build_quads(documents, statements)
    if progress:
        progress(f"{len(statements)} statements, {len(quads)} quads")
    if validate:
        from .validate import check_quads

        if progress:
            progress("validating (SHACL shapes, OWL reasoner)")
        check_quads(quads)
    if out is not None:
        write_quads(quads, out)
        write_companions(quads, documents, Path(out))
        if progress:
            progress(f"wrote {out}")
    return BuildResult(documents, statements, quads, Path(out) if out else None, time.perf_counter() - started)


def write_companions(quads, documents, out: Path) -> None:
    """Files written next to every build: the ontology as Turtle and RDF/XML, and the dataset description."""
    from .graph.rdf import ONTOLOGY_GRAPH
    from .graph.store import write_quads
    from .graph import void

    ontology = [q for q in quads if q.graph_name == ONTOLOGY_GRAPH]
    stem = out.name.split(".")[0]
    write_quads(ontology, out.with_name(f"{stem}-ontology.ttl"))
    write_quads(ontology, out.with_name(f"{stem}-ontology.owl"))
    void.write_description(quads, documents, out, out.with_name(f"{stem}-void.ttl"))
