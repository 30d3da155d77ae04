"""The terminology: concepts with labels, synonyms, abbreviations, a broader-than DAG and verified
cross-references, loaded from `terminology.yaml` and validated on load.

Also home of the text normalisation that lookup and recognition share, so that a term and a text
are always folded the same way: case, dashes and spaces, British/American spelling, plurals.
Kept to yaml and the standard library: the query path imports it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from . import schema

DEFAULT_PATH = Path(__file__).with_name("terminology.yaml")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ID_RX = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
XREF_RX = re.compile(r"^([a-z][a-z0-9_]*):(\S+)$")
CURIE_RX = re.compile(r"^([A-Za-z][A-Za-z0-9_]*):(\S+)$")
CONCEPT_KEYS = {"id", "type", "label", "synonyms", "abbreviations", "broader", "xrefs", "definition"}
TOP_KEYS = {"concepts", "version", "description"}


@dataclass(frozen=True)
class Concept:
    id: str
    type: str
    label: str
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    definition: str | None = None

    @property
    def iri(self) -> str:
        return schema.CONCEPT_NS + self.id

    def terms(self) -> tuple[str, ...]:
        """Label and synonyms: the forms matched regardless of case."""
        return (self.label,) + self.synonyms


class TerminologyError(ValueError):
    """A terminology file that cannot be used; the message names the file, the line and the cause."""


# --------------------------------------------------------------------------------------------------
# Normalisation shared by lookup and recognition
# --------------------------------------------------------------------------------------------------

def _char_table() -> dict[int, str]:
    table = {ord(c): " " for c in "\t\f\v\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
             "\u2009\u200a\u202f\u205f\u3000"}
    table.update({ord(c): " " for c in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})
    table.update({ord(c): "'" for c in "\u2018\u2019\u02bc\u2032"})
    table.update({0x2028: "\n", 0x2029: "\n", 0x85: "\n"})
    # Latin letters with accents fold to their base letter (one character each, so offsets hold).
    for cp in range(0xC0, 0x250):
        ascii_part = unicodedata.normalize("NFKD", chr(cp)).encode("ascii", "ignore").decode()
        if len(ascii_part) == 1 and ascii_part.isalpha():
            table[cp] = ascii_part
    return table


CHAR_TABLE = _char_table()

# British spellings folded to American on both sides (terms and texts). The folding only has to be
# consistent, not linguistically right: "exercise" becomes "exercize" in both. Keys are what a
# match of _SPELLING_RX looks like.
_SPELLING = {
    "mour": "mor", "lour": "lor", "vour": "vor", "bour": "bor",  # tumour, colour, behaviour, labour
    "oesophag": "esophag", "oedem": "edem", "oestr": "estr", "rrhoe": "rrhe", "dyspnoe": "dyspne",
    "coeliac": "celiac", "foet": "fet", "haem": "hem", "aemi": "emi", "paed": "ped", "anaesth": "anesth",
    "faec": "fec", "gynaec": "gynec", "aetiol": "etiol", "leucocyt": "leukocyt", "leucopen": "leukopen",
    "is": "iz", "ys": "yz", "ogue": "og", "tre": "ter", "bre": "ber", "programme": "program",
    "grey": "gray", "sulph": "sulf", "ageing": "aging", "ll": "l",
}
# Every alternative starts with a letter of its own (no character set), so that the regex engine
# skips positions whose letter starts none of them.
_SPELLING_RX = re.compile(
    r"oesophag|oedem|oestr|rrhoe|dyspnoe|coeliac|foet|haem|aemi|paed|anaesth|faec|gynaec|aetiol"
    r"|leucocyt|leucopen|mour|lour|vour|bour|is(?=(?:e|ed|es|er|ers|ing|ation|ations)\b)|ys(?=(?:e|ed|es|ing)\b)"
    r"|ogue(?=s?\b)|tre(?=s?\b)|bre(?=s?\b)|programme(?!d)|grey|sulph|ageing|ll(?=(?:ed|ing)\b)"
)
# Line breaks (rare) are found first and widened over neighbouring spaces; runs of spaces have a
# literal prefix, which the regex engine finds fast.
_BREAK_RX = re.compile(r"[\r\n][ \r\n]*")
_SPACES_RX = re.compile(r"  +")


def text_edits(low: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) spans, sorted, that fold a lower-cased, `fold_chars`-ed text:
    line breaks and runs of spaces become one space (a paragraph break one newline), British
    spellings become American."""
    edits = []
    last = 0
    for m in _BREAK_RX.finditer(low):
        s, e = m.span()
        while s > last and low[s - 1] == " ":
            s -= 1
        rep = "\n" if low.count("\n", s, e) >= 2 else " "
        if e - s > 1 or low[s] != rep:
            edits.append((s, e, rep))
        last = e
    if "  " in low:
        breaks, edits = edits, []
        spaces = [(m.start(), m.end(), " ") for m in _SPACES_RX.finditer(low)]
        i = 0
        for sp in spaces:
            while i < len(breaks) and breaks[i][1] <= sp[0]:
                edits.append(breaks[i])
                i += 1
            if i < len(breaks) and breaks[i][0] < sp[1]:
                continue  # part of a break run already
            edits.append(sp)
        edits.extend(breaks[i:])
    spelling = []
    for m in _SPELLING_RX.finditer(low):
        g = m.group()
        rep = _SPELLING.get(g)
        if rep is None:  # [mlvb]our, [tb]re
            rep = g[0] + _SPELLING[g[1:]]
        spelling.append((m.start(), m.end(), rep))
    if spelling:
        edits = sorted(edits + spelling)
    return edits


