"""Criteria stated without a named parameter followed by its value.

Besides ages ("aged 18 to 70") and counts ("three or more prior lines"), definitions and eligibility
text often give a threshold as a time window ("relapse within 12 months of
first complete remission": time since that event), as a share of cells ("fewer than 5% blasts in the
marrow", "50% or more marrow blasts") or as a population left out ("patients with X were excluded, as
were those with Y"). measures.py calls `phrase_criteria` for every sentence, and asks `lesion_sizes`
for the size parameters a lesion noun names ("a tumour of 5 cm or less") and `denied_bound` whether a
bound is one no lesion may pass ("no node larger than 7 cm"). `measured_noun_phrases` names what a bound with
a unit measures ("a CT density above 1,000 Hounsfield units"), and `absent_if` reads conditions that must be
absent ("if you have no pain or infection, ...").
"""
from __future__ import annotations

import re

from ..assertions import Criterion
from . import patterns as p
from .context import M
from .prefilter import prefiltered
from .recognize import slugify

NUM = p.NUM
WORDS = p.WORD_NUM_RX

# A sentence that defines a term: "X is defined as", "X refers to", "By X they meant", "**X**: ...".
DEFINING = re.compile(r"\b(?:defined as|refers? to|means|meant|is called|are called)\b|"
                      r"^\W*\*\*[^*]{2,60}\*\*\s*[:—–-]", re.I)
# "within 60 days of the last dose", "within 3 months of, the end of radiotherapy": the window ends at a
# punctuation mark, at "of each/all/these", or at a conjunction or preposition that starts a new phrase.
WITHIN_OF = re.compile(
    rf"\bwithin\s+(?P<v>{NUM}|{WORDS})\s+(?P<u>days?|weeks?|months?|years?)\s+of,?\s+(?:the\s+)?"
    rf"(?P<event>(?!(?:it|this|that|them|treatment|therapy)\b)[a-z][\w-]*"
    rf"(?:\s+(?!of\s+(?:each|all|these|the|any)\b|and\b|or\b|with\b|in\b|by\b|from\b|for\b|at\b|while\b)"
    rf"[\w-]+){{0,3}}?)(?=\s*(?:[,.;:)]|$)|\s+(?:of\s+(?:each|all|these|the|any)|and|or|with|in|by|from|for|at|"
    rf"while)\b)", re.I)
# A share of cells: "fewer than 5% blasts", "50% or more marrow blasts", "below 0.01% leukaemic cells".
CELL_NOUN = r"(?:blasts|cells|plasma cells|lymphocytes|neutrophils|eosinophils|myeloblasts)"
PERCENT_BOUND = re.compile(
    rf"(?:(?P<cmp>fewer than|less than|more than|greater than|at least|below|under|above|over|<|>|≤|≥)\s*"
    rf"(?P<v>{NUM})\s*%|(?P<v2>{NUM})\s*%\s*(?P<cmp2>or (?:more|greater|higher|fewer|less|lower)))\s+"
    rf"(?P<np>(?:(?!of\b|in\b|and\b|or\b)[a-z][\w-]*\s+){{0,2}}?{CELL_NOUN})\b", re.I)
# "Patients with X were excluded, as were those with Y", "Patients with X or with Y were not operated on".
LEFT_OUT = re.compile(
    r"\b(?:patients|men|women|people|participants|subjects|adults|children)\s+with\s+(?P<np>[^.;]{3,90}?)\s+"
    r"(?:were|was|are)\s+(?:excluded|ineligible|not eligible|not (?:operated on|treated|offered|included))"
    r"(?:,?\s+as\s+were\s+(?:those|patients|men|women|people)\s+with\s+(?P<np2>[^.;,]{3,80}))?|"
    # "We excluded men with any previous hormonal therapy and men with a history of seizures"
    r"\b(?:we|they|the (?:trial|study))\s+excluded\s+(?:patients|men|women|people|participants|adults|children|"
    r"those)\s+with\s+(?P<np3>[^.;]{3,120})|"
    # "Exclusion criteria were pN1 disease, previous pelvic radiotherapy and any previous hormone therapy"
    r"\bexclusion\s+criteria\s+(?:were|was|are|included)\s*:?\s+(?P<np4>[^.;:]{3,200})|"
    # "Prior BCMA-directed therapy and active CNS disease were exclusions": the sentence's subject is the list
    r"(?:^|;\s*)(?:[-*•]\s*)?(?P<np5>[^.;:]{3,200}?)\s+(?:were|was|are|is)\s+(?:also\s+)?"
    r"(?:(?:further|other|additional)\s+)?(?:exclusions|exclusion\s+criteria|an\s+exclusion(?:\s+criterion)?)\b", re.I)
LISTS = ("np4", "np5")  # groups that are lists of their own: a last "and" joins two items
ITEM_SPLIT = re.compile(r",\s*(?:or\s+|and\s+)?(?:with\s+)?|\s+or\s+with\s+|\s+and\s+with\s+|"
                        r",?\s+(?:and|or)\s+(?:patients|men|women|people|participants|adults|children|those)\s+with\s+",
                        re.I)
TRAILING_CONTEXT = re.compile(r"\s+(?:at|during|after|before|on|by|in)\s+(?:relapse|baseline|diagnosis|entry|the time|"
                              r"screening|enrolment|enrollment|randomi[sz]ation)\b.*$", re.I)
