"""Convert UD treebanks to spaCy training data, upgrading UD v1 annotation to UD v2.

The UD Swedish-Talbanken v1.0 train split uses the old UD v1 label set. This
module rewrites it to the conventions of the current v2 Talbanken dev split:

* relation renames: dobj->obj, nsubjpass->nsubj:pass, csubjpass->csubj:pass,
  auxpass->aux:pass, neg->advmod, mwe->fixed, name->flat:name,
  remnant->orphan, nmod:agent->obl:agent; nmod on a predicate (verb, auxiliary,
  adjective, adverb) becomes obl;
* coordination: a ``cc`` and a separating comma attach to the conjunct that
  follows them, not to the first conjunct;
* part of speech: CONJ->CCONJ (SCONJ when it marks a clause), auxiliaries and
  copulas VERB->AUX, possessive DT->PRON, negation ``inte`` ADV->PART, a dash or
  slash between words (cc, case) PUNCT->SYM; a v1 ``aux`` that is no auxiliary
  in v2 ("behöver göra") becomes the main verb with an xcomp;
* features: Mood=Ind on finite indicative verbs, NumType on numerals and
  ordinals, PronType and Poss on pronouns and determiners, Polarity=Neg on
  negations, Abbr=Yes on abbreviations.

Usage: python training/convert.py IN.conllu OUT.spacy [--v1] [--no-coord]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

RELATION_RENAMES = {
    "dobj": "obj",
    "nsubjpass": "nsubj:pass",
    "csubjpass": "csubj:pass",
    "auxpass": "aux:pass",
    "neg": "advmod",
    "mwe": "fixed",
    "name": "flat:name",
    "remnant": "orphan",
    "nmod:agent": "obl:agent",
    "foreign": "flat:foreign",
}
PREDICATE_POS = {"VERB", "AUX", "ADJ", "ADV"}
NEGATION_PARTICLES = {"inte", "icke", "ej"}
# Marks that separate conjuncts and move with the following conjunct in UD v2.
SEPARATORS = {",", ";", "/", "–", "-"}

# PronType of Swedish pronouns and determiners as Talbanken v2 annotates them.
_PRONTYPE_WORDS = {
    "Art": "en ett den det de",
    "Dem": "denna denne detta dessa sådan sådant sådana dylik dylika",
    "Prs": "jag du han hon den det vi ni de mig dig honom henne oss er dem sig man en "
           "min mitt mina din ditt dina sin sitt sina vår vårt våra ert era hans hennes dess deras "
           "hen hem varann",
    "Int,Rel": "vem vad vilken vilket vilka vars",
    "Rel": "som",
    "Tot": "all allt alla varje varenda båda bägge samtliga allting",
    "Neg": "ingen inget inga intet ingenting ingen",
    "Ind": "någon något några många få flera somliga annan annat andra nånting någonting mången "
           "övriga bägge ena",
    "Rcp": "varandra varann",
}
PRONTYPE = {}
for _kind, _words in _PRONTYPE_WORDS.items():
    for _w in _words.split():
        PRONTYPE.setdefault(_w, _kind)
# Deponent verbs (passive form, active meaning): UD v2 Talbanken gives them no Voice
# and an ordinary nsubj; UD v1 marked them Voice=Pass with nsubjpass.
DEPONENTS = frozenset("""
finns fanns funnits finnas tycks tycktes tyckts tyckas hoppas hoppades hoppats lyckas lyckades lyckats
lyckats misslyckas misslyckades misslyckats minns mindes mints minnas andas andades andats trivs trivdes
trivts trivas syns syntes synts synas låtsas låtsades låtsats skäms skämdes skämts skämmas vistas
vistades vistats åldras åldrades åldrats svettas svettades brottas brottades umgås umgicks umgåtts
slåss slogs kräks kräktes hämnas hämnades envisas envisades töras törs tordes
""".split())
# Multiword expressions that stay `fixed` in UD v2 Talbanken; other v1 `mwe` are analysed.
KEEP_FIXED = {("därför", "att"), ("rent", "av"), ("till", "och", "med"), ("som", "helst"), ("vare", "sig"),
              ("i", "och", "med"), ("sent", "omsider"), ("så", "fan"), ("så", "heller"), ("så", "säga"),
              ("för", "sedan"), ("bland", "annat"), ("med", "mera"), ("och", "så", "vidare")}
DEMONSTRATIVE_ADVERBS = {"här", "där"}
# Verb particles that UD v2 Talbanken tags ADV (prepositions used as particles stay ADP).
ADVERB_PARTICLES = frozenset("upp ut in fram bort ner ned tillbaka ihop iväg hem igen undan isär omkring "
                             "sönder kvar förbi runt bakåt framåt hit dit".split())
NOMINAL_POS = {"NOUN", "PROPN", "PRON", "NUM"}
ARGUMENTS = {"nsubj", "nsubj:pass", "obj", "iobj", "obl"}
VARA = frozenset("är var vara varit vore varande".split())
# Forms of the verbs v2 Talbanken tags AUX (vara, ha, bli, kunna, skola, vilja, måste, böra, få, komma,
# må, torde, lär). v1 also used `aux` for other verbs ("behöver göra", "brukar komma") and for stray
# annotation slips ("slutade röka/aux"); v2 makes those ordinary verbs.
AUX_FORMS = frozenset("""
har hade ha haft hava bli blir blev blivit bliva kan kunde kunna kunnat
ska skall skulle skola vill ville vilja velat måste bör borde böra bort får fick få fått kommer kom komma
kommit må måtte torde lär
""".split()) | VARA
# A dash or slash between words ("mor-barn", "hemmafruar/yrkeskvinnor", "1-2") is a symbol in v2
# Talbanken (relation cc or case); only as punctuation proper is it PUNCT.
SYMBOL_MARKS = {"-", "–", "/"}

PRONTYPE_DET = {"den": "Art", "det": "Art", "de": "Art", "en": "Art", "ett": "Art"}
PRONTYPE_PRON = {"den": "Prs", "det": "Prs", "de": "Prs", "en": "Ind", "man": "Ind"}


@dataclass
class Word:
    id: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: dict[str, str]
    head: int
    deprel: str
    misc: str

    @property
    def space_after(self) -> bool:
        return "SpaceAfter=No" not in self.misc.split("|")


@dataclass
class Sentence:
    words: list[Word] = field(default_factory=list)
    text: str | None = None


def parse_feats(value: str) -> dict[str, str]:
    if value in ("_", ""):
        return {}
    return dict(item.split("=", 1) for item in value.split("|"))


def format_feats(feats: dict[str, str]) -> str:
    return "|".join(f"{k}={feats[k]}" for k in sorted(feats, key=str.lower)) or "_"


def read_conllu(text: str) -> list[Sentence]:
    """Sentences of a CoNLL-U (or UD v1 CoNLL) text; multiword ranges and empty nodes are skipped."""
    sentences: list[Sentence] = []
    current = Sentence()
    for line in text.splitlines():
        line = line.rstrip("\n")
        if not line.strip():
            if current.words:
                sentences.append(current)
            current = Sentence()
        elif line.startswith("#"):
            if line.startswith("# text = "):
                current.text = line[len("# text = "):]
        else:
            cols = line.split("\t")
            if len(cols) != 10 or not cols[0].isdigit():
                continue
            current.words.append(Word(int(cols[0]), cols[1], cols[2], cols[3], cols[4],
                                      parse_feats(cols[5]), int(cols[6]), cols[7], cols[9]))
    if current.words:
        sentences.append(current)
    return sentences


def write_conllu(sentences: list[Sentence]) -> str:
    lines = []
    for sent in sentences:
        if sent.text:
            lines.append(f"# text = {sent.text}")
        for w in sent.words:
            lines.append("\t".join([str(w.id), w.form, w.lemma, w.upos, w.xpos, format_feats(w.feats),
                                    str(w.head), w.deprel, "_", w.misc or "_"]))
        lines.append("")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- v1 -> v2

def _rename_relations(sent: Sentence) -> None:
    for w in sent.words:
        w.deprel = RELATION_RENAMES.get(w.deprel, w.deprel)


def _upgrade_pos(sent: Sentence) -> None:
    for w in sent.words:
        lower = w.form.lower()
        tags = w.xpos.split("|")
        if w.upos == "CONJ":
            w.upos = "SCONJ" if w.deprel == "mark" else "CCONJ"
        elif w.upos == "DT":  # possessives (PS, HS) and interrogative determiners (HD)
            w.upos = "PRON" if tags[0] in ("PS", "HS") or w.deprel == "nmod:poss" else "DET"
        if w.upos == "VERB" and (w.deprel in ("aux", "aux:pass", "cop") or lower in VARA):
            w.upos = "AUX"  # v2 Talbanken tags every form of "vara" AUX
        if lower in NEGATION_PARTICLES and w.upos == "ADV":
            w.upos = "PART"
        if w.form in SYMBOL_MARKS and w.deprel in ("cc", "case"):
            w.upos = "SYM"


def _upgrade_feats(sent: Sentence) -> None:
    for w in sent.words:
        lower = w.form.lower()
        tags = w.xpos.split("|")
        f = w.feats
        if w.upos in ("VERB", "AUX") and f.get("VerbForm") == "Fin" and "Mood" not in f:
            f["Mood"] = "Imp" if "IMP" in tags else ("Sub" if "KON" in tags else "Ind")
        if w.upos == "NUM":
            f.setdefault("NumType", "Card")
        if tags[0] == "RO":
            f.setdefault("NumType", "Ord")
        if "AN" in tags[1:]:
            f["Abbr"] = "Yes"
        if w.upos == "PART" and lower in NEGATION_PARTICLES:
            f["Polarity"] = "Neg"
        if tags[0] in ("PS", "HS"):
            f["Poss"] = "Yes"
        if w.upos in ("PRON", "DET") and "PronType" not in f:
            add_prontype(w)
        _adjective_feats(w, tags, sent)


def _adjective_feats(w: Word, tags: list[str], sent: Sentence) -> None:
    """Adjectives and participles (SUC tags JJ, PC) as v2 Talbanken has them: a participle has
    Degree=Pos, a present participle VerbForm=Part (v1: Fin) and no Mood; definiteness as below."""
    if w.upos != "ADJ" or tags[0] not in ("JJ", "PC"):
        return
    if tags[0] == "PC":
        w.feats["Degree"] = "Pos"
        w.feats.pop("Mood", None)
        if "PRS" in tags:
            w.feats["VerbForm"], w.feats["Tense"] = "Part", "Pres"
            return
    _adjective_definiteness(w, tags, sent)


def _adjective_definiteness(w: Word, tags: list[str], sent: Sentence) -> None:
    """v2 Talbanken: a weak (definite) adjective form has Definite=Def and no Number or Gender;
    an indefinite plural has Definite=Ind|Number=Plur; v1 left plurals' definiteness open."""
    f = w.feats
    if "SIN" in tags and "DEF" in tags:
        f.pop("Number", None)
        f.pop("Gender", None)
    elif "PLU" in tags and "IND/DEF" in tags:
        if _in_definite_phrase(w, sent):
            f["Definite"] = "Def"
            f.pop("Number", None)
        else:
            f["Definite"] = "Ind"
    elif "SIN" in tags and "IND/DEF" in tags and "UTR" in tags:
        f["Definite"] = "Ind"  # "egen"


