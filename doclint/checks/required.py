"""required: elements a document must contain, or that every sentence in a section needs."""

from __future__ import annotations

from .base import Check, title_matches
from .termset import TermSet


class RequiredCheck(Check):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        self.scope = rule.options.get("scope", "document")
        self.elements = [(e["name"], TermSet(e["any"]), e.get("headings", [])) for e in rule.options["elements"]]

    def run(self, doc):
        if self.scope == "sentence":
            yield from self._sentences(doc)
            return
        if not doc.tokens or (self.unless and self.unless.any_in(doc, 0, len(doc.tokens))):
            return
        anchor = next((s for s in doc.sentences), None)
        for name, terms, headings in self.elements:
            if headings and any(title_matches(sec.title, headings) for sec in doc.sections):
                continue
            if terms.any_in(doc, 0, len(doc.tokens)):
                continue
            yield self.finding(doc, anchor.start, anchor.end, element=name, span=False)

    def _sentences(self, doc):
        for s in self.sentences(doc):
            if self.excused(doc, s):
                continue
            if not any(terms.in_sentence(doc, s) for _, terms, _ in self.elements):
                found = self.finding(doc, s.start, s.end, span=False)
                if found:
                    yield found
