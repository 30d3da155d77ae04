"""Reported outcomes: measure, value, confidence interval, time point, arm and comparator."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from ..assertions import Outcome
from . import patterns as p
from .context import DocumentContext, M, SentenceView, is_type
from .measures import NUM, _state, cohort_sizes
from .prefilter import prefiltered
from .recognize import slugify

COHORT_STUDY = re.compile(r"\b(?:study|trial|cohort|series|analysis|registry|group)\s+of\s+(?P<n>\d{2,6})\s+"
                          r"(?:[a-z-]+\s+){0,2}?(?:patients|men|women|people|participants|adults|subjects)\b", re.I)
ARM_BEFORE = re.compile(r"(?:with|in|for|among|after|receiving|undergoing|treated with|in the|given|on|taking|"
                        r"assigned to|allocated to|randomi[sz]ed to|of those (?:given|receiving|on|treated with)|"
                        r"of the)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
SAME_COHORT = re.compile(r"\b(?:(?:in|of|among) (?:the same|this|that|these) (?:cohort|group|series|patients|study|"
                         r"population)|in the same patients)\b", re.I)
RUN_IN_MAX_WORDS = 6
DEFINED_AS = re.compile(r"\b(?:defined as|meaning|i\.e\.)\s[^,;()]*", re.I)
CLASS_SENTENCE = re.compile(r"^\s*(?:this|it)\s+is\s+(?:an?|the)\b", re.I)
COHORT_PERCENT = re.compile(r"^\s*(?:of (?:the )?(?:patients|men|women|people|cases|participants)\b(?! (?:in whom|who "
                            r"(?:achieved|reached|responded)))|(?:had )?(?:underwent|received|had received|were "
                            r"treated|had undergone|were (?:male|female|men|women)|had prior|were white|were black))",
                            re.I)
PEOPLE_OF = re.compile(r"^\s*of (?:the )?(?:\w+\s+){0,2}?(?:patients|men|women|people|participants|adults|"
                       r"children|subjects)\b", re.I)
IN_BEFORE = re.compile(r"\b(?:in|among)\s+(?:about\s+|approximately\s+|around\s+|only\s+|nearly\s+)?$", re.I)
LAY_OUTCOME = re.compile(
    rf"(?P<v>{NUM})\s*%?(?:{p.DASH}(?P<v2>{NUM}))?\s*(?:%|percent\b)\s*(?:of\s+(?:the\s+)?(?:\w+\s+){{0,2}}?"
    rf"(?:patients|men|women|people|participants|adults|children|subjects)\s+(?:(?:treated with|who (?:had|received|"
    rf"underwent)|given|receiving|in the|on the|on)\s+(?:[\w-]+\s+){{1,5}}?"
    rf"(?=(?:had|showed|were|remained|stayed|became)\s))?)?"
    rf"(?:(?:had|showed|were|remained|stayed|became|was|achieved)\s+)?"
    rf"(?:(?:alive\s+(?:and\s+)?)?(?P<free>no\s+(?:sign|signs|evidence)\s+of|free\s+(?:of|from)|"
    rf"without)\s+(?P<x>[\w -]{{3,40}})|(?P<state>undetectable|alive|in\s+(?:complete\s+)?remission|"
    rf"respond(?:s|ed)?\b|cured\b|an?\s+(?:complete|partial)\s+(?:response|remission)))", re.I)
RETURNING = re.compile(r"\b(?:returning|coming back|recurring|regrowing|growing back)\b", re.I)
# Lay states that name an endpoint the terminology knows by another name: '72% were alive' (overall
# survival), '60% responded' (response rate), '87% were cured', '40% had a complete response'.
STATE_MEASURES = {"alive": "overall survival", "respond": "response rate", "responds": "response rate",
                  "responded": "response rate", "cured": "clinical cure"}
TIME_VALUE = re.compile(rf"(?<![\w.])(?P<v>{NUM})(?:{p.DASH}(?P<v2>{NUM}))?\s*(?P<u>months?|years?|weeks?|days?)\b", re.I)
NOT_TIME_RESULT = re.compile(r"(?:\b(?:at|after|by|within|over|every|each|for|up to|since|follow-?up(?: of| was)?|"
                             r"at least|at most|more than|less than|longer than|shorter than|no more than|"
                             r"followed(?: up)? for|lasting|course of|duration of|aged?)\s*|[-–])$", re.I)
SHARED_TIME = re.compile(rf"(?<![\w.])(?P<v>{NUM})(?P<v2>)\s+(?:versus|vs\.?|and|or|compared with)\s+(?={NUM}\s*"
                         rf"(?P<u>months?|years?|weeks?|days?)\b)", re.I)
TIME_MEASURE = re.compile(r"surviv|time-to|time to|duration|remission|response", re.I)
GENERIC_EVENT = re.compile(r"^(?:recurrence|relapse|progression|disease|failure)$", re.I)
# A percentage that bounds a population or defines a state is a threshold, not a result: "fewer than
# 5% blasts", "in patients with 50% or more marrow blasts" ("more than 40% of patients" stays a result).
THRESHOLD_BEFORE = re.compile(r"(?:\b(?:fewer|less|more|greater|higher|lower)\s+than|\bat\s+(?:least|most)|\b(?:below|"
                              r"above|under|over|exceeding)|[<>≤≥])\s*$", re.I)
THRESHOLD_AFTER = re.compile(r"^\s*(?!of\b|in\b|at\b|with\b|for\b|and\b|or\b|vs?\b|versus\b|compared\b|"
                             r"respectively\b)[a-z]", re.I)
COMPARED = re.compile(r"\b(?:compared with|compared to|versus|vs\.?|against)\s+(?=\d)", re.I)
GENERIC_MEASURES = {"survival": "overall-survival"}
RESPOND = re.compile(r"\brespon(?:d|ds|ded|ding|se|ses|ders?)\b", re.I)
# Costly patterns skip text that lacks the words every match contains (prefilter.py).
COHORT_STUDY, DEFINED_AS, LAY_OUTCOME, TIME_MEASURE, RESPOND = map(
    prefiltered, (COHORT_STUDY, DEFINED_AS, LAY_OUTCOME, TIME_MEASURE, RESPOND))


def outcomes(ctx: DocumentContext, v: SentenceView, cohorts: dict[str, int]) -> list[Outcome]:
    st = _state(ctx)
    if v.index not in st.outcomes:
        from .tables import table_outcomes  # tables read the helpers of this module

        tables = table_outcomes(ctx)
        if v.index in tables:
            st.outcomes[v.index] = tables[v.index]
        else:
            st.outcomes[v.index] = _outcomes(ctx, v, cohorts) if v.s.kind not in ("heading", "title") else []
    return st.outcomes[v.index]


def _outcomes(ctx: DocumentContext, v: SentenceView, cohorts: dict[str, int]) -> list[Outcome]:
    st = _state(ctx)
    text, base = v.text, v.s.start
    measures = st.measures(v)
    defined = [(base + h.start(), base + h.end()) for h in DEFINED_AS.finditer(text)]
    measures = [m for m in measures if not any(a <= m.start < b for a, b in defined)]
    ratios = _ratios(v)
    lay = _lay_values(ctx, v)
    responders = [] if measures else _responders(ctx, v)
    if not measures and not ratios and not lay and not responders:
        return []
    cis = [(base + c.start(), base + c.end(), c) for c in p.CI.finditer(text)]
    arms = _with_elliptic_arms(ctx, v, st.arms(v))
    _added_drug_change(ctx, v, arms)
    pval = p.P_VALUE.search(text)
    significant = False if p.SIGNIFICANCE_NEG.search(text) else (True if p.SIGNIFICANCE_POS.search(text) else None)
    sentence_size = COHORT_STUDY.search(text)

    # percentages: (start, end, value, value_max, measure)
    values: list[tuple[int, int, float, float | None, str]] = []
    lay_spans = [(a, b) for a, b, *_ in lay]
    ratio_spans = [(a, b) for a, b, *_ in ratios]
    if measures:
        for hit in p.PERCENT.finditer(text):
            start, end = base + hit.start(), base + hit.end()
            if any(a <= start < b for a, b, _ in cis) or any(a <= start < b for a, b in lay_spans + ratio_spans):
                continue
            after = text[hit.end():]
            if _threshold_percent(text[:hit.start()], after):
                continue
            if COHORT_PERCENT.match(after):
                people = PEOPLE_OF.match(after)
                respectively = people and re.match(r"\s*,?\s*respectively\b", after[people.end():], re.I)
                if not respectively and not (people and IN_BEFORE.search(text[:hit.start()])
                                             and any(0 <= start - m.end <= 40 for m in measures)):
                    continue
            measure = _nearest_before(measures, start)
            if measure is not None and _harm_clause(ctx, v, measure, start):
                continue
            concept = measure.concept if measure else _share_before_endpoint(ctx, text[:hit.start()], measures[0])
            if concept is None:
                continue
            values.append((start, end, p.number(hit.group("v")),
                           p.number(hit.group("v2")) if hit.group("v2") else None, _specific(ctx, concept)))
    time_values = _time_values(v, measures, cis, ratio_spans) if measures else []
    values.extend(x for x in responders if not any(a <= x[0] < b for a, b, _ in cis))
    values.extend(x for x in lay if not any(a <= x[0] < b for a, b, _ in cis))

    out: list[Outcome] = []
    units = {x[0]: x[5] for x in time_values}
    values.extend(x[:5] for x in time_values)
    values.sort()
    assigned = _assign_arms(ctx, v, arms, [(a, b) for a, b, *_ in values])
    assigned = [st.value_arms.get(x[0], arm) for x, arm in zip(values, assigned)]
    for (start, end, value, value_max, measure), arm in zip(values, assigned):
        if arm is None:
            continue
        ci = next((c for a, b, c in cis if 0 <= a - end <= 4), None)
        others = [m.concept for m in arms if m.concept != arm]
        size = cohorts.get(arm)
        if sentence_size and len({a for a in assigned if a}) == 1:
            size = int(sentence_size.group("n"))
        out.append(Outcome(
            arm=arm, measure=measure, value=value, value_max=value_max, unit=units.get(start, "%"),
            ci_lower=p.number(ci.group("lo")) if ci else None, ci_upper=p.number(ci.group("hi")) if ci else None,
            ci_level=p.number(ci.group("level")) if ci else None,
            time_point=_time_point_for(v, start, measures),
            cohort_size=size, comparator=others[0] if len(others) == 1 else None,
            significant=significant, p_value=_p(pval), evidence=(v.evidence(),)))
    out.extend(_ratio_outcomes(ctx, v, ratios, arms, measures, cis, [o.arm for o in out]))
    return out


# "in the hypofractionated arm", "of the whole-gland group": an arm named by what sets it apart
ELLIPTIC_ARM = re.compile(r"\b(?:in|of|with|for|on)\s+the\s+(?P<name>[\w+/-]+(?:\s[\w+/-]+)?)\s+(?:arm|group)\b|"
                          rf"(?<![\w.])(?P<v>{NUM})\s*%\s+(?P<after>[a-z][\w-]+)(?=\s*(?:[,;)]|\.?\s*$|\band\b|\bvs\b|"
                          r"\bversus\b))", re.I)
NOT_ELLIPTIC = re.compile(r"^(?:same|other|control|combination|surgical|surgery|operated|treatment|study|whole|"
                          r"placebo|experimental|intervention|first|second|two|both|each|this|that)$", re.I)


def _with_elliptic_arms(ctx, v: SentenceView, arms: list[M]) -> list[M]:
    """The sentence's arms, plus those it names by their modifier alone ('85% in the hypofractionated arm')
    where the document names the arm in full: the same arm a table head naming it so would stand for."""
    from .tables import elliptic_arm

    out = list(arms)
    for hit in ELLIPTIC_ARM.finditer(v.text):
        group = "name" if hit.group("name") else "after"  # "in the hypofractionated arm", "61% hypofractionated"
        lo, hi = v.s.start + hit.start(group), v.s.start + hit.end(group)
        if NOT_ELLIPTIC.match(hit.group(group)) or any(m.start < hi and lo < m.end for m in arms):
            continue
        concept = elliptic_arm(ctx, v, lo, hi)
        if concept:
            out.append(M(lo, hi, concept, "Therapy", ctx.doc.text[lo:hi]))
            if group == "after":  # the name right after the value is that value's arm
                _state(ctx).value_arms[v.s.start + hit.start("v")] = concept
    return sorted(out, key=lambda m: (m.start, -m.end))


# "adding A to B raised X from 61% to 78%": the first value is B's alone, the second the combination's
ADDING = re.compile(r"\badd(?:ing|ed|s)?\s+$", re.I)
FROM_TO = re.compile(rf"\bfrom\s+(?P<x>{NUM})\s*%\s+to\s+(?P<y>{NUM})\s*%", re.I)


def _added_drug_change(ctx, v: SentenceView, arms: list[M]) -> None:
    """'Adding A to B improved X from 61% to 79%': a change from the backbone given alone to the backbone
    with the added drug. Records the two values' arms (B alone, A plus B) for the values to take."""
    change = FROM_TO.search(v.text)
    if change is None or len(arms) < 2:
        return
    text = ctx.doc.text
    for added, backbone in zip(arms, arms[1:]):
        if ADDING.search(text[max(v.s.start, added.start - 10):added.start]) and \
                re.fullmatch(r"\s+to\s+(?:the\s+|an?\s+)?", text[added.end:backbone.start]) and \
                backbone.end <= v.s.start + change.start():
            named = _state(ctx).value_arms
            named[v.s.start + change.start("x")] = _coined_arm(ctx, [backbone], "alone")
            named[v.s.start + change.start("y")] = _coined_arm(ctx, [added, backbone], "plus")
            return


