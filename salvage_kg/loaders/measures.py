"""Values: criteria and thresholds, treatment durations, and reported outcomes.

Criteria are read from the ways clinical English states a threshold: a parameter followed by a
comparator and a value ("a creatinine of 2 mg/dL or more", "a level between 1 and 3 ng/mL"),
an age band ("aged 40-80"), a count ("three or more active agents", "after three failed lines"), a
wait ("no sooner than 8 weeks after chemotherapy"), a prior exposure ("despite a minimum of 5 days
of therapy X"), an exclusion ("people with X were ineligible", "without distant spread") or a
contraindication ("contraindicated in X").

Outcomes are percentages and ratios tied to an outcome measure and an arm. The arm is the therapy
named with the value ("74% with X", "in the X arm", "for X"); failing that, the arms the previous
result sentence or the study design listed, in order ("78% versus 63%"), or the therapy the
paragraph is about. Hazard and odds ratios are outcomes of the experimental (first-named) arm,
with the endpoint they qualify as the measure.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from dataclasses import replace

from ..assertions import ConceptDeclaration, Criterion, Duration, Evidence, Outcome
from . import arms as arms_mod
from . import patterns as p
from .recognize import slugify
from .context import DocumentContext, M, SentenceView, SpanIndex
from .criteria_phrases import NEGATED_BOUND, absent_condition, absent_if, ages, counts, denied_bound, lesion_sizes, \
    measured_noun_phrases, phrase_criteria, ruled_out_populations, subgroup_of_result, without_claimed_values
from .prefilter import prefiltered

NUM = p.NUM
WORDS = p.WORD_NUM_RX
# Volumes in millilitres ("smaller than 40 mL") besides the shared units.
UNIT = rf"{p.UNIT_ANY_RX}|(?:ml|cc)(?![A-Za-z/])"
# Size comparisons ("smaller than", "larger than") besides the shared comparators.
SIZE_COMPARATORS = {"smaller than": "<", "larger than": ">", "bigger than": ">", "greater than": ">"}
COMPARATOR_RX = rf"{p.COMPARATOR_RX}|smaller than|larger than|bigger than"
# After a parameter: optional filler words, a comparator, a value or range, a unit.
THRESHOLD = re.compile(
    rf"^(?P<gap>(?:[\s,:;()]|\s[-–—]\s|\b(?:serum|levels?|values?|of|is|was|are|were|still|a|an|the|score|time|"
    rf"that|which|"
    rf"rises?|rising|raised|increases?d?|low|high|persistently|had|has|have|already|reached|reaches|with|"
    rf"none|stays?|stayed|remains?|remained|drops?|dropped|dropping|falls?|fell|falling|goes|went|gets|"
    rf"which means|means|meaning|i\.e\.|defined as|usual|target|range|measured|concentrations?|"
    rf"has risen to|had risen to|risen to|rose to|rises to|climbed to|fallen to|fell to|to be|must be|should be|"
    rf"needs? to be|had to be|has to be|remains at|stays at|remained at|blood tests?|at baseline)\b)*?)"
    rf"(?P<between>between\s+)?(?P<cmp>{COMPARATOR_RX})?\s*(?P<v>{NUM})"
    rf"(?:(?P<join>{p.DASH}|\s+and\s+|\s+or\s+)(?P<v2>{NUM})|/\d{{2,3}}(?=\s*mm))?\s*"  # 140/90 mmHg: systolic
    rf"(?P<unit>{UNIT})?(?:(?<=\s)(?:cancer|disease|tumou?r|lesions?|nodes?)\b)?(?:\s*(?P<cmp2>and (?:higher|above|more|longer|older|over)|or (?:higher|more|greater|above|"
    rf"less|lower|below|fewer|longer|shorter|older|younger|over|under)))?", re.I)
DURATION = re.compile(
    rf"(?P<lead>\b(?:duration|for|extension to|extended to|extend(?:ed|ing)? to|given for|course of|lasting|"
    rf"over|total of)\b[^.;\d]{{0,60}}?)(?P<v>{NUM})(?:{p.DASH}(?P<v2>{NUM}))?\s*(?P<u>months?|years?|weeks?)\b",
    re.I)
COHORT_ARM = re.compile(r"(?<![\d.,])(\d{2,6})\s*(?:[a-z]+\s+){0,2}?(?:patients |men |women |participants |adults |"
                        r"people )?(?:with (?:[\w-]+ ){1,8}?(?=who ))?(?:who |were )?"
                        r"(?:treated with |receiving |received |underwent |in the |with )?$",
                        re.I)
# Mentions that are not arms: a time reference ("before transplant", "at surgery") or a background
# regimen ("combined with an optimised background regimen").
NOT_ARM_BEFORE = re.compile(r"\b(?:before|at|during|until|prior to|since|combined with|together with|in combination "
                            r"with|on top of|alongside|added to|background of|backbone of)\s+(?:the\s+|a\s+|an\s+|"
                            r"their\s+|first\s+|an?\s+optimi[sz]ed\s+)?$", re.I)
BACKGROUND = re.compile(r"\bbackground\b", re.I)
# An arm named by its role in the design: "the combination (arm)", "the control arm/group", "the surgical group".
ARM_ANAPHOR = re.compile(r"\bthe\s+(?:(?P<combo>combination)(?:\s+(?:arm|group))?(?!\s+(?:of|with|therapy|"
                         r"regimen|treatment))|control\s+(?:arm|group)|(?P<surgical>surgical|surgery|operated)\s+"
                         r"(?:arm|group|cohort|patients))\b", re.I)
# "X, defined as a complete or partial response or stable disease, ...": endpoints named in a definition.
# Percentages that describe a cohort, not a result.
RATIO_UNIT = {"hazard": "HR", "odds": "OR", "relative risk": "RR", "risk ratio": "RR", "rate ratio": "RR"}
# "median overall survival was 14.2 months": a time-valued result; not a time point or a follow-up.
# "5.5 versus 2.4 months": the first value shares the unit written after the second.
# Timings and schedules that tell arms of one therapy apart ("immediate versus deferred ADT").
STRATEGY = re.compile(r"\b(immediate|deferred|delayed|early|late|intermittent|continuous|upfront|up-front)[ \t]+",
                      re.I)
# Site qualifiers that narrow an event-free endpoint ("nodal recurrence-free survival").
SITE_QUALIFIER = re.compile(r"\b(nodal|local|locoregional|loco-regional|regional|distant|pelvic|intracranial|"
                            r"extracranial|intrahepatic|extrahepatic|systemic)[ \t]+", re.I)
FREE_SURVIVAL = re.compile(r"\b[A-Za-z][\w]*(?:-[A-Za-z]\w*)*-free\s+survival\b", re.I)
FREE_SURVIVAL_STRETCH = re.compile(r"[\w\s-]*")  # what it is made of: searched only in runs of these around its words

# --- criteria beyond "parameter + value" ---------------------------------------------------------
RATIO_OR_SUMMARY_BEFORE = re.compile(r"\b(?:ratio|odds|risk|rate|incidence|median|mean|average|baseline|"
                                     r"change in|reduction in|decline in)\b(?:\s+(?:for|of|in))?\s+(?:the\s+)?$", re.I)
WAIT = re.compile(
    rf"(?:\b(?P<cmp>at least|more than|no sooner than|no earlier than|a minimum of|within|less than|no more than)\s+|"
    rf"\band\s+|\b(?=\d[\d.]*\s*(?:to|-|–)\s*\d))"  # or a window: "4 to 8 weeks after X"
    rf"(?P<v>{NUM}|{WORDS})(?:\s*(?:to|-|–)\s*(?P<v2>{NUM}))?\s+(?P<u>days?|weeks?|months?|years?)\s+"
    rf"(?:(?:have|has|had)\s+(?:passed|elapsed)\s+)?"
    rf"(?:after|since|from)\s+(?:the\s+|your\s+|their\s+|his\s+|her\s+)?"
    rf"(?:(?:end|completion|last dose|cessation|discontinuation)\s+of\s+(?:the\s+)?|(?:stopping|completing|"
    rf"finishing|discontinuing|ending)\s+(?:the\s+)?|(?:you|they|he|she|patients|the patient)\s+(?:finished|"
    rf"completed|stopped|ended)\s+(?:the\s+|your\s+|their\s+)?|(?:first|previous|prior|last|initial)\s+(?:course|"
    rf"cycle|dose|session)s?\s+of\s+(?:the\s+)?)?(?P<q>(?:first|second|third)-line\s+|initial\s+|primary\s+|"
    rf"(?:first|previous|prior|last)\s+)?$", re.I)
DEFINES = re.compile(r"\b(?:defined as|defined by|means|refers to|definition)\b", re.I)
# "within 6 months of parathyroidectomy": a window after a treatment bounds the time since it
WITHIN_OF_TREATMENT = re.compile(rf"\b(?P<cmp>within)\s+(?P<v>{NUM}|{WORDS})\s+(?P<u>days?|weeks?|months?|years?)\s+of\s+"
                       rf"(?:the\s+|your\s+|their\s+|an?\s+)?(?:(?:end|completion)\s+of\s+(?:the\s+)?)?$", re.I)
EXPOSURE = re.compile(
    rf"\b(?:after|despite|following)\s+(?P<cmp>at least|more than|a minimum of|≥|>=)\s+(?P<v>{NUM}|{WORDS})\s+"
    rf"(?P<u>days?|weeks?|months?)\s+of\s+(?:[\w-]+\s+){{0,3}}?$", re.I)
TIME_UNIT = re.compile(r"day|week|month|year", re.I)  # in every match of WAIT, WITHIN_OF_TREATMENT, EXPOSURE
TIME_UNIT = prefiltered(TIME_UNIT)  # (most sentences hold none)
LIVE = re.compile(
    rf"\b(?:expected|likely)\s+to\s+live\s+(?:for\s+)?(?:(?P<cmp>at least|more than|over|longer than)\s+"
    rf"(?:another\s+|a further\s+)?(?P<v>{NUM}|{WORDS})\s+(?:more\s+)?years?\b|(?P<v2>{NUM}|{WORDS})\s+"
    rf"(?:more\s+)?years?\s+(?P<cmp2>or (?:more|longer)|and (?:more|longer)))", re.I)
DOUBLING = re.compile(
    rf"\bdoubl(?:ing|es)\s+(?:in|within|every)\s+(?P<cmp>less than|under|fewer than|more than|over|longer than|"
    rf"shorter than)\s+(?P<v>{NUM}|{WORDS})\s+(?P<u>months?|years?|weeks?)", re.I)
CONTRA = re.compile(
    r"\b(?:avoid(?:ed)?|(?:is |are )?contraindicated|should not be (?:used|given)|must not be (?:used|given)|"
    r"do not use)\s+(?:in|with|for)\s+(?:(?:patients|people|those|anyone|men|women|children|adults)\s+"
    r"(?:with|who\s+(?:have\s+had|have|had|are)|whose)\s+)?(?P<np>[A-Za-z][^.;,()\[]{2,80})|"
    # "I would not offer it to a woman with an anterior fistula or to anyone whose continence is already weak"
    r"\b(?:not|never)\s+(?:offer|recommend|advise|suggest|use)\s+(?:it|this|them|that)\s+(?:to|for|in)\s+"
    r"(?:an?\s+)?(?:patients?|people|persons?|those|anyone|men|man|women|woman|children|child|adults?)\s+"
    r"(?:with|who\s+(?:have\s+had|have|has|had|are|is))\s+(?P<np2>[A-Za-z][^.;,()\[]{2,80})", re.I)
# "in men who have had seizures or who have untreated hypothyroidism": one population per alternative
CONTRA_ITEM = re.compile(r"\s+(?:or|and)\s+(?:(?:to|for|in)\s+)?(?:(?:(?:patients|people|those|men|women|children|adults|"
                         r"anyone)\s+)?(?:with|who\s+(?:have\s+had|have|had|are)|whose)\s+|any\s+)?", re.I)
AT_LEAST_RESPONSE = re.compile(r"\bat least (?:a|an)\s+$", re.I)
ANAPHORIC_LEVEL = re.compile(r"\b(?P<dir>below|under|above|over|less than|greater than|higher than|lower than)\s+"
                             r"(?:that|this|the same)\s+(?:level|threshold|value|cut-?off|cut-?point)\b", re.I)
BENEFIT_CUE = re.compile(r"\bbenefit|\boffered\b|\bshould\b|\brecommend", re.I)
NO_SPREAD = re.compile(r"\b(?:no|without|free of|absence of|"
                       # "a PSMA PET to rule out spread", "to make sure the cancer has not spread"
                       r"rul(?:e|es|ed|ing)\s+out|(?:has|have)\s+not|(?:has|have)n[’']t)\s+(?:\w+\s+){0,3}?"
                       r"(?:spread|metasta\w*|distant disease)\b", re.I)
EXCLUDED = re.compile(r"\b(?:patients|men|women|people|those|participants|subjects|adults|children)\s+with\s+"
                      r"(?P<np>[^.;]{3,80}?)\s+(?:were|was|are)\s+(?:excluded|ineligible|not eligible)\b", re.I)
COUNT_BEFORE = re.compile(rf"(?:\d+|{WORDS})\s+$", re.I)
COORDINATED_SITES = re.compile(r"\b\w+\s+(?:or|and|and/or)\s+\w+\s+metastas[ie]s\b", re.I)
# "Deauville score", "Child-Pugh class", and an acronym with one word of gloss ("IPSS symptom score").
SCORE_PARAM = re.compile(r"\b(?P<name>(?:[A-Z][A-Za-z]+[-\s]){1,2}|[A-Z]{2,}\s[a-z]{3,}\s)"
                         r"(?P<head>score|index|scale|class|criteria)\b")
NOT_NAMES = {"the", "a", "median", "mean", "total", "overall", "baseline", "their", "its", "this", "high", "low",
             "higher", "lower", "final", "new", "any"}
LEVEL_PARAM = re.compile(r"^\s+(?:(?P<kind>(?:trough|peak|serum|plasma|blood)\s+)?(?P<head>levels?|concentrations?)|"
                         r"(?P<trough>trough))\b", re.I)  # "an infliximab trough below 5 µg/mL"
LEVEL_TEST = re.compile(r"\b(?:levels?|concentrations?|trough|count|ratio|clearance)\b", re.I)
RESISTANCE_PARAM = re.compile(r"^\s+resistance(?:\s+rates?)?\b", re.I)
# Costly patterns skip text that lacks the words every match contains (prefilter.py).
FREE_SURVIVAL, CONTRA, ANAPHORIC_LEVEL, NO_SPREAD, SCORE_PARAM, LIVE, DOUBLING, EXCLUDED = map(
    prefiltered, (FREE_SURVIVAL, CONTRA, ANAPHORIC_LEVEL, NO_SPREAD, SCORE_PARAM, LIVE, DOUBLING, EXCLUDED))
# Cues looked for just before or after a mention: the sentence is tested once for their words
# (SentenceView.search_before, match_after).
COHORT_ARM, LEVEL_PARAM, RESISTANCE_PARAM = map(prefiltered, (COHORT_ARM, LEVEL_PARAM, RESISTANCE_PARAM))


# =================================================================================================
# Document-level state: combination arms, coined concepts, memoised per-sentence results
# =================================================================================================

class _DocState:
    def __init__(self, ctx: DocumentContext):
        self.ctx = ctx
        self.coined: dict[str, ConceptDeclaration] = {}
        all_mentions = [m for v in ctx.views for m in v.mentions]
        decls, combos = arms_mod.combination_arms(ctx.doc, all_mentions, ctx.term)
        extended = arms_mod.inserted_salvage(ctx.doc, all_mentions, ctx.term)
        for d in decls:
            self.coined.setdefault(d.concept, d)
        therapies = [m for m in all_mentions if arms_mod.is_therapy(m)]
        self.arm_pool = arms_mod.with_combinations(therapies, combos + extended + self._strategy_arms(therapies))
        self.measure_pool = self._measure_pool(all_mentions)
        self.arm_index, self.measure_index = SpanIndex(self.arm_pool), SpanIndex(self.measure_pool)
        self.parameters: dict[int, list[tuple[M, int]]] = {}
        self.outcomes: dict[int, list[Outcome]] = {}
        self.value_arms: dict[int, str] = {}  # a value's arm where results.py reads it off the value's own words
        self.criteria: dict[int, list[Criterion]] = {}
        self._design = None
        self._units = None
        self.sizes = None
        self.tables = None

    # --- mentions ---------------------------------------------------------------------------------

    def _measure_pool(self, all_mentions: list[M]) -> list[M]:
        """Outcome measures: the recognised ones, plus endpoints the document defines by an abbreviation
        ('complete biochemical response (cBR)') and '<X>-free survival' endpoints the terminology lacks."""
        ctx = self.ctx
        text = ctx.doc.text
        known = [m for m in all_mentions if ctx.is_a(m, "OutcomeMeasure")]
        extra: list[M] = []
        for d in _recognizer(ctx.term).defined_abbreviations(text):
            if d.concept or d.type != "OutcomeMeasure":
                continue
            cid = slugify(d.long)
            self._coin(cid, "OutcomeMeasure", d.long.lower(), (d.short,), d.long_start,
                       max(d.long_end, d.short_end))
            for rx in (re.compile(rf"(?<![\w-]){re.escape(d.long)}(?![\w-])", re.I),
                       re.compile(rf"(?<![\w-]){re.escape(d.short)}(?![\w-])")):
                for hit in rx.finditer(text):
                    extra.append(M(hit.start(), hit.end(), cid, "OutcomeMeasure", hit.group(0)))
        for hit in FREE_SURVIVAL.finditer_around(text, FREE_SURVIVAL_STRETCH):
            phrase = re.sub(r"\s+", " ", hit.group(0))
            if ctx.term.lookup(phrase):
                continue
            cid = slugify(phrase)
            self._coin(cid, "OutcomeMeasure", phrase, (), hit.start(), hit.end())
            extra.append(M(hit.start(), hit.end(), cid, "OutcomeMeasure", hit.group(0)))
        extra += self._site_qualified(known)
        extra = _dedupe(extra)
        return arms_mod.with_combinations(known, extra)

    def _strategy_arms(self, therapies: list[M]) -> list[M]:
        """'immediate ADT' versus 'deferred ADT': where a document sets two timings or schedules of one
        therapy against each other, each qualified form is an arm of its own."""
        text = self.ctx.doc.text
        found: dict[str, list[tuple[M, re.Match]]] = {}
        for m in therapies:
            hit = STRATEGY.search(text, max(0, m.start - 14), m.start)
            if hit and hit.end() == m.start:
                found.setdefault(m.concept, []).append((m, hit))
        out = []
        for pairs in found.values():
            if len({h.group(1).lower() for _, h in pairs}) < 2:
                continue  # one qualified form alone is a description, not a contrast of arms
            for m, hit in pairs:
                phrase = f"{hit.group(1).lower()} {m.text if m.text.isupper() else m.text.lower()}"
                cid = slugify(phrase)
                self._coin(cid, "Therapy", phrase, (), hit.start(), m.end)
                out.append(M(hit.start(), m.end, cid, m.type, text[hit.start():m.end]))
        return out

    def _site_qualified(self, known: list[M]) -> list[M]:
        """'nodal recurrence-free survival', 'distant metastasis-free survival': a site qualifier makes
        an event-free endpoint of its own, narrower than the one the terminology recognised inside it."""
        text = self.ctx.doc.text
        out = []
        for m in known:
            if not m.text.lower().endswith("free survival"):
                continue
            hit = SITE_QUALIFIER.search(text, max(0, m.start - 16), m.start)
            if not hit or hit.end() != m.start:
                continue
            phrase = re.sub(r"\s+", " ", f"{hit.group(1)} {m.text}")
            found = [c for c in self.ctx.term.lookup(phrase) if c.type == "OutcomeMeasure"]
            cid = found[0].id if found else slugify(phrase.lower())
            if not found:
                self._coin(cid, "OutcomeMeasure", phrase.lower(), (), hit.start(), m.end)
            out.append(M(hit.start(), m.end, cid, "OutcomeMeasure", text[hit.start():m.end]))
        return out

    def _coin(self, cid: str, type_name: str, label: str, abbreviations: tuple, start: int, end: int,
              broader: tuple[str, ...] = ()) -> None:
        if cid in self.coined or cid in self.ctx.term.concepts:
            return
        text = self.ctx.doc.text
        self.coined[cid] = ConceptDeclaration(concept=cid, type=type_name, label=label, abbreviations=abbreviations,
                                              broader=broader,
                                              evidence=(Evidence(self.ctx.doc.id, start, end, text[start:end]),))

    def measures(self, v: SentenceView) -> list[M]:
        return self.measure_index.inside(v.s.start, v.s.end)

    def arms(self, v: SentenceView) -> list[M]:
        """Therapies of the sentence that may name an arm: not a failed prior treatment, not part of an
        endpoint's name ('ADT-free survival'), not a time reference or a background regimen."""
        text = self.ctx.doc.text
        priors = {(m.start, m.end) for m in v.priors}
        measures = self.measures(v)
        out = []
        for m in self.arm_index.inside(v.s.start, v.s.end):
            lead = text[max(v.s.start, m.start - 40):m.start]
            result_of = bool(p.RESULT_AFTER_TREATMENT.search(lead))  # that treatment is the result's arm
            if ((m.start, m.end) in priors and not result_of) or any(x.start < m.end and m.start < x.end
                                                                     for x in measures):
                continue
            if not result_of and any(x.start <= m.start and m.end <= x.end for x in v.priors):
                continue
            if NOT_ARM_BEFORE.search(lead) or BACKGROUND.search(m.text):
                continue
            out.append(m)
        return sorted(out + self._arm_anaphors(v, out), key=lambda m: (m.start, -m.end))

    def _arm_anaphors(self, v: SentenceView, named: list[M]) -> list[M]:
        """'with the combination', 'in the control arm', 'of the surgical group': the design's combination arm,
        its last arm, its one operation."""
        design = self.design()
        if len(design) < 2 and not ARM_ANAPHOR.search(v.text):
            return []
        combos = [a.mention for a in design if (a.mention.concept in self.coined and self.coined[
            a.mention.concept].broader) or re.search(r"\s+plus\s+|\s*\+\s*|-plus-", a.mention.text, re.I)]
        out = []
        for hit in ARM_ANAPHOR.finditer(v.text):
            start, end = v.s.start + hit.start(), v.s.start + hit.end()
            if any(m.start < end and start < m.end for m in named):
                continue
            if hit.group("combo"):
                if len(design) < 2 or len(combos) != 1:
                    continue
                target = combos[0]
            elif hit.group("surgical"):
                operations = self._operations(v, design)
                if len(operations) != 1:
                    continue
                target = operations[0]
                start = v.s.start + hit.start("surgical")  # "81.8% of the surgical group": the arm follows "of the"
            elif len(design) < 2:
                continue
            else:
                target = design[-1].mention
            out.append(M(start, end, target.concept, target.type, self.ctx.doc.text[start:end]))
        return out

    def _operations(self, v: SentenceView, design) -> list[M]:
        """The one operation of the design, else of this sentence and the one before (a cohort's groups)."""
        named = [a.mention for a in design] or [m for w in self.ctx.views[max(0, v.index - 1):v.index + 1]
                                                for m in self._design_mentions(w)]
        operations = {m.concept: m for m in named if self.ctx.is_a(m, "Surgery")}
        return list(operations.values())

    def design(self) -> list[arms_mod.DesignArm]:
        if self._design is None:
            self._design = arms_mod.design_arms(self.ctx, self._design_mentions)
        return self._design

    def _design_mentions(self, v: SentenceView) -> list[M]:
        failed = {x.concept for x in v.priors}
        return [m for m in self.arm_index.inside(v.s.start, v.s.end) if m.concept not in failed]

    def units(self) -> dict[str, str]:
        """The unit each parameter takes where the document states one ('PSA of 0.5' is in ng/mL)."""
        if self._units is None:
            counts: dict[str, Counter] = {}
            for v in self.ctx.views:
                for m, _ in _parameter_mentions(self.ctx, v):
                    hit = THRESHOLD.match(self.ctx.doc.text[m.end:v.s.end])
                    if hit and hit.group("unit") and len(hit.group("gap")) <= 30:
                        counts.setdefault(_base_parameter(self.ctx, m.concept), Counter())[
                            _unit(hit.group("unit"))] += 1
            self._units = {k: c.most_common(1)[0][0] for k, c in counts.items()}
        return self._units


