"""Outcomes read from tables of results: text tables with dot leaders or runs of spaces, and pipe tables."""
from __future__ import annotations

import re
from dataclasses import replace

from ..assertions import Outcome
from . import patterns as p
from .context import DocumentContext, SentenceView, is_type
from .recognize import slugify
from .measures import NUM, _state, cohort_sizes
from .results import _format_time, _p, _ratio_kind

# Reports put their main results in tables: text tables whose rows run a measure's name into its
# values through a dot leader or a run of spaces ("Median OS ....... 14.2 months vs 9.8 months"),
# with the arms named in the header ("(X arm vs Y arm)"), and Markdown pipe tables whose header
# names the columns (an arm column, an "n" column, one column per measure). Tables under a harms
# heading ("Toxicity", "Side effects") hold adverse effects, not results.

TABLE_LOOK_BACK = 3
NUMBER_CELL = re.compile(rf"(?<![\w.])(?P<v>[-−]?{NUM})(?:{p.DASH}(?P<v2>{NUM}))?\s*(?P<u>%|percent\b|months?|years?|"
                         rf"weeks?|days?)?", re.I)
CURED = re.compile(r"\s+(?:cured|resolved|healed|controlled|cleared|eradicated)\b", re.I)
SHARE_CELL = re.compile(r"^(?:about|around|roughly|approximately|nearly|almost|over|under)?\s*(?P<k>\d+(?:\.\d+)?)\s+"
                        r"(?:in|out of|per)\s+(?P<n>10|100|1,?000)\b(?!\s*(?:people|patients)\s+a\s+year)", re.I)
# Column heads: a p-value column, a ratio column ("HR (95% CI)"), an arm's size ("(n = 98)") and a
# unit the column's bare numbers share ("Median PFS (months)").
P_COLUMN = re.compile(r"^(?:p|p[- ]?values?)$", re.I)
# "Effect estimate (95% CI)": a column of ratios when its cells name their kind ("HR 0.61 (0.46 to 0.81)")
EFFECT_COLUMN = re.compile(r"\b(?:effect|estimate)\b", re.I)
RATIO_COLUMN = re.compile(r"\b(?:(?:hazard|odds|risk|rate)\s+ratio|a?HR|a?OR|RR)\b", re.I)
EFFICACY_HEADING = re.compile(r"\b(?:efficacy|effectiveness|evidence|benefits?|outcomes?|results?|responses?|survival)\b", re.I)
SIZE_IN_HEAD = re.compile(r"\(\s*n\s*=\s*(?P<n>\d{1,6})\s*\)", re.I)
# "Median PFS (months)", "Median PFS, months": the unit of a row's or column's bare numbers
UNIT_IN_HEAD = re.compile(r"(?:\(\s*(?:in\s+)?|,\s*)(?P<u>%|percent|months?|years?|weeks?|days?)\s*(?:\)|$)", re.I)
P_CELL = re.compile(r"^(?P<cmp>[<>≤=]|&lt;)?\s*(?P<val>0?\.\d+|1(?:\.0+)?)$")
RATIO_CELL = re.compile(rf"^(?:(?P<kind>a?HR|a?OR|RR)\s*)?(?P<v>{NUM})\s*"
                        rf"(?:\((?:95%\s*CI\s*[,:]?\s*)?(?P<lo>{NUM})\s*(?:-|–|—|to|,)\s*"
                        rf"(?P<hi>{NUM})\))?$", re.I)
# Cells of a text table: runs of spaces, tabs or a dot leader between them.
SPACE_CELL_GAP = re.compile(r"\s*(?:\.{3,}|…{2,})\s*|[ \t]{3,}|\t")
LEAD_SUMMARY = re.compile(r"^(?:median|mean|average|overall rate of|rate of|proportion (?:of|with))\s+", re.I)
TRAILING_QUALIFIER = re.compile(r"\s+(?:on|in|at|by|with|from|among|per|for|vs\.?|versus|compared with|relative to)\s+.*$|"
                                r"\s*\([^)]*\)\s*$|\s*,.*$", re.I)


def table_outcomes(ctx: DocumentContext) -> dict[int, list[Outcome]]:
    """Outcomes read from the document's tables of results, by the index of the row's sentence."""
    st = _state(ctx)
    if getattr(st, "tables", None) is not None:
        return st.tables
    st.tables = {}
    views = ctx.views
    i = 0
    while i < len(views):
        if p.PIPE_ROW.match(views[i].text):
            j = i
            while j < len(views) and p.PIPE_ROW.match(views[j].text):
                j += 1
            _pipe_table(ctx, views[i:j], st.tables)
            i = j
            continue
        if _leader_row(views[i]):
            j = i
            while j < len(views) and _leader_row(views[j]):
                j += 1
            if j - i >= 2 and not _space_column_table(ctx, views[i:j], st.tables):
                _leader_table(ctx, views[i:j], st.tables)
            i = j
            continue
        i += 1
    return st.tables