def _coined_arm(ctx, parts: list[M], how: str) -> str:
    """The arm 'B alone' or 'A plus B' (the one the document already has, else a provisional concept whose
    names are the ones the text uses and whose broader concepts are its parts)."""
    st = _state(ctx)
    labels = [getattr(ctx.term.concepts.get(m.concept), "label", None) or m.text.lower() for m in parts]
    if how == "alone":
        label, written = f"{labels[0]} alone", (f"{parts[0].text} alone",)
    else:
        same = next((d.concept for d in st.coined.values() if set(d.broader) == {m.concept for m in parts}), None)
        if same:
            return same
        label = " plus ".join(labels)
        written = (" plus ".join(m.text for m in parts), " plus ".join(m.text for m in reversed(parts)))
    known = [c for c in ctx.term.lookup(label) if is_type(c.type, "Therapy")]
    if known:
        return known[0].id
    cid = slugify(label)
    if not any(m.concept == cid for m in st.arm_pool):  # else the document's own mention declares it
        st._coin(cid, parts[0].type, label, tuple(w for w in written if w.lower() != label), parts[0].start,
                 parts[-1].end, broader=tuple(m.concept for m in parts))
    return cid


DURATION_MEASURE = re.compile(r"duration|time-to|^time\b", re.I)
MEDIAN = re.compile(r"(?:median|mean)\b", re.I)  # 'the median survival': a time, whatever the endpoint


