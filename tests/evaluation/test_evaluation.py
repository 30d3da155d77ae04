"""The evaluation set and its scorer (benchmarks/evaluate.py).

(a) the scorer's counts on stub extractions with known answers;
(b) every expected YAML is valid, sane against its document, and its labels resolve (or are listed
    in known_unresolved_labels.txt);
(c) extraction quality on the dev set (xfail until the loaders reach it).
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from salvage_kg.assertions import (
    AdverseEffect,
    Citation,
    ConceptDeclaration,
    Criterion,
    Definition,
    Document,
    Duration,
    Indication,
    Outcome,
    Prerequisite,
)

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _load_scorer():
    spec = importlib.util.spec_from_file_location("salvage_kg_evaluate", ROOT / "benchmarks" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


ev = _load_scorer()


def _doc(reference=None, text="x"):
    return Document(id="stub", path="stub.txt", text=text, sha256="0", title="stub", kind="unknown",
                    reference=reference)


def _counts(score, t):
    c = score.counts[t]
    return (c.tp, c.fp, c.fn, c.duplicates)


class StubTerminology:
    """A terminology with a couple of synonyms and broader links, standing in for the real one."""

    class C:
        def __init__(self, id, broader=()):
            self.id = id
            self.broader = broader

    concepts = {
        "androgen-deprivation-therapy": C("androgen-deprivation-therapy"),
        "hifu": C("hifu"),
        "salvage-hifu": C("salvage-hifu", broader=("hifu",)),
    }
    synonyms = {"adt": "androgen-deprivation-therapy", "hormone therapy": "androgen-deprivation-therapy",
                "androgen deprivation therapy": "androgen-deprivation-therapy", "hifu": "hifu",
                "salvage hifu": "salvage-hifu"}

    def lookup(self, label):
        cid = self.synonyms.get(label.lower())
        return [self.concepts[cid]] if cid else []

    def get(self, cid):
        return self.concepts[cid]


# ---------------------------------------------------------------------------------------------
# (a) the scorer
# ---------------------------------------------------------------------------------------------
EXPECTED = {
    "indications": [
        {"therapy": "salvage radiotherapy", "after": "radical prostatectomy", "strength": "recommended"},
        {"therapy": "salvage HIFU", "after": "radiotherapy"},
        {"therapy": "salvage cryotherapy | salvage cryoablation", "after": "radiotherapy"},
        {"therapy": "salvage cryoablation", "after": "brachytherapy"},
        {"therapy": "androgen deprivation therapy", "condition": "prostate cancer"},
    ],
    "criteria": [
        {"parameter": "PSA", "comparator": ">=", "value": 0.2, "unit": "ng/mL"},
        {"parameter": "PSA doubling time", "comparator": "<", "value": 6, "unit": "mo"},
        {"parameter": "grade group", "comparator": "range", "value": 4, "value_max": 5},
        {"parameter": "metastasis", "negated": True},
    ],
    "outcomes": [
        {"arm": "salvage radiotherapy plus placebo | placebo", "measure": "overall survival", "value": 88.3,
         "unit": "%", "time_point": "8 years", "ci_lower": 80.1},
        {"arm": "salvage HIFU", "measure": "overall survival", "value": 85, "unit": "%"},
    ],
    "adverse_effects": [
        {"therapy": "salvage radical prostatectomy", "effect": "urinary incontinence", "timing": "late"},
    ],
    "prerequisites": [
        {"therapy": "salvage therapy", "requirement": "biopsy"},
        {"therapy": "salvage therapy", "requirement": "imaging", "negated": True},
    ],
    "definitions": [{"term": "salvage brachytherapy"}],
    "citations": [{"doi": "10.5555/x.1"}, {"text_contains": "Smith J"}, {"doi": "10.5555/own"}],
}


def _stub_statements():
    return [
        # indications
        Indication(therapy="salvage-radiotherapy", after=("radical-prostatectomy",), strength="may-be-considered"),
        Indication(therapy="salvage-radiotherapy", after=("radical-prostatectomy",), strength="recommended",
                   criteria=(Criterion(parameter="psa-doubling-time", comparator="<", value=6, unit="months"),)),
        Indication(therapy="hifu", after=("radiotherapy",)),  # broader than "salvage HIFU": strict miss
        Indication(therapy="salvage-cryoablation", after=("radiotherapy", "brachytherapy")),  # pairs twice
        Indication(therapy="androgen-deprivation-therapy"),  # the expected condition is missing
        # criteria
        Criterion(parameter="psa", comparator="\u2265", value=0.2, unit="ng/ml"),
        Criterion(parameter="grade-group", comparator="range", value=4, value_max=6),
        Criterion(parameter="metastasis", negated=True),
        # outcomes
        Outcome(arm="placebo", measure="overall-survival", value=88.3, unit="%", time_point="8-year",
                ci_lower=80.1),
        Outcome(arm="salvage-hifu", measure="overall-survival", value=0.85, unit="%"),
        # adverse effects
        AdverseEffect(therapy="salvage-radical-prostatectomy", effect="urinary-incontinence", timing="acute"),
        AdverseEffect(therapy="salvage-radical-prostatectomy", effect="rectal-injury"),
        # prerequisites
        Prerequisite(therapy="salvage-therapy", requirement="biopsy"),
        Prerequisite(therapy="salvage-therapy", requirement="imaging"),  # negation lost
        # definitions: the loader coined "sbt" and declared its label
        Definition(term="sbt", text="salvage brachytherapy (SBT) is ..."),
        ConceptDeclaration(concept="sbt", type="Therapy", label="salvage brachytherapy", abbreviations=("SBT",)),
        # citations
        Citation(text="Smith J, Doe A. A title. J Urol. 2020;1:1-2."),
        Citation(text="Other B. Another title.", doi="https://doi.org/10.5555/X.1"),
        # not scored
        Duration(therapy="androgen-deprivation-therapy", value=6, unit="mo"),
    ]


def test_scorer_counts_on_stub_extraction():
    score = ev.score_document(EXPECTED, _stub_statements(), ev.Resolver(terminology=None),
                              document=_doc(reference="doi:10.5555/own"), name="stub")
    # (tp, fp, fn, duplicates)
    assert _counts(score, "indications") == (3, 2, 2, 1)
    assert _counts(score, "criteria") == (3, 1, 1, 0)
    assert _counts(score, "outcomes") == (1, 1, 1, 0)
    assert _counts(score, "adverse_effects") == (1, 1, 0, 0)
    assert _counts(score, "prerequisites") == (1, 1, 1, 0)
    assert _counts(score, "definitions") == (1, 0, 0, 0)
    assert _counts(score, "citations") == (3, 0, 0, 0)
    fn = {e["therapy"] for e in score.false_negatives["indications"]}
    assert fn == {"salvage HIFU", "androgen deprivation therapy"}
    # the pairing prefers the extraction whose strength also agrees
    assert score.attributes["indications"]["strength"] == [1, 1]
    assert score.attributes["adverse_effects"]["timing"] == [0, 1]
    assert score.attributes["outcomes"]["time_point"] == [1, 1]
    assert score.attributes["outcomes"]["ci_lower"] == [1, 1]


def test_report_micro_averages_and_conventions():
    score = ev.score_document(EXPECTED, _stub_statements(), ev.Resolver(terminology=None),
                              document=_doc(reference="doi:10.5555/own"), name="stub")
    empty = ev.score_document({"definitions": [{"term": "salvage therapy"}]}, [], ev.Resolver(terminology=None),
                              name="empty")
    report = ev.Report([score, empty], terminology=False)
    totals = report.totals()
    assert (totals["definitions"].tp, totals["definitions"].fn) == (1, 1)
    assert totals["definitions"].precision == 1.0
    assert totals["definitions"].recall == 0.5
    assert totals["definitions"].f1 == pytest.approx(2 / 3)
    overall = report.overall()
    assert (overall.tp, overall.fp, overall.fn) == (13, 6, 6)
    # nothing extracted, something expected -> precision 0; nothing expected -> recall 1
    assert empty.counts["definitions"].precision == 0.0
    assert empty.counts["citations"].recall == 1.0 and empty.counts["citations"].precision == 1.0
    data = report.as_dict(details=True)
    assert data["types"]["indications"]["tp"] == 3
    assert data["per_document"][1]["false_negatives"] == {"definitions": [{"term": "salvage therapy"}]}
    assert "indications" in ev.format_table(report, details=True)


def test_terminology_synonyms_and_strict_hierarchy():
    exp = {"indications": [{"therapy": "ADT", "after": "radical prostatectomy"},
                           {"therapy": "salvage HIFU", "after": "radiotherapy"}]}
    got = [Indication(therapy="androgen-deprivation-therapy", after=("radical-prostatectomy",)),
           Indication(therapy="hifu", after=("radiotherapy",))]
    without = ev.score_document(exp, got, ev.Resolver(terminology=None))
    assert _counts(without, "indications") == (0, 2, 2, 0)
    strict = ev.score_document(exp, got, ev.Resolver(terminology=StubTerminology()))
    assert _counts(strict, "indications") == (1, 1, 1, 0)
    lenient = ev.score_document(exp, got, ev.Resolver(terminology=StubTerminology(), hierarchy=True))
    assert _counts(lenient, "indications") == (2, 0, 0, 0)


def test_label_normalisation_and_units():
    r = ev.Resolver(terminology=None)
    assert r.matches("Hodgkin's lymphoma", "hodgkins-lymphoma")
    assert r.matches("H. pylori infection", "h-pylori-infection")
    assert r.matches("7+3 induction", "7+3-induction")
    assert not r.matches("salvage radiotherapy", "radiotherapy")
    assert r.matches("salvage radiotherapy | radiotherapy", "radiotherapy")
    assert ev.canonical_unit("months") == "mo" and ev.canonical_unit("years") == "a"
    assert ev.canonical_unit("ng/ml") == "ng/mL" and ev.canonical_unit("percent") == "%"
    assert ev.canonical_unit("×10^9/L") == ev.canonical_unit("10^9/l") == "10^9/L"
    assert ev.canonical_unit("IU/L") == ev.canonical_unit("U/L") and ev.canonical_unit("°C") == "Cel"
    assert ev.canonical_unit("micromol/L") == ev.canonical_unit("µmol/L")
    assert ev.canonical_comparator("\u2264") == "<="
    assert ev.normalise_doi("https://doi.org/10.5555/ABC.1.") == "10.5555/abc.1"


def test_evaluate_runs_an_extractor_and_survives_its_failure(tmp_path):
    (tmp_path / "a.txt").write_text("Salvage therapy is treatment after failure.")
    (tmp_path / "a.expected.yaml").write_text("definitions:\n  - {term: salvage therapy}\n")
    (tmp_path / "b.txt").write_text("boom")
    (tmp_path / "b.expected.yaml").write_text("definitions:\n  - {term: salvage therapy}\n")

    def extractor(path):
        if path.name == "b.txt":
            raise RuntimeError("loader crashed")
        return _doc(), [Definition(term="salvage-therapy")]

    report = ev.evaluate(sorted(tmp_path.glob("*.txt")), extractor, ev.Resolver(terminology=None))
    d = report.totals()["definitions"]
    assert (d.tp, d.fp, d.fn) == (1, 0, 1)
    assert report.as_dict()["errors"] == {"b.txt": "RuntimeError: loader crashed"}


def test_main_json_with_an_empty_extractor(capsys):
    assert ev.main(["--set", "dev", "--json"], extractor=lambda p: (None, [])) == 0
    data = json.loads(capsys.readouterr().out)
    expected = ev.expected_counts("dev")
    for t, n in expected.items():
        assert data["types"][t]["fn"] == n
        assert data["types"][t]["tp"] == 0
    assert data["documents"] == len(ev.documents_in("dev"))


# ---------------------------------------------------------------------------------------------
# (b) the annotations
# ---------------------------------------------------------------------------------------------
ALL_DOCS = ev.documents_in("all")
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten", 12: "twelve"}


def _plain_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<[^>]+>", " ", text)
    return text


def _ids(paths):
    return [f"{p.parent.name}/{p.name}" for p in paths]


def test_sets_are_complete_and_balanced():
    for s in ev.SETS:
        docs = ev.documents_in(s)
        assert len(docs) >= 8, s
        prostate = [d for d in docs if "prostat" in _plain_text(d).lower()]
        assert 2 <= len(prostate) <= 6, f"{s}: both prostate and non-prostate documents expected"
        yamls = sorted((HERE / s).glob("*" + ev.EXPECTED_SUFFIX))
        assert {y.name[: -len(ev.EXPECTED_SUFFIX)] for y in yamls} == {d.stem for d in docs}, s


@pytest.mark.parametrize("doc", ALL_DOCS, ids=_ids(ALL_DOCS))
def test_expected_yaml_is_valid(doc):
    data = ev.load_expected(ev.expected_path(doc))
    assert ev.validate_expected(data) == []
    assert sum(len(data[t]) for t in ev.TYPES) >= 10
    words = len(re.findall(r"\w+", _plain_text(doc)))
    assert 250 <= words <= 900, words


# Shares written in words, as percentages
SHARE_WORDS = {"a third": 33.3, "one third": 33.3, "two thirds": 66.7, "a quarter": 25, "half": 50}


@pytest.mark.parametrize("doc", ALL_DOCS, ids=_ids(ALL_DOCS))
def test_expected_values_occur_in_the_document(doc):
    """Annotation sanity: every number, DOI and citation snippet is in the text as written."""
    text = _plain_text(doc)
    flat = " ".join(text.split()).lower()
    data = ev.load_expected(ev.expected_path(doc))

    def present(v):
        forms = {f"{v:g}", f"{v}"}
        if float(v).is_integer():
            forms.update({str(int(v)), f"{int(v):,}"})  # "1,000"
            if int(v) in NUMBER_WORDS:
                forms.add(NUMBER_WORDS[int(v)])
        forms.update(word for word, share in SHARE_WORDS.items() if abs(share - v) < 0.1)  # "a third": 33.3 %
        # "0.70" is the value 0.7 as printed
        return any(re.search(rf"(?<![\d.]){re.escape(f)}{'0*' if '.' in f else ''}(?![\d])", flat) for f in forms)

    for t in ("criteria", "outcomes"):
        for item in data[t]:
            for key in ("value", "value_max", "ci_lower", "ci_upper"):
                if item.get(key) is not None:
                    assert present(item[key]), f"{t} {key}={item[key]} not in text: {item}"
    for item in data["adverse_effects"]:
        if item.get("odds_ratio") is not None:
            assert present(item["odds_ratio"]), item
    for item in data["citations"]:
        if item.get("doi"):
            assert item["doi"].lower() in flat, item
        else:
            assert item["text_contains"].lower() in flat, item


def test_labels_resolve_or_are_known_unresolved():
    resolver = ev.Resolver()
    if resolver.terminology is None:
        pytest.skip("salvage_kg.ontology.terminology not available yet")
    unresolved = set(ev.unresolved_labels("development", resolver))
    known = ev.read_known_unresolved()
    new = sorted(unresolved - known)
    assert not new, (
        f"{len(new)} annotation labels do not resolve and are not listed in "
        f"tests/evaluation/known_unresolved_labels.txt (regenerate with "
        f"`python benchmarks/evaluate.py --write-unresolved` after checking them): {new}")


# ---------------------------------------------------------------------------------------------
# (c) extraction quality on the dev set
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dev_report():
    try:
        extractor = ev.project_extractor()
    except ImportError as exc:  # the loaders are not there yet: the quality tests fail (xfail)
        return exc
    return ev.evaluate(ev.documents_in("dev"), extractor)


# Types that reach the target on dev must stay there; the others are tracked until they do.
MEETS_TARGET = {"criteria", "outcomes", "citations", "prerequisites", "definitions", "adverse_effects"}


@pytest.mark.parametrize("stype", [
    t if t in MEETS_TARGET else pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="below 0.8 on dev"))
    for t in ev.TYPES])
def test_dev_extraction_quality(dev_report, stype):
    assert not isinstance(dev_report, Exception), f"loaders not importable: {dev_report}"
    c = dev_report.totals()[stype]
    assert c.precision >= 0.8 and c.recall >= 0.8, (
        f"{stype}: precision {c.precision:.2f}, recall {c.recall:.2f} (tp {c.tp}, fp {c.fp}, fn {c.fn})")
