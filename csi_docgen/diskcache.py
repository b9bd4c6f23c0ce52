"""What a fresh process may reuse from an earlier one, in the user's cache folder.

A ``csi-docgen build`` process pays, before writing anything, for opening
the reference template with python-docx (and merging the external annexes
with docxcompose) and for compiling each clause text with Jinja. Both are
pure functions of file contents and of the code that computes them, so they
are kept on disk under a key made of those contents:

- the prepared template (:mod:`csi_docgen.docx.package`), under the SHA-256
  of the template and the annexes, and a fingerprint of the code;
- Jinja's compiled templates (Jinja's own ``FileSystemBytecodeCache``, keyed
  by the template's name and file, and checked against the SHA-1 of its
  source), in a folder named after the code's fingerprint;
- the blocks of each rendered text, under the key of the library's memo
  (template content and values, see :class:`csi_docgen.render.Memo`) and the
  fingerprint of csi-docgen's code and of the libraries that typeset it: a
  fresh process that builds an unchanged contract renders nothing again.

Safe under concurrent processes: an entry is written to a temporary file of
the same folder, then renamed over its name (readers see a whole entry or
none). Ignored when the folder cannot be written or an entry cannot be read:
the value is then computed as if it were not there. The folder is
``$CSI_DOCGEN_CACHE`` if set (empty: no disk cache), else the platform's
user cache folder (``~/.cache/csi-docgen`` on Linux). Removing it is always
safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

_ENV = "CSI_DOCGEN_CACHE"


def cache_dir() -> Path | None:
    """The cache folder, or None when the disk cache is off."""
    configured = os.environ.get(_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "csi-docgen"


def code_fingerprint(*modules: str) -> str:
    """A digest that changes when the code of ``modules`` changes (version, file size and date).

    Modules are found without importing them (``importlib.util.find_spec``;
    name top-level packages or modules whose package is imported already):
    computing the key of an entry must not cost what the entry saves.
    ``"csi_docgen"`` stands for every source file of this package.
    """
    from importlib.util import find_spec

    from . import __version__

    parts = [__version__, sys.version]
    if "csi_docgen" in modules:  # the whole package: every source file, found by walking its folder
        root = Path(__file__).resolve().parent
        for path in sorted(root.rglob("*.py")):
            stat = path.stat()
            parts.append(f"{path.relative_to(root)}:{stat.st_mtime_ns}:{stat.st_size}")
        modules = tuple(name for name in modules if name != "csi_docgen")
    for name in modules:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        try:
            stat = os.stat(origin) if origin else None
        except OSError:
            stat = None
        parts.append(f"{name}:{origin}:{stat.st_mtime_ns}:{stat.st_size}" if stat else f"{name}:?")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def load(kind: str, key: str):
    """The entry ``kind``/``key``, or None when absent or unreadable."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / kind / f"{key}.pickle", "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - an unreadable entry is a missing one
        return None


def store(kind: str, key: str, value) -> None:
    """Write the entry ``kind``/``key`` atomically; silently nothing when it cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    target = folder / kind / f"{key}.pickle"
    temp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{key[:16]}-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, target)
        temp = None
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        pass
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass


def jinja_bytecode_cache():
    """Jinja's on-disk cache of compiled templates, in a folder of this code's version; None when off."""
    folder = cache_dir()
    if folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    class _Tolerant(FileSystemBytecodeCache):
        """Jinja's cache, which reading or writing problems never stop."""

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged entry: compile again
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                os.makedirs(self.directory, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    # The compiled code depends on the environment's settings (render.py) and on Jinja.
    fingerprint = code_fingerprint("csi_docgen.render", "jinja2")[:24]
    return _Tolerant(str(folder / "jinja" / fingerprint))