# Ages and counts: "aged 18 to 70 years", "three or more active agents", "after three failed lines".
AGE = re.compile(
    rf"\baged?\s+(?:(?:between|from)\s+)?(?P<v>\d{{1,3}})\s*(?:-|–|to|and)\s*(?P<v2>\d{{1,3}})\s*(?:years?)?|"
    rf"\baged?\s+(?P<v3>\d{{1,3}})\s*(?:years?\s*)?(?P<cmp>(?:or|and) (?:older|over|above|more|younger|under|below))|"
    rf"\b(?:aged?|older|younger)\s+(?P<cmp2>over|above|under|below|than|≥|≤|>|<)\s+(?P<v4>\d{{1,3}})|"
    # "fit men under 70": people over or under a bare number are that old
    rf"\b(?:men|women|patients|people|adults|persons|those)\s+(?:who are\s+|aged\s+)?(?P<cmp5>under|over|below|above)\s+"
    rf"(?P<v5>\d{{2,3}})\b(?!\.\d|\s*[%/]|\s*(?:ng|mg|kg|ml|cm|mm|months?|weeks?|days?|hours?)\b)|"
    # "(18 years or older)", "65 years of age or younger": older/younger say the years are an age
    rf"\b(?P<v6>\d{{1,3}})\s*years?\s+(?:of\s+age\s+)?(?:or|and)\s+(?P<cmp6>older|younger)\b", re.I)
COUNT_HEADS = (r"drugs|agents|medications|medicines|regimens|lines(?: of (?:therapy|treatment))?|courses|nodes|"
               r"lymph nodes|lesions|metastases|tumou?rs|treatments|therapies|attempts|"
               r"recurrences|relapses|episodes|instillations|exacerbations?|attacks?|flares?|seizures?|admissions?|"
               r"hospitali[sz]ations?|infections|lesion|biologics|antidepressants|antipsychotics")
FAILED_HEADS = re.compile(r"^(?:regimens|lines(?: of \w+)?|courses|treatments|therapies|attempts)$", re.I)
COUNT = re.compile(
    rf"\b(?P<cmp>at least|no more than|not more than|no fewer than|more than|fewer than|less than|up to|"
    rf"a minimum of|a maximum of)\s+(?P<n>\d{{1,2}}|{WORDS})(?:,?\s+(?:and|or)\s+(?:ideally|preferably|optimally|"
    rf"possibly)\s+(?:\d{{1,2}}|{WORDS}),?)?\s+(?P<np>(?:(?!(?:and|or|of|the|with)\b)[\w-]+\s+){{0,3}}?"
    rf"(?P<head>{COUNT_HEADS}))\b(?P<failed>\s+(?:\w+\s+){{0,2}}?(?:had|have|has)\s+(?:already\s+)?failed)?|"
    rf"\b(?P<n2>\d{{1,2}}|{WORDS})\s+or\s+(?P<cmp2>more|fewer|less)\s+(?P<np2>(?:(?!(?:and|or|of|the|with)\b)"
    rf"[\w-]+\s+){{0,3}}?(?P<head2>{COUNT_HEADS}))\b(?P<failed2>\s+(?:had|have|has)\s+(?:already\s+)?failed)?|"
    rf"\bafter\s+(?P<n3>\d{{1,2}}|{WORDS})\s+(?:or more\s+)?(?:previous\s+|prior\s+|consecutive\s+)?failed\s+"
    rf"(?P<head3>regimens|courses|lines(?: of (?:therapy|treatment))?|treatments|therapies|attempts)\b", re.I)
WITHIN_OF, PERCENT_BOUND, LEFT_OUT, COUNT, AGE = map(prefiltered, (WITHIN_OF, PERCENT_BOUND, LEFT_OUT, COUNT, AGE))


def phrase_criteria(ctx, v, therapy, coin) -> list[Criterion]:
    """Every criterion of this module's kinds in the sentence; `coin(cid, type, label, start, end)`
    declares a concept the document names but the terminology lacks."""
    return (_time_windows(ctx, v, therapy, coin) + _cell_shares(ctx, v, therapy, coin) +
            _left_out(ctx, v, therapy, coin) + rises_above_nadir(ctx, v, therapy, coin))


def without_claimed_values(criteria: list[Criterion]) -> list[Criterion]:
    """Drop a level criterion whose number a rise above the nadir already claims ('a PSA rise of 2 ng/mL
    above the nadir' is not 'PSA >= 2 ng/mL')."""
    rises = {(c.value, c.unit) for c in criteria if c.parameter.endswith(RISE_SUFFIX)}
    return [c for c in criteria if c.parameter.endswith(RISE_SUFFIX) or (c.value, c.unit) not in rises]


def _time_windows(ctx, v, therapy, coin) -> list[Criterion]:
    """'Early relapse refers to relapse within 12 months of first complete remission': in a definition, a
    window after an event bounds the time since it."""
    if "within" not in v.text or not DEFINING.search(v.text):
        return []
    out = []
    for hit in WITHIN_OF.finditer(v.text):
        event = re.sub(r"\s+", " ", hit.group("event")).lower()
        phrase = f"time since {event}"
        cid = slugify(phrase)
        start = v.s.start + hit.start()
        if cid not in ctx.term.concepts:
            coin(cid, "ClinicalParameter", phrase, start, v.s.start + hit.end())
        unit = p.unit_code(hit.group("u"))
        value = p.number_any(hit.group("v"))
        out.append(_crit(v, therapy, cid, "<=", value, unit,
                         f"{phrase} <= {value:g} {p.UNIT_LABELS.get(unit, unit)}"))
    return out


