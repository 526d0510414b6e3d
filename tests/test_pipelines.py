"""Optional pipelines: an installed or saved spaCy pipeline, and Stanza through spacy-stanza."""

import sys
import types

import pytest
import spacy
from spacy.training import Example
from typer.testing import CliRunner

from doclint.cli import app
from doclint.engine import Engine
from doclint.nlp import PipelineError, load_pipeline
from doclint.rules import load_pack

TRAIN = [
    ("Lisa går till skolan .", ["PROPN", "VERB", "ADP", "NOUN", "PUNCT"]),
    ("Omar läser en bok .", ["PROPN", "VERB", "DET", "NOUN", "PUNCT"]),
    ("Mamman ringer till skolan .", ["NOUN", "VERB", "ADP", "NOUN", "PUNCT"]),
    ("Pappan lagar mat .", ["NOUN", "VERB", "NOUN", "PUNCT"]),
    ("Elin spelar fotboll .", ["PROPN", "VERB", "NOUN", "PUNCT"]),
]
POS_PACK = """\
rules:
  - id: DL990
    name: verb-count
    family: verbosity
    severity: info
    type: pattern
    needs: [pos]
    patterns:
      - [{POS: VERB}]
    message: "Ett verb: {match}."
    why: "Test av ordklasser."
    source: "Test"
    examples: {fail: ["Lisa går till skolan."], pass: ["Till skolan."]}
"""


@pytest.fixture(scope="module")
def saved_pipeline(tmp_path_factory):
    """A tiny Swedish pipeline with a trained morphologizer, saved to disk like any spaCy package."""
    nlp = spacy.blank("sv")
    nlp.add_pipe("morphologizer")
    examples = [Example.from_dict(nlp.make_doc(text), {"words": text.split(), "pos": pos, "morphs": [""] * len(pos)})
                for text, pos in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer)
    path = tmp_path_factory.mktemp("pipeline") / "sv_tiny"
    nlp.to_disk(path)
    return path


def test_saved_pipeline_loads_with_pos_and_doclint_lemmas(saved_pipeline):
    pipeline = load_pipeline(str(saved_pipeline))
    assert {"lemma", "pos", "morph"} <= pipeline.annotations
    doc = pipeline("Lisa går till skolan bl.a. idag.")
    assert [t.pos_ for t in doc][:2] == ["PROPN", "VERB"]
    assert [t.text for t in doc][4] == "bl.a."  # doclint's tokenizer fixes apply
    assert doc[3].lemma_ == "skola"


def test_rule_needing_pos_is_skipped_by_blank_and_runs_with_pipeline(tmp_path, saved_pipeline):
    (tmp_path / "pack.yaml").write_text(POS_PACK, encoding="utf-8")
    rules = load_pack(tmp_path / "pack.yaml")
    default = Engine(rules, load_pipeline("blank"))
    assert [(r.id, missing) for r, missing in default.skipped] == [("DL990", ["pos"])]
    tiny = Engine(rules, load_pipeline(str(saved_pipeline)))
    assert tiny.skipped == []
    assert [f.text for f in tiny.check_text("Lisa går till skolan.")] == ["går"]


def test_cli_reports_skipped_rule_once(tmp_path, saved_pipeline):
    (tmp_path / "pack.yaml").write_text(POS_PACK, encoding="utf-8")
    note = tmp_path / "n.txt"
    note.write_text("Lisa går till skolan. Omar läser.\n", encoding="utf-8")
    runner = CliRunner()
    skipped = runner.invoke(app, ["check", str(note), "--rules", str(tmp_path / "pack.yaml"), "--select", "DL990",
                                  "--pipeline", "blank"])
    assert skipped.stdout.count("Hoppade över DL990") == 1
    ran = runner.invoke(app, ["check", str(note), "--rules", str(tmp_path / "pack.yaml"), "--select", "DL990",
                              "--pipeline", str(saved_pipeline), "--fail-level", "info"])
    assert ran.exit_code == 1 and "DL990" in ran.stdout and "Hoppade över" not in ran.stdout


