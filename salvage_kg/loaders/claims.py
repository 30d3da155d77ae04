"""Prerequisites, definitions and citations."""
from __future__ import annotations

import re

from ..assertions import Citation, Definition, Prerequisite
from . import patterns as p
from .context import DocumentContext, M, SentenceView
from .corpus import DOI

# --- prerequisites --------------------------------------------------------------------------------

REQUIRED = re.compile(r"\b(?:must|should|needs? to|has to|have to|is required|are required|required|necessary|"
                      r"essential|mandatory|is needed|recommended)\b", re.I)
BEFORE = re.compile(r"\b(?:before|prior to|ahead of)\b", re.I)
SOLELY_LOOSE = re.compile(r"\b(?:never|not|no)\b[^.;]{0,40}?\b(?:based|rely|relied|rest|rests|depend|chosen|made|"
                          r"decided|guided)\b[^.;]{0,25}\bon\s+(?:an?\s+|the\s+|someone's\s+|a rising\s+|[\w-]+\s+)?$",
                          re.I)
ALONE_AFTER = re.compile(r"^(?:\s+[\w-]+){0,3}\s+(?:alone|only|by itself|on (?:its|their) own)\b", re.I)
SOLELY = re.compile(r"\b(?:never|not|no)\b[^.;]{0,30}?\b(?:based|rely|relied|rest|rests|depend|relying|resting)\s+"
                    r"(?:solely|only|exclusively|purely|alone|just)?\s*(?:up)?on\b", re.I)


NEED = re.compile(r"\b(?:need(?:s|ed)?|will have|should (?:have|get|undergo|be)|must (?:have|undergo|be)|requires?|"
                  r"required|get|obtain(?:ed)?|perform(?:ed)?|check(?:ed)?|confirm(?:s|ed|ing)?|ask about|assess(?:ed)?|"
                  r"establish(?:ed)?|undergo|measure[sd]?|repeat(?:ed)?|advised|order(?:ed)?|request(?:ed)?|"
                  r"arrange[sd]?|review(?:ed)?)\b", re.I)
NOT_TO_BE_USED = re.compile(r"^[^.;]{0,20}?\b(?:should not|must not|cannot|can't|is not to) be (?:used|relied on|trusted)|"
                            r"^[^.;]{0,20}?\b(?:is|are) (?:not reliable|unreliable|misleading)", re.I)
NOT_TO_BE_USED_ANYWHERE = re.compile(NOT_TO_BE_USED.pattern.replace("^[^.;]{0,20}?", ""), re.I)
BEFORE_SECTION = re.compile(r"\b(?:before|prior to|first|pre-?treatment|work-?up|tests?|assessments?|evaluation|"
                            r"investigations?|confirm\w*|diagnos\w*)\b", re.I)


def prerequisites(ctx: DocumentContext, v: SentenceView) -> list[Prerequisite]:
    if v.s.kind in ("heading", "title"):
        return []
    tests = v.of("DiagnosticProcedure")
    found = _explicit_prerequisites(ctx, v, tests) if tests else []
    found += _solely(ctx, v, [m for m in v.mentions if m not in tests and not ctx.is_a(m, "Therapy")
                              and not ctx.is_a(m, "Condition")])
    if not found and tests and _prerequisite_setting(ctx, v):
        therapy = _prerequisite_therapy(ctx, v)
        if therapy:
            for t in tests:
                if v.negated(t) or p.BENEFIT.search(v.before(t, 30)):
                    continue
                negated = bool(NOT_TO_BE_USED.match(ctx.doc.text[t.end:v.s.end]))
                label = ("not solely " if negated else "") + _label(ctx, t)
                found.append(Prerequisite(therapy=therapy, requirement=t.concept, negated=negated, label=label,
                                          evidence=(v.evidence(),)))
    return found


def _prerequisite_setting(ctx: DocumentContext, v: SentenceView) -> bool:
    """A sentence about what must happen first: a need cue plus 'before'/'first', or a 'Before ...' section."""
    if not NEED.search(v.text) and not NOT_TO_BE_USED_ANYWHERE.search(v.text):
        return False
    return bool(BEFORE.search(v.text) or re.search(r"\bfirst\b", v.text, re.I)
                or ctx.section_has(v, BEFORE_SECTION))


def _prerequisite_therapy(ctx: DocumentContext, v: SentenceView) -> str | None:
    """The therapy that must wait: named after 'before' here or in the heading, else the document's subject."""
    for view in (v, ctx.heading(v)):
        if view is None:
            continue
        cue = BEFORE.search(view.text)
        if cue:
            after_cue = [m for m in view.of("Therapy") if m.start >= view.s.start + cue.end()]
            if after_cue:
                return after_cue[0].concept
    return ctx.main_salvage or ctx.main_therapy


