"""Property tests: checking arbitrary text never raises, and every finding points into the text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_PIECES = st.one_of(
    st.sampled_from(list("abcdeåäöAÅÖ LVUHVBSoL.,!?:;\n\r\"”»«'-*#()0123456789§")),
    st.sampled_from(["slarvig ", "verkar ", "hela tiden ", "ej ", "# Mål\n", "---\ntyp: vårdplan\n---\n",
                     "bl.a. ", "J.T.H. ", "”Jag är stökig” ", "- punkt\n", "Sedan ", "\n\n", "HVB ", "Lisa säger "]),
)
SWEDISH = st.lists(_PIECES, max_size=120).map("".join)


def _check(engine, text):
    findings = engine.check_text(text, "x.md")
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start:f.end] == f.text
        assert (f.line, f.column) <= (f.end_line, f.end_column)
        assert f.message and "{" not in f.message.replace("{}", "")
    return findings


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_checking_arbitrary_unicode_never_raises(engine, text):
    _check(engine, text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SWEDISH)
def test_checking_swedish_like_text_never_raises(engine, text):
    _check(engine, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(SWEDISH, st.text(max_size=60)), min_size=1, max_size=4))
def test_a_taught_tokenizer_splits_exactly_as_spacy_does(texts):
    """Teaching the tokenizer each new chunk (Pipeline._teach_tokenizer) changes its speed, never its tokens."""
    from doclint.nlp import load_pipeline

    taught = load_pipeline.__wrapped__("blank")  # a pipeline of its own, taught by the calls below
    plain = load_pipeline.__wrapped__("blank")
    plain._seen = None  # never taught: spaCy splits as it always does
    for text in texts:
        got = [(t.text, t.whitespace_) for t in taught(text)]
        assert got == [(t.text, t.whitespace_) for t in plain(text)]
