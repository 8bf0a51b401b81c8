"""Pick the articles of the news gold set (run once; the choice is kept in the repository).

    python bench/news_gold/select.py ../shared/data bench/news_gold

Eight BBC News articles from each of the five sections and eight Reuters-21578 stories,
drawn with a fixed seed among articles of 150 to 700 words; every other one goes to
``dev``, the rest to ``test``. The text is copied byte for byte (Reuters: title,
dateline and body, with the story's date kept in the annotation).
"""

from __future__ import annotations

import html
import json
import random
import re
import sys
from pathlib import Path

SEED = 20261202
PER_SECTION = 8
REUTERS = 8
SECTIONS = ("business", "entertainment", "politics", "sport", "tech")
MONTHS = {
    m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)
}


def words(text: str) -> int:
    return len(text.split())


def bbc(
    data: Path,
    rng: random.Random,
    per_section: int = PER_SECTION,
    taken: frozenset[str] | set[str] = frozenset(),
) -> list[tuple[str, str, str | None, str]]:
    """``per_section`` articles of 150 to 700 words from each section, none in ``taken``."""
    out = []
    for section in SECTIONS:
        files = sorted((data / "bbc_news" / section).glob("*.txt"))
        fitting = [
            f
            for f in files
            if 150 <= words(f.read_text("utf-8", "replace")) <= 700
            and f"bbc-{section}-{f.stem}" not in taken
        ]
        for f in rng.sample(fitting, per_section):
            out.append(
                (
                    f"bbc-{section}-{f.stem}",
                    f.read_text("utf-8"),
                    None,
                    f"bbc_news/{section}/{f.name}",
                )
            )
    return out


def reuters(data: Path, rng: random.Random) -> list[tuple[str, str, str | None, str]]:
    return rng.sample(reuters_all(data), REUTERS)


def reuters_all(data: Path) -> list[tuple[str, str, str | None, str]]:
    """Every Reuters story of 150 to 700 words that names a person, in file order."""
    stories = []
    for sgm in sorted((data / "reuters21578").glob("reut2-*.sgm")):
        raw = sgm.read_bytes().decode("latin-1")
        for block in re.findall(r"<REUTERS(.*?)</REUTERS>", raw, re.S):
            newid = re.search(r'NEWID="(\d+)"', block).group(1)
            body = re.search(r"<BODY>(.*?)</BODY>", block, re.S)
            title = re.search(r"<TITLE>(.*?)</TITLE>", block, re.S)
            dateline = re.search(r"<DATELINE>(.*?)</DATELINE>", block, re.S)
            date = re.search(r"<DATE>\s*(\d+)-(\w+)-(\d+)", block)
            people = re.search(r"<PEOPLE>(.*?)</PEOPLE>", block, re.S)
            if not (body and title and date):
                continue
            text = html.unescape(body.group(1)).replace("\x03", "").strip()
            text = re.sub(r"\s*REUTER\s*$", "", text)
            if not 150 <= words(text) <= 700 or not (people and "<D>" in people.group(1)):
                continue
            head = html.unescape(title.group(1)).strip()
            line = html.unescape(dateline.group(1)).strip() if dateline else ""
            day, month, year = date.groups()
            iso = f"{year}-{MONTHS[month.upper()]:02d}-{int(day):02d}"
            stories.append(
                (
                    f"reuters-{newid}",
                    f"{head}\n\n{line} {text}\n",
                    iso,
                    f"reuters21578/{sgm.name}#NEWID={newid}",
                )
            )
    return stories


def main(data: Path, out: Path) -> None:
    rng = random.Random(SEED)
    chosen = bbc(data, rng) + reuters(data, rng)
    for index, (doc_id, text, date, source) in enumerate(chosen):
        split = "dev" if index % 2 == 0 else "test"
        folder = out / split
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{doc_id}.txt").write_text(text, "utf-8")
        meta = {"id": doc_id, "source": source, "date": date}
        (folder / f"{doc_id}.meta.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
        print(split, doc_id, words(text))


#: The ``calib`` split (added later): fresh articles for fitting the confidence calibration
#: only, drawn in batches (one seed each) among those not in ``dev``, ``test`` or an
#: earlier batch; never tuned on.
CALIB_SEEDS = (20261203, 20261204)
#: The line of looked_at.txt after which ids were read after the calib draw.
AFTER_CALIB = "# --- read after the calib draw"
CALIB_PER_SECTION = 3
CALIB_REUTERS = 5


def calib(data: Path, out: Path) -> None:
    """Write the ``calib`` split: per batch, three articles a BBC section and five Reuters
    stories."""
    taken = {p.name.split(".")[0] for split in ("dev", "test") for p in (out / split).glob("*.txt")}
    looked_at = out / "looked_at.txt"
    lines = looked_at.read_text("utf-8").splitlines() if looked_at.exists() else []
    stop = [i for i, line in enumerate(lines) if line.startswith(AFTER_CALIB)]
    lines = lines[: stop[0]] if stop else lines  # ids read later never change the draw
    chosen: list[tuple[str, str, str | None, str]] = []
    for batch_number, seed in enumerate(CALIB_SEEDS):
        if batch_number == 1:  # the audits of looked_at.txt were read before the 2nd batch
            taken |= {line.strip() for line in lines if line.strip() and not line.startswith("#")}
        rng = random.Random(seed)
        batch = bbc(data, rng, CALIB_PER_SECTION, taken)
        fresh = [s for s in reuters_all(data) if s[0] not in taken]
        batch += rng.sample(fresh, CALIB_REUTERS)
        taken |= {doc_id for doc_id, *_ in batch}
        chosen += batch
    folder = out / "calib"
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text, date, source in chosen:
        (folder / f"{doc_id}.txt").write_text(text, "utf-8")
        meta = {"id": doc_id, "source": source, "date": date}
        (folder / f"{doc_id}.meta.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
        print("calib", doc_id, words(text))


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[3] == "calib":
        calib(Path(sys.argv[1]), Path(sys.argv[2]))
    else:
        main(Path(sys.argv[1]), Path(sys.argv[2]))
