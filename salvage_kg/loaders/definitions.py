"""Definitions: which term a sentence defines ('X means ...', 'X, which we define as ...', 'what doctors call X')."""
from __future__ import annotations

import re

from ..assertions import Definition
from . import patterns as p
from .context import DocumentContext, SentenceView
from .prefilter import prefiltered
from .recognize import slugify

# Words that end or open no noun phrase of a term ('the', 'before', 'need', ...).
NP_STOP = frozenset("""a an the your their his her its our my this that these those and or of to for with by in on at
    as from into before after prior during until once if when while because so but then also still just
    need needs needed have has had having get gets got will would should must may might can could shall be is
    are was were been being undergo undergoes underwent require requires required do does did not no never
    any all some each every full thorough careful detailed formal repeat repeated new further additional
    proper routine regular recent simple quick small other same first second one two three up-to-date
    ask asked check checked assess assessed review reviewed measure measured discuss talk arrange arranged
    order ordered request requested perform performed obtain obtained please you we they patients men women
    people doctor doctors team low high normal raised elevated rising falling abnormal positive negative good
    poor better worse short long target usual""".split())

# --- definitions ----------------------------------------------------------------------------------

DISCOURSE = r"(?:(?:in summary|on the other hand|in contrast|by contrast|however|similarly|thus|therefore|" \
            r"in short|put simply|simply put|in practice|in plain (?:english|language|terms)|in other words|" \
            r"strictly speaking|by definition|technically)\s*,\s*)?"
DEFINING = re.compile(
    r"^\s*(?:\([^)]{1,80}\)\s*)?(?:,\s*(?:also called|also known as|or)\s[^,]{1,60},\s*)?"
    r"(?:,\s*(?:by contrast|in contrast|however|on the other hand|in turn|by definition|strictly speaking),\s*)?"
    r"(?:(?:after|following|in|of|for|with)\s+[\w\s-]{1,60}?\s+(?=means|refers|is defined|describes|denotes))?"
    r"(?:(?:simply|just|basically|essentially|actually|really|literally|broadly)\s+)?"
    r"(?:refers? to|(?:is|are|was|were) (?:usually |generally |commonly |formally |strictly )?defined as|"
    r"represents?|describes?|means|denotes|literally means|(?:is|are) (?:the )?(?:term|name|word) (?:for|used)|"
    r"(?:is|are) used (?:here |in this \w+ )?(?:for|to mean|to describe|to denote)|"
    r",\s*defined as|"
    r"(?:is|are) (?:a|an|any|the)?\s*(?:[\w-]+[ ,]+){0,4}?(?:type|form|kind|treatment|therapy|approach|procedure|"
    r"term|intervention|situation|condition|state|modality|name|plan|regimen|response|failure|disease|"
    r"infection|test|scan|cancer|tumou?r|illness|chemotherapy|radiotherapy|operation|surgery|rise|increase|"
    r"period|time|complication|side[- ]effect|syndrome|reaction|disorder|technique|method|device|gel|"
    r"material|substance|class|category|stage)\b|(?:is|are) (?:one|those|the ones?) (?:that|which|where|in which|who)\b)", re.I)
