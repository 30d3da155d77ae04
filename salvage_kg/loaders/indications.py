"""Indications: which therapy applies, for which condition, after which failed treatment."""
from __future__ import annotations

import re

from ..assertions import Criterion, Duration, Indication
from . import patterns as p
from . import condition_names
from .option_tables import option_tables
from .context import FIRST_LINE, MAINTAINED_AFTER, DocumentContext, M, SentenceView, is_type, reirradiation_kind
from .arms import CLASS_NAME
from .prefilter import prefiltered

COMBINE = re.compile(r"^\s*(?:\([^)]{1,20}\)\s*)?(?:is |are )?(?:added to|combined with|in combination with|"
                     r"plus|together with|with concurrent|alongside|followed by|and then)\s*$", re.I)
COMBINE_BEFORE = re.compile(r"(?:added to|combined with|in combination with|plus|with concurrent|"
                            r"together with)\s*(?:the\s+)?$", re.I)
APPOSITIVE = re.compile(r"^\s*(?:\([^)]*\))?\s*(?:,\s*(?:or|i\.e\.,?|that is,?)|\s[-\u2013\u2014]\s*(?:a|an|the))\s+$", re.I)
PROPERTY_AFTER = re.compile(r"^[\s-]*(?:resistance|resistant|susceptib\w*|allergy|intolerance|trough|levels?|"
                            r"exposure|naive|naïve|free|treated|responders?|non-responders?|users?|recipients?|"
                            r"group|arm|cohort|choices?|selection|decisions?)\b", re.I)  # "Biologic choice should not ...": about choosing
# "chemoimmunotherapy with R-ICE", "a PARP inhibitor such as olaparib": what joins a class to its named member
MEMBER_GAP = re.compile(r"^\s+(?:with|using|such as|e\.g\.,?|:)\s+$", re.I)
# "after failure of a regimen containing an NS5A inhibitor": the drug is part of the failed treatment
FAILED_REGIMEN_PART = re.compile(r"\b(?:after|following)\s+(?:(?:failure|failing) (?:of|on)\s+)?(?:a|an|the|their|your)?\s*"
                                 r"(?:regimens?|treatments?|therapy|therapies|combinations?)\s+"
                                 r"(?:containing|including|based on)\s+(?:a|an|the)?\s*$", re.I)
# "responds well to first-line platinum-etoposide chemotherapy": the first treatment, never the salvage one
FIRST_TREATMENT = re.compile(r"\b(?:first[- ]line|front[- ]?line|upfront)\s+(?:\w+(?:\s+|-)){0,2}$", re.I)
# A heading that asks for the choices there are: "Are there other options?", "Alternatives to surgery",
# "What if I am not suitable for surgery?"
OPTIONS_HEADING = re.compile(r"\b(?:other|alternative|further|next) (?:options?|treatments?|choices?)\b|"
                             r"\balternatives?\b|\bnot (?:suitable|fit|eligible) for\b|\bwhat else\b|"
                             r"^\W*(?:option|choice)\s+(?:\d+|[a-d]|one|two|three|four|five)\b", re.I)  # "Option 2: ..."
# A list item holding one of these is a clause ("a biopsy shows ..."), not the name of a disease
CLAUSE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|shows?|showed|shown|can|may|will|does|do)\b", re.I)
# "blinatumomab, a bispecific T-cell engager": the class after the comma describes the drug before it
APPOSITIVE_CLASS = re.compile(r"^\s*,\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}$", re.I)
CONTEXT_BEFORE = re.compile(r"\b(?:at the time of|during|in the setting of|before starting|while on|"
                            r"by the time of|before|prior to|(?:un)?fit for|(?:in)?eligible for|candidates? for|"
                            r"suitable for|declin(?:e|es|ed|ing)|refus(?:e|es|ed|ing)|(?:unwilling|reluctant) to (?:have|take|start|receive)|"
                            r"(?:do|does) not want|decision to (?:add|start|use|give|offer|stop|continue)|"
                            r"(?:men|women|patients|people|those|anyone|children|adults) (?:starting|taking|receiving|on)|"
                            r"in place of)\s+(?:(?:the|their|your|any|a|an|first|next|each|every|add-on|another|further)\s+){0,2}$", re.I)
