"""The sample cases: each före document shows the families it was written for; efter documents are clean."""

from pathlib import Path

import pytest
import yaml

from doclint.findings import SEVERITY_RANK
from doclint.inputs import read_document

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
FORE = sorted((CORPORA / "fore").glob("*.md"))
EFTER = sorted((CORPORA / "efter").glob("*.md"))
CASE = sorted((CORPORA / "akt-lisa").glob("*.md"))


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1]) if text.startswith("---") else {}


def check_folder(engine, paths):
    return engine.check_texts([(p.as_posix(), read_document(p)) for p in paths])


def test_there_are_twelve_pairs_and_a_case_folder():
    assert len(FORE) >= 12 and [p.name for p in FORE] == [p.name for p in EFTER]
    assert len(CASE) >= 3


@pytest.mark.parametrize("path", FORE + CASE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fore_documents_fire_the_families_they_show(engine, path):
    wanted = set(front_matter(path)["visar"])
    findings = check_folder(engine, CASE) if path in CASE else check_folder(engine, [path])
    fired = {f.family for f in findings if f.path == path.as_posix()}
    assert wanted <= fired, f"missing {sorted(wanted - fired)}"


@pytest.mark.parametrize("path", EFTER, ids=lambda p: p.name)
def test_efter_documents_have_no_warning_or_error(engine, path):
    findings = check_folder(engine, [path])
    serious = [f"{f.line}:{f.column} {f.rule} {f.text[:60]!r}" for f in findings
               if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]]
    assert serious == []


def test_whole_corpus_shows_all_six_families(engine):
    paths = FORE + EFTER + CASE
    families = {f.family for f in check_folder(engine, paths)}
    assert families == {"verbosity", "judgement", "jargon", "duplication", "goals", "voice"}


def test_before_after_reduces_findings(engine):
    for before, after in zip(FORE, EFTER):
        assert len(check_folder(engine, [after])) < len(check_folder(engine, [before])), before.name
