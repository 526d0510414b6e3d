"""Part of speech picks among lemmas where simplemma's form-only dictionary guesses wrong."""

import pytest

from doclint.lemma_pos import refine_lemma
from doclint.nlp import lemmatize


@pytest.mark.parametrize(("form", "pos", "expected"), [
    ("test", "NOUN", "test"),           # simplemma: testa
    ("brist", "NOUN", "brist"),         # simplemma: brista
    ("hävda", "VERB", "hävda"),         # simplemma: häva
    ("avlönade", "ADJ", "avlönad"),     # simplemma: avlöna
    ("reglerad", "ADJ", "reglerad"),    # simplemma: reglera
])
def test_part_of_speech_corrects_simplemma(form, pos, expected):
    assert lemmatize(form) != expected
    assert refine_lemma(form, lemmatize(form), pos) == expected


@pytest.mark.parametrize(("form", "pos", "expected"), [
    ("testa", "VERB", "testa"),
    ("barnen", "NOUN", "barn"),
    ("avlönade", "VERB", "avlöna"),     # a verb form keeps the verb's lemma
    ("helt", "ADV", "hel"),             # adverbs are left to simplemma
    ("hoppas", "VERB", "hoppas"),
])
def test_other_words_keep_simplemmas_lemma(form, pos, expected):
    assert refine_lemma(form, lemmatize(form), pos) == expected
    assert refine_lemma(form, lemmatize(form), "") == lemmatize(form)
