"""The lexicon feature the trained tagger reads (doclint/lexicon.py)."""

import spacy
from spacy.tokens import Doc

from doclint.lexicon import lexicon_class, make_lexicon


def test_lexicon_class_is_how_a_form_differs_from_its_dictionary_lemma():
    assert lexicon_class("utlämnade") == "k>de|na"     # a verb's past (lemma utlämna)
    assert lexicon_class("flickor") == "ka>or|ka"      # a noun's plural (flicka)
    assert lexicon_class("gott") == "kd>tt|od"         # an adjective's neuter (god)
    assert lexicon_class("Omar") == "u>|ar"            # not in the dictionary
    assert lexicon_class("12") == "-"


def test_the_component_writes_the_class_into_norm():
    nlp = spacy.blank("sv")
    doc = Doc(nlp.vocab, words=["Flickorna", "gick", "hem", "."])
    doc = make_lexicon(nlp, "doclint_lexicon")(doc)
    assert [t.norm_ for t in doc] == [lexicon_class(w) for w in ("Flickorna", "gick", "hem", ".")]
    assert doc[1].norm_ == "kå>ick|gå"
    assert doc[3].norm_ == "-"