def _solely(ctx: DocumentContext, v: SentenceView, others: list[M]) -> list[Prerequisite]:
    """'should not be based on X alone' for requirements that are not tests (history, a marker)."""
    out = []
    for m in others:
        lead = ctx.doc.text[v.s.start:m.start]
        if SOLELY.search(lead[-60:]) or (SOLELY_LOOSE.search(lead[-60:]) and ALONE_AFTER.match(v.after(m, 30))):
            therapy = _prerequisite_therapy(ctx, v)
            if therapy:
                out.append(Prerequisite(therapy=therapy, requirement=m.concept, negated=True,
                                        label=f"not solely {_label(ctx, m)}", evidence=(v.evidence(),)))
    return out


def _explicit_prerequisites(ctx: DocumentContext, v: SentenceView, tests: list[M]) -> list[Prerequisite]:
    out = []
    text = ctx.doc.text
    therapies = v.of("Therapy")
    for t in tests:
        lead = text[v.s.start:t.start]
        solely = SOLELY.search(lead[-60:]) or (SOLELY_LOOSE.search(lead[-60:]) and ALONE_AFTER.match(v.after(t, 30)))
        if solely:
            therapy = _therapy_near(ctx, v, t, therapies)
            if therapy:
                out.append(Prerequisite(therapy=therapy, requirement=t.concept, negated=True,
                                        label=f"not solely {_label(ctx, t)}", evidence=(v.evidence(),)))
            continue
        clause = v.clause(t)
        tail = text[t.end:v.s.end]
        before_hit = BEFORE.search(tail)
        if before_hit and REQUIRED.search(text[t.end:t.end + before_hit.start()] + " " + clause):
            after_before = [m for m in therapies if m.start >= t.end + before_hit.end()]
            if after_before:
                out.append(Prerequisite(therapy=after_before[0].concept, requirement=t.concept,
                                        label=_label(ctx, t), evidence=(v.evidence(),)))
                continue
        lead_before = BEFORE.search(lead)
        if lead_before and REQUIRED.search(clause):
            before_therapies = [m for m in therapies if m.start >= v.s.start + lead_before.end() and m.end <= t.start]
            if before_therapies:
                out.append(Prerequisite(therapy=before_therapies[0].concept, requirement=t.concept,
                                        label=_label(ctx, t), evidence=(v.evidence(),)))
    return out


def _therapy_near(ctx, v, test: M, therapies: list[M]) -> str | None:
    before = [m for m in therapies if m.end <= test.start]
    if before:
        # the therapy the sentence is about; "treatment" on its own refers back to it
        prereq_targets = [m for m in before if BEFORE.search(v.before(m, 25))]
        return (prereq_targets or before)[-1].concept
    return _prerequisite_therapy(ctx, v)


def _label(ctx, m: M) -> str:
    try:
        return ctx.term.get(m.concept).label
    except KeyError:
        return m.text


# --- definitions ----------------------------------------------------------------------------------

DISCOURSE = r"(?:(?:in summary|on the other hand|in contrast|by contrast|however|similarly|thus|therefore|" \
            r"in short|put simply|simply put)\s*,\s*)?"
DEFINING = re.compile(
    r"^\s*(?:\([^)]{1,80}\)\s*)?(?:,\s*(?:also called|also known as|or)\s[^,]{1,60},\s*)?"
    r"(?:,\s*(?:by contrast|in contrast|however|on the other hand|in turn),\s*)?"
    r"(?:(?:after|following|in|of|for|with)\s+[\w\s-]{1,40}?\s+(?=means|refers|is defined|describes|denotes))?"
    r"(?:refers? to|(?:is|are|was|were) defined as|represents?|describes?|means|denotes|literally means|"
    r"(?:is|are) (?:a|an|any|the)?\s*(?:[\w-]+[ ,]+){0,4}?(?:type|form|kind|treatment|therapy|approach|procedure|"
    r"term|intervention|situation|condition|state|modality|option|name|plan|regimen|response|failure|disease|"
    r"infection|test|scan)\b)", re.I)
GLOSS_DEFINES = re.compile(r"^\s*\((?:also called|also known as|sometimes called|sometimes known as|or)\b", re.I)
CALLED_BEFORE = re.compile(r"\b(?:(?:is|are|was|were) (?:called|known as|termed|referred to as|defined as)|"
                           r"call(?:s|ed)? (?:that|this|it|these|them)|is the name for)\s+$", re.I)
GLOSS_INSIDE = re.compile(r"\((?:also called|also known as|sometimes called|sometimes known as)\b", re.I)
GLOSSARY = re.compile(r"^\s*:\s+(?:a|an|the|any|[a-z])", re.I)
APPROACH_WORDS = re.compile(r"salvage|adjuvant|palliati|neoadjuvant|rescue|second-line|first-line|recurrence|"
                            r"relapse|refractory", re.I)
GIVEN = re.compile(r"^\s*(?:\([^)]{1,80}\)\s*)?(?:is|are)\s+(?:generally\s+|usually\s+|only\s+|typically\s+)?"
                   r"(?:given|administered|delivered|initiated|undertaken|started)\b", re.I)
CONTRAST = re.compile(r"\b(?:distinguishing it from|distinguished from|differs?(?: \w+)? from|unlike|"
                      r"in contrast to|contrasts? with|as opposed to|distinct from|not the same as|"
                      r"rather than)\s+$", re.I)