STRONG_DEFINING = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?(?:(?:simply|just|basically|essentially|actually|really|"
                             r"literally)\s+)?(?:means|refers to|(?:is|are) defined as|denotes)\b", re.I)
# "X is an option after ...", "X is a reasonable treatment option": a recommendation, not a definition
NOT_DEFINING = re.compile(r"^\s*(?:\([^)]{1,80}\)\s*)?(?:is|are) (?:a|an|one|another|the)?\s*(?:[\w-]+\s+){0,3}?"
                          r"(?:options?|choices?|alternatives?|candidates?)\b|"
                          r"^\s*(?:\([^)]{1,80}\)\s*)?(?:is|are) (?:the|a|an) (?:usual|standard|preferred|recommended|"
                          r"main|best|first|only|most common|commonest|common|established|accepted|default|next|"
                          r"mainstay|favoured|favored|current|classic|typical|characteristic|most frequent|leading|major)\b|"
                          r"^\s*(?:\([^)]{1,80}\)\s*)?(?:is|are) (?:(?:now|also|usually|generally|often|not|still|"
                          r"widely|commonly|strongly|typically|only|increasingly|rarely|less|more|most)\s+)?"
                          r"(?:recommended|offered|used(?! (?:here |in this \w+ )?(?:for|to mean|to describe|to denote) )|"
                          r"given|preferred|reserved|indicated|considered|approved|"
                          r"effective|active|available|associated|superior|inferior|better|worse|reasonable)\b|"
                          r"^\s*(?:\([^)]{1,80}\)\s*)?(?:is|are) (?:a|an|the) (?:\w+ ){0,2}(?:treatment|therapy) "
                          r"(?:of choice|option)\b", re.I)
GLOSS_DEFINES = re.compile(r"^\s*\((?:also called|also known as|sometimes called|sometimes known as|or)\b", re.I)
CALLED_BEFORE = re.compile(r"\b(?:(?:is|are|was|were|be) (?:often |usually |commonly |sometimes |also )?"
                           r"(?:called|known as|termed|referred to as|described as|classed as)|"
                           r"(?:we|I|they|the authors|this guideline) use the term|"
                           r"call(?:s|ed)? (?:that|this|these|those) [a-z-]+(?=\s+(?:an?|the)\s)|"  # "call that shadow a ..."
                           r"call(?:s|ed)? (?:that|this|it|these|them|the situation|this situation)|"
                           r"is the name for|(?:what|which) (?:\w+ ){0,2}(?:call|calls|term|terms|refer to as)|"
                           r",\s*(?:known as|called|termed|referred to as)|"
                           r"\b(?:we|doctors|clinicians|specialists|experts|they|most doctors|your team|the team) "
                           r"(?:usually |often |sometimes |would |may )?call (?:you|someone|a patient|patients|him|her|"
                           r"(?:an?|the) [\w-]+)|"
                           r"(?:the|a) (?:term|name) (?:for (?:this|that|it) )?is|goes by the name|"
                           r"(?:this|that|it) is what (?:\w+ ){0,2}(?:call|mean by)|so-called|"
                           r"(?:something|a thing|an? (?:test|scan|procedure|treatment|approach|condition|technique|"
                           r"measure|rule|process|method|definition|score|system|situation)|one) (?:called|known as|"
                           r"termed|named))\s+(?:an?\s+|the\s+)?"
                           r"[\"'“‘*_]*$", re.I)
GLOSS_INSIDE = re.compile(r"\((?:also called|also known as|sometimes called|sometimes known as)\b", re.I)
GLOSSARY = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?[*_]*\s*[:—–][*_]*\s+(?:a|an|the|any|[a-z])", re.I)
GLOSSARY_HEADING = re.compile(r"\b(?:definitions?|glossary|key (?:terms|words|concepts)|terms?|terminology|jargon|"
                              r"words? (?:to know|you may hear|explained)|what (?:the )?words mean|"
                              r"abbreviations and definitions)\b", re.I)
APPROACH_WORDS = re.compile(r"salvage|adjuvant|palliati|neoadjuvant|rescue|second-line|first-line|recurrence|"
                            r"relapse|refractory", re.I)
GIVEN = re.compile(r"^\s*(?:\([^)]{1,80}\)\s*)?(?:,\s*(?:by contrast|in contrast|however|on the other hand|"
                   r"in turn|instead|for comparison),\s*)?(?:is|are)\s+(?:generally\s+|usually\s+|only\s+|"
                   r"typically\s+)?(?:given|administered|delivered|initiated|undertaken|started)\b", re.I)
CONTRAST = re.compile(r"\b(?:distinguishing it from|distinguished from|differs?(?: \w+)? from|unlike|"
                      r"in contrast to|in contrast with|contrasts? with|as opposed to|distinct from|not the same as|"
                      r"different from|not to be confused with|rather than)\s+(?:an?\s+|the\s+)?$", re.I)
IS_NOT = re.compile(r"\b(?:it|this|they|these) (?:is|are) not (?:an?\s+|the\s+)?(?:\w+\s+)?$", re.I)
WHICH = re.compile(r"^\s*(?:\([^)]{1,60}\)\s*)?,\s*which\s+(?:is|are|focuses|aims|seeks|refers)\b", re.I)
WHICH_MEANS = re.compile(r"^\s*(?:\([^)]{1,60}\)\s*)?,\s*which\s+(?:means|refers to|is defined as|"
                         r"(?:the\s+)?(?:\w+\s+){0,2}(?:define[sd]?|call(?:s|ed)?)\s+as|"
                         r"(?:is|are) (?:the|a) (?:length of )?(?:time|period|interval|number|proportion|percentage|"
                         r"share|fraction) (?:from|between|of|in which|during which|that)\b)", re.I)
EMPHASIS = re.compile(r"[*_`\"“”]+")
ANAPHOR = re.compile(r"^\s*(?:this|it|that)\b", re.I)
FRONTED = re.compile(r"^\s*(?:in|for|among|within|across|when treating|in the (?:context|setting) of)\s[^,]{1,40},\s*",
                     re.I)
BY_WE_MEAN = re.compile(r"^\s*[\"'“‘*_]*\s*(?:\([^)]{1,20}\)\s*)?,?\s*(?:we|I|they|doctors|clinicians|the authors|guidelines|most experts)"
                        r" (?:usually |generally )?(?:mean|means|refer to)\b", re.I)
# "Complete biochemical response (cBR) was defined as ...", "Intolerance: a toxicity severe enough ...":
# the subject noun phrase of a defining sentence, coined when no single mention names it
NUMBERING = r"(?:\(?\d+(?:\.\d+)*[.)]?\s+|\(?[a-z][.):]\s+)?"
SUBJECT = re.compile(r"^\s*" + NUMBERING + r"[*_\"“]*(?:the term\s+|the phrase\s+)?(?:an?\s+|the\s+)?[\"“]?"
                     r"(?P<np>[A-Za-z][\w'/-]*(?:\s+[A-Za-z0-9][\w'/-]*){0,5}?)[\"”]?[*_]*\s*"
                     r"(?:\((?P<abbr>[^)]{1,15})\)\s*)?[*_]*"
                     r"(?:,\s*(?:in|at|for|by|on)\s[^,]{1,30},\s*)?"  # "Weight regain, in our unit, means ..."
                     r"(?:(?:simply|just|basically|essentially|actually|really|literally|broadly|usually|generally)\s+)?"
                     r"(?P<verb>(?:is|are|was|were) (?:usually |generally |commonly |formally |strictly )?defined as|"
                     r"refers? to|denotes|means|(?:is|are) (?:one|those|the ones?) (?:that|which|where|in which)\b|"
                     r"(?<=\s)(?:is|are) (?:an?\s+(?:[\w-]+\s+){0,3}?|(?-i:[A-Z]{2,})\s+)(?:in which|that|which|where|whose)\b|"
                     # "An in-field recurrence is cancer that reappears ...": a bare kind and what sets it apart
                     r"(?<=\s)(?:is|are) (?!(?:in|on|at|for|with|so|such|more|less|most|much|likely|unlikely|clear|"
                     r"true|important|possible|the|this|that|not|also|still|now|often|usually|one|what)\b)"
                     r"[a-z][\w-]*\s+(?:that|which|whose)\s+(?!is\b|are\b)\w+|"
                     # "A seton is a thread passed through the tunnel", "X are drugs that ...": a kind and what sets
                     # it apart
                     r"(?<=\s)(?:is|are) (?:an?\s+)?(?:[a-z][\w-]*\s+){0,3}?(?:tunnel|thread|tube|passage|channel|"
                     r"drugs?|medicines?|medications?|devices?|implants?|procedures?|operations?|tests?|scans?|"
                     r"substances?|proteins?|antibod(?:y|ies)|cells?)\s+(?:that|which|between|passed|placed|used|made|"
                     r"given|inserted|where)\b|"
                     # "Remission is a DAS28 below 2.6": a state defined by a threshold
                     r"(?<=\s)(?:is|are)\s+(?:an?\s+)?(?:(?!(?:given|done|seen|taken|people|patients|men|women|"
                     r"adults|children|\w+ed)\b)[\w-]+\s+){1,4}?(?:below|above|under|over|less than|more than|"
                     r"at least)\s+\d|"
                     r"[:—–][*_]*\s+(?=\w))", re.I)  # "**Term:** a ..." as well as "**Term**: a ..."
NOT_A_TERM = re.compile(r"^(?:this|that|it|these|those|there|here|what|which|who|he|she|they|we|you|i|one|"
                        r"background|methods?|results?|conclusions?|design|setting|objectives?|aims?|purpose|funding|"
                        r"sources?|notes?|interpretation|participants|interventions?|findings|importance|context|"
                        r"limitations?|authors?|keywords?|abbreviations?|disclaimer|correspondence|contact|date|"
                        r"updated|reviewed|scope|summary|conflicts? of interest|trial registration|registration|"
                        r"example|tip|warning|caution|important|remember|bottom line|answer|question|q|a|"
                        r"journal|published|received|accepted|affiliations?|editors?|doi|citation|volume|issue)$", re.I)
CALLED_ANYWHERE = re.compile(CALLED_BEFORE.pattern.removesuffix("$"), re.I)
# Costly patterns skip text that lacks the words every match contains (prefilter.py).
CONTRAST, CALLED_BEFORE, SUBJECT, CALLED_ANYWHERE = map(
    prefiltered, (CONTRAST, CALLED_BEFORE, SUBJECT, CALLED_ANYWHERE))
# Cues looked for just before or after a mention: the sentence is tested once for their words
# (SentenceView.search_before, match_after).
WHICH, WHICH_MEANS = map(prefiltered, (WHICH, WHICH_MEANS))


def definitions(ctx: DocumentContext, v: SentenceView, previous_term: str | None) -> list[Definition]:
    if v.s.kind in ("heading", "title"):
        return []
    text = ctx.doc.text
    # the cues are looked for just before each mention, so a sentence without their words has none
    contrasted = tuple(dict.fromkeys(m.concept for m in v.mentions if CONTRAST.search(v.before(m, 40)))) \
        if CONTRAST.possible(v.text) else ()
    term = _subject_term(ctx, v, contrasted) if v.mentions else None
    if term is None and v.mentions and CALLED_BEFORE.possible(v.text):
        called = [m for m in v.mentions if CALLED_BEFORE.search(v.before(m, 50)) and not _alias(ctx, v, m.start)]
        if called:
            term = called[0].concept
    if term is None and contrasted and ANAPHOR.match(v.text) and previous_term:
        term = previous_term
    if term is None:
        term = _coined_term(ctx, v)
    out = []
    if term:
        contrasted += tuple(m.concept for m in v.mentions if IS_NOT.search(v.before(m, 40)) and m.concept != term
                            and m.concept not in contrasted)
        out.append(Definition(term=term, text=v.text, intent=p.intent(v.text),
                              contrasted_with=tuple(c for c in contrasted if c != term), evidence=(v.evidence(),)))
    for m in v.mentions:  # "..., adjuvant therapy, which is administered ..."
        if m.concept != term and (v.match_after(WHICH_MEANS, m, None)
                                  or (v.match_after(WHICH, m, None) and APPROACH_WORDS.search(m.text))):
            out.append(Definition(term=m.concept, text=v.text, intent=p.intent(text[m.end:v.s.end]),
                                  evidence=(v.evidence(),)))
    return out


# The words before a sentence's first mention that still let it be the defined subject.
NUMBERED = re.compile(NUMBERING, re.I)
BY_TERM = re.compile(r"\s*by\s+(?:the\s+|an?\s+)?(?:term\s+)?", re.I)  # "by (the term) X we mean"
EXPLAINS_THAT = re.compile(r"\b(?:that|explains?|explained)\s+(?:an?\s+|the\s+)?$", re.I)
SUBJECT_LEAD = re.compile(rf"\s*(?:the term\s+|the phrase\s+|{DISCOURSE}|in [\w\s-]{{1,30}},\s*)(?:the\s+|an?\s+)?",
                          re.I)
GLOSSARY_VERB = re.compile(r"^\s*(?:\([^)]*\)\s*)?,?\s*(?:(?:by contrast|in contrast|however),\s*)?(?:is|are|means)\b",
                           re.I)
CONTRAST_VERB = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:is|are|differs?)\b", re.I)


