"""Rules that read grammar: which sentences they need parsed, and DependencyMatcher rules.

The trained components are much slower than doclint's tokenizer, so they run only over
sentences where a rule that needs grammar can match. A rule says where with `trigger`
(terms, as in `terms:`), or the words are taken from its patterns: every pattern must name
a word (LEMMA, LOWER, ORTH or TEXT) on at least one token that is not optional. A rule that
gives neither needs every sentence parsed.
"""

from __future__ import annotations

from spacy.matcher import DependencyMatcher

from .base import Check
from .termset import TermSet

GRAMMAR = frozenset({"pos", "morph", "dep"})
_WORD_KEYS = ("LEMMA", "LOWER", "ORTH", "TEXT")


def needs_grammar(rule) -> bool:
    return bool(GRAMMAR & set(rule.needs))


def _words_of(spec: dict) -> list[str] | None:
    """The words a token spec requires (one of them must be there), or None."""
    if spec.get("OP") in ("?", "*", "!"):
        return None
    for key in _WORD_KEYS:
        value = spec.get(key)
        if isinstance(value, str):
            return [value if key == "LEMMA" else "=" + value]
        if isinstance(value, dict) and isinstance(value.get("IN"), list) and value["IN"]:
            return [str(v) if key == "LEMMA" else "=" + str(v) for v in value["IN"]]
    return None


def alternatives(node: dict) -> list[dict]:
    """The RIGHT_ATTRS a DependencyMatcher node allows: one token description, or a list of them."""
    attrs = node.get("RIGHT_ATTRS", {})
    return attrs if isinstance(attrs, list) else [attrs]


def expand_alternatives(pattern: list[dict]) -> list[list[dict]]:
    """A DependencyMatcher pattern whose nodes may list alternative RIGHT_ATTRS ("any of these token
    descriptions": a person noun, or a name) or alternative REL_OPs ("a sibling on either side":
    ["$--", "$++"]) as the plain patterns spaCy takes, one per combination."""
    expanded: list[list[dict]] = [[]]
    for node in pattern:
        ops = node["REL_OP"] if isinstance(node.get("REL_OP"), list) else [node.get("REL_OP")]
        expanded = [done + [{**node, "RIGHT_ATTRS": attrs, **({"REL_OP": op} if op is not None else {})}]
                    for done in expanded for attrs in alternatives(node) for op in ops]
    return expanded


def rule_triggers(rule) -> list[str] | None:
    """Terms of which one must be in a sentence for the rule to match there; None: any sentence."""
    if rule.trigger:
        return list(rule.trigger)
    if rule.type == "pattern":
        specs_of = [list(p) for p in rule.options["patterns"]]
    elif rule.type == "dependency":
        specs_of = [[node["RIGHT_ATTRS"] for node in p] for pattern in rule.options["patterns"]
                    for p in expand_alternatives(pattern)]
    else:
        return None
    terms: list[str] = list(rule.options.get("terms", []))
    for specs in specs_of:
        words = next((w for w in map(_words_of, specs) if w), None)
        if words is None:
            return None
        terms.extend(words)
    return terms


def _with_lemmas(spec: dict) -> dict:
    """A rule lists base forms; also accept the lemma doclint's lemmatizer gives each of them
    (it reads a few adjectives as other words: lat -> later, sur -> sura)."""
    from ..nlp import lemmatize  # noqa: PLC0415

    lemma = spec.get("LEMMA")
    if isinstance(lemma, dict):
        return {**spec, "LEMMA": {**lemma, **{key: list(dict.fromkeys(w for word in lemma[key]
                                                                      for w in (word, lemmatize(word))))
                                              for key in ("IN", "NOT_IN") if isinstance(lemma.get(key), list)}}}
    if isinstance(lemma, str):
        return {**spec, "LEMMA": {"IN": list(dict.fromkeys((lemma, lemmatize(lemma))))}}
    return spec


_VERB_ENDINGS = (("ation", "era"), ("ning", "a"), ("else", "a"), ("ande", "a"), ("ende", "a"), ("ing", "a"))


def verb_of(noun: str, known: dict[str, str]) -> str | None:
    """The verb an action noun is made from (utredning -> utreda, information -> informera), if
    Swedish has it: `known` overrides, else the ending replaced and the result found in simplemma's
    Swedish word list."""
    if noun in known:
        return known[noun]
    from ..nlp import _swedish_dictionary  # noqa: PLC0415

    for ending, replacement in _VERB_ENDINGS:
        if noun.endswith(ending) and len(noun) > len(ending) + 2:
            verb = noun[: -len(ending)] + replacement
            return verb if verb.encode() in _swedish_dictionary() else None
    return None


