"""Values: criteria and thresholds, treatment durations, and reported outcomes."""
from __future__ import annotations

import re

from ..assertions import Criterion, Duration, Outcome
from . import patterns as p
from .context import DocumentContext, M, SentenceView

NUM = p.NUM
# After a parameter: optional filler words, a comparator, a value or range, a unit.
THRESHOLD = re.compile(
    rf"^(?P<gap>(?:[\s,:(]|\b(?:serum|levels?|values?|of|is|was|are|were|still|a|an|the|score|time|"
    rf"rises?|rising|raised|increases?d?|low|high|persistently)\b)*?)"
    rf"(?P<cmp>{p.COMPARATOR_RX})?\s*(?P<v>{NUM})(?:{p.DASH}(?P<v2>{NUM}))?\s*"
    rf"(?P<unit>{p.UNIT_RX.pattern})?(?:\s*(?P<cmp2>and (?:higher|above|more)|or (?:higher|more|greater|above|"
    rf"less|lower|below|fewer)))?", re.I)
DURATION = re.compile(
    rf"(?P<lead>\b(?:duration|for|extension to|extended to|extend(?:ed|ing)? to|given for|course of|lasting|"
    rf"over|total of)\b[^.;\d]{{0,60}}?)(?P<v>{NUM})(?:{p.DASH}(?P<v2>{NUM}))?\s*(?P<u>months?|years?|weeks?)\b",
    re.I)
COHORT_ARM = re.compile(r"(?<![\d.,])(\d{2,6})\s*(?:patients |men |participants )?(?:treated with |receiving |"
                        r"underwent |in the |with )?$", re.I)
COHORT_TOTAL = re.compile(r"\b(\d{2,6}|\d{1,3}(?:,\d{3})+)\s+(?:eligible\s+|evaluable\s+)?(?:patients|men|"
                          r"participants|subjects|people)\b", re.I)
ARM_BEFORE = re.compile(r"(?:with|in|for|among|after|receiving|undergoing|treated with|in the)\s+(?:the\s+)?"
                        r"(?:\w+\s+)?$", re.I)
QUALITATIVE_LIST = re.compile(r"\(([^()]{10,300})\)")


def criteria(ctx: DocumentContext, v: SentenceView) -> list[Criterion]:
    if v.s.kind in ("heading", "title"):
        return []
    therapy = _subject_therapy(ctx, v)
    out: list[Criterion] = []
    taken: list[tuple[int, int]] = []
    for m in v.of("Biomarker", "ClinicalParameter"):
        tail = ctx.doc.text[m.end:v.s.end]
        hit = THRESHOLD.match(tail)
        if not hit or len(hit.group("gap")) > 30:
            continue
        if m.concept == "psa" and re.match(r"\s*(?:doubling|velocity)", tail, re.I):
            continue
        value = p.number(hit.group("v"))
        value_max = p.number(hit.group("v2")) if hit.group("v2") else None
        symbol = p.comparator(hit.group("cmp") or hit.group("cmp2") or "")
        if symbol is None:
            symbol = "range" if value_max is not None else "="
        unit = p.unit_code(hit.group("unit"))
        label = p.describe(_label(ctx, m), symbol, value, value_max, unit)
        out.append(Criterion(therapy=therapy, parameter=m.concept, comparator=symbol, value=value,
                             value_max=value_max, unit=unit, label=label, evidence=(v.evidence(),)))
        taken.append((m.start, m.end + hit.end()))
    out.extend(_qualitative(ctx, v, therapy, taken))
    out.extend(_absent_metastases(ctx, v, therapy))
    return out


def _qualitative(ctx, v, therapy, taken) -> list[Criterion]:
    """Criteria listed in parentheses without a number: '(..., seminal vesicle involvement)'."""
    out = []
    for group in QUALITATIVE_LIST.finditer(v.text):
        items = re.split(r",\s*(?:or\s+|and\s+)?|\s+or\s+", group.group(1))
        if len(items) < 2:
            continue
        pos = v.s.start + group.start(1)
        for item in items:
            start = ctx.doc.text.find(item, pos)
            pos = start + len(item)
            if any(a <= start < b for a, b in taken) or re.search(r"\d", item):
                continue
            inside = [m for m in v.of("Biomarker", "ClinicalParameter")
                      if start <= m.start and m.end <= start + len(item)]
            if inside:
                out.append(Criterion(therapy=therapy, parameter=inside[0].concept, label=item.strip(),
                                     evidence=(v.evidence(),)))
    return out


def _absent_metastases(ctx, v, therapy) -> list[Criterion]:
    out = []
    for m in v.mentions:
        if "metasta" in m.concept and v.negated(m):
            out.append(Criterion(therapy=therapy, parameter=m.concept, negated=True, label="no metastatic disease",
                                 evidence=(v.evidence(negated=True),)))
            break
    return out


