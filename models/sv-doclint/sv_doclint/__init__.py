"""doclint's Swedish spaCy pipeline: tok2vec, morphologizer (UPOS + UD features), parser.

Trained on UD Swedish-Talbanken and UD Swedish-PUD; licensed CC BY-SA 4.0 (see LICENSE).
The pipeline has no tokenizer rules or lemmatizer of its own: doclint supplies its
tokens, sentences and lemmas and runs these components over them.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.3.0"

MODEL_PATH = Path(__file__).resolve().parent / "model"


def load(**overrides):
    """Load the pipeline (keyword arguments go to spacy.load, e.g. exclude=["parser"])."""
    import spacy  # noqa: PLC0415

    try:  # the pipeline's first component, doclint_lexicon, is doclint's (a dictionary feature)
        import doclint.lexicon  # noqa: F401, PLC0415
    except ImportError:
        pass  # without doclint, spaCy itself says that the doclint_lexicon factory is missing
    return spacy.load(MODEL_PATH, **overrides)