_ASCII_FOLDS = (("-", " "), ("\t", " "), ("\f", " "), ("\v", " "))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold_chars(text: str) -> str:
    """One character for one: dashes and odd spaces to a space, curly quotes to straight ones,
    accented Latin letters to their base letter. Offsets are unchanged."""
    for a, b in _ASCII_FOLDS:
        if a in text:
            text = text.replace(a, b)
    if not text.isascii():
        table = CHAR_TABLE
        text = _NON_ASCII.sub(lambda m: table.get(ord(m.group()), m.group()), text)
    return text


def lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def apply_edits(src: str, edits: Iterable[tuple[int, int, str]], fit_case: bool = False) -> str:
    out, last = [], 0
    for s, e, rep in edits:
        out.append(src[last:s])
        if fit_case and rep.strip():
            seg = src[s:e]
            rep = rep.upper() if seg.isupper() else (rep[:1].upper() + rep[1:] if seg[:1].isupper() else rep)
        out.append(rep)
        last = e
    out.append(src[last:])
    return "".join(out)


def normalize(text: str) -> str:
    """Lower-cased, dashes as spaces, spaces collapsed, British spelling folded to American."""
    low = lower_same_length(fold_chars(text))
    return apply_edits(low, text_edits(low)).strip()


def normalize_cased(text: str) -> str:
    """As `normalize` but keeping case: the form abbreviations are matched in."""
    t = fold_chars(text)
    low = lower_same_length(t)
    return apply_edits(t, text_edits(low), fit_case=True).strip()


def is_acronym(term: str) -> bool:
    """A single token with an upper-case letter after its first character ("ICE", "VeIP", "R-CHOP"):
    matched case-sensitively, so that the regimen ICE is not found in the word "ice"."""
    return not any(c.isspace() for c in term) and any(c.isupper() for c in term[1:])


# Prefixes often written closed, hyphenated or open: "reirradiation", "re-irradiation".
_PREFIXES = ("re", "pre", "post", "non", "anti", "co", "sub", "peri", "intra", "inter", "extra", "trans",
             "multi", "neo", "chemo", "radio", "immuno", "cryo", "brachy", "hypo", "hyper", "ultra", "semi",
             "auto", "allo", "hemi", "oligo", "poly", "micro", "uro", "gastro", "over", "under", "retro")


def _plurals(word: str) -> set[str]:
    """Plural of a singular word, singular(s) of a plural one; both, when in doubt, for matching."""
    if len(word) < 3 or not word.isalpha():
        return set()
    out = set()
    looks_plural = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    if not looks_plural:
        if word.endswith("sis"):
            out.add(word[:-2] + "es")  # metastasis -> metastases
        elif word.endswith("y") and word[-2] not in "aeiou":
            out.add(word[:-1] + "ies")
        elif word.endswith(("s", "x", "z", "ch", "sh")):
            out.add(word + "es")
        else:
            out.add(word + "s")
    elif word.endswith("ies"):
        out.add(word[:-3] + "y")
    elif word.endswith("ses"):
        out.update({word[:-2] + "is", word[:-1]})  # metastases -> metastasis; doses -> dose
    elif word.endswith(("xes", "zes", "ches", "shes", "sses")):
        out.add(word[:-2])
    else:
        out.add(word[:-1])
    return out