def _subject_term(ctx: DocumentContext, v: SentenceView, contrasted: tuple[str, ...]) -> str | None:
    """The sentence's first mention, as its subject, when what follows defines it."""
    text = ctx.doc.text
    front = FRONTED.match(v.text) or NUMBERED.match(v.text)
    skip = v.s.start + front.end() if front else v.s.start
    candidates = [m for m in v.mentions if m.start >= skip]
    if not candidates:
        return None
    first = candidates[0]
    lead = EMPHASIS.sub("", text[skip:first.start])  # Markdown **bold** around the term
    by = BY_TERM.fullmatch(lead)
    tail = EMPHASIS.sub("", text[first.end:v.s.end])
    tail = SETTING_AFTER.sub("", tail, count=1)  # "Biochemical recurrence after radical prostatectomy: a PSA of ..."
    if EXPLAINS_THAT.search(lead) and STRONG_DEFINING.match(tail):
        return first.concept  # "she explained that a salvage treatment simply means ..."
    if not (SUBJECT_LEAD.fullmatch(lead) or not lead.strip() or by):
        return None
    if by:
        return first.concept if BY_WE_MEAN.match(tail) else None
    glossary_section = ctx.section_has(v, GLOSSARY_HEADING)
    if NOT_DEFINING.match(tail):
        return None
    if DEFINING.match(tail) or (GIVEN.match(tail) and APPROACH_WORDS.search(first.text)) \
            or GLOSS_DEFINES.match(tail) or GLOSS_INSIDE.search(first.text) \
            or (GLOSSARY.match(tail) and (v.s.kind != "bullet" or glossary_section)):
        return first.concept
    if glossary_section and GLOSSARY_VERB.match(tail):
        return first.concept
    if contrasted and CONTRAST_VERB.match(tail):
        return first.concept
    return None