def _harm_clause(ctx, v: SentenceView, measure: M, start: int) -> bool:
    """'It normalised calcium in 71%; nausea affected about 20%': a value in a later clause that names a harm
    is that harm's rate, not the endpoint named before the semicolon."""
    text = ctx.doc.text
    cut = text.rfind(";", measure.end, start)
    if cut < 0:
        return False
    return any(cut < m.start < start and ctx.is_a(m, "AdverseEffect") for m in v.mentions)


def _share_before_endpoint(ctx, lead: str, later: M) -> str | None:
    """The endpoint of a percentage stated before any endpoint of its sentence: the one after it, unless that
    one is a duration or a median ('responses in 57% of patients, with a median duration of response of 17
    months': a share of patients is not a duration), when a response verb before the value names the
    response rate."""
    if not DURATION_MEASURE.search(later.concept) and not MEDIAN.match(later.text):
        return later.concept
    if RESPOND.search(lead):
        found = [c for c in ctx.term.lookup("response rate") if c.type == "OutcomeMeasure"]
        return found[0].id if found else None
    return None


def _specific(ctx, measure: str) -> str:
    """Unqualified 'survival' ('median survival was 8.6 months', 'survival at five years') is overall survival."""
    return GENERIC_MEASURES.get(measure, measure) if GENERIC_MEASURES.get(measure) in ctx.term.concepts else measure


