"""Concept recognition: terms and their variants, abbreviations, document-defined abbreviations and
unknown drug names. Every sentence here was written for these tests."""
import pytest

from salvage_kg.ontology.terminology import default_terminology
from salvage_kg.loaders.recognize import Mention, Recognizer, slugify


@pytest.fixture(scope="module")
def rec():
    return Recognizer(default_terminology())


def found(rec, text, extra=None):
    """(surface, concept) pairs, after checking each span quotes the text exactly."""
    out = []
    for m in rec.find(text, extra):
        assert text[m.start:m.end] == m.text
        out.append((m.text, m.concept))
    return out


# --- terms ----------------------------------------------------------------------------------------

def test_longest_match_wins_and_mentions_do_not_overlap(rec):
    text = "He chose salvage radical prostatectomy over salvage radiotherapy."
    assert found(rec, text) == [("salvage radical prostatectomy", "salvage-radical-prostatectomy"),
                                ("salvage radiotherapy", "salvage-radiotherapy")]
    mentions = rec.find(text)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))
    assert mentions[0].type == "Surgery" and not mentions[0].provisional


def test_labels_match_in_any_case(rec):
    assert found(rec, "CRYOABLATION or Cryoablation or cryoablation") == [
        ("CRYOABLATION", "cryoablation"), ("Cryoablation", "cryoablation"), ("cryoablation", "cryoablation")]


def test_word_boundaries_are_respected(rec):
    assert found(rec, "Cancerous cells; precancer; the biopsy-proven cases") == [("biopsy", "biopsy")]
    assert found(rec, "an agent, a gentle teammate, the pages of a stager") == []


@pytest.mark.parametrize("surface, concept", [
    ("re-irradiation", "reirradiation"),
    ("reirradiation", "reirradiation"),
    ("re irradiation", "reirradiation"),
    ("re\u2011irradiation", "reirradiation"),  # non-breaking hyphen
    ("radical prostatectomies", "radical-prostatectomy"),
    ("bone metastasis", "bone-metastases"),
    ("bone metastases", "bone-metastases"),
    ("therapies", None),
    ("oesophageal cancer", "oesophageal-cancer"),
    ("esophageal cancer", "oesophageal-cancer"),
    ("haematological toxicity", "haematological-toxicity"),
    ("hematological toxicity", "haematological-toxicity"),
    ("anemia", "anaemia"),
    ("localized prostate cancer", "localised-prostate-cancer"),
    ("diarrhea", "diarrhoea"),
    ("acute myeloid leukemia", "acute-myeloid-leukaemia"),
    ("germ cell tumors", "germ-cell-tumour"),
    ("high\u2013intensity focused ultrasound", "hifu"),  # en dash
    ("non-small-cell lung cancer", "nsclc"),
    ("Hodgkin\u2019s lymphoma", "hodgkin-lymphoma"),  # curly apostrophe
    ("LDR-brachytherapy", "ldr-brachytherapy"),
    ("metastases", "metastasis"),
])
def test_spelling_number_and_hyphenation_variants(rec, surface, concept):
    text = f"We report {surface} here."
    expected = [(surface, concept)] if concept else []
    assert found(rec, text) == expected


def test_terms_broken_across_lines_and_spaces_keep_exact_offsets(rec):
    text = "Options:\n  salvage   radical\n   prostatectomy  or  brachy-\ntherapy."
    assert found(rec, text) == [("salvage   radical\n   prostatectomy", "salvage-radical-prostatectomy"),
                                ("brachy-\ntherapy", "brachytherapy")]


def test_a_paragraph_break_separates_terms(rec):
    assert found(rec, "Radical\n\nprostatectomy") == [("prostatectomy", "prostatectomy")]


