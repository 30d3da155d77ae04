"""The terminology: the packaged data, validation of broken files, lookup and the hierarchy."""
import re
from pathlib import Path

import pytest

from salvage_kg.ontology import schema
from salvage_kg.ontology.terminology import (
    Terminology,
    TerminologyError,
    default_terminology,
    normalize,
    variants,
)

KEY_IDS = [
    "radiotherapy", "radical-prostatectomy", "salvage-therapy", "adjuvant-therapy", "palliative-therapy",
    "prostate-cancer", "biochemical-recurrence", "psa", "psa-doubling-time", "grade-group", "life-expectancy",
    "androgen-deprivation-therapy", "biopsy", "imaging", "metastasis", "salvage-radiotherapy",
    "salvage-radical-prostatectomy", "cryoablation", "hifu", "focal-therapy", "salvage-focal-therapy",
    "reirradiation", "brachytherapy", "external-beam-radiotherapy", "imrt", "sbrt", "treatment-duration",
    "hiv-infection", "antiretroviral-therapy", "lymphoma", "hodgkin-lymphoma", "germ-cell-tumour", "seminoma",
    "chemotherapy", "autologous-stem-cell-transplantation", "high-dose-chemotherapy", "urinary-incontinence",
    "erectile-dysfunction", "postoperative-complications", "major-complication", "overall-survival",
    "cancer-specific-survival", "placebo", "focal-ablation",
]

# Local-part shapes of each vocabulary's codes: a typo'd or invented code usually breaks them.
XREF_SHAPES = {
    "mesh": r"[DC]\d{6,9}", "ncit": r"C\d+", "mondo": r"\d{7}", "hp": r"\d{7}", "maxo": r"\d{7}",
    "chebi": r"\d+", "snomedct": r"\d{6,18}", "umls": r"C\d{7}",
}


@pytest.fixture(scope="module")
def term():
    return default_terminology()


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(body, encoding="utf-8")
    return path


# --- the packaged terminology ---------------------------------------------------------------------

def test_packaged_terminology_is_large_and_well_typed(term):
    assert len(term.concepts) >= 320
    assert {c.type for c in term.concepts.values()} <= schema.CONCEPT_TYPES
    for c in term.concepts.values():
        for x in c.xrefs:
            prefix, _, local = x.partition(":")
            assert prefix in schema.PREFIXES, x
            assert re.fullmatch(XREF_SHAPES[prefix], local), x


def test_key_concepts_exist_with_expected_types(term):
    missing = [cid for cid in KEY_IDS if cid not in term.concepts]
    assert not missing
    assert term.is_a("salvage-radical-prostatectomy", "Surgery")
    assert term.is_a("brachytherapy", "Therapy")
    assert term.is_a("prostate-cancer", "Condition")
    assert term.is_a("psa", "Biomarker")
    assert not term.is_a("psa", "Therapy")


def test_coverage_reaches_beyond_prostate_cancer(term):
    by_type = {}
    for c in term.concepts.values():
        by_type.setdefault(c.type, 0)
        by_type[c.type] += 1
    for type_name in ("AntiretroviralTherapy", "AntimicrobialTherapy", "Chemotherapy", "InfectiousDisease",
                      "Neoplasm", "AdverseEffect", "OutcomeMeasure", "Imaging", "LaboratoryTest"):
        assert by_type.get(type_name, 0) >= 10, type_name


def test_every_concept_reaches_a_root_without_cycles(term):
    for c in term.concepts.values():
        chain = term.ancestors(c.id)
        assert chain[0] == c.id
        assert len(chain) == len(set(chain))


def test_default_terminology_is_cached():
    assert default_terminology() is default_terminology()


# --- validation -----------------------------------------------------------------------------------

GOOD = """concepts:
  - id: therapy-a
    type: Therapy
    label: therapy a
  - id: therapy-b
    type: Surgery
    label: therapy b
    synonyms: [operation b]
    abbreviations: [TB1]
    broader: [therapy-a]
    xrefs: [mesh:D000001]
"""