# "side effects of TIP", "the risks of surgery": the therapy is what the harm comes from, not an option
HARM_OF = re.compile(r"\b(?:side[- ]effects?|complications?|adverse (?:effects?|events?)|toxicit(?:y|ies)|risks?|harms?|"
                     r"morbidity)\s+(?:of|from|with|after)\s+(?:the\s+|a\s+|an\s+)?$", re.I)
# "to reduce the need for steroids", "to delay the use of chemotherapy": a therapy spared is no option
SPARED = re.compile(r"\b(?:reduc|lower|avoid|spar|delay|postpon|defer|minimi[sz])\w*\s+(?:[\w-]+\s+){0,4}?"
                    r"(?:the\s+|their\s+|your\s+)?"
                    r"(?:need|use|dose|doses|exposure|requirements?)\s+(?:for|of|to)\s+(?:the\s+|a\s+)?$", re.I)
# "..., because late relapses respond poorly to chemotherapy": a reason clause only mentions the therapy
REASON = re.compile(r"\b(?:because|since|as a result of|due to)\b", re.I)
# "temozolomide again", "re-treatment with": the failed treatment given once more is an option after all
RETREATMENT = re.compile(r"\b(?:again|re-?treat\w*|re-?challeng\w*|repeat\w*|re-?introduc\w*|second course|"
                         r"once more)\b", re.I)
# "rechallenge with platinum-etoposide", "repeating chemoimmunotherapy", "temozolomide again": this option is
# the failed treatment itself, given once more
RETREATED_BEFORE = re.compile(r"\b(?:re-?challeng\w*|re-?treat\w*|repeat(?:ing|ed)?|re-?introduc\w*|re-?start\w*|"
                              r"resum\w*|second)\s+(?:with\s+)?(?:the\s+|a\s+|an\s+)?(?:external\s+|full\s+)?$", re.I)
RETREATED_AFTER = re.compile(r"^\s*(?:again|once more|a second time)\b", re.I)
# "a daratumumab-based triplet": a class of regimens named by a drug
CLASS_AFTER = re.compile(r"^-(?:based|containing)\b", re.I)
# "... can be offered where immunotherapy is contraindicated": the clause sets when, it offers nothing
CONDITION_CLAUSE = re.compile(r"\b(?:where|when|if|unless|whenever|once)\b[^,;:]*$", re.I)
# "Adding docetaxel to ADT": the therapy after "to" is the base the other is added to
# "adding X to radiotherapy and ADT": every base named after 'to' is what X is added to
ADDING_TO = re.compile(r"\badd(?:s|ed|ing)?\b[^,;:]{1,80}\bto\s+(?:the\s+|their\s+|your\s+)?"
                       r"(?:[\w-]+(?:\s+[\w-]+)?\s+(?:and|or|plus)\s+(?:the\s+)?)?$", re.I)
ADDED_TO_BEFORE = re.compile(r"added to\s*(?:the\s+)?$", re.I)
# Figures that report a study's result: hazard ratios, confidence intervals, p-values, "30% of men"
STATISTIC = re.compile(r"\b(?:hazard ratios?|odds ratios?|HR|OR|CI|confidence intervals?|[Pp]\s*[=<>]|median)\b|"
                       r"%\s+(?:of\s+(?:the\s+)?)?(?:[\w-]+\s+)?(?:men|women|patients|people|participants|children|adults|those)\b")
STATISTIC = prefiltered(STATISTIC)
ADDED_TO = re.compile(r"\b(?:added to|add-on to|on top of)\b", re.I)
TOGETHER = re.compile(r"\b(?:plus|combined with|in combination with|together with|with concurrent|alongside|"
                      r"followed by|and then)\b", re.I)
CLAUSE_END = re.compile(r"[;:]|\b(?:or|but|while|whereas|though)\b", re.I)
CONTRASTED = re.compile(r"\b(?:distinguishing it from|distinguished from|differs?(?: \w+)? from|unlike|"
                        r"in contrast to|contrasts? with|as opposed to|distinct from)\s+(?:\w+\s+)?$", re.I)