def test_stanza_missing_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy_stanza", None)  # import fails as if not installed
    load_pipeline.cache_clear()
    with pytest.raises(PipelineError, match=r"pip install 'doclint\[stanza\]'"):
        load_pipeline("stanza")
    result = CliRunner().invoke(app, ["analyze", "-", "--pipeline", "stanza"], input="Hej.")
    assert result.exit_code == 2 and "doclint[stanza]" in result.stderr


def test_stanza_without_model_gives_download_hint(monkeypatch):
    def load_pipeline_stub(lang, **kwargs):
        assert lang == "sv" and kwargs["download_method"] is None  # never downloads at run time
        raise FileNotFoundError("Resources file not found")

    monkeypatch.setitem(sys.modules, "spacy_stanza", types.SimpleNamespace(load_pipeline=load_pipeline_stub))
    load_pipeline.cache_clear()
    with pytest.raises(PipelineError, match="stanza.download"):
        load_pipeline("stanza")
    load_pipeline.cache_clear()


# -- the default pipeline with a trained model (a tiny one here; the real one is models/sv-doclint) --------

PARSED = [
    # words, UPOS, heads (0-based), relations, morphology
    ("Lisa går till skolan .".split(), ["PROPN", "VERB", "ADP", "NOUN", "PUNCT"], [1, 1, 3, 1, 1],
     ["nsubj", "ROOT", "case", "obl", "punct"], ["", "VerbForm=Fin|Voice=Act", "", "Definite=Def", ""]),
    ("Mamman är slarvig .".split(), ["NOUN", "AUX", "ADJ", "PUNCT"], [2, 2, 2, 2],
     ["nsubj", "cop", "ROOT", "punct"], ["Definite=Def", "VerbForm=Fin", "Degree=Pos", ""]),
    ("Pappan läser en bok .".split(), ["NOUN", "VERB", "DET", "NOUN", "PUNCT"], [1, 1, 3, 1, 1],
     ["nsubj", "ROOT", "det", "obj", "punct"], ["Definite=Def", "VerbForm=Fin|Voice=Act", "", "Definite=Ind", ""]),
    ("Beslutet fattades .".split(), ["NOUN", "VERB", "PUNCT"], [1, 1, 1],
     ["nsubj:pass", "ROOT", "punct"], ["Definite=Def", "VerbForm=Fin|Voice=Pass", ""]),
]
GRAMMAR_PACK = """\
rules:
  - id: DL991
    name: slarvig-om-person
    family: judgement
    severity: warning
    type: dependency
    needs: [pos, dep]
    patterns:
      - - {RIGHT_ID: adj, RIGHT_ATTRS: {LEMMA: slarvig, POS: ADJ}}
        - {LEFT_ID: adj, REL_OP: ">", RIGHT_ID: subj, RIGHT_ATTRS: {DEP: nsubj}}
    mark: [adj]
    message: "Värderande: {match}."
    why: "Test av satsanalys."
    source: "Test"
    examples: {fail: ["Mamman är slarvig."], pass: ["Lisa går till skolan."]}
"""


@pytest.fixture(scope="module")
def grammar_model(tmp_path_factory):
    """A tiny saved pipeline with a morphologizer and a parser, trained on four sentences."""
    spacy.util.fix_random_seed(0)  # the same tiny model whichever tests ran before
    nlp = spacy.blank("sv")
    nlp.add_pipe("morphologizer")
    nlp.add_pipe("parser", config={"min_action_freq": 1})  # keep every relation of so few examples
    examples = [Example.from_dict(nlp.make_doc(" ".join(words)),
                                  {"words": words, "pos": pos, "heads": heads, "deps": deps, "morphs": morphs})
                for words, pos, heads, deps, morphs in PARSED]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        nlp.update(examples, sgd=optimizer)
    path = tmp_path_factory.mktemp("grammar") / "sv_grammar"
    nlp.to_disk(path)
    return path