def test_small_valid_file_loads(tmp_path):
    t = Terminology.load(write(tmp_path, GOOD))
    assert t.get("therapy-b").broader == ("therapy-a",)
    assert t.get("therapy-b").xrefs == ("mesh:D000001",)
    assert t.lookup("operation b")[0].id == "therapy-b"


NEW = GOOD.count("\n") + 1  # the line an appended concept starts on


@pytest.mark.parametrize("body, cause, line", [
    (GOOD + "  - id: therapy-a\n    type: Therapy\n    label: again\n", "duplicate concept id 'therapy-a'", NEW),
    (GOOD + "  - id: c\n    type: Medicine\n    label: c\n", "unknown type 'Medicine'", NEW),
    (GOOD + "  - id: c\n    type: Therapy\n    label: c\n    broader: [nowhere]\n",
     "broader concept 'nowhere' does not exist", NEW),
    (GOOD + "  - id: c\n    type: Therapy\n    label: c\n    xrefs: [foo:123]\n",
     "cross-reference 'foo:123' has no known prefix", NEW),
    (GOOD + "  - id: c\n    type: Therapy\n    label: c\n    synonyms: [Operation-B]\n",
     "name 'Operation-B' of concept 'c' is also a name of 'therapy-b'", NEW),
    (GOOD + "  - id: c\n    type: Therapy\n    label: c\n    abbreviations: [TB1]\n",
     "abbreviation 'TB1' of concept 'c' is also an abbreviation of 'therapy-b'", NEW),
    (GOOD + "  - id: c\n    type: Therapy\n    label: c\n    synonym: [typo]\n", "unknown key(s) synonym", NEW),
    (GOOD + "  - id: Bad_Id\n    type: Therapy\n    label: c\n", "is not a lowercase slug", NEW),
    (GOOD + "  - id: c\n    type: Therapy\n", "missing or empty 'label'", NEW),
    (GOOD + "  - id: c\n    type: Neoplasm\n    label: c\n    broader: [therapy-a]\n", "are disjoint", NEW),
])
def test_broken_files_are_reported_with_file_line_and_cause(tmp_path, body, cause, line):
    path = write(tmp_path, body)
    with pytest.raises(TerminologyError) as err:
        Terminology.load(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert cause in message


def test_cycles_are_reported_with_their_path(tmp_path):
    body = """concepts:
  - {id: a, type: Therapy, label: a, broader: [c]}
  - {id: b, type: Therapy, label: b, broader: [a]}
  - {id: c, type: Therapy, label: c, broader: [b]}
"""
    with pytest.raises(TerminologyError, match=r"cycle: (a -> c -> b -> a|b -> a -> c -> b|c -> b -> a -> c)"):
        Terminology.load(write(tmp_path, body))


def test_invalid_yaml_and_wrong_shapes(tmp_path):
    with pytest.raises(TerminologyError, match=r"terms\.yaml:3: invalid YAML"):
        Terminology.load(write(tmp_path, "concepts:\n  - id: a\n   type: [oops\n"))
    with pytest.raises(TerminologyError, match="expected a mapping with a 'concepts' list"):
        Terminology.load(write(tmp_path, "- just a list\n"))
    with pytest.raises(TerminologyError, match="cannot read"):
        Terminology.load(tmp_path / "absent.yaml")
    assert issubclass(TerminologyError, ValueError)


# --- lookup ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("salvage radical prostatectomy", "salvage-radical-prostatectomy"),  # label
    ("Salvage Prostatectomy", "salvage-radical-prostatectomy"),  # synonym, any case
    ("sRP", "salvage-radical-prostatectomy"),  # abbreviation
    ("RT", "radiotherapy"),
    ("radiation therapy", "radiotherapy"),
    ("hifu", "hifu"),  # id
    ("skc:hifu", "hifu"),  # CURIE
    (schema.CONCEPT_NS + "hifu", "hifu"),  # IRI
    ("mesh:D011471", "prostate-cancer"),  # verified cross-reference
    ("MESH:d011471", "prostate-cancer"),
    ("http://id.nlm.nih.gov/mesh/D011471", "prostate-cancer"),
    ("snomedct:399068003", "prostate-cancer"),
    ("re-irradiation", "reirradiation"),  # hyphen, space or none
    ("re irradiation", "reirradiation"),
    ("Reirradiation", "reirradiation"),
    ("radical prostatectomies", "radical-prostatectomy"),  # plural
    ("metastasis", "metastasis"),
    ("hot flush", "hot-flushes"),  # singular of a plural label
    ("anemia", "anaemia"),  # American for British
    ("esophageal cancer", "oesophageal-cancer"),
    ("localized prostate cancer", "localised-prostate-cancer"),
    ("Leukemia", "leukaemia"),
    ("diarrhea", "diarrhoea"),
    ("germ cell tumor", "germ-cell-tumour"),
    ("Sunlenca", "lenacapavir"),  # brand name
    ("Cabenuva", "cabotegravir-rilpivirine"),
    ("high\u2013intensity focused ultrasound", "hifu"),  # en dash
])
def test_lookup_finds_concepts_by_any_name(term, query, expected):
    assert [c.id for c in term.lookup(query)] == [expected]


