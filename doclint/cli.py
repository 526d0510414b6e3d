"""The command line: doclint check | rules | explain | analyze."""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from . import cli_sv
from .rules import FAMILY_NAMES, SEVERITY_NAMES, RuleError, load_rules

cli_sv.install()
app = typer.Typer(
    name="doclint",
    cls=cli_sv.Group,
    options_metavar=cli_sv.OPTIONS_METAVAR,
    subcommand_metavar=cli_sv.SUBCOMMAND_METAVAR,
    help="Språkgranskning av dokumentation i den sociala barn- och ungdomsvården.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"
    html = "html"
    concise = "concise"


class SimpleFormat(str, Enum):
    text = "text"
    json = "json"


class Level(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"
    varning = "varning"
    fel = "fel"


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            print(f"doclint {version('doclint')}")
        except PackageNotFoundError:
            print("doclint (okänd version)")
        raise typer.Exit(0)


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Visa versionen och avsluta.")] = False) -> None:
    """Språkgranskning av dokumentation i den sociala barn- och ungdomsvården."""


def os_reason(exc: OSError) -> str:
    """A Swedish reason for a failed write."""
    import errno  # noqa: PLC0415

    return {errno.ENOENT: "katalogen finns inte", errno.EISDIR: "det är en katalog",
            errno.EACCES: "behörighet saknas", errno.EPERM: "behörighet saknas", errno.ENOSPC: "disken är full",
            errno.EROFS: "skrivskyddat filsystem"}.get(exc.errno, exc.strerror or exc.__class__.__name__)


def warn(message: str) -> None:
    """One line on stderr, prefixed 'doclint:'."""
    Console(stderr=True, highlight=False).print(f"[bold red]doclint:[/] {escape(message)}", soft_wrap=True)


def fail(message: str, code: int = 2) -> None:
    """One line on stderr and exit code 2: configuration, usage or input error."""
    warn(message)
    raise typer.Exit(code)


def _load(rule_dirs: list[Path] | None, select: list[str] | None = None, ignore: list[str] | None = None):
    try:
        rules = load_rules(rule_dirs or [])
    except RuleError as exc:
        fail(str(exc))
    chosen = [r for r in rules if _selected(r, select, ignore)]
    return chosen


def _selected(rule, select, ignore) -> bool:
    keys = {rule.id, rule.name, rule.family}
    if select and not any(k in keys for k in select):
        return False
    return not (ignore and any(k in keys for k in ignore))


def _check_known(rules, names: list[str] | None, option: str) -> None:
    known = {key for r in rules for key in (r.id, r.name, r.family)}
    for name in names or []:
        if name not in known:
            fail(f"{option}: okänd regel eller område '{name}'. Se listan med: doclint rules")


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


RulesOpt = Annotated[Optional[list[Path]], typer.Option("--rules", metavar="KATALOG", help="Katalog eller fil med egna regelpaket.")]
PipelineOpt = Annotated[str, typer.Option("--pipeline", metavar="NAMN", help="default (med doclints tränade modell), "
                                                             "blank (snabb, utan ordklasser och satsanalys), stanza, "
                                                             "en installerad spaCy-pipeline eller sökväg till en sparad pipeline.")]
_MISSING_TOLD: set[str] = set()


def _pipeline(name: str):
    from .nlp import PipelineError, load_pipeline  # noqa: PLC0415  (spaCy only when text is analysed)

    try:
        pipeline = load_pipeline(name)
    except PipelineError as exc:
        fail(str(exc))
    if pipeline.missing and pipeline.missing not in _MISSING_TOLD:
        _MISSING_TOLD.add(pipeline.missing)
        warn(f"den tränade svenska modellen ({pipeline.missing}) är inte installerad, så doclint läser texten "
             "utan ordklasser och satsanalys och hoppar över regler som behöver dem. Installera den med: "
             "pip install models/sv-doclint (i doclints katalog), eller välj --pipeline blank för att slippa beskedet.")
    if pipeline.stale and "stale" not in _MISSING_TOLD:
        from .nlp import MODEL_VERSION  # noqa: PLC0415

        _MISSING_TOLD.add("stale")
        warn(f"den installerade svenska modellen (sv-doclint {pipeline.stale}) är inte den som hör till den här "
             f"versionen av doclint ({MODEL_VERSION}); pip kan ha tagit en gammal kopia ur sin cache. doclint använder "
             "den ändå. Installera om den med: pip install --no-cache-dir --force-reinstall models/sv-doclint "
             "(i doclints katalog).")
    return pipeline


ConfigOpt = Annotated[Optional[Path], typer.Option("--config", metavar="FIL", help="Inställningsfil (annars söks .doclint.yaml "
                                                                   "eller pyproject.toml uppåt från texten).")]


class Texts(Mapping):
    """The checked texts by path; a file is read again only when a report asks for it."""

    def __init__(self, known: dict, paths: list[str]):
        self._known = known
        self._paths = list(dict.fromkeys(list(known) + paths))

    def __getitem__(self, path: str) -> str:
        if path not in self._known:
            if path not in self._paths:
                raise KeyError(path)
            from .inputs import InputError, read_document  # noqa: PLC0415

            try:
                self._known[path] = read_document(Path(path))
            except InputError:
                self._known[path] = ""  # gone or changed since it was checked: nothing to show
        return self._known[path]

    def __iter__(self):
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


_ONE_COMMAND = False  # set by main(): this process runs one command and then ends
_frozen = False


def _loading() -> None:
    """On the command line, loading (spaCy, the rules, the pipeline) runs without garbage collection:
    nearly all it makes lives until the process ends. So does the trained model, loaded when a
    sentence first needs it: its objects are frozen as soon as it is there."""
    if _ONE_COMMAND and not _frozen:
        gc.disable()
        from . import nlp  # noqa: PLC0415

        nlp.after_model_load = gc.freeze


def _loaded() -> None:
    """Then those objects are moved out of the collector's way (gc.freeze): the collections while
    checking and the one at exit need not walk them again (a sixth of a one-note check's time).
    Once per process, when the first engine is ready or at the latest when run_check returns (spaCy's
    msgpack reader may have turned collection back on meanwhile; that does no harm)."""
    global _frozen
    if _ONE_COMMAND and not _frozen:
        _frozen = True
        gc.freeze()
        gc.enable()


@dataclass
class Run:
    results: list
    findings: list
    skipped: list
    rules: dict
    fail_level: str | None
    texts: dict
    level: str | None = None


def run_check(paths, *, rule_dirs=None, select=None, ignore=None, pipeline="default", include=None, exclude=None,
              jobs=0, config_file: Path | None = None, keep_docs: bool = False, stdin_name: str = "-",
              on_folder=None, lines: bool = False, case_folder: bool = False) -> Run:
    """Collect inputs, apply each file's configuration and run the engine (shared by check and stats).

    With `on_folder`, each case folder's FolderResult is handed to it as soon as the folder is done
    (with {"rules": the rules chosen so far, "level": the display level}) and nothing is kept: memory
    stays flat for any archive size. `lines` adds the source lines the findings point at."""
    _loading()
    from .config import apply_config, find_config, load_config  # noqa: PLC0415
    from .engine import DocResult, Engine, EngineError, FolderResult, finalise, iter_folders  # noqa: PLC0415
    from .inputs import InputError, collect_paths, read_stdin  # noqa: PLC0415

    base = _load(None)
    path_errors: list[str] = []
    used: set[str] = set()
    try:
        files = collect_paths(paths, include, exclude, errors=path_errors, used=used,
                              keep=lambda path: _config_keeps(config_file, path))
        if "-" in files:
            _stdin_hint()
        stdin_text = read_stdin() if "-" in files else None
    except InputError as exc:
        fail(str(exc))
    if stdin_text is not None and not stdin_text.strip():
        fail("-: standard in är tom – det finns ingen text att granska.")
    for option, patterns in (("--include", include), ("--exclude", exclude)):
        for pattern in patterns or []:
            if pattern not in used:
                warn(f"{option} '{pattern}' matchar ingen fil. Mönstret jämförs med sökvägen som doclint skriver "
                     "ut, sökvägen inuti katalogen och filnamnet.")
    if not files and not path_errors:
        warn(f"hittade inga texter (.txt, .md eller .docx) i {', '.join(paths)}.")
    groups: dict = {}
    for f in files:
        where = config_file or find_config(Path(stdin_name) if f == "-" and stdin_name != "-" else
                                           Path.cwd() if f == "-" else Path(f))
        groups.setdefault(where, []).append(f)
    nlp = _pipeline(pipeline)
    results, findings, skipped, rules, level, shown_level = [], [], {}, {}, None, None
    if on_folder is not None and path_errors:
        on_folder(FolderResult("-", [DocResult(m.split(": ")[0], error=m) for m in path_errors], []),
                  {"rules": rules, "level": shown_level})
        path_errors = []
    for config_path, group in groups.items():
        try:
            config = load_config(config_path)
            available = apply_config(base, config, rule_dirs)
        except RuleError as exc:
            fail(str(exc))
        everything = available + (_load(rule_dirs) if rule_dirs else base)  # also rules the config ignores
        _check_known(everything, select, "--select")
        _check_known(everything, ignore, "--ignore")
        chosen = [r for r in available if _selected(r, select, ignore)]
        level = level or config.data.get("fail_level")
        shown_level = shown_level or config.data.get("level")
        paths_only = [f for f in group if f != "-"]
        try:
            engine = Engine(chosen, nlp, config.doc_type_for)
        except EngineError as exc:
            fail(str(exc))
        _loaded()
        skipped.update({r.id: (r, missing) for r, missing in engine.skipped})
        rules.update({r.id: r for r in chosen})
        for done in iter_folders(engine, paths_only, pipeline, jobs, stdin_text if "-" in group else None,
                                 config_path, keep_docs, stdin_name, lines, case_folders=case_folder):
            if on_folder is not None:
                on_folder(done, {"rules": rules, "level": shown_level})
            else:
                results += done.results
                findings += done.findings
    results = [DocResult(message.split(": ")[0], error=message) for message in path_errors] + results
    known = {r.path: r.doc.text for r in results if r.doc is not None}
    if stdin_text is not None:
        known[stdin_name] = stdin_text  # never read from a file that happens to have the --stdin-filename name
    texts = Texts(known, [r.path for r in results if not r.error])
    _loaded()
    return Run(results, finalise(findings), list(skipped.values()), rules, level, texts, shown_level)


def _config_keeps(config_file: Path | None, path: str) -> bool:
    """The include/exclude of the configuration that applies to a file found in a folder."""
    from .config import find_config, load_config  # noqa: PLC0415

    try:
        return load_config(config_file or find_config(Path(path))).keeps(path)
    except RuleError:
        return True  # the broken configuration is reported when its group is checked


def _stdin_hint() -> None:
    """`doclint check -` typed at a terminal waits for text: say how to give it."""
    try:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        interactive = False
    if interactive:
        Console(stderr=True, highlight=False).print(
            "Klistra in texten och avsluta med Ctrl-D på en egen rad (Ctrl-Z och Enter i Windows). "
            "Avbryt med Ctrl-C.", soft_wrap=True)


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(metavar="FIL", help="Filer, kataloger eller - för standard in.")],
    output_format: Annotated[Optional[Format], typer.Option(
        "--format", "--output-format", "-f",
        help="Utdataformat. Standard: text, eller github när GITHUB_ACTIONS är satt.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FIL", help="Skriv rapporten till en fil.")] = None,
    fail_level: Annotated[Optional[Level], typer.Option(
        "--fail-level", help="Lägsta nivå som ger slutkod 1 (standard: warning).")] = None,
    level: Annotated[Optional[Level], typer.Option(
        "--level", help="Lägsta nivå som visas i text och HTML; de andra räknas i sammanfattningen.")] = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", metavar="REGEL,…", help="Kör bara dessa regler eller områden "
                                                                         "(id, namn eller område).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", metavar="REGEL,…", help="Hoppa över dessa regler eller "
                                                                         "områden.")] = None,
    rules: RulesOpt = None,
    pipeline: PipelineOpt = "default",
    include: Annotated[Optional[list[str]], typer.Option("--include", metavar="GLOB", help="Glob för filer att ta med.")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", metavar="GLOB", help="Glob för filer att hoppa över.")] = None,
    statistics: Annotated[bool, typer.Option("--statistics", help="Visa bara en tabell med antal anmärkningar per regel.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=0,
                                               help="Antal processer (0 = alla kärnor).")] = 0,
    config: ConfigOpt = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", metavar="FIL", help="Visa bara anmärkningar som inte finns "
                                                                         "i denna baslinje.")] = None,
    stdin_filename: Annotated[Optional[str], typer.Option(
        "--stdin-filename", metavar="NAMN",
        help="Filnamn för text från standard in: visas i utdata och avgör dokumenttyp och inställningar.")] = None,
    write_baseline: Annotated[Optional[Path], typer.Option("--write-baseline", metavar="FIL", help="Spara dagens anmärkningar "
                                                                                     "som godkända.")] = None,
    case_folder: Annotated[bool, typer.Option(
        "--case-folder", help="Jämför varje fil också med de andra dokumenten i samma katalog (akt), "
                              "till exempel när pre-commit bara skickar ändrade filer.")] = False,
) -> None:
    """Granska texter och visa anmärkningar."""
    from .baseline import filter_baseline, write_baseline as save_baseline  # noqa: PLC0415
    from .reporters import at_least  # noqa: PLC0415

    for target, what in ((output, "rapporten"), (write_baseline, "baslinjen")):
        if target is not None:
            _refuse_overwriting_texts(target, paths, what)
    if output_format is None:
        output_format = Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text
    if output_format is not Format.html or write_baseline is not None:
        from .stream import check_streaming  # noqa: PLC0415  (an archive of any size in flat memory)

        check_streaming(paths, output_format, output, fail_level, statistics, baseline, write_baseline, level,
                        rule_dirs=rules, select=_split(select), ignore=_split(ignore), pipeline=pipeline,
                        include=include, exclude=exclude, jobs=jobs, config_file=config,
                        stdin_name=stdin_filename or "-", case_folder=case_folder)
    run = run_check(paths, rule_dirs=rules, select=_split(select), ignore=_split(ignore), pipeline=pipeline,
                    include=include, exclude=exclude, jobs=jobs, config_file=config,
                    stdin_name=stdin_filename or "-", case_folder=case_folder)
    findings = run.findings
    errors = [r.error for r in run.results if r.error]
    for result in run.results:
        if result.notice:
            warn(result.notice)
    if write_baseline is not None:
        try:
            count = save_baseline(write_baseline, findings)
        except OSError as exc:
            fail(f"{write_baseline}: kan inte skriva baslinjen ({os_reason(exc)}).")
        for message in errors:
            warn(message)
        Console(stderr=True, highlight=False).print(f"Sparade {count} anmärkningar i baslinjen {write_baseline}.")
        raise typer.Exit(2 if errors else 0)
    if baseline is not None:
        try:
            findings = filter_baseline(baseline, findings)
        except RuleError as exc:
            fail(str(exc))
    texts = run.texts

    def lines_of(path: str, line: int):
        lines = texts.get(path, "").split("\n")
        return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else None

    if output_format is None:
        output_format = Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text
    shown_level = level.value if level else run.level
    shown, hidden = findings, None
    if output_format in (Format.text, Format.concise, Format.html):
        from .reporters import by_level  # noqa: PLC0415

        shown, hidden = by_level(findings, shown_level)
    context = dict(skipped=run.skipped, errors=errors, statistics=statistics, texts=texts, rules=run.rules,
                   hidden=hidden, level=shown_level, concise=output_format is Format.concise,
                   checked=sum(1 for r in run.results if not r.error and not r.notice))
    if output_format in (Format.text, Format.concise) and output is None:
        from .reporters import text  # noqa: PLC0415

        text.render(shown, console=Console(highlight=False), lines_of=lines_of, **context)
    else:
        from .reporters import render  # noqa: PLC0415

        rendered = render("text" if output_format is Format.concise else output_format.value, shown, **context)
        if output is None:
            sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
        else:
            _write_report(output, rendered)
    if errors:
        raise typer.Exit(2)
    from .rules import severity  # noqa: PLC0415

    limit = severity(fail_level.value) if fail_level else (run.fail_level or "warning")
    raise typer.Exit(1 if at_least(findings, limit) else 0)


class StatsFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


@app.command()
def stats(
    paths: Annotated[Optional[list[str]], typer.Argument(metavar="FIL", help="Filer eller kataloger.")] = None,
    compare: Annotated[Optional[tuple[str, str]], typer.Option(
        "--compare", metavar="FÖRE EFTER", help="Jämför två texter, eller två kataloger (dokument med samma namn).")]
    = None,
    output_format: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FIL", help="Skriv resultatet till en fil.")]
    = None,
    pipeline: PipelineOpt = "default",
    config: ConfigOpt = None,
) -> None:
    """Visa läsbarhet och antal anmärkningar per text (eller jämför före och efter)."""
    from .stats import file_stats, print_compare, print_table  # noqa: PLC0415

    targets = list(compare) if compare else list(paths or [])
    if not targets:
        fail("ange minst en fil, eller --compare FÖRE EFTER")
    if output_format is StatsFormat.html and not (compare and all(os.path.isdir(p) for p in compare)):
        fail("--format html finns för --compare med två kataloger; för enskilda texter: --format text eller json")
    if output is not None:
        _refuse_overwriting_texts(output, targets, "resultatet")
    if compare and sum(os.path.isdir(p) for p in compare) == 1:
        fail("--compare jämför två textfiler eller två kataloger, inte en fil med en katalog.")
    run = run_check(targets, pipeline=pipeline, config_file=config, jobs=1, keep_docs=True)
    errors = [r.error for r in run.results if r.error]
    for message in errors + [r.notice for r in run.results if r.notice]:
        warn(message)
    docs = {r.path: r.doc for r in run.results if r.doc is not None}
    table_data = [file_stats(docs[p], run.findings) for p in docs]
    console, buffer = _stats_console(output)
    if compare and os.path.isdir(compare[0]):
        from .stats import compare_folders_html, print_folder_compare, total_stats  # noqa: PLC0415

        result = _pair_folders(compare, table_data, total_stats)
        if output_format is StatsFormat.json:
            console.file.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        elif output_format is StatsFormat.html:
            console.file.write(compare_folders_html(result))
        else:
            print_folder_compare(console, result)
    elif compare:
        by_path = {d["path"]: d for d in table_data}
        missing = [p for p in compare if p not in by_path]
        if missing:
            fail(f"{missing[0]}: --compare jämför två textfiler eller två kataloger; filen gick inte att läsa.")
        before, after = by_path[compare[0]], by_path[compare[1]]
        if output_format is StatsFormat.json:
            console.file.write(json.dumps({"before": before, "after": after}, ensure_ascii=False, indent=2) + "\n")
        else:
            print_compare(console, before, after)
    elif output_format is StatsFormat.json:
        console.file.write(json.dumps({"files": table_data}, ensure_ascii=False, indent=2) + "\n")
    else:
        print_table(console, table_data)
    if output is not None:
        _write_report(output, buffer.getvalue())
    if errors:
        raise typer.Exit(2)