# The setting a defined term is named in: "after radical prostatectomy" before the colon or the defining verb
SETTING_AFTER = re.compile(r"^\s+(?:after|following)\s+(?:[\w-]+\s+){0,4}?[\w-]+(?=\s*[:—–]|\s+(?:is|are|means|refers)\b)",
                           re.I)
DEFINED_AS = re.compile(r"(?P<np>(?:[A-Za-z][\w/-]*\s+){0,3}[A-Za-z][\w/-]*)\s*(?:\([^)]{1,15}\)\s*)?,\s*"
                        r"(?:(?:usually|generally|commonly|here|formally)\s+)?defined\s+(?:(?:in|by|for) (?:the|this) "
                        r"[\w-]+\s+)?as\b")
CALLED_NP = re.compile(r"[\"“‘*_]*(?P<np>[A-Za-z][\w/-]*(?:\s+[A-Za-z0-9][\w/-]*){0,3}?)[\"”’*_]*\s*"
                       r"(?:[.,;:!?(]|\s[-–—]\s|\s(?:when|if|once|because|after|before|unless)\b|$)")


PRONOUN = re.compile(r"this|that|it|these|those|there|here|what|which|who|he|she|they|we|you|i|its|their", re.I)
# "the chemotherapy-free interval (CTFI), which is the time from ...": the noun phrase a 'which' clause defines
WHICH_NP = re.compile(r"(?P<np>(?:[A-Za-z][\w/-]*\s+){0,3}[A-Za-z][\w/-]*)\s*(?:\([^)]{1,15}\)\s*)?(?=,\s*which\s)")
COMPARATIVE = frozenset({"more", "fewer", "less", "higher", "lower", "better", "worse", "greater", "most", "fewest"})


