"""Result formats: a table for terminals, and the W3C SPARQL 1.1 JSON, CSV and TSV results formats."""
from __future__ import annotations

import csv
import io
import json
import re

from ..ontology.schema import CONCEPT_NS, PREFIXES
from .catalog import QueryError

XSD = PREFIXES["xsd"]
_BARE = {  # literals TSV may write without quotes, as Turtle does
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*|\.?\d+)[eE][+-]?\d+"),
    XSD + "boolean": re.compile(r"true|false"),
}
_NAMESPACES = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_LOCAL = re.compile(r"[\w.~-]*")
CELL_WIDTH = 50


def render(result, fmt: str) -> str:
    try:
        writer = FORMATS[fmt]
    except KeyError:
        raise QueryError(f"unknown result format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    return writer(result)


def _json(result) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def _csv(result) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    if result.boolean is not None:
        w.writerows([["boolean"], ["true" if result.boolean else "false"]])
        return out.getvalue()
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow([_plain(row.get(v)) for v in result.variables])
    return out.getvalue()


def _plain(term: dict | None) -> str:
    if term is None:
        return ""
    if term["type"] == "bnode":
        return "_:" + term["value"]
    if term["type"] == "triple":
        return _turtle(term)
    return term["value"]


def _tsv(result) -> str:
    if result.boolean is not None:
        return f"?boolean\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(_turtle(row[v]) if v in row else "" for v in result.variables))
    return "\n".join(lines) + "\n"


def _turtle(term: dict) -> str:
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:" + value
    if kind == "triple":
        return "<< " + " ".join(_turtle(value[k]) for k in ("subject", "predicate", "object")) + " >>"
    datatype = term.get("datatype")
    if datatype in _BARE and _BARE[datatype].fullmatch(value):
        return value
    quoted = '"' + (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                    .replace("\r", "\\r").replace("\t", "\\t")) + '"'
    if "xml:lang" in term:
        return f"{quoted}@{term['xml:lang']}"
    if datatype:
        return f"{quoted}^^<{datatype}>"
    return quoted


def _table(result) -> str:
    """Aligned columns for reading in a terminal; csv and json give every column in full.

    A column of concepts is left out when its label column is there to stand for it (statement and
    source IRIs stay: they are what other queries take); other IRIs are shortened to CURIEs and long
    cells are cut.
    """
    if result.boolean is not None:
        return ("true" if result.boolean else "false") + "\n"
    header = [v for v in result.variables if not (v + "Label" in result.variables and _all_concepts(result, v))]
    body = [[_cell(row.get(v)) for v in header] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
    n = len(body)
    lines.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _all_concepts(result, variable: str) -> bool:
    return all(row[variable]["value"].startswith(CONCEPT_NS) for row in result.rows if variable in row)


def _cell(term: dict | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        text = compact(term["value"])
    else:
        text = _plain(term)
    text = " ".join(text.split())
    return text if len(text) <= CELL_WIDTH else text[:CELL_WIDTH - 1] + "…"


def compact(iri: str) -> str:
    for prefix, ns in _NAMESPACES:
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


FORMATS = {"table": _table, "json": _json, "csv": _csv, "tsv": _tsv}
