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


# -- wrong results -----------------------------------------------------------------------------------

_MOJIBAKE = ("Ã¥", "Ã¤", "Ã¶", "Ã…", "Ã„", "Ã–", "Ã©", "â€", "Â»", "Â«", "Ã\u00a0")


def mojibake(text: str) -> list[str]:
    """UTF-8 read as Windows-1252 or Latin-1: å, ä, ö and ” turn into two or three odd letters."""
    return [m for m in _MOJIBAKE if m in text]


def test_the_mojibake_detector_sees_utf8_read_as_cp1252():
    good = "Mamman säger: ”Åsa mår bättre nu” och barnet går i förskolan."
    assert mojibake(good) == []
    assert mojibake(good.encode("utf-8").decode("cp1252", errors="replace")) != []
    assert mojibake(good.encode("utf-8").decode("latin-1")) != []


@pytest.mark.parametrize("where", ["end", "middle", "start"])
def test_utf8_with_a_few_broken_bytes_is_not_read_as_cp1252(tmp_path, where):
    lines = ["Mamman berättar att hon är orolig för Åsa.", "Hon säger: ”skolan ringde i går”.",
             "Pappan mår bättre och vill träffa handläggaren."] * 20
    data = "\n".join(lines).encode("utf-8") + b"\n"
    cut = {"end": len(data) - 1, "middle": data.index(b"\n", len(data) // 2) + 1, "start": 0}[where]
    broken = data[:cut] + b"\xe4\xff" + data[cut:]  # a latin-1 ä and a byte UTF-8 never has
    path = tmp_path / "anteckning.txt"
    path.write_bytes(broken)
    result = run("check", path, "-f", "json")
    line = broken[:cut].count(b"\n") + 1
    assert result.exit_code == 2
    assert f"teckenkodningen är trasig (ogiltig UTF-8 på rad {line})" in result.stdout + result.stderr
    assert mojibake(result.stdout) == []


def test_real_cp1252_notes_are_still_read_without_mojibake(tmp_path):
    text = "Mötet hölls på förvaltningen. Modern säger att ”det går bättre nu” och att resan kostade 250 €.\n"
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252") * 10)
    result = run("analyze", path, "-f", "json")
    assert result.exit_code == 0 and mojibake(result.stdout) == [] and "förvaltningen" in result.stdout


@pytest.mark.parametrize("tail", [b"\x80", b"\xe4\n", b"x\xff \xff", b"\xc3"])
def test_no_corpus_note_turns_into_mojibake_when_a_few_bytes_break(tail):
    from doclint.inputs import InputError, decode_bytes

    for path in sorted((ROOT / "corpora").rglob("*.md")):
        try:
            text = decode_bytes(path.read_bytes() + tail, path.name)
        except InputError as exc:
            assert "ogiltig UTF-8 på rad" in str(exc)
            continue
        assert mojibake(text) == [], path.name
