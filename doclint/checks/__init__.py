"""The check types a YAML rule can use, registered in one place.

Each type has a JSON schema for its own options (validated when a rule loads,
without importing spaCy) and a class that runs it over Documents.
"""

from __future__ import annotations

from importlib import import_module

_TERMS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_LEVELS = {
    "type": "array", "minItems": 1,
    "items": {"type": "object", "required": ["above", "severity"], "additionalProperties": False,
              "properties": {"above": {"type": "number"}, "severity": {"enum": ["info", "warning", "error", "varning", "fel"]}}},
}
_MATCH = {"enum": ["lemma", "surface"]}
# sentence_words: a long sentence that is also hard to follow (see checks/structure.py).
_STRUCTURE_LIMITS = {
    "above": {"type": "integer", "minimum": 0},  # words
    "severity": {"enum": ["info", "warning", "error"]},
    "before_main_verb": {"type": "integer", "minimum": 1},  # words before the main verb
    "clauses": {"type": "integer", "minimum": 1},  # finite verbs
    "nesting": {"type": "integer", "minimum": 1},  # subordinate clauses open at once
    "message": {"type": "string", "minLength": 1},  # {value} words, {reason} what makes it hard
}
_STRUCTURE = {"type": "object", "additionalProperties": False, "properties": {
    **_STRUCTURE_LIMITS,
    "by_doc_type": {"type": "object", "additionalProperties": {
        "type": "object", "additionalProperties": False, "properties": _STRUCTURE_LIMITS}}}}
_UNLESS = {"unless": _TERMS, "unless_scope": {"enum": ["sentence", "paragraph", "document"]},
           "unless_window": {"type": "integer", "minimum": 0}}

_PATTERNS = {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": {"type": "object"}}}

CHECK_SCHEMAS: dict[str, dict] = {
    # A word or phrase from a list is present.
    "existence": {"properties": {"terms": _TERMS, "match": _MATCH, "suggestion": {"type": "string"}, **_UNLESS},
                  "required": ["terms"]},
    # A word or phrase with a better replacement.
    "substitution": {"properties": {"swap": {"type": "object", "minProperties": 1,
                                             "additionalProperties": {"type": "string"}},
                                    "not_with": {"type": "object", "additionalProperties": _TERMS},
                                    "match": _MATCH, **_UNLESS},
                     "required": ["swap"]},
    # spaCy Matcher token patterns (LEMMA, LOWER, POS, MORPH, DEP ...).
    # `antipatterns`: a match inside a match of one of these is not reported (as in LanguageTool).
    "pattern": {"properties": {"patterns": _PATTERNS, "antipatterns": _PATTERNS,
                               "suggestion": {"type": "string"}, "terms": _TERMS, **_UNLESS},
                "required": ["patterns"]},
    # spaCy DependencyMatcher patterns over parsed sentences; `mark` lists the nodes to underline.
    "dependency": {"properties": {"patterns": {"type": "array", "minItems": 1, "items": {
                                      "type": "array", "minItems": 1, "items": {
                                          "type": "object", "required": ["RIGHT_ID", "RIGHT_ATTRS"]}}},
                                  "mark": _TERMS, "extend": _TERMS, "suggestion": {"type": "string"}, "terms": _TERMS,
                                  "verb_from": {"type": "string"},
                                  "verbs": {"type": "object", "additionalProperties": {"type": "string"}},
                                  "absent": {"type": "object", "additionalProperties": _TERMS}, **_UNLESS},
                   "required": ["patterns"]},
    # A number measured per sentence, section or document, with thresholds.
    "metric": {"properties": {"metric": {"enum": ["sentence_words", "document_words", "lix", "word_length"]},
                              "scope": {"enum": ["sentence", "section", "document", "token"]},
                              "levels": _LEVELS,
                              "by_doc_type": {"type": "object", "additionalProperties": _LEVELS},
                              "structure": _STRUCTURE,
                              "min_words": {"type": "integer", "minimum": 0}, "unless": _TERMS},
               "required": ["metric", "levels"]},
    # Runs of consecutive sentences that open the same way (story-like narration).
    "sequence": {"properties": {"openers": _TERMS, "min_run": {"type": "integer", "minimum": 2}},
                 "required": ["openers"]},
    # An abbreviation must be explained at or before its first use.
    "conditional": {"properties": {"glossary": {"type": "object", "additionalProperties": {"type": "string"}},
                                   "accept": _TERMS, "unknown": {"type": "boolean"}}},
    # Elements that must be present in a document, or in every sentence of a section.
    "required": {"properties": {
        "scope": {"enum": ["document", "sentence"]},
        "elements": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "any"], "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "any": _TERMS, "headings": _TERMS}}},
        **_UNLESS},
        "required": ["elements"]},
    # Near-duplicate sentences or paragraphs, within a document or across a case folder.
    "duplicate": {"properties": {"unit": {"enum": ["sentence", "paragraph"]},
                                 "scope": {"enum": ["document", "folder"]},
                                 "threshold": {"type": "number", "minimum": 0.1, "maximum": 1},
                                 "min_words": {"type": "integer", "minimum": 3},
                                 "shingle": {"type": "integer", "minimum": 1, "maximum": 8},
                                 "other_doc_types": _TERMS}},
}

