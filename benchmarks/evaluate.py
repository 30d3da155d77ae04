"""Score the loaders' extraction against the hand-annotated evaluation set.

The evaluation set lives in ``tests/evaluation/{dev,dev2,...,dev13,heldout}/`` (every folder
holding ``*.expected.yaml`` files is a set; ``development`` is all of them but ``heldout`` and the
fresh ``dev13``): each document (``.txt``, ``.md`` or ``.html``) has a ``<stem>.expected.yaml`` beside
it listing every statement a careful curator would extract, with human-readable concept labels. The annotations were written
independently of the extraction rules; the development sets may be looked at while improving the
loaders, ``heldout`` should not.

Usage::

    python benchmarks/evaluate.py                 # dev set, table
    python benchmarks/evaluate.py --set heldout   # or --set dev2 ... dev13, development, all
    python benchmarks/evaluate.py --json          # machine-readable report
    python benchmarks/evaluate.py --details       # also list every miss and false positive
    python benchmarks/evaluate.py --check-labels  # labels the terminology does not resolve
    python benchmarks/evaluate.py --check-labels --set dev3   # ... of one development set

As a module: ``evaluate(documents, extractor=..., resolver=...)`` returns a ``Report``;
``score_document(expected, statements, resolver)`` scores one document.

Scoring
-------
Statement types scored: indication, adverse-effect, criterion, outcome, prerequisite, definition,
citation. Extracted ``duration`` and ``concept`` statements are not scored. Criteria nested inside an
extracted ``Indication.criteria`` count as extracted criteria too (deduplicated by ``key()``), and a
``Document.reference`` (a DOI or URL the loader put in the document's metadata) counts as an
extracted citation: either way the graph carries it.

Per document and type, expected and extracted statements are paired by a maximum bipartite
matching over the pairs that *match* (rules below); among equally large matchings, pairs whose
optional attributes also agree are preferred. Each extracted statement pairs with at most one
expected item, except an extracted indication naming k failed prior treatments, which may pair with
up to k (one per prior treatment: "after radiotherapy or brachytherapy" is two curated claims, and
one statement with ``after=(radiotherapy, brachytherapy)`` covers both). Then:

* true positive: a matched pair;
* false negative: an expected statement left unpaired;
* false positive: an extracted statement that matches no expected statement at all;
* duplicate: an extracted statement that matches an expected statement already paired with
  another extracted one (e.g. the same claim with a different strength). Duplicates are reported
  but count neither way: the match keys are coarse, so they are the same curated claim.

Precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean, micro-averaged over
the documents of the set. With nothing extracted, precision is 1.0 if nothing was expected, else
0.0; with nothing expected, recall is 1.0.

Match keys (the fields that must agree; everything else is an *attribute*, reported separately as
attribute agreement over matched pairs and never affecting TP/FP/FN):

* indication: ``therapy``; plus every expected ``after`` (each must be among the extracted
  ``after``), plus every expected ``condition`` (each must be among the extracted ``conditions``).
  ``after``/``condition`` absent from the annotation are ignored. ``strength``, ``intent`` and
  ``combined_with`` are attributes.
* adverse effect: ``therapy``, ``effect``.
* criterion: ``parameter``, ``comparator``, ``value``, ``unit``; plus ``value_max`` when the annotation
  gives one (ranges) and ``negated`` when the annotation states it. ``therapy`` is an attribute.
* outcome: ``arm``, ``measure``, ``value``.
* prerequisite: ``therapy``, ``requirement``, ``negated`` (absent means false).
* definition: ``term``.
* citation: ``doi`` (normalised: no ``https://doi.org/``/``doi:`` prefix, lower case; it also matches
  when the DOI appears inside the extracted citation's text or URL), or ``text_contains``
  (case-insensitive, whitespace-collapsed substring of the extracted citation's text).

Numbers match when equal up to a relative tolerance of 1e-6 (so 82.4 % must be 82.4, not 0.824).
Units are compared after canonicalisation (``months`` -> ``mo``, ``years`` -> ``a``, ``ng/ml`` ->
``ng/mL``, ``percent`` -> ``%``...). Comparators are canonicalised (``≥`` -> ``>=``).

Concept labels
--------------
An annotation label names a concept the way a curator would. A label may list alternatives
separated by ``|`` (``"salvage radiotherapy plus placebo | placebo"``): any one matching is enough.
The curator uses this only where the text itself supports either reading (e.g. a trial arm named
by its added drug); alternatives of different items never overlap.

An extracted concept id matches a label when any of these holds (strict by default):

1. the id is among the ids ``default_terminology().lookup(label)`` returns (synonyms,
   abbreviations and spelling variants are the terminology's business);
2. the id equals the label once both are normalised: lower case, apostrophes dropped, every run of
   characters other than letters, digits and ``+`` turned into one space (so ``salvage
   radiotherapy`` matches the coined id ``salvage-radiotherapy``);
3. the document's own ``ConceptDeclaration`` for that id has the label, or one of its
   abbreviations, equal to the label after the same normalisation (a document that defines
   "salvage brachytherapy (SBT)" may have the loader coin an id for it).

Narrower or broader concepts do **not** match by default: the curator annotated the concept the
text names, so ``radiotherapy`` for ``salvage radiotherapy`` (or ``brachytherapy`` for
``radiotherapy``) is a different claim. ``--hierarchy`` (``Resolver(hierarchy=True)``) relaxes this
and also accepts an extracted id that is an ancestor or descendant of a candidate id, where the
terminology or the document's declarations expose ``broader`` links; use it only as a diagnostic
next to the strict score, never instead of it.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from salvage_kg.assertions import (  # noqa: E402
    AdverseEffect,
    Citation,
    ConceptDeclaration,
    Criterion,
    Definition,
    Document,
    Indication,
    Outcome,
    Prerequisite,
    Statement,
)

EVAL_DIR = ROOT / "tests" / "evaluation"
# Every folder of annotated documents is a set; "heldout" must never be read while improving the rules.
SETS = tuple(sorted((p.name for p in EVAL_DIR.iterdir() if p.is_dir() and any(p.glob("*.expected.yaml"))),
                    key=lambda name: (name == "heldout", int(re.sub(r"\D", "", name) or 1), name)))  # dev9 < dev10
# A fresh set has been scored but no rule tuned against it yet: it stays out of `development`, so that
# its figures still say how the loaders do on unseen text, and joins it once rules are tuned on it.
FRESH_SETS = ("dev13",)
DEVELOPMENT_SETS = tuple(s for s in SETS if s != "heldout" and s not in FRESH_SETS)  # rules may be tuned on these
DOC_SUFFIXES = (".txt", ".md", ".html")
EXPECTED_SUFFIX = ".expected.yaml"
KNOWN_UNRESOLVED_FILE = EVAL_DIR / "known_unresolved_labels.txt"

TYPES = ("indications", "adverse_effects", "criteria", "outcomes", "prerequisites", "definitions",
         "citations")
KIND_TO_TYPE = {
    "indication": "indications",
    "adverse-effect": "adverse_effects",
    "criterion": "criteria",
    "outcome": "outcomes",
    "prerequisite": "prerequisites",
    "definition": "definitions",
    "citation": "citations",
}
UNSCORED_KINDS = frozenset({"duration", "concept"})

STRENGTHS = ("recommended", "may-be-considered", "investigational", "not-recommended")
TIMINGS = ("acute", "late", "perioperative")
COMPARATORS = (">=", "<=", ">", "<", "=", "range")
INTENTS = ("curative", "palliative")

# --------------------------------------------------------------------------------------------------
# Schema of the expected YAML
# --------------------------------------------------------------------------------------------------
# field kinds: label (one concept label), labels (a label or a list of labels, all required),
# number, int, bool, text, unit, enum values (a tuple)
LABEL, LABELS, NUMBER, INT, BOOL, TEXT, UNIT = "label", "labels", "number", "int", "bool", "text", "unit"

SCHEMA: dict[str, dict[str, Any]] = {
    "indications": {
        "required": ("therapy",),
        "fields": {"therapy": LABEL, "condition": LABELS, "after": LABELS, "strength": STRENGTHS,
                   "intent": INTENTS, "combined_with": LABELS},
    },
    "adverse_effects": {
        "required": ("therapy", "effect"),
        "fields": {"therapy": LABEL, "effect": LABEL, "severity": TEXT, "timing": TIMINGS,
                   "frequency": TEXT, "odds_ratio": NUMBER, "comparator": LABEL},
    },
    "criteria": {
        "required": ("parameter",),
        "fields": {"parameter": LABEL, "comparator": COMPARATORS, "value": NUMBER, "value_max": NUMBER,
                   "unit": UNIT, "therapy": LABEL, "negated": BOOL},
    },
    "outcomes": {
        "required": ("arm", "measure", "value"),
        "fields": {"arm": LABEL, "measure": LABEL, "value": NUMBER, "value_max": NUMBER, "unit": UNIT,
                   "time_point": TEXT, "ci_lower": NUMBER, "ci_upper": NUMBER, "comparator": LABEL,
                   "cohort_size": INT, "p_value": TEXT, "significant": BOOL},
    },
    "prerequisites": {
        "required": ("therapy", "requirement"),
        "fields": {"therapy": LABEL, "requirement": LABEL, "negated": BOOL},
    },
    "definitions": {
        "required": ("term",),
        "fields": {"term": LABEL, "contrasted_with": LABELS},
    },
    "citations": {
        "required": (),
        "fields": {"doi": TEXT, "text_contains": TEXT},
    },
}
COMMON_FIELDS = {"note": TEXT}  # a curator's comment, ignored by the scorer

# match-key fields per type (see the module docstring); the rest are attributes
KEY_FIELDS = {
    "indications": ("therapy", "after", "condition"),
    "adverse_effects": ("therapy", "effect"),
    "criteria": ("parameter", "comparator", "value", "value_max", "unit", "negated"),
    "outcomes": ("arm", "measure", "value"),
    "prerequisites": ("therapy", "requirement", "negated"),
    "definitions": ("term",),
    "citations": ("doi", "text_contains"),
}

UNIT_ALIASES = {
    "ng/ml": "ng/mL", "ng per ml": "ng/mL", "ng/mlyear": "ng/mL/year", "ng/ml/yr": "ng/mL/year",
    "ng/ml/year": "ng/mL/year", "ng/ml per year": "ng/mL/year",
    "%": "%", "percent": "%", "per cent": "%", "pct": "%",
    "mo": "mo", "month": "mo", "months": "mo", "mon": "mo",
    "a": "a", "y": "a", "yr": "a", "yrs": "a", "year": "a", "years": "a",
    "wk": "wk", "week": "wk", "weeks": "wk", "w": "wk",
    "d": "d", "day": "d", "days": "d",
    "h": "h", "hour": "h", "hours": "h",
    "copies/ml": "copies/mL", "cells/mm3": "cells/uL", "cells/µl": "cells/uL", "cells/ul": "cells/uL",
    "cells/mm^3": "cells/uL", "mg/l": "mg/L", "ml/min": "mL/min", "mg/kg": "mg/kg", "gy": "Gy",
    "g/dl": "g/dL", "ml/s": "mL/s", "ml per second": "mL/s", "micrograms/kg/min": "µg/kg/min",
    "mcg/kg/min": "µg/kg/min", "ug/kg/min": "µg/kg/min",
    "hu": "[hnsf'U]", "hounsfield unit": "[hnsf'U]", "hounsfield units": "[hnsf'U]",  # UCUM's code
    "iu/ml": "[IU]/mL", "ppb": "[ppb]", "g/24 h": "g/d", "g/day": "g/d",  # UCUM's codes
    "µg/ml": "mg/L", "ug/ml": "mg/L", "mcg/ml": "mg/L",  # the same quantity
    "10^9/l": "10^9/L", "x10^9/l": "10^9/L", "×10^9/l": "10^9/L", "x 10^9/l": "10^9/L", "× 10^9/l": "10^9/L",
    "10⁹/l": "10^9/L", "×10⁹/l": "10^9/L", "mmol/l": "mmol/L", "µmol/l": "µmol/L", "umol/l": "µmol/L",
    "micromol/l": "µmol/L",
    "g/l": "g/L", "ng/dl": "ng/dL", "mm/h": "mm/h", "mm/hr": "mm/h", "iu/l": "[IU]/L", "u/l": "[IU]/L",
    "°c": "Cel", "degrees c": "Cel", "degrees celsius": "Cel", "cel": "Cel",  # UCUM's codes
}
COMPARATOR_ALIASES = {"≥": ">=", "=>": ">=", "≤": "<=", "=<": "<=", "==": "=", "between": "range",
                      "–": "range", "-": "range", "to": "range"}


def canonical_unit(unit: Any) -> str | None:
    if unit is None:
        return None
    u = str(unit).strip()
    if not u:
        return None
    return UNIT_ALIASES.get(u.lower(), u)


def canonical_comparator(comp: Any) -> str | None:
    if comp is None:
        return None
    c = str(comp).strip()
    if not c:
        return None
    return COMPARATOR_ALIASES.get(c.lower(), c)


def numbers_equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def normalise_label(text: str) -> str:
    """Lower case, apostrophes dropped, runs of anything but letters/digits/'+' as one space."""
    t = str(text).lower().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^0-9a-z\u00c0-\u024f+]+", " ", t).split())


def slug(text: str) -> str:
    return normalise_label(text).replace(" ", "-")


def alternatives(label: str) -> list[str]:
    return [a.strip() for a in str(label).split("|") if a.strip()]


def as_label_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def normalise_doi(doi: str) -> str:
    d = str(doi).strip().lower()
    d = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", d)
    return d.rstrip(".,;)")


def collapse(text: str) -> str:
    return " ".join(str(text).lower().split())


# --------------------------------------------------------------------------------------------------
# Expected YAML: loading and validation
# --------------------------------------------------------------------------------------------------
def load_expected(path: Path | str) -> dict[str, list[dict]]:
    """Read an expected-assertions YAML; missing types become empty lists."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: top level must be a mapping")
    return {t: list(data.get(t) or []) for t in TYPES} | {
        k: v for k, v in data.items() if k not in TYPES
    }


