"""Document -> statements with evidence: the loaders' single entry point.

The steps: split the text into sentences with their structure; find concept mentions (terminology,
abbreviations the document defines, unknown drug names, unknown therapies listed where therapies
must be); then let each relation extractor read every sentence with the context it needs.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..assertions import ConceptDeclaration, Document, Evidence, Statement
from . import arms, citations, claims, condition_names, definitions, effect_mentions, effects, indications, measures, results
from . import patterns as p
from .context import AFTER_SUFFIX, DocumentContext, M, is_type, reirradiation_kind
from .prefilter import prefiltered
from .recognize import slugify
from .structure import sentences

LIST_CUE = re.compile(r"\b(?:options? (?:include|are)|include|including|such as|regimens? (?:include|like|are)|"
                      r"e\.g\.|consists? of|namely)\b[:,]?\s*", re.I)
LIST_CUE = prefiltered(LIST_CUE)  # skips text without the words it needs
THERAPY_HEAD = (
    (re.compile(r"(?:chemotherapy|regimen)$", re.I), "Chemotherapy"),
    (re.compile(r"(?:radiotherapy|radiation(?: therapy)?|irradiation|brachytherapy)$", re.I), "Radiotherapy"),
    (re.compile(r"(?:ectomy|surgery|resection|dissection)$", re.I), "Surgery"),
    (re.compile(r"(?:ablation|hifu)$", re.I), "Ablation"),
    (re.compile(r"transplant(?:ation)?$", re.I), "Transplantation"),
    (re.compile(r"(?:immunotherapy)$", re.I), "Immunotherapy"),
    (re.compile(r"(?:therapy|treatment)$", re.I), "Therapy"),
)
JOINED = re.compile(r"\s(?:combined with|in combination with|together with|plus)\s", re.I)
COMBINATION = re.compile(r"\s(?:combined with|plus|with|and)\s", re.I)
ANAPHORIC = re.compile(r"^\s*(?:both|these|this|the (?:two )?(?:associations?|differences?|results?)|all|each)\b",
                       re.I)
GENERIC_OF = {"Chemotherapy": "chemotherapy", "Radiotherapy": "radiotherapy", "Surgery": "surgery",
              "Ablation": "ablation", "Transplantation": "transplantation", "Immunotherapy": "immunotherapy"}


@lru_cache(maxsize=1)
def _defaults():
    from ..ontology.terminology import default_terminology
    from .recognize import Recognizer

    term = default_terminology()
    return term, Recognizer(term)


def warm_up() -> None:
    """Build the default terminology, its lookup index and the recogniser now (e.g. once, before forking)."""
    terminology, _ = _defaults()
    terminology.lookup("salvage therapy")


def extract(doc: Document, terminology=None, recognizer=None) -> list[Statement]:
    """Every statement the document supports, each with evidence quoting it exactly."""
    if terminology is None or recognizer is None:
        terminology, recognizer = _defaults()
    sents = sentences(doc.text)
    declarations, extra = _abbreviations(doc, recognizer, terminology)
    found = recognizer.find(doc.text, extra)
    # a name the document coins in words ('brexu-cel') has its declared type; an acronym stays untyped, unless
    # it names a combination of treatments ('rituximab combined with lenalidomide, known as R2')
    declared = {d.concept: d.type for d in declarations}
    combined = {d.concept for d in declarations if is_type(d.type or "", "Therapy") and COMBINATION.search(d.label)}
    mentions = [M(m.start, m.end, m.concept, declared.get(m.concept, m.type)
                  if m.provisional and (not m.text.isupper() or m.concept in combined) else m.type, m.text)
                for m in found]
    mentions = _merge(mentions, [M(m.start, m.end, m.concept, m.type, m.text)
                                 for m in recognizer.drug_candidates(doc.text)])
    mentions = _merge(mentions, [M(m.start, m.end, m.concept, m.type, m.text)
                                 for m in recognizer.class_candidates(doc.text)])
    mentions = condition_names.with_conditions(doc.text, mentions, terminology.lookup)
    starts, ends = {m.start for m in mentions}, {m.end for m in mentions}
    mentions = [m for m in mentions if not IN_ENDPOINT.match(doc.text, m.end)  # "ADT-free survival"
                and not _in_acronym_name(doc.text, m, starts, ends)]
    mentions = _salvage_forms(doc, mentions, terminology)
    mentions = _freedom_forms(doc, mentions, terminology)
    mentions = _salvage_short_names(doc, mentions, terminology)
    mentions, repeat_declarations = _repeat_forms(doc, mentions, terminology)
    declarations.extend(repeat_declarations)
    mentions, alone_declarations = _alone_forms(doc, mentions, terminology)
    declarations.extend(alone_declarations)
    mentions = _drug_based_regimens(doc, mentions, terminology)
    mentions = _merge(mentions, _coordinated(doc, terminology))
    variant_declarations, variants = arms.qualified_variants(doc, mentions, terminology)
    mentions = arms.with_combinations(mentions, variants)
    combo_declarations, combos = arms.combination_arms(doc, mentions, terminology)
    combo_declarations += variant_declarations
    combos += arms.inserted_salvage(doc, mentions, terminology)
    mentions = arms.with_combinations(mentions, combos)
    coined, new_mentions = _listed_therapies(doc, sents, mentions)
    mentions = _merge(mentions, new_mentions)
    mentions = _merge(mentions, _recommended_subjects(doc, sents, mentions))
    mentions = _merge(mentions, effect_mentions.listed_effects(doc, sents, mentions))
    mentions = _merge(mentions, claims.assessment_mentions(doc, sents, mentions))
    declarations.extend(combo_declarations)
    declarations.extend(_declare_drugs(doc, mentions, terminology, {d.concept for d in declarations}))
    mentions = _collapse_glosses(doc, mentions, terminology)
    ctx = DocumentContext(doc, sents, mentions, terminology)

    out: list[Statement] = list(declarations) + coined
    cohorts = measures.cohort_sizes(ctx)
    previous_term = None
    previous = None
    cites = citations.citations(ctx)
    cited = {(e.start, e.end) for c in cites for e in c.evidence}
    for v in ctx.views:
        if any(a <= v.s.start and v.s.end <= b for a, b in cited):
            continue  # a reference list entry: its title is not a claim of this document
        crit = measures.criteria(ctx, v)
        durs = measures.durations(ctx, v)
        out.extend(crit)
        out.extend(durs)
        defs = definitions.definitions(ctx, v, previous_term)
        out.extend(indications.indications(ctx, v, crit, durs, defined={d.term for d in defs}))
        out.extend(_beside_definitions(ctx, v, effects.adverse_effects(ctx, v), defs))
        out.extend(results.outcomes(ctx, v, cohorts))
        out.extend(claims.prerequisites(ctx, v))
        out.extend(defs)
        if defs:
            previous_term = defs[0].term
        elif v.s.kind in ("heading", "title"):
            previous_term = None
        if previous is not None:
            _carry_p_value(v, previous, out)
        previous = v
    out.extend(measures.declarations(ctx))
    out.extend(cites)
    out.extend(_declare_missing(out, terminology))
    _check_evidence(doc, out)
    return out


def _beside_definitions(ctx: DocumentContext, v, harms: list, defs: list) -> list:
    """'Differentiation syndrome is a complication of ..., presenting with fever, weight gain ...': the signs a
    sentence lists to define a harm are that harm's, not harms of their own."""
    first = v.mentions[0] if v.mentions else None
    if first is None or v.text[:first.start - v.s.start].strip(" *_#>-\t") or \
            not is_type(getattr(ctx.term.concepts.get(first.concept), "type", "Concept"), "AdverseEffect") or \
            first.concept not in {d.term for d in defs}:
        return harms  # only a sentence that opens with the harm it defines lists that harm's signs
    return [h for h in harms if h.effect == first.concept]


