"""Prerequisites: what a treatment requires first."""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from ..assertions import Prerequisite
from . import patterns as p
from .context import DocumentContext, M, SentenceView, is_type
from .recognize import slugify
from .prefilter import prefiltered
from .definitions import NP_STOP
from .measures import _state  # the study design is read with the results

# --- prerequisites --------------------------------------------------------------------------------

REQUIRED = re.compile(r"\b(?:must|should|needs? to|has to|have to|is required|are required|required|necessary|"
                      r"essential|mandatory|is needed|recommended)\b", re.I)
BEFORE = re.compile(r"\b(?:before|prior to|ahead of)\b", re.I)
SOLELY_LOOSE = re.compile(r"\b(?:never|not|no|n't|neither|none)\b[^.;]{0,40}?\b(?:bas|rel[yi]|rest|depend|choos|chos|mak|made|"
                          r"decid|guid|driv|trigger|justif|plan|start|offer|giv|withh[oe]ld|stop|delay|den[yi]|"
                          r"go(?:es)? ahead|proceed|tak|select|chang|switch|judg|assess|determin|diagnos|confirm|"
                          r"treat|operat|irradiat|interven|act)\w*\b"
                          r"[^.;]{0,25}?\b(?:on the basis of|on the strength of|because of|due to|based on|on|by|"
                          r"from)\s+(?:(?:an?|the|someone's|a|rising|single|negative|positive|[\w'’-]+)\s+){0,2}$",
                          re.I)
# "not ... on the basis of a single PSA value": one result stands for the result alone
SINGLE_BEFORE = re.compile(r"\b(?:a single|one|an isolated|a one-off)\s+(?:[\w-]+\s+)?$", re.I)
ALONE_AFTER = re.compile(r"^(?:\s+[\w-]+){0,3}\s+(?:alone|only|by itself|by themselves|on (?:its|their) own|"
                         r"in isolation)\b", re.I)
SOLELY = re.compile(r"\b(?:never|not|no|n't|neither|none)\b[^.;]{0,30}?\b(?:based|rely|relied|rest|rests|depend|relying|resting)\s+"
                    r"(?:solely|only|exclusively|purely|alone|just|entirely)?\s*(?:up)?on\s+"
                    r"(?:an?\s+|the\s+|your\s+|a single\s+|one\s+)?(?:[\w'’-]+\s+)?$", re.I)
# "X alone is not enough", "a scan result on its own is never enough", "X by itself should not trigger ..."
ALONE_INSUFFICIENT = re.compile(
    r"^(?:\s*\([^)]{1,40}\))?(?:\s+[\w-]+){0,2}?\s*,?\s+(?:alone|on (?:its|their) own|by (?:itself|themselves)|"
    r"in isolation)\s*,?\s+(?:(?:is|are|was|were|should|must|does|do|can|will|would)\s+)?"
    r"(?:not|never|n't|no longer|rarely|insufficient|inadequate|cannot|can't|isn't|aren't|doesn't|don't|won't)\b", re.I)
NOT_ENOUGH_AFTER = re.compile(
    r"^(?:\s*\([^)]{1,40}\))?(?:\s+[\w-]+){0,2}?\s+(?:is|are)\s+(?:not|never|n't)\s+(?:\w+\s+)?"
    r"(?:enough|sufficient|adequate)\s+(?:on (?:its|their) own|by (?:itself|themselves)|alone)\b|"
    r"^(?:\s*\([^)]{1,40}\))?(?:\s+[\w-]+){0,2}?\s+(?:alone\s+)?(?:is|are)\s+(?:insufficient|not sufficient|not enough)"
    r"\s+(?:on (?:its|their) own|by (?:itself|themselves)|alone)?\s*(?:to|for)\b", re.I)

NEED = re.compile(r"\b(?:need(?:s|ed)?|will (?:also |then |first |usually )?have|should (?:have|get|undergo|be)|must (?:have|undergo|be)|requires?|"
                  r"required|get|obtain(?:ed)?|perform(?:ed)?|check(?:ed)?|confirm(?:s|ed|ing)?|ask about|assess(?:ed)?|"
                  r"establish(?:ed)?|undergo|measure[sd]?|repeat(?:ed)?|advised|order(?:ed)?|request(?:ed)?|"
                  r"arrange[sd]?|review(?:ed)?|talk (?:\w+ )?about|discuss(?:ed)?|evaluate[sd]?|"
                  r"(?:all|every|each) (?:patients?|men|women|participants?|subjects?|candidates?) "
                  r"(?:had|underwent|received))\b", re.I)
NOT_TO_BE_USED = re.compile(r"^[^.;]{0,20}?\b(?:should not|must not|cannot|can't|is not to) be (?:used|relied on|trusted)|"
                            r"^[^.;]{0,20}?\b(?:is|are) (?:not reliable|unreliable|misleading)", re.I)
NOT_TO_BE_USED_ANYWHERE = re.compile(NOT_TO_BE_USED.pattern.replace("^[^.;]{0,20}?", ""), re.I)
BEFORE_SECTION = re.compile(r"\b(?:before|prior to|first|pre-?treatment|pre-?operative|work-?up|tests?|testing|"
                            r"assessments?|evaluation|investigations?|confirm\w*|diagnos\w*|staging|eligib\w*|"
                            r"prepar\w*|getting ready)\b", re.I)
# a heading that lists what must be done first: its bullets name requirements even without a verb
PREREQ_HEADING = re.compile(r"\b(?:before|prior to|pre-?treatment|pre-?operative|work-?up|tests?|investigations?|"
                            r"staging|getting ready|preparation)\b", re.I)