def validate_expected(data: dict) -> list[str]:
    """Schema errors of one expected-assertions mapping (empty when valid)."""
    errors: list[str] = []
    for key in data:
        if key not in TYPES:
            errors.append(f"unknown section {key!r}")
    for t in TYPES:
        items = data.get(t) or []
        if not isinstance(items, list):
            errors.append(f"{t}: must be a list")
            continue
        spec = SCHEMA[t]
        seen: list[dict] = []
        for i, item in enumerate(items):
            where = f"{t}[{i}]"
            if not isinstance(item, dict):
                errors.append(f"{where}: must be a mapping")
                continue
            if item in seen:
                errors.append(f"{where}: exact duplicate of an earlier item")
            seen.append(item)
            for req in spec["required"]:
                if item.get(req) in (None, "", []):
                    errors.append(f"{where}: missing {req}")
            fields_ = spec["fields"] | COMMON_FIELDS
            for name, value in item.items():
                kind = fields_.get(name)
                if kind is None:
                    errors.append(f"{where}: unknown field {name!r}")
                    continue
                err = _check_field(kind, value)
                if err:
                    errors.append(f"{where}.{name}: {err}")
            if t == "criteria":
                comp = item.get("comparator")
                if comp == "range" and item.get("value_max") is None:
                    errors.append(f"{where}: range needs value_max")
                if comp != "range" and item.get("value_max") is not None:
                    errors.append(f"{where}: value_max only with comparator range")
                if comp is not None and item.get("value") is None:
                    errors.append(f"{where}: comparator without value")
                if item.get("value") is not None and comp is None:
                    errors.append(f"{where}: value without comparator")
            if t == "outcomes" and item.get("ci_lower") is not None and item.get("ci_upper") is not None:
                if item["ci_lower"] > item["ci_upper"]:
                    errors.append(f"{where}: ci_lower > ci_upper")
            if t == "citations":
                has = [k for k in ("doi", "text_contains") if item.get(k)]
                if len(has) != 1:
                    errors.append(f"{where}: give exactly one of doi, text_contains")
    return errors


