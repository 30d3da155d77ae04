"""Adverse effects: which therapy carries which complication or side effect, and what is said of it."""
from __future__ import annotations

import bisect
import re

from ..assertions import AdverseEffect
from . import patterns as p
from .context import ANAPHOR_START, DocumentContext, M, SentenceView, is_type
from .recognize import slugify
from .indications import COMPARE_BEFORE
from .prefilter import prefiltered
from .effect_rates import RATE, effect_rates
from .effect_mentions import changed_levels

SEVERITY_NEAR = 40
LIST_AFTER = re.compile(r"\s*,?\s*(?:such as|including|like|e\.g\.|:)", re.I)
BULLET_LEAD = re.compile(r"^([^:]{2,60}):\s")
# Words that make a sentence speak of harms, beyond the shared ADVERSE_CUE.
HARM_CUE = re.compile(
    r"\b(?:happen(?:s|ed|ing)?|occur(?:s|red|ring)?|report(?:s|ed)?|observed|noted|seen|developed|experienc(?:e|ed|es)|"
    r"affect(?:s|ed)?|common(?:ly)?|frequent(?:ly)?|rare(?:ly)?|uncommon|incidence|rates?|risks?|likely|"
    r"associated|linked|related|induced|results? in|resulted in|leads? to|led to|cause[sd]?|causing|may|can|might|"
    r"grade\s*(?:\d|[IVX]+)|downsides?|drawbacks?|at the cost of|price|tolerat\w*|safety|issues?|"
    r"after|following|from|during|while on|%|(?:gave|gives|give|giving) (?:me|him|her|them|you|us|patients|people))|"
    r"\b(?:I|we|he|she|they)\s+(?:also\s+|still\s+|then\s+|soon\s+)?(?:had|got|developed|noticed)\b",
    re.I)  # patients' own accounts: "I also had headaches"
EFFECT_WORDS = (r"(?:side[- ]effects?|adverse (?:events?|effects?|reactions?)|complications?|toxicit(?:y|ies)|"
                r"harms?|risks?|downsides?|drawbacks?|problems?|issues?|morbidity)")
# A therapy the wording names as the cause: "side effects of X", "caused by X", "patients on X", "with X".
BOUND_BEFORE = re.compile(
    rf"(?:\b{EFFECT_WORDS}\s+(?:\w+\s+){{0,2}}?(?:of|from|with|after|following|for)|"
    r"\b(?:caused by|due to|attributed to|attributable to|associated with|linked (?:to|with)|related to|induced by|"
    r"because of|(?:men|women|patients|people|participants|subjects|those) (?:on|taking|receiving|given|treated with|"
    r"undergoing|who (?:had|received|underwent))|"
    r"(?:the|an?) risks? of)"
    r")\s+(?:(?:the|a|an|this|that|their|your|salvage)\s+)?$", re.I)
BOUND_AFTER = re.compile(
    rf"^(?:'s|’s)?(?:\s*\([^)]*\))?(?:-(?:related|induced|associated)\b|\s+(?:and|or|with) (?:its|their) "
    rf"(?:\w+\s+)?{EFFECT_WORDS}|\s+(?:can |may |might |often |commonly |also |sometimes |frequently |usually )*"
    rf"(?:causes?|caused|leads? to|led to|results? in|resulted in|brings? on|carr(?:y|ies) (?:a |an )?(?:\w+ )?risk|"
    rf"(?:gave|gives|give) (?:me|him|her|them|you|us|patients|people)))",
    re.I)
THERAPY_HARMS = re.compile(rf"^(?:'s|’s)?\s*(?:\([^)]*\)\s*)?(?:and|or|with|,)?\s*(?:its|their|the)?\s*"
                           rf"(?:\w+\s+)?{EFFECT_WORDS}\b", re.I)
# A therapy that remedies a harm: "may need further surgery", "treated with antibiotics".
REMEDY_BEFORE = re.compile(
    r"\b(?:need(?:s|ed|ing)?|requir(?:e|es|ed|ing)|treated with|managed with|manageable with|relieved by|"
    r"corrected (?:by|with)|repaired (?:by|with)|controlled with|responds? to|helped by|eased by|resolved with|"
    r"settled with)\s+(?:(?:a|an|the|further|additional|another|more|some|temporary|short[- ]term|urgent|"
    r"corrective)\s+)*(?:[\w-]+\s+){0,3}$", re.I)  # "settled with a short course of steroids"
REMEDY_AFTER = re.compile(r"^\s*(?:is|are|can be|may be|was|were)?\s*(?:needed|required|used)?\s*"
                          r"(?:to (?:treat|manage|relieve|correct|repair|control|fix)|for (?:the )?(?:treatment|management))\b", re.I)
TREATED_BEFORE = re.compile(
    r"\b(?:to (?:treat|manage|relieve|correct|repair|control|fix|help with)|treatments? (?:for|of)|"
    r"(?:therapy|medicines?|medications?|drugs?|surgery|options?|devices?|exercises?|pills?) (?:for|against)|"
    r"(?:help|helps|used) (?:for|with|against)|management of|treating)\s+(?:(?:the|any|this|your|their|persistent|"
    r"severe|ongoing|long[- ]term|mild)\s+)*$", re.I)
BENEFIT_MORE = re.compile(
    r"\b(?:spar(?:e|es|ed|ing)|preserv(?:e|es|ed|ing)|protect(?:s|ed|ing)? against|decreas(?:e|es|ed|ing)|"
    r"limit(?:s|ed|ing)?|lower(?:s|ed|ing)? the (?:risk|rate|incidence)|postpon(?:e|es|ed|ing)|delay(?:s|ed|ing)?|"
    r"aims? to avoid|goal is to avoid|free (?:from|of)|recover(?:y|ed|s)? (?:of|from)|resolution of|regain(?:s|ed|ing)?|"
    r"counteract(?:s|ed|ing)?|lessen(?:s|ed|ing)?|alleviat(?:e|es|ed|ing))\b(?:\s+[\w-]+){0,6}\s*$", re.I)
# The disease, not the treatment: "symptoms of the cancer", "caused by the infection".
DISEASE_CAUSE = re.compile(
    r"\b(?:symptoms? (?:of|from|caused by) (?:the |your |a |advanced |recurrent |progressive )*"
    r"(?:cancer|tumou?rs?|disease|infection|recurrence|relapse|lymphoma|leuka?emia|metastas[ie]s)|"
    r"(?:caused by|due to|because of|from) (?:the |your |a )?(?:cancer|tumou?rs?|disease|infection|"
    r"recurrence|relapse|progression|spread|metastas[ie]s)(?! treatment| therapy))\b", re.I)
COMPARED_TO = re.compile(r"(?:than|versus|vs\.?|compared (?:with|to)|relative to)\s+(?:(?:with|in|on|after|for|those|"
                         r"patients|men|women|people|the|given|receiving|treated with|who received|undergoing|"
                         r"who had|having|standard)\s+)*$", re.I)
# "Either schedule: hot flushes (43% with IADT, 61% with CADT), fatigue and anaemia": what both arms share
EITHER_LEAD = re.compile(r"^\W*(?:either|both|each)\s+(?:schedules?|arms?|groups?|regimens?|treatments?|approaches?|"
                         r"options?|strateg(?:y|ies))\s*[:,-]", re.I)
ARM_RATES_AFTER = re.compile(r"^\s*\(\s*\d[\d.]*\s*%\s*(?:with|in|for|on)\b", re.I)
# "The side effects are different from chemotherapy": what is contrasted is not what the text goes on about.
CONTRASTED_BEFORE = re.compile(r"\b(?:different from|unlike|as opposed to|in contrast (?:to|with))\s+(?:the\s+)?$",
                               re.I)
# Names of a kind of therapy that stand for the document's own therapy of that kind.
KIND_NAMES = frozenset({"surgery", "hormone-therapy", "salvage-surgery"})
PERSON_AFTER = re.compile(r"^\s*(?:oncologists?|therapists?|departments?|units?|teams?|specialists?|nurses?|"
                          r"physicists?|services?|centres?|centers?|clinics?|doctors?|physicians?|surgeons?)\b", re.I)
# A line of a table written as text: cells apart by runs of spaces or dot leaders.
TABLE_ROW = re.compile(r"\S(?: {2,}|\t+| ?\.{4,} ?)\S")
PARTNER_BEFORE = re.compile(r"\b(?:combined with|in combination with|together with|alongside|plus|added to|"
                            r"with an?|with the|in addition to|on top of|backbone of)\s+(?:\w+\s+){0,2}$", re.I)
