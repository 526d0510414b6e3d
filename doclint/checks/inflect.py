"""Suggestions that agree with the word they replace.

A substitution rule lists base forms (`erforderlig: nödvändig`, `inkomma: komma in`). When the text
has another form of the word (erforderligt, inkommit), the suggestion is put in the same form:

1. A particle or prefix verb whose suggestion is the same verb (inkomma → komma in, tillse → se till,
   inneha → ha): the replaced word's own ending is kept (inkommit → kommit in, innehade → hade).
2. An adjective that only gets an ending (erforderlig+t, dylik+a): the suggestion gets the same ending
   when it is an adjective of a regular kind (nödvändigt, sådana).
3. A verb in a regular slot (present -r, supine, weak past, s-passive, also of the supine: upprättats →
   skrivits): the suggestion's form is made
   by the regular patterns and kept only when simplemma's Swedish dictionary knows it as a form of
   that verb (erhåller → får, erhållit → fått).

When none of these gives a form the dictionary knows, the suggestion is left in its base form
rather than guessed.
"""

from __future__ import annotations

from functools import lru_cache

# Particles that Swedish writes in front of a verb in formal style (inkomma, tillse, inneha, iordningställa).
_PREFIXES = frozenset({"in", "inne", "till", "ut", "upp", "på", "av", "an", "fram", "bort", "över", "om", "under",
                       "efter", "för", "med", "mot", "genom", "iordning", "hem", "ihop", "tillbaka"})
_ADJECTIVE_ENDINGS = ("ig", "lig", "isk", "sam", "bar", "lös", "dan", "ad")
_NOT_ADJECTIVES = frozenset({"den", "denna", "detta", "dessa", "det", "som", "man"})


@lru_cache(maxsize=1)
def _known() -> dict:
    from ..nlp import _swedish_dictionary  # noqa: PLC0415

    return _swedish_dictionary()


def _is_form_of(word: str, lemma: str) -> bool:
    from ..nlp import lemmatize  # noqa: PLC0415

    return word.encode() in _known() and lemmatize(word) == lemma


# Short and common verbs whose forms the regular patterns do not give (or give wrongly).
_IRREGULAR = {  # verb: (present, supine, past)
    "ta": ("tar", "tagit", "tog"), "ha": ("har", "haft", "hade"), "få": ("får", "fått", "fick"),
    "gå": ("går", "gått", "gick"), "se": ("ser", "sett", "såg"), "ge": ("ger", "gett", "gav"),
    "göra": ("gör", "gjort", "gjorde"), "vara": ("är", "varit", "var"), "bli": ("blir", "blivit", "blev"),
    "säga": ("säger", "sagt", "sa"), "komma": ("kommer", "kommit", "kom"), "skriva": ("skriver", "skrivit", "skrev"),
    "veta": ("vet", "vetat", "visste"), "kunna": ("kan", "kunnat", "kunde"), "vilja": ("vill", "velat", "ville"),
}


def _slot(form: str, lemma: str) -> str | None:
    """Which regular verb form `form` is of the verb `lemma`: present, supine, past or passive."""
    if not lemma.endswith("a") or form == lemma:
        return None
    if form.endswith("s") and form[:-1] in (lemma, lemma[:-1]):  # s-passive: upprättas, upprätts
        return "passive"
    if form.endswith(("ades", "des", "tes")):  # past s-passive: upprättades
        return "past passive"
    if form.endswith(("ats", "its", "tts")) and _slot(form[:-1], lemma) == "supine":  # upprättats
        return "supine passive"
    if form.endswith("r") and form[:-1] in (lemma, lemma[:-1] + "e", lemma[:-1]):
        return "present"
    if form.endswith(("it", "at", "tt")) or (form.endswith("t") and form[:-1] == lemma[:-1]):
        return "supine"
    if form.endswith(("ade", "de", "te")):
        return "past"
    return None


def _verb_candidates(form: str, lemma: str, verb: str) -> list[str]:
    """Forms of `verb` in the slot that `form` has as a form of `lemma`."""
    slot = _slot(form, lemma)
    if slot is None:
        return []
    stem = verb[:-1] if verb.endswith("a") and len(verb) > 2 else verb
    if verb in _IRREGULAR:
        present, supine, past = _IRREGULAR[verb]
        return [{"present": present, "supine": supine, "past": past, "past passive": past + "s",
                 "passive": stem + "s", "supine passive": supine + "s"}[slot]]
    return {"passive": [stem + "s", verb + "s"], "present": [verb + "r", stem + "er", stem + "ar"],
            "supine": [verb + "tt", stem + "it", stem + "at", stem + "t"],
            "past": [stem + "ade", stem + "de", stem + "te"],
            "past passive": [stem + "ades", stem + "des", stem + "tes"],
            "supine passive": [verb + "tts", stem + "its", stem + "ats", stem + "ts"]}[slot]


def _inflect_word(form: str, lemma: str, word: str) -> str | None:
    """`word` (the first word of a suggestion, in its base form) in the form that `form` has."""
    prefix = lemma[: len(lemma) - len(word)]
    if lemma.endswith(word) and prefix in _PREFIXES and form.startswith(prefix):
        inflected = form[len(lemma) - len(word):]  # inkommit -> kommit
        return inflected if inflected else None
    if form.startswith(lemma) and form[len(lemma):] in ("t", "a", "e") and not lemma.endswith("a"):
        # an adjective that only gets an ending
        if word in _NOT_ADJECTIVES or not word.endswith(_ADJECTIVE_ENDINGS):
            return None
        inflected = word + form[len(lemma):]
        return inflected if _is_form_of(inflected, word) else None
    for candidate in _verb_candidates(form, lemma, word):
        if word in _IRREGULAR or _is_form_of(candidate, word):
            return candidate
    return None


def agree(suggestion: str, form: str, lemma: str) -> str:
    """The suggestion in the form of the replaced word (`form`, whose base form is `lemma`)."""
    form, lemma = form.lower(), lemma.lower()
    if form == lemma or not suggestion or " " in form:
        return suggestion
    first, _, rest = suggestion.partition(" ")
    inflected = _inflect_word(form, lemma, first.lower())
    if inflected is None:
        return suggestion
    return " ".join(filter(None, (inflected, rest)))