def _state(ctx: DocumentContext) -> _DocState:
    st = ctx.__dict__.get("_measures_state")  # kept on the context: it lives and dies with it
    if st is None:
        st = ctx.__dict__["_measures_state"] = _DocState(ctx)
    return st


_RECOGNIZERS: dict[int, object] = {}


def _recognizer(term):
    r = _RECOGNIZERS.get(id(term))
    if r is None:
        from .recognize import Recognizer

        r = Recognizer(term)
        _RECOGNIZERS.clear()
        _RECOGNIZERS[id(term)] = r
    return r


def declarations(ctx: DocumentContext) -> list[ConceptDeclaration]:
    """Provisional concepts this module coined for the document (combination arms, endpoints it defines,
    parameters such as 'Deauville score' or 'time since antibiotic therapy'). Call after every sentence
    has been read: extract.py should `out.extend(measures.declarations(ctx))` after its sentence loop."""
    st = _state(ctx)
    for v in ctx.views:
        criteria(ctx, v)
    return list(st.coined.values())


def _dedupe(mentions: list[M]) -> list[M]:
    out: list[M] = []
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if out and out[-1].start <= m.start and m.end <= out[-1].end:
            continue
        out.append(m)
    return out


# =================================================================================================
# Criteria
# =================================================================================================