def _check_field(kind: Any, value: Any) -> str | None:
    if isinstance(kind, tuple):
        return None if value in kind else f"{value!r} not in {kind}"
    if kind == LABEL:
        return None if isinstance(value, str) and alternatives(value) else "must be a non-empty label"
    if kind == LABELS:
        vals = value if isinstance(value, list) else [value]
        ok = vals and all(isinstance(v, str) and alternatives(v) for v in vals)
        return None if ok else "must be a label or a list of labels"
    if kind == NUMBER:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else "must be a number"
    if kind == INT:
        return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer"
    if kind == BOOL:
        return None if isinstance(value, bool) else "must be true or false"
    if kind == UNIT:
        return None if isinstance(value, str) and value.strip() else "must be a unit string"
    if kind == TEXT:
        return None if isinstance(value, (str, int, float)) and str(value).strip() else "must be text"
    return f"unknown field kind {kind!r}"


def labels_of(data: dict) -> list[tuple[str, str, str]]:
    """Every concept label in an expected mapping: (type, field, single alternative)."""
    out = []
    for t in TYPES:
        fields_ = SCHEMA[t]["fields"]
        for item in data.get(t) or []:
            if not isinstance(item, dict):
                continue
            for name, value in item.items():
                if fields_.get(name) in (LABEL, LABELS):
                    for lab in as_label_list(value):
                        for alt in alternatives(lab):
                            out.append((t, name, alt))
    return out