def _cell_shares(ctx, v, therapy, coin) -> list[Criterion]:
    """'fewer than 5% blasts in the bone marrow', 'patients with 50% or more marrow blasts'."""
    if "%" not in v.text:
        return []
    out = []
    for hit in PERCENT_BOUND.finditer(v.text):
        np_ = re.sub(r"\s+", " ", hit.group("np")).lower()
        lo, hi = v.s.start + hit.start("np"), v.s.start + hit.end("np")
        known = [m for m in v.mentions if lo <= m.start and m.end <= hi and
                 (ctx.is_a(m, "Biomarker") or ctx.is_a(m, "ClinicalParameter"))]
        cid = known[0].concept if known and known[0].end - known[0].start >= hi - lo - 1 else slugify(np_)
        if cid not in ctx.term.concepts:
            coin(cid, "ClinicalParameter", np_, lo, hi)
        if hit.group("cmp"):
            word = hit.group("cmp").lower()
            symbol = p.comparator(word) or {"fewer than": "<", "below": "<", "under": "<", "above": ">",
                                            "over": ">"}.get(word, ">")
            value = p.number(hit.group("v"))
        else:
            symbol = ">=" if hit.group("cmp2").lower().split()[-1] in ("more", "greater", "higher") else "<="
            value = p.number(hit.group("v2"))
        out.append(_crit(v, therapy, cid, symbol, value, "%", f"{np_} {symbol} {value:g}%"))
    return out


COUNTED = re.compile(r"\b(?:(?:more|fewer|less|greater) than|at (?:least|most)|up to)\b", re.I)


def _left_out(ctx, v, therapy, coin) -> list[Criterion]:
    """'Patients with Philadelphia chromosome-positive disease were excluded, as were those with CNS
    involvement at relapse', 'Exclusion criteria were X, Y and Z': each population left out is a condition
    that must be absent, the concept the terminology knows by that name or one coined from its words."""
    out = []
    for hit in LEFT_OUT.finditer(v.text):
        for group in ("np", "np2", "np3", "np4", "np5"):
            if not hit.group(group):
                continue
            pos = hit.start(group)
            items = ITEM_SPLIT.split(hit.group(group))
            if group in LISTS:
                items = [part for item in items for part in _last_and(item)]
            for item in _alternatives(ctx, v, items, pos):
                at = v.text.find(item, pos)
                pos = at + len(item)
                for name in _distributed(item):
                    found = _absent_population(ctx, v, therapy, coin, name, at, at + len(item))
                    if found:
                        out.append(found)
    return out


def _absent_population(ctx, v, therapy, coin, item: str, at: int, end: int) -> Criterion | None:
    """The condition one item of a list of populations left out names; `at`..`end`: the item in the sentence."""
    name = TRAILING_CONTEXT.sub("", item).strip()
    name = re.sub(r"^(?:a|an|the|any)\s+", "", name, flags=re.I)
    name = re.sub(r"(?<=\w)\s+courses?$", "", name, flags=re.I)  # "a prior pelvic radiotherapy course"
    if not name or len(name.split()) > 7 or re.search(r"(?<![\w-])\d", name) or COUNTED.search(name):
        return None  # "more than three progressing lesions", "a WHO status of 2 or more": bounds, read elsewhere
    inside = v.text.find(name, at)
    lo = v.s.start + (inside if 0 <= inside < end else at)  # a distributed name is no substring: the item's span
    hi = lo + len(name) if 0 <= inside < end else v.s.start + end
    known = [m for m in v.mentions if lo <= m.start and m.end <= hi and not ctx.is_a(m, "Therapy")]
    if known and known[0].end - known[0].start >= len(name) - 2:
        cid = known[0].concept
    else:
        name = re.sub(r"\b(and|or)\s+(?:the|a|an)\s+", r"\1 ", name)  # "the aorta or the airway"
        cid = slugify(name.lower())
        coin(cid, "Condition", name.lower(), lo, hi)
    return Criterion(therapy=therapy, parameter=cid, negated=True, label=f"no {name}", evidence=(v.evidence(),))


def _last_and(item: str) -> list[str]:
    """'inflammatory bowel disease and any previous hormone therapy' ends a list with two items; 'bladder and
    bowel toxicity' (one word before 'and') is one."""
    head, sep, rest = item.rpartition(" and ")
    if sep and len(head.split()) >= 2 and len(rest.split()) >= 2:
        return [head, rest]
    return [item]


# Words that qualify a noun rather than name one: the shared head of "pelvic nodal or distant uptake"
MODIFIER = re.compile(r"(?:[\w-]+(?:al|ic|ed|ous|ive|ar|ary|ant|ent|ile)|bone|liver|lung|brain|skin|bowel|bladder)$",
                      re.I)
SITE = re.compile(r"bone|bony|visceral|liver|hepatic|lung|pulmonary|brain|nodal|distant|pelvic|extrapelvic|skin|"
                  r"adrenal|peritoneal|spinal|soft-tissue", re.I)