def _leader_row(v: SentenceView):
    hit = p.LEADER_ROW.match(v.text)
    if not hit or not re.search(r"\d", hit.group("cells")) or p.PIPE_ROW.match(v.text):
        return None
    if v.s.kind not in ("heading", "paragraph", "bullet"):
        return None
    return hit


def _harms_context(ctx, first: SentenceView, header_text: str) -> bool:
    """A table of harms only: its head or caption names harms, and not efficacy as well."""
    if p.HARMS_HEADING.search(header_text):
        return True
    for w in reversed(ctx.views[max(0, first.index - TABLE_LOOK_BACK):first.index]):
        if w.s.kind in ("heading", "title") and not _leader_row(w):
            return bool(p.HARMS_HEADING.search(w.text)) and not EFFICACY_HEADING.search(w.text)
    return False


def _leader_table(ctx, rows: list[SentenceView], found: dict[int, list[Outcome]]) -> None:
    if len(rows) > 1 and not NUMBER_CELL.search(SIZE_IN_HEAD.sub(" ", rows[0].text)):
        rows = rows[1:]  # the first line names the columns: "AutoSCT (n = 58)      ATO-ATRA alone (n = 71)"
    first = rows[0]
    header = ctx.views[first.index - 1] if first.index else None
    header_text = header.text if header is not None else ""
    if _harms_context(ctx, first, header_text):
        return
    arms: list[str] = []
    named = p.HEADER_ARMS.search(header_text)
    if named and header is not None:
        lo = header.s.start + named.start(1)
        pos = 0
        body = named.group(1)
        for seg in re.split(r"\s+(?:vs\.?|versus|v\.?)\s+", body, flags=re.I):
            at = body.find(seg, pos)
            pos = at + len(seg)
            arm = _arm_in_span(ctx, header, lo + at, lo + at + len(seg))
            if arm:
                arms.append(arm)
    group_size = None
    sizes: dict[str, int] = {}
    if not arms and header is not None:  # "AutoSCT (n = 58)      ATO-ATRA alone (n = 71)": a column per arm
        heads = space_cells(header)
        column_arms = [_arm_in_span(ctx, header, lo, hi) for lo, hi, _ in heads] if len(heads) >= 2 else []
        if column_arms and all(column_arms) and len(set(column_arms)) == len(column_arms):
            arms = column_arms
            sizes = {arm: int(n.group("n")) for arm, (_, _, cell) in zip(arms, heads)
                     if (n := SIZE_IN_HEAD.search(cell))}
    if not arms and header is not None:
        group = _group_arm(ctx, header)
        if group:
            arms, group_size = [group[0]], group[1]
    if not arms:
        arms = [a.mention.concept for a in _state(ctx).design()]
    for v in rows:
        hit = _leader_row(v)
        label_lo, label_hi = v.s.start + hit.start("label"), v.s.start + hit.end("label")
        cells_text = hit.group("cells")
        ratio = re.search(r"\b(hazard|odds|risk|rate)\s+ratio\b|\b(?:a?HR|a?OR)\b", hit.group("label"), re.I)
        measure = _table_measure(ctx, v, label_lo, label_hi, ratio_row=bool(ratio))
        if measure is None:
            continue
        time_point = _table_time(hit.group("label"))
        out: list[Outcome] = []
        if ratio:
            value = NUMBER_CELL.search(cells_text)
            if not value or not arms:
                continue
            ci = p.CI.search(cells_text)
            pv = p.P_VALUE.search(cells_text)
            significant = None
            if pv:
                level = float(pv.group("val"))
                significant = level < 0.05 if pv.group("cmp") in ("=", "<", "&lt;", "≤") else (
                    False if level >= 0.05 else None)
            elif ci:
                significant = not (p.number(ci.group("lo")) <= 1 <= p.number(ci.group("hi")))
            out.append(Outcome(arm=arms[0], measure=measure, value=p.number(value.group("v")),
                               unit=_ratio_kind(ratio.group(0)), comparator=arms[1] if len(arms) > 1 else None,
                               ci_lower=p.number(ci.group("lo")) if ci else None,
                               ci_upper=p.number(ci.group("hi")) if ci else None,
                               ci_level=p.number(ci.group("level")) if ci else None,
                               significant=significant, p_value=_p(pv), evidence=(v.evidence(),)))
        else:
            cells = [c for part in p.CELL_SPLIT.split(cells_text) for c in SPACE_CELL_GAP.split(part) if c.strip()]
            values = []
            for c in cells:
                num = NUMBER_CELL.search(c)
                if num and not p.CI.match(c.strip()):
                    values.append(num)
            if not values or len(values) > max(len(arms), 1) or (len(values) > 1 and len(values) != len(arms)):
                continue
            if len(values) == 1 and len(arms) != 1:
                continue
            last_unit = next((x.group("u") for x in reversed(values) if x.group("u")), None) or \
                _head_unit(hit.group("label"))
            for k, num in enumerate(values):
                unit_word = num.group("u") or last_unit
                if not unit_word:
                    continue
                unit = "%" if unit_word.lower().startswith(("%", "percent")) else p.unit_code(unit_word)
                others = [a for a in arms if a != arms[k]]
                out.append(Outcome(arm=arms[k], measure=measure, value=p.number(num.group("v")),
                                   value_max=p.number(num.group("v2")) if num.group("v2") else None, unit=unit,
                                   time_point=time_point,
                                   cohort_size=group_size or sizes.get(arms[k]) or cohort_sizes(ctx).get(arms[k]),
                                   comparator=others[0] if len(others) == 1 else None, evidence=(v.evidence(),)))
        if out:
            found[v.index] = out