OR_MORE = re.compile(r"^\s*(?:or|and)\s+(?:more|higher|greater|above|over|less|lower|fewer|below|under)\b", re.I)


def _threshold_percent(before: str, after: str) -> bool:
    """'50% or more marrow blasts', 'fewer than 5% blasts': a bound, not a measured result."""
    after = after[:40]
    if OR_MORE.match(after):
        return True
    return bool(THRESHOLD_BEFORE.search(before[-30:]) and THRESHOLD_AFTER.match(after))


def _time_values(v: SentenceView, measures: list[M], cis, ratio_spans) -> list[tuple]:
    """'median overall survival was 14.2 months with X versus 9.8 months with Y': values in time units
    after a survival, time-to-event or response-duration endpoint (or after 'median'/'mean'), that are
    neither a time point ('at 2 years') nor a follow-up ('median follow-up of 38 months')."""
    out = []
    text, base = v.text, v.s.start
    hits = list(TIME_VALUE.finditer(text)) + list(SHARED_TIME.finditer(text))
    for hit in sorted(hits, key=lambda h: h.start()):
        start = base + hit.start()
        if any(a <= start < b for a, b, _ in cis) or any(a <= start < b for a, b in ratio_spans):
            continue
        lead = text[:hit.start()]
        if NOT_TIME_RESULT.search(lead.rstrip() if lead.endswith(" ") else lead) or re.search(
                r"\bfollow-?up\b[^,;]{0,25}$", lead, re.I):
            continue
        measure = _nearest_before(measures, start)
        if measure is None or re.search(r"[;]|\d\s*%", text[measure.end - base:hit.start()]):
            continue
        if not (TIME_MEASURE.search(measure.concept) or re.search(r"\b(?:median|mean)\b", text[:hit.start()], re.I)):
            continue
        out.append((start, base + hit.end(), p.number(hit.group("v")),
                    p.number(hit.group("v2")) if hit.group("v2") else None, _specific(v.ctx, measure.concept),
                    p.unit_code(hit.group("u"))))
    return out


def _responders(ctx, v: SentenceView) -> list[tuple[int, int, float, float | None, str]]:
    """'younger patients responded more often (60% v 35%)': percentages in a sentence that names no
    endpoint but uses the verb of the previous result's response endpoint."""
    if not RESPOND.search(v.text):
        return []
    previous = _previous_outcome_view(ctx, v)
    prev = _state(ctx).outcomes.get(previous.index) if previous is not None else None
    if not prev or "respon" not in prev[0].measure:
        return []
    out = []
    for hit in p.PERCENT.finditer(v.text):
        if COHORT_PERCENT.match(v.text[hit.end():]) or re.match(r"\s*(?:CI|confidence)", v.text[hit.end():]):
            continue
        out.append((v.s.start + hit.start(), v.s.start + hit.end(), p.number(hit.group("v")),
                    p.number(hit.group("v2")) if hit.group("v2") else None, prev[0].measure))
    return out


def _ratios(v: SentenceView) -> list[tuple[int, int, float, str, str]]:
    """Hazard, odds and risk ratios: (start, end, value, kind, 'for X' text), including a bare value
    with its interval that continues a ratio named earlier in the sentence ('..., and 1.10 (95% CI
    0.80-1.50) in women')."""
    base, text = v.s.start, v.text
    out = []
    for hit in p.RATIO.finditer(text):
        kind = _ratio_kind(hit.group("kind"))
        out.append((base + hit.start("v"), base + hit.end("v"), float(hit.group("v")), kind, hit.group("mid") or ""))
    if out:
        for c in p.CI.finditer(text):
            lead = re.search(rf"(?<![\d.])(?P<v>\d+\.\d+)\s*[(,]?\s*$", text[max(0, c.start() - 8):c.start()])
            if not lead:
                continue
            at = c.start() - len(text[max(0, c.start() - 8):c.start()]) + lead.start("v")
            value = float(lead.group("v"))
            if any(a == base + at for a, *_ in out):
                continue
            if not p.number(c.group("lo")) <= value <= p.number(c.group("hi")):
                continue
            earlier = [r for r in out if r[0] < base + at]
            if earlier:
                out.append((base + at, base + at + len(lead.group("v")), value, earlier[-1][3],
                            "\x00" + str(earlier[-1][0])))
    return sorted(out)


def _ratio_kind(text: str) -> str:
    t = text.lower()
    for word, unit in p.RATIO_KIND:
        if word in t:
            return unit
    return {"hr": "HR", "ahr": "HR", "shr": "HR", "or": "OR", "aor": "OR", "rr": "RR", "irr": "RR"}.get(t, "HR")


