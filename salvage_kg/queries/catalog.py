"""The named queries: one .rq file each, described by its own header.

A header is a block of `# key: value` comment lines at the top of the file:

    # name: complications
    # question: Which complications does each salvage therapy carry?
    # param: therapy  optional  Therapy  a therapy; its sub-concepts match too
    # default: therapy salvage therapy          (optional line: value used when the param is absent)
    # columns: therapy therapyLabel complication complicationLabel source

The type of a param is an ontology class (its sub-classes are accepted), or several joined by `|`;
`Statement` admits statement IRIs. Each param `p` has a line `#given p: PATTERN` in the body, a
graph pattern with one empty `VALUES ?var {}`. When `p` is given, the runner writes the resolved IRIs
into that VALUES block and the line becomes part of the query; otherwise it stays a comment and
restricts nothing, so every file is also a valid query on its own. A query that answers from several
UNION branches or subqueries has such a line in each of them. The IRIs bind a variable of the
pattern itself, first in its group, so that the engine starts from them and uses its indexes (a
FILTER comparing with a separate parameter variable made Oxigraph scan every candidate row).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
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
        """The param's `#given` line: indentation, then the pattern."""
        return re.compile(r"^([ \t]*)#given[ \t]+" + re.escape(self.name) + r":[ \t]*(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    text: str
    path: Path

    @cached_property
    def uses_service(self) -> bool:
        """Whether the text, with every `#given` line made active, has a SERVICE clause. Binding adds
        only IRIs to that, so a bound text can have one only if this is true (read once, not on every
        run: up to 0.5 ms on a long query)."""
        from .syntax import has_service

        text = self.text
        for p in self.params:
            text = p.marker.sub(lambda m: m.group(1) + m.group(2), text)
        return has_service(text)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        hint = _did_you_mean(name, [p.name for p in self.params])
        raise QueryError(f"query {self.name!r} has no parameter {name!r}{hint}; its parameters: {known}")

    def bind(self, iris: dict[str, list[str]]) -> str:
        """The query text with the `#given` line of each param in `iris` filled in and made active.

        Only the IRIs, each checked to be a valid IRI and written as an IRI term, enter the text.
        """
        lines, given = self._given_lines
        lines = list(lines)
        for name, values in iris.items():
            if not values:
                raise QueryError(f"--param {name}: no IRIs to bind")
            self.param(name)  # an unknown name fails
            terms = " ".join(_iri_term(v) for v in values)
            for i, indent, pattern in given[name]:
                lines[i] = indent + _EMPTY_VALUES.sub(lambda v: f"{v.group(1)}{{ {terms} }}", pattern)
        return "\n".join(lines)

    @cached_property
    def _given_lines(self) -> tuple[list[str], dict[str, list[tuple[int, str, str]]]]:
        """The text's lines, and where each param's `#given` lines are: (line number, indentation,
        pattern). Found once, so that binding replaces lines instead of searching the whole text
        with each param's pattern (0.2 ms on a long query)."""
        lines = self.text.split("\n")
        given: dict[str, list[tuple[int, str, str]]] = {}
        for p in self.params:
            given[p.name] = [(i, m.group(1), m.group(2)) for i, line in enumerate(lines)
                             if (m := p.marker.fullmatch(line))]
        return lines, given


_EMPTY_VALUES = re.compile(r"(VALUES\s+\?\w+\s*)\{\s*\}")


def _iri_term(iri: str) -> str:
    from pyoxigraph import NamedNode

    try:
        return str(NamedNode(iri))  # <iri>: the IRI grammar admits no '>', space or quote
    except ValueError:
        raise QueryError(f"not a valid IRI: {iri!r}") from None


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
        lines = p.marker.findall(text)
        if not lines or any(len(_EMPTY_VALUES.findall(pattern)) != 1 for _, pattern in lines):
            raise ValueError(f"{path.name}: param {pname} needs lines '#given {pname}: ...', each with one 'VALUES ?var {{}}'")
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
