"""Privacy: no network at run time, input never modified, no copy of the note left behind."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from doclint.cli import app

MARKER = "Zyxelbrunn"  # a made-up name that must not turn up anywhere after a run
NOTE = f"# Journalanteckning\n\nMamman {MARKER} är slarvig. Hon kommer ej till mötena med BUP.\n"


def test_no_copy_of_the_note_is_left_behind(tmp_path):
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    note = work / "anteckning.txt"
    note.write_text(NOTE, encoding="utf-8")
    before = note.stat().st_mtime_ns
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    for args in (["check", str(note)], ["check", str(note), "-f", "json"], ["stats", str(note)],
                 ["analyze", str(note)]):
        subprocess.run([sys.executable, "-m", "doclint", *args], cwd=work, env=env, capture_output=True, check=False)
    assert note.read_text(encoding="utf-8") == NOTE and note.stat().st_mtime_ns == before
    left = [p for p in tmp_path.rglob("*") if p.is_file() and p != note]
    for path in left:
        assert MARKER.encode() not in path.read_bytes(), f"{path} holds note text"
    # The only files doclint writes on its own are the lemma store and the parsed built-in rule packs.
    assert all("doclint" in p.parts and (p.name.endswith(".sqlite") or
                                         (p.name.startswith("rules-") and p.name.endswith(".marshal")))
               for p in left), left


def test_checking_needs_no_network(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("doclint tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    note = tmp_path / "n.txt"
    note.write_text(NOTE, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(note), "-f", "json"])
    assert result.exit_code == 1 and "DL201" in result.stdout and "DL303" in result.stdout
    assert Path(note).read_text(encoding="utf-8") == NOTE
