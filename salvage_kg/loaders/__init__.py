"""Loaders: documents -> statements with evidence. No RDF here."""
from .corpus import CorpusError, load_document, read_corpus
from .extract import extract

__all__ = ["CorpusError", "load_document", "read_corpus", "extract"]
