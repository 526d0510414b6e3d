"""Word and phrase lists matched on lemmas, surface forms, prefixes or regexes.

Term syntax, one string per term:
  slarvig            the lemma or the word form (slarvig, slarvigt, slarviga)
  i syfte att        a phrase: each word on its lemma or word form, in order
  =skall             this exact word form only
  jätte*             any word starting with jätte
  re:\\d+ kap\\.      a regular expression over the sentence text (case-insensitive)
"""

from __future__ import annotations

import regex

from ..document import Document, Token
from ..nlp import ABBREVIATION_SET, lemmatize

REGEX_TIMEOUT = 0.5


class RuleTimeout(Exception):
    """A regular expression in a rule took too long (catastrophic backtracking)."""


class _Word:
    __slots__ = ("form", "lemma", "mode")

    def __init__(self, word: str, match: str):
        if word.startswith("=") and len(word) > 1:
            self.mode, self.form = "surface", word[1:].lower()
        elif word.endswith("*") and len(word) > 1:
            self.mode, self.form = "prefix", word[:-1].lower()
        else:
            self.mode, self.form = match, word.lower()
        self.lemma = lemmatize(self.form) if self.mode == "lemma" else self.form

    def matches(self, tok: Token) -> bool:
        if self.mode == "prefix":
            return tok.lower.startswith(self.form) and len(tok.lower) > len(self.form)
        if tok.lower == self.form:
            return True
        return self.mode == "lemma" and tok.lemma == self.lemma


class TermSet:
    """A compiled list of terms; `find` yields (start, end, term) as character offsets."""

    def __init__(self, terms, match: str = "lemma"):
        self.terms = list(terms)
        self.phrases: list[tuple[str, list[_Word]]] = []
        self.regexes: list[tuple[str, regex.Pattern]] = []
        self._by_key: dict[str, list[tuple[str, list[_Word]]]] = {}
        self._prefixed: list[tuple[str, list[_Word]]] = []
        for term in self.terms:
            if term.startswith("re:"):
                self.regexes.append((term, regex.compile(term[3:], regex.IGNORECASE)))
                continue
            words = [_Word(w, match) for w in _split_words(term)]
            if not words:
                continue
            self.phrases.append((term, words))
            head = words[0]
            if head.mode == "prefix":
                self._prefixed.append((term, words))
            else:
                for key in {head.form, head.lemma}:
                    self._by_key.setdefault(key, []).append((term, words))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def find(self, doc: Document, first: int = 0, last: int | None = None):
        """Matches among tokens first..last (a sentence, a section or the whole document)."""
        tokens = doc.tokens
        last = len(tokens) if last is None else last
        if self.phrases:
            by_key, prefixed = self._by_key, self._prefixed
            for i in range(first, last):
                tok = tokens[i]
                by_form = by_key.get(tok.lower)
                by_lemma = by_key.get(tok.lemma) if tok.lemma != tok.lower else None
                if not (by_form or by_lemma or prefixed):
                    continue  # the common case: this word starts no term
                candidates = (by_form or []) + (by_lemma or []) + prefixed
                seen: set[str] = set()
                for term, words in candidates:
                    if term in seen or not words[0].matches(tok):
                        continue
                    seen.add(term)
                    j = i
                    for w in words[1:]:
                        j += 1
                        if j >= last or not w.matches(tokens[j]):
                            break
                    else:
                        yield tok.start, tokens[j].end, term
        if self.regexes and last > first:
            start, end = tokens[first].start, tokens[last - 1].end
            for term, pattern in self.regexes:
                try:
                    for m in pattern.finditer(doc.text, start, end, timeout=REGEX_TIMEOUT):
                        if m.end() > m.start():
                            yield m.start(), m.end(), term
                except TimeoutError as exc:
                    raise RuleTimeout(term[3:]) from exc

    def any_in(self, doc: Document, first: int, last: int) -> bool:
        return next(self.find(doc, first, last), None) is not None


def _split_words(term: str) -> list[str]:
    """Split a phrase the way the tokenizer would split running text (good enough for lists)."""
    out = []
    for part in term.split():
        if part.startswith("=") or part.endswith("*") or len(part) < 2 or part.lower() in ABBREVIATION_SET:
            out.append(part)
            continue
        core = part.rstrip(",.:;!?")
        out.append(core)
        out.extend(part[len(core):])
    return [w for w in out if w]
