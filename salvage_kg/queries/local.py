"""Queries on a dataset file: Oxigraph in memory, run in a worker process the timeout can kill.

Oxigraph cannot be interrupted from Python (and holds the GIL while it computes), so queries run in a
worker forked once the store is loaded: it shares the store's memory, reads query texts from one
pipe and writes serialized results to another. A timeout kills the worker; the next query forks a
fresh one. The worker sees the store as it was when forked. Where fork is missing, a fresh
interpreter loads the file and runs each query instead.
"""
from __future__ import annotations

import json
import os
import re
import select
import signal
import struct
import sys
import time
import weakref

from .catalog import QueryError
from .results import Result, from_json, normalize, triples_result
from .tsv import from_tsv

_LENGTH = struct.Struct(">Q")  # every message on the pipes is its length, then its bytes


def query_file(source, text: str, timeout: float, named_graphs: bool = False) -> Result:
    """Run `text` on `source` (a runner.Source with a dataset file); the default graph is the union.
    `named_graphs`: the query names graphs, so it runs on the store that keeps them too.

    The result is normalized (results.normalize)."""
    if hasattr(os, "fork"):
        attr, store = ("graphs_worker", "graphs_store") if named_graphs else ("worker", "store")
        worker = getattr(source, attr)
        if worker is None or not worker.alive:
            worker = Worker(getattr(source, store))
            setattr(source, attr, worker)
        payload = worker.ask(text, timeout)
    else:
        payload = _in_subprocess(_as_file(source), text, timeout, named_graphs)
    if payload.startswith(b"syntax\n"):
        raise _malformed(text, payload[7:].decode("utf-8", "replace"))
    return _decode(payload)


class Worker:
    """A forked process that shares a loaded store and runs the queries sent to it, one at a time."""

    def __init__(self, store):
        requests_in, requests_out = os.pipe()
        replies_in, replies_out = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: serve until the parent closes the pipe, never return into its code
            try:
                os.close(requests_out)
                os.close(replies_in)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
                _serve(store, requests_in, replies_out)
            finally:
                os._exit(0)
        os.close(requests_in)
        os.close(replies_out)
        self.pid = pid
        self._requests, self._replies = requests_out, replies_in
        # Kills and reaps the worker when it is stopped, dropped with its Source, or at exit.
        self._stop = weakref.finalize(self, _stop, os.getpid(), pid, requests_out, replies_in)

    @property
    def alive(self) -> bool:
        return self._stop.alive

    def stop(self) -> int | None:
        """Kill and reap the worker; its wait status (None if it was stopped already)."""
        return self._stop()

    def ask(self, text: str, timeout: float) -> bytes:
        """Send one query and wait for its serialized results; on a timeout or failure the worker is stopped."""
        deadline = time.monotonic() + timeout
        try:
            _send(self._requests, text.encode("utf-8"))
            return _receive(self._replies, deadline, timeout)
        except (BrokenPipeError, EOFError):  # the worker died (killed, out of memory)
            status = self.stop()
            cause = "it was killed" if status is None else (
                f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.WEXITSTATUS(status)}")
            raise QueryError(f"query failed: the process running it ended with {cause} (out of memory?)") from None
        except BaseException:  # a timeout, Ctrl-C: the worker may still be computing
            self.stop()
            raise


def _stop(owner: int, pid: int, *fds: int) -> int | None:
    if os.getpid() != owner:  # a forked copy of the parent must not kill the parent's worker
        return None
    for fd in fds:
        os.close(fd)
    try:
        os.kill(pid, signal.SIGKILL)
        return os.waitpid(pid, 0)[1]
    except (ProcessLookupError, ChildProcessError):  # already reaped elsewhere
        return None


