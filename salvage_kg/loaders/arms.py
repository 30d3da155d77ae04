"""Treatment arms: combination regimens named in running text, and the arms a study design lists.

Reports of trials name their arms in a few recurring ways, whatever the field:

* a combination written as one token or joined by "plus"/"+": "BV-ICE", "radiotherapy-plus-ADT",
  "daptomycin + ceftaroline", "pembrolizumab plus GVD". Each becomes one provisional concept
  whose `broader` are its parts, so a value "in the radiotherapy-plus-ADT arm" belongs to the
  combination rather than to whichever part happens to be nearest;
* a generic therapy name standing for the specific one the document is about ("radiotherapy" in
  a report on salvage radiotherapy): the parts are specialised to the document's most frequent
  narrower concept;
* a drug list glossed by an abbreviation: "daratumumab, carfilzomib and dexamethasone (DKd)",
  "isatuximab with carfilzomib and dexamethasone (Isa-Kd)": the letters name the regimen, which is
  one therapy wherever the abbreviation recurs;
* two drugs given together: "encorafenib with cetuximab", "enzalutamide combined with leuprolide";
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
from dataclasses import dataclass, replace

from ..assertions import ConceptDeclaration, Document, Evidence
from .context import M, is_type
from .prefilter import prefiltered
from .recognize import slugify

# What joins two therapy names into one regimen name.
JOIN = re.compile(r"^(?:\s*\+\s*|-|/|-plus-|\s+plus\s+|-and-)$", re.I)
# What joins two drugs given together ("encorafenib with cetuximab"); not a comparison ("compared A with B").
DRUG_JOIN = re.compile(r"^\s+(?:with|combined with|in combination with)\s+$", re.I)
# "the combination of ipilimumab and nivolumab", "dabrafenib and trametinib combined": 'and' joins a named combination
COMBINATION_OF = re.compile(r"\b(?:combination|combined treatment|combined therapy|doublet)\s+(?:of|with)\s+(?:the\s+)?$",
                            re.I)
AND_GAP = re.compile(r"^\s+and\s+$", re.I)
# A class of treatment written as one common word ("chemotherapy", "chemoimmunotherapy"): "<class> with <drug>"
# says which member is given, it does not add the drug to the class
CLASS_NAME = re.compile(r"^[a-z]+therapy$")
COMPARING = re.compile(r"\b(?:compar\w*|versus|vs\.?|switch\w*|replac\w*|from)\s+(?:\S+\s+){0,3}$", re.I)
# The items of a drug list: "A, B and C", "A with B and C", "A plus B".
LIST_JOIN = re.compile(r"^(?:,\s*(?:and\s+)?|\s+(?:and|with|plus)\s+|\s*[+/]\s*|-)$", re.I)
GLOSS = re.compile(r"\s*\(([A-Za-z][A-Za-z0-9-]{1,9})\)")
# A salvage word wedged into a regimen name: "<words> rescue therapy".
SALVAGE_WORDS = re.compile(r"^(?:salvage|rescue)\s+(therapy|treatment|regimen|chemotherapy)$", re.I)
DESIGN = re.compile(r"\b(?:randomi[sz]ed|randomly (?:assigned|allocated)|allocated|assigned)\b"
                    r"(?:(?!\bto\b)[^.;])*?\bto\s+", re.I)
DESIGN = prefiltered(DESIGN)  # skips text without the words it needs
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
        while j < len(therapies) and _joined(text, chain, therapies[j]) \
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
            slashed = all(text[a.end:b.start] == "/" for a, b in zip(chain, chain[1:]))
            cid = slugify(surface if compact or slashed else label)  # "sofosbuvir/velpatasvir": the name as written
            ctype = _shared_type([m.type for m in chain])
            written = " ".join(surface.split())
            if cid not in declared:
                # the name as written ("RT plus ADT") is an alternative label of the combination
                declared[cid] = ConceptDeclaration(
                    concept=cid, type=ctype, label=label,
                    abbreviations=(surface,) if compact else ((written,) if written.lower() != label else ()),
                    broader=tuple(dict.fromkeys(parts)),
                    evidence=(Evidence(doc.id, start, end, surface),))
            elif not compact and written.lower() != label and written not in declared[cid].abbreviations:
                declared[cid] = replace(declared[cid], abbreviations=declared[cid].abbreviations + (written,))
            out.append(M(start, end, cid, ctype, surface))
            i = j
        else:
            i += 1
    glossed_decls, glossed = abbreviated_regimens(doc, mentions, terminology)
    if glossed:
        out = [m for m in out if not any(g.start < m.end and m.start < g.end for g in glossed)] + glossed
        declared.update((d.concept, d) for d in glossed_decls if d.concept not in declared)
    return list(declared.values()), sorted(out, key=lambda m: (m.start, -m.end))


def _joined(text: str, chain: list[M], nxt: M) -> bool:
    """Whether `nxt` continues the regimen name `chain` ends with."""
    gap = text[chain[-1].end:nxt.start]
    if JOIN.match(gap):
        return True
    if AND_GAP.match(gap) and len(chain) == 1 and COMBINATION_OF.search(text, max(0, chain[0].start - 40), chain[0].start):
        return True
    return bool(DRUG_JOIN.match(gap) and is_type(chain[-1].type, "SystemicTherapy")
                and not CLASS_NAME.match(chain[-1].text)  # "chemoimmunotherapy with R-ICE" names the regimen
                and is_type(nxt.type, "SystemicTherapy")
                and not COMPARING.search(text[max(0, chain[0].start - 40):chain[0].start]))


def abbreviated_regimens(doc: Document, mentions: list[M], terminology) -> tuple[list[ConceptDeclaration], list[M]]:
    """'daratumumab, carfilzomib and dexamethasone (DKd)': a list of two or more drugs glossed by an
    abbreviation is one regimen (its letters may come from brand names: 'K' for carfilzomib); every
    later use of the abbreviation names it too. Returns the regimens to declare and their mentions (list with its
    gloss, and each later abbreviation), which overlap the parts' mentions."""
    text = doc.text
    therapies = [m for m in mentions if is_therapy(m)]
    declared: dict[str, ConceptDeclaration] = {}
    out: list[M] = []
    for i, last in enumerate(therapies):
        gloss = GLOSS.match(text, last.end)
        if not gloss or not any(c.isupper() for c in gloss.group(1)):
            continue
        parts = [last]
        for prev in reversed(therapies[:i]):
            if not LIST_JOIN.match(text[prev.end:parts[0].start]):
                break
            parts.insert(0, prev)
        short = gloss.group(1)
        parts = _glossed_parts(parts, short)
        ctype = _regimen_type(parts, terminology) if parts else None
        if ctype is None:
            continue
        start, end = parts[0].start, gloss.end()
        long_form = text[start:last.end]
        cid = slugify(long_form)
        if cid not in declared and not any(m.concept == cid and m.start > end for m in mentions):
            declared[cid] = ConceptDeclaration(
                concept=cid, type=ctype, label=re.sub(r"\s+", " ", long_form.lower()), abbreviations=(short,),
                broader=tuple(dict.fromkeys(m.concept for m in parts if len(parts) > 1)),
                evidence=(Evidence(doc.id, start, end, text[start:end]),))
        out.append(M(start, end, cid, ctype, text[start:end]))
        for use in re.finditer(r"(?<![\w-])%s(?![\w-])" % re.escape(short), text[end:]):
            out.append(M(end + use.start(), end + use.end(), cid, ctype, short))
    return list(declared.values()), out


