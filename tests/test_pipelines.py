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


def test_rule_needing_pos_is_skipped_by_default_and_runs_with_pipeline(tmp_path, saved_pipeline):
    (tmp_path / "pack.yaml").write_text(POS_PACK, encoding="utf-8")
    rules = load_pack(tmp_path / "pack.yaml")
    default = Engine(rules, load_pipeline("default"))
    assert [(r.id, missing) for r, missing in default.skipped] == [("DL990", ["pos"])]
    tiny = Engine(rules, load_pipeline(str(saved_pipeline)))
    assert tiny.skipped == []
    assert [f.text for f in tiny.check_text("Lisa går till skolan.")] == ["går"]


def test_cli_reports_skipped_rule_once(tmp_path, saved_pipeline):
    (tmp_path / "pack.yaml").write_text(POS_PACK, encoding="utf-8")
    note = tmp_path / "n.txt"
    note.write_text("Lisa går till skolan. Omar läser.\n", encoding="utf-8")
    runner = CliRunner()
    skipped = runner.invoke(app, ["check", str(note), "--rules", str(tmp_path / "pack.yaml"), "--select", "DL990"])
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