def _in_definite_phrase(w: Word, sent: Sentence) -> bool:
    if w.deprel != "amod" or not w.head:
        return False
    head = sent.words[w.head - 1]
    if head.feats.get("Definite") == "Def":
        return True
    return any(d.head == head.id and (d.deprel == "nmod:poss" or
                                     (d.deprel == "det" and d.feats.get("Definite") == "Def"))
               for d in sent.words)


def add_prontype(w: Word) -> None:
    lower = w.form.lower()
    table = PRONTYPE_DET if w.upos == "DET" else PRONTYPE_PRON
    kind = table.get(lower) or PRONTYPE.get(lower)
    if kind is None:
        tag = w.xpos.split("|")[0]
        kind = {"PN": "Prs", "PS": "Prs", "HP": "Int,Rel", "HS": "Int,Rel", "HD": "Int"}.get(tag)
    if kind is None and w.upos == "DET":
        kind = "Ind"
    if kind == "Int,Rel" and w.upos == "DET":
        kind = "Int"
    if kind:
        w.feats["PronType"] = kind


def _nmod_to_obl(sent: Sentence) -> None:
    by_id = {w.id: w for w in sent.words}
    for w in sent.words:
        if w.deprel == "nmod" and w.head and by_id[w.head].upos in PREDICATE_POS:
            w.deprel = "obl"


