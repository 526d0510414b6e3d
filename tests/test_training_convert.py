"""The UD v1 -> v2 conversion of the training data (training/convert.py), on hand-made sentences."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

from convert import read_conllu, upgrade_v1  # noqa: E402


def _v1(rows: str):
    lines = []
    for row in rows.strip().splitlines():
        idx, form, upos, xpos, feats, head, deprel = row.split()
        lines.append("\t".join([idx, form, "_", upos, xpos, feats, head, deprel, "_", "_"]))
    return read_conllu("\n".join(lines) + "\n")[0]


def _table(sent):
    return [(w.form, w.upos, w.head, w.deprel) for w in sent.words]


def test_relation_renames_passive_and_negation():
    # "Beslutet fattades inte av nämnden ." (v1: nsubjpass, neg, nmod:agent)
    sent = upgrade_v1(_v1("""
1 Beslutet NOUN NN Case=Nom|Definite=Def|Gender=Neut|Number=Sing 2 nsubjpass
2 fattades VERB VB Tense=Past|VerbForm=Fin|Voice=Pass 0 root
3 inte ADV AB _ 2 neg
4 av ADP PP _ 5 case
5 nämnden NOUN NN Case=Nom|Definite=Def|Gender=Com|Number=Sing 2 nmod:agent
6 . PUNCT MAD _ 2 punct
"""))
    assert _table(sent) == [("Beslutet", "NOUN", 2, "nsubj:pass"), ("fattades", "VERB", 0, "root"),
                            ("inte", "PART", 2, "advmod"), ("av", "ADP", 5, "case"),
                            ("nämnden", "NOUN", 2, "obl:agent"), (".", "PUNCT", 2, "punct")]
    assert sent.words[1].feats["Mood"] == "Ind"
    assert sent.words[2].feats == {"Polarity": "Neg"}


def test_object_copula_auxiliary_and_nmod_on_a_verb_becomes_obl():
    # "Hon har läst boken i skolan ." and "Han är lärare ."
    sent = upgrade_v1(_v1("""
1 Hon PRON PN Case=Nom|Definite=Def|Gender=Com|Number=Sing 3 nsubj
2 har VERB VB Tense=Pres|VerbForm=Fin|Voice=Act 3 aux
3 läst VERB VB VerbForm=Sup|Voice=Act 0 root
4 boken NOUN NN Case=Nom|Definite=Def|Gender=Com|Number=Sing 3 dobj
5 i ADP PP _ 6 case
6 skolan NOUN NN Case=Nom|Definite=Def|Gender=Com|Number=Sing 3 nmod
7 . PUNCT MAD _ 3 punct
"""))
    assert [(w.form, w.upos, w.deprel) for w in sent.words][1:6] == [
        ("har", "AUX", "aux"), ("läst", "VERB", "root"), ("boken", "NOUN", "obj"),
        ("i", "ADP", "case"), ("skolan", "NOUN", "obl")]
    assert sent.words[0].feats["PronType"] == "Prs"
    sent = upgrade_v1(_v1("""
1 Han PRON PN Case=Nom|Definite=Def|Gender=Com|Number=Sing 3 nsubj
2 är VERB VB Tense=Pres|VerbForm=Fin|Voice=Act 3 cop
3 lärare NOUN NN Case=Nom|Definite=Ind|Gender=Com|Number=Sing 0 root
4 . PUNCT MAD _ 3 punct
"""))
    assert (sent.words[1].upos, sent.words[1].deprel) == ("AUX", "cop")


def test_cc_and_separating_comma_move_to_the_following_conjunct():
    # "Lisa , Omar och Noah kom ." v1: ',' and 'och' hang on the first conjunct (Lisa)
    sent = upgrade_v1(_v1("""
1 Lisa PROPN PM Case=Nom 5 nsubj
2 , PUNCT MID _ 1 punct
3 Omar PROPN PM Case=Nom 1 conj
4 och CONJ KN _ 1 cc
5 kom VERB VB Tense=Past|VerbForm=Fin|Voice=Act 0 root
6 Noah PROPN PM Case=Nom 1 conj
7 . PUNCT MAD _ 5 punct
"""))
    heads = {w.form: (w.head, w.deprel, w.upos) for w in sent.words}
    assert heads[","] == (3, "punct", "PUNCT")  # to Omar, the conjunct after the comma
    assert heads["och"] == (6, "cc", "CCONJ")   # to Noah, the conjunct after 'och'
    assert heads["Omar"] == (1, "conj", "PROPN") and heads["Noah"] == (1, "conj", "PROPN")
    assert heads["."] == (5, "punct", "PUNCT")  # not between conjuncts: stays


def test_cc_before_the_first_conjunct_and_without_a_following_one_stays():
    # "Både Lisa och Omar kom ." : 'Både' precedes the first conjunct and keeps its head
    sent = upgrade_v1(_v1("""