@pytest.fixture
def with_model(grammar_model, monkeypatch):
    monkeypatch.setenv("DOCLINT_MODEL", str(grammar_model))
    load_pipeline.cache_clear()
    yield grammar_model
    load_pipeline.cache_clear()


def test_default_pipeline_adds_grammar_on_doclint_tokens_and_lemmas(with_model):
    pipeline = load_pipeline("default")
    assert pipeline.grammar is not None and {"pos", "morph", "dep"} <= pipeline.annotations
    from doclint.document import build_document

    doc = build_document("Mamman är slarvig bl.a. hemma.\n\nLisa går till skolan.", pipeline)
    assert [t.text for t in doc.tokens][3] == "bl.a."  # doclint's tokenizer, not the model's
    assert [t.lemma for t in doc.tokens][:3] == ["mamma", "vara", "slarvig"]  # simplemma lemmas kept
    assert doc.parsed == {0, 1}
    lisa = doc.sentence_tokens(doc.sentences[1])
    assert [t.pos for t in lisa] == ["PROPN", "VERB", "ADP", "NOUN", "PUNCT"]
    assert [(t.head - lisa[0].i, t.dep) for t in lisa] == [(1, "nsubj"), (1, "root"), (3, "case"), (1, "obl"),
                                                           (1, "punct")]
    assert "Voice=Act" in lisa[1].morph
    sdoc = doc.spacy_doc  # the same annotation on the spaCy Doc, for Matcher and DependencyMatcher patterns
    assert [(t.text, t.pos_, t.dep_, t.head.text) for t in sdoc if t.text == "Lisa"] == [("Lisa", "PROPN", "nsubj", "går")]


def test_grammar_runs_lazily_and_only_on_sentences_a_rule_can_match(tmp_path, with_model):
    (tmp_path / "pack.yaml").write_text(GRAMMAR_PACK, encoding="utf-8")
    engine = Engine(load_pack(tmp_path / "pack.yaml"), load_pipeline("default"))
    doc = engine.document("Lisa går till skolan. Pappan läser en bok.")
    assert doc.parsed == set() and engine.pipeline.grammar._nlp is None  # no trigger word: model not even loaded
    doc = engine.document("Lisa går till skolan. Mamman är slarvig. Pappan läser en bok.")
    assert doc.parsed == {1}
    assert [t.pos for t in doc.tokens][:4] == ["", "", "", ""]
    findings = engine.check_document(doc).findings
    assert [(f.rule, f.text, f.column) for f in findings] == [("DL991", "slarvig", 33)]


def test_documents_of_a_folder_share_one_pass_of_the_model(tmp_path, with_model, monkeypatch):
    from doclint.engine import check_batch

    (tmp_path / "pack.yaml").write_text(GRAMMAR_PACK, encoding="utf-8")
    engine = Engine(load_pack(tmp_path / "pack.yaml"), load_pipeline("default"))
    texts = [("akt/a.txt", "Lisa går till skolan. Mamman är slarvig."), ("akt/b.txt", "Pappan är slarvig.")]
    alone = [engine.check_text(text, path) for path, text in texts]
    calls = []
    grammar = engine.pipeline.grammar
    real = grammar.annotate_many
    monkeypatch.setattr(grammar, "annotate_many", lambda items: calls.append(len(items)) or real(items))
    together = check_batch(engine, texts, folder="akt")
    assert calls == [2]  # both documents in one call
    monkeypatch.setattr("doclint.engine.GRAMMAR_BATCH_CHARS", len(texts[0][1]))
    check_batch(engine, texts, folder="akt")
    assert calls == [2, 1, 1]  # a chunk past its size in characters: the next document waits for the next one
    assert [(f.path, f.rule, f.line, f.column) for f in together.findings] == \
        [(f.path, f.rule, f.line, f.column) for found in alone for f in found] == \
        [("akt/a.txt", "DL991", 1, 33), ("akt/b.txt", "DL991", 1, 11)]

    # If the shared pass fails, each document is annotated on its own and only the one that fails is an error.
    def flaky(items):
        if len(items) > 1 or items[0][0].path == "akt/b.txt":
            raise MemoryError("för stor")
        return real(items)
    monkeypatch.setattr(grammar, "annotate_many", flaky)
    result = check_batch(engine, texts, folder="akt")
    assert [(f.path, f.rule) for f in result.findings] == [("akt/a.txt", "DL991")]
    assert [r.error for r in result.results] == [None, "akt/b.txt: kunde inte granskas (MemoryError: för stor)."]