_MODULES = {
    "existence": ("terms", "ExistenceCheck"),
    "substitution": ("terms", "SubstitutionCheck"),
    "pattern": ("patterns", "PatternCheck"),
    "dependency": ("grammar", "DependencyCheck"),
    "metric": ("metrics", "MetricCheck"),
    "sequence": ("metrics", "SequenceCheck"),
    "conditional": ("abbreviations", "AbbreviationCheck"),
    "required": ("required", "RequiredCheck"),
    "duplicate": ("duplicates", "DuplicateCheck"),
}


def check_class(type_name: str):
    module, cls = _MODULES[type_name]
    return getattr(import_module(f"{__name__}.{module}"), cls)


def check_term_syntax(term: str) -> str | None:
    if term.startswith("re:") and not term[3:].strip():
        return "re: måste följas av ett reguljärt uttryck (ett tomt uttryck träffar överallt)"
    if term.startswith("re:"):
        import regex  # noqa: PLC0415

        try:
            # The same flags as TermSet, so that regex's own cache hands the compiled pattern on
            # instead of compiling every term twice.
            regex.compile(term[3:], regex.IGNORECASE)
        except regex.error as exc:
            return f"ogiltigt reguljärt uttryck '{term[3:]}': {regex_problem_sv(exc)}"
    elif not term.strip():
        return "en term får inte vara tom"
    return None


# The regex module's problems in Swedish: (start of the English message, Swedish explanation).
_REGEX_PROBLEMS = (
    ("missing )", "en parentes öppnas men stängs inte"),
    ("unbalanced parenthesis", "en parentes stängs utan att ha öppnats"),
    ("unterminated character set", "en hakparentes [ öppnas men stängs inte"),
    ("nothing to repeat", "*, + eller ? står utan något att upprepa"),
    ("multiple repeat", "två upprepningstecken står i rad (som ** eller +*)"),
    ("bad escape (end of pattern)", "uttrycket slutar med ett ensamt \\"),
    ("bad escape", "okänd kombination med \\"),
    ("min repeat greater than max repeat", "i {m,n} är m större än n"),
    ("missing >", "ett gruppnamn saknar >"),
    ("missing group name", "ett gruppnamn saknas"),
    ("bad character range", "ett intervall i hakparentes går baklänges (som z-a)"),
    ("invalid group reference", "hänvisningen till en grupp pekar på en grupp som inte finns"),
    ("unknown group", "hänvisningen till en grupp pekar på en grupp som inte finns"),
    ("unknown extension", "okänd konstruktion efter (?"),
    ("look-behind requires fixed-width pattern", "en look-behind måste ha fast längd"),
    ("unterminated", "uttrycket tar slut mitt i en konstruktion"),
)


def regex_problem_sv(exc) -> str:
    """A Swedish explanation of a regex (or re) compile error, with its position counted from 1."""
    problem = str(getattr(exc, "msg", "") or exc)
    swedish = next((sv for needle, sv in _REGEX_PROBLEMS if problem.startswith(needle)),
                   "uttrycket följer inte reglerna för reguljära uttryck")
    pos = getattr(exc, "pos", None)
    return f"{swedish} (vid tecken {pos + 1})" if isinstance(pos, int) else swedish