# --------------------------------------------------------------------------------------------------
# Concept resolution
# --------------------------------------------------------------------------------------------------
def default_terminology_or_none():
    """The project's terminology, or None while it does not exist (or fails to load)."""
    try:
        from salvage_kg.ontology.terminology import default_terminology
    except Exception:  # noqa: BLE001 - absent or broken module: fall back to label comparison
        return None
    try:
        return default_terminology()
    except Exception:  # noqa: BLE001
        return None


class Resolver:
    """Decides whether an extracted concept id matches an annotation label (rules in the docstring)."""

    def __init__(self, terminology: Any = "default", hierarchy: bool = False):
        self.terminology = default_terminology_or_none() if terminology == "default" else terminology
        self.hierarchy = hierarchy
        self._cache: dict[str, frozenset[str]] = {}
        self._ancestors: dict[str, frozenset[str]] = {}

    # -- terminology ---------------------------------------------------------------------------
    def lookup(self, label: str) -> frozenset[str]:
        """Concept ids the terminology gives for one label (no alternatives), possibly empty."""
        if label in self._cache:
            return self._cache[label]
        ids: set[str] = set()
        if self.terminology is not None:
            try:
                found = self.terminology.lookup(label) or []
            except Exception:  # noqa: BLE001 - a lookup failure is an unresolved label
                found = []
            if not isinstance(found, (list, tuple, set, frozenset)):
                found = [found]
            for c in found:
                cid = getattr(c, "id", c)
                if isinstance(cid, str) and cid:
                    ids.add(cid)
        self._cache[label] = frozenset(ids)
        return self._cache[label]

    def resolves(self, label: str) -> bool:
        return all(self.lookup(alt) for alt in alternatives(label))

    def _parents(self, cid: str, declarations: dict[str, ConceptDeclaration]) -> set[str]:
        parents: set[str] = set()
        decl = declarations.get(cid)
        if decl is not None:
            parents.update(decl.broader)
        term = self.terminology
        if term is None:
            return parents
        for name in ("broader", "parents"):
            fn = getattr(term, name, None)
            if callable(fn):
                try:
                    got = fn(cid)
                    parents.update(getattr(p, "id", p) for p in (got or ()))
                except Exception:  # noqa: BLE001
                    pass
        for name in ("get", "concept", "__getitem__"):
            fn = getattr(term, name, None)
            if callable(fn):
                try:
                    c = fn(cid)
                except Exception:  # noqa: BLE001
                    continue
                for attr in ("broader", "parents"):
                    got = getattr(c, attr, None)
                    if isinstance(got, (list, tuple, set, frozenset)):
                        parents.update(getattr(p, "id", p) for p in got)
                break
        return {p for p in parents if isinstance(p, str)}

    def ancestors(self, cid: str, declarations: dict[str, ConceptDeclaration]) -> frozenset[str]:
        seen: set[str] = set()
        todo = [cid]
        while todo:
            for p in self._parents(todo.pop(), declarations):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return frozenset(seen)

    # -- matching ------------------------------------------------------------------------------
    def candidates(self, label: str, declarations: dict[str, ConceptDeclaration]) -> set[str]:
        out: set[str] = set()
        for alt in alternatives(label):
            out |= self.lookup(alt)
            out.add(slug(alt))
            norm = normalise_label(alt)
            for cid, decl in declarations.items():
                names = (decl.label,) + tuple(decl.abbreviations)
                if any(n and normalise_label(n) == norm for n in names):
                    out.add(cid)
        return out

    def matches(self, label: str, concept_id: str | None,
                declarations: dict[str, ConceptDeclaration] | None = None) -> bool:
        if not concept_id:
            return False
        declarations = declarations or {}
        cands = self.candidates(label, declarations)
        if concept_id in cands or slug(concept_id) in cands:
            return True
        if any(normalise_label(concept_id) == normalise_label(alt) for alt in alternatives(label)):
            return True
        if self.hierarchy:
            ups = self.ancestors(concept_id, declarations)
            if ups & cands:
                return True  # extracted is narrower than expected
            return any(concept_id in self.ancestors(c, declarations) for c in cands)  # broader
        return False

    def matches_any(self, label: str, concept_ids: Iterable[str],
                    declarations: dict[str, ConceptDeclaration] | None = None) -> bool:
        return any(self.matches(label, c, declarations) for c in concept_ids)