# "Nephrotoxicity was defined as ...": a definition of the harm, not a report of it.
DEFINED_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:was|were|is|are)\s+(?:defined|graded|assessed|measured|"
                           r"scored|classified|recorded using|monitored)\b", re.I)
RATES_COMPARED = re.compile(r"\d\s*%\s*(?:vs\.?|versus)\s*\d", re.I)
DURING_BEFORE = re.compile(r"\b(?:during|throughout)\s+(?:the\s+|their\s+|a\s+)?(?:course\s+of\s+)?$", re.I)
# Arms given no treatment: their rates are comparisons only, except that a placebo arm with rates of its
# own in the sentence is reported like any arm (its harms are the background treatment's and nocebo).
NO_CAUSE = frozenset({"placebo", "observation", "active-surveillance", "watchful-waiting"})
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
NOT_A_NAME = re.compile(r"\b(?:common|rare|rarely|uncommon|frequent|serious|severe|mild|moderate|less|more|very|"
                        r"late|early|acute|long|short|term|grade|risks?|side|effects?|harms?|note|tip|summary|"
                        r"other|others|all|most|some|few|any|overall|total|key|main|warning|important|"
                        r"during|after|before|within|first|weeks?|months?|years?|days?|either|both|each|neither|"
                        r"these|those|this|schedules?|options?|arms?|groups?|approach(?:es)?)\b", re.I)
# Names of harms in general that name no particular harm.
GENERIC_EFFECTS = frozenset({"adverse-event", "complication", "acute-toxicity", "late-toxicity",
                             "postoperative-complications", "major-complication", "minor-complication"})
# "Pseudoprogression is when treatment causes swelling": a sentence defining a term reports no harm.
DEFINING_SENTENCE = re.compile(r"^\W*(?:[\w'-]+\s+){1,4}?(?:is when|means|refers to|is defined as|"
                               r"is the (?:term|name|word) for)\b", re.I)
# "the virus can wake up and cause fever, diarrhoea ...": the disease's agent causes the symptoms.
AGENT_CAUSES = re.compile(
    r"\b(?:the|this|a|an|your)\s+(?:virus|infection|bacteri(?:um|a)|fung(?:us|i)|parasites?|tumou?r|cancer|disease|"
    r"recurrence|relapse)\b[^.;]{0,40}?\b(?:cause[sd]?|causing|leads? to|results? in|produces?|brings? on)\s+"
    r"(?:[^.;]{0,60}?(?:,|\band\b|\bor\b)\s+)?(?:\w+\s+){0,2}$", re.I)
# "controlling symptoms such as headaches and seizures": the harms are what the care relieves.
RELIEVED_LIST = re.compile(r"\b(?:control|manag|reliev|eas|treat|alleviat|prevent)\w*\s+(?:\w+\s+){0,2}?"
                           r"(?:symptoms?|problems?|side[- ]effects?|complications?)\s+(?:such as|like|including|"
                           r"e\.g\.)\s+[^.;]*$", re.I)
# "in 18% of those who later underwent transplant": a later treatment marks a subgroup, not a cause.
SUBGROUP_BEFORE = re.compile(r"\b(?:those|patients|men|women|people|participants)\s+who\s+(?:later|subsequently|"
                             r"then|went on to|proceeded to)\s+(?:\w+\s+){0,2}$", re.I)
REASON = re.compile(r"[,;]\s*(?:because|since|as|so|given that)\b", re.I)
OFFERED_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:can|may|might|could|should|will|is|are)\s+(?:\w+\s+)?"
                           r"(?:be\s+)?(?:offered|considered|recommended|used|tried|help|advised|suggested|needed)\b", re.I)
GLOSSARY_HEADING = re.compile(r"\b(?:definitions?|glossary|key terms|terminology)\b", re.I)
CONTRAINDICATED = re.compile(r"\b(?:should not|must not|not to) be (?:used|given|offered)|\bcontraindicat|\bavoid(?:ed)? in\b|"
                             r"\b(?:is|are) not (?:recommended|advised|suitable)\b|"
                             r"\bwith caution in\b", re.I)
PATIENTS_WITH = re.compile(r"\b(?:patients|people|men|women|those|anyone|children|adults|individuals)\s+(?:with|who have)\s+"
                           r"(?:(?:known|pre-?existing|existing|a history of|significant|severe|active|congestive)\s+)*$", re.I)
ALREADY_HAVE = re.compile(r"(?:\b(?:if|unless)\s+(?:you|they|he|she)\s+(?:already\s+)?(?:have|has)|"
                          r"\bwho\s+already\s+(?:have|has))\b[^.;]*$", re.I)
# "in anyone with a history of blood clots, heart attack or stroke": a past illness, not a harm of the treatment.
HISTORY_BEFORE = re.compile(r"\b(?:(?:a|any|previous|prior|past|personal|known)\s+)?history of\s+"
                            r"(?:[\w'-]+(?:\s*,\s*|\s+(?:or|and|and/or)\s+|\s+)){0,8}$", re.I)
RULED_OUT_BEFORE = re.compile(r"\b(?:to (?:rule out|exclude)|ruling out|excluding|and not (?:an?|another|some)|"
                              r"rather than (?:an?|another))\b[^.;]*$", re.I)
# "at the end of chemoradiotherapy", "6 months after radiotherapy ended": a point in time, not the subject.
LANDMARK_BEFORE = re.compile(r"\b(?:at the (?:end|start|completion) of|since|until|before|by the end of)\s+"
                             r"(?:the\s+|their\s+|your\s+)?$", re.I)
# "recurrence within 12 months of CRT", "relapse within 6 months of transplant": a treatment that dates the
# recurrence is the one that failed, not the one whose harms the section reports.
DATED_RECURRENCE_BEFORE = re.compile(
    r"\b(?:recurr\w*|relaps\w*|progress\w*|came back|returned|reappear\w*)\b[^.;]{0,30}?\bwithin\s+\w+(?:\.\d+)?\s+"
    r"(?:days?|weeks?|months?|years?)\s+(?:of|after|following)\s+(?:the\s+|their\s+|your\s+|completing\s+|starting\s+)?$",
    re.I)
LANDMARK_AFTER = re.compile(r"^\s+(?:ended|finished|stopped|was completed|were completed|began|started)\b", re.I)
# A document's own name for a regimen, declared without a type: therapy by its head word.
# "X, a bispecific antibody": an apposition describing the name before it.
APPOSED = re.compile(r",\s+(?:an?|the|one of the)\s+(?:[\w-]+\s+){0,2}")
# "the operation", "this transplant": a kind of therapy named definitely speaks of the one named before.
DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that|your|their|his|her)\s+$", re.I)
THERAPY_ID = re.compile(r"(?:therapy|radiotherapy|chemotherapy|irradiation|surgery|ectomy|resection|ablation|"
                        r"transplant(?:ation)?|regimen|treatment)$")

# A therapy's name the terminology lacks: an acronym with a digit or capitals ('R2', 'GemOx'), or a noun phrase
# headed by a treatment word ('platinum rechallenge').
UNKNOWN_NAME = (r"(?:[A-Z][A-Za-z]*\d[\w-]*|[A-Z]{2,}[A-Za-z-]*|[A-Za-z][a-z-]+\s+(?:re-?challenge|re-?treatment|"
                r"regimen|protocol|doublet|triplet|combination))")
UNKNOWN_CAUSE = re.compile(
    rf"\b(?:{EFFECT_WORDS})\s+(?:\w+\s+)?(?:of|from|with)\s+(?P<of>{UNKNOWN_NAME})\b(?!\s*\()|"
    rf"^\W*(?P<subject>{UNKNOWN_NAME})\s+(?:(?:can|may|might|often|commonly|also|sometimes|frequently|usually)\s+)*"
    r"(?:caused|causes?|led to|leads? to|resulted in|results? in|gave|gives)\b")
# Both skip text without the words they need (prefilter.py).
UNKNOWN_CAUSE, DEFINING_SENTENCE = map(prefiltered, (UNKNOWN_CAUSE, DEFINING_SENTENCE))
# Cues looked for just before or after a mention: the sentence is tested once for their words
# (SentenceView.search_before, match_after).
PERSON_AFTER, RELIEVED_LIST, COMPARED_TO = map(prefiltered, (PERSON_AFTER, RELIEVED_LIST, COMPARED_TO))
NOT_A_CAUSE_WORD = frozenset({"the", "this", "that", "these", "those", "such", "any", "each", "every", "their", "its",
                              "your", "our", "his", "her", "a", "an", "other", "same", "first", "second", "which"})