def durations(ctx: DocumentContext, v: SentenceView) -> list[Duration]:
    if not re.search(r"\bduration\b|\bfor\b|\bextension\b|\bextended\b|\bcourse\b", v.text, re.I):
        return []
    systemic = v.of("SystemicTherapy") or v.of("Therapy")
    out = []
    for hit in DURATION.finditer(v.text):
        if re.search(r"\b(?:within|survival|follow|expectancy|doubling|after|ago|age)\b", hit.group("lead"), re.I):
            continue
        at = v.s.start + hit.start()
        before = [m for m in systemic if m.start < at] or systemic
        if not before:
            continue
        value = p.number(hit.group("v"))
        value_max = p.number(hit.group("v2")) if hit.group("v2") else None
        unit = p.unit_code(hit.group("u")) or "mo"
        shown = f"{p.format_value(value)}" + (f"-{p.format_value(value_max)}" if value_max is not None else "")
        out.append(Duration(therapy=before[0].concept, value=value, value_max=value_max, unit=unit,
                            label=f"{shown} {p.UNIT_LABELS.get(unit, unit)}", evidence=(v.evidence(),)))
    return out


def outcomes(ctx: DocumentContext, v: SentenceView, cohorts: dict[str, int]) -> list[Outcome]:
    measures = v.of("OutcomeMeasure")
    if not measures or v.s.kind in ("heading", "title"):
        return []
    text, base = v.text, v.s.start
    cis = [(base + c.start(), base + c.end(), c) for c in p.CI.finditer(text)]
    arms = [m for m in v.of("Therapy") if m not in v.priors]
    time_point = _time_point(text)
    significant = False if p.SIGNIFICANCE_NEG.search(text) else (True if p.SIGNIFICANCE_POS.search(text) else None)
    pval = p.P_VALUE.search(text)
    out = []
    for hit in p.PERCENT.finditer(text):
        start, end = base + hit.start(), base + hit.end()
        if any(a <= start < b for a, b, _ in cis) or re.match(r"\s*of (?:patients|men|people|cases)", text[hit.end():]):
            continue
        measure = _nearest_before(measures, start) or measures[0]
        arm = _arm_for(v, arms, start, end) or (ctx.main_therapy if not arms else None)
        if arm is None:
            continue
        ci = next((c for a, b, c in cis if 0 <= a - end <= 4), None)
        others = [m.concept for m in arms if m.concept != arm]
        out.append(Outcome(
            arm=arm, measure=measure.concept, value=p.number(hit.group("v")),
            value_max=p.number(hit.group("v2")) if hit.group("v2") else None, unit="%",
            ci_lower=p.number(ci.group("lo")) if ci else None, ci_upper=p.number(ci.group("hi")) if ci else None,
            ci_level=p.number(ci.group("level")) if ci else None, time_point=time_point,
            cohort_size=cohorts.get(arm), comparator=others[0] if len(others) == 1 else None,
            significant=significant, p_value=_p(pval), evidence=(v.evidence(),)))
    return out


def _p(match) -> str | None:
    if not match:
        return None
    cmp = {"&lt;": "<"}.get(match.group("cmp"), match.group("cmp"))
    return f"{cmp}{match.group('val')}"


def _time_point(text: str) -> str | None:
    hit = p.TIME_POINT.search(text)
    if not hit:
        return None
    n = next(g for g in (hit.group("n1"), hit.group("n2"), hit.group("n3"), hit.group("n4")) if g)
    u = next(g for g in (hit.group("u1"), hit.group("u2"), hit.group("u3"), hit.group("u4")) if g)
    value = p.number(n)
    unit = u.lower().rstrip("s")
    return f"{p.format_value(value)} {unit}{'' if value == 1 else 's'}"


def _nearest_before(mentions: list[M], pos: int) -> M | None:
    before = [m for m in mentions if m.start < pos]
    return before[-1] if before else None


def _arm_for(v: SentenceView, arms: list[M], start: int, end: int) -> str | None:
    """The arm a value belongs to: 'with X' right after it, else the nearest arm before it."""
    after = [m for m in arms if 0 <= m.start - end <= 45 and not re.search(r"[;]", v.ctx.doc.text[end:m.start])]
    for m in after:
        gap = v.ctx.doc.text[end:m.start]
        gap_wo_ci = p.CI.sub("", gap)
        if ARM_BEFORE.search(gap_wo_ci):
            return m.concept
    before = [m for m in arms if m.end <= start]
    return before[-1].concept if before else None


def cohort_sizes(ctx: DocumentContext) -> dict[str, int]:
    """Arm sizes stated as '(419 sFT; 504 sRP)' or '120 patients treated with HIFU'."""
    sizes: dict[str, int] = {}
    for v in ctx.views:
        for m in v.of("Therapy"):
            hit = COHORT_ARM.search(v.before(m, 40))
            if hit:
                sizes.setdefault(m.concept, int(hit.group(1)))
    return sizes


def _subject_therapy(ctx: DocumentContext, v: SentenceView) -> str | None:
    therapies = [m for m in v.of("Therapy") if m not in v.priors and not v.negated(m)]
    added = [m for m in therapies if re.search(r"^\s*(?:\([^)]*\)\s*)?(?:is |are )?added to", v.after(m, 30), re.I)]
    if added:
        return added[0].concept
    if therapies:
        return therapies[0].concept
    focus = ctx.focus_therapies(v)
    return focus[0].concept if focus else None


def _label(ctx: DocumentContext, m: M) -> str:
    try:
        concept = ctx.term.get(m.concept)
    except KeyError:
        return m.text
    # "prostate-specific antigen" reads better as "PSA"; labels with their own acronym stay as they are
    if concept.abbreviations and len(concept.label) > 20 and concept.label.islower():
        return concept.abbreviations[0]
    return concept.label
