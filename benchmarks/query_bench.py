"""Query latency: every named query on the corpus graph and on a large synthetic graph, on three engines.

- salvage-kg (local): `runner.run_named` on a dataset file loaded into the project's local store, the
  way `salvage-kg query` and the Python API run it (parameters resolved, results normalized), after
  one warm-up run. Its median and 95th percentile are the figures the targets speak of.
- The same final query text (the VALUES blocks the runner wrote for the parameters) is then run
  on the local store (`Source.execute`), on a real Oxigraph server over HTTP (`server.running_server`,
  127.0.0.1) and on rdflib's in-memory `Dataset` (in its own process), so the ratios compare engines
  on identical work. "engine" is pyoxigraph's own time for that text in this process (solutions
  listed, nothing serialized): the rest of "local" is the worker round trip and result handling.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import WORKER, median, ms, percentile, ratio, run_child, table

# One typical question per query (what a user asks), with the parameters it declares. A query with
# parameters also runs without them: the full listing, as `salvage-kg query NAME` prints it.
PARAMS = {
    "salvage-options": {"after": "radiotherapy"},
    "combined-therapy": {"therapy": "androgen deprivation therapy"},
    "complications": {"therapy": "HIFU"},
    "criteria": {"therapy": "salvage radiotherapy"},
    "concepts": {"under": "radiotherapy"},
    "evidence": {"subject": "HIFU"},
    "thresholds": {"parameter": "PSA"},
    "outcomes": {"therapy": "salvage radiotherapy"},
    "prerequisites": {"therapy": "salvage radiotherapy"},
    "durations": {"therapy": "androgen deprivation therapy"},
    "disagreements": {"subject": "HIFU"},
    "approaches": {"term": "salvage therapy"},
    "other-diseases": {"exclude": "prostate cancer"},
}


def invocations(queries) -> list[tuple[str, dict, bool]]:
    """(query name, parameters, typical): each query's typical question, then the full listings of those
    whose typical question has parameters."""
    typical = [(q.name, _params(q), True) for q in queries]
    return typical + [(name, {}, False) for name, params, _ in typical if params]


@dataclass
class Plan:
    reps: int  # timed runs per query and engine, at most
    spend: float  # seconds per query and engine after which no further run starts (one run at least)
    timeout: float  # seconds: a longer query of ours is stopped and reported as timed out
    rdflib_reps: int
    rdflib_budget: float  # seconds: a longer rdflib run is stopped (rdflib gets less when we are fast)

    def rdflib_limit(self, local: float) -> float:
        """Enough time for rdflib to show whether it is 20 times slower than the local store, and no more."""
        return min(self.rdflib_budget, max(1.0, 20 * local))


@dataclass
class QueryRow:
    name: str
    params: dict
    typical: bool = True  # the query's typical question; False: its full listing
    text: str = ""
    rows: int = 0
    named: list[float] = field(default_factory=list)  # run_named, local store
    local: list[float] = field(default_factory=list)  # Source.execute, local store
    engine: list[float] = field(default_factory=list)  # pyoxigraph alone, in process, solutions listed
    server: list[float] = field(default_factory=list)
    server_rows: int | None = None
    rdflib: list[float] = field(default_factory=list)
    rdflib_rows: int | None = None
    rdflib_timeout: bool = False
    rdflib_limit: float = 0.0
    rdflib_error: str = ""
    error: str = ""

    @property
    def label(self) -> str:
        return self.name + (f" ({' '.join(f'{k}={v}' for k, v in self.params.items())})" if self.params else "")


@dataclass
class GraphResult:
    label: str
    path: Path
    triples: int = 0
    load: dict = field(default_factory=dict)  # engine -> seconds to load the dataset
    rows: list[QueryRow] = field(default_factory=list)


def _params(query) -> dict:
    declared = {p.name for p in query.params}
    return {k: v for k, v in PARAMS.get(query.name, {}).items() if k in declared}


def _timed(fn, plan: Plan) -> list[float]:
    out: list[float] = []
    while len(out) < plan.reps and (not out or sum(out) < plan.spend):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def bench_local(g: GraphResult, plan: Plan, log) -> None:
    from salvage_kg.queries import catalog, runner

    source = runner.Source(graph=g.path)
    t = time.perf_counter()
    store = source.store
    g.load["local"] = time.perf_counter() - t
    g.triples = len(store)
    for name, params, typical in invocations(catalog.queries().values()):
        row = QueryRow(name, params, typical)
        g.rows.append(row)
        texts: list[str] = []
        execute = source.execute
        source.execute = lambda text, timeout, **kw: (texts.append(text), execute(text, timeout, **kw))[1]
        try:
            result = runner.run_named(name, row.params, source, timeout=plan.timeout)  # warm-up
        except runner.QueryError as e:
            row.error = str(e)
            log(f"queries: {g.label}: {row.label}: {e}")
            continue
        finally:
            del source.execute
        row.text, row.rows = texts[-1], len(result)
        row.named = _timed(lambda: runner.run_named(name, row.params, source, timeout=plan.timeout), plan)
        row.local = _timed(lambda: source.execute(row.text, plan.timeout), plan)
        # Bounded: the same text just finished within the timeout under the runner.
        row.engine = _timed(lambda: list(store.query(row.text)), plan)  # the default graph holds the union


def bench_server(g: GraphResult, plan: Plan, log) -> None:
    from salvage_kg.queries import runner
    from salvage_kg.queries.server import running_server

    t = time.perf_counter()
    with running_server(g.path, query_timeout=plan.timeout) as url:
        g.load["server"] = time.perf_counter() - t
        source = runner.Source(endpoint=url)
        for row in g.rows:
            if row.error:
                continue
            try:
                row.server_rows = len(source.execute(row.text, plan.timeout))  # warm-up
            except runner.QueryError as e:
                log(f"queries: {g.label}: {row.label} on the server: {e}")
                continue
            row.server = _timed(lambda: source.execute(row.text, plan.timeout), plan)


def bench_rdflib(g: GraphResult, plan: Plan, work: Path) -> None:
    for r in g.rows:
        r.rdflib_limit = plan.rdflib_limit(median(r.local)) if r.local else 0.0
    jobs = [{"name": r.label, "text": r.text, "reps": plan.rdflib_reps, "budget": r.rdflib_limit}
            for r in g.rows if not r.error]
    jobs_path = work / f"rdflib-jobs-{g.label}.json"
    jobs_path.write_text(json.dumps(jobs), encoding="utf-8")
    child = run_child([str(WORKER), "rdflib", str(g.path), str(jobs_path)], timeout=1800)
    g.load["rdflib"] = child.output["load_seconds"]
    g.load["rdflib_rss_mb"] = child.max_rss_mb
    for row in g.rows:
        found = child.output["queries"].get(row.label)
        if found:
            row.rdflib, row.rdflib_rows, row.rdflib_timeout = found["times"], found["rows"], found["timeout"]
            row.rdflib_error = found.get("error", "")


def run(graphs: list[tuple[str, Path]], plan_for, work: Path, log) -> list[GraphResult]:
    """`graphs`: (label, dataset file); `plan_for(label)` gives the repetitions for that graph."""
    results = []
    for label, path in graphs:
        g = GraphResult(label, path)
        plan = plan_for(label)
        log(f"queries: {label}: local store")
        bench_local(g, plan, log)
        log(f"queries: {label}: {g.triples:,} triples; Oxigraph server")
        bench_server(g, plan, log)
        log(f"queries: {label}: rdflib")
        bench_rdflib(g, plan, work)
        results.append(g)
    return results


def report(results: list[GraphResult], plan_for) -> tuple[str, dict]:
    parts, figures = [], {}
    for g in results:
        plan = plan_for(g.label)
        rows, notes = [], []
        named, rd_ratios, stopped = [], [], []
        for r in g.rows:
            label = r.label
            if r.error:
                shown = f">{plan.timeout * 1000:,.0f}" if "timed out" in r.error else "error"
                rows.append([label, "-", shown, shown] + ["-"] * 6)
                named.append((float("inf"), r.label, r.typical))
                stopped.append(r.label)
                continue
            local = median(r.local)
            srv = median(r.server) if r.server else None
            if r.rdflib:
                rd, rd_shown, bound = median(r.rdflib), ms(median(r.rdflib)), False
            elif r.rdflib_timeout:
                rd, rd_shown, bound = r.rdflib_limit, f">{r.rdflib_limit * 1000:,.0f}", True
            else:
                rd, rd_shown, bound = None, "fails" if r.rdflib_error else "-", False
            if r.rdflib_error:
                notes.append(f"rdflib fails on {r.label}: {r.rdflib_error[:100]}")
            if rd is not None:
                rd_ratios.append((rd / local, bound, r.label))
            named.append((median(r.named), r.label, r.typical))
            if r.server_rows is not None and r.server_rows != r.rows or r.rdflib and r.rdflib_rows != r.rows:
                notes.append(f"row counts differ on {r.label}: local {r.rows}, server {r.server_rows}, "
                             f"rdflib {r.rdflib_rows}")
            rows.append([label, f"{r.rows:,}", ms(median(r.named)), ms(percentile(r.named, 95)), ms(local),
                         ms(median(r.engine)), ms(srv), rd_shown, ratio(rd, local, lower_bound=bound),
                         ratio(srv, local)])
        load = ", ".join(f"{k} {v:.2f} s" for k, v in g.load.items() if not k.endswith("_mb"))
        parts += [f"**{g.label}** ({g.triples:,} triples). Dataset load: {load}; rdflib process peak "
                  f"{g.load.get('rdflib_rss_mb', 0):,.0f} MB.", "", table(
                      ["query (parameters)", "rows", "named median ms", "named p95 ms", "local ms", "engine ms",
                       "server ms", "rdflib ms", "rdflib / local", "server / local"], rows), ""]
        if stopped:
            notes.insert(0, f"stopped at the {plan.timeout:g} s timeout on the local store: {', '.join(stopped)}")
        if notes:
            parts += ["; ".join(notes) + ".", ""]
        worst = max(named) if named else (float("nan"), "", True)
        typical = max((n for n in named if n[2]), default=(float("nan"), "", True))
        # A lower bound below 10x says nothing about the 10x target: such a query is "unknown".
        decided = [x for x in rd_ratios if not x[1] or x[0] >= 10]
        figures[g.label] = {
            "triples": g.triples, "worst_named_median": worst[0], "worst_named_query": worst[1],
            "worst_typical_median": typical[0], "worst_typical_query": typical[1],
            "stopped": stopped, "rdflib_min": min(decided) if decided else None,
            "rdflib_unknown": [x[2] for x in rd_ratios if x not in decided],
            "rdflib_geomean": _geomean([x[0] for x in rd_ratios]),
        }
    parts.append("Columns: named = `run_named` on the local store (parameter resolution included), median "
                 "and 95th percentile; local / server / rdflib = the same final query text on the local store, "
                 "on `oxigraph serve-read-only` over HTTP, and on rdflib's in-memory Dataset (median); engine = "
                 "pyoxigraph alone on that text, in process, without the runner's worker process and JSON. "
                 "Ratios above 1 mean the local store is faster. rdflib runs are stopped at 20 times the local "
                 "median (at least 1 s, at most the budget): '>' marks a stopped run, its ratio a lower bound.")
    return "\n".join(parts), figures


def _geomean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None