def adverse_effects(ctx: DocumentContext, v: SentenceView) -> list[AdverseEffect]:
    if v.s.kind == "title":
        return []
    if PIPE_ROW.match(v.text):
        return _pipe_row(ctx, v)
    if v.s.kind == "heading":
        return _table_row(ctx, v) if TABLE_ROW.search(v.text) else []
    if DEFINING_SENTENCE.match(v.text) or ctx.section_has(v, GLOSSARY_HEADING):
        return []
    effects = [m for m in sorted(v.of("AdverseEffect") + changed_levels(ctx, v), key=lambda m: m.start)
               if not v.negated(m) and not p.SEVERITY.fullmatch(m.text) and not _benefit(ctx, v, m) and not _disease_symptom(ctx, v, m) and not _remedied(ctx, v, m)
               and not _compound_modifier(ctx, m)]
    effects = _drop_generic(ctx, effects)
    effects = [e for e in effects if not _vague(ctx, v, e, effects) and not _the_disease(ctx, v, e)
               and not _treated_disease(ctx, e) and not _patients_with(ctx, v, e) and not _excluded(ctx, v, e)
               and not DEFINED_AFTER.match(v.after(e, 40)) and not _repeat(ctx, v, e)]
    effects = _glosses(ctx, effects)
    if not effects:
        return []
    if not (p.ADVERSE_CUE.search(v.text) or ctx.section_has(v, p.ADVERSE_CUE) or HARM_CUE.search(v.text)
            or ctx.section_has(v, HARM_CUE)):
        return []
    therapies = ctx.most_specific([m for m in _therapies(ctx, v) if not v.negated(m) and m.type != "SupportiveTherapy"
                                   and (m.concept not in NO_CAUSE or _placebo_rate(ctx, v, m))
                                   and not _remedy(ctx, v, m) and not SUBGROUP_BEFORE.search(v.before(m, 50))
                                   and not _in_reason(ctx, v, m, effects) and not _offered_for(ctx, v, m)])
    timed = [m for m in therapies if DURING_BEFORE.search(v.before(m, 20))]
    if timed and len(timed) < len(therapies):  # "During radiotherapy, ... 19% of the A arm": a time, not an arm
        therapies = [m for m in therapies if m not in timed]
    unknown = None if therapies else _unknown_cause(ctx, v)
    if unknown:
        return _effects(ctx, v, [unknown], effects, [])
    respective = [] if therapies else (_respective_arms(ctx, v) or _versus_arms(ctx, v))
    if respective:
        return _effects(ctx, v, respective, effects, [], effects)
    lead = BULLET_LEAD.match(v.text)
    if lead and not [m for m in therapies if m.end <= v.s.start + lead.end(1)] and _named_lead(ctx, v, lead):
        name = lead.group(1).strip()
        return _effects(ctx, v, [slugify(name)], [e for e in effects if e.start >= v.s.start + lead.end()], [])
    if lead:  # "Posaconazole: hepatotoxicity, ...": the list item's lead names the cause
        in_lead = [m for m in therapies if m.end <= v.s.start + lead.end(1)]
        in_lead = [m for m in in_lead if m not in v.priors] or in_lead  # "SRT after prostatectomy: ..."
        if in_lead:
            causes = _cause_names(ctx, v, in_lead)
            return _effects(ctx, v, causes, effects, [])
    comparators = [m for m in therapies if _comparator(ctx, v, m)]
    out: list[AdverseEffect] = []
    groups: dict[tuple[str, ...], list[M]] = {}
    shared = EITHER_LEAD.match(v.text)
    for e in effects:
        causes = _causes(ctx, v, e, therapies, comparators)
        if shared and len(causes) >= 2 and not ARM_RATES_AFTER.match(v.after(e, 30)):
            causes = _common_kind(ctx, causes) or causes  # "Either schedule: fatigue": a harm of what both share
        groups.setdefault(tuple(causes), []).append(e)
    for causes, group in groups.items():
        if causes:
            out.extend(_effects(ctx, v, list(causes), group, comparators, effects))
    return out


def _unknown_cause(ctx, v) -> str | None:
    """'Platinum rechallenge caused grade 3-4 thrombocytopenia', 'the side effects of R2 were ...': a sentence
    naming no known therapy may name its cause by a name the terminology lacks; that name is the cause, not
    the therapy the sentences before spoke of."""
    hit = UNKNOWN_CAUSE.search(v.text)
    if not hit:
        return None
    group = "of" if hit.group("of") else "subject"
    name = hit.group(group)
    a = v.s.start + hit.start(group)
    if name.split()[0].lower() in NOT_A_CAUSE_WORD or any(m.start < a + len(name) and a < m.end for m in v.mentions):
        return None
    return slugify(name)


def _respective_arms(ctx, v) -> list[str]:
    """'New erectile dysfunction was reported by 27%, 71% and 34% respectively': rates in the order of the
    therapies the sentence before named, when it named as many as the rates (or a whole multiple)."""
    if not re.search(r"\brespectively\b", v.text, re.I) or v.index == 0:
        return []
    before = ctx.views[v.index - 1]
    if before.s.section != v.s.section:
        return []
    arms = list(dict.fromkeys(_specialise(ctx, m.concept) for m in ctx.most_specific(_therapies(ctx, before))
                              if m.concept not in NO_CAUSE and m.type != "SupportiveTherapy"))
    rates = len(re.findall(r"\d\s*%", v.text))
    return arms if len(arms) >= 2 and rates and rates % len(arms) == 0 else []


VERSUS_RATES = re.compile(r"\d\s*%\s*(?:vs\.?|versus)\s*\d")
VERSUS_HEAD = re.compile(r"(?:^|[(;,:]\s*)(?P<a>[A-Za-z][\w-]*(?:\s[\w-]+)?)\s+(?:vs\.?|versus)\s+"
                         r"(?P<b>[A-Za-z][\w-]*(?:\s[\w-]+)?)\s*(?:[);,:]|$)", re.I)


def _versus_arms(ctx, v) -> list[str]:
    """'Rectourethral fistula: 3.5% vs 0.9%' under 'Complications (whole-gland vs focal)': the rates of the two
    arms the heading or list introduction sets against each other, in their order."""
    from .tables import elliptic_arm  # an arm named by its modifier alone, as in a table's column head

    if not VERSUS_RATES.search(v.text):
        return []
    for w in filter(None, (ctx.intro_view(v), ctx.heading(v))):
        hit = VERSUS_HEAD.search(w.text)
        if not hit:
            continue
        arms = []
        for g in ("a", "b"):
            lo, hi = w.s.start + hit.start(g), w.s.start + hit.end(g)
            inside = [m for m in _therapies(ctx, w) if lo <= m.start and m.end <= hi]
            arm = inside[0].concept if inside else elliptic_arm(ctx, w, lo, hi)
            if arm is None:
                break
            arms.append(arm)
        if len(arms) == 2 and arms[0] != arms[1]:
            return arms
    return []


def _named_lead(ctx, v, lead: re.Match) -> bool:
    """'Pola-BR: peripheral neuropathy and cytopenias' under a harms heading: a lead the terminology does not
    know, shaped like a therapy's name (not 'Common', 'Rare but serious', 'Long term')."""
    name = lead.group(1).strip()
    if not re.fullmatch(r"[A-Z][\w+/-]*(?:[ -][\w+/-]+){0,3}", name) or NOT_A_NAME.search(name):
        return False
    if any(m.start < v.s.start + lead.end(1) for m in v.mentions):
        return False
    return bool(ctx.section_has(v, p.ADVERSE_CUE) or (v.s.intro and p.ADVERSE_CUE.search(v.s.intro)))


