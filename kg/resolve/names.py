"""Name normalization: slugs for IRIs, matching keys, initials. Pure functions, no libraries."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_/]+")
_STOPWORDS = frozenset(
    {"of", "for", "the", "and", "on", "in", "to", "a", "an", "de", "du", "des", "la", "le", "&"}
)
_UCS_RANGES = (
    (0xA0, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFEF),
    (0x10000, 0x1FFFD),
    (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD),
    (0xE0000 + 0x1000, 0xEFFFD),
)


def _iri_safe(ch: str) -> bool:
    """A character that may stand unescaped in an IRI path segment of ours."""
    if ch.isascii():
        return ch.isalnum() or ch in "-._~"
    code = ord(ch)
    if not any(lo <= code <= hi for lo, hi in _UCS_RANGES):
        return False
    return unicodedata.category(ch)[0] in "LNM"


def slugify(name: str) -> str:
    """A readable, IRI-safe, collision-free path segment for a name.

    Case and runs of spaces/hyphens are folded (resolution treats those names as one);
    every other character is kept or percent-encoded, so different names never collide.

    >>> slugify("Joe Biden"), slugify("Recep Tayyip Erdoğan"), slugify("S&D")
    ('joe-biden', 'recep-tayyip-erdoğan', 's%26d')
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    text = _SEPARATORS.sub("-", text).strip("-")
    if not text:
        digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        return f"unnamed-{digest}"
    out = []
    for ch in text:
        if _iri_safe(ch):
            out.append(ch)
        else:
            out.append(quote(ch.encode("utf-8", "surrogatepass"), safe=""))
    return "".join(out)


def name_words(name: str) -> list[str]:
    """Words of a name, casefolded, separators dropped."""
    return [w for w in _SEPARATORS.split(unicodedata.normalize("NFKC", name).casefold()) if w]


def initials(name: str) -> str:
    """Upper-case initials of the significant words: "European Union" → "EU"."""
    words = [w for w in re.split(r"[\s\-/]+", name) if w]
    letters = [w[0] for w in words if w.lower() not in _STOPWORDS and w[:1].isalpha()]
    return "".join(letters).upper()


def is_acronym(name: str) -> bool:
    """ "NATO", "U.S.", "ICAN", "S&D": short, mostly capitals, no spaces."""
    bare = name.replace(".", "").replace("&", "")
    return (
        2 <= len(bare) <= 8 and " " not in name and sum(c.isupper() for c in bare) >= len(bare) - 1
    )


def short_hash(*parts: str, length: int = 16) -> str:
    """A stable hex digest of some strings."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:length]
