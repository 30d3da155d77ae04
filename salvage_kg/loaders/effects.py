"""Adverse effects: which therapy carries which complication or side effect, and what is said of it."""
from __future__ import annotations

import re

from ..assertions import AdverseEffect, Document
from . import patterns as p
from .context import DocumentContext, M, SentenceView
from .indications import COMPARE_BEFORE

SEVERITY_NEAR = 40
LIST_AFTER = re.compile(r"\s*,?\s*(?:such as|including|like|e\.g\.|:)", re.I)
BULLET_LEAD = re.compile(r"^([^:]{2,60}):\s")


def adverse_effects(ctx: DocumentContext, v: SentenceView) -> list[AdverseEffect]:
    if v.s.kind in ("title", "heading"):
        return []
    effects = [m for m in v.of("AdverseEffect") if not v.negated(m) and not p.BENEFIT.search(v.before(m, 50))
               and not p.SEVERITY.fullmatch(m.text)]
    effects = _drop_generic(ctx, effects)
    if not effects:
        return []
    if not (p.ADVERSE_CUE.search(v.text) or ctx.section_has(v, p.ADVERSE_CUE)
            or re.search(r"\b(?:happen|occur|after|following|from)\b", v.text, re.I)):
        return []
    therapies = ctx.most_specific([m for m in v.of("Therapy") if not v.negated(m) and m.type != "SupportiveTherapy"
                                   and m.concept != "placebo"])  # a placebo arm gives comparison rates only
    lead = BULLET_LEAD.match(v.text)
    if lead:  # "Posaconazole: hepatotoxicity, ...": the list item's lead names the cause
        in_lead = [m for m in therapies if m.end <= v.s.start + lead.end(1)]
        therapies = in_lead or therapies
    comparators = [m for m in therapies if COMPARE_BEFORE.search(v.before(m, 50))]
    causes = [m for m in therapies if m not in comparators]
    non_prior = [m for m in causes if m not in v.priors]
    causes = non_prior or causes
    if not causes or all(v.is_predicate(m) for m in causes):
        causes = ctx.referent(v) or causes
    if not causes:
        causes = ctx.focus_therapies(v)
        if not causes and ctx.main_therapy:
            return _effects(ctx, v, [ctx.main_therapy], effects, comparators)
    return _effects(ctx, v, list(dict.fromkeys(m.concept for m in causes)), effects, comparators)


def _drop_generic(ctx, effects: list[M]) -> list[M]:
    """'complications, such as incontinence': the category adds nothing when the sentence names the effects."""
    def depth(m):
        try:
            return len(ctx.term.ancestors(m.concept))
        except KeyError:
            return 3

    def category(m):
        try:
            return bool(ctx.term.narrower(m.concept))
        except KeyError:
            return False

    deepest = max((depth(m) for m in effects), default=0)
    return [m for m in effects if depth(m) > 2 or depth(m) == deepest or not category(m)
            or not LIST_AFTER.match(ctx.doc.text, m.end)]


def _effects(ctx, v, therapies: list[str], effects: list[M], comparators: list[M]) -> list[AdverseEffect]:
    text = v.text
    odds = list(p.ODDS.finditer(text))
    pval = p.P_VALUE.search(text)
    timings = {name for name, rx in p.TIMING if rx.search(text)}
    out = []
    for e in effects:
        rel = e.start - v.s.start
        window = text[max(0, rel - SEVERITY_NEAR):e.end - v.s.start + SEVERITY_NEAR]
        severity = _nearest(p.SEVERITY, text, rel, e.end - v.s.start)
        frequency = p.FREQUENCY.search(window)
        odds_ratio = _odds_for(odds, text, rel)
        clause_timing = {name for name, rx in p.TIMING if rx.search(v.clause(e))}
        timing = _one(clause_timing) or _one(timings)
        generic = ctx.term.concepts.get(e.concept) is not None and not ctx.term.concepts[e.concept].broader
        if generic and not (severity or frequency or odds_ratio):
            continue  # "has side effects" with nothing said about them
        for therapy in therapies:
            if therapy == e.concept:
                continue
            out.append(AdverseEffect(
                therapy=therapy, effect=e.concept, severity=severity, timing=timing,
                frequency=frequency.group(0) if frequency else None, odds_ratio=odds_ratio,
                comparator=comparators[0].concept if comparators and odds_ratio is not None else None,
                p_value=f"{pval.group('cmp')}{pval.group('val')}" if pval else None,
                evidence=(v.evidence(),)))
    return out