def _stats_console(output: Path | None):
    """A console for stdout, or one that writes into a buffer that becomes the output file at once."""
    if output is None:
        return Console(highlight=False), None
    import io  # noqa: PLC0415

    buffer = io.StringIO()
    return Console(file=buffer, highlight=False, width=120, color_system=None), buffer


def _pair_folders(compare, table_data: list[dict], total_stats) -> dict:
    """Documents of the före and efter folders matched by their path inside the folder."""
    sides = []
    for root in compare:
        prefix = os.path.normpath(root) + os.sep
        sides.append({os.path.normpath(d["path"])[len(prefix):]: d for d in table_data
                      if os.path.normpath(d["path"]).startswith(prefix)})
    before, after = sides
    names = sorted(set(before) & set(after))
    return {
        "before": compare[0], "after": compare[1],
        "pairs": [{"name": n, "before": before[n], "after": after[n]} for n in names],
        "total": {"before": total_stats([before[n] for n in names], compare[0]),
                  "after": total_stats([after[n] for n in names], compare[1])},
        "only_before": sorted(set(before) - set(after)), "only_after": sorted(set(after) - set(before)),
    }


@app.command()
def init(directory: Annotated[Path, typer.Argument(metavar="KATALOG", help="Katalog där .doclint.yaml skapas.")] = Path(".")) -> None:
    """Skapa en kommenterad startfil .doclint.yaml."""
    from .config import write_starter  # noqa: PLC0415

    try:
        target = write_starter(directory)
    except RuleError as exc:
        fail(str(exc))
    Console(highlight=False).print(f"Skapade {target}. Öppna filen och ta bort # framför det du vill ändra.")


