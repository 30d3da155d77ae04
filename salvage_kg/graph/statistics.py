"""The figures the dataset description gives, gathered while the dataset streams past.

Graph sizes are counted as graphs come. What needs the whole dataset (distinct triples, subjects and
objects, class and property partitions, the source documents, the content checksum) comes from one
pass over its sorted N-Quads lines, which an `ExternalSort` keeps on disk past a memory budget.
Terms are compared in their N-Triples form, one exact string per term, so nothing is hashed away.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..ontology import schema
from . import external_sort
from .external_sort import ExternalSort, unique

RDF_TYPE = f"<{schema.PREFIXES['rdf']}type>".encode()
SOURCE_DOCUMENT = f"<{schema.SKG_NS}SourceDocument>".encode()
DCTERMS = schema.PREFIXES["dcterms"]
# What the description repeats about each source document.
SOURCE_FACTS = frozenset(f"<{iri}>".encode() for iri in (
    DCTERMS + "title", schema.SKG_NS + "sha256", DCTERMS + "identifier", schema.SKG_NS + "documentKind",
    schema.SKG_NS + "reference", DCTERMS + "publisher"))


@dataclass
class Summary:
    """The dataset's figures; terms appear in their N-Triples form (`<iri>`, `"text"@en`, `_:b`)."""

    graphs: dict  # graph (a pyoxigraph term) -> its quads
    triples: int  # distinct triples of the union
    entities: int  # distinct subjects that are IRIs
    subjects: int
    objects: int
    classes: dict[str, int]  # class -> distinct subjects typed with it
    properties: dict[str, int]  # property -> distinct triples using it
    source_documents: list[str]  # subjects typed skg:SourceDocument
    source_facts: list[str]  # their SOURCE_FACTS triples, as N-Triples lines
    checksum: str  # SHA-256 of the sorted N-Quads lines


class Statistics:
    """Feed the dataset in (graph by graph, or quads in any order), then ask for its `summary`."""

    def __init__(self, directory: str | os.PathLike | None = None, budget: int | None = None):
        budget = external_sort.DEFAULT_BUDGET if budget is None else budget
        self.graphs: Counter = Counter()
        self._lines = ExternalSort(directory, budget)
        self._objects = ExternalSort(directory, budget // 2)

    def add_graph(self, graph) -> None:
        """One graph as `rdf.dataset_graphs` gives it: its quads' N-Quads forms are already made."""
        self.graphs[graph.name] += len(graph.lines)
        self._add_lines(graph.lines)

    def add_quads(self, quads: Iterable) -> None:
        batch: list[str] = []
        for q in quads:
            self.graphs[q.graph_name] += 1
            batch.append(str(q))  # "<s> <p> <o> <g>", the same as the terms joined by spaces
            if len(batch) >= 10_000:
                self._add_lines(batch)
                batch = []
        self._add_lines(batch)

    def _add_lines(self, lines: list[str]) -> None:
        self._lines.extend([line + " .\n" for line in lines])
        # "<s> <p> <o> <g>": subject, predicate and graph hold no space; the object may.
        self._objects.extend({line.split(" ", 2)[2].rsplit(" ", 1)[0] + "\n" for line in lines})

    def summary(self) -> Summary:
        checksum = hashlib.sha256()
        triples = entities = subjects = 0
        classes: Counter = Counter()
        properties: Counter = Counter()
        documents: list[bytes] = []
        facts: list[bytes] = []
        previous_triple = subject = None
        facts_of_subject: list[bytes] = []
        is_document = False
        for line in self._lines:  # sorted: the triples of one subject, and copies of a triple, are adjacent
            checksum.update(line)
            triple = line[:line.rindex(b" ", 0, len(line) - 3)]  # without " <g> .\n"
            if triple == previous_triple:
                continue
            previous_triple = triple
            triples += 1
            s, p, o = triple.split(b" ", 2)
            if s != subject:
                if is_document:
                    documents.append(subject)
                    facts.extend(facts_of_subject)
                subject, facts_of_subject, is_document = s, [], False
                subjects += 1
                entities += s.startswith(b"<")
            properties[p] += 1
            if p == RDF_TYPE:
                classes[o] += 1
                is_document = is_document or o == SOURCE_DOCUMENT
            elif p in SOURCE_FACTS:
                facts_of_subject.append(triple)
        if is_document:
            documents.append(subject)
            facts.extend(facts_of_subject)
        objects = sum(1 for _ in unique(self._objects))
        return Summary(
            graphs=dict(self.graphs), triples=triples, entities=entities, subjects=subjects, objects=objects,
            classes={k.decode(): n for k, n in classes.items()},
            properties={k.decode(): n for k, n in properties.items()},
            source_documents=[d.decode() for d in documents],
            source_facts=[f.decode() + " .\n" for f in facts],
            checksum=checksum.hexdigest(),
        )

    def close(self) -> None:
        self._lines.close()
        self._objects.close()

    def __enter__(self) -> Statistics:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