def _ratio_outcomes(ctx, v: SentenceView, ratios, arms: list[M], measures: list[M], cis,
                    value_arms: list[str] = ()) -> list[Outcome]:
    """One outcome per hazard, odds or risk ratio. `value_arms`: the arms of the sentence's other values, in
    order ('88.6% with X and 84.9% with Y (HR 0.72)': the ratio compares X with Y)."""
    if not ratios:
        return []
    out = []
    text = ctx.doc.text
    previous = _previous_outcome_view(ctx, v)
    resolved: dict[int, str] = {}
    for i, (start, end, value, kind, mid) in enumerate(ratios):
        if mid.startswith("\x00"):
            measure = resolved.get(int(mid[1:]))  # a bare value continuing an earlier ratio of the sentence
        else:
            measure = _ratio_measure(ctx, v, start, mid, measures, previous, ratios)
        resolved[start] = measure
        if measure is None:
            continue
        stop = ratios[i + 1][0] if i + 1 < len(ratios) else v.s.end
        arm, comparator = _ratio_arms(ctx, v, arms, previous, value_arms, end, stop)
        if arm is None:
            continue
        ci = next((c for a, b, c in cis if 0 <= a - end <= 4), None)
        pv = p.P_VALUE.search(text[end:stop])
        significant = None
        if pv:  # "p = 0.004", "p < 0.001" significant; "p = 0.38", "p > 0.05" not
            level = float(pv.group("val"))
            significant = level < 0.05 if pv.group("cmp") in ("=", "<", "&lt;", "≤") else (
                False if level >= 0.05 else None)
        elif ci:
            lo, hi = p.number(ci.group("lo")), p.number(ci.group("hi"))
            significant = not (lo <= 1 <= hi)
        out.append(Outcome(
            arm=arm, measure=measure, value=value, unit=kind,
            ci_lower=p.number(ci.group("lo")) if ci else None, ci_upper=p.number(ci.group("hi")) if ci else None,
            ci_level=p.number(ci.group("level")) if ci else None, comparator=comparator,
            significant=significant, p_value=_p(pv), evidence=(v.evidence(),)))
    return out


# An arm set up as the reference of a comparison: "compared with X", "versus X", "relative to X".
# ("compared with 49% of those given X": the cue and the arm in one stretch with no comma between)
REFERENCE_BEFORE = re.compile(r"\b(?:compared (?:with|to)|versus|vs\.?|relative to|against|over)\s+[^,;()]{0,50}$",
                              re.I)