IN_ENDPOINT = re.compile(r"-(?:free|naive|naïve|exposed|experienced|refractory|resistant)\b", re.I)
SALVAGE_PREFIX = re.compile(r"\b(?:salvage|rescue)[ -]+$", re.I)
COORDINATED = re.compile(
    r"\b((?:[a-z]+,\s+)+(?:and|or)\s+|[a-z]+\s+(?:and|or)\s+)([a-z]+)\s+(function|dysfunction|side[- ]effects?|"
    r"problems?|toxicit(?:y|ies)|complications?|symptoms?|changes|issues)\b", re.I)
COORDINATED = prefiltered(COORDINATED)
COORDINATED_STRETCH = re.compile(r"[\w\s,-]*")  # what it is made of: searched only in runs of these around its words
HEAD_FALLBACKS = ("side effect", "toxicity", "dysfunction", "problem", "complication")


REGIMEN_TAIL = re.compile(r"-(?:containing|based)\s+((?:(?:dual|triple|quadruple|combination|first-line|second-line|"
                          r"standard)\s+)?(?:therapy|therapies|regimens?|treatments?|chemotherapy))\b", re.I)
SUSPENDED = re.compile(r"-\s*(?:,|and|or)\s+", re.I)


def _drug_based_regimens(doc: Document, mentions: list[M], terminology) -> list[M]:
    """'clarithromycin-containing triple therapy', 'cisplatin-based regimens', 'clarithromycin- and
    levofloxacin-containing regimens': a regimen named by its drug is a therapy of its own."""
    out: list[M] = []
    for i, m in enumerate(mentions):
        if not is_type(m.type, "Therapy"):
            out.append(m)
            continue
        tail = REGIMEN_TAIL.match(doc.text, m.end)
        suspended = SUSPENDED.match(doc.text, m.end)
        if suspended and i + 1 < len(mentions):  # borrow the tail of the next drug
            tail = REGIMEN_TAIL.match(doc.text, mentions[i + 1].end) if mentions[i + 1].start == suspended.end() \
                else None
            end = m.end
        else:
            end = tail.end() if tail else m.end
        if not tail:
            out.append(m)
            continue
        concept = terminology.concepts.get(m.concept)
        head = re.sub(r"\s+", " ", tail.group(1).lower())
        name = f"{concept.label if concept else m.text.lower()} {head}"
        found = [c for c in terminology.lookup(name) if is_type(c.type, "Therapy")]
        if found:
            out.append(M(m.start, end, found[0].id, found[0].type, doc.text[m.start:end]))
        else:
            name = f"{m.text}-{tail.group(0)[1:].split()[0]} {head}"  # "clarithromycin-containing regimens"
            out.append(M(m.start, end, slugify(name), m.type, name))
    known = set(mentions)
    spans = [(m.start, m.end) for m in out if m not in known]
    return [m for m in out if m not in known or not any(a <= m.start and m.end <= b for a, b in spans)]


