"""A small hand-made dataset for export tests: three short documents written for the tests, a stand-in
terminology, and statements of every kind, turned into quads by the real graph layer."""
from __future__ import annotations

from pathlib import Path

from salvage_kg import assertions as a
from salvage_kg.graph.rdf import dataset_quads
from salvage_kg.graph.store import write_quads
from stand_in import Term as Concept, Terminology

TEXTS = {
    "focal-study": (
        "Men whose cancer came back in the prostate after radiation were treated with focal salvage "
        "(HIFU or cryoablation) or with salvage prostatectomy. Ten years on, cancer-specific survival "
        "reached 92% (95% CI 86-98) after focal salvage. Surgery led to serious complications far more "
        "often (odds ratio 9.4, p<0.001)."
    ),
    "guide": (
        "Salvage radiotherapy is offered once PSA climbs to 0.2 ng/mL or above after prostatectomy; "
        "hormone therapy may be added for six months. A positive biopsy must come before local salvage "
        "after radiation, and a rising PSA alone is not enough. Incontinence is a late effect of "
        "salvage prostatectomy. Salvage treatment follows a failed first treatment, unlike adjuvant "
        "treatment, which is given before any sign of relapse."
    ),
    "hiv-note": (
        "When first-line antiretroviral drugs stop controlling HIV, a boosted protease inhibitor "
        "regimen is the usual salvage choice; diarrhoea is common with it."
    ),
}
TITLES = {"focal-study": "Focal salvage after radiation (test report)", "guide": "Salvage options (test guide)",
          "hiv-note": "Salvage regimens in HIV (test note)"}
KINDS = {"focal-study": "study-report", "guide": "clinical-summary", "hiv-note": "patient-education"}






TERMINOLOGY = Terminology({
    "radiotherapy": Concept("Radiotherapy", "radiotherapy", ("radiation",), ("RT",), xrefs=("ncit:C15313",)),
    "brachytherapy": Concept("Radiotherapy", "brachytherapy", broader=("radiotherapy",)),
    "radical-prostatectomy": Concept("Surgery", "radical prostatectomy", abbreviations=("RP",)),
    "salvage-radical-prostatectomy": Concept("Surgery", "salvage radical prostatectomy", ("salvage prostatectomy",),
                                             ("sRP",), broader=("radical-prostatectomy",)),
    "salvage-focal-therapy": Concept("FocalTherapy", "salvage focal therapy", ("focal salvage",), ("sFT",)),
    "hifu": Concept("Ablation", "high-intensity focused ultrasound", abbreviations=("HIFU",),
                    broader=("salvage-focal-therapy",)),
    "cryoablation": Concept("Ablation", "cryoablation", ("cryotherapy",), broader=("salvage-focal-therapy",)),
    "salvage-radiotherapy": Concept("Radiotherapy", "salvage radiotherapy", abbreviations=("SRT",),
                                    broader=("radiotherapy",)),
    "androgen-deprivation-therapy": Concept("HormoneTherapy", "androgen deprivation therapy",
                                            ("hormone therapy",), ("ADT",)),
    "prostate-cancer": Concept("Neoplasm", "prostate cancer", xrefs=("mondo:0008315",)),
    "local-recurrence": Concept("DiseaseState", "locally recurrent prostate cancer", broader=("prostate-cancer",)),
    "biochemical-recurrence": Concept("DiseaseState", "biochemical recurrence", abbreviations=("BCR",)),
    "major-complication": Concept("AdverseEffect", "major complication"),
    "urinary-incontinence": Concept("AdverseEffect", "urinary incontinence", ("incontinence",)),
    "diarrhoea": Concept("AdverseEffect", "diarrhoea", ("diarrhea",)),
    "cancer-specific-survival": Concept("OutcomeMeasure", "cancer-specific survival", abbreviations=("CSS",)),
    "psa": Concept("Biomarker", "prostate-specific antigen", abbreviations=("PSA",)),
    "biopsy": Concept("Biopsy", "prostate biopsy"),
    "hiv-infection": Concept("InfectiousDisease", "HIV infection"),
    "first-line-art": Concept("AntiretroviralTherapy", "first-line antiretroviral therapy"),
    "salvage-therapy": Concept("TherapeuticApproach", "salvage therapy",
                               definition="Treatment given after a first treatment has failed."),
    "adjuvant-therapy": Concept("TherapeuticApproach", "adjuvant therapy"),
})


