"""Work the benchmarks run in a fresh process, so that its memory and imports are its own.

    python benchmarks/worker.py build CORPUS OUT
        Build like `salvage-kg build --no-validate`; print JSON with the time of each progress message.
    python benchmarks/worker.py validate GRAPH
        Check GRAPH like `salvage-kg validate` (SHACL shapes and the OWL reasoner); print JSON.
    python benchmarks/worker.py rdflib GRAPH JOBS.json
        Load GRAPH into rdflib's in-memory Dataset and time the queries JOBS.json lists; print JSON.

Both print one JSON document on stdout and nothing else there.
"""
from __future__ import annotations

import json
import signal
import sys
import time


def build(corpus: str, out: str) -> dict:
    started = time.perf_counter()
    stamps: list[tuple[float, str]] = []

    def progress(message: str) -> None:
        stamps.append((time.perf_counter() - started, message, _rss_mb()))

    from salvage_kg.pipeline import build as run_build

    result = run_build(corpus, out, validate=False, progress=progress)
    return {
        "seconds": time.perf_counter() - started,
        "documents": len(result.documents),
        "statements": len(result.statements),
        "quads": len(result.quads),
        "stamps": stamps,
    }


def validate(graph: str) -> dict:
    started = time.perf_counter()
    from salvage_kg.validate import validate_file

    report = validate_file(graph)
    return {"seconds": time.perf_counter() - started, "conforms": report.conforms, "reasoner": report.reasoner,
            "violations": len(report.violations)}


def _rss_mb() -> float:
    """Resident memory now (Linux), to see which phase holds how much."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096 / 2**20
    except OSError:
        return 0.0


class _Timeout(BaseException):
    """Raised by the alarm; not an Exception, so that no `except Exception` inside rdflib swallows it."""


def _alarm(signum, frame):
    raise _Timeout


def rdflib_queries(graph: str, jobs_path: str) -> dict:
    """Each job: {name, text, reps, budget}. A run longer than `budget` seconds is stopped (rdflib is
    pure Python, so an alarm can interrupt it) and reported as a timeout."""
    import rdflib

    jobs = json.loads(open(jobs_path, encoding="utf-8").read())
    started = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    fmt = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "nt": "nt"}[graph.rsplit(".", 1)[-1]]
    ds.parse(graph, format=fmt)
    out = {"load_seconds": time.perf_counter() - started, "triples": len(ds), "queries": {}}
    signal.signal(signal.SIGALRM, _alarm)
    for job in jobs:
        times, rows, timed_out, error = [], None, False, ""
        spent = 0.0
        for i in range(job["reps"]):
            t = time.perf_counter()
            try:  # the alarm may fire anywhere up to the moment it is disarmed: catch it around both
                signal.setitimer(signal.ITIMER_REAL, job["budget"])
                try:
                    rows = len(list(ds.query(job["text"])))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except _Timeout:
                timed_out = True
                break
            except Exception as e:  # noqa: BLE001 - rdflib's own failures are a result too
                error = f"{type(e).__name__}: {e}"
                break
            times.append(time.perf_counter() - t)
            spent += times[-1]
            if i > 0 and spent > job["budget"]:  # enough for a median of a slow query
                break
        out["queries"][job["name"]] = {"times": times, "rows": rows, "timeout": timed_out, "error": error}
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["build"] and len(argv) == 3:
        doc = build(argv[1], argv[2])
    elif argv[:1] == ["validate"] and len(argv) == 2:
        doc = validate(argv[1])
    elif argv[:1] == ["rdflib"] and len(argv) == 3:
        doc = rdflib_queries(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    import resource

    doc["max_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    json.dump(doc, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
