"""Assertions -> RDF quads: one named graph per source document, plus terminology and ontology graphs.

A statement made by several documents has one IRI (from its content) and appears in each of their
graphs with that document's evidence, so the union graph holds one node with all its quotes.
"""
from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby, islice
from typing import Iterable, Iterator, Sequence

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from .. import assertions as a
from ..ontology import schema
from . import terms as t
from .terms import DCTERMS, PROV, RDF, RDFS, SKG, SKOS

TERMINOLOGY_GRAPH = t.graph("terminology")
ONTOLOGY_GRAPH = t.graph("ontology")
_source_node = lru_cache(maxsize=4096)(t.source)  # every quote names its document


def dataset_quads(
    documents: Sequence[a.Document],
    statements: Sequence[a.Statement],
    terminology,
    ontology: Iterable[Triple] = (),
) -> list[Quad]:
    """All quads of the dataset, sorted so that serialisation is byte-for-byte deterministic."""
    return [q for graph in dataset_graphs(documents, statements, terminology, ontology) for q in graph.quads]


class GraphQuads:
    """One named graph: its quads in output order, and each quad's N-Quads form (without the " .").

    The quads are read from the lines when first asked for. `text`: the graph already serialised by
    `serialised_graph` in `text_format`, when it was made with one (a worker did it)."""

    def __init__(self, name: NamedNode, quads: list[Quad] | None, lines: list[str],
                 text: bytes | None = None, text_format: RdfFormat | None = None):
        self.name = name
        self.lines = lines
        self.text, self.text_format = text, text_format
        self._quads = quads

    @property
    def quads(self) -> list[Quad]:
        if self._quads is None:  # lenient: the lines are Oxigraph's own output
            data = "".join([line + " .\n" for line in self.lines]).encode()
            self._quads = list(parse(data, RdfFormat.N_QUADS, lenient=True))
        return self._quads


@dataclass
class _Sources:
    """What goes into one named graph, held by reference until the graph is made."""

    documents: list = field(default_factory=list)
    statements: list = field(default_factory=list)  # (statement, the evidence this graph's document gives)
    triples: list = field(default_factory=list)  # iterables of (s, p, o)


def dataset_graphs(
    documents: Sequence[a.Document],
    statements: Sequence[a.Statement],
    terminology,
    ontology: Iterable[Triple] = (),
    workers: int = 1,
    serialise_as: RdfFormat | None = None,
) -> Iterator[GraphQuads]:
    """The dataset one named graph at a time, in the order of the graphs' IRIs.

    Only the graph being made is held as quads, so a caller that writes each graph as it comes needs
    memory for one graph, not the dataset. Concatenated, the graphs' quads are `dataset_quads`.
    With `workers` > 1, forked processes make the graphs while the caller writes earlier ones, each
    graph already serialised in `serialise_as` if given (its `text`).
    """
    label = _labeller(terminology, statements)
    graphs: dict[str, tuple[NamedNode, _Sources]] = {}  # str(graph) -> graph, its sources

    def sources(g: NamedNode) -> _Sources:
        entry = graphs.get(str(g))
        if entry is None:
            entry = graphs[str(g)] = (g, _Sources())
        return entry[1]

    for doc in documents:
        sources(t.graph(doc.id)).documents.append(doc)
    for st in statements:
        for doc_id, evidence in _evidence_by_document(st.evidence):
            sources(t.graph(doc_id)).statements.append((st, evidence))
    sources(TERMINOLOGY_GRAPH).triples.append(terminology_triples(terminology, label))
    sources(ONTOLOGY_GRAPH).triples.append((tr.subject, tr.predicate, tr.object) for tr in ontology)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        yield from _graphs_in_workers(graphs, label, workers, serialise_as)
        return
    for key in sorted(graphs):
        g, src = graphs.pop(key)  # pop: a graph's sources are released once it is made
        yield GraphQuads(g, None, _lines(g, src, label))


# What forked workers inherit: the graphs' sources by key, the labeller, the format to serialise in.
_inherited: tuple = ({}, None, None)
CHUNK = 4  # graphs per task