1 Både CONJ KN _ 2 cc
2 Lisa PROPN PM Case=Nom 5 nsubj
3 och CONJ KN _ 2 cc
4 Omar PROPN PM Case=Nom 2 conj
5 kom VERB VB Tense=Past|VerbForm=Fin|Voice=Act 0 root
"""))
    assert [(w.form, w.head, w.deprel) for w in sent.words][:4] == [
        ("Både", 2, "cc"), ("Lisa", 5, "nsubj"), ("och", 4, "cc"), ("Omar", 2, "conj")]


def test_deponents_multiwords_and_marks():
    # "Det finns i dag ett hem , för att barnen ska bo där ."
    sent = upgrade_v1(_v1("""
1 Det PRON PN Definite=Def|Gender=Neut|Number=Sing 2 expl
2 finns VERB VB Tense=Pres|VerbForm=Fin|Voice=Pass 0 root
3 i ADP PP _ 2 advmod
4 dag NOUN NN Case=Nom|Definite=Ind|Gender=Com|Number=Sing 3 mwe
5 ett DET DT Definite=Ind|Gender=Neut|Number=Sing 6 det
6 hem NOUN NN Case=Nom|Definite=Ind|Gender=Neut|Number=Sing 2 nsubjpass
7 för SCONJ SN _ 11 mark
8 att SCONJ SN _ 7 mwe
9 barnen NOUN NN Case=Nom|Definite=Def|Gender=Neut|Number=Plur 11 nsubj
10 ska VERB VB Tense=Pres|VerbForm=Fin|Voice=Act 11 aux
11 bo VERB VB VerbForm=Inf|Voice=Act 2 advcl
"""))
    table = {w.form: (w.head, w.deprel, w.upos) for w in sent.words}
    assert "Voice" not in sent.words[1].feats
    assert table["hem"] == (2, "nsubj", "NOUN")     # deponent: not a passive subject
    assert table["dag"] == (2, "obl", "NOUN")       # 'i dag': the noun heads
    assert table["i"] == (4, "case", "ADP")
    assert table["för"] == (11, "mark", "ADP")      # 'för att': both mark the verb
    assert table["att"] == (11, "mark", "SCONJ")
    assert sent.words[4].feats["PronType"] == "Art"


def test_a_main_verb_marked_aux_in_v1_heads_its_verb_and_a_dash_between_words_is_a_symbol():
    # "Han behöver inte komma 9-10 ." v1: 'behöver' is an aux of 'komma'; '-' a cc between the numbers
    sent = upgrade_v1(_v1("""
1 Han PRON PN Case=Nom|Definite=Def|Gender=Com|Number=Sing 4 nsubj
2 behöver VERB VB Tense=Pres|VerbForm=Fin|Voice=Act 4 aux
3 inte ADV AB _ 4 neg
4 komma VERB VB VerbForm=Inf|Voice=Act 0 root
5 9 NUM RG NumType=Card 4 nmod
6 - PUNCT MID _ 5 cc
7 10 NUM RG NumType=Card 5 conj
8 . PUNCT MAD _ 4 punct
"""))
    table = {w.form: (w.head, w.deprel, w.upos) for w in sent.words}
    assert table["behöver"] == (0, "root", "VERB")
    assert table["komma"] == (2, "xcomp", "VERB")
    assert table["Han"] == (2, "nsubj", "PRON") and table["inte"] == (2, "advmod", "PART")
    assert table["."] == (2, "punct", "PUNCT")
    assert table["-"] == (7, "cc", "SYM")
    # "De slutade röka ." v1 slip: 'röka' an aux after its head; v2: the xcomp
    sent = upgrade_v1(_v1("""
