"""What the benchmarks share: the data folder, timing and peak memory of a child process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("KG_SHARED_DATA", ROOT.parent / "shared" / "data"))
PYTHON = sys.executable


@dataclass
class Measured:
    """Wall time, peak resident memory of the process, and what it printed."""

    seconds: float
    peak_rss_mb: float
    stdout: str
    code: int
    cpu_seconds: float = 0.0  # user + system time of the process


def measure_child(args: list[str]) -> Measured:
    """Run a command; its wall time and its own peak RSS (reaped with os.wait4)."""
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=devnull,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        out = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, usage.ru_maxrss / 1024, out, process.returncode, cpu)


def bbc_texts() -> list[tuple[str, str]]:
    """(path, text) of the 2,225 BBC News articles (Latin-1 decoded where UTF-8 fails)."""
    folder = DATA / "bbc_news"
    out = []
    for path in sorted(folder.glob("*/*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        out.append((str(path), text))
    return out


def reuters_records() -> Iterator[dict[str, str]]:
    """Reuters-21578 stories that have a BODY, as JSONL records (id, title, date, text)."""
    for path in sorted((DATA / "reuters21578").glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("latin-1")
        for story in re.findall(r"<REUTERS(.*?)</REUTERS>", raw, re.S):
            body = re.search(r"<BODY>(.*?)</BODY>", story, re.S)
            if not body:
                continue
            new_id = re.search(r'NEWID="(\d+)"', story)
            title = re.search(r"<TITLE>(.*?)</TITLE>", story, re.S)
            date = re.search(r"<DATE>\s*(\d+)-([A-Z]+)-(\d{4})", story)
            record = {
                "id": f"reuters-{new_id.group(1) if new_id else len(story)}",
                "text": unescape(body.group(1)).replace("\x03", "").strip(),
            }
            if title:
                record["title"] = " ".join(unescape(title.group(1)).split())
            if date:
                record["date"] = (
                    f"{date.group(3)}-{_MONTHS[date.group(2)[:3].upper()]:02d}-{int(date.group(1)):02d}"
                )
            if record["text"]:
                yield record


_MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}


def write_reuters_jsonl(path: Path, limit: int | None = None) -> int:
    """Write the first ``limit`` Reuters stories to ``path``; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in reuters_records():
            if limit is not None and count >= limit:
                break
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def directory_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def kg_command(*args: object) -> list[str]:
    return [PYTHON, "-m", "kg", *map(str, args)]