def _in_acronym_name(text: str, m: M, starts: set[int], ends: set[int]) -> bool:
    """'PRISM-RT': an abbreviation hyphenated to a word that names nothing (a trial, a test) is part of that
    name; 'BV-ICE', whose parts are both therapies, stays."""
    if not m.text.isupper():
        return False
    before = re.search(r"[A-Z0-9]{2,}-$", text[max(0, m.start - 12):m.start])
    after = re.match(r"-[A-Z0-9]", text[m.end:m.end + 3])
    return bool((before and (m.start - 1) not in ends) or (after and (m.end + 1) not in starts))


def _salvage_forms(doc: Document, mentions: list[M], terminology) -> list[M]:
    """'salvage RT' is salvage radiotherapy, not radiotherapy: take the salvage form where one exists."""
    out = []
    for m in mentions:
        lead = doc.text[max(0, m.start - 12):m.start]
        hit = SALVAGE_PREFIX.search(lead)
        concept = terminology.concepts.get(m.concept)
        if hit and concept and "salvage" not in concept.label:
            found = [c for c in terminology.lookup("salvage " + concept.label) if c.id != m.concept]
            if found:
                start = m.start - (len(lead) - hit.start())
                out.append(M(start, m.end, found[0].id, found[0].type, doc.text[start:m.end]))
                continue
        out.append(m)
    return out


FREEDOM_FROM = re.compile(r"\b(?:freedom\s+from|free\s+(?:of|from))\s+(?:any\s+|further\s+)?"
                          r"((?:[A-Za-z][\w]*[- ]){0,3}[A-Za-z][\w]*)", re.I)


