"""How a sentence is built: clauses, nesting and how long the reader waits for the main verb.

Klarspråk advice is not a hard cap on words: a long sentence that states its point first and adds
clauses at the end reads well, while a sentence that stacks subordinate clauses inside each other
or makes the reader wait many words for the main verb is hard to follow. With a pipeline that gives
parts of speech and verb forms, finite verbs come from it; the default pipeline has only lemmas, so
finite verbs are recognised from the word form and its lemma (arbetar/arbeta, ringde/ringa, görs/göra)
and a list of frequent irregular forms.
"""

from __future__ import annotations

from dataclasses import dataclass

# Frequent finite forms that the lemma comparison below cannot see (irregular or short verbs).
_FINITE = frozenset("""
är var har hade kan kunde ska skall skulle vill ville måste får fick bör borde blir blev går gick gör gjorde
ser såg tar tog kommer kom finns fanns står stod ligger låg sitter satt säger sa sade vet visste ger gav
brukar brukade behöver behövde heter hette gäller gällde innebär innebar betyder betydde tror trodde tycker
tyckte verkar verkade känner kände blev lever levde dör dog slår slog sover sov äter åt dricker drack
ska skulle lär torde måtte vågar vågade orkar orkade hinner hann syns syntes hörs hördes tas togs ges gavs
görs gjordes ses sågs fås sker skedde anser ansåg ansågs beror berodde består bestod tycks tycktes låt kvarstår
uppstår uppstod utgår utgick utgör utgjorde hör hörde inser insåg bär bar håller höll ingår ingick tillkom
förstår förstod uppnås uppnåddes
""".split())
# Words that look like verb forms but are not finite verbs in running text.
_NOT_FINITE = frozenset("""
flickor kvinnor pojkar timmar kronor veckor dagar gånger andra under efter sedan heller eller antingen
över genom mer fler mindre alltför ändå
""".split())
_SHORT_INFINITIVES = frozenset("bo gå få ha se stå slå dö le må nå ske så tro ta dra be ge klä sy fly".split())
# Words that open a subordinate clause. Ambiguous ones (om, då, där, sedan) are left out, except
# "om" first in a sentence or after a comma, where it opens a condition.
_SUBORDINATORS = frozenset("""
att som när eftersom medan innan tills fastän ifall huruvida vilket vilka vilken vars varför hur vad
vem varifrån varav emedan enär
""".split())
_AMBIGUOUS_SUBORDINATORS = frozenset({"sedan", "då", "där", "om", "var", "dit", "innan"})
_SUBJECT_PRONOUNS = frozenset("jag du han hon hen vi ni de dom man den det barnet".split())
# After relative "som" comes its verb, a subject or an adverb; "som ett uppslagsverk" (as) is no clause.
_AFTER_RELATIVE_SOM = _SUBJECT_PRONOUNS | frozenset(
    "inte också även ofta alltid aldrig redan nu enligt tidigare sedan då själv själva numera fortfarande "
    "ibland kanske bara just".split())
_COORDINATORS = frozenset({"och", "men", "eller", "samt"})
_ADVERBS_BEFORE_INFINITIVE = frozenset({"inte", "också", "även", "alltid", "aldrig", "själv", "själva", "kunna"})


def is_finite(tok) -> bool:
    """Is the token a finite verb (present or past, active or s-passive)?"""
    if tok.pos:
        return tok.pos in ("VERB", "AUX") and ("VerbForm=Fin" in tok.morph or not tok.morph)
    w, lemma = tok.lower, tok.lemma
    if not tok.is_word or w in _NOT_FINITE or len(w) < 2:
        return False
    if w in _FINITE:
        return True
    if lemma in _SHORT_INFINITIVES and w in (lemma + "r", lemma + "dde", lemma + "s", lemma + "ddes"):
        return True  # bor, tror, sker, bodde
    if w == lemma or not lemma.endswith("a") or len(lemma) < 3:
        return False
    stem = lemma[:-1]
    return w in (lemma + "r", stem + "er", stem + "ar", lemma + "de", stem + "de", stem + "te", stem + "ade",
                 stem + "s", lemma + "s", stem + "es", stem + "ades", stem + "des", stem + "tes")