@app.command("config")
def show_config(
    path: Annotated[Path, typer.Argument(metavar="SÖKVÄG", help="Fil eller katalog (standard: den aktuella).")]
    = Path("."),
    config: ConfigOpt = None,
    rules: RulesOpt = None,
    output_format: Annotated[SimpleFormat, typer.Option("--format", "-f")] = SimpleFormat.text,
) -> None:
    """Visa vilken inställningsfil som gäller för en sökväg och vilka inställningar det blir."""
    from .config import apply_config, find_config, load_config  # noqa: PLC0415

    where = config or find_config(path)
    try:
        loaded = load_config(where)
        effective = apply_config(_load(None), loaded, rules)
    except RuleError as exc:
        fail(str(exc))
    everything = {r.id: r for r in (_load(rules) if rules else _load(None))}
    chosen = {r.id: r for r in effective}
    data = loaded.data
    doc_type = loaded.doc_type_for(str(path)) if not path.is_dir() else None
    rows = []
    for rule_id, rule in sorted(everything.items()):
        tuned = chosen.get(rule_id)
        changed = []
        if tuned is None:
            changed.append("avstängd")
        else:
            if not tuned.enabled:
                changed.append("avstängd")
            if tuned.severity != rule.severity:
                changed.append(f"nivå {SEVERITY_NAMES[tuned.severity]}")
            relevelled = {**rule.options, **({"levels": [{**lv, "severity": tuned.severity}
                                                         for lv in rule.options["levels"]]}
                                             if "levels" in rule.options and tuned.severity != rule.severity else {})}
            if tuned.options not in (rule.options, relevelled):
                changed.append("ändrade listor eller gränsvärden")
            if tuned.message != rule.message:
                changed.append("eget meddelande")
        rows.append({"id": rule_id, "name": rule.name, "used": tuned is not None and tuned.enabled,
                     "severity": (tuned or rule).severity, "changes": changed})
    summary = {"path": str(path), "config_file": str(where) if where else None, "doc_type": doc_type,
               "level": data.get("level", "info"), "fail_level": data.get("fail_level", "warning"),
               "include": data.get("include", []), "exclude": data.get("exclude", []), "settings": data,
               "rules": rows}
    if output_format is SimpleFormat.json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        return
    import yaml  # noqa: PLC0415

    console = Console(highlight=False)
    console.print(f"[bold]Sökväg:[/] {escape(str(path))}", soft_wrap=True)
    console.print(f"[bold]Inställningsfil:[/] {escape(str(where)) if where else 'ingen – doclints standard gäller'}",
                  soft_wrap=True)
    if doc_type:
        console.print(f"[bold]Dokumenttyp enligt inställningarna:[/] {escape(doc_type)}")
    console.print(f"[bold]Visas från nivå:[/] {SEVERITY_NAMES[summary['level']]}   "
                  f"[bold]Slutkod 1 från nivå:[/] {SEVERITY_NAMES[summary['fail_level']]}")
    for key, label in (("include", "Tar med"), ("exclude", "Hoppar över")):
        if summary[key]:
            console.print(f"[bold]{label}:[/] {escape(', '.join(summary[key]))}", soft_wrap=True)
    used = sum(1 for r in rows if r["used"])
    console.print(f"\n[bold]Regler:[/] {used} av {len(rows)} används")
    from rich.table import Table  # noqa: PLC0415

    table = Table(show_edge=False, box=None, pad_edge=False)
    for col in ("Id", "Namn", "Nivå", "Ändrat"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], escape(r["name"]), SEVERITY_NAMES[r["severity"]] if r["used"] else "–",
                      escape(", ".join(r["changes"])) or "–")
    console.print(table)
    if data:
        console.print("\n[bold]I inställningsfilen:[/]")
        console.print(escape(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).rstrip()), soft_wrap=True)