def test_abbreviations_match_case_sensitively_as_whole_tokens(rec):
    text = "RT was given; the art of medicine; ART for HIV; Rt; PARTS; SRT; sRP."
    assert found(rec, text) == [("RT", "radiotherapy"), ("ART", "antiretroviral-therapy"),
                                ("HIV", "hiv-infection"), ("SRT", "salvage-radiotherapy"),
                                ("sRP", "salvage-radical-prostatectomy")]


def test_acronym_labels_are_case_sensitive_too(rec):
    assert found(rec, "ice and tip were packed; ICE then TIP; VeIP, veip") == [
        ("ICE", "ice-regimen"), ("TIP", "tip-regimen"), ("VeIP", "veip-regimen")]


def test_abbreviation_plurals_and_hyphenated_abbreviations(rec):
    assert found(rec, "Two NRTIs and R-CHOP, then PSA-DT") == [
        ("NRTIs", "nrti"), ("R-CHOP", "r-chop-regimen"), ("PSA-DT", "psa-doubling-time")]


def test_false_friends_and_capitalised_headings(rec):
    assert found(rec, "An RT-PCR assay found RT mutations.") == []
    assert found(rec, "ALL THE MEN WERE TREATED AS PLANNED") == []
    assert found(rec, "Children with ALL were treated as planned") == [
        ("ALL", "acute-lymphoblastic-leukaemia")]


def test_extra_surface_forms_from_the_document(rec):
    text = "Focal salvage ablation (FSA) was used; FSA caused few side effects."
    got = found(rec, text, extra={"FSA": "salvage-focal-therapy"})
    assert ("FSA", "salvage-focal-therapy") in got
    assert got.count(("FSA", "salvage-focal-therapy")) == 2
    assert ("side effects", "adverse-event") in got


def test_extra_forms_win_and_unknown_ids_are_provisional(rec):
    text = "Prostate artery embolisation (PAE) and then PAE again."
    mentions = rec.find(text, extra={"PAE": "prostate-artery-embolisation",
                                     "prostate artery embolisation": "prostate-artery-embolisation"})
    assert [(m.text, m.concept, m.type, m.provisional) for m in mentions] == [
        ("Prostate artery embolisation", "prostate-artery-embolisation", "Concept", True),
        ("PAE", "prostate-artery-embolisation", "Concept", True),
        ("PAE", "prostate-artery-embolisation", "Concept", True)]


def test_empty_text(rec):
    assert rec.find("") == []
    assert rec.drug_candidates("") == []
    assert rec.defined_abbreviations("") == []


# --- abbreviations a document defines ---------------------------------------------------------------

def test_defined_abbreviations_resolve_known_long_forms(rec):
    text = ("In our clinic, men with a rising PSA after radiation may receive salvage focal therapy (sFT). "
            "Others get Stereotactic Body Radiation Therapy (SBRT) with androgen deprivation therapy (ADT).")
    defs = rec.defined_abbreviations(text)
    got = [(d.long, d.short, d.concept) for d in defs]
    assert got == [("salvage focal therapy", "sFT", "salvage-focal-therapy"),
                   ("Stereotactic Body Radiation Therapy", "SBRT", "sbrt"),
                   ("androgen deprivation therapy", "ADT", "androgen-deprivation-therapy")]
    for d in defs:
        assert text[d.long_start:d.long_end] == d.long
        assert text[d.short_start:d.short_end] == d.short
    assert defs[1].type == "Radiotherapy"


def test_unknown_long_forms_have_no_concept_but_a_suggested_type(rec):
    text = "A newer option is transperineal laser ablation (TPLA), and some use a vibrating crystal (VC)."
    defs = rec.defined_abbreviations(text)
    assert [(d.long, d.short, d.concept, d.type) for d in defs] == [
        ("transperineal laser ablation", "TPLA", None, "Ablation"),
        ("vibrating crystal", "VC", None, None)]


