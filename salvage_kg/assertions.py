"""The assertion model: what loaders produce and the graph layer turns into RDF.

Loaders never write RDF; they return `Document`s and `Statement`s. Every statement carries at least
one `Evidence` (document, character span, exact quote). Concepts are referred to by their
terminology id (e.g. "salvage-radical-prostatectomy"); ids a loader coins for names it found in
the text are declared with a `ConceptDeclaration` so the graph can type and label them.

Two statements with the same `key()` are the same clinical claim: assembly merges them and keeps
every evidence (INDRA-style), so a claim made by three documents becomes one node with three quotes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from functools import cache
from typing import ClassVar, Iterable, Iterator


@dataclass(frozen=True, slots=True)
class Document:
    """A source document as read from disk, with the metadata the manifest gives or we inferred."""

    id: str  # stable id: the file name without extension, e.g. "000_3f52c593e758adae"
    path: str  # file name relative to the corpus folder
    text: str  # the text all evidence offsets index into
    sha256: str  # checksum of the file's bytes
    title: str
    kind: str  # study-report | clinical-summary | patient-education | consumer-article | unknown
    media_type: str = "text/plain"
    publisher: str | None = None
    reference: str | None = None  # DOI or URL of the document or the study it reports
    cites: str | None = None  # citation text the manifest gives

    @property
    def reliability(self) -> int:
        """Reliability tier, 1 (highest) to 4, from the document kind."""
        return RELIABILITY.get(self.kind, 4)


RELIABILITY = {"study-report": 1, "clinical-summary": 1, "patient-education": 2, "consumer-article": 3}
DOCUMENT_KINDS = tuple(RELIABILITY) + ("unknown",)


@dataclass(frozen=True, slots=True)
class Evidence:
    """An exact quote supporting a statement: `document.text[start:end] == quote`."""

    document: str
    start: int
    end: int
    quote: str
    section: str | None = None  # heading under which the quote stands
    negated: bool = False
    hedged: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    """Base of every statement type. Subclasses list their content fields; `evidence` is not content."""

    kind: ClassVar[str] = "statement"
    evidence: tuple[Evidence, ...] = field(default=(), compare=False, kw_only=True)

    def key(self) -> tuple:
        """The claim itself, without its evidence: equal keys are merged into one statement."""
        return (self.kind,) + tuple(_freeze(getattr(self, name)) for name in _content_fields(type(self)))

    def concepts(self) -> Iterable[str]:
        """Every concept id this statement refers to."""
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("concept"):
                if isinstance(value, tuple):
                    yield from value
                elif value:
                    yield value
            elif isinstance(value, Statement):
                yield from value.concepts()
            elif isinstance(value, tuple) and value and isinstance(value[0], Statement):
                for item in value:
                    yield from item.concepts()


@cache
def _content_fields(cls) -> tuple[str, ...]:
    """A statement class's field names but `evidence`, in order (`fields` makes them anew at every call)."""
    return tuple(f.name for f in fields(cls) if f.name != "evidence")


def _freeze(value):
    if isinstance(value, Statement):
        return value.key()
    if isinstance(value, tuple):
        return tuple(_freeze(v) for v in value)
    return value


def concept(default=None):
    """A field that holds a concept id (or a tuple of them)."""
    return field(default=default, metadata={"concept": True})


@dataclass(frozen=True, slots=True)
class Criterion(Statement):
    """A selection criterion or threshold, e.g. PSA >= 0.7 ng/mL, grade group 4-5, no metastases.

    `therapy` is what the criterion selects for (or triggers). Qualitative criteria (seminal vesicle
    involvement) have no comparator or value. `negated` marks an absence ("without metastatic disease").
    """

    kind: ClassVar[str] = "criterion"
    therapy: str | None = concept()
    parameter: str | None = concept()  # e.g. "psa", "grade-group", "life-expectancy"
    comparator: str | None = None  # one of >=, <=, >, <, =, range
    value: float | None = None
    value_max: float | None = None  # upper bound of a range
    unit: str | None = None  # UCUM-style code: ng/mL, mo, a, %
    label: str = ""  # readable form, e.g. "PSA >= 0.7 ng/mL"
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Duration(Statement):
    """How long a therapy is given, e.g. ADT for 4-6 months."""

    kind: ClassVar[str] = "duration"
    therapy: str | None = concept()
    value: float | None = None
    value_max: float | None = None
    unit: str = "mo"
    label: str = ""


@dataclass(frozen=True, slots=True)
class Indication(Statement):
    """A therapy applies to a condition, possibly after a failed prior treatment, under criteria."""

    kind: ClassVar[str] = "indication"
    therapy: str = concept("")
    conditions: tuple[str, ...] = concept(())
    after: tuple[str, ...] = concept(())  # failed prior treatments
    intent: str | None = None  # curative | palliative
    strength: str | None = None  # recommended | may-be-considered | investigational | not-recommended
    combined_with: tuple[str, ...] = concept(())  # e.g. ADT added to salvage radiotherapy
    criteria: tuple[Criterion, ...] = ()
    duration: Duration | None = None