def _glossed_parts(parts: list[M], short: str) -> list[M]:
    """The drugs an abbreviation stands for, from the end of a list ('after bortezomib, carfilzomib,
    pomalidomide and dexamethasone (KPd)' glosses the last three): as many drugs as the abbreviation
    has letter groups ('Isa-Kd': Isa, K, d), else the longest run whose first drug gives the first letter."""
    if len(parts) == 1 or parts[-1].type == "Concept":
        return parts[-1:]  # a long form the document's own abbreviation already made one mention
    groups = len(re.findall(r"[A-Z][a-z]{2,}|[A-Z]|[a-z]", short))
    if 2 <= groups <= len(parts):
        return parts[-groups:]
    for k in range(len(parts), 1, -1):
        if parts[-k].text[:1].lower() == short[:1].lower():
            return parts[-k:]
    return []


def _regimen_type(parts: list[M], terminology) -> str | None:
    """The class of a drug list: its parts' shared class when all are drugs. A long form the document's
    abbreviation already made one mention ('A, B and C' typed Concept) is split to check its parts."""
    if len(parts) == 1:
        if parts[0].type != "Concept" or not re.search(r",|\band\b|\bwith\b", parts[0].text):
            return None
        names = [n for n in re.split(r",\s*(?:and\s+)?|\s+(?:and|with|plus)\s+", parts[0].text) if n.strip()]
        if any(" " in n.strip() and not terminology.lookup(n) for n in names):
            return None  # an unknown part of several words: not a plain list of drug names
        types = [c.type for n in names for c in terminology.lookup(n)[:1]]  # unknown single words: new drugs
    else:
        types = [m.type for m in parts]
    if len(types) < 2 or not all(t and is_type(t, "SystemicTherapy") for t in types):
        return None
    return _shared_type(types)