def _freedom_forms(doc: Document, mentions: list[M], terminology) -> list[M]:
    """'freedom from biochemical progression' is 'biochemical progression-free survival': an endpoint named as
    freedom from an event ('were free of biochemical recurrence') is the event-free measure, whichever way the
    terminology spells it."""
    found: list[M] = []
    for hit in FREEDOM_FROM.finditer(doc.text):
        words = list(re.finditer(r"[A-Za-z]\w*", hit.group(1)))
        for n in range(len(words), 0, -1):  # the longest event the terminology has a measure for
            end = hit.start(1) + words[n - 1].end()
            event = " ".join(w.group(0) for w in words[:n])
            measures = [c for name in (f"{event}-free survival", f"{event} free survival", f"{event}-free rate")
                        for c in terminology.lookup(name) if c.type == "OutcomeMeasure"]
            if measures:
                found.append(M(hit.start(), end, measures[0].id, measures[0].type, doc.text[hit.start():end]))
                break
    if not found:
        return mentions
    inside = {m for f in found for m in mentions if f.start < m.end and m.start < f.end}
    return sorted([m for m in mentions if m not in inside] + found, key=lambda m: (m.start, -m.end))


SALVAGE_WORD = re.compile(r"^(?:salvage|rescue)[ -]+", re.I)


def _salvage_short_names(doc: Document, mentions: list[M], terminology) -> list[M]:
    """'salvage cryoablation ... 47.5% after cryoablation': once a document names a salvage treatment, the
    bare name of the treatment (or of its broader kind: 'prostatectomy' for 'salvage radical prostatectomy')
    refers to it, unless the document names that treatment as the failed one anywhere."""
    salvage_of: dict[str, M] = {}
    for m in mentions:
        hit = SALVAGE_WORD.match(m.text)
        if hit and is_type(m.type, "Therapy"):
            for base in terminology.lookup(m.text[hit.end():]):
                for cid in (base.id, *_ancestors(terminology, base.id)):
                    if cid not in GENERIC_THERAPIES and not cid.startswith("salvage"):
                        salvage_of.setdefault(cid, m)
    if not salvage_of:
        return mentions
    failed = {m.concept for m in mentions if m.concept in salvage_of and _named_as_failed(doc.text, m)}
    out = []
    for m in mentions:
        form = salvage_of.get(m.concept) if m.concept not in failed else None
        if form and (_in_prior_slot(doc.text, m) or DEFINING_AFTER.match(doc.text, m.end)
                     or GLOSS_BEFORE.search(doc.text, max(0, m.start - 25), m.start)):
            form = None  # 'salvage RT after RT'; 'Cryotherapy is ...' defines the treatment itself
        out.append(M(m.start, m.end, form.concept, form.type, m.text) if form else m)
    return out


GLOSS_BEFORE = re.compile(r"\((?:also called|also known as|sometimes called|or|i\.e\.,?)?\s*$", re.I)
DEFINING_AFTER = re.compile(r"\s*(?:\((?:also called|also known as|sometimes called|or|i\.e\.)\b|(?:\([^)]*\)\s*)?"
                            r"(?:is|are|uses|means|refers)\b)", re.I)


def _in_prior_slot(text: str, m: M) -> bool:
    """After a failed-treatment cue, or listed with a treatment that follows one ('after RT or brachytherapy')."""
    lead = text[max(0, m.start - 45):m.start]
    if p.PRIOR_CUE.search(lead) and not p.RESULT_AFTER_TREATMENT.search(lead):
        return True
    wide = text[max(0, m.start - 90):m.start]
    return bool(re.search(r"(?:,|\bor|\band)\s+$", wide) and re.search(r"\b(?:after|following)\s", wide))


GENERIC_THERAPIES = {"therapy", "surgery", "radiotherapy", "chemotherapy", "systemic-therapy", "local-therapy",
                     "ablation", "transplantation", "immunotherapy", "hormone-therapy", "focal-therapy"}
# "recurrence after X", "salvage prostatectomy after X", "failure of X": X is the failed treatment; a bare
# "after X" may be a result's ("58% after X") and says nothing
FAILED_BEFORE_NAME = re.compile(
    r"\b(?:failure of|failed|despite|previous(?:ly)?|prior|initial|primary|definitive|refractory to|resistant to|"
    r"(?:recurren(?:ce|t)|relapsed?|relapsing|progression|persistent|persistence|recurring|rising PSA)"
    r"(?:\s+[\w-]+){0,3}\s+(?:after|following)|(?:salvage|rescue)(?:\s+[\w-]+){1,4}\s+(?:after|following)|"
    r"previously treated with|treated with)\s+(?:the\s+|a\s+|an\s+)?$", re.I)


def _named_as_failed(text: str, m: M) -> bool:
    return bool(FAILED_BEFORE_NAME.search(text[max(0, m.start - 60):m.start])
                or AFTER_SUFFIX.match(text[m.end:m.end + 40]))


