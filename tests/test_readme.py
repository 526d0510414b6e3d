"""The README's examples stay true: its rule pack works and its commands name real files."""

import re
from pathlib import Path

from typer.testing import CliRunner

from doclint.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_rule_pack_example_passes_its_own_examples(tmp_path):
    block = README[README.index("```yaml\nrules:") + len("```yaml\n"):]
    (tmp_path / "pack.yaml").write_text(block[:block.index("```")], encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "--test", str(tmp_path / "pack.yaml")])
    assert result.exit_code == 0 and "3 passed, 0 failed" in result.stdout


def test_readme_config_example_is_valid(tmp_path):
    block = README[README.index("```yaml\nignore:") + len("```yaml\n"):]
    (tmp_path / ".doclint.yaml").write_text(block[:block.index("```")], encoding="utf-8")
    (tmp_path / "regler").mkdir()
    note = tmp_path / "n.txt"
    note.write_text("Lisa berättar att hon trivs i skolan.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(note)])
    assert result.exit_code == 0, result.stderr


def test_readme_commands_name_existing_files():
    for path in re.findall(r"corpora/[\w/.-]+\.md", README):
        assert (ROOT / path).is_file(), path


def test_ci_runs_the_readme_test_command_with_pinned_versions():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "pip install -c constraints.txt -e '.[test]' && python -m pytest -q"
    assert command in README and command in ci
    pins = (ROOT / "constraints.txt").read_text(encoding="utf-8").split()
    assert all("==" in pin for pin in pins if not pin.startswith("#"))
    assert any(pin.lower().startswith("pyyaml==") for pin in pins)