def _graphs_in_workers(graphs: dict, label, workers: int, fmt: RdfFormat | None) -> Iterator[GraphQuads]:
    """The graphs in key order, made by `workers` forked processes, which inherit the sources: only
    keys go to them, and each graph's lines (and serialised text) come back."""
    global _inherited
    keys = sorted(graphs)
    _inherited = (graphs, label, fmt)
    gc.freeze()  # the workers' collector leaves inherited objects alone: fewer shared pages get copied
    try:
        pool = multiprocessing.get_context("fork").Pool(workers)
    finally:
        gc.unfreeze()
    chunks = iter([keys[i:i + CHUNK] for i in range(0, len(keys), CHUNK)])
    try:
        with pool:
            # A few chunks ahead of the one written, not all: the graphs made wait in memory.
            pending = deque(pool.apply_async(_made_by_worker, (chunk,)) for chunk in islice(chunks, 4 * workers))
            while pending:
                made = pending.popleft().get()
                pending.extend(pool.apply_async(_made_by_worker, (chunk,)) for chunk in islice(chunks, 1))
                for key, lines, text in made:
                    g, _ = graphs.pop(key)
                    yield GraphQuads(g, None, lines, text, fmt if text is not None else None)
    finally:
        _inherited = ({}, None, None)


def _made_by_worker(keys: list[str]) -> list[tuple[str, list[str], bytes | None]]:
    graphs, label, fmt = _inherited
    out = []
    for key in keys:
        g, src = graphs[key]
        graph = GraphQuads(g, None, _lines(g, src, label))
        out.append((key, graph.lines, None if fmt is None else serialised_graph(graph.quads, fmt)))
    return out


def serialised_graph(quads: list[Quad], fmt: RdfFormat) -> bytes:
    """One graph's quads serialised on their own, without the prefix declarations every serialisation
    opens with: such pieces, one after the other behind those declarations, are the serialisation of
    all their quads at once (the writer starts each graph afresh)."""
    from .store import serialize_quads

    if not quads:
        return b""
    text = serialize_quads(quads, fmt)
    head = prefix_header(fmt)
    if not text.startswith(head):
        raise AssertionError(f"{fmt}: a graph's serialisation does not open with the prefix declarations")
    return text[len(head):]


@lru_cache(maxsize=None)
def prefix_header(fmt: RdfFormat) -> bytes:
    """What a serialisation in `fmt` writes before its first graph: the prefix declarations, if any."""
    from .store import serialize_quads

    probe = NamedNode("urn:salvage-kg:probe")
    text = serialize_quads([Quad(probe, probe, probe, probe)], fmt)
    return text[:text.index(b"<urn:salvage-kg:probe>")]


def graphs_of(quads: Iterable[Quad]) -> Iterator[GraphQuads]:
    """`dataset_quads`'s list cut back into its graphs (consecutive quads of one graph)."""
    for g, group in groupby(quads, key=lambda q: q.graph_name):
        members = list(group)
        yield GraphQuads(g, members, [str(q) for q in members])


def _evidence_by_document(evidence: Sequence[a.Evidence]):
    """(document id, its evidence) for each document the evidence quotes; most statements quote one."""
    first = evidence[0].document if evidence else None
    if all(e.document == first for e in evidence):
        return [(first, evidence)] if evidence else []
    by_doc: dict[str, list[a.Evidence]] = {}
    for e in evidence:
        by_doc.setdefault(e.document, []).append(e)
    return list(by_doc.items())


def _lines(g: NamedNode, src: _Sources, label) -> list[str]:
    """The graph's quads in their N-Quads form "<s> <p> <o> <g>" (without " ."), sorted, without repeats.

    The string both removes repeats and gives the order: subject, predicate, object, each in its
    N-Triples form. (A term that is a prefix of another, "x" of "x"@en or _:b1 of _:b12, is followed
    there by a character above the space, so the string sorts as the tuple would; one string per quad
    is several times cheaper than a tuple.) The terms' own strings are joined: no `Quad` is made here.
    """
    name = str(g)
    by_line: set[str] = set()

    def add(triples) -> None:
        for s, p, o in triples:
            by_line.add(f"{s} {p} {o} {name}")

    nodes = [statement_node(st) for st, _ in src.statements]  # made once each: a statement's key is costly
    # Each document's statements are in its graph alone: their number is known here.
    supported = len({str(node) for (st, _), node in zip(src.statements, nodes)
                     if not isinstance(st, a.ConceptDeclaration)})
    for doc in src.documents:
        add(_source_triples(doc, supported))
    quoted: dict[a.Evidence, None] = {}  # statements of one sentence share its evidence: describe it once
    for (st, evidence), node in zip(src.statements, nodes):
        add(_statement_and_links(st, evidence, label, node))
        quoted.update(dict.fromkeys(evidence))
    for e in quoted:
        add(evidence_triples(e))
    for triples in src.triples:
        add(triples)
    return sorted(by_line)