DISTRIBUTIVE = re.compile(r"^(?P<a>[\w-]+(?:\s+[\w-]+)?)\s+or\s+(?P<b>[\w-]+)\s+(?P<head>[\w-]+(?:\s+[\w-]+){0,2})$",
                          re.I)


def _distributed(item: str) -> list[str]:
    """'untreated or symptomatic brain metastases' is 'untreated brain metastases' and 'symptomatic brain
    metastases'; 'bone or visceral lesions' is 'bone lesions' and 'visceral lesions'. Only where the words
    before 'or' all qualify (one word, or modifiers): 'a fistula or prior pelvic surgery' names two things."""
    name = re.sub(r"^(?:a|an|the|any)\s+", "", item.strip(), flags=re.I)
    hit = DISTRIBUTIVE.match(name)
    if not hit or "metasta" in hit.group("head").lower() and SITE.fullmatch(hit.group("b")):
        return [item]  # "bone or visceral metastases": metastatic disease, read as one by the metastasis rule
    left = hit.group("a").split()
    if len(left) > 1 and not all(MODIFIER.match(w) for w in left) or not MODIFIER.match(left[-1]):
        return [item]
    head = hit.group("head")
    return [f"{hit.group('a')} {head}", f"{hit.group('b')} {head}"]


def _alternatives(ctx, v, items: list[str], pos: int) -> list[str]:
    """'a rectourethral fistula or prior pelvic surgery' is two populations when the words before 'or' are one
    known concept; 'the aorta or airway' stays one. `pos`: where in the sentence the items begin."""
    out = []
    for item in items:
        head, sep, rest = item.partition(" or ")
        name = re.sub(r"^(?:a|an|the)\s+", "", head.strip(), flags=re.I)
        at = v.text.find(head, pos)
        pos = at + len(item) if at >= 0 else pos
        lo = v.s.start + at + (len(head.strip()) - len(name)) if at >= 0 else -1
        whole = [m for m in v.mentions if m.start == lo and m.end == lo + len(name) and not ctx.is_a(m, "Therapy")]
        out.extend([head, rest] if sep and whole and rest.strip() else [item])
    return out


def subgroup_of_result(ctx, v, outcomes) -> bool:
    """'For men whose PSA was under 4 ng/mL, the three-year figure was 82%': a threshold that only marks out
    the subgroup a result is reported for, in a sentence that neither recommends nor sets eligibility nor
    defines the result ('57% were free of recurrence, meaning a PSA below 0.2 ng/mL')."""
    if PRESCRIPTIVE.search(v.text) or p.strength(v.text):
        return False
    return bool(outcomes or RESULT_VALUE.search(v.text))


PRESCRIPTIVE = re.compile(r"\b(?:should|must|recommend\w*|offer\w*|consider\w*|eligib\w*|criteri\w*|candidates?|"
                          r"required|needs? to|suitable|indicated|reserved?|defined|refers?|means|meaning|i\.e\.)\b", re.I)
RESULT_VALUE = re.compile(rf"\b(?:was|were)\s+(?:about\s+|approximately\s+|only\s+)?{NUM}\s*%")
RESULT_VALUE = prefiltered(RESULT_VALUE)


def ages(v, therapy) -> list[Criterion]:
    """'aged 18 to 70 years', 'aged 75 or older', '(18 years or older)', 'older than 65'."""
    out = []
    for hit in AGE.finditer(v.text):
        if hit.group("v"):
            lo, hi = float(hit.group("v")), float(hit.group("v2"))
            if not lo < hi:
                continue
            out.append(_crit_range(v, therapy, "age", "range", lo, hi, "a", f"age {lo:g}-{hi:g} years"))
        elif hit.group("v3") or hit.group("v6"):  # "aged 75 or older", "(18 years or older)"
            years = hit.group("v3") or hit.group("v6")
            word = (hit.group("cmp") or hit.group("cmp6")).lower().split()[-1]
            symbol = "<=" if word in ("younger", "under", "below") else ">="
            out.append(_crit_range(v, therapy, "age", symbol, float(years), None, "a", f"age {symbol} {years} years"))
        elif hit.group("v5"):
            symbol = "<" if hit.group("cmp5").lower() in ("under", "below") else ">"
            out.append(_crit_range(v, therapy, "age", symbol, float(hit.group("v5")), None, "a",
                                   f"age {symbol} {hit.group('v5')} years"))
        else:
            word = hit.group("cmp2").lower()
            lead = hit.group(0).split()[0].lower()
            if word == "than":
                symbol = ">" if lead == "older" else "<"
            else:
                symbol = p.comparator(word) or "="
            out.append(_crit_range(v, therapy, "age", symbol, float(hit.group("v4")), None, "a",
                             f"age {symbol} {hit.group('v4')} years"))
    return out


