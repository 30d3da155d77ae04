"""Sorting more lines than should be held at once: sorted runs spill to a temporary file and are merged.

The build sorts every N-Quads line of the dataset (for its checksum and statistics) and, for triple
formats, every triple. Held as Python strings, a 10 MB corpus's lines take several hundred MB; here
at most one run is held, and reading merges the runs from disk.
"""
from __future__ import annotations

import heapq
import os
import tempfile
from typing import Iterable, Iterator

DEFAULT_BUDGET = 32_000_000  # characters held before a run is spilled (a little more in bytes)
READ_BLOCK = 1 << 20
WRITE_LINES = 4096


class ExternalSort:
    """Lines in, the same lines out sorted (duplicates kept), as UTF-8 bytes.

    Every line ends with "\\n" and holds no other. Runs are sorted as str (code point order) and merged
    as UTF-8 bytes, whose order is the same, so the result equals `sorted(lines)` encoded. The spill
    file is an anonymous temporary file in `directory`: it goes away with the process, even on a crash.
    """

    def __init__(self, directory: str | os.PathLike | None = None, budget: int | None = None):
        self._directory = directory
        self._budget = DEFAULT_BUDGET if budget is None else budget
        self._pending: list[str] = []
        self._size = 0
        self._runs: list[tuple[int, int]] = []  # (offset, length) of each sorted run in the spill file
        self._file = None

    def extend(self, lines: Iterable[str]) -> None:
        start = len(self._pending)
        self._pending.extend(lines)
        self._size += sum(map(len, self._pending[start:]))
        if self._size >= self._budget:
            self._spill()

    def __iter__(self) -> Iterator[bytes]:
        if not self._runs:  # everything fitted: no file
            self._pending.sort()
            return (line.encode("utf-8") for line in self._pending)
        if self._pending:
            self._spill()
        return heapq.merge(*(self._run(offset, length) for offset, length in self._runs))

    def close(self) -> None:
        self._pending, self._runs = [], []
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> ExternalSort:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spill(self) -> None:
        self._pending.sort()
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix=".salvage-kg-sort-", dir=self._directory)
        offset = self._file.seek(0, os.SEEK_END)
        length = 0
        for i in range(0, len(self._pending), WRITE_LINES):  # in pieces: no second copy of the whole run
            length += self._file.write("".join(self._pending[i:i + WRITE_LINES]).encode("utf-8"))
        self._file.flush()
        self._runs.append((offset, length))
        self._pending, self._size = [], 0

    def _run(self, offset: int, length: int) -> Iterator[bytes]:
        fd, end, rest = self._file.fileno(), offset + length, b""
        while offset < end:
            block = os.pread(fd, min(READ_BLOCK, end - offset), offset)
            if not block:
                raise OSError(f"spill file ended early at byte {offset}")
            offset += len(block)
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            for line in lines:
                yield line + b"\n"


def unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Sorted lines without repeats."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line
