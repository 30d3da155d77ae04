"""Errors the command line reports as one line, with the exit code each kind deserves."""


class SalvageKGError(Exception):
    """Base of the errors shown to users without a traceback."""

    exit_code = 2  # bad input or usage


class InvalidGraphError(SalvageKGError):
    """The dataset breaks the shapes or the ontology."""

    exit_code = 1