# "a second autologous stem-cell transplant", "redo fundoplication", "a second induction course of BCG"
REPEAT_PREFIX = re.compile(r"\b(?:second|third|fourth|repeat(?:ed)?|redo|re-do)\s+"
                           r"(?:(?:induction\s+|full\s+|short\s+)?(?:course|round|cycle)s?\s+of\s+)?$", re.I)
# "a second CAR-T infusion": the unit of treatment repeated belongs to the name
REPEATED_UNIT = re.compile(r"\s+(?:infusion|course|cycle|session|dose|procedure|operation)s?\b", re.I)
REPEAT_IN_LABEL = re.compile(r"\b(?:second|third|repeat|redo|re-)", re.I)


def _repeat_forms(doc: Document, mentions: list[M], terminology) -> tuple[list[M], list[ConceptDeclaration]]:
    """'a second transplant', 'repeat focal HIFU': the failed treatment given again is a therapy of its own
    (narrower than the treatment it repeats), so that it is not taken for the failed one."""
    out: list[M] = []
    declared: dict[str, ConceptDeclaration] = {}
    repeats: list[tuple[str, str, str]] = []  # (repeat word, repeated concept, coined concept), in text order
    for m in mentions:
        lead = doc.text[max(0, m.start - 40):m.start]
        hit = REPEAT_PREFIX.search(lead) if is_type(m.type, "Therapy") else None
        known = terminology.concepts.get(m.concept)
        if hit is None or "second-line" in m.concept or (known and REPEAT_IN_LABEL.search(known.label)):
            out.append(m)
            continue
        start = m.start - (len(lead) - hit.start())
        tail = REPEATED_UNIT.match(doc.text, m.end)
        end = tail.end() if tail else m.end
        name = doc.text[start:end]
        again = reirradiation_kind(terminology, m.concept)
        if again and not _is_brachytherapy(m.concept, terminology):
            # "a second course of external beam radiotherapy" is a known treatment: re-irradiation
            # ("repeat brachytherapy" keeps its own name: an implant is placed anew)
            out.append(M(start, end, again, terminology.concepts[again].type, name))
            continue
        word = hit.group(0).split()[0].lower()
        cid = _earlier_repeat(repeats, word, m.concept, terminology) or slugify(name)
        repeats.append((word, m.concept, cid))
        out.append(M(start, end, cid, m.type, name))
        if cid not in terminology.concepts and cid not in declared:
            broader = (m.concept,) if known else _generic(m.type, terminology)
            declared[cid] = ConceptDeclaration(concept=cid, type=m.type, label=re.sub(r"\s+", " ", name.lower()),
                                               broader=broader, evidence=(Evidence(doc.id, start, end, name),))
    return out, list(declared.values())


def _is_brachytherapy(concept: str, terminology) -> bool:
    return concept == "brachytherapy" or "brachytherapy" in terminology.ancestors(concept)


ALONE = re.compile(r"\s+alone\b", re.I)


def _alone_forms(doc: Document, mentions: list[M], terminology) -> tuple[list[M], list[ConceptDeclaration]]:
    """'radiotherapy alone', 'ADT alone': a therapy given without the others a document compares it with is an
    arm or option of its own (narrower than the therapy), not the therapy in every setting."""
    out: list[M] = []
    declared: dict[str, ConceptDeclaration] = {}
    for m in mentions:
        tail = ALONE.match(doc.text, m.end) if is_type(m.type, "Therapy") else None
        base = terminology.concepts.get(m.concept)
        if tail is None or _in_prior_slot(doc.text, m):  # 'after surgery alone', 'progressed on anti-PD-1 alone'
            out.append(m)
            continue
        label = (base.label if base else " ".join(m.text.lower().split())) + " alone"
        known = [c for c in terminology.lookup(label) if is_type(c.type, "Therapy")]
        cid = known[0].id if known else slugify(label)
        name = doc.text[m.start:tail.end()]
        out.append(M(m.start, tail.end(), cid, m.type, name))
        if not known and cid not in declared:
            written = " ".join(name.split())  # the name as written is an alternative label ("ATO-ATRA alone")
            shorts = tuple(sorted({f"{a} alone" for a in (base.abbreviations if base else ())}
                                  | ({written} if written.lower() != label else set())))
            declared[cid] = ConceptDeclaration(concept=cid, type=m.type, label=label, abbreviations=shorts,
                                               broader=(m.concept,) if base else _generic(m.type, terminology),
                                               evidence=(Evidence(doc.id, m.start, tail.end(), name),))
    return out, list(declared.values())