def _pipe_row(ctx, v) -> list[AdverseEffect]:
    """A Markdown table of harms, in one of three layouts: therapies down the first column and harms across
    the header ('| Therapy | CRS | ICANS |' above '| axi-cel | 92% | 21% |'); therapies down the first column
    and a column of harms ('| Regimen | Main toxicities |' above '| DPd | neutropenia (68%) |'); or therapies
    across the header and harms down the first column ('| Toxicity | A + ADT | B + ADT |' above
    '| Leg lymphoedema | 4% | 1% |')."""
    if re.fullmatch(r"[\s:|-]*", v.text):
        return []
    header = _pipe_header(ctx, v)
    if header is None:
        return []
    cells, head_cells = _cells(v), _cells(header)
    if not cells or not head_cells:
        return []
    therapies = [m for m in _therapies(ctx, v) if m.end <= cells[0][1] and m.concept not in NO_CAUSE] \
        or _named_elsewhere(ctx, ctx.doc.text[cells[0][0]:cells[0][1]])
    if not therapies:
        return (_transposed_row(ctx, v, header, cells, head_cells) or _coined_row(ctx, v, header, cells, head_cells)
                or _captioned_row(ctx, v, header, cells, head_cells))
    causes = _cause_names(ctx, v, therapies)
    harms = [m for m in header.of("AdverseEffect") if not p.SEVERITY.fullmatch(m.text)]
    specific = [e for e in _drop_generic(ctx, harms) if e.concept not in GENERIC_EFFECTS]
    if specific:  # harms across the header: each column's cell is its rate
        rates = {}
        for e in specific:
            cell = _cell_below(ctx, e, head_cells, cells)
            if cell and effect_rates_in(cell):
                rates.update({(e.start, t): cell.strip() for t in causes})
        return _effects(ctx, v, causes, specific, [], given_rates=rates)
    text = ctx.doc.text
    harm_columns = [cells[i] for i, (a, b) in enumerate(head_cells)
                    if 0 < i < len(cells) and p.HARMS_HEADING.search(text[a:b])]
    if harm_columns or any(e.concept in GENERIC_EFFECTS for e in harms):  # a column of harms ('Main harms')
        spans = harm_columns or [(cells[0][1], v.s.end)]
        listed = [m for m in v.of("AdverseEffect") if any(a <= m.start and m.end <= b for a, b in spans)
                  and not p.SEVERITY.fullmatch(m.text) and not v.negated(m)]
        out = []
        for own, harms_of in _cell_causes(ctx, v, _drop_generic(ctx, listed), spans).items():
            out.extend(_effects(ctx, v, list(own) or causes, harms_of, [], listed))
        return out
    return []


CELL_CAUSE_BEFORE = re.compile(r"\b(?:on|with|from|after|of)\s+(?:the\s+)?$", re.I)


def _cell_causes(ctx, v, harms: list[M], spans) -> dict[tuple[str, ...], list[M]]:
    """'Hypothyroidism 9.4% on amiodarone; tremor on mexiletine' in the harms cell of a row of drugs: a therapy the
    cell names after its harms, in the same part of the cell, is their cause; else the row's therapy is."""
    out: dict[tuple[str, ...], list[M]] = {}
    for e in harms:
        a, b = next(((a, b) for a, b in spans if a <= e.start < b), (e.start, e.end))
        part_end = ctx.doc.text.find(";", e.end, b)
        part_end = b if part_end < 0 else part_end
        named = [m for m in _therapies(ctx, v) if e.end <= m.start and m.end <= part_end
                 and CELL_CAUSE_BEFORE.search(ctx.doc.text[max(a, m.start - 12):m.start])]
        out.setdefault(tuple(_cause_names(ctx, v, named)), []).append(e)
    return out


THERAPY_COLUMN = re.compile(r"^\W*(?:treatments?|therap(?:y|ies)|regimens?|drugs?|medicines?|medications?|"
                            r"interventions?|procedures?|options?|arms?)\W*$", re.I)


def _coined_row(ctx, v, header, cells, head_cells) -> list[AdverseEffect]:
    """'| PSMA-guided boost | Urethral stricture | 2%, late |' under '| Treatment | Adverse effect | ... |': the
    first column holds treatments, so a name there the terminology lacks is the harms' cause all the same."""
    if len(head_cells) < 2 or not THERAPY_COLUMN.match(ctx.doc.text[head_cells[0][0]:head_cells[0][1]]):
        return []
    if not [m for m in header.of("AdverseEffect") if m.concept in GENERIC_EFFECTS]:
        return []
    a, b = cells[0]
    name = re.sub(r"\s*\([^)]*\)\s*", " ", ctx.doc.text[a:b]).strip()
    if not re.match(r"[A-Za-z]", name) or len(name.split()) > 4 or NOT_A_NAME.search(name) \
            or any(m.start < b and a < m.end and m.type == "AdverseEffect" for m in v.mentions):
        return []
    listed = [m for m in v.of("AdverseEffect") if m.start >= cells[0][1] and not p.SEVERITY.fullmatch(m.text)
              and not v.negated(m)]
    return _effects(ctx, v, [slugify(name)], _drop_generic(ctx, listed), [], listed)


def _pipe_header(ctx, v):
    """The header row of the Markdown table a row belongs to."""
    header = None
    for w in reversed(ctx.views[max(0, v.index - 15):v.index]):
        if not PIPE_ROW.match(w.text):
            break
        if not re.fullmatch(r"[\s:|-]*", w.text):
            header = w
    return header


def _cells(v) -> list[tuple[int, int]]:
    """The cells of a Markdown table row, as document offsets (trimmed)."""
    out = []
    for hit in re.finditer(r"(?<=\|)([^|]*)(?=\|)", v.text):
        a, b = hit.start(1), hit.end(1)
        text = hit.group(1)
        a += len(text) - len(text.lstrip())
        b -= len(text) - len(text.rstrip())
        out.append((v.s.start + a, v.s.start + max(a, b)))
    return out


def _cell_below(ctx, m: M, head_cells, cells) -> str | None:
    """The text of a row's cell in the column whose header cell holds the mention."""
    for i, (a, b) in enumerate(head_cells):
        if a <= m.start < b + 1 and i < len(cells):
            return ctx.doc.text[cells[i][0]:cells[i][1]]
    return None


def effect_rates_in(text: str) -> bool:
    return bool(RATE.search(text))


def _named_elsewhere(ctx, name: str) -> list[M]:
    """A therapy a table cell names the way the text does elsewhere ('Cilta-cel' for 'cilta-cel')."""
    # "Whole-gland (n=148)", "Focal seeds (our series)": the group's size or source is no part of its name
    name = re.sub(r"\s*\((?:(?:n|N)\s*=\s*\d+|(?:our|the|a|published|current|this)\b[^)]{0,40})\)", "", name)
    name = p.DOSE_IN_HEAD.sub("", name)  # "Hypofractionated 62.5 Gy/25": the arm without its dose
    names = _therapy_names(ctx)
    concept = names.get(name.strip().lower())
    if concept is None:
        found = [c for c in ctx.term.lookup(name.strip()) if is_type(c.type, "Therapy")] if name.strip() else []
        concept = found[0].id if found else None
    if concept is None and len(name.strip()) > 3:  # "Whole-gland" for the text's "whole-gland cryoablation"
        concept = _completed_name(ctx, name.strip().lower())
    return [M(0, 0, concept, "Therapy", name)] if concept else []


