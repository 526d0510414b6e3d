"""Reading input documents: bytes to text, .docx to text, arguments to paths.

Notes hold sensitive personal data, so files are only ever opened for
reading; nothing is written or copied anywhere. Errors are raised as
InputError with a one-line Swedish message that names the file.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
from fnmatch import fnmatch
from pathlib import Path

from charset_normalizer import from_bytes

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx")
MAX_BYTES = 20 * 1024 * 1024
# The largest text doclint checks (about 500 pages). Every input up to it is checked in bounded time
# and memory (benchmarks/hostile_inputs.py); a longer text is refused with one line.
MAX_CHARS = 1_000_000
# A .docx is a zip archive: its parts are limited before anything is unpacked (a zip bomb inflates a
# small file to gigabytes), and word/document.xml separately, since it becomes an XML tree in memory.
MAX_DOCX_ENTRIES = 2_000
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
MAX_DOCX_XML = 40 * 1024 * 1024
_CANDIDATES = ["utf_8", "cp1252", "latin_1"]
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


class InputError(Exception):
    """One-line Swedish message, e.g. 'anteckning.txt: filen är binär (inte text) – ange en textfil (.txt, .md eller .docx).'"""


def _error(name: object, message: str) -> InputError:
    shown = str(name).replace("\r", "\\r").replace("\n", "\\n")  # keep the message on one line
    return InputError(f"{shown}: {message}")


def _binary(name: str) -> InputError:
    return _error(name, "filen är binär (inte text) – ange en textfil (.txt, .md eller .docx).")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode raw bytes to text without touching line endings (a BOM is stripped)."""
    text = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise _error(name, f"filen ser ut att vara {codec.upper()} men går inte att avkoda "
                                   "– spara den som UTF-8 och försök igen.") from None
            break
    if text is None:
        if b"\x00" in data:
            raise _binary(name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if _mostly_utf8(data):
                # A UTF-8 note with a few broken bytes (a cut-off copy, a bad export): reading it as
                # Windows-1252 would turn every å, ä and ö into two letters (Ã¤) without a word.
                line = data[:exc.start].count(b"\n") + 1
                raise _error(name, f"teckenkodningen är trasig (ogiltig UTF-8 på rad {line}) "
                                   "– spara filen som UTF-8 och försök igen.") from None
            best = from_bytes(data, cp_isolation=_CANDIDATES).best()
            if best is None and not _UTF8_MULTIBYTE.search(data):
                # Not one valid UTF-8 letter beyond ASCII: a short Windows-1252 or Latin-1 export.
                return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin_1")
            if best is None:
                line = data[:exc.start].count(b"\n") + 1
                raise _error(name, f"teckenkodningen är trasig (ogiltig UTF-8 på rad {line}) "
                                   "– spara filen som UTF-8 och försök igen.") from None
            text = str(best)
    if "\x00" in text:  # e.g. UTF-32, or binary data that happens to start like a BOM
        raise _binary(name)
    return check_length(text, name)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")  # 1 000 000, as Swedish writes it


def check_length(text: str, name: object) -> str:
    """Refuse a text longer than doclint checks in bounded time and memory."""
    if len(text) > MAX_CHARS:
        raise _error(name, f"texten är för lång ({_number(len(text))} tecken; doclint granskar högst "
                           f"{_number(MAX_CHARS)} tecken, ungefär 500 sidor) – dela upp den i mindre filer.")
    return text


_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")


def _mostly_utf8(data: bytes) -> bool:
    """Is text that fails to decode as UTF-8 still UTF-8 in the main: more valid letters beyond ASCII
    (å, ä, ö, ”) than broken sequences? Windows-1252 text has almost no valid UTF-8 sequences."""
    replaced = data.decode("utf-8", errors="replace")
    broken = replaced.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    valid = len(_NON_ASCII.findall(replaced))
    return valid > 0 and broken <= valid


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _read_limited(stream, name: object) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _error(name, "filen är större än 20 MB – dela upp den i mindre filer.")
    return data


def read_document(path: Path) -> str:
    """Read one file (.docx via python-docx, anything else via decode_bytes)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise _error(path, "är en katalog, inte en fil.")
        if not stat.S_ISREG(mode):  # a FIFO or a device would block or never end
            raise _error(path, "är ingen vanlig fil (till exempel en pipe eller en enhet) – ange en textfil.")
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size > MAX_BYTES:
                raise _error(path, "filen är större än 20 MB – dela upp den i mindre filer.")
            data = _read_limited(f, path)
    except FileNotFoundError:
        raise _error(path, "filen finns inte.") from None
    except IsADirectoryError:
        raise _error(path, "är en katalog, inte en fil.") from None
    except PermissionError:
        if path.is_dir():  # Windows reports directories as permission errors
            raise _error(path, "är en katalog, inte en fil.") from None
        raise _error(path, "behörighet saknas för att läsa filen.") from None
    except OSError:
        raise _error(path, "filen kunde inte läsas.") from None
    if path.suffix.lower() == ".docx":
        return _docx_text(data, path)
    return decode_bytes(data, str(path))


def _docx_guard(data: bytes, path: Path) -> None:
    """Refuse a .docx whose parts would unpack to more than doclint reads, before unpacking anything.

    The sizes are those the archive declares; Python's zipfile never inflates a part beyond its
    declared size (it stops there and reports a broken archive), so they are a real bound."""
    import zipfile  # noqa: PLC0415

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _error(path, "filen är inte en giltig Word-fil (.docx) – den kan vara skadad.") from None
    unpacked = sum(e.file_size for e in entries)
    body = sum(e.file_size for e in entries if e.filename == "word/document.xml")
    if len(entries) > MAX_DOCX_ENTRIES or unpacked > MAX_DOCX_UNPACKED or body > MAX_DOCX_XML:
        raise _error(path, f"Word-filen packas upp till för mycket ({unpacked // (1024 * 1024)} MB i {len(entries)} "
                           f"delar; doclint läser högst {MAX_DOCX_UNPACKED // (1024 * 1024)} MB, varav texten högst "
                           f"{MAX_DOCX_XML // (1024 * 1024)} MB) – spara texten som en mindre .docx eller som .txt.")


def _docx_text(data: bytes, path: Path) -> str:
    import docx  # imported lazily: only needed for .docx input
    from docx.enum.style import WD_STYLE_TYPE  # noqa: PLC0415

    _docx_guard(data, path)
    try:
        document = docx.Document(io.BytesIO(data))  # parsed in memory, the file is never reopened
        # Style names by id, read once: python-docx looks up a paragraph's style by scanning every
        # style, milliseconds per paragraph, so a long document took minutes.
        names = {}
        for style in document.styles:
            names.setdefault(style.style_id, style.name or "")
        default = next((s.name or "" for s in document.styles
                        if s.type == WD_STYLE_TYPE.PARAGRAPH and s._element.default), "")
        text = "\n\n".join(_docx_lines(document, names, default))  # a blank line keeps Word paragraphs apart
    except Exception:  # python-docx raises many kinds (zip, XML, missing parts) for a broken file
        raise _error(path, "filen är inte en giltig Word-fil (.docx) – den kan vara skadad.") from None
    return check_length(text, path)


def _docx_lines(container, names: dict, default: str):
    """Yield one line per paragraph in document order; table cells become paragraphs."""
    for item in container.iter_inner_content():
        if hasattr(item, "rows"):  # a table
            seen: dict = {}  # the cell elements themselves, kept alive so that their ids stay theirs
            for row in item.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # merged cells repeat the same cell
                        seen[id(cell._tc)] = cell._tc
                        yield from _docx_lines(cell, names, default)
            continue
        style_id = item._p.style
        text, style = item.text, (names.get(style_id, default) if style_id is not None else default)
        ppr = item._p.pPr
        if not text.strip():
            yield text
        elif style.startswith(("Heading", "Title")):
            yield "# " + text
        elif style.startswith("List") or (ppr is not None and ppr.numPr is not None):
            yield "- " + text
        else:
            yield text


def read_stdin() -> str:
    """Read standard input as bytes and decode it like a file named '-'."""
    if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
        raise _error("-", "standard in är stängd – skicka texten till doclint eller ange en fil.")
    return decode_bytes(_read_limited(sys.stdin.buffer, "-"), "-")


def _matches(rel: str, name: str, patterns: list[str], shown: str | None = None, used: set | None = None) -> bool:
    """Does a glob match the path inside the folder, the file name or the path as doclint prints it?"""
    candidates = [rel, name] + ([shown, shown.removeprefix("./")] if shown else [])
    for pattern in patterns:
        plain = pattern.replace("\\", "/").removeprefix("./")
        variants = (plain, plain[3:]) if plain.startswith("**/") else (plain,)
        if any(fnmatch(c, p) for c in candidates for p in variants):
            if used is not None:
                used.add(pattern)
            return True
    return False


def collect_paths(args: list[str], include: list[str] | None = None, exclude: list[str] | None = None,
                  errors: list[str] | None = None, used: set | None = None, keep=None) -> list[str]:
    """Expand arguments into display paths: '-' and files as given, directories walked recursively.

    include/exclude apply to files found in directories (explicitly named files
    are always kept); an excluded directory is not walked at all. With an
    `errors` list, a missing argument or an unreadable folder is noted there and
    the rest is still collected; without one, it raises InputError. Patterns match the path
    inside the folder, the file name or the path as doclint prints it; those that matched
    something are added to `used`. `keep(path)` can drop more files found in folders (the
    configuration's include and exclude).
    """
    include, exclude = include or [], exclude or []
    found: list[str] = []

    def problem(err: InputError) -> None:
        if errors is None:
            raise err
        errors.append(str(err))

    def walk_error(err: OSError) -> None:
        problem(_error(err.filename, "katalogen kunde inte läsas."))

    for arg in args:
        if arg == "-" or (os.path.exists(arg) and not os.path.isdir(arg)):
            found.append(arg)
            continue
        if not os.path.isdir(arg):
            problem(_error(arg, "filen eller katalogen finns inte."))
            continue
        base = arg.replace(os.sep, "/").rstrip("/")
        for dirpath, dirnames, filenames in os.walk(arg, onerror=walk_error):
            rel_dir = Path(os.path.relpath(dirpath, arg)).as_posix()
            prefix = "" if rel_dir == "." else rel_dir + "/"
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and not _matches(prefix + d, d, exclude, f"{base}/{prefix}{d}", used))
            for name in sorted(filenames):
                rel = prefix + name
                if name.startswith(".") or not name.lower().endswith(SUPPORTED_SUFFIXES):
                    continue
                shown = f"{base}/{rel}"
                if (include and not _matches(rel, name, include, shown, used)) or \
                        _matches(rel, name, exclude, shown, used):
                    continue
                if keep is not None and not keep(shown):
                    continue
                found.append(shown)
    return list(dict.fromkeys(found))  # drop duplicates, keep order
