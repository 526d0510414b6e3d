"""Rule packs are validated when loaded; errors name file:line."""

import textwrap

import pytest

from doclint.rules import RuleError, load_pack

GOOD = """\
rules:
  - id: DL901
    name: test-rule
    family: judgement
    severity: warning
    type: existence
    terms: [slarvig]
    message: "Beskriv vad du såg i stället för {match}."
    why: "Ett test."
    source: "Testkälla"
    examples:
      fail: ["Hon är slarvig."]
      pass: ["Hon kom tio minuter sent."]
"""


def write(tmp_path, text, name="pack.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_valid_pack_loads(tmp_path):
    rules = load_pack(write(tmp_path, GOOD))
    assert [r.id for r in rules] == ["DL901"]
    assert rules[0].options == {"terms": ["slarvig"]}


@pytest.mark.parametrize("change, line, words", [
    (("severity: warning", "severity: loud"), 5, "severity"),
    (("family: judgement", "family: style"), 4, "family"),
    (("    terms: [slarvig]\n", "    terms: [slarvig]\n    colour: red\n"), 8, "okänt fält 'colour'"),
    (("    why: \"Ett test.\"\n", ""), 2, "'why' saknas"),
    (("terms: [slarvig]", "terms: ['re:(unclosed']"), 7, "reguljärt uttryck"),
    (("type: existence", "type: magic"), 6, "type"),
])
def test_invalid_rule_reports_file_and_line(tmp_path, change, line, words):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleError) as err:
        load_pack(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message
    assert "\n" not in message


def test_yaml_syntax_error_has_line(tmp_path):
    path = write(tmp_path, "rules:\n  - id: DL901\n    name: [unclosed\n")
    with pytest.raises(RuleError) as err:
        load_pack(path)
    assert str(err.value).startswith(f"{path}:")
    assert "ogiltig YAML" in str(err.value)


def test_empty_pack(tmp_path):
    with pytest.raises(RuleError, match="tom"):
        load_pack(write(tmp_path, ""))


def test_billion_laughs_pack_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdef", "bcdefg"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    lines.append("rules: [*g]")
    with pytest.raises(RuleError, match="alias upprepar"):
        load_pack(write(tmp_path, "\n".join(lines) + "\n"))


def test_deeply_nested_pack_is_refused(tmp_path):
    with pytest.raises(RuleError, match="för djupt nästlad"):
        load_pack(write(tmp_path, "[" * 5000 + "]" * 5000 + "\n"))


@pytest.mark.parametrize("placeholder", ["{match.__class__}", "{0}", "{match!r}", "{okänd}"])
def test_unknown_placeholder_in_message_is_refused(tmp_path, placeholder):
    path = write(tmp_path, GOOD.replace("i stället för {match}.", f"i stället för {placeholder}."))
    with pytest.raises(RuleError) as err:
        load_pack(path)
    assert str(err.value).startswith(f"{path}:8:") and "platshållare" in str(err.value)


@pytest.mark.parametrize("text", [
    "rules: [unclosed\n", "a: b: c\n", "a:\n\tb: 1\n", "a: *x\n", 'a: "\\q"\n', "- a\nb: 1\n",
    "a: [\n", "a: 'x\n", "@a: 1\n", "a: 1\n---\nb: 2\n", "{a: 1, b\n", "[" * 5000 + "]" * 5000 + "\n",
])
def test_yaml_errors_are_swedish(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as err:
        load_pack(path)
    message = str(err.value)
    assert message.startswith(f"{path}:")
    for english in ("expected", "found", "mapping", "nesting", "stream", "while", "token"):
        assert english not in message.split(": ", 1)[1], message