def criteria(ctx: DocumentContext, v: SentenceView) -> list[Criterion]:
    st = _state(ctx)
    if v.index in st.criteria:
        return st.criteria[v.index]
    out = _criteria(ctx, v) if v.s.kind not in ("heading", "title") else []
    seen, unique = set(), []
    for c in out:
        if c.key() not in seen:
            seen.add(c.key())
            unique.append(c)
    st.criteria[v.index] = unique
    return unique


TIME_UNITS = frozenset({"mo", "a", "wk", "d", "h", "min"})
PSA_KINETICS = re.compile(r"\s*(?:doubling|velocity)", re.I)  # "PSA doubling time": another parameter
PERCENT_AFTER = re.compile(r"\s*(?:%|percent)")


def _criteria(ctx: DocumentContext, v: SentenceView) -> list[Criterion]:
    st = _state(ctx)
    text = ctx.doc.text
    therapy = _subject_therapy(ctx, v)

    def coin(cid, kind, label, lo, hi):
        st._coin(cid, kind, label, (), lo, hi)

    out: list[Criterion] = []
    taken: list[tuple[int, int]] = []
    for m, strict in _parameter_mentions(ctx, v):
        if RATIO_OR_SUMMARY_BEFORE.search(text[max(v.s.start, m.start - 30):m.start]):
            continue  # "odds of response were 1.8", "mean creatinine was 1.3": results, not criteria
        tail = text[m.end:v.s.end]
        hit = THRESHOLD.match(tail)
        if not hit or len(hit.group("gap")) > 30:
            continue
        if m.concept == "psa" and PSA_KINETICS.match(tail):
            continue
        if PERCENT_AFTER.match(tail[hit.end():]) and not hit.group("unit"):
            continue
        v2 = hit.group("v2")
        join = (hit.group("join") or "").strip().lower()
        if v2 and join == "and" and not hit.group("between"):
            v2 = None
        if v2 and join == "or" and not (hit.group("v").isdigit() and v2.isdigit() and int(v2) > int(hit.group("v"))):
            v2 = None  # "grade group 4 or 5" is a range; "0.5 or 1.0" is not
        value = p.number(hit.group("v"))
        value_max = p.number(v2) if v2 else None
        symbol = p.comparator(hit.group("cmp") or hit.group("cmp2") or "") or \
            SIZE_COMPARATORS.get((hit.group("cmp") or "").lower())
        if symbol is None:
            symbol = "range" if value_max is not None else "="
        if symbol in NEGATED_BOUND and denied_bound(text[max(v.s.start, m.start - 12):m.start], hit.group("gap")):
            symbol = NEGATED_BOUND[symbol]  # "no node larger than 7 cm": every node at most 7 cm
        if strict and symbol == "=" or strict == 2 and _unit(hit.group("unit")) == "%":
            continue
        parameter = _base_parameter(ctx, m.concept)
        unit = _unit(hit.group("unit")) if hit.group("unit") else st.units().get(parameter)
        usual = st.units().get(parameter)
        if unit in TIME_UNITS and usual and usual not in TIME_UNITS:
            continue  # "a second PSA measurement at least 3 months after": a wait, not a level of the marker
        label = p.describe(_label(ctx, parameter, m), symbol, value, value_max, unit)
        out.append(Criterion(therapy=therapy, parameter=parameter, comparator=symbol, value=value,
                             value_max=value_max, unit=unit, label=label, evidence=(v.evidence(),)))
        taken.append((m.start, m.end + hit.end()))
    out.extend(_qualitative(ctx, v, therapy, taken))
    out.extend(_absent_metastases(ctx, v, therapy))
    out.extend(ages(v, therapy))
    out.extend(counts(ctx, v, therapy, coin))
    out.extend(_waits(ctx, v, therapy))
    out.extend(_lay_thresholds(ctx, v, therapy))
    out.extend(_contraindications(ctx, v, therapy, coin))
    out.extend(ruled_out_populations(ctx, v, therapy, coin))
    out.extend(absent_if(ctx, v, therapy, coin))
    out.extend(_response_required(ctx, v, therapy))
    out.extend(_anaphoric_level(ctx, v, therapy, out))
    out.extend(_pronoun_bound(ctx, v, therapy))
    out.extend(phrase_criteria(ctx, v, therapy, coin))
    out = without_claimed_values(out)
    if EXCLUDING.search(v.text) and not ALLOWING.search(v.text):
        # "We do not offer seeds if the maximum flow rate is below 10 mL/s": a bound that rules the treatment out
        out = [replace(c, negated=True) if c.comparator and not c.negated else c for c in out]
    if any(c.comparator for c in out) and subgroup_of_result(ctx, v, _sentence_outcomes(ctx, v)):
        out = [c for c in out if c.comparator is None]
    return out