def _refuse_overwriting_texts(path: Path, inputs, what: str) -> None:
    """doclint never writes over a note: not a checked file (also through a symbolic or hard link, and
    files found in folders count), not any existing .txt, .md or .docx."""
    from .inputs import collect_paths  # noqa: PLC0415
    from .safewrite import same_file_as_input  # noqa: PLC0415

    checked = collect_paths([p for p in inputs if p != "-"], errors=[])
    note = same_file_as_input(path, checked)
    if note is not None and os.path.abspath(note) != os.path.abspath(path):
        fail(f"{path}: är en länk till texten {note} – välj ett annat filnamn för {what} "
             "(doclint skriver aldrig över texter).")
    if note is not None or (path.suffix.lower() in (".txt", ".md", ".docx") and path.exists()):
        fail(f"{path}: finns redan som text – välj ett annat filnamn för {what} (doclint skriver aldrig över texter).")


def _write_report(path: Path, content: str) -> None:
    """Write a report file at once: a failed write leaves neither a partial report nor a temporary file."""
    from .safewrite import write_atomic  # noqa: PLC0415

    try:
        write_atomic(path, content)
    except OSError as exc:
        fail(f"{path}: kan inte skriva rapporten ({os_reason(exc)}).")


@app.command("rules")
def list_rules(
    rules: RulesOpt = None,
    test: Annotated[Optional[Path], typer.Option("--test", metavar="KATALOG", help="Kör exemplen i regelpaketen i denna katalog.")]
    = None,
    output_format: Annotated[SimpleFormat, typer.Option("--format", "-f")] = SimpleFormat.text,
) -> None:
    """Lista reglerna (eller testa ett regelpaket med --test KATALOG)."""
    if test is not None:
        _test_rules(test)
        return
    chosen = _load(rules)
    if output_format is SimpleFormat.json:
        sys.stdout.write(json.dumps([{"id": r.id, "name": r.name, "title": r.shown_name, "family": r.family,
                                      "severity": r.severity,
                                      "type": r.type, "message": r.message} for r in chosen],
                                    ensure_ascii=False, indent=2) + "\n")
        return
    from rich.table import Table  # noqa: PLC0415

    table = Table(show_edge=False, box=None)
    for col in ("Id", "Regel", "Namn i inställningar", "Område", "Nivå"):
        table.add_column(col)
    for r in sorted(chosen, key=lambda r: r.id):
        table.add_row(r.id, escape(r.shown_name), r.name, r.family, SEVERITY_NAMES[r.severity])
    Console().print(table)