def _labeller(terminology, statements) -> _Labels:
    return _Labels(terminology, statements)


class _Labels:
    """`labels(concept_id)`: how statement labels name a concept. `labels.display(concept_id)`: its
    skg:displayLabel, the least of the skos:prefLabels the whole dataset gives it (the terminology's,
    and those of provisional declarations in any document), or None if it has none."""

    def __init__(self, terminology, statements):
        self._terminology = terminology.concepts
        self._declared = {s.concept: s.label for s in statements if isinstance(s, a.ConceptDeclaration)}
        self._provisional: dict[str, str] = {}  # concept -> least label its provisional declarations give
        for s in statements:
            if isinstance(s, a.ConceptDeclaration) and s.provisional:
                known = self._provisional.get(s.concept)
                self._provisional[s.concept] = s.label if known is None else min(known, s.label)

    def __call__(self, concept_id: str) -> str:
        if concept_id in self._terminology:
            return self._terminology[concept_id].label
        return self._declared.get(concept_id, concept_id.replace("-", " "))

    def display(self, concept_id: str) -> str | None:
        labels = [x for x in (self._terminology[concept_id].label if concept_id in self._terminology else None,
                              self._provisional.get(concept_id)) if x is not None]
        return min(labels) if labels else None


def _source_triples(doc: a.Document, statements: int):
    """The document's description; `statements`: how many statements it supports (a count the
    `sources` query would otherwise compute over the whole graph)."""
    s = t.source(doc.id)
    yield s, RDF.type, SKG.SourceDocument
    yield s, DCTERMS.title, t.string(doc.title)
    yield s, DCTERMS.identifier, t.string(doc.path)
    yield s, DCTERMS["format"], t.string(doc.media_type)
    yield s, SKG.documentKind, t.string(doc.kind)
    yield s, SKG.reliabilityTier, t.integer(doc.reliability)
    yield s, SKG.sha256, t.string(doc.sha256)
    if doc.publisher:
        yield s, DCTERMS.publisher, t.string(doc.publisher)
    if doc.reference:
        yield s, SKG.reference, t.any_uri(doc.reference)
    if doc.cites:
        yield s, DCTERMS.bibliographicCitation, t.string(doc.cites)
    yield s, SKG.statementCount, t.integer(statements)


def evidence_triples(e: a.Evidence):
    node = t.evidence(e.document, e.start, e.end, e.negated)
    yield node, RDF.type, SKG.Evidence
    yield node, SKG.quotedFrom, _source_node(e.document)
    yield node, SKG.quote, t.string(e.quote)
    yield node, SKG.startOffset, t.integer(e.start)
    yield node, SKG.endOffset, t.integer(e.end)
    if e.section:
        yield node, SKG.section, t.string(e.section)
    if e.negated:
        yield node, SKG.negated, t.boolean(True)
    if e.hedged:
        yield node, SKG.hedged, t.boolean(True)


def statement_node(st: a.Statement) -> NamedNode:
    if isinstance(st, a.ConceptDeclaration):
        return t.concept(st.concept)
    return t.statement(st.kind, st.key())


def statement_triples(st: a.Statement, evidence: Sequence[a.Evidence], label: _Labels):
    """The triples of one statement with the given evidence (the part of it one document gives)."""
    yield from _statement_and_links(st, evidence, label)
    for e in evidence:
        yield from evidence_triples(e)


def _statement_and_links(st: a.Statement, evidence: Sequence[a.Evidence], label: _Labels,
                         node: NamedNode | None = None):
    """`statement_triples` but the evidence nodes' own triples; `node`: the statement's, if made already."""
    if node is None:
        node = statement_node(st)
    writer = _WRITERS[type(st)]
    yield from writer(node, st, label)
    link = PROV.wasDerivedFrom if isinstance(st, a.ConceptDeclaration) else SKG.hasEvidence
    if not isinstance(st, a.ConceptDeclaration):
        # The same in every graph that holds the statement: its evidence lists all its documents.
        sources = len({e.document for e in st.evidence})
        yield node, SKG.sourceCount, t.integer(sources)
        if sources > 1:  # derived, so that finding these needs no pass over every statement's count
            yield node, SKG.corroborated, t.boolean(True)
    if isinstance(st, a.Citation):
        for doc_id in sorted({e.document for e in evidence}):
            yield from _citing_source(node, st, doc_id)
    for e in evidence:
        yield node, link, t.evidence(e.document, e.start, e.end, e.negated)
    if link is SKG.hasEvidence:
        yield from _first_evidence(node, evidence)