def counts(ctx, v, therapy, coin) -> list[Criterion]:
    """'three or more active agents', 'fewer than 4 lesions', 'after three failed lines'."""
    out = []
    for hit in COUNT.finditer(v.text):
        if hit.group("n3"):
            n, symbol, np_, failed = hit.group("n3"), ">=", hit.group("head3"), True
        elif hit.group("n2"):
            n, np_, failed = hit.group("n2"), hit.group("np2"), bool(hit.group("failed2"))
            symbol = ">=" if hit.group("cmp2").lower() == "more" else "<="
        else:
            n, np_, failed = hit.group("n"), hit.group("np"), bool(hit.group("failed"))
            symbol = p.comparator(hit.group("cmp")) or ("<=" if hit.group("cmp").lower().endswith("maximum of")
                                                        else ">=")
        np_ = np_.strip()
        head = np_.split()[-1] if np_ else ""
        bare = re.sub(r"^(?:\w+\s+)*?(?=regimens|lines|courses|treatments|therapies|attempts)", "", np_)
        if failed and FAILED_HEADS.match(bare):
            phrase = "failed regimens"
        elif failed or not head:
            continue
        else:
            phrase = np_
        found = [c for c in ctx.term.lookup(phrase) if c.type in ("ClinicalParameter", "Biomarker")]
        cid = found[0].id if found else slugify(phrase)
        if not found and phrase != "failed regimens":
            phrase = f"number of {phrase}"  # "up to three tumours": the threshold bounds how many there are
        start = v.s.start + hit.start()
        coin(cid, "ClinicalParameter", phrase, start, v.s.start + hit.end())
        value = p.number_any(n)
        if phrase == "failed regimens" and value <= 1 and symbol == ">=":
            continue  # "after one or more failed regimens" is every salvage setting, not a threshold
        out.append(_crit_range(v, therapy, cid, symbol, value, None, None, f"{phrase} {symbol} {value:g}"))
    return out


def _crit_range(v, therapy, parameter, symbol, value, value_max, unit, label) -> Criterion:
    return Criterion(therapy=therapy, parameter=parameter, comparator=symbol, value=value, value_max=value_max,
                     unit=unit, label=label, evidence=(v.evidence(),))


def _crit(v, therapy, parameter, symbol, value, unit, label) -> Criterion:
    return Criterion(therapy=therapy, parameter=parameter, comparator=symbol, value=value, unit=unit, label=label,
                     evidence=(v.evidence(),))


NEGATED_BOUND = {">": "<=", "<": ">=", ">=": "<", "<=": ">"}
NO_BEFORE = re.compile(r"\bno\s+(?:\w+\s+)?$", re.I)


def denied_bound(before: str, gap: str) -> bool:
    """'no lymph node larger than', 'tumours none larger than': the bound is what none may pass."""
    return bool(NO_BEFORE.search(before) or re.search(r"\bnone\b", gap, re.I))


# A lesion whose size is given in centimetres or millimetres: "a single tumour of 5 cm or less", "no lymph
# node larger than 7 cm", "nodules under 10 mm". Nodes have their own size parameter.
LESION_SIZE = re.compile(r"\b(?P<noun>(?:lymph\s+)?nodes?|tumou?rs?|lesions?|nodules?|masse?s?|deposits?|"
                         r"recurrences?|(?P<object>stones?|calculi|calculus|fragments?|polyps?|cysts?|aneurysms?|"
                         r"fibroids?|ulcers?|wounds?|defects?|abscess(?:es)?))\b"
                         r"(?=[^.;]{0,30}?\d[\d.]*\s*(?:cm|mm)\b)", re.I)
LESION_SIZE = prefiltered(LESION_SIZE)


def lesion_sizes(ctx, v, coin) -> list[tuple[M, int]]:
    """Size parameters read off the lesion a threshold in cm or mm follows (strictness 1: coined, so a
    comparator or range is needed); coin(cid, type, label, abbreviations, start, end) declares a new one."""
    if "cm" not in v.text and "mm" not in v.text:
        return []
    out = []
    for hit in LESION_SIZE.finditer(v.text):
        node = "node" in hit.group("noun").lower()
        thing = hit.group("object")  # "stones larger than 2 cm": a named kind of object has its own size
        phrase = f"{_singular(thing.lower())} size" if thing else "lymph node size" if node else "lesion size"
        found = [c for c in ctx.term.lookup(phrase) if c.type == "ClinicalParameter"]
        start, end = v.s.start + hit.start("noun"), v.s.start + hit.end("noun")
        cid = found[0].id if found else slugify(phrase)
        if not found:
            coin(cid, "ClinicalParameter", phrase, (), start, end)
        out.append((M(start, end, cid, "ClinicalParameter", ctx.doc.text[start:end]), 1))
    return out


def _singular(noun: str) -> str:
    return {"calculi": "calculus", "abscesses": "abscess"}.get(noun, noun[:-1] if noun.endswith("s") and
                                                               not noun.endswith("ss") else noun)


# A threshold measured from the lowest value a marker reached: "a PSA rise of 2 ng/mL or more above the
# nadir", "a rise in M-protein of at least 0.5 g/dL above the lowest level reached". The value bounds the
# rise, not the marker itself.
ABOVE_NADIR = re.compile(
    rf"(?P<cmp>(?:by\s+)?(?:at least|more than|over|a minimum of)\s+)?(?P<v>{NUM})\s*(?P<u>{p.UNIT_ANY_RX})\s*"
    rf"(?P<cmp2>or\s+(?:more|greater|higher|above)\s+)?above\s+(?:the|its|their|his|her|your|a)?\s*"
    rf"(?:[\w-]+\s+){{0,2}}?(?:nadir|lowest\s+(?:point|level|value|reading|result|count)s?)\b", re.I)