EXCLUDING = re.compile(r"\b(?:(?:(?:do|does|should|must|would|will)\s+not|(?:do|does|should|must|would|wo)n[’']t)\s+"
                       r"(?:offer|recommend|treat|operate|use|give|be\s+(?:offered|used|given|started|relied\s+(?:up)?on))|"
                       r"(?:is|are|was|were)\s+not\s+(?:offered|recommended|suitable|eligible|advised)|ineligible|"
                       r"(?:relative\s+|absolute\s+)?contraindications?\b|contraindicated|exclusions?\b|"
                       r"(?:were|was|are|is)\s+excluded|"
                       # "X cannot be used if ...", "avoid it in patients aged 65 or over"
                       r"(?:cannot|can\s+not|can[’']t)\s+be\s+(?:used|given|offered|done|performed)|avoid(?:ed|s)?\b|"
                       # "the drug stopped if potassium rises above 5.5": a bound that ends the treatment
                       r"(?:stop(?:ped|s)?|discontinu(?:e|ed|es))\s+(?:[\w-]+\s+){0,3}?(?:if|when|once)\b|"
                       # "we will delay surgery until ...", "are better served by other approaches"
                       r"(?:delay(?:s|ed)?|postpone[sd]?|defer(?:s|red)?)\s+(?:the\s+)?(?:surgery|operation|treatment|therapy)\b|"
                       r"(?:is|are|be)\s+(?:usually\s+|generally\s+)?(?:delayed|postponed|deferred)\b|"
                       r"better\s+served\s+by)", re.I)
