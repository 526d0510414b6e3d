"""Project configuration: .doclint.yaml or [tool.doclint] in pyproject.toml.

The file is found by walking up from the checked file (or the working
directory for stdin). It can select and ignore rules or families, change
severities and thresholds, map file globs to document types, and add the
municipality's accepted abbreviations, glossary entries, word lists and rule
packs. Errors are reported as `file:line: what is wrong`.
"""

from __future__ import annotations

import copy
import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .checks import CHECK_SCHEMAS, validate_options
from .rules import (SEVERITY_INPUTS, Rule, RuleError, _validate, load_rules, load_yaml, normalise_severities,
                    read_settings_file)

CONFIG_NAMES = (".doclint.yaml", ".doclint.yml")
_STRINGS = {"type": "array", "items": {"type": "string"}}
CONFIG_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "select": _STRINGS,
        "ignore": _STRINGS,
        "severity": {"type": "object", "additionalProperties": {"enum": list(SEVERITY_INPUTS)}},
        "rules": {"type": "object", "additionalProperties": {"type": "object", "properties": {
            "severity": {"enum": list(SEVERITY_INPUTS)}, "message": {"type": "string", "minLength": 1},
            "enabled": {"type": "boolean"}, "doc_types": _STRINGS, "sections": _STRINGS, "skip_sections": _STRINGS}}},
        "doc_types": {"type": "object", "additionalProperties": {"type": "string"}},
        "abbreviations": _STRINGS,
        "glossary": {"type": "object", "additionalProperties": {"type": "string"}},
        "words": {"type": "object", "additionalProperties": _STRINGS},
        "rule_packs": _STRINGS,
        "fail_level": {"enum": list(SEVERITY_INPUTS)},
        "level": {"enum": list(SEVERITY_INPUTS)},
        "include": _STRINGS,
        "exclude": _STRINGS,
    },
}
# Rule types whose word list `words:` extends (substitution rules get the words without a suggestion).
WORD_LIST_TYPES = ("existence", "pattern")
# Options a configuration may change per rule (thresholds and lists, not the rule's nature).
TUNABLE = {"not_with", "levels", "by_doc_type", "structure", "min_words", "threshold", "min_run", "terms", "swap",
           "unless", "accept", "glossary", "doc_types", "sections", "skip_sections", "min_words", "enabled", "severity", "message"}

STARTER = """\
# doclint – inställningar för er verksamhet.
# Filen gäller alla texter i den här katalogen och dess underkataloger.

# Kör bara vissa områden eller regler (id, namn eller område):
# select: [judgement, jargon, DL101]

# Hoppa över regler eller hela områden:
# ignore: [DL109, voice]

# Ändra nivå (fel, varning eller info) för en regel:
# severity:
#   DL101: warning

# Ändra gränsvärden för en regel:
# rules:
#   DL101:
#     levels:
#       - {above: 22, severity: info}
#       - {above: 30, severity: warning}

# Vilken dokumenttyp en fil är, utifrån sökvägen (journalanteckning, utredning,
# vårdplan, genomförandeplan, beslutsunderlag, sip, brev):
# doc_types:
#   "journal/**": journalanteckning
#   "**/vardplan*": vårdplan

# Förkortningar som är kända hos er och inte behöver skrivas ut:
# abbreviations: [AU, IFO]

# Egna förkortningar och vad de står för:
# glossary:
#   KAE: kommunens arbetsmarknadsenhet

# Egna ord till en regels ordlista:
# words:
#   DL201: [slafsig]

# Egna regelpaket (kataloger med YAML-regler), relativt den här filen:
# rule_packs: [regler/]

# Lägsta nivå som ger slutkod 1 (info, varning eller fel):
# fail_level: varning

# Lägsta nivå som visas; anmärkningar under den räknas bara i sammanfattningen:
# level: varning

# Filer att ta med eller hoppa över när en katalog granskas (glob, relativt den här filen):
# include: ["**/*.md"]
# exclude: ["mallar/**"]
"""