def test_short_form_before_long_form(rec):
    text = "Uptake of PSMA (prostate-specific membrane antigen) was high."
    (d,) = rec.defined_abbreviations(text)
    assert (d.short, d.long, d.concept) == ("PSMA", "prostate-specific membrane antigen", "psma-expression")
    assert text[d.long_start:d.long_end] == d.long and text[d.short_start:d.short_end] == d.short


@pytest.mark.parametrize("text", [
    "The cohort was small (n = 45) but informative.",
    "Results are shown below (see Table 2).",
    "Risk fell (HR 0.52) after treatment.",
    "We measured the blood level (PSA) twice.",  # letters do not match the words before
    "Outcomes were good (95% CI 0.4-0.9).",
    "The drug (brand name withheld) was used.",
])
def test_parentheses_that_define_nothing(rec, text):
    assert rec.defined_abbreviations(text) == []


# --- drug names the terminology lacks ---------------------------------------------------------------

def test_drug_candidates_by_stem(rec):
    text = ("After progression she received zanubrutinib, then tislelizumab vedotin; "
            "an older patient was given cefoxazole and a trial drug, ulonivir.")
    got = [(m.text, m.concept, m.type, m.provisional) for m in rec.drug_candidates(text)]
    assert got == [("zanubrutinib", "zanubrutinib", "TargetedTherapy", True),
                   ("tislelizumab vedotin", "tislelizumab-vedotin", "AntibodyTherapy", True),
                   ("cefoxazole", "cefoxazole", "AntimicrobialTherapy", True),
                   ("ulonivir", "ulonivir", "AntiretroviralTherapy", True)]
    for m in rec.drug_candidates(text):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("name, type_name", [
    ("opaplatin", "Chemotherapy"), ("lexitaxel", "Chemotherapy"), ("florenavir", "AntiretroviralTherapy"),
    ("orategravir", "AntiretroviralTherapy"), ("venafungin", "AntimicrobialTherapy"),
    ("corlutamide", "HormoneTherapy"), ("tarparib", "TargetedTherapy"), ("exarelin", "HormoneTherapy"),
    ("movafloxacin", "AntimicrobialTherapy"), ("belaximab", "AntibodyTherapy"), ("zetrozole", "HormoneTherapy"),
])
def test_stem_suggests_the_class(rec, name, type_name):
    (m,) = rec.drug_candidates(f"Patients took {name} daily.")
    assert (m.text, m.type) == (name, type_name)


def test_known_drugs_and_ordinary_words_are_not_candidates(rec):
    text = ("We navigate the cabin to find the nib of a pen; lenacapavir, cabotegravir and brentuximab "
            "vedotin are known, as are ritonavir and Triazole, imidazole, testosterone and interleukin.")
    assert rec.drug_candidates(text) == []


# --- ids --------------------------------------------------------------------------------------------

def test_slugify():
    assert slugify("Prostate Artery Embolisation") == "prostate-artery-embolisation"
    assert slugify("  177Lu–PSMA-617 ") == "177lu-psma-617"
    assert slugify("Guérin's  (BCG)") == "guerin-s-bcg"
    assert slugify("!!!") == "concept"


def test_mention_is_a_frozen_value():
    m = Mention(0, 3, "ADT", "androgen-deprivation-therapy", "HormoneTherapy")
    assert not m.provisional
    with pytest.raises(AttributeError):
        m.start = 1


def test_markdown_emphasis_inside_a_name_does_not_hide_it(rec):
    text = "Relapsed *invasive aspergillosis* after voriconazole"
    got = found(rec, text)
    assert ("invasive aspergillosis*", "invasive-aspergillosis") in got or \
        ("invasive aspergillosis", "invasive-aspergillosis") in got


def test_drug_candidates_for_enzyme_mtor_and_thrombopoietin_stems(rec):
    text = "Options were vorinostat, temsirolimus, trabectedin, avatrombopag or romiplostim; a thermostat was not."
    got = {m.text: m.type for m in rec.drug_candidates(text)}
    assert set(got) == {"vorinostat", "temsirolimus", "trabectedin", "avatrombopag", "romiplostim"}
    assert got["avatrombopag"] == "SystemicTherapy"