def _earlier_repeat(repeats: list[tuple[str, str, str]], word: str, base: str, terminology) -> str | None:
    """'repeat focal HIFU' ... 'after repeat HIFU': a later, shorter name of a repeated treatment (its base the
    same or broader) refers to the repeat form named before."""
    for earlier_word, earlier_base, cid in reversed(repeats):
        if earlier_word == word and (earlier_base == base or base in _ancestors(terminology, earlier_base)):
            return cid
    return None


def _ancestors(terminology, concept: str) -> tuple[str, ...]:
    try:
        return tuple(terminology.ancestors(concept))
    except KeyError:
        return ()


def _coordinated(doc: Document, terminology) -> list[M]:
    """'urinary, sexual, and bowel function': each modifier names its own effect."""
    out = []
    for hit in COORDINATED.finditer_around(doc.text, COORDINATED_STRETCH):
        head = hit.group(3).lower()
        words = [(w.start(), w.end(), w.group(0)) for w in re.finditer(r"[A-Za-z]+", hit.group(1))
                 if w.group(0).lower() not in ("and", "or")]
        words = [(hit.start(1) + a, hit.start(1) + b, w) for a, b, w in words]
        words.append((hit.start(2), hit.end(2), hit.group(2)))
        for start, end, word in words:
            for h in (head,) + HEAD_FALLBACKS:
                found = [c for c in terminology.lookup(f"{word} {h}") if c.type == "AdverseEffect"]
                if found:
                    out.append(M(start, end, found[0].id, found[0].type, word))
                    break
    return out


GLOSS_GAP = re.compile(r"^\s*\((?:also called |also known as |or |i\.e\.,? |sometimes known as )?$", re.I)


def _collapse_glosses(doc: Document, mentions: list[M], terminology) -> list[M]:
    """'salvage HIFU (high-intensity focused ultrasound)', 'removal of the prostate (radical prostatectomy)':
    a parenthesised gloss names the same thing; keep one mention with the more specific concept."""
    from ..ontology.schema import ancestors

    def family(m):
        return ancestors(m.type)[-2] if len(ancestors(m.type)) > 1 else m.type

    def depth(m):
        try:
            return len(terminology.ancestors(m.concept))
        except KeyError:
            return 1

    out: list[M] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt and family(m) == family(nxt) and GLOSS_GAP.match(doc.text[m.end:nxt.start]) \
                and doc.text[nxt.end:nxt.end + 1] == ")":
            # "enzalutamide combined with androgen deprivation therapy (ADT)": the abbreviation glosses the
            # combination's last part only, so the combination stays
            keep = m if JOINED.search(m.text) and nxt.text.isupper() else _preferred(m, nxt, terminology, depth)
            end = nxt.end + 1  # the closing parenthesis belongs to the gloss
            out.append(M(m.start, end, keep.concept, keep.type, doc.text[m.start:end]))
            i += 2
            continue
        out.append(m)
        i += 1
    return out


def _preferred(outer: M, gloss: M, terminology, depth) -> M:
    """Of a term and its gloss, the one written as a concept's own label or abbreviation (the technical name:
    'brachytherapy (seed implants)', 'removal of the prostate (radical prostatectomy)'); else the more specific."""
    def technical(m):
        c = terminology.concepts.get(m.concept)
        return c is not None and (m.text.lower() == c.label.lower() or m.text in c.abbreviations
                                  or bool(re.search(r"\b[A-Z]{2,}\b", m.text)))

    if technical(outer) != technical(gloss):
        return outer if technical(outer) else gloss
    return gloss if depth(gloss) > depth(outer) else outer


def _merge(known: list[M], extra: list[M]) -> list[M]:
    """Add mentions that overlap none of the known ones; keep the list sorted."""
    taken = [(m.start, m.end) for m in known]
    added = [m for m in extra if not any(a < m.end and m.start < b for a, b in taken)]
    return sorted(known + added, key=lambda m: (m.start, -m.end))


