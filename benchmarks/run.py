"""Benchmarks of salvage-kg: loader throughput, query latency against rdflib and an Oxigraph server,
and command start-up. Prints the tables and, for a full run, writes them to benchmarks/RESULTS.md.

    python benchmarks/run.py                   # everything (~10 minutes on 2 cores)
    python benchmarks/run.py --quick           # small sizes, a smoke test (~1 minute); writes nothing
    python benchmarks/run.py --only queries    # one section: loader, queries or startup

Run from the project root with the project installed (`pip install -e .`). Inputs are generated into
a temporary folder and removed afterwards; the real corpus is read from ../shared/corpus (or
$SALVAGE_KG_CORPUS, or --corpus).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loader_bench  # noqa: E402
import machine  # noqa: E402
import query_bench  # noqa: E402
import startup_bench  # noqa: E402
import synthetic  # noqa: E402
from common import HERE, ROOT, WORKER, run_child, table  # noqa: E402

SECTIONS = ("loader", "queries", "startup")
BIG_TRIPLES = 1_000_000
QUICK_TRIPLES = 30_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def default_corpus() -> Path:
    return Path(os.environ.get("SALVAGE_KG_CORPUS") or ROOT.parent / "shared" / "corpus")


def corpus_graph(corpus: Path, work: Path) -> Path:
    """The real corpus built as `salvage-kg build --no-validate` builds it (TriG, the default format)."""
    path = work / "corpus.trig"
    if not path.exists():
        run_child([str(WORKER), "build", str(corpus), str(path)])
    return path


def synthetic_graph(work: Path, triples: int) -> Path:
    path = work / f"synthetic-{triples // 1000}k.nq"
    log(f"queries: generating a synthetic graph of at least {triples:,} triples")
    run_child([str(HERE / "synthetic.py"), "graph", str(path), "--triples", str(triples)], timeout=1800)
    return path


def targets(figures: dict) -> list[list[str]]:
    """Each target: what was asked, what was measured, met or not. Only targets the run measured."""
    out = []

    def add(name, measured, met):
        out.append([name, measured, "met" if met else "MISSED"])

    lo = figures.get("loader")
    if lo and lo["largest_mb"] >= 10:
        add("loader >= 1 MB/s of text, marginal", f"{lo['marginal_loader_kbs']:,.0f} KB/s",
            lo["marginal_loader_kbs"] >= 1024)
        add("linear to 10 MB (cost per document grows by at most 20%)",
            f"x{lo['per_doc_growth']:.2f} loader, x{lo['per_doc_growth_total']:.2f} build at {lo['largest_mb']:.1f} MB",
            lo["per_doc_growth"] <= 1.2 and lo["per_doc_growth_total"] <= 1.2)
        add("build peak memory <= 1 GB for 10 MB of text", f"{lo['largest_rss_mb']:,.0f} MB",
            lo["largest_rss_mb"] <= 1024)
    q = figures.get("queries", {})

    def latency(name, graph, limit, which="named"):
        worst = graph[f"worst_{which}_median"]
        stopped = graph["stopped"] if which == "named" else []
        shown = (f"{', '.join(stopped)} stopped at the timeout" if stopped else
                 f"worst {worst * 1000:.1f} ms ({graph[f'worst_{which}_query']})")
        add(name, shown, worst <= limit)

    if "corpus" in q:
        latency("every named query <= 5 ms median, corpus graph", q["corpus"], 0.005)
    big = next((v for k, v in q.items() if k != "corpus" and v["triples"] >= BIG_TRIPLES), None)
    if big:
        latency("every named query <= 100 ms median, 1M triples (questions and full listings)", big, 0.1)
        latency("... the typical question of each query only (parameters shown)", big, 0.1, "typical")
        if big["rdflib_min"]:
            worst, bound, name = big["rdflib_min"]
            unknown = big["rdflib_unknown"] + big["stopped"]
            add(">= 10x faster than rdflib in memory, 1M triples",
                f"min {'>' if bound else ''}{worst:.1f}x ({name}), geometric mean {big['rdflib_geomean']:.0f}x"
                + (f"; not decided: {', '.join(unknown)}" if unknown else ""), worst >= 10 and not unknown)
    s = figures.get("startup")
    if s:
        add("`salvage-kg query` cold start <= 0.5 s", f"median {s['query_median']:.2f} s, p95 {s['query_p95']:.2f} s",
            s["query_median"] <= 0.5)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes and few repetitions: a smoke test")
    p.add_argument("--only", choices=SECTIONS, action="append", help="run this section only (repeatable)")
    p.add_argument("--corpus", type=Path, default=None, help="the real corpus (default: ../shared/corpus)")
    p.add_argument("--results", type=Path, default=None,
                   help="write the Markdown report here (default: benchmarks/RESULTS.md for a full run of all "
                        "sections, nowhere otherwise)")
    p.add_argument("--keep", action="store_true", help="keep the generated inputs (their folder is printed)")
    args = p.parse_args(argv)
    sections = args.only or list(SECTIONS)
    corpus = args.corpus or default_corpus()
    results_path = args.results or (HERE / "RESULTS.md" if not args.quick and not args.only else None)

    started = time.perf_counter()
    info = machine.describe()
    work = Path(tempfile.mkdtemp(prefix="salvage-kg-bench-"))
    parts: list[str] = []
    figures: dict = {}
    try:
        if "loader" in sections:
            result = loader_bench.run(work, corpus, args.quick, log)
            text, figures["loader"] = loader_bench.report(result)
            parts += ["## Loader throughput", "",
                      f"Synthetic corpora of template documents (~{synthetic.DOC_BYTES / 1000:.1f} KB each, "
                      f"concepts and numbers varied; `benchmarks/synthetic.py`), {synthetic.BASE_DOCS} documents "
                      "at 1x, each build in a fresh process as `salvage-kg build --no-validate` runs it.", "",
                      text, ""]
        if "queries" in sections:
            big = synthetic_graph(work, QUICK_TRIPLES if args.quick else BIG_TRIPLES)
            big_label = f"synthetic {QUICK_TRIPLES // 1000}k" if args.quick else "synthetic 1M"

            def plan_for(label: str) -> query_bench.Plan:
                if args.quick:
                    return query_bench.Plan(reps=3, spend=0.5, timeout=5.0, rdflib_reps=1, rdflib_budget=1.0)
                if label == "corpus":
                    return query_bench.Plan(reps=30, spend=3.0, timeout=10.0, rdflib_reps=5, rdflib_budget=5.0)
                return query_bench.Plan(reps=10, spend=2.0, timeout=10.0, rdflib_reps=3, rdflib_budget=40.0)

            graphs = [("corpus", corpus_graph(corpus, work)), (big_label, big)]
            results = query_bench.run(graphs, plan_for, work, log)
            text, figures["queries"] = query_bench.report(results, plan_for)
            parts += ["## Query latency", "",
                      "Graphs: the real corpus as built, and a synthetic dataset written by the project's RDF "
                      "writer from generated statements of every kind (as in a large corpus, some claims are "
                      "made by several documents). Each query runs as a typical question, with the parameters shown; "
                      "a query that has parameters then runs without them too, as the full listing "
                      "`salvage-kg query NAME` prints.", "", text, ""]
        if "startup" in sections:
            result = startup_bench.run(corpus_graph(corpus, work), args.quick, log)
            text, figures["startup"] = startup_bench.report(result)
            parts += ["## Start-up", "", text, ""]
    finally:
        if args.keep:
            log(f"inputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    info["load average at end (1/5/15 min)"] = machine.load_average()
    elapsed = time.perf_counter() - started
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "") + "".join(
        f" --only {s}" for s in args.only or [])
    head = ["# salvage-kg benchmarks", "",
            f"`{command}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s in all.", "",
            table(["machine", ""], [[k, v] for k, v in info.items()], align="ll"), ""]
    goal_rows = targets(figures)
    tail = ["## Targets", "", table(["target", "measured", ""], goal_rows, align="lll"), ""] if goal_rows else []
    report = "\n".join(head + parts + tail).rstrip() + "\n"
    print(report, end="")
    if results_path:
        results_path.write_text(report, encoding="utf-8")
        log(f"wrote {results_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
