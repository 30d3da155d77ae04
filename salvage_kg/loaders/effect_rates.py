"""How often a harm happens: the rate a sentence gives for one harm under one therapy.

Reports and leaflets put a harm's rate in a few recurring places, whatever the field:

* in brackets right after the harm: "fatigue (42%)", "incontinence (up to half of men)";
* after it, up to the next harm named: "neutropenia occurred in 61% of the A arm and 49% of the B arm";
* before it: "About 1 in 10 people have new weakness", "6% of men ... needed pads for incontinence";
* shared by a list of harms the predicate follows: "urinary frequency and urgency ... affecting about half".

With several therapies, the rates are read in the order the therapies are named ("61% of the A arm
and 49% of the B arm", "14% and 11% respectively"), else each therapy takes the rate nearest to it.
Words such as "common" or "rare" are the fallback when no proportion is given.
"""
from __future__ import annotations

import re

QUALIFIER = (r"(?:(?:up to|about|approximately|around|roughly|nearly|almost|under|over|less than|more than|"
             r"fewer than|below|above|at least|only|just|as many as|well over|close to|some)\s+)?")
COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
PERCENT = rf"{QUALIFIER}\d+(?:\.\d+)?(?:\s*%?\s*(?:-|–|to)\s*\d+(?:\.\d+)?)?\s*%(?!\s*(?:CI\b|confidence))"
NATURAL = (rf"{QUALIFIER}{COUNT}\s+(?:in|out of)\s+(?:every\s+)?(?:\d+|ten|twenty|fifty|a hundred|one hundred|"
           r"hundred|a thousand|three|four|five|six|seven|eight|nine)\b")
FRACTION = (rf"{QUALIFIER}(?:half|a third|one third|a quarter|one quarter|two thirds|three quarters|a fifth|"
            r"one fifth|a tenth)\b")
PEOPLE = r"(?:men|women|patients|people|participants|children|adults|cases|recipients|survivors)"
QUANTITY = (rf"(?:(?:most|many|a few|the majority of|a minority of)\s+(?:of\s+)?(?:the\s+)?{PEOPLE}|"
            r"almost (?:everyone|everybody|all)|nearly (?:everyone|everybody|all)|"
            r"a (?:small|large|tiny) (?:percentage|proportion|number|minority))\b")
RISK = r"(?:an?\s+)?(?:small|slight|low|high|higher|increased|substantial|significant)\s+risk\b"
RATE = re.compile(rf"\b(?:{PERCENT}|{NATURAL}|{FRACTION}|{QUANTITY}|{RISK})", re.I)
WORD_RATE = re.compile(r"\b(?:(?:the\s+)?(?:most|very|less|more|also|quite|fairly|relatively)\s+)?"
                       r"(?:common(?:ly)?|uncommon|rare(?:ly)?|frequent(?:ly)?|infrequent|occasional(?:ly)?)\b", re.I)
VERSUS = re.compile(r"\b(?:vs\.?|versus|v\.)\s", re.I)
PAREN = re.compile(r"\s*\(([^()]*)\)")
COORDINATED = re.compile(r"\s*(?:,|and|or|, and|, or|as well as)?\s*", re.I)
WORD_NEAR = 40