def test_a_full_pipeline_runs_dependency_rules_on_its_own_sentences(tmp_path, grammar_model):
    (tmp_path / "pack.yaml").write_text(GRAMMAR_PACK, encoding="utf-8")
    engine = Engine(load_pack(tmp_path / "pack.yaml"), load_pipeline(str(grammar_model)))  # parses the whole text
    doc = engine.document("Lisa går till skolan. Mamman är slarvig.")
    assert doc.parsed == {0, 1} and doc.sentence_docs == {}
    findings = engine.check_document(doc).findings
    assert [(f.rule, f.text, f.column) for f in findings] == [("DL991", "slarvig", 33)]
    sentence, to_doclint = doc.sentence_doc(1)  # cut from the whole Doc once, when a rule first asks
    assert [t.text for t in sentence] == ["Mamman", "är", "slarvig", "."] and to_doclint == [5, 6, 7, 8]
    deps = [t.dep_ for t in sentence]
    assert "root" in deps and "ROOT" not in deps and list(doc.sentence_docs) == [1]  # written as UD writes it


def test_a_node_may_list_alternative_token_descriptions(tmp_path):
    from spacy.matcher import DependencyMatcher
    from spacy.tokens import Doc

    from doclint.checks.grammar import expand_alternatives
    from doclint.rules import RuleError

    # the subject is a person noun or a name: either description matches
    pattern = [{"RIGHT_ID": "adj", "RIGHT_ATTRS": {"LOWER": "slarvig"}},
               {"LEFT_ID": "adj", "REL_OP": ">", "RIGHT_ID": "subj",
                "RIGHT_ATTRS": [{"DEP": "nsubj", "LEMMA": "mamma"}, {"DEP": "nsubj", "POS": "PROPN"}]}]
    plain = expand_alternatives(pattern)
    assert [p[1]["RIGHT_ATTRS"] for p in plain] == pattern[1]["RIGHT_ATTRS"] and all(p[0] == pattern[0] for p in plain)
    vocab = spacy.blank("sv").vocab
    matcher = DependencyMatcher(vocab)
    matcher.add("DL991", plain)
    words = "Mamman är slarvig . Lisa är slarvig . Bilen är slarvig .".split()
    doc = Doc(vocab, words=words, lemmas=["mamma", "vara", "slarvig", ".", "Lisa", "vara", "slarvig", ".",
                                          "bil", "vara", "slarvig", "."],
              pos=["NOUN", "AUX", "ADJ", "PUNCT", "PROPN", "AUX", "ADJ", "PUNCT", "NOUN", "AUX", "ADJ", "PUNCT"],
              heads=[2, 2, 2, 2, 6, 6, 6, 6, 10, 10, 10, 10],
              deps=["nsubj", "cop", "ROOT", "punct"] * 3)
    assert sorted(ids[1] for _, ids in matcher(doc)) == [0, 4]  # Mamman and Lisa, not Bilen
    # every alternative is checked against `needs`
    pack = tmp_path / "pack.yaml"
    pack.write_text(GRAMMAR_PACK.replace("RIGHT_ATTRS: {DEP: nsubj}",
                                         "RIGHT_ATTRS: [{DEP: nsubj}, {DEP: nsubj, MORPH: {IS_SUPERSET: [Definite=Def]}}]"),
                    encoding="utf-8")
    with pytest.raises(RuleError, match="needs: \\[morph\\]"):
        load_pack(pack)


