"""Validation of a dataset: SHACL shapes (pyshacl) and OWL consistency (HermiT through owlready2).

Both checks see the union of all named graphs with the ontology in it: SHACL so that sh:class
follows rdfs:subClassOf, the reasoner so that disjointness, domains and ranges apply to the data.
"""
from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass, field
from typing import Iterable

from .errors import InvalidGraphError, SalvageKGError
from .ontology import schema

SHAPES_NS = schema.BASE + "shapes#"
_CURIE_PREFIXES = sorted({**schema.PREFIXES, "shape": SHAPES_NS}.items(), key=lambda kv: -len(kv[1]))
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
OWL_SOURCE = "OWL (HermiT)"


@dataclass(frozen=True)
class Violation:
    """One problem, with terms written as CURIEs: the node, the property, what is wrong, which check."""

    focus: str
    path: str
    message: str
    severity: str = "Violation"  # Violation | Warning | Info
    source_shape: str = ""

    def line(self) -> str:
        where = f"{self.focus} {self.path}".rstrip()
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    reasoner: str = "not run"  # consistent | inconsistent | not run
    triples: int = 0
    seconds: float = 0.0

    @property
    def conforms(self) -> bool:
        return self.reasoner != "inconsistent" and not any(v.severity == "Violation" for v in self.violations)

    @property
    def shacl(self) -> list[Violation]:
        return [v for v in self.violations if v.source_shape != OWL_SOURCE]

    @property
    def owl(self) -> list[Violation]:
        return [v for v in self.violations if v.source_shape == OWL_SOURCE]

    def summary(self) -> str:
        errors = sum(v.severity == "Violation" for v in self.violations)
        warnings = len(self.violations) - errors
        owl = {"consistent": "OWL consistent", "inconsistent": "OWL inconsistent"}.get(self.reasoner, "OWL not checked")
        verdict = "valid" if self.conforms else "INVALID"
        return (f"{verdict}: {errors} violation{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
                f"{owl} ({self.triples} triples, {self.seconds:.1f} s)")

    def text(self, limit: int | None = None) -> str:
        """One line per SHACL result, then the reasoner's verdict with its causes, then a summary."""
        lines = [v.line() for v in self.shacl]
        if limit is not None and len(lines) > limit:
            lines = lines[:limit] + [f"... and {len(lines) - limit} more"]
        if self.reasoner == "inconsistent":
            lines.append("OWL: inconsistent")
            lines.extend("  " + v.line() for v in self.owl)
        else:
            lines.append("OWL: " + ("consistent" if self.reasoner == "consistent" else "not checked"))
        lines.append(self.summary())
        return "\n".join(lines)


def check_quads(quads, reasoner: bool = True) -> Report:
    """Validate the dataset; raise InvalidGraphError with a readable summary when it is invalid."""
    report = validate_quads(quads, reasoner=reasoner)
    if not report.conforms:
        raise InvalidGraphError("the graph is invalid\n" + report.text(limit=20))
    return report


def validate_file(path: str | os.PathLike, reasoner: bool = True) -> Report:
    from .graph.store import read_quads

    return validate_quads(read_quads(path), reasoner=reasoner)


def validate_quads(quads: Iterable, reasoner: bool = True) -> Report:
    started = time.perf_counter()
    triples = union_triples(quads)
    report = Report(triples=len(triples))
    report.violations.extend(shacl_violations(triples))
    if reasoner:
        causes = owl_violations(triples)
        report.reasoner = "inconsistent" if causes else "consistent"
        report.violations.extend(causes)
    report.seconds = time.perf_counter() - started
    return report


def union_triples(quads: Iterable) -> list:
    """The union of all graphs, with the ontology added when the dataset lacks it."""
    from pyoxigraph import NamedNode, Triple

    from .ontology import owl

    triples = {Triple(q.subject, q.predicate, q.object) for q in quads}
    header = Triple(NamedNode(schema.ONTOLOGY_IRI), NamedNode(schema.PREFIXES["rdf"] + "type"),
                    NamedNode(schema.PREFIXES["owl"] + "Ontology"))
    if header not in triples:
        triples.update(owl.ontology_triples())
    return list(triples)


# --- SHACL ---------------------------------------------------------------------------------------


def shacl_violations(triples: list) -> list[Violation]:
    from pyshacl import validate

    shapes = _shapes_graph()
    _, results, _ = validate(_rdflib_graph(triples), shacl_graph=shapes, inference="none",
                             abort_on_first=False, allow_warnings=True, allow_infos=True)
    return _read_results(results, shapes)


def _shapes_graph():
    from importlib.resources import files

    from rdflib import Graph

    return Graph().parse(data=files("salvage_kg.ontology").joinpath("shapes.ttl").read_text("utf-8"), format="turtle")


