"""Finding concept mentions in text: terminology terms, abbreviations a document defines for itself,
and drug names the terminology does not know yet.

All terms go into two Aho-Corasick automata built once per terminology: one over a folded copy of
the text (lower case, dashes and runs of spaces as one space, British spelling as American) for
labels and synonyms, one over a case-kept copy for abbreviations, which must match exactly. Offsets
found in the folded copy are mapped back to the original text.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

import ahocorasick

from ..ontology.terminology import (
    Terminology,
    apply_edits,
    fold_chars,
    is_acronym,
    lower_same_length,
    normalize,
    normalize_cased,
    text_edits,
    variants,
)
from ..ontology.schema import ancestors
from .prefilter import prefiltered


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    concept: str
    type: str
    provisional: bool = False


@dataclass(frozen=True)
class AbbreviationDef:
    """'long form (SHORT)' or 'SHORT (long form)' as a document writes it, with both spans."""

    long_start: int
    long_end: int
    long: str
    short_start: int
    short_end: int
    short: str
    concept: str | None  # the known concept the long form names, else None
    type: str | None  # the concept's class, or the class the long form's head word suggests


def slugify(label: str) -> str:
    """The id of a provisional concept: ASCII, lower case, words joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", fold_chars(label)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "concept"


# --------------------------------------------------------------------------------------------------
# The folded text and its map back to the original
# --------------------------------------------------------------------------------------------------

class _Folded:
    """`low` (case-folded) and `cased` copies of a text, aligned with each other, and the map of
    their offsets back to the original text."""

    def __init__(self, text: str):
        # Markdown emphasis inside a name ("*Clostridioides difficile* infection") is no part of it.
        translated = fold_chars(text).replace("*", " ")
        low = lower_same_length(translated)
        edits = text_edits(low)
        self.low = apply_edits(low, edits)
        self.cased = apply_edits(translated, edits, fit_case=True)
        # Breakpoints where lengths diverge: folded offset -> original offset.
        self._fold, self._orig = [0], [0]
        shift = 0
        for s, e, rep in edits:
            if len(rep) != e - s:
                self._fold.append(s + shift)
                self._orig.append(s)
                shift += len(rep) - (e - s)
                self._fold.append(e + shift)
                self._orig.append(e)

    def original(self, i: int) -> int:
        k = bisect_right(self._fold, i) - 1
        return self._orig[k] + (i - self._fold[k])


# --------------------------------------------------------------------------------------------------
# Automata
# --------------------------------------------------------------------------------------------------

# Abbreviations that are also English words: not trusted in lines written in capitals.
_WORDLIKE = {"AS", "ALL", "ART", "AIDS", "BEAM", "CAB", "CART", "ED", "FLAG", "ICE", "PET", "RICE", "TIP"}


def _add(table: dict, key: str, cid: str, rank: int) -> None:
    best = table.get(key)
    if best is None or rank < best[0]:
        table[key] = (rank, [cid])
    elif rank == best[0] and cid not in best[1]:
        best[1].append(cid)


def _cased_forms(term: str) -> set[str]:
    base = normalize_cased(term)
    forms = {base, base.replace(" ", "")} if "-" in term or "\u2010" in term else {base}
    if base[-1:].isalpha():
        forms |= {f + "s" for f in forms}
    return forms


def _tables(entries) -> tuple[dict, dict]:
    """entries: (surface form, concept id, case-sensitive?, rank) -> (folded table, cased table)."""
    folded, cased = {}, {}
    for term, cid, sensitive, rank in entries:
        if sensitive:
            base = normalize_cased(term)
            for f in _cased_forms(term):
                _add(cased, f, cid, rank if f == base else rank + 1)
        else:
            base = normalize(term)
            for v in variants(term):
                _add(folded, v, cid, rank if v == base else rank + 1)
    return folded, cased


def _automaton(table: dict):
    if not table:
        return None
    a = ahocorasick.Automaton()
    for key, (rank, ids) in table.items():
        if key:
            a.add_word(key, (len(key), tuple(sorted(ids)), rank))
    a.make_automaton()
    return a


