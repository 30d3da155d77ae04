"""A small dataset for the query tests, written by the real graph writer from hand-made assertions.

Three documents with different kinds and reliabilities; statements chosen so that every named query
has something to find: sub-concepts (brachytherapy under radiotherapy), a statement two sources
make, disagreements between sources, a provisional concept a document introduces, a concept
abbreviation only a document gives, criteria and a duration on an add-on therapy.
"""
from __future__ import annotations

import hashlib

import pytest

from salvage_kg import assertions as a
from salvage_kg.graph.rdf import dataset_quads
from salvage_kg.graph.store import write_quads
from salvage_kg.queries.runner import Source
from stand_in import Term, Terminology






TERMINOLOGY = Terminology({
    "radiotherapy": Term("Radiotherapy", "radiotherapy", ("radiation therapy",), ("RT",), xrefs=("mesh:D011878",)),
    "external-beam-radiotherapy": Term("Radiotherapy", "external beam radiotherapy", (), ("EBRT",), ("radiotherapy",)),
    "brachytherapy": Term("Radiotherapy", "brachytherapy", broader=("radiotherapy",), xrefs=("mesh:D001918",)),
    "salvage-radiotherapy": Term("Radiotherapy", "salvage radiotherapy", ("salvage radiation therapy",), ("SRT",),
                                 ("radiotherapy", "salvage-therapy")),
    "radical-prostatectomy": Term("Surgery", "radical prostatectomy", (), ("RP",)),
    "salvage-radical-prostatectomy": Term("Surgery", "salvage radical prostatectomy", (), ("sRP",),
                                          ("radical-prostatectomy", "salvage-therapy")),
    "cryoablation": Term("Ablation", "cryoablation", ("cryotherapy",), xrefs=("mesh:D003452",)),
    "hifu": Term("Ablation", "high-intensity focused ultrasound", (), ("HIFU",)),
    "salvage-focal-therapy": Term("FocalTherapy", "salvage focal therapy", broader=("salvage-therapy",)),
    "adt": Term("HormoneTherapy", "androgen deprivation therapy", ("hormone therapy",), ("ADT",)),
    "chemotherapy": Term("Chemotherapy", "chemotherapy"),
    "hdc-asct": Term("Transplantation", "high-dose chemotherapy with autologous stem cell transplantation"),
    "first-line-art": Term("AntiretroviralTherapy", "first-line antiretroviral therapy"),
    "salvage-art": Term("AntiretroviralTherapy", "salvage antiretroviral therapy", broader=("salvage-therapy",)),
    "salvage-therapy": Term("TherapeuticApproach", "salvage therapy", definition="Treatment after a failed one."),
    "local-salvage-therapy": Term("TherapeuticApproach", "local salvage therapy", broader=("salvage-therapy",)),
    "palliative-therapy": Term("TherapeuticApproach", "palliative therapy"),
    "prostate-cancer": Term("Neoplasm", "prostate cancer", ("prostatic neoplasm",), xrefs=("mondo:0008315",)),
    "biochemical-recurrence": Term("DiseaseState", "biochemical recurrence", (), ("BCR",), ("prostate-cancer",)),
    "hiv-infection": Term("InfectiousDisease", "HIV infection", (), ("HIV",)),
    "lymphoma": Term("Neoplasm", "lymphoma"),
    "hodgkin-lymphoma": Term("Neoplasm", "Hodgkin lymphoma", broader=("lymphoma",)),
    "psa": Term("Biomarker", "prostate-specific antigen", (), ("PSA",)),
    "life-expectancy": Term("ClinicalParameter", "life expectancy"),
    "metastasis": Term("ClinicalParameter", "metastatic disease"),
    "biopsy": Term("Biopsy", "prostate biopsy"),
    "imaging": Term("Imaging", "imaging"),
    "urinary-incontinence": Term("AdverseEffect", "urinary incontinence"),
    "erectile-dysfunction": Term("AdverseEffect", "erectile dysfunction"),
    "any-complication": Term("AdverseEffect", "any complication"),
    "cancer-specific-survival": Term("OutcomeMeasure", "cancer-specific survival", (), ("CSS",)),
})

