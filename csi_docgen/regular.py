"""Opening a user's input file: regular files only.

A FIFO, a device or a socket named as a profile, a clause, the library's
declarations, a template or an annex would block a read forever (a FIFO
waits for a writer) or never end (``/dev/zero``). Every input is opened
here: without blocking, then refused at once unless it is a regular file.
"""

from __future__ import annotations

import errno
import os
import stat

NOT_REGULAR = "ce n'est pas un fichier ordinaire (tube, périphérique ou socket)"


class NotRegularFile(OSError):
    """A path that names a FIFO, a device or a socket."""

    def __init__(self, path):
        super().__init__(errno.EINVAL, NOT_REGULAR, str(path))


def open_regular(path):
    """``open(path, "rb")``, refusing at once anything but a regular file.

    Raises :class:`NotRegularFile` (an OSError whose ``strerror`` is French),
    IsADirectoryError for a folder, and the OSErrors of ``open``. The kind
    of file is asked first (``os.stat`` never blocks); opening a FIFO would.
    """
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path)
    return open(path, "rb")


def shown_path(path) -> str:
    """``path`` as text a message or a document can hold: bytes of a name that are not UTF-8
    (kept by Python as lone surrogates) are shown as « � »."""
    text = str(path)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
