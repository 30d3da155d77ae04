"""Sentences, headings, list items and their context."""
from salvage_kg.loaders.structure import sentences

DOC = """Rescue Treatment Guide

After Radiation Therapy
Options we discuss include:
  • Salvage prostatectomy (open or robotic)
  • Cryoablation
Local therapy is curative in intent. 2, 3 It differs from systemic care, e.g. hormone therapy. 4
## Markdown heading
- dash item
"""


def test_kinds_sections_and_intros():
    got = [(s.kind, s.section, s.text, s.intro) for s in sentences(DOC)]
    assert got[0] == ("title", "Rescue Treatment Guide", "Rescue Treatment Guide", None)
    assert ("heading", "After Radiation Therapy", "After Radiation Therapy", None) in got
    bullets = [g for g in got if g[0] == "bullet"]
    assert bullets[0][2] == "Salvage prostatectomy (open or robotic)"
    assert bullets[0][3] == "Options we discuss include:"
    assert bullets[1][1] == "After Radiation Therapy"
    assert ("heading", "Markdown heading", "Markdown heading", None) in got
    assert got[-1][:3] == ("bullet", "Markdown heading", "dash item")


def test_sentence_split_drops_citation_markers_and_respects_abbreviations():
    texts = [s.text for s in sentences(DOC) if s.kind == "paragraph"]
    assert "Local therapy is curative in intent." in texts
    assert "It differs from systemic care, e.g. hormone therapy." in texts


def test_spans_index_the_text():
    for s in sentences(DOC):
        assert DOC[s.start:s.end] == s.text


def test_a_numbered_line_over_its_numbered_items_is_a_heading():
    text = ("Guideline\n\n2. Treatment\n2.1 Salvage radiotherapy is recommended.\n"
            "2.2 Observation may be considered.\n\n3. Outcomes are reported below.\n")
    found = sentences(text)
    heading = next(s for s in found if s.text == "Treatment")
    assert heading.kind == "heading"
    item = next(s for s in found if s.text.startswith("2.2"))
    assert item.section == "Treatment"
    assert next(s for s in found if s.text.startswith("Outcomes")).kind == "bullet"  # a sentence, not a heading


def test_the_citation_tail_is_looked_for_only_at_the_end_and_found_as_a_whole_line_search_finds_it():
    from salvage_kg.loaders.structure import CITATION_TAIL, _citation_tail

    lines = ["Salvage surgery is an option. 1, 3-5", "Outcomes were good [12, 14–16]\n", "Grade 3 toxicity 12 ",
             "A score of 10 out of 12 was reached.", "No tail here", "[1]", " 7", "Rates fell 5-10\tpercent"]
    for line in lines:
        expected = CITATION_TAIL.search(line)
        found = _citation_tail(line)
        assert (found and found.span()) == (expected and expected.span()), line
    assert _citation_tail(lines[0]).group(0) == " 1, 3-5"


def test_a_numbered_line_after_a_blank_line_with_prose_right_under_it_heads_a_section():
    text = ("Guideline on asthma\n\n3. Add-on treatment after failure of high-dose ICS-LABA\n"
            "Add-on tiotropium is recommended for uncontrolled asthma.\n\nOptions:\n\n1. Salvage radiotherapy\n2. HIFU\n")
    kinds = [(s.kind, s.text) for s in sentences(text)]
    assert kinds[1] == ("heading", "Add-on treatment after failure of high-dose ICS-LABA")
    assert kinds[-2:] == [("bullet", "Salvage radiotherapy"), ("bullet", "HIFU")]


def test_a_letter_that_names_a_type_ends_a_sentence_but_an_initial_does_not():
    text = "Screen for hepatitis B and C. Methotrexate needs a blood count. See Dr. J. Smith for details.\n"
    assert [s.text for s in sentences(text)] == [
        "Screen for hepatitis B and C.", "Methotrexate needs a blood count.", "See Dr. J. Smith for details."]
