"""GUM coreference files (CoNLL format) read into tokens and typed gold mentions.

One token per line: index, token, coreference column. A mention opens with ``(`` and
closes with ``)``; its label is ``TYPE-CLUSTER[-Wikipedia_title]``::

    0  Australian  (person-1
    1  children    person-1)
    4  iodine      (abstract-2(substance-3-Iodine)

Sentences are not marked; the tokens are joined into one text with the usual spacing
(no space before a comma, none inside quotation marks) so spaCy reads ordinary prose.

    >>> doc = parse_conll(["# begin document d", "0\\tHe\\t(person-1)", "1\\tleft\\t_",
    ...                    "2\\t.\\t_", "# end document"], "x.conll")[0]
    >>> doc.mentions, token_text(doc.tokens).text
    ((GoldMention(start=0, end=1, cluster='1', type='person'),), 'He left.')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.evaluation.alignment import TokenText, clean_token

_PIECE = re.compile(r"\((?P<open>[^()]+)(?P<single>\))?|(?P<close>[^()]+)\)")
_LABEL = re.compile(r"^(?P<type>[a-z]+)-(?P<cluster>\d+)(?:-.*)?$")
#: Tokens written without a space before them (punctuation, clitics).
_NO_SPACE_BEFORE = frozenset(
    ", . ; : ! ? ) ] } % 's 'S ’s n't N'T 're 've 'll 'd 'm ' ’ … ”".split()
)
#: Tokens written without a space after them.
_NO_SPACE_AFTER = frozenset("( [ { $ £ € “ #".split())


@dataclass(frozen=True)
class GoldMention:
    """Tokens ``[start, end)`` of one document, the cluster they belong to, its type."""

    start: int
    end: int
    cluster: str
    type: str


@dataclass(frozen=True)
class GumDocument:
    """One GUM document: its tokens and its gold mentions (singletons included)."""

    name: str
    tokens: tuple[str, ...]
    mentions: tuple[GoldMention, ...]

    def clusters(self) -> dict[str, list[GoldMention]]:
        """Gold mentions grouped by cluster, in text order."""
        out: dict[str, list[GoldMention]] = {}
        for m in sorted(self.mentions, key=lambda m: (m.start, -m.end)):
            out.setdefault(m.cluster, []).append(m)
        return out


def read_folder(folder: Path, limit: int | None = None) -> list[GumDocument]:
    """Every document of the ``*.conll`` files in ``folder`` (sorted by file name)."""
    if not folder.is_dir():
        raise InputError(f"GUM folder not found: {folder} (set KG_SHARED_DATA or pass --data)")
    files = sorted(folder.glob("*.conll"))
    if not files:
        raise InputError(f"{folder}: no .conll files")
    documents: list[GumDocument] = []
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read GUM file {path}: {exc}") from exc
        documents.extend(parse_conll(lines, str(path)))
        if limit is not None and len(documents) >= limit:
            return documents[:limit]
    return documents


def parse_conll(lines: Iterable[str], source: str) -> list[GumDocument]:
    """The documents of one CoNLL coreference file; InputError names the file and line."""
    documents: list[GumDocument] = []
    name: str | None = None
    tokens: list[str] = []
    mentions: list[GoldMention] = []
    open_at: dict[str, list[int]] = {}
    for number, line in enumerate(lines, start=1):
        if line.startswith("# begin document"):
            name, tokens, mentions, open_at = line.split(None, 3)[-1].strip(), [], [], {}
            continue
        if line.startswith("# end document"):
            if name is None:
                raise InputError(f"{source}:{number}: '# end document' without a beginning")
            unclosed = sorted(label for label, starts in open_at.items() if starts)
            if unclosed:
                raise InputError(f"{source}:{number}: mentions never closed: {unclosed}")
            documents.append(GumDocument(name, tuple(tokens), tuple(mentions)))
            name = None
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if name is None:
            raise InputError(f"{source}:{number}: token outside '# begin document'")
        columns = line.split("\t")
        if len(columns) < 3:
            raise InputError(f"{source}:{number}: expected 3 tab-separated columns")
        index = len(tokens)
        tokens.append(columns[1])
        if columns[2] not in ("_", "-"):
            mentions.extend(_mentions_of(columns[2], index, open_at, f"{source}:{number}"))
    if name is not None:
        raise InputError(f"{source}: document {name!r} has no '# end document'")
    return documents


def _mentions_of(
    column: str, index: int, open_at: dict[str, list[int]], where: str
) -> Iterable[GoldMention]:
    for piece in _PIECE.finditer(column):
        label = piece.group("open") or piece.group("close")
        match = _LABEL.match(label)
        if match is None:
            raise InputError(f"{where}: cannot read the mention label {label!r}")
        key = f"{match['type']}-{match['cluster']}"
        if piece.group("single"):
            yield GoldMention(index, index + 1, match["cluster"], match["type"])
        elif piece.group("open"):
            open_at.setdefault(key, []).append(index)
        else:
            starts = open_at.get(key)
            if not starts:
                raise InputError(f"{where}: {label!r} closes a mention never opened")
            yield GoldMention(starts.pop(), index + 1, match["cluster"], match["type"])


def token_text(tokens: Sequence[str]) -> TokenText:
    """The tokens as one text with ordinary spacing, and each token's character offsets."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    quote_open = False
    glue = True  # no space before the first token
    for raw in tokens:
        token = clean_token(raw)
        before = not glue
        if token in _NO_SPACE_BEFORE:
            before = False
        if token == '"':
            if quote_open:
                before = False
            quote_open = not quote_open
            glue_after = quote_open
        else:
            glue_after = token in _NO_SPACE_AFTER
        if before:
            parts.append(" ")
            offset += 1
        parts.append(token)
        starts.append(offset)
        offset += len(token)
        ends.append(offset)
        glue = glue_after
    return TokenText("".join(parts), tuple(starts), tuple(ends))