def _v2_analyses(sent: Sentence) -> None:
    """Word-level analyses that changed between v1 and v2 Talbanken (after the renames)."""
    by_id = {w.id: w for w in sent.words}
    for w in sent.words:
        lower = w.form.lower()
        head = by_id.get(w.head)
        if w.deprel == "det" and w.upos == "ADJ":  # "andra", "många", "hela", "första": amod
            w.deprel = "amod"
        elif w.deprel == "det" and lower == "samma":
            w.upos, w.deprel = "ADJ", "amod"
            w.feats = {k: v for k, v in w.feats.items() if k not in ("PronType",)}
        elif lower in ("både", "antingen", "varken") and w.deprel == "advmod":
            w.upos, w.deprel = "CCONJ", "cc"
        elif lower in ("när", "då") and w.deprel == "advmod" and head is not None and head.deprel != "root" \
                and _opens_clause(w, head, sent):
            w.upos, w.deprel = "SCONJ", "mark"  # "när", "då" opening a subordinate clause
        elif lower == "än" and w.deprel == "mark" and head is not None and head.upos in NOMINAL_POS:
            w.deprel = "case"  # "än honom" ("som lärare" stays SCONJ mark in v2 Talbanken)
        elif lower == "som" and w.deprel == "mark" and head is not None and head.upos in NOMINAL_POS \
                and (head.deprel == "advcl" or (head.deprel == "acl" and by_id.get(head.head) is not None
                                                and by_id[head.head].upos in ("VERB", "AUX"))) \
                and not any(d.head == head.id and d.deprel == "cop" for d in sent.words):
            w.upos, w.deprel = "ADP", "case"  # "betalar skatt som svenskar": a nominal in a role is obl in v2
            head.deprel = "obl"
        elif lower in ("mycket", "lite", "litet") and w.upos == "ADV" and w.deprel in ARGUMENTS:
            w.upos = "PRON"  # "Hur mycket skall du betala": a quantity as an argument is a pronoun in v2
        elif w.upos == "ADP" and w.deprel == "case" and head is not None and head.upos in ("VERB", "AUX"):
            w.deprel = "mark"  # "för att göra", "till att läsa": a preposition before a clause
        elif w.deprel == "compound:prt" and lower in ADVERB_PARTICLES:
            w.upos = "ADV"
        elif lower == "så" and w.deprel == "dislocated":
            w.deprel = "advmod"