AFTERCARE = re.compile(r"\b(?:after (?:the |your |this )?(?:treatment|therapy|procedure|operation|surgery)|"
                       r"follow-?up|afterwards|monitor(?:ed|ing)?|surveillance|every \d|each visit|regularly|"
                       r"during (?:the )?(?:treatment|therapy|course))\b", re.I)
# strong requirement words that make a test a prerequisite even without 'before'
STRONG = re.compile(r"\b(?:mandatory|obligatory|required|requires?|requirements?|prerequisites?|preconditions?|"
                    r"indispensable|essential|necessary|must (?:have|be|undergo|first)|needs? to be|is needed|"
                    r"are needed|(?:will|you'll|you will|patients|men|women|they|you) (?:also )?need|"
                    r"conditional (?:up)?on|contingent (?:up)?on)\b", re.I)
NOT_REQUIRED = re.compile(r"\b(?:not|never|no longer|n't)\s+(?:\w+\s+)?(?:required|necessary|needed|mandatory|"
                          r"essential|need(?:ed)?|require)\b|\bno need\b|\bunnecessary\b|\boptional\b|"
                          r"\b(?:may|might|could|sometimes|occasionally|some (?:men|women|patients|people)) "
                          r"(?:also )?(?:need|require)", re.I)
# "only ... once/after/when X", "not ... until X", "never ... without X": X comes first
ONLY_ONCE = re.compile(r"\bonly\b[^.;]{0,80}?\b(?:once|after|when|if|following)\s+(?:an?\s+|the\s+|a\s+positive\s+|"
                       r"a\s+repeat\s+|[\w-]+\s+)?$|"
                       r"\b(?:not|never|n't|no)\b[^.;]{0,90}?\b(?:until|unless)\s+(?:an?\s+|the\s+|[\w-]+\s+)?$|"
                       r"\b(?:not|never|n't|no|nobody|no one)\b[^.;]{0,60}?\bwithout\s+(?:(?:an?|the|first|prior|previous|"
                       r"recent|confirmatory|up-to-date|baseline|[\w-]+)\s+){0,2}$",
                       re.I)
# "treatment should be guided by X", "the choice must be based on X"
GUIDED = re.compile(r"\b(?:should|must|needs? to|has to|is to|ought to)\s+(?:always\s+|ideally\s+|preferably\s+|"
                    r"first\s+)?be\s+(?:guided|based|informed|directed|tailored|chosen|selected|confirmed|"
                    r"established|proven|documented|verified)\s+(?:by|on|according to|using|with)\s+"
                    r"(?:an?\s+|the\s+|(?:the\s+)?results? of\s+(?:an?\s+|the\s+)?|[\w-]+\s+)?$", re.I)
# "biopsy-proven recurrence", "confirmed by biopsy", "biopsy confirmation of ..."
PROVEN_AFTER = re.compile(r"^[- ]?(?:proven|confirmed|documented|verified)\b|"
                          r"^\s+(?:confirm(?:ation|s|ed)?|proof|evidence|documentation)\s+(?:of|that)\b", re.I)
PROVEN_BEFORE = re.compile(r"\b(?:proven|confirmed|documented|verified|demonstrated)\s+(?:by|on|with|at)\s+"
                           r"(?:an?\s+|the\s+|repeat\s+|a\s+repeat\s+)?$", re.I)
NEGATED_LEAD = re.compile(r"\b(?:without|no|not|never|absence of|lack of|in the absence of|even without|"
                          r"regardless of|irrespective of)\s+(?:an?\s+|the\s+|any\s+|prior\s+)?(?:[\w-]+\s+)?$", re.I)
HISTOLOGY = re.compile(r"\b(?:histologically|histologic(?:al)?ly|pathologically|cytologically|biopsy|tissue)"
                       r"[- ](?:confirmed|proven|documented|verified)\b", re.I)
PAREN_GAP = re.compile(r"^\s*\($")
FOR_TEST = re.compile(r"^\s+(?:for|of|to (?:measure|check)|measuring|checking)\s+(?:the\s+|your\s+)?$", re.I)
# a list entry that names a test ("- PSMA PET/CT to exclude spread", "- Bone scan"), not a sentence about it
LIST_ENTRY = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:[,:;–—-]|to\b|of\b|for\b|and\b|or\b|with\b|if\b|where\b|"
                        r"when\b|scans?\b|$)", re.I)
MERELY_HELPS = re.compile(r"\b(?:help(?:s|ful)?|may|might|can|could|useful|optional|sometimes|occasionally)\b", re.I)

# What a noun phrase names when a sentence asks for it to be checked: "ask about adherence",
# "a geriatric assessment is mandatory". Provisional concepts (DiagnosticProcedure) are coined for
# named assessments the terminology lacks.
ASSESS_VERB = re.compile(
    r"\b(?:ask(?:s|ed|ing)?\s+(?:\w+\s+)?about|assess(?:es|ed|ing)?|check(?:s|ed|ing)?(?:\s+on)?|"
    r"review(?:s|ed|ing)?|evaluat(?:e|es|ed|ing)|talk(?:s|ed|ing)?\s+(?:\w+\s+)?about|"
    r"discuss(?:es|ed|ing)?|document(?:s|ed|ing)?|measur(?:e|es|ed|ing)|screen(?:s|ed|ing)?\s+for|"
    r"test(?:s|ed|ing)?\s+for|look(?:s|ed|ing)?\s+(?:carefully\s+)?at)\s+"
    r"(?:(?:the|a|an|your|his|her|their|any|patients'|the patient's|current|previous|prior)\s+)*", re.I)
ASSESS_HEAD = (r"assessments?|evaluations?|appraisals?|reviews?|examinations?|exams?|work-?ups?|consultations?|"
               r"screens?|screening|tests?|testing|scans?|assays?|panels?|counts?|levels?|measurements?|profiles?|"
               r"typing|audiograms?|questionnaires?|interviews?|cultures?|diar(?:y|ies)|swabs?")
