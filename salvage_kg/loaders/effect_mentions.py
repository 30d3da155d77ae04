"""Harm mentions the terminology alone does not give: unknown harms listed as side effects, and harms named by
a verb of change ('it can raise liver enzymes')."""
from __future__ import annotations

import re

from ..assertions import Document
from .context import M, is_type
from .prefilter import prefiltered
from .recognize import slugify

# --- harms the terminology does not know -------------------------------------------------------

EFFECT_CUE = r"(?:side[- ]effects?|adverse (?:events?|effects?|reactions?)|complications?|toxicit(?:y|ies))"
EFFECTS_AFTER = re.compile(
    rf"\b{EFFECT_CUE}\s*(?:\([^)]*\)\s*)?(?:were|was|are|is|include[sd]?|including|such as|like|:)\s*"
    r"(?:mostly |mainly |most commonly |commonly |usually |chiefly )?(?:mild\s*:?\s*)?", re.I)
EFFECTS_AFTER = prefiltered(EFFECTS_AFTER)  # skips text without the words it needs
EFFECTS_BEFORE = re.compile(
    rf"\s+(?:were|was|are)\s+(?:the\s+)?(?:most\s+)?(?:common(?:ly reported)?|frequent(?:ly reported)?|"
    rf"reported|often reported|main)\s+(?:\w+\s+)?{EFFECT_CUE}", re.I)
EFFECTS_BEFORE = prefiltered(EFFECTS_BEFORE)  # skips text without the words it needs
# A list item: text between separators (commas, 'and', 'or'), trimmed of spaces and final punctuation.
LIST_ITEM = re.compile(r"(?:(?<=^)|(?<=,)|(?<=\band)|(?<=\bor))\s*(?!and\b|or\b)([^,]*?[^,\s.;:])(?=\s*(?:,|\band\b|\bor\b|[.;:]?\s*$))",
                       re.I)
NOT_AN_EFFECT = re.compile(r"\d|%|\b(?:patients?|men|women|people|participants|treatment|therapy|drug|dose|rate|"
                           r"risk|most|mild|moderate|severe|common|rare|usually|which|that|this|these|those|it|they|"
                           r"reported|seen|occurred|grade|months?|weeks?|years?|days?|"
                           r"rarely|uncommon|infrequent|frequent|occasional|occasionally|often|sometimes|"
                           r"generally|well tolerated|manageable|transient|reversible|harmless|none|few|similar|"
                           r"to|by|mostly|mainly|confined|limited|requiring|needing|not|no|trivial|negligible|"
                           r"acceptable|tolerable|minimal|modest|worse|better|fewer|less|more|higher|lower|"
                           r"significant|substantial|different|expected|predictable)\b", re.I)


# "it can raise liver enzymes", "may lower blood counts": a verb of change and what it changes name a harm.
RAISE_VERB = prefiltered(re.compile(
    r"\b(?:can|may|might|could|will|often|also|sometimes|to)\s+(?:\w+\s+)?(?P<verb>raise|increase|elevate|push up|"
    r"lower|reduce|decrease|drop)\s+(?:your\s+|the\s+|their\s+)?(?P<object>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})",
    re.I))
RAISED_AS = {"raise": ("raised", "elevated", "high", "increased"), "increase": ("increased", "raised", "high"),
             "elevate": ("elevated", "raised", "high"), "push up": ("raised", "high"),
             "lower": ("low", "decreased", "reduced"), "reduce": ("reduced", "low", "decreased"),
             "decrease": ("decreased", "low", "reduced"), "drop": ("low", "decreased")}


def changed_levels(ctx, v) -> list[M]:
    """'it can raise liver enzymes': the verb, read with its object as the harm the terminology names
    ('raised liver enzymes'), stands for that harm; the object keeps its own mention."""
    out: list[M] = []
    for hit in RAISE_VERB.finditer(v.text) if RAISE_VERB.possible(v.text) else ():
        words = hit.group("object").split()
        for n in range(len(words), 0, -1):
            found = [c for form in RAISED_AS[hit.group("verb").lower()]
                     for c in ctx.term.lookup(f"{form} {' '.join(words[:n])}") if c.type == "AdverseEffect"]
            if found:
                a = v.s.start + hit.start("verb")
                out.append(M(a, v.s.start + hit.end("verb"), found[0].id, "AdverseEffect", hit.group("verb")))
                break
    return out


# A harm's rate right after it: "fatigue (42%)", "fatigue in 42%", "fatigue occurred in 42%".
RATE_TAIL = re.compile(r"\s*(?:\(\s*(?:about |around |approximately )?\d+(?:\.\d+)?\s*%[^()]*\)|"
                       r"(?:\s+(?:occurred|was seen|were seen|was reported|were reported))?\s+in\s+"
                       r"(?:about |around |approximately )?\d+(?:\.\d+)?\s*%)")