GUIDE_TEXT = """Salvage options: a test guide
For a rising PSA after radical prostatectomy, salvage radiotherapy is the standard curative option.
When radiotherapy fails, salvage radical prostatectomy or cryoablation can be offered for prostate cancer.
HIFU may be considered after radiotherapy.
Add ADT to salvage radiotherapy if PSA is 0.7 ng/mL or higher, for four to six months.
Candidates should have a life expectancy above 10 years and no metastases.
Confirm the recurrence with a prostate biopsy before any local salvage treatment, and never act on imaging alone.
Salvage therapy aims to cure, whereas palliative therapy only controls symptoms.
In HIV infection, a salvage antiretroviral regimen follows the failure of first-line antiretroviral therapy.
Cryoablation can cause erectile dysfunction.
"""
STUDY_TEXT = """A test cohort of salvage focal therapy
After brachytherapy, salvage focal therapy (sFT) was used for recurrent prostate cancer.
Cancer-specific survival at ten years: 92% with sFT (95% CI 86 to 98), 400 men.
With salvage prostatectomy it was 99%.
Any complication was 24 times more likely after salvage prostatectomy than after sFT (P<0.001).
Salvage radiotherapy is the usual curative choice when PSA rises after prostatectomy.
"""
ARTICLE_TEXT = """Living with salvage treatment
Cryoablation often leaves men with urinary incontinence.
Some say cryoablation does not affect erections.
HIFU is not advised after radiotherapy.
Ten-year survival with focal salvage was about 85%.
Chemotherapy followed by an autologous transplant is a salvage route in Hodgkin lymphoma after first-line chemotherapy fails.
The TIP regimen is a salvage choice for germ cell tumours.
Salvage therapy can also be palliative.
"""


def _document(doc_id, text, kind, reference=None, publisher=None):
    return a.Document(id=doc_id, path=f"{doc_id}.txt", text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                      title=text.splitlines()[0], kind=kind, reference=reference, publisher=publisher)


GUIDE = _document("guide", GUIDE_TEXT, "clinical-summary", reference="https://example.org/guides/salvage")
STUDY = _document("study", STUDY_TEXT, "study-report", reference="https://doi.org/10.9999/test.1")
ARTICLE = _document("article", ARTICLE_TEXT, "consumer-article", publisher="Test Health Blog")
DOCUMENTS = (GUIDE, STUDY, ARTICLE)


def ev(doc, quote, negated=False):
    start = doc.text.index(quote)
    return (a.Evidence(doc.id, start, start + len(quote), quote, negated=negated),)


def _line(doc, start):
    """The whole line of `doc` that begins with `start`."""
    return next(line for line in doc.text.splitlines() if line.startswith(start))


