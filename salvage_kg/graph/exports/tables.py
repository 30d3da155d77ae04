"""Helpers shared by the table exports (KGX, Neo4j): CURIEs, cell clean-up, CSV/TSV writing."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ...ontology.schema import PREFIXES
from ..store import atomic_write

# Biolink's prefix spelling for the cross-reference vocabularies
BIOLINK_PREFIXES = {"ncit": "NCIT", "mondo": "MONDO", "hp": "HP", "maxo": "MAXO", "chebi": "CHEBI",
                    "mesh": "MESH", "snomedct": "SNOMEDCT", "umls": "UMLS"}
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda x: -len(x[1]))


def curie(iri: str) -> str:
    if iri.startswith("https://doi.org/"):
        return "doi:" + iri[len("https://doi.org/"):]
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{BIOLINK_PREFIXES.get(prefix, prefix)}:{iri[len(ns):]}"
    return iri


def cell(value) -> str:
    """One line of text: tabs and line breaks would split rows in TSV and need flags in neo4j-admin."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split())


def write_rows(path: Path, header: list[str], rows: list[list], delimiter: str) -> None:
    """CSV with standard quoting; TSV plain (cells hold no tabs or line breaks), as KGX reads it."""
    if delimiter == "\t":
        text = "".join("\t".join(r) + "\n" for r in [header, *rows])
    else:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        text = buf.getvalue()
    data = text.encode("utf-8")
    atomic_write(path, lambda f: f.write(data))