HEAD_NP = re.compile(rf"(?<![\w-])((?:[A-Za-z][\w/-]*\s+){{1,3}}(?:{ASSESS_HEAD}))\b", re.I)  # not "day" of "3-day"
# Costly patterns skip text that lacks the words every match contains (prefilter.py).
REQUIRED, NEED, STRONG, HISTOLOGY, ASSESS_VERB, HEAD_NP = map(
    prefiltered, (REQUIRED, NEED, STRONG, HISTOLOGY, ASSESS_VERB, HEAD_NP))
# Cues looked for just before or after a mention: the sentence is tested once for their words
# (SentenceView.search_before, match_after).
ALONE_INSUFFICIENT, NOT_ENOUGH_AFTER = map(prefiltered, (ALONE_INSUFFICIENT, NOT_ENOUGH_AFTER))
RESOLVE_AS = ("{} assessment", "assessment of {}", "{} testing", "{} test", "{} check", "{} review",
              "{} measurement", "{} monitoring", "{}")


def assessment_mentions(doc, sents, mentions: list[M]) -> list[M]:
    """Mentions of assessments a sentence asks for that the recogniser did not find: a known test named
    through its object ('ask about adherence' -> adherence assessment) or a provisional concept for a named
    assessment ('a geriatric assessment is mandatory'). To be merged before the context is built."""
    from ..ontology.terminology import default_terminology

    return _assessments(doc.text, sents, mentions, default_terminology())


def _assessments(text: str, sents, mentions: list[M], term) -> list[M]:
    def free(a, b):
        return not any(m.start < b and a < m.end for m in mentions + out)

    def resolve(np: str) -> tuple[str, str] | None:
        for form in RESOLVE_AS:
            for c in term.lookup(form.format(np)):
                if is_type(c.type, "DiagnosticProcedure"):
                    return c.id, c.type
        return None

    out: list[M] = []
    for s in sents:
        if s.kind in ("heading", "title"):
            continue
        cue, histology, objects, named = _assessment_spans(text[s.start:s.end])
        for a, b in histology:
            a, b = s.start + a, s.start + b
            if free(a, b) and "confirmatory-biopsy" in term.concepts:
                c = term.concepts["confirmatory-biopsy"]
                out.append(M(a, b, c.id, c.type, text[a:b]))
        for a, b in objects:
            a, b = s.start + a, s.start + b
            found = resolve(text[a:b].lower())
            if found and free(a, b):
                out.append(M(a, b, found[0], found[1], text[a:b]))
        if not cue:
            continue
        for a, b in named:
            a, b = s.start + a, s.start + b
            if not free(a, b):
                # modifiers after the last known mention ("voriconazole trough level") name nothing new
                continue
            found = resolve(text[a:b].lower())
            if found:
                out.append(M(a, b, found[0], found[1], text[a:b]))
            else:
                out.append(M(a, b, slugify(text[a:b]), "DiagnosticProcedure", text[a:b]))
    return sorted(out, key=lambda m: (m.start, -m.end))


@lru_cache(maxsize=4096)  # each sentence is read once for the document and once more on its own
def _assessment_spans(body: str) -> tuple[bool, tuple, tuple, tuple]:
    """What in a sentence may name an assessment, as spans in it: whether it states a need, histology
    confirmations, objects of an assessing verb, and noun phrases headed by an assessment word."""
    cue = bool(STRONG.search(body) or REQUIRED.search(body) or NEED.search(body))
    histology = tuple((hit.start(), hit.end()) for hit in HISTOLOGY.finditer(body))
    objects = tuple(np for np in (_noun_phrase(body, hit.end()) for hit in ASSESS_VERB.finditer(body)) if np)
    named = []
    for hit in HEAD_NP.finditer(body) if cue else ():
        words = list(re.finditer(r"[\w/-]+", hit.group(1)))
        inner = [i for i, w in enumerate(words[:-1]) if w.group(0).lower() in NP_STOP]
        if inner:  # "a blood group and antibody screen": the words after the last stop word
            words = words[inner[-1] + 1:]
        if len(words) < 2:
            continue
        named.append((hit.start(1) + words[0].start(), hit.end(1)))
    named.extend(_passive_subjects(body))
    return cue or bool(named), histology, objects, tuple(named)


# "HBsAg must be checked", "CD19 expression should be confirmed": what must be checked is a requirement
PASSIVE_CHECK = prefiltered(re.compile(
    r"\b(?:must|should|needs? to|has to|have to|will need to)\s+(?:first\s+|always\s+|also\s+)?be\s+"
    r"(?:checked|measured|confirmed|determined|assessed|evaluated|reviewed|tested|documented|verified|established|"
    r"screened|calculated|recorded|monitored)\b|"
    # "A bladder diary and urinalysis are required before any third-line therapy"
    r"\b(?:is|are)\s+(?:also\s+|always\s+)?(?:required|needed|necessary|mandatory|essential)\s+(?:before|prior to)\b",
    re.I))
SUBJECT_CUT = re.compile(r"\s+(?:on|of|in|for|with|from|at|by|before|after|to|using)\s+.*$", re.I)
SUBJECT_STOP = NP_STOP | {"detectable", "undetectable", "measurable", "the", "and", "but", "then", "it", "they", "which",
                          "what"}


