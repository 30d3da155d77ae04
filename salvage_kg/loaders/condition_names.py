"""Disease names the terminology lacks, recognised by their form, as provisional conditions.

A document from a field nobody listed still names its disease the way medicine names diseases: a
tumour word ('neuroblastoma', 'endometrial cancer'), an infection word ('candidiasis',
'candidaemia'), a named epilepsy, or a kind of recurrence ('multifocal recurrence'). A disease state
keeps its state words in its name ('relapsed neuroblastoma', 'drug-resistant epilepsy'); `base_disease`
gives the disease without them, so a reader who asks for the disease finds the state too.
"""
from __future__ import annotations

import re

from .context import M
from .prefilter import prefiltered
from .recognize import slugify

# State words that make a disease state of a disease, not a different disease.
STATE = (r"(?:relapsed|refractory|recurrent|persistent|progressive|metastatic|advanced|invasive|high[- ]risk|"
         r"(?:drug|treatment|therapy|multidrug|pharmaco)[- ]?resistant|intractable|chronic)")
STATE_PREFIX = re.compile(rf"^(?:{STATE}(?:-|\s+(?:(?:and|or|and/or)\s+)?))+", re.I)

# '-oma' words that are not tumours, and '-iasis' words that are not infections
NOT_TUMOURS = {"coma", "aroma", "diploma", "stoma", "stroma", "soma", "glaucoma", "haematoma", "hematoma", "seroma",
               "trachoma", "atheroma", "granuloma", "chromosoma"}
NOT_INFECTIONS = {"psoriasis", "lithiasis", "nephrolithiasis", "cholelithiasis", "urolithiasis", "elephantiasis"}
# Adjectives that do not name an organ or a kind of cancer ('several cancers', 'clinical cancer care')
NOT_ORGANS = {"several", "local", "locoregional", "clinical", "typical", "general", "original", "similar", "particular",
              "specific", "metastatic", "medical", "surgical", "primary", "secondary", "ordinary", "genetic",
              "residual", "initial", "additional", "critical", "practical", "usual", "potential", "actual", "chronic",
              "historic", "systemic", "regional", "distal", "proximal", "terminal", "final", "total", "partial",
              "visible", "invasive", "aggressive", "responsive", "recurrent", "early", "familial", "hereditary",
              "sporadic", "synchronous", "metachronous", "multiple", "single", "solitary", "oligometastatic",
              "their", "your", "other", "any", "every", "each", "new", "second", "bilateral", "unilateral",
              "microscopic", "macroscopic", "archival", "year", "annual", "biochemical", "radiological", "operable",
              "inoperable", "resectable", "unresectable", "curable", "incurable", "common", "rare", "major", "minor"}

_WORD = r"[A-Za-z][a-z]+"
_STATES = rf"(?:{STATE}(?:-|\s+(?:(?:and|or|and/or)\s+)?))*"
TUMOUR_WORD = re.compile(rf"\b{_STATES}(?P<head>[a-z]{{3,}}omas?|leuka?emias?)\b", re.I)
INFECTION_WORD = re.compile(rf"\b{_STATES}(?P<head>[a-z]+(?:iasis|mycosis|mycoses)|"
                            r"(?:bacter|fung|candid|vir|parasit)a?emias?)\b", re.I)
ORGAN_CANCER = re.compile(rf"(?<![-\d])\b{_STATES}(?P<head>(?P<organ>[A-Za-z][a-z]+(?:al|ial|ar|ic|ian|ine|ary|eal))\s+"
                          r"(?:cancers?|carcinomas?|tumou?rs?|neoplasms?|malignanc(?:y|ies)))\b", re.I)
EPILEPSY = re.compile(rf"\b(?P<head>(?:{STATE}|(?:[a-z]+\s+lobe)|generali[sz]ed|focal|partial|"
                      r"[a-z]+-onset)\s+epilepsy|epilepsy)\b", re.I)
# 'multifocal recurrence', 'isolated vaginal recurrence', 'in-field recurrence': where the disease came back
RECURRENCE_KIND = re.compile(r"\b(?P<head>(?:isolated\s+)?(?:[a-z]+(?:focal|al|ar)|in-field|out-of-field|marginal|"
                             r"[A-Za-z0-9]+-(?:negative|positive|avid|occult))\s+(?:recurrences?|relapses?))\b", re.I)
NOT_RECURRENCE_KINDS = {"biochemical", "local", "locoregional", "general", "several", "clinical", "additional",
                        "final", "initial", "potential", "eventual", "actual", "usual", "typical", "original",
                        "historical", "radiological", "serological", "virological", "partial", "total"}

ORGANISATION = re.compile(r"\s+(?:network|society|centre|center|institute|foundation|association|alliance|"
                          r"trust|charity|registry|consortium|collaborative)s?\b",
                          re.I)