def test_lookup_of_unknown_names_is_empty(term):
    assert term.lookup("quantum leeches") == []
    assert term.lookup("skc:no-such-concept") == []
    assert term.lookup("mesh:D999999") == []
    assert term.lookup("   ") == []


def test_get_raises_key_error_for_unknown_ids(term):
    assert term.get("psa").label == "prostate-specific antigen"
    with pytest.raises(KeyError):
        term.get("no-such-concept")


def test_suggest_offers_close_labels(term):
    assert "radical prostatectomy" in term.suggest("radical prostatectomie")
    assert "cryoablation" in term.suggest("cryoablaton")
    assert len(term.suggest("radiotherapy", n=3)) <= 3


# --- hierarchy ------------------------------------------------------------------------------------

def test_ancestors_start_with_self_nearest_first(term):
    chain = term.ancestors("salvage-radical-prostatectomy")
    assert chain[0] == "salvage-radical-prostatectomy"
    assert chain.index("radical-prostatectomy") < chain.index("prostatectomy") < chain.index("surgery")
    assert "salvage-therapy" in chain
    assert term.ancestors("salvage-radical-prostatectomy") == chain  # deterministic


def test_descendants_include_self_and_all_narrower(term):
    below = term.descendants("radiotherapy")
    assert {"radiotherapy", "brachytherapy", "ldr-brachytherapy", "salvage-ldr-brachytherapy", "sbrt",
            "salvage-radiotherapy", "reirradiation"} <= below
    assert "cryoablation" not in below
    assert term.descendants("ablation") >= {"hifu", "cryoablation", "focal-ablation", "salvage-hifu"}
    assert "salvage-focal-therapy" in term.descendants("salvage-therapy")
    for cid in below:
        assert "radiotherapy" in term.ancestors(cid)


def test_is_a_follows_the_class_hierarchy(term):
    assert term.is_a("docetaxel", "Chemotherapy")
    assert term.is_a("docetaxel", "SystemicTherapy")
    assert term.is_a("docetaxel", "Concept")
    assert not term.is_a("docetaxel", "Surgery")


# --- normalisation --------------------------------------------------------------------------------

def test_normalize_folds_case_dashes_spaces_and_spelling():
    assert normalize("Tumour  Haemorrhage\u2013Localised\n\nLeukaemia") == "tumor hemorrhage localized\nleukemia"
    assert normalize("Guérin") == "guerin"
    assert normalize("centre") == normalize("center")


def test_variants_cover_plural_singular_and_closed_hyphens():
    assert {"reirradiation", "re irradiation", "reirradiations"} <= variants("re-irradiation")
    assert {"bone metastasis", "bone metastases"} <= variants("bone metastases")
    assert "therapies" in variants("therapy")