def _singular(np: str) -> str:
    """'complete biochemical responses' -> 'complete biochemical response': a coined term is named in the singular."""
    words = np.split()
    last = words[-1]
    if re.search(r"(?:[sc]es|[^siu]s)$", last) and not last.isupper():
        words[-1] = last[:-1]
    return " ".join(words)


def _alias(ctx: DocumentContext, v: SentenceView, pos: int) -> bool:
    """'rituximab combined with lenalidomide, known as R2': a second name for one named concept, not a
    definition (unlike 'survival without the need for hormone therapy, known as ADT-free survival')."""
    lead = ctx.doc.text[v.s.start:pos]
    comma = re.search(r",\s*(?:known as|called|termed|referred to as)\s+(?:an?\s+|the\s+)?[\"'“‘*_]*$", lead, re.I)
    if not comma:
        return False
    if SUBJECT.match(v.text):
        return True  # "Resistant CMV means ... a genetic change, called a mutation": the subject is defined
    end = v.s.start + comma.start()
    named = [m for m in v.mentions if m.end == end]
    if not named:
        return False
    clause = ctx.doc.text[v.s.start:named[0].start]
    return bool(re.search(r"(?:^|[,;:(])\s*(?:(?:an?|the|this|that)\s+)?$", clause, re.I))


