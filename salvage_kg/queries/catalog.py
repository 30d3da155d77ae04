"""The named queries: one .rq file each, described by its own header.

A header is a block of `# key: value` comment lines at the top of the file:

    # name: complications
    # question: Which complications does each salvage therapy carry?
    # param: therapy  optional  Therapy  a therapy; its sub-concepts match too
    # default: therapy salvage therapy          (optional line: value used when the param is absent)
    # columns: therapy therapyLabel complication complicationLabel source

The type of a param is an ontology class (its sub-classes are accepted), or several joined by `|`;
`Statement` admits statement IRIs. Each param `p` has one marker line `VALUES ?pParam { UNDEF }` in
the body, where the runner puts the resolved IRIs; left as UNDEF the param places no restriction,
so every file is also a valid query on its own. The markers stand at the end of the WHERE group:
placed first, Oxigraph evaluates the whole pattern once per value instead of once.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import SalvageKGError
from ..ontology import schema

QUERY_DIR = Path(__file__).parent
_HEADER = re.compile(r"#\s*([a-z]+):\s*(.*)")


class QueryError(SalvageKGError):
    """A query that cannot be run as asked: unknown name or parameter, bad value, syntax, timeout."""


@dataclass(frozen=True)
class Param:
    name: str
    required: bool
    types: tuple[str, ...]  # ontology class names; "Statement" admits statement IRIs
    description: str
    default: str | None = None

    @property
    def marker(self) -> re.Pattern:
        return re.compile(r"VALUES\s+\?" + re.escape(self.name) + r"Param\s*\{\s*UNDEF\s*\}")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    text: str
    path: Path

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        hint = _did_you_mean(name, [p.name for p in self.params])
        raise QueryError(f"query {self.name!r} has no parameter {name!r}{hint}; its parameters: {known}")

    def bind(self, iris: dict[str, list[str]]) -> str:
        """The query text with each param's marker replaced by a VALUES block of the given IRIs.

        The IRIs must already be validated (the resolver does so); nothing else enters the text.
        """
        text = self.text
        for name, values in iris.items():
            p = self.param(name)
            block = f"VALUES ?{p.name}Param {{ {' '.join(f'<{iri}>' for iri in values)} }}"
            text = p.marker.sub(lambda _m: block, text, count=1)
        return text


def parse(path: Path) -> NamedQuery:
    """Read one .rq file and check its header against its body."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.fullmatch(line.strip())
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())

    def one(key: str) -> str:
        values = fields.get(key, [])
        if len(values) != 1 or not values[0]:
            raise ValueError(f"{path.name}: the header needs exactly one non-empty '# {key}:' line")
        return values[0]

    name = one("name")
    if name != path.stem:
        raise ValueError(f"{path.name}: '# name: {name}' differs from the file name")
    defaults = dict(_split(d, 2, path) for d in fields.get("default", []))
    params = []
    for spec in fields.get("param", []):
        pname, req, types, description = _split(spec, 4, path)
        if req not in ("optional", "required"):
            raise ValueError(f"{path.name}: param {pname}: say 'optional' or 'required', not {req!r}")
        type_names = tuple(types.split("|"))
        for t in type_names:
            if t not in schema.CLASSES:
                raise ValueError(f"{path.name}: param {pname}: {t!r} is not an ontology class")
        p = Param(pname, req == "required", type_names, description, defaults.pop(pname, None))
        if len(p.marker.findall(text)) != 1:
            raise ValueError(f"{path.name}: param {pname} needs one line 'VALUES ?{pname}Param {{ UNDEF }}'")
        params.append(p)
    if defaults:
        raise ValueError(f"{path.name}: default for an undeclared param: {', '.join(defaults)}")
    return NamedQuery(name, one("question"), tuple(params), tuple(one("columns").split()), text, path)


def _split(spec: str, n: int, path: Path) -> list[str]:
    parts = spec.split(None, n - 1)
    if len(parts) != n:
        raise ValueError(f"{path.name}: malformed header line {spec!r}")
    return parts


@lru_cache(maxsize=1)
def queries() -> dict[str, NamedQuery]:
    """Every named query, by name, in alphabetical order."""
    found = (parse(p) for p in sorted(QUERY_DIR.glob("*.rq")))
    return {q.name: q for q in found}


def get(name: str) -> NamedQuery:
    all_queries = queries()
    if name not in all_queries:
        hint = _did_you_mean(name, list(all_queries))
        raise QueryError(f"no query named {name!r}{hint}; 'salvage-kg queries' lists them")
    return all_queries[name]


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def describe_all() -> str:
    """The listing `salvage-kg queries` prints: name, question, parameters, columns."""
    blocks = []
    for q in queries().values():
        lines = [q.name, f"  {q.question}"]
        for p in q.params:
            need = "required" if p.required else "optional"
            default = f" (default: {p.default})" if p.default else ""
            lines.append(f"  --param {p.name}=...  {need}: {p.description}{default}")
        lines.append(f"  columns: {' '.join(q.columns)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