# --- therapies named by their class or by a surgical suffix ----------------------------------------

def test_target_inhibitor_classes_are_coined_in_the_singular(rec):
    text = "Covalent JAK inhibitors were stopped; a PARP inhibitor followed. Avoid strong CYP2D6 inhibitors."
    got = [(m.text, m.concept, m.type) for m in rec.class_candidates(text)]
    assert got == [("Covalent JAK inhibitors", "covalent-jak-inhibitor", "TargetedTherapy"),
                   ("PARP inhibitor", "parp-inhibitor", "TargetedTherapy")]


def test_operations_named_by_a_surgical_suffix(rec):
    text = "She had a partial gastrectomies review; redo pyeloplasty was planned, without complication."
    got = [(m.text, m.concept, m.type) for m in rec.class_candidates(text)]
    assert got == [("partial gastrectomies", "partial-gastrectomy", "Surgery"),
                   ("redo pyeloplasty", "redo-pyeloplasty", "Surgery")]
    for m in rec.class_candidates(text):
        assert text[m.start:m.end] == m.text


def test_slashed_regimen_defines_its_slashed_short_form(rec):
    text = "After NS5A failure, sofosbuvir/velpatasvir/voxilaprevir (SOF/VEL/VOX) for 12 weeks is recommended."
    (d,) = rec.defined_abbreviations(text)
    assert (d.long, d.short) == ("sofosbuvir/velpatasvir/voxilaprevir", "SOF/VEL/VOX")
    assert d.type is not None and d.concept is None


@pytest.mark.parametrize("name", [
    "zelmigepant", "oxaditan", "ralotriptan", "velifenacin", "torabegron", "lisartan", "ravaxaban",
    "cortagliflozin", "somaglutide", "ventolukast", "duroxetine", "lurapiprazole", "tolecoxib", "oranercept",
])
def test_stems_of_other_fields_make_drug_candidates(rec, name):
    (m,) = rec.drug_candidates(f"She was switched to {name} last year.")
    assert m.text == name and m.provisional


def test_words_that_only_end_like_a_stem_are_no_drugs(rec):
    assert rec.drug_candidates("Her cholesterol was fine; the intercept of the line was low, like a mongrel's.") == []


def test_a_clipped_name_defined_in_parentheses_is_an_abbreviation(rec):
    (d,) = rec.defined_abbreviations("Patients received lisocabtagene maraleucel (liso-cel) after two lines.")
    assert (d.long, d.short, d.type) == ("lisocabtagene maraleucel", "liso-cel", "Immunotherapy")
    assert rec.defined_abbreviations("It was a two-step (two-way) process.") == []


def test_a_study_s_name_in_parentheses_is_no_abbreviation_of_the_words_before(rec):
    assert rec.defined_abbreviations("Relapse after prostatectomy and salvage radiotherapy (PEDAL-R).") == []
    (d,) = rec.defined_abbreviations("Stereotactic body radiotherapy with androgen deprivation therapy (SBRT-ADT).")
    assert d.short == "SBRT-ADT"


def test_a_name_made_of_fragments_of_a_long_phrase_is_no_abbreviation(rec):
    assert rec.defined_abbreviations("Focal cryoablation as salvage treatment for locally recurrent prostate cancer "
                                     "after radiotherapy (CRYOSALV).") == []
    (d,) = rec.defined_abbreviations("Hyperthermic intraperitoneal chemotherapy (HIPEC) was added.")
    assert d.short == "HIPEC"


def test_a_combination_named_with_known_as_is_an_abbreviation(rec):
    (d,) = rec.defined_abbreviations("After chemotherapy, rituximab combined with lenalidomide, known as R2, is "
                                     "a standard option.")
    assert (d.short, d.long) == ("R2", "rituximab combined with lenalidomide")
