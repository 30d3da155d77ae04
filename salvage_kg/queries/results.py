"""The one row model both query paths return: W3C SPARQL 1.1 JSON results, normalized.

Normalizing ('typed-literal' is 'literal', xsd:string is implicit, keys in one order) makes the
rendered output of the local store and of any endpoint byte-for-byte the same for the same data.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class Result:
    """Query results in the W3C JSON model: `rows` map variable names to term dicts."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, dict]] = field(default_factory=list)
    boolean: bool | None = None  # set for ASK queries

    def to_json(self) -> dict:
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": self.rows}}

    def values(self, variable: str) -> list[str | None]:
        """The plain values of one column (IRI, literal text or blank node id), None where unbound."""
        return [row[variable]["value"] if variable in row else None for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def term_json(term) -> dict:
    """A pyoxigraph term in the W3C JSON results form."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {k: term_json(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def triples_result(triples) -> Result:
    """CONSTRUCT/DESCRIBE results as subject-predicate-object rows, sorted: a graph has no order."""
    rows = [{"subject": term_json(t.subject), "predicate": term_json(t.predicate), "object": term_json(t.object)}
            for t in triples]
    rows.sort(key=lambda r: [(r[k]["type"], json.dumps(r[k]["value"]), r[k].get("datatype", ""),
                              r[k].get("xml:lang", "")) for k in ("subject", "predicate", "object")])
    return Result(["subject", "predicate", "object"], rows)


def from_json(doc: dict) -> Result:
    """A Result from a W3C SPARQL JSON results document (normalize it before use)."""
    if "boolean" in doc:
        return Result(boolean=bool(doc["boolean"]))
    return Result(list(doc.get("head", {}).get("vars", [])), list(doc.get("results", {}).get("bindings", [])))


def normalize(result: Result) -> Result:
    """Same terms, same JSON: 'typed-literal' is 'literal', xsd:string is implicit, keys in one order."""
    result.rows = [{v: _term(row[v]) for v in result.variables if v in row} for row in result.rows]
    return result


def _term(t: dict) -> dict:
    kind = "literal" if t.get("type") == "typed-literal" else t.get("type")
    if kind == "triple":
        return {"type": kind, "value": {k: _term(v) for k, v in t["value"].items()}}
    out = {"type": kind, "value": t.get("value", "")}
    lang = t.get("xml:lang")
    if lang:
        out["xml:lang"] = lang.lower()
    elif kind == "literal" and t.get("datatype") and t["datatype"] != XSD_STRING:
        out["datatype"] = t["datatype"]
    return out
