"""Loader throughput: builds of synthetic corpora at growing scale, each in a fresh process.

Every build runs `pipeline.build(validate=False)` (what `salvage-kg build --no-validate` does) in a
worker process; its progress messages are time-stamped to split the build into phases. "Loader" is
reading plus extraction (text -> statements); the rest turns statements into RDF and writes files.
Validation (SHACL + OWL reasoner) is measured on its own, on the real corpus.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import synthetic
from common import WORKER, Child, run_child, table

FULL_SCALES = (1, 10, 100)
QUICK_SCALES = (1, 2)


@dataclass
class BuildRun:
    label: str
    documents: int
    text_bytes: int
    child: Child
    phases: dict[str, float] = field(default_factory=dict)
    rss: dict[str, float] = field(default_factory=dict)  # phase -> resident MB when it ended

    @property
    def loader_seconds(self) -> float:
        return self.phases.get("read", 0) + self.phases.get("extract", 0)

    @property
    def kb_per_s(self) -> float:
        return self.text_bytes / 1024 / self.loader_seconds if self.loader_seconds else float("nan")

    @property
    def ms_per_doc(self) -> float:
        return self.loader_seconds * 1000 / self.documents

    @property
    def ms_per_doc_total(self) -> float:
        return self.child.wall * 1000 / self.documents


def phases(stamps: list) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per phase, and resident memory at its end, from the pipeline's progress messages: the
    last 'read', the last 'extracted', the 'N statements, M quads' line (sent once the dataset file is
    written, since quads stream into it as they are made), then 'wrote' (the companion files)."""
    marks: dict[str, tuple[float, float]] = {}
    for t, message, rss in stamps:
        for name, prefix in (("read", "read "), ("extract", "extracted "), ("write", "wrote")):
            if message.startswith(prefix):
                marks[name] = (t, rss)
        if " statements, " in message:
            marks["rdf"] = (t, rss)
    seconds, memory, last = {}, {}, 0.0
    for name in ("read", "extract", "rdf", "write"):
        if name in marks:
            seconds[name] = marks[name][0] - last
            memory[name] = marks[name][1]
            last = marks[name][0]
    return seconds, memory


def build(corpus: Path, out: Path, label: str) -> BuildRun:
    files = [p for p in corpus.iterdir() if p.suffix in (".txt", ".md", ".html")]
    size = sum(p.stat().st_size for p in files)
    child = run_child([str(WORKER), "build", str(corpus), str(out)])
    run = BuildRun(label, len(files), size, child)
    run.phases, run.rss = phases(child.output["stamps"])
    return run


def validation(graph: Path) -> tuple[dict | None, str]:
    """`salvage-kg validate` on a built graph: seconds and verdict, or None and the reason."""
    try:
        return run_child([str(WORKER), "validate", str(graph)]).output, ""
    except RuntimeError as e:
        return None, str(e)


def run(work: Path, corpus: Path, quick: bool, log) -> dict:
    scales = QUICK_SCALES if quick else FULL_SCALES
    runs: list[BuildRun] = []
    for scale in scales:
        n = synthetic.BASE_DOCS * scale
        folder = work / f"corpus-{scale}x"
        size = synthetic.write_corpus(folder, n)
        log(f"loader: {scale}x: {n} documents, {size / 1e6:.2f} MB; building")
        runs.append(build(folder, work / f"build-{scale}x.nq", f"{scale}x"))
        shutil.rmtree(folder)
        (work / f"build-{scale}x.nq").unlink(missing_ok=True)
    log("loader: real corpus, with and without validation")
    real = build(corpus, work / "corpus.trig", "real corpus")
    checks, why = validation(work / "corpus.trig") if not quick else (None, "skipped with --quick")
    return {"runs": runs, "real": real, "validation": checks, "validation_note": why}


def marginal(a: BuildRun, b: BuildRun, seconds) -> float:
    """KB per second of the extra text between two scales."""
    dt = seconds(b) - seconds(a)
    return (b.text_bytes - a.text_bytes) / 1024 / dt if dt > 0 else float("inf")


def report(result: dict) -> tuple[str, dict]:
    runs: list[BuildRun] = result["runs"]
    rows = []
    for r in runs + [result["real"]]:
        p = r.phases
        rows.append([
            r.label, r.documents, f"{r.text_bytes / 1e6:.2f}", f"{r.child.output['quads']:,}",
            f"{r.kb_per_s:,.0f}", f"{r.ms_per_doc:.1f}", f"{p.get('read', 0):.2f}", f"{p.get('extract', 0):.2f}",
            f"{p.get('rdf', 0):.2f}", f"{p.get('write', 0):.2f}", f"{r.child.wall:.2f}",
            f"{r.rss.get('extract', 0):,.0f} / {r.rss.get('rdf', 0):,.0f} / {r.child.max_rss_mb:,.0f}",
        ])
    text = table(["corpus", "docs", "text MB", "quads", "loader KB/s", "loader ms/doc", "read s", "extract s",
                  "to RDF s", "write s", "build s (end to end)", "RSS MB: extracted / RDF / peak"], rows)
    lines = [text, ""]
    figures = {}
    if len(runs) >= 2:
        prev, hi = runs[-2], runs[-1]
        loader_kbs = marginal(prev, hi, lambda r: r.loader_seconds)
        build_kbs = marginal(prev, hi, lambda r: r.child.wall)
        # Cost per document at the largest scale against each smaller one: > 1 means it grows with
        # the corpus. The smallest scale also carries one-off costs (imports, automaton), so < 1 is usual.
        growth = max(hi.ms_per_doc / r.ms_per_doc for r in runs[:-1])
        growth_total = max(hi.ms_per_doc_total / r.ms_per_doc_total for r in runs[:-1])
        figures = {"marginal_loader_kbs": loader_kbs, "marginal_build_kbs": build_kbs, "per_doc_growth": growth,
                   "per_doc_growth_total": growth_total, "largest_mb": hi.text_bytes / 1e6,
                   "largest_rss_mb": hi.child.max_rss_mb, "largest_label": hi.label}
        ratios = ", ".join(f"{hi.label} / {r.label} {hi.ms_per_doc / r.ms_per_doc:.2f} "
                           f"({hi.ms_per_doc_total / r.ms_per_doc_total:.2f})" for r in runs[:-1])
        lines.append(f"Marginal throughput {prev.label} -> {hi.label}: loader {loader_kbs:,.0f} KB/s, whole build "
                     f"{build_kbs:,.0f} KB/s. Cost per document, loader (whole build): {ratios}; 1.00 is "
                     f"perfectly linear.")
    v = result["validation"]
    if v is not None:
        verdict = "conforms" if v["conforms"] else f"does not conform ({v['violations']} findings)"
        lines.append(f"Validation of the real corpus graph (`salvage-kg validate`: SHACL shapes + OWL reasoner, "
                     f"reasoner {v['reasoner']}) takes {v['seconds']:.1f} s in a fresh process; the graph {verdict}.")
    elif result["validation_note"]:
        lines.append(f"Validation not measured: {result['validation_note']}.")
    lines.append("Columns: loader = read + extract (text -> statements); to RDF = quads made graph by graph and "
                 "streamed into the dataset file; write = companion files (ontology, VoID description, whose "
                 "figures come from the dataset's sorted lines); build = the whole worker process, interpreter "
                 "start included; RSS = resident memory after extraction, after the dataset file is written, and "
                 "the peak of the process.")
    return "\n".join(lines), figures
