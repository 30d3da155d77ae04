"""`salvage-kg serve`: Oxigraph's own SPARQL server on the built dataset, read-only.

The dataset is bulk-loaded with `oxigraph load` (much faster than loading over HTTP), the union of its
named graphs is copied into the default graph (each triple once, as in the local store), and
`oxigraph serve-read-only` serves it. The server runs in its own session and is always stopped when we stop.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import SalvageKGError
from ..graph.store import UNION_INTO_DEFAULT, rdf_format

LOAD_FORMATS = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
}
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 5.0


class ServerError(SalvageKGError):
    """The server could not be set up or started."""


def oxigraph_command() -> str:
    """The `oxigraph` CLI of this environment (next to the Python running us), else the one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise ServerError("the 'oxigraph' command is missing; install it with: pip install oxigraph")
    return found


def parse_bind(bind: str) -> tuple[str, int]:
    """'HOST:PORT', ':PORT' or 'PORT'; the host defaults to 127.0.0.1 (this machine only)."""
    host, sep, port = bind.rpartition(":")
    if not sep:
        host, port = "", bind
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ServerError(f"--bind {bind!r}: expected HOST:PORT with a port from 1 to 65535")
    return host, int(port)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class OxigraphServer:
    """One `oxigraph serve-read-only` process over a store loaded from a dataset file."""

    def __init__(self, graph: str | os.PathLike, host: str = "127.0.0.1", port: int | None = None,
                 location: str | os.PathLike | None = None, query_timeout: float | None = None, log=None):
        self.graph = Path(graph)
        self.host = host
        self.port = port or free_port(host if host not in ("0.0.0.0", "::") else "127.0.0.1")
        self.location = Path(location) if location else None
        self.query_timeout = query_timeout
        self.log = log  # a text stream for the server's own messages; None keeps them for errors
        self.process: subprocess.Popen | None = None
        self._tmp: str | None = None
        self._log_file = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/query"

    def start(self) -> str:
        """Load the dataset, start the server, wait until it answers; returns the query URL."""
        oxigraph = oxigraph_command()
        store_dir = self._prepare_location()
        self._load(oxigraph, store_dir)
        command = [oxigraph, "serve-read-only", "--location", str(store_dir),
                   "--bind", f"{self.host}:{self.port}"]
        if self.query_timeout:
            command += ["--timeout-s", str(max(1, int(self.query_timeout)))]
        self._log_file = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        preexec_fn=_die_with_parent())
        self._wait_ready()
        return self.url

    def _prepare_location(self) -> Path:
        rdf_format(self.graph)  # a clear error for an unknown extension
        if not self.graph.is_file():
            raise ServerError(f"{self.graph}: no such dataset file (run 'salvage-kg build' first)")
        if self.location is None:
            self._tmp = tempfile.mkdtemp(prefix="salvage-kg-store-")
            return Path(self._tmp)
        if self.location.exists() and any(self.location.iterdir()):
            raise ServerError(f"--location {self.location}: the folder is not empty; "
                              "give a new or empty folder (the dataset is loaded into it)")
        self.location.mkdir(parents=True, exist_ok=True)
        return self.location

    def _load(self, oxigraph: str, store_dir: Path) -> None:
        fmt = LOAD_FORMATS[self.graph.suffix.lower()]
        done = subprocess.run([oxigraph, "load", "--location", str(store_dir), "--file", str(self.graph),
                               "--format", fmt], stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if done.returncode != 0:
            raise ServerError(f"{self.graph}: oxigraph could not load it: {_last_line(done.stderr)}")
        done = subprocess.run([oxigraph, "update", "--location", str(store_dir), "--update", UNION_INTO_DEFAULT],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if done.returncode != 0:
            raise ServerError(f"{self.graph}: oxigraph could not build the union graph: {_last_line(done.stderr)}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        probe = self.url + "?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"oxigraph stopped at start-up: {_last_line(self.server_output())}")
            try:
                with urllib.request.urlopen(probe, timeout=1.0) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
                pass
            time.sleep(0.05)
        raise ServerError(f"oxigraph did not answer at {self.url} within {READY_TIMEOUT:g} s")

    def server_output(self) -> str:
        if self._log_file is None:
            return ""
        self._log_file.seek(0)
        return self._log_file.read().decode("utf-8", "replace")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and remove a temporary store. Safe to repeat."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


@contextlib.contextmanager
def running_server(graph_path, port: int | None = None, location=None, query_timeout: float | None = 60):
    """A read-only Oxigraph server on 127.0.0.1 over `graph_path`; yields its SPARQL query URL."""
    attempts = 1 if port else 3  # a free port can be taken by someone else before the server binds it
    for attempt in range(attempts):
        server = OxigraphServer(graph_path, "127.0.0.1", port, location, query_timeout)
        try:
            url = server.start()
        except ServerError:
            server.stop()
            if attempt + 1 == attempts:
                raise
            continue
        try:
            yield url
        finally:
            server.stop()
        return


class _Stop(Exception):
    pass


def serve(graph, bind: str = "127.0.0.1:7878", location=None) -> int:
    """Serve `graph` until SIGINT (Ctrl-C) or SIGTERM; returns the exit code."""
    host, port = parse_bind(bind)
    server = OxigraphServer(graph, host, port, location)

    def stop(signum, frame):
        raise _Stop

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"salvage-kg: note: listening on {host}, reachable from other machines", file=sys.stderr)
        print(f"salvage-kg: loading {graph}", file=sys.stderr, flush=True)
        url = server.start()
        print(f"salvage-kg: SPARQL endpoint at {url} (read-only; the default graph is the union of the "
              f"named graphs); Ctrl-C stops it", file=sys.stderr, flush=True)
        code = server.process.wait()
        raise ServerError(f"oxigraph stopped with exit code {code}: {_last_line(server.server_output())}")
    except (KeyboardInterrupt, _Stop):
        print("salvage-kg: server stopped", file=sys.stderr)
        return 0
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


def _die_with_parent():
    """On Linux, make the server get SIGTERM if we die without stopping it (e.g. SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