# Phrases that contain an abbreviation but do not mean its concept ("RT" in "RT-PCR" is reverse
# transcription). They are matched like terms, win by length, and are then dropped.
_FALSE_FRIENDS = ("RT-PCR", "RT-qPCR", "qRT-PCR", "RT inhibitor", "RT mutation", "RT region", "RT gene",
                  "RT resistance", "HIV RT")


def _terminology_entries(terminology: Terminology):
    for phrase in _FALSE_FRIENDS:
        yield phrase, "", True, 0
    for c in terminology.concepts.values():
        for t in c.terms():
            yield t, c.id, is_acronym(t), 0
        for a in c.abbreviations:
            yield a, c.id, True, 0
        for prefix, abbreviation in _qualified_abbreviations(terminology, c):
            yield f"{prefix} {abbreviation}", c.id, True, 1


def _qualified_abbreviations(terminology: Terminology, c):
    """'metastatic CRPC': a concept named as a qualified broader concept ('metastatic' + 'castration-resistant
    prostate cancer') is also written with the broader concept's abbreviation."""
    label = c.label.lower()
    for b in c.broader:
        broader = terminology.concepts.get(b)
        if broader and broader.abbreviations and label.endswith(" " + broader.label.lower()):
            prefix = c.label[:len(c.label) - len(broader.label)].strip()
            for a in broader.abbreviations:
                yield prefix, a


@lru_cache(maxsize=8)
def _automata(terminology: Terminology):
    folded, cased = _tables(_terminology_entries(terminology))
    return _automaton(folded), _automaton(cased)


# --------------------------------------------------------------------------------------------------
# The recognizer
# --------------------------------------------------------------------------------------------------

