"""Check-type behaviour that rule packs rely on, tested with small inline rules."""

import textwrap

import pytest

from doclint.engine import Engine
from doclint.rules import load_pack

HEAD = """\
rules:
  - id: DL990
    name: test-rule
    family: judgement
    severity: warning
    message: "m {match}"
    why: "w"
    source: "s"
    examples: {fail: ["x"], pass: ["y"]}
"""


def engine_for(tmp_path, pipeline, body: str) -> Engine:
    path = tmp_path / "pack.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(body), "    "), encoding="utf-8")
    return Engine(load_pack(path), pipeline)


def texts(findings):
    return [f.text for f in findings]


@pytest.mark.parametrize("window, far_fires", [("unless_window: 4", ["slarvig"]), ("", [])])
def test_unless_excuses_the_sentence_or_only_near_the_match(tmp_path, pipeline, window, far_fires):
    engine = engine_for(tmp_path, pipeline, f"""\
        type: existence
        terms: [slarvig]
        unless: [berättar]
        {window}
        """)
    assert texts(engine.check_text("Mamman berättar att hon är slarvig.")) == []
    far = "Mamman berättar om helgen hos mormor och morfar, och i skolan var hon slarvig."
    assert texts(engine.check_text(far)) == far_fires


def test_word_length_accepts_listed_words(tmp_path, pipeline):
    engine = engine_for(tmp_path, pipeline, """\
        type: metric
        metric: word_length
        levels: [{above: 20, severity: info}]
        unless: [socialförsäkringsbalken]
        """)
    text = "Enligt socialförsäkringsbalken gäller det. Vårdnadsöverflyttningsärendet tas upp. Se www.exempel.se/langsidaadress."
    assert texts(engine.check_text(text)) == ["Vårdnadsöverflyttningsärendet"]


def test_abbreviation_in_heading_is_not_its_first_use(tmp_path, pipeline):
    engine = engine_for(tmp_path, pipeline, """\
        type: conditional
        glossary: {HVB: hem för vård eller boende}
        """)
    good = "# Plan för Tove på HVB Granen\n\nTove bor på ett hem för vård eller boende (HVB) sedan maj.\n"
    assert texts(engine.check_text(good)) == []
    bad = "# Plan för Tove\n\nTove bor på HVB sedan maj.\n"
    assert texts(engine.check_text(bad)) == ["HVB"]


def test_quoted_and_mentioned_words_are_not_flagged(tmp_path, pipeline):
    engine = engine_for(tmp_path, pipeline, """\
        type: existence
        terms: [slarvig]
        """)
    text = "Mamman säger: ”Jag är slarvig.” Ordet slarvig bör undvikas. Skriv inte *slarvig*. Han är slarvig."
    findings = engine.check_text(text)
    assert [(f.text, f.column) for f in findings] == [("slarvig", text.rindex("slarvig") + 1)]


def test_supersedes_drops_covered_findings(tmp_path, pipeline):
    path = tmp_path / "pack.yaml"
    path.write_text(HEAD.replace("message:", "supersedes: [DL991]\n    type: existence\n    terms: [mamman är slarvig]\n    message:")
                    + HEAD.split("rules:\n", 1)[1].replace("DL990", "DL991").replace("test-rule", "test-word")
                    .replace("message:", "type: existence\n    terms: [slarvig]\n    message:"), encoding="utf-8")
    engine = Engine(load_pack(path), pipeline)
    findings = engine.check_text("Mamman är slarvig. Pappan är slarvig.")
    assert [(f.rule, f.text) for f in findings] == [("DL990", "Mamman är slarvig"), ("DL991", "slarvig")]


@pytest.mark.parametrize("native", [True, False])
def test_runaway_regex_inside_a_spacy_pattern_is_stopped(tmp_path, pipeline, monkeypatch, native):
    from doclint.checks import patterns
    from doclint.engine import EngineError

    if not native:  # as if a spaCy release kept its REGEX predicates elsewhere: the extension route
        monkeypatch.setattr(patterns, "_can_time_native", lambda: False)
    engine = engine_for(tmp_path, pipeline, """\
        type: pattern
        patterns: [[{LOWER: {REGEX: "(\\\\w|\\\\w)*\\\\d"}}]]
        """)
    assert texts(engine.check_text("Hon skrev 12 ord.")) == ["12"]
    with pytest.raises(EngineError, match="tar för lång tid"):
        engine.check_text("Hon skrev " + "x" * 40 + " i sms.")