@dataclass
class Config:
    path: Path | None = None
    data: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def doc_type_for(self, file_path: str) -> str | None:
        if file_path == "-":
            return None
        try:
            rel = Path(file_path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = Path(file_path).as_posix()
        for pattern, doc_type in self.data.get("doc_types", {}).items():
            for candidate in {pattern, pattern.removeprefix("**/")}:
                if fnmatch.fnmatch(rel, candidate) or fnmatch.fnmatch(Path(rel).name, candidate):
                    return doc_type
        return None

    def keeps(self, file_path: str) -> bool:
        """The configuration's include and exclude, relative to its folder, for a file found in a folder."""
        include, exclude = self.data.get("include", []), self.data.get("exclude", [])
        if not include and not exclude:
            return True
        from .inputs import _matches  # noqa: PLC0415

        try:
            rel = Path(file_path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = Path(file_path).as_posix()
        name = Path(file_path).name
        return (not include or _matches(rel, name, include)) and not _matches(rel, name, exclude)


def find_config(start: Path) -> Path | None:
    """The nearest .doclint.yaml, or pyproject.toml with [tool.doclint], from start upwards."""
    directory = start if start.is_dir() else start.parent
    for folder in [directory.resolve(), *directory.resolve().parents]:
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "[tool.doclint" in pyproject.read_text(encoding="utf-8", errors="replace"):
                    return pyproject
            except OSError:
                continue  # an unreadable pyproject.toml of some other project is not ours
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        stat = path.stat()
    except OSError as exc:
        raise RuleError(f"{path}:1: inställningsfilen finns inte eller kan inte läsas") from exc
    return _load_config(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_config(path: Path, _mtime: int, _size: int) -> Config:
    if path.suffix == ".toml":
        text = read_settings_file(path)
        try:
            tool = tomllib.loads(text).get("tool", {})
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"{path}:{getattr(exc, 'lineno', 1)}: ogiltig TOML: {exc.args[0]}") from exc
        data = tool.get("doclint", {}) if isinstance(tool, dict) else {}
        header = next((i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("[tool.doclint")), 1)
        lines = {(): header}
    else:
        data, lines = load_yaml(path)
        data = data or {}
    if isinstance(data, dict):
        data = {k: _str_keys(v) if k in _KEYED else v for k, v in data.items()}
    _validate(data, CONFIG_SCHEMA, path, lines)
    return Config(path, normalise_severities(data), lines)


_KEYED = ("glossary", "doc_types", "rules", "words", "severity")


def _str_keys(value):
    """YAML reads `112: SOS Alarm` with a number as key; every key in these maps is text."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


def apply_config(rules: list[Rule], config: Config, extra_dirs: list[Path] | None = None) -> list[Rule]:
    """Rules after the configuration's packs, selection, severities, thresholds and word lists."""
    data = config.data
    if not data and not extra_dirs:
        return rules
    packs = [config.root / p for p in data.get("rule_packs", [])] + list(extra_dirs or [])
    if packs:
        rules = load_rules(packs)
    known = {key for r in rules for key in (r.id, r.name, r.family)}
    for key in ("select", "ignore", "severity", "rules", "words"):
        for i, name in enumerate(data.get(key, [])):
            if name not in known:
                where = (key, i) if isinstance(data[key], list) else (key, name)
                raise RuleError(f"{config.path}:{_line(config, where)}: {key}: okänd regel eller område '{name}'")
    families = {r.family for r in rules} - {key for r in rules for key in (r.id, r.name)}
    for key in ("rules", "words"):
        for name in data.get(key, {}):
            if name in families:
                raise RuleError(f"{config.path}:{_line(config, (key, name))}: {key}.{name}: ange en regel (id eller "
                                f"namn, till exempel DL201), inte ett helt område")
    out = []
    for rule in rules:
        keys = {rule.id, rule.name, rule.family}
        if data.get("select") and not keys & set(data["select"]):
            continue
        if keys & set(data.get("ignore", [])):
            continue
        out.append(_tune(rule, config, keys))
    return out


def _line(config: Config, where: tuple) -> int:
    while where and where not in config.lines:
        where = where[:-1]
    return config.lines.get(where, 1)


def _tune(rule: Rule, config: Config, keys: set[str]) -> Rule:
    data = config.data
    options = copy.deepcopy(rule.options)
    changes: dict = {}
    for key in keys:
        if key in data.get("severity", {}):
            changes["severity"] = data["severity"][key]
    for key in (rule.id, rule.name):
        override = data.get("rules", {}).get(key)
        if override is None:
            continue
        unknown = sorted(set(override) - TUNABLE)
        if unknown:
            raise RuleError(f"{config.path}:{_line(config, ('rules', key, unknown[0]))}: rules.{key}: "
                            f"'{unknown[0]}' kan inte ändras; tillåtet: {', '.join(sorted(TUNABLE))}")
        for name, value in override.items():
            if name in ("severity", "message", "enabled", "doc_types", "sections", "skip_sections"):
                changes[name] = tuple(value) if isinstance(value, list) else value
            else:
                options[name] = value
        schema = {"type": "object", "additionalProperties": False, **CHECK_SCHEMAS[rule.type]}
        _validate(options, schema, config.path, config.lines, ("rules", key))
    for key in (rule.id, rule.name):
        words = data.get("words", {}).get(key)
        if words:
            if rule.type == "substitution":
                options["swap"] = {**options["swap"], **{w: "" for w in words}}
            elif rule.type in WORD_LIST_TYPES:
                options["terms"] = list(options.get("terms", [])) + list(words)
            else:
                raise RuleError(f"{config.path}:{_line(config, ('words', key))}: words.{key}: regeln {rule.id} "
                                f"({rule.name}) har ingen ordlista; egna ord går att lägga till i regler av typen "
                                "existence, substitution och pattern")
    if "severity" in changes and "levels" in options:
        options["levels"] = [{**lv, "severity": changes["severity"]} for lv in options["levels"]]
    if "severity" in changes and "structure" in options:
        options["structure"] = {**options["structure"], "severity": changes["severity"]}
    if rule.type == "conditional":
        options["glossary"] = {**options.get("glossary", {}), **data.get("glossary", {})}
        options["accept"] = list(options.get("accept", [])) + list(data.get("abbreviations", []))
    tuned = replace(rule, options=options, **changes)
    if problem := validate_options(tuned):
        where, message = problem
        key = next((k for k in (rule.id, rule.name) if k in data.get("rules", {}) or k in data.get("words", {})),
                   rule.id)
        section = "rules" if key in data.get("rules", {}) else "words"
        raise RuleError(f"{config.path}:{_line(config, (section, key))}: {section}.{key}: {message}")
    return tuned


def write_starter(directory: Path) -> Path:
    target = directory / CONFIG_NAMES[0]
    if target.exists() or target.is_symlink():
        raise RuleError(f"{target}:1: finns redan; doclint skriver inte över den")
    try:
        target.write_text(STARTER, encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{target}:1: kan inte skapas ({exc.strerror or exc.__class__.__name__})") from exc
    return target