_JOINT = re.compile(r"(?<=[^\W_])[-\u2010\u2011](?=[^\W_])")


def variants(term: str, limit: int = 48) -> set[str]:
    """Normalised surface forms of a term: hyphens written as spaces or closed up, plural or
    singular of the last word, and words with a common prefix also written open
    ("reirradiation" / "re irradiation"; a text's hyphens are spaces by the time it is matched)."""
    out: set[str] = set()
    for base in dict.fromkeys((normalize(term), normalize(_JOINT.sub("", term)))):
        out |= _expand(base, limit)
    return out


def _expand(norm: str, limit: int) -> set[str]:
    words = norm.split(" ")
    forms = [[w] for w in words]
    for i, w in enumerate(words):
        split = _split_prefix(w)
        if split:
            forms[i].append(split)
    for pl in _plurals(words[-1]):
        forms[-1].append(pl)
        split = _split_prefix(pl)
        if split:
            forms[-1].append(split)
    out = {""}
    for options in forms:
        out = {(o + " " + f).strip() for o in out for f in options}
        if len(out) > limit:
            out = set(sorted(out, key=lambda v: (len(v), v))[:limit])
    out.add(norm)
    return out


def _split_prefix(word: str) -> str | None:
    for p in _PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 4 and word[len(p)].isalpha():
            return p + " " + word[len(p):]
    return None


def compact(norm: str) -> str:
    """Spaces dropped: the lookup key, so "re irradiation" equals "reirradiation"."""
    return norm.replace(" ", "")


# --------------------------------------------------------------------------------------------------
# The terminology
# --------------------------------------------------------------------------------------------------

LOOKUP_CACHE_SIZE = 20_000