# After these a word is a noun or a participle, not a finite verb: "i vissa väsentliga delar",
# "som är placerade", "av brister".
_BEFORE_NOUN = frozenset("""
i på av för med till från om vid under efter mellan mot hos genom utan inom enligt kring utifrån
en ett den det de dessa denna detta vissa många alla flera några inga ingen inget sina sin sitt mina dina
hans hennes deras vår våra er era olika andra samma båda varje varannan
""".split())
_COPULAS = frozenset("är var blir blev har hade varit blivit".split())


def _finite_in_context(words, k) -> bool:
    tok = words[k]
    if not is_finite(tok):
        return False
    if tok.pos:
        return True
    prev = words[k - 1].lower if k else ""
    if prev in _BEFORE_NOUN and tok.lower not in _FINITE:
        return False  # "i vissa delar", "av brister"
    if prev.endswith("a") and len(prev) > 3 and tok.lower.endswith(("ar", "er", "or")) and tok.lower not in _FINITE \
            and not is_finite(words[k - 1]):
        return False  # "väsentliga delar"
    if prev in _COPULAS and tok.lower.endswith(("ade", "de", "te", "da", "ta")):
        return False  # "är placerade", "blev kallade": participles
    return True


def _is_infinitive(tok) -> bool:
    w = tok.lower
    return tok.is_word and (w in _SHORT_INFINITIVES or (w == tok.lemma and w.endswith("a") and len(w) > 3))


@dataclass
class Shape:
    words: int
    clauses: int  # finite verbs
    before_main_verb: int  # words before the main clause's finite verb
    nesting: int  # most subordinate clauses open at the same time


def sentence_shape(tokens) -> Shape:
    """Clause structure of one sentence from its tokens (doclint Token objects)."""
    words = [t for t in tokens if t.is_word and not t.in_quote]
    n = len(words)
    open_clauses = 0  # subordinate clauses whose finite verb has not come yet
    nesting = 0
    clauses = 0
    main_at = None
    after_subclause = False  # the last finite verb closed a subordinate clause
    prev = None
    for k, tok in enumerate(words):
        w = tok.lower
        nxt = words[k + 1] if k + 1 < n else None
        opens = False
        if w in _SUBORDINATORS:
            opens = True
            if w == "att" and nxt is not None:
                # "att" before an infinitive ("för att se", "att inte kunna") opens no clause.
                j = k + 1
                while j < n and words[j].lower in _ADVERBS_BEFORE_INFINITIVE and j < k + 3:
                    j += 1
                if j < n and _is_infinitive(words[j]) and not is_finite(words[j]):
                    opens = False
            elif w == "som":
                opens = nxt is not None and (is_finite(nxt) or nxt.lower in _AFTER_RELATIVE_SOM or (
                    nxt.lower not in ("en", "ett") and _verb_before_clause(words[k + 1:k + 5])))
        elif w == "om" and (k == 0 or (prev is not None and _comma_between(tokens, prev, tok))):
            opens = True  # "Om …, ska …": a condition
        elif w in _AMBIGUOUS_SUBORDINATORS and nxt is not None and k > 0:
            # "sedan de flyttade", "var barnen ska bo", "där hon bor": a subject and a finite verb follow.
            opens = (nxt.lower in _SUBJECT_PRONOUNS or w == "var") and not is_finite(nxt) and \
                any(is_finite(t) for t in words[k + 2:k + 4])
        elif w in _COORDINATORS and after_subclause and main_at is None and open_clauses == 0 and \
                words[0].lower in _SUBORDINATORS | {"om", "då", "även"}:
            # "Om A samtycker men det finns en risk …, ska …": the second conjunct still waits for the main verb.
            opens = nxt is not None and any(is_finite(t) for t in words[k + 1:k + 7])
        if opens:
            open_clauses += 1
            nesting = max(nesting, open_clauses)
        elif _finite_in_context(words, k):
            clauses += 1
            if open_clauses:
                open_clauses -= 1
                after_subclause = True
            else:
                if main_at is None:
                    main_at = k
                after_subclause = False
        prev = tok
    return Shape(n, clauses, main_at if main_at is not None else 0, nesting)


def _verb_before_clause(words) -> bool:
    """A finite verb comes before any other clause opener ("som under hösten har …")."""
    for t in words:
        if t.lower in _SUBORDINATORS or t.lower in _AMBIGUOUS_SUBORDINATORS:
            return False
        if is_finite(t):
            return True
    return False


def _comma_between(tokens, a, b) -> bool:
    return any(t.text == "," and a.start <= t.start < b.start for t in tokens)