def ev(doc: str, quote: str, **kw) -> a.Evidence:
    start = TEXTS[doc].index(quote)
    return a.Evidence(doc, start, start + len(quote), quote, **kw)


def documents() -> list[a.Document]:
    return [a.Document(id=d, path=f"{d}.txt", text=t, sha256=f"{i:064x}", title=TITLES[d], kind=KINDS[d],
                       reference="https://doi.org/10.1000/test.1" if d == "focal-study" else None)
            for i, (d, t) in enumerate(TEXTS.items(), 1)]


def statements() -> list[a.Statement]:
    psa_02 = a.Criterion(therapy="salvage-radiotherapy", parameter="psa", comparator=">=", value=0.2, unit="ng/mL",
                         label="PSA >= 0.2 ng/mL", evidence=(ev("guide", "once PSA climbs to 0.2 ng/mL or above"),))
    six_months = a.Duration(therapy="androgen-deprivation-therapy", value=6, unit="mo", label="6 months")
    after_rt = ev("focal-study", "Men whose cancer came back in the prostate after radiation")
    return a.merge([
        a.Indication(therapy="salvage-focal-therapy", conditions=("local-recurrence",), after=("radiotherapy",),
                     intent="curative", evidence=(after_rt,)),
        a.Indication(therapy="salvage-focal-therapy", conditions=("prostate-cancer",), after=("radiotherapy",),
                     strength="may-be-considered",
                     evidence=(ev("guide", "local salvage after radiation"),)),
        a.Indication(therapy="salvage-radical-prostatectomy", conditions=("local-recurrence",),
                     after=("radiotherapy",), evidence=(after_rt,)),
        a.Indication(therapy="salvage-radiotherapy", conditions=("biochemical-recurrence",),
                     after=("radical-prostatectomy",), combined_with=("androgen-deprivation-therapy",),
                     strength="recommended", criteria=(psa_02,), duration=six_months,
                     evidence=(ev("guide", "Salvage radiotherapy is offered"),)),
        psa_02,
        a.Indication(therapy="boosted-pi-regimen", conditions=("hiv-infection",), after=("first-line-art",),
                     evidence=(ev("hiv-note", "a boosted protease inhibitor regimen is the usual salvage choice"),)),
        a.ConceptDeclaration(concept="boosted-pi-regimen", type="AntiretroviralTherapy",
                             label="boosted protease inhibitor regimen",
                             evidence=(ev("hiv-note", "boosted protease inhibitor regimen"),)),
        a.AdverseEffect(therapy="salvage-radical-prostatectomy", effect="major-complication", odds_ratio=9.4,
                        comparator="salvage-focal-therapy", p_value="<0.001", severity="serious",
                        evidence=(ev("focal-study", "Surgery led to serious complications far more often"),)),
        a.AdverseEffect(therapy="salvage-radical-prostatectomy", effect="urinary-incontinence", timing="late",
                        evidence=(ev("guide", "Incontinence is a late effect of salvage prostatectomy"),)),
        a.AdverseEffect(therapy="boosted-pi-regimen", effect="diarrhoea", frequency="common",
                        evidence=(ev("hiv-note", "diarrhoea is common with it"),)),
        a.Outcome(arm="salvage-focal-therapy", measure="cancer-specific-survival", value=92, unit="%", ci_lower=86,
                  ci_upper=98, ci_level=95, time_point="10 years",
                  evidence=(ev("focal-study", "cancer-specific survival reached 92% (95% CI 86-98)"),)),
        a.Prerequisite(therapy="salvage-focal-therapy", requirement="biopsy", label="positive biopsy",
                       evidence=(ev("guide", "A positive biopsy must come before local salvage"),)),
        a.Prerequisite(therapy="salvage-focal-therapy", requirement="psa", negated=True, label="not PSA alone",
                       evidence=(ev("guide", "a rising PSA alone is not enough", negated=True),)),
        a.Definition(term="salvage-therapy", text="treatment after a failed first treatment",
                     contrasted_with=("adjuvant-therapy",),
                     evidence=(ev("guide", "Salvage treatment follows a failed first treatment"),)),
        a.Citation(text="Test A et al. Focal salvage. 2026.", doi="10.1000/test.1",
                   evidence=(ev("focal-study", "Ten years on"),)),
    ])


def sample_quads() -> list:
    return dataset_quads(documents(), statements(), TERMINOLOGY)


def write_sample(path: Path) -> Path:
    write_quads(sample_quads(), path)
    return path