WHICH = re.compile(r"^\s*(?:\([^)]{1,60}\)\s*)?,\s*which\s+(?:is|are|focuses|aims|seeks|refers)\b", re.I)
WHICH_MEANS = re.compile(r"^\s*(?:\([^)]{1,60}\)\s*)?,\s*which\s+(?:means|refers to|is defined as)\b", re.I)
EMPHASIS = re.compile(r"[*_`]+")
ANAPHOR = re.compile(r"^\s*(?:this|it|that)\b", re.I)


def definitions(ctx: DocumentContext, v: SentenceView, previous_term: str | None) -> list[Definition]:
    if v.s.kind in ("heading", "title") or not v.mentions:
        return []
    text = ctx.doc.text
    contrasted = tuple(dict.fromkeys(m.concept for m in v.mentions if CONTRAST.search(v.before(m, 40))))
    first = v.mentions[0]
    lead = EMPHASIS.sub("", text[v.s.start:first.start])  # Markdown **bold** around the term
    term = None
    if re.fullmatch(rf"\s*(?:the term\s+|{DISCOURSE}|in [\w\s-]{{1,30}},\s*)(?:the\s+|an?\s+)?", lead, re.I) \
            or not lead.strip():
        tail = EMPHASIS.sub("", text[first.end:v.s.end])
        if DEFINING.match(tail) or (GIVEN.match(tail) and APPROACH_WORDS.search(first.text)) \
                or GLOSS_DEFINES.match(tail) or GLOSS_INSIDE.search(first.text) \
                or (GLOSSARY.match(tail) and v.s.kind != "bullet"):
            term = first.concept
        elif contrasted and re.match(r"^\s*(?:\([^)]*\)\s*)?(?:is|are|differs?)\b", tail, re.I):
            term = first.concept
    if term is None:
        called = [m for m in v.mentions if CALLED_BEFORE.search(v.before(m, 40))]
        if called:
            term = called[0].concept
    if term is None and contrasted and ANAPHOR.match(v.text) and previous_term:
        term = previous_term
    out = []
    if term:
        out.append(Definition(term=term, text=v.text, intent=_intent(v.text),
                              contrasted_with=tuple(c for c in contrasted if c != term), evidence=(v.evidence(),)))
    for m in v.mentions:  # "..., adjuvant therapy, which is administered ..."
        tail = text[m.end:v.s.end]
        if m.concept != term and (WHICH_MEANS.match(tail) or (WHICH.match(tail) and APPROACH_WORDS.search(m.text))):
            out.append(Definition(term=m.concept, text=v.text, intent=_intent(text[m.end:v.s.end]),
                                  evidence=(v.evidence(),)))
    return out


def _intent(text: str) -> str | None:
    found = {name for name, rx in p.INTENT if rx.search(text)}
    return found.pop() if len(found) == 1 else None


# --- citations ------------------------------------------------------------------------------------

REFERENCE_HEADING = re.compile(r"^(?:references?|bibliography|sources?|citations?|literature|further reading|"
                               r"works cited)\s*:?$", re.I)
AUTHOR = r"(?:\bet al\b|[A-Z][a-z]+,? (?:[A-Z]\.\s?){1,3}[,.&(]|[A-Z][a-z]+ [A-Z]{1,3}[,.])"
CITATION_LIKE = re.compile(rf"\b(?:19|20)\d{{2}}\b.*(?:{AUTHOR}|\bJ\b|Journal|Lancet|Oncol|Urol|Med\b|Rev\b|Res\b|"
                           rf"Proc|Bull|Cochrane)|{AUTHOR}.*\b(?:19|20)\d{{2}}\b")
URL = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"').,\]]")


def citations(ctx: DocumentContext) -> list[Citation]:
    """One citation per reference line: lines under a References heading, numbered references, DOIs."""
    out = []
    lines: dict[int, list[SentenceView]] = {}
    for v in ctx.views:
        lines.setdefault(v.s.block, []).append(v)
    for block in sorted(lines):
        views = lines[block]
        first, last = views[0], views[-1]
        if first.s.kind in ("heading", "title"):
            continue
        start, end = first.s.start, last.s.end
        text = ctx.doc.text[start:end]
        under_heading = bool(first.s.section and REFERENCE_HEADING.match(first.s.section))
        doi = DOI.search(text)
        looks = first.s.kind == "bullet" and CITATION_LIKE.search(text)
        if not (doi or under_heading or looks):
            continue
        if under_heading and not (doi or CITATION_LIKE.search(text) or re.search(r"\b(?:19|20)\d{2}\b", text)):
            continue
        url = URL.search(text)
        from ..assertions import Evidence

        ev = Evidence(ctx.doc.id, start, end, text, first.s.section)
        out.append(Citation(text=text, doi=doi.group(1).rstrip(".") if doi else None,
                            url=url.group(0) if url and not doi else None, evidence=(ev,)))
    return out


__all__ = ["prerequisites", "definitions", "citations"]
