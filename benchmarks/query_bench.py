"""Query latency: every named query on the corpus graph and on a large synthetic graph, on three engines.

- salvage-kg (local): `runner.run_named` on a dataset file loaded into the project's local store, the
  way `salvage-kg query` and the Python API run it (parameters resolved, results normalized), after
  one warm-up run. Its median and 95th percentile are the figures the targets speak of.
- The same final query text (the VALUES blocks the runner wrote for the parameters) is then run
  on the local store (`Source.execute`), on a real Oxigraph server over HTTP (`server.running_server`,
  127.0.0.1) and on rdflib's in-memory `Dataset` (in its own process), so the ratios compare engines
  on identical work.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import WORKER, median, ms, percentile, ratio, run_child, table

# One typical invocation per query (what a user asks); a query the table does not name runs without
# parameters. Only parameters the query declares are passed.
PARAMS = {
    "salvage-options": {"after": "radiotherapy"},
    "combined-therapy": {"therapy": "androgen deprivation therapy"},
    "complications": {"therapy": "HIFU"},
    "criteria": {"therapy": "salvage radiotherapy"},
    "concepts": {"under": "radiotherapy"},
    "evidence": {"subject": "HIFU"},
    "thresholds": {"parameter": "PSA"},
}


@dataclass
class Plan:
    reps: int  # timed runs per query and engine, at most
    rdflib_reps: int
    rdflib_budget: float  # seconds: a longer rdflib run is stopped
    timeout: float  # seconds: a longer run of our own is stopped and the query reported as timed out
    spend: float = 5.0  # seconds per query and engine after which fewer runs (at least 3) will do


@dataclass
class QueryRow:
    name: str
    params: dict
    text: str = ""
    rows: int = 0
    named: list[float] = field(default_factory=list)  # run_named, local store
    local: list[float] = field(default_factory=list)  # Source.execute, local store
    server: list[float] = field(default_factory=list)
    server_rows: int | None = None
    rdflib: list[float] = field(default_factory=list)
    rdflib_rows: int | None = None
    rdflib_timeout: bool = False
    rdflib_error: str = ""
    error: str = ""


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
    while len(out) < plan.reps and (len(out) < 3 or sum(out) < plan.spend):
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
    for query in catalog.queries().values():
        row = QueryRow(query.name, _params(query))
        g.rows.append(row)
        texts: list[str] = []
        execute = source.execute
        source.execute = lambda text, timeout, **kw: (texts.append(text), execute(text, timeout, **kw))[1]
        try:
            result = runner.run_named(query.name, row.params, source, timeout=plan.timeout)  # warm-up
        except runner.QueryError as e:
            row.error = str(e)
            log(f"queries: {g.label}: {query.name}: {e}")
            continue
        finally:
            del source.execute
        row.text, row.rows = texts[-1], len(result)
        row.named = _timed(lambda: runner.run_named(query.name, row.params, source, timeout=plan.timeout), plan)
        row.local = _timed(lambda: source.execute(row.text, plan.timeout), plan)


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
                log(f"queries: {g.label}: {row.name} on the server: {e}")
                continue
            row.server = _timed(lambda: source.execute(row.text, plan.timeout), plan)


def bench_rdflib(g: GraphResult, plan: Plan, work: Path) -> None:
    jobs = [{"name": r.name, "text": r.text, "reps": plan.rdflib_reps, "budget": plan.rdflib_budget}
            for r in g.rows if not r.error]
    jobs_path = work / f"rdflib-jobs-{g.label}.json"
    jobs_path.write_text(json.dumps(jobs), encoding="utf-8")
    child = run_child([str(WORKER), "rdflib", str(g.path), str(jobs_path)], timeout=1800)
    g.load["rdflib"] = child.output["load_seconds"]
    g.load["rdflib_rss_mb"] = child.max_rss_mb
    for row in g.rows:
        found = child.output["queries"].get(row.name)
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


def _rdflib_median(row: QueryRow) -> tuple[float | None, bool]:
    """rdflib's median, and whether it is only a lower bound (the run was stopped)."""
    if row.rdflib:
        return median(row.rdflib), False
    return None, row.rdflib_timeout


