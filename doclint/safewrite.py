"""Writing reports and baselines without ever harming a note.

A report holds note text, so a half-written one must not be left behind, and a
report target must never lead into a note (a symbolic link or a hard link to a
checked file). `same_file_as_input` compares the target with every input by
(device, inode); `atomic_open` writes a temporary file in the target's
folder and renames it over the target, so a failed write (a full disk) leaves the
old target untouched and no temporary file behind, and a link at the target is
replaced rather than written through.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

_CHUNK = 1 << 20
_os_write = os.write  # the one place bytes reach the disk (tests simulate a full disk here)


def same_file_as_input(target: Path, inputs) -> str | None:
    """The input that `target` is, or leads to, or None.

    Compared by device and inode, which a symbolic link (followed by stat) and a hard link share with
    the note. A target that does not exist yet (or a dangling link) cannot be an input, which exists."""
    try:
        st = os.stat(target)  # follows a symbolic link to where a write would land
    except OSError:
        return None
    identity = (st.st_dev, st.st_ino)
    for name in inputs:
        if name == "-":
            continue
        try:
            other = os.stat(name)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == identity:
            return name
    return None


def _new_file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


class _Fd(io.RawIOBase):
    """The temporary file's descriptor; every write goes through _os_write."""

    def __init__(self, fd: int):
        super().__init__()
        self.fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data)
        total = 0
        while total < len(view):
            total += _os_write(self.fd, view[total:total + _CHUNK])
        return total


@contextlib.contextmanager
def atomic_open(target: Path):
    """A text file (UTF-8) that becomes `target` only when the block ends without an error.

    Otherwise (a full disk, Ctrl-C) the temporary file is removed and `target` is as it was."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))
    handle = None
    try:
        try:
            mode = os.stat(target).st_mode & 0o777
        except OSError:
            mode = _new_file_mode()
        os.fchmod(fd, mode)
        handle = io.TextIOWrapper(io.BufferedWriter(_Fd(fd), buffer_size=_CHUNK), encoding="utf-8")
        yield handle
        handle.flush()
        os.fsync(fd)
        handle.close()
        handle = None
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
    except BaseException:
        if handle is not None:
            try:
                handle.close()  # may try to flush again and fail the same way
            except (OSError, ValueError):
                pass
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_atomic(target: Path, content: str) -> None:
    """Write `content` (UTF-8) to `target` all at once, or not at all (OSError is raised)."""
    with atomic_open(target) as out:
        out.write(content)