# "unless PSA is below 10": the bound after it allows the treatment; "unless no alternative exists" allows nothing
ALLOWING = re.compile(r"\b(?:unless|only if|only when|provided|as long as|except)\b(?!\s+(?:no|nothing|there is no)\b)",
                      re.I)
EXCLUDING = prefiltered(EXCLUDING)  # read in every sentence, matched in few


def _sentence_outcomes(ctx, v: SentenceView) -> list[Outcome]:
    from .results import outcomes  # results reads this module's helpers

    return outcomes(ctx, v, cohort_sizes(ctx))


def _parameter_mentions(ctx: DocumentContext, v: SentenceView) -> list[tuple[M, int]]:
    """`_find_parameter_mentions`, once per sentence (units and criteria both ask)."""
    st = _state(ctx)
    found = st.parameters.get(v.index)
    if found is None:
        found = st.parameters[v.index] = _find_parameter_mentions(ctx, v)
    return list(found)


def _find_parameter_mentions(ctx: DocumentContext, v: SentenceView) -> list[tuple[M, int]]:
    """Parameters of the sentence: recognised ones, and ones coined from the way the text names a
    measurable thing: a named score ('Deauville score'), a drug level ('voriconazole trough level'),
    a resistance rate ('levofloxacin resistance'), a state named after a biomarker ('rising PSA').
    Strictness: 0 recognised; 1 coined, needs a comparator or a range; 2 a state, also not in %."""
    st = _state(ctx)
    text = ctx.doc.text
    known = [m for m in v.of("Biomarker", "ClinicalParameter") if text[m.start - 1:m.start] != "-"]  # not "two-stage"
    out: list[tuple[M, int]] = [(m, 0) for m in known]
    coined: list[M] = []
    for hit in SCORE_PARAM.finditer(v.text):
        name = hit.group("name").strip()
        if name.split()[0].lower() in NOT_NAMES:
            continue
        start, end = v.s.start + hit.start(), v.s.start + hit.end()
        phrase = f"{name} {hit.group('head')}"
        if any(m.start < end and start < m.end for m in v.mentions):
            continue
        found = ctx.term.lookup(phrase)
        cid = found[0].id if found else slugify(phrase)
        coined.append(M(start, end, cid, "ClinicalParameter", text[start:end]))
    for m in st.arm_index.inside(v.s.start, v.s.end):
        level = v.match_after(LEVEL_PARAM, m, None)
        res = v.match_after(RESISTANCE_PARAM, m, None)
        if level:
            kind = (level.group("kind") or level.group("trough") or "").strip().lower()
            phrase = f"{_concept_label(ctx, m)} {kind + ' ' if kind else ''}level"
            end = m.end + level.end()
        elif res:
            phrase = f"{_concept_label(ctx, m)} resistance"
            end = m.end + res.end()
        else:
            continue
        coined.append(M(m.start, end, slugify(phrase), "ClinicalParameter", text[m.start:end]))
        st._coin(slugify(phrase), "ClinicalParameter", phrase, (), m.start, end)
    # A rating scale is measured like a marker: "a DAS28 below 2.6", "an ACQ-5 score of 1.5 or more".
    out.extend((m, 1) for m in v.of("OutcomeMeasure") if _is_scale(ctx.term.concepts.get(m.concept)))
    for m in v.of("DiseaseState", "OutcomeMeasure"):
        marker = _marker_in_name(ctx, m.text)
        if marker:  # "a climbing PSA at 0.3-1 ng/mL", "suppressed viral load, i.e. below 40 copies/mL"
            out.append((M(m.start, m.end, marker, "Biomarker", m.text), 2))
    for m in v.of("LaboratoryTest"):  # "your PSA blood test is lower than 10 ng/mL": the test's marker
        marker = _marker_in_name(ctx, m.text.rsplit(" ", 1)[0]) or _marker_at_start(ctx, m.text)
        if marker and not any(k.start <= m.start and m.end <= k.end for k in known):
            out.append((M(m.start, m.end, marker, "Biomarker", m.text), 1))
        elif not marker and LEVEL_TEST.search(m.text):  # "the infliximab trough level is below 5 mg/L"
            out.append((m, 1))
    for hit in ORGAN_SIZE.finditer(v.text):  # "your prostate is smaller than 40 mL": the organ's volume
        phrase = f"{hit.group('organ').lower()} volume"
        found = [c for c in ctx.term.lookup(phrase) if c.type == "ClinicalParameter"]
        start, end = v.s.start + hit.start("organ"), v.s.start + hit.end("organ")
        cid = found[0].id if found else slugify(phrase)
        if not found:
            st._coin(cid, "ClinicalParameter", phrase, (), start, end)
        out.append((M(start, end, cid, "ClinicalParameter", text[start:end]), 1))
    out.extend(lesion_sizes(ctx, v, st._coin))
    out.extend(_kinetics_of_marker(ctx, v, known))
    coined.extend(measured_noun_phrases(ctx, v, [m for m, _ in out] + coined))
    for m in coined:
        if m.concept not in ctx.term.concepts:
            st._coin(m.concept, "ClinicalParameter", m.text if m.text[:1].isupper() else m.text.lower(), (),
                     m.start, m.end)
        out.append((m, 1 if m.concept not in ctx.term.concepts else 0))
    return out


