"""End to end: pre-commit runs doclint's hook from this repository in a temporary git repository."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def sh(*args, cwd, env=None, check=True):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git saknas")
    return tmp_path_factory.mktemp("pre-commit-home")


def test_hook_blocks_a_failing_note_and_passes_a_good_one(tmp_path, precommit_home):
    env = {**os.environ, "PRE_COMMIT_HOME": str(precommit_home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    work = tmp_path / "akt"
    work.mkdir()
    sh("git", "init", "-q", cwd=work)
    (work / "bra.txt").write_text("Lisa berättar att hon trivs i skolan.\n", encoding="utf-8")
    (work / "dalig.txt").write_text("Mamman " + "och pappan " * 14 + "kom.\n", encoding="utf-8")
    sh("git", "add", ".", cwd=work)
    base = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "doclint", "--files"]
    good = sh(*base, "bra.txt", cwd=work, env=env, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = sh(*base, "dalig.txt", cwd=work, env=env, check=False)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "DL101" in bad.stdout


def test_hook_compares_a_changed_document_with_its_committed_case_folder(tmp_path, precommit_home):
    env = {**os.environ, "PRE_COMMIT_HOME": str(precommit_home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    work = tmp_path / "repo"
    case = work / "akt"
    case.mkdir(parents=True)
    sh("git", "init", "-q", cwd=work)
    background = ("Lisa bor med sin mamma och sin lillebror i en trea i Ekby. Hon går i årskurs fyra på "
                  "Ekbyskolan och har haft hög frånvaro sedan höstterminen, främst på måndagar och fredagar.")
    (case / "utredning.md").write_text(f"---\ntyp: utredning\ndatum: 2026-03-20\n---\n# Utredning\n\n{background}\n",
                                       encoding="utf-8")
    sh("git", "add", ".", cwd=work)
    sh("git", "commit", "-qm", "utredning", cwd=work, env=env)
    (case / "genomforandeplan.md").write_text(
        f"---\ntyp: genomförandeplan\ndatum: 2026-04-08\n---\n# Genomförandeplan\n\n## Bakgrund\n\n{background}\n",
        encoding="utf-8")
    sh("git", "add", ".", cwd=work)
    base = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "doclint", "--files"]
    result = sh(*base, "akt/genomforandeplan.md", cwd=work, env=env, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "akt/genomforandeplan.md:9:1" in result.stdout and "DL403" in result.stdout
    assert "utredningen 2026-03-20 (utredning.md)" in result.stdout
    # the committed document itself is not reported, only pointed at
    assert not any(line.startswith("akt/utredning.md:") for line in result.stdout.splitlines())
    assert "se även akt/utredning.md:7" in result.stdout