def _passive_subjects(body: str) -> list[tuple[int, int]]:
    """The subjects of 'X (and Y) must be checked', as spans: one to three words each, without articles."""
    out = []
    for hit in PASSIVE_CHECK.finditer(body):
        start = max(body.rfind(c, 0, hit.start()) for c in ",;:") + 1
        subject = SUBJECT_CUT.sub("", body[start:hit.start()].rstrip())
        for part in re.finditer(r"[^,]+?(?=\s+and\s+|$)", subject):
            words = list(re.finditer(r"[\w/-]+", part.group(0)))
            while words and (words[0].group(0).lower() in SUBJECT_STOP or words[0].group(0)[0].isdigit()):
                words.pop(0)  # "a 3-day bladder diary": the count is no part of the name
            if not words or len(words) > 3 or not words[0].group(0)[0].isalpha() \
                    or any(w.group(0).lower() in NP_STOP for w in words):
                continue
            out.append((start + part.start() + words[0].start(), start + part.start() + words[-1].end()))
    return out


def _noun_phrase(body: str, pos: int) -> tuple[int, int] | None:
    """One to three words from `pos` up to a stop word or punctuation."""
    words = []
    for w in re.finditer(r"[A-Za-z][\w-]*|[^\sA-Za-z]", body[pos:]):
        if not w.group(0)[0].isalpha() or w.group(0).lower() in NP_STOP or w.start() - (words[-1].end() if words
                                                                                        else 0) > 1:
            break
        words.append(w)
        if len(words) == 3:
            break
    if not words:
        return None
    return pos + words[0].start(), pos + words[-1].end()


def prerequisites(ctx: DocumentContext, v: SentenceView) -> list[Prerequisite]:
    if v.s.kind == "title" or (v.s.kind == "heading" and not _sentence_line(v)):
        return []
    mentions = _with_assessments(ctx, v)
    tests = [m for m in mentions if ctx.is_a(m, "DiagnosticProcedure")]
    checked = [(v.s.start + a, v.s.start + b) for a, b in _passive_subjects(v.text)]
    if checked:  # "Blood pressure should be measured before the first dose": the measured quantity is required
        tests = sorted(tests + [m for m in mentions if (ctx.is_a(m, "Biomarker") or ctx.is_a(m, "ClinicalParameter"))
                                and any(a <= m.start and m.end <= b for a, b in checked)], key=lambda m: m.start)
    tests = [m for m in tests if not any(o.concept != m.concept and m.concept in ctx.concept_ancestors(o.concept)
                                         for o in tests)]  # "scans, usually a PET-CT and an MRI": the scans named
    tests = [m for i, m in enumerate(tests) if not (  # "blood tests for the tumour markers": the markers test
        i + 1 < len(tests) and FOR_TEST.match(ctx.doc.text[m.end:tests[i + 1].start]))]
    therapies = [m for m in mentions if ctx.is_a(m, "Therapy")]
    found = _explicit_prerequisites(ctx, v, tests, therapies) if tests else []
    found += _solely(ctx, v, [m for m in mentions if m not in tests and not ctx.is_a(m, "Therapy")
                              and (not ctx.is_a(m, "Condition") or ctx.is_a(m, "DiseaseState"))])
    found += _listed_conditions(ctx, v, tests, found)
    covered = {st.requirement for st in found}
    if tests and _prerequisite_setting(ctx, v):
        therapy = _prerequisite_therapy(ctx, v)
        if therapy:
            for t in tests:
                if t.concept in covered or v.negated(t) or p.BENEFIT.search(v.before(t, 30)):
                    continue
                negated = bool(NOT_TO_BE_USED.match(ctx.doc.text[t.end:v.s.end]))
                found.append(_prerequisite(ctx, v, therapy, t, negated))
    if found and not [m for m in therapies if m not in v.priors and not _modifier(ctx, m)] \
            and COLLECTIVE.search(v.text):
        group = _collective_therapies(ctx, v)
        if group:  # "neither treatment should be chosen on a CT alone": each of the treatments just discussed
            found = [dataclasses.replace(st, therapy=c) for st in found for c in group]
    seen, out = set(), []
    for st in found:
        if (st.therapy, st.requirement, st.negated) not in seen:
            seen.add((st.therapy, st.requirement, st.negated))
            out.append(st)
    return out


# "You may be offered salvage surgery only if:" above "- a biopsy has shown that ...", "- a PSMA PET scan shows ..."
ONLY_IF_INTRO = re.compile(r"\b(?:only if|only when|provided(?: that)?|as long as|(?:suitable|eligible) (?:for \w+ )?if|"
                           r"(?:all|each) of the following)\b[^.]*:\s*$", re.I)
RESULT_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:has |have |had )?(?:shown|shows?|showed|confirm(?:s|ed)?|"
                          r"prove[sd]?|proven|found|finds|(?:is|was|are|were) (?:positive|negative|normal|clear))\b", re.I)


def _listed_conditions(ctx: DocumentContext, v: SentenceView, tests: list[M], found) -> list[Prerequisite]:
    """A list of conditions for a treatment whose items state a test's result: the test must be done first."""
    if v.s.kind != "bullet" or not v.s.intro or not ONLY_IF_INTRO.search(v.s.intro):
        return []
    done = {st.requirement for st in found}
    out = []
    for t in tests:
        lead = ctx.doc.text[v.s.start:t.start]
        if t.concept in done or len(lead.split()) > 2 or not RESULT_AFTER.match(ctx.doc.text[t.end:v.s.end]) \
                or len(_narrower_tests(ctx, t.concept)) > 1:  # "scans show ...": which scans, the text says elsewhere
            continue
        intro = ctx.intro_view(v)
        named = [m for m in intro.of("Therapy") if m not in intro.priors and not _modifier(ctx, m)] if intro else []
        therapy = _specialise(ctx, named[0].concept) if named else _prerequisite_therapy(ctx, v)
        if therapy:
            out.append(_prerequisite(ctx, v, therapy, t))
    return out


COLLECTIVE = re.compile(r"\b(?:neither|either|both)\s+(?:of\s+(?:these|those|them|the)\s+)?(?:\w+\s+)?"
                        r"(?:treatments?|options?|approaches?|procedures?|therap(?:y|ies)|operations?)\b|"
                        r"\bnone of (?:these|those|them|the (?:treatments?|options?|approaches?))\b", re.I)


