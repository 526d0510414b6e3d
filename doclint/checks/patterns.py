"""pattern: spaCy Matcher token patterns (LEMMA, LOWER, POS, MORPH, DEP …)."""

from __future__ import annotations

from spacy.matcher import Matcher

from .base import Check


class PatternCheck(Check):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        self.matcher = Matcher(pipeline.nlp.vocab, validate=True)
        self.matcher.add(rule.id, [_lower_lemmas(p) for p in rule.options["patterns"]], greedy="LONGEST")

    def run(self, doc):
        sdoc = doc.spacy_doc
        by_start = {t.start: t for t in doc.tokens}
        sentences = {s.i: s for s in self.sentences(doc)}
        for _, start, end in self.matcher(sdoc):
            span = sdoc[start:end]
            tok = by_start.get(span.start_char)
            if tok is None or tok.sentence not in sentences:
                continue
            sentence = sentences[tok.sentence]
            if span.end_char > sentence.end or self.excused(doc, sentence, span.start_char, span.end_char):
                continue
            suggestion = self.rule.options.get("suggestion")
            found = self.finding(doc, span.start_char, span.end_char, suggestions=[suggestion] if suggestion else [])
            if found:
                yield found


def _lower_lemmas(pattern):
    """Lemmas in doclint are lower case; let rule authors write them either way."""
    out = []
    for spec in pattern:
        spec = dict(spec)
        lemma = spec.get("LEMMA")
        if isinstance(lemma, str):
            spec["LEMMA"] = lemma.lower()
        elif isinstance(lemma, dict) and "IN" in lemma:
            spec["LEMMA"] = {**lemma, "IN": [w.lower() for w in lemma["IN"]]}
        out.append(spec)
    return out