COMPARE_BEFORE = re.compile(r"(?:compared (?:with|to)|versus|vs\.?|than|relative to|instead of|rather than|over|"
                            r"different from|unlike|as opposed to|in contrast (?:to|with)|"
                            r"(?:preferred|favoured|favored|chosen|superior|prioriti[sz]ed) to)\s*"
                            r"(?:those |patients |men )?(?:receiving |undergoing |treated with |who received )?"
                            r"(?:(?:a|an|the|first|initial|standard|conventional|continuous|immediate|deferred|"
                            r"another|further|usual)\s+){0,2}$", re.I)
COMPARE_BEFORE = prefiltered(COMPARE_BEFORE)  # skips text without the words it needs
# Cues looked for just before or after a mention: the sentence is tested once for their words
# (SentenceView.search_before, match_after).
(CONTRASTED, FAILED_REGIMEN_PART, FIRST_TREATMENT, ADDED_TO_BEFORE, ADDING_TO, HARM_OF, SPARED, CLASS_AFTER,
 RETREATED_BEFORE, RETREATED_AFTER) = map(prefiltered, (
    CONTRASTED, FAILED_REGIMEN_PART, FIRST_TREATMENT, ADDED_TO_BEFORE, ADDING_TO, HARM_OF, SPARED, CLASS_AFTER,
    RETREATED_BEFORE, RETREATED_AFTER))
LEAD = re.compile(r"^([^:]{2,60}):\s")
USAGE = re.compile(r"\b(?:approved|available|used|option|offered|given|administered|treat(?:ed|s|ing)?|"
                   r"help|can be done|may be done|is done)\b", re.I)
QUESTION = re.compile(r"\?\s*$")
RESULT_VERB = re.compile(r"\b(?:produced|improved|improves|resulted in|led to|prolonged|doubled|halved|reduced|"
                         r"increased|delayed|lengthened|shortened|achieved|yielded)\b", re.I)
STUDY_DESCRIPTION = re.compile(r"\b(?:underwent|were (?:treated|drawn|identified|analy[sz]ed|enrolled|randomi[sz]ed|"
                               r"matched|included|recruited|(?:randomly )?(?:assigned|allocated))|"
                               r"(?:was|were) offered only|were eligible|eligible patients|cohort of|registr(?:y|ies)|"
                               r"(?:patients|people|men|women|adults) (?:receiving|on|taking|treated with)|"
                               r"(?:had|have)\s+(?:(?:earlier|previously|already|all|both)\s+)?(?:undergone|received)|"
                               r"(?:we|they) (?:treated|operated on|enrolled|included|reviewed|followed)|"
                               r"randomly (?:assigned|allocated)|did (?:about |just |equally )?as well|"
                               r"(?:who|that) (?:is|are|was|were|ha(?:s|ve|d) been) (?:treated|managed) with)\b",
                               re.I)
DISEASE_STATE_WORDS = re.compile(r"\b(?:recurrent|radiorecurrent|relapsed|refractory|resistant|metastatic|locali[sz]ed|"
                                 r"advanced|persistent|multidrug|castration|progressive|residual)", re.I)
NOT_SALVAGE = {"adjuvant-therapy", "neoadjuvant-therapy"}
GENERIC = "TherapeuticApproach"


