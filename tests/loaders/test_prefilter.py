"""The word test in front of costly patterns never hides a match."""
import importlib
import re
from pathlib import Path

import pytest

from salvage_kg.loaders import load_document
from salvage_kg.loaders.prefilter import Prefiltered, prefiltered
from salvage_kg.loaders.structure import sentences

HERE = Path(__file__).resolve().parent.parent
DOCS = sorted(p for p in [*(HERE / "evaluation").glob("*/*"), *(HERE / "fixtures" / "corpus").iterdir()]
              if p.suffix in (".txt", ".md", ".html"))
MODULES = ("arms", "citations", "claims", "context", "criteria_phrases", "definitions", "effect_mentions",
           "effect_rates", "effects", "extract", "indications", "measures", "patterns", "results", "structure",
           "tables")


def loader_prefilters():
    found = {}
    for name in MODULES:
        module = importlib.import_module(f"salvage_kg.loaders.{name}")
        for attr, value in vars(module).items():
            items = [(attr, value)] + ([(f"{attr}[{a}]", b) for a, b in value if isinstance(b, Prefiltered)]
                                       if isinstance(value, tuple) and all(isinstance(x, tuple) and len(x) == 2
                                                                           for x in value) else [])
            for key, rx in items:
                if isinstance(rx, Prefiltered):
                    found[f"{name}.{key}"] = rx
    return found


PREFILTERS = loader_prefilters()


@pytest.fixture(scope="module")
def texts():
    out = []
    for path in DOCS:
        text = load_document(path).text
        out.append(text)
        out.extend(s.text for s in sentences(text))
    return out


def test_the_costly_patterns_are_prefiltered():
    assert {"patterns.RATIO", "definitions.SUBJECT", "claims.STRONG"} <= set(PREFILTERS)


@pytest.mark.parametrize("name", sorted(PREFILTERS))
def test_prefilter_agrees_with_the_pattern_on_real_text(name, texts):
    gated = PREFILTERS[name]
    for text in texts:
        assert bool(gated.search(text)) == bool(gated.rx.search(text)), text
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in gated.rx.finditer(text)]


def test_words_every_match_contains():
    rx = prefiltered(re.compile(r"\b(?:hazard|odds)\s+ratio|\bHR\b", re.I))
    assert rx.possible("the Odds  RATIO was 2")
    assert not rx.possible("the risk was higher")
    cased = prefiltered(re.compile(r"(?i:relative\s+risk)|\b(?:a?HR|RR)\b"))
    assert cased.possible("aHR 0.7") and cased.possible("Relative risk 2")
    assert not cased.possible("hr 0.7")  # the abbreviation is matched case-sensitively


def test_patterns_without_fixed_words_are_left_alone():
    for pattern in (r"\w+", r"(?:ab)?c*", r"x|\w+", r"[^a]b?", r"\d|two", r"[\d.]+"):
        rx = re.compile(pattern)
        assert prefiltered(rx) is rx


def test_a_digit_every_match_contains_is_required():
    rx = prefiltered(re.compile(r"\b(?:PSA|level)\s+(?:of|below)\s+\d+(?:\.\d+)?", re.I))
    assert rx.possible("a PSA below 4") and rx.possible("PSA of \u0663")  # any Unicode digit, as \\d
    assert not rx.possible("a PSA below four") and not rx.possible("an age of 70")
    only = prefiltered(re.compile(r"[0-9]+\s*%"))
    assert only.possible("in 12 %") and not only.possible("in a few %")
    for text in ("PSA of \u0663", "level below 0.2", "PSA below ten"):
        assert bool(rx.search(text)) == bool(rx.rx.search(text))


def test_characters_that_fold_to_ascii_letters_are_searched():
    rx = prefiltered(re.compile(r"\bresistance\b", re.I))
    for text in ("re\u017fistance", "RESISTANCE", "res\u0131stance", "res\u0130stance"):
        assert bool(rx.search(text)) == bool(rx.rx.search(text)), text


def test_searches_from_a_position_are_not_filtered():
    rx = prefiltered(re.compile(r"ratio", re.I))
    assert rx.match("xx ratio", 3).group(0) == "ratio"
    assert rx.search("no such word") is None
    assert list(rx.finditer("nothing")) == []
    assert rx.pattern == "ratio" and rx.flags & re.I


def test_a_repeated_character_is_required_as_a_run():
    rx = prefiltered(re.compile(r"^(\S.*?)\s*(?:\.{3,}|[ \t]{3,})\s*(\d+)$"))
    assert rx.possible("Grade 3 ... 12") and rx.possible("Grade 3 \t 12")
    assert not rx.possible("Grade 3. 12") and not rx.possible("Grade 3  12")
    assert bool(rx.search("Grade 3  12")) == bool(rx.rx.search("Grade 3  12"))


def test_every_set_of_words_a_match_needs_is_tested():
    rx = prefiltered(re.compile(r"\b(?:patients|children) with (?:fever|pain)\b", re.I))
    assert rx.possible("Children with pain")
    assert not rx.possible("patients seen with a rash") and not rx.possible("fever with pain")


def test_searching_around_required_words_finds_what_the_whole_text_search_finds(texts):
    from salvage_kg.loaders import corpus
    from salvage_kg.loaders import recognize as r

    extract = importlib.import_module("salvage_kg.loaders.extract")  # the package exports a function of that name
    searched = [(r._PROCEDURE, r._PROCEDURE_STRETCH), (r._TARGET_CLASS, r._TARGET_STRETCH),
                (extract.COORDINATED, extract.COORDINATED_STRETCH)]
    searched += [(rx, corpus._CUE_STRETCH) for rx in corpus._KIND_CUES.values() if isinstance(rx, Prefiltered)]
    tricky = ["Radical\nprostatectomy, PARTIAL NEPHRECTOMY and colectomy2 or colectomy_ after a re-\ncolectomy.",
              "Total coloſtomy (long s), selective BTK/ABL inhibitors; Non-covalent BTK inhibitors2 and menin inhibitor.",
              "Your doctor: 95% CI, odds\nratio; FREE download. Urinary, sexual, and bowel side-effects."]
    for rx, stretch in searched:
        for text in texts[::7] + tricky:
            expected = [(m.span(), m.groupdict()) for m in rx.rx.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in rx.finditer_around(text, stretch)] == expected
    assert [m.group(0) for m in r._PROCEDURE.finditer_around(tricky[1], r._PROCEDURE_STRETCH)] == ["Total coloſtomy"]


def test_a_stretch_of_a_sentence_is_searched_as_the_pattern_searches_it(texts):
    """`within(rx, sentence)`, which SentenceView.search_before and match_after use for the text around a
    mention, finds in any stretch of the sentence what the pattern itself finds there."""
    from salvage_kg.loaders.prefilter import within

    for gated in PREFILTERS.values():
        for text in texts[::23]:
            rx = within(gated, text)
            for a in range(0, len(text), 29):
                stretch = text[a:a + 60]
                assert bool(rx and rx.search(stretch)) == bool(gated.rx.search(stretch)), stretch
                assert bool(rx and rx.match(stretch)) == bool(gated.rx.match(stretch)), stretch