# A short line naming one therapy, with or without its size, heads the rows of results under it:
# "Lurbinectedin (n = 158)" above "Objective response rate ..... 31.6%". Long lines are sentences.
GROUP_HEAD_MAX_WORDS = 8


def _group_arm(ctx, header: SentenceView) -> tuple[str, int | None] | None:
    """The one therapy a group heading line names, and the group's size when it gives one."""
    text = header.text.strip()
    if _leader_row(header) or text.endswith((".", ";", ",")) or len(SIZE_IN_HEAD.sub("", text).split()) > \
            GROUP_HEAD_MAX_WORDS:
        return None
    inside = _state(ctx).arm_index.inside(header.s.start, header.s.end)
    if len({m.concept for m in inside}) != 1:
        return None
    size = SIZE_IN_HEAD.search(text)
    return _whole_name_arm(ctx, header, inside[0]), int(size.group("n")) if size else None


# Words that make a heading a phrase about people rather than the name of a regimen.
NOT_REGIMEN_WORDS = re.compile(r"\b(?:the|of|with|in|for|who|given|treated|receiving|patients|men|women|people|"
                               r"after|before|versus|vs|and|or)\b", re.I)


def _whole_name_arm(ctx, header: SentenceView, mention) -> str:
    """A heading naming a regimen by more than its drug ('Platinum-etoposide rechallenge') names the regimen:
    the terminology's concept for the whole name, else one coined from it; otherwise the drug itself."""
    text = header.text
    name = re.sub(r"\s+", " ", re.sub(r"\([^)]*\)|\b(?:arm|group|cohort)s?\b", " ", text, flags=re.I)).strip(" :")
    if name.lower() == mention.text.lower() or NOT_REGIMEN_WORDS.search(name) or len(name.split()) > 4:
        return mention.concept
    lo = header.s.start + text.find(name)
    return _arm_in_span(ctx, header, lo, lo + len(name), known_inside=False) or mention.concept