def _rdflib_graph(triples: list):
    from pyoxigraph import BlankNode, NamedNode
    from rdflib import BNode, Graph, Literal, URIRef

    def term(t):
        if isinstance(t, NamedNode):
            return URIRef(t.value)
        if isinstance(t, BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == _XSD + "string":  # an RDF 1.1 simple literal; rdflib tells the two apart
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    graph = Graph()
    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.ERROR)  # rdflib warns of ill-typed literals; sh:datatype reports them instead
    try:
        for t in triples:
            graph.add((term(t.subject), term(t.predicate), term(t.object)))
    finally:
        log.setLevel(level)
    return graph


def _read_results(results, shapes) -> list[Violation]:
    from rdflib import SH, URIRef

    out = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = _local(results.value(result, SH.resultSeverity))
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = str(results.value(result, SH.resultMessage) or "does not conform")
        component = _local(results.value(result, SH.sourceConstraintComponent)).removesuffix("ConstraintComponent")
        value = results.value(result, SH.value)
        detail = component[:1].lower() + component[1:]
        if value is not None and value != focus:
            detail += f", value {_show(value)}"
        shape = results.value(result, SH.sourceShape)
        owner = shape if isinstance(shape, URIRef) else shapes.value(None, SH.property, shape)
        out.append(Violation(
            focus=_show(focus),
            path=_show_path(path, results) if path is not None else "",
            message=f"{message} [{detail}]",
            severity=severity,
            source_shape=_show(owner) if owner is not None else "",
        ))
    return sorted(set(out), key=_order)


def _order(v: Violation):
    return (_SEVERITY_ORDER.get(v.severity, 3), v.focus, v.path, v.message)


