import io
import os
import sys
from pathlib import Path

import docx
import pytest

from doclint.inputs import (
    SUPPORTED_SUFFIXES,
    InputError,
    collect_paths,
    decode_bytes,
    read_document,
    read_stdin,
)

SWEDISH = ("Förälder är här och berättar att barnet går i förskolan på Åsgatan. "
           "Vårdnadshavarna önskar stöd i föräldraskapet och vill träffa handläggaren igen. "
           "Enligt personalen mår flickan bättre än före sommaren.")
SWEDISH_CP1252 = ("Mötet med vårdnadshavarna hölls på förvaltningen. Modern säger att ”det går bättre nu” "
                  "och att resan kostade 250 € – hon önskar ersättning. "
                  "Handläggaren bedömer att barnets behov är tillgodosedda.")


def assert_one_line_naming(err: InputError, name: str) -> str:
    message = str(err)
    assert "\n" not in message and "\r" not in message
    assert name in message
    return message


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".docx")


def test_utf8_without_bom():
    assert decode_bytes(SWEDISH.encode("utf-8"), "a.txt") == SWEDISH


def test_utf8_with_bom_is_stripped():
    text = decode_bytes(b"\xef\xbb\xbf" + SWEDISH.encode("utf-8"), "a.txt")
    assert text == SWEDISH
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    data = "\ufeff".encode(codec) + SWEDISH.encode(codec)
    assert b"\x00" in data
    assert decode_bytes(data, "a.txt") == SWEDISH


def test_cp1252_with_euro_and_curly_quotes():
    data = SWEDISH_CP1252.encode("cp1252")
    assert b"\x80" in data and b"\x94" in data  # € and ” only exist in cp1252
    assert decode_bytes(data, "a.txt") == SWEDISH_CP1252


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_single_byte_swedish(codec):
    # cp1252 and latin-1 agree on åäö, so either detected codec gives the same text.
    assert decode_bytes(SWEDISH.encode(codec), "a.txt") == SWEDISH
    assert decode_bytes("Förälder är här".encode(codec), "a.txt") == "Förälder är här"


@pytest.mark.parametrize("codec", ["utf-8", "cp1252", "utf-16-le"])
def test_crlf_preserved(codec):
    original = "Rubrik\r\n\r\nFörsta raden.\r\nAndra raden är här.\r\n"
    data = original.encode(codec)
    if codec == "utf-16-le":
        data = b"\xff\xfe" + data
    text = decode_bytes(data, "a.txt")
    assert text == original
    assert text.count("\r\n") == 4


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    b"Hej\x00d\xe5\x00",
    b"\xff\xfe\x00\x00H\x00\x00\x00",  # UTF-32 LE: decodes as UTF-16 with NULs
])
def test_binary_bytes_raise(data):
    with pytest.raises(InputError) as exc:
        decode_bytes(data, "anteckning.txt")
    assert "binär" in assert_one_line_naming(exc.value, "anteckning.txt")


def test_broken_utf16_raises():
    with pytest.raises(InputError) as exc:
        decode_bytes(b"\xff\xfeA", "brev.txt")  # odd number of bytes after the BOM
    assert_one_line_naming(exc.value, "brev.txt")


def test_empty_and_whitespace_are_not_errors():
    assert decode_bytes(b"", "a.txt") == ""
    assert decode_bytes(b"\xef\xbb\xbf", "a.txt") == ""
    assert decode_bytes(b"  \r\n\t", "a.txt") == "  \r\n\t"


def test_read_document_text_file(tmp_path):
    path = tmp_path / "anteckning.txt"
    path.write_bytes(SWEDISH_CP1252.encode("cp1252"))
    assert read_document(path) == SWEDISH_CP1252


def test_read_document_empty_file(tmp_path):
    path = tmp_path / "tom.md"
    path.write_bytes(b"")
    assert read_document(path) == ""


def test_read_document_binary_file(tmp_path):
    path = tmp_path / "bild.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError) as exc:
        read_document(path)
    assert "binär" in assert_one_line_naming(exc.value, "bild.txt")


