"""salvage-kg: a knowledge graph of salvage therapy, every statement traced to an exact quote.

`build`, `load`, `query`, `to_networkx` and `Dataset` come from `salvage_kg.api`, imported on first use
so that `import salvage_kg` (and the command line) stays fast.
"""

_API = ("Dataset", "build", "load", "query", "to_networkx")
__all__ = list(_API)


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'salvage_kg' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_API))