SCALE_WORDS = re.compile(r"\b(?:score|scale|index|questionnaire|inventory)\b", re.I)


@lru_cache(maxsize=None)  # asked of every outcome-measure mention of every sentence
def _is_scale(concept) -> bool:
    return concept is not None and any(SCALE_WORDS.search(t) for t in concept.terms())


# "your PSA is under 10 ng/mL and its doubling time is longer than 9 months": the kinetics of the marker named before
MARKER_KINETICS = re.compile(r"\b(?:its|their|the)\s+(?P<kind>doubling time|velocity)\b", re.I)
MARKER_KINETICS = prefiltered(MARKER_KINETICS)


def _kinetics_of_marker(ctx, v: SentenceView, known: list[M]) -> list[tuple[M, int]]:
    out = []
    for hit in MARKER_KINETICS.finditer(v.text):
        start, end = v.s.start + hit.start(), v.s.start + hit.end()
        markers = [m for m in known if m.end <= start and m.type == "Biomarker"]
        if not markers or any(m.start < end and start < m.end for m in v.mentions):
            continue
        found = [c for c in ctx.term.lookup(f"{markers[-1].text} {hit.group('kind')}") if c.type == "ClinicalParameter"
                 or c.type == "Biomarker"]
        if found:
            out.append((M(start, end, found[0].id, found[0].type, ctx.doc.text[start:end]), 0))
    return out


ORGAN_SIZE = re.compile(r"\b(?P<organ>prostate|gland|liver|spleen|thyroid|kidney|bladder|uterus|tumou?r)\s+"
                        r"(?=(?:is|was|must be|should be|needs to be|measures?)\s+(?:smaller|larger|bigger|less|more|"
                        r"greater|under|over|below|above)\b[^.;]{0,20}?\d[\d.]*\s*(?:ml|cc)\b)", re.I)
ORGAN_SIZE = prefiltered(ORGAN_SIZE)


def _marker_at_start(ctx, text: str) -> str | None:
    words = text.split()
    for k in (2, 1):
        if len(words) > k:
            found = [c for c in ctx.term.lookup(" ".join(words[:k])) if c.type == "Biomarker"]
            if found:
                return found[0].id
    return None


def _marker_in_name(ctx, text: str) -> str | None:
    """The biomarker a state's name ends with: 'rising PSA' -> PSA, 'suppressed viral load' -> viral load."""
    words = text.split()
    for k in (3, 2, 1):
        if len(words) > k:
            found = [c for c in ctx.term.lookup(" ".join(words[-k:])) if c.type == "Biomarker"]
            if found:
                return found[0].id
    return None


QUALITATIVE_SEPARATOR = re.compile(r",\s*(?:or\s+|and\s+)?|\s+or\s+")


def _qualitative(ctx, v, therapy, taken) -> list[Criterion]:
    """Criteria listed in parentheses without a number: '(..., seminal vesicle involvement)'."""
    out = []
    for group in QUALITATIVE_LIST.finditer(v.text):
        items = QUALITATIVE_SEPARATOR.split(group.group(1))
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


QUALITATIVE_LIST = re.compile(r"\(([^()]{10,300})\)")


def _absent_metastases(ctx, v, therapy) -> list[Criterion]:
    """No metastases: a negated metastasis mention, 'no sign of spread', or 'men with ... metastases
    were excluded'."""
    for m in v.mentions:
        if "metasta" in m.concept and v.negated(m):
            return [_no_metastasis(ctx, v, therapy, m.concept)]
    if NO_SPREAD.search(v.text) and not v.of("OutcomeMeasure"):
        return [_no_metastasis(ctx, v, therapy, "metastasis" if "metastasis" in ctx.term.concepts else None)]
    out = []
    for hit in EXCLUDED.finditer(v.text):
        lo, hi = v.s.start + hit.start("np"), v.s.start + hit.end("np")
        inside = [m for m in v.mentions if lo <= m.start and m.end <= hi
                  and (ctx.is_a(m, "Condition") or ctx.is_a(m, "ClinicalParameter") or ctx.is_a(m, "Biomarker"))
                  and not COUNT_BEFORE.search(ctx.doc.text[lo:m.start])]  # "more than three lesions": a count
        for m in inside:
            concept = m.concept
            if "metasta" in concept and COORDINATED_SITES.search(hit.group("np")):
                concept = "metastasis" if "metastasis" in ctx.term.concepts else concept
            out.append(_no_metastasis(ctx, v, therapy, concept, label=f"no {m.text}"))
    return out


def _no_metastasis(ctx, v, therapy, concept, label="no metastatic disease") -> Criterion:
    return Criterion(therapy=therapy, parameter=concept, negated=True, label=label,
                     evidence=(v.evidence(),))