class Terminology:
    """Concepts by id, with lookup by any name and navigation of the broader-than hierarchy."""

    def __init__(self, concepts: dict[str, Concept], source: str = "<memory>"):
        self.concepts = concepts
        self.source = source
        self._narrower: dict[str, list[str]] = {cid: [] for cid in concepts}
        for c in concepts.values():
            for b in c.broader:
                self._narrower[b].append(c.id)
        self._index: dict[str, dict] | None = None
        # Concepts do not change after loading, so answers are kept (loaders ask the same thing often).
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._lookups: dict[str, tuple[Concept, ...]] = {}

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, cid: object) -> bool:
        return cid in self.concepts

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Terminology":
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise TerminologyError(f"{path}: cannot read: {e.strerror or e}") from None
        try:
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f":{mark.line + 1}" if mark else ""
            raise TerminologyError(f"{path}{where}: invalid YAML: {getattr(e, 'problem', None) or e}") from None
        return cls(_validate(data, path, text), str(path))

    # --- access -----------------------------------------------------------------------------------

    def get(self, cid: str) -> Concept:
        try:
            return self.concepts[cid]
        except KeyError:
            raise KeyError(f"unknown concept {cid!r}") from None

    def lookup(self, text: str) -> list[Concept]:
        """Concepts named by `text`: an IRI, a CURIE (skc: or a cross-reference), an id, an
        abbreviation (exact case first), or a label or synonym in any case, spelling or number."""
        found = self._lookups.get(text)
        if found is None:
            if len(self._lookups) >= LOOKUP_CACHE_SIZE:
                self._lookups.clear()  # phrases from documents are many: keep memory bounded
            found = self._lookups[text] = tuple(self._lookup(text))
        return list(found)

    def _lookup(self, text: str) -> list[Concept]:
        text = text.strip()
        if not text:
            return []
        idx = self._lookup_index()
        if text.startswith(schema.CONCEPT_NS):
            cid = text[len(schema.CONCEPT_NS):]
            return [self.concepts[cid]] if cid in self.concepts else []
        if "://" in text:
            return self._found(idx["iri"].get(text, ()))
        m = CURIE_RX.match(text)
        if m and m.group(1).lower() in schema.PREFIXES:
            prefix, local = m.group(1).lower(), m.group(2)
            if prefix == "skc":
                return [self.concepts[local]] if local in self.concepts else []
            return self._found(idx["xref"].get((prefix, local.upper()), ()))
        if text in self.concepts:
            return [self.concepts[text]]
        for key in (("cased", text), ("norm", compact(normalize(text)))):
            found = idx[key[0]].get(key[1])
            if found:
                return self._found(found)
        return []

    def suggest(self, text: str, n: int = 5) -> list[str]:
        """Labels close to an unknown name, best first, for 'did you mean' messages."""
        import difflib  # only needed on this error path

        names: dict[str, str] = {}
        for c in self.concepts.values():
            for t in c.terms() + c.abbreviations:
                names.setdefault(normalize(t), c.label)
        close = difflib.get_close_matches(normalize(text), list(names), n=n * 4, cutoff=0.6)
        return list(dict.fromkeys(names[k] for k in close))[:n]

    # --- hierarchy --------------------------------------------------------------------------------

    def ancestors(self, cid: str) -> list[str]:
        """The concept and everything broader, nearest first (breadth-first, in listed order)."""
        return list(self.ancestor_tuple(cid))

    def ancestor_tuple(self, cid: str) -> tuple[str, ...]:
        """`ancestors`, as a shared tuple (no copy)."""
        found = self._ancestors.get(cid)
        if found is not None:
            return found
        self.get(cid)
        out, seen, frontier = [cid], {cid}, [cid]
        while frontier:
            nxt = []
            for c in frontier:
                for b in self.concepts[c].broader:
                    if b not in seen:
                        seen.add(b)
                        out.append(b)
                        nxt.append(b)
            frontier = nxt
        found = self._ancestors[cid] = tuple(out)
        return found

    def descendants(self, cid: str) -> set[str]:
        """The concept and everything narrower."""
        self.get(cid)
        out, stack = {cid}, [cid]
        while stack:
            for n in self._narrower[stack.pop()]:
                if n not in out:
                    out.add(n)
                    stack.append(n)
        return out

    def narrower(self, cid: str) -> list[str]:
        """Direct narrower concepts."""
        self.get(cid)
        return list(self._narrower[cid])

    def is_a(self, cid: str, class_name: str) -> bool:
        """Whether the concept's type is `class_name` or one of its subclasses."""
        return class_name in schema.ancestors(self.get(cid).type)

    # --- internals --------------------------------------------------------------------------------

    def _found(self, ids: Iterable[str]) -> list[Concept]:
        return [self.concepts[i] for i in ids]

    def _lookup_index(self) -> dict[str, dict]:
        """Built on first lookup, so that loading stays cheap for callers that never look up."""
        if self._index is not None:
            return self._index
        cased: dict[str, list[str]] = {}
        ranked: dict[str, tuple[int, list[str]]] = {}
        xref: dict[tuple[str, str], list[str]] = {}
        iri: dict[str, list[str]] = {}

        def put(table, key, cid):
            ids = table.setdefault(key, [])
            if cid not in ids:
                ids.append(cid)

        def rank(key, cid, r):
            best = ranked.get(key)
            if best is None or r < best[0]:
                ranked[key] = (r, [cid])
            elif r == best[0] and cid not in best[1]:
                best[1].append(cid)

        for c in self.concepts.values():
            for a in c.abbreviations:
                put(cased, a, c.id)
            names = c.terms() + c.abbreviations
            for t in names:
                rank(compact(normalize(t)), c.id, 0)
            rank(compact(normalize(c.id)), c.id, 1)
            for t in c.terms():
                for v in variants(t):
                    rank(compact(v), c.id, 2)
            for x in c.xrefs:
                prefix, _, local = x.partition(":")
                put(xref, (prefix, local.upper()), c.id)
                put(iri, schema.expand(x), c.id)
        self._index = {"cased": cased, "norm": {k: v[1] for k, v in ranked.items()}, "xref": xref, "iri": iri}
        return self._index


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------