RISE_SUFFIX = "-rise-above-nadir"
RISE_WORD = re.compile(r"\b(?:ris(?:e|es|en|ing)|rose|increas\w*|climb\w*|went up|gone up|goes up|go up)\b", re.I)
ABOVE_NADIR = prefiltered(ABOVE_NADIR)


def rises_above_nadir(ctx, v, therapy, coin) -> list[Criterion]:
    """'Progression was a PSA rise of 0.5 ng/mL or more above the post-treatment nadir': the parameter is
    the marker's rise above its nadir, named after the marker the rise is about."""
    low = v.text.lower()
    if "nadir" not in low and "lowest" not in low:
        return []
    out = []
    for hit in ABOVE_NADIR.finditer(v.text):
        lo = v.s.start + hit.start()
        window = ctx.doc.text[max(v.s.start, lo - 60):lo]
        if not RISE_WORD.search(window):
            continue
        markers = [found for m in v.mentions if lo - 60 <= m.start and m.end <= lo
                   for found in [_marker_named(ctx, m)] if found]
        if not markers:
            continue
        name = markers[-1]
        phrase = f"{name}{RISE_SUFFIX.replace('-', ' ')}"
        cid = slugify(phrase)
        if cid not in ctx.term.concepts:
            coin(cid, "ClinicalParameter", phrase, lo, v.s.start + hit.end())
        symbol = ">=" if hit.group("cmp2") or re.search(r"at least|minimum", hit.group("cmp") or "", re.I) else \
            ">" if hit.group("cmp") else ">="
        value = p.number(hit.group("v"))
        unit = p.unit_code_any(hit.group("u"))
        out.append(_crit(v, therapy, cid, symbol, value, unit, f"{phrase} {symbol} {value:g} {unit or ''}".strip()))
    return out


def _marker_named(ctx, m) -> str | None:
    """The short name of the marker a mention is or contains ('PSA', or the PSA of 'PSA rise'), the
    abbreviation first as clinicians write it."""
    if ctx.is_a(m, "Biomarker") and m.concept in ctx.term.concepts:
        return _short_name(ctx.term.concepts[m.concept])
    words = m.text.split()
    for k in (2, 1):
        for i in range(len(words) - k + 1):
            found = [c for c in ctx.term.lookup(" ".join(words[i:i + k])) if c.type == "Biomarker"]
            if found:
                return _short_name(found[0])
    return None


def _short_name(concept) -> str:
    return (concept.abbreviations or (concept.label,))[0]


# "a CT density above 1,000 Hounsfield units", "the skin-to-stone distance is more than 10 cm": the words before
# a bound with a unit of measure name what is measured, even when the terminology lacks it. Time and
# percentages are left out: "for more than 3 months", "in over 40%" follow anything.
MEASURE_UNITS = "|".join([u for u, code in p.UNITS_EXTRA if code not in ("h", "min", "ms", "log")]
                         + ["ng/ml", "ng/dl", r"gy\b"])
MEASURED_BOUND = re.compile(
    rf"(?:\s+(?:is|are|was|were|must be|should be|remains?|stays?|falls|fell|drops|dropped|rises|rose|of))?"
    rf"\s+(?!ris|still)(?:{p.COMPARATOR_RX}|smaller than|larger than|bigger than)\s*{NUM}\s*(?:{MEASURE_UNITS})"
    rf"(?![A-Za-z])|"
    # "a noradrenaline dose of 0.25 micrograms/kg/min or more"
    rf"\s+(?:of|at)\s+{NUM}\s*(?:{MEASURE_UNITS})(?![A-Za-z])\s+or\s+(?:more|higher|greater|above|less|lower|below)\b",
    re.I)
MEASURED_BOUND = prefiltered(MEASURED_BOUND)
NP_WORD = re.compile(r"(?<![\w-])[A-Za-z][\w-]*(?:/[A-Za-z]+)?\s*$")
# Words that name no measured thing alone ('the rate'), or make the value a summary of results ('median ...')
NOT_MEASURED = frozenset("""patients men women people those dose doses time times rate rates level levels value values
    result results reading readings count length size risk pressure""".split())
SUMMARY_WORDS = frozenset("median mean average overall total baseline".split())
# Words that end a noun phrase going leftwards besides definitions.NP_STOP: pronouns and verbs of change;
# a change ('a temporary rise') is a result, not what is measured.
NOT_NP_WORDS = frozenset("""it there which who whom whose what none best worst lowest highest most least means meaning
    weigh weighs weighed fallen climbs climbed
    reached reaches goes went gets got becomes became over above below under rise rises rising increase increases
    fall falls drop drops change changes reduction decline""".split())