def _coined_term(ctx: DocumentContext, v: SentenceView) -> str | None:
    """A term the terminology lacks: the subject of a strongly defining sentence or a glossary line
    ('Complete biochemical response (cBR) was defined as ...'), the noun phrase before ', defined as',
    or what follows 'what doctors call' / 'something called'."""
    for hit in (DEFINED_AS.finditer(v.text) if "defined" in v.text else ()):
        words = hit.group("np").split()
        while words and words[0].lower() in NP_STOP | COMPARATIVE | {"primary", "secondary", "endpoint", "outcome",
                                                                    "was", "is"}:
            words.pop(0)
        if words and not NOT_A_TERM.match(" ".join(words)):
            start = v.s.start + hit.start("np") + hit.group("np").index(words[0])
            return _term_at(v, start, start + len(" ".join(words)), _singular(" ".join(words)))
    for hit in (WHICH_NP.finditer(v.text) if "which" in v.text else ()):
        if not WHICH_MEANS.match(v.text[hit.end("np"):]):
            continue
        words = hit.group("np").split()
        stops = [i for i, w in enumerate(words) if w.lower() in NP_STOP | COMPARATIVE]
        words = words[stops[-1] + 1:] if stops else words
        if words and not NOT_A_TERM.match(" ".join(words)) and not PRONOUN.fullmatch(words[0]):
            start = v.s.start + hit.end("np") - len(" ".join(words))
            return _term_at(v, start, v.s.start + hit.end("np"), " ".join(words))
    for hit in CALLED_ANYWHERE.finditer(v.text):
        rest = CALLED_NP.match(v.text, hit.end())
        if rest and not NOT_A_TERM.match(rest.group("np")) and not _alias(ctx, v, v.s.start + rest.start("np")):
            a, b = v.s.start + rest.start("np"), v.s.start + rest.end("np")
            return _term_at(v, a, b, rest.group("np"))
    hit = SUBJECT.match(v.text)
    if not hit:
        return None
    np = hit.group("np").strip()
    if NOT_A_TERM.match(np) or NOT_A_TERM.match(np.split()[0]) and len(np.split()) == 1 \
            or PRONOUN.fullmatch(np.split()[0]):
        return None
    if hit.group("verb").lower().startswith("means") and not ctx.section_has(v, GLOSSARY_HEADING) \
            and (re.match(r"^\W*(?:an?|the|your|my|our|his|her|their)\s", v.text, re.I) or p.NEGATION.search(np)):
        return None  # "A rising PSA means ...": a named state's consequence; "Transformation means ..." defines
    if hit.group("verb")[0] in ":—–":  # a glossary line; outside a glossary, "Term: a/an ..." opening its line
        in_glossary = ctx.section_has(v, GLOSSARY_HEADING)
        line_start = v.index == 0 or ctx.views[v.index - 1].s.block != v.s.block
        if not in_glossary and not (line_start and v.s.kind == "paragraph" and re.match(r"^\s*an?\s+\w",
                                                                                         v.text[hit.end():])
                                    and not re.match(r"^\s*(?:the|an?)\s", v.text, re.I)):
            return None
        if len(np.split()) > 4 or p.NEGATION.search(np) or "'" in np or "’" in np:
            return None
    return _term_at(v, v.s.start + hit.start("np"), v.s.start + hit.end("np"), np)


def _term_at(v: SentenceView, a: int, b: int, np: str) -> str | None:
    """The concept a noun phrase names: the mention that is exactly it, else a coined id."""
    exact = [m for m in v.mentions if m.start == a and m.end >= b]
    if exact:
        return exact[0].concept
    if any(m.start <= a and m.end >= b for m in v.mentions):
        return None
    return slugify(np)


__all__ = ["definitions", "NP_STOP"]
