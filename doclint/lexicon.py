"""A lexicon feature for the trained tagger: how a word form relates to its dictionary lemma.

The trained pipeline has seen about 100,000 words of Swedish, so most words in a note are new to
it. simplemma's Swedish dictionary knows nearly every form and its lemma, and how a form differs
from its lemma says much about its part of speech: utlämna -> utlämnade (a verb's past),
flicka -> flickor (a noun's plural), god -> gott (an adjective's neuter). The `doclint_lexicon`
component writes that relation into each token's NORM, which the model embeds as one of its
features (training/config.cfg); the word itself reaches the model through LOWER. (Embedding the
lemma as well was tried: no better, 0.960 UPOS either way.)
"""

from __future__ import annotations

from functools import lru_cache
from os.path import commonprefix

from spacy.language import Language

from .nlp import _swedish_mapping, lemmatize


@lru_cache(maxsize=200_000)
def lexicon_class(word: str) -> str:
    """'k' or 'u' (the form is in the dictionary or not), the lemma's ending that the form
    replaces, '>', what the form has instead, and the lemma's last two letters:
    utlämnade -> 'k>de|na', flickor -> 'ka>or|ka', Omar -> 'u>|ar'."""
    lower = word.lower()
    if not any(ch.isalpha() for ch in lower):
        return "-"
    lemma = lemmatize(word)
    known = "k" if _swedish_mapping().get(lower) is not None else "u"
    shared = len(commonprefix([lemma, lower]))
    return f"{known}{lemma[shared:][-4:]}>{lower[shared:][-5:]}|{lemma[-2:]}"


def _annotate(doc):
    for token in doc:
        token.norm_ = lexicon_class(token.text)
    return doc


@Language.factory("doclint_lexicon")
def make_lexicon(nlp: Language, name: str):
    """The component that gives each token its lexicon class as NORM (see the module's text)."""
    return _annotate
