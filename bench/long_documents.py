"""Benchmark: one long document of 50 KB, 200 KB and 1 MB through `kg build`.

    python bench/long_documents.py [--sizes 50000,200000,1000000] [--timeout 900] [--kg DIR]

Each document is BBC News articles (../shared/data/bbc_news, in file order) joined by
blank lines and cut to the size, so the text is real news prose. Each size is built
by its own `kg build DOC -o out.nt -q` child process; the script prints its wall time
and peak resident memory (``wait4``), and the same for a one-sentence document, the
cost of starting and loading the model, which is taken off before the ratios are
computed. Target (issue 15): time linear in length (1 MB about 5x 200 KB) and memory
bounded (not growing with length). ``--kg DIR`` runs another checkout (e.g. before
the change) by putting DIR first on PYTHONPATH; a child over ``--timeout`` is killed
and reported as such.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import PYTHON, bbc_texts


def long_text(size: int) -> str:
    """BBC articles joined by blank lines until ``size`` characters, cut there."""
    parts: list[str] = []
    total = 0
    for _, text in bbc_texts():
        parts.append(text.strip())
        total += len(parts[-1]) + 2
        if total >= size:
            break
    return "\n\n".join(parts)[:size]


def run(path: Path, out: Path, timeout: float, checkout: str | None) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, status) of `kg build path -o out`."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if checkout:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (checkout, env.get("PYTHONPATH")) if p)
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, "-m", "kg", "build", str(path), "-o", str(out), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    status = "ok"
    deadline = started + timeout
    while True:
        pid, code, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, code, usage = os.wait4(process.pid, 0)
            status = f"killed after {timeout:g} s"
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(code)
    if status == "ok" and process.returncode != 0:
        status = f"exit {process.returncode}"
    return seconds, usage.ru_maxrss / 1024, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,200000,1000000")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--kg", default=None, help="checkout to run (put first on PYTHONPATH)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"kg: {args.kg or 'this checkout'}; cores: {os.cpu_count()}; python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tiny = folder / "tiny.txt"
        tiny.write_text("Angela Merkel met Emmanuel Macron in Paris on Monday.\n", "utf-8")
        base, base_mb, status = run(tiny, folder / "tiny.nt", args.timeout, args.kg)
        print(f"{'start + model':>14}: {base:8.1f} s  peak {base_mb:7.1f} MB  ({status})")
        net: dict[int, float] = {}
        for size in sizes:
            path = folder / f"long-{size}.txt"
            path.write_text(long_text(size), "utf-8")
            seconds, peak, status = run(path, folder / f"long-{size}.nt", args.timeout, args.kg)
            net[size] = seconds - base
            rate = size / 1000 / net[size] if net[size] > 0 else float("nan")
            print(
                f"{size / 1000:>11,.0f} kB: {seconds:8.1f} s  peak {peak:7.1f} MB  "
                f"(without start: {net[size]:7.1f} s, {rate:5.1f} kB/s; {status})"
            )
        for small, large in zip(sizes, sizes[1:]):
            print(
                f"time {large / 1000:,.0f} kB / {small / 1000:,.0f} kB: {net[large] / net[small]:.2f}x "
                f"for {large / small:.1f}x the text"
            )


if __name__ == "__main__":
    main()