# Each form is made of word characters, spaces, hyphens and slashes ('and/or'), and holds a word of its
# head ('oma', 'iasis', 'cancer', 'epilepsy', 'recurrence'): it is searched only in the runs of those
# characters around such a word (prefilter.finditer_around), not at every word of the document.
TUMOUR_WORD, INFECTION_WORD, ORGAN_CANCER, EPILEPSY, RECURRENCE_KIND = map(
    prefiltered, (TUMOUR_WORD, INFECTION_WORD, ORGAN_CANCER, EPILEPSY, RECURRENCE_KIND))
FORM_STRETCH = re.compile(r"[\w\s/-]*")
FORMS = ((TUMOUR_WORD, "Neoplasm"), (INFECTION_WORD, "InfectiousDisease"), (ORGAN_CANCER, "Neoplasm"),
         (EPILEPSY, "Condition"), (RECURRENCE_KIND, "DiseaseState"))


def condition_candidates(text: str, lookup) -> list[M]:
    """Disease names by their form that the terminology (`lookup`: label -> concepts) does not know."""
    out = []
    for rx, type_name in FORMS:
        for hit in rx.finditer_around(text, FORM_STRETCH):
            head = hit.group("head")
            first = head.split()[0].lower()
            if rx in (TUMOUR_WORD, INFECTION_WORD) and not _common_word(text, hit.start("head"), head):
                continue
            if head.lower() in NOT_TUMOURS or head.lower().rstrip("s") in NOT_TUMOURS or head.lower() in NOT_INFECTIONS:
                continue
            if rx is ORGAN_CANCER and hit.group("organ").lower() in NOT_ORGANS:
                continue
            if rx is RECURRENCE_KIND and first in NOT_RECURRENCE_KINDS:
                continue
            if ORGANISATION.match(text, hit.end()):
                continue  # 'Northern Urological Cancer Network': a body's name, not a disease
            name = hit.group(0)
            if lookup(name) or lookup(head):  # a known disease keeps the terminology's reading
                continue
            out.append(M(hit.start(), hit.end(), slugify(_singular(name)), type_name, name))
    return out


def with_conditions(text: str, mentions: list[M], lookup) -> list[M]:
    """`mentions` with the disease names found by form: a name replaces the shorter mentions inside it
    ('relapsed' + 'neuroblastoma'), and gives way to a longer or overlapping known mention."""
    found = sorted(condition_candidates(text, lookup), key=lambda m: (m.start, -m.end))
    taken: list[M] = []
    for m in found:
        if not any(o.start < m.end and m.start < o.end for o in taken):
            taken.append(m)
    kept = []
    for c in taken:
        overlapping = [o for o in mentions if o.start < c.end and c.start < o.end]
        if all(c.start <= o.start and o.end <= c.end and (o.end - o.start) < (c.end - c.start)
               and _is_condition_part(o) for o in overlapping):
            kept.append(c)
    inside = {o for c in kept for o in mentions if c.start <= o.start and o.end <= c.end}
    # 'Northern Urological Cancer Network': a disease word in a body's name names no disease
    named_body = {m for m in mentions if _is_condition_part(m) and m.type != "Biomarker" and ORGANISATION.match(text, m.end)}
    return sorted([m for m in mentions if m not in inside and m not in named_body] + kept,
                  key=lambda m: (m.start, -m.end))


def base_disease(concept: str) -> str | None:
    """The disease of a coined disease state ('relapsed-neuroblastoma' -> 'neuroblastoma'), if it has state words."""
    label = concept.replace("-", " ")
    hit = STATE_PREFIX.match(label)
    if not hit or hit.end() == len(label):
        return None
    return slugify(label[hit.end():])


def _common_word(text: str, start: int, word: str) -> bool:
    """Lower case, or capitalised only to start a sentence or heading: 'Tomas' is a name, not a tumour."""
    if word[:1].islower():
        return True
    before = text[:start].rstrip(" \t*#-")
    return not before or before[-1] in ".!?:\n>\"'("


def _is_condition_part(m: M) -> bool:
    """A mention a disease name may absorb: a condition, state or marker word ('PSMA' in 'PSMA-negative
    recurrence'), not a therapy ('platinum')."""
    return m.type in ("Condition", "Neoplasm", "InfectiousDisease", "DiseaseState", "Biomarker", "Concept")


def _singular(name: str) -> str:
    """A concept is named in the singular ('sarcomas' -> 'sarcoma', 'recurrences' -> 'recurrence')."""
    return PLURAL.sub(lambda w: "y" if w.group(2) else "is" if w.group(3) else "", name)


PLURAL = re.compile(r"(?:(?<=oma)|(?<=emia)|(?<=cancer)|(?<=tumor)|(?<=tumour)|(?<=neoplasm)|(?<=recurrence)|"
                    r"(?<=relapse))(s)$|(?<=malignanc)(ies)$|(?<=mycos)(es)$", re.I)