def _serve(store, requests: int, replies: int) -> None:
    while True:
        try:
            text = _receive(requests)
        except EOFError:  # the parent is gone or closed the pipe
            return
        try:
            data = _evaluate(store, text.decode("utf-8"))
        except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
            data = b"error\n" + (str(e) or type(e).__name__).encode("utf-8")
        _send(replies, data)


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int, deadline: float | None = None, timeout: float = 0.0) -> bytes:
    """One message; EOFError if the other side is gone, QueryError once `deadline` passes."""
    size = _LENGTH.unpack(_read(fd, _LENGTH.size, deadline, timeout))[0]
    return _read(fd, size, deadline, timeout)


def _read(fd: int, size: int, deadline: float | None, timeout: float) -> bytes:
    buffer = bytearray()
    while len(buffer) < size:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise QueryError(f"query timed out after {timeout:g} s")
        chunk = os.read(fd, min(size - len(buffer), 1 << 20))
        if not chunk:
            raise EOFError
        buffer += chunk
    return bytes(buffer)


def _evaluate(store, text: str) -> bytes:
    """Run the query and serialize its results; parse errors are reported, not raised.

    Oxigraph may already do much of the work when the query is prepared (building join tables),
    so even that happens where the timeout can stop it.
    """
    try:
        results = store.query(text)  # the store's default graph is the union (graph.store.load_store)
    except SyntaxError as e:
        return b"syntax\n" + str(e).encode("utf-8")
    return _serialize(results)


def _serialize(results) -> bytes:
    """Solutions as TSV, compact and cheap to decode (tsv.py); booleans, and solutions without
    variables (whose TSV lines would all be empty), as JSON."""
    from pyoxigraph import QueryResultsFormat, QuerySolutions, QueryTriples, RdfFormat

    if isinstance(results, QueryTriples):
        return b"triples\n" + results.serialize(format=RdfFormat.N_TRIPLES)
    if isinstance(results, QuerySolutions) and results.variables:
        return b"tsv\n" + results.serialize(format=QueryResultsFormat.TSV)
    return b"json\n" + results.serialize(format=QueryResultsFormat.JSON)


def _decode(payload: bytes) -> Result:
    kind, _, data = payload.partition(b"\n")
    if kind == b"error":
        raise QueryError(f"query failed: {data.decode('utf-8', 'replace')}")
    if kind == b"tsv":
        return from_tsv(data)
    if kind == b"triples":
        from pyoxigraph import RdfFormat, parse

        return normalize(triples_result(parse(data, RdfFormat.N_TRIPLES)))
    return normalize(from_json(json.loads(data)))


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


def _as_file(source):
    """A dataset file for the subprocess: the source's own, or its store written out once."""
    if source.graph is None:
        import tempfile

        from pyoxigraph import RdfFormat

        fd, path = tempfile.mkstemp(prefix="salvage-kg-", suffix=".nq")
        os.close(fd)
        weakref.finalize(source, os.remove, path)
        source.store.dump(path, format=RdfFormat.N_QUADS)
        source.graph = path
    return source.graph


def _in_subprocess(graph, text: str, timeout: float, named_graphs: bool) -> bytes:
    """Where fork is missing: a fresh interpreter loads the file and runs the query; killed at the timeout."""
    import subprocess

    try:
        done = subprocess.run([sys.executable, "-m", "salvage_kg.queries.local", str(graph)]
                              + (["--named-graphs"] if named_graphs else []),
                              input=text.encode("utf-8"), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise QueryError(f"query timed out after {timeout:g} s") from None
    if done.returncode != 0:
        raise QueryError(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1])
    return done.stdout


def _subprocess_main(graph: str, named_graphs: bool) -> int:
    from ..graph.store import load_store

    try:
        data = _evaluate(load_store(graph, named_graphs), sys.stdin.read())
    except Exception as e:  # noqa: BLE001 - reported to the parent as one line
        data = b"error\n" + str(e).encode("utf-8")
    sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(_subprocess_main(sys.argv[1], "--named-graphs" in sys.argv[2:]))
