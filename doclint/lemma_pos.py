"""Part of speech helps pick the lemma where simplemma's one-lemma-per-form dictionary guesses wrong.

simplemma maps each word form to one lemma whatever its part of speech ("test" -> "testa",
"hävda" -> "häva", "avlönade" -> "avlöna"). With the trained model's UPOS and features doclint
can choose better: a noun is not a verb's infinitive, an infinitive is its own lemma, a
participle used as an adjective has the participle as lemma. Each rule was chosen on gold
Swedish-PUD and kept only if it raised lemma accuracy there and on the Talbanken dev split
(an adverb rule that did not was dropped); benchmarks/pipeline_accuracy.py measures it end to end.
"""

from __future__ import annotations

def refine_lemma(lower: str, lemma: str, pos: str, morph: str = "") -> str:
    """The lemma of `lower` (a lower-cased form simplemma lemmatised as `lemma`) given its UPOS."""
    if not pos or lemma == lower or not lower.isalpha():
        return lemma
    if pos == "NOUN" and lemma == lower + "a":
        return lower  # "test" -> not "testa", "brist" -> not "brista"
    if pos == "VERB" and lower.endswith("a") and not lower.endswith("as") and len(lower) > 3:
        return lower  # an infinitive is its own lemma ("hävda", not "häva")
    if pos == "ADJ" and lemma.endswith("a") and lower.startswith(lemma[:-1]) and len(lemma) > 3:
        stem = lemma[:-1]  # a weak participle of the verb `lemma`: avlöna -> avlönad
        if lower in (stem + "ad", stem + "ade", stem + "at"):
            return stem + "ad"
    return lemma
