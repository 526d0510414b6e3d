"""DL101 looks at how a long sentence is built: a plain one gets info, a hard one a warning."""

import pytest

from doclint.checks.structure import sentence_shape
from doclint.document import build_document
from conftest import only

PLAIN = ("Vi använder alltid samma modell som stöd när vi utreder, både när vi träffar barnet och när vi "
         "pratar med föräldrarna, skolan och andra som känner familjen väl.")
LONG_SUBJECT = ("Mamman och pappan som under hösten har haft svårt att få ihop vardagen med arbete, hämtningar på "
                "förskolan och läkarbesök för sonen berättade under samtalet att de vill ha stöd.")
FRONTED = ("Om föräldrarna inte kommer överens om var barnen ska bo under sommaren och någon av dem ändå vill "
           "flytta till en annan stad ska socialnämnden ta ställning till om en utredning behövs.")
NESTED = ("Pappan sa att barnen, som enligt honom sedan de flyttade till mormor när skolan slutade i juni inte "
          "har fått träffa honom, vill bo hos honom igen och gå kvar i samma skola som förut.")
NOUNS = ("Tillsynen under förra året visar att kommunen brister i vissa väsentliga delar när det gäller "
         "uppföljningen av barn som är placerade i familjehem, även om det finns goda exempel i många kommuner.")


def shape(pipeline, text):
    doc = build_document(text, pipeline)
    return sentence_shape(doc.sentence_tokens(doc.body_sentences[0]))


def test_plain_long_sentence_has_its_main_verb_first(pipeline):
    s = shape(pipeline, PLAIN)
    assert s.words > 25 and s.before_main_verb <= 2 and s.nesting <= 1


def test_long_run_before_the_main_verb(pipeline):
    assert shape(pipeline, LONG_SUBJECT).before_main_verb == 22
    assert shape(pipeline, FRONTED).before_main_verb >= 20


def test_nested_clauses(pipeline):
    assert shape(pipeline, NESTED).nesting >= 3


def test_plural_nouns_and_participles_are_no_clauses(pipeline):
    assert shape(pipeline, NOUNS).clauses <= 5


@pytest.mark.parametrize("text,severity", [(PLAIN, "info"), (NOUNS, "info"), (LONG_SUBJECT, "warning"),
                                           (FRONTED, "warning"), (NESTED, "warning")])
def test_dl101_severity_follows_structure(engine, text, severity):
    assert [f.severity for f in only(engine.check_text(text), "DL101")] == [severity]