def _test_rules(directory: Path) -> None:
    from .rules import pack_files, load_pack  # noqa: PLC0415
    from .engine import EngineError  # noqa: PLC0415
    from .testing import example_cases, run_example  # noqa: PLC0415

    try:
        rules = [r for path in pack_files(directory) for r in load_pack(path)]
    except RuleError as exc:
        fail(str(exc))
    if not rules:
        fail(f"{directory}: hittade inga regler (*.yaml) att testa.")
    pipeline = _pipeline("default")
    console = Console(highlight=False)
    failures = 0
    total = 0
    for rule, kind, example in example_cases(rules):
        total += 1
        try:
            result = run_example(rule, kind, example, pipeline)
        except EngineError as exc:
            fail(str(exc))
        if not result.ok:
            failures += 1
            what = "slog inte till" if kind == "fail" else "slog till"
            shown = example if isinstance(example, str) else " | ".join(example)
            console.print(f"[red]FEL[/] {rule.origin} {rule.id}: exemplet ({kind}) {what}: {escape(shown[:120])}",
                          soft_wrap=True)
    console.print(f"{total - failures} passed, {failures} failed")
    if failures:
        raise typer.Exit(1)


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="ID", help="Regelns id eller namn, t.ex. DL101 eller long-sentence.")],
    rules: RulesOpt = None,
) -> None:
    """Förklara en regel: varför, källa och exempel."""
    chosen = _load(rules)
    rule = next((r for r in chosen if rule_id in (r.id, r.name) or rule_id.upper() == r.id), None)
    if rule is None and rule_id in FAMILY_NAMES:
        console = Console(highlight=False)
        console.print(f"[bold]{rule_id}[/]: {FAMILY_NAMES[rule_id]}\n")
        for r in sorted((r for r in chosen if r.family == rule_id), key=lambda r: r.id):
            console.print(f"  {r.id} {escape(r.shown_name)} ({SEVERITY_NAMES[r.severity]}): "
                          f"{escape(r.why.split('. ')[0])}.",
                          soft_wrap=True)
        console.print("\nMer om en regel: doclint explain ID")
        return
    if rule is None:
        fail(f"okänd regel '{rule_id}'. Se listan med: doclint rules")
    console = Console(highlight=False)
    console.print(f"[bold]{rule.id} {escape(rule.shown_name)}[/]  ({FAMILY_NAMES[rule.family]}, "
                  f"{SEVERITY_NAMES[rule.severity]})")
    console.print(f"[dim]Namn i inställningar: {rule.name} · område: {rule.family}[/]")
    import re  # noqa: PLC0415

    shown = re.sub(r"\{[a-z]+\}", "…", rule.message)  # the places a finding fills in are shown as …
    console.print(f"\n[bold]Så låter anmärkningen:[/] {escape(shown)}", soft_wrap=True)
    console.print(f"\n[bold]Varför:[/] {escape(rule.why)}")
    console.print(f"\n[bold]Källa:[/] {escape(rule.source)}" + (f"\n{escape(rule.link)}" if rule.link else ""))
    for kind, title in (("fail", "Exempel som ger anmärkning"), ("pass", "Exempel utan anmärkning")):
        console.print(f"\n[bold]{title}:[/]")
        for ex in rule.examples[kind]:
            for part in ([ex] if isinstance(ex, str) else ex):
                console.print(f"  • {escape(part.strip())}", soft_wrap=True)


ANALYZE_MAX_CHARS = 200_000