def report(results: list[GraphResult], budget_for) -> tuple[str, dict]:
    parts, figures = [], {}
    for g in results:
        budget = budget_for(g.label, "rdflib")
        rows = []
        named_medians, rd_ratios, srv_ratios, mismatched, rdflib_errors, failed = [], [], [], [], [], []
        for r in g.rows:
            if r.error:
                shown = f">{budget_for(g.label, 'timeout') * 1000:,.0f}" if "timed out" in r.error else "error"
                rows.append([r.name, "-", shown, shown, "-", "-", "-", "-", "-"])
                named_medians.append((float("inf"), float("inf"), r.name))
                failed.append(f"{r.name}: {r.error}")
                continue
            local = median(r.local)
            rd, _ = _rdflib_median(r)
            rd_shown = ms(rd) if rd is not None else (f">{budget * 1000:,.0f}" if r.rdflib_timeout else
                                                      "fails" if r.rdflib_error else "-")
            if r.rdflib_error:
                rdflib_errors.append(f"{r.name}: {r.rdflib_error[:120]}")
            rd_ratio = rd / local if rd else (budget / local if r.rdflib_timeout else None)
            if rd_ratio:
                rd_ratios.append((rd_ratio, r.rdflib_timeout and rd is None, r.name))
            srv = median(r.server) if r.server else None
            if srv:
                srv_ratios.append(srv / local)
            named_medians.append((median(r.named), percentile(r.named, 95), r.name))
            counts = {r.rows, r.rows if r.server_rows is None else r.server_rows,
                      r.rows if r.rdflib_rows is None or not r.rdflib else r.rdflib_rows}
            if len(counts) > 1:
                mismatched.append(f"{r.name} (local {r.rows}, server {r.server_rows}, rdflib {r.rdflib_rows})")
            shown_params = " ".join(f"{k}={v}" for k, v in r.params.items())
            rows.append([r.name + (f" ({shown_params})" if shown_params else ""), f"{r.rows:,}",
                         ms(median(r.named)), ms(percentile(r.named, 95)), ms(local), ms(srv), rd_shown,
                         ratio(rd_ratio, 1, lower_bound=r.rdflib_timeout and rd is None), ratio(srv, local)])
        load = ", ".join(f"{k} {v:.2f} s" for k, v in g.load.items() if not k.endswith("_mb"))
        head = (f"**{g.label}** ({g.triples:,} triples). Dataset load: {load}; rdflib process peak "
                f"{g.load.get('rdflib_rss_mb', 0):,.0f} MB.")
        parts += [head, "", table(
            ["query (parameters)", "rows", "named median ms", "named p95 ms", "local ms", "server ms",
             "rdflib ms", "rdflib / local", "server / local"], rows), ""]
        if failed:
            parts += ["Stopped: " + "; ".join(failed) + ".", ""]
        if rdflib_errors:
            parts += ["rdflib could not run: " + "; ".join(rdflib_errors) + ".", ""]
        if mismatched:
            parts += ["Row counts differ between engines: " + "; ".join(mismatched) + ".", ""]
        if named_medians:
            worst = max(named_medians)
            figures[g.label] = {
                "worst_named_median": worst[0], "worst_named_query": worst[2],
                "worst_named_p95": max(named_medians, key=lambda x: x[1])[1],
                "min_rdflib_ratio": min(rd_ratios) if rd_ratios else None,
                "geomean_rdflib_ratio": math.exp(sum(math.log(x[0]) for x in rd_ratios) / len(rd_ratios))
                if rd_ratios else None,
                "geomean_server_ratio": math.exp(sum(math.log(x) for x in srv_ratios) / len(srv_ratios))
                if srv_ratios else None,
                "triples": g.triples,
            }
    parts.append("Columns: named = `run_named` on the local store (parameter resolution included), median "
                 "and 95th percentile; local / server / rdflib = the same final query text on the local store, "
                 "on `oxigraph serve-read-only` over HTTP, and on rdflib's in-memory Dataset (median). "
                 "Ratios above 1 mean the local store is faster; '>' marks an rdflib run stopped at the budget.")
    return "\n".join(parts), figures
