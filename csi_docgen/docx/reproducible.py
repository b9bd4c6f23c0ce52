"""Same contract, same bytes.

A .docx is a zip of XML parts. Four things make two saves of the same
document differ, and each is pinned here:

* the core properties' dates (python-docx keeps whatever the template had;
  the writer sets them from the contract: :func:`fixed_datetime`);
* ids created while merging annexes: docxcompose gives each copied
  ``w:abstractNum`` a random ``w:nsid`` (:func:`fix_nsids`); bookmark,
  ``wp:docPr`` and ``numId`` ids are already sequential;
* the zip container: entry order, timestamps, permissions and the
  "made by" system (:func:`normalize_package`);
* the compression level, fixed at zlib's default.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from .ooxml import w

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
DEFAULT_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
_FIRST = ("[Content_Types].xml", "_rels/.rels")

def fixed_datetime(contract) -> dt.datetime:
    """The date the document claims: the signature date when known, else 2000-01-01."""
    day = contract.signature.date
    if day is None:
        return DEFAULT_DATE
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def fix_nsids(numbering, keep: set[str]) -> None:
    """Give every ``w:abstractNum`` not in ``keep`` (ids) a deterministic, unique nsid."""
    for anum in numbering.iterchildren(w("abstractNum")):
        anum_id = anum.get(w("abstractNumId"))
        if anum_id in keep:
            continue
        nsid = anum.find(w("nsid"))
        if nsid is not None:
            nsid.set(w("val"), f"{0x43530000 + int(anum_id):08X}")


def read_package(data: bytes) -> dict[str, bytes]:
    """The entries of a zip package, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return {info.filename: src.read(info) for info in src.infolist()}


def write_package(parts: dict[str, bytes], base: bytes = b"") -> bytes:
    """Zip ``parts`` with fixed entry order, dates, permissions and compression.

    ``base``, a package this function made, is kept as it is and ``parts``
    follow its entries: the parts every contract shares (styles, theme…)
    are compressed once, not on every build.
    """
    names = [n for n in _FIRST if n in parts] + sorted(n for n in parts if n not in _FIRST)
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a" if base else "w") as dst:
        if base and not set(names).isdisjoint(dst.namelist()):
            raise ValueError("a part is both in the base package and among the new parts")
        for name in names:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()


def normalize_package(data: bytes) -> bytes:
    """Re-zip a package with fixed entry order, dates, permissions and compression."""
    return write_package(read_package(data))
