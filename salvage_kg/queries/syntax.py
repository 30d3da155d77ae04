"""Reading SPARQL text without parsing it: strings, IRIs and comments set aside."""
from __future__ import annotations

import re

_NOT_CODE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""  # strings
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"  # IRIs
    r"|#[^\n]*",  # comments
    re.S)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.I)
_NAMED_GRAPHS = re.compile(r"(?<![\w:?$])(GRAPH|FROM)(?![\w:-])", re.I)
_FORM = re.compile(r"(?<![\w:?$])(SELECT|CONSTRUCT|ASK|DESCRIBE)(?![\w:-])", re.I)


def has_service(text: str) -> bool:
    """Whether the query uses SERVICE, ignoring strings, IRIs, comments, variables and prefixed names."""
    return bool(_SERVICE.search(_NOT_CODE.sub(" ", text)))


def reads_named_graphs(text: str) -> bool:
    """Whether the query names graphs (GRAPH, FROM, FROM NAMED), ignoring strings, IRIs, comments,
    variables and prefixed names: without them it reads only the default graph."""
    return bool(_NAMED_GRAPHS.search(_NOT_CODE.sub(" ", text)))


def without_comments(text: str) -> str:
    """The query with its comments removed (strings and IRIs that contain '#' are kept)."""
    return _NOT_CODE.sub(lambda m: "" if m.group(0).startswith("#") else m.group(0), text)


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first query form keyword outside strings and comments."""
    m = _FORM.search(_NOT_CODE.sub(" ", text))
    return m.group(1).upper() if m else None