# An arm named right after a ratio and its interval: "0.42 (95% CI ...) for the combination".
RATIO_ARM_BEFORE = re.compile(r"^[^;]*?\b(?:for|with|in|of|favou?ring)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
# Names of control arms: the reference of a ratio, whatever order the design lists them in.
CONTROL_ARM = re.compile(r"\b(?:alone|placebo|observation|control|sham|usual care|standard of care|best supportive "
                         r"care|watchful waiting|surveillance|deferred|delayed)\b", re.I)


def _ratio_arms(ctx, v: SentenceView, arms: list[M], previous, value_arms: list[str], end: int,
                stop: int) -> tuple[str | None, str | None]:
    """The arm and comparator of a ratio ending at `end`: the arm named right after it ('0.63 for
    monotherapy'), else the sentence's arms that are not set up as the reference ('compared with X'),
    experimental arm first; a control arm ('X alone', 'placebo', 'observation') is the comparator."""
    text = ctx.doc.text
    candidates = list(dict.fromkeys([*_ordered_arms(ctx, v, arms, previous, several=True), *value_arms]))
    if not candidates:
        return None, None
    references = [m.concept for m in arms if REFERENCE_BEFORE.search(text[max(v.s.start, m.start - 70):m.start])]
    own = next((m.concept for m in arms if end < m.start < stop and
                RATIO_ARM_BEFORE.search(_unbracketed(text[end:m.start])[:60])), None)
    # with values for two arms or more, the arms that carry them are the ones compared
    valued = set(value_arms) if len(set(value_arms)) >= 2 else set(candidates)
    ordered = sorted(candidates, key=lambda c: (c in references, _is_control(ctx, c), c not in valued))
    if own is not None:
        ordered = [own] + [c for c in ordered if c != own]
    if own is None and (ordered[0] in references or _is_control(ctx, ordered[0])):
        return None, None  # only the reference is named: the ratio's own arm is not known
    others = sorted(ordered[1:], key=lambda c: (c not in references, not _is_control(ctx, c)))
    return ordered[0], others[0] if others else None


def _unbracketed(text: str) -> str:
    """Text without its bracketed asides (an interval, a p-value) and any interval left outside brackets."""
    return p.CI.sub("", re.sub(r"\([^()]*\)", "", text))


def _is_control(ctx, concept: str) -> bool:
    c = ctx.term.concepts.get(concept) or _state(ctx).coined.get(concept)
    label = getattr(c, "label", None) or concept.replace("-", " ")
    return bool(CONTROL_ARM.search(label) or CONTROL_ARM.search(concept.replace("-", " ")))


def _ratio_measure(ctx, v, start, mid, measures, previous, ratios) -> str | None:
    """The endpoint a ratio qualifies: 'the hazard ratio for death', else the nearest endpoint before
    it in the sentence, else the previous result sentence's endpoint, else one after it."""
    if mid.strip():
        composite = _composite_endpoint(ctx, mid) or _death_endpoint(ctx, mid)
        if composite:
            return composite
        lo = start - 60
        named = [m for m in v.mentions if lo <= m.start < start and m.text.lower() in mid.lower()
                 and not ctx.is_a(m, "Therapy")]  # "the hazard ratio for sLND versus SBRT": arms, not the endpoint
        named += [m for m in _state(ctx).measures(v) if lo <= m.start < start and m.text.lower() in mid.lower()]
        if named:
            return named[-1].concept
    before = _nearest_before(measures, start)
    if before:
        return before.concept
    at_risk = _risk_endpoint(ctx, v, start)
    if at_risk:
        return at_risk
    if previous is not None and _state(ctx).outcomes.get(previous.index):
        return _state(ctx).outcomes[previous.index][0].measure
    if measures:
        return measures[0].concept
    return None


COMPOSITE_EVENT = re.compile(r"\b(?:for|of)\s+(?P<event>[A-Za-z][\w-]*)\s+or\s+death\b", re.I)


DEATH_EVENT = re.compile(r"\b(?:for|of)\s+(?:all-cause\s+)?(?:death|dying)\b(?!\s+or\b)", re.I)
# "reduced the risk of progression (hazard ratio ...)": the event whose risk the ratio measures
RISK_OF = re.compile(r"\b(?:risk|odds|hazard|likelihood|chance)\s+of\s+", re.I)


def _death_endpoint(ctx, mid: str) -> str | None:
    """'The hazard ratio for death': a ratio of deaths compares overall survival."""
    if not DEATH_EVENT.search(mid):
        return None
    found = [c for c in ctx.term.lookup("overall survival") if c.type == "OutcomeMeasure"]
    return found[0].id if found else None


def _risk_endpoint(ctx, v: SentenceView, start: int) -> str | None:
    """'PNRT reduced the risk of progression (hazard ratio 0.57', 'the risk of metastasis or death fell by
    34% (HR 0.66': a sentence naming no endpoint gives the event whose risk it says changed, up to the
    ratio's bracket."""
    lead = ctx.doc.text[v.s.start:start]
    bracket = lead.rfind("(")
    lead = lead[:bracket] if bracket >= 0 else lead
    hits = list(RISK_OF.finditer(lead))
    if not hits:
        return None
    hit = hits[-1]
    phrase = re.split(r"[,;:]", lead[hit.start():])[0]
    found = _composite_endpoint(ctx, phrase) or _death_endpoint(ctx, phrase)
    if found:
        return found
    lo = v.s.start + hit.end()
    named = [m for m in v.mentions if lo <= m.start and m.end <= lo + len(phrase) and not ctx.is_a(m, "Therapy")]
    return named[0].concept if named else None


def _composite_endpoint(ctx, mid: str) -> str | None:
    """'The hazard ratio for progression or death': an event-or-death endpoint is that event's free
    survival (progression-free, metastasis-free, relapse-free survival) when the terminology knows it."""
    hit = COMPOSITE_EVENT.search(mid)
    if not hit:
        return None
    found = [c for c in ctx.term.lookup(f"{hit.group('event')}-free survival") if c.type == "OutcomeMeasure"]
    return found[0].id if found else None


def _lay_values(ctx, v: SentenceView) -> list[tuple[int, int, float, float | None, str]]:
    """Results stated as a state of the patients: '40% showed no evidence of relapse' (relapse-free
    survival), '30-45% of patients remained free from progression', '90% were undetectable'."""
    out = []
    base = v.s.start
    previous = None
    for hit in LAY_OUTCOME.finditer(v.text):
        measure = None
        if hit.group("free"):
            lo, hi = base + hit.start("x"), base + hit.end("x")
            inside = [m for m in v.mentions if lo <= m.start and m.end <= hi]
            names = []
            for m in inside[:1]:
                c = ctx.term.concepts.get(m.concept)
                names += ([c.label] if c else []) + [m.text]
            if RETURNING.search(hit.group("x")):  # 'no sign of the cancer returning': free of recurrence
                names = ["recurrence"]
            elif not inside:
                x = re.split(r"\s*[(,;]", hit.group("x"))[0].strip()
                names += [x, x.split()[0]] if len(x.split()) > 1 else [x]
            for n in names:
                if GENERIC_EVENT.match(n):
                    previous = previous or _previous_outcome_view(ctx, v)
                    prev = _state(ctx).outcomes.get(previous.index) if previous is not None else None
                    if prev and n.lower() in prev[0].measure:
                        measure = prev[0].measure
                        break
                found = [c for c in ctx.term.lookup(f"{n}-free survival") if c.type == "OutcomeMeasure"]
                if found:
                    measure = found[0].id
                    break
        else:
            state = re.sub(r"^an?\s+", "", re.sub(r"\s+", " ", hit.group("state").lower()))
            found = [c for c in ctx.term.lookup(STATE_MEASURES.get(state, state)) if c.type == "OutcomeMeasure"]
            marker = _main_biomarker(ctx)
            if not found and marker:
                c = ctx.term.concepts.get(marker)
                for n in ([c.label, *c.abbreviations] if c else []):
                    found = [f for f in ctx.term.lookup(f"{state} {n}") if f.type == "OutcomeMeasure"]
                    if found:
                        break
            measure = found[0].id if found else None
        if measure:
            out.append((base + hit.start(), base + hit.end("v2") if hit.group("v2") else base + hit.end("v"),
                        p.number(hit.group("v")), p.number(hit.group("v2")) if hit.group("v2") else None, measure))
            out += _compared_values(v, hit.end(), measure)
    return out


def _compared_values(v: SentenceView, after: int, measure: str) -> list[tuple]:
    """'68% of men ... were free of failure, compared with 74% after X and 64% after Y': the values set
    against a result stated as a state share its endpoint."""
    out = []
    text = v.text
    cue = COMPARED.search(text, after)
    if not cue:
        return []
    named = _state(v.ctx).value_arms
    for hit in p.PERCENT.finditer(text, cue.end()):
        start, end = v.s.start + hit.start(), v.s.start + hit.end()
        arm = next((m for m in _state(v.ctx).arm_index.inside(end, min(v.s.end, end + 70))
                    if ARM_BEFORE.search(p.CI.sub("", v.ctx.doc.text[end:m.start]))), None)
        if arm is not None:  # 'after X' names the arm here, not a failed treatment
            named[start] = arm.concept
        out.append((start, end, p.number(hit.group("v")), p.number(hit.group("v2")) if hit.group("v2") else None,
                    measure))
    return out


def _main_biomarker(ctx) -> str | None:
    counts = Counter(m.concept for v in ctx.views for m in v.of("Biomarker"))
    return counts.most_common(1)[0][0] if counts else None


def _assign_arms(ctx, v: SentenceView, arms: list[M], spans: list[tuple[int, int]]) -> list[str | None]:
    """The arm of each value: the one named with it; else the arms listed before (previous result
    sentence, study design), in order, when there are as many values; else the paragraph's therapy."""
    if not spans:
        return []
    if arms:
        own = [_arm_for(v, arms, a, b) for a, b in spans]
        fallback = arms[0].concept
        claimed = {c for c in own if c}
        first_arm = min(m.start for m in arms)
        if claimed and all(b <= first_arm for (_, b), c in zip(spans, own) if c is None):
            # "52.5% responded, against 38.6% with placebo": the value naming no arm is the topic's, not placebo's
            topic = [c for c in _ordered_arms(ctx, v, [], _previous_outcome_view(ctx, v), several=False)
                     if c not in claimed]
            fallback = topic[0] if topic else fallback
        named = [c or fallback for c in own]
        return _clause_order(v, arms, spans, named)
    previous = _previous_outcome_view(ctx, v)
    ordered = _ordered_arms(ctx, v, arms, previous, several=len(spans) >= 2)
    if len(spans) >= 2 and len(ordered) >= len(spans):
        return ordered[:len(spans)]
    if len(ordered) >= 2:
        paired = _versus_pairs(ctx, spans, ordered)
        if paired:
            return paired
    if ordered:
        return [ordered[0]] * len(spans)
    return [None] * len(spans)


# "25.8 months versus 11.3 months", "83% vs 61%": the second value is another arm's
VERSUS_GAP = re.compile(r"^\s*(?:%|months?|years?|weeks?|days?)?\s*,?\s*(?:versus|vs\.?|v\.?|compared with|"
                        r"against)\s*$", re.I)


def _versus_pairs(ctx, spans: list[tuple[int, int]], ordered: list[str]) -> list[str] | None:
    """'PFS was 25.8 versus 11.3 months, and the response rate 83% versus 61%': with the two arms known from
    before, each value after 'versus' is the second arm's and each one before it the first's."""
    text = ctx.doc.text
    second = [i > 0 and bool(VERSUS_GAP.match(text[spans[i - 1][1]:spans[i][0]])) for i in range(len(spans))]
    if not any(second):
        return None
    return [ordered[1] if later else ordered[0] for later in second]


def _clause_order(v: SentenceView, arms: list[M], spans: list[tuple[int, int]], named: list[str]) -> list[str]:
    """'..., 34% with X and 71% with Y; in those with ..., the rates were 67% and 83%': a clause naming no
    arm, with one value per arm of the sentence, lists them in the order the sentence named them."""
    text = v.ctx.doc.text
    order = list(dict.fromkeys(m.concept for m in arms))
    out = list(named)
    bounds = [v.s.start] + [v.s.start + h.end() for h in re.finditer(r";", v.text)] + [v.s.end]
    for lo, hi in zip(bounds, bounds[1:]):
        inside = [i for i, (a, _) in enumerate(spans) if lo <= a < hi]
        if len(order) < 2 or len(inside) != len(order) or any(lo <= m.start < hi for m in arms):
            continue
        if re.search(r"\brespectively\b|\band\b|\bversus\b|\bvs\b", text[lo:hi], re.I):
            for i, arm in zip(inside, order):
                out[i] = arm
    return out


def _ordered_arms(ctx, v: SentenceView, arms: list[M], previous, several: bool) -> list[str]:
    """Arms for a sentence whose values do not name theirs, experimental arm first."""
    if arms:
        return list(dict.fromkeys(m.concept for m in arms))
    st = _state(ctx)
    prev_arms = list(dict.fromkeys(o.arm for o in st.outcomes.get(previous.index, []))) if previous is not None else []
    prev_arms += [o.comparator for o in st.outcomes.get(previous.index, []) if o.comparator and o.comparator not in
                  prev_arms] if previous is not None else []
    if SAME_COHORT.search(v.text) and prev_arms:
        last = [o.arm for o in st.outcomes[previous.index]][-1]
        return [last]
    if several and len(prev_arms) >= 2:
        return prev_arms
    design = [a.mention.concept for a in st.design()]
    if several and len(design) >= 2:
        return design
    topic = _topic(ctx, v, run_in_only=True)
    if topic:
        return [_narrowed(ctx, topic)]
    if prev_arms and not _named_since(ctx, v, previous):
        return prev_arms[:1]
    topic = _topic(ctx, v)
    if topic:
        return [_narrowed(ctx, topic)]
    main = _document_arm(ctx)
    return [main] if main else []


def _named_since(ctx, v: SentenceView, previous) -> bool:
    """Whether a sentence of v's paragraph after the previous result names a therapy: 'X is offered.
    In a study of 45 patients, 69% responded' is about X, not about the arm of the result before."""
    st = _state(ctx)
    return any(w.s.block == v.s.block and w.s.section == v.s.section and st.arms(w)
               for w in ctx.views[previous.index + 1:v.index])


def _document_arm(ctx) -> str | None:
    """The arm of a result that names none and follows no named one: the document's main therapy, or the
    salvage treatment it names when that is narrower ('surgery' in a headline, 'salvage oesophagectomy'
    in the text)."""
    return _narrowed(ctx, ctx.main_therapy) if ctx.main_therapy else None


def _narrowed(ctx, concept: str) -> str:
    """A generic therapy ('surgery', 'salvage surgery') read as the document's salvage treatment when that
    is a narrower kind of it: a result that names no arm is about what the document studies."""
    salvage = ctx.main_salvage
    if salvage and salvage != concept and concept in ctx.concept_ancestors(salvage):
        return salvage
    return concept


def _topic(ctx, v: SentenceView, run_in_only: bool = False) -> str | None:
    """The therapy a paragraph is about: its run-in title ('Drugname (Brand).'), else the nearest
    earlier sentence of the paragraph that names a therapy (not a class description, 'This is an X')."""
    st = _state(ctx)
    block = [w for w in ctx.views[:v.index] if w.s.block == v.s.block and w.s.section == v.s.section]
    if block:
        first = block[0]
        if len(first.text.split()) <= RUN_IN_MAX_WORDS:
            found = st._design_mentions(first)
            if found:
                return found[0].concept
    if run_in_only:
        return None
    for w in reversed(block):
        if CLASS_SENTENCE.match(w.text):
            continue
        found = st.arms(w)
        if found:
            return _apposed_name(ctx, found).concept
    return None


def _apposed_name(ctx, found: list[M]) -> M:
    """The first therapy a sentence names, or the name set right after it when it is a class ('the
    bispecific antibody mosunetuzumab': the drug is what the sentence is about)."""
    first = found[0]
    after = next((m for m in found[1:] if m.start > first.end), None)
    if after is not None and not ctx.doc.text[first.end:after.start].strip():
        return after
    return first


def _previous_outcome_view(ctx, v: SentenceView, look_back: int = 4):
    """The nearest earlier sentence of the same section that reported outcomes."""
    for w in reversed(ctx.views[max(0, v.index - look_back):v.index]):
        if w.s.kind in ("heading", "title"):
            break
        if w.s.section != v.s.section:
            break
        if outcomes(ctx, w, cohort_sizes(ctx)):
            return w
    return None


def _p(match) -> str | None:
    if not match:
        return None
    cmp = {"&lt;": "<"}.get(match.group("cmp"), match.group("cmp"))
    return f"{cmp}{match.group('val')}"


def _time_point_for(v: SentenceView, start: int, measures: list[M]) -> str | None:
    """The time point of a value: the nearest one stated between its endpoint and the value, else just
    after the value, else the sentence's first."""
    rel = start - v.s.start
    measure = _nearest_before(measures, start)
    lo = (measure.start - v.s.start - 25) if measure else 0
    found, value_starts = _time_points(v.text)
    before = [h for s, h in found if max(lo, 0) <= s < rel]
    prior_values = [s for s in value_starts if s < rel]
    if before and (not prior_values or before[-1].start() > prior_values[-1]):
        return _format_time(before[-1])
    after = [h for s, h in found if 0 <= s - rel <= 40]
    if after:
        return _format_time(after[0])
    if before:
        return _format_time(before[-1])
    return _format_time(found[0][1]) if found else None


@lru_cache(maxsize=256)  # asked once for every value of a sentence
def _time_points(text: str) -> tuple[tuple, tuple[int, ...]]:
    """The time points of a sentence, (start, match), and where its percentages start."""
    return (tuple((h.start(), h) for h in p.TIME_POINT_ANY.finditer(text)),
            tuple(m.start() for m in p.PERCENT.finditer(text)))


def _format_time(hit) -> str | None:
    n = next((hit.group(f"n{i}") for i in range(1, 7) if hit.group(f"n{i}")), None)
    u = next((hit.group(f"u{i}") for i in range(1, 7) if hit.group(f"u{i}")), None)
    if n is None or u is None:
        return None
    value = p.number_any(n)
    unit = u.lower().rstrip("s")
    return f"{p.format_value(value)} {unit}{'' if value == 1 else 's'}"


def _nearest_before(mentions: list[M], pos: int) -> M | None:
    before = [m for m in mentions if m.start < pos]
    return before[-1] if before else None


ANOTHER_VALUE = re.compile(r"\d\s*%")


def _arm_for(v: SentenceView, arms: list[M], start: int, end: int) -> str | None:
    """The arm a value belongs to: 'with X' right after it, else the nearest arm before it."""
    after = [m for m in arms if 0 <= m.start - end <= 45 and not re.search(r"[;]", v.ctx.doc.text[end:m.start])]
    for m in after:
        gap = v.ctx.doc.text[end:m.start]
        gap_wo_ci = p.CI.sub("", gap)
        if ANOTHER_VALUE.search(gap_wo_ci):
            break  # "52.5% responded, against 38.6% with placebo": the arm is the later value's
        if ARM_BEFORE.search(gap_wo_ci):
            return m.concept
    before = [m for m in arms if m.end <= start]
    return before[-1].concept if before else None
