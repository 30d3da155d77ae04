"""Loaders: documents -> statements with evidence. No RDF here."""
from .corpus import CorpusError, load_document, read_corpus


def extract(document, terminology=None, recognizer=None):
    """Every statement the document supports (see `extract.extract`)."""
    from .extract import extract as _extract

    return _extract(document, terminology, recognizer)


__all__ = ["CorpusError", "load_document", "read_corpus", "extract"]