1 De PRON PN Case=Nom|Definite=Def|Number=Plur 2 nsubj
2 slutade VERB VB Tense=Past|VerbForm=Fin|Voice=Act 0 root
3 röka VERB VB VerbForm=Inf|Voice=Act 2 aux
4 . PUNCT MAD _ 2 punct
"""))
    assert (sent.words[2].upos, sent.words[2].head, sent.words[2].deprel) == ("VERB", 2, "xcomp")
    # real auxiliaries stay
    sent = upgrade_v1(_v1("""
1 Hon PRON PN Case=Nom|Definite=Def|Gender=Com|Number=Sing 3 nsubj
2 kan VERB VB Tense=Pres|VerbForm=Fin|Voice=Act 3 aux
3 komma VERB VB VerbForm=Inf|Voice=Act 0 root
"""))
    assert (sent.words[1].upos, sent.words[1].deprel) == ("AUX", "aux")


def test_som_before_a_nominal_in_a_role_is_a_preposition_and_mycket_as_an_argument_a_pronoun():
    # "Utlänningar betalar skatt som svenskar ." v1: 'svenskar' an advcl of the verb, 'som' its mark
    sent = upgrade_v1(_v1("""
1 Utlänningar NOUN NN Case=Nom|Definite=Ind|Gender=Com|Number=Plur 2 nsubj
2 betalar VERB VB Tense=Pres|VerbForm=Fin|Voice=Act 0 root
3 skatt NOUN NN Case=Nom|Definite=Ind|Gender=Com|Number=Sing 2 dobj
4 som CONJ KN _ 5 mark
5 svenskar NOUN NN Case=Nom|Definite=Ind|Gender=Com|Number=Plur 2 advcl
6 . PUNCT MAD _ 2 punct
"""))
    table = {w.form: (w.head, w.deprel, w.upos) for w in sent.words}
    assert table["som"] == (5, "case", "ADP") and table["svenskar"] == (2, "obl", "NOUN")
    # "samma villkor som männen": 'som' before a clause-like nominal on a noun stays a conjunction
    sent = upgrade_v1(_v1("""
1 samma ADJ JJ Degree=Pos 2 det
2 villkor NOUN NN Case=Nom|Definite=Ind|Gender=Neut|Number=Plur 0 root
3 som CONJ KN _ 4 mark
4 männen NOUN NN Case=Nom|Definite=Def|Gender=Com|Number=Plur 2 acl
"""))
    assert (sent.words[2].upos, sent.words[2].deprel) == ("SCONJ", "mark")
    # "Hur mycket skall du betala ?"
    sent = upgrade_v1(_v1("""
1 Hur ADV HA _ 2 advmod
2 mycket ADV AB Degree=Pos 5 dobj
3 skall VERB VB Tense=Pres|VerbForm=Fin|Voice=Act 5 aux
4 du PRON PN Case=Nom|Definite=Def|Gender=Com|Number=Sing 5 nsubj
5 betala VERB VB VerbForm=Inf|Voice=Act 0 root
6 ? PUNCT MAD _ 5 punct
"""))
    assert (sent.words[1].upos, sent.words[1].deprel) == ("PRON", "obj")


def test_participles_get_v2_features():
    # "följande regler , de taxerade beloppen" v1: the present participle VerbForm=Fin, no Degree
    sent = upgrade_v1(_v1("""
1 följande ADJ PC|PRS|UTR/NEU|SIN/PLU|IND/DEF|NOM Case=Nom|Tense=Pres|VerbForm=Fin 2 amod
2 regler NOUN NN|UTR|PLU|IND|NOM Case=Nom|Definite=Ind|Gender=Com|Number=Plur 0 root
3 de DET DT|UTR/NEU|PLU|DEF Definite=Def|Number=Plur 5 det
4 taxerade ADJ PC|PRF|UTR/NEU|PLU|IND/DEF|NOM Case=Nom|Number=Plur|Tense=Past|VerbForm=Part 5 amod
5 beloppen NOUN NN|NEU|PLU|DEF|NOM Case=Nom|Definite=Def|Gender=Neut|Number=Plur 2 appos
"""))
    assert sent.words[0].feats == {"Case": "Nom", "Degree": "Pos", "Tense": "Pres", "VerbForm": "Part"}
    assert sent.words[3].feats == {"Case": "Nom", "Definite": "Def", "Degree": "Pos", "Tense": "Past",
                                   "VerbForm": "Part"}