class Recognizer:
    def __init__(self, terminology: Terminology):
        self.terminology = terminology
        self._folded, self._cased = _automata(terminology)

    def find(self, text: str, extra: dict[str, str] | None = None) -> list[Mention]:
        """Every concept mention, longest first, without overlaps, sorted by position.
        `extra` maps further surface forms (e.g. abbreviations the document defines) to concept
        ids; they win over the terminology where both match the same span."""
        if not text:
            return []
        f = _Folded(text)
        cands: list[tuple[int, int, int, str]] = []  # start, end, rank, concept (folded offsets)
        self._collect(self._folded, f.low, cands, 0)
        self._collect(self._cased, f.cased, cands, 0, text=text, folded=f)
        if extra:
            ef, ec = _tables((form, cid, is_acronym(form) or form.isupper(), 0)
                             for form, cid in extra.items() if form.strip())
            self._collect(_automaton(ef), f.low, cands, -10)
            self._collect(_automaton(ec), f.cased, cands, -10)

        low = f.low

        def weight(c):
            # "biochemical recurrence after radical prostatectomy" weighs only as its part before "after": an
            # overlapping qualified state ("high-risk biochemical recurrence") wins, and the failed treatment
            # is then read where the text names it
            s, e = c[0], c[1]
            cut = low.find(" after ", s, e) if e - s > 20 else -1
            return ((s - cut) if cut > 0 else (s - e), c[2], s)

        cands.sort(key=weight)
        taken = bytearray(len(f.low) + 1)
        chosen = []
        for s, e, rank, cid in cands:
            if taken.find(1, s, e) == -1:
                taken[s:e] = b"\x01" * (e - s)
                chosen.append((s, e, cid))
        chosen.sort()
        out = []
        for s, e, cid in chosen:
            if not cid:  # a false friend
                continue
            start, end = f.original(s), f.original(e)
            concept = self.terminology.concepts.get(cid)
            out.append(Mention(start, end, text[start:end], cid, concept.type if concept else "Concept",
                               provisional=concept is None))
        return out

    def _collect(self, automaton, s: str, cands: list, bias: int, text: str | None = None,
                 folded: _Folded | None = None) -> None:
        if automaton is None:
            return
        last = len(s) - 1
        for end, (length, ids, rank) in automaton.iter(s):
            start = end - length + 1
            # whole words only (tested inline: most hits lie inside longer words)
            if (end < last and s[end + 1].isalnum()) or (start and s[start - 1].isalnum()):
                continue
            stop = end + 1
            if text is not None and s[start:stop] in _WORDLIKE and _shouting(text, folded.original(start)):
                continue
            cands.append((start, stop, rank + bias, ids[0]))

    # --- abbreviations a document defines ---------------------------------------------------------

    def defined_abbreviations(self, text: str) -> list[AbbreviationDef]:
        """'long form (SF)' and 'SF (long form)' definitions whose letters plausibly match
        (Schwartz & Hearst 2003), each with the concept the long form names, if known."""
        out: list[AbbreviationDef] = []
        for m in _PAREN.finditer(text):
            inner = m.group(1)
            lead = len(inner) - len(inner.lstrip())
            short = _INNER_SEPARATOR.split(inner.strip())[0]
            s_start = m.start(1) + lead
            if _is_short_form(short):
                window_start = _window_start(text, m.start(), short)
                window = text[window_start:m.start()].rstrip()
                at = _long_form_start(short, window)
                if at is not None:
                    long_form = window[at:]
                    if _plausible(short, long_form):
                        out.append(self._definition(window_start + at, window_start + len(window), long_form,
                                                    s_start, s_start + len(short), short))
                        continue
            clipped = _clipped_long_form(text, m.start(), short)
            if clipped is not None:  # 'ciltacabtagene autoleucel (cilta-cel)'
                long_form = text[clipped:m.start()].rstrip()
                d = self._definition(clipped, clipped + len(long_form), long_form, s_start, s_start + len(short), short)
                if d.type is None:  # a drug the terminology lacks: typed by its stem
                    drugs = self.drug_candidates(long_form)
                    if len(drugs) == 1 and drugs[0].end - drugs[0].start == len(long_form):
                        d = replace(d, type=drugs[0].type)
                out.append(d)
                continue
            # 'SF (long form)': the token before the parenthesis is the short form
            base = max(0, m.start() - 20)
            before = _TOKEN_BEFORE.search(text[base:m.start()])
            if before and len(inner.split()) >= 2:
                sf = before.group(1).rstrip(".")
                body = inner.strip()
                if _is_short_form(sf) and len(body.split()) <= min(len(sf) + 5, 2 * len(sf)):
                    at = _long_form_start(sf, body)
                    if at == 0 and _plausible(sf, body):
                        sf_start = base + before.start(1)
                        out.append(self._definition(s_start, s_start + len(body), body, sf_start,
                                                    sf_start + len(sf), sf))
        for m in _KNOWN_AS.finditer(text):  # "rituximab combined with lenalidomide, known as R2, ..."
            short, long_form = m.group("short"), m.group("long")
            if (_is_short_form(short) and any(c.isupper() for c in short) and len(long_form.split()) <= 6
                    and long_form[0].lower() == short[0].lower()):
                out.append(self._definition(m.start("long"), m.end("long"), long_form, m.start("short"),
                                            m.end("short"), short))
        return out

    def _definition(self, ls, le, long_form, ss, se, short) -> AbbreviationDef:
        concept = self._resolve(long_form)
        if concept:
            ctype = self.terminology.concepts[concept].type
        else:
            ctype = self._head_type(long_form)
        return AbbreviationDef(ls, le, long_form, ss, se, short, concept, ctype)

    def _resolve(self, long_form: str) -> str | None:
        found = self.terminology.lookup(long_form)
        if found:
            return found[0].id
        mentions = self.find(long_form)
        if len(mentions) == 1 and mentions[0].end - mentions[0].start == len(long_form.strip()):
            return mentions[0].concept
        return None

    def _head_type(self, long_form: str) -> str | None:
        norm = normalize(long_form)
        if norm.startswith("time to "):  # time to progression, time to castration resistance
            return "OutcomeMeasure"
        for rx, type_name in _HEAD_TYPES:
            if rx.search(norm):
                return type_name
        mentions = self.find(long_form)
        if mentions and mentions[-1].end == len(long_form.rstrip()):
            return mentions[-1].type
        if "/" in long_form and " " not in long_form.strip():  # 'sofosbuvir/velpatasvir/voxilaprevir'
            drugs = mentions + self.drug_candidates(long_form)
            if len(drugs) == long_form.count("/") + 1 and all("Therapy" in ancestors(d.type) for d in drugs):
                return drugs[0].type
        return None

    # --- drug names the terminology lacks ---------------------------------------------------------

    def drug_candidates(self, text: str) -> list[Mention]:
        """Words with a drug-name stem (-mab, -vir, -nib, -platin, ...) that no terminology term
        covers, as provisional mentions typed by the class the stem suggests."""
        low = lower_same_length(text)
        best: dict[int, str] = {}  # word end -> longest stem ending there
        for end, stem in _STEM_AUTOMATON.iter(low):
            stop = end + 1
            if stop < len(low) and (low[stop].isalnum() or low[stop] == "_"):
                continue
            if len(stem) > len(best.get(stop, "")):
                best[stop] = stem
        found = []
        named: dict[str, bool] = {}  # name -> known to the terminology
        taken = -1  # end of the last name: the second word of a two-word name is not a drug of its own
        for stop, stem in sorted(best.items()):
            start = stop
            while start > 0 and low[start - 1].isalpha() and low[start - 1].isascii():
                start -= 1
            if start < taken or not _drug_like(text, low, start, stop, stem):
                continue
            nxt = _NEXT_WORD.match(text, stop)
            end = taken = nxt.end(1) if nxt and _second_word(stem, nxt.group(1)) else stop
            name = text[start:end]
            if name not in named:
                named[name] = bool(self.terminology.lookup(name))
            if not named[name]:
                found.append((start, end, stem))
        # Whether a term covers the word: a small window each, or the whole text once if many.
        if len(found) > 40:
            mentions = self.find(text)  # sorted and disjoint
            ends = [m.end for m in mentions]

            def known(s, e):
                i = bisect_right(ends, s)
                return i < len(mentions) and mentions[i].start < e
        else:
            known = lambda s, e: self._known(text, s, e)  # noqa: E731
        out = []
        for start, end, stem in found:
            name = text[start:end]
            if not known(start, end):
                out.append(Mention(start, end, name, slugify(name), _STEM_TYPES[stem], provisional=True))
        return out

    def class_candidates(self, text: str) -> list[Mention]:
        """Therapies named by how they work rather than by a drug: a target's inhibitors ('BTK inhibitor',
        'covalent BTK inhibitors', 'menin inhibitors') and operations named by a surgical suffix
        ('fundoplication', 'partial hysterectomy'). Provisional: the caller keeps known terms first."""
        out = []
        for rx, stretch, type_name in ((_TARGET_CLASS, _TARGET_STRETCH, "TargetedTherapy"),
                                       (_PROCEDURE, _PROCEDURE_STRETCH, "Surgery")):
            for hit in rx.finditer_around(text, stretch):
                if hit.group("head").lower() in _NOT_CLASSES or _INTERACTION.search(text, max(0, hit.start() - 12),
                                                                                   hit.start()):
                    continue
                name = hit.group(0)
                concept = slugify(_SINGULAR.sub(lambda w: w.group(0)[:-3] + "y" if w.group(0).endswith("ies")
                                                else w.group(0)[:-1], name))  # a concept is named in the singular
                out.append(Mention(hit.start(), hit.end(), name, concept, type_name, provisional=True))
        return out

    def _known(self, text: str, start: int, end: int) -> bool:
        """Whether a terminology term covers any of text[start:end] (looked at in a small window)."""
        lo = max(0, start - 120)
        return any(m.start + lo < end and start < m.end + lo for m in self.find(text[lo:end + 120]))


