"""Extraction of a text written for a loader test, with every quote checked against its span."""
from salvage_kg.assertions import Document, Statement
from salvage_kg.loaders import extract


def extract_checked(text: str, kind: str = "study-report") -> list[Statement]:
    doc = Document(id="t", path="t.txt", text=text, sha256="0", title="t", kind=kind)
    statements = extract(doc)
    for st in statements:
        for e in st.evidence:
            assert text[e.start:e.end] == e.quote
    return statements