def _pipe_cells(v: SentenceView) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell of a pipe row, stripped."""
    hit = p.PIPE_ROW.match(v.text)
    base = v.s.start + hit.start("cells")
    out, pos = [], 0
    body = hit.group("cells")
    for part in body.split("|"):
        at = pos
        pos += len(part) + 1
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        out.append((base + at + lead, base + at + lead + len(text), text))
    return out


def _pipe_table(ctx, rows: list[SentenceView], found: dict[int, list[Outcome]]) -> None:
    if len(rows) < 3 or not p.PIPE_SEPARATOR.match(rows[1].text):
        return
    head = rows[0]
    header = _pipe_cells(head)
    if arm_columns(ctx, head, header):
        _column_table(ctx, head, header, [(v, _pipe_cells(v)) for v in rows[2:]], found)
        return
    if _harms_context(ctx, head, ""):
        return
    names = [t for _, _, t in header]
    arm_col = next((k for k, n in enumerate(names) if p.ARM_COLUMN.match(n)), None)
    size_col = next((k for k, n in enumerate(names) if p.SIZE_COLUMN.match(n)), None)
    data = rows[2:]
    if arm_col is None:  # the column whose cells name therapies
        st = _state(ctx)
        for k in range(len(names)):
            hits = 0
            for v in data:
                cells = _pipe_cells(v)
                if k < len(cells) and any(cells[k][0] <= m.start and m.end <= cells[k][1] for m in st.arm_pool):
                    hits += 1
            if hits and hits >= len(data) - 1:
                arm_col = k
                break
    if arm_col is None:
        return
    columns: dict[int, tuple[str, str | None, str | None]] = {}
    comparator_cols: dict[int, int] = {}  # a comparator column -> the measure column its values answer
    for k, (lo, hi, name) in enumerate(header):
        if k in (arm_col, size_col) or not name:
            continue
        if COMPARATOR_COLUMN.match(name):
            if columns:
                comparator_cols[k] = max(columns)
            continue
        ratio = re.search(r"\b(hazard|odds|risk|rate)\s+ratio\b", name, re.I)
        measure = _table_measure(ctx, head, lo, hi, ratio_row=bool(ratio))
        if measure and not ratio:  # the measure, its time point, and the arm its head compares the row's with
            columns[k] = (measure, _table_time(name), _compared_arm(ctx, head, lo, hi))
    found[head.index] = []  # the head names columns; its numbers ('50% responder rate') are no results
    for v in data:
        cells = _pipe_cells(v)
        if arm_col >= len(cells):
            continue
        arm = _arm_in_span(ctx, v, cells[arm_col][0], cells[arm_col][1])
        if not arm:
            continue
        size = None
        if size_col is not None and size_col < len(cells) and re.fullmatch(r"\d{1,6}", cells[size_col][2]):
            size = int(cells[size_col][2])
        out = []
        for k, (measure, time_point, compared) in columns.items():
            if k >= len(cells):
                continue
            num = NUMBER_CELL.match(cells[k][2])
            if not num:
                continue
            u = num.group("u") or (_head_unit(header[k][2]) if num.end() == len(cells[k][2]) else None)
            if not u:
                continue  # a bare number takes the unit its column head states, else it is no result
            unit = "%" if u.lower().startswith(("%", "percent")) else p.unit_code(u)
            ci = p.CI.search(cells[k][2])  # "53% (95% CI 44 to 60)"
            out.append(Outcome(arm=arm, measure=measure, value=p.number(num.group("v").replace("−", "-")),
                               value_max=p.number(num.group("v2")) if num.group("v2") else None, unit=unit,
                               time_point=time_point, cohort_size=size,
                               comparator=compared if compared != arm else None,
                               ci_lower=p.number(ci.group("lo")) if ci else None,
                               ci_upper=p.number(ci.group("hi")) if ci else None,
                               ci_level=p.number(ci.group("level")) if ci else None,
                               evidence=(v.evidence(),)))
            versus = VERSUS_CELL.match(cells[k][2])
            if versus and compared and compared != arm:  # "38.5% vs 14.2%" under "(active vs placebo)"
                out.append(Outcome(arm=compared, measure=measure, value=p.number(versus.group("v2")), unit=unit,
                                   time_point=time_point, evidence=(v.evidence(),)))
        for k, of in comparator_cols.items():
            if k < len(cells):
                out = _comparator_cell(ctx, v, cells[k], columns[of], arm, out)
        if out:
            found[v.index] = out


# A column of what each row's arm was compared with: "Comparator", "Control", "Versus".
COMPARATOR_COLUMN = re.compile(r"^(?:comparators?|comparisons?|control(?:\s+(?:arm|group))?|versus|vs\.?|"
                               r"compared with)$", re.I)
# Its cells name their own arm: "22.2% with placebo", "9% on the old tablet".
ARM_VALUE_CELL = re.compile(rf"^(?P<v>{NUM})\s*(?P<u>%|percent\b)\s*(?:with|on|after|for|in)\s+(?:the\s+|a\s+)?", re.I)


def _comparator_cell(ctx, v: SentenceView, cell, column, arm: str, out: list[Outcome]) -> list[Outcome]:
    """'| 46.9% | 22.2% with placebo |' under 'Response | Comparator': the comparator's value of the measure the
    column before it reports, and the row's values now have that comparator."""
    lo, hi, text = cell
    hit = ARM_VALUE_CELL.match(text)
    if not hit:
        return out
    name_end = lo + len(re.split(r"\s*[(;,]", text[hit.end():])[0]) + hit.end()
    other = _arm_in_span(ctx, v, lo + hit.end(), name_end, known_inside=False, max_words=6)  # the whole name
    if not other or other == arm:
        return out
    measure, time_point, _ = column
    pv = p.P_VALUE.search(text)
    row = [replace(o, comparator=other, p_value=o.p_value or _p(pv)) if o.measure == measure else o for o in out]
    return row + [Outcome(arm=other, measure=measure, value=p.number(hit.group("v")), unit="%", time_point=time_point,
                          evidence=(v.evidence(),))]