def test_an_antipattern_excuses_only_the_match_inside_it(tmp_path, pipeline):
    engine = engine_for(tmp_path, pipeline, """\
        type: pattern
        patterns: [[{LOWER: {IN: [placeras, flyttas]}}]]
        antipatterns: [[{LOWER: {IN: [placeras, flyttas]}}, {LOWER: av}]]
        """)
    found = engine.check_text("Omar placeras av nämnden och Elin flyttas i dag.\n\nElin placeras.")
    assert [(f.text, f.line, f.column) for f in found] == [("flyttas", 1, 35), ("placeras", 3, 6)]


def test_an_antipattern_is_checked_like_a_pattern_when_the_pack_loads(tmp_path, pipeline):
    from doclint.rules import RuleError

    with pytest.raises(RuleError, match="okänt attribut"):
        engine_for(tmp_path, pipeline, """\
            type: pattern
            patterns: [[{LOWER: placeras}]]
            antipatterns: [[{LOWER: placeras}, {SPELLING: av}]]
            """)


def test_nominal_style_covers_the_passive_inside_it(engine):
    findings = engine.check_text("Utredningen genomförs under hösten. Beslutet fattades i maj.")
    assert [(f.rule, f.text) for f in findings if f.rule in ("DL106", "DL107")] == \
        [("DL106", "Utredningen genomförs"), ("DL107", "fattades")]


def test_a_vague_goal_covers_the_passive_it_is_written_in(engine):
    """In a goal, DL504's advice (what the child does when the goal is reached) covers the passive;
    DL107's (name who acts) does not fit a goal. Outside the goals, the passive is still DL107's."""
    text = ("---\ntyp: vårdplan\n---\n# Vårdplan för Leo\n\n## Mål\n\nLeos behov tillgodoses.\n\n"
            "## Insatser\n\nLeos behov tillgodoses genom familjebehandling.\n")
    found = [(f.rule, f.line) for f in engine.check_text(text, "plan.md") if f.text == "tillgodoses"]
    assert found == [("DL504", 8), ("DL107", 12)]


@pytest.mark.parametrize("term, text, found", [
    # a lower-case expression is searched over the lower-case text: capitals still match, at the same place
    ("re:\\bvidta(r|git)? åtgärder\\b", "Nämnden VIDTAR ÅTGÄRDER. Vidta åtgärder!", ["VIDTAR ÅTGÄRDER", "Vidta åtgärder"]),
    # a letter that becomes two in lower case (İ) moves the offsets: the text itself is searched
    ("re:\\bvidtar åtgärder\\b", "İİ Nämnden Vidtar åtgärder.", ["Vidtar åtgärder"]),
    # an inline flag that turns case-insensitivity off is honoured
    ("re:(?-i:vidtar) åtgärder", "Vidtar åtgärder. Sedan vidtar åtgärder.", ["vidtar åtgärder"]),
    # a character given by its code keeps its case rule
    ("re:\\x56idtar", "Vidtar åtgärder.", ["Vidtar"]),
])
def test_regex_terms_ignore_case_over_any_text(tmp_path, pipeline, term, text, found):
    engine = engine_for(tmp_path, pipeline, f"""\
        type: existence
        terms: ['{term}']
        """)
    assert texts(engine.check_text(text)) == found


def test_overlapping_patterns_keep_the_longest_match_as_spacy_does(tmp_path, pipeline):
    engine = engine_for(tmp_path, pipeline, """\
        type: pattern
        patterns:
          - [{LOWER: mamman}, {LOWER: är}]
          - [{LOWER: är}, {LOWER: mycket}, {LOWER: slarvig}]
          - [{LOWER: slarvig}, {LOWER: och}]
        """)
    # the three-word match wins; the two-word matches overlapping it are dropped, as with greedy="LONGEST"
    assert texts(engine.check_text("Mamman är mycket slarvig och glad.")) == ["är mycket slarvig"]
    assert texts(engine.check_text("Mamman är glad. Hon är slarvig och trött.")) == ["Mamman är", "slarvig och"]


@pytest.mark.parametrize("source, anchored", [
    (r"^Mål\b", True), (r"\bslut$", True), (r"\G\W*x", True), (r"(?m)^#", True), (r"x(?:\s|$)", True),
    (r"\^x", True),  # an escaped ^ is taken as an anchor: searched sentence by sentence, which is always right
    (r"\bgör\w*(?=[^.!?\n]*?ning)", False),  # ^ that negates a character class anchors nothing
    (r"[\]^]x", False), (r"[^\W\d]{3}", False),
])
def test_anchored_expressions_are_searched_range_by_range(source, anchored):
    from doclint.checks.termset import _anchored

    assert _anchored(source) is anchored
