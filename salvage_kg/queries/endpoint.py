"""Queries against a remote SPARQL 1.1 endpoint, through SPARQLWrapper (imported only here)."""
from __future__ import annotations

import ast
import json
import math
import socket
from urllib.error import URLError

from .catalog import QueryError


def query_endpoint(url: str, text: str, timeout: float):
    """Run `text` at `url`; SELECT/ASK come back as JSON results, CONSTRUCT/DESCRIBE as triples."""
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

    from .results import from_json, triples_result
    from .syntax import query_form, without_comments

    client = SPARQLWrapper(url)
    # SPARQLWrapper guesses the query form from the text and can be misled by words in comments
    # ("added" read as ADD, an update), so it gets the text without comments and our own reading.
    client.setQuery(without_comments(text))
    form = query_form(text)
    if form:
        client.queryType = form
    client.setMethod(POST)
    client.setTimeout(max(1, math.ceil(timeout)))  # whole seconds only
    graph_result = form in ("CONSTRUCT", "DESCRIBE")
    client.setReturnFormat(TURTLE if graph_result else JSON)
    try:
        response = client.query().response
        body = response.read()
    except QueryBadFormed as e:
        raise QueryError(f"malformed SPARQL (rejected by {url}): {_reason(e)}") from None
    except SPARQLWrapperException as e:
        raise QueryError(f"{url} refused the query: {_reason(e)}") from None
    except (socket.timeout, TimeoutError):
        raise QueryError(f"query timed out after {timeout:g} s at {url}") from None
    except URLError as e:
        if isinstance(e.reason, (socket.timeout, TimeoutError)):
            raise QueryError(f"query timed out after {timeout:g} s at {url}") from None
        raise QueryError(f"cannot reach the SPARQL endpoint {url}: {e.reason}") from None
    except (OSError, ValueError) as e:
        raise QueryError(f"cannot reach the SPARQL endpoint {url}: {e}") from None
    if graph_result:
        from pyoxigraph import RdfFormat, parse

        try:
            triples = list(parse(body, RdfFormat.TURTLE))
        except SyntaxError as e:
            raise QueryError(f"{url} sent triples that are not valid Turtle: {e}") from None
        return triples_result(triples)
    try:
        return from_json(json.loads(body))
    except (ValueError, AttributeError) as e:
        raise QueryError(f"{url} did not answer with SPARQL JSON results: {e}") from None


def _reason(e: Exception) -> str:
    """The endpoint's own words (SPARQLWrapper keeps them as the repr of the body), on one line."""
    text = str(e)
    head, sep, body = text.partition("Response:")
    if sep:
        try:
            raw = ast.literal_eval(body.strip())
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        except (ValueError, SyntaxError):
            text = body
    return " ".join(text.split())[:300] or head.strip()