def test_a_node_may_list_alternative_relations():
    from spacy.matcher import DependencyMatcher
    from spacy.tokens import Doc

    from doclint.checks.grammar import expand_alternatives

    # the person is a sibling of the hedge word on either side: "Pappan har troligen druckit",
    # "Troligen har pappan druckit"
    pattern = [{"RIGHT_ID": "hedge", "RIGHT_ATTRS": {"LOWER": "troligen"}},
               {"LEFT_ID": "hedge", "REL_OP": ["$--", "$++"], "RIGHT_ID": "person",
                "RIGHT_ATTRS": [{"DEP": "nsubj", "LEMMA": "pappa"}, {"DEP": "nsubj", "POS": "PROPN"}]}]
    plain = expand_alternatives(pattern)
    assert [(p[1]["REL_OP"], p[1]["RIGHT_ATTRS"]["DEP"]) for p in plain] == [("$--", "nsubj"), ("$++", "nsubj")] * 2
    vocab = spacy.blank("sv").vocab
    matcher = DependencyMatcher(vocab)
    matcher.add("DL992", plain)
    words = "Pappan har troligen druckit . Troligen har pappan druckit . Troligen har bilen gått .".split()
    doc = Doc(vocab, words=words,
              lemmas=["pappa", "ha", "troligen", "dricka", ".", "troligen", "ha", "pappa", "dricka", ".",
                      "troligen", "ha", "bil", "gå", "."],
              pos=["NOUN", "AUX", "ADV", "VERB", "PUNCT"] * 3,
              heads=[3, 3, 3, 3, 3, 8, 8, 8, 8, 8, 13, 13, 13, 13, 13],
              deps=["nsubj", "aux", "advmod", "ROOT", "punct", "advmod", "aux", "nsubj", "ROOT", "punct",
                    "advmod", "aux", "nsubj", "ROOT", "punct"])
    assert sorted(ids[1] for _, ids in matcher(doc)) == [0, 7]  # both fathers, not the car


def test_analyze_json_gives_pos_morph_head_and_relation(with_model):
    result = CliRunner().invoke(app, ["analyze", "-", "--format", "json"], input="Lisa går till skolan.")
    assert result.exit_code == 0, result.output
    import json

    tokens = json.loads(result.stdout)["tokens"]
    assert [(t["text"], t["pos"], t["head"], t["dep"]) for t in tokens] == [
        ("Lisa", "PROPN", 1, "nsubj"), ("går", "VERB", 1, "root"), ("till", "ADP", 3, "case"),
        ("skolan", "NOUN", 1, "obl"), (".", "PUNCT", 1, "punct")]
    assert "VerbForm=Fin" in tokens[1]["morph"]
    text = CliRunner().invoke(app, ["analyze", "-"], input="Lisa går till skolan.")
    assert "PROPN" in text.stdout and "nsubj" in text.stdout and "VerbForm=Fin" in text.stdout