def measured_noun_phrases(ctx, v, known: list[M]) -> list[M]:
    """Parameters named by the one to four words before a bound with a unit ('maximum flow rate below 10 mL per
    second'), when no known mention names the last of them; coined, so a comparator is needed."""
    from .definitions import NP_STOP

    out = []
    text = ctx.doc.text
    for hit in MEASURED_BOUND.finditer(v.text):
        end = v.s.start + hit.start()
        start, words = end, 0
        while words < 4:
            w = NP_WORD.search(text, max(v.s.start, start - 40), start)
            word = w.group().strip().lower() if w else ""
            if not w or word in NP_STOP or word in NOT_NP_WORDS or word.endswith(("ing", "ed")):
                break
            start, words = w.start(), words + 1
        phrase = text[start:end].strip()
        if not words or phrase.lower() in NOT_MEASURED or phrase.split()[0].lower() in SUMMARY_WORDS:
            continue
        end = start + len(phrase)
        if any(m.start < end and start < m.end and m.end >= end for m in known + v.mentions):
            continue  # a known parameter, or a therapy or disease, names what is measured
        out.append(M(start, end, slugify(phrase.lower() if not phrase.isupper() else phrase), "ClinicalParameter",
                     phrase))
    return out


# "If you have no pain or infection, active surveillance ...": what must be absent for the option to hold
ABSENT_IF = re.compile(r"\b(?:if|when|provided(?: that)?|as long as)\s+(?:you|they|he|she|the patient|patients|there)\s+"
                       r"(?:(?:have|has|is|are)\s+no|(?:have|has)\s+not\s+(?:had|received)|(?:haven't|hasn't)\s+had)\s+"
                       r"(?:any\s+)?(?P<np>[a-z][^,.;:()]{2,60}?)(?=\s*(?:[,.;:)]|$))", re.I)
ABSENT_SPLIT = re.compile(r",\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+")


def absent_if(ctx, v, therapy, coin) -> list[Criterion]:
    """Conditions that must be absent for an option to hold: 'if you have no pain or infection, ...'."""
    out = []
    for hit in ABSENT_IF.finditer(v.text):
        at = v.s.start + hit.start("np")
        for item in ABSENT_SPLIT.split(hit.group("np")):
            np_ = item.strip()
            lo = ctx.doc.text.find(np_, at)
            hi = lo + len(np_)
            at = hi
            if not np_ or len(np_.split()) > 4:
                continue
            out.append(absent_condition(ctx, v, therapy, coin, lo, hi, np_))
    return out


def absent_condition(ctx, v, therapy, coin, lo: int, hi: int, name: str) -> Criterion:
    """A condition that must be absent, written at lo:hi: the concept of a mention covering (nearly) all of
    it, else one coined from `name` (the words, or the state they describe: 'weak continence')."""
    inside = [m for m in v.mentions if lo <= m.start and m.end <= hi and not ctx.is_a(m, "Therapy")]
    if inside and inside[0].end - inside[0].start >= hi - lo - 2:
        cid = inside[0].concept
    else:
        cid = slugify(name)
        coin(cid, "Condition", name if name.isupper() else name.lower(), lo, hi)
    return Criterion(therapy=therapy, parameter=cid, negated=True, label=f"no {name}", evidence=(v.evidence(),))


# --- populations a treatment is ruled out for ------------------------------------------------------
# "X should not be used in ...", "I don't use it in ...", "is not recommended for ...", "cannot be used if you
# have ...", "avoid it in ...": what follows names the people the treatment is not for.
RULING_OUT = re.compile(
    r"\b(?:(?:should|must|would|will|do|does|can|could)\s*(?:not|n[’']t)|cannot|never|(?:is|are)\s+not)\s+"
    r"(?:be\s+)?(?:used|use|given|give|offered|offer|recommended|recommend|suitable|advised|an\s+option)\b"
    r"(?:\s+(?:it|them|this|that|these|first[- ]line|routinely))*|"
    r"\bavoid(?:ed)?\b(?:\s+(?:it|them|this|that))?", re.I)
PEOPLE = (r"(?:an?\s+)?(?:people|patients|persons?|men|man|women|woman|children|child|adults?|anyone|those|someone|"
          r"anybody)")
# The clause must open on the people it is about, or on "if you have"; "in this setting" names nobody.
POPULATION_START = re.compile(
    rf"^\s*(?:(?:in|for|to)\s+)?{PEOPLE}\b|^\s*(?:[\w-]+\s+){{0,3}}?if\s+you\s+(?:still\s+)?(?:have|had)\b|"
    rf"^\s*(?:in|during)\s+pregnancy\b",
    re.I)
# Where the list of people ends: a reason, a condition or an exception.
CLAUSE_END = re.compile(r",?\s+(?:because|as|since|unless|but|which|although|while|so that|until|given|where|"
                        r"except|when)\b|[;:]|\.(?:\s|$)", re.I)
POPULATION_PREFIX = re.compile(
    rf"^\s*(?:(?:or|and)\s+)?(?:(?:in|for|to|during)\s+)?(?:{PEOPLE}\s*(?:with|who\s+(?:have\s+had|have|has|had|are|is)|"
    rf"whose)?\s+|with\s+|(?:[\w-]+\s+){{0,3}}?if\s+you\s+(?:still\s+)?(?:have\s+had|have|had)\s+)?"
    rf"(?:an?\s+|the\s+|any\s+|other\s+)?", re.I)
RULED_OUT_SPLIT = re.compile(r",\s*(?:or\s+|and\s+)?")
VERB = re.compile(r"\b(?:is|are|was|were|be|been|could|would|can|may|might|will|should|must|has|have|had|do|does|"
                  r"become|becomes|need|needs|needed|take|takes|progressed|failed|responded)\b", re.I)
