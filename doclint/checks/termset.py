"""Word and phrase lists matched on lemmas, surface forms, prefixes or regexes.

Term syntax, one string per term:
  slarvig            the lemma or the word form (slarvig, slarvigt, slarviga)
  i syfte att        a phrase: each word on its lemma or word form, in order
  =skall             this exact word form only
  jätte*             any word starting with jätte
  re:\\d+ kap\\.      a regular expression over the sentence text (case-insensitive)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

import regex

from ..document import Document, Token
from ..nlp import ABBREVIATION_SET, lemmatize

REGEX_TIMEOUT = 0.5
_ANCHORS = regex.compile(r"\\[GAZz]|[$^]")
# Character classes ([^.!?], where ^ negates) and escapes (\^ …), the escapes kept for _ANCHORS to see.
_CLASS_OR_ESCAPE = regex.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]")


def _anchored(source: str) -> bool:
    """Does the expression anchor to the start or end of what is searched (^, $, \\A, \\G …)?"""
    return _ANCHORS.search(_CLASS_OR_ESCAPE.sub(lambda m: m.group() if m.group()[0] == "\\" else "", source)) is not None


# A sound expression runs in linear time, so long spans get proportionally more time; the limit
# still stops catastrophic backtracking, which grows much faster than the text.
REGEX_CHARS_PER_TIMEOUT = 50_000


def regex_timeout(length: int) -> float:
    return REGEX_TIMEOUT * max(1.0, length / REGEX_CHARS_PER_TIMEOUT)


_CASE_UNSAFE = regex.compile(r"\(\?[a-z]*-|\\[xup0-7]")


class _Lazy:
    """A term's regular expression, compiled the first time a document is searched with it
    (a one-note run compiles only what it uses; the patterns were checked when the pack loaded).

    An expression with no capital letter (so no \\W, \\S, \\A …), no inline case flag and no character
    given by its code or property is searched case-sensitively over the document's lower-case text:
    the same matches at the same offsets as a case-insensitive search of the text, in about two
    thirds of the time."""

    __slots__ = ("source", "_compiled", "_folded")

    def __init__(self, source: str):
        self.source = source
        self._compiled = None
        self._folded = source == source.lower() and not _CASE_UNSAFE.search(source)

    def finditer(self, doc: Document, start: int, end: int):
        if self._folded and (lower := doc.lower_text) is not None:
            return _compiled(self.source, False).finditer(lower, start, end, timeout=regex_timeout(end - start))
        if self._compiled is None:
            self._compiled = _compiled(self.source)
        return self._compiled.finditer(doc.text, start, end, timeout=regex_timeout(end - start))


@lru_cache(maxsize=None)
def _compiled(source: str, ignore_case: bool = True) -> regex.Pattern:
    """One compiled pattern per expression, however many rules list it (the rules that excuse
    reported speech share theirs)."""
    return regex.compile(source, regex.IGNORECASE if ignore_case else 0)


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
        self.anchored: list[tuple[str, regex.Pattern]] = []
        # (term, words, the keys its second word can be found under: None for one word or a prefix)
        self._by_key: dict[str, list[tuple[str, list[_Word], frozenset | None]]] = {}
        self._prefixed: list[tuple[str, list[_Word], frozenset | None]] = []
        for term in self.terms:
            if term.startswith("re:"):
                pattern = _Lazy(term[3:])
                # Anchors (\G, ^, $ …) mean "at the start or end of the sentence or range": such a
                # term is searched range by range; the others once over the whole text.
                (self.anchored if _anchored(term[3:]) else self.regexes).append((term, pattern))
                continue
            words = [_Word(w, match) for w in _split_words(term)]
            if not words:
                continue
            self.phrases.append((term, words))
            head = words[0]
            second = None if len(words) < 2 or words[1].mode == "prefix" else frozenset({words[1].form, words[1].lemma})
            if head.mode == "prefix":
                self._prefixed.append((term, words, second))
            else:
                for key in {head.form, head.lemma}:
                    self._by_key.setdefault(key, []).append((term, words, second))
        self._prefix_heads = tuple(dict.fromkeys(words[0].form for _, words, _ in self._prefixed))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def find(self, doc: Document, first: int = 0, last: int | None = None):
        """Matches among tokens first..last (a sentence, a section or the whole document).

        All matches in the document are found once (phrases through the document's word index,
        each regular expression in one pass over the text) and then picked per range: a rule that
        asks sentence by sentence does not scan every sentence again for every term."""
        tokens = doc.tokens
        last = len(tokens) if last is None else last
        if last <= first:
            return
        phrases, regexes = self._all_matches(doc)
        if phrases:
            lo = bisect_left(phrases, (first,))
            for i, j, start, end, term in phrases[lo:]:
                if i >= last:
                    break
                if j < last:
                    yield start, end, term
        if regexes or self.anchored:
            start, end = tokens[first].start, tokens[last - 1].end
            for term_start, term_end, term in regexes:
                if start <= term_start and term_end <= end:
                    yield term_start, term_end, term
            for term, pattern in self.anchored:
                try:
                    for m in pattern.finditer(doc, start, end):
                        if m.end() > m.start():
                            yield m.start(), m.end(), term
                except TimeoutError as exc:
                    raise RuleTimeout(term[3:]) from exc

    def _all_matches(self, doc: Document):
        cache = doc.match_cache
        key = id(self)
        found = cache.get(key)
        if found is None or found[0] is not self:
            found = (self, self._phrase_matches(doc) if self.phrases else [],
                     self._regex_matches(doc) if self.regexes else [])
            cache[key] = found
        return found[1], found[2]

    def _phrase_matches(self, doc: Document) -> list[tuple[int, int, int, int, str]]:
        """(first token, last token, start, end, term), sorted by first token, in list order per token."""
        tokens = doc.tokens
        n = len(tokens)
        index = doc.word_index
        starts = doc.positions(self._by_key.keys())
        if self._prefixed:  # the word forms that start with a head, found by bisection in the sorted forms
            forms = doc.memo("sorted_forms", lambda: sorted({t.lower for t in tokens}))
            for head in self._prefix_heads:
                k = bisect_left(forms, head)
                while k < len(forms) and forms[k].startswith(head):
                    starts.update(index[forms[k]])  # (and tokens with that lemma: the loop below skips them)
                    k += 1
        out = []
        by_key, prefixed = self._by_key, self._prefixed
        for i in sorted(starts):
            tok = tokens[i]
            by_form = by_key.get(tok.lower)
            by_lemma = by_key.get(tok.lemma) if tok.lemma != tok.lower else None
            candidates = (by_form or []) + (by_lemma or []) + prefixed
            nxt = tokens[i + 1] if i + 1 < n else None
            seen: set[str] = set()
            for term, words, second in candidates:
                if second is not None and (nxt is None or (nxt.lower not in second and nxt.lemma not in second)):
                    continue  # the second word is not next: a quick no before the word-by-word test
                if term in seen or not words[0].matches(tok):
                    continue
                seen.add(term)
                j = i
                for w in words[1:]:
                    j += 1
                    if j >= n or not w.matches(tokens[j]):
                        break
                else:
                    out.append((i, j, tok.start, tokens[j].end, term))
        return out

    def _regex_matches(self, doc: Document) -> list[tuple[int, int, str]]:
        """Each regular expression over the body text once (from the first token to the last)."""
        tokens = doc.tokens
        if not tokens:
            return []
        start, end = tokens[0].start, tokens[-1].end
        out = []
        cache = doc.match_cache
        for term, pattern in self.regexes:
            found = cache.get(("re", term))  # an expression several rules list is searched once
            if found is None:
                found = []
                try:
                    for m in pattern.finditer(doc, start, end):
                        if m.end() > m.start():
                            found.append((m.start(), m.end(), term))
                except TimeoutError as exc:
                    raise RuleTimeout(term[3:]) from exc
                cache[("re", term)] = found
            out.extend(found)
        return out

    def by_sentence(self, doc: Document) -> dict[int, list[tuple[int, int, str]]] | None:
        """All matches grouped by the sentence that holds them whole, as find() would give them
        sentence by sentence; None when a term is anchored (searched range by range)."""
        if self.anchored:
            return None
        key = ("by_sentence", id(self))
        cached = doc.match_cache.get(key)
        if cached is not None and cached[0] is self:
            return cached[1]
        phrases, regexes = self._all_matches(doc)
        tokens = doc.tokens
        grouped: dict[int, list[tuple[int, int, str]]] = {}
        for i, j, start, end, term in phrases:
            if tokens[i].sentence == tokens[j].sentence:
                grouped.setdefault(tokens[i].sentence, []).append((start, end, term))
        if regexes:
            sentences = doc.sentences
            starts = doc.token_starts
            for start, end, term in regexes:
                t = bisect_right(starts, start) - 1  # the token the match starts in (or after)
                if t < 0:
                    continue
                s = sentences[tokens[t].sentence] if tokens[t].sentence >= 0 else None
                # find() over a sentence keeps a match that starts at or after its first token
                # and ends at or before its last token's end
                if s is not None and s.start <= start and end <= s.end:
                    grouped.setdefault(s.i, []).append((start, end, term))
        doc.match_cache[key] = (self, grouped)
        return grouped

    def any_in(self, doc: Document, first: int, last: int) -> bool:
        return next(self.find(doc, first, last), None) is not None

    def in_sentence(self, doc: Document, sentence) -> bool:
        """any_in for a sentence, read from the matches grouped once per document."""
        grouped = self.by_sentence(doc)
        if grouped is None:
            return self.any_in(doc, sentence.tokens.start, sentence.tokens.stop)
        return sentence.i in grouped


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