def effect_rates(text: str, base: int, effects: list[tuple[int, int]], therapies: list[str],
                 positions: dict[str, int]) -> dict[tuple[int, str], str]:
    """For each harm (start, end in document offsets) of a sentence `text` starting at `base`, and each
    therapy it is said of (in the order the text pairs rates with them), the rate the sentence gives.
    `positions` are where the therapies are named in the sentence, if they are."""
    spans = sorted(set(effects))
    segments = [m.start() for m in re.finditer(";", text)]
    positions = {t: p - base for t, p in positions.items()}
    found: list[dict[str, tuple[str, int]]] = [{} for _ in spans]
    for i in range(len(spans) - 1, -1, -1):  # right to left: a list shares the rate said after it
        start, end = spans[i][0] - base, spans[i][1] - base
        lo = max([s + 1 for s in segments if s < start] + [0])
        hi = min([s for s in segments if s >= end] + [len(text)])
        prev_end = max(lo, spans[i - 1][1] - base) if i else lo
        next_start = min(hi, spans[i + 1][0] - base) if i + 1 < len(spans) else hi
        found[i] = _rates_of(text, start, end, prev_end, next_start, lo, hi, therapies, positions)
        if not found[i] and i + 1 < len(spans) and _listed(text, end, spans[i + 1][0] - base):
            found[i] = found[i + 1]
    for i in range(1, len(spans)):  # left to right: "its most common side effects are A, B and C"
        if not found[i] and _listed(text, spans[i - 1][1] - base, spans[i][0] - base):
            found[i] = {t: r for t, r in found[i - 1].items() if r[1] < spans[i - 1][0] - base}
    return {(span[0], t): rate for span, rates in zip(spans, found) for t, (rate, _) in rates.items()}


def _listed(text: str, a: int, b: int) -> bool:
    return a <= b and bool(COORDINATED.fullmatch(text[a:b]))


def _rates_of(text, start, end, prev_end, next_start, lo, hi, therapies, positions) -> dict[str, tuple[str, int]]:
    """Each therapy's rate for the harm at text[start:end], with where the rate stands."""
    paren = PAREN.match(text, end)
    if paren and paren.end() <= next_start and RATE.search(paren.group(1)):
        inner = list(RATE.finditer(paren.group(1)))
        if len(therapies) > 1 and len(inner) == len(therapies) and VERSUS.search(paren.group(1)):
            # "fatigue (32% vs 24%)" after naming the drug and its comparator: one rate each, in order
            return {t: (r.group(0).strip(), paren.start(1) + r.start()) for t, r in zip(therapies, inner)}
        return {t: (paren.group(1).strip(), paren.start(1)) for t in therapies}
    after = list(RATE.finditer(text, end, next_start))
    before = list(RATE.finditer(text, prev_end, start))
    if len(therapies) > 1:
        return _paired(therapies, before, after, positions)
    if after:
        at = positions.get(therapies[0]) if therapies else None
        named_here = [r for r in after if at is not None and r.end() <= at < next_start]
        hit = named_here[-1] if named_here else after[0]  # "62% with the combination and 51% of those given X"
        return {t: (hit.group(0).strip(), hit.start()) for t in therapies}
    if before:
        return {t: (before[-1].group(0).strip(), before[-1].start()) for t in therapies}
    word = _nearest_word(text, start, end, prev_end, next_start, lo, hi)
    return {t: (word.group(0).strip(), word.start()) for t in therapies} if word else {}


def _paired(therapies: list[str], before: list[re.Match], after: list[re.Match],
            positions: dict[str, int]) -> dict[str, tuple[str, int]]:
    """Several therapies: rates in the order the therapies are named, else each the rate nearest to it."""
    k = len(therapies)
    rates = after if len(after) >= k else (before[-(k - len(after)):] + after if before else after)
    if len(rates) == k:
        return {t: (r.group(0).strip(), r.start()) for t, r in zip(therapies, rates)}
    out = {}
    for t in therapies:
        at = positions.get(t)
        if at is not None and before + after:
            hit = min(before + after, key=lambda r: abs(r.start() - at))
            out[t] = (hit.group(0).strip(), hit.start())
    return out


def _nearest_word(text, start, end, prev_end, next_start, lo, hi) -> re.Match | None:
    """'common', 'rarely': in the harm's own stretch of text, else near it in its part of the sentence."""
    for a, b in ((end, next_start), (prev_end, start),
                 (max(lo, start - WORD_NEAR), min(hi, end + WORD_NEAR))):
        hits = list(WORD_RATE.finditer(text, a, b))
        if hits:
            return min(hits, key=lambda h: min(abs(h.start() - end), abs(start - h.end())))
    return None