def test_missing_model_is_told_once_and_falls_back_to_blank(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCLINT_MODEL", str(tmp_path / "finns-inte"))
    load_pipeline.cache_clear()
    import doclint.cli

    monkeypatch.setattr(doclint.cli, "_MISSING_TOLD", set())
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Mamman är slarvig.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.stderr.count("den tränade svenska modellen (sv_doclint) är inte installerad") == 1
    assert "Traceback" not in result.output and result.exit_code == 1  # the string rules still run
    assert "DL201" in result.stdout
    blank = CliRunner().invoke(app, ["check", str(tmp_path / "a.txt"), "--pipeline", "blank"])
    assert "inte installerad" not in blank.stderr and blank.exit_code == 1
    load_pipeline.cache_clear()


def test_a_broken_model_is_one_line_per_file_not_a_traceback(tmp_path, monkeypatch):
    broken = tmp_path / "trasig"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp]\nlang = \"sv\"\npipeline = [\"parser\"]\n", encoding="utf-8")
    monkeypatch.setenv("DOCLINT_MODEL", str(broken))
    load_pipeline.cache_clear()
    note = tmp_path / "n.txt"
    note.write_text("Mamman är slarvig.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(note)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "den tränade svenska modellen" in result.stderr.lower() and "--pipeline blank" in result.stderr
    load_pipeline.cache_clear()


def test_doclint_names_the_model_version_it_ships_and_that_version_is_installed():
    from pathlib import Path

    from doclint.nlp import MODEL_VERSION, installed_model_version

    pyproject = (Path(__file__).resolve().parents[1] / "models" / "sv-doclint" / "pyproject.toml").read_text()
    assert f'version = "{MODEL_VERSION}"' in pyproject
    if installed_model_version() is not None:  # an old build from pip's cache would be tested otherwise
        assert installed_model_version() == MODEL_VERSION


def test_an_installed_model_of_another_version_is_told_once(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCLINT_MODEL", raising=False)
    monkeypatch.setattr("doclint.nlp.installed_model_version", lambda: "0.0.1")
    monkeypatch.setattr("doclint.nlp.grammar_source", lambda: "sv_doclint")
    monkeypatch.setattr("doclint.cli._MISSING_TOLD", set())
    load_pipeline.cache_clear()
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Lisa går till skolan.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.stderr.count("sv-doclint 0.0.1") == 1 and "--no-cache-dir" in result.stderr
    assert result.exit_code == 0
    load_pipeline.cache_clear()


def test_a_runaway_regex_in_a_dependency_pattern_is_stopped(tmp_path, grammar_model):
    from doclint.engine import EngineError

    pack = GRAMMAR_PACK.split("    patterns:")[0] + """\
    patterns:
      - - {RIGHT_ID: word, RIGHT_ATTRS: {LOWER: {REGEX: "(\\\\w|\\\\w)*\\\\d"}}}
    message: "Test: {match}."
    why: "Test av tidsgräns."
    source: "Test"
    examples: {fail: ["Mamman har 12 katter."], pass: ["Lisa går till skolan."]}
"""
    (tmp_path / "pack.yaml").write_text(pack, encoding="utf-8")
    engine = Engine(load_pack(tmp_path / "pack.yaml"), load_pipeline(str(grammar_model)))  # parses every sentence
    assert [f.text for f in engine.check_text("Mamman har 12 katter.")] == ["12"]
    with pytest.raises(EngineError, match="tar för lång tid"):
        engine.check_text("Mamman skrev " + "x" * 40 + " i ett sms.")


def test_a_grammar_pattern_rule_looks_only_at_sentences_with_its_trigger(tmp_path, grammar_model):
    verbs = """\
  - id: DL992
    name: verb-test
    family: verbosity
    severity: info
    type: pattern
    needs: [pos]
    trigger: [fattades]
    patterns: [[{POS: VERB}]]
    message: "Verb: {match}."
    why: "Test."
    source: "Test"
    examples: {fail: ["Beslutet fattades."], pass: ["Mamman är slarvig."]}
"""
    (tmp_path / "pack.yaml").write_text(GRAMMAR_PACK + verbs, encoding="utf-8")
    engine = Engine(load_pack(tmp_path / "pack.yaml"), load_pipeline("default"))
    # the second sentence is tagged for DL991 (slarvig); its verb is no concern of DL992, whose word is not there
    findings = engine.check_text("Beslutet fattades. Lisa går till skolan och mamman är slarvig.")
    assert [(f.rule, f.text) for f in findings] == [("DL992", "fattades"), ("DL991", "slarvig")]