def _waits(ctx, v: SentenceView, therapy) -> list[Criterion]:
    """'no sooner than 8 weeks after chemotherapy, and 2 weeks after stopping drug Y' (time since a
    therapy), and 'despite a minimum of 5 days of therapy X' (duration of a therapy)."""
    out = []
    text = ctx.doc.text
    st = _state(ctx)
    symbol = None
    last_end = -1
    for m in st.arm_index.inside(v.s.start, v.s.end):
        if not v.search_before(TIME_UNIT, m, 90):
            continue  # each pattern below needs one: a quick test first
        lead = text[max(v.s.start, m.start - 90):m.start]
        wait = WAIT.search(lead) or WITHIN_OF_TREATMENT.search(lead)
        upper = wait.groupdict().get("v2") if wait else None
        if upper and not wait.group("cmp") and not DEFINES.search(v.text):
            wait = None  # a bare window bounds a time only in a definition ('PSA persistence is defined as ...')
        if wait:
            if upper:
                symbol = "range"
            elif wait.group("cmp"):
                symbol = p.comparator(wait.group("cmp")) or ("<=" if wait.group("cmp").lower() == "within" else ">=")
            elif symbol is None or m.start - len(lead) + wait.start() > last_end + 3 + 40:
                continue  # "and N weeks after X" only continues a stated wait
            phrase = f"time since {_concept_label(ctx, m)}"
            cid = slugify(phrase)
            qualifier = wait.groupdict().get("q") or ""
            st._coin(cid, "ClinicalParameter", phrase, _time_since_names(ctx, m, qualifier.lower()),
                     m.start - len(lead) + wait.start(), m.end)
            unit = p.unit_code(wait.group("u"))
            value = p.number_any(wait.group("v"))
            value_max = p.number(upper) if upper else None
            out.append(_crit(v, therapy, cid, symbol, value, value_max, unit,
                             p.describe(phrase, symbol, value, value_max, unit)))
            last_end = m.end
            continue
        exp = EXPOSURE.search(lead)
        if exp:
            phrase = f"duration of {_concept_label(ctx, m)}"
            cid = slugify(phrase)
            st._coin(cid, "ClinicalParameter", phrase, (), m.start - len(lead) + exp.start(), m.end)
            unit = p.unit_code(exp.group("u"))
            value = p.number_any(exp.group("v"))
            sym = p.comparator(exp.group("cmp")) or ">="
            out.append(_crit(v, therapy, cid, sym, value, None, unit,
                             f"{phrase} {sym} {value:g} {p.UNIT_LABELS.get(unit, unit)}"))
    return out


def _lay_thresholds(ctx, v: SentenceView, therapy) -> list[Criterion]:
    """Thresholds patient texts state without the parameter's name: 'likely to live for more than 5
    years' (life expectancy), 'doubles within under a year' (the marker's doubling time)."""
    out = []
    hit = LIVE.search(v.text)
    if hit and "life-expectancy" in ctx.term.concepts:
        symbol = p.comparator(hit.group("cmp")) or ">" if hit.group("cmp") else ">="
        value = p.number_any(hit.group("v") or hit.group("v2"))
        out.append(_crit(v, therapy, "life-expectancy", symbol, value, None, "a",
                         f"life expectancy {symbol} {value:g} years"))
    for hit in DOUBLING.finditer(v.text):
        at = v.s.start + hit.start()
        markers = [m for m in v.of("Biomarker") if m.end <= at] or [
            m for w in ctx.views[max(0, v.index - 3):v.index] for m in w.of("Biomarker")]
        for m in reversed(markers):
            c = ctx.term.concepts.get(m.concept)
            names = [c.label, *c.abbreviations] if c else [m.text]
            found = next((f for n in names for f in ctx.term.lookup(f"{n} doubling time")), None)
            if found:
                symbol = p.comparator(hit.group("cmp")) or "<"
                unit = p.unit_code(hit.group("u"))
                value = p.number_any(hit.group("v"))
                out.append(_crit(v, therapy, found.id, symbol, value, None, unit,
                                 f"{found.label} {symbol} {value:g} {p.UNIT_LABELS.get(unit, unit)}"))
                break
    return out


LEADING_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.I)
STATE_OF = re.compile(r"^(?P<noun>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+(?:is|are)\s+(?:already\s+|very\s+|too\s+)?"
                      r"(?P<adj>[a-z][\w-]*)$", re.I)


NOT_A_POPULATION = re.compile(r"(?:this|that|these|those|such|routine|general|practice|isolation)\b", re.I)
COMPARISON_WORD = re.compile(r"over|under|above|below|older|younger|more|less|higher|lower", re.I)


def _contraindications(ctx, v: SentenceView, therapy, coin) -> list[Criterion]:
    """'avoid in congenital long QT', 'contraindicated in patients with X': X must be absent."""
    out = []
    for hit in CONTRA.finditer(v.text):
        group = "np" if hit.group("np") else "np2"
        clause = re.split(r"\s+(?:but|because|as|since|unless|if|when)\s+|\s+\[", hit.group(group))[0]
        at = hit.start(group)
        for item in CONTRA_ITEM.split(clause):
            np_ = LEADING_ARTICLE.sub("", item.strip())
            if not np_:
                continue
            lo = v.s.start + v.text.find(np_, at)
            hi = lo + len(np_)
            at = hi - v.s.start
            if len(np_.split()) > 6 or re.search(r"\d", np_) or COMPARISON_WORD.fullmatch(np_):
                continue  # "aged 65 or over": a bound, read as one by the age and threshold rules
            if NOT_A_POPULATION.match(np_):
                continue  # "should not be used in this setting": a setting, not a condition
            state = STATE_OF.match(np_)  # "whose continence is already weak": weak continence
            name = f"{state.group('adj')} {state.group('noun')}" if state else np_
            out.append(absent_condition(ctx, v, therapy, coin, lo, hi, name))
    return out


def _response_required(ctx, v: SentenceView, therapy) -> list[Criterion]:
    """'those with at least a partial remission went on to consolidation'."""
    out = []
    for m in v.of("OutcomeMeasure"):
        if AT_LEAST_RESPONSE.search(v.before(m, 20)):
            out.append(Criterion(therapy=therapy, parameter=m.concept, label=f"at least {m.text}",
                                 evidence=(v.evidence(),)))
    return out


def _anaphoric_level(ctx, v: SentenceView, therapy, current: list[Criterion]) -> list[Criterion]:
    """'Under this threshold X should not be given': the opposite side of the threshold just stated.
    Only where the sentence draws a consequence from it (benefit, recommendation)."""
    hit = ANAPHORIC_LEVEL.search(v.text)
    if not hit or not (BENEFIT_CUE.search(v.text) or p.strength(v.text)):
        return []
    previous = [c for c in current if c.value is not None and c.value_max is None]
    for w in reversed(ctx.views[max(0, v.index - 2):v.index]):
        if previous:
            break
        previous = [c for c in criteria(ctx, w) if c.value is not None and c.value_max is None]
    if not previous:
        return []
    ref = previous[-1]
    below = hit.group("dir").lower() in ("below", "under", "less than", "lower than")
    symbol = "<" if below else ">"
    if ref.comparator in (symbol, symbol + "="):
        return []
    label = p.describe(_label(ctx, ref.parameter, None), symbol, ref.value, None, ref.unit)
    th = _subject_therapy(ctx, v) or ref.therapy
    return [Criterion(therapy=th, parameter=ref.parameter, comparator=symbol, value=ref.value, unit=ref.unit,
                      label=label, evidence=(v.evidence(),))]