VERSUS_CELL = re.compile(rf"^[-−]?{NUM}\s*%?\s*(?:vs\.?|versus)\s*(?P<v2>{NUM})\s*%?\s*$", re.I)


def _compared_arm(ctx, head: SentenceView, lo: int, hi: int) -> str | None:
    """The arm a column head says the row's arm was compared with: 'Responder rate (active vs placebo)'."""
    for m in _state(ctx).arm_index.inside(lo, hi):
        if COMPARED_IN_HEAD.search(ctx.doc.text[lo:m.start]):
            return m.concept
    return None


def _table_time(name: str) -> str | None:
    hit = p.TIME_POINT_ANY.search(name)
    return _format_time(hit) if hit else None


def _table_measure(ctx, v: SentenceView, lo: int, hi: int, ratio_row: bool = False) -> str | None:
    """The outcome measure a row label or column header names: a recognised endpoint inside it, else
    the longest leading part of the cleaned name the terminology knows, else a coined endpoint."""
    st = _state(ctx)
    inside = [m for m in st.measure_index.inside(lo, hi)
              if not _in_description(ctx.doc.text[lo:hi], m.start - lo, m.end - lo)]
    if inside:
        return inside[-1].concept if ratio_row else inside[0].concept
    if ratio_row:
        return None
    if any(ctx.is_a(m, "AdverseEffect") and not CURED.match(ctx.doc.text[m.end:hi])
           for m in v.mentions if lo <= m.start and m.end <= hi):
        return None  # a row of harms; but 'Infection cured' is a result
    name = ctx.doc.text[lo:hi]
    name = p.TIME_IN_NAME.sub(" ", name)
    name = re.sub(r"\s+(?:within|at|by|after|in|over)\s*$", "", name.rstrip())  # "Death within [1 year]"
    name = re.sub(r"\s+", " ", name).strip(" :-")
    name = LEAD_SUMMARY.sub("", name)
    name = TRAILING_QUALIFIER.sub("", name).strip()
    if not name or re.search(r"\d", name) or len(name.split()) > 6:
        return None
    words = name.split()
    for k in range(len(words), 0, -1):
        found = [c for c in ctx.term.lookup(" ".join(words[:k])) if c.type == "OutcomeMeasure"]
        if found:
            return found[0].id
        if k <= 2:
            break
    if len(words) == 1 and words[0].lower() in ("n", "trial", "study", "arm", "group"):
        return None
    label = name if name[:2].isupper() else name[:1].lower() + name[1:]
    cid = slugify(label)
    start = ctx.doc.text.find(name, lo)
    st._coin(cid, "OutcomeMeasure", label, (), start if start >= 0 else lo, (start + len(name)) if start >= 0 else hi)
    return cid


def _in_description(name: str, start: int, end: int) -> bool:
    """Whether name[start:end] lies in a bracketed description after the name, one that says more than the
    endpoint it names: 'Response (20% or greater PANSS reduction)' is a response defined with a scale;
    'Response (ORR)' and 'Survival (overall survival)' name their endpoint."""
    opening = name.rfind("(", 0, start)
    closing = name.find(")", end)
    if opening <= 0 or closing < 0 or not name[:opening].strip() or ")" in name[opening:start]:
        return False
    return len((name[opening + 1:start] + " " + name[end:closing]).split()) >= 2


def _arm_in_span(ctx, v: SentenceView, lo: int, hi: int, known_inside: bool = True, max_words: int = 5) -> str | None:
    """The therapy a table cell or header names: a therapy mention inside it (when known_inside), else one
    coined from the cell's words (without parentheses and the words 'arm'/'group')."""
    st = _state(ctx)
    inside = st.arm_index.inside(lo, hi) if known_inside else []
    if inside:
        return inside[0].concept
    text = ctx.doc.text[lo:hi]
    name = re.sub(r"\([^)]*\)", " ", text)
    name = re.sub(r"\b(?:arm|group|cohort)s?\b", " ", name, flags=re.I)
    name = re.sub(r"\s+", " ", name).strip(" ,;:")
    if not name or re.search(r"\d", name) or len(name.split()) > max_words:
        return None
    found = [c for c in ctx.term.lookup(name) if is_type(c.type, "Therapy")]
    if found:
        return found[0].id
    cid = slugify(name.lower() if not name.isupper() else name)
    start = ctx.doc.text.find(name, lo)
    st._coin(cid, "Therapy", name if name.isupper() else name.lower(), (), start if start >= 0 else lo,
             (start + len(name)) if start >= 0 else hi)
    return cid


