"""Loading and validating YAML rule packs.

A pack is a YAML file with a list `rules:`. Each rule is validated against the
common schema plus the schema of its check type; an invalid rule is reported as
`file:line: what is wrong`. Nothing here imports spaCy, so `doclint rules` and
`doclint explain` start fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .checks import CHECK_SCHEMAS

FAMILIES = ("verbosity", "judgement", "jargon", "duplication", "goals", "voice")
FAMILY_NAMES = {
    "verbosity": "långt och omständligt",
    "judgement": "värderande och spekulativt språk",
    "jargon": "fackspråk och förkortningar",
    "duplication": "dubbeldokumentation",
    "goals": "mål som går att följa upp",
    "voice": "barnets röst",
}
SEVERITIES = ("info", "warning", "error")
SEVERITY_NAMES = {"info": "info", "warning": "varning", "error": "fel"}
# Swedish names are accepted wherever the English ones are (rule packs, configuration, options).
SEVERITY_ALIASES = {"varning": "warning", "fel": "error"}
SEVERITY_INPUTS = SEVERITIES + tuple(SEVERITY_ALIASES)


def severity(name: str) -> str:
    """The English severity for an English or Swedish name (varning -> warning)."""
    return SEVERITY_ALIASES.get(name, name)


def normalise_severities(value, key=None):
    """A copy of rule or configuration data with Swedish severity names turned into English ones."""
    if isinstance(value, dict):
        if key == "severity":  # a configuration's map rule -> severity
            return {k: severity(v) if isinstance(v, str) else v for k, v in value.items()}
        return {k: normalise_severities(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_severities(v, key) for v in value]
    if isinstance(value, str) and key in ("severity", "fail_level", "level"):
        return severity(value)
    return value
ANNOTATIONS = ("lemma", "pos", "morph", "dep")

_EXAMPLE = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
COMMON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "family", "severity", "type", "message", "why", "source", "examples"],
    "properties": {
        "id": {"type": "string", "pattern": "^DL[0-9]{3,4}$"},
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "title": {"type": "string", "minLength": 1},
        "family": {"enum": list(FAMILIES)},
        "severity": {"enum": list(SEVERITY_INPUTS)},
        "type": {"enum": sorted(CHECK_SCHEMAS)},
        "message": {"type": "string", "minLength": 1},
        "why": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1},
        "link": {"type": "string"},
        "needs": {"type": "array", "items": {"enum": list(ANNOTATIONS)}},
        "trigger": {"type": "array", "items": {"type": "string", "minLength": 1}},
        # The same rule read on grammar (POS, MORPH, DEP), used instead when the pipeline gives what its
        # `needs` asks for; the rule itself is then the string fallback (--pipeline blank).
        "grammar": {"type": "object", "required": ["type", "needs", "examples"]},
        "doc_types": {"type": "array", "items": {"type": "string"}},
        "sections": {"type": "array", "items": {"type": "string"}},
        "skip_sections": {"type": "array", "items": {"type": "string"}},
        "quotes": {"type": "boolean"},
        "supersedes": {"type": "array", "items": {"type": "string", "pattern": "^DL[0-9]{3,4}$"}},
        "enabled": {"type": "boolean"},
        "examples": {
            "type": "object",
            "required": ["fail", "pass"],
            "additionalProperties": False,
            "properties": {"fail": {"type": "array", "items": _EXAMPLE, "minItems": 1},
                           "pass": {"type": "array", "items": _EXAMPLE, "minItems": 1}},
        },
    },
}
PACK_SCHEMA = {
    "type": "object",
    "required": ["rules"],
    "additionalProperties": False,
    "properties": {"rules": {"type": "array", "items": {"type": "object"}},
                   "description": {"type": "string"}},
}


class RuleError(Exception):
    """An invalid rule file; str() is `file:line: what is wrong`."""


@dataclass
class Rule:
    id: str
    name: str
    family: str
    severity: str
    type: str
    message: str
    why: str
    source: str
    examples: dict
    options: dict
    link: str = ""
    title: str = ""
    needs: tuple[str, ...] = ("lemma",)
    trigger: tuple[str, ...] = ()  # terms of which one must be in a sentence for grammar to be run there
    doc_types: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    skip_sections: tuple[str, ...] = ()
    quotes: bool = False
    supersedes: tuple[str, ...] = ()
    enabled: bool = True
    origin: str = ""
    extra: dict = field(default_factory=dict)
    grammar: "Rule | None" = None

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}"

    @property
    def shown_name(self) -> str:
        """What users read: the Swedish title, or the stable name when a pack has none."""
        return self.title or self.name


MAX_NODES = 200_000  # a rule pack is small; aliases that expand past this are a "billion laughs" file


def _construct(node: yaml.Node, lines: dict, path: tuple, loader: yaml.SafeLoader) -> Any:
    """Build Python data from a YAML node, recording the line of every value."""
    if len(lines) > MAX_NODES:
        limit = f"{MAX_NODES:,}".replace(",", " ")
        raise RuleError(f"{node.start_mark.line + 1}: filen har fler än {limit} värden – doclint läser högst "
                        f"{limit} per fil, och varje term, nyckel och listpost räknas, också de som ett alias "
                        "upprepar; dela upp listorna på flera filer")
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                raise RuleError(f"{key_node.start_mark.line + 1}: en nyckel måste vara text")
            out[key] = _construct(value_node, lines, path + (key,), loader)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, lines, path + (i,), loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def read_settings_file(path: Path, limit: int = 5_000_000) -> str:
    """Read a rule pack or configuration file as UTF-8; a pipe, a device or a huge file is refused."""
    import stat  # noqa: PLC0415

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise RuleError(f"{path}:1: är ingen vanlig fil (en katalog, en pipe eller en enhet)")
        if info.st_size > limit:
            raise RuleError(f"{path}:1: filen är för stor för att vara en regel- eller inställningsfil")
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise RuleError(f"{path}:1: filen finns inte") from exc
    except PermissionError as exc:
        raise RuleError(f"{path}:1: behörighet saknas för att läsa filen") from exc
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}:1: filen är inte UTF-8-text") from exc
    except OSError as exc:
        raise RuleError(f"{path}:1: filen kunde inte läsas ({exc.__class__.__name__})") from exc


# PyYAML's problems in Swedish: (part of the English problem, Swedish explanation). Checked in order.
_YAML_PROBLEMS = (
    ("nesting depth", "filen är för djupt nästlad för att vara ett regelpaket"),
    ("mapping values are not allowed", "ett kolon står där det inte får stå; sätt texten inom citattecken"),
    ("could not find expected ':'", "ett kolon saknas efter en nyckel"),
    ("did not find expected key", "indraget stämmer inte, eller så saknas ett kolon"),
    ("did not find expected ','", "en lista eller ordbok inom hakparentes eller klammer är inte avslutad"),
    ("expected ',' or", "en lista eller ordbok inom hakparentes eller klammer är inte avslutad"),
    ("did not find expected '-'", "indraget i en lista stämmer inte"),
    ("tab character", "tabbtecken får inte användas för indrag; använd mellanslag"),
    ("'\\t'", "tabbtecken får inte användas för indrag; använd mellanslag"),
    ("cannot start any token", "ett tecken får inte stå först i ett värde; sätt värdet inom citattecken"),
    ("found undefined alias", "ett alias (*namn) pekar på ett ankare (&namn) som inte finns"),
    ("duplicate anchor", "samma ankare (&namn) finns två gånger"),
    ("unknown escape character", "okänd teckenkombination med \\ inom dubbla citattecken; använd enkla citattecken"),
    ("found unexpected end of stream", "filen tar slut mitt i ett värde; ett citattecken eller en parentes saknas"),
    ("unexpected end", "filen tar slut mitt i ett värde; ett citattecken eller en parentes saknas"),
    ("expected node content", "ett värde saknas, till exempel efter ett kolon eller en hakparentes"),
    ("expected <block end>", "indraget stämmer inte med raderna ovanför"),
    ("expected a comment or a line break", "något står kvar efter värdet på raden"),
    ("unhashable", "en nyckel måste vara text"),
    ("alphabetic or numeric", "ett ankare eller alias saknar namn"),
    ("expected <document start>", "filen ska bara innehålla ett YAML-dokument"),
    ("but found another document", "filen ska bara innehålla ett YAML-dokument"),
)


def yaml_problem_sv(problem: str) -> str:
    """Translate a PyYAML problem into Swedish; never show the English text to a user."""
    for needle, swedish in _YAML_PROBLEMS:
        if needle in problem:
            return swedish
    return "texten följer inte YAML:s regler (kontrollera indrag, kolon och citattecken)"


def _yaml_error(path: Path, exc: Exception, default_line: int = 1) -> RuleError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else default_line
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    sv = yaml_problem_sv(problem)
    if sv.startswith("filen är för djupt"):
        return RuleError(f"{path}:1: {sv}")
    return RuleError(f"{path}:{line}: ogiltig YAML: {sv}")


def load_yaml(path: Path, text: str | None = None) -> tuple[Any, dict]:
    """Parse YAML keeping line numbers; raise RuleError with file:line on syntax errors."""
    if text is None:
        text = read_settings_file(path)
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except RecursionError as exc:
        raise RuleError(f"{path}:1: filen är för djupt nästlad för att vara ett regelpaket") from exc
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from exc
    lines: dict = {}
    if node is None:
        return None, lines
    loader = yaml.SafeLoader("")
    try:
        return _construct(node, lines, (), loader), lines
    except RuleError as exc:
        raise RuleError(f"{path}:{exc}") from exc
    except RecursionError as exc:
        raise RuleError(f"{path}:1: filen är för djupt nästlad för att vara ett regelpaket") from exc
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc, lines.get((), 1)) from exc
    finally:
        loader.dispose()


def _line_for(lines: dict, path: tuple) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _validate(data: Any, schema: dict, path: Path, lines: dict, prefix: tuple = ()) -> None:
    from jsonschema import Draft202012Validator  # noqa: PLC0415  (not needed when the packs come from the cache)

    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = min(errors, key=lambda e: -len(e.absolute_path))
        where = prefix + tuple(err.absolute_path)
        field_name = ".".join(str(p) for p in err.absolute_path) or ("regeln" if prefix else "filen")
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = sorted(map(str, set(err.instance) - set(err.schema.get("properties", {}))))
            if extra:  # point at the unknown key's own line, not at the enclosing mapping
                key = next(k for k in err.instance if str(k) == extra[0])
                where = where + (key,)
        raise RuleError(f"{path}:{_line_for(lines, where)}: {field_name}: {_swedish(err)}")


def _swedish(err) -> str:
    """A short Swedish description of a jsonschema error."""
    v = err.validator
    if v == "required":
        missing = next((m for m in err.validator_value if m not in err.instance), "?")
        return f"fältet '{missing}' saknas"
    if v == "additionalProperties":
        extra = sorted(map(str, set(err.instance) - set(err.schema.get("properties", {}))))
        return f"okänt fält '{extra[0] if extra else '?'}'"
    if v == "enum":
        return f"'{err.instance}' är inte tillåtet; välj ett av: {', '.join(map(str, err.validator_value))}"
    if v == "type":
        return f"ska vara av typen {err.validator_value}"
    if v == "pattern":
        return f"'{err.instance}' har fel form (mönster {err.validator_value})"
    if v in ("minItems", "minLength", "minProperties"):
        return "får inte vara tomt"
    if v == "minimum":
        return f"{err.instance} är för litet; minsta värde är {err.validator_value}"
    if v == "maximum":
        return f"{err.instance} är för stort; största värde är {err.validator_value}"
    if v in ("oneOf", "anyOf"):
        return "har fel form (en text eller en lista med texter)"
    if v == "const":
        return f"ska vara {err.validator_value}"
    return err.message


def parse_rule(raw: dict, path: Path, lines: dict, prefix: tuple) -> Rule:
    _validate(raw, COMMON_SCHEMA, path, lines, prefix)
    type_schema = CHECK_SCHEMAS[raw["type"]]
    specific = {k: v for k, v in raw.items() if k not in COMMON_SCHEMA["properties"]}
    _validate(specific, {"type": "object", "additionalProperties": False, **type_schema}, path, lines, prefix)
    raw = normalise_severities(raw)
    specific = {k: v for k, v in raw.items() if k not in COMMON_SCHEMA["properties"]}
    common = {k: raw[k] for k in raw if k in COMMON_SCHEMA["properties"]}
    grammar = common.pop("grammar", None)
    if grammar is not None:
        inherited = {k: v for k, v in {**common, **specific}.items()
                     if (k in COMMON_SCHEMA["properties"] or k.startswith("unless"))
                     and k not in ("needs", "trigger", "type", "examples") and k not in grammar}
        common["grammar"] = parse_rule({**inherited, **grammar}, path, lines, prefix + ("grammar",))
        common["grammar"].extra["string_terms"] = list(specific.get("terms", []))
    for key in ("needs", "trigger", "doc_types", "sections", "skip_sections", "supersedes"):
        if key in common:
            common[key] = tuple(common[key])
    rule = Rule(**common, options=specific, origin=f"{path}:{_line_for(lines, prefix)}")
    from .checks import validate_options  # noqa: PLC0415  (regex compilation etc.)

    problem = validate_options(rule)
    if problem:
        where, message = problem
        raise RuleError(f"{path}:{_line_for(lines, prefix + where)}: {message}")
    return rule


def load_pack(path: Path) -> list[Rule]:
    if (cached := _cached_pack(path)) is not None:
        return cached
    rules = _load_pack(path)
    _cache_pack(path, rules)
    return rules


# The built-in packs, parsed and validated, are kept in the user's cache directory (rule data only,
# never any checked text): reading YAML, checking every rule against the schemas and compiling
# every regular expression to validate it is a large part of doclint's start-up. The key is the
# pack's bytes, its path and the code that reads packs, so any change to either makes a new entry.
def _pack_key(path: Path) -> str | None:
    import hashlib  # noqa: PLC0415

    try:
        if str(path.parent) != str(builtin_rules_dir()):
            return None  # a user's pack is always read and checked
        digest = hashlib.sha1(path.read_bytes())
        digest.update(str(path.resolve()).encode())  # rules carry their origin (file:line); another checkout's differs
        for code in ("rules.py", "checks/__init__.py"):
            digest.update((Path(__file__).parent / code).read_bytes())
        return digest.hexdigest()[:20]
    except OSError:
        return None


def _cache_path(key: str) -> Path:
    import os  # noqa: PLC0415

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "doclint" / f"rules-{key}.marshal"


def _as_data(rule: Rule) -> dict:
    from dataclasses import fields  # noqa: PLC0415

    data = {f.name: getattr(rule, f.name) for f in fields(rule)}
    data["grammar"] = _as_data(rule.grammar) if rule.grammar is not None else None
    return data


def _from_data(data: dict) -> Rule:
    data = dict(data)
    data["grammar"] = _from_data(data["grammar"]) if data.get("grammar") is not None else None
    return Rule(**data)


def _cached_pack(path: Path) -> list[Rule] | None:
    import marshal  # noqa: PLC0415

    key = _pack_key(path)
    if key is None:
        return None
    try:
        rules = [_from_data(d) for d in marshal.loads(_cache_path(key).read_bytes())]
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
    for rule in rules:  # the entry may come from another checkout of the same packs: name this file
        for r in (rule, rule.grammar):
            if r is not None:
                r.origin = f"{path}:{r.origin.rsplit(':', 1)[-1]}"
    return rules


def _cache_pack(path: Path, rules: list[Rule]) -> None:
    import marshal  # noqa: PLC0415
    import os  # noqa: PLC0415

    key = _pack_key(path)
    if key is None:
        return
    target = _cache_path(key)
    try:
        payload = marshal.dumps([_as_data(r) for r in rules])
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        os.replace(tmp, target)
    except (OSError, ValueError):
        pass  # a value marshal cannot keep, or a read-only cache: the pack is read each time


def _load_pack(path: Path) -> list[Rule]:
    data, lines = load_yaml(path)
    if data is None:
        raise RuleError(f"{path}:1: filen är tom; en regelfil ska ha en lista 'rules:'")
    _validate(data, PACK_SCHEMA, path, lines)
    return [parse_rule(raw, path, lines, ("rules", i)) for i, raw in enumerate(data["rules"])]


def builtin_rules_dir() -> Path:
    """The built-in packs: inside the installed package, or rules/ beside it in a checkout."""
    packaged = Path(str(resources.files("doclint"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def pack_files(directory: Path) -> list[Path]:
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise RuleError(f"{directory}:1: regelkatalogen finns inte")
    return sorted(p for p in directory.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_rules(directories: list[Path] | None = None, builtin: bool = True) -> list[Rule]:
    """Load the built-in packs and any user packs; ids must be unique."""
    dirs = ([builtin_rules_dir()] if builtin else []) + list(directories or [])
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for directory in dirs:
        for path in pack_files(Path(directory)):
            for rule in load_pack(path):
                for key in (rule.id, rule.name):
                    if key in seen:
                        raise RuleError(f"{rule.origin}: '{key}' används redan av regeln i {seen[key]}")
                    seen[key] = rule.origin
                rules.append(rule)
    return rules