@dataclass(frozen=True, slots=True)
class AdverseEffect(Statement):
    """A therapy carries a complication or side effect, with what the text says of it."""

    kind: ClassVar[str] = "adverse-effect"
    therapy: str = concept("")
    effect: str = concept("")
    severity: str | None = None  # e.g. "Clavien-Dindo grade 3-5", "mild", "major"
    timing: str | None = None  # acute | late | perioperative
    frequency: str | None = None  # as stated, e.g. "common", "12%"
    odds_ratio: float | None = None
    comparator: str | None = concept()  # the therapy the odds compare against
    p_value: str | None = None  # as stated, e.g. "<0.001"


@dataclass(frozen=True, slots=True)
class Outcome(Statement):
    """A reported result: measure, value and its qualifiers, for one arm."""

    kind: ClassVar[str] = "outcome"
    arm: str = concept("")
    measure: str = concept("")
    value: float | None = None
    value_max: float | None = None  # upper bound when the value is stated as a range
    unit: str | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    ci_level: float | None = None  # e.g. 95
    time_point: str | None = None  # e.g. "10 years"
    cohort_size: int | None = None
    comparator: str | None = concept()
    significant: bool | None = None
    p_value: str | None = None


@dataclass(frozen=True, slots=True)
class Prerequisite(Statement):
    """Something required before a therapy; `negated`: what the decision must NOT rest on alone."""

    kind: ClassVar[str] = "prerequisite"
    therapy: str = concept("")
    requirement: str = concept("")
    negated: bool = False
    label: str = ""


@dataclass(frozen=True, slots=True)
class Definition(Statement):
    """A document's definition of a term, and what it is contrasted with."""

    kind: ClassVar[str] = "definition"
    term: str = concept("")
    text: str = ""
    intent: str | None = None
    contrasted_with: tuple[str, ...] = concept(())


@dataclass(frozen=True, slots=True)
class Citation(Statement):
    """A bibliographic reference the document gives."""

    kind: ClassVar[str] = "citation"
    text: str = ""
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ConceptDeclaration(Statement):
    """A concept the terminology lacks (or an abbreviation a document defines for a known one)."""

    kind: ClassVar[str] = "concept"
    concept: str = ""
    type: str = ""  # an ontology class name, e.g. "Therapy"
    label: str = ""
    abbreviations: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    provisional: bool = True  # True when the terminology does not know the concept


STATEMENT_TYPES: tuple[type[Statement], ...] = (
    Indication, Criterion, Duration, AdverseEffect, Outcome, Prerequisite, Definition, Citation,
    ConceptDeclaration,
)


def merge(statements: Iterable[Statement]) -> list[Statement]:
    """Merge statements with equal keys, keeping every distinct evidence, in a deterministic order.

    The criteria and duration of an indication are statements too (see `with_parts`).
    """
    merged: dict[tuple, Statement] = {}  # key -> the first statement with it
    more: dict[tuple, dict[Evidence, None]] = {}  # key -> every distinct evidence, for claims made again
    for st in with_parts(statements):
        k = st.key()
        first = merged.get(k)
        if first is None:
            merged[k] = st
        else:
            evidence = more.get(k)
            if evidence is None:
                evidence = more[k] = dict.fromkeys(first.evidence)
            evidence.update(dict.fromkeys(st.evidence))
    out = []
    for k in sorted(merged, key=repr):
        st = merged[k]
        evidence = tuple(sorted(more.get(k, st.evidence), key=_ev_order))
        out.append(st if evidence == st.evidence else _with_evidence(st, evidence))
    return out


def with_parts(statements: Iterable[Statement]) -> Iterator[Statement]:
    """Each statement, and after an indication its criteria and duration as statements of their own.

    A part that names no therapy takes the indication's, and one without evidence takes the
    indication's quote: the graph then holds every criterion and duration with its own therapy and
    evidence, so queries find them directly instead of deriving both for each row.
    """
    for st in statements:
        if isinstance(st, Indication) and (st.criteria or st.duration):
            criteria = tuple(_as_part(c, st) for c in st.criteria)
            duration = _as_part(st.duration, st) if st.duration else None
            if duration is not st.duration or any(a is not b for a, b in zip(criteria, st.criteria)):
                st = replace(st, criteria=criteria, duration=duration)
            yield st
            yield from criteria
            if duration:
                yield duration
        else:
            yield st


def _as_part(part, indication: Indication):
    changes = {}
    if not part.therapy:
        changes["therapy"] = indication.therapy
    if not part.evidence:
        changes["evidence"] = indication.evidence
    return replace(part, **changes) if changes else part


def _ev_order(e: Evidence):
    return (e.document, e.start, e.end)


def _with_evidence(st: Statement, evidence: tuple[Evidence, ...]) -> Statement:
    return replace(st, evidence=evidence)
