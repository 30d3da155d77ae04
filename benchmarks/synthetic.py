"""Synthetic inputs for the benchmarks: a corpus of template documents and a large graph.

The corpus is written from template sentences in the genre of the real documents (indications after
a failed treatment, side effects with frequencies, outcomes with confidence intervals, thresholds,
prerequisites, definitions, references), filled with concepts drawn from the project's terminology
(labels, synonyms and abbreviations) and with random numbers. Every document is different, the text
per document is about the same at every scale, and the same seed gives the same bytes.

The graph is made of synthetic assertions of the same kinds, turned into quads by the project's own
RDF writer, so it has exactly the shape a build produces, only bigger.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DOC_BYTES = 4500  # target size of one document; the real corpus averages ~8 KB, mostly smaller
BASE_DOCS = 24  # documents at scale 1x (~108 KB of text); 100x is ~10.8 MB


# --------------------------------------------------------------------------------------------------
# Concept pools, by role, from the terminology
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pools:
    therapies: tuple  # concepts a salvage statement can be about
    priors: tuple  # first treatments that fail
    conditions: tuple
    effects: tuple
    measures: tuple
    checks: tuple  # biopsies, imaging, laboratory tests
    hormones: tuple
    radiotherapies: tuple
    approaches: tuple


@lru_cache(maxsize=1)
def pools() -> Pools:
    from salvage_kg.ontology.schema import ancestors
    from salvage_kg.ontology.terminology import default_terminology

    concepts = sorted(default_terminology().concepts.values(), key=lambda c: c.id)

    def of(*types: str) -> tuple:
        return tuple(c for c in concepts if set(types) & set(ancestors(c.type)))

    return Pools(
        therapies=tuple(c for c in of("Therapy") if c.type != "TherapeuticApproach"),
        priors=of("Radiotherapy", "Surgery", "Ablation", "FocalTherapy", "Chemotherapy"),
        conditions=of("Condition"),
        effects=of("AdverseEffect"),
        measures=of("OutcomeMeasure"),
        checks=of("DiagnosticProcedure"),
        hormones=of("HormoneTherapy"),
        radiotherapies=of("Radiotherapy"),
        approaches=of("TherapeuticApproach"),
    )


def name(rng: random.Random, concept) -> str:
    """How a text names a concept: mostly its label, sometimes a synonym or an abbreviation."""
    roll = rng.random()
    if concept.abbreviations and roll < 0.15:
        return rng.choice(concept.abbreviations)
    if concept.synonyms and roll < 0.4:
        return rng.choice(concept.synonyms)
    return concept.label


# --------------------------------------------------------------------------------------------------
# Template sentences
# --------------------------------------------------------------------------------------------------

def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def salvage(text: str) -> str:
    """'salvage X' unless X already says it."""
    return text if "salvage" in text.lower() else "salvage " + text


def _pct(rng, lo=1, hi=95) -> str:
    return f"{rng.uniform(lo, hi):.1f}"


def _indication(rng, p: Pools) -> str:
    t, c, a = name(rng, rng.choice(p.therapies)), name(rng, rng.choice(p.conditions)), name(rng, rng.choice(p.priors))
    return rng.choice((
        f"{cap(salvage(t))} may be considered for {c} that recurs after {a}.",
        f"For patients with {c} in whom {a} has failed, {t} is recommended as a salvage option.",
        f"{cap(t)} can be offered as salvage treatment when {a} has failed in {c}.",
        f"After failure of {a}, men with {c} may receive {t} with curative intent.",
        f"{cap(t)} should not be used as salvage treatment for {c} following {a}.",
        f"Options after {a} include {t} and {name(rng, rng.choice(p.therapies))} for recurrent {c}.",
    ))


def _combination(rng, p: Pools) -> str:
    h, r, c = name(rng, rng.choice(p.hormones)), name(rng, rng.choice(p.radiotherapies)), name(rng, rng.choice(p.conditions))
    lo = rng.choice((4, 6, 12, 18))
    return rng.choice((
        f"{cap(h)} is added to {salvage(r)} for {lo} to {lo * 2} months in {c}.",
        f"When combined with {salvage(r)}, {h} should be given for at least {lo} months.",
    ))


def _adverse(rng, p: Pools) -> str:
    t, e, e2 = name(rng, rng.choice(p.therapies)), name(rng, rng.choice(p.effects)), name(rng, rng.choice(p.effects))
    return rng.choice((
        f"{cap(t)} carries a risk of {e}, reported in {_pct(rng, 1, 40)}% of patients.",
        f"Late {e} occurred in {_pct(rng, 1, 30)}% of men after {t} (odds ratio {rng.uniform(1.1, 6):.2f}, "
        f"P<0.0{rng.randint(1, 5)}).",
        f"Common side effects of {t} include {e} and {e2}.",
        f"Severe {e} is rare after {t} but can develop months or years later.",
    ))


def _outcome(rng, p: Pools) -> str:
    t, t2, m = name(rng, rng.choice(p.therapies)), name(rng, rng.choice(p.therapies)), name(rng, rng.choice(p.measures))
    v = rng.uniform(40, 95)
    k = rng.choice((2, 3, 5, 10))
    return rng.choice((
        f"At {k} years, {m} was {v:.1f}% (95% CI, {v - rng.uniform(2, 9):.1f}-{min(v + rng.uniform(1, 5), 100):.1f}%) "
        f"with {t} among {rng.randint(40, 2000)} patients.",
        f"{cap(m)} at {k} years reached {v:.0f}% after {t}, compared with "
        f"{rng.uniform(30, 95):.0f}% after {t2} (P={rng.uniform(0.001, 0.6):.3f}).",
    ))


def _criterion(rng, p: Pools) -> str:
    t, a = name(rng, rng.choice(p.therapies)), name(rng, rng.choice(p.priors))
    psa = rng.choice((0.1, 0.2, 0.5, 0.7, 1.0, 2.0, 4.0, 10.0))
    return rng.choice((
        f"Candidates for {t} should have a PSA below {psa:g} ng/mL and a life expectancy of at least "
        f"{rng.choice((5, 10, 15))} years.",
        f"{cap(t)} is offered when PSA rises above {psa:g} ng/mL after {a}.",
        f"Patients with grade group {rng.randint(1, 3)}-{rng.randint(4, 5)} disease and no metastases "
        f"may be candidates for {t}.",
    ))


def _prerequisite(rng, p: Pools) -> str:
    t, ch, ch2 = name(rng, rng.choice(p.therapies)), name(rng, rng.choice(p.checks)), name(rng, rng.choice(p.checks))
    return rng.choice((
        f"Before {t}, recurrence should be confirmed by {ch}.",
        f"The decision to start {t} must not rest on {ch2} alone.",
    ))


def _definition(rng, p: Pools) -> str:
    a, b = rng.sample(p.approaches, 2)
    return f"{cap(name(rng, a))} is treatment given after a first treatment has failed, unlike {name(rng, b)}."


def _filler(rng, p: Pools) -> str:
    return rng.choice((
        f"Follow-up visits were scheduled every {rng.choice((3, 6, 12))} months for {rng.randint(2, 10)} years.",
        f"The registry enrolled {rng.randint(100, 5000)} patients from {rng.randint(3, 40)} centres.",
        "Shared decision-making with the care team remains essential.",
        f"Data were collected between {rng.randint(1995, 2015)} and {rng.randint(2016, 2025)}.",
    ))


SENTENCES = (_indication, _indication, _combination, _adverse, _adverse, _outcome, _outcome, _criterion,
             _prerequisite, _definition, _filler, _filler)
HEADINGS = ("Background", "Who is a candidate", "Treatment options", "Side effects", "Results",
            "Before treatment", "Outcomes after salvage treatment", "Discussion")


def document(index: int, seed: int = 0) -> str:
    """One synthetic document of about DOC_BYTES bytes; the same (index, seed) gives the same text."""
    rng = random.Random(f"{seed}:{index}")
    p = pools()
    c = rng.choice(p.conditions)
    parts = [f"Salvage treatment of {c.label}: report {index}", ""]
    size = len(parts[0])
    while size < DOC_BYTES - 400:
        heading = rng.choice(HEADINGS)
        paragraph = " ".join(rng.choice(SENTENCES)(rng, p) for _ in range(rng.randint(3, 6)))
        parts += [heading, paragraph, ""]
        size += len(heading) + len(paragraph) + 3
    year = rng.randint(2000, 2025)
    parts += ["References", f"1. Author{index} A, Writer B. Salvage outcomes in {c.label}. "
                            f"J Synth Med. {year};{rng.randint(1, 99)}:{rng.randint(1, 999)}. "
                            f"doi:10.{rng.randint(1000, 9999)}/jsm.{year}.{index}"]
    return "\n".join(parts) + "\n"


def write_corpus(folder: str | Path, n_docs: int, seed: int = 0) -> int:
    """Write `n_docs` documents into `folder` (created); returns the total size in bytes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n_docs):
        data = document(i, seed).encode("utf-8")
        (folder / f"doc_{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


# --------------------------------------------------------------------------------------------------
# A large graph in the project's shape
# --------------------------------------------------------------------------------------------------

def assertions(n_docs: int, per_doc: int = 60, seed: int = 0):
    """Synthetic documents and statements of every kind, with evidence, as a build would merge them.

    Statements are drawn from a limited space (a few hundred concepts), so some repeat across
    documents and are merged, with one node and several quotes, as in a real build.
    """
    from salvage_kg import assertions as a

    rng = random.Random(seed)
    p = pools()
    docs, statements = [], []
    for d in range(n_docs):
        doc_id = f"synthetic_{d:06d}"
        docs.append(a.Document(id=doc_id, path=f"{doc_id}.txt", text="", sha256=f"{d:064x}",
                               title=f"Synthetic document {d}", kind=rng.choice(a.DOCUMENT_KINDS[:4])))
        pos = 0
        for _ in range(per_doc):
            length = rng.randint(60, 240)
            quote = f"Synthetic sentence {d}.{pos} quoted as evidence " + "x" * (length - 40)
            ev = (a.Evidence(doc_id, pos, pos + len(quote), quote, section=rng.choice(HEADINGS),
                             hedged=rng.random() < 0.2),)
            pos += len(quote) + 1
            statements.extend(_statements(rng, p, a, ev))
    return docs, a.merge(statements)


def _statements(rng, p: Pools, a, ev) -> list:
    """What one sentence yields: an indication comes with the criteria and duration it carries, which
    are statements of their own too, as the loaders emit them."""
    st = _statement(rng, p, a, ev)
    if isinstance(st, a.Indication):
        return [st, *st.criteria, *([st.duration] if st.duration else [])]
    return [st]


def _statement(rng, p: Pools, a, ev):
    """One statement of a kind drawn in about the proportions a real build yields."""
    kind = rng.random()
    t = rng.choice(p.therapies).id
    if kind < 0.3:
        crit = ()
        if rng.random() < 0.3:
            crit = (_criterion(rng, a, t, "<", ev),)
        combined, duration = (), None
        if rng.random() < 0.15:  # a hormone therapy added for a stated time, as in salvage RT plus ADT
            combined = (rng.choice(p.hormones).id,)
            lo = rng.choice((4, 6, 12))
            duration = a.Duration(therapy=t, value=lo, value_max=lo * 2 if rng.random() < 0.5 else None,
                                  label=f"{lo} months", evidence=ev)
        return a.Indication(therapy=t, conditions=(rng.choice(p.conditions).id,),
                            after=(rng.choice(p.priors).id,) if rng.random() < 0.8 else (),
                            strength=rng.choice((None, "recommended", "may-be-considered", "not-recommended")),
                            intent=rng.choice((None, "curative")), combined_with=combined, criteria=crit,
                            duration=duration, evidence=ev)
    if kind < 0.55:
        return a.AdverseEffect(therapy=t, effect=rng.choice(p.effects).id, timing=rng.choice((None, "late", "acute")),
                               frequency=f"{rng.randint(1, 40)}%" if rng.random() < 0.5 else None, evidence=ev)
    if kind < 0.78:
        v = round(rng.uniform(40, 95), 1)
        return a.Outcome(arm=t, measure=rng.choice(p.measures).id, value=v, unit="%", ci_lower=round(v - 5, 1),
                         ci_upper=round(min(v + 4, 100), 1), ci_level=95.0, time_point=f"{rng.choice((2, 5, 10))} years",
                         cohort_size=rng.randint(40, 2000), evidence=ev)
    if kind < 0.88:
        return a.Prerequisite(therapy=t, requirement=rng.choice(p.checks).id, negated=rng.random() < 0.2,
                              label="", evidence=ev)
    if kind < 0.91:
        lo = rng.choice((3, 4, 6, 18, 24))
        return a.Duration(therapy=rng.choice(p.hormones).id, value=lo, label=f"{lo} months", evidence=ev)
    if kind < 0.93:
        term = rng.choice(p.approaches).id
        return a.Definition(term=term, text=ev[0].quote, evidence=ev)
    return _criterion(rng, a, t, ">", ev)


# Thresholds as guidelines state them: parameter, unit, typical values; PSA the most frequent.
THRESHOLDS = (("psa", "PSA", "ng/mL", (0.1, 0.2, 0.5, 0.7, 1.0, 2.0, 4.0, 10.0)),) * 4 + (
    ("psa-doubling-time", "PSA doubling time", "mo", (3, 6, 10, 12)),
    ("grade-group", "grade group", None, (2, 3, 4)),
    ("life-expectancy", "life expectancy", "a", (5, 10)),
    ("age", "age", "a", (70, 75, 80)),
    ("cd4-count", "CD4 count", "/uL", (200, 350)),
    ("viral-load", "viral load", "copies/mL", (50, 200, 1000)),
)


def _criterion(rng, a, therapy: str, comparator: str, ev):
    parameter, name, unit, values = rng.choice(THRESHOLDS)
    v = rng.choice(values)
    return a.Criterion(therapy=therapy, parameter=parameter, comparator=comparator, value=v, unit=unit,
                       label=f"{name} {comparator} {v:g}" + (f" {unit}" if unit else ""), evidence=ev)


def write_graph(path: str | Path, min_triples: int = 1_000_000, seed: int = 0) -> int:
    """Write a dataset of at least `min_triples` quads to `path` (.nq or .trig); returns the count."""
    from salvage_kg.graph.rdf import dataset_quads
    from salvage_kg.graph.store import write_quads
    from salvage_kg.ontology import owl
    from salvage_kg.ontology.terminology import default_terminology

    per_doc = 60
    quads_per_doc = 850  # measured: ~870 (about 15 quads per statement with its evidence)
    n_docs = min_triples // quads_per_doc + 1
    while True:
        docs, statements = assertions(n_docs, per_doc, seed)
        quads = dataset_quads(docs, statements, default_terminology(), owl.ontology_triples())
        if len(quads) >= min_triples:
            break
        n_docs = int(n_docs * min_triples / len(quads)) + 10
    write_quads(quads, path)
    return len(quads)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    p = argparse.ArgumentParser(description="Write a synthetic corpus or graph for the benchmarks.")
    sub = p.add_subparsers(dest="what", required=True)
    c = sub.add_parser("corpus", help="template documents (.txt) into a folder")
    c.add_argument("folder")
    c.add_argument("--docs", type=int, default=BASE_DOCS)
    c.add_argument("--seed", type=int, default=0)
    g = sub.add_parser("graph", help="a dataset of synthetic statements (.nq or .trig)")
    g.add_argument("path")
    g.add_argument("--triples", type=int, default=1_000_000)
    g.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.what == "corpus":
        print(json.dumps({"bytes": write_corpus(args.folder, args.docs, args.seed), "documents": args.docs}))
    else:
        print(json.dumps({"quads": write_graph(args.path, args.triples, args.seed)}))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
