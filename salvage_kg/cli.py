"""The `salvage-kg` command. Each sub-command imports only what it needs, so `query` starts fast."""
from __future__ import annotations

import argparse
import sys

from .errors import SalvageKGError

DEFAULT_GRAPH = "build/salvage-kg.trig"
RESULT_FORMATS = ("table", "json", "csv", "tsv")

EPILOG = """examples:
  salvage-kg build                                   build/salvage-kg.trig from ../shared/corpus
  salvage-kg queries                                 list the named queries
  salvage-kg query salvage-options --param after=radiotherapy
  salvage-kg query complications --param therapy=HIFU --format json
  salvage-kg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
  salvage-kg export html --out graph.html
  salvage-kg serve --bind 127.0.0.1:7878

exit codes: 0 success, 1 invalid graph (validation failed), 2 bad input or usage, 130 interrupted"""


def _graph_source(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--graph", metavar="PATH", help=f"dataset file (default: {DEFAULT_GRAPH})")
    g.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 endpoint instead of a local file")
    p.add_argument("--format", choices=RESULT_FORMATS, default="table",
                   help="table (default), json (W3C SPARQL 1.1 results), csv or tsv")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="give up on a query after this many seconds (default: 30)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="salvage-kg", description="Build and query a knowledge graph of salvage therapy.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    b = sub.add_parser("build", help="build the dataset from a corpus of documents",
                       description="Read every .txt/.md/.html document of the corpus, extract statements with "
                                   "their evidence, and write one RDF dataset (one named graph per document).")
    b.add_argument("--corpus", metavar="DIR",
                   help="corpus folder (default: $SALVAGE_KG_CORPUS, else ../shared/corpus)")
    b.add_argument("--out", metavar="PATH", default=DEFAULT_GRAPH,
                   help=f"output file; the format follows the extension: .trig .nq .jsonld .ttl .nt "
                        f"(default: {DEFAULT_GRAPH})")
    b.add_argument("--no-validate", action="store_true", help="skip the SHACL and OWL checks")
    b.add_argument("--quiet", action="store_true", help="no progress messages")

    sub.add_parser("queries", help="list the named queries, their parameters and result columns")

    q = sub.add_parser("query", help="run a named query", description="Run a named query (see 'salvage-kg queries'). "
                       "Parameter values may be a label, synonym, abbreviation or CURIE; sub-concepts match too.")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="a query parameter (repeatable)")
    _graph_source(q)

    s = sub.add_parser("sparql", help="run an ad-hoc SPARQL query",
                       description="Run a SPARQL 1.1 query given inline or as @FILE. The default graph is the union "
                                   "of all named graphs.")
    s.add_argument("query", metavar="QUERY_OR_@FILE")
    s.add_argument("--allow-service", action="store_true",
                   help="allow SERVICE clauses (they make this machine fetch remote URLs)")
    _graph_source(s)

    v = sub.add_parser("validate", help="check a dataset against the SHACL shapes and the OWL ontology")
    v.add_argument("--graph", metavar="PATH", default=DEFAULT_GRAPH)
    v.add_argument("--no-reasoner", action="store_true", help="SHACL only; skip the OWL reasoner (Java)")

    e = sub.add_parser("export", help="export the dataset for other tools",
                       description="Write the dataset in another format; 'salvage-kg export --list' shows them.")
    e.add_argument("export_format", metavar="FORMAT", nargs="?")
    e.add_argument("--graph", metavar="PATH", default=DEFAULT_GRAPH)
    e.add_argument("--out", metavar="PATH", help="output file or folder (default: build/ with the format's name)")
    e.add_argument("--list", action="store_true", help="list the export formats and the tools that read them")

    sv = sub.add_parser("serve", help="serve the dataset with a real SPARQL server (Oxigraph), read-only",
                        description="Bulk-load the dataset into an Oxigraph store and serve it read-only; the default "
                                    "graph is the union of the named graphs. Stop with Ctrl-C.")
    sv.add_argument("--graph", metavar="PATH", default=DEFAULT_GRAPH)
    sv.add_argument("--bind", metavar="HOST:PORT", default="127.0.0.1:7878",
                    help="address to listen on (default: 127.0.0.1:7878)")
    sv.add_argument("--location", metavar="DIR", help="store folder (default: a temporary folder, removed on exit)")
    return p


class _VersionAction(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata costs start-up time)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"salvage-kg {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("salvage-kg")
    except PackageNotFoundError:
        return "unknown"


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise SalvageKGError(f"--param {pair!r}: expected KEY=VALUE")
        out[key.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    if args.command == "build":
        from .pipeline import build, stderr_progress

        result = build(args.corpus, args.out, validate=not args.no_validate,
                       progress=None if args.quiet else stderr_progress)
        if not args.quiet:
            print(f"salvage-kg: built {result.out} from {len(result.documents)} documents: "
                  f"{len(result.statements)} statements, {len(result.quads)} quads in {result.seconds:.1f} s",
                  file=sys.stderr)
        return 0
    if args.command == "queries":
        from .queries.catalog import describe_all

        print(describe_all())
        return 0
    if args.command in ("query", "sparql"):
        from .queries import runner

        source = runner.Source(graph=args.graph or (None if args.endpoint else DEFAULT_GRAPH), endpoint=args.endpoint)
        if args.command == "query":
            result = runner.run_named(args.name, _params(args.param), source, timeout=args.timeout)
        else:
            result = runner.run_sparql(runner.read_query_arg(args.query), source, timeout=args.timeout,
                                       allow_service=args.allow_service)
        sys.stdout.write(runner.render(result, args.format))
        return 0
    if args.command == "validate":
        from .validate import validate_file

        report = validate_file(args.graph, reasoner=not args.no_reasoner)
        print(report.text())
        return 0 if report.conforms else 1
    if args.command == "export":
        from .graph import exports

        if args.list or not args.export_format:
            print(exports.describe_formats())
            return 0 if args.list else 2
        written = exports.export(args.export_format, args.graph, args.out)
        print(f"salvage-kg: wrote {written}", file=sys.stderr)
        return 0
    if args.command == "serve":
        from .queries.server import serve

        return serve(args.graph, args.bind, args.location)
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except SalvageKGError as e:
        print(f"salvage-kg: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("salvage-kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