def _collective_therapies(ctx: DocumentContext, v: SentenceView) -> list[str]:
    """The treatments the sentences just before weighed against each other (two or more), each by its most
    specific name."""
    found: list[M] = []
    for w in reversed(ctx.views[max(0, v.index - 10):v.index]):
        if w.s.section != v.s.section:
            break
        found += [m for m in w.of("Therapy") if m not in w.priors and not _modifier(ctx, m)
                  and m.type != "SupportiveTherapy" and not w.negated(m)]
    concepts = list(dict.fromkeys(_specialise(ctx, m.concept) for m in reversed(found)))
    concepts = [c for c in concepts if not any(c != o and c in ctx.concept_ancestors(o) for o in concepts)]
    return concepts if 2 <= len(concepts) <= 4 else []


def _sentence_line(v: SentenceView) -> bool:
    """'G2. A baseline DXA scan is required before long-term ADT.': a numbered statement read as a heading is
    still a sentence when it states a requirement."""
    return len(v.text.split()) >= 6 and bool(re.search(r"[.\]]\s*$", v.text)) and bool(STRONG.search(v.text))


# "a positive biopsy is required": a test asked for by the result it must give, of any test of its kind, not
# the narrower one the document names elsewhere.
RESULT_OF_KIND = re.compile(r"\b(?:an?|any)\s+(?:positive|negative|abnormal|normal)\s+$", re.I)


def _prerequisite(ctx, v, therapy: str, t: M, negated: bool = False) -> Prerequisite:
    by_result = RESULT_OF_KIND.search(ctx.doc.text[max(0, t.start - 25):t.start])
    requirement = t.concept if by_result else _specialise_test(ctx, t.concept)
    label = ("not solely " if negated else "") + (_label(ctx, t) if requirement == t.concept else
                                                   _label(ctx, M(0, 0, requirement, t.type, t.text)))
    return Prerequisite(therapy=therapy, requirement=requirement, negated=negated, label=label,
                        evidence=(v.evidence(),))


def _specialise_test(ctx: DocumentContext, concept: str) -> str:
    """'the PET result' in a document whose only PET is a PSMA PET means that scan: a test read as the one
    narrower test the document names, if it names exactly one."""
    narrower = _narrower_tests(ctx, concept)
    return narrower.pop() if len(narrower) == 1 else concept


def _narrower_tests(ctx: DocumentContext, concept: str) -> set[str]:
    """The shallowest tests narrower than `concept` that the document names."""
    cache = ctx.__dict__.setdefault("_claims_cache", {})
    if "tests" not in cache:
        cache["tests"] = {m.concept for v in ctx.views for m in v.mentions if ctx.is_a(m, "DiagnosticProcedure")}
    narrower = {c for c in cache["tests"] if c != concept and concept in ctx.concept_ancestors(c)}
    return {c for c in narrower if not any(c != o and c in ctx.concept_ancestors(o) for o in narrower)}


def _with_assessments(ctx: DocumentContext, v: SentenceView) -> list[M]:
    """The sentence's mentions plus assessments it asks for (unless `assessment_mentions` already added them)."""
    extra = _assessments(ctx.doc.text, [v.s], v.mentions, ctx.term)
    return sorted(v.mentions + extra, key=lambda m: (m.start, -m.end)) if extra else v.mentions


def _prerequisite_setting(ctx: DocumentContext, v: SentenceView) -> bool:
    """A sentence about what must happen first: a need cue plus 'before'/'first', or a 'Before ...' section."""
    if not NEED.search(v.text) and not STRONG.search(v.text) and not NOT_TO_BE_USED_ANYWHERE.search(v.text):
        return False  # "Baseline requirements are a full blood count and an ECG"
    if NOT_REQUIRED.search(v.text):
        return False
    return bool(BEFORE.search(v.text) or re.search(r"\bfirst\b", v.text, re.I)
                or (ctx.section_has(v, BEFORE_SECTION) and not ctx.section_has(v, AFTERCARE)))


def _prerequisite_therapy(ctx: DocumentContext, v: SentenceView, carry: bool = True) -> str | None:
    """The therapy that must wait: named after 'before' here or in the heading (or by a verb: 'before you
    treat focally', 'we never operate'), then a next treatment named only generically, the one the sentence
    before required something for, else the document's subject."""
    for view in (v, ctx.heading(v)):
        if view is None:
            continue
        cue = BEFORE.search(view.text)
        if cue:
            after_cue = [m for m in view.of("Therapy") if m.start >= view.s.start + cue.end() and not _modifier(ctx, m)]
            if after_cue:
                return _specialise(ctx, _named(ctx, view, after_cue)[0].concept, v)
            verbal = _verbal_therapy(ctx, view.text[cue.end():]) or _unknown_treatment(ctx, view.text[cue.end():])
            if verbal:
                return verbal
    verbal = _verbal_therapy(ctx, v.text)
    if verbal:
        return verbal
    needing = NEEDS.match(v.text)
    if needing:  # "Lithium needs blood levels ... before starting": the subject needs them
        first = [m for m in v.of("Therapy") if m.start - v.s.start <= needing.end("lead")]
        if first and first[0].end - v.s.start <= needing.start("verb"):
            return _specialise(ctx, first[0].concept)
    generic = _generic_next_treatment(ctx, v)
    if generic:
        return generic
    if TREATMENT_SUBJECT.match(v.text):  # "Treatment must never be planned on ...": the one just discussed
        focus = [m for m in ctx.focus_therapies(v, look_back=2) if not _modifier(ctx, m)]
        if len({m.concept for m in focus}) == 1:
            return _specialise(ctx, focus[0].concept)
    previous = _previous_requirement_therapy(ctx, v) if carry else None
    found = previous or _titled_therapy(ctx) or _subject_therapy(ctx) or ctx.main_salvage or _trial_arm(ctx) \
        or _generic_salvage(ctx) or ctx.main_therapy
    if found and found in (ctx.usual_prior, ctx.main_prior) and not previous:
        return _generic_salvage(ctx) or found  # a work-up the text leaves unattached is not for the failed treatment
    return found


