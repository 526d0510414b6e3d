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

    def suggestions_at(self, doc, start: int, end: int, term: str) -> list[str]:
        return self.suggestions_for(term)

    def other_sense(self, doc, sentence, term: str) -> bool:
        return False

    def run(self, doc):
        grouped = self.terms.by_sentence(doc)
        if grouped is None:  # an anchored term: searched sentence by sentence
            sentences = self.sentences(doc)
        else:  # only the sentences with a match (most have none)
            wanted = self.sentence_set(doc)
            sentences = [doc.sentences[i] for i in sorted(grouped) if i in wanted]
        for sentence in sentences:
            if grouped is not None:
                matches = list(grouped[sentence.i])
            else:
                matches = list(self.terms.find(doc, sentence.tokens.start, sentence.tokens.stop))
            if not matches or (self.unless_window is None and self.excused(doc, sentence)):
                continue
            for start, end, term in _longest(matches):
                if self.unless_window is not None and self.excused(doc, sentence, start, end):
                    continue
                if self.other_sense(doc, sentence, term):
                    continue
                found = self.finding(doc, start, end, suggestions=self.suggestions_at(doc, start, end, term),
                                     term=term)
                if found:
                    yield found


MAX_SUGGESTIONS = 3  # a longer list is hard to read in a message


class SubstitutionCheck(ExistenceCheck):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        # `not_with: {upprätta*: [kontakt]}`: with one of these words in the sentence the term means
        # something else ("Kontakt med BUP ska upprättas"), so the replacement would change the meaning.
        self.not_with = {term: TermSet(words) for term, words in rule.options.get("not_with", {}).items()}

    def term_list(self):
        return list(self.rule.options["swap"])

    def suggestions_for(self, term: str) -> list[str]:
        return [s.strip() for s in self.rule.options["swap"][term].split("|")][:MAX_SUGGESTIONS]

    def other_sense(self, doc, sentence, term: str) -> bool:
        words = self.not_with.get(term)
        return bool(words) and words.in_sentence(doc, sentence)

    def suggestions_at(self, doc, start: int, end: int, term: str) -> list[str]:
        """The suggestions in the form of the replaced word (erforderligt -> nödvändigt)."""
        suggestions = self.suggestions_for(term)
        form = doc.text[start:end]
        if term.startswith("re:") or not form.isalpha():
            return suggestions
        from bisect import bisect_left  # noqa: PLC0415

        i = bisect_left(doc.token_starts, start)
        token = doc.tokens[i] if i < len(doc.tokens) else None
        if token is None or token.start != start or token.end != end:
            return suggestions
        from .inflect import agree  # noqa: PLC0415

        return list(dict.fromkeys(agree(s, token.lower, token.lemma) for s in suggestions))


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