def _completed_name(ctx, head: str) -> str | None:
    """The therapy a table heading names by its first words: the one the text most often names so."""
    counts: dict[str, int] = {}
    for w in ctx.views:
        for m in _therapies(ctx, w):
            first = m.text.lower().split()[0]
            if m.text.lower().startswith(head + " ") or " " not in head and len(p.stem(head)) >= 6 \
                    and p.stem(first) == p.stem(head):  # 'Hypofractionated' for the text's 'hypofractionation'
                counts[m.concept] = counts.get(m.concept, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(counts, key=counts.get)


def _therapy_names(ctx) -> dict[str, str]:
    cache = ctx.__dict__.setdefault("_effects_cache", {})
    if "names" not in cache:
        names: dict[str, str] = {}
        for w in ctx.views:
            for m in _therapies(ctx, w):
                names.setdefault(m.text.lower(), m.concept)
        cache["names"] = names
    return cache["names"]


# "0%", "0 (0%)", "none": the arm had none of the harm.
NONE_RATE = re.compile(r"^\s*(?:0(?:\.0+)?\s*%?(?:\s*\(\s*0(?:\.0+)?\s*%?\s*\))?|none|nil)\s*$", re.I)


# "Out of 100 men like you", "Per 1,000 people": the head of a table of bare counts gives their denominator.
DENOMINATOR_HEAD = re.compile(r"\b(?:out of|per|in|for every)\s+(?P<n>\d[\d,]*)\b", re.I)
BARE_COUNT = re.compile(r"^(?P<q>(?:about|around|roughly|approximately|under|over|less than|fewer than|more than)\s+)?"
                        r"(?P<k>\d+(?:\.\d+)?)$", re.I)
# "Keyhole repair after an open repair": the column's treatment, and the one that came before it.
AFTER_IN_HEAD = re.compile(r"\s+(?:after|following)\s+.*$", re.I)
TREATMENT_HEAD = re.compile(r"\b(?:repair|surgery|operation|approach|procedure|therapy|treatment|ablation|"
                            r"resection|revision|transplant|implant|injection|radiotherapy|chemotherapy)\b", re.I)
WHOLE_GROUP_HEAD = re.compile(r"(?:any|all|no|total|overall|every)\b", re.I)  # 'Any treatment' names no arm
CURED_AFTER = re.compile(r"\s+(?:cured|resolved|healed|controlled|cleared|eradicated|gone|free)\b", re.I)


def _transposed_row(ctx, v, header, cells, head_cells) -> list[AdverseEffect]:
    """Therapies across the header, a harm in the row's first cell, each therapy's rate in its column. Arms
    that share a backbone ('A + ADT', 'B + ADT') are told apart by what differs. A head such as 'Out of 100
    people' makes a bare count a rate ('6' is '6 in 100'); a cell naming a harm of its own speaks of it."""
    text = ctx.doc.text
    arms = _column_arms(ctx, head_cells, cells)
    columns = [i for i, _ in enumerate(head_cells) if i and i < len(cells)]
    if len(arms) < 2 and not (arms and len(columns) == 1):
        return []
    harm = _row_harm(ctx, v, header, cells[0])
    if harm is None:
        return []
    per = DENOMINATOR_HEAD.search(text[head_cells[0][0]:head_cells[0][1]])
    out = []
    for i, concept in arms.items():
        a, b = cells[i]
        cell = text[a:b]
        count = BARE_COUNT.match(cell.strip())
        own = [m for m in v.of("AdverseEffect") if a <= m.start and m.end <= b and not p.SEVERITY.fullmatch(m.text)]
        rate = None
        if RATE.search(cell) and not NONE_RATE.match(cell):
            rate = cell.strip()
        elif per and count and float(count.group("k")) > 0:
            rate = f"{count.group('q') or ''}{count.group('k')} in {per.group('n')}"
        elif per and own and re.match(r"\s*\d", cell):
            rate = f"{re.match(r'[^(]*', cell).group(0).strip()} in {per.group('n')}"
        if rate:
            this = own[0] if own else harm  # '2 (injury to the back passage)': the cell's own harm
            out.extend(_effects(ctx, v, [concept], [this], [], given_rates={(this.start, concept): rate}))
    return out


def _column_arms(ctx, head_cells, cells) -> dict[int, str]:
    """The therapy each value column's head names: known by that name in the text or the terminology, or, for a
    head worded as a treatment ('Same open approach again'), coined from it."""
    text = ctx.doc.text
    columns = [(i, text[a:b]) for i, (a, b) in enumerate(head_cells) if i and i < len(cells)]
    parts = {i: [x.strip() for x in re.split(r"\s*(?:\+|\bplus\b|\bwith\b)\s*", AFTER_IN_HEAD.sub("", t))
                 if x.strip()] for i, t in columns}
    shared = set.intersection(*(set(x.lower() for x in ps) for ps in parts.values())) if len(parts) > 1 else set()
    arms = {}
    for i, ps in parts.items():
        own = [x for x in ps if x.lower() not in shared] or ps
        found = _named_elsewhere(ctx, own[0]) if len(own) == 1 else []
        if found:
            arms[i] = found[0].concept
        elif len(own) == 1 and TREATMENT_HEAD.search(own[0]) and len(own[0].split()) <= 5 \
                and not WHOLE_GROUP_HEAD.match(own[0]):
            arms[i] = slugify(own[0].lower())
    return arms


def _captioned_row(ctx, v, header, cells, head_cells) -> list[AdverseEffect]:
    """'| Side effect | When | How often |' under the caption 'Side effects after SBRT re-irradiation': harms
    down the first column of one therapy's table, which the caption or heading above names."""
    if not [m for m in header.of("AdverseEffect") if m.concept in GENERIC_EFFECTS and m.end <= head_cells[0][1]]:
        return []
    therapies = []
    for w in reversed(ctx.views[max(0, header.index - 2):header.index]):
        harms_line = bool(p.ADVERSE_CUE.search(w.text) or HARM_CUE.search(w.text))
        therapies = [m for m in _therapies(ctx, w) if (harms_line or m not in w.priors)  # 'side effects after X'
                     and m.concept not in NO_CAUSE and not w.negated(m)]
        if therapies or not harms_line:
            break
    if not therapies:
        return []
    listed = [m for m in v.of("AdverseEffect") if m.end <= cells[0][1] and not p.SEVERITY.fullmatch(m.text)
              and not v.negated(m)]
    harms = _drop_generic(ctx, listed)
    causes = _cause_names(ctx, v, therapies)
    rates = {}
    for cell in cells[1:]:
        text = ctx.doc.text[cell[0]:cell[1]]
        if effect_rates_in(text) and not NONE_RATE.match(text):
            rates = {(e.start, c): text.strip() for e in harms for c in causes}
            break
    return _effects(ctx, v, causes, harms, [], listed, given_rates=rates)


def _row_harm(ctx, v, header, first: tuple[int, int]) -> M | None:
    """The harm a row's first cell names: a mention, or an organ word read with the header's harm word
    ('Acute gastrointestinal, grade 2 or higher' under 'Toxicity' is gastrointestinal toxicity)."""
    inside = [m for m in v.of("AdverseEffect") if first[0] <= m.start and m.end <= first[1]
              and not p.SEVERITY.fullmatch(m.text)]
    if inside and CURED_AFTER.match(ctx.doc.text, inside[0].end):
        return None  # 'Infection cured at 2 years': an outcome, not a harm
    if inside:
        return _whole_cell_name(ctx, inside[0], first) or inside[0]
    head = [m for m in header.of("AdverseEffect") if m.concept in GENERIC_EFFECTS]
    if not head:
        return None
    noun = re.sub(r"\s*\(.*", "", head[0].text).lower()
    noun = re.sub(r"ies$", "y", noun)
    label = ctx.doc.text[first[0]:first[1]].split(",")[0]
    for word in re.finditer(r"[A-Za-z][\w-]+", label):
        if re.fullmatch(r"acute|late|early|chronic|any|all|total|grade", word.group(0), re.I):
            continue
        found = [c for c in ctx.term.lookup(f"{word.group(0)} {noun}") if is_type(c.type, "AdverseEffect")]
        if found:
            a = first[0] + word.start()
            return M(a, a + len(word.group(0)), found[0].id, found[0].type, word.group(0))
    return None


# What follows a harm's name in a row label: its qualifiers ('lasting more than 3 months', 'needing drainage').
NAME_END = re.compile(r"\s*[(,;:]|\s+(?:(?:and|or)\s+)?(?:lasting|needing|requiring|after|during|within|at|in|for|from|by|among|"
                      r"of (?:men|women|people|patients|those))\b", re.I)
NAME_LEAD = re.compile(r"^(?:(?:any|new|mild|moderate|severe|serious|grade\s*\d\+?)\s+)*", re.I)
TIMING_LEAD = re.compile(r"^(?:(?:acute|late|early|chronic|persistent|long[- ]term)\s+)*", re.I)


def _whole_cell_name(ctx, m: M, first: tuple[int, int]) -> M | None:
    """'Groin pain lasting more than 3 months', 'Infection with fever after the procedure': a row label whose
    name, up to its qualifiers, says more than the harm the terminology found in it names that harm itself
    (its timing kept: 'late bladder or urethra problems'; its severity not)."""
    label = ctx.doc.text[first[0]:first[1]]
    lead = NAME_LEAD.match(label).end()
    stop = NAME_END.search(label, lead)
    a, b = first[0] + lead, first[0] + (stop.start() if stop else len(label))
    name = ctx.doc.text[a:b]
    untimed = a + TIMING_LEAD.match(name).end()
    if not (a <= m.start and m.end <= b) or (m.start, m.end) in ((a, b), (untimed, b)) or len(name.split()) > 6 \
            or not re.fullmatch(r"[A-Za-z][\w' -]*", name):
        return None  # 'Late rectal bleeding': the harm found is the name, its timing aside
    if ctx.term.lookup(name):
        return None  # a name the terminology knows otherwise (a measure, a therapy) stays the harm found in it
    return M(a, b, slugify(name.lower()), "AdverseEffect", name)


def _table_row(ctx, v) -> list[AdverseEffect]:
    """A harms table written as text lines ('SRT    acute proctitis, grade 2+    9%', 'Fatigue ...... 6%'):
    the row's first cell names the therapy, else the caption or heading above the table does; the lines
    above must speak of harms."""
    effects = [m for m in v.of("AdverseEffect") if not v.negated(m) and not p.SEVERITY.fullmatch(m.text)]
    effects = [e for e in _drop_generic(ctx, effects) if not _vague(ctx, v, e, effects)]
    if not effects:
        return []
    above = []
    for w in reversed(ctx.views[max(0, v.index - 12):v.index]):
        if w.s.kind not in ("heading", "title") and not TABLE_ROW.search(w.text):
            break
        if not TABLE_ROW.search(w.text) or not w.of("AdverseEffect"):
            above.append(w)
    if not any(p.ADVERSE_CUE.search(w.text) or HARM_CUE.search(w.text) for w in above):
        return []
    first = re.match(r"^\s*(\S.*?)(?:\s{2,}|\s*\.{3,}|\t|$)", v.text)
    cell_end = v.s.start + (first.end(1) if first else 0)
    therapies = [m for m in _therapies(ctx, v) if m.end <= cell_end and m.type != "SupportiveTherapy"]
    if not therapies:
        by_arm = _arm_column_row(ctx, v, effects, cell_end)
        if by_arm is not None:
            return by_arm
        for w in above:
            therapies = [m for m in _therapies(ctx, w) if m not in w.priors and m.type != "SupportiveTherapy"
                         and (m.concept not in NO_CAUSE or m.concept == "placebo")  # a placebo column has rates
                         and not _comparator(ctx, w, m) and not w.negated(m)]
            if therapies:
                break
    if not therapies:
        return []
    return _effects(ctx, v, _cause_names(ctx, v, therapies), effects, [])


def _arm_column_row(ctx, v, effects: list[M], cell_end: int) -> list[AdverseEffect] | None:
    """'Acute grade 2+ bowel toxicity ..... 4.2% ..... 9.6%' under a head line 'Arm A (n = 313)   Arm B (n = 311)':
    a text table whose head names an arm over each value column gives each arm the rate in its column.
    None when no such head stands above the row."""
    from .tables import arm_columns, indented, space_cells  # the outcome tables' reading of column heads

    harms = [e for e in effects if e.end <= cell_end]
    cells = space_cells(v)
    if not harms or len(cells) < 3:
        return None
    for w in reversed(ctx.views[max(0, v.index - 12):v.index]):
        if not TABLE_ROW.search(w.text) and w.s.kind != "heading":
            return None
        if w.of("AdverseEffect") or re.search(r"\d\s*%", w.text):
            continue  # a row of the table, not its head
        head = space_cells(w)
        if len(head) == len(cells) - 1 and (indented(ctx, w) or len(head) >= 2):
            head = [(w.s.start, w.s.start, "")] + head  # a head over the value columns only
        if len(head) != len(cells):
            continue
        arms = arm_columns(ctx, w, head)
        if not arms:
            continue
        out = []
        for k, arm in arms.items():
            cell = ctx.doc.text[cells[k][0]:cells[k][1]]
            if RATE.search(cell) and not NONE_RATE.match(cell):
                out.extend(_effects(ctx, v, [arm], harms[:1], [], given_rates={(harms[0].start, arm): cell.strip()}))
        return out
    return None


def _causes(ctx, v, e: M, therapies: list[M], comparators: list[M]) -> list[str]:
    """The therapies a harm is said of: those bound to it by wording ('side effects of X', 'X and its
    side effects', 'caused by X', 'X-related'), else those of its part of the sentence (between
    semicolons), else of the sentence, else the context's."""
    segment = _segment(v, e)
    local = [m for m in therapies if segment[0] <= m.start < segment[1]]
    pool = local or therapies
    bound = [m for m in pool if _bound(ctx, v, m) and m not in comparators]
    bound = [m for m in bound if m not in v.priors] or \
        (bound if all(m in v.priors for m in pool) else [])  # "salvage therapy after RT carries a risk"
    if bound:
        pool = bound
    else:
        pool = [m for m in pool if m not in comparators or _own_rate(ctx, v, m)]
        non_prior = [m for m in pool if m not in v.priors or _after_effect(ctx, e, m)]
        pool = non_prior or pool
    if not pool or all(v.is_predicate(m) for m in pool):
        if _unknown_antecedent(ctx, v):
            return []
        pool = ctx.referent(v) or pool
    if pool:
        return _cause_names(ctx, v, pool)
    focus = _focus(ctx, v)
    if focus:
        return _cause_names(ctx, v, focus)
    return [_default_therapy(ctx)] if ctx.main_therapy else []


def _common_kind(ctx, concepts: list[str]) -> list[str]:
    """The nearest therapy all of `concepts` are kinds of ('intermittent ADT', 'continuous ADT' -> ADT)."""
    for a in ctx.concept_ancestors(concepts[0])[1:]:
        if all(a in ctx.concept_ancestors(c) for c in concepts[1:]) and ctx.term.concepts.get(a) is not None \
                and is_type(ctx.term.concepts[a].type, "Therapy"):
            return [a]
    return []


def _unknown_antecedent(ctx, v) -> bool:
    """'Foscarnet remains an option when maribavir has failed. It works well but damages the kidneys': 'It' is
    the subject before, a name the terminology lacks, not the failed treatment that sentence also names."""
    if not ANAPHOR_START.match(v.text) or v.index == 0:
        return False
    w = ctx.views[v.index - 1]
    named = _therapies(ctx, w)
    return w.s.section == v.s.section and bool(named) and all(m in w.priors for m in named)


def _default_therapy(ctx) -> str:
    """The document's therapy, or rather its salvage form when the document is about one ('surgery' in a
    report on salvage oesophagectomy)."""
    main, salvage = ctx.main_therapy, ctx.main_salvage
    if salvage and salvage != main and main in ctx.concept_ancestors(salvage):
        return salvage
    return main


def _therapies(ctx, v) -> list[M]:
    """The sentence's therapy mentions; a bare abbreviation left untyped ('ICE' defined by its drugs) is read
    as the therapy the terminology knows by that abbreviation."""
    out: list[M] = []
    for m in v.mentions:
        if v.match_after(PERSON_AFTER, m, 30):
            continue  # "my radiation oncologist": a profession, not a treatment
        if out and m.type == "TherapeuticApproach" and re.fullmatch(r"\s*", ctx.doc.text[out[-1].end:m.start]):
            continue  # "enzalutamide monotherapy": the approach word is part of the drug's name
        if ctx.is_a(m, "Therapy"):
            if out and APPOSED.fullmatch(ctx.doc.text[out[-1].end:m.start]) and _is_class(ctx, m) \
                    and not _is_class(ctx, out[-1]):
                continue  # "tarlatamab, a bispecific T-cell engager": the class describes the drug
            if out and re.fullmatch(r"\s+", ctx.doc.text[out[-1].end:m.start]) and _is_class(ctx, out[-1]) \
                    and not _is_class(ctx, m):
                out[-1] = m  # "the bispecific antibody mosunetuzumab": the drug is named by its class first
                continue
            out.append(m)
        elif m.type == "Concept" and m.text.isupper():
            known = [c for c in ctx.term.lookup(m.text) if is_type(c.type, "Therapy")]
            if known:
                out.append(M(m.start, m.end, known[0].id, known[0].type, m.text))
            elif THERAPY_ID.search(m.concept):  # "ENRT" declared for "elective nodal radiotherapy"
                out.append(M(m.start, m.end, m.concept, "Therapy", m.text))
    return out


def _view_index(ctx, pos: int) -> int:
    """The index of the sentence that holds a document offset."""
    cache = ctx.__dict__.setdefault("_effects_cache", {})
    if "starts" not in cache:
        cache["starts"] = [w.s.start for w in ctx.views]
    return max(0, bisect.bisect_right(cache["starts"], pos) - 1)


def _is_class(ctx, m: M) -> bool:
    """A name for a class of therapies ('bispecific antibody'), not one therapy."""
    try:
        return bool(ctx.term.narrower(m.concept))
    except KeyError:
        return False


def _focus(ctx, v, look_back: int = 4) -> list[M]:
    """The therapy the preceding sentences of the section speak about: not one named only as a partner
    ('combined with an optimised background regimen'), a failed earlier treatment or a classification."""
    fallback: list[M] = []
    for w in reversed(ctx.views[max(0, v.index - look_back):v.index]):
        if w.s.section != v.s.section:
            break
        found = [m for m in _therapies(ctx, w) if m not in w.priors and not w.is_predicate(m)
                 and not PARTNER_BEFORE.search(w.before(m, 40)) and m.type != "SupportiveTherapy"
                 and not LANDMARK_BEFORE.search(w.before(m, 30)) and not LANDMARK_AFTER.match(w.after(m, 20))
                 and not DATED_RECURRENCE_BEFORE.search(w.before(m, 90))
                 and m.concept not in NO_CAUSE and not _remedy(ctx, w, m)
                 and not CONTRASTED_BEFORE.search(w.before(m, 40))]
        named = [m for m in found if not re.search(r"\b(?:a|an)\s+(?:[\w-]+\s+)?$", w.before(m, 20), re.I)]
        if named:
            return ctx.most_specific(named)
        fallback = fallback or found  # "a capsid inhibitor" describes; the name before it is the subject
    if fallback:
        return ctx.most_specific(fallback)
    h = ctx.heading(v)
    return ctx.most_specific([m for m in _therapies(ctx, h) if m.concept not in NO_CAUSE]) if h else []


def _cause_names(ctx, v, mentions: list[M]) -> list[str]:
    mentions = _without_examples(ctx, mentions)
    return list(dict.fromkeys(_specialise(ctx, _definite_kind(ctx, m)) for m in mentions))


EXAMPLES_GAP = re.compile(r"^\s*[(,]?\s*(?:such as|e\.g\.,?|like|including|for example,?|for instance,?|namely)\s+"
                          r"[^.;:()]*$", re.I)


def _without_examples(ctx, mentions: list[M]) -> list[M]:
    """'JAK inhibitors such as A, B and C ...': what is said of the class is said of the class, not of each drug
    given as an example of it."""
    classes = [m for m in mentions if _is_class(ctx, m)]
    kept = [m for m in mentions if not any(c.end <= m.start and m.start - c.end < 120
                                           and EXAMPLES_GAP.match(ctx.doc.text[c.end:m.start]) for c in classes)]
    return kept or mentions


def _definite_kind(ctx, m: M) -> str:
    """'Two men had an injury to the ureter during the operation' after 'salvage lymph node dissection': a kind
    named with a definite article is the narrower therapy of that kind the text last named."""
    if not DEFINITE_BEFORE.search(ctx.doc.text[max(0, m.start - 8):m.start]):
        return m.concept
    try:
        if not ctx.term.narrower(m.concept):
            return m.concept
    except KeyError:
        return m.concept
    for main in (ctx.main_salvage, ctx.main_therapy):
        if main and main != m.concept and m.concept in ctx.concept_ancestors(main):
            return main  # the document's own therapy of that kind
    here = _view_index(ctx, m.start)
    narrower = {o.concept for w in ctx.views[max(0, here - 12):here] for o in _therapies(ctx, w)
                if o.concept != m.concept and o not in w.priors and m.concept in ctx.concept_ancestors(o.concept)}
    return narrower.pop() if len(narrower) == 1 else m.concept  # only when the text named one such therapy


def _glosses(ctx, effects: list[M]) -> list[M]:
    """'injection-site reactions - lumps, swelling or redness -': harms inside an aside describe the one before."""
    out = []
    for i, e in enumerate(effects):
        prev = effects[i - 1] if i else None
        if prev is not None and prev.end <= e.start and re.match(r"^\s*(?:\(|[-–—]\s)[^()–—;.]*$",
                                                                    ctx.doc.text[prev.end:e.start]) \
                and not re.match(r"^\s*\(\s*(?:or|and|i\.e\.)", ctx.doc.text[prev.end:e.start]):
            continue
        out.append(e)
    return out


SEMICOLON = re.compile(";")


def _segment(v, e: M) -> tuple[int, int]:
    """The part of the sentence, between semicolons, that holds the mention."""
    a, b = v.s.start, v.s.end
    for hit in SEMICOLON.finditer(v.text):
        pos = v.s.start + hit.start()
        if pos < e.start:
            a = pos + 1
        elif pos >= e.end:
            b = pos
            break
    return a, b


def _bound(ctx, v, m: M) -> bool:
    """A therapy the wording names as the cause of the harms around it."""
    before, after = v.before(m, 60), v.after(m, 40)
    return bool(BOUND_BEFORE.search(before) or BOUND_AFTER.match(after))


def _remedy(ctx, v, m: M) -> bool:
    """'... may need further surgery', 'treated with antibiotics': the therapy repairs a harm, it does not cause it."""
    return bool(REMEDY_BEFORE.search(v.before(m, 50)) or REMEDY_AFTER.match(v.after(m, 40)))


def _remedied(ctx, v, e: M) -> bool:
    """'medicines for erectile dysfunction', 'surgery to treat incontinence', 'controlling symptoms such as
    headaches': the harm is what is treated."""
    return bool(v.search_before(TREATED_BEFORE, e, 50) or v.search_before(RELIEVED_LIST, e, 90))


HYPHEN_WORD = re.compile(r"-[a-z]")


def _compound_modifier(ctx, e: M) -> bool:
    """'infection-fighting white cells': a harm's name inside a compound word names no harm."""
    return bool(HYPHEN_WORD.match(ctx.doc.text, e.end))


def _benefit(ctx, v, e: M) -> bool:
    """'reduces incontinence', 'to avoid toxicity': a benefit or a goal, unless the words speak of a therapy
    and its harms ('to postpone ADT and its side effects, such as ...')."""
    before = v.before(e, 60)
    hit = p.BENEFIT.search(before) or BENEFIT_MORE.search(before)
    if not hit:
        return False
    cue_at = e.start - len(before) + hit.start()
    between = [m for m in v.of("Therapy") if cue_at <= m.start and m.end <= e.start]
    return not (between and THERAPY_HARMS.search(ctx.doc.text[between[-1].end:e.start]))


def _disease_symptom(ctx, v, e: M) -> bool:
    """'symptoms of the cancer such as bone pain', 'fatigue caused by the infection': the disease's doing."""
    clause = v.clause(e)
    if DISEASE_CAUSE.search(clause):
        return True
    agent = AGENT_CAUSES.search(v.before(e, 120))
    if agent and not [m for m in _therapies(ctx, v) if e.start - len(v.before(e, 120)) + agent.start() <= m.start
                      and m.end <= e.start]:
        return True
    conditions = [m for m in v.of("Condition") if m.end <= e.start and not m.type == "AdverseEffect"]
    if conditions:
        gap = ctx.doc.text[conditions[-1].end:e.start]
        if re.match(r"^\s*(?:itself\s+)?(?:can |may |often |commonly |also )*(?:causes?|leads? to|results? in|"
                    r"produces?|brings? on)\b", gap, re.I) and not v.of("Therapy"):
            return True
    return False


DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:(?:single|only|one|same|two|three)\s+)?$", re.I)


