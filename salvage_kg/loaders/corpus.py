"""Reading a corpus folder: files, manifest, checks. Bad input raises `CorpusError` naming file and cause."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..assertions import DOCUMENT_KINDS, Document
from ..errors import SalvageKGError
from . import formats
from .prefilter import Prefiltered, prefiltered

SUFFIXES = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown",
            ".html": "text/html", ".htm": "text/html"}
DEFAULT_MAX_BYTES = 50_000_000
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]])", re.I)


class CorpusError(SalvageKGError):
    """Bad input; str(e) is one line naming the file and the cause."""

    def __init__(self, path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def corpus_files(folder: str | os.PathLike) -> list[Path]:
    root = Path(folder)
    if not root.exists():
        raise CorpusError(root, "corpus folder does not exist")
    if not root.is_dir():
        raise CorpusError(root, "corpus path is not a folder")
    try:
        files = sorted(p for p in root.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
    except PermissionError:
        raise CorpusError(root, "corpus folder is not readable (permission denied)") from None
    if not files:
        raise CorpusError(root, f"no documents ({', '.join(sorted(SUFFIXES))}) in the corpus folder")
    return files


def read_manifest(folder: str | os.PathLike) -> dict[str, dict]:
    """manifest.yaml entries by file name; {} when there is no manifest."""
    path = Path(folder) / "manifest.yaml"
    if not path.exists():
        return {}
    import yaml

    try:
        data = yaml.safe_load(read_text(path, check_empty=False)) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise CorpusError(path, f"malformed YAML{where}") from None
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorpusError(path, "expected a 'documents:' list")
    out = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise CorpusError(path, f"entry {i + 1} has no 'file'")
        kind = entry.get("kind")
        if kind is not None and kind not in DOCUMENT_KINDS:
            raise CorpusError(path, f"entry {entry['file']!r}: unknown kind {kind!r} (use one of {', '.join(DOCUMENT_KINDS)})")
        out[entry["file"]] = entry
    return out


def max_bytes() -> int:
    """Largest document accepted, in bytes ($SALVAGE_KG_MAX_DOCUMENT_BYTES, default 50 MB)."""
    return int(os.environ.get("SALVAGE_KG_MAX_DOCUMENT_BYTES") or DEFAULT_MAX_BYTES)


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        limit = max_bytes()
        if size > limit:
            raise CorpusError(path, f"file is too large ({size:,} bytes; the limit is {limit:,})")
        return path.read_bytes()
    except PermissionError:
        raise CorpusError(path, "file is not readable (permission denied)") from None
    except IsADirectoryError:
        raise CorpusError(path, "is a folder, not a file") from None
    except OSError as e:
        raise CorpusError(path, f"cannot read file ({e.strerror or e})") from None


def decode(path: Path, data: bytes, check_empty: bool = True) -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        raise CorpusError(path, f"binary file (NUL byte at offset {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorpusError(path, f"not UTF-8 text (invalid byte 0x{data[e.start]:02x} at offset {e.start})") from None
    if check_empty and not text.strip():
        raise CorpusError(path, "empty document")
    return text


def read_text(path: Path, check_empty: bool = True) -> str:
    return decode(path, read_bytes(path), check_empty)


def load_document(path: str | os.PathLike, meta: dict | None = None) -> Document:
    """Read one document; metadata from `meta` (a manifest entry) or inferred from the text."""
    path = Path(path)
    media_type = SUFFIXES.get(path.suffix.lower())
    if media_type is None:
        raise CorpusError(path, f"unsupported file type {path.suffix!r} (use .txt, .md or .html)")
    data = read_bytes(path)
    sha = hashlib.sha256(data).hexdigest()
    meta = meta or {}
    expected = meta.get("sha256")
    if expected is not None and str(expected).strip().lower() != sha:
        raise CorpusError(path, "checksum differs from manifest.yaml (the file changed; update the manifest)")
    raw = decode(path, data)
    text = formats.plain_text(raw, media_type)
    if not text.strip():
        raise CorpusError(path, "no text content")
    cites = meta.get("cites")
    return Document(
        id=path.stem,
        path=path.name,
        text=text,
        sha256=sha,
        title=str(meta.get("title") or formats.infer_title(text, raw, media_type) or path.stem),
        kind=str(meta.get("kind") or infer_kind(text)),
        media_type=media_type,
        publisher=meta.get("publisher"),
        reference=meta.get("url") or _doi_url(cites),
        cites=cites,
    )


def _doi_url(text: str | None) -> str | None:
    m = DOI.search(text or "")
    return "https://doi.org/" + m.group(1) if m else None


def read_corpus(folder: str | os.PathLike, progress=None) -> list[Document]:
    manifest = read_manifest(folder)
    files = corpus_files(folder)
    missing = sorted(set(manifest) - {p.name for p in files})
    if missing:
        raise CorpusError(Path(folder) / "manifest.yaml", f"lists {missing[0]!r}, which is not in the folder")
    docs = []
    for i, path in enumerate(files, 1):
        docs.append(load_document(path, manifest.get(path.name)))
        if progress:
            progress(f"read {i}/{len(files)} {path.name}")
    return docs


# The word cues (prefiltered) are made of word characters, spaces and '%': they are searched only in
# the runs of these that hold one of their words (`_count`).
_KIND_CUES = {
    "study-report": prefiltered(re.compile(r"\b(?:cohort|randomi[sz]ed|trial|95% CI|hazard ratio|odds ratio|"
                                           r"investigators|retrospective|prospective|matched)\b", re.I)),
    "patient-education": prefiltered(re.compile(r"\b(?:your doctor|you will|clinic|hospital|medical center|what is|"
                                                r"what are|how is)\b", re.I)),
    "consumer-article": prefiltered(re.compile(r"\b(?:you may|you can|your|free|download|products?|supplements?|"
                                               r"subscribe)\b", re.I)),
    "clinical-summary": re.compile(r"(?:\s\d+(?:,\s*\d+)*\s*$|\[\d+\]|\b(?:should be offered|guideline|"
                                   r"recommended|indicated)\b)", re.I | re.M),
}
_CUE_STRETCH = re.compile(r"[\w\s%]*")


def _count(rx, text: str) -> int:
    if isinstance(rx, Prefiltered):
        return sum(1 for _ in rx.finditer_around(text, _CUE_STRETCH))
    return len(rx.findall(text))


def infer_kind(text: str) -> str:
    """A best guess at the document kind from cue phrases, when no manifest says it."""
    words = max(len(text.split()), 1)
    scores = {kind: _count(rx, text) * 1000 / words for kind, rx in _KIND_CUES.items()}
    kind, score = max(sorted(scores.items()), key=lambda kv: kv[1])
    return kind if score >= 2.0 else "unknown"