def indications(ctx: DocumentContext, v: SentenceView, criteria: list[Criterion],
                durations: list[Duration], defined: set[str] = frozenset()) -> list[Indication]:
    if v.s.kind in ("heading", "title") or not (v.of("Therapy") or v.s.intro and v.of("Condition")):
        return []  # nothing to be indicated (the cheap test first: most sentences end here)
    table = option_tables(ctx)
    if v.index in table:  # a row of a table of options by failed treatment
        return table[v.index]
    if QUESTION.search(v.text):
        return []
    if v.text.rstrip().endswith(":"):
        return []  # a list introduction: its items carry the content
    if not _firm_strength(v.text) and (
            (v.of("AdverseEffect") and (p.ADVERSE_CUE.search(v.text) or ctx.section_has(v, p.HARMS_HEADING)))
            # about harms, not about use
            or (v.of("OutcomeMeasure") and (p.PERCENT.search(v.text) or RESULT_VERB.search(v.text)))  # a result
            or STATISTIC.search(v.text)  # a result stated in figures
            or STUDY_DESCRIPTION.search(v.text)):  # who was in a study
        return []
    therapies = v.of("Therapy")
    intro = ctx.intro_view(v)
    if not therapies and intro is not None and v.of("Condition"):
        # a list item naming a disease under "Salvage therapy is used in ... including:"
        return _list_disease_uses(ctx, v, intro)
    if not therapies or not _salvage_context(ctx, v, intro):
        return []
    priors = list(v.priors) or _paragraph_priors(ctx, v) or list(ctx.section_priors(v)) or _title_priors(ctx)
    prior_ids = tuple(dict.fromkeys(ctx.specialise(c) for c in _ids(priors)))
    if not prior_ids and ctx.main_prior:
        prior_ids = (ctx.main_prior,)
    elif prior_ids and all("salvage-therapy" in ctx.concept_ancestors(c) for c in prior_ids):
        # "recurrence after SRT" in a guideline on recurrence after prostatectomy: the salvage treatment
        # followed the first one, which failed too
        first = [c for c in _ids(_title_priors(ctx)) or (ctx.usual_prior,)
                 if c and "salvage-therapy" not in ctx.concept_ancestors(c)]
        prior_ids = tuple(dict.fromkeys(first + list(prior_ids)))
    if not prior_ids and ctx.radiorecurrent(v):
        prior_ids = ("radiotherapy",)
    options = _options(ctx, v, therapies)
    if not v.priors and not RETREATMENT.search(v.text):  # the failed treatment the heading or title names,
        setting = _ids(list(ctx.section_priors(v)) or _title_priors(ctx))  # mentioned again as history
        options = [m for m in options if m.concept not in setting]
    stated_in = v  # the sentence whose wording says how strongly the option is meant
    if not options and intro is not None and v.s.kind == "bullet":
        options = _options(ctx, intro, [m for m in intro.of("Therapy") if m not in intro.priors])
        stated_in = intro
    referent = ctx.referent(v)
    if referent and all(v.is_predicate(m) or m in v.priors for m in therapies):
        options = referent  # "This is an attachment inhibitor approved for ...": about the drug named before
    defined_therapies = [m for m in options if m.concept in defined]
    if defined_therapies:
        options = defined_therapies  # a definition's other therapies describe the defined one
    elif defined:
        return []  # "PSA relapse refers to a rising PSA after surgery": therapies describe the defined state
    options = [m for m in options
               if not (m.type == GENERIC and m.concept in defined) and not _not_salvage(ctx, m.concept)]
    if not options:
        return []
    conditions = _conditions(ctx, v, intro)
    explicit = _explicit_conditions(ctx, v, intro)
    sentence_strength = p.strength(v.text)
    if not (prior_ids or sentence_strength or explicit or p.intent(v.text) or USAGE.search(v.text)):
        return []  # a sentence that merely mentions the therapy
    out = []
    for m in options:
        if m.type == GENERIC and not explicit:
            continue  # "salvage therapy" says something only together with a named disease
        clause = stated_in.clause(m)
        strength = p.strength(clause)
        if stated_in is not v:
            sentence_strength = p.strength(stated_in.text)
        if strength is None and sentence_strength != "not-recommended":
            strength = sentence_strength  # a negation elsewhere in the sentence is not about this therapy
        if stated_in.negated(m) and strength != "not-recommended":
            continue
        combined = _combined(v, m, therapies)
        after = _after(v, m, prior_ids)
        if not after and ctx.usual_prior and ctx.usual_prior != m.concept and (
                _is_salvage(ctx, m.concept) or (ctx.salvage_document and not _is_salvage(ctx, ctx.usual_prior))):
            after = (ctx.usual_prior,)  # a salvage treatment follows a failure: the one the document is about
        out.append(Indication(
            therapy=_reirradiation(ctx, m.concept) if m.concept in after else _document_form(ctx, m),
            conditions=_came_back(ctx, conditions) if after else conditions,
            after=after,
            intent=p.intent(v.text),
            strength=strength,
            combined_with=combined,
            criteria=tuple(c for c in criteria if c.therapy == m.concept),
            duration=next((d for d in durations if d.therapy == m.concept), None),
            evidence=(v.evidence(negated=strength == "not-recommended"),),
        ))
    return out