# --------------------------------------------------------------------------------------------------
# Matching one expected item against one extracted statement
# --------------------------------------------------------------------------------------------------
STATEMENT_CLASSES = {
    "indications": Indication, "adverse_effects": AdverseEffect, "criteria": Criterion,
    "outcomes": Outcome, "prerequisites": Prerequisite, "definitions": Definition,
    "citations": Citation,
}


def key_matches(t: str, exp: dict, st: Statement, r: Resolver, decl: dict) -> bool:
    """Whether extracted statement `st` matches expected item `exp` on the match key of type `t`."""
    if t == "indications":
        if not r.matches(exp["therapy"], st.therapy, decl):
            return False
        for lab in as_label_list(exp.get("after")):
            if not r.matches_any(lab, st.after, decl):
                return False
        for lab in as_label_list(exp.get("condition")):
            if not r.matches_any(lab, st.conditions, decl):
                return False
        return True
    if t == "adverse_effects":
        return r.matches(exp["therapy"], st.therapy, decl) and r.matches(exp["effect"], st.effect, decl)
    if t == "criteria":
        if not r.matches(exp["parameter"], st.parameter, decl):
            return False
        if canonical_comparator(exp.get("comparator")) != canonical_comparator(st.comparator):
            return False
        if not numbers_equal(exp.get("value"), st.value):
            return False
        if canonical_unit(exp.get("unit")) != canonical_unit(st.unit):
            return False
        if exp.get("value_max") is not None and not numbers_equal(exp["value_max"], st.value_max):
            return False
        if "negated" in exp and bool(exp["negated"]) != bool(st.negated):
            return False
        return True
    if t == "outcomes":
        return (r.matches(exp["arm"], st.arm, decl) and r.matches(exp["measure"], st.measure, decl)
                and numbers_equal(exp["value"], st.value))
    if t == "prerequisites":
        return (r.matches(exp["therapy"], st.therapy, decl)
                and r.matches(exp["requirement"], st.requirement, decl)
                and bool(exp.get("negated", False)) == bool(st.negated))
    if t == "definitions":
        return r.matches(exp["term"], st.term, decl)
    if t == "citations":
        if exp.get("doi"):
            want = normalise_doi(exp["doi"])
            if st.doi and normalise_doi(st.doi) == want:
                return True
            return any(want in (s or "").lower() for s in (st.text, st.url))
        return collapse(exp["text_contains"]) in collapse(st.text)
    raise ValueError(f"unknown type {t}")


def _time_point(text: Any) -> tuple | str | None:
    if text is None:
        return None
    t = str(text).lower().replace("-", " ")
    num = re.search(r"\d+(\.\d+)?", t)
    unit = re.search(r"(year|yr|month|mo|week|wk|day)", t)
    if num and unit:
        u = {"yr": "year", "mo": "month", "wk": "week"}.get(unit.group(1), unit.group(1))
        return (float(num.group(0)), u)
    return collapse(t)