def _first_evidence(node, evidence: Sequence[a.Evidence]):
    """Derived: per document, the evidence whose quote sorts first, the one quote the named queries show
    for a statement and source (they read it instead of grouping all the evidence)."""
    first: dict[str, a.Evidence] = {}
    for e in sorted(evidence, key=lambda e: (e.quote, e.start, e.end, e.negated), reverse=True):
        first[e.document] = e  # the last written is the least
    for e in first.values():
        yield node, SKG.firstEvidence, t.evidence(e.document, e.start, e.end, e.negated)


def _concepts(node, prop, ids):
    for cid in ids:
        yield node, prop, t.concept(cid)


def _numbers(node, **values):
    for prop, value in values.items():
        if value is not None:
            yield node, SKG[prop], t.decimal(value)


def _strings(node, **values):
    for prop, value in values.items():
        if value:
            yield node, SKG[prop], t.string(value)


def _indication(node, st: a.Indication, label):
    yield node, RDF.type, SKG.Indication
    yield node, SKG.therapy, t.concept(st.therapy)
    yield from _concepts(node, SKG.condition, st.conditions)
    yield from _concepts(node, SKG.afterFailureOf, st.after)
    yield from _concepts(node, SKG.combinedWith, st.combined_with)
    if st.intent:
        yield node, SKG.intent, SKG[schema.INTENTS[st.intent]]
    if st.strength:
        yield node, SKG.recommendationStrength, SKG[schema.STRENGTHS[st.strength]]
    for c in st.criteria:
        yield node, SKG.hasCriterion, statement_node(c)
    if st.duration:
        yield node, SKG.hasDuration, statement_node(st.duration)
    text = label(st.therapy)
    if st.combined_with:
        text += " with " + ", ".join(label(c) for c in st.combined_with)
    if st.conditions:
        text += " for " + ", ".join(label(c) for c in st.conditions)
    if st.after:
        text += " after " + ", ".join(label(c) for c in st.after)
    yield node, RDFS.label, t.text(text)


def _criterion(node, st: a.Criterion, label):
    yield node, RDF.type, SKG.Criterion
    if st.therapy:
        yield node, SKG.therapy, t.concept(st.therapy)
    if st.parameter:
        yield node, SKG.parameter, t.concept(st.parameter)
    yield from _strings(node, comparatorSymbol=st.comparator, unit=st.unit)
    yield from _numbers(node, value=st.value, valueMax=st.value_max)
    if st.negated:
        yield node, SKG.negated, t.boolean(True)
    yield node, RDFS.label, t.text(st.label or label(st.parameter or ""))


def _duration(node, st: a.Duration, label):
    yield node, RDF.type, SKG.Duration
    if st.therapy:
        yield node, SKG.therapy, t.concept(st.therapy)
    yield from _numbers(node, value=st.value, valueMax=st.value_max)
    yield from _strings(node, unit=st.unit)
    yield node, RDFS.label, t.text(st.label)


def _adverse_effect(node, st: a.AdverseEffect, label):
    yield node, RDF.type, SKG.AdverseEffectAssociation
    yield node, SKG.therapy, t.concept(st.therapy)
    yield node, SKG.adverseEffect, t.concept(st.effect)
    if st.comparator:
        yield node, SKG.comparator, t.concept(st.comparator)
    yield from _strings(node, severity=st.severity, timing=st.timing, frequency=st.frequency, pValue=st.p_value)
    yield from _numbers(node, oddsRatio=st.odds_ratio)
    yield node, RDFS.label, t.text(f"{label(st.therapy)} has adverse effect {label(st.effect)}")


def _outcome(node, st: a.Outcome, label):
    yield node, RDF.type, SKG.Outcome
    yield node, SKG.arm, t.concept(st.arm)
    yield node, SKG.measure, t.concept(st.measure)
    if st.comparator:
        yield node, SKG.comparator, t.concept(st.comparator)
    yield from _numbers(node, value=st.value, valueMax=st.value_max, ciLower=st.ci_lower,
                        ciUpper=st.ci_upper, ciLevel=st.ci_level)
    yield from _strings(node, unit=st.unit, timePoint=st.time_point, pValue=st.p_value)
    if st.cohort_size is not None:
        yield node, SKG.cohortSize, t.integer(st.cohort_size)
    if st.significant is not None:
        yield node, SKG.significant, t.boolean(st.significant)
    yield node, RDFS.label, t.text(f"{label(st.measure)} with {label(st.arm)}")