def _validate(data, path: Path, text: str) -> dict[str, Concept]:
    lines = _Lines(text)

    def fail(msg: str, index: int | None = None):
        raise TerminologyError(f"{path}{lines.at(index)}: {msg}")

    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        fail("expected a mapping with a 'concepts' list")
    unknown_top = set(data) - TOP_KEYS
    if unknown_top:
        fail(f"unknown top-level key(s): {', '.join(sorted(map(str, unknown_top)))}")

    concepts: dict[str, Concept] = {}
    where: dict[str, int] = {}
    for i, raw in enumerate(data["concepts"]):
        if not isinstance(raw, dict):
            fail("each concept must be a mapping", i)
        extra = set(raw) - CONCEPT_KEYS
        if extra:
            fail(f"concept {raw.get('id')!r}: unknown key(s) {', '.join(sorted(map(str, extra)))}", i)
        for key in ("id", "type", "label"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                fail(f"concept {raw.get('id')!r}: missing or empty {key!r}", i)
        cid = raw["id"]
        if not ID_RX.match(cid):
            fail(f"concept id {cid!r} is not a lowercase slug (letters, digits, single hyphens)", i)
        if cid in concepts:
            first = lines.at(where[cid]).lstrip(":")
            fail(f"duplicate concept id {cid!r}" + (f" (first defined at line {first})" if first else ""), i)
        if raw["type"] not in schema.CONCEPT_TYPES:
            fail(f"concept {cid!r}: unknown type {raw['type']!r} (expected one of "
                 f"{', '.join(sorted(schema.CONCEPT_TYPES))})", i)
        fields = {}
        for key in ("synonyms", "abbreviations", "broader", "xrefs"):
            value = raw.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                fail(f"concept {cid!r}: {key!r} must be a list of non-empty strings", i)
            fields[key] = tuple(dict.fromkeys(v.strip() for v in value))
        for x in fields["xrefs"]:
            m = XREF_RX.match(x)
            if not m or m.group(1) not in schema.PREFIXES:
                fail(f"concept {cid!r}: cross-reference {x!r} has no known prefix "
                     f"(known: {', '.join(sorted(schema.PREFIXES))})", i)
        definition = raw.get("definition")
        if definition is not None and not isinstance(definition, str):
            fail(f"concept {cid!r}: 'definition' must be a string", i)
        concepts[cid] = Concept(cid, raw["type"], raw["label"].strip(), fields["synonyms"],
                                fields["abbreviations"], fields["broader"], fields["xrefs"],
                                definition.strip() if definition else None)
        where[cid] = i

    for cid, c in concepts.items():
        branch = _branch(c.type)
        for b in c.broader:
            if b not in concepts:
                fail(f"concept {cid!r}: broader concept {b!r} does not exist", where[cid])
            other = _branch(concepts[b].type)
            if branch and other and branch != other:
                fail(f"concept {cid!r} ({c.type}) cannot be narrower than {b!r} ({concepts[b].type}): "
                     f"{branch} and {other} are disjoint", where[cid])
    cycle = _find_cycle(concepts)
    if cycle:
        fail(f"broader relations form a cycle: {' -> '.join(cycle)}", where[cycle[0]])

    # A name may belong to one concept only, or lookup and recognition become ambiguous.
    owner: dict[str, str] = {}
    cased_owner: dict[str, str] = {}
    for cid, c in concepts.items():
        for t in c.terms():
            key = compact(normalize(t))
            if key in owner and owner[key] != cid:
                fail(f"name {t!r} of concept {cid!r} is also a name of {owner[key]!r}", where[cid])
            owner[key] = cid
        for a in c.abbreviations:
            if a in cased_owner and cased_owner[a] != cid:
                fail(f"abbreviation {a!r} of concept {cid!r} is also an abbreviation of {cased_owner[a]!r}",
                     where[cid])
            cased_owner[a] = cid
    return concepts


def _branch(type_name: str) -> str | None:
    """The top-level concept class (Condition, Therapy, ...) a type belongs to; those are disjoint."""
    chain = schema.ancestors(type_name)
    return chain[-2] if len(chain) >= 2 else None


def _find_cycle(concepts: dict[str, Concept]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in concepts:
        if state.get(start):
            continue
        path, stack = [], [(start, iter(concepts[start].broader))]
        state[start] = 1
        path.append(start)
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(concepts[nxt].broader)))
    return None


class _Lines:
    """Line numbers of concept entries, computed only when an error is reported."""

    def __init__(self, text: str):
        self.text = text
        self._lines: list[int] | None = None

    def at(self, index: int | None) -> str:
        if index is None:
            return ""
        if self._lines is None:
            try:
                root = yaml.compose(self.text, Loader=_Loader)
                seq = next(v for k, v in root.value if k.value == "concepts")
                self._lines = [node.start_mark.line + 1 for node in seq.value]
            except Exception:  # noqa: BLE001 - line numbers are a courtesy
                self._lines = []
        return f":{self._lines[index]}" if index < len(self._lines) else ""


@lru_cache(maxsize=1)
def default_terminology() -> Terminology:
    """The packaged terminology, loaded once."""
    return Terminology.load()


__all__ = ["Concept", "Terminology", "TerminologyError", "default_terminology", "normalize", "variants",
           "is_acronym", "DEFAULT_PATH"]