def _head_unit(name: str) -> str | None:
    """The unit a column head gives its bare numbers: 'Median PFS (months)', 'Response (%)'."""
    hit = UNIT_IN_HEAD.search(name)
    return hit.group("u") if hit else None


def space_cells(v: SentenceView) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell of a text-table row whose cells are set apart by runs of spaces."""
    out, pos = [], 0
    text = v.text
    for gap in list(SPACE_CELL_GAP.finditer(text)) + [None]:
        stop = gap.start() if gap else len(text)
        cell = text[pos:stop]
        lead = len(cell) - len(cell.lstrip())
        if cell.strip():
            out.append((v.s.start + pos + lead, v.s.start + pos + lead + len(cell.strip()), cell.strip()))
        pos = gap.end() if gap else len(text)
    return out


def _space_column_table(ctx, rows: list[SentenceView], found: dict[int, list[Outcome]]) -> bool:
    """A text table whose head row names an arm in each value column ('Outcome   X (n=152)   Y (n=134)   p');
    the head is the first row or the line just before it. True when read as such."""
    candidates = [(rows[0], rows[1:])]
    before = ctx.views[rows[0].index - 1] if rows[0].index else None
    if before is not None and SPACE_CELL_GAP.search(before.text):
        candidates.append((before, rows))
    for head, data in candidates:
        header = space_cells(head)
        if indented(ctx, head) and data and len(header) == len(space_cells(data[0])) - 1:
            header = [(head.s.start, head.s.start, "")] + header  # a head over the value columns only
        if len(header) >= 3 and arm_columns(ctx, head, header):
            _column_table(ctx, head, header, [(v, space_cells(v)) for v in data], found)
            return True
    return False


def indented(ctx, v: SentenceView) -> bool:
    """A line that starts after a run of spaces: its first cell stands over a column to the right."""
    line_start = ctx.doc.text.rfind("\n", 0, v.s.start) + 1
    return v.s.start - line_start >= 3 and not ctx.doc.text[line_start:v.s.start].strip()


# "Mean reduction in migraine days vs placebo": a measure's column that names what the arms were compared with
COMPARED_IN_HEAD = re.compile(r"\b(?:vs\.?|versus|compared (?:with|to)|over|relative to)\s*$", re.I)


def arm_columns(ctx, head: SentenceView, header: list[tuple[int, int, str]]) -> dict[int, str]:
    """Column -> arm, for a head row naming a therapy in two or more of its value columns."""
    st = _state(ctx)
    arms = {}
    for k, (lo, hi, name) in enumerate(header[1:], start=1):
        if P_COLUMN.match(name) or RATIO_COLUMN.search(name):
            continue
        inside = [m for m in st.arm_index.inside(lo, hi) if not COMPARED_IN_HEAD.search(ctx.doc.text[lo:m.start])]
        if inside and p.PRIOR_CUE.search(ctx.doc.text[lo:inside[0].start]):
            arms[k] = _cohort_after(ctx, lo, hi)  # 'After EBRT (n = 71)': those treated after EBRT failed
        elif inside:
            arms[k] = inside[0].concept
        elif WHOLE_COHORT.match(name) and ctx.main_therapy:
            arms[k] = ctx.main_therapy  # 'All (n = 104)': everyone had the document's treatment
        elif (elliptic := elliptic_arm(ctx, head, lo, hi)) is not None:
            arms[k] = elliptic
        elif SIZE_IN_HEAD.search(name) and (named := _arm_in_span(ctx, head, lo, hi, max_words=6)):
            arms[k] = named  # 'Switching to the other tablet (n = 58)': a group of patients is an arm
    if len(arms) < 2:
        return {}
    return _without_shared_backbone(ctx, {k: header[k][2] for k in arms}, arms)


WHOLE_COHORT = re.compile(r"\s*(?:all|overall|total|all patients|whole cohort|entire cohort)\s*(?:\(|$)", re.I)


def _cohort_after(ctx, lo: int, hi: int) -> str:
    """A column of those whose earlier treatment a head names: a cohort of the document's treatment, named
    as the head names it."""
    name = re.sub(r"\s+", " ", SIZE_IN_HEAD.sub(" ", ctx.doc.text[lo:hi])).strip(" :")
    label = name[0].lower() + name[1:] if not name.split()[0].isupper() else name
    cid = slugify(label)
    main = ctx.main_therapy
    _state(ctx)._coin(cid, "Therapy", label, (), lo, lo + len(name), broader=(main,) if main else ())
    return cid


def elliptic_arm(ctx, head: SentenceView, lo: int, hi: int) -> str | None:
    """A column head naming an arm by its modifier alone ('Whole-gland (n=148)', 'High-dose') where the
    document's text names the arm in full ('whole-gland cryoablation'): a known arm whose name starts with
    the head, else one coined from the head and the therapy mention it stands right before in the text."""
    name = re.sub(r"\s+", " ", p.DOSE_IN_HEAD.sub(" ", SIZE_IN_HEAD.sub(" ", ctx.doc.text[lo:hi]))).strip(" :")
    if not name or len(name.split()) > 3 or re.search(r"\d", name):
        return None
    st = _state(ctx)
    lowered = name.lower()
    named = next((m for m in st.arm_pool if m.text.lower().startswith((lowered + " ", lowered + "-"))), None)
    if named is None and " " not in lowered:  # 'Hypofractionated' for the text's 'hypofractionation'
        named = next((m for m in st.arm_pool if p.stem(m.text.split()[0].lower()) == p.stem(lowered)
                      and len(p.stem(lowered)) >= 6), None)
    if named is not None:  # the document's own name for the arm starts with the head
        return named.concept
    text = ctx.doc.text
    # "hypofractionated versus conventionally fractionated salvage radiotherapy": the head shares the other's noun
    for hit in re.finditer(rf"\b{re.escape(name)}\s+(?:versus|vs\.?|or|and)\s+", text, re.I):
        other = next((m for m in st.arm_index.inside(hit.end(), hit.end() + 80) if m.start == hit.end()), None)
        words = other.text.split() if other else []
        for k in range(1, len(words)):
            found = [c for c in ctx.term.lookup(f"{name} {' '.join(words[k:])}") if is_type(c.type, "Therapy")]
            if found:
                return found[0].id
    for hit in re.finditer(rf"\b{re.escape(name)}[ -]+", text, re.I):
        therapy = next((m for m in st.arm_index.inside(hit.end(), hit.end() + 80) if m.start == hit.end()), None)
        if therapy is None:
            continue
        full = text[hit.start():therapy.end]
        found = [c for c in ctx.term.lookup(full) if is_type(c.type, "Therapy")]
        if found:
            return found[0].id
        cid = slugify(full.lower())
        st._coin(cid, "Therapy", full.lower(), (), hit.start(), therapy.end)
        return cid
    return None


COMBINED = re.compile(r"\s*(?:\+|\bplus\b|\bwith\b|&)\s*", re.I)


def _without_shared_backbone(ctx, heads: dict[int, str], arms: dict[int, str]) -> dict[int, str]:
    """'ENRT + ADT' and 'SBRT + ADT': a therapy every arm receives is background, so each arm is named by
    what sets it apart (the design's arm or a known therapy), when that part can be resolved."""
    parts = {k: [x for x in COMBINED.split(SIZE_IN_HEAD.sub("", h).strip()) if x] for k, h in heads.items()}
    if any(len(x) < 2 for x in parts.values()):
        return arms
    shared = set.intersection(*(set(x.lower() for x in xs[1:]) for xs in parts.values()))
    if not shared:
        return arms
    design = {a.mention.text.lower(): a.mention.concept for a in _state(ctx).design()}
    out = dict(arms)
    for k, xs in parts.items():
        own = " ".join(x for x in xs if x.lower() not in shared)
        found = design.get(own.lower()) or next(
            (c.id for c in ctx.term.lookup(own) if is_type(c.type, "Therapy")), None)
        if found:
            out[k] = found
    return out


def _column_table(ctx, head: SentenceView, header, rows, found: dict[int, list[Outcome]]) -> None:
    """A table with one row per endpoint and one column per arm, possibly with a ratio and a p-value
    column: '| Endpoint at 4 years | X (n = 98) | Y (n = 98) | HR (95% CI) | p |'. The first head cell may
    give the time point of every row, an arm's head its size; a row label its own time point or unit."""
    if _harms_context(ctx, head, head.text):
        return
    arms = arm_columns(ctx, head, header)
    sizes = {k: int(h.group("n")) for k in arms if (h := SIZE_IN_HEAD.search(header[k][2]))}
    p_col = next((k for k, (_, _, n) in enumerate(header) if k and P_COLUMN.match(n)), None)
    ratio_col = next((k for k, (_, _, n) in enumerate(header) if k and k not in arms and
                      (RATIO_COLUMN.search(n) or EFFECT_COLUMN.search(n))), None)
    time_point = _table_time(header[0][2])
    order = sorted(arms)
    for v, cells in rows:
        if len(cells) != len(header):
            continue
        lo, hi, label = cells[0]
        measure = _table_measure(ctx, v, lo, hi)
        if measure is None:
            continue
        when = _table_time(label) or time_point
        pv = P_CELL.match(cells[p_col][2]) if p_col is not None else None
        p_value = f"{'<' if pv.group('cmp') == '&lt;' else pv.group('cmp') or ''}{pv.group('val')}" if pv else None
        out = []
        for k in order:
            share = SHARE_CELL.match(cells[k][2])
            num = NUMBER_CELL.match(cells[k][2])
            if share:  # "about 84 in 100": a percentage written for patients
                value = round(100 * p.number(share.group("k")) / p.number(share.group("n")), 6)
                value_max, unit = None, "%"
            elif num:
                u = num.group("u") or (_head_unit(label) or _head_unit(header[k][2]) if num.end() == len(cells[k][2])
                                       else None)
                if not u:
                    continue
                unit = "%" if u.lower().startswith(("%", "percent")) else p.unit_code(u)
                value = p.number(num.group("v"))
                value_max = p.number(num.group("v2")) if num.group("v2") else None
            else:
                continue
            others = [arms[j] for j in order if j != k]
            out.append(Outcome(arm=arms[k], measure=measure, value=value, value_max=value_max, unit=unit,
                               time_point=when, cohort_size=sizes.get(k) or cohort_sizes(ctx).get(arms[k]),
                               comparator=others[0] if len(others) == 1 else None, p_value=p_value,
                               evidence=(v.evidence(),)))
        ratio = RATIO_CELL.match(cells[ratio_col][2]) if ratio_col is not None else None
        if ratio and (ratio.group("kind") or RATIO_COLUMN.search(header[ratio_col][2])):  # not a difference
            out.append(_ratio_cell_outcome(v, ratio, header[ratio_col][2], measure,
                                           _favoured_first(ctx, measure, [arms[k] for k in order], out,
                                                           p.number(ratio.group("v"))), p_value))
        if out:
            found[v.index] = out


GOOD_MEASURE = re.compile(r"surviv|free|respon|remission|control|continen|cure", re.I)
BAD_MEASURE = re.compile(r"mortality|death|recurrence|relapse|progression|failure|toxicity|complication", re.I)


def _favoured_first(ctx, measure: str, arms: list[str], row: list[Outcome], ratio: float) -> list[str]:
    """The arms of a row's ratio, its own arm first: a ratio below 1 is the arm the row's values favour
    against the other (the experimental arm, whichever column it sits in); otherwise the first column's."""
    values = {o.arm: o.value for o in row if o.unit == "%"}
    concept = ctx.term.concepts.get(measure)
    name = concept.label if concept is not None else measure
    if ratio >= 1 or len(arms) != 2 or set(values) != set(arms) or values[arms[0]] == values[arms[1]]:
        return arms
    better = max if GOOD_MEASURE.search(name) else min if BAD_MEASURE.search(name) else None
    if better is None:
        return arms
    favoured = better(arms, key=values.__getitem__)
    return [favoured] + [a for a in arms if a != favoured]


def _ratio_cell_outcome(v: SentenceView, cell, head: str, measure: str, arms: list[str],
                        p_value: str | None) -> Outcome:
    """'0.44 (0.26-0.74)' under 'HR (95% CI)': the first arm's ratio against the second."""
    lo, hi = (p.number(cell.group("lo")), p.number(cell.group("hi"))) if cell.group("lo") else (None, None)
    significant = None
    if p_value:
        significant = float(p_value.lstrip("<>=≤")) < 0.05 if not p_value.startswith(">") else False
    elif lo is not None:
        significant = not lo <= 1 <= hi
    kind = cell.group("kind") or RATIO_COLUMN.search(head).group(0)  # 'HR 0.61 (0.46-0.81)' under 'HR or difference'
    return Outcome(arm=arms[0], measure=measure, value=p.number(cell.group("v")), unit=_ratio_kind(kind),
                   comparator=arms[1] if len(arms) > 1 else None, ci_lower=lo, ci_upper=hi,
                   ci_level=95.0 if lo is not None else None, significant=significant, p_value=p_value,
                   evidence=(v.evidence(),))