def statements():
    G, S, A = GUIDE, STUDY, ARTICLE
    srt_after_rp = dict(therapy="salvage-radiotherapy", conditions=("biochemical-recurrence",),
                        after=("radical-prostatectomy",), intent="curative", strength="recommended")
    psa = a.Criterion(therapy="adt", parameter="psa", comparator=">=", value=0.7, unit="ng/mL",
                      label="PSA >= 0.7 ng/mL", evidence=ev(G, _line(G, "Add ADT")))
    months = a.Duration(therapy="adt", value=4, value_max=6, unit="mo", label="4-6 months",
                        evidence=ev(G, _line(G, "Add ADT")))
    out = [
        a.Indication(**srt_after_rp, evidence=ev(G, _line(G, "For a rising PSA"))),
        a.Indication(**srt_after_rp, evidence=ev(S, _line(S, "Salvage radiotherapy is"))),
        a.Indication(therapy="salvage-radical-prostatectomy", conditions=("prostate-cancer",), after=("radiotherapy",),
                     intent="curative", strength="recommended", evidence=ev(G, _line(G, "When radiotherapy"))),
        a.Indication(therapy="cryoablation", conditions=("prostate-cancer",), after=("radiotherapy",),
                     strength="recommended", evidence=ev(G, _line(G, "When radiotherapy"))),
        a.Indication(therapy="hifu", conditions=("prostate-cancer",), after=("radiotherapy",),
                     strength="may-be-considered", evidence=ev(G, _line(G, "HIFU may"))),
        a.Indication(therapy="hifu", conditions=("prostate-cancer",), after=("radiotherapy",),
                     strength="not-recommended", evidence=ev(A, _line(A, "HIFU is not"))),
        a.Indication(therapy="adt", conditions=("biochemical-recurrence",), combined_with=("salvage-radiotherapy",),
                     strength="recommended", criteria=(psa,), duration=months, evidence=ev(G, _line(G, "Add ADT"))),
        psa,
        months,
        a.Criterion(therapy="salvage-therapy", parameter="life-expectancy", comparator=">", value=10, unit="a",
                    label="life expectancy > 10 years", evidence=ev(G, _line(G, "Candidates"))),
        a.Criterion(therapy="salvage-therapy", parameter="metastasis", negated=True, label="no metastases",
                    evidence=ev(G, _line(G, "Candidates"))),
        a.Prerequisite(therapy="local-salvage-therapy", requirement="biopsy", label="biopsy confirmation",
                       evidence=ev(G, _line(G, "Confirm"))),
        a.Prerequisite(therapy="local-salvage-therapy", requirement="imaging", negated=True, label="not imaging alone",
                       evidence=ev(G, _line(G, "Confirm"))),
        a.Definition(term="salvage-therapy", text="treatment that aims to cure", intent="curative",
                     contrasted_with=("palliative-therapy",), evidence=ev(G, _line(G, "Salvage therapy aims"))),
        a.Definition(term="salvage-therapy", text="treatment that may be palliative", intent="palliative",
                     evidence=ev(A, _line(A, "Salvage therapy can"))),
        a.Indication(therapy="salvage-art", conditions=("hiv-infection",), after=("first-line-art",),
                     evidence=ev(G, _line(G, "In HIV"))),
        a.AdverseEffect(therapy="cryoablation", effect="erectile-dysfunction",
                        evidence=ev(G, _line(G, "Cryoablation can")) + ev(A, _line(A, "Some say"), negated=True)),
        # the study
        a.ConceptDeclaration(concept="salvage-focal-therapy", abbreviations=("sFT",), provisional=False,
                             evidence=ev(S, "salvage focal therapy (sFT)")),
        a.Indication(therapy="salvage-focal-therapy", conditions=("prostate-cancer",), after=("brachytherapy",),
                     intent="curative", evidence=ev(S, _line(S, "After brachytherapy"))),
        a.Outcome(arm="salvage-focal-therapy", measure="cancer-specific-survival", value=92, unit="%", ci_lower=86,
                  ci_upper=98, ci_level=95, time_point="10 years", cohort_size=400,
                  evidence=ev(S, _line(S, "Cancer-specific survival at"))),
        a.Outcome(arm="salvage-radical-prostatectomy", measure="cancer-specific-survival", value=99, unit="%",
                  time_point="10 years", evidence=ev(S, _line(S, "With salvage"))),
        a.AdverseEffect(therapy="salvage-radical-prostatectomy", effect="any-complication", odds_ratio=24,
                        comparator="salvage-focal-therapy", p_value="<0.001", evidence=ev(S, _line(S, "Any complication"))),
        # the article
        a.AdverseEffect(therapy="cryoablation", effect="urinary-incontinence", frequency="common", timing="late",
                        evidence=ev(A, _line(A, "Cryoablation often"))),
        a.Outcome(arm="salvage-focal-therapy", measure="cancer-specific-survival", value=85, unit="%",
                  time_point="10 years", evidence=ev(A, _line(A, "Ten-year"))),
        a.Indication(therapy="hdc-asct", conditions=("hodgkin-lymphoma",), after=("chemotherapy",),
                     evidence=ev(A, _line(A, "Chemotherapy followed"))),
        a.ConceptDeclaration(concept="tip-regimen", type="Chemotherapy", label="TIP regimen", abbreviations=("TIP",),
                             broader=("chemotherapy",), evidence=ev(A, "TIP regimen")),
        a.ConceptDeclaration(concept="germ-cell-tumour", type="Neoplasm", label="germ cell tumour",
                             evidence=ev(A, "germ cell tumours")),
        a.Indication(therapy="tip-regimen", conditions=("germ-cell-tumour",), evidence=ev(A, _line(A, "The TIP"))),
    ]
    return a.merge(out)


@pytest.fixture(scope="session")
def dataset(tmp_path_factory):
    """The fixture dataset as a TriG file."""
    path = tmp_path_factory.mktemp("queries") / "fixture.trig"
    write_quads(dataset_quads(DOCUMENTS, statements(), TERMINOLOGY), path)
    return path


@pytest.fixture(scope="session")
def source(dataset):
    return Source(graph=dataset)


@pytest.fixture(scope="session")
def nested_source(tmp_path_factory):
    """The fixture plus an indication whose criterion and duration have no therapy or quote of their own."""
    nested = a.Indication(therapy="salvage-art", conditions=("hiv-infection",), after=("first-line-art",),
                          criteria=(a.Criterion(value=200, unit="copies/mL", label="viral load > 200 copies/mL"),),
                          duration=a.Duration(label="lifelong"), evidence=ev(GUIDE, _line(GUIDE, "In HIV")))
    path = tmp_path_factory.mktemp("queries") / "nested.trig"
    write_quads(dataset_quads(DOCUMENTS, a.merge(statements() + [nested]), TERMINOLOGY), path)
    source = Source(graph=path)
    yield source
    source.close()