def _one(names: set[str]) -> str | None:
    return next(iter(names)) if len(names) == 1 else None


def _nearest(rx: re.Pattern, text: str, start: int, end: int) -> str | None:
    best, dist = None, SEVERITY_NEAR + 1
    for hit in rx.finditer(text):
        d = start - hit.end() if hit.end() <= start else hit.start() - end
        if -1 <= d < dist and not re.search(r"[;.]", text[min(hit.end(), end):max(hit.start(), start)]):
            best, dist = hit.group(0), max(d, 0)
    return best


def _odds_for(odds: list[re.Match], text: str, effect_start: int) -> float | None:
    """The odds stated just before the effect ('24-fold higher odds of ... complication')."""
    before = [o for o in odds if o.end() <= effect_start and effect_start - o.end() < 60]
    if not before:
        return None
    o = before[-1]
    raw = o.group("fold") or o.group("or")
    return p.number(raw) if raw else None


# --- harms the terminology does not know -------------------------------------------------------

EFFECT_CUE = r"(?:side[- ]effects?|adverse (?:events?|effects?|reactions?)|complications?|toxicit(?:y|ies))"
EFFECTS_AFTER = re.compile(
    rf"\b{EFFECT_CUE}\s*(?:\([^)]*\)\s*)?(?:were|was|are|is|include[sd]?|including|such as|like|:)\s*"
    r"(?:mostly |mainly |most commonly |commonly |usually |chiefly )?(?:mild\s*:?\s*)?", re.I)
EFFECTS_BEFORE = re.compile(
    rf"\s+(?:were|was|are)\s+(?:the\s+)?(?:most\s+)?(?:common(?:ly reported)?|frequent(?:ly reported)?|"
    rf"reported|often reported|main)\s+(?:\w+\s+)?{EFFECT_CUE}", re.I)
# A list item: text between separators (commas, 'and', 'or'), trimmed of spaces and final punctuation.
LIST_ITEM = re.compile(r"(?:(?<=^)|(?<=,)|(?<=\band)|(?<=\bor))\s*(?!and\b|or\b)([^,]*?[^,\s.;:])(?=\s*(?:,|\band\b|\bor\b|[.;:]?\s*$))",
                       re.I)
NOT_AN_EFFECT = re.compile(r"\d|%|\b(?:patients?|men|women|people|participants|treatment|therapy|drug|dose|rate|"
                           r"risk|most|mild|moderate|severe|common|rare|usually|which|that|this|these|those|it|they|"
                           r"reported|seen|occurred|grade|months?|weeks?|years?|days?)\b", re.I)


def listed_effects(doc: Document, sents, mentions: list[M]) -> list[M]:
    """Unknown harms in a list of side effects ('side effects include A, B and C'), as provisional concepts."""
    new: list[M] = []
    for s in sents:
        spans = []
        for cue in EFFECTS_AFTER.finditer(s.text):
            end = re.search(r"[.;]|\s+(?:but|although|which|while)\b", s.text[cue.end():])
            spans.append((s.start + cue.end(), s.start + cue.end() + (end.start() if end else len(s.text) - cue.end())))
        lead = re.match(r"^([^:]{2,60}):\s", s.text)
        if lead and s.section and re.search(EFFECT_CUE + r"|\brisks?\b|\bharms?\b", s.section, re.I) and \
                any(_is_therapy_type(m.type) for m in mentions if s.start <= m.start < s.start + lead.end(1)):
            spans.append((s.start + lead.end(), s.end))  # "Drug: effect, effect and effect" under a side-effects heading
        cue = EFFECTS_BEFORE.search(s.text)
        if cue:
            start = max(s.text.rfind(":", 0, cue.start()) + 1, 0)
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
                new.append(M(start, end, _slug(name), "AdverseEffect", name))
    return new


def _is_therapy_type(type_name: str) -> bool:
    from ..ontology.schema import ancestors

    return "Therapy" in ancestors(type_name)


def _slug(name: str) -> str:
    from .recognize import slugify

    return slugify(name)