def _show_path(path, graph) -> str:
    from rdflib import RDF, SH, BNode
    from rdflib.collection import Collection

    if not isinstance(path, BNode):
        return _show(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _show_path(inverse, graph)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(_show_path(p, graph) for p in Collection(graph, alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_show_path(p, graph) for p in Collection(graph, path))
    return _show(path)


def _local(term) -> str:
    text = str(term or "")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _show(term) -> str:
    """A term as a CURIE with the project's prefixes, a literal as written in Turtle."""
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        text = '"' + str(term).replace('"', '\\"') + '"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^{curie(str(term.datatype))}" if term.datatype else text
    if isinstance(term, BNode):
        return "_:" + str(term)
    return curie(str(term))


def curie(iri: str) -> str:
    for prefix, ns in _CURIE_PREFIXES:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


# --- OWL -----------------------------------------------------------------------------------------


def owl_violations(triples: list) -> list[Violation]:
    """Run HermiT on ontology + data; when it finds them inconsistent, explain why as violations."""
    # an ill-typed literal alone makes the data inconsistent, and owlready2 cannot even read it
    causes = _ill_typed(triples)
    if not causes and not reasoner_consistent(triples):
        causes = explain_inconsistency(triples) or [
            ("<dataset>", "", "the reasoner found the data inconsistent with the ontology (no simple cause found)")]
    return [Violation(f, p, m, "Violation", OWL_SOURCE) for f, p, m in causes]


def reasoner_consistent(triples: list) -> bool:
    import io
    import shutil
    import tempfile

    import owlready2
    from pyoxigraph import RdfFormat, serialize

    if shutil.which(owlready2.JAVA_EXE) is None:
        raise SalvageKGError("the OWL check needs Java (HermiT runs on it): install Java 17, "
                             "or skip the reasoner (validate --no-reasoner, build --no-validate)")
    world = owlready2.World()
    try:
        onto = world.get_ontology(schema.ONTOLOGY_IRI)
        onto.load(fileobj=io.BytesIO(serialize(triples, format=RdfFormat.N_TRIPLES)), format="ntriples")
        # owlready2 leaves the reasoner's input file behind when the data is inconsistent: point it
        # at a folder of our own that is removed afterwards
        with tempfile.TemporaryDirectory(prefix="salvage-kg-owl-") as folder:
            saved, tempfile.tempdir = tempfile.tempdir, folder
            try:
                owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError:
                return False
            except owlready2.OwlReadyJavaError as e:
                raise SalvageKGError(f"the OWL reasoner failed: {str(e).strip().splitlines()[-1]}") from None
            finally:
                tempfile.tempdir = saved
        return True
    finally:
        world.close()


# The reasoner says only "inconsistent"; these are the usual causes, looked for directly in the triples
# with the schema's tables (types with their ancestors, domains, ranges, functional properties).

_XSD = schema.PREFIXES["xsd"]
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt")}
_ACCEPTS = {  # a data property's range -> literal datatypes within it
    "xsd:decimal": _INTEGERS | {_XSD + "decimal"},
    "xsd:integer": _INTEGERS,
    "xsd:string": {_XSD + "string"},
    "xsd:boolean": {_XSD + "boolean"},
    "xsd:anyURI": {_XSD + "anyURI"},
}


def explain_inconsistency(triples: list) -> list[tuple[str, str, str]]:
    """(focus, property, message) for each cause found: disjoint types (asserted, or implied by a
    property's domain or range), literals outside a property's datatype, functional properties with
    several values."""
    from pyoxigraph import Literal, NamedNode

    rdf_type = schema.PREFIXES["rdf"] + "type"
    types: dict = {}  # node -> {class name: why}
    values: dict = {}  # (node, functional property) -> {value: as shown}
    causes = []

    def typed(node, cls, why):
        types.setdefault(node, {}).setdefault(cls, why)

    for t in triples:
        p, s, o = t.predicate.value, t.subject, t.object
        name = p[len(schema.SKG_NS):] if p.startswith(schema.SKG_NS) else None
        if p == rdf_type and isinstance(o, NamedNode) and o.value.startswith(schema.SKG_NS):
            if o.value[len(schema.SKG_NS):] in schema.CLASSES:
                typed(s, o.value[len(schema.SKG_NS):], "asserted")
        elif name in schema.OBJECT_PROPERTIES:
            domain, rng, _, _, functional = schema.OBJECT_PROPERTIES[name]
            if domain:
                typed(s, domain, f"subject of skg:{name}")
            typed(o, rng, f"value of skg:{name} of {_term(s)}")
            if functional:
                values.setdefault((s, name), {})[o] = _term(o)
        elif name in schema.DATA_PROPERTIES:
            domain, datatype, _, _, functional = schema.DATA_PROPERTIES[name]
            if domain:
                typed(s, domain, f"subject of skg:{name}")
            if isinstance(o, Literal):
                if not _fits(o, datatype):
                    causes.append((_term(s), f"skg:{name}", f"expects {datatype}, has {_term(o)}"))
                if functional:
                    values.setdefault((s, name), {})[_value(o)] = _term(o)

    for node, classes in types.items():
        for group in schema.DISJOINT:
            hits = {}  # disjoint class -> (class it comes from, why)
            for cls, why in sorted(classes.items(), key=lambda kv: (kv[1] != "asserted", kv[0])):
                for ancestor in schema.ancestors(cls):
                    if ancestor in group:
                        hits.setdefault(ancestor, (cls, why))
            if len(hits) > 1:
                (a, (ca, wa)), (b, (cb, wb)) = list(hits.items())[:2]
                causes.append((_term(node), "rdf:type", f"is a skg:{ca} ({wa}) and a skg:{cb} ({wb}); "
                                                        f"skg:{a} and skg:{b} are disjoint"))

    value_sets = {schema.SKG_NS + n for n in schema.INDIVIDUALS}
    merged = []
    for (node, name), found in sorted(values.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if len(found) < 2:
            continue
        shown = ", ".join(sorted(found.values()))
        cause = (_term(node), f"skg:{name}", f"has {len(found)} values ({shown}) but allows only one")
        named = all(isinstance(v, NamedNode) for v in found)
        if not named or all(v.value in value_sets for v in found):
            causes.append(cause)
        else:  # the reasoner merges the values into one individual, which may clash
            merged.append(cause)
    return sorted(set(causes or merged))


def _fits(literal, datatype: str) -> bool:
    accepted = _ACCEPTS.get(datatype)
    if accepted is None:
        return True
    return not literal.language and literal.datatype.value in accepted and _well_formed(literal)


def _well_formed(literal) -> bool:
    """Whether a numeric or boolean literal's text is valid for its datatype."""
    dt = literal.datatype.value if literal.datatype is not None else ""
    text = literal.value
    if dt in _INTEGERS:
        return re.fullmatch(r"[+-]?[0-9]+", text) is not None
    if dt == _XSD + "decimal":
        return re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text) is not None
    if dt == _XSD + "boolean":
        return text in ("true", "false", "1", "0")
    return True


def _ill_typed(triples: list) -> list[tuple[str, str, str]]:
    from pyoxigraph import Literal

    return sorted({(_term(t.subject), _term(t.predicate), f"ill-typed literal {_term(t.object)}")
                   for t in triples if isinstance(t.object, Literal) and not _well_formed(t.object)})


def _value(literal):
    """A literal's value for comparing the values of a functional property (0.70 equals 0.7)."""
    from decimal import Decimal, InvalidOperation

    if literal.datatype is not None and literal.datatype.value in _ACCEPTS["xsd:decimal"]:
        try:
            return Decimal(literal.value).normalize()
        except InvalidOperation:
            pass
    return literal


def _term(node) -> str:
    """A pyoxigraph term for a message, with CURIEs."""
    from pyoxigraph import BlankNode, NamedNode

    if isinstance(node, NamedNode):
        return curie(node.value)
    if isinstance(node, BlankNode):
        return str(node)
    text = '"' + node.value.replace('"', '\\"') + '"'
    if node.language:
        return f"{text}@{node.language}"
    return text if node.datatype.value == _XSD + "string" else f"{text}^^{curie(node.datatype.value)}"
