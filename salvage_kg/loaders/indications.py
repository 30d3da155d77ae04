"""Indications: which therapy applies, for which condition, after which failed treatment."""
from __future__ import annotations

import re

from ..assertions import Criterion, Duration, Indication
from . import patterns as p
from .context import FIRST_LINE, DocumentContext, M, SentenceView

COMBINE = re.compile(r"^\s*(?:\([^)]{1,20}\)\s*)?(?:is |are )?(?:added to|combined with|in combination with|"
                     r"plus|together with|with concurrent|alongside|followed by|and then)\s*$", re.I)
COMBINE_BEFORE = re.compile(r"(?:added to|combined with|in combination with|plus|with concurrent|"
                            r"together with)\s*(?:the\s+)?$", re.I)
COMPARE_BEFORE = re.compile(r"(?:compared (?:with|to)|versus|vs\.?|than|relative to|instead of|rather than)\s*"
                            r"(?:those |patients |men )?(?:receiving |undergoing |treated with |who received )?$", re.I)
LEAD = re.compile(r"^([^:]{2,60}):\s")
USAGE = re.compile(r"\b(?:approved|available|used|option|offered|given|administered|treat(?:ed|s|ing)?|"
                   r"help|can be done|may be done|is done)\b", re.I)
QUESTION = re.compile(r"\?\s*$")
GENERIC = "TherapeuticApproach"


def indications(ctx: DocumentContext, v: SentenceView, criteria: list[Criterion],
                durations: list[Duration]) -> list[Indication]:
    if v.s.kind in ("heading", "title") or QUESTION.search(v.text):
        return []
    therapies = v.of("Therapy")
    intro = ctx.intro_view(v)
    if not therapies and intro is not None and v.of("Condition"):
        # a list item naming a disease under "Salvage therapy is used in ... including:"
        return _list_disease_uses(ctx, v, intro)
    if not therapies or not _salvage_context(ctx, v, intro):
        return []
    priors = list(v.priors) or list(ctx.section_priors(v))
    prior_ids = _ids(priors)
    if not prior_ids and ctx.radiorecurrent(v):
        prior_ids = ("radiotherapy",)
    options = _options(ctx, v, therapies)
    if not options:
        return []
    out = []
    for m in options:
        clause = v.clause(m)
        strength = p.strength(clause) or p.strength(v.text)
        if v.negated(m) and strength != "not-recommended":
            continue
        combined = _combined(v, m, therapies)
        out.append(Indication(
            therapy=m.concept,
            conditions=_conditions(ctx, v, intro),
            after=tuple(c for c in prior_ids if c != m.concept),
            intent=_intent(v.text),
            strength=strength,
            combined_with=combined,
            criteria=tuple(c for c in criteria if c.therapy == m.concept),
            duration=next((d for d in durations if d.therapy == m.concept), None),
            evidence=(v.evidence(negated=strength == "not-recommended"),),
        ))
    return out


def _salvage_context(ctx: DocumentContext, v: SentenceView, intro: SentenceView | None) -> bool:
    if p.SALVAGE_CUE.search(v.text):
        return True
    if FIRST_LINE.search(v.text):
        return False
    if any(_is_salvage_concept(ctx, m) for m in v.of("Therapy")):
        return True
    if v.s.kind == "bullet" and (ctx.section_priors(v) or (intro and p.SALVAGE_CUE.search(intro.text))):
        return True
    if ctx.section_priors(v):
        return True
    heading = ctx.heading(v)
    return bool(heading and p.SALVAGE_CUE.search(heading.text) and
                (p.strength(v.text) or USAGE.search(v.text)))


def _is_salvage_concept(ctx: DocumentContext, m: M) -> bool:
    return "salvage" in m.concept or "salvage-therapy" in _ancestors(ctx, m.concept)


def _ancestors(ctx: DocumentContext, concept: str) -> list[str]:
    try:
        return ctx.term.ancestors(concept)
    except KeyError:
        return [concept]


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
    for m in candidates:
        if m in priors or COMPARE_BEFORE.search(v.before(m, 50)):
            continue
        if re.search(r"added to\s*(?:the\s+)?$", v.before(m, 20), re.I):
            continue  # the base therapy something is added to
        out.append(m)
    specific = [m for m in out if m.type != GENERIC]
    result = specific or out
    seen: dict[str, M] = {}
    for m in result:
        seen.setdefault(m.concept, m)
    return list(seen.values())


def _combined(v: SentenceView, m: M, therapies: list[M]) -> tuple[str, ...]:
    out = []
    for other in therapies:
        if other is m or other.concept == m.concept:
            continue
        between = v.ctx.doc.text[m.end:other.start] if other.start > m.end else ""
        if between and COMBINE.match(between):
            out.append(other.concept)
    return tuple(dict.fromkeys(out))


def _conditions(ctx: DocumentContext, v: SentenceView, intro: SentenceView | None) -> tuple[str, ...]:
    found = [m for m in v.of("Condition") if not v.negated(m) and "metasta" not in m.concept]
    if not found and intro is not None:
        found = [m for m in intro.of("Condition") if not intro.negated(m)]
    if not found:
        h = ctx.heading(v)
        found = [m for m in h.of("Condition")] if h else []
    ids = _ids(found)
    if not ids and ctx.main_condition:
        ids = (ctx.main_condition,)
    return ids


def _list_disease_uses(ctx: DocumentContext, v: SentenceView, intro: SentenceView) -> list[Indication]:
    therapies = [m for m in intro.of("Therapy") if m not in intro.priors]
    if not therapies or not (p.SALVAGE_CUE.search(intro.text) or any(_is_salvage_concept(ctx, m) for m in therapies)):
        return []
    conditions = _ids([m for m in v.of("Condition") if not v.negated(m)])
    if not conditions:
        return []
    return [Indication(therapy=m.concept, conditions=conditions, after=_ids(intro.priors),
                       intent=_intent(intro.text), strength=p.strength(intro.text),
                       evidence=(v.evidence(),))
            for m in _options(ctx, intro, therapies)]


def _intent(text: str) -> str | None:
    found = {name for name, rx in p.INTENT if rx.search(text)}
    return found.pop() if len(found) == 1 else None


def _ids(mentions: list[M]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.concept for m in mentions))
