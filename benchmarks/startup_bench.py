"""Start-up: wall time of the `salvage-kg` command in a fresh process, and what it imports.

"Cold" means a new interpreter each time (no warm Python state); the operating system's file cache
is warm after the first run, as it is for anyone who runs the command twice.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from common import console_script, median, ms, percentile, table

# Modules that must stay off the query path: each costs 0.1-1 s to import.
HEAVY = ("rdflib", "owlready2", "pyshacl", "networkx", "bioregistry", "spacy", "SPARQLWrapper", "pydantic",
         "requests", "yaml")


def _wall(command: list[str], reps: int) -> list[float]:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[-4:])}: exit {done.returncode}: "
                               f"{done.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    return times


def imported_modules(graph: Path) -> list[str]:
    """Heavy top-level packages that `salvage-kg query salvage-options` imports."""
    code = ("import sys, io, contextlib\n"
            "from salvage_kg.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['query', 'salvage-options', '--graph', {str(graph)!r}])\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = set(done.stdout.split())
    return [m for m in HEAVY if m in loaded]


def run(graph: Path, quick: bool, log) -> dict:
    reps = 5 if quick else 15
    cli = console_script()
    commands = [
        ("python -c pass (interpreter alone)", [sys.executable, "-c", "pass"]),
        ("salvage-kg --version", cli + ["--version"]),
        ("salvage-kg queries", cli + ["queries"]),
        ("salvage-kg query salvage-options", cli + ["query", "salvage-options", "--graph", str(graph)]),
        ("salvage-kg query salvage-options --param after=radiotherapy",
         cli + ["query", "salvage-options", "--graph", str(graph), "--param", "after=radiotherapy"]),
    ]
    rows = []
    for label, command in commands:
        log(f"startup: {label}")
        times = _wall(command, reps + 1)[1:]  # the first run fills the file cache
        rows.append((label, times))
    return {"rows": rows, "heavy": imported_modules(graph), "reps": reps}


def report(result: dict) -> tuple[str, dict]:
    rows = [[label, ms(median(t)), ms(percentile(t, 95)), ms(min(t))] for label, t in result["rows"]]
    text = table(["command (corpus graph, cold process)", "median ms", "p95 ms", "min ms"], rows, align="lrrr")
    heavy = ", ".join(result["heavy"]) or "none"
    text += (f"\n\n{result['reps']} runs each after one untimed run. Heavy packages imported by "
             f"`salvage-kg query salvage-options`: {heavy} (checked: {', '.join(HEAVY)}).")
    query = dict(result["rows"])["salvage-kg query salvage-options"]
    return text, {"query_median": median(query), "query_p95": percentile(query, 95), "heavy": result["heavy"]}
