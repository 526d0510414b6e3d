"""pattern: spaCy Matcher token patterns (LEMMA, LOWER, POS, MORPH, DEP …)."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from functools import lru_cache

import regex
from spacy.attrs import IDX
from spacy.matcher import Matcher
from spacy.tokens import Token

from .base import Check
from .grammar import needs_grammar, rule_triggers
from .termset import REGEX_TIMEOUT, RuleTimeout, TermSet

# Token attributes a pattern's REGEX can look at, and how to read them from a spaCy token.
_TEXT_OF = {"TEXT": "text", "ORTH": "text", "LOWER": "lower_", "NORM": "norm_", "LEMMA": "lemma_"}


class PatternCheck(Check):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        lowered = [_lower_lemmas(p) for p in rule.options["patterns"]]
        # Words a sentence must contain for a pattern to match there (one required token of each
        # pattern). With such words for every pattern, each pattern has a Matcher of its own and runs
        # only in the sentences that hold its words: a costly token test (a REGEX) is tried in few
        # sentences. Otherwise one Matcher runs over the whole text (or every tagged sentence).
        gates = [_gate(p) for p in lowered]
        self.gates = gates if gates and all(gates) else None
        self.own = [_matcher(pipeline.nlp.vocab, rule.id, [p]) for p in lowered] if self.gates else None
        self.matcher = None if self.gates else _matcher(pipeline.nlp.vocab, rule.id, lowered, greedy="LONGEST")
        # `terms` (for example a municipality's own words from `words:` in the configuration) are
        # matched alongside the patterns, on lemma and word form like an existence rule's list.
        self.terms = TermSet(rule.options.get("terms", []))
        self.grammar = needs_grammar(rule)
        # A grammar rule looks only at the tagged sentences that hold one of its trigger words (as a
        # dependency rule does): a sentence tagged for another rule is no concern of this one.
        found = rule_triggers(rule) if self.grammar else None
        self.triggers = TermSet(dict.fromkeys(found)) if found else None
        # Antipatterns (as in LanguageTool): a match lying inside a match of one of these is no finding
        # ("påverkas av hans drickande": the av-phrase right after the passive names who acts).
        self.anti = None
        if rule.options.get("antipatterns"):
            self.anti = _matcher(pipeline.nlp.vocab, rule.id + "-anti",
                                 [_lower_lemmas(p) for p in rule.options["antipatterns"]])

    def run(self, doc):
        found = list(self._pattern_findings(doc))
        yield from found
        if self.terms:
            taken = [(f.start, f.end) for f in found]
            suggestion = self.rule.options.get("suggestion")
            for sentence in self.sentences(doc):
                for start, end, _term in self.terms.find(doc, sentence.tokens.start, sentence.tokens.stop):
                    if (any(s < end and start < e for s, e in taken) or self.excused(doc, sentence, start, end)
                            or self.inside_antipattern(doc, sentence, start, end)):
                        continue
                    extra = self.finding(doc, start, end, suggestions=[suggestion] if suggestion else [])
                    if extra:
                        taken.append((start, end))
                        yield extra

    def _matches(self, doc, sentences):
        """(start, end) spaCy token spans of the matches: the whole document, or only the
        sentences that hold one of the gate words (most sentences hold none)."""
        sdoc = doc.spacy_doc
        if self.gates is None and not self.grammar:
            yield from ((start, end) for _, start, end in self.matcher(sdoc))
            return
        starts = doc.memo("spacy_starts", lambda: sdoc.to_array([IDX]).ravel().tolist())

        def span(i):  # sentence i as a Span, and its first token's index
            a = bisect_left(starts, sentences[i].start)
            return sdoc[a:bisect_left(starts, sentences[i].end)], a

        if self.gates is None:  # a grammar rule without gates: the tagged sentences with a trigger word
            for i in sorted(doc.parsed & sentences.keys()):
                s = sentences[i]
                if self.triggers is not None and not self.triggers.in_sentence(doc, s):
                    continue
                part, a = span(i)
                for _, start, end in self.matcher(part):
                    yield a + start, a + end
            return
        found: dict[int, set[tuple[int, int]]] = {}
        for where, matcher in zip(self._gated(doc), self.own):
            if self.grammar:
                where &= doc.parsed
            for i in sorted(where & sentences.keys()):
                part, a = span(i)
                found.setdefault(i, set()).update((a + start, a + end) for _, start, end in matcher(part))
        for i in sorted(found):
            yield from _longest(found[i])

    def _gated(self, doc):
        """For each pattern, the sentences that hold a word of every one of its required lists."""
        tokens = doc.tokens
        present = doc.word_index.keys()
        for required in self.gates:
            where: set[int] = set()
            if not any(present.isdisjoint(words) for words in required):  # all its words are in the document
                for n, words in enumerate(required):
                    here = {tokens[i].sentence for i in doc.positions(words)}
                    where = here if n == 0 else where & here
                    if not where:
                        break
            yield where

    def _pattern_findings(self, doc):
        sdoc = doc.spacy_doc
        if self.grammar and not doc.parsed:
            return  # no sentence here holds a word the rule is triggered by
        tokens, starts = doc.tokens, doc.token_starts
        sentences = {s.i: s for s in self.sentences(doc)}
        for start, end in self._matches(doc, sentences):
            span = sdoc[start:end]
            i = bisect_left(starts, span.start_char)
            tok = tokens[i] if i < len(starts) and starts[i] == span.start_char else None
            if tok is None or tok.sentence not in sentences or (self.grammar and tok.sentence not in doc.parsed):
                continue
            sentence = sentences[tok.sentence]
            if (span.end_char > sentence.end or self.excused(doc, sentence, span.start_char, span.end_char)
                    or self.inside_antipattern(doc, sentence, span.start_char, span.end_char)):
                continue
            suggestion = self.rule.options.get("suggestion")
            found = self.finding(doc, span.start_char, span.end_char, suggestions=[suggestion] if suggestion else [])
            if found:
                yield found

    def inside_antipattern(self, doc, sentence, start: int, end: int) -> bool:
        """Does the span (character offsets) lie inside a match of one of the rule's antipatterns?"""
        if self.anti is None or doc.spacy_doc is None:
            return False
        key = (self.rule.id, "anti", sentence.i)
        spans = doc.match_cache.get(key)
        if spans is None:
            sdoc = doc.spacy_doc
            part = sdoc.char_span(sentence.start, sentence.end, alignment_mode="expand")
            spans = doc.match_cache[key] = [] if part is None else [
                (part[a:b].start_char, part[a:b].end_char) for _, a, b in self.anti(part)]
        return any(a <= start and end <= b for a, b in spans)


