"""Swedish for what typer and click print themselves: usage errors, help headings and the help option.

Typer (0.29) ships its own copy of click whose messages are plain English strings, not gettext
calls, so they cannot be translated with a catalogue. Instead doclint uses the hooks typer
offers: its own command classes (`cls=`) for the usage line and the help option's text, the
rich help settings in `typer.rich_utils` for headings, and its own printer for usage errors
(typer calls `rich_utils.rich_format_error` for every ClickException). The printed error
follows doclint's own style: one Swedish line on stderr, then where to find help; exit code 2.
"""

from __future__ import annotations

import contextlib
import re

import typer.main
from rich.console import Console
from rich.markup import escape
from typer import Abort, TyperException
from typer.core import TyperCommand, TyperGroup

HELP_TEXT = "Visa den här hjälpen och avsluta."
USAGE = "Användning: "
OPTIONS_METAVAR = "[VAL]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."

_HEADINGS = {
    "ARGUMENTS_PANEL_TITLE": "Argument",
    "OPTIONS_PANEL_TITLE": "Val",
    "COMMANDS_PANEL_TITLE": "Kommandon",
    "ERRORS_PANEL_TITLE": "Fel",
    "ABORTED_TEXT": "Avbrutet.",
    "DEFAULT_STRING": "[standard: {}]",
    "ENVVAR_STRING": "[miljövariabel: {}]",
    "REQUIRED_LONG_STRING": "[krävs]",
    "DEPRECATED_STRING": "(utgår) ",
    "RICH_HELP": "Se [blue]'{command_path} {help_option}'[/] för hjälp.",
}


class _Swedish:
    """Mixin: Swedish usage line and help option."""


    def format_usage(self, ctx, formatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE)

    def format_help(self, ctx, formatter) -> None:
        _rich_texts()
        for param in self.get_params(ctx):
            swedish = _type_label(param, ctx)
            param.display_type_rich = lambda ctx, label=swedish: label
        super().format_help(ctx, formatter)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    # typer prints a usage error or an abort from either of these with typer.rich_utils
    def make_context(self, *args, **kwargs):
        with _texts_on_error():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with _texts_on_error():
            return super().invoke(ctx)


class Command(_Swedish, TyperCommand):
    """A doclint command (typer's, with Swedish usage and help option)."""



class Group(_Swedish, TyperGroup):
    """The doclint command group (typer's, with Swedish usage and help option)."""


_TYPES = {"int": "HELTAL", "float": "TAL", "str": "TEXT", "Path": "SÖKVÄG", "bool": ""}


def _type_label(param, ctx) -> str | None:
    """The type column of the help in Swedish: the metavar, the choices, or HELTAL, TEXT, SÖKVÄG."""
    if getattr(param, "metavar", None):
        return param.metavar
    if getattr(param, "is_flag", False):
        return None
    shown = param.display_type(ctx).strip("<>")
    if "|" in shown:  # choices are values the user types
        return "|".join(c for c in shown.removeprefix("list[").removesuffix("]").split("|"))
    inner = shown.removeprefix("list[").removesuffix("]")
    parts = [_TYPES.get(t, "VÄRDE") for t in inner.split(",")]
    return " ".join(parts) + ("…" if shown.startswith("list[") else "")


def _hint(exc) -> str:
    """The option or argument an error is about: --format, or FIL for an argument."""
    param = getattr(exc, "param", None)
    if getattr(exc, "param_hint", None):
        hint = exc.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return getattr(param, "metavar", None) or (param.name or "").upper()
    return " / ".join(param.opts)


# English details (from typer's value checks) and their Swedish meaning; checked in order.
_DETAILS = (
    (re.compile(r"(?:Value error, )?(?P<value>'.*?') is not one of (?P<choices>.*?)\.?$"),
     lambda m: f"{m['value']} går inte; välj ett av: {m['choices'].replace(chr(39), '')}"),
    (re.compile(r"Input should be a valid integer"), lambda m: "värdet ska vara ett heltal"),
    (re.compile(r"Input should be a valid number"), lambda m: "värdet ska vara ett tal"),
    (re.compile(r"Input should be greater than or equal to (?P<n>\S+)"), lambda m: f"värdet ska vara minst {m['n']}"),
    (re.compile(r"Input should be less than or equal to (?P<n>\S+)"), lambda m: f"värdet ska vara högst {m['n']}"),
    (re.compile(r"Input should be greater than (?P<n>\S+)"), lambda m: f"värdet ska vara större än {m['n']}"),
    (re.compile(r"Input should be a valid boolean"), lambda m: "värdet ska vara ja eller nej (true/false)"),
    (re.compile(r"(?P<what>.*) (?P<loc>'.*') does not exist\."), lambda m: f"{m['loc']} finns inte"),
    (re.compile(r".* (?P<loc>'.*') is a directory\."), lambda m: f"{m['loc']} är en katalog"),
    (re.compile(r".* (?P<loc>'.*') is a file\."), lambda m: f"{m['loc']} är en fil"),
)