# "BTK inhibitor", "non-covalent BTK inhibitors", "menin inhibitors": a target (a gene symbol or one lower-case
# noun) and the word inhibitor; "strong CYP3A4 inhibitors" and the like are excluded by _NOT_CLASSES.
_TARGET_CLASS = prefiltered(re.compile(
    r"\b(?:(?i:(?:non-)?covalent|selective|irreversible|next-generation)\s+)?"
    r"(?P<head>[A-Z][A-Z0-9]*(?:[/-][A-Z0-9]+)?[A-Z0-9]|[A-Za-z][a-z]{3,})\s+inhibitors?\b"))
# Operations named by a surgical suffix, with a modifier that names a variant ("redo fundoplication").
_PROCEDURE = prefiltered(re.compile(
    r"\b(?:(?:partial|total|subtotal|radical|laparoscopic|robotic|open|redo|revisional)\s+)?"
    r"(?P<head>[a-z]{3,}(?:ectomy|ectomies|plasty|plication|pexy|ostomy|otomy))\b", re.I))
# The characters each is made of: both are searched only in the runs of them that hold the words they end in.
_TARGET_STRETCH, _PROCEDURE_STRETCH = re.compile(r"[\w\s/-]*"), re.compile(r"[\w\s]*")
# "strong CYP3A4 inhibitors": drugs to avoid for an interaction, not a treatment
_INTERACTION = re.compile(r"\b(?:strong|moderate|potent|weak)\s+$", re.I)
_SINGULAR = re.compile(r"(?:inhibitors|ectomies)$")
_NOT_CLASSES = {"strong", "potent", "moderate", "weak", "other", "novel", "oral", "this", "that", "these", "those",
                "their", "specific", "enzyme", "such", "some", "many", "most", "more", "less", "newer", "older",
                "dual", "triple", "complication", "duplication", "application", "implication", "multiplication",
                "replication", "dichotomy", "anatomy"}


