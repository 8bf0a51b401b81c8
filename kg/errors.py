"""Every error `kg` raises on purpose, in one place.

The tree::

    KGError
    ├── ParameterError        a parameter has a value it cannot take
    ├── MissingExtraError     an optional dependency is not installed
    ├── InputError            a document or path cannot be read or decoded
    │   └── DocumentError     one document is bad (empty, binary, invalid JSONL line ...)
    ├── ModelError            no spaCy model could be loaded
    ├── ExtractorError        an extractor is unknown or crashed on a document
    ├── QueryError            a SPARQL query is malformed or failed
    │   ├── QueryRefusedError  the service does not run it (an update, SERVICE, FROM)
    │   └── QueryLimitError    it ran too long or its result is too large
    ├── FormatError           an unknown file format or extension
    ├── GraphFileError        a graph file is missing, unreadable or unparsable
    ├── StoreError            a store cannot be opened, written or reached
    ├── CurationError         a curation decision is refused (it names nothing in the graph ...)
    └── OutputError           an output file cannot be written

The CLI turns each into a one-line message and a non-zero exit code.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error raised by `kg`."""


class ParameterError(KGError):
    """A parameter has a value it cannot take.

    ``parameter`` is the Python name (``batch_size``); the CLI shows its flag instead
    (``--batch-size``).
    """

    def __init__(self, parameter: str, value: object, problem: str) -> None:
        super().__init__(f"{parameter}={value!r}: {problem}")
        self.parameter = parameter
        self.value = value
        self.problem = problem


class MissingExtraError(KGError):
    """A feature needs an optional dependency; the message names the extra to install."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the optional package {module!r}: pip install 'kg[{extra}]'"
        )
        self.feature = feature
        self.extra = extra
        self.module = module


class InputError(KGError):
    """A path given as input cannot be read."""


class DocumentError(InputError):
    """One document is unusable; `source` names the file (and line) it came from."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ModelError(KGError):
    """No spaCy model could be loaded."""


class ExtractorError(KGError):
    """An extractor is unknown, or failed on one document."""


class QueryError(KGError):
    """A SPARQL query is malformed or failed to run."""


class QueryRefusedError(QueryError):
    """A query asks for what the service does not do: an update, SERVICE, FROM."""


class QueryLimitError(QueryError):
    """A query ran longer than allowed, or its result is larger than allowed."""


class FormatError(KGError):
    """A file format (or extension) is not supported."""


class GraphFileError(KGError):
    """A graph file is missing, unreadable or not valid RDF."""


class StoreError(KGError):
    """A store cannot be opened, written or reached."""


class CurationError(KGError):
    """A curation decision is refused: it names an entity or fact the graph lacks, or
    cannot be read (a decisions file with a bad block)."""


class OutputError(KGError):
    """An output file cannot be written."""
