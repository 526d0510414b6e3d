"""Hostile inputs: nothing lost, nothing hangs, nothing misread (issue 7)."""

import errno
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from doclint import safewrite
from doclint.cli import app

ROOT = Path(__file__).resolve().parents[1]
FORE = sorted((ROOT / "corpora" / "fore").glob("0*.md"))
runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    for src in FORE[:2]:
        shutil.copyfile(src, folder / src.name)
    return folder


def _contents(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- data loss -------------------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_report_and_baseline_never_write_through_a_link_into_a_note_found_in_a_folder(
        tmp_path, notes, monkeypatch, option, link):
    monkeypatch.chdir(tmp_path)
    before = _contents(notes)
    note = sorted(notes.iterdir())[0]
    target = tmp_path / "report.json"
    if link == "symlink":
        target.symlink_to(Path("notes") / note.name)
    else:
        os.link(note, target)
    result = run("check", "notes", "-f", "json", option, "report.json")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"doclint: report.json: är en länk till texten notes/{note.name} – välj ett annat filnamn för "
        f"{'rapporten' if option == '--output' else 'baslinjen'} (doclint skriver aldrig över texter).")
    assert _contents(notes) == before


def _full_disk(monkeypatch):
    """The disk fills up after the first bytes of a write."""
    calls = []

    def write(fd, data):
        if calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        calls.append(1)
        return os.write(fd, data[:100])

    monkeypatch.setattr(safewrite, "_os_write", write)


@pytest.mark.parametrize("fmt", ["html", "json", "text", "sarif"])
def test_a_full_disk_leaves_no_partial_report_and_no_note_text(tmp_path, notes, monkeypatch, fmt):
    out = tmp_path / "out"
    out.mkdir()
    old = out / "rapport.html"
    old.write_text("förra rapporten\n", encoding="utf-8")
    _full_disk(monkeypatch)
    result = run("check", notes, "-f", fmt, "--output", old)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"doclint: {old}: kan inte skriva rapporten (disken är full)."
    assert _contents(out) == {"rapport.html": "förra rapporten\n".encode()}  # old report intact, no temp file
    new = out / "ny.html"
    assert run("check", notes, "-f", fmt, "--output", new).exit_code == 2
    assert _contents(out) == {"rapport.html": "förra rapporten\n".encode()}


def test_a_full_disk_leaves_no_partial_baseline(tmp_path, notes, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    _full_disk(monkeypatch)
    monkeypatch.setattr(safewrite, "_CHUNK", 64)
    result = run("check", notes, "--write-baseline", out / "baslinje.json")
    assert result.exit_code == 2 and "kan inte skriva baslinjen (disken är full)" in result.stderr
    assert list(out.iterdir()) == []


def test_an_atomic_report_replaces_the_old_one_and_keeps_its_permissions(tmp_path, notes):
    target = tmp_path / "rapport.json"
    target.write_text("gammal\n", encoding="utf-8")
    target.chmod(0o640)
    assert run("check", notes, "-f", "json", "--output", target).exit_code == 1
    assert target.read_text(encoding="utf-8").startswith("{") and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "rapport.json"]
