"""A small terminology for tests, made of the real terminology classes.

`Term(type, label, synonyms, abbreviations, broader, xrefs, definition)` leaves out the id, which
`Terminology({id: Term(...)})` fills in from the key.
"""
from dataclasses import dataclass

from salvage_kg.ontology import terminology as real


@dataclass(frozen=True)
class Term:
    type: str
    label: str
    synonyms: tuple = ()
    abbreviations: tuple = ()
    broader: tuple = ()
    xrefs: tuple = ()
    definition: str | None = None


def Terminology(terms: dict) -> real.Terminology:  # noqa: N802 - reads like the class it builds
    return real.Terminology({cid: real.Concept(cid, t.type, t.label, tuple(t.synonyms), tuple(t.abbreviations),
                                               tuple(t.broader), tuple(t.xrefs), t.definition or None)
                             for cid, t in terms.items()})
