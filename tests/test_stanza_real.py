"""`--pipeline stanza` against the real stanza and spacy-stanza packages, without a Swedish model.

CI does not install the `stanza` extra (it pulls in torch), so these tests run only where
`pip install -e '.[stanza]'` has been done; elsewhere they are skipped. No Stanza model is ever
present in them: each points STANZA_RESOURCES_DIR at an empty or hand-made folder, and a proxy
that refuses every connection makes any download attempt fail instead of reaching the network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

spacy_stanza = pytest.importorskip("spacy_stanza")
stanza = pytest.importorskip("stanza")

MISSING = "Stanzas svenska modell saknas"


def _doclint(args: list[str], resources_dir, text: str = "Hon är slarvig.\n") -> subprocess.CompletedProcess:
    env = dict(os.environ, STANZA_RESOURCES_DIR=str(resources_dir), NO_COLOR="1",
               HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9", NO_PROXY="")
    env.pop("DOCLINT_DEBUG", None)
    code = "import sys; from doclint.cli import main; sys.argv = ['doclint'] + sys.argv[1:]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], input=text, capture_output=True, text=True,
                          env=env, timeout=120)


def test_real_missing_resources_is_a_file_not_found_error(tmp_path):
    """What stanza itself raises with download_method=None and no resources.json: doclint relies on it."""
    with pytest.raises(FileNotFoundError, match="resources.json"):
        spacy_stanza.load_pipeline("sv", dir=str(tmp_path), download_method=None,
                                   processors="tokenize,pos,lemma,depparse")
    assert list(tmp_path.iterdir()) == []  # nothing was downloaded or written


@pytest.mark.parametrize("command", ["check", "analyze"])
def test_real_missing_model_gives_one_line_and_exit_2(tmp_path, command):
    result = _doclint([command, "-", "--pipeline", "stanza"], tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("doclint: " + MISSING) and "stanza.download('sv')" in lines[0]
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_real_missing_model_raises_pipeline_error_in_process(monkeypatch, tmp_path):
    from doclint import nlp  # noqa: PLC0415

    # stanza reads STANZA_RESOURCES_DIR when it is imported, so point its default folder here instead.
    real = spacy_stanza.load_pipeline
    monkeypatch.setattr(spacy_stanza, "load_pipeline", lambda lang, **kw: real(lang, dir=str(tmp_path), **kw))
    nlp.load_pipeline.cache_clear()
    try:
        with pytest.raises(nlp.PipelineError, match=MISSING) as info:
            nlp.load_pipeline("stanza")
        assert isinstance(info.value.__cause__, FileNotFoundError)
    finally:
        nlp.load_pipeline.cache_clear()


def test_resources_without_swedish_counts_as_missing(tmp_path):
    (tmp_path / "resources.json").write_text("{}", encoding="utf-8")
    result = _doclint(["check", "-", "--pipeline", "stanza"], tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("doclint: " + MISSING)


def test_unreadable_model_is_not_reported_as_missing(tmp_path):
    """A model file that stanza finds but torch refuses to read gets its own message, not 'saknas'."""
    torch = pytest.importorskip("torch")
    numpy = pytest.importorskip("numpy")
    pre = [{"model": "pretrain", "package": "conll17"}]
    sv = {"lang_name": "Swedish",
          "packages": {"default": {"tokenize": "talbanken", "pos": "talbanken", "lemma": "talbanken",
                                   "depparse": "talbanken", "pretrain": "conll17"}},
          "default_processors": {"tokenize": "talbanken", "pos": "talbanken", "lemma": "talbanken",
                                 "depparse": "talbanken"},
          "tokenize": {"talbanken": {}}, "pos": {"talbanken": {"dependencies": pre}},
          "lemma": {"talbanken": {}}, "depparse": {"talbanken": {"dependencies": pre}},
          "pretrain": {"conll17": {}}, "default_dependencies": {}}
    (tmp_path / "resources.json").write_text(json.dumps({"sv": sv}), encoding="utf-8")
    (tmp_path / "sv" / "tokenize").mkdir(parents=True)
    # Not a real model: a checkpoint with a numpy array, like stanza's own files, that the loader rejects
    # (torch >= 2.6 refuses it by default) or cannot use (no 'vocab_size' in its config).
    torch.save({"config": {}, "model": {}, "vocab": {}, "emb": numpy.zeros((2, 2))},
               tmp_path / "sv" / "tokenize" / "talbanken.pt")
    result = _doclint(["check", "-", "--pipeline", "stanza"], tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("doclint: Stanza kunde inte läsa in den svenska modellen"), result.stderr
    assert MISSING not in result.stderr
