"""News ``dev`` entity F1 on the whole split and on each half (alternate articles).

    python bench/entity_audit/dev_halves.py

A rule is kept only when it helps both halves (odd and even articles by id), not one:
a rule that helps one half only fits those articles. The pipeline is run once per half
(graph-level PER/ORG/LOC micro F1, as ``kg eval news --split dev`` scores it).
"""

from __future__ import annotations

import dataclasses
from unittest import mock

from kg.evaluation import news
from kg.evaluation.news_gold import load_split
from kg.evaluation.options import Options


def half_counts(options: Options, parity: int) -> dict[str, int]:
    """True and false positives and false negatives on the dev articles of one parity."""

    def half(opts: Options) -> tuple[list, object]:
        articles, path = load_split(opts)
        return [a for i, a in enumerate(articles) if i % 2 == parity], path

    with mock.patch.object(news, "load_split", half):
        report = news.evaluate(dataclasses.replace(options, split="dev", examples=0))
    rows = report["tables"][0]["rows"]
    micro = next(r for r in rows if r["name"].startswith("micro"))["pipeline"]
    return {k: int(micro[k]) for k in ("tp", "fp", "fn")}


def prf(counts: dict[str, int]) -> str:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * p * r / max(p + r, 1e-9)
    return f"P {p:.3f} R {r:.3f} F1 {f1:.3f} (tp {tp} fp {fp} fn {fn})"


def main() -> None:
    options = Options(examples=0)
    halves = [half_counts(options, parity) for parity in (0, 1)]
    for parity, counts in enumerate(halves):
        print(f"dev half {parity}: {prf(counts)}")
    print(f"dev whole:  {prf({k: halves[0][k] + halves[1][k] for k in halves[0]})}")


if __name__ == "__main__":
    main()
