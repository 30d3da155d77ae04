"""Queries on a dataset file: Oxigraph in memory, each query in a process the timeout can kill.

Oxigraph cannot be interrupted from Python (and holds the GIL while it computes), so a query runs
in a forked child that shares the loaded store and is killed when the timeout expires. Where fork
is missing, a fresh interpreter loads the file and runs the query instead.
"""
from __future__ import annotations

import json
import os
import re
import signal
import sys
import time

from .catalog import QueryError
from .results import Result, from_json, triples_result


def query_file(source, text: str, timeout: float) -> Result:
    """Run `text` on `source` (a runner.Source with a dataset file); the default graph is the union."""
    if hasattr(os, "fork"):
        store = source.store  # loaded before forking, so the child shares it
        payload = _in_child(lambda: _evaluate(store, text), timeout)
    else:
        payload = _in_subprocess(_as_file(source), text, timeout)
    if payload.startswith(b"syntax\n"):
        raise _malformed(text, payload[7:].decode("utf-8", "replace"))
    return _decode(payload)


def _evaluate(store, text: str) -> bytes:
    """Run the query and serialize its results; parse errors are reported, not raised.

    Oxigraph may already do much of the work when the query is prepared (building join tables),
    so even that happens where the timeout can stop it.
    """
    try:
        results = store.query(text)  # the store's default graph holds the union (graph.store.load_store)
    except SyntaxError as e:
        return b"syntax\n" + str(e).encode("utf-8")
    return _serialize(results)


def _decode(payload: bytes) -> Result:
    kind, _, data = payload.partition(b"\n")
    if kind == b"error":
        raise QueryError(f"query failed: {data.decode('utf-8', 'replace')}")
    if kind == b"triples":
        from pyoxigraph import RdfFormat, parse

        return triples_result(parse(data, RdfFormat.N_TRIPLES))
    return from_json(json.loads(data))


def _malformed(text: str, error: str) -> QueryError:
    message = " ".join(error.split())
    message = message if len(message) <= 160 else message[:159] + "…"
    return QueryError(f"malformed SPARQL: {message}{_near(text, error)}")


def _near(text: str, message: str) -> str:
    """The text at the parser's 'line:column', so a one-line message still shows where."""
    m = re.search(r"at (\d+):(\d+)", message)
    lines = text.splitlines()
    if not m or not 0 < int(m.group(1)) <= len(lines):
        return ""
    line = lines[int(m.group(1)) - 1]
    column = min(int(m.group(2)), len(line))
    return f" (near {line[max(0, column - 20):column + 20].strip()!r})" if line.strip() else ""


def _serialize(results) -> bytes:
    from pyoxigraph import QueryResultsFormat, QueryTriples, RdfFormat

    if isinstance(results, QueryTriples):
        return b"triples\n" + results.serialize(format=RdfFormat.N_TRIPLES)
    return b"json\n" + results.serialize(format=QueryResultsFormat.JSON)


def _in_child(work, timeout: float) -> bytes:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: compute, send, leave without running the parent's exit handlers
        try:
            os.close(read_fd)
            try:
                data = work()
            except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
                data = b"error\n" + (str(e) or type(e).__name__).encode("utf-8")
            with os.fdopen(write_fd, "wb") as f:
                f.write(data)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        import select

        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_fd], [], [], remaining)[0]:
                raise QueryError(f"query timed out after {timeout:g} s")
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
    if not chunks:  # the child died before it could answer
        cause = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.WEXITSTATUS(status)}"
        raise QueryError(f"query failed: the process running it ended with {cause} (out of memory?)")
    return b"".join(chunks)


def _as_file(source):
    """A dataset file for the subprocess: the source's own, or its store written out once."""
    if source.graph is None:
        import tempfile
        import weakref

        from pyoxigraph import RdfFormat

        fd, path = tempfile.mkstemp(prefix="salvage-kg-", suffix=".nq")
        os.close(fd)
        weakref.finalize(source, os.remove, path)
        source.store.dump(path, format=RdfFormat.N_QUADS)
        source.graph = path
    return source.graph


def _in_subprocess(graph, text: str, timeout: float) -> bytes:
    """Where fork is missing: a fresh interpreter loads the file and runs the query; killed at the timeout."""
    import subprocess

    try:
        done = subprocess.run([sys.executable, "-m", "salvage_kg.queries.local", str(graph)],
                              input=text.encode("utf-8"), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise QueryError(f"query timed out after {timeout:g} s") from None
    if done.returncode != 0:
        raise QueryError(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1])
    return done.stdout


def _subprocess_main(graph: str) -> int:
    from ..graph.store import load_store

    try:
        data = _evaluate(load_store(graph), sys.stdin.read())
    except Exception as e:  # noqa: BLE001 - reported to the parent as one line
        data = b"error\n" + str(e).encode("utf-8")
    sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(_subprocess_main(sys.argv[1]))