PLACEHOLDERS = frozenset({"match", "suggestion", "term", "value", "limit", "band", "words", "expansion", "element",
                          "other", "similarity", "count", "reason"})


def _regex_values(spec: dict):
    """Regular expressions inside a Matcher token spec ({"LOWER": {"REGEX": ...}} or {"REGEX": ...})."""
    for key, value in spec.items():
        if key == "REGEX" and isinstance(value, str):
            yield value
        elif isinstance(value, dict) and isinstance(value.get("REGEX"), str):
            yield value["REGEX"]


def validate_options(rule) -> tuple[tuple, str] | None:
    """Problems a schema cannot see (bad regexes, pattern keys, placeholders); (path, message) or None."""
    import re  # noqa: PLC0415

    messages = [rule.message] + [m for m in [rule.options.get("structure", {}).get("message")] if m]
    for name in (n for m in messages for n in re.findall(r"\{([^{}]*)\}", m)):
        if name not in PLACEHOLDERS:
            return ("message",), (f"okänd platshållare {{{name}}} i meddelandet; tillåtna: "
                                  f"{', '.join('{' + p + '}' for p in sorted(PLACEHOLDERS))}")
    for key in ("terms", "unless", "openers", "accept"):
        for i, term in enumerate(rule.options.get(key, [])):
            if problem := check_term_syntax(term):
                return (key, i), problem
    for term in rule.options.get("not_with", {}):
        if term not in rule.options.get("swap", {}):
            return ("not_with", term), f"not_with: '{term}' finns inte i swap"
    for i, term in enumerate(rule.trigger):
        if problem := check_term_syntax(term):
            return ("trigger", i), problem
    for i, term in enumerate(rule.options.get("swap", {})):
        if problem := check_term_syntax(term):
            return ("swap",), problem
    for i, element in enumerate(rule.options.get("elements", [])):
        for j, term in enumerate(element.get("any", [])):
            if problem := check_term_syntax(term):
                return ("elements", i, "any", j), problem
    if rule.type == "dependency":
        from .grammar import alternatives  # noqa: PLC0415

        for i, pattern in enumerate(rule.options["patterns"]):
            for j, node in enumerate(pattern):
                keys = {key for attrs in alternatives(node) for key in attrs} | {"DEP"}
                for key, annotation in {"POS": "pos", "TAG": "pos", "MORPH": "morph", "DEP": "dep"}.items():
                    if key in keys and annotation not in rule.needs:
                        return ("patterns", i, j), (f"mönstret använder {key}; lägg till needs: [{annotation}] "
                                                    "så att regeln hoppas över när pipelinen saknar det")
    if rule.type == "pattern":
        allowed = {"LEMMA", "LOWER", "ORTH", "TEXT", "NORM", "POS", "TAG", "MORPH", "DEP", "IS_PUNCT", "IS_ALPHA",
                   "IS_DIGIT", "IS_TITLE", "IS_UPPER", "LENGTH", "OP", "IS_SENT_START", "LIKE_NUM", "REGEX"}
        needs_for = {"POS": "pos", "TAG": "pos", "MORPH": "morph", "DEP": "dep"}
        for field in ("patterns", "antipatterns"):
            for i, pattern in enumerate(rule.options.get(field, [])):
                for j, spec in enumerate(pattern):
                    unknown = set(map(str, spec)) - allowed
                    if unknown:
                        return (field, i, j), f"okänt attribut i mönstret: {sorted(unknown)[0]}"
                    for key, annotation in needs_for.items():
                        if key in spec and annotation not in rule.needs:
                            return (field, i, j), (f"mönstret använder {key}; lägg till needs: [{annotation}] "
                                                   "så att regeln hoppas över när pipelinen saknar det")
                    for value in _regex_values(spec):
                        if problem := check_term_syntax("re:" + value):
                            return (field, i, j), problem
                if problem := _runaway_operators(pattern):
                    return (field, i, problem[0]), problem[1]
    return None