def _repeat(ctx, v, e: M) -> bool:
    """'the single fracture occurred ...' after 'vertebral compression fracture ... 1%': a definite mention of
    a harm already reported under a narrower name speaks of that harm again."""
    if not DEFINITE_BEFORE.search(v.before(e, 25)):
        return False
    for w in ctx.views[max(0, v.index - 8):v.index]:
        for o in w.of("AdverseEffect"):
            if o.concept != e.concept and e.concept in ctx.concept_ancestors(o.concept):
                return True
    return False


def _the_disease(ctx, v, e: M) -> bool:
    """'whose infection progresses': in a document about an infection, a bare 'infection' is the disease."""
    if e.concept != "infection" or not re.fullmatch(r"infections?", e.text, re.I):
        return False
    main = ctx.term.concepts.get(ctx.main_condition or "")
    return main is not None and is_type(main.type, "InfectiousDisease")


def _treated_disease(ctx, e: M) -> bool:
    """'those with severe CDI' in a guideline on recurrent CDI: the disease treated is no harm of its treatment."""
    if e.concept in _title_disease_harms(ctx):
        return True
    main = ctx.main_condition
    if not main:
        return False
    if e.concept in ctx.concept_ancestors(main) or main in ctx.concept_ancestors(e.concept):
        return True
    disease, harm = ctx.term.concepts.get(main), ctx.term.concepts.get(e.concept)
    # "recurrent Clostridioides difficile infection": the disease is a qualified form of the harm
    return bool(disease and harm and re.search(rf"\b{re.escape(harm.label.lower())}$", disease.label.lower()))