def _drug_like(text: str, low: str, start: int, stop: int, stem: str) -> bool:
    """A whole word, long enough for its stem, lower case after its first letter ('Nivolumab' but
    not 'NIVOLUMAB-LIKE' headings), not glued to digits or hyphens, and not a known non-drug."""
    word = low[start:stop]
    if len(word) < max(6, len(stem) + 2) or word in _NOT_DRUGS:
        return False
    if start > 0 and (low[start - 1].isalnum() or low[start - 1] in "-_"):
        return False
    return text[start + 1:stop].islower()


def _shouting(text: str, pos: int) -> bool:
    """Whether the line around `pos` is written in capitals (a heading), where 'AS' is a word."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    line = text[ls:le if le != -1 else len(text)]
    words = re.findall(r"[A-Za-z]{2,}", line)
    return len(words) >= 3 and sum(w.isupper() for w in words) >= 0.8 * len(words)


# --- Schwartz-Hearst ------------------------------------------------------------------------------

_PAREN = re.compile(r"\(([^()\n]{1,80})\)")
# A name the text gives in words: the noun phrase since the last clause break, then ", known as SF,"
_KNOWN_AS = re.compile(r"(?:^|[,;:(]\s*|\.\s+)(?P<long>[A-Za-z][\w -]{2,60}?),\s+(?:also\s+|often\s+|usually\s+)?"
                       r"(?:known as|called|abbreviated (?:to|as))\s+(?P<short>[A-Za-z0-9][\w+-]{0,9})(?=\s*[,;.)])",
                       re.M)
_INNER_SEPARATOR = re.compile(r"\s*[;,]\s*")  # "(SF; other words)": the short form comes first
_TOKEN_BEFORE = re.compile(r"([A-Za-z0-9][\w\-/+&.']*)\s*$")
_SHORT_RX = re.compile(r"^[A-Za-z0-9][\w\-/+&.']*(?: [\w\-/+&.']+)?$")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z])|[;:()\[\]]|\n\s*\n")


def _is_short_form(sf: str) -> bool:
    letters = sum(c.isalpha() for c in sf)
    longest = 16 if "/" in sf else 10  # a regimen's drugs, each shortened: 'SOF/VEL/VOX'
    return (2 <= len(sf) <= longest and _SHORT_RX.match(sf) is not None and letters >= 1 and " " not in sf
            and any(c.isupper() for c in sf) and letters >= sum(c.isdigit() for c in sf))


# A name clipped to the heads of its first and last words, in lower case: 'cilta-cel', 'ide-cel', 'nab-pac'
_CLIPPED = re.compile(r"^([a-z]{2,8})-([a-z]{2,8})$")


def _clipped_long_form(text: str, paren: int, short: str) -> int | None:
    """Where the long form of a clipped short form starts: one to three words before the parenthesis, the
    first beginning with the short form's first part and the last ending with its second part."""
    hit = _CLIPPED.match(short)
    if not hit:
        return None
    head, tail = hit.groups()
    words = list(re.finditer(r"[A-Za-z][\w-]*", text[max(0, paren - 80):paren]))
    base = max(0, paren - 80)
    if not words or text[base + words[-1].end():paren].strip() or not words[-1].group().lower().endswith(tail):
        return None
    for w in reversed(words[-3:]):
        if w.group().lower().startswith(head) and len(w.group()) > len(head) + 2:
            return base + w.start()
    return None


