"""existence and substitution: words and phrases from a list."""

from __future__ import annotations

from .base import Check
from .termset import TermSet


class ExistenceCheck(Check):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        opts = rule.options
        self.terms = TermSet(self.term_list(), opts.get("match", "lemma"))

    def term_list(self):
        return self.rule.options["terms"]

    def suggestions_for(self, term: str) -> list[str]:
        suggestion = self.rule.options.get("suggestion")
        return [suggestion] if suggestion else []

    def run(self, doc):
        for sentence in self.sentences(doc):
            matches = list(self.terms.find(doc, sentence.tokens.start, sentence.tokens.stop))
            if not matches or (self.unless_window is None and self.excused(doc, sentence)):
                continue
            for start, end, term in _longest(matches):
                if self.unless_window is not None and self.excused(doc, sentence, start, end):
                    continue
                found = self.finding(doc, start, end, suggestions=self.suggestions_for(term), term=term)
                if found:
                    yield found


class SubstitutionCheck(ExistenceCheck):
    def term_list(self):
        return list(self.rule.options["swap"])

    def suggestions_for(self, term: str) -> list[str]:
        return [s.strip() for s in self.rule.options["swap"][term].split("|")]


def _longest(matches):
    """Drop matches that lie inside a longer match (ej inside 'ej heller')."""
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    last_end = -1
    for m in matches:
        if m[0] >= last_end or m[1] > last_end:
            if m[0] < last_end:
                continue
            yield m
            last_end = m[1]