def _listed_kind(ctx: DocumentContext, v: SentenceView, concept: str) -> str | None:
    """'A one-stage revision is only offered when: - the germ was found before surgery': the list's own
    treatment, when the item names only a broader kind of it."""
    intro = ctx.intro_view(v)
    if intro is None:
        return None
    own = {m.concept for m in intro.of("Therapy") if m not in intro.priors}
    return own.pop() if len(own) == 1 and concept in ctx.concept_ancestors(next(iter(own))) else None


NEEDS = re.compile(r"^(?P<lead>\W*(?:the|a|an)?\s*)[^,;:.]{1,50}?\s(?P<verb>needs|requires|must be preceded by|"
                   r"calls for)\b", re.I)


def _titled_therapy(ctx: DocumentContext) -> str | None:
    """'Pelvic exenteration for central recurrence after chemoradiation': the one treatment a title names, other than
    the failed one, is what the document's work-up is for; a salvage treatment the text narrows it to stays."""
    titles = [v for v in ctx.views if v.s.kind == "title" and v.of("Therapy")][:1]  # not a publisher's line above it
    named = {m.concept for v in titles for m in ctx.most_specific(v.of("Therapy"))
             if m not in v.priors and not _modifier(ctx, m) and m.type != "SupportiveTherapy" and not v.negated(m)}
    if len(named) > 1:  # "X as salvage treatment for ...": the named treatment, not the approach it serves
        named = {c for c in named if ctx.term.concepts.get(c) is None or ctx.term.concepts[c].type != "TherapeuticApproach"}
    if len(named) != 1:
        return None
    titled = named.pop()
    subject = _subject_therapy(ctx)
    return subject if subject and titled in ctx.concept_ancestors(subject) else titled


def _trial_arm(ctx: DocumentContext) -> str | None:
    """A trial comparing arms ('randomly assigned to X or Y'): the selection it describes ('every candidate
    underwent PSMA PET') is for its experimental arm, the first the design names."""
    design = _state(ctx).design()
    return design[0].mention.concept if len(design) >= 2 else None


def _generic_salvage(ctx: DocumentContext) -> str | None:
    """A document about treatment after failure that weighs several treatments and has no salvage treatment
    of its own: a work-up that names no treatment is asked before whichever treatment follows."""
    if not ctx.salvage_document or "salvage-therapy" not in ctx.term.concepts:
        return None
    return "salvage-therapy"


# "before you treat focally", "we never operate on ...": the treatment named by its verb
TREAT_VERB = re.compile(r"\b(?:treat(?:s|ed|ing)?\s+(?P<manner>[a-z]+)ly\b|(?P<operate>operat(?:e|es|ed|ing))\b(?!\s+on\s+(?:the|a|an)\s+(?:patient|man|woman|child)))",
                        re.I)
# "further treatment", "before changing treatment": the next treatment, named only generically (`what`: by a noun)
GENERIC_NEXT = re.compile(r"\b(?P<what>(?:further|next|subsequent|new)\s+(?:\w+\s+)?(?:treatment|therapy))\b|"
                          # "before any specialist preventive is started": a kind of treatment named as written
                          r"\b(?:before|prior to)\s+any\s+(?P<kind>(?!further|next|new|other)[a-z]+\s+(?:preventive|"
                          r"treatment|therapy|drug|medication|medicine|procedure|operation))\b|"
                          r"\b(?:changing|switching|change of|changes? (?:to|in))\s+(?:\w+\s+)?(?:treatment|therapy)\b|\btreatment\s+(?:must|should|will)\s+(?:not\s+|never\s+)?"
                          r"be\s+(?:changed|switched|modified)\b", re.I)
GENERIC_START = re.compile(r"\b(?:before|prior to)\s+(?:starting|beginning|any)\s+(?:\w+\s+)?treatment\b|"
                           r"^\W*treatment\s+(?:must|should)\b", re.I)


def _verbal_therapy(ctx: DocumentContext, text: str) -> str | None:
    hit = TREAT_VERB.search(text) if ("treat" in text.lower() or "operat" in text.lower()) else None
    if not hit:
        return None
    names = (f"{hit.group('manner')} therapy", f"{hit.group('manner')} treatment") if hit.group("manner") \
        else ("surgery",)
    for name in names:
        found = [c for c in ctx.term.lookup(name) if is_type(c.type, "Therapy")]
        if found:
            return _specialise(ctx, found[0].id)
    return None


def _unknown_treatment(ctx: DocumentContext, text: str) -> str | None:
    """'Before retreatment': one word naming a treatment the terminology lacks, coined as it is written."""
    hit = re.match(r"\s*(?:any\s+|the\s+|your\s+)?([a-z]+(?:treatment|therapy))\b", text, re.I)
    if not hit or hit.group(1).lower() in ("treatment", "therapy"):
        return None
    found = [c for c in ctx.term.lookup(hit.group(1)) if is_type(c.type, "Therapy")]
    return found[0].id if found else slugify(hit.group(1))