def attribute_agreement(t: str, exp: dict, st: Statement, r: Resolver, decl: dict) -> dict[str, bool]:
    """For each optional non-key attribute the annotation gives, whether the extraction agrees."""
    out: dict[str, bool] = {}
    for name, value in exp.items():
        if name in KEY_FIELDS[t] or name == "note" or name in SCHEMA[t]["required"]:
            continue
        got = getattr(st, name, None)
        kind = SCHEMA[t]["fields"].get(name)
        if kind == LABEL:
            ok = r.matches(value, got, decl)
        elif kind == LABELS:
            ok = all(r.matches_any(lab, got or (), decl) for lab in as_label_list(value))
        elif kind in (NUMBER, INT):
            ok = numbers_equal(value, got)
        elif kind == UNIT:
            ok = canonical_unit(value) == canonical_unit(got)
        elif kind == BOOL:  # "significant: false" is not confirmed by an extraction that says nothing
            ok = got is not None and bool(value) == bool(got)
        elif name == "time_point":
            ok = _time_point(value) == _time_point(got)
        elif name in ("severity", "frequency", "p_value"):
            ok = got is not None and collapse(value).replace(" ", "") in collapse(got).replace(" ", "")
        else:
            ok = collapse(value) == collapse(got) if got is not None else False
        out[name] = ok
    return out


# --------------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------------
@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    duplicates: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.duplicates += other.duplicates

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "duplicates": self.duplicates,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class DocumentScore:
    document: str
    counts: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    false_negatives: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TYPES})
    false_positives: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in TYPES})
    attributes: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # type -> attr -> [agree, total]
    error: str | None = None


@dataclass
class Report:
    documents: list[DocumentScore]
    terminology: bool  # whether a terminology was available for label resolution
    hierarchy: bool = False

    def totals(self) -> dict[str, Counts]:
        out = {t: Counts() for t in TYPES}
        for d in self.documents:
            for t in TYPES:
                out[t].add(d.counts[t])
        return out

    def overall(self) -> Counts:
        c = Counts()
        for v in self.totals().values():
            c.add(v)
        return c

    def attributes(self) -> dict[str, dict[str, list[int]]]:
        out: dict[str, dict[str, list[int]]] = {}
        for d in self.documents:
            for t, attrs in d.attributes.items():
                for a, (agree, total) in attrs.items():
                    slot = out.setdefault(t, {}).setdefault(a, [0, 0])
                    slot[0] += agree
                    slot[1] += total
        return out

    def as_dict(self, details: bool = False) -> dict:
        out = {
            "terminology": self.terminology,
            "hierarchy": self.hierarchy,
            "documents": len(self.documents),
            "types": {t: c.as_dict() for t, c in self.totals().items()},
            "overall": self.overall().as_dict(),
            "attributes": {t: {a: {"agree": v[0], "total": v[1]} for a, v in attrs.items()}
                           for t, attrs in self.attributes().items()},
            "errors": {d.document: d.error for d in self.documents if d.error},
        }
        if details:
            out["per_document"] = [
                {"document": d.document,
                 "types": {t: c.as_dict() for t, c in d.counts.items()},
                 "false_negatives": {t: v for t, v in d.false_negatives.items() if v},
                 "false_positives": {t: v for t, v in d.false_positives.items() if v}}
                for d in self.documents
            ]
        return out


def _max_matching(n_exp: int, n_ext: int, edges: dict[int, list[int]], preferred: set[tuple[int, int]]):
    """Maximum bipartite matching (augmenting paths); pairs in `preferred` are matched first."""
    match_ext: dict[int, int] = {}  # extracted index -> expected index

    def augment(i: int, allowed, seen: set[int]) -> bool:
        for j in edges.get(i, ()):
            if not allowed(i, j) or j in seen:
                continue
            seen.add(j)
            if j not in match_ext or augment(match_ext[j], allowed, seen):
                match_ext[j] = i
                return True
        return False

    for i in range(n_exp):  # phase 1: only fully agreeing pairs
        augment(i, lambda a, b: (a, b) in preferred, set())
    matched_exp = set(match_ext.values())
    for i in range(n_exp):  # phase 2: any matching pair, keeping everything matched so far matched
        if i not in matched_exp:
            if augment(i, lambda a, b: True, set()):
                matched_exp = set(match_ext.values())
    return {i: j for j, i in match_ext.items()}  # expected index -> extracted index


def scored_statements(statements: Sequence[Statement], document: Document | None = None
                      ) -> tuple[dict[str, list[Statement]], dict[str, ConceptDeclaration]]:
    """Extracted statements grouped by scored type (criteria un-nested, deduplicated), and the
    document's concept declarations by id."""
    by_type: dict[str, dict[tuple, Statement]] = {t: {} for t in TYPES}
    declarations: dict[str, ConceptDeclaration] = {}
    for st in statements:
        if isinstance(st, ConceptDeclaration):
            declarations.setdefault(st.concept, st)
            continue
        if st.kind in UNSCORED_KINDS:
            continue
        t = KIND_TO_TYPE.get(st.kind)
        if t is None:
            continue
        by_type[t].setdefault(st.key(), st)
        if isinstance(st, Indication):
            for c in st.criteria:
                by_type["criteria"].setdefault(c.key(), c)
    if document is not None and document.reference:
        ref = document.reference
        is_doi = bool(re.match(r"^(https?://(dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/", ref.strip(), re.I))
        c = Citation(text=document.cites or ref, doi=normalise_doi(ref) if is_doi else None,
                     url=None if is_doi else ref)
        by_type["citations"].setdefault(c.key(), c)
    return {t: list(v.values()) for t, v in by_type.items()}, declarations