LAST_WORDS = {k: re.compile(r"(?:\b[A-Za-z][\w-]*\s+){%d}$" % k) for k in (1, 2, 3)}  # the k words before the end


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
            words = LAST_WORDS[k].search(lead)
            if not words:
                continue
            w = words.group(0).strip()
            found = [c for c in terminology.lookup(f"{w} {hit.group(1)}") if is_therapy(M(0, 0, c.id, c.type, ""))]
            if found:
                start = m.start - len(words.group(0))
                out.append(M(start, m.end, found[0].id, found[0].type, doc.text[start:m.end]))
                break
    return out


# A qualifier that makes a therapy a distinct variant: how much of the organ it treats, that it is done again.
EXTENT_QUALIFIER = re.compile(r"\b(?:(?:whole|hemi|partial|total|sub-?total)[- ](?:gland|lung|brain|pelvi[cs]|"
                              r"abdomen|abdominal|body|breast|liver|bladder|organ)|repeat(?:ed)?|redo)[- ]+$", re.I)
# A dose level names a variant of a modality ("low-dose radiotherapy"); of a single drug it is just its dosing.
DOSE_QUALIFIER = re.compile(r"\b(?:(?:very[- ])?(?:high|low|reduced|escalated)[- ]dose|dose[- ](?:escalated|"
                            r"intensified|de-?escalated))[- ]+$", re.I)
# The field of a radiotherapy ("pelvic radiotherapy", "pelvic nodal irradiation") names a variant of it too.
SITE_QUALIFIER = re.compile(r"\b(?:pelvic(?:[- ]nodal)?|whole[- ]pelvis|prostate[- ]bed|nodal|extended[- ]field|"
                            r"involved[- ](?:field|site|node)|craniospinal|hemibody|chest[- ]wall|spinal|"
                            r"whole[- ]brain)[- ]+$", re.I)
MODALITY = re.compile(r"(?:therapy|treatment|radiation|irradiation|ablation|ectomy|surgery|resection|transplant"
                      r"(?:ation)?)$", re.I)


def qualified_variants(doc: Document, mentions: list[M], terminology) -> tuple[list[ConceptDeclaration], list[M]]:
    """'hemi-gland cryoablation', 'whole-lung irradiation', 'repeat resection', 'dose-escalated radiotherapy':
    a therapy named with the extent, repetition or dose level of a study arm or option is that variant, not the
    broader therapy. Returns provisional concepts (`broader`: the plain therapy) and mentions spanning the
    qualifier; known variants ('high-dose chemotherapy') are matched by the terminology before this runs."""
    declared: dict[str, ConceptDeclaration] = {}
    found_variants: list[tuple[M, str, str]] = []  # (mention, qualifier, base concept)
    for m in mentions:
        if not is_type(m.type, "Therapy"):
            continue
        lead = doc.text[max(0, m.start - 30):m.start]
        hit = EXTENT_QUALIFIER.search(lead)
        if hit is None and MODALITY.search(m.text):
            hit = DOSE_QUALIFIER.search(lead)
        if hit is None and is_type(m.type, "Radiotherapy") and "salvage" not in m.concept:
            hit = SITE_QUALIFIER.search(lead)  # (a salvage course names its own field)
        if hit is None:
            continue
        start = m.start - (len(lead) - hit.start())
        surface = doc.text[start:m.end]
        qualifier = re.sub(r"[\s-]+", " ", hit.group(0).strip(" -").lower())
        label = re.sub(r"\s+", " ", surface.lower() if not m.text.isupper() else
                       surface[:m.start - start].lower() + m.text)
        found = [c for c in terminology.lookup(label) if is_type(c.type, "Therapy")]
        cid = found[0].id if found else slugify(label)
        if not found and cid not in declared:
            declared[cid] = ConceptDeclaration(concept=cid, type=m.type, label=label, broader=(m.concept,),
                                               evidence=(Evidence(doc.id, start, m.end, surface),))
        found_variants.append((M(start, m.end, cid, m.type, surface), qualifier, m.concept))
    out = [_fuller_variant(v, found_variants, terminology) for v in found_variants]
    used = {m.concept for m in out}
    return [d for cid, d in declared.items() if cid in used], out


def _fuller_variant(variant: tuple[M, str, str], variants: list[tuple[M, str, str]], terminology) -> M:
    """'repeat focal HIFU ... after repeat HIFU': a shorter name of a variant refers back to the fuller one
    (same qualifier, narrower therapy) the document uses."""
    m, qualifier, base = variant
    for other, other_qualifier, other_base in variants:
        if other_qualifier == qualifier and other_base != base and other_base in terminology.concepts \
                and base in terminology.ancestors(other_base):
            return M(m.start, m.end, other.concept, other.type, m.text)
    return m


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
            if not inside:  # 'relapsing after X were randomised to Y or X': what follows 'to' is an arm all the same
                inside = [m for m in v.mentions if is_therapy(m) and lo <= m.start and m.end <= hi]
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
