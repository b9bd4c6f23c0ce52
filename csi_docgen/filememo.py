"""Files a process reads on every build (the template, external annexes), read once per version.

A notebook or a batch builds many contracts with the same template and
annexes. Their bytes, and what is learnt from them (their SHA-256, whether
they are Word documents), are kept per path and per version of the file: a
version is what ``os.stat`` tells of it (modification time in nanoseconds,
size, inode, change time), so a file saved again, even with the same size,
is read again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import Callable, TypeVar

T = TypeVar("T")

_MAX_FILES = 64
_memo: OrderedDict[tuple[str, str], tuple[tuple[int, int, int, int], object]] = OrderedDict()
_lock = threading.Lock()


def _version(path: str) -> tuple[int, int, int, int]:
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns)


def remembered(path, what: str, compute: Callable[[str], T]) -> T:
    """``compute(path)``, computed once per version of the file (OSError as ``compute`` raises it)."""
    key = (os.path.abspath(path), what)  # not resolve(): one lstat per folder, on every build
    version = _version(key[0])
    with _lock:
        hit = _memo.get(key)
        if hit is not None and hit[0] == version:
            _memo.move_to_end(key)
            return hit[1]  # type: ignore[return-value]
    value = compute(key[0])
    with _lock:
        _memo[key] = (version, value)
        while len(_memo) > _MAX_FILES:
            _memo.popitem(last=False)
    return value


def read(path) -> tuple[bytes, str]:
    """The bytes of ``path`` and their SHA-256 (hex), from one read (OSError as ``open`` raises it)."""

    def read_and_hash(name: str) -> tuple[bytes, str]:
        with open(name, "rb") as handle:
            data = handle.read()
        return data, hashlib.sha256(data).hexdigest()

    return remembered(path, "bytes", read_and_hash)


def clear() -> None:
    with _lock:
        _memo.clear()
