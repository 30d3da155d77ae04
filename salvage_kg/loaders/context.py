"""What each sentence is about: its concept mentions, their roles, and the context that fills gaps.

A sentence seldom names everything: a bullet under "After Radiation Therapy" leaves the failed
treatment to its heading, a side-effect paragraph leaves the therapy to the sentence before, and a
patient page about one procedure calls it "the procedure". `DocumentContext` resolves such gaps
from the heading, the list introduction, the previous sentences of the section and the document's
main subject, in that order.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import cached_property, lru_cache
from typing import NamedTuple

from ..assertions import Document, Evidence
from . import patterns as p
from .prefilter import prefiltered, within
from .structure import Sentence

CLAUSE_BREAK = re.compile(r"[;:—–(]|,\s+(?:though|although|but|while|whereas|which|and instead)\b|\bbut\b")
SUBORDINATE_BEFORE = re.compile(r"\b(?:if|when|unless|because|since|although|though|whether)\b[^,]*,[^,]*$", re.I)
# "men who have had their prostate removed (radical prostatectomy)": the technical name glosses a lay account
LAY_PRIOR = re.compile(r"\b(?:had|have had|having had|underwent|undergone)\s+(?:their|his|her|your|the|a)\s+[\w-]+\s+"
                       r"(?:removed|taken out|irradiated|treated|frozen)\s*\(\s*$", re.I)
AFTER_SUFFIX = re.compile(r"^\s*(?:\([^)]{1,20}\)\s*)?"
                          # "allopurinol at a full dose does not work"
                          r"(?:(?:at|in) (?:a |the )?(?:full|maximum|maximal|high|higher|standard|adequate) doses? )?"
                          r"(?:failure|failed|fails|recurrence|relapse|"
                          r"(?:is|are|was|were)(?:n't| not) enough|(?:is|are|was|were) insufficient|"
                          r"has failed|have failed|was unsuccessful|(?:do|does|did) not work|no longer works?|"
                          r"(?:has|have|had) not worked|(?:hasn't|haven't|hadn't) worked|(?:didn't|don't|doesn't) work|"
                          r"(?:did|do|does) not help|stop(?:s|ped)? working|ineffective)\b", re.I)
# "Maintenance with ATRA after autoSCT": what maintenance or consolidation follows has worked, not failed
MAINTAINED_AFTER = re.compile(r"\b(?:maintenance|consolidation|consolidative)\b[^,;:.]{0,50}\b(?:after|following)\s+"
                              r"(?:(?:the|a|an|their|successful)\s+)?$", re.I)
COORDINATION = re.compile(r"^-?\s*(?:\([^)]{1,40}\)\s*)?,?\s*(?:or|and|and/or|/)\s*"
                          r"(?:(?:the|a|an|initial|primary|prior|previous|escalated|standard|first[- ]line)\s+)*$",
                          re.I)
# "after chemoimmunotherapy such as BR", "their first chemotherapy, which is usually BEP": an example of the failed
# treatment is the failed treatment too
PRIOR_EXAMPLE = re.compile(r"^\s*(?:\(\s*|,?\s*(?:such as|e\.g\.,?|like)\s+|,\s*(?:which|that) (?:is|was) "
                           r"(?:usually|often|typically|mostly|mainly)?\s*)"
                           r"(?:(?:the|a|an|usually)\s+)?$", re.I)
LIST_RESUMED = re.compile(r"^\s*\)\s*,\s*(?:an?|the)\s+$", re.I)
# "(for example X, Y and Z)", "(e.g. X or Y)", "(X, Y)": a parenthesis that lists examples
PAREN_EXAMPLES = re.compile(r"^\s*(?:(?:for example|for instance|e\.g\.|such as|including|like|namely),?\s+)?"
                            r"[^()]*$", re.I)
FAILED_BEFORE = re.compile(r"\b(?:failure of|failed|failing|despite|refractory to|resistant to|intoleran(?:t|ce) (?:of|to)|"
                           r"not responded to|no response to)\b", re.I)
ANAPHOR_START = re.compile(r"^\s*(?:this|it|they|these (?:drugs|medicines|treatments|therapies|agents|options)|"
                           r"the (?:drug|procedure|treatment|therapy|operation|medicine|regimen)|"
                           r"this (?:drug|procedure|treatment|therapy|operation|medicine|regimen|approach))\b", re.I)
PLURAL_ANAPHOR = re.compile(r"^\s*(?:they|these)\b", re.I)
PREDICATE = re.compile(r"\b(?:is|are|was|were)\s+(?:a|an|the|another)\s+(?:[\w-]+\s+){0,2}$", re.I)
SUBJECT_LEAD = re.compile(r"^[\s*_#>\-•]*(?:(?:the|a|an)\s+)?", re.I)
RADIORECURRENT = re.compile(r"\bradio-?recurren(?:t|ce)\b", re.I)
GLOSS_GAP = re.compile(r"^\s*(?:\([^)]*\))?\s*[,(]?\s*(?:or|i\.e\.,?|that is,?|also called|also known as)?\s*$",
                       re.I)
DRUG_MODALITY = re.compile(r"(?:therapy|treatment|regimen)$", re.I)
DRUG_CLASS = re.compile(r"^anti-|\b(?:inhibitors?|antagonists?|agonists?|blockers?|analogues?)\b", re.I)
AFTER_IN_LABEL = re.compile(r"\b(?:after|following|post)[ -](.+)$", re.I)
FAILURE_STATE = re.compile(r"^(.+?)\s+(?:failure|recurrence|relapse)s?$", re.I)
FIRST_LINE = re.compile(r"\b(?:mainstay of (?:treatment|therapy)|first[- ]line|initial treatment|newly diagnosed|"
                        r"(?<!be )(?<!been )(?<!is )(?<!are )(?<!was )(?<!were )locali[sz]ed|early[- ]stage|"  # not 'can be localised'
                        r"as soon as possible after (?:your |the )?diagnosis|primary treatment (?:is|of))\b", re.I)
# Costly patterns skip text that lacks the words every match contains (prefilter.py).
CLAUSE_BREAK, FIRST_LINE = map(prefiltered, (CLAUSE_BREAK, FIRST_LINE))
# Cues looked for just before or after a mention: the sentence is tested once for their words
# (SentenceView.search_before, match_after).
LAY_PRIOR = prefiltered(LAY_PRIOR)


class M(NamedTuple):
    """A concept mention with document offsets and its type. (A named tuple: extraction makes, hashes and
    compares many thousands of them, each several times faster than a frozen dataclass's.)"""

    start: int
    end: int
    concept: str
    type: str
    text: str


class SpanIndex:
    """Mentions sorted by start, so that those inside a span are found without scanning them all."""

    def __init__(self, mentions: list[M]):
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.ordered = all(a <= b for a, b in zip(self.starts, self.starts[1:]))

    def inside(self, lo: int, hi: int) -> list[M]:
        """The mentions within [lo, hi], in list order."""
        if not self.ordered:
            return [m for m in self.mentions if lo <= m.start and m.end <= hi]
        i, j = bisect.bisect_left(self.starts, lo), bisect.bisect_right(self.starts, hi)
        return [m for m in self.mentions[i:j] if m.end <= hi]


class SentenceView:
    """One sentence with its mentions and helpers to ask about them."""

    def __init__(self, ctx: "DocumentContext", index: int, sentence: Sentence, mentions: list[M]):
        self.ctx = ctx
        self.index = index
        self.s = sentence
        self.text = sentence.text  # read by every extractor many times: an attribute, not a property
        self.mentions = mentions
        self._of: dict[tuple[str, ...], list[M]] = {}
        self._typed: list[tuple[M, frozenset[str]]] | None = None  # each mention with its type's ancestors
        self._breaks: list[tuple[int, int]] | None = None  # spans of the clause breaks
        self._negated: dict[int, bool] = {}  # by mention start: the text before a mention decides

    def of(self, *classes: str) -> list[M]:
        found = self._of.get(classes)
        if found is None:
            if self._typed is None:
                self._typed = [(m, _type_ancestors(m.type)) for m in self.mentions]
            found = self._of[classes] = [m for m, types in self._typed if not types.isdisjoint(classes)]
        return list(found)

    def before(self, m: M, width: int = 60) -> str:
        return self.ctx.doc.text[max(self.s.start, m.start - width):m.start]

    def after(self, m: M, width: int | None = 60) -> str:
        """The text after a mention, to the sentence's end at most (all of it when `width` is None)."""
        return self.ctx.doc.text[m.end:self.s.end if width is None else min(self.s.end, m.end + width)]

    # A cue just before or after a mention of the sentence: the sentence is tested once for the words of
    # a prefiltered pattern, and its plain pattern then searches each stretch (a stretch of a sentence
    # that lacks the words lacks them too).

    def search_before(self, rx, m: M, width: int = 60) -> re.Match | None:
        """`rx.search(self.before(m, width))`."""
        if m.start <= self.s.end:  # the stretch lies in the sentence
            rx = within(rx, self.text)
        return rx.search(self.before(m, width)) if rx is not None else None

    def match_after(self, rx, m: M, width: int | None = 60) -> re.Match | None:
        """`rx.match(self.after(m, width))`."""
        if m.end >= self.s.start:
            rx = within(rx, self.text)
        return rx.match(self.after(m, width)) if rx is not None else None

    def is_predicate(self, m: M) -> bool:
        """'X is an attachment inhibitor': the mention classifies the subject; it is not a second subject."""
        return bool(self.search_before(PREDICATE, m, 40))

    def clause(self, m: M) -> str:
        """The clause holding the mention: between the nearest clause breaks around it."""
        text, rel = self.text, m.start - self.s.start
        if self._breaks is None:  # the same for every mention of the sentence
            self._breaks = [b.span() for b in CLAUSE_BREAK.finditer(text)]
        starts = [b for _, b in self._breaks if b <= rel]
        ends = [a for a, _ in self._breaks if a >= rel + (m.end - m.start)]
        return text[(starts[-1] if starts else 0):(ends[0] if ends else len(text))]

    def negated(self, m: M) -> bool:
        """A negation cue shortly before the mention, in the same clause."""
        found = self._negated.get(m.start)  # several extractors ask about the same mention
        if found is None:
            lead = self.before(m, 45)
            lead = CLAUSE_BREAK.split(lead)[-1]
            if SUBORDINATE_BEFORE.search(lead):  # "If you have not had chemotherapy, docetaxel is ...": the
                lead = lead.rsplit(",", 1)[-1]   # negation is the condition's, not the main clause's
            words = lead.split()[-5:]
            found = self._negated[m.start] = bool(p.NEGATION.search(" ".join(words)))
        return found

    @cached_property
    def priors(self) -> list[M]:
        """Therapy mentions that name the failed, earlier treatment ('after RT', 'radiation failure')."""
        out: list[M] = []
        therapies = self.of("Therapy")
        text = self.ctx.doc.text
        members_end = -1  # "on an ARPI (ARPI: abiraterone, enzalutamide or ...)": the members a failed class lists
        for i, m in enumerate(therapies):
            is_prior = bool(p.PRIOR_CUE.search(self.before(m, 45))) or bool(AFTER_SUFFIX.match(self.after(m, 40))) \
                or bool(self.search_before(LAY_PRIOR, m, 60)) or m.start < members_end
            if not is_prior and not out and self._after_failed_state(m):
                is_prior = True  # "recurrence after radical prostatectomy and SRT": the list goes on
            if is_prior and MAINTAINED_AFTER.search(self.before(m, 70)):
                is_prior = False
            if not is_prior and out and out[-1] is therapies[i - 1]:
                gap = text[therapies[i - 1].end:m.start]
                # "after RP, primary RT or brachytherapy": a bare comma joins only items of a continuing list
                is_prior = bool(COORDINATION.match(gap) or PRIOR_EXAMPLE.match(gap))
                # "after an anti-CD38 antibody (daratumumab or isatuximab), an immunomodulatory drug and a
                # proteasome inhibitor": past the examples, the list of failed treatments goes on
                is_prior = is_prior or bool(
                    LIST_RESUMED.match(gap) and i + 1 < len(therapies)
                    and COORDINATION.match(text[m.end:therapies[i + 1].start]))
                if gap.strip() == ":" and text[:therapies[i - 1].start].rstrip().endswith("("):
                    is_prior, members_end = True, text.find(")", m.end, self.s.end)
            if is_prior:
                out.append(m)
        # "both TIP and high-dose chemotherapy have failed": the failure named last covers the list before it
        for i in range(len(therapies) - 2, -1, -1):
            m, nxt = therapies[i], therapies[i + 1]
            if m not in out and nxt in out and AFTER_SUFFIX.match(self.after(nxt, 40)) \
                    and COORDINATION.match(self.ctx.doc.text[m.end:nxt.start]):
                out.append(m)
        out.extend(m for m in therapies if m not in out and self._failed_example(m, out))
        out.sort(key=lambda x: x.start)
        return out + self._failure_priors()

    def _after_failed_state(self, m: M) -> bool:
        """Whether a therapy is joined by 'and'/'or' to a condition named after a failed treatment
        ('biochemical recurrence after radical prostatectomy and SRT')."""
        text = self.ctx.doc.text
        for c in self.of("Condition"):
            if c.end <= m.start and COORDINATION.match(text[c.end:m.start]) and \
                    AFTER_IN_LABEL.search(getattr(self.ctx.term.concepts.get(c.concept), "label", "")):
                return True
        return False

    def _failed_example(self, m: M, priors: list[M]) -> bool:
        """'after failure of at least three oral preventives (for example propranolol and topiramate)': the
        examples a failed treatment is given, in parentheses, failed too, even when its own name is unknown."""
        text = self.ctx.doc.text
        opened = text.rfind("(", self.s.start, m.start)
        if opened < 0 or ")" in text[opened:m.start] or not PAREN_EXAMPLES.match(text[opened + 1:m.start]):
            return False
        cue = None
        for cue in FAILED_BEFORE.finditer(text, max(self.s.start, opened - 80), opened):
            pass
        if cue is None:
            return False
        between = [o for o in self.of("Therapy") if cue.end() <= o.start and o.end <= opened]
        return all(o in priors for o in between)

    @cached_property
    def failure_states(self) -> list[M]:
        """Condition mentions such as 'radiation failure' that name the failed treatment."""
        return [m for m in self.of("DiseaseState") if FAILURE_STATE.match(m.text) and self._failed_therapy(m)]

    def _failed_therapy(self, m: M):
        head = FAILURE_STATE.match(m.text).group(1)
        found = [c for c in self.ctx.term.lookup(head) if is_type(c.type, "Therapy")]
        return found[0] if found else None

    def _failure_priors(self) -> list[M]:
        out = []
        for m in self.failure_states:
            c = self._failed_therapy(m)
            out.append(M(m.start, m.end, c.id, c.type, m.text))
        for m in self.of("Condition"):  # "biochemical recurrence after radical prostatectomy"
            label = getattr(self.ctx.term.concepts.get(m.concept), "label", "")
            hit = AFTER_IN_LABEL.search(label)
            if hit:
                found = [c for c in self.ctx.term.lookup(hit.group(1)) if is_type(c.type, "Therapy")]
                if found:
                    out.append(M(m.start, m.end, found[0].id, found[0].type, m.text))
        return out

    @cached_property
    def hedged(self) -> bool:
        return bool(p.HEDGE.search(self.text))

    def evidence(self, *, negated: bool = False, through: "SentenceView | None" = None) -> Evidence:
        if through is None:  # the common case: this sentence alone, its hedge read once
            quote, end, hedged = self.text, self.s.end, self.hedged
        else:
            end = through.s.end
            quote = self.ctx.doc.text[self.s.start:end]
            hedged = bool(p.HEDGE.search(quote))
        return Evidence(self.ctx.doc.id, self.s.start, end, quote, self.s.section, negated=negated, hedged=hedged)


class DocumentContext:
    def __init__(self, doc: Document, sentences: list[Sentence], mentions: list[M], terminology):
        self.doc = doc
        self.term = terminology
        self.sentences = sentences
        starts = [m.start for m in mentions]
        self.views: list[SentenceView] = []
        for i, s in enumerate(sentences):
            lo, hi = bisect.bisect_left(starts, s.start), bisect.bisect_left(starts, s.end)
            inside = [m for m in mentions[lo:hi] if m.end <= s.end]
            self.views.append(SentenceView(self, i, s, inside))
        self.headings = {v.s.section: v for v in self.views if v.s.kind in ("heading", "title")}
        self._specialised: dict[str, str] = {}  # depends only on the document's failed treatments

    def is_a(self, m: M, class_name: str) -> bool:
        return class_name in _type_ancestors(m.type)

    # --- context that fills gaps ---------------------------------------------------------------

    def heading(self, view: SentenceView) -> SentenceView | None:
        h = self.headings.get(view.s.section)
        return h if h is not None and h is not view else None

    def section_priors(self, view: SentenceView) -> list[M]:
        """Failed treatments a heading names ('After Radiation Therapy or Focal Ablation'). In a document about
        salvage surgery, 'After surgery' heads what follows that salvage surgery, not a failure of it."""
        h = self.heading(view)
        if not h:
            return []
        salvage = self.concept_ancestors(self.main_salvage) if self.main_salvage else ()
        return [m for m in h.priors if m.concept not in salvage]

    def section_has(self, view: SentenceView, rx: re.Pattern) -> bool:
        h = self.heading(view)
        return bool(h and rx.search(h.text))

    def intro_view(self, view: SentenceView) -> SentenceView | None:
        if not view.s.intro:
            return None
        for v in reversed(self.views[:view.index]):
            if v.s.kind == "paragraph" and v.text == view.s.intro:
                return v
        return None

    def referent(self, view: SentenceView) -> list[M]:
        """What 'This is ...', 'It can cause ...', 'The procedure ...' refers to: the previous sentences' therapy."""
        if not ANAPHOR_START.match(view.text):
            return []
        found = self.focus_therapies(view, look_back=2)
        if len(found) > 1 and view.index > 0 and not PLURAL_ANAPHOR.match(view.text):
            # "Micropulse treatment may suit eyes ... who cannot face more surgery. It can cause ...": the
            # singular pronoun takes up the subject the sentence before opens with
            before = self.views[view.index - 1]
            subject = [m for m in found if before.s.start <= m.start
                       and not SUBJECT_LEAD.sub("", self.doc.text[before.s.start:m.start])]
            if len(subject) == 1:
                return subject
        return found

    def focus_therapies(self, view: SentenceView, look_back: int = 4) -> list[M]:
        """Therapies of the nearest earlier sentences of the same section, or of its heading."""
        for v in reversed(self.views[max(0, view.index - look_back):view.index]):
            if v.s.section != view.s.section:
                break
            found = [m for m in v.of("Therapy") if m not in v.priors and not v.is_predicate(m)] or \
                [m for m in v.of("Therapy") if not v.is_predicate(m)]
            if found:
                return self.most_specific(found)
        h = self.heading(view)
        return self.most_specific(h.of("Therapy")) if h else []

    def most_specific(self, mentions: list[M]) -> list[M]:
        """Drop a mention that glosses a nearby narrower one ('radical prostatectomy, or surgery to remove ...');
        two therapies compared side by side ('the BV-ICE arm and the ICE arm') both stay."""
        out = []
        for m in mentions:
            glossed = [o for o in mentions if o.concept != m.concept and m.concept in self.concept_ancestors(o.concept)
                       and o.end <= m.start and GLOSS_GAP.match(self.doc.text[o.end:m.start])]
            if not glossed:
                out.append(m)
        return out

    def concept_ancestors(self, concept: str) -> tuple[str, ...]:
        """The concept and its broader concepts; a concept the terminology lacks (coined) has only itself."""
        try:
            return self.term.ancestor_tuple(concept)
        except KeyError:
            return (concept,)

    @cached_property
    def main_condition(self) -> str | None:
        """The disease the document is mostly about (title mentions count three times, one mention in the
        body is not enough; a named disease wins over a bare 'cancer')."""
        specific: Counter[str] = Counter()
        generic: Counter[str] = Counter()
        states: Counter[str] = Counter()
        for v in self.views:
            weight = 3 if v.s.kind == "title" else 1
            for m in v.of("Neoplasm", "InfectiousDisease", "Condition"):
                if is_type(m.type, "DiseaseState"):
                    states[m.concept] += weight
                    # "relapsed Graves' hyperthyroidism": a state of a named disease counts for that disease
                    state = self.term.concepts.get(m.concept)
                    for b in getattr(state, "broader", ()):
                        base = self.term.concepts.get(b)
                        if base is not None and base.type in ("Condition", "Neoplasm", "InfectiousDisease") \
                                and base.label.split()[-1].lower() in state.label.lower():  # not a wider class
                            specific[b] += weight
                    continue
                named = bool(getattr(self.term.concepts.get(m.concept), "broader", True)) or m.type == "Condition"
                (specific if named else generic)[m.concept] += weight
        # a disease named once in passing (a risk, a differential) is not what the document is about,
        # unless it names the disease the document otherwise calls by a broader word ('the cancer')
        kept = Counter({c: n for c, n in specific.items()
                        if n >= 2 or any(g in self.concept_ancestors(c) for g in generic)})
        # a document that names no disease but a state of one ('treatment-resistant depression') is about that
        return _top(kept) or _top(generic) or _top(Counter({c: n for c, n in states.items() if n >= 2}))

    @cached_property
    def salvage_document(self) -> bool:
        """Whether the document as a whole is about treatment after failure (its title says so)."""
        titles = [v.text for v in self.views if v.s.kind == "title"] + [self.doc.title or ""]  # a page's <title> too
        return any(p.SALVAGE_CUE.search(t) for t in titles)

    @cached_property
    def after_failure_document(self) -> bool:
        """Whether the document is about what follows a failure: salvage in its title, or a failed treatment
        the title names ("Ciclosporin didn't work: what next")."""
        return self.salvage_document or any(v.priors for v in self.views if v.s.kind == "title")

    @cached_property
    def main_salvage(self) -> str | None:
        """The salvage treatment the document is about ('rescue therapy', 'salvage cryotherapy'), if any."""
        counts: Counter[str] = Counter()
        for v in self.views:
            for m in v.of("Therapy"):
                if m not in v.priors and "salvage-therapy" in self.concept_ancestors(m.concept):
                    counts[m.concept] += 3 if v.s.kind in ("title", "heading") else 1
        return _top(counts)

    @cached_property
    def _prior_counts(self) -> Counter[str]:
        """How often the document names each failed treatment."""
        return Counter(self.specialise(m.concept) for v in self.views for m in v.priors)

    @cached_property
    def main_prior(self) -> str | None:
        """The one failed treatment a document keeps returning to, if it names only one (twice or more)."""
        counts = self._prior_counts
        if len(counts) == 1 and sum(counts.values()) >= 2:
            return next(iter(counts))
        return None

    @cached_property
    def usual_prior(self) -> str | None:
        """The failed treatment the document names most often (twice or more, more often than any other)."""
        ranked = self._prior_counts.most_common(2)
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return None

    def specialise(self, concept: str) -> str:
        """A generic failed treatment ('surgery') read as the one narrower treatment the document names
        as failed elsewhere ('radical prostatectomy')."""
        found = self._specialised.get(concept)
        if found is None:
            found = self._specialised[concept] = self._specialise(concept)
        return found

    def _specialise(self, concept: str) -> str:
        generic = self.term.concepts.get(concept)
        if generic is not None and is_type(generic.type, "SystemicTherapy") and (
                not DRUG_MODALITY.search(generic.label) or DRUG_CLASS.search(generic.label)):
            return concept  # a class of drugs ('benzodiazepines', 'anti-TNF therapy') names every member tried
        narrower = {m.concept for v in self.views for m in v.priors
                    if m.concept != concept and concept in self.concept_ancestors(m.concept) and "salvage" not in m.concept}
        narrower = {c for c in narrower if not any(c != o and c in self.concept_ancestors(o) for o in narrower)}
        if len(narrower) != 1:
            return concept
        (only,) = narrower
        # "after radiotherapy or brachytherapy" names two different failed treatments: keep both apart
        if any({concept, only} <= {m.concept for m in v.priors} for v in self.views):
            return concept
        return only

    @cached_property
    def main_therapy(self) -> str | None:
        """The therapy the document is mostly about (title mentions count three times)."""
        counts: Counter[str] = Counter()
        for v in self.views:
            for m in v.of("Therapy"):
                if m not in v.priors:
                    counts[m.concept] += 3 if v.s.kind == "title" else 1
        return _top(counts)

    def radiorecurrent(self, view: SentenceView) -> bool:
        return bool(RADIORECURRENT.search(view.text))


@lru_cache(maxsize=None)
def _type_ancestors(type_name: str) -> frozenset[str]:
    from ..ontology.schema import ancestors

    return frozenset(ancestors(type_name))


def is_type(type_name: str, class_name: str) -> bool:
    """Whether an ontology class is `class_name` or one of its subclasses."""
    return class_name in _type_ancestors(type_name)


def reirradiation_kind(term, concept: str) -> str | None:
    """Radiotherapy given again where it was given before is re-irradiation: the kind of it the terminology
    holds ('repeat SBRT': stereotactic re-irradiation), else re-irradiation itself; None for other treatments."""
    known = term.concepts.get(concept)
    if "reirradiation" not in term.concepts or known is None or not is_type(known.type, "Radiotherapy"):
        return None
    kinds = [n for n in term.narrower(concept) if "reirradiation" in term.concepts[n].broader]
    return kinds[0] if len(kinds) == 1 else "reirradiation"


def _top(counts: Counter) -> str | None:
    if not counts:
        return None
    best = max(counts.values())
    return sorted(c for c, n in counts.items() if n == best)[0]