def _generic_next_treatment(ctx: DocumentContext, v: SentenceView) -> str | None:
    """In a document about treatment after failure, the next treatment named only generically: as written
    when the text gives it a name ('the next treatment', 'any new advanced therapy'), else salvage therapy
    ('before changing treatment' and, when the document names no salvage treatment of its own, 'before
    starting treatment')."""
    if not ctx.salvage_document or "salvage-therapy" not in ctx.term.concepts:
        return None
    texts = [v.text] + ([ctx.heading(v).text] if ctx.heading(v) is not None else [])
    for t in texts:
        hit = GENERIC_NEXT.search(t)
        if hit:
            named = hit.group("what") and hit.group(0) or hit.group("kind")
            return slugify(named) if named else "salvage-therapy"
    if _subject_therapy(ctx) is None and any(GENERIC_START.search(t) for t in texts):
        return "salvage-therapy"
    return None


def _previous_requirement_therapy(ctx: DocumentContext, v: SentenceView) -> str | None:
    """'You must confirm ... before you treat focally again. We should never go ahead on a rising PSA alone.':
    a requirement that names no treatment continues the one the sentence before stated."""
    if v.index == 0:
        return None
    w = ctx.views[v.index - 1]
    if w.s.section != v.s.section or w.s.block != v.s.block or not BEFORE.search(w.text) or not REQUIRED.search(w.text):
        return None
    cue = BEFORE.search(w.text)
    named = [m for m in w.of("Therapy") if m.start >= w.s.start + cue.end() and not _modifier(ctx, m)]
    if named:
        return _specialise(ctx, _named(ctx, w, named)[0].concept, w)
    return _verbal_therapy(ctx, w.text[cue.end():])


TREATMENT_SUBJECT = re.compile(r"^\W*(?:the\s+)?(?:treatment|therapy|it|this|the (?:procedure|operation|decision)|"
                               r"(?:this|the|such) (?:approach|option|treatment|therapy))\b", re.I)
# "the ablation team", "a surgery department": a therapy word naming who treats, not a treatment
MODIFIED_NOUN = re.compile(r"^\s+(?:teams?|units?|departments?|services?|centres?|centers?|specialists?|doctors?|"
                           r"nurses?|staff|clinics?|consultants?|colleagues|oncologists?|surgeons?)\b", re.I)


def _modifier(ctx: DocumentContext, m: M) -> bool:
    return bool(MODIFIED_NOUN.match(ctx.doc.text[m.end:m.end + 20]))


def _subject_therapy(ctx: DocumentContext) -> str | None:
    """The salvage treatment a document's requirements are about: the one it is mostly about when one
    dominates, else what the salvage treatments it discusses have in common ('local salvage therapy')."""
    cache = ctx.__dict__.setdefault("_claims_cache", {})
    if "subject" in cache:
        return cache["subject"]
    counts: dict[str, int] = {}
    for v in ctx.views:
        for m in v.of("Therapy"):
            if m not in v.priors and not _modifier(ctx, m) and "salvage-therapy" in ctx.concept_ancestors(m.concept):
                counts[m.concept] = counts.get(m.concept, 0) + (3 if v.s.kind in ("title", "heading") else 1)
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    subject = None
    if ranked:
        top = counts[ranked[0]]
        rivals = [c for c in ranked[1:] if counts[c] * 2 > top
                  and c not in ctx.concept_ancestors(ranked[0]) and ranked[0] not in ctx.concept_ancestors(c)]
        subject = ranked[0]
        if rivals:
            group = [ranked[0]] + rivals
            common = [a for a in ctx.concept_ancestors(ranked[0]) if all(a in ctx.concept_ancestors(c) for c in group)]
            subject = common[0] if common else ranked[0]
        for a in ctx.concept_ancestors(subject)[1:]:  # "salvage chemotherapy" named nearly as often as "TIP"
            if counts.get(a, 0) * 3 >= 2 * top:
                subject = a
                break
    cache["subject"] = subject
    return subject


def _specialise(ctx: DocumentContext, concept: str, v: SentenceView | None = None) -> str:
    """'before surgery' in a document about salvage lymph node dissection means that operation: a generic
    modality (not itself a salvage approach) that the document's salvage treatment narrows."""
    listed = _listed_kind(ctx, v, concept) if v is not None else None
    if listed:
        return listed
    main = _subject_therapy(ctx) or ctx.main_salvage
    if main and concept != main and "salvage" not in concept and concept in ctx.concept_ancestors(main):
        return main
    if v is not None:  # "Transplant eligibility ..." right after a sentence about ASCT
        recent = {m.concept for w in ctx.views[max(0, v.index - 3):v.index + 1] if w.s.section == v.s.section
                  for m in w.of("Therapy") if m.concept != concept and concept in ctx.concept_ancestors(m.concept)}
        if len(recent) == 1:
            return recent.pop()
    return concept


def _named(ctx: DocumentContext, v: SentenceView, therapies: list[M]) -> list[M]:
    """Drop a therapy immediately glossed by a parenthesised name of the whole phrase ('ICE with brentuximab
    vedotin (BV-ICE)'), and glosses of a narrower term."""
    text = ctx.doc.text
    out = [m for i, m in enumerate(therapies)
           if not (i + 1 < len(therapies) and PAREN_GAP.match(text[m.end:therapies[i + 1].start]))]
    return ctx.most_specific(out) or out


def _target(ctx: DocumentContext, v: SentenceView, t: M, therapies: list[M], after_ok: bool = True) -> str | None:
    """The therapy a requirement in this sentence is for: one named here (not a failed earlier one),
    preferably before the requirement; else the heading's or the document's."""
    current = [m for m in therapies if m not in v.priors and not _modifier(ctx, m)]
    groups = [[m for m in current if m.end <= t.start]] + ([[m for m in current if m.start >= t.end]] if after_ok else [])
    for group in groups:
        group = _named(ctx, v, group)
        if group:
            return _specialise(ctx, group[-1 if group[0].end <= t.start else 0].concept, v)
    therapy = _prerequisite_therapy(ctx, v)
    return _specialise(ctx, therapy) if therapy else None