@app.command()
def analyze(
    path: Annotated[str, typer.Argument(metavar="FIL", help="En fil eller - för standard in.")],
    output_format: Annotated[SimpleFormat, typer.Option("--format", "-f")] = SimpleFormat.text,
    pipeline: PipelineOpt = "default",
) -> None:
    """Visa hur doclint läser en text: meningar och ord med grundform och flaggor."""
    from .document import build_document  # noqa: PLC0415
    from .inputs import InputError, read_document, read_stdin  # noqa: PLC0415

    try:
        text = read_stdin() if path == "-" else read_document(Path(path))
    except InputError as exc:
        fail(str(exc))
    if not text.strip():
        fail(f"{path}: {'standard in' if path == '-' else 'filen'} är tom – det finns ingen text att visa.")
    if len(text) > ANALYZE_MAX_CHARS:  # every word on its own line: beyond this nobody reads it, and it takes long
        fail(f"{path}: analyze visar högst {ANALYZE_MAX_CHARS:,} tecken och texten har {len(text):,} – ange en "
             f"kortare del av texten (check och stats granskar hela texten).".replace(",", "\u00a0"))
    doc = build_document(text, _pipeline(pipeline), path)
    parsed = bool(doc.parsed)
    if output_format is SimpleFormat.json:
        data = {
            "path": path, "doc_type": doc.doc_type,
            "sections": [{"title": s.title, "start": s.start, "end": s.end} for s in doc.sections],
            "sentences": [{"start": s.start, "end": s.end, "text": doc.sentence_text(s), "heading": s.is_heading}
                          for s in doc.sentences],
            "tokens": [{"start": t.start, "end": t.end, "text": t.text, "lemma": t.lemma, "pos": t.pos,
                        "morph": t.morph, "head": t.head if t.head >= 0 else None, "dep": t.dep,
                        "sentence": t.sentence, "in_quote": t.in_quote, "is_mention": t.is_mention,
                        "is_abbrev": t.is_abbrev, "is_initials": t.is_initials} for t in doc.tokens],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    console.print(f"[bold]Dokumenttyp:[/] {doc.doc_type or 'okänd'}   [bold]Avsnitt:[/] "
                  f"{', '.join(escape(s.title or '(inledning)') for s in doc.sections) or '–'}")
    for s in doc.sentences:
        line, col = doc.position(s.start)
        console.print(f"\n[bold]{line}:{col}[/] {'[dim](rubrik)[/] ' if s.is_heading else ''}"
                      f"{escape(doc.sentence_text(s))}", soft_wrap=True)
        if parsed:
            first = s.tokens.start
            for t in doc.sentence_tokens(s):
                flags = "".join(f for f, on in (("”", t.in_quote), ("~", t.is_mention), ("*", t.is_abbrev)) if on)
                head = "–" if t.head < 0 else "0" if t.head == t.i else str(t.head - first + 1)
                console.print(f"   {t.i - first + 1:>3} {escape(t.text):<16} {escape(t.lemma):<16} {t.pos or '–':<6} "
                              f"{head:>3} {escape(t.dep) or '–':<10} [dim]{escape(t.morph) or '–'}{'  ' + flags if flags else ''}[/]",
                              soft_wrap=True)
            continue
        parts = []
        for t in doc.sentence_tokens(s):
            flags = "".join(f for f, on in (("”", t.in_quote), ("~", t.is_mention), ("*", t.is_abbrev)) if on)
            parts.append(f"{escape(t.text)}[dim]/{escape(t.lemma)}{('/' + t.pos) if t.pos else ''}{flags}[/]")
        console.print("   " + " ".join(parts), soft_wrap=True)
    if parsed:
        console.print("\n[dim]Kolumner: nr, ord, grundform, ordklass, huvudord (nr i meningen, 0 = satsens rot), "
                      "relation, böjningsform[/]")
    console.print("\n[dim]Flaggor: ” inom citattecken, ~ omnämnt ord, * förkortning[/]")


@app.command("report")
def followup_report(
    results: Annotated[list[Path], typer.Argument(metavar="RESULTAT", help="JSONL från check --format jsonl, "
                                                                          "eller en katalog med delar.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FIL", help="HTML-rapporten, t.ex. "
                                                                            "uppfoljning.html.")],
    csv_dir: Annotated[Optional[Path], typer.Option("--csv", metavar="KATALOG", help="Skriv tabellerna som "
                                                                                   "CSV-filer hit.")] = None,
    show_words: Annotated[bool, typer.Option("--show-words", help="Visa de vanligaste markerade orden (text ur "
                                                                  "anteckningarna).")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Antal rader i topplistorna.")] = 20,
) -> None:
    """Uppföljningsrapport för chefer och FoU: anmärkningar per 1 000 ord, per dokumenttyp, enhet och månad."""
    try:
        from .followup import Followup, ResultsError, render, result_files, write_csv  # noqa: PLC0415
    except ImportError:
        fail("matplotlib behövs för rapportens diagram. Installera det med: pip install 'doclint[report]'")
    if output.suffix.lower() in (".txt", ".md", ".docx") or output.resolve() in {r.resolve() for r in results}:
        fail(f"{output}: välj ett annat filnamn för rapporten, till exempel uppfoljning.html.")
    try:
        files = result_files(results)
        counts = Followup(show_words=show_words)
        for path in files:
            counts.add_file(path)
    except ResultsError as exc:
        fail(str(exc))
    if not counts.total.documents:
        fail("resultaten har inga dokument; skapa dem med doclint check ARKIV --format jsonl --output resultat.jsonl")
    page, tables = render(counts, [str(f) for f in files], top)
    _write_report(output, page)
    if csv_dir is not None:
        try:
            write_csv(tables, csv_dir)
        except OSError as exc:
            fail(f"{csv_dir}: kan inte skriva CSV-filerna ({os_reason(exc)}).")
    Console(stderr=True, highlight=False).print(f"Skrev {output}" + (f" och CSV-filer i {csv_dir}." if csv_dir else "."))


@app.command("distributed")
def distributed(
    archive: Annotated[Path, typer.Argument(metavar="ARKIV", help="Arkivet: en katalog med en katalog per akt.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="KATALOG",
                                         help="Katalog för resultaten, en JSONL-fil per del.")],
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADRESS",
                                                     help="Dask-schemaläggarens adress (tcp://…). Utan: ett lokalt "
                                                          "kluster på den här datorn.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Antal processer i det lokala klustret.")] = 2,
    folders_per_shard: Annotated[Optional[int], typer.Option(
        "--folders-per-shard", min=1, metavar="N",
        help="Akter per del (en del är en uppgift). Standard 50, eller samma som förra körningen.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Skriv inte den markerade texten i resultaten.")] = False,
    select: Annotated[Optional[list[str]], typer.Option("--select", metavar="REGEL,…")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", metavar="REGEL,…")] = None,
    pipeline: PipelineOpt = "default",
    config: ConfigOpt = None,
) -> None:
    """Granska ett stort arkiv på ett Dask-kluster; en omstart hoppar över färdiga delar."""
    try:
        from dask.distributed import Client, LocalCluster  # noqa: PLC0415
    except ImportError:
        fail("Dask är inte installerat. Installera det med: pip install 'doclint[dask]'")
    from .api import Checker  # noqa: PLC0415
    from .distributed import ShardingError, run_archive  # noqa: PLC0415

    if not archive.is_dir():
        fail(f"{archive}: arkivet ska vara en katalog.")
    checker = Checker(pipeline=pipeline, select=_split(select), ignore=_split(ignore), config=config)
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        done = run_archive(archive, output, client=client, checker=checker, folders_per_shard=folders_per_shard,
                           text=not no_text)
    except ShardingError as exc:
        fail(str(exc))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    documents = sum(d["documents"] for d in done)
    errors = sum(d["errors"] for d in done)
    Console(stderr=True, highlight=False).print(
        f"Granskade {documents} dokument i {len(done)} {'del' if len(done) == 1 else 'delar'}; resultaten finns i "
        f"{output}." if done else
        f"Alla delar fanns redan i {output}; inget att göra.")
    raise typer.Exit(2 if errors else 0)


# -- doclint serve and doclint lsp (branch serve): the web stack is imported only when they run --------

@app.command("serve")
def serve(
    port: Annotated[int, typer.Option("--port", metavar="PORT", min=0, max=65535, help="Port.")] = 8765,
    host: Annotated[str, typer.Option("--host", metavar="ADRESS", help="Adress att lyssna på (127.0.0.1 är bara den "
                                                                     "här datorn).")] = "127.0.0.1",
    token: Annotated[Optional[str], typer.Option("--token", metavar="NYCKEL", envvar="DOCLINT_TOKEN",
                                                 help="Nyckel som varje begäran måste skicka (Authorization: Bearer "
                                                      "NYCKEL). Krävs för en annan adress än 127.0.0.1.")] = None,
    max_kb: Annotated[int, typer.Option("--max-kb", metavar="KB", min=1, help="Största begäran i kB.")]
    = 2048,
    cors: Annotated[Optional[list[str]], typer.Option("--cors-origin", metavar="URSPRUNG",
                                                      help="Tillåt anrop från den här webbplatsen (CORS). "
                                                           "Standard: ingen.")] = None,
    pipeline: PipelineOpt = "default",
    config: ConfigOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Starta en lokal webbsida och ett API för granskning (texter sparas och loggas aldrig)."""
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        fail(f"--host {host} gör tjänsten nåbar från andra datorer. Ange då också --token NYCKEL, "
             "så att bara den som har nyckeln kan skicka texter.")
    import socket  # noqa: PLC0415

    try:  # a port in use is one Swedish line, not uvicorn's English log
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except OSError as exc:
        fail(f"kan inte lyssna på {host}:{port}: {os_reason(exc) if exc.errno != 98 else 'porten används redan'}. "
             "Välj en annan med --port.")
    from .serve import run as run_service  # noqa: PLC0415

    _pipeline(pipeline)  # a missing model is said once, before the service starts
    try:
        run_service(host, port, token, max_kb * 1024, cors, pipeline=pipeline, config=config, rule_dirs=rules)
    except RuleError as exc:
        fail(str(exc))


@app.command("lsp")
def lsp(
    pipeline: PipelineOpt = "default",
    config: ConfigOpt = None,
) -> None:
    """Starta en språkserver (LSP) över standard in och ut för textredigerare."""
    from .lsp import run as run_lsp  # noqa: PLC0415

    run_lsp(pipeline=pipeline, config=config)


class _Stopped(BaseException):
    """Ctrl-C (SIGINT) or SIGTERM. Not a KeyboardInterrupt, which click turns into "Aborted!" and exit 1:
    this one unwinds past click, so workers are stopped and no temporary file is left."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def _on_signal(signum, frame) -> None:
    import signal  # noqa: PLC0415

    raise _Stopped(130 if signum == signal.SIGINT else 143)


def _interrupted(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001  a closed pipe: nothing more to say there
            pass
    try:
        Console(stderr=True, highlight=False).print("[bold red]doclint:[/] avbrutet", soft_wrap=True)
    except Exception:  # noqa: BLE001
        pass
    os._exit(code)  # at once: no waiting for pools or threads that the interruption left behind


def main() -> None:
    import signal  # noqa: PLC0415

    global _ONE_COMMAND
    _ONE_COMMAND = True
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        app()
    except KeyboardInterrupt:
        _interrupted(130)
    except _Stopped as stop:
        _interrupted(stop.code)
    except Exception as exc:  # never a traceback for the user; one line and exit 2
        Console(stderr=True, highlight=False).print(
            f"[bold red]doclint:[/] internt fel: {escape(type(exc).__name__)}: {escape(str(exc).splitlines()[0] if str(exc) else '')}"
            " – kör igen med DOCLINT_DEBUG=1 för detaljer.", soft_wrap=True)
        if os.environ.get("DOCLINT_DEBUG"):
            raise
        sys.exit(2)