AFTER_CONTEXT = re.compile(r"\s+(?:from|after|since|during)\s+(?:your|their|the|his|her)\s+.*$", re.I)
# People described otherwise than by a condition: "men fit enough for ...", "patients whose disease progressed".
PEOPLE_DESCRIBED = re.compile(rf"^\s*(?:(?:or|and)\s+)?(?:(?:in|for|to)\s+)?(?:those\s+)?{PEOPLE}\s+(?!with\b|who\b)"
                              rf"(?!aged?\b)[a-z]", re.I)
COUNT_OR_MORE = re.compile(rf"\b(?:\d+|{WORDS})\s+or\s+(?:more|fewer|less)\b", re.I)
# "heart or nerve problems": the word before "or" qualifies the noun after it
SHARED_QUALIFIER = re.compile(r"\b(?:heart|kidney|nerve|eye|skin|bone|liver|lung|bowel|bladder|[\w-]+(?:al|ic))\s+or\s+",
                              re.I)
BOUND_WORD = re.compile(r"(?:over|above|older|younger|more|less|under|below|higher|lower|greater|fewer|longer|"
                        r"shorter)(?:\s+than)?", re.I)
PEOPLE_NOUN = re.compile(r"\b(?:smokers|drinkers)$", re.I)  # "current or long-term past smokers": smoking
SUBJECT_AVOIDS = re.compile(rf"\b{PEOPLE}\s+with\s+(?P<np>[^.;,()]{{3,60}}?)\s+(?:should|must)\s+(?:avoid|not\s+"
                            rf"(?:take|use|have|receive|be\s+given))\b", re.I)
RULING_OUT, SUBJECT_AVOIDS = map(prefiltered, (RULING_OUT, SUBJECT_AVOIDS))


def ruled_out_populations(ctx, v, therapy, coin) -> list[Criterion]:
    """'They should not be used in people aged 65 or over, current smokers, or people with other heart
    risks', 'cannot be used if you have coronary heart disease or a weak heart muscle', 'People with heart
    disease should avoid X': each condition named is one that must be absent. Bounds ('aged 65 or over')
    are left to the threshold rules."""
    out = []
    text = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), v.text)  # asides out, offsets kept
    for cue in RULING_OUT.finditer(text):
        rest = text[cue.end():]
        if not POPULATION_START.match(rest):
            continue
        end = CLAUSE_END.search(rest)
        clause_at = cue.end()
        clause = rest[:end.start()] if end else rest
        for at, item in _list_items(clause, clause_at):
            found = _ruled_out_item(ctx, v, therapy, coin, item, at)
            if found:
                out.append(found)
    for hit in SUBJECT_AVOIDS.finditer(text):
        found = _ruled_out_item(ctx, v, therapy, coin, hit.group("np"), hit.start("np"))
        if found:
            out.append(found)
    return out


def _list_items(clause: str, at: int) -> list[tuple[int, str]]:
    """The items of a list of people or conditions with where each starts: split at commas, then at 'or'/'and'
    unless a qualifier is shared ('untreated or symptomatic lesions', 'heart or nerve problems')."""
    out = []
    pos = 0
    carried = ""  # "active, moderate-to-severe eye disease": a lone qualifier belongs to the next item
    for piece in RULED_OUT_SPLIT.split(clause):
        start = clause.find(piece, pos)
        pos = start + len(piece)
        if PEOPLE_DESCRIBED.match(piece) or COUNT_OR_MORE.search(piece):
            continue  # "men fit enough for surgery", "whose disease progressed", "two or more revisions"
        body = POPULATION_PREFIX.sub("", piece)
        body_at = start + len(piece) - len(body)
        if len(body.split()) == 1 and MODIFIER.fullmatch(body) and not PEOPLE_NOUN.search(body):
            carried = body + " "
            continue
        body, carried = carried + body, ""
        if len(_distributed(body)) > 1 or PEOPLE_NOUN.search(body) or SHARED_QUALIFIER.search(body):
            out.append((at + body_at, body))
            continue
        sub = 0
        for part in re.split(r"\s+(?:or|and)\s+", body):
            part_at = body.find(part, sub)
            sub = part_at + len(part)
            stripped = POPULATION_PREFIX.sub("", part)
            out.append((at + body_at + part_at + len(part) - len(stripped), stripped))
    return out


def _ruled_out_item(ctx, v, therapy, coin, item: str, at: int) -> Criterion | None:
    name = AFTER_CONTEXT.sub("", item.strip()).strip()
    if BOUND_WORD.fullmatch(name):
        return None  # the end of a bound cut at its "or": "aged 65 or over"
    if not name or len(name.split()) > 6 or re.search(r"(?<![\w-])\d", name) or VERB.search(name) \
            or COUNTED.search(name):
        return None  # a bound ('aged 65 or over'), a clause ('whose kidney function is low'): not a condition
    if PEOPLE_NOUN.search(name):  # "current smokers": the habit the terminology knows
        found = ctx.term.lookup(PEOPLE_NOUN.search(name).group(0))
        if found:
            return Criterion(therapy=therapy, parameter=found[0].id, negated=True, label=f"no {name}",
                             evidence=(v.evidence(),))
    lo = v.s.start + at + (item.find(name) if item.find(name) >= 0 else 0)
    return absent_condition(ctx, v, therapy, coin, lo, lo + len(name), name)