class DependencyCheck(Check):
    """spaCy DependencyMatcher patterns over the parsed sentences; `mark` names the nodes to underline."""

    def __init__(self, rule, pipeline):
        from .patterns import _lower_lemmas, _regex_fallbacks, time_regexes  # noqa: PLC0415  (patterns imports this module)

        super().__init__(rule, pipeline)
        self.matcher = DependencyMatcher(pipeline.nlp.vocab, validate=True)
        self.patterns = []
        for i, pattern in enumerate(rule.options["patterns"]):
            self.matcher.add(f"{rule.id}-{i}", [
                [{**node, "RIGHT_ATTRS": _regex_fallbacks(_with_lemmas(_lower_lemmas([node["RIGHT_ATTRS"]])[0]))}
                 for node in plain] for plain in expand_alternatives(pattern)])
            self.patterns.append([node["RIGHT_ID"] for node in pattern])
        time_regexes(self.matcher)
        # Own words (`words:` in the configuration) are matched on lemma and word form, as in a pattern rule.
        self.terms = TermSet(rule.options.get("terms", []))
        found = rule_triggers(rule)
        self.triggers = TermSet(dict.fromkeys(found)) if found else None  # sentences where a match can start
        self.mark = rule.options.get("mark")
        # Relations whose dependents widen the underline ("är" in "är slarvig", as the string rule marks it).
        self.extend = set(rule.options.get("extend", []))
        # A node that must not have a dependent with one of these relations (a passive verb's agent).
        self.absent = {name: set(deps) for name, deps in rule.options.get("absent", {}).items()}
        self.suggestion = rule.options.get("suggestion")
        # The suggestion is the verb of this node's noun (genomföra en utredning -> utreda), with `verbs` overrides.
        self.verb_from = rule.options.get("verb_from")
        self.verbs = rule.options.get("verbs", {})

    def run(self, doc):
        found = list(self._matches(doc))
        yield from found
        if self.terms:
            taken = [(f.start, f.end) for f in found]
            for sentence in self.sentences(doc):
                for start, end, _term in self.terms.find(doc, sentence.tokens.start, sentence.tokens.stop):
                    if any(s < end and start < e for s, e in taken) or self.excused(doc, sentence, start, end):
                        continue
                    extra = self.finding(doc, start, end, suggestions=[self.suggestion] if self.suggestion else [])
                    if extra:
                        taken.append((start, end))
                        yield extra

    def _sentence_matches(self, doc, sentences):
        """DependencyMatcher matches in the parsed sentences this rule looks at, one sentence Doc at a
        time (over the whole Doc it would first run its token patterns over every token): (match_id,
        sentence Doc, doclint index of each of its tokens, matched token ids in the sentence Doc)."""
        for i in sorted(doc.parsed & sentences.keys()):
            s = doc.sentences[i]
            if not doc.tokens[s.tokens.start].dep:
                continue  # tagged only (no rule that needs the parse looks at it)
            if self.triggers is not None and not self.triggers.in_sentence(doc, s):
                continue  # parsed for another rule; none of this rule's words is here
            sdoc, to_doclint = doc.sentence_doc(i)
            for match_id, token_ids in self.matcher(sdoc):
                yield match_id, sdoc, to_doclint, token_ids

    def _matches(self, doc):
        if not doc.parsed or doc.spacy_doc is None or not doc.spacy_doc.has_annotation("DEP"):
            return
        sentences = {s.i: s for s in self.sentences(doc)}
        taken: list[tuple[int, int]] = []
        matches = sorted(self._sentence_matches(doc, sentences), key=lambda m: [m[2][k] or 0 for k in m[3]])
        for match_id, sdoc, to_doclint, token_ids in matches:
            names = self.patterns[int(self.pipeline.nlp.vocab.strings[match_id].rsplit("-", 1)[1])]
            if any(child.dep_ in self.absent[name] for name, si in zip(names, token_ids) if name in self.absent
                   for child in sdoc[si].children):
                continue
            chosen = [si for name, si in zip(names, token_ids) if not self.mark or name in self.mark]
            chosen += [child.i for si in chosen for child in sdoc[si].children
                       if child.dep_ in self.extend and child.i < si]
            toks = [doc.tokens[to_doclint[si]] for si in chosen if to_doclint[si] is not None]
            if not toks:
                continue
            sentence = sentences.get(toks[0].sentence)
            if sentence is None or sentence.i not in doc.parsed:
                continue
            start, end = min(t.start for t in toks), max(t.end for t in toks)
            if any(s < end and start < e for s, e in taken) or self.excused(doc, sentence, start, end):
                continue
            suggestions = [self.suggestion] if self.suggestion else []
            if self.verb_from in names:
                verb = verb_of(doc.tokens[to_doclint[token_ids[names.index(self.verb_from)]]].lemma, self.verbs)
                suggestions = [verb] if verb else suggestions
            found = self.finding(doc, start, end, suggestions=suggestions)
            if found:
                taken.append((start, end))
                yield found