def _opens_clause(w: Word, head: Word, sent: Sentence) -> bool:
    """`w` is the first word of `head`'s clause (before it, only punctuation and conjunctions)."""
    return w.id < head.id and not any(d.head == head.id and d.id < w.id and d.deprel not in ("punct", "cc")
                                      for d in sent.words)


def _main_verbs_marked_aux(sent: Sentence) -> None:
    """A v1 `aux` whose verb is no auxiliary in v2 becomes a main verb: before its verb ("behöver
    göra") it takes the verb's place and the verb becomes its xcomp, with the subject and what stands
    before the verb; after it ("slutade röka") it is the xcomp itself."""
    by_id = {w.id: w for w in sent.words}
    for x in sent.words:
        if x.deprel != "aux" or x.upos not in ("VERB", "AUX") or x.form.lower() in AUX_FORMS or not x.head:
            continue
        x.upos = "VERB"
        v = by_id[x.head]
        if v.upos not in ("VERB", "AUX", "ADJ"):
            continue
        if x.id > v.id:
            x.deprel = "xcomp"
            continue
        x.head, x.deprel = v.head, v.deprel
        v.head, v.deprel = x.id, "xcomp"
        for d in sent.words:
            if d.head == v.id and d is not x and (
                    d.id < x.id or d.deprel.split(":")[0] in ("nsubj", "expl", "punct")
                    or (d.id < v.id and d.deprel in ("advmod", "aux"))):
                d.head = x.id