def _title_disease_harms(ctx) -> set[str]:
    """'The fistula came back: what a surgeon does next': a harm the title says recurred is the disease treated."""
    cache = ctx.__dict__.setdefault("_effects_cache", {})
    if "title_harms" not in cache:
        cache["title_harms"] = {m.concept for v in ctx.views if v.s.kind == "title" and p.SALVAGE_CUE.search(v.text)
                                for m in v.of("AdverseEffect")}
    return cache["title_harms"]


def _patients_with(ctx, v, e: M) -> bool:
    """'It should not be used in patients with heart failure', 'not recommended if you already have a stricture or
    bleeding': a condition that rules a therapy out, not its harm."""
    return bool(CONTRAINDICATED.search(v.text) and (PATIENTS_WITH.search(v.before(e, 60))
                                                    or ALREADY_HAVE.search(v.before(e, 120))))


def _excluded(ctx, v, e: M) -> bool:
    """'a biopsy to confirm that it is sarcoma and not another problem, such as an infection': a diagnosis the
    work-up rules out is no harm of a treatment; nor is an illness the patient has a history of."""
    return bool(RULED_OUT_BEFORE.search(v.before(e, 100)) or HISTORY_BEFORE.search(v.before(e, 100)))


def _vague(ctx, v, e: M, effects: list[M]) -> bool:
    """A category ('side effects', 'complications') that names no harm: left out unless it carries its own
    grade or rate, and always when the sentence names the harms themselves."""
    if e.concept not in GENERIC_EFFECTS:
        return False
    specific = [o for o in effects if o.concept not in GENERIC_EFFECTS]
    if specific and any(o.start < e.start for o in specific):
        return True  # 'lymphocele was the most frequent complication'
    rel = e.start - v.s.start
    window = v.text[max(0, rel - SEVERITY_NEAR):e.end - v.s.start + SEVERITY_NEAR]
    numeric = re.search(r"\d\s*%|\bgrade\s*(?:\d|[IVX]+)\b|\bClavien[- ]Dindo (?:grade|class)\w*\s*(?:\d|[IVX]+)|\bin \d+ (?:of|patients|men|women|people)\b|"
                        r"\d+(?:\.\d+)?-fold|\bodds\b", window, re.I)
    return not numeric