_USAGE = (
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)"),
     lambda m: f"för många argument: {m['args']}"),
    (re.compile(r"No such command '(?P<name>.*)'\."), lambda m: f"okänt kommando '{m['name']}'"),
    (re.compile(r"Missing command\."), lambda m: "ange ett kommando"),
    (re.compile(r"Option '(?P<opt>.*)' requires an argument\."), lambda m: f"{m['opt']} behöver ett värde"),
    (re.compile(r"Option '(?P<opt>.*)' requires (?P<n>\d+) arguments\."),
     lambda m: f"{m['opt']} behöver {m['n']} värden"),
    (re.compile(r"Option '(?P<opt>.*)' does not take a value\."), lambda m: f"{m['opt']} tar inget värde"),
    (re.compile(r"Argument '(?P<arg>.*)' takes (?P<n>\d+) values\."),
     lambda m: f"{m['arg']} behöver {m['n']} värden"),
)


def _translate(text: str, table) -> str | None:
    for pattern, swedish in table:
        m = pattern.search(text)
        if m:
            return swedish(m)
    return None


def message(exc) -> str:
    """The Swedish line for a usage error raised by typer or click."""
    from typer._click import exceptions as ce  # noqa: PLC0415

    hint = _hint(exc)
    if isinstance(exc, ce.MissingParameter):
        if getattr(exc.param, "param_type_name", "") == "argument":
            return f"{hint} saknas – ange {hint}"
        return f"{hint} saknas"
    if isinstance(exc, ce.NoSuchOption):
        text = f"okänt val {exc.option_name}"
        if exc.possibilities:
            text += f" – menade du {' eller '.join(sorted(exc.possibilities))}?"
        return text
    if isinstance(exc, ce.BadParameter):
        detail = _translate(str(exc.message), _DETAILS) or "värdet går inte att använda"
        return f"ogiltigt värde för {hint}: {detail}" if hint else f"ogiltigt värde: {detail}"
    if isinstance(exc, ce.FileError):
        return f"{exc.ui_filename}: filen kan inte öppnas"
    return _translate(str(getattr(exc, "message", "")), _USAGE) or "kommandoraden går inte att tolka"


def format_error(exc) -> None:
    """Print a usage error in doclint's style: one Swedish line, then where to find help."""
    if exc.__class__.__name__ == "NoArgsIsHelpError":
        return
    console = Console(stderr=True, highlight=False)
    text = message(exc)
    console.print(f"[bold red]doclint:[/] {escape(text)}{'' if text.endswith(('?', '.')) else '.'}", soft_wrap=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        console.print(f"{escape(ctx.get_usage())}\nSe {escape(ctx.command_path)} --help för alla val.",
                      soft_wrap=True)


@contextlib.contextmanager
def _texts_on_error():
    try:
        yield
    except (TyperException, Abort, EOFError):  # TyperException: the base of typer's (click's) usage errors
        _rich_texts()
        raise


def _rich_texts() -> None:
    """The Swedish headings and usage-error printer in typer.rich_utils, which is imported only when
    help or an error is printed (importing it costs a start of doclint 20 ms)."""
    import typer.rich_utils as rich_utils  # noqa: PLC0415

    for name, text in _HEADINGS.items():
        setattr(rich_utils, name, text)
    rich_utils.rich_format_error = format_error


def install() -> None:
    """Use the Swedish texts for this process's typer output (headings and usage errors)."""
    # typer's default class for `@app.command()`; commands declared after this use the Swedish one
    # (install() runs before doclint's commands are declared).
    typer.main.TyperCommand = Command