def _unbounded(spec: dict) -> bool:
    """Does the token spec repeat without an upper limit (OP *, + or {n,})?"""
    op = spec.get("OP")
    return isinstance(op, str) and (op in ("*", "+") or (op.startswith("{") and op.rstrip("}").endswith(",")))


# Words of every kind a note holds (names, numbers, punctuation, abbreviations, long and short words).
# A repeated token whose condition lets nearly all of them through is as good as a token without one.
# An ordinary note, tagged by hand (UPOS) so that conditions on the part of speech can be tried too.
_PROBE = ("Mamman/NOUN kom/VERB hem/ADV klockan/NOUN 14.30/NUM ,/PUNCT och/CCONJ sa/VERB att/SCONJ Noah/PROPN "
          "(/PUNCT 7/NUM år/NOUN )/PUNCT är/AUX trött/ADJ ./PUNCT BUP/PROPN ska/AUX kontaktas/VERB !/PUNCT "
          "Hon/PRON vill/AUX inte/PART ?/PUNCT Socialsekreteraren/NOUN träffade/VERB familjen/NOUN den/DET 3/NUM "
          "mars/NOUN 2026/NUM :/PUNCT ”/PUNCT okej/INTJ ”/PUNCT –/PUNCT LVU/PROPN x/X i/ADP på/ADP 1/NUM Å/NOUN "
          "skolan/NOUN Öppenvårdsinsatsen/NOUN genomfördes/VERB enligt/ADP SoL/PROPN 4/NUM kap./NOUN 1/NUM §/SYM "
          "./PUNCT").split()
_PROBE_WORDS = [w.rsplit("/", 1)[0] for w in _PROBE]
_PROBE_POS = [w.rsplit("/", 1)[1] for w in _PROBE]


def _matches_almost_anything(spec: dict) -> bool:
    """Does the token condition (without its OP) hold for nearly every word of an ordinary note?

    The probe has parts of speech and (lower-cased) lemmas; conditions on tags, morphology, syntax or
    extension attributes cannot be tried here and count as restricting."""
    from spacy.matcher import Matcher  # noqa: PLC0415
    from spacy.tokens import Doc  # noqa: PLC0415
    from spacy.vocab import Vocab  # noqa: PLC0415

    condition = {k: v for k, v in spec.items() if k != "OP"}
    if not condition or set(condition) & {"TAG", "MORPH", "DEP", "_"}:
        return not condition
    vocab = Vocab()
    matcher = Matcher(vocab)
    try:
        matcher.add("probe", [[condition]])
        doc = Doc(vocab, words=_PROBE_WORDS, pos=_PROBE_POS, lemmas=[w.lower() for w in _PROBE_WORDS])
        hits = len(matcher(doc))
    except Exception:  # noqa: BLE001 - an invalid condition is reported by the pattern's own validation
        return False
    return hits >= 0.75 * len(_PROBE_WORDS)  # a fifth of the probe is punctuation: "any word" is about 0.8


def _runaway_operators(pattern: list) -> tuple[int, str] | None:
    """Patterns whose matching work grows faster than the text: refused when the pack loads.

    spaCy's Matcher keeps every partial match alive. A token that matches anything, repeated without
    limit, keeps one alive from every word to the end of the text (quadratic), and two repeated tokens
    side by side can split a run of words in ever more ways. Both hang on a long text."""
    previous = False
    for j, spec in enumerate(pattern):
        unbounded = _unbounded(spec)
        if unbounded and _matches_almost_anything(spec):
            return j, ('ett ord utan villkor med OP "*" eller "+" (vilket ord som helst, hur många som helst) '
                       "gör att regeln kan ta mycket lång tid på en lång text; ge ordet ett villkor, till exempel "
                       'LOWER: {IN: [...]}, eller skriv högst några ord med OP "?"')
        if unbounded and previous:
            return j, ('två ord i rad med OP "*", "+" eller "{n,}" gör att regeln kan ta mycket lång tid på en lång '
                       "text; sätt ett ord utan OP mellan dem eller slå ihop deras villkor till ett")
        previous = unbounded
    return None