# "If it is 6 months or longer, ...", "When it is shorter than 6 months": a bound on what was just named
PRONOUN_BOUND = re.compile(
    rf"\b(?:if|when|once|where)\s+(?:it|this|that)\s+(?:is|was|lasts|falls|rises)\s+"
    rf"(?:(?P<cmp>{COMPARATOR_RX})\s*)?(?P<v>{NUM})\s*(?P<unit>{UNIT})(?:\s+(?P<cmp2>or\s+(?:longer|shorter|more|less|"
    rf"higher|lower|above|below|greater)))?", re.I)
LONGER_SHORTER = {"or longer": ">=", "or shorter": "<=", "longer than": ">", "shorter than": "<"}
PRONOUN_BOUND = prefiltered(PRONOUN_BOUND)


def _pronoun_bound(ctx, v: SentenceView, therapy) -> list[Criterion]:
    """The one parameter the sentences just before (in the same block) name, bounded by a pronoun's clause."""
    hit = PRONOUN_BOUND.search(v.text)
    if not hit or v.index == 0 or not (hit.group("cmp") or hit.group("cmp2")):
        return []
    named: set[str] = set()
    for w in reversed(ctx.views[max(0, v.index - 3):v.index]):  # the nearest of the sentences before that names one
        if w.s.block != v.s.block:
            break
        named = {m.concept for m in w.of("ClinicalParameter", "Biomarker")}
        if named:
            break
    if len(named) != 1:
        return []
    words = re.sub(r"\s+", " ", (hit.group("cmp") or hit.group("cmp2") or "").lower())
    symbol = LONGER_SHORTER.get(words) or p.comparator(words)
    if symbol is None:
        return []
    parameter = named.pop()
    value, unit = p.number(hit.group("v")), _unit(hit.group("unit"))
    label = p.describe(_label(ctx, parameter, None), symbol, value, None, unit)
    return [Criterion(therapy=therapy, parameter=parameter, comparator=symbol, value=value, unit=unit, label=label,
                      evidence=(v.evidence(),))]


def _crit(v, therapy, parameter, symbol, value, value_max, unit, label) -> Criterion:
    return Criterion(therapy=therapy, parameter=parameter, comparator=symbol, value=value, value_max=value_max,
                     unit=unit, label=label, evidence=(v.evidence(),))


def _base_parameter(ctx: DocumentContext, concept: str) -> str:
    """A time-qualified measurement is the measurement: 'pre-salvage PSA' is PSA (its label ends with the
    broader concept's name), while 'PSA doubling time' is a parameter of its own."""
    c = ctx.term.concepts.get(concept)
    if c is None:
        return concept
    try:
        ancestors = ctx.term.ancestors(concept)
    except KeyError:
        return concept
    for a in ancestors:
        if a == concept:
            continue
        ac = ctx.term.concepts.get(a)
        if ac is None:
            continue
        for name in (ac.label, *ac.abbreviations):
            if re.search(rf"(?:^|[\s-]){re.escape(name)}$", c.label, re.I) and c.label.lower() != name.lower():
                return a
    return concept


def _unit(text: str | None) -> str | None:
    if text and re.fullmatch(r"ml|cc", text.strip(), re.I):
        return "mL"
    return p.unit_code_any(text)


# =================================================================================================
# Durations (unchanged)
# =================================================================================================

DURATION_WORD = re.compile(r"\bduration\b|\bfor\b|\bextension\b|\bextended\b|\bcourse\b", re.I)
NOT_DURATION_LEAD = re.compile(r"\b(?:within|survival|follow|expectancy|doubling|after|ago|age)\b", re.I)


def durations(ctx: DocumentContext, v: SentenceView) -> list[Duration]:
    if not DURATION_WORD.search(v.text):
        return []
    systemic = v.of("SystemicTherapy") or v.of("Therapy")
    out = []
    for hit in DURATION.finditer(v.text):
        if NOT_DURATION_LEAD.search(hit.group("lead")):
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


# =================================================================================================
# Outcomes
# =================================================================================================

def cohort_sizes(ctx: DocumentContext) -> dict[str, int]:
    """Arm sizes stated as '(419 sFT; 504 sRP)', '120 patients treated with HIFU', or in the design
    ('randomly assigned to X (n = 133) or Y (n = 131)')."""
    st = _state(ctx)
    if st.sizes is not None:
        return st.sizes
    sizes: dict[str, int] = {}
    st.sizes = sizes
    for a in st.design():
        if a.size:
            sizes.setdefault(a.mention.concept, a.size)
    for v in ctx.views:
        for m in st._design_mentions(v):
            hit = v.search_before(COHORT_ARM, m, 100)
            if hit:
                sizes.setdefault(m.concept, int(hit.group(1)))
    return sizes


ADDED_TO = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:is |are )?added to", re.I)
ADDED_TO = prefiltered(ADDED_TO)  # looked for after each therapy


def _subject_therapy(ctx: DocumentContext, v: SentenceView) -> str | None:
    therapies = [m for m in v.of("Therapy") if m not in v.priors and not v.negated(m)]
    added = [m for m in therapies if v.match_after(ADDED_TO, m, 30)]  # (the pattern is anchored)
    if added:
        return added[0].concept
    if therapies:
        return therapies[0].concept
    focus = ctx.focus_therapies(v)
    return focus[0].concept if focus else None


def _time_since_names(ctx: DocumentContext, m: M, qualifier: str = "") -> tuple[str, ...]:
    """Other names of 'time since <treatment>': 'time after <treatment>', each with the name as written too, and
    with the line or course it was ('time since first-line chemotherapy')."""
    names = {_concept_label(ctx, m), " ".join(m.text.split())}
    names |= {" ".join(f"{qualifier}{n}".split()) for n in names}
    return tuple(sorted({f"{word} {n}" for n in names for word in ("time since", "time after")}
                        - {f"time since {_concept_label(ctx, m)}"}))


def _concept_label(ctx: DocumentContext, m: M) -> str:
    c = ctx.term.concepts.get(m.concept)
    return c.label if c else m.text.lower()


def _label(ctx: DocumentContext, concept: str, m: M | None) -> str:
    try:
        c = ctx.term.get(concept)
    except KeyError:
        st = ctx.__dict__.get("_measures_state")
        if st and concept in st.coined:
            return st.coined[concept].label
        return m.text if m else concept.replace("-", " ")
    # "prostate-specific antigen" reads better as "PSA"; labels with their own acronym stay as they are
    if c.abbreviations and len(c.label) > 20 and c.label.islower():
        return c.abbreviations[0]
    return c.label