def _prerequisite(node, st: a.Prerequisite, label):
    yield node, RDF.type, SKG.Prerequisite
    yield node, SKG.therapy, t.concept(st.therapy)
    yield node, SKG.requirement, t.concept(st.requirement)
    if st.negated:
        yield node, SKG.negated, t.boolean(True)
    default = ("not solely " if st.negated else "") + label(st.requirement)
    yield node, RDFS.label, t.text(st.label or default)


def _definition(node, st: a.Definition, label):
    yield node, RDF.type, SKG.Definition
    yield node, SKG.defines, t.concept(st.term)
    yield node, SKG.definitionText, t.string(st.text)
    if st.intent:
        yield node, SKG.intent, SKG[schema.INTENTS[st.intent]]
    yield from _concepts(node, SKG.contrastedWith, st.contrasted_with)
    yield node, RDFS.label, t.text(f"definition of {label(st.term)}")


def _citation(node, st: a.Citation, label):
    yield node, RDF.type, SKG.Citation
    yield node, DCTERMS.bibliographicCitation, t.string(st.text)
    if st.doi:
        yield node, SKG.doi, t.string(st.doi)
    yield node, RDFS.label, t.text(st.text[:120])


def _citing_source(node, st: a.Citation, document_id: str):
    """The citing document's links: written once per document, into that document's graph."""
    src = t.source(document_id)
    yield src, SKG.cites, node
    if st.doi:
        yield src, SKG.reference, t.any_uri("https://doi.org/" + st.doi)
    elif st.url:
        yield src, SKG.reference, t.any_uri(st.url)


def _concept_declaration(node, st: a.ConceptDeclaration, label):
    yield node, RDF.type, SKOS.Concept
    if st.provisional:
        yield node, RDF.type, SKG[st.type]
        yield node, SKOS.prefLabel, t.text(st.label)
        yield node, SKG.displayLabel, t.string(label.display(st.concept))
        yield node, RDFS.label, t.text(st.label)
        yield node, SKG.provisional, t.boolean(True)
        yield node, SKOS.inScheme, t.TERMINOLOGY_SCHEME
    for abbreviation in st.abbreviations:
        yield node, SKOS.altLabel, t.text(abbreviation)
    yield from _concepts(node, SKOS.broader, st.broader)


_WRITERS = {
    a.Indication: _indication,
    a.Criterion: _criterion,
    a.Duration: _duration,
    a.AdverseEffect: _adverse_effect,
    a.Outcome: _outcome,
    a.Prerequisite: _prerequisite,
    a.Definition: _definition,
    a.Citation: _citation,
    a.ConceptDeclaration: _concept_declaration,
}


def terminology_triples(terminology, labels: _Labels | None = None):
    """The terminology as a SKOS concept scheme whose concepts are typed with ontology classes.

    `labels` (of the dataset the terminology goes into) gives each concept's skg:displayLabel, which
    a provisional declaration of the same concept elsewhere can lower; by default it is the label."""
    scheme = t.TERMINOLOGY_SCHEME
    yield scheme, RDF.type, SKOS.ConceptScheme
    yield scheme, RDFS.label, t.text("salvage-kg terminology")
    for cid in sorted(terminology.concepts):
        c = terminology.concepts[cid]
        node = t.concept(cid)
        yield node, RDF.type, SKOS.Concept
        yield node, RDF.type, SKG[c.type]
        yield node, SKOS.inScheme, scheme
        yield node, SKOS.prefLabel, t.text(c.label)
        yield node, SKG.displayLabel, t.string(labels.display(cid) if labels else c.label)
        yield node, RDFS.label, t.text(c.label)
        for syn in c.synonyms:
            yield node, SKOS.altLabel, t.text(syn)
        for abbreviation in c.abbreviations:
            yield node, SKOS.altLabel, t.text(abbreviation)
            yield node, SKOS.notation, t.string(abbreviation)
        for broader in c.broader:
            yield node, SKOS.broader, t.concept(broader)
        for xref in c.xrefs:
            yield node, SKOS.exactMatch, NamedNode(schema.expand(xref))
        if c.definition:
            yield node, SKOS.definition, t.text(c.definition)


__all__ = ["dataset_quads", "dataset_graphs", "graphs_of", "GraphQuads", "statement_triples", "terminology_triples", "TERMINOLOGY_GRAPH", "ONTOLOGY_GRAPH"]