def _solely(ctx: DocumentContext, v: SentenceView, others: list[M]) -> list[Prerequisite]:
    """'should not be based on X alone' for requirements that are not tests (history, a marker)."""
    out = []
    therapies = v.of("Therapy")
    for m in others:
        if _not_alone(ctx, v, m):
            therapy = _therapy_near(ctx, v, m, therapies)
            if therapy:
                out.append(_prerequisite(ctx, v, therapy, m, negated=True))
    return out


def _not_alone(ctx: DocumentContext, v: SentenceView, m: M) -> bool:
    """The decision must not rest on the mention alone: 'never based solely on X', 'X alone is not enough'."""
    lead = ctx.doc.text[v.s.start:m.start][-70:]
    tail = ctx.doc.text[m.end:v.s.end]
    loose = SOLELY_LOOSE.search(lead)
    return bool(SOLELY.search(lead) or (loose and (ALONE_AFTER.match(tail[:30]) or SINGLE_BEFORE.search(lead)))
                or v.match_after(ALONE_INSUFFICIENT, m, None) or v.match_after(NOT_ENOUGH_AFTER, m, None))


def _explicit_prerequisites(ctx: DocumentContext, v: SentenceView, tests: list[M],
                            therapies: list[M]) -> list[Prerequisite]:
    out = []
    text = ctx.doc.text
    heading = ctx.heading(v)
    previous: tuple[M, Prerequisite] | None = None
    for t in tests:
        lead = text[v.s.start:t.start]
        if previous and COORDINATED.match(text[previous[0].end:t.start]) and not previous[1].negated:
            out.append(_prerequisite(ctx, v, previous[1].therapy, t))  # "without a bone scan and a glucose test"
            previous = (t, out[-1])
            continue
        n = len(out)
        _explicit_one(ctx, v, t, tests, therapies, out, lead, heading)
        previous = (t, out[-1]) if len(out) > n else None
    return out


COORDINATED = re.compile(r"^\s*(?:,\s*)?(?:and|or|plus|as well as|,)\s+(?:(?:an?|the|[\w-]+)\s+)?$", re.I)


def _explicit_one(ctx, v, t, tests, therapies, out, lead, heading) -> None:
    text = ctx.doc.text
    if _not_alone(ctx, v, t):
        therapy = _therapy_near(ctx, v, t, therapies)
        if therapy:
            out.append(_prerequisite(ctx, v, therapy, t, negated=True))
        return
    if ONLY_ONCE.search(lead[-100:]) or GUIDED.search(lead[-80:]):
        therapy = _target(ctx, v, t, therapies, after_ok=False)
        if therapy:
            out.append(_prerequisite(ctx, v, therapy, t))
        return
    if v.negated(t) or NEGATED_LEAD.search(lead[-40:]) or p.BENEFIT.search(lead[-30:]):
        return
    clause = v.clause(t)
    tail = text[t.end:v.s.end]
    before_hit = BEFORE.search(tail)
    if before_hit and REQUIRED.search(text[t.end:t.end + before_hit.start()] + " " + clause) \
            and not NOT_REQUIRED.search(clause):
        after_before = [m for m in therapies if m.start >= t.end + before_hit.end()]
        if after_before:
            out.append(_prerequisite(ctx, v, _specialise(ctx, _named(ctx, v, after_before)[0].concept), t))
            return
    lead_before = BEFORE.search(lead)
    if lead_before and REQUIRED.search(clause) and not NOT_REQUIRED.search(clause):
        before_therapies = [m for m in therapies if m.start >= v.s.start + lead_before.end() and m.end <= t.start
                            and not _modifier(ctx, m)]
        if before_therapies:
            out.append(_prerequisite(ctx, v, _specialise(ctx, before_therapies[0].concept), t))
            return
    if AFTERCARE.search(v.text) or (heading is not None and AFTERCARE.search(heading.text)):
        return
    entry = (re.match(r"^-(?:proven|confirmed|documented|verified)\b|^ proven\b|"
                      r"^\s+(?:confirmation|proof)\s+(?:of|that)\b", tail, re.I)
             or (PROVEN_BEFORE.search(lead[-40:])
                 and not re.search(r"\b(?:was|were|been|had)\s+(?:\w+\s+)?\w+\s+\w+\s+(?:an?\s+|the\s+)?$",
                                   lead[-40:], re.I)))
    strong = STRONG.search(clause) and not NOT_REQUIRED.search(clause)
    listed = (v.s.kind == "bullet" and heading is not None and PREREQ_HEADING.search(heading.text)
              and len(lead.split()) <= 2 and LIST_ENTRY.match(tail) and not MERELY_HELPS.search(v.text)
              and not v.text.rstrip().endswith(":"))  # "Scans:" introduces the list of the scans
    if entry or strong or listed:
        therapy = _target(ctx, v, t, therapies, after_ok=not listed)
        if therapy:
            out.append(_prerequisite(ctx, v, therapy, t))


def _therapy_near(ctx, v, test: M, therapies: list[M]) -> str | None:
    therapies = [m for m in therapies if not _modifier(ctx, m)]
    before = [m for m in therapies if m.end <= test.start and m not in v.priors]
    if before:
        # the therapy the sentence is about; "treatment" on its own refers back to it
        prereq_targets = [m for m in before if BEFORE.search(v.before(m, 25))]
        return _specialise(ctx, (prereq_targets or before)[-1].concept, v)
    after = [m for m in therapies if m.start >= test.end and m not in v.priors]
    if after:
        return _specialise(ctx, _named(ctx, v, after)[0].concept)
    return _prerequisite_therapy(ctx, v)


def _label(ctx, m: M) -> str:
    try:
        return ctx.term.get(m.concept).label
    except KeyError:
        return m.text


__all__ = ["prerequisites", "assessment_mentions"]