def test_read_document_missing_file(tmp_path):
    with pytest.raises(InputError) as exc:
        read_document(tmp_path / "saknas.txt")
    assert "finns inte" in assert_one_line_naming(exc.value, "saknas.txt")


def test_read_document_directory(tmp_path):
    folder = tmp_path / "mapp.txt"
    folder.mkdir()
    with pytest.raises(InputError) as exc:
        read_document(folder)
    assert "katalog" in assert_one_line_naming(exc.value, "mapp.txt")


def test_read_document_too_large(tmp_path):
    path = tmp_path / "stor.txt"
    with open(path, "wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse file, cheap on disk
    with pytest.raises(InputError) as exc:
        read_document(path)
    assert "20 MB" in assert_one_line_naming(exc.value, "stor.txt")


def test_read_document_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "hemlig.txt"
    path.write_text("Hej", encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    # Simulated, since chmod does not stop root (the tests may run as root).
    monkeypatch.setattr("doclint.inputs.open", denied, raising=False)
    with pytest.raises(InputError) as exc:
        read_document(path)
    assert "behörighet" in assert_one_line_naming(exc.value, "hemlig.txt")


def make_docx(path):
    document = docx.Document()
    document.add_heading("Bakgrund", level=1)
    document.add_paragraph("Förälder är här.")
    document.add_paragraph("Barnet går i förskolan.")
    document.add_paragraph("Kontakt med skolan", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Datum"
    table.cell(0, 1).text = "Händelse"
    document.add_paragraph("Slut.")
    document.save(path)


def test_docx_round_trip(tmp_path):
    path = tmp_path / "utredning.docx"
    make_docx(path)
    assert read_document(path) == (
        "# Bakgrund\n\nFörälder är här.\n\nBarnet går i förskolan.\n\n- Kontakt med skolan\n\nDatum\n\nHändelse\n\nSlut."
    )


def test_docx_merged_cells_read_once(tmp_path):
    path = tmp_path / "tabell.docx"
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Sammanslagen"
    table.cell(0, 2).text = "Egen"
    document.save(path)
    assert read_document(path).split("\n").count("Sammanslagen") == 1


@pytest.mark.parametrize("content", [b"PK\x03\x04 inte en riktig zip", b"vanlig text", b""])
def test_corrupt_docx(tmp_path, content):
    path = tmp_path / "trasig.docx"
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        read_document(path)
    assert "Word" in assert_one_line_naming(exc.value, "trasig.docx")


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_read_document_leaves_file_and_directory_untouched(tmp_path, suffix):
    path = tmp_path / f"anteckning{suffix}"
    if suffix == ".docx":
        make_docx(path)
    else:
        path.write_bytes(SWEDISH.encode("cp1252"))
    old = os.stat(path).st_mtime_ns - 10_000_000_000
    os.utime(path, ns=(old, old))  # a distinct mtime, so any write would show
    before_bytes = path.read_bytes()
    before_listing = sorted(os.listdir(tmp_path))
    assert read_document(path)
    assert os.stat(path).st_mtime_ns == old
    assert path.read_bytes() == before_bytes
    assert sorted(os.listdir(tmp_path)) == before_listing


class FakeStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_read_stdin_utf8(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin("Förälder är här.\r\nHej.".encode("utf-8")))
    assert read_stdin() == "Förälder är här.\r\nHej."


def test_read_stdin_cp1252(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(SWEDISH_CP1252.encode("cp1252")))
    assert read_stdin() == SWEDISH_CP1252


def test_read_stdin_binary_names_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"\x00\x01\x02"))
    with pytest.raises(InputError) as exc:
        read_stdin()
    assert str(exc.value).startswith("-: ")


@pytest.fixture
def tree(tmp_path, monkeypatch):
    files = [
        "b.txt", "a.md", "c.docx", "bild.png", "Z.TXT", ".dold.txt",
        ".git/config.txt", "utkast/u1.txt", "utkast/sub/u2.md",
        "arkiv/gammal.txt", "akt/arkiv/gammal2.txt", "akt/ny.txt",
    ]
    for rel in files:
        path = tmp_path / "notes" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Hej", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_collect_paths_walks_sorted_and_skips_hidden(tree):
    expected = [
        "notes/Z.TXT", "notes/a.md", "notes/b.txt", "notes/c.docx",
        "notes/akt/ny.txt", "notes/akt/arkiv/gammal2.txt",
        "notes/arkiv/gammal.txt",
        "notes/utkast/u1.txt", "notes/utkast/sub/u2.md",
    ]
    assert collect_paths(["notes"]) == expected
    assert collect_paths(["notes/"]) == expected  # trailing slash is not doubled
    assert collect_paths(["notes"]) == collect_paths(["notes"])


def test_collect_paths_keeps_files_and_dash_as_given(tree):
    args = ["-", "notes/bild.png", "notes/.dold.txt", "notes/a.md"]
    assert collect_paths(args) == args
    assert collect_paths(["notes/a.md", "notes/a.md"]) == ["notes/a.md"]


def test_collect_paths_include(tree):
    assert collect_paths(["notes"], include=["*.md"]) == ["notes/a.md", "notes/utkast/sub/u2.md"]
    assert collect_paths(["notes"], include=["utkast/*"]) == ["notes/utkast/u1.txt", "notes/utkast/sub/u2.md"]


def test_collect_paths_exclude(tree):
    assert collect_paths(["notes"], exclude=["**/arkiv/**", "utkast/*", "*.docx"]) == [
        "notes/Z.TXT", "notes/a.md", "notes/b.txt", "notes/akt/ny.txt",
    ]
    # a bare directory name excludes the whole directory
    assert "notes/akt/arkiv/gammal2.txt" not in collect_paths(["notes"], exclude=["arkiv"])


def test_collect_paths_include_and_exclude(tree):
    assert collect_paths(["notes"], include=["*.txt", "*.TXT"], exclude=["**/arkiv/**"]) == [
        "notes/Z.TXT", "notes/b.txt", "notes/akt/ny.txt", "notes/utkast/u1.txt",
    ]


def test_collect_paths_missing(tree):
    with pytest.raises(InputError) as exc:
        collect_paths(["notes", "saknas"])
    assert "finns inte" in assert_one_line_naming(exc.value, "saknas")


def test_broken_utf8_names_the_line_instead_of_guessing():
    good = "Mamman berättar att hon är orolig för Åsa. Hon säger att skolan ringde i går.\n".encode("utf-8") * 5
    broken = good[:200] + b"\xc3" + good[201:]
    with pytest.raises(InputError) as exc:
        decode_bytes(broken, "anteckning.txt")
    message = str(exc.value)
    assert message.startswith("anteckning.txt: teckenkodningen är trasig (ogiltig UTF-8 på rad 3)")
    assert "\n" not in message


def test_fifo_and_devices_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "anteckning.txt"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(InputError, match="ingen vanlig fil"):
            read_document(path)


def test_every_docx_table_cell_is_read(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=6, cols=3)
    for r in range(6):
        for c in range(3):
            table.cell(r, c).text = f"Cell{r}{c}"
    path = tmp_path / "tabell.docx"
    document.save(path)
    text = read_document(path)
    assert all(f"Cell{r}{c}" in text for r in range(6) for c in range(3))


def test_short_windows_1252_text_is_not_called_broken():
    assert decode_bytes("Åsa är här.".encode("cp1252"), "kort.txt") == "Åsa är här."


def test_closed_stdin_is_one_line(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InputError, match="standard in är stängd"):
        read_stdin()


def test_missing_arguments_are_noted_and_the_rest_collected(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    errors: list[str] = []
    found = collect_paths([str(tmp_path / "saknas.txt"), str(tmp_path)], errors=errors)
    assert found == [f"{tmp_path.as_posix()}/a.txt"]
    assert errors == [f"{tmp_path / 'saknas.txt'}: filen eller katalogen finns inte."]
