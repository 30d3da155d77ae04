"""Cue lexicons and value parsers shared by the relation extractors.

Everything here describes how clinical English in general states a thing (recommendation strength,
negation, hedging, comparators, units, numbers), never a particular document.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .prefilter import prefiltered

NUM = r"\d+(?:[.,]\d+)?"
DASH = r"\s*(?:-|–|—|to)\s*"

# How strongly a sentence recommends, most specific first.
STRENGTH = (
    ("not-recommended", re.compile(
        r"\b(?:should not|must not|shouldn't|is not recommended|are not recommended|not (?:generally )?"
        r"(?:appropriate|indicated|advised)|is contraindicated|are contraindicated|should be avoided|"
        r"(?:advise|advises|advised|recommend|recommends|recommended|recommendation) against|not advised|"
        r"fallen out of (?:favour|favor)|(?:we|they|doctors) (?:do|does|did) not offer|is discouraged|"
        r"no longer (?:recommended|used|offered)|rarely makes sense|makes little sense|"
        r"neither\b[^.;]{1,80}\bnor\b[^.;]{1,80}\b(?:should|must|is|are)(?: \w+)? be (?:started|used|given|offered)|"
        r"(?:do|does|would|will)(?: not|n't) (?:\w+ )?(?:recommend|advise|offer|suggest)|won't (?:recommend|offer)|"
        r"not something (?:I|we|they|doctors) (?:would )?(?:recommend|offer|advise|use|suggest)|"
        r"\b(?:I|we|doctors|clinicians|specialists|surgeons) (?:do|would|will)(?: not|n't) (?:\w+ )?(?:use|give|prescribe|start))\b", re.I)),
    ("investigational", re.compile(
        r"\b(?:investigational|experimental|under investigation|(?:still |currently )?in clinical trials?|"
        r"clinical trials? (?:and|or) novel|seems? promising|is promising|remains? unproven|being studied|"
        r"under study|emerging)\b", re.I)),
    ("may-be-considered", re.compile(
        r"\b(?:may be (?:considered|offered|used|an option|appropriate|done|recommended|added|given|tried|suitable)|"
        r"can be (?:considered|offered|used|done|performed|added|given|tried)|could be (?:considered|offered|used)|"
        r"(?:is|are) (?:an(?:other)?|a) (?:\w+ )?(?:option|alternative)|options? (?:include|are)|viable alternative|"
        r"reasonable (?:options?|alternatives?|choices?)|may offer|might be considered|(?:should|must|can|may) be reserved for|"
        r"is reserved for|conditional recommendation|weak recommendation|can be offered)\b", re.I)),
    ("recommended", re.compile(
        r"\b(?:should be (?:offered|given|used|performed|considered first|the)|is recommended|are recommended|"
        r"recommend(?:s|ed)?|is indicated|are indicated|is the (?:primary|standard|preferred|mainstay)|"
        r"treatment of choice|gold standard|standard of care|(?:is|are|remains?) the standard|must be|"
        r"is the main|mainstay|first[- ]choice|primary curative|(?:should be|is|are) preferred|preferred over|"
        r"the usual (?:treatment|choice|option|approach)|strong recommendation|is the standard)\b", re.I)),
    ("may-be-considered", re.compile(
        r"\b(?:may (?:also )?be|may help|can help|include[sd]?|used as|used in|used for|serves? as|is used|are used|"
        r"is administered|is given|is delivered|role|approved)\b", re.I)),
)

# Each skips text that lacks the words every match of it contains (prefilter.py).
STRENGTH = tuple((name, prefiltered(rx)) for name, rx in STRENGTH)

NEGATION = re.compile(
    r"\b(?:no|not|never|without|neither|nor|cannot|can't|don't|do not|does not|did not|absence of|"
    r"free of|instead of|rather than|ruled out|excluded)\b", re.I)
HEDGE = re.compile(
    r"\b(?:may|might|could|suggests?|suggested|appears?|seems?|possibly|potentially|likely|unclear|"
    r"uncertain|some studies|preliminary|approximately|about)\b", re.I)

SALVAGE_CUE = re.compile(
    r"\b(?:salvage|rescue|recurren(?:ce|t)|relapse[ds]?|relaps(?:ing)?|refractory|resistan(?:t|ce)|"
    r"fail(?:s|ed|ure|ing)?|unsuccessful|persistent|persisting|second[- ]line|third[- ]line|"
    r"radiorecurrent|re-?treatment|retreatment|returns?|returned|returning|(?:comes?|came|coming) back|rising|"
    r"recur(?:s|red|ring)?|reappear(?:s|ed)?|regrow(?:s|th)?|progress(?:es|ed|ing|ion)|biochemical|"
    r"(?:do(?:es)?|did) not work|(?:don't|doesn't|didn't) work|no longer work|ineffective|(?:has|have|had)\s+not\s+worked|(?:hasn't|haven't|hadn't)\s+worked|"
    r"(?:is|are|was|were)(?:\s+not|n't)\s+working|stop(?:s|ped)?\s+working|breakthrough|"
    r"(?:is|are|was|were)(?:\s+not|n't)\s+enough)\b", re.I)
# "58.3% after prostatectomy": a result named by the treatment it followed, which is no failed treatment
RESULT_AFTER_TREATMENT = re.compile(r"\d\s*%\)?\s+(?:after|following)\s+$", re.I)
PRIOR_CUE = re.compile(
    r"(?:\b(?:after|following|post|despite|failure of|failed|previously treated with|"
    r"already (?:been )?treated with|prior|previous|initial|primary|refractory to|resistant to|"
    r"recurrence (?:after|following)|relapse (?:after|following)|render(?:s|ing)?|"
    r"(?:progression|progressing|progressed|relapsing|relapsed|recurs|recurred|recurring|recurrence) "
    r"(?:on|while on|during|through)|"
    r"breakthrough (?:disease|\w+ activity|relapses?) (?:on|while on|during|despite)|"
    r"whether (?:that|it|this) was|"
    r"(?:had|have|having|previously|already)\s+(?:(?:earlier|previously|already|all|both|each)\s+)?"
    r"(?:had|undergone|received)|"
    r"(?:initial|primary|first|previous|prior|definitive|standard)(?: \w+)? (?:treatments?|therapy|therapies),?"
    r"\s+(?:such as|like|e\.g\.,?|including))\b|"
    r"\bpost-)\s*(?:(?:the|a|an|any|initial|primary|prior|previous|completing|completion of|finishing|empirical|"
    r"empiric|adjuvant|definitive|curative|radical|conventional|systemic|local|receiving|treatment with|"
    r"the end of|stopping|finishing|completing|"
    r"first[- ]line|second[- ]line|front[- ]?line|upfront|standard|escalated|conventional|definitive|earlier|"
    r"one|two|several|their|his|her|your|both|either|first|original|index|"
    # "after failure of high-dose ICS-LABA", "despite optimised therapy"
    r"(?:high|low|full|standard|maximum|maximal|adequate)[- ]dose|maximal|optimal|optimi[sz]ed|adequate|"
    r"(?:course|courses|cycles?|trials?|years|months) of|"  # "after a course of antithyroid drugs"
    # "after failure of at least three oral preventives", "after two or more lines of"
    r"at least|at most|up to|more than|no fewer than|three|four|five|six|\d{1,2}|or more|different|multiple)\s+)*$",
    re.I)
# Words before a harm that make it a benefit or a goal: "reduced toxicity", "to prevent complications".
BENEFIT = re.compile(
    r"\b(?:reduc(?:e|ed|es|ing)|less|lower|fewer|minimi[sz](?:e|ed|es|ing)|minimal|avoid(?:s|ed|ing)?|"
    r"prevent(?:s|ed|ing)?|improvement in|improv(?:e|es|ing)|relie(?:f of|ve|ves)|treat(?:s|ing)?|manag(?:e|es|ing)|"
    r"mitigat(?:e|es|ed|ing)|help(?:s|ing)? (?:with|to)|without|no)\b(?:\s+[\w-]+){0,9}\s*$", re.I)
INTENT = (
    ("palliative", re.compile(r"\bpalliati(?:ve|on)\b", re.I)),
    ("curative", re.compile(r"\bcurative|\bcure\b|\bto cure\b|\beradicat", re.I)),
)
ADVERSE_CUE = re.compile(
    r"\b(?:side[- ]effects?|complications?|adverse|toxicit(?:y|ies)|morbidity|risks?|harms?|"
    r"experience|suffer|develop|cause[sd]?|leads? to|leading to|affect(?:s|ing)?|problems?|"
    r"injur(?:y|ies)|damage)\b", re.I)
TIMING = (
    ("acute", re.compile(r"\b(?:acute|short[- ]term|early|immediate|(?:in|during|within) the first (?:few )?"
                         r"(?:days?|weeks?|month)|for (?:up to |about )?(?:a few|\d+|two|three|four|six) (?:days|weeks))\b",
                         re.I)),
    ("late", re.compile(r"\b(?:late|long[- ]term|chronic|delayed|months or years later|(?:a|one|\d+|two|three) years? "
                        r"(?:later|after)|(?:that|which) lasts|in the long run)\b", re.I)),
    ("perioperative", re.compile(r"\b(?:perioperative|peri-operative|postoperative|post-operative|"
                                 r"intraoperative|surgical)\b", re.I)),
)
SEVERITY = re.compile(
    r"\b(?:Clavien[- ]Dindo (?:grade|class)s?\s*(?:[IVX]+|\d)(?:\s*(?:-|–|to|or|and)\s*(?:[IVX]+|\d))?"
    r"(?:\s*\+|\s+or (?:higher|above|worse|more))?|"
    r"(?:(?:mostly|mainly|predominantly|largely) )?grade\s*\d(?:\s*(?:-|–|to|or)\s*\d)?(?:\s*\+|\s+or (?:higher|above|worse|more))?|"
    r"(?:mild|moderate|severe|serious|major|minor|significant|considerable|life[- ]threatening|"
    r"subtle|usually mild))(?:\b|(?<=\+))", re.I)
FREQUENCY = re.compile(
    r"\b(?:very common|common(?:ly)?|uncommon|rare(?:ly)?|frequent(?:ly)?|occasional(?:ly)?|"
    r"in (?:up to |about |approximately )?\d+(?:\.\d+)?\s*%(?: of (?:patients|men|cases))?|"
    r"\d+(?:\.\d+)?\s*% of (?:patients|men|cases|people))\b", re.I)
ODDS = re.compile(
    rf"(?:(?P<fold>{NUM}|two|three|four|five|six|seven|eight|nine|ten|twenty)-fold (?:higher|greater|increased|lower)(?: adjusted)? (?:odds|risk|likelihood)|"
    rf"\b(?:adjusted )?(?:odds ratio|OR|aOR)\s*(?:\(OR\)\s*)?(?:of|was|=|:|,)?\s*(?P<or>{NUM}))", re.I)
P_VALUE = re.compile(r"\b[Pp]\s*(?P<cmp>[<>=≤≥]|&lt;)\s*(?P<val>0?\.\d+|1(?:\.0+)?)")
CI = re.compile(
    rf"\(?\s*(?P<level>\d{{2}}(?:\.\d)?)\s*%\s*(?:CI|confidence interval)\s*[,:]?\s*(?P<lo>-?{NUM})\s*%?"
    rf"(?:\s*(?:-|–|—|to)\s*|,\s*)(?P<hi>-?{NUM})\s*%?\s*\)?", re.I)
PERCENT = re.compile(rf"(?P<v>{NUM})(?:{DASH}(?P<v2>{NUM}))?\s*(?:%|percent\b)", re.I)
SIGNIFICANCE_NEG = re.compile(r"\b(?:not (?:statistically )?significant|no (?:statistically )?significant|"
                              r"no meaningful difference|similar between|did not differ|non-?significant)\b", re.I)
SIGNIFICANCE_POS = re.compile(r"\b(?:statistically significant|significantly|highly significant)\b", re.I)
# Costly patterns skip text that lacks the words every match contains (prefilter.py).
HEDGE, SIGNIFICANCE_NEG, SALVAGE_CUE = map(prefiltered, (HEDGE, SIGNIFICANCE_NEG, SALVAGE_CUE))

COMPARATOR_WORDS = (
    (r"≥|>=|=>|at least|(?:no|not) (?:less|lower|shorter|smaller|fewer) than|a minimum of|"
     r"(?:greater|more|higher) than or equal to|or (?:more|higher|greater|above|longer|older|over)|"
     r"and (?:higher|above|more|longer|older|over)", ">="),
    (r"≤|<=|=<|at most|(?:no|not) (?:more|higher|greater|longer|larger|bigger) than|not exceeding|up to|a maximum of|"
     r"(?:less|lower|fewer) than or equal to|or (?:less|lower|fewer|below|shorter|younger|under)", "<="),
    (r">|greater than|more than|higher than|longer than|above|exceeding|exceeds?|over|in excess of|rising above|"
     r"rises? above", ">"),
    (r"<|less than|lower than|shorter than|below|under|fewer than|still low", "<"),
)

UNITS = (
    (r"ng/ml/(?:yr|year)|ng/ml per year", "ng/mL/a"),
    (r"ng/ml|ng/dl|ng per ml|nanograms? per millilit(?:er|re)", "ng/mL"),
    (r"copies/ml|copies per ml", "{copies}/mL"),
    (r"cells/(?:mm3|mm³|µl|ul)", "/mm3"),
    (r"months?|mo\b", "mo"),
    (r"years?|yrs?|y\b", "a"),
    (r"weeks?|wk", "wk"),
    (r"days?", "d"),
    (r"%|percent", "%"),
    (r"gy\b|gray", "Gy"),
)
UNIT_RX = re.compile("|".join(f"(?:{u})" for u, _ in UNITS), re.I)
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20}


def number(text: str) -> float:
    text = text.strip().lower()
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    if re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+", text):  # "1,000": a thousands separator, not a decimal comma
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


UNIT_CODES = tuple((re.compile(u, re.I), code) for u, code in UNITS)
COMPARATOR_SYMBOLS = tuple((re.compile(w, re.I), symbol) for w, symbol in COMPARATOR_WORDS)


def unit_code(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    for rx, code in UNIT_CODES:
        if rx.fullmatch(text):
            return code
    return None


def comparator(text: str) -> str | None:
    t = text.strip().lower()
    for rx, symbol in COMPARATOR_SYMBOLS:
        if rx.fullmatch(t):
            return symbol
    return None


COMPARATOR_RX = "|".join(p for p, _ in COMPARATOR_WORDS)


@lru_cache(maxsize=4096)  # asked of the same sentence and clause by several extractors
def strength(text: str) -> str | None:
    for name, rx in STRENGTH:
        if rx.search(text):
            return name
    return None


@lru_cache(maxsize=4096)
def intent(text: str) -> str | None:
    """The intent a text states: curative or palliative, or None when it names neither or both."""
    found = {name for name, rx in INTENT if rx.search(text)}
    return found.pop() if len(found) == 1 else None


def timing(text: str) -> str | None:
    for name, rx in TIMING:
        if rx.search(text):
            return name
    return None


def format_value(v: float) -> str:
    return f"{v:g}"


UNIT_LABELS = {"a": "years", "mo": "months", "wk": "weeks", "d": "days", "ng/mL/a": "ng/mL/year",
               "{copies}/mL": "copies/mL", "[hnsf'U]": "HU", "[IU]/mL": "IU/mL", "[ppb]": "ppb", "g/d": "g/day"}


def describe(parameter_label: str, symbol: str | None, value: float | None, value_max: float | None,
             unit: str | None) -> str:
    """A readable criterion such as 'PSA >= 0.7 ng/mL' or 'grade group 4-5'."""
    if value is None:
        return parameter_label
    shown_unit = UNIT_LABELS.get(unit or "", unit or "")
    number_part = format_value(value)
    if value_max is not None:
        number_part += f"-{format_value(value_max)}"
    parts = [parameter_label]
    if symbol and symbol not in ("=", "range"):
        parts.append(symbol)
    parts.append(number_part + ("%" if shown_unit == "%" else ""))
    if shown_unit and shown_unit != "%":
        parts.append(shown_unit)
    return " ".join(parts)


# --- added for measures.py: ratios, time points, more units (existing patterns above are unchanged) ---

WORD_NUM_RX = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty"
WORD_NUMBERS_ALL = {**WORD_NUMBERS, "eleven": 11, "eighteen": 18, "thirty": 30, "a": 1, "an": 1}
# "hazard ratio for death was 0.64", "HR 0.85", "odds ratio, 2.6", "(aOR) = 1.9"; the abbreviations
# are matched case-sensitively so that the word "or" is never an odds ratio.
RATIO = re.compile(
    r"(?P<kind>(?i:(?:adjusted\s+|stratified\s+|subdistribution\s+)?(?:hazard|odds|risk|rate)\s+ratio|relative\s+risk)|"
    r"\b(?:a?HR|a?OR|RR|IRR|sHR)\b)(?:\s*\((?:a?HR|a?OR|RR|IRR)\))?"
    r"(?P<mid>(?:[ \t]+(?i:for|of)[ \t]+[A-Za-z][\w -]{0,40}?)?)"
    r"(?:\s*(?:\b(?i:was|of|were|is|at|reached)\b|=|:|,)\s*)*\s*(?P<v>\d+(?:\.\d+)?)(?!\s*%|\.\d|\d)")
RATIO_KIND = (("hazard", "HR"), ("odds", "OR"), ("relative risk", "RR"), ("risk ratio", "RR"), ("rate ratio", "RR"))
RATIO = prefiltered(RATIO)
# Time points: "at 8 years", "Five-year", "3-year", "at week 6", "after 96 weeks", "12 weeks later",
# "within a week".
TIME_POINT_ANY = re.compile(
    rf"\b(?:(?:at|after|by|through)\s+(?P<n1>{NUM}|{WORD_NUM_RX})\s+(?P<u1>years?|months?|weeks?|days?)|"
    rf"(?P<n2>{NUM}|{WORD_NUM_RX})[- ](?P<u2>year|month|week|day)\b(?!s)|"
    rf"(?:at|by)\s+(?P<u3>week|month|year|day)\s+(?P<n3>\d+)|"
    rf"(?P<n4>{NUM}|{WORD_NUM_RX})\s+(?P<u4>years?|months?|weeks?|days?)\s+later|"
    rf"within\s+(?P<n5>a|an|one|{NUM}|{WORD_NUM_RX})\s+(?P<u5>years?|months?|weeks?|days?)|"
    rf"median follow-up of\s+(?P<n6>{NUM})\s+(?P<u6>years?|months?))",
    re.I)
# Units the first table lacks (drug levels, counts, renal function), and copies written for people.
UNITS_EXTRA = (
    (r"copies/ml|copies per ml", "copies/mL"),
    (r"mg/l|mg per litre|mg per liter|µg/ml|ug/ml|mcg/ml|micrograms? per millilit(?:er|re)", "mg/L"),
    (r"mg/dl", "mg/dL"),
    (r"(?:µ|μ|u|mc)g/g|micrograms? per gram", "µg/g"),  # faecal calprotectin
    (r"mg/g", "mg/g"),  # albumin to creatinine ratio
    (r"g/dl", "g/dL"),
    (r"ml/min/1\.73\s*m(?:2|²|\^2)", "mL/min/1.73m2"),
    (r"ml/min", "mL/min"),
    (r"ml/s(?:ec)?|ml per second|millilit(?:er|re)s? per second", "mL/s"),  # urine flow
    (r"hounsfield units?|hu\b", "[hnsf'U]"),  # stone density on CT (UCUM's Hounsfield unit)
    (r"kg/m(?:2|²|\^2)", "kg/m2"),
    (r"mg/m(?:2|²|\^2)", "mg/m2"),  # doses by body surface
    (r"(?:iu|units?)/ml|(?:iu|units?) per millilit(?:er|re)", "[IU]/mL"),  # e.g. total IgE
    (r"ppb|parts per billion", "[ppb]"),  # exhaled nitric oxide
    (r"g/24\s*h(?:ours?|rs?)?|g per 24 hours|g/day|grams? per day", "g/d"),  # proteinuria
    (r"kpa", "kPa"),
    # Blood counts and chemistry: "150 x 10^9/L", "133 µmol/L"; sizes: "5 cm".
    (r"(?:x|×)\s*10\s*(?:\^|\*\*)?\s*(?:9|⁹)\s*(?:/\s*l|per\s+lit(?:re|er))", "10^9/L"),
    (r"(?:µ|μ|u)mol/l|micromol(?:es)?/l", "µmol/L"),
    (r"mmol/l", "mmol/L"),
    (r"mmol/mol", "mmol/mol"),  # HbA1c in IFCC units
    (r"(?:iu|u|units?)/l|international units? per lit(?:re|er)", "[IU]/L"),  # enzymes
    (r"ng/dl", "ng/dL"),  # testosterone
    (r"mm/h(?:r|our)?|mm per hour|mm in (?:the first |1 |one )?hour", "mm/h"),  # ESR
    (r"°\s?c|degrees? (?:celsius|centigrade|c)\b", "Cel"),  # temperature (UCUM's code)
    (r"nmol/l", "nmol/L"),
    (r"pmol/l", "pmol/L"),
    (r"mm\s?hg", "mmHg"),  # pressures: blood, intraocular
    (r"(?:µ|μ|u)g/kg/min|micrograms?/kg/min|micrograms? per kilogram per minute", "µg/kg/min"),
    (r"ms|milliseconds?|msec", "ms"),  # intervals on an ECG
    (r"hours?|hrs?|h", "h"),
    (r"minutes?|mins?", "min"),
    (r"ml/kg", "mL/kg"),
    (r"g/l", "g/L"),
    (r"cm", "cm"),
    (r"mm", "mm"),
    (r"ml", "mL"),
    (r"kg", "kg"),
    (r"g|grams?", "g"),  # after every unit that starts with g
    (r"cells/(?:mm3|mm³|µl|ul)|cells per (?:mm3|microlit(?:er|re))", "cells/uL"),
    (r"mg/kg", "mg/kg"),
    (r"log(?:10)?(?: copies/ml)?", "log"),
)
UNIT_EXTRA_RX = re.compile("|".join(f"(?:{u})" for u, _ in UNITS_EXTRA), re.I)
UNIT_ANY_RX = rf"(?:{UNIT_EXTRA_RX.pattern})(?![A-Za-z])|(?:{UNIT_RX.pattern})"


UNIT_EXTRA_CODES = tuple((re.compile(u, re.I), code) for u, code in UNITS_EXTRA)


def unit_code_any(text: str | None) -> str | None:
    """`unit_code`, after the extra units (so 'copies/mL' reads as people write it, 'mg/L' is known)."""
    if not text:
        return None
    stripped = text.strip()
    for rx, code in UNIT_EXTRA_CODES:
        if rx.fullmatch(stripped):
            return code
    return unit_code(text)


def number_any(text: str) -> float:
    """`number`, also for 'a'/'an' and the larger number words."""
    t = text.strip().lower()
    if t in WORD_NUMBERS_ALL:
        return float(WORD_NUMBERS_ALL[t])
    return number(t)


# --- added for tables of results (existing patterns above are unchanged) ---

# A text-table row: a label, then a dot leader or a run of 3+ spaces / a tab, then the values.
LEADER_ROW = re.compile(r"^(?P<label>\S.*?\S)\s*(?:\.{3,}|…{2,}|[ \t]{3,}|\t)\s*(?P<cells>\S.*)$")
LEADER_ROW = prefiltered(LEADER_ROW)  # most lines have no leader (dots, a tab, a run of spaces): no search
# A Markdown pipe-table row and its separator row.
PIPE_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Cells of one row split by "vs"/"versus" or a semicolon-free run of spaces.
CELL_SPLIT = re.compile(r"\s+(?:vs\.?|versus|v\.?)\s+|[ \t]{3,}|\t|\s+/\s+", re.I)
# "(A arm vs B arm)", "(A versus B)": the arms a table header names in order.
HEADER_ARMS = re.compile(r"\(([^()]{3,120}?\s(?:vs\.?|versus|v\.?)\s[^()]{2,120}?)\)", re.I)
# A header/heading that introduces harms, not results ("Main risks" too).
HARMS_HEADING = re.compile(r"\b(?:toxicit(?:y|ies)|harms?|side[- ]effects?|adverse|complications?|safety|risks|"
                           r"downsides|drawbacks)\b", re.I)
# A table column naming the arm, the trial and the arm size.
ARM_COLUMN = re.compile(r"^(?:arms?|treatments?|therap(?:y|ies)|groups?|regimens?|interventions?)$", re.I)
SIZE_COLUMN = re.compile(r"^(?:n|no\.?|number|patients|n patients|number of patients)$", re.I)
# Ratios written in the plural ("hazard ratios for X: 0.41 ... and 0.36 ...").
# Time point qualifiers inside a measure's name ("at 24 months", "2-year", "at day 14").
TIME_IN_NAME = re.compile(
    rf"\s*\b(?:(?:at|after|by)\s+(?:{NUM}|{WORD_NUM_RX})\s+(?:years?|months?|weeks?|days?)|"
    rf"(?:at|by)\s+(?:day|week|month|year)\s+\d+|(?:{NUM}|{WORD_NUM_RX})[- ](?:year|month|week|day)s?\b)", re.I)


def stem(word: str) -> str:
    """A word without its adjective or noun ending: hypofractionated, hypofractionation -> hypofractionat."""
    for suffix in ("ally", "ation", "ated", "ion", "ed", "al", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            return word[:-len(suffix)]
    return word


# A dose in a table's column head: "Hypofractionated 62.5 Gy/25", "70 Gy in 35 fractions", "Erenumab 140 mg"
DOSE_IN_HEAD = re.compile(r"\s+\d[\d.]*\s*(?:Gy|mg|U|units|mcg|µg)\b(?:\s*(?:/|in)\s*\d+(?:\s*fractions?)?)?", re.I)
