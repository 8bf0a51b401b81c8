"""Read the news gold set (``bench/news_gold/{dev,test}/``): article, metadata, annotation.

Each article ``ID`` has ``ID.txt``, ``ID.meta.json`` and ``ID.json`` (the format is
described in ``docs/annotation.md``; ``bench/news_gold/check.py`` validates it).
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.errors import InputError
from kg.evaluation.news_data import GoldArticle, GoldEntity, GoldFact, GoldQuote
from kg.evaluation.options import Options
from kg.model import LOCATION

SPLITS = ("dev", "test", "calib")
#: The gold set in a source checkout: ``bench/news_gold`` beside the package.
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "bench" / "news_gold"


def split_dir(options: Options) -> Path:
    """The folder of ``options.split``; InputError names the valid splits or asks for --data."""
    if options.split not in SPLITS:
        raise InputError(f"unknown split {options.split!r} (valid: {', '.join(SPLITS)})")
    if options.data is not None:
        base = Path(options.data)
    elif DEFAULT_DIR.is_dir():
        base = DEFAULT_DIR
    else:
        raise InputError(f"news gold set not found at {DEFAULT_DIR}: pass --data DIR")
    folder = base / options.split
    if not folder.is_dir():
        raise InputError(f"news gold split not found: {folder} (pass --data DIR)")
    return folder


def load_split(options: Options) -> tuple[list[GoldArticle], Path]:
    """The annotated articles of the split, sorted by id (the first ``limit`` of them)."""
    folder = split_dir(options)
    files = sorted(p for p in folder.glob("*.json") if not p.name.endswith(".meta.json"))
    if not files:
        raise InputError(f"no annotations (*.json) in {folder}")
    return [load_article(p) for p in files[: options.limit]], folder


def load_article(path: Path) -> GoldArticle:
    """One article from its annotation file and the text and metadata beside it."""
    from kg.documents import normalize_text

    stem = path.name[: -len(".json")]
    try:
        text = normalize_text(path.with_name(f"{stem}.txt").read_text("utf-8"))
        annotation = json.loads(path.read_text("utf-8"))
        meta_path = path.with_name(f"{stem}.meta.json")
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read gold article {stem}: {exc}") from exc
    try:
        return GoldArticle(
            id=stem,
            text=text,
            date=meta.get("date"),
            source=meta.get("source", ""),
            entities=tuple(_entity(e) for e in annotation.get("entities", [])),
            facts=tuple(GoldFact(f["s"], f["p"], str(f["o"])) for f in annotation.get("facts", [])),
            quotes=tuple(_quote(text, q, stem) for q in annotation.get("quotes", [])),
        )
    except (KeyError, TypeError) as exc:
        raise InputError(f"{path.name}: malformed annotation ({exc!r})") from exc


def _entity(data: dict) -> GoldEntity:
    from kg.data.lexicons import places

    country = places().canonical.get(data["name"].lower()) if data["type"] == LOCATION else None
    return GoldEntity(
        id=data["id"],
        type=data["type"],
        name=data["name"],
        aliases=tuple(data.get("aliases", [])),
        also=tuple(data.get("also", [])),
        optional=bool(data.get("optional", False)),
        implicit=bool(data.get("implicit", False)),
        named=data.get("named", True) is not False,
        country=country,
    )


def _quote(text: str, data: dict, article: str) -> GoldQuote:
    from kg.documents import normalize_text

    words = normalize_text(data["text"])
    start = -1
    for _ in range(int(data.get("occurrence", 1))):
        start = text.find(words, start + 1)
        if start < 0:
            raise InputError(f"{article}: gold quote not found in the text: {words[:50]!r}")
    return GoldQuote(start=start, text=words, speaker=data.get("speaker"))