def score_document(expected: dict, statements: Sequence[Statement], resolver: Resolver,
                   document: Document | None = None, name: str = "") -> DocumentScore:
    """Score one document's extracted statements against its expected annotations."""
    extracted, decl = scored_statements(statements, document)
    score = DocumentScore(document=name or (document.id if document else ""))
    for t in TYPES:
        exp_items = [e for e in (expected.get(t) or []) if isinstance(e, dict)]
        ext_items = extracted[t]
        edges: dict[int, list[int]] = {}
        preferred: set[tuple[int, int]] = set()
        agreement: dict[tuple[int, int], dict[str, bool]] = {}
        for i, e in enumerate(exp_items):
            for j, s in enumerate(ext_items):
                if key_matches(t, e, s, resolver, decl):
                    edges.setdefault(i, []).append(j)
                    agr = attribute_agreement(t, e, s, resolver, decl)
                    agreement[(i, j)] = agr
                    if all(agr.values()):
                        preferred.add((i, j))
        # an extracted indication naming k prior treatments may pair with up to k expected ones
        slots = [j for j, s in enumerate(ext_items) for _ in range(capacity(t, s))]
        slot_edges = {i: [k for k, j in enumerate(slots) if j in set(js)] for i, js in edges.items()}
        slot_pref = {(i, k) for (i, j) in preferred for k, jj in enumerate(slots) if jj == j}
        slot_pairs = _max_matching(len(exp_items), len(slots), slot_edges, slot_pref)
        pairs = {i: slots[k] for i, k in slot_pairs.items()}
        matchable = {j for js in edges.values() for j in js}
        c = score.counts[t]
        c.tp = len(pairs)
        c.fn = len(exp_items) - len(pairs)
        used = set(pairs.values())
        c.duplicates = len(matchable - used)
        c.fp = len(ext_items) - len(matchable)
        score.false_negatives[t] = [e for i, e in enumerate(exp_items) if i not in pairs]
        score.false_positives[t] = [describe(s) for j, s in enumerate(ext_items) if j not in matchable]
        for i, j in pairs.items():
            for a, ok in agreement[(i, j)].items():
                slot = score.attributes.setdefault(t, {}).setdefault(a, [0, 0])
                slot[0] += int(ok)
                slot[1] += 1
    return score


def capacity(t: str, st: Statement) -> int:
    """How many expected items one extracted statement may pair with (see the module docstring)."""
    if t == "indications" and isinstance(st, Indication):
        return max(1, len(st.after))
    return 1


def describe(st: Statement) -> str:
    """A short readable form of an extracted statement for the --details listing."""
    if isinstance(st, Indication):
        s = f"{st.therapy}"
        if st.after:
            s += f" after {'+'.join(st.after)}"
        if st.conditions:
            s += f" for {'+'.join(st.conditions)}"
        return s + (f" [{st.strength}]" if st.strength else "")
    if isinstance(st, AdverseEffect):
        return f"{st.therapy} -> {st.effect}"
    if isinstance(st, Criterion):
        v = "" if st.value is None else f" {st.value:g}" + (f"-{st.value_max:g}" if st.value_max is not None else "")
        return f"{'NOT ' if st.negated else ''}{st.parameter} {st.comparator or ''}{v} {st.unit or ''}".strip()
    if isinstance(st, Outcome):
        return f"{st.arm}: {st.measure} = {st.value} {st.unit or ''}".strip()
    if isinstance(st, Prerequisite):
        return f"{st.therapy} requires {'NOT solely ' if st.negated else ''}{st.requirement}"
    if isinstance(st, Definition):
        return f"defines {st.term}"
    if isinstance(st, Citation):
        return f"cites {st.doi or st.url or st.text[:60]}"
    return repr(st.key())


# --------------------------------------------------------------------------------------------------
# The evaluation set and the extractor
# --------------------------------------------------------------------------------------------------
def documents_in(set_name: str, base: Path | None = None) -> list[Path]:
    """Document files of a set ('dev', 'heldout' or 'all'), sorted."""
    base = EVAL_DIR if base is None else base
    names = SETS if set_name == "all" else DEVELOPMENT_SETS if set_name == "development" else (set_name,)
    out: list[Path] = []
    for n in names:
        folder = base / n
        if not folder.is_dir():
            raise FileNotFoundError(f"no evaluation set folder {folder}")
        out += sorted(p for p in folder.iterdir() if p.suffix in DOC_SUFFIXES and p.is_file())
    return out


def expected_path(doc: Path) -> Path:
    return doc.with_name(doc.stem + EXPECTED_SUFFIX)


Extractor = Callable[[Path], "tuple[Document | None, Sequence[Statement]]"]


def project_extractor() -> Extractor:
    """The project's loaders: ``load_document(path)`` then ``extract(document)``."""
    from salvage_kg.loaders import extract, load_document

    def run(path: Path):
        doc = load_document(path)
        return doc, list(extract(doc))

    return run


