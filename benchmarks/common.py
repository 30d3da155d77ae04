"""Shared by the benchmark sections: child processes with their peak memory, statistics, tables."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKER = HERE / "worker.py"


@dataclass
class Child:
    output: dict
    wall: float  # seconds, process start to exit
    max_rss_mb: float  # peak resident memory of the process


def run_child(args: list[str], cwd: Path = ROOT, timeout: float = 900) -> Child:
    """Run `python args...` and parse the JSON it prints; the worker reports its own peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RuntimeError(f"{' '.join(args[:2])}: no answer within {timeout:g} s") from None
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(str(a) for a in args[:2])} failed: {' | '.join(tail)}")
    doc = json.loads(out)
    return Child(doc, wall, doc.get("max_rss_kb", 0) / 1024)


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return (s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2) if n else float("nan")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0-100): an observed value, no interpolation."""
    s = sorted(values)
    if not s:
        return float("nan")
    rank = max(1, -(-len(s) * q // 100))
    return s[int(rank) - 1]


def ms(seconds: float | None) -> str:
    if seconds is None or seconds != seconds:
        return "-"
    v = seconds * 1000
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:,.0f}"


def ratio(a: float | None, b: float | None, lower_bound: bool = False) -> str:
    if not a or not b or a != a or b != b:
        return "-"
    r = a / b
    text = f"{r:.2f}x" if r < 1 else f"{r:.1f}x" if r < 100 else f"{r:,.0f}x"
    return (">" if lower_bound else "") + text


def table(headers: list[str], rows: list[list], align: str | None = None) -> str:
    """A Markdown table padded so that it also reads well as plain text. `align`: one of 'l'/'r' per
    column (default: first column left, others right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r):
        return "| " + " | ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(r, widths, align)) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":" if a == "r" else "-" * (w + 2)) for w, a in zip(widths, align)) + "|"
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


def console_script() -> list[str]:
    """The installed `salvage-kg` command, as a user runs it."""
    beside = Path(sys.executable).parent / "salvage-kg"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("salvage-kg")
    return [found] if found else [sys.executable, "-m", "salvage_kg.cli"]
