"""Both systems of a run: our pipeline and the baseline, loaded once, run on the same texts."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.evaluation.baseline import Signature, load_baseline_model, run_baseline
from kg.evaluation.options import Options
from kg.evaluation.predictions import Prediction, run_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

SYSTEMS = ("baseline", "pipeline")


@dataclass
class Systems:
    """The loaded models of a run, and how long each system took."""

    pipeline_nlp: Language
    baseline_nlp: Language
    model_name: str
    baseline_ner: str = "stock"
    seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, options: Options) -> Systems:
        from kg.nlp import load_model, model_name

        nlp = load_model(options.model)
        baseline = load_baseline_model(nlp, options.baseline_ner)
        return cls(nlp, baseline, model_name(nlp), options.baseline_ner)

    def run(
        self,
        texts: Sequence[tuple[str, str]],
        options: Options,
        *,
        signatures: Iterable[Signature] = (),
    ) -> dict[str, list[Prediction]]:
        """Predictions of each system, one per text, in order."""
        started = time.perf_counter()
        baseline = list(
            run_baseline(
                texts, self.baseline_nlp, signatures=signatures, batch_size=options.batch_size
            )
        )
        self.seconds["baseline"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        pipeline = list(run_pipeline(texts, self.pipeline_nlp, batch_size=options.batch_size))
        self.seconds["pipeline"] = round(time.perf_counter() - started, 1)
        return {"baseline": baseline, "pipeline": pipeline}