def _after(v: SentenceView, m: M, prior_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The failed treatments an option follows; a re-treatment follows the very treatment it repeats."""
    others = tuple(c for c in prior_ids if c != m.concept)
    if any(v.search_before(RETREATED_BEFORE, o, 40) or v.match_after(RETREATED_AFTER, o, 20)
           for o in v.of("Therapy") if o.concept == m.concept):
        return (m.concept,) + others
    return others


def _reirradiation(ctx: DocumentContext, concept: str) -> str:
    """Other re-treatments keep their name."""
    return reirradiation_kind(ctx.term, concept) or concept


def _document_form(ctx: DocumentContext, m: M) -> str:
    """'a transplant' in a report on salvage liver transplantation: a broader name of the salvage treatment
    the document is about stands for that treatment."""
    main = ctx.main_salvage
    if main and m.type != GENERIC and m.concept != main and m.concept in ctx.concept_ancestors(main):
        return main
    return m.concept


def _firm_strength(text: str) -> bool:
    """A recommendation's own wording ('is recommended', 'can be offered'), not a weak cue such as 'is used'."""
    return any(rx.search(text) for _, rx in p.STRENGTH[:-1])


def _salvage_context(ctx: DocumentContext, v: SentenceView, intro: SentenceView | None) -> bool:
    if p.SALVAGE_CUE.search(v.text):
        return True
    if v.priors and (p.strength(v.text) or USAGE.search(v.text)):
        return True  # "After ciclosporin, I recommend dupilumab": the sentence names the failed treatment itself
    if FIRST_LINE.search(v.text):
        return False
    if any(_is_salvage(ctx, m.concept) for m in v.of("Therapy")):
        return True
    if v.s.kind == "bullet" and (ctx.section_priors(v) or (intro and p.SALVAGE_CUE.search(intro.text))):
        return True
    if ctx.section_priors(v):
        return True
    heading = ctx.heading(v)
    if ctx.after_failure_document and heading is not None and OPTIONS_HEADING.search(heading.text):
        return True  # "Are there other options?": what the section names are the options
    if ctx.after_failure_document and (p.strength(v.text) or USAGE.search(v.text)) and not (
            heading is not None and any(_not_salvage(ctx, m.concept) for m in heading.of("TherapeuticApproach"))):
        return True  # a document about recurrent disease: its recommendations are salvage options
    if heading is None or not p.SALVAGE_CUE.search(heading.text):
        return False
    if any(_not_salvage(ctx, m.concept) for m in heading.of("TherapeuticApproach")):
        return False  # a section comparing salvage with adjuvant or palliative care
    return bool(p.strength(v.text) or USAGE.search(v.text))


def _paragraph_priors(ctx: DocumentContext, v: SentenceView) -> list[M]:
    """'Other options after radiotherapy include ... Some men choose hormone therapy.': the failed treatment
    named earlier in the same paragraph still holds."""
    for prev in reversed(ctx.views[:v.index]):
        if prev.s.block != v.s.block:
            break
        if prev.priors:
            return list(prev.priors)
    return []


def _title_priors(ctx: DocumentContext) -> list[M]:
    """'Relapsed myeloma after lenalidomide', 'Retreatment after DAA failure': a failed treatment the title names
    is the setting of the whole document, wherever a sentence leaves it unsaid."""
    return [m for v in ctx.views if v.s.kind == "title" for m in v.priors]


def _not_salvage(ctx: DocumentContext, concept: str) -> bool:
    """Adjuvant and neoadjuvant therapy follow a treatment that has not failed: never salvage options."""
    return any(a in NOT_SALVAGE for a in ctx.concept_ancestors(concept))


def _is_salvage(ctx: DocumentContext, concept: str) -> bool:
    return "salvage" in concept or "salvage-therapy" in ctx.concept_ancestors(concept)


def _options(ctx: DocumentContext, v: SentenceView, therapies: list[M]) -> list[M]:
    """The therapies a sentence offers: not the failed ones, not comparators, not the base of an add-on."""
    lead = LEAD.match(v.text)
    candidates = therapies
    if v.s.kind == "bullet" and lead:
        lead_end = v.s.start + lead.end(1)
        in_lead = [m for m in therapies if m.end <= lead_end]
        candidates = in_lead or [m for m in therapies if m.start > lead_end]
    priors = set(v.priors)
    out = []
    text = v.ctx.doc.text
    for i, m in enumerate(candidates):
        if i and APPOSITIVE.match(text[candidates[i - 1].end:m.start]) and \
                m.concept in ctx.concept_ancestors(candidates[i - 1].concept):
            continue  # "radical prostatectomy, or surgery to remove ...": a gloss, not a second option
        if i and APPOSITIVE_CLASS.match(text[candidates[i - 1].end:m.start]):
            continue  # "blinatumomab, a bispecific T-cell engager": describes the drug before
        if m in priors or v.search_before(COMPARE_BEFORE, m, 50) or v.search_before(CONTRASTED, m, 50):
            continue
        if v.search_before(FAILED_REGIMEN_PART, m, 60):
            continue  # "after failure of a regimen containing an NS5A inhibitor": part of the failed treatment
        if v.search_before(FIRST_TREATMENT, m, 40):
            continue  # "first-line platinum-etoposide chemotherapy": the first treatment, not the one after it
        if MAINTAINED_AFTER.search(v.before(m, 70)):
            continue  # "maintenance with X after transplant": the treatment maintained, no option
        if m.concept == "placebo":
            continue  # a comparator arm, never an option
        if i + 1 < len(candidates) and CLASS_NAME.match(m.text) and MEMBER_GAP.match(text[m.end:candidates[i + 1].start]):
            continue  # "chemoimmunotherapy with R-ICE or R-GDP": the class is given as the members named after it
        if v.is_predicate(m) or v.search_before(CONTEXT_BEFORE, m, 30) or _component(v, m, candidates) \
                or v.match_after(PROPERTY_AFTER, m, 30):
            continue
        if v.search_before(ADDED_TO_BEFORE, m, 20) or v.search_before(ADDING_TO, m, 140):
            continue  # the base therapy something is added to
        if v.search_before(HARM_OF, m, 40) or v.search_before(SPARED, m, 60) \
                or REASON.search(v.ctx.doc.text[v.s.start:m.start]):
            continue  # where the harm comes from, or a reason given for the choice
        if out and v.search_before(CONDITION_CLAUSE, m, 80):
            continue  # "X can be offered where immunotherapy is contraindicated": the setting X is for
        out.append(m)
    specific = [m for m in out if m.type != GENERIC]
    result = specific or out
    named = [m for m in result if not v.match_after(CLASS_AFTER, m, 12)]
    result = named or result  # "a daratumumab-based triplet ...: DKd or DPd" offers the named regimens
    seen: dict[str, M] = {}
    for m in result:
        seen.setdefault(m.concept, m)
    return list(seen.values())


def _component(v: SentenceView, m: M, therapies: list[M]) -> bool:
    """A drug listed in parentheses after a regimen ('bismuth quadruple therapy (a PPI, bismuth, ...)') is a
    part of that regimen, not an option of its own. Alternatives in parentheses after a class ('a BTK inhibitor
    (acalabrutinib or zanubrutinib)') are its members, each an option too."""
    text = v.ctx.doc.text
    opened = text.rfind("(", v.s.start, m.start)
    if opened < 0 or text.find(")", opened, m.start) >= 0:
        return False
    outer = [o for o in therapies if o is not m and o.end <= opened and not text[o.end:opened].strip()]
    if not outer:
        return False
    closed = text.find(")", m.end, v.s.end)
    if closed >= 0 and ALTERNATIVES.search(text, opened, closed) and not PARTS.search(text, opened, closed):
        return False
    return not any(o.concept in v.ctx.concept_ancestors(m.concept) and o.concept != m.concept for o in outer)


ALTERNATIVES = re.compile(r"\s(?:or|and/or)\s")
PARTS = re.compile(r"\s(?:plus|and|with)\s|\+")


def _combined(v: SentenceView, m: M, therapies: list[M]) -> tuple[str, ...]:
    """Therapies given together with `m`: 'A is added to B' (A gets B), 'A plus B' (each gets the other)."""
    out = []
    text = v.ctx.doc.text
    for other in therapies:
        if other is m or other.concept == m.concept or other in v.priors or other.type == GENERIC or v.negated(other):
            continue
        first, second = (m, other) if m.start < other.start else (other, m)
        between = text[first.end:second.start]
        if len(between) > 70 or CLAUSE_END.search(between):
            continue
        if ADDED_TO.search(between):
            if first is m:
                out.append(other.concept)
        elif TOGETHER.search(between):
            out.append(other.concept)
    return tuple(dict.fromkeys(out))


def _conditions(ctx: DocumentContext, v: SentenceView, intro: SentenceView | None) -> tuple[str, ...]:
    """Conditions named in the sentence, else its list introduction, heading, or the document's disease.

    A bare 'recurrence' or 'relapse' says only that the disease came back; the disease itself is taken
    from the context then. Failure states that name a treatment ('radiation failure') are priors, not conditions.
    """
    def usable(view, ms):
        return [m for m in ms if (not view.negated(m) or NOT_RECOMMENDED_FOR.search(view.before(m, 50)))
                and "metasta" not in m.concept and m not in view.failure_states]

    found = usable(v, v.of("Condition"))
    if not _specific(ctx, found) and intro is not None:
        found += usable(intro, intro.of("Condition"))
    h = ctx.heading(v)
    if not _specific(ctx, found) and h is not None:
        found += usable(h, h.of("Condition"))
    ids = _ids([m for m in found if _is_specific(ctx, m.concept)] or found) + _ids(_subgroups(v))
    names_disease = any(ctx.is_a(m, "Neoplasm") or ctx.is_a(m, "InfectiousDisease") or m.type == "Condition"
                        for m in found if _is_specific(ctx, m.concept))
    main = ctx.term.concepts.get(ctx.main_condition or "")
    if not names_disease and main and not (found and is_type(main.type, "DiseaseState")):
        # "for biochemical recurrence": of the document's disease (a state of one does not replace the sentence's)
        ids = tuple(dict.fromkeys(tuple(i for i in ids if _is_specific(ctx, i)) + (ctx.main_condition,)))
    return tuple(dict.fromkeys(c for i in ids for c in (i, _base_disease(ctx, i)) if c))


RECURRED_LABEL = re.compile(r"^(?:recurrent|relapsed) ")


def _came_back(ctx: DocumentContext, conditions: tuple[str, ...]) -> tuple[str, ...]:
    """A treatment after a failed one is for the disease that came back: 'recurrent prostate cancer' joins
    'prostate cancer' where the terminology holds the recurrent form and the document speaks of recurrence."""
    if not RECURRENCE_WORD.search(ctx.doc.text):
        return conditions
    term = ctx.term
    forms = (next((n for n in term.narrower(c) if RECURRED_LABEL.match(term.concepts[n].label)), None)
             for c in conditions if c in term.concepts)
    return conditions + tuple(f for f in forms if f and f not in conditions)


RECURRENCE_WORD = re.compile(r"\b(?:recur|relaps|came back|comes? back|coming back|returned)", re.I)


# "not recommended for migraine": the negation is the recommendation's, the condition is named all the same
NOT_RECOMMENDED_FOR = re.compile(r"\bnot\s+(?:\w+\s+)?(?:recommended|advised|offered|indicated|suitable|appropriate|used|"
                                 r"given|prescribed|started)\s+"
                                 r"(?:for|in)\s+(?:(?:patients|people|men|women|those|anyone)\s+with\s+)?(?:\w+\s+){0,2}$",
                                 re.I)


def _subgroups(v: SentenceView) -> list[M]:
    """Patients set apart by a tumour marker ('dMMR recurrence', 'BRCA-mutated prostate cancer', 'men with a
    BRCA mutation'): the marker names the condition the option is for."""
    return [m for m in v.of("Biomarker") if not v.negated(m)
            and "tumour-genetic-alteration" in v.ctx.concept_ancestors(m.concept)
            and (SUBGROUP_BEFORE.search(v.before(m, 40)) or SUBGROUP_AFTER.match(v.after(m, 60)))]


SUBGROUP_BEFORE = re.compile(r"\b(?:with|harbou?ring|carrying|has|have)\s+(?:an?\s+|the\s+)?(?:(?:inherited|germline|"
                             r"somatic|tumou?r|known|confirmed|proven)\s+(?:or\s+)?)*$", re.I)
SUBGROUP_AFTER = re.compile(r"^[\s-]*(?:(?:mutated|mutant|positive|deficient|proficient|amplified|altered|high)\b"
                            r"[\s-]*)?(?:[\w-]+\s+){0,2}?(?:tumou?rs?|cancers?|disease|recurrences?|relapses?|"
                            r"carcinomas?|patients|men|women|people)\b", re.I)


def _base_disease(ctx: DocumentContext, concept: str) -> str | None:
    """The named disease a disease state belongs to ('relapsed Hodgkin lymphoma' -> 'Hodgkin lymphoma'), so a
    reader who does not follow skos:broader still finds the disease."""
    c = ctx.term.concepts.get(concept)
    if c is None:
        return condition_names.base_disease(concept)  # a disease state coined from the text
    if not c.broader or not DISEASE_STATE_WORDS.search(c.label):
        return None
    for a in ctx.concept_ancestors(concept)[1:]:
        ac = ctx.term.concepts.get(a)
        if ac and ac.broader and ac.type in ("Neoplasm", "InfectiousDisease") and not DISEASE_STATE_WORDS.search(ac.label):
            return a
    return None


def _explicit_conditions(ctx: DocumentContext, v: SentenceView, intro: SentenceView | None) -> bool:
    """Whether the sentence, its list introduction or its heading names a disease."""
    views = [v] + ([intro] if intro else []) + ([ctx.heading(v)] if ctx.heading(v) else [])
    return any(m for view in views for m in view.of("Condition")
               if not view.negated(m) and "metasta" not in m.concept and m not in view.failure_states
               and _is_specific(ctx, m.concept))


def _is_specific(ctx: DocumentContext, concept: str) -> bool:
    """A condition that names a disease (or a disease state of one), not just 'cancer' or 'recurrence'."""
    c = ctx.term.concepts.get(concept)
    return c is None or bool(c.broader) or c.type == "Condition"  # 'migraine' is a disease with nothing above it


def _specific(ctx: DocumentContext, mentions: list[M]) -> bool:
    return any(_is_specific(ctx, m.concept) for m in mentions)


def _list_disease_uses(ctx: DocumentContext, v: SentenceView, intro: SentenceView) -> list[Indication]:
    therapies = [m for m in intro.of("Therapy") if m not in intro.priors]
    if not therapies or not (p.SALVAGE_CUE.search(intro.text) or any(_is_salvage(ctx, m.concept) for m in therapies)):
        return []
    conditions = _ids([m for m in v.of("Condition") if not v.negated(m)])
    if not conditions or not _names_disease_only(v):
        return []
    return [Indication(therapy=m.concept, conditions=conditions, after=_ids(intro.priors),
                       intent=p.intent(intro.text), strength=p.strength(intro.text),
                       evidence=(v.evidence(),))
            for m in _options(ctx, intro, therapies)]



def _names_disease_only(v: SentenceView) -> bool:
    """'- Hodgkin lymphoma' lists a disease; '- a biopsy shows that the cancer is back;' states a condition of
    eligibility, whatever disease word it holds: a clause (a verb, or words besides the disease) is no disease."""
    text = v.ctx.doc.text
    rest = text[v.s.start:v.s.end]
    for m in sorted(v.of("Condition"), key=lambda m: -m.start):
        rest = rest[:m.start - v.s.start] + " " + rest[m.end - v.s.start:]
    words = re.findall(r"[A-Za-z][\w-]*", rest)
    return len(words) <= 4 and not CLAUSE_VERB.search(rest)


def _ids(mentions: list[M]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.concept for m in mentions))
