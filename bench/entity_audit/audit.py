"""Judge entity nodes on fresh news articles that are in no split of the news gold set.

    python bench/entity_audit/audit.py sample --seed 1 -o bench/entity_audit/sample-1.json
    python bench/entity_audit/audit.py nodes bench/entity_audit/sample-1.json -o /tmp/nodes-1.json
    python bench/entity_audit/audit.py score bench/entity_audit/judged-1.json /tmp/nodes-1.json

``sample`` draws BBC News articles (``PER_SECTION`` from each section) and Reuters-21578
stories (``REUTERS``) of 150 to 700 words with a seed, leaving out every article of the
news gold set's ``dev``, ``test`` and ``calib`` splits and of the samples given with
``--exclude``. ``nodes`` builds each article on its own (extraction and resolution, as
``kg build`` does) and lists its Person, Organization and Location nodes with their
names and the sentence of their first mention. ``score`` reads a judgment file (one
verdict per node: ``ok``, ``junk``, ``type`` for a wrong type with the right one,
``split`` for a second node of one thing, ``merge`` for two things in one node) and
gives node precision per verdict class for the nodes a build makes now: a node the
judgments do not know is listed to be judged.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
from collections import Counter
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _gold_selection() -> ModuleType:
    """``bench/news_gold/select.py`` (its name hides the standard ``select`` module)."""
    spec = importlib.util.spec_from_file_location(
        "news_gold_select", ROOT / "bench/news_gold/select.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SELECT = _gold_selection()
SECTIONS: tuple[str, ...] = _SELECT.SECTIONS
reuters_all = _SELECT.reuters_all

PER_SECTION = 6
REUTERS = 10
GOLD = ROOT / "bench" / "news_gold"
TYPES = ("Person", "Organization", "Location")


def taken_ids(exclude: list[Path]) -> set[str]:
    """Ids of every gold article (any split), of the articles already read
    (``looked_at.txt``) and of the samples to exclude."""
    out = {p.name.split(".")[0] for p in GOLD.glob("*/*.txt")}
    for line in (GOLD / "looked_at.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.add(line.split()[0])
    for sample in exclude:
        out |= {a["id"] for a in json.loads(sample.read_text("utf-8"))["articles"]}
    return out


def bbc_files(data: Path, section: str) -> list[tuple[str, str]]:
    """(id, source) of every BBC article of a section of 150 to 700 words."""
    out = []
    for f in sorted((data / "bbc_news" / section).glob("*.txt")):
        if 150 <= len(f.read_text("utf-8", "replace").split()) <= 700:
            out.append((f"bbc-{section}-{f.stem}", f"bbc_news/{section}/{f.name}"))
    return out


def sample(data: Path, seed: int, exclude: list[Path]) -> dict[str, object]:
    """A seeded draw of fresh BBC and Reuters articles (ids and sources, no text)."""
    taken = taken_ids(exclude)
    rng = random.Random(seed)
    chosen = []
    for section in SECTIONS:
        fresh = [(i, s) for i, s in bbc_files(data, section) if i not in taken]
        chosen += rng.sample(fresh, PER_SECTION)
    fresh_reuters = [(s[0], s[3]) for s in reuters_all(data) if s[0] not in taken]
    chosen += rng.sample(fresh_reuters, REUTERS)
    return {
        "seed": seed,
        "excluded": "news gold dev, test, calib" + "".join(f", {p.name}" for p in exclude),
        "articles": [{"id": i, "source": s} for i, s in chosen],
    }


def article_text(data: Path, source: str) -> str:
    """The text of an article as the gold set copies it."""
    if source.startswith("bbc_news/"):
        return (data / source).read_text("utf-8", "replace")
    stories = {s[3]: s[1] for s in reuters_all(data)}
    return stories[source]


def nodes(data: Path, sample_file: Path) -> list[dict[str, object]]:
    """Every Person/Organization/Location node of each article, built on its own."""
    from kg.build.pipeline import extract_documents
    from kg.documents import document_from_text
    from kg.nlp import load_model
    from kg.resolve.resolution import resolve

    articles = json.loads(sample_file.read_text("utf-8"))["articles"]
    reuters = {s[3]: s[1] for s in reuters_all(data)}
    texts = [
        (
            a["id"],
            reuters[a["source"]] if a["source"] in reuters else article_text(data, a["source"]),
        )
        for a in articles
    ]
    documents = [document_from_text(t, id=i) for i, t in texts]
    out: list[dict[str, object]] = []
    for document, extraction in extract_documents(documents, load_model()):
        resolution = resolve([extraction])
        for entity in sorted(resolution.entities.values(), key=lambda e: e.key):
            if entity.type not in TYPES:
                continue
            named = [m for m in entity.mentions if m.kind != "reference"]
            first = min(named, key=lambda m: m.start) if named else entity.mentions[0]
            out.append(
                {
                    "doc": document.id,
                    "type": entity.type,
                    "label": entity.label,
                    "aliases": sorted(entity.aliases),
                    "mentions": len(named),
                    "context": first.sentence[:200],
                }
            )
    return out


def node_key(node: dict[str, object]) -> str:
    return f"{node['doc']}|{node['type']}|{node['label']}"


def verdict_of(
    node: dict[str, object], judged: dict[tuple[str, str], dict[str, object]]
) -> str | None:
    """The verdict on a node of a new build: that of the judged node of the same document
    with its label (type checked again); a node judged a second node ("split") is right
    once it took in a name judged right. None for a label nobody judged."""
    doc = str(node["doc"])
    old = judged.get((doc, str(node["label"])))
    if old is None:
        return None
    verdict = str(old["verdict"])
    if verdict == "split":
        aliases = [judged.get((doc, str(a))) for a in node["aliases"]]  # type: ignore[attr-defined]
        if any(
            a is not None and a["verdict"] == "ok" and a["type"] == node["type"] for a in aliases
        ):
            return "ok"
    if verdict in ("ok", "split") and old["type"] != node["type"]:
        return f"type:{old['type']}"
    if verdict.startswith("type:"):
        return "ok" if verdict.partition(":")[2] == node["type"] else verdict
    return verdict


def score(judged_file: Path, nodes_file: Path) -> dict[str, object]:
    """Node precision of a build (``nodes_file``) under the judgments of ``judged_file``."""
    judged = {
        (str(n["doc"]), str(n["label"])): n
        for n in json.loads(judged_file.read_text("utf-8"))["nodes"]
    }
    built = json.loads(nodes_file.read_text("utf-8"))
    counts: Counter[str] = Counter()
    unknown = []
    for node in built:
        verdict = verdict_of(node, judged)
        if verdict is None:
            unknown.append(node_key(node))
        else:
            counts[verdict.split(":")[0]] += 1
    known = sum(counts.values())
    return {
        "nodes": len(built),
        "judged": known,
        "precision": round(counts["ok"] / known, 3) if known else None,
        "verdicts": dict(counts.most_common()),
        "not judged": unknown,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/entity_audit/audit.py")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--exclude", type=Path, nargs="*", default=[])
    s.add_argument("-o", type=Path, required=True)
    n = sub.add_parser("nodes")
    n.add_argument("sample", type=Path)
    n.add_argument("-o", type=Path, required=True)
    c = sub.add_parser("score")
    c.add_argument("judged", type=Path)
    c.add_argument("nodes", type=Path)
    args = parser.parse_args(argv)
    if args.command == "sample":
        result: object = sample(args.data, args.seed, args.exclude)
        args.o.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    elif args.command == "nodes":
        result = nodes(args.data, args.sample)
        args.o.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
    else:
        print(json.dumps(score(args.judged, args.nodes), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
