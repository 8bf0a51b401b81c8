"""Validate the news gold set: every annotation against its article.

    python bench/news_gold/check.py [FILE.json ...]

Checks that names and aliases occur in the text, ids are defined once, types and
properties are known, fact objects have the right kind, quotes are found (uniquely,
or with ``occurrence``). Prints one line per problem; exit status 1 if any.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = {"Person", "Organization", "Location", "Event"}
SUBTYPES = {"Meeting", "Summit", "Visit", "Conference", "PressConference", "Election", "Trip"}
ENTITY_OBJECT = {
    "leaderOf": ({"Person"}, {"Organization", "Location"}),
    "affiliatedWith": ({"Person"}, {"Organization"}),
    "nationality": ({"Person"}, {"Location"}),
    "locatedIn": ({"Organization", "Location", "Event"}, {"Location"}),
    "residence": ({"Person"}, {"Location"}),
    "educatedAt": ({"Person"}, {"Organization"}),
    "participantIn": ({"Person", "Organization", "Location"}, {"Event"}),
    "predecessor": ({"Person"}, {"Person"}),
    "successor": ({"Person"}, {"Person"}),
}
LITERAL = {"role": {"Person"}}
DATES = {"date", "startDate", "endDate"}
ISO = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|--\d{2}-\d{2})$")
ENTITY_KEYS = {
    "id",
    "type",
    "name",
    "aliases",
    "implicit",
    "optional",
    "also",
    "subtype",
    "named",
    "notes",
}


def check(path: Path) -> list[str]:
    problems: list[str] = []
    text_path = path.with_suffix(".txt")
    if not text_path.exists():
        return [f"{path}: no article {text_path.name}"]
    text = text_path.read_text("utf-8")
    folded = " ".join(text.split())
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{path}: invalid JSON: {exc}"]

    def bad(message: str) -> None:
        problems.append(f"{path.name}: {message}")

    if data.get("id") != path.stem:
        bad(f"id {data.get('id')!r} is not the file name {path.stem!r}")
    entities: dict[str, dict] = {}
    for entity in data.get("entities", []):
        eid = entity.get("id")
        if eid in entities:
            bad(f"entity id {eid} defined twice")
        entities[eid] = entity
        extra = set(entity) - ENTITY_KEYS
        if extra:
            bad(f"{eid}: unknown keys {sorted(extra)}")
        if entity.get("type") not in TYPES:
            bad(f"{eid}: unknown type {entity.get('type')!r}")
        for also in entity.get("also", []):
            if also not in TYPES:
                bad(f"{eid}: unknown type in also {also!r}")
        if entity.get("subtype") and entity["subtype"] not in SUBTYPES:
            bad(f"{eid}: unknown subtype {entity['subtype']!r}")
        if entity.get("subtype") and entity.get("type") != "Event":
            bad(f"{eid}: subtype on a non-event")
        names = list(entity.get("aliases", []))
        unnamed_event = entity.get("type") == "Event" and entity.get("named") is False
        if not entity.get("implicit") and not unnamed_event:
            if entity.get("name") in text or not names:
                names.append(entity.get("name"))
        for name in names:
            if not isinstance(name, str) or not name.strip():
                bad(f"{eid}: empty name or alias")
            elif " ".join(name.split()) not in folded and not entity.get("implicit"):
                bad(f"{eid}: {name!r} does not occur in the text")
        if len(set(entity.get("aliases", []))) != len(entity.get("aliases", [])):
            bad(f"{eid}: duplicate aliases")
        if entity.get("name") in entity.get("aliases", []):
            bad(f"{eid}: name repeated among aliases")
    surface: dict[str, str] = {}
    for eid, entity in entities.items():
        if entity.get("implicit"):
            continue
        for name in [entity.get("name"), *entity.get("aliases", [])]:
            if name in surface and surface[name] != eid:
                bad(f"{name!r} listed under both {surface[name]} and {eid}")
            surface[name] = eid

    seen_facts = set()
    for fact in data.get("facts", []):
        s, p, o = fact.get("s"), fact.get("p"), fact.get("o")
        key = (s, p, json.dumps(o))
        if key in seen_facts:
            bad(f"duplicate fact {s} {p} {o}")
        seen_facts.add(key)
        if s not in entities:
            bad(f"fact subject {s!r} is not an entity id")
            continue
        stype = entities[s]["type"]
        if p in ENTITY_OBJECT:
            subjects, objects = ENTITY_OBJECT[p]
            if o not in entities:
                bad(f"{s} {p}: object {o!r} is not an entity id")
                continue
            if stype not in subjects:
                bad(f"{s} {p} {o}: subject type {stype} not in {sorted(subjects)}")
            if entities[o]["type"] not in objects:
                bad(f"{s} {p} {o}: object type {entities[o]['type']} not in {sorted(objects)}")
        elif p in LITERAL:
            if stype not in LITERAL[p]:
                bad(f"{s} {p}: subject type {stype}")
            if not isinstance(o, str) or not o.strip():
                bad(f"{s} {p}: empty role")
        elif p in DATES:
            if stype != "Event":
                bad(f"{s} {p}: dates belong to events")
            if not isinstance(o, str) or not ISO.match(o):
                bad(f"{s} {p}: {o!r} is not an ISO value")
        else:
            bad(f"{s}: unknown property {p!r}")

    for quote in data.get("quotes", []):
        qtext = quote.get("text", "")
        count = text.count(qtext) if qtext else 0
        occurrence = quote.get("occurrence", 1)
        if count == 0:
            bad(f"quote not found: {qtext[:50]!r}")
        elif count > 1 and "occurrence" not in quote:
            bad(f"quote found {count} times, add occurrence: {qtext[:50]!r}")
        elif occurrence > count:
            bad(f"quote occurrence {occurrence} > {count}: {qtext[:50]!r}")
        speaker = quote.get("speaker")
        if speaker is not None and speaker not in entities:
            bad(f"quote speaker {speaker!r} is not an entity id")
        elif speaker is not None and entities[speaker]["type"] not in {"Person", "Organization"}:
            bad(f"quote speaker {speaker} is a {entities[speaker]['type']}")
    return problems


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(HERE.glob("*/*.json"))
    files = [f for f in files if not f.name.endswith(".meta.json")]
    problems = [p for f in files for p in check(f)]
    for problem in problems:
        print(problem)
    texts = sorted(HERE.glob("*/*.txt"))
    missing = [t for t in texts if not t.with_suffix(".json").exists()]
    print(
        f"{len(files)} annotations checked, {len(problems)} problems, {len(missing)} articles not annotated yet"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