def evaluate(documents: Iterable[Path], extractor: Extractor | None = None,
             resolver: Resolver | None = None) -> Report:
    """Run `extractor` on each document and score it against its expected YAML."""
    extractor = extractor or project_extractor()
    resolver = resolver or Resolver()
    scores = []
    for path in documents:
        path = Path(path)
        expected = load_expected(expected_path(path))
        try:
            doc, statements = extractor(path)
        except Exception as exc:  # noqa: BLE001 - one failing document scores as nothing extracted
            doc, statements = None, []
            err = f"{type(exc).__name__}: {exc}"
        else:
            err = None
        s = score_document(expected, statements, resolver, document=doc, name=path.name)
        s.error = err
        scores.append(s)
    return Report(scores, terminology=resolver.terminology is not None, hierarchy=resolver.hierarchy)


def expected_counts(set_name: str) -> dict[str, int]:
    """How many expected statements of each type a set holds."""
    counts = {t: 0 for t in TYPES}
    for doc in documents_in(set_name):
        data = load_expected(expected_path(doc))
        for t in TYPES:
            counts[t] += len(data.get(t) or [])
    return counts


def unresolved_labels(set_name: str = "development", resolver: Resolver | None = None) -> list[str]:
    """Labels (single alternatives) of the set that the terminology does not resolve, sorted. By default
    the development sets only: listing held-out labels would show their content to whoever improves rules."""
    resolver = resolver or Resolver()
    out = set()
    for doc in documents_in(set_name):
        for _t, _f, lab in labels_of(load_expected(expected_path(doc))):
            if not resolver.lookup(lab):
                out.add(lab)
    return sorted(out, key=str.lower)


def read_known_unresolved(path: Path = KNOWN_UNRESOLVED_FILE) -> set[str]:
    if not path.exists():
        return set()
    return {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")}


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------
def format_table(report: Report, details: bool = False) -> str:
    lines = []
    head = f"{'type':<17}{'TP':>5}{'FP':>5}{'FN':>5}{'dup':>5}{'prec':>8}{'recall':>8}{'F1':>8}"
    lines += [head, "-" * len(head)]
    for t, c in list(report.totals().items()) + [("ALL", report.overall())]:
        if t == "ALL":
            lines.append("-" * len(head))
        lines.append(f"{t:<17}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.duplicates:>5}"
                     f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
    lines.append("")
    lines.append(f"documents: {len(report.documents)}; terminology: "
                 f"{'yes' if report.terminology else 'NOT AVAILABLE (label comparison only)'}; "
                 f"hierarchy matching: {'on' if report.hierarchy else 'off'}")
    attrs = report.attributes()
    if attrs:
        lines.append("attribute agreement on matched pairs: " + "; ".join(
            f"{t}.{a} {v[0]}/{v[1]}" for t, d in attrs.items() for a, v in sorted(d.items())))
    for d in report.documents:
        if d.error:
            lines.append(f"ERROR {d.document}: {d.error}")
    if details:
        for d in report.documents:
            lines.append("")
            lines.append(f"== {d.document}")
            for t in TYPES:
                for e in d.false_negatives[t]:
                    lines.append(f"  FN {t}: {json.dumps(e, ensure_ascii=False)}")
                for s in d.false_positives[t]:
                    lines.append(f"  FP {t}: {s}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, extractor: Extractor | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default=None, choices=SETS + ("development", "all"),
                    help="set to score (default dev; development = dev to dev12; dev13 is fresh); with "
                         "--check-labels, a development set to list (default development)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--details", action="store_true", help="list misses and false positives")
    ap.add_argument("--hierarchy", action="store_true",
                    help="also accept narrower/broader concepts (diagnostic only)")
    ap.add_argument("--check-labels", action="store_true",
                    help="list annotation labels the terminology does not resolve, then exit")
    ap.add_argument("--write-unresolved", action="store_true",
                    help=f"write those labels to {KNOWN_UNRESOLVED_FILE.relative_to(ROOT)}")
    args = ap.parse_args(argv)

    if args.check_labels or args.write_unresolved:
        resolver = Resolver()
        if resolver.terminology is None:
            print("terminology not available: every label is unresolved", file=sys.stderr)
            return 2
        if args.write_unresolved:
            labels = unresolved_labels("development", resolver)  # the file always covers them all
        elif args.set in (None, "development") or args.set in DEVELOPMENT_SETS:
            labels = unresolved_labels(args.set or "development", resolver)
        else:  # heldout, or all (which includes heldout): never list held-out labels
            print(f"--check-labels covers development sets only, not {args.set!r}", file=sys.stderr)
            return 2
        if args.write_unresolved:
            KNOWN_UNRESOLVED_FILE.write_text(
                "# Annotation labels the terminology does not resolve (one a line); regenerate with\n"
                "#   python benchmarks/evaluate.py --write-unresolved\n"
                + "".join(f"{lab}\n" for lab in labels), encoding="utf-8")
        print("\n".join(labels))
        return 0

    try:
        extractor = extractor or project_extractor()
    except ImportError as exc:
        print(f"error: cannot import the loaders (salvage_kg.loaders.load_document/extract): {exc}",
              file=sys.stderr)
        return 2
    report = evaluate(documents_in(args.set or "dev"), extractor, Resolver(hierarchy=args.hierarchy))
    if args.json:
        print(json.dumps(report.as_dict(details=args.details), indent=2, ensure_ascii=False))
    else:
        print(format_table(report, details=args.details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