def _deponents(sent: Sentence) -> None:
    by_id = {w.id: w for w in sent.words}
    for w in sent.words:
        if w.form.lower() in DEPONENTS and w.upos in ("VERB", "AUX"):
            w.feats.pop("Voice", None)
    for w in sent.words:
        if w.deprel in ("nsubj:pass", "csubj:pass") and w.head and by_id[w.head].form.lower() in DEPONENTS:
            w.deprel = w.deprel.split(":")[0]


def _dissolve_multiwords(sent: Sentence) -> None:
    """UD v1 `mwe` groups become ordinary syntax, as in v2 Talbanken, unless v2 keeps them fixed.

    "i dag", "i stället": the noun heads, the preposition is its case. "på grund av X": the
    noun takes X's place and X becomes its nmod. "för att", "så att": each word marks the verb;
    "även om": the adverb is advmod. "den här": the adverb modifies the noun."""
    by_id = {w.id: w for w in sent.words}
    for h in sent.words:
        members = [w for w in sent.words if w.head == h.id and w.deprel == "mwe"]
        if not members:
            continue
        group = sorted([h] + members, key=lambda w: w.id)
        forms = tuple(w.form.lower() for w in group)
        if forms in KEEP_FIXED:
            continue
        nouns = [w for w in group if w.upos == "NOUN"]
        rest = [w for w in group if w is not (nouns[0] if nouns else None)]
        outside_children = [w for w in sent.words if w.head == h.id and w not in group]
        if nouns and len(nouns) == 1 and group[0].upos == "ADP" and h.deprel == "case" and h.head:
            x = by_id[h.head]  # "på grund av X": grund takes X's place
            n = nouns[0]
            n.head, n.deprel = x.head, x.deprel
            x.head, x.deprel = n.id, "nmod"
            for w in rest:
                w.head, w.deprel = (n.id if w.id < n.id else x.id), "case"
            for w in outside_children:
                w.head = n.id
        elif nouns and len(nouns) == 1 and group[0].upos == "ADP" and h.deprel != "case":
            n = nouns[0]  # "i dag", "i regel": an oblique with its preposition
            n.head, n.deprel = h.head, h.deprel
            if n.deprel in ("advmod", "mark"):
                n.deprel = "obl" if n.head and by_id[n.head].upos in PREDICATE_POS else "nmod"
            for w in rest:
                w.head, w.deprel = n.id, ("case" if w.upos == "ADP" else "advmod")
            for w in outside_children:
                w.head = n.id
        elif h.deprel == "mark" and all(w.upos in ("ADP", "SCONJ", "PART", "ADV", "CONJ", "CCONJ")
                                        for w in group):
            for w in group:  # "för att", "så att", "även om"
                w.head = h.head
                if w.upos == "ADV" and w.form.lower() != "så":
                    w.deprel = "advmod"
                else:
                    w.deprel = "mark"
                    if w.form.lower() == "för" and w is group[0]:
                        w.upos = "ADP"
            for w in outside_children:
                w.head = group[-1].id
        elif len(group) == 2 and group[0].upos in ("DET", "PRON") and forms[1] in DEMONSTRATIVE_ADVERBS:
            members[0].head, members[0].deprel = h.head, "advmod"  # "den här"
        else:
            continue


def _reattach_coordination(sent: Sentence) -> None:
    """cc and separating punctuation attach to the following conjunct (UD v2)."""
    conjuncts: dict[int, list[int]] = {}
    for w in sent.words:
        if w.deprel == "conj":
            conjuncts.setdefault(w.head, []).append(w.id)
    for w in sent.words:
        if w.head not in conjuncts or w.id < w.head:
            continue
        if w.deprel == "cc" or (w.deprel == "punct" and w.form in SEPARATORS):
            following = [c for c in sorted(conjuncts[w.head]) if c > w.id]
            if following:
                w.head = following[0]