def _abbreviations(doc: Document, recognizer, terminology) -> tuple[list[ConceptDeclaration], dict[str, str]]:
    """Abbreviations the document defines: known long forms gain an alias; unknown ones become concepts."""
    declarations: list[ConceptDeclaration] = []
    extra: dict[str, str] = {}
    for d in recognizer.defined_abbreviations(doc.text):
        if d.concept is None and terminology.lookup(d.short):
            # "ICE (ifosfamide, carboplatin, etoposide)": the spelled-out regimen names a known concept; "salvage
            # whole-gland cryoablation (SCA)": written in other letter cases, the short form is that concept's
            known = [c for c in terminology.lookup(d.short) if d.type and is_type(d.type, "Therapy")
                     and is_type(c.type, "Therapy")]
            if len(known) == 1:
                extra[d.short] = known[0].id
            continue
        start, end = min(d.long_start, d.short_start), max(d.long_end, d.short_end)
        ev = Evidence(doc.id, start, end, doc.text[start:end])
        if d.concept:
            concept = terminology.get(d.concept)
            if d.short not in concept.abbreviations:
                declarations.append(ConceptDeclaration(concept=d.concept, type=concept.type, label=concept.label,
                                                       abbreviations=(d.short,), provisional=False, evidence=(ev,)))
            extra[d.short] = d.concept
        elif d.type and is_type(d.type, "Therapy"):
            cid = slugify(d.long)
            declarations.append(ConceptDeclaration(concept=cid, type=d.type, label=d.long.lower(),
                                                   abbreviations=(d.short,), evidence=(ev,)))
            extra[d.short] = cid
            extra[d.long] = cid
    return declarations, extra


def _declare_drugs(doc: Document, mentions: list[M], terminology, declared: set[str]) -> list[ConceptDeclaration]:
    out = []
    for m in mentions:
        if m.concept not in terminology.concepts and m.concept not in declared:
            ev = Evidence(doc.id, m.start, m.end, doc.text[m.start:m.end])
            out.append(ConceptDeclaration(concept=m.concept, type=m.type, label=m.text.lower() if not m.text.isupper()
                                          else m.text, broader=_generic(m.type, terminology), evidence=(ev,)))
    return out


def _generic(type_name: str, terminology) -> tuple[str, ...]:
    cid = GENERIC_OF.get(type_name)
    return (cid,) if cid and cid in terminology.concepts else ()


def _listed_therapies(doc: Document, sents, mentions: list[M]) -> tuple[list[Statement], list[M]]:
    """Unknown names in a list of therapies ('options include A, B, or C'), added as provisional concepts."""
    new: list[M] = []
    for s in sents:
        cue = LIST_CUE.search(s.text)
        if not cue:
            continue
        body_start = s.start + cue.end()
        body_end = s.end
        inside = [m for m in mentions if body_start <= m.start < body_end]
        if not any(is_type(m.type, "Therapy") for m in inside):
            continue
        pos = body_start
        for item in re.split(r",\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+", doc.text[body_start:body_end]):
            start = doc.text.find(item, pos)
            pos = start + len(item)
            name = item.strip().rstrip(".;:")
            if not name or len(name.split()) > 5 or any(start <= m.start < start + len(item) for m in mentions):
                continue
            kind = _therapy_kind(name)
            if kind:
                offset = start + item.index(name)
                new.append(M(offset, offset + len(name), slugify(name), kind, name))
    return [], new


# "Bacteriophage therapy is investigational", "Knee fusion may be considered": the subject of a recommendation's
# wording is a treatment even where the terminology lacks its name
RECOMMENDED_SUBJECT = re.compile(
    r"^\s*(?:[-*•]\s+)?(?P<np>(?!(?i:the|this|that|these|those|such|any|no|further|other|more|additional|all|some|"
    r"each|every|which|it|they|there|treatment|therapy)\b)[A-Z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)\s+"
    r"(?:(?:is|are|remains?)\s+(?:(?:now|still|also|generally|usually|strongly)\s+)?(?:not\s+)?(?:recommended|"
    r"investigational|experimental|preferred|(?:an?|the)\s+(?:\w+\s+)?(?:option|alternative|last resort))|"
    r"(?:should|may|can|could|must)\s+(?:\w+\s+)?(?:not\s+)?be\s+(?:offered|considered|used|tried|given))\b")