def _comparator(ctx, v, m: M) -> bool:
    return bool(v.search_before(COMPARE_BEFORE, m, 50) or v.search_before(COMPARED_TO, m, 50))


def _own_rate(ctx, v, m: M) -> bool:
    """'61% of the BV-ICE arm and 49% of the ICE arm': a compared arm with its own rate is a cause too (as is
    one in a sentence pairing the rates: 'fatigue (32% vs 24%) was more frequent with A than with B')."""
    before, after = v.before(m, 30), v.after(m, 30)
    return bool(re.search(r"\d\s*%[^;,.%]{0,20}$", before) or re.match(r"^[^;,.%]{0,12}?\(?\s*\d+(?:\.\d+)?\s*%", after)
                or RATES_COMPARED.search(v.text))


def _placebo_rate(ctx, v, m: M) -> bool:
    """'7.8% of apalutamide recipients and 1.0% of placebo recipients', 'fatigue (32% vs 24%) ... against
    placebo': the placebo arm has rates of its own in the sentence."""
    return m.concept == "placebo" and _own_rate(ctx, v, m)


def _after_effect(ctx, e: M, m: M) -> bool:
    """'incontinence after salvage prostatectomy': a therapy named after the harm, with 'after', causes it."""
    gap = ctx.doc.text[e.end:m.start] if e.end <= m.start else ""
    return bool(gap) and len(gap) < 60 and re.search(r"\b(?:after|following)\s+(?:(?:a|an|the|salvage)\s+)?$", gap, re.I) \
        is not None and not REASON.search(gap)


def _in_reason(ctx, v, m: M, effects: list[M]) -> bool:
    """'... have erectile dysfunction afterwards, because the nerves are rarely spared after radiotherapy': a
    therapy inside the clause that explains a harm named before it is part of the explanation, not its cause."""
    return any(e.end <= m.start and REASON.search(ctx.doc.text[e.end:m.start]) for e in effects)


CONDITION_LEAD = re.compile(r"^\W*(?:if|when|where|should|for (?:those|men|women|patients|people) (?:with|whose))\b"
                            r"[^,;]*,", re.I)


def _offered_for(ctx, v, m: M) -> bool:
    """'If leakage is still severe ..., an artificial urinary sphincter can be offered': a therapy offered when a
    harm persists is its remedy."""
    lead = CONDITION_LEAD.match(v.text)
    return bool(lead and m.start >= v.s.start + lead.end() and OFFERED_AFTER.match(v.after(m, 40)))


def _specialise(ctx, concept: str) -> str:
    """A therapy named only by its kind ('the surgery', 'hormone therapy') read as the therapy of that kind
    the document is about, or else the one therapy of that kind it names ('androgen deprivation therapy')."""
    known = ctx.term.concepts.get(concept)
    kind_word = concept in KIND_NAMES or known is not None and " " not in known.label \
        and not is_type(known.type, "SystemicTherapy")  # 'brachytherapy', not a class of drugs ('chemotherapy')
    if not kind_word:
        return concept
    for main in (ctx.main_therapy, ctx.main_salvage):  # the kind itself may be named most often
        if main and main != concept and concept in ctx.concept_ancestors(main):
            return main  # "brachytherapy" in a report on salvage HDR brachytherapy
    if concept not in KIND_NAMES:
        return concept
    if concept == "surgery":
        return concept  # "surgery" alone also names a later repair
    narrower = set()
    for v in ctx.views:
        for m in v.of("Therapy"):
            if m.concept != concept and concept in ctx.concept_ancestors(m.concept) and m.concept in ctx.term.concepts \
                    and ("salvage" in concept or "salvage" not in m.concept) and m not in v.priors:
                narrower.add(m.concept)
    shallowest = {c for c in narrower if not any(c != o and o in ctx.concept_ancestors(c) for o in narrower)}
    return shallowest.pop() if len(shallowest) == 1 else concept


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


def _effects(ctx, v, therapies: list[str], effects: list[M], comparators: list[M],
             siblings: list[M] | None = None, given_rates: dict | None = None) -> list[AdverseEffect]:
    """One statement per harm and therapy, with what the sentence says of the harm's grade, timing and rate.
    `siblings` are all the harms the sentence names (they bound each other's rates)."""
    text = v.text
    positions: dict[str, int] = {}
    for m in _therapies(ctx, v):
        positions.setdefault(_specialise(ctx, m.concept), m.start)
    rates = given_rates if given_rates is not None else \
        effect_rates(text, v.s.start, [(x.start, x.end) for x in (siblings or effects)], therapies, positions)
    odds = list(p.ODDS.finditer(text))
    pval = p.P_VALUE.search(text)
    timings = {name for name, rx in p.TIMING if rx.search(text)}
    severities = list(p.SEVERITY.finditer(text))  # the same for every harm of the sentence
    out = []
    for e in effects:
        rel = e.start - v.s.start
        window = text[max(0, rel - SEVERITY_NEAR):e.end - v.s.start + SEVERITY_NEAR]
        severity = _nearest(severities, text, rel, e.end - v.s.start)
        severity = severity.strip() if severity else None
        odds_ratio = _odds_for(odds, text, rel)
        clause = v.clause(e)  # mostly the whole sentence, whose timings are known
        clause_timing = timings if clause == text else {name for name, rx in p.TIMING if rx.search(clause)}
        timing = _one(clause_timing) or _one(timings)
        generic = ctx.term.concepts.get(e.concept) is not None and not ctx.term.concepts[e.concept].broader
        if generic and not (severity or p.FREQUENCY.search(window) or odds_ratio):
            continue  # "has side effects" with nothing said about them
        for therapy in therapies:
            if therapy == e.concept:
                continue
            out.append(AdverseEffect(
                therapy=therapy, effect=e.concept, severity=severity, timing=timing or _surgical(ctx, therapy, e),
                frequency=rates.get((e.start, therapy)), odds_ratio=odds_ratio,
                comparator=comparators[0].concept if comparators and odds_ratio is not None else None,
                p_value=f"{pval.group('cmp')}{pval.group('val')}" if pval else None,
                evidence=(v.evidence(),)))
    return out


def _surgical(ctx, therapy: str, e: M) -> str | None:
    """A complication of an operation that the terminology files under postoperative complications
    (anastomotic leak, wound infection) happens around the operation."""
    concept = ctx.term.concepts.get(therapy)
    if concept is None or not is_type(concept.type, "Surgery"):
        return None
    return "perioperative" if "postoperative-complications" in ctx.concept_ancestors(e.concept) else None


def _one(names: set[str]) -> str | None:
    return next(iter(names)) if len(names) == 1 else None


def _nearest(hits: list[re.Match], text: str, start: int, end: int) -> str | None:
    best, dist = None, SEVERITY_NEAR + 1
    for hit in hits:
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