def _single_root(sent: Sentence) -> None:
    """A few v1 sentences attach their final punctuation to the root position too."""
    roots = [w for w in sent.words if w.head == 0]
    main = next((w for w in roots if w.deprel != "punct"), roots[0] if roots else None)
    for w in roots:
        if w is not main:
            w.head, w.deprel = main.id, ("punct" if w.upos == "PUNCT" else "parataxis")


def upgrade_v1(sent: Sentence, coordination: bool = True) -> Sentence:
    """Rewrite one UD v1 sentence in place to UD v2 conventions and return it."""
    _single_root(sent)
    _dissolve_multiwords(sent)
    _rename_relations(sent)
    _upgrade_pos(sent)
    _main_verbs_marked_aux(sent)
    _deponents(sent)
    _v2_analyses(sent)
    _upgrade_feats(sent)
    _nmod_to_obl(sent)
    if coordination:
        _reattach_coordination(sent)
    return sent


def harmonise_v2(sent: Sentence) -> Sentence:
    """Bring other v2 treebanks (Swedish-PUD) closer to Talbanken's feature conventions."""
    for w in sent.words:
        f = w.feats
        if w.upos in ("ADV", "SCONJ"):
            f.pop("PronType", None)
        if w.upos == "ADJ":
            f.pop("Mood", None)
            _adjective_feats(w, w.xpos.split("|"), sent)
        if w.upos in ("PRON", "DET") and "PronType" not in f:
            add_prontype(w)
        if w.deprel == "flat" and w.upos == "PROPN":
            w.deprel = "flat:name"
    return sent


# --------------------------------------------------------------------------- spaCy

def to_docs(sentences: list[Sentence], vocab):
    """One spaCy Doc per sentence, with gold tokens, UPOS, morphology and dependencies."""
    from spacy.tokens import Doc  # noqa: PLC0415

    docs = []
    for sent in sentences:
        words = [w.form for w in sent.words]
        spaces = [w.space_after for w in sent.words]
        spaces[-1] = False
        heads = [(w.head - 1) if w.head else i for i, w in enumerate(sent.words)]
        deps = ["ROOT" if w.head == 0 else w.deprel for w in sent.words]
        lemmas = [w.lemma if w.lemma != "_" else "" for w in sent.words]
        doc = Doc(vocab, words=words, spaces=spaces, pos=[w.upos for w in sent.words],
                  morphs=[format_feats(w.feats) if w.feats else "" for w in sent.words],
                  heads=heads, deps=deps, lemmas=lemmas,
                  sent_starts=[True] + [False] * (len(words) - 1))
        docs.append(doc)
    return docs


def load(path: Path, v1: bool = False, coordination: bool = True) -> list[Sentence]:
    sentences = read_conllu(path.read_text(encoding="utf-8"))
    if v1:
        return [upgrade_v1(s, coordination) for s in sentences]
    return [harmonise_v2(s) for s in sentences]


def convert(src: Path, dest: Path, v1: bool = False, coordination: bool = True) -> int:
    import spacy  # noqa: PLC0415
    from spacy.tokens import DocBin  # noqa: PLC0415

    nlp = spacy.blank("sv")
    docs = to_docs(load(src, v1, coordination), nlp.vocab)
    dest.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(dest)
    return len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dest", type=Path, help=".spacy (DocBin) or .conllu output")
    parser.add_argument("--v1", action="store_true", help="input uses UD v1 labels: upgrade to v2")
    parser.add_argument("--no-coord", action="store_true", help="keep v1 attachment of cc and commas")
    args = parser.parse_args()
    if args.dest.suffix == ".conllu":
        args.dest.write_text(write_conllu(load(args.src, args.v1, not args.no_coord)), encoding="utf-8")
    else:
        n = convert(args.src, args.dest, args.v1, not args.no_coord)
        print(f"{args.dest}: {n} sentences")


if __name__ == "__main__":
    main()
