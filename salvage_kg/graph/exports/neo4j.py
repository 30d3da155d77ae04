"""CSV files for `neo4j-admin database import full` (Neo4j 5): nodes.csv, relationships.csv, import.sh.

Nodes carry their ontology class and its ancestors as labels (`MATCH (t:Therapy)` finds surgery and
ablation too); relationship types are the readable edges (INDICATED_AFTER, HAS_ADVERSE_EFFECT, ...).
Arrays use neo4j-admin's default ";" delimiter, so a ";" inside a title becomes ","; quotes are one
string joined with " | ".
"""
from __future__ import annotations

from pathlib import Path

from ...ontology import schema
from ..flatten import edge_record
from .tables import cell, write_rows

IMPORT_SH = """#!/bin/sh
# Load these files into an empty Neo4j 5 database (stop the database first).
# usage: sh import.sh [DATABASE]   (default: neo4j)
cd "$(dirname "$0")" && neo4j-admin database import full --nodes=nodes.csv \\
  --relationships=relationships.csv --overwrite-destination "${1:-neo4j}"
"""
_TYPES = {bool: "boolean", int: "long", float: "double"}


def _array(values) -> str:
    return ";".join(cell(v).replace(";", ",") for v in values if cell(v))


def _labels(node) -> str:
    labels = [c for c in schema.ancestors(node.type)] if node.type in schema.CLASSES else ["Concept"]
    if node.category == "prior":
        labels.append("PriorTreatment")
    return ";".join(labels)


def node_rows(flat):
    header = ["id:ID", ":LABEL", "name", "type", "category", "synonyms:string[]", "xrefs:string[]", "definition",
              "provisional:boolean"]
    rows = [[n.id, _labels(n), cell(n.label), n.type, n.category, _array(n.attrs.get("synonyms", ())),
             _array(n.attrs.get("xrefs", ())), cell(n.attrs.get("definition")), cell(bool(n.attrs.get("provisional")))]
            for n in flat.nodes.values()]
    return header, rows


def relationship_rows(flat):
    records = [edge_record(e, flat) for e in flat.edges]
    for rec in records:
        rec["quotes"] = " | ".join(rec["quotes"])
    keys = list(dict.fromkeys(k for rec in records for k in rec))
    header = [":START_ID", ":END_ID", ":TYPE", "id"]
    for k in keys:
        kinds = {type(rec[k]) for rec in records if rec.get(k) not in (None, "", [])}
        if kinds and all(t in (list, tuple) for t in kinds):
            header.append(f"{k}:string[]")
        elif len(kinds) == 1 and next(iter(kinds)) in _TYPES:
            header.append(f"{k}:{_TYPES[next(iter(kinds))]}")
        else:
            header.append(k)
    rows = []
    for e, rec in zip(flat.edges, records):
        row = [e.source, e.target, e.predicate.upper(), e.id]
        for k in keys:
            v = rec.get(k)
            row.append(_array(v) if isinstance(v, (list, tuple)) else cell(v))
        rows.append(row)
    return header, rows


def write_neo4j(dataset, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    write_rows(out / "nodes.csv", *node_rows(dataset.flat), ",")
    write_rows(out / "relationships.csv", *relationship_rows(dataset.flat), ",")
    (out / "import.sh").write_text(IMPORT_SH, encoding="utf-8")
    return out