def _window_start(text: str, paren: int, short: str) -> int:
    """Start of the words before the parenthesis that may hold the long form."""
    lo = max(0, paren - 300)
    chunk = text[lo:paren]
    cut = 0
    for m in _SENTENCE_END.finditer(chunk):
        cut = m.end()
    words = list(re.finditer(r"\S+", chunk[cut:]))
    n = min(len(short) + 5, 2 * len(short))
    if not words:
        return paren
    return lo + cut + words[max(0, len(words) - n)].start()


def _long_form_start(short: str, long_form: str) -> int | None:
    """Schwartz & Hearst: match the short form's characters right to left in the long form, the
    first one at the start of a word. Returns where the shortest matching long form starts."""
    s, l = len(short) - 1, len(long_form) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while l >= 0 and (long_form[l].lower() != c or (s == 0 and l > 0 and long_form[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    start = l + 1
    return start if start < len(long_form) else None


def _plausible(short: str, long_form: str) -> bool:
    words = long_form.split()
    if not words or long_form.strip().lower() == short.lower():
        return False
    if len(words) > min(len(short) + 5, 2 * len(short)):
        return False
    if short.lower() in (w.lower().strip(".,") for w in words):
        return False
    if TRIAL_NAME.match(short) and _initials_covered(short, long_form) <= 0.5:
        return False  # "... after prostatectomy and salvage radiotherapy (PEDAL-R)": a study's name, not an abbreviation
    letters = sum(c.isalpha() for c in short)
    if letters >= 5 and len(words) > letters and _initials_covered(short, long_form) <= 0.5:
        return False  # "... as salvage treatment ... after radiotherapy (IRRESALV)": a name made of word fragments
    # the long form should be longer than the short form and start at a letter or digit
    return len(long_form) > len(short) and long_form[0].isalnum()


TRIAL_NAME = re.compile(r"^[A-Z0-9]{2,}-[A-Z0-9]+$")


def _initials_covered(short: str, long_form: str) -> float:
    """The share of the short form's letters that are, in order, initials of the long form's words."""
    initials = [w[0].lower() for w in re.findall(r"[A-Za-z0-9]+", long_form)]
    letters = [c.lower() for c in short if c.isalnum()]
    k = matched = 0
    for c in letters:  # a letter no later initial gives is skipped, not the initials after it
        if c in initials[k:]:
            k = initials.index(c, k) + 1
            matched += 1
    return matched / len(letters) if letters else 0.0


# The class a long form's last word suggests; "-ectomy" and "-ablation" may end a longer word.
_HEAD_TYPES = tuple((re.compile(rx + r"$"), t) for rx, t in (
    (r"\b(?:chemotherapy|regimen)", "Chemotherapy"),
    (r"\b(?:radiotherapy|radiation(?: therapy)?|irradiation|brachytherapy|radiosurgery)", "Radiotherapy"),
    (r"(?:ectomy|\bsurgery|\bresection|\bdissection|\bexcision)", "Surgery"),
    (r"(?:ablation|\belectroporation)", "Ablation"),
    (r"\btransplant(?:ation)?", "Transplantation"),
    (r"\b(?:immunotherapy|vaccine|vaccination)", "Immunotherapy"),
    (r"\b(?:antibody|antibodies|conjugate)", "AntibodyTherapy"),
    (r"\b(?:inhibitors?|antagonists?|agonists?|blockers?)", "SystemicTherapy"),
    (r"\b(?:therapy|therapies|treatment|treatments)", "Therapy"),
    (r"\b(?:tomography|imaging|scan|scintigraphy|ultrasound|ultrasonography|mri|pet)", "Imaging"),
    (r"\bbiops(?:y|ies)", "Biopsy"),
    (r"\b(?:test|testing|assay)", "LaboratoryTest"),
    (r"\b(?:survival|response|control|mortality|remission)", "OutcomeMeasure"),
    (r"\b(?:cancer|carcinoma|tumor|neoplasm|lymphoma|leukemia|sarcoma|melanoma|myeloma|glioma|\w*blastoma|"
     r"seminoma)", "Neoplasm"),
    (r"\binfections?", "InfectiousDisease"),
    (r"\b(?:recurrence|relapse|failure|progression|resistance|persistence)", "DiseaseState"),
    (r"\b(?:toxicity|dysfunction|incontinence|complications?|injury|fistula|stricture|adverse events?)",
     "AdverseEffect"),
    (r"\b(?:antigen|level|count|load|marker|concentration|velocity|kinetics)", "Biomarker"),
    (r"\b(?:score|stage|grade|status|index|expectancy)", "ClinicalParameter"),
))


# --- drug stems -------------------------------------------------------------------------------------

# stem -> the class it suggests; longest stems are tried first, so -tegravir wins over -vir.
_STEMS = sorted({
    "tegravir": "AntiretroviralTherapy", "navir": "AntiretroviralTherapy", "capavir": "AntiretroviralTherapy",
    "virine": "AntiretroviralTherapy", "vudine": "AntiretroviralTherapy", "fovir": "AntiretroviralTherapy",
    "travir": "AntiretroviralTherapy", "vir": "AntiretroviralTherapy",
    # antivirals against viruses other than retroviruses
    "ciclovir": "SystemicTherapy", "clovir": "SystemicTherapy", "previr": "SystemicTherapy",
    "buvir": "SystemicTherapy", "asvir": "SystemicTherapy", "mivir": "SystemicTherapy",
    "mab": "AntibodyTherapy", "umab": "AntibodyTherapy", "ximab": "AntibodyTherapy", "zumab": "AntibodyTherapy",
    "nib": "TargetedTherapy", "tinib": "TargetedTherapy", "parib": "TargetedTherapy",
    "ciclib": "TargetedTherapy", "lisib": "TargetedTherapy", "zomib": "TargetedTherapy",
    "degib": "TargetedTherapy", "sertib": "TargetedTherapy", "rafenib": "TargetedTherapy",
    "toclax": "TargetedTherapy", "stat": "TargetedTherapy", "olimus": "TargetedTherapy",
    "rasib": "TargetedTherapy", "staurin": "TargetedTherapy", "denib": "TargetedTherapy",
    "ectedin": "Chemotherapy",
    "platin": "Chemotherapy", "taxel": "Chemotherapy", "rubicin": "Chemotherapy", "citabine": "Chemotherapy",
    "mustine": "Chemotherapy", "trexate": "Chemotherapy", "poside": "Chemotherapy", "fosfamide": "Chemotherapy",
    "tecan": "Chemotherapy", "trexed": "Chemotherapy",
    "mycin": "AntimicrobialTherapy", "micin": "AntimicrobialTherapy", "cillin": "AntimicrobialTherapy",
    "floxacin": "AntimicrobialTherapy", "oxacin": "AntimicrobialTherapy", "penem": "AntimicrobialTherapy",
    "cycline": "AntimicrobialTherapy", "bactam": "AntimicrobialTherapy", "azole": "AntimicrobialTherapy",
    "conazole": "AntimicrobialTherapy", "fungin": "AntimicrobialTherapy", "vancin": "AntimicrobialTherapy",
    "trozole": "HormoneTherapy", "prazole": "SystemicTherapy",
    "lutamide": "HormoneTherapy", "relin": "HormoneTherapy", "relix": "HormoneTherapy",
    "oxifen": "HormoneTherapy", "gestrol": "HormoneTherapy",
    "leucel": "Immunotherapy", "cabtagene": "Immunotherapy", "domide": "Immunotherapy", "leukin": "Immunotherapy",
    "grastim": "SupportiveTherapy", "poetin": "SupportiveTherapy", "dronate": "SupportiveTherapy",
    "trombopag": "SystemicTherapy", "plostim": "SystemicTherapy",  # thrombopoietin receptor agonists
    # migraine: triptans, ditans, gepants
    "triptan": "SystemicTherapy", "ditan": "SystemicTherapy", "gepant": "SystemicTherapy",
    # bladder: antimuscarinics, beta-3 agonists, alpha blockers, 5-alpha reductase inhibitors
    "fenacin": "SystemicTherapy", "butynin": "SystemicTherapy", "terodine": "SystemicTherapy",
    "begron": "SystemicTherapy", "zosin": "SystemicTherapy", "losin": "SystemicTherapy",
    "dosin": "SystemicTherapy", "steride": "HormoneTherapy",
    # heart and vessels: sartans, ACE inhibitors, beta blockers, calcium channel blockers, diuretics,
    # statins, anticoagulants, antiplatelets
    "sartan": "SystemicTherapy", "pril": "SystemicTherapy", "olol": "SystemicTherapy",
    "dipine": "SystemicTherapy", "semide": "SystemicTherapy", "thiazide": "SystemicTherapy",
    "vastatin": "SystemicTherapy", "xaban": "SystemicTherapy", "gatran": "SystemicTherapy",
    "parin": "SystemicTherapy", "grel": "SystemicTherapy", "grelor": "SystemicTherapy",
    # diabetes and weight: gliflozins, gliptins, GLP-1 agonists
    "gliflozin": "SystemicTherapy", "gliptin": "SystemicTherapy", "glutide": "SystemicTherapy",
    # airways: leukotriene antagonists, beta-2 agonists, inhaled steroids, antimuscarinics
    "lukast": "SystemicTherapy", "terol": "SystemicTherapy", "sonide": "SystemicTherapy",
    "tropium": "SystemicTherapy",
    # nerves and mind: antidepressants, antipsychotics, benzodiazepines, antiepileptics, gabapentinoids
    "oxetine": "SystemicTherapy", "triptyline": "SystemicTherapy", "pramine": "SystemicTherapy",
    "apine": "SystemicTherapy", "piprazole": "SystemicTherapy", "peridone": "SystemicTherapy",
    "azepam": "SystemicTherapy", "azolam": "SystemicTherapy", "racetam": "SystemicTherapy",
    "trigine": "SystemicTherapy", "gabalin": "SystemicTherapy", "pentin": "SystemicTherapy",
    # pain and nausea: coxibs, NSAIDs, 5-HT3 antagonists, NK1 antagonists
    "coxib": "SystemicTherapy", "profen": "SystemicTherapy", "fenac": "SystemicTherapy",
    "setron": "SupportiveTherapy", "pitant": "SupportiveTherapy",
    # immunology: fusion proteins, interleukin-1 antagonists, S1P modulators, JAK inhibitors
    "ercept": "SystemicTherapy", "tacept": "SystemicTherapy", "kinra": "SystemicTherapy",
    "imod": "SystemicTherapy", "citinib": "TargetedTherapy",
}.items(), key=lambda kv: -len(kv[0]))
_STEM_TYPES = dict(_STEMS)


def _stem_automaton():
    a = ahocorasick.Automaton()
    for stem in _STEM_TYPES:
        a.add_word(stem, stem)
    a.make_automaton()
    return a


_STEM_AUTOMATON = _stem_automaton()
# Words that end in a stem but name no drug.
_NOT_DRUGS = {"interleukin", "triazole", "imidazole", "nitroimidazole", "benzimidazole", "pyrazole",
              "thermostat", "hemostat", "haemostat", "rheostat", "cryostat", "statistic",
              "thiazole", "oxazole", "tetrazole", "cholesterol", "intercept", "percept", "mongrel", "doggerel"}
_ADC_PAYLOADS = {"vedotin", "deruxtecan", "govitecan", "mafodotin", "emtansine", "ozogamicin", "tesirine",
                 "ravtansine", "soravtansine", "pegol", "tiuxetan"}
_NEXT_WORD = re.compile(r"[ \u00a0]+([a-z]{4,})\b")


def _second_word(stem: str, word: str) -> bool:
    """Drug names of two words: antibody conjugates ("x-mab vedotin"), CAR-T products ("x-cabtagene y-leucel")."""
    if stem.endswith("mab"):
        return word in _ADC_PAYLOADS
    return stem == "cabtagene" and word.endswith("leucel")


__all__ = ["Mention", "AbbreviationDef", "Recognizer", "slugify"]
