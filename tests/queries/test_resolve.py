"""Parameter values resolve the way a person names things, and never reach the query text raw."""
import pytest

from salvage_kg.queries import catalog
from salvage_kg.queries.catalog import QueryError
from salvage_kg.queries.resolve import Resolver, as_iri, normalize
from salvage_kg.queries.runner import run_named

C = "https://w3id.org/salvage-kg/concept/"
RADIOTHERAPY = sorted(C + c for c in ("brachytherapy", "external-beam-radiotherapy", "radiotherapy",
                                      "salvage-radiotherapy"))


@pytest.fixture(scope="module")
def resolver(source):
    return Resolver(source.concept_index(30), lambda text: source.execute(text, 30).rows)


def after():
    return catalog.get("salvage-options").param("after")


@pytest.mark.parametrize("value", [
    "radiotherapy", "RADIOTHERAPY", "  radiotherapy ", "radiation therapy", "Radiation-Therapy", "RT", "rt",
    "skc:radiotherapy", "mesh:D011878", C + "radiotherapy", f"<{C}radiotherapy>",
])
def test_label_synonym_abbreviation_curie_xref_iri(resolver, value):
    assert resolver.resolve(after(), value) == RADIOTHERAPY


def test_sub_concepts_are_included(resolver):
    assert resolver.resolve(after(), "radical prostatectomy") == [C + "radical-prostatectomy",
                                                                  C + "salvage-radical-prostatectomy"]
    condition = catalog.get("salvage-options").param("condition")
    assert C + "biochemical-recurrence" in resolver.resolve(condition, "prostatic neoplasm")


def test_class_names_match_every_concept_of_the_class(resolver):
    assert resolver.resolve(after(), "surgery") == [C + "radical-prostatectomy", C + "salvage-radical-prostatectomy"]
    assert resolver.resolve(after(), "ablation") == [C + "cryoablation", C + "hifu"]


def test_names_documents_introduce(resolver):
    therapy = catalog.get("complications").param("therapy")
    assert resolver.resolve(therapy, "sFT") == [C + "salvage-focal-therapy"]  # abbreviation from the study
    assert resolver.resolve(therapy, "tip regimen") == [C + "tip-regimen"]  # a provisional concept
    assert resolver.resolve(therapy, "salvage-radical-prostatectomy") == [C + "salvage-radical-prostatectomy"]


def test_an_abbreviated_word_inside_a_name(resolver):
    therapy = catalog.get("complications").param("therapy")
    assert resolver.resolve(therapy, "salvage RT") == [C + "salvage-radiotherapy"]


def test_unknown_value_suggests_close_matches(source):
    with pytest.raises(QueryError) as e:
        run_named("salvage-options", {"after": "radiothrapy"}, source)
    message = str(e.value)
    assert message.startswith("--param after: no concept named 'radiothrapy' in the graph; close matches: ")
    assert "radiotherapy (skc:radiotherapy)" in message
    with pytest.raises(QueryError, match=r"close matches: .*salvage radical prostatectomy"):
        run_named("complications", {"therapy": "prostatectomy"}, source)


def test_value_of_the_wrong_kind(source):
    with pytest.raises(QueryError, match=r"'prostate cancer' names prostate cancer \(neoplasm\), not a therapy"):
        run_named("salvage-options", {"after": "prostate cancer"}, source)


def test_empty_unknown_and_missing(source):
    with pytest.raises(QueryError, match="empty value"):
        run_named("salvage-options", {"after": " "}, source)
    with pytest.raises(QueryError, match="no parameter 'afterr'"):
        run_named("salvage-options", {"afterr": "RT"}, source)
    with pytest.raises(QueryError, match="no query named 'salvage'.*salvage-options"):
        run_named("salvage", {}, source)


def test_statement_iris_only_where_the_param_takes_them(source):
    statement = run_named("salvage-options", {"after": "RP"}, source).rows[0]["statement"]["value"]
    assert len(run_named("evidence", {"subject": statement}, source)) == 2
    with pytest.raises(QueryError, match="no concept named <"):
        run_named("complications", {"therapy": statement}, source)
    with pytest.raises(QueryError, match="no statement or concept named <https://w3id.org/salvage-kg/statement/x>"):
        run_named("evidence", {"subject": "sks:x"}, source)


INJECTIONS = [
    'radiotherapy" } UNION { ?s ?p ?o } #',
    "radiotherapy> } UNION { ?s ?p ?o",
    "<http://x> } UNION { ?s ?p ?o } <",
    "http://x> } { ?s ?p ?o",
    "}}}{{{'''\"\"\"",
    "radiotherapy\n} DELETE WHERE { ?s ?p ?o }",
    f"<{C}radiotherapy> <{C}hifu>",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_attempts_fail_cleanly(source, value, monkeypatch):
    sent = []
    real = type(source).execute
    monkeypatch.setattr(type(source), "execute", lambda self, text, *a, **k: sent.append(text) or real(self, text, *a, **k))
    with pytest.raises(QueryError):
        run_named("evidence", {"subject": value}, source)
    assert not any(value in text for text in sent)
    assert len(run_named("salvage-options", {}, source)) == 11  # nothing changed


def test_only_graph_iris_reach_the_query(source, monkeypatch):
    sent = []
    real = type(source).execute
    monkeypatch.setattr(type(source), "execute", lambda self, text, *a, **k: sent.append(text) or real(self, text, *a, **k))
    run_named("salvage-options", {"after": "Radiation-Therapy"}, source)
    values = sent[-1][sent[-1].index("VALUES ?after "):].split("}", 1)[0]
    assert values == "VALUES ?after { " + " ".join(f"<{i}>" for i in RADIOTHERAPY) + " "
    assert "Radiation-Therapy" not in sent[-1]


def test_as_iri_and_normalize():
    assert as_iri("skc:hifu") == C + "hifu"
    assert as_iri("PSA: 0.7") is None and as_iri("radiotherapy") is None
    with pytest.raises(QueryError, match="not a valid IRI"):
        as_iri("http://a b")
    assert normalize("High–Intensity  Focused_Ultrasound (HIFU)") == "high intensity focused ultrasound hifu"


def test_terminology_lookup_is_the_fallback(resolver, monkeypatch):
    import types

    from salvage_kg.ontology import terminology

    class Stub:
        def lookup(self, text):
            return [types.SimpleNamespace(id="hifu")] if text == "focused ultrasound ablations" else []

    monkeypatch.setattr(terminology, "default_terminology", lambda: Stub())
    therapy = catalog.get("complications").param("therapy")
    assert resolver.resolve(therapy, "focused ultrasound ablations") == [C + "hifu"]
    with pytest.raises(QueryError):
        resolver.resolve(therapy, "something else entirely")