ITEM_START = re.compile(r"(?:^|[,;:(]|\band\b|\bor\b)\s*(?:(?:as (?:were|was|did)|including|such as|notably|"
                        r"especially|with|plus|also)\s+)?(?:an?\s+|the\s+)?(?=[^,;:()]*$)", re.I)  # "as were falls (5%)"
VERB_WORD = re.compile(r"\b(?:is|are|was|were|had|has|have|did|does|as|of|in|on|with|for)\b", re.I)
LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and|or)?|and|or)\s*$", re.I)


def rated_siblings(doc: Document, s, mentions: list[M]) -> list[M]:
    """'fatigue in 42%, falls in 11% and hypertension in 10%': an unknown name given a rate the way the known
    harms beside it are, in the same list, is a harm too."""
    items = []  # (name start, name end, rate end) of each 'name + rate' in the sentence
    for tail in RATE_TAIL.finditer(s.text):
        starts = [m.end() for m in ITEM_START.finditer(s.text, 0, tail.start())]
        if not starts:
            continue  # 'fatigue (grade 2) in 5%': an aside inside the item
        start = max(starts)
        items.append((s.start + start, s.start + tail.start(), s.start + tail.end()))
    harms = [m for m in mentions if m.type == "AdverseEffect" and s.start <= m.start < s.end]
    known = [any(a <= m.start and m.end <= b for m in harms) for a, b, _ in items]
    new: list[M] = []
    for i, (a, b, _) in enumerate(items):
        if known[i] or any(m.start < b and a < m.end for m in mentions):
            continue
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(items) and known[j]
                  and LIST_GAP.match(doc.text[items[min(i, j)][2]:items[max(i, j)][0]])]
        name = doc.text[a:b]
        if beside and 0 < len(name.split()) <= 3 and re.fullmatch(r"[A-Za-z][\w' -]*", name) \
                and not NOT_AN_EFFECT.search(name) and not VERB_WORD.search(name):
            new.append(M(a, b, slugify(name), "AdverseEffect", name))
    return new


LIST_END = re.compile(r"[.;]|\s+(?:but|although|which|while)\b")
LABEL_LEAD = re.compile(r"^([^:]{2,60}):\s")  # "Drug: effect, effect and effect"


def listed_effects(doc: Document, sents, mentions: list[M]) -> list[M]:
    """Unknown harms in a list of side effects ('side effects include A, B and C') or given rates beside known
    harms ('fatigue in 42% and falls in 11%'), as provisional concepts."""
    new: list[M] = []
    for s in sents:
        new.extend(rated_siblings(doc, s, mentions))
        spans = []
        for cue in EFFECTS_AFTER.finditer(s.text):
            end = LIST_END.search(s.text[cue.end():])
            spans.append((s.start + cue.end(), s.start + cue.end() + (end.start() if end else len(s.text) - cue.end())))
        lead = LABEL_LEAD.match(s.text)
        if lead and s.section and re.search(EFFECT_CUE + r"|\brisks?\b|\bharms?\b", s.section, re.I) and \
                any(is_type(m.type, "Therapy") for m in mentions if s.start <= m.start < s.start + lead.end(1)):
            stop = re.search(r"[;]", s.text[lead.end():])
            spans.append((s.start + lead.end(), s.start + lead.end() + stop.start() if stop else s.end))
            # "Drug: effect, effect and effect" under a side-effects heading
        cue = EFFECTS_BEFORE.search(s.text)
        if cue:
            # "...; Horner syndrome and pneumothorax were the main complications": the list starts after the break
            start = max(s.text.rfind(":", 0, cue.start()), s.text.rfind(";", 0, cue.start())) + 1
            spans.append((s.start + start, s.start + cue.start()))
        for a, b in spans:
            body = re.sub(r"\([^)]*\)", lambda g: " " * len(g.group(0)), doc.text[a:b])  # asides are not items
            for item in LIST_ITEM.finditer(body):
                start, end = a + item.start(1), a + item.end(1)
                article = re.match(r"(?:an?|the|some|occasional)\s+", doc.text[start:end], re.I)
                start += article.end() if article else 0
                name = doc.text[start:end]
                if len(name.split()) > 4 or NOT_AN_EFFECT.search(name) or not re.match(r"[A-Za-z]", name) \
                        or any(m.start < end and start < m.end for m in mentions):
                    continue
                new.append(M(start, end, slugify(name), "AdverseEffect", name))
    return new
