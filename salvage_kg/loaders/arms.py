"""Treatment arms: combination regimens named in running text, and the arms a study design lists.

Reports of trials name their arms in a few recurring ways, whatever the field:

* a combination written as one token or joined by "plus"/"+": "BV-ICE", "radiotherapy-plus-ADT",
  "daptomycin + ceftaroline", "pembrolizumab plus GVD". Each becomes one provisional concept
  whose `broader` are its parts, so a value "in the radiotherapy-plus-ADT arm" belongs to the
  combination rather than to whichever part happens to be nearest;
* a generic therapy name standing for the specific one the document is about ("radiotherapy" in
  a report on salvage radiotherapy): the parts are specialised to the document's most frequent
  narrower concept;
* a salvage word inserted into a known regimen name: "bismuth quadruple rescue therapy" is
  bismuth quadruple therapy given as rescue treatment;
* the design sentence: "randomly assigned to X (n = 133) or Y (n = 131)" lists the arms in the
  order the results then report them ("78% versus 63%"), with their sizes.

Nothing here knows a particular drug or document: parts are whatever the terminology (or the
document's own abbreviations) recognise as therapies.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..assertions import ConceptDeclaration, Document, Evidence
from .context import M, is_type
from .recognize import slugify

# What joins two therapy names into one regimen name.
JOIN = re.compile(r"^(?:\s*\+\s*|-|/|-plus-|\s+plus\s+|-and-)$", re.I)
# A salvage word wedged into a regimen name: "<words> rescue therapy".
SALVAGE_WORDS = re.compile(r"^(?:salvage|rescue)\s+(therapy|treatment|regimen|chemotherapy)$", re.I)
DESIGN = re.compile(r"\b(?:randomi[sz]ed|randomly (?:assigned|allocated)|allocated|assigned)\b"
                    r"(?:(?!\bto\b)[^.;])*?\bto\s+", re.I)
ARM_SPLIT = re.compile(r"\s+(?:or|versus|vs\.?|compared with)\s+|;\s+", re.I)
ARM_SIZE = re.compile(r"\(\s*(?:[^()]*?;\s*)?(?:n\s*=\s*(?P<n>\d{1,6})|(?P<m>\d{1,6})\s+(?:patients|men|women|"
                      r"participants|subjects|people|adults|children))\s*\)", re.I)


@dataclass(frozen=True)
class DesignArm:
    """One arm of a study design, in the order the design sentence lists it."""

    mention: M
    size: int | None


def is_therapy(m: M) -> bool:
    """Therapy mentions, including abbreviations a document defines for a regimen the terminology lacks
    (those arrive typed 'Concept')."""
    return is_type(m.type, "Therapy") or m.type == "Concept"


def combination_arms(doc: Document, mentions: list[M], terminology) -> tuple[list[ConceptDeclaration], list[M]]:
    """Combination regimens written as one name ("BV-ICE", "radiotherapy-plus-ADT", "A plus B").

    Returns the provisional concepts to declare (type: the parts' shared class, `broader`: the
    parts) and one mention per occurrence, spanning the whole name. The mentions overlap the parts'
    mentions: use `with_combinations` to put them in place of the parts.

    Wiring (extract.py, after the mention list is complete and before DocumentContext is built)::

        combo_decls, combos = arms.combination_arms(doc, mentions, terminology)
        mentions = arms.with_combinations(mentions, combos)
        declarations.extend(d for d in combo_decls if d.concept not in {x.concept for x in declarations})
    """
    text = doc.text
    therapies = [m for m in mentions if is_therapy(m)]
    counts = Counter(m.concept for m in therapies)
    declared: dict[str, ConceptDeclaration] = {}
    out: list[M] = []
    i = 0
    while i < len(therapies):
        chain = [therapies[i]]
        j = i + 1
        while j < len(therapies) and JOIN.match(text[chain[-1].end:therapies[j].start]) \
                and therapies[j].concept != chain[-1].concept:
            chain.append(therapies[j])
            j += 1
        if len(chain) >= 2 and not _inside_word(text, chain[0].start, chain[-1].end):
            start, end = chain[0].start, chain[-1].end
            surface = text[start:end]
            parts = [_specialise(m.concept, counts, terminology) for m in chain]
            names = [_name(p, m, terminology) for p, m in zip(parts, chain)]
            label = " plus ".join(names)
            compact = " " not in surface and all(_abbrev_like(m.text) for m in chain)
            cid = slugify(surface if compact else label)
            ctype = _shared_type([m.type for m in chain])
            if cid not in declared:
                declared[cid] = ConceptDeclaration(
                    concept=cid, type=ctype, label=label, abbreviations=(surface,) if compact else (),
                    broader=tuple(dict.fromkeys(parts)),
                    evidence=(Evidence(doc.id, start, end, surface),))
            out.append(M(start, end, cid, ctype, surface))
            i = j
        else:
            i += 1
    return list(declared.values()), out


def inserted_salvage(doc: Document, mentions: list[M], terminology) -> list[M]:
    """'bismuth quadruple rescue therapy': a salvage word inside a known regimen name.

    For a mention reading '<salvage|rescue> therapy' preceded by one to three words W such that
    'W therapy' is a known therapy, a mention of that therapy spanning W too. Returned mentions
    overlap the salvage-therapy mention they extend: put them in with `with_combinations`."""
    out = []
    for m in mentions:
        hit = SALVAGE_WORDS.match(m.text)
        if not hit:
            continue
        lead = doc.text[max(0, m.start - 60):m.start]
        for k in (3, 2, 1):
            words = re.search(r"(?:\b[A-Za-z][\w-]*\s+){%d}$" % k, lead)
            if not words:
                continue
            w = words.group(0).strip()
            found = [c for c in terminology.lookup(f"{w} {hit.group(1)}") if is_therapy(M(0, 0, c.id, c.type, ""))]
            if found:
                start = m.start - len(words.group(0))
                out.append(M(start, m.end, found[0].id, found[0].type, doc.text[start:m.end]))
                break
    return out


def with_combinations(mentions: list[M], combos: list[M]) -> list[M]:
    """The mention list with each combination (or extended) mention in place of the mentions it covers."""
    if not combos:
        return mentions
    kept = [m for m in mentions if not any(c.start < m.end and m.start < c.end for c in combos)]
    return sorted(kept + combos, key=lambda m: (m.start, -m.end))


def design_arms(ctx, arm_mentions) -> list[DesignArm]:
    """The arms of the first design sentence ('randomly assigned to X or Y'), in order, with sizes.

    `arm_mentions(view)` gives the therapy mentions of a sentence that may name an arm."""
    for v in ctx.views:
        if v.s.kind in ("heading", "title"):
            continue
        cue = DESIGN.search(v.text)
        if not cue:
            continue
        base = v.s.start + cue.end()
        body = ctx.doc.text[base:v.s.end]
        arms: list[DesignArm] = []
        pos = 0
        for seg in ARM_SPLIT.split(body):
            at = body.find(seg, pos)
            pos = at + len(seg)
            lo, hi = base + at, base + at + len(seg)
            inside = [m for m in arm_mentions(v) if lo <= m.start and m.end <= hi]
            if not inside:
                continue
            size = ARM_SIZE.search(seg)
            n = int(size.group("n") or size.group("m")) if size else None
            arms.append(DesignArm(inside[-1] if _combo_last(inside) else inside[0], n))
        if len(arms) >= 2:
            return arms
    return []


def _combo_last(inside: list[M]) -> bool:
    return any(" plus " in m.text or "-" in m.text or "+" in m.text for m in inside[-1:]) and len(inside) > 1


def _inside_word(text: str, start: int, end: int) -> bool:
    """The joined name is part of a longer hyphenated word ('PSMA-PET-guided')."""
    before = text[start - 1:start] if start else ""
    after = text[end:end + 1]
    return before in ("-", "/") or after in ("-", "/")


def _abbrev_like(text: str) -> bool:
    return len(text) <= 6 and any(c.isupper() for c in text[1:] or text)


def _specialise(concept: str, counts: Counter, terminology) -> str:
    """A generic part ('radiotherapy') stands for the narrower therapy the document mentions most."""
    narrower = Counter()
    for other, n in counts.items():
        if other == concept:
            continue
        try:
            if concept in terminology.ancestors(other) and _is_salvage_form(other, terminology):
                narrower[other] += n
        except KeyError:
            continue
    if not narrower or _is_salvage_form(concept, terminology):
        return concept
    best = narrower.most_common()
    if len(best) > 1 and best[0][1] == best[1][1]:
        return concept
    return best[0][0]


def _is_salvage_form(concept: str, terminology) -> bool:
    try:
        return "salvage-therapy" in terminology.ancestors(concept) or "salvage" in concept or "rescue" in concept
    except KeyError:
        return False


def _name(concept: str, m: M, terminology) -> str:
    c = terminology.concepts.get(concept)
    if c is None:
        return m.text
    return c.label


def _shared_type(types: list[str]) -> str:
    from ..ontology.schema import ancestors

    known = [ancestors(t) for t in types if t != "Concept"]
    if not known:
        return "Therapy"
    for t in known[0]:
        if all(t in a for a in known[1:]):
            return t if t != "Concept" else "Therapy"
    return "Therapy"