MORE_THERAPY_HEADS = ((re.compile(r"(?:fusion|amputation|arthrodesis|revision|repair|reconstruction)$", re.I), "Surgery"),
                      (re.compile(r"(?:stimulation|augmentation|rechallenge|salvage|infusion|injections?)$", re.I),
                       "Therapy"))


def _recommended_subjects(doc: Document, sents, mentions: list[M]) -> list[M]:
    new = []
    for s in sents:
        if s.kind not in ("paragraph", "bullet"):
            continue
        hit = RECOMMENDED_SUBJECT.match(s.text)
        if not hit:
            continue
        start, end = s.start + hit.start("np"), s.start + hit.end("np")
        if any(m.start < end and start < m.end for m in mentions):
            continue
        name = hit.group("np")
        kind = _therapy_kind(name) or next((k for rx, k in MORE_THERAPY_HEADS if rx.search(name)), None)
        if kind:
            new.append(M(start, end, slugify(name.lower() if not name.isupper() else name), kind, name))
    return new


def _therapy_kind(name: str) -> str | None:
    for rx, kind in THERAPY_HEAD:
        if rx.search(name):
            return kind
    if re.fullmatch(r"[A-Z][A-Za-z]{1,5}", name) and sum(c.isupper() for c in name) >= 2:
        return "Therapy"
    return None


def _carry_p_value(v, previous, statements: list[Statement]) -> None:
    """'Both associations were significant (P<0.001).' qualifies the previous sentence's statements:
    they get its p-value, and their evidence grows to quote both sentences."""
    from dataclasses import replace

    from . import patterns as p

    if not ANAPHORIC.match(v.text):  # anchored, so cheaper than the search: first
        return
    hit = p.P_VALUE.search(v.text)
    if not hit or v.of("AdverseEffect", "OutcomeMeasure"):
        return
    if v.s.block != previous.s.block and v.s.kind != previous.s.kind:
        return
    value = f"{'<' if hit.group('cmp') == '&lt;' else hit.group('cmp')}{hit.group('val')}"
    for i, st in enumerate(statements):
        if getattr(st, "p_value", "") is None and st.evidence and st.evidence[0].start == previous.s.start:
            significant = ({"significant": True} if getattr(st, "significant", False) is None
                           and p.SIGNIFICANCE_POS.search(v.text) else {})
            statements[i] = replace(st, p_value=value, evidence=(previous.evidence(through=v),), **significant)


# The class a concept must have, from the role it plays in a statement.
ROLE_TYPES = {"therapy": "Therapy", "arm": "Therapy", "after": "Therapy", "combined_with": "Therapy",
              "comparator": "Therapy", "conditions": "Condition", "effect": "AdverseEffect",
              "measure": "OutcomeMeasure", "parameter": "ClinicalParameter", "requirement": "DiagnosticProcedure",
              "term": "Concept", "contrasted_with": "Concept"}


@lru_cache(maxsize=None)
def _fields(cls) -> tuple:
    """A statement class's fields, made once (`dataclasses.fields` makes them anew at every call)."""
    from dataclasses import fields

    return fields(cls)


def _declare_missing(statements: list[Statement], terminology) -> list[ConceptDeclaration]:
    """Every concept a statement names must be typed and labelled: declare the ones coined on the way."""
    declared = {s.concept for s in statements if isinstance(s, ConceptDeclaration)}
    out: dict[str, ConceptDeclaration] = {}
    stack = list(statements)
    while stack:
        st = stack.pop()
        for f in _fields(type(st)):
            value = getattr(st, f.name)
            if isinstance(value, Statement):
                stack.append(value)
            elif isinstance(value, tuple) and value and isinstance(value[0], Statement):
                stack.extend(value)
            elif f.metadata.get("concept"):
                for cid in (value if isinstance(value, tuple) else (value,)):
                    if cid and cid not in terminology.concepts and cid not in declared and cid not in out:
                        out[cid] = ConceptDeclaration(concept=cid, type=ROLE_TYPES.get(f.name, "Concept"),
                                                      label=cid.replace("-", " "), evidence=st.evidence[:1])
    return [out[k] for k in sorted(out)]


def _check_evidence(doc: Document, statements: list[Statement]) -> None:
    for st in statements:
        for e in st.evidence:
            if doc.text[e.start:e.end] != e.quote:
                raise AssertionError(f"{doc.path}: evidence span {e.start}-{e.end} does not match its quote")
