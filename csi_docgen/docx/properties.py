"""Document properties: fixed core properties, the clause manifest as custom ones.

Core properties (``docProps/core.xml``) get fixed values — author
« csi-docgen », revision 1, created = modified = the contract's date — so
that two builds give the same bytes.

Custom properties (``docProps/custom.xml``, Word's « Propriétés
personnalisées ») carry where the contract comes from and which clause
versions it holds, one property per clause::

    csi-docgen:outils                     csi-docgen 0.1.0 ; python-docx 1.2.0 ; lxml 6.1.3
    csi-docgen:source                     clermont-ferrand.yaml
    csi-docgen:clause:etat-securite-corat v2 sha256:3f2a… (bibliotheque)

python-docx has no API for this part, so it is written here; properties of
the template whose names do not start with ``csi-docgen:`` are kept.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from lxml import etree

from .ooxml import esc, esc_attr

CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PREFIX = "csi-docgen:"
AUTHOR = "csi-docgen"
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_CLAUSE_VALUE = re.compile(r"v(?P<version>\d+) sha256:(?P<sha256>[0-9a-f]+)(?: \((?P<origin>[^)]*)\))?$")


def core_xml(*, title: str, subject: str = "", description: str = "", category: str = "",
             when: dt.datetime) -> bytes:
    """The core properties part, with fixed values.

    Written as XML rather than through python-docx's ``core_properties``:
    importing docxcompose rebinds python-docx's ``cp`` prefix to the
    custom-properties namespace, after which python-docx adds core
    properties in the wrong namespace.
    """
    stamp = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = (
        f'<cp:coreProperties xmlns:cp="{CORE_NS}" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{esc(title)}</dc:title><dc:subject>{esc(subject)}</dc:subject>"
        f"<dc:creator>{AUTHOR}</dc:creator><dc:description>{esc(description)}</dc:description>"
        f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        f"<cp:category>{esc(category)}</cp:category><dc:language>fr-FR</dc:language>"
        "</cp:coreProperties>"
    )
    return (XML_DECLARATION + xml).encode("utf-8")


def write_core(document, **values) -> str:
    """Replace the core properties part of ``document`` (``values``: as :func:`core_xml`); return its zip name."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.parts.coreprops import CorePropertiesPart
    from docx.oxml.parser import parse_xml

    package = document.part.package
    element = parse_xml(core_xml(**values))
    try:
        part = package.part_related_by(RT.CORE_PROPERTIES)
        part._element = element  # noqa: SLF001
    except KeyError:
        part = CorePropertiesPart(PackURI("/docProps/core.xml"), CT.OPC_CORE_PROPERTIES, element, package)
        package.relate_to(part, RT.CORE_PROPERTIES)
    return part.partname.membername


def ensure_core(document) -> str:
    """Make sure the package has a core properties part; return its zip name."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        return document.part.package.part_related_by(RT.CORE_PROPERTIES).partname.membername
    except KeyError:
        return write_core(document, title="", when=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))


def contract_core(contract, when: dt.datetime) -> bytes:
    return core_xml(
        title=f"{contract.title} — {contract.collectivite} — {contract.periode}",
        subject=contract.collectivite_designation,
        description=f"Généré par csi-docgen à partir de {contract.source_name}" if contract.source_name else "",
        category="Contrat de sécurité intégrée",
        when=when,
    )


def tool_versions() -> str:
    """The versions the bytes depend on: « csi-docgen 0.1.0 ; python-docx 1.2.0 ; lxml 6.1.3 »."""
    import docx

    from .. import __version__

    return f"csi-docgen {__version__} ; python-docx {docx.__version__} ; lxml {etree.__version__}"


def manifest_properties(contract, tools: str) -> list[tuple[str, str]]:
    # Same inputs give the same bytes with the same versions of these: a signed
    # file says which ones built it (``tools``: :func:`tool_versions`, read when the template was prepared).
    props = [(f"{PREFIX}outils", tools)]
    if contract.source_name:
        props.append((f"{PREFIX}source", contract.source_name))
    for entry in contract.manifest:
        props.append(
            (f"{PREFIX}clause:{entry.clause_id}", f"v{entry.version} sha256:{entry.sha256} ({entry.origin})")
        )
    return props


def custom_xml(props: list[tuple[str, str]]) -> bytes:
    """The custom properties part holding ``props`` (name, text)."""
    items = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name="{esc_attr(name)}"><vt:lpwstr>{esc(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(props, start=2)
    )
    return (XML_DECLARATION + f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{items}</Properties>').encode("utf-8")


def ensure_custom(document) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Make sure the package has a custom properties part.

    Returns its zip name and the template's own properties (those whose
    names do not start with ``csi-docgen:``), which every build keeps.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    try:
        part = package.part_related_by(RT.CUSTOM_PROPERTIES)
    except KeyError:
        part = Part(PackURI("/docProps/custom.xml"), CUSTOM_CT, custom_xml([]), package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    kept = tuple((name, value) for name, value in _parse(part.blob).items() if not name.startswith(PREFIX))
    return part.partname.membername, kept


def _parse(blob: bytes) -> dict[str, str]:
    root = etree.fromstring(blob)
    out = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        if not prop.get("name"):  # a property without a name cannot be kept (nor read by Word)
            continue
        value = next(iter(prop), None)
        out[prop.get("name")] = (value.text or "") if value is not None else ""
    return out


def read_custom_properties(path) -> dict[str, str]:
    """The custom properties of a .docx (name → value as text); {} when there are none."""
    with zipfile.ZipFile(Path(path)) as z:
        try:
            return _parse(z.read("docProps/custom.xml"))
        except KeyError:
            return {}


def read_manifest(path) -> dict[str, dict]:
    """The clause manifest stored in a contract: clause id → {version, sha256, origin}."""
    manifest = {}
    for name, value in read_custom_properties(path).items():
        if not name.startswith(f"{PREFIX}clause:"):
            continue
        match = _CLAUSE_VALUE.match(value)
        if match:
            manifest[name[len(PREFIX) + len("clause:"):]] = {
                "version": int(match["version"]),
                "sha256": match["sha256"],
                "origin": match["origin"],
            }
    return manifest
