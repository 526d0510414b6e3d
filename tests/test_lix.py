"""LIX in doclint stats counts sentences as Björnsson did: . : ! ? end one, and so does the end of a line
that has no such mark (a heading, a list item) unless the next line goes on in lower case."""

import json

from typer.testing import CliRunner

from doclint.cli import app

TEXT = ("# Så går det till\n\n"
        "Vi träffar barnet. Sedan pratar vi med föräldrarna, bl.a. om skolan.\n\n"
        "Vi frågar om:\n\n"
        "- sömn\n"
        "- mat och skola.\n")


def test_lix_counts_sentences_as_bjornsson(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["stats", "--format", "json", str(path)])
    (stats,) = json.loads(result.stdout)["files"]
    # 22 words; 5 sentences (the heading, "barnet.", "skolan.", "om:", and the list that ends with
    # "skola."; "bl.a. om" goes on); 2 words longer than six letters (träffar, föräldrarna).
    assert stats["lix"] == round(22 / 5 + 100 * 2 / 22, 1) == 13.5
    # doclint's own sentence splitting for the rules is a separate matter and stays: headings ("Så går
    # det till", "Vi frågar om:") are no sentences there, and each list item is one.
    assert stats["sentences"] == 4 and stats["words"] == 15
