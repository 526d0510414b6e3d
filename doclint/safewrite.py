"""Writing reports and baselines without ever harming a note.

A report holds note text, so a half-written one must not be left behind, and a
report target must never lead into a note (a symbolic link or a hard link to a
checked file). `refuse_target` compares the target with every input by resolved
path and by (device, inode); `write_atomic` writes a temporary file in the target's
folder and renames it over the target, so a failed write (a full disk) leaves the
old target untouched and no temporary file behind, and a link at the target is
replaced rather than written through.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_CHUNK = 1 << 20
_os_write = os.write  # the one place bytes reach the disk (tests simulate a full disk here)


def same_file_as_input(target: Path, inputs) -> str | None:
    """The input that `target` is (by resolved path, or by device and inode), or None."""
    resolved = target.resolve()
    try:
        st = target.stat()  # follows a symbolic link to where a write would land
        identity = (st.st_dev, st.st_ino)
    except OSError:
        identity = None  # nothing there yet: only a resolved path can lead into an input
    for name in inputs:
        if name == "-":
            continue
        path = Path(name)
        if path.resolve() == resolved:
            return name
        if identity is not None:
            try:
                st = path.stat()
            except OSError:
                continue
            if (st.st_dev, st.st_ino) == identity:
                return name
    return None


def _new_file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(target: Path, content: str) -> None:
    """Write `content` (UTF-8) to `target` all at once, or not at all (OSError is raised)."""
    target = Path(target)
    data = memoryview(content.encode("utf-8"))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))
    try:
        try:
            mode = os.stat(target).st_mode & 0o777
        except OSError:
            mode = _new_file_mode()
        os.fchmod(fd, mode)
        while data:
            written = _os_write(fd, data[:_CHUNK])
            data = data[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