def _longest(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The matches spaCy keeps with greedy="LONGEST": longest first (the earlier of two as long), each
    one only if no token of it is in a match already kept."""
    kept: list[tuple[int, int]] = []
    taken: set[int] = set()
    for start, end in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return kept


def _gate(pattern) -> list[frozenset]:
    """For each token the pattern requires that is a plain word list (LOWER, LEMMA, ORTH, TEXT):
    the words (lower-case forms or lemmas) of which a match must contain one."""
    required = []
    for spec in pattern:
        if spec.get("OP", "1") not in ("1", "+"):
            continue
        for key in ("LOWER", "LEMMA", "ORTH", "TEXT"):
            value = spec.get(key)
            if isinstance(value, str):
                required.append(frozenset([value.lower()]))
            elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
                required.append(frozenset(v.lower() for v in value["IN"]))
    return required


def _for_spacy(patterns) -> list[list[dict]]:
    """Rule patterns (lemmas already lower-cased) as spaCy takes them."""
    return [[_regex_fallbacks(spec) for spec in p] for p in patterns]


def _matcher(vocab, key: str, patterns, **options) -> Matcher:
    """A Matcher whose REGEX predicates search with `regex` and a time limit (see _TimedSearch)."""
    matcher = Matcher(vocab, validate=True)
    matcher.add(key, _for_spacy(patterns), **options)
    time_regexes(matcher)
    return matcher


def time_regexes(matcher) -> None:
    """Put _TimedSearch in place of the `re` pattern of every REGEX predicate of a (Dependency)Matcher."""
    inner = getattr(matcher, "_matcher", matcher)  # a DependencyMatcher matches tokens with a Matcher
    for predicate in inner._extra_predicates:
        if type(predicate).__name__ == "_RegexPredicate" and isinstance(predicate.value, re.Pattern):
            predicate.value = _TimedSearch(regex.compile(predicate.value.pattern))


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


def _regex_fallbacks(spec: dict) -> dict:
    """REGEX predicates stay with spaCy, which asks them only where a match could go on (see _matcher).
    A bare REGEX means TEXT. An expression Python's `re` cannot compile (\\p{L} …) is checked through an
    extension attribute instead, which spaCy computes for every token."""
    spec = dict(spec)
    for key, value in list(spec.items()):
        pattern = value if key == "REGEX" else (value.get("REGEX") if isinstance(value, dict) else None)
        if not isinstance(pattern, str):
            continue
        attribute = "TEXT" if key == "REGEX" else key
        if attribute not in _TEXT_OF:
            continue
        if key == "REGEX" and "TEXT" not in spec and _re_compiles(pattern):
            del spec[key]
            spec["TEXT"] = {"REGEX": pattern}
            continue
        if key != "REGEX" and _re_compiles(pattern):
            continue
        name = "doclint_rx_" + hashlib.sha1(f"{attribute}\0{pattern}".encode()).hexdigest()[:16]
        if not Token.has_extension(name):
            Token.set_extension(name, getter=_regex_getter(regex.compile(pattern), _TEXT_OF[attribute]))
        rest = {k: v for k, v in value.items() if k != "REGEX"} if key != "REGEX" else {}
        if rest:  # other predicates on the same attribute (NOT_IN, IN …) stay with spaCy
            spec[key] = rest
        else:
            del spec[key]
        spec.setdefault("_", {})[name] = True
    return spec


def _re_compiles(pattern: str) -> bool:
    """Can the predicate stay with spaCy? Its `re` must compile the expression, and time_regexes must be
    able to replace it (it reaches into the Matcher; were that to change, every REGEX takes the
    extension route, which is slower but still stopped when it runs away)."""
    try:
        re.compile(pattern)
    except re.error:
        return False
    return _can_time_native()


@lru_cache(maxsize=1)
def _can_time_native() -> bool:
    """Does spaCy's Matcher keep its REGEX predicates where time_regexes finds and replaces them?"""
    from spacy.vocab import Vocab  # noqa: PLC0415

    probe = Matcher(Vocab())
    probe.add("probe", [[{"LOWER": {"REGEX": "^a"}}]])
    found = [p for p in getattr(probe, "_extra_predicates", ()) if type(p).__name__ == "_RegexPredicate"]
    return len(found) == 1 and isinstance(getattr(found[0], "value", None), re.Pattern)


# A REGEX in a pattern describes a word; a longer "word" (a run of letters with no space, say a broken
# export) is no word any rule is about, and running a regex over megabytes of it only costs time.
MAX_REGEX_TOKEN = 200


class _TimedSearch:
    """Takes the place of the `re` pattern inside spaCy's REGEX predicate: the same expression searched
    with `regex` and a time limit, so a runaway expression in a user's pattern gives a clear error
    instead of hanging the run (`re` cannot be stopped)."""

    __slots__ = ("compiled",)

    def __init__(self, compiled):
        self.compiled = compiled

    def search(self, text: str):
        if len(text) > MAX_REGEX_TOKEN:
            return None
        try:
            return self.compiled.search(text, timeout=REGEX_TIMEOUT)
        except TimeoutError as exc:
            raise RuleTimeout(self.compiled.pattern) from exc


def _regex_getter(compiled, text_attribute: str):
    def matches(token) -> bool:
        text = getattr(token, text_attribute)
        if len(text) > MAX_REGEX_TOKEN:
            return False
        try:
            return compiled.search(text, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError as exc:
            raise RuleTimeout(compiled.pattern) from exc
    return matches
